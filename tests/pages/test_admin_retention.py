"""The Admin page's privacy sections: retention shows what is due and runs after a confirm; flagged reports are listed
as plain text and masked with their button."""
from __future__ import annotations

import sqlite3

from analysis.periods import today_stockholm
from data_layer.db import make_engine
from data_layer.retention import due
from tests.pages.test_pages_render import logged_in

PNR = "811218-9876"  # a valid personnummer (Luhn check digit 6)


def _due_totals(path: str) -> tuple[int, int]:
    engine = make_engine(f"sqlite:///{path}")
    items = due(engine, today=today_stockholm())  # the page's today (ui.state.today)
    engine.dispose()
    return sum(i.to_coarsen for i in items), sum(i.to_delete for i in items)


def _table(at, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_an_admin_sees_what_is_due_and_runs_retention_after_confirming(own_store):
    to_coarsen, _ = _due_totals(own_store)
    assert to_coarsen > 0, "the demo spans more than two years, so some details are due"
    at = logged_in("admin")
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    shown = _table(at, "Att gallra")
    assert sum(int(v.replace("\u00a0", "")) for v in shown["Att gallra"]) == to_coarsen
    assert at.button(key="retention_apply").disabled  # nothing runs before the confirm box is ticked
    at.checkbox(key="retention_confirm").check().run()
    at.button(key="retention_apply").click().run()
    assert not at.exception, at.exception
    assert any(f"{to_coarsen:,}".replace(",", "\u00a0") in s.value or str(to_coarsen) in s.value for s in at.success)
    assert _due_totals(own_store) == (0, 0)
    with sqlite3.connect(own_store) as conn:
        assert conn.execute("SELECT COUNT(*) FROM auditlog WHERE object_type = 'retention'").fetchone()[0] == 1


def test_a_coordinator_masks_a_flagged_report_shown_as_plain_text(own_store):
    text = f"**Fet** <b>x</b> pnr {PNR}"
    with sqlite3.connect(own_store) as conn:
        incident_id = conn.execute("SELECT MAX(id) FROM incident WHERE sensitive = 0").fetchone()[0]
        conn.execute("UPDATE incident SET description = ? WHERE id = ?", (text, incident_id))
        conn.execute("UPDATE storeinfo SET value = value || 'x' WHERE key = 'data_version'")
    at = logged_in("samordnare")
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    assert text in [t.value for t in at.text]  # verbatim in a text element: never rendered as markdown or HTML
    at.button(key=f"mask_{incident_id}").click().run()
    assert not at.exception, at.exception
    with sqlite3.connect(own_store) as conn:
        stored = conn.execute("SELECT description FROM incident WHERE id = ?", (incident_id,)).fetchone()[0]
    assert stored == "**Fet** <b>x</b> pnr [personnummer]"
    assert f"mask_{incident_id}" not in [b.key for b in at.button]


def test_on_a_large_store_both_full_passes_wait_for_a_click(own_store, monkeypatch):
    from ui import admin_retention

    monkeypatch.setattr(admin_retention, "LARGE_STORE", 10)  # the demo store counts as large
    to_coarsen, _ = _due_totals(own_store)
    at = logged_in("admin")
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    assert not any("Att gallra" in df.value.columns for df in at.dataframe)
    assert any("Databasen är stor" in c.value for c in at.caption)
    assert at.selectbox(key="retention_category")  # rules can be changed before counting
    at.button(key="retention_count").click().run()
    assert not at.exception, at.exception
    shown = _table(at, "Att gallra")
    assert sum(int(v.replace("\u00a0", "")) for v in shown["Att gallra"]) == to_coarsen
    at.button(key="masking_search").click().run()
    assert not at.exception, at.exception
    assert any("Inga rapporter med personuppgifter" in c.value for c in at.caption) or any(
        b.key.startswith("mask_") for b in at.button)  # the search ran on the click
    at.run()
    assert "masking_search" not in [b.key for b in at.button]  # and is remembered for the session
    assert "Att gallra" in _table(at, "Att gallra").columns  # the count asked for earlier stays on the page
