"""Periods follow ISO weeks and the Stockholm calendar; presets and comparison windows say what they compare."""
from datetime import date, datetime, timezone

import pytest

from analysis.periods import (Period, add_months, baseline_windows, comparison_windows, default_period, describe,
                              infer_kind, is_iso_week, iso_week_bounds, matching_preset, preset_period, previous_period,
                              previous_window, same_week_years_back, shift_years, tertial_start, today_stockholm,
                              week_of, week_start)


def test_week_47_of_2026_runs_monday_16_to_sunday_22_november():
    assert iso_week_bounds(2026, 47) == (date(2026, 11, 16), date(2026, 11, 22))


def test_2026_has_a_week_53_that_ends_in_2027():
    assert iso_week_bounds(2026, 53) == (date(2026, 12, 28), date(2027, 1, 3))
    assert week_of(date(2027, 1, 3)) == (2026, 53)


def test_2025_has_no_week_53():
    with pytest.raises(ValueError):
        iso_week_bounds(2025, 53)


def test_a_sunday_and_the_following_monday_start_different_weeks():
    assert week_start(date(2026, 11, 22)) == date(2026, 11, 16)
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)


def test_previous_period_is_equally_long_and_adjacent():
    assert previous_period(date(2026, 11, 1), date(2026, 11, 28)) == (date(2026, 10, 4), date(2026, 10, 31))


def test_default_period_is_28_days_ending_today():
    start, end = default_period(date(2026, 11, 28))
    assert (start, end) == (date(2026, 11, 1), date(2026, 11, 28))


def test_a_monday_to_sunday_period_is_described_as_that_week():
    d = describe(date(2026, 11, 16), date(2026, 11, 22))
    assert (d.kind, d.week) == ("week", 47)
    assert not is_iso_week(date(2026, 11, 17), date(2026, 11, 23))
    assert describe(date(2026, 11, 1), date(2026, 11, 28)).kind == "days"


def test_today_in_stockholm_is_already_tomorrow_late_in_the_utc_evening():
    assert today_stockholm(datetime(2026, 6, 30, 22, 30, tzinfo=timezone.utc)) == date(2026, 7, 1)


# --- presets and comparison windows ------------------------------------------------------------------------------

THURSDAY = date(2026, 11, 26)  # ISO week 48 of 2026


@pytest.mark.parametrize("preset, expected", [
    ("week", Period(date(2026, 11, 23), THURSDAY, "week")),
    ("last_week", Period(date(2026, 11, 16), date(2026, 11, 22), "week")),
    ("14d", Period(date(2026, 11, 13), THURSDAY, "days")),
    ("28d", Period(date(2026, 10, 30), THURSDAY, "days")),
    ("month", Period(date(2026, 11, 1), THURSDAY, "month")),
    ("tertial", Period(date(2026, 9, 1), THURSDAY, "tertial")),
    ("year", Period(date(2026, 1, 1), THURSDAY, "year")),
    ("since_meeting", Period(date(2026, 11, 24), THURSDAY, "days")),
])
def test_each_preset_ends_today_and_starts_where_its_name_says(preset, expected):
    assert preset_period(preset, THURSDAY, last_meeting=date(2026, 11, 24)) == expected


def test_custom_and_since_meeting_without_a_meeting_have_no_dates_of_their_own():
    assert preset_period("custom", THURSDAY) is None
    assert preset_period("since_meeting", THURSDAY, last_meeting=None) is None
    with pytest.raises(ValueError):
        preset_period("fortnight", THURSDAY)


def test_this_week_on_a_monday_is_that_monday_only():
    assert preset_period("week", date(2026, 11, 23)) == Period(date(2026, 11, 23), date(2026, 11, 23), "week")


@pytest.mark.parametrize("day, first", [(date(2026, 1, 1), date(2026, 1, 1)), (date(2026, 4, 30), date(2026, 1, 1)),
                                        (date(2026, 5, 1), date(2026, 5, 1)), (date(2026, 8, 31), date(2026, 5, 1)),
                                        (date(2026, 9, 1), date(2026, 9, 1)), (date(2026, 12, 31), date(2026, 9, 1))])
def test_tertials_run_january_to_april_may_to_august_september_to_december(day, first):
    assert tertial_start(day) == first


def test_dates_that_match_a_preset_are_shown_as_that_preset_and_others_as_custom():
    assert matching_preset(date(2026, 10, 30), THURSDAY, THURSDAY) == "28d"
    assert matching_preset(date(2026, 11, 9), date(2026, 11, 15), THURSDAY) == "custom"
    # On 1 January "month", "tertial" and "year" all mean the same day: the user's choice is kept.
    new_year = date(2027, 1, 1)
    assert matching_preset(new_year, new_year, new_year) == "month"
    assert matching_preset(new_year, new_year, new_year, prefer="year") == "year"


@pytest.mark.parametrize("start, end, kind", [
    (date(2026, 11, 16), date(2026, 11, 22), "week"), (date(2026, 11, 23), date(2026, 11, 25), "week"),
    (date(2026, 11, 2), date(2026, 11, 29), "week"), (date(2026, 11, 1), date(2026, 11, 26), "month"),
    (date(2026, 9, 1), date(2026, 11, 26), "tertial"), (date(2026, 1, 1), date(2026, 6, 30), "year"),
    (date(2026, 10, 1), date(2026, 11, 30), "month"), (date(2026, 10, 30), date(2026, 11, 26), "days")])
def test_a_period_from_a_link_gets_its_kind_from_its_dates(start, end, kind):
    assert infer_kind(start, end) == kind


def test_months_move_with_the_day_clipped_and_29_february_becomes_28():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2026, 1, 15), -4) == date(2025, 9, 15)
    assert shift_years(date(2028, 2, 29), 1) == date(2027, 2, 28)


@pytest.mark.parametrize("period, previous", [
    # this week so far: the same weekdays of the week before
    (Period(date(2026, 11, 23), date(2026, 11, 26), "week"), (date(2026, 11, 16), date(2026, 11, 19))),
    (Period(date(2026, 11, 2), date(2026, 11, 15), "week"), (date(2026, 10, 19), date(2026, 11, 1))),
    # a whole month against the whole month before, however long; a month so far against the same days
    (Period(date(2026, 3, 1), date(2026, 3, 31), "month"), (date(2026, 2, 1), date(2026, 2, 28))),
    (Period(date(2026, 3, 1), date(2026, 3, 30), "month"), (date(2026, 2, 1), date(2026, 2, 28))),
    (Period(date(2026, 9, 1), date(2026, 11, 26), "tertial"), (date(2026, 5, 1), date(2026, 7, 26))),
    (Period(date(2026, 9, 1), date(2026, 12, 31), "tertial"), (date(2026, 5, 1), date(2026, 8, 31))),
    (Period(date(2026, 1, 1), date(2026, 11, 26), "year"), (date(2025, 1, 1), date(2025, 11, 26))),
    (Period(date(2026, 10, 30), date(2026, 11, 26), "days"), (date(2026, 10, 2), date(2026, 10, 29))),
])
def test_the_previous_window_is_the_unit_before(period, previous):
    assert previous_window(period) == previous


def test_the_baseline_of_a_week_is_the_same_week_number_in_each_of_three_years():
    # ISO week 13 of 2026 holds the change to summer time (Sunday 29 March).
    week13 = Period(date(2026, 3, 23), date(2026, 3, 29), "week")
    assert baseline_windows(week13) == ((date(2025, 3, 24), date(2025, 3, 30)), (date(2024, 3, 25), date(2024, 3, 31)),
                                        (date(2023, 3, 27), date(2023, 4, 2)))
    assert all(start.weekday() == 0 for start, _ in baseline_windows(week13))


def test_week_53_is_compared_with_the_week_holding_new_years_eve_in_years_without_a_week_53():
    week53 = Period(date(2026, 12, 28), date(2027, 1, 3), "week")
    assert baseline_windows(week53) == ((date(2025, 12, 29), date(2026, 1, 4)), (date(2024, 12, 30), date(2025, 1, 5)),
                                        (date(2023, 12, 25), date(2023, 12, 31)))
    assert same_week_years_back(date(2026, 12, 28), 6) == date(2020, 12, 28)  # 2020 has a week 53 of its own


def test_other_periods_use_the_same_calendar_dates_in_earlier_years():
    march = Period(date(2026, 3, 1), date(2026, 3, 31), "month")
    assert baseline_windows(march)[2] == (date(2023, 3, 1), date(2023, 3, 31))
    leap = Period(date(2028, 2, 1), date(2028, 2, 29), "month")
    assert baseline_windows(leap)[0] == (date(2027, 2, 1), date(2027, 2, 28))


def test_year_to_date_runs_from_the_first_of_january_of_the_periods_last_year():
    w = comparison_windows(Period(date(2026, 12, 28), date(2027, 1, 3), "week"))
    assert (w.ytd, w.ytd_previous) == ((date(2027, 1, 1), date(2027, 1, 3)), (date(2026, 1, 1), date(2026, 1, 3)))
    names = [n for n, _, _ in w.named()]
    assert names == ["current", "previous", "base_1", "base_2", "base_3", "ytd", "ytd_previous"]
    assert w.days()["current"] == 7 and w.days()["ytd"] == 3
