"""data_layer/suppression.py: every helper hides counts 1..threshold-1 (and enough others that an LP audit pins no
hidden count), passes everything through unchanged at threshold 1, and the meeting agenda's counting items are
written again from their figures without small counts for roles that may only count."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis.privacy import feasible_intervals, recoverable
from data_layer import suppression as sp
from data_layer.meeting_agenda import hotspot_body, published_body, reports_body
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope

SMALL = (1, 2)


def trend_rows() -> pd.DataFrame:
    """Three weeks × three groups and their total, shaped like analysis.trends.trend_table."""
    counts = {"a": [9, 1, 7], "b": [4, 6, 2], "c": [0, 5, 8]}
    weeks = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    rows = []
    for group, values in [("total", [sum(v[k] for v in counts.values()) for k in range(3)]), *counts.items()]:
        for week, n in zip(weeks, values):
            rows.append({"group": group, "bucket": week, "count": n, "baseline": 2.0 if group == "c" else 6.0,
                         "baseline_years": 1 if group == "c" else 3, "lower": 0.0, "upper": 9.0,
                         "moving_avg": 5.0, "flag": "normal", "in_progress": False})
    return pd.DataFrame(rows)


def test_the_threshold_comes_from_the_scope(monkeypatch):
    monkeypatch.setenv("LAGESBILD_MIN_COUNT", "4")
    assert sp.threshold(Scope(user_id=1, role="lasare", organisation_id=1)) == 4
    assert sp.threshold(Scope(user_id=1, role="samordnare", organisation_id=1)) == 1
    assert sp.note(4).startswith("Antal under 4 visas inte") and sp.note(1) == ""


def test_a_trend_table_hides_small_weeks_and_no_hidden_week_follows_from_the_total_series():
    out = sp.suppress_trend_table(trend_rows(), threshold=3)
    groups = out[out["group"] != "total"]
    cells = groups.pivot(index="bucket", columns="group", values="count").astype("float64").to_numpy()
    truth = trend_rows().query("group != 'total'").pivot(index="bucket", columns="group", values="count").to_numpy()
    assert not np.isin(cells, SMALL).any() and np.isnan(cells).sum() >= 2
    visible = ~np.isnan(cells)
    assert np.array_equal(cells[visible], truth[visible])
    rows = out[out["group"] == "total"]["count"].astype("float64").to_numpy()
    for lower in (0.0, 1.0):
        pinned = recoverable(feasible_intervals(cells, rows, np.full(3, np.nan), None, lower=lower))
        assert [k for k in pinned if k[0] == "cell"] == []
    assert (out.loc[out["count"].isna(), "flag"] == sp.HIDDEN_FLAG).all()
    assert out["moving_avg"].isna().all(), "a moving average would give hidden weeks away"
    assert out.loc[out["group"] == "c", "baseline"].isna().all(), "a baseline of one small year is a small count"
    assert out.loc[out["group"] == "a", "baseline"].notna().all()


def test_threshold_one_passes_the_trend_table_through():
    rows = trend_rows()
    out = sp.suppress_trend_table(rows, threshold=1)
    assert out["count"].tolist() == rows["count"].tolist()
    assert out["moving_avg"].tolist() == rows["moving_avg"].tolist() and (out["flag"] == "normal").all()


def test_wide_columns_are_each_a_list_with_its_total_and_missing_values_stay_missing():
    frame = pd.DataFrame({"number": [1, 2, 3, 4], "this_year": [5.0, 1.0, 7.0, np.nan], "last_year": [3, 4, 8, 9]})
    out = sp.suppress_columns(frame, ["this_year", "last_year"], threshold=3)
    assert np.isnan(out["this_year"][1]) and np.isnan(out["this_year"][3])
    assert out["this_year"].isna().sum() == 3, "one more hidden: the year's total would give the 1 away"
    assert out["last_year"].tolist() == [3, 4, 8, 9]
    assert sp.suppress_columns(frame, ["this_year"], threshold=1).equals(frame)


def test_a_long_table_is_suppressed_as_its_cross_table():
    frame = pd.DataFrame({"area": ["x", "x", "y", "y", None], "cat": ["k", "m", "k", "m", "k"],
                          "count": [1, 8, 6, 9, 4]})
    out = sp.suppress_long(frame, rows="area", columns="cat", threshold=3, fixed_margins=False)
    assert out["count"].isna().sum() >= 2 and not out["count"].isin(SMALL).any()
    assert out["hidden_count"].tolist() == out["count"].isna().tolist()


def test_a_list_and_a_grid_hide_their_small_counts():
    shown = sp.suppress_list([10, 5, 2, 0], threshold=3)
    assert shown.isna().tolist() == [False, True, True, False]
    assert sp.suppress_list([10, 5, 2, 0], threshold=3, total=False).isna().tolist() == [False, False, True, False]
    grid = np.array([[0.5, 4.0, 5.0], [3.0, 6.0, 2.2], [7.0, 7.0, 7.0]])
    hidden = sp.hidden_grid(grid, threshold=3)
    assert hidden[0, 0] and hidden[1, 2] and hidden.sum() >= 4 and not hidden[2].any()
    assert not sp.hidden_grid(grid, threshold=1).any()


def test_perception_keeps_the_survey_value_and_hides_a_small_count_with_its_rate():
    table = pd.DataFrame({"area_code": ["a", "b"], "area_name": ["A", "B"], "value": [0.3, 0.4], "shown": [True, True],
                          "population": [1000, 2000], "incidents": [2, 40], "per_1000": [2.0, 20.0],
                          "quadrant": ["q1", "q2"], "mismatch": [0.1, 0.2]})
    out = sp.suppress_perception(table, threshold=3)
    assert out["incidents"].isna().tolist() == [True, False] and np.isnan(out["per_1000"][0])
    assert out["quadrant"].tolist() == [None, "q2"] and out["value"].tolist() == [0.3, 0.4]
    same = sp.suppress_perception(table, threshold=1)
    assert same["incidents"].tolist() == [2, 40] and not same["hidden_incidents"].any()


FLT = IncidentFilter(start=date(2026, 11, 1), end=date(2026, 11, 14))
LINK = "/lagesbild?from=2026-11-01&to=2026-11-14"
REPORTS = {"count": 13, "cells": [{"area_name": "Lunden", "category_code": "klotter", "count": 9},
                                  {"area_name": "Björkhagen", "category_code": "klotter", "count": 2},
                                  {"area_name": "Kvarnbacken", "category_code": "klotter", "count": 2}]}
HOTSPOTS = {"cells": [{"cell": "89abc", "trend": "ny", "recent": 2, "before": 0, "last_year": 0,
                       "places": ["Torget"]}]}


def test_the_agenda_reports_item_hides_small_counts_for_a_reader_and_not_for_a_coordinator():
    labels = {"klotter": "Klotter"}
    reader = reports_body(REPORTS, flt=FLT, labels=labels, threshold=3)
    assert "färre än 3" in reader and "Lunden: klotter 9" in reader
    assert not any(line.endswith((" 1", " 2")) for line in reader.splitlines())
    assert "13 rapporter" in reader, "a total of 13 gives no single count away when two are hidden"
    coordinator = reports_body(REPORTS, flt=FLT, labels=labels)
    assert "Björkhagen: klotter 2" in coordinator and "färre än" not in coordinator


def test_the_agenda_hotspot_item_says_fewer_than_for_small_window_counts():
    assert "färre än 3 händelser" in hotspot_body(HOTSPOTS, flt=FLT, threshold=3)
    assert ": 2 händelser" in hotspot_body(HOTSPOTS, flt=FLT)


@pytest.mark.parametrize("kind, figures", [("rapporter", REPORTS), ("hotspots", HOTSPOTS)])
def test_a_stored_counting_item_is_written_again_for_a_reader(kind, figures):
    stored = "Skrivet av samordnaren: Björkhagen 2"
    shown = published_body(kind, stored, figures, link=LINK, labels={}, threshold=3)
    assert shown != stored and "färre än 3" in shown
    assert published_body(kind, stored, figures, link=LINK, labels={}, threshold=1) == stored
    assert published_body("ovrigt", stored, figures, link=LINK, labels={}, threshold=3) == stored
    assert published_body(kind, stored, None, link=LINK, labels={}, threshold=3) == stored


# --- exports ----------------------------------------------------------------------------------------------------------

def test_an_export_for_a_reader_hides_small_counts_and_says_so_with_period_and_filter():
    import io

    from openpyxl import load_workbook

    from data_layer.exports import NOTES_SHEET, frame_csv, frame_xlsx

    table = pd.DataFrame({"Område": ["A", "B", "C"], "Antal": [12, 2, 7]})
    shown = sp.suppress_export(table, ["Antal"], threshold=3)
    assert shown["Antal"].isna().sum() == 2 and not shown["Antal"].isin(SMALL).any()
    assert sp.suppress_export(table, ["Antal"], threshold=1).equals(table)
    notes = sp.export_notes(period="2026-11-01 – 2026-11-14", filter_text="Alla områden, Klotter", threshold=3)
    assert notes[-1].startswith("Antal under 3 visas inte")
    text = frame_csv(shown, notes=notes).decode("utf-8-sig")
    assert text.splitlines()[-3:] == ["Period: 2026-11-01 – 2026-11-14", "Urval: Alla områden, Klotter",
                                      notes[-1]]
    book = load_workbook(io.BytesIO(frame_xlsx(shown, notes=notes)))
    assert [c.value for c in book[NOTES_SHEET]["A"]] == notes
    assert book.worksheets[0]["B3"].value is None, "a hidden count is an empty cell"
    assert frame_csv(table) == frame_csv(table, notes=None), "without notes the export is as before"
    assert sp.export_notes(period="p", filter_text="f", threshold=1) == ["Period: p", "Urval: f"]


def test_no_role_that_is_shown_hidden_counts_may_export_yet(monkeypatch):
    """The exports that exist (the action register, the overview's incident rows) are for roles that see every
    count; a role with suppression that gains an export right must get suppress_export and export_notes first."""
    from data_layer.models import ROLES

    monkeypatch.setenv("LAGESBILD_MIN_COUNT", "3")
    for role in ROLES:
        scope = Scope(user_id=1, role=role, organisation_id=1)
        if sp.threshold(scope) > 1:
            assert not scope.can("incident", "export") and not scope.can("action", "export"), role
