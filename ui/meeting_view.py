"""Meeting mode's screen: pick or start a meeting, the generated agenda with links, minutes and decisions per item,
closing (freezing) it, and a closed meeting's frozen figures next to what the data says now. Free text is shown
with st.text or escaped markdown, never as markup; writes go through ui/state.meeting_write."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from data_layer.action_edits import ActionError
from data_layer.event_edits import EVENT_KINDS, EventError, events_from
from data_layer import suppression
from data_layer.meeting_agenda import agenda_frame, published_body
from data_layer.meeting_edits import MeetingError, prefill_action
from data_layer.queries import meetings as q
from ui import state
from ui.formatting import escape_markdown, fmt_date, fmt_datetime
from ui.i18n import t

ERRORS = (MeetingError, ActionError, EventError)
_FLASH = "meeting_flash"


def write(name: str, done: str | None = None, **kwargs):
    """Run one write; on refusal show its Swedish message, on success remember `done` for the next run and rerun."""
    try:
        result = state.meeting_write(name, **kwargs)
    except ERRORS as err:
        st.error(str(err))
        return None
    if done:
        st.session_state[_FLASH] = done if not isinstance(result, tuple) or result[1] is None else \
            t("meeting.decided_action", id=result[1])
    st.rerun()


def flash() -> None:
    """Show the message the last write left (once)."""
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message)


def pick_meeting(meetings: pd.DataFrame, today: date, lang: str) -> int | None:
    """The meeting select box; defaults to the first open meeting on or after today, else the latest."""
    if meetings.empty:
        return None
    ids = [int(i) for i in meetings["id"]]
    labels = {int(r.id): t("meeting.pick_option", date=fmt_date(r.held_on, lang), forum=r.forum,
                           status=t(f"meeting_status.{r.status}")) for r in meetings.itertuples()}
    upcoming = meetings[(meetings["held_on"] >= today) | (meetings["status"] != "avslutat")].sort_values("held_on")
    default = int(upcoming["id"].iloc[0]) if len(upcoming) else ids[0]
    if st.session_state.get("meeting_pick") not in ids:
        st.session_state["meeting_pick"] = default
    return st.selectbox(t("meeting.pick"), ids, format_func=labels.get, key="meeting_pick")


def start_form(meetings: pd.DataFrame, today: date) -> None:
    """Start a meeting: forum, date, participants; the agenda is written from the data at once."""
    orgs = state.query(q.organisation_choices)
    with st.expander(t("meeting.start"), expanded=meetings.empty), st.form("meeting_start", border=False):
        forum = st.text_input(t("meeting.forum"), value=meetings["forum"].iloc[0] if len(meetings) else "",
                              key="meeting_forum")
        held_on = st.date_input(t("meeting.date"), value=today, format="YYYY-MM-DD", key="meeting_date")
        chosen = st.multiselect(t("meeting.participants"), list(orgs["code"]),
                                format_func=dict(zip(orgs["code"], orgs["name"])).get, key="meeting_participants")
        if st.form_submit_button(t("meeting.start_submit"), type="primary", key="meeting_start_submit"):
            try:
                mid = state.meeting_write("start_meeting", forum=forum, held_on=held_on, participants=list(chosen))
                state.meeting_write("generate_agenda", meeting_id=mid, today=today)
            except ERRORS as err:
                st.error(str(err))
                return
            st.session_state["meeting_pick"] = mid
            st.session_state[_FLASH] = t("meeting.saved")
            st.rerun()


def _since(meeting: pd.Series) -> date | None:
    snap = json.loads(meeting["snapshot"]) if isinstance(meeting["snapshot"], str) else {}
    return date.fromisoformat(snap["since"]) if snap.get("since") else None


def shown_body(kind: str, body, item_id, link, snap: dict | None = None):
    """An item's text as this viewer may read it: for roles not shown small counts, the counting items written again
    from the stored figures with those counts hidden (data_layer.meeting_agenda.published_body)."""
    limit = suppression.threshold(state.scope())
    if limit <= 1:
        return body
    if snap is None:
        detail = state.query(q.meeting_detail, meeting_id=st.session_state.get("meeting_pick"))
        raw = detail["snapshot"].iloc[0] if len(detail) else None
        snap = json.loads(raw) if isinstance(raw, str) else {}
    known = item_id is not None and item_id == item_id
    figures = (snap.get("figures") or {}).get(str(int(item_id))) if known else None
    return published_body(kind, body if isinstance(body, str) else None, figures, link=link if isinstance(link, str)
                          else None, labels=state.category_labels("sv"), threshold=limit)


def item_card(item, decisions: pd.DataFrame, *, editable: bool, first: bool, last: bool, lang: str) -> None:
    """One agenda item: number, title, kind, body as plain text, the view link, minutes, decisions and the editors."""
    with st.container(border=True):
        head, link = st.columns([5, 1])
        head.markdown(f"**{int(item.position)}. {escape_markdown(item.title)}**")
        head.caption(t(f"agenda_kind.{item.kind}", default=item.kind))
        if isinstance(item.link, str) and item.link.startswith("/"):
            link.markdown(f"[{t('meeting.open_view')}]({item.link.replace(')', '%29').replace(' ', '%20')})")
        body = shown_body(item.kind, item.body, item.id, item.link)
        if isinstance(body, str) and body:
            st.text(body)
        if not editable and isinstance(item.minutes, str) and item.minutes:
            st.caption(t("meeting.minutes"))
            st.text(item.minutes)
        elif not state.scope().can("meeting", "free_text"):  # agenda_items blanks bodies and minutes in SQL
            st.caption(t("meeting.notes_hidden"))
        for d in decisions[decisions["agenda_item_id"] == item.id].itertuples():
            st.text(t("meeting.decision_line", text=d.text))
            if d.action_id == d.action_id and d.action_id is not None and isinstance(d.action_title, str):
                st.caption(t("meeting.decision_action", id=int(d.action_id), title=escape_markdown(d.action_title),
                             owner=escape_markdown(d.action_owner), status=d.action_status, due=fmt_date(d.action_due, lang)
                             if d.action_due is not None and d.action_due == d.action_due else "–"))
        if editable:
            _item_editors(item, first=first, last=last)


def _item_editors(item, *, first: bool, last: bool) -> None:
    iid = int(item.id)
    minutes = st.text_area(t("meeting.item_minutes"), value=item.minutes if isinstance(item.minutes, str) else "",
                           key=f"minutes_{iid}", height=80)
    if st.button(t("meeting.save_minutes"), key=f"minutes_save_{iid}"):
        write("record_minutes", t("meeting.saved"), item_id=iid, minutes=minutes)
    with st.expander(t("meeting.decision")):
        _decision_form(iid, item.title)
    with st.expander(t("meeting.edit_item")):
        with st.form(f"edit_{iid}", border=False):
            title = st.text_input(t("meeting.item_title"), value=item.title, key=f"item_title_{iid}")
            body = st.text_area(t("meeting.item_body"), value=item.body if isinstance(item.body, str) else "",
                                key=f"item_body_{iid}", height=150)
            if st.form_submit_button(t("meeting.save"), key=f"item_save_{iid}"):
                write("edit_item", t("meeting.saved"), item_id=iid, title=title, body=body)
        row = st.columns(3)
        if row[0].button(t("meeting.up"), key=f"up_{iid}", disabled=first):
            write("move_item", item_id=iid, step=-1)
        if row[1].button(t("meeting.down"), key=f"down_{iid}", disabled=last):
            write("move_item", item_id=iid, step=1)
        if row[2].button(t("meeting.delete_item"), key=f"delete_{iid}"):
            write("delete_item", t("meeting.saved"), item_id=iid)


def _decision_form(item_id: int, title: str) -> None:
    """Decision text; ticked, the decision becomes an action with owner, due date and place/area prefilled."""
    prefill = prefill_action(state.engine(), item_id=item_id)
    orgs = state.query(q.organisation_choices)
    own = state.scope().organisation_id
    areas = state.areas()
    area_codes = [""] + list(areas["code"])
    with st.form(f"decision_{item_id}", border=False):
        text = st.text_area(t("meeting.decision_text"), key=f"dec_text_{item_id}", height=80)
        make = st.checkbox(t("meeting.make_action"), value=True, key=f"dec_action_{item_id}")
        action_title = st.text_input(t("meeting.action_title"), value=prefill.get("title", title),
                                     key=f"dec_title_{item_id}")
        cols = st.columns(3)
        ids = [int(i) for i in orgs["id"]]
        owner = cols[0].selectbox(t("meeting.action_owner"), ids, index=ids.index(own) if own in ids else 0,
                                  format_func=dict(zip(orgs["id"].astype(int), orgs["name"])).get,
                                  key=f"dec_owner_{item_id}")
        due = cols[1].date_input(t("meeting.action_due"), value=state.today() + timedelta(days=28),
                                 format="YYYY-MM-DD", key=f"dec_due_{item_id}")
        default_area = prefill.get("area_code") or ""
        area = cols[2].selectbox(t("meeting.action_area"), area_codes,
                                 index=area_codes.index(default_area) if default_area in area_codes else 0,
                                 format_func=lambda c: dict(zip(areas["code"], areas["name"])).get(c, "–"),
                                 key=f"dec_area_{item_id}")
        if st.form_submit_button(t("meeting.record_decision"), type="primary", key=f"dec_submit_{item_id}"):
            action = None
            if make:
                action = {k: v for k, v in prefill.items() if k in ("place_id", "h3_cells", "category_codes")}
                action.update(title=action_title or text[:300], owner_org_id=owner, due_date=due,
                              area_code=area or None, start_date=min(state.today(), due))
            meeting_id = st.session_state.get("meeting_pick")
            write("record_decision", t("meeting.decided"), meeting_id=meeting_id, agenda_item_id=item_id,
                   text=text, make_action=action)


def frozen_vs_now(meeting: pd.Series, today: date, lang: str) -> None:
    """A closed meeting: each frozen item (as shown then) next to what the same item says on today's data."""
    snap = json.loads(meeting["snapshot"]) if isinstance(meeting["snapshot"], str) else {}
    st.info(t("meeting.closed_info", when=fmt_datetime(meeting["closed_at"], lang)))
    now = state.query(agenda_frame, today=today, since=_since(meeting) or today - timedelta(days=13),
                      meeting_day=today)
    now_by_kind = {r.kind: r for r in now.itertuples()}
    for frozen in snap.get("items", []):
        with st.container(border=True):
            st.markdown(f"**{int(frozen['position'])}. {escape_markdown(frozen['title'])}**")
            then_col, now_col = st.columns(2)
            then_col.caption(t("meeting.frozen"))
            then_col.text(shown_body(frozen.get("kind", ""), frozen.get("body"), frozen.get("id"), frozen.get("link"),
                                     {"figures": {str(frozen.get("id")): frozen.get("figures") or {}}}) or "–")
            if frozen.get("minutes"):
                then_col.caption(t("meeting.minutes"))
                then_col.text(frozen["minutes"])
            elif not state.scope().can("meeting", "free_text"):  # meeting_detail strips the frozen texts
                then_col.caption(t("meeting.notes_hidden"))
            for d in snap.get("decisions", []):
                if d.get("agenda_item_id") == frozen["id"]:
                    then_col.text(t("meeting.decision_line", text=d["text"]))
            current = now_by_kind.get(frozen["kind"])
            now_col.caption(t("meeting.now"))
            now_col.text(current.body if current is not None and isinstance(current.body, str) else "–")


def events_register(today: date, *, editable: bool, lang: str) -> None:
    """The coming events with add and delete (kind, day, time, place)."""
    with st.expander(t("meeting.events")):
        events = state.query(events_from, start=datetime.combine(today, time(0)))
        if len(events):
            st.dataframe(events.assign(when=events["starts_at"].map(lambda v: fmt_datetime(v, lang)))[
                ["when", "title", "kind", "place_name", "area_code"]].rename(columns={
                    "when": t("meeting.event_day"), "title": t("meeting.event_title"), "kind": t("meeting.event_kind"),
                    "place_name": t("meeting.event_place"), "area_code": t("meeting.action_area")}),
                hide_index=True, key="meeting_events")
        if not editable:
            return
        places = state.report_places()
        with st.form("event_add", border=False):
            cols = st.columns([3, 2, 2, 1, 3])
            title = cols[0].text_input(t("meeting.event_title"), key="event_title")
            kind = cols[1].selectbox(t("meeting.event_kind"), EVENT_KINDS, key="event_kind")
            day = cols[2].date_input(t("meeting.event_day"), value=today + timedelta(days=7), format="YYYY-MM-DD",
                                     key="event_day")
            at = cols[3].time_input(t("meeting.event_time"), value=time(18, 0), key="event_time")
            place = cols[4].selectbox(t("meeting.event_place"), list(places["id"].astype(int)),
                                      format_func=dict(zip(places["id"].astype(int), places["name"])).get,
                                      key="event_place")
            if st.form_submit_button(t("meeting.event_add"), key="event_add_submit"):
                write("add_event", t("meeting.saved"), title=title, kind=kind,
                       starts_at=datetime.combine(day, at), place_id=place)
        if len(events):
            ids = [int(i) for i in events["id"]]
            names = {int(r.id): f"{fmt_datetime(r.starts_at, lang)} {r.title}" for r in events.itertuples()}
            chosen = st.selectbox(t("meeting.event_pick"), ids, format_func=names.get, key="event_pick")
            if st.button(t("meeting.event_delete"), key="event_delete"):
                write("delete_event", t("meeting.saved"), event_id=chosen)
