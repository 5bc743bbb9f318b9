"""Veckomöte: start or pick a meeting, run it from the generated agenda (minutes, decisions that become actions),
close it to freeze its figures, and see a closed meeting's figures next to today's; plus the events register."""
from __future__ import annotations

import json

import streamlit as st

from data_layer.queries import meetings as q
from ui import meeting_view as view
from ui import state
from ui.auth import require_login
from ui.formatting import escape_markdown, fmt_date
from ui.i18n import current_language, t

require_login()

lang = current_language()
today = state.today()
scope = state.scope()
editable = scope.can("meeting", "edit")
st.title(t("meeting.title"))
view.flash()

meetings = state.query(q.meetings_list)
if editable:
    view.start_form(meetings, today)
elif scope.can("meeting", "read_detail"):
    st.caption(t("meeting.read_only"))
meeting_id = view.pick_meeting(meetings, today, lang)
if meeting_id is None:
    st.info(t("meeting.none"))
    view.events_register(today, editable=editable, lang=lang)
    st.stop()

detail = state.query(q.meeting_detail, meeting_id=meeting_id)
if detail.empty:
    st.info(t("meeting.none"))
    st.stop()
meeting = detail.iloc[0]
agenda = state.query(q.agenda_items, meeting_id=meeting_id)
decisions = state.query(q.meeting_decisions, meeting_id=meeting_id)
participants = json.loads(meeting["participants"]) if isinstance(meeting["participants"], str) else []
names = state.organisation_names()
st.subheader(f"{escape_markdown(meeting['forum'])} · {fmt_date(meeting['held_on'], lang)}")
who = ", ".join(escape_markdown(names.get(c, c)) for c in participants)
st.caption(t("meeting.status", status=t(f"meeting_status.{meeting['status']}"), items=len(agenda),
             decisions=len(decisions)) + (f" {who}" if who else ""))

if meeting["status"] == "avslutat":
    view.frozen_vs_now(meeting, today, lang)
    view.events_register(today, editable=editable, lang=lang)
    st.stop()

if editable:
    label = "meeting.regenerate" if len(agenda) else "meeting.generate"
    if st.button(t(label), key="meeting_generate", type="secondary" if len(agenda) else "primary"):
        view.write("generate_agenda", t("meeting.saved"), meeting_id=meeting_id, today=today,
                    replace=bool(len(agenda)))
if agenda.empty:
    st.info(t("meeting.no_agenda"))
for k, item in enumerate(agenda.itertuples()):
    view.item_card(item, decisions, editable=editable, first=k == 0, last=k == len(agenda) - 1, lang=lang)

if editable:
    with st.form("meeting_add_item", border=False):
        title = st.text_input(t("meeting.add_item"), key="meeting_new_item")
        if st.form_submit_button(t("meeting.add_item"), key="meeting_add_item_submit"):
            view.write("add_item", t("meeting.saved"), meeting_id=meeting_id, title=title)
    minutes = st.text_area(t("meeting.general_minutes"), key="meeting_minutes", height=80,
                           value=meeting["minutes"] if isinstance(meeting["minutes"], str) else "")
    cols = st.columns(2)
    if cols[0].button(t("meeting.save_minutes"), key="meeting_minutes_save"):
        view.write("set_meeting_minutes", t("meeting.saved"), meeting_id=meeting_id, minutes=minutes)
    if cols[1].button(t("meeting.close"), key="meeting_close", type="primary"):
        view.write("close_meeting", t("meeting.saved"), meeting_id=meeting_id)
view.events_register(today, editable=editable, lang=lang)
