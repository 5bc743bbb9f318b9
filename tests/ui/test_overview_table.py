"""The overview's wording and table cells: every figure says what it is compared with, verdicts carry words and
arrows (never colour alone), rows with clear changes come first, and the CSV export cannot run a formula."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timezone

import pandas as pd

from analysis.change import DECREASE, INCREASE, NORMAL
from analysis.periods import Period, comparison_windows
from data_layer.exports import safe_cell as csv_safe
from ui.overview_table import incidents_csv, ordered, styled, table_frame
from ui.overview_text import p_text, period_sentence, range_year, short_when, verdict, windows_caption


def test_each_kind_of_period_is_stated_with_what_it_is_compared_with():
    def sentence(start, end, kind):
        return period_sentence(comparison_windows(Period(start, end, kind)), "sv")

    assert sentence(date(2026, 3, 23), date(2026, 3, 29), "week") == "Vecka 13 jämfört med vecka 12"
    assert sentence(date(2027, 1, 4), date(2027, 1, 10), "week") == "Vecka 1 jämfört med vecka 53"
    assert sentence(date(2026, 11, 23), date(2026, 11, 26), "week") == \
        "Vecka 48 hittills (23\u201326 nov) jämfört med samma dagar vecka 47 (16\u201319 nov)"
    assert sentence(date(2026, 11, 1), date(2026, 11, 26), "month") == \
        "1\u201326 nov 2026 jämfört med 1\u201326 okt 2026"
    assert sentence(date(2026, 10, 30), date(2026, 11, 26), "days") == \
        "30 okt\u201326 nov jämfört med föregående 28 dagar"


def test_the_caption_names_the_baseline_years_that_hold_data_and_the_year_to_date_windows():
    windows = comparison_windows(Period(date(2026, 3, 23), date(2026, 3, 29), "week"))
    every = {f"base_{k}": True for k in (1, 2, 3)}
    assert windows_caption(windows, every, "sv") == ("Snitt tidigare år = samma veckonummer 2023\u20132025 (3 år). "
                                                     "Hittills i år = 1 jan\u201329 mar 2026 mot 1 jan\u201329 mar 2025.")
    only_last = {"base_1": True, "base_2": False, "base_3": False}
    assert windows_caption(windows, only_last, "sv").startswith("Snitt tidigare år = samma veckonummer 2025 (1 år).")
    assert windows_caption(windows, {}, "sv").startswith("Tidigare år saknar data")
    assert range_year(date(2026, 12, 28), date(2027, 1, 3), "sv") == "28 dec 2026\u20133 jan 2027"


def test_verdicts_have_an_arrow_a_word_and_the_adjusted_p_value():
    assert verdict(INCREASE, 0.0004, "sv") == "▲ ökar p\u00a0<0,001"
    assert verdict(DECREASE, 0.0031, "sv") == "▼ minskar p\u00a00,003"
    assert verdict(NORMAL, 0.414, "sv") == "normal p\u00a00,41"
    assert verdict("n/a", float("nan"), "sv") == "data saknas"
    assert p_text(0.0099, "sv") == "p\u00a00,010" and p_text(0.02, "en") == "p\u00a00.02"


def test_an_event_time_is_shown_in_stockholm_with_its_weekday():
    assert short_when(pd.Timestamp(datetime(2026, 11, 28, 14, 0, tzinfo=timezone.utc)), "sv") == "lör 28 nov 15:00"
    assert short_when(pd.Timestamp(datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc)), "en") == "Thu Jul 2 00:30"


def _table() -> pd.DataFrame:
    base = dict(area_code="a", area_name="A", area_level="omrade", population=1000, category_code="klotter",
                current=5, previous=5, base_1=5, base_2=5, base_3=5, ytd=50, ytd_previous=50, baseline_mean=5.0,
                rate=5.0)
    flags = {n: NORMAL for n in ("previous", "baseline", "ytd")}
    rows = []
    for i, (current, changed, excess) in enumerate([(9, {}, 0), (40, {"baseline": INCREASE}, 35),
                                                    (3, {"ytd": DECREASE}, -40), (12, {"previous": INCREASE}, 10),
                                                    (20, {}, 0)]):
        row = {**base, "area_code": f"a{i}", "area_name": None if i == 4 else f"Område {i}", "current": current}
        for name in flags:
            row[f"flag_{name}"] = changed.get(name, NORMAL)
            row[f"q_{name}"] = 0.001 if name in changed else 0.8
            row[f"excess_{name}"] = excess if name in changed else 0.0
        rows.append(row)
    return pd.DataFrame(rows)


def test_rows_with_a_clear_change_in_the_period_come_first_then_the_year_then_the_largest_counts():
    assert list(ordered(_table())["area_code"]) == ["a1", "a3", "a2", "a4", "a0"]


def test_the_shown_table_puts_the_compared_count_and_its_verdict_in_one_cell_and_colours_only_changes():
    rows, shown = table_frame(_table(), {"klotter": "Klotter"}, "sv", by_source=False)
    assert list(shown.columns) == ["Område", "Kategori", "Perioden", "Per 1\u00a0000", "Föregående", "Snitt 3 år",
                                   "I år", "I fjol"]
    assert shown.loc[0, "Snitt 3 år"] == "5,0 · ▲ ökar p\u00a00,001"
    assert shown.loc[0, "Föregående"] == "5 · normal p\u00a00,80"
    assert shown.loc[3, "Område"] == "Okänt område"
    css = styled(rows, shown, "sv").to_html().split("</style>")[0]
    coloured = {(int(r), int(c)) for r, c in re.findall(r"#T_\w+?_row(\d+)_col(\d+)", css)}
    # the baseline cell of row 0, the previous-period cell of row 1, the last-year cell of row 2: nothing else
    assert coloured == {(0, 5), (1, 4), (2, 7)}


def test_formula_like_cells_are_escaped_and_the_csv_holds_exactly_the_rows_given():
    assert [csv_safe(v) for v in ("=1+1", "+46", "-2", "@SUM(A1)", "\tx", "text", 3)] == \
        ["'=1+1", "'+46", "'-2", "'@SUM(A1)", "'\tx", "text", 3]
    rows = pd.DataFrame({
        "id": [7, 9], "occurred_at": [pd.Timestamp("2026-11-20 21:30", tz="UTC")] * 2,
        "occurred_date": [date(2026, 11, 20)] * 2, "category_code": ["klotter", "klotter"],
        "area_code": ["a", "a"], "area_name": ["Lunden", "Lunden"], "source_org": ["kommunen", "polisen"],
        "location_precision": ["point", "area"], "lat": [57.6, None], "lon": [14.7, None],
        "description": ['=HYPERLINK("http://x";"klicka")', "Klotter; på \"väggen\""], "assessment": [2, None],
        "sensitive": [False, True]})
    text = incidents_csv(rows, {"klotter": "Klotter"}, {"kommunen": "Sjöbacka kommun"}, "sv").decode("utf-8-sig")
    parsed = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [int(r["id"]) for r in parsed] == [7, 9]
    assert parsed[0]["Beskrivning"] == '\'=HYPERLINK("http://x";"klicka")'
    assert parsed[1]["Beskrivning"] == 'Klotter; på "väggen"'
    assert parsed[0]["Källa"] == "Sjöbacka kommun" and parsed[1]["Källa"] == "polisen"
    assert parsed[0]["När"] == "20 nov 2026 22:30" and parsed[0]["lat"] == "57,6"
    assert (parsed[0]["Bedömning 1–3"], parsed[1]["Bedömning 1–3"]) == ("2", "")
    assert (parsed[0]["Känslig"], parsed[1]["Känslig"]) == ("Nej", "Ja")
