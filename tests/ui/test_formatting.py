"""Numbers, dates and periods read the way Swedes write them."""
from datetime import date, datetime, timezone

from ui.formatting import (NBSP, comparison_sentence, fmt_date, fmt_datetime, fmt_int, fmt_p, fmt_pct, fmt_range,
                           fmt_signed, period_name)


def test_thousands_are_grouped_with_a_no_break_space_in_swedish():
    assert fmt_int(12345) == f"12{NBSP}345"
    assert fmt_int(12345, "en") == "12,345"


def test_p_values_use_a_decimal_comma():
    assert fmt_p(0.1648) == "0,165"
    assert fmt_p(0.00001) == f"<{NBSP}0,001"


def test_percent_has_a_space_before_the_sign():
    assert fmt_pct(0.123) == f"12{NBSP}%"


def test_a_decrease_uses_a_true_minus_sign():
    assert fmt_signed(-3) == "\u22123"
    assert fmt_signed(9) == "+9"


def test_dates_use_swedish_month_abbreviations():
    assert fmt_date(date(2026, 5, 3)) == "3 maj 2026"


def test_instants_are_shown_in_stockholm_time():
    assert fmt_datetime(datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc)) == "2 jul 2026 00:30"


def test_a_range_within_one_month_names_the_month_once():
    assert fmt_range(date(2026, 11, 1), date(2026, 11, 28)) == "1\u201328 nov"
    assert fmt_range(date(2026, 10, 28), date(2026, 11, 24)) == "28 okt\u201324 nov"


def test_an_iso_week_is_called_by_its_number():
    assert period_name(date(2026, 11, 16), date(2026, 11, 22)) == "Vecka 47"


def test_the_comparison_is_stated_in_words():
    assert comparison_sentence(date(2026, 11, 16), date(2026, 11, 22)) == "Vecka 47 jämfört med vecka 46"
    assert comparison_sentence(date(2026, 11, 1), date(2026, 11, 28)) == \
        "1\u201328 nov jämfört med föregående 28 dagar"


def test_week_1_is_compared_with_week_53_of_the_year_before():
    assert comparison_sentence(date(2027, 1, 4), date(2027, 1, 10)) == "Vecka 1 jämfört med vecka 53"
