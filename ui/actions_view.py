"""The action register's lists: the views (all, own organisation, overdue, by area, board by status), the table with
single-row selection, the keyboard picker, the board's cards and the CSV/XLSX export of exactly what is listed.

Which action is open lives in st.session_state[PICK_KEY] (an action id or None); the table, the picker, the board's
buttons and a ?action=ID link all set it.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_layer import audit
from data_layer.action_edits import ActionConflict, ActionError, next_statuses
from data_layer.db import session_scope
from data_layer.exports import frame_csv, frame_xlsx
from data_layer.models import ACTION_STATUSES
from data_layer.queries import action_register as reg
from data_layer.queries import actions as q
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope
from ui import export_notes, state
from ui.formatting import escape_markdown, fmt_date, fmt_int
from ui.i18n import t
from ui.tables import overdue_style

VIEWS = ("all", "own", "overdue", "area", "board")
VIEW_KEY = "actions_view"
PICK_KEY = "actions_pick"
TABLE_KEY = "actions_table"
FLASH_KEY = "_actions_flash"
_IDS_KEY = "_actions_table_ids"
_LINK_SEEN = "_actions_link_seen"
_PICK_NEXT = "_actions_pick_next"
OWN_FIRST_ROLES = ("medlem", "analytiker")  # area managers and police liaisons open their organisation's first
BOARD_CARDS = 8  # cards per board column; the rest are in the table views
BOARD_HEIGHT = 640  # px: about three and a half cards
PRIORITIES = (1, 2, 3)


# --- messages that survive the rerun after a write -------------------------------------------------------------

def flash(kind: str, text: str) -> None:
    """Keep a message (success/warning/error/info) to show at the top on the next run."""
    st.session_state[FLASH_KEY] = (kind, text)


def show_flash() -> None:
    """Show (once) the message the last write left."""
    kind, text = st.session_state.pop(FLASH_KEY, (None, None))
    if kind:
        getattr(st, kind)(text)


# --- which action is open -------------------------------------------------------------------------------------

def request_pick(action_id: int) -> None:
    """Open `action_id` on the next run (the picker widget may already be drawn in this one)."""
    st.session_state[_PICK_NEXT] = int(action_id)


def follow_link() -> None:
    """Apply a requested pick, and let a ?action=ID link open that action once (later picks are not undone by the
    link staying in the address). Call before the picker is drawn."""
    if _PICK_NEXT in st.session_state:
        st.session_state[PICK_KEY] = st.session_state.pop(_PICK_NEXT)
    value = st.query_params.get("action")
    if value and value != st.session_state.get(_LINK_SEEN):
        st.session_state[_LINK_SEEN] = value
        if value.isdigit():
            st.session_state[PICK_KEY] = int(value)


def picked() -> int | None:
    """The open action's id, or None."""
    value = st.session_state.get(PICK_KEY)
    return int(value) if value is not None else None


def _pick(action_id: int) -> None:
    st.session_state[PICK_KEY] = int(action_id)


def _picked_from_table() -> None:
    rows = st.session_state[TABLE_KEY]["selection"]["rows"]
    ids = st.session_state.get(_IDS_KEY, [])
    if rows and rows[0] < len(ids):
        _pick(ids[rows[0]])


# --- the list ----------------------------------------------------------------------------------------------------

def default_view(role: str) -> str:
    """The view a role opens first: its own organisation's actions for members and analysts, else all."""
    return "own" if role in OWN_FIRST_ROLES else "all"


def choose_view(scope: Scope) -> tuple[str, bool]:
    """The view radio and the open-only toggle (keyboard usable); returns (view, open_only)."""
    if VIEW_KEY not in st.session_state:
        st.session_state[VIEW_KEY] = default_view(scope.role)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    view = left.radio(t("actions.view"), VIEWS, key=VIEW_KEY, horizontal=True,
                      format_func=lambda v: t(f"actions.view_{v}"))
    open_only = right.toggle(t("actions.open_only"), key="actions_open_only")
    return view, open_only


def load(flt: IncidentFilter, view: str, *, open_only: bool) -> pd.DataFrame:
    """The actions of a view (sidebar areas in SQL, sidebar categories on the few rows), with responsible person,
    editability and days overdue."""
    today = state.today()
    actions = state.query(q.actions_list, flt=flt, today=today, own_org_only=view == "own", open_only=open_only)
    extras = state.query(reg.action_extras)
    df = actions.merge(extras, on="id", how="left")
    df["can_edit"] = df["can_edit"].fillna(False).astype(bool)
    if flt.category_codes:
        wanted = set(flt.category_codes)
        df = df[df["categories"].map(lambda s: bool(wanted & set(s.split(","))))]
    if view == "overdue":
        df = df[df["overdue"]]
    df = df.assign(days_late=[(today - _as_date(d)).days if o else None for d, o in zip(df["due_date"], df["overdue"])])
    if view == "area":
        df = df.assign(_area=df["area_name"].fillna("\uffff")).sort_values(
            ["_area", "overdue", "due_date"], ascending=[True, False, True], na_position="last").drop(columns="_area")
    return df.reset_index(drop=True)


def _as_date(value) -> date | None:
    if value is None or (not isinstance(value, (str, date)) and pd.isna(value)):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def caption(df: pd.DataFrame, lang: str) -> None:
    """How many actions, how many overdue, and what the sidebar limits."""
    st.caption(t("actions.caption", n=fmt_int(len(df), lang), overdue=fmt_int(int(df["overdue"].sum()), lang),
                 today=fmt_date(state.today(), lang)) + " " + t("actions.filters_apply"))


def readable(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The list with Swedish (or English) column names and values: what the table shows and the exports hold."""
    labels = state.category_labels(lang)
    priority = {p: t(f"actions.priority_{p}") for p in PRIORITIES}
    return pd.DataFrame({
        t("col.title"): df["title"],
        t("col.status"): df["status"].map(lambda s: t(f"status.{s}")),
        t("actions.col_priority"): df["priority"].map(lambda p: priority.get(int(p), str(p))),
        t("col.owner"): df["owner_org_name"],
        t("actions.col_responsible"): df["responsible_name"].fillna("–"),
        t("col.area"): df["area_name"].fillna("–"),
        t("actions.col_start"): df["start_date"].map(lambda d: fmt_date(_as_date(d), lang) if _as_date(d) else "–"),
        t("col.due"): df["due_date"].map(lambda d: fmt_date(_as_date(d), lang) if _as_date(d) else "–"),
        t("col.overdue"): df["overdue"].map(lambda o: t("actions.overdue") if o else ""),
        t("actions.col_days_late"): pd.array([None if n is None or pd.isna(n) else int(n) for n in df["days_late"]],
                                             dtype="Int64"),
        t("col.targets"): df["categories"].map(lambda s: ", ".join(labels.get(c, c) for c in s.split(",") if c)),
    })


def area_summary(df: pd.DataFrame, lang: str) -> None:
    """Per area: open, overdue and finished actions (counts of the rows listed)."""
    area = df["area_name"].fillna(t("actions.no_area"))
    summary = pd.DataFrame({
        t("col.area"): area,
        "open": df["status"].isin(q.OPEN_STATUSES).astype(int),
        "overdue": df["overdue"].astype(int),
        "done": (df["status"] == "klar").astype(int),
    }).groupby(t("col.area"), sort=True).sum().reset_index()
    summary.columns = [t("col.area"), t("actions.col_open"), t("actions.col_overdue_n"), t("actions.col_done")]
    st.dataframe(summary, hide_index=True, key="actions_area_summary", alt=t("actions.area_alt"))


def table(df: pd.DataFrame, lang: str) -> None:
    """The list as one table; overdue rows are marked by text and a light background; choosing a row opens it."""
    shown = readable(df, lang)
    st.session_state[_IDS_KEY] = [int(i) for i in df["id"]]
    marked = [t("col.due"), t("col.overdue"), t("actions.col_days_late")]
    st.dataframe(shown.style.apply(overdue_style(df["overdue"].tolist()), axis=0, subset=marked),
                 hide_index=True, key=TABLE_KEY, on_select=_picked_from_table, selection_mode="single-row",
                 alt=t("actions.alt"))
    st.caption(t("actions.table_hint"))


def picker(df: pd.DataFrame) -> None:
    """A keyboard-usable selectbox of the listed actions (the open one stays listed even when filtered away)."""
    titles = dict(zip((int(i) for i in df["id"]), df["title"]))
    overdue = set(int(i) for i in df.loc[df["overdue"], "id"])
    options = list(titles)
    current = picked()
    if current is not None and current not in titles:
        options.insert(0, current)
    st.selectbox(t("actions.pick"), options, key=PICK_KEY, index=None, placeholder=t("actions.pick_placeholder"),
                 format_func=lambda i: (f"{titles.get(i, t('actions.pick_other', id=i))}"
                                        + (f" ({t('actions.overdue')})" if i in overdue else "")))


# --- the board ---------------------------------------------------------------------------------------------------

def _move(action_id: int, version: int, status: str) -> None:
    """Board button: move the card one step on, under the version shown; a conflict is reported, never swallowed."""
    try:
        state.update_action(action_id=action_id, seen_version=version, changes={"status": status})
    except ActionConflict as err:
        flash("warning", t("actions.board_conflict") + " " + "; ".join(c.describe() for c in err.changes))
    except ActionError as err:
        flash("error", str(err))
    else:
        flash("success", t("actions.board_moved", status=t(f"status.{status}")))


def board(df: pd.DataFrame, lang: str) -> None:
    """Columns by status with one card per action (overdue first); every card opens the action, and an open card the
    user may edit has a button moving it one step on."""
    columns = st.columns(len(ACTION_STATUSES))
    for col, status in zip(columns, ACTION_STATUSES):
        cards = df[df["status"] == status]
        if status not in q.OPEN_STATUSES:  # finished: the latest first (open ones keep overdue first, then due date)
            cards = cards.sort_values("updated_at", ascending=False, na_position="last")
        col.markdown(f"**{t(f'status.{status}')}** ({fmt_int(len(cards), lang)})")
        # Long columns scroll inside a fixed height, so the chosen action's details stay close below the board.
        body = col.container(height=BOARD_HEIGHT, border=False) if len(cards) > 3 else col
        for row in cards.head(BOARD_CARDS).itertuples():
            _card(body, row, lang)
        if len(cards) > BOARD_CARDS:
            body.caption(t("actions.board_more", n=fmt_int(len(cards) - BOARD_CARDS, lang)))
        if cards.empty:
            col.caption(t("actions.board_empty"))


def _card(col, row, lang: str) -> None:
    box = col.container(border=True)
    box.button(escape_markdown(row.title), key=f"board_open_{row.id}", on_click=_pick, args=(int(row.id),),
               type="tertiary", help=t("actions.board_open_help"), use_container_width=True)
    due = _as_date(row.due_date)
    lines = [row.owner_org_name]
    if due:
        lines.append(t("actions.board_due", date=fmt_date(due, lang)))
    box.caption(escape_markdown(" · ".join(lines)))
    if row.overdue:
        box.markdown(f":material/warning: **{t('actions.board_late', days=fmt_int(row.days_late, lang))}**")
    steps = [s for s in next_statuses(row.status) if s != "avbruten"]
    if row.can_edit and steps:
        box.button(t("actions.board_move", status=t(f"status.{steps[0]}")), key=f"board_move_{row.id}",
                   on_click=_move, args=(int(row.id), int(row.version), steps[0]), icon=":material/arrow_forward:")


# --- exports -----------------------------------------------------------------------------------------------------

def exports(df: pd.DataFrame, scope: Scope, view: str, lang: str, flt: IncidentFilter) -> None:
    """CSV and XLSX of exactly the listed actions (formula-like cells defused), for roles that may export."""
    if not scope.can("action", "export") or df.empty:
        return
    table_ = readable(df, lang)
    name = f"atgarder_{view}_{state.today().isoformat()}"
    notes = export_notes.notes_for(flt, scope, lang, period=t("export.as_of", day=fmt_date(state.today(), lang)),
                                   extra=(f"{t('export.view')}: {view}",))

    # The data callables run on click outside the script run (no session state): capture who and where now.
    user, engine = state.current_user(), state.engine()

    def build(kind: str, write):
        def data() -> bytes:
            _audit_export(engine, user, f"action list {kind}: view={view}; rows={len(table_)}")
            return write()
        return data

    hint = t("actions.export_help", n=fmt_int(len(df), lang))
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("actions.export_csv"), help=hint, data=build("csv", lambda: frame_csv(table_, notes=notes)),
                         file_name=f"{name}.csv", mime="text/csv", key="actions_export_csv",
                         icon=":material/download:")
    right.download_button(t("actions.export_xlsx"), help=hint,
                          data=build("xlsx", lambda: frame_xlsx(table_, sheet_name=t("actions.title"),
                                                                notes=notes)),
                          file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key="actions_export_xlsx", icon=":material/download:")


def _audit_export(engine, user, detail: str) -> None:
    """One audit row for an export by `user` (structured facts only)."""
    with session_scope(engine) as session:
        audit.record(session, event="export", user_id=user.scope.user_id, username=user.username,
                     organisation_id=user.scope.organisation_id, object_type="action", detail=detail)
