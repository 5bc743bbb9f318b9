"""Veckomöte: the next (or latest) meeting with its agenda, and the list of past meetings."""
from __future__ import annotations

import streamlit as st

from data_layer.queries import meetings as q
from ui import state
from ui.formatting import escape_markdown, fmt_date, fmt_int
from ui.i18n import current_language, t
from ui.auth import require_login

require_login()

lang = current_language()
st.title(t("meeting.title"))

meetings = state.query(q.meetings_list)
if meetings.empty:
    st.info(t("meeting.none"))
    st.stop()

today = state.today()
upcoming = meetings[meetings["held_on"] >= today].sort_values("held_on")
past = meetings[meetings["held_on"] < today]
current = upcoming.iloc[0] if len(upcoming) else meetings.iloc[0]
heading = "meeting.next" if len(upcoming) else "meeting.latest"
st.subheader(t(heading, forum=current["forum"], date=fmt_date(current["held_on"], lang)))
st.caption(t("meeting.status", status=t(f"meeting_status.{current['status']}"), items=int(current["items"]),
             decisions=int(current["decisions"])))

agenda = state.query(q.agenda_items, meeting_id=int(current["id"]))
if agenda.empty:
    st.info(t("meeting.no_agenda"))
for item in agenda.itertuples():
    with st.container(border=True):
        st.markdown(f"**{int(item.position)}.** " + escape_markdown(item.title))
        st.caption(t(f"agenda_kind.{item.kind}", default=item.kind))
        if isinstance(item.body, str) and item.body:
            st.text(item.body)
        if isinstance(item.minutes, str) and item.minutes:
            st.caption(t("meeting.minutes"))
            st.text(item.minutes)

st.subheader(t("meeting.past"))
st.caption(t("meeting.past_caption", n=fmt_int(len(past), lang)))
if len(past):
    st.dataframe(past.assign(
        date=past["held_on"].map(lambda d: fmt_date(d, lang)),
        status_text=past["status"].map(lambda s: t(f"meeting_status.{s}")))[
        ["date", "forum", "status_text", "items", "decisions"]].rename(columns={
            "date": t("col.date"), "forum": t("col.forum"), "status_text": t("col.status"),
            "items": t("col.items"), "decisions": t("col.decisions")}), hide_index=True, key="past_meetings")
