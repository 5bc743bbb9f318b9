"""Meeting mode on a copy of the demo store: start a meeting whose agenda is written from the data, record a decision
that becomes an action (checked in SQL), close the meeting and reopen it to see the frozen figures; a generated count
equals an independent SQL count; a viewer reads but cannot run a meeting."""
from __future__ import annotations

import json
import sqlite3
from datetime import timedelta


from analysis.periods import today_stockholm
from tests.pages.test_pages_render import logged_in, sql, store  # noqa: F401 (fixture)


def open_meeting(username: str = "samordnare"):
    at = logged_in(username)
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, at.exception
    return at


def test_a_meeting_runs_from_generated_agenda_to_decision_action_and_frozen_figures(own_store):
    store = own_store
    today = today_stockholm()
    at = open_meeting()
    at.text_input(key="meeting_forum").input("Trygghetsforum Sjöbacka")
    at.multiselect(key="meeting_participants").set_value(["kommunen", "polisen"])
    at.button(key="meeting_start_submit").click().run()
    assert not at.exception, at.exception
    mid = sql(store, "SELECT MAX(id) FROM meeting")
    assert sql(store, "SELECT COUNT(*) FROM agendaitem WHERE meeting_id = ?", mid) == 6
    assert at.selectbox(key="meeting_pick").value == mid
    texts = [el.value for el in at.text]
    assert any("öppna åtgärder förfaller" in v or "Inga öppna åtgärder" in v for v in texts)

    # the generated follow-up count equals an independent count of open actions due by the meeting day
    figures = json.loads(sql(store, "SELECT snapshot FROM meeting WHERE id = ?", mid))["figures"]
    follow = sql(store, "SELECT id FROM agendaitem WHERE meeting_id = ? AND kind = 'uppfoljning'", mid)
    expected = sql(store, "SELECT COUNT(*) FROM action WHERE status IN ('föreslagen', 'beslutad', 'pågår') "
                          "AND due_date IS NOT NULL AND due_date <= ?", today.isoformat())
    assert figures[str(follow)]["count"] == expected > 0
    events = sql(store, "SELECT COUNT(*) FROM event WHERE starts_at >= ? AND starts_at < ?",
                 (today - timedelta(days=1)).isoformat(), (today + timedelta(days=15)).isoformat())
    events_item = sql(store, "SELECT id FROM agendaitem WHERE meeting_id = ? AND kind = 'handelser'", mid)
    assert 0 < figures[str(events_item)]["count"] <= events

    # a decision under the hotspot item becomes an action in the register, linked both ways
    item = sql(store, "SELECT id FROM agendaitem WHERE meeting_id = ? AND kind = 'forandringar'", mid)
    at.text_area(key=f"dec_text_{item}").input("Extra tillsyn kvällstid vid torget.")
    at.text_input(key=f"dec_title_{item}").input("Kvällstillsyn vid torget")
    at.button(key=f"dec_submit_{item}").click().run()
    assert not at.exception, at.exception
    with sqlite3.connect(store) as conn:
        decision_action, = conn.execute("SELECT action_id FROM decision WHERE meeting_id = ? AND agenda_item_id = ?",
                                        (mid, item)).fetchone()
        title, status, decided, owner = conn.execute(
            "SELECT a.title, a.status, a.decided_meeting_id, o.code FROM action a JOIN organisation o "
            "ON o.id = a.owner_org_id WHERE a.id = ?", (decision_action,)).fetchone()
    assert (title, status, decided, owner) == ("Kvällstillsyn vid torget", "beslutad", mid, "kommunen")
    assert any("ligger i åtgärdsregistret" in el.value for el in at.success)

    # close, then open it again: the frozen figures stand next to today's
    at.button(key="meeting_close").click().run()
    assert not at.exception, at.exception
    assert sql(store, "SELECT status FROM meeting WHERE id = ?", mid) == "avslutat"
    again = open_meeting()
    again.selectbox(key="meeting_pick").set_value(mid).run()
    assert not again.exception, again.exception
    captions = [c.value for c in again.caption]
    assert "Då (fryst vid mötet)" in captions and "Nu (vad data säger i dag)" in captions
    frozen = json.loads(sql(store, "SELECT snapshot FROM meeting WHERE id = ?", mid))
    shown = [el.value for el in again.text]
    assert all((i["body"] or "–") in shown for i in frozen["items"])
    assert "Beslut: Extra tillsyn kvällstid vid torget." in shown
    assert not [b for b in again.button if b.key == "meeting_close"]


def test_a_viewer_reads_the_agenda_but_gets_no_editing(store):  # noqa: F811
    at = open_meeting("lasare")
    assert not [b for b in at.button if (b.key or "").startswith(("meeting_", "dec_", "minutes_"))]
    assert any(c.value == "Din roll kan läsa mötet men inte ändra det." for c in at.caption)


def test_a_viewer_is_told_that_the_notes_are_not_shown_for_the_role(store):  # noqa: F811
    at = open_meeting("lasare")
    assert any(c.value == "Anteckningar visas inte för din roll." for c in at.caption)
