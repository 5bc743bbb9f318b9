"""The register's pure helpers: an edit sends only the fields the user changed, a link's prefill keeps only known
codes and valid cells, and the effect chart's expected line is the control scaled to the target's level before."""
from __future__ import annotations

from datetime import date, timedelta

import h3
import pandas as pd

from ui.action_effect import weekly_target_and_expected
from ui.action_form import changed_fields
from ui.action_new import prefill_from

SEEN = {"title": "Belysning", "description": None, "status": "beslutad", "priority": 2, "owner_org_id": 1,
        "responsible_user_id": None, "start_date": date(2026, 1, 5), "due_date": None,
        "category_codes": ["klotter", "skadegorelse"], "area_code": "A1"}


def test_only_changed_fields_are_sent_and_blank_text_counts_as_no_value():
    wanted = dict(SEEN, description="  ", category_codes=["skadegorelse", "klotter"], priority=1,
                  due_date=date(2026, 3, 1))
    assert changed_fields(SEEN, wanted) == {"priority": 1, "due_date": date(2026, 3, 1)}
    assert changed_fields(SEEN, dict(SEEN)) == {}
    assert changed_fields(SEEN, dict(SEEN, title=" Ny belysning ")) == {"title": "Ny belysning"}


def test_a_links_prefill_keeps_known_codes_and_valid_cells_only():
    cell = h3.latlng_to_cell(57.65, 14.69, 9)
    pre = prefill_from({"title": " Klotter vid skolan ", "area": "A1", "cell": f"{cell},not-a-cell",
                        "categories": "klotter,nosuch"}, areas={"A1"}, categories={"klotter", "stold"})
    assert (pre.title, pre.area_code, pre.cells, pre.category_codes, pre.given) == (
        "Klotter vid skolan", "A1", (cell,), ("klotter",), True)
    assert not prefill_from({"area": "ZZ"}, areas={"A1"}, categories=set()).given


def test_the_expected_line_is_the_control_scaled_to_the_targets_level_before_the_start():
    weeks = [date(2026, 1, 5) + timedelta(days=7 * k) for k in range(4)]
    rows = []
    for group, counts in (("target", (6, 4, 1, 1)), ("control", (20, 30, 25, 25))):
        for week, period, n in zip(weeks, ("before", "before", "after", "after"), counts):
            rows.append((group, period, pd.Timestamp(week), n))
    counts = pd.DataFrame(rows, columns=["group", "period", "week_start", "count"])
    weekly = weekly_target_and_expected(counts)
    assert list(weekly["target"]) == [6, 4, 1, 1]
    assert [round(e, 2) for e in weekly["expected"]] == [4.0, 6.0, 5.0, 5.0]  # control × 10 / 50
    assert weekly_target_and_expected(counts.iloc[0:0]).empty
