"""Editing an action under optimistic locking: the form remembers the version (and values) the user saw when it was
opened, sends only the fields the user changed, and on a conflict shows who changed what since, keeps the user's
input and offers to re-apply it on the current version or to reload.

Session state: OPENED_KEY holds {action_id, version, values, gen} of the open form (values in update_action's form);
widget keys carry `gen`, so a reload or a save starts fresh widgets while a conflict keeps the user's input.
CONFLICT_KEY holds the refused edit ({action_id, current_version, lines, changes, note}) until it is re-applied or
dropped.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_layer.action_edits import (ActionConflict, ActionError, MAX_TITLE, next_statuses,
                                     statuses_needing_note)
from data_layer.scope import ACTION_EDIT_ANY_ROLES, Scope
from ui import action_detail, state
from ui.actions_view import PRIORITIES, flash
from ui.formatting import escape_markdown
from ui.i18n import t

OPENED_KEY = "_action_form_opened"
CONFLICT_KEY = "_action_form_conflict"
_GEN_KEY = "_action_form_gen"
FIELDS = ("title", "description", "status", "priority", "owner_org_id", "responsible_user_id", "start_date",
          "due_date", "category_codes", "area_code")


def _as_date(value) -> date | None:
    if value is None or (not isinstance(value, (str, date)) and pd.isna(value)):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _optional_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def values_of(row: pd.Series) -> dict:
    """The editable fields of an action_detail row, in the form update_action compares them."""
    return {
        "title": row["title"], "description": row["description"] if isinstance(row["description"], str) else None,
        "status": row["status"], "priority": int(row["priority"]), "owner_org_id": int(row["owner_org_id"]),
        "responsible_user_id": _optional_int(row["responsible_user_id"]),
        "start_date": _as_date(row["start_date"]), "due_date": _as_date(row["due_date"]),
        "category_codes": sorted(row["category_codes"]),
        "area_code": row["area_code"] if isinstance(row["area_code"], str) else None,
    }


def changed_fields(seen: dict, wanted: dict) -> dict:
    """The fields whose wanted value differs from the value the user saw (empty text counts as no value)."""
    def norm(name, value):
        if isinstance(value, str):
            value = value.strip() or None
        if name == "category_codes":
            value = sorted(value or [])
        return value
    return {name: norm(name, wanted[name]) for name in wanted if norm(name, wanted[name]) != norm(name, seen[name])}


def _reset() -> None:
    """Forget the open form (and its conflict): the next run opens it afresh from the stored action."""
    st.session_state.pop(OPENED_KEY, None)
    st.session_state.pop(CONFLICT_KEY, None)
    st.session_state[_GEN_KEY] = st.session_state.get(_GEN_KEY, 0) + 1


def _opened(row: pd.Series) -> dict:
    """The open form for this action, opened now (version and values as stored) if another action was open."""
    opened = st.session_state.get(OPENED_KEY)
    if opened is None or opened["action_id"] != int(row["id"]):
        st.session_state.pop(CONFLICT_KEY, None)
        opened = st.session_state[OPENED_KEY] = {
            "action_id": int(row["id"]), "version": int(row["version"]), "values": values_of(row),
            "gen": st.session_state.get(_GEN_KEY, 0)}
    return opened


def edit_section(row: pd.Series, scope: Scope, lang: str) -> None:
    """The edit form, or a message saying why this user may not edit this action."""
    st.markdown(f"**{t('actions.edit_heading')}**")
    if not scope.can("action", "edit"):
        st.info(t("actions.edit_role_cannot", role=t(f"role.{scope.role}")), icon=":material/lock:")
        return
    if not bool(row["can_edit"]):
        st.info(t("actions.edit_not_yours", owner=row["owner_org_name"]), icon=":material/lock:")
        return
    opened = _opened(row)
    conflict = st.session_state.get(CONFLICT_KEY)
    if conflict and conflict["action_id"] == opened["action_id"]:
        _conflict_box(conflict)
    _form(opened, scope, lang)


def _form(opened: dict, scope: Scope, lang: str) -> None:
    seen, aid = opened["values"], opened["action_id"]
    key = f"actform_{aid}_{opened['gen']}"
    people = action_detail.people()
    orgs = action_detail.organisation_names()
    areas = state.area_names()
    labels = state.category_labels(lang)
    needing_note = statuses_needing_note(seen["status"])
    statuses = [seen["status"], *next_statuses(seen["status"]), *needing_note]
    with st.form(key, border=True):
        title = st.text_input(t("actions.f_title"), value=seen["title"], max_chars=MAX_TITLE, key=f"{key}_title")
        description = st.text_area(t("actions.f_description"), value=seen["description"] or "", height=100,
                                   key=f"{key}_description")
        left, right = st.columns(2)
        status = left.selectbox(
            t("actions.f_status"), statuses, key=f"{key}_status",
            format_func=lambda s: t(f"status.{s}") + (f" ({t('actions.needs_note')})" if s in needing_note else ""),
            help=t("actions.f_status_help"))
        priority = right.selectbox(t("actions.col_priority"), PRIORITIES, index=PRIORITIES.index(seen["priority"])
                                   if seen["priority"] in PRIORITIES else 1, key=f"{key}_priority",
                                   format_func=lambda p: t(f"actions.priority_{p}"))
        responsible_options = [None, *people] + ([seen["responsible_user_id"]] if seen["responsible_user_id"]
                                                 not in people and seen["responsible_user_id"] is not None else [])
        responsible = left.selectbox(t("actions.col_responsible"), responsible_options,
                                     index=responsible_options.index(seen["responsible_user_id"]),
                                     key=f"{key}_responsible",
                                     format_func=lambda i: t("actions.nobody") if i is None else people.get(i, f"#{i}"))
        owner = seen["owner_org_id"]
        if scope.role in ACTION_EDIT_ANY_ROLES:
            org_ids = list(orgs) if owner in orgs else [owner, *orgs]
            owner = right.selectbox(t("col.owner"), org_ids, index=org_ids.index(seen["owner_org_id"]),
                                    key=f"{key}_owner", format_func=lambda i: orgs.get(i, f"#{i}"))
        start = left.date_input(t("actions.col_start"), value=seen["start_date"], format="YYYY-MM-DD",
                                key=f"{key}_start")
        due = right.date_input(t("col.due"), value=seen["due_date"], format="YYYY-MM-DD", key=f"{key}_due")
        area_options = [None, *areas]
        area = left.selectbox(t("col.area"), area_options, key=f"{key}_area",
                              index=area_options.index(seen["area_code"]) if seen["area_code"] in areas else 0,
                              format_func=lambda c: t("actions.no_area") if c is None else areas.get(c, c))
        categories = right.multiselect(t("col.targets"), list(labels),
                                       default=[c for c in seen["category_codes"] if c in labels],
                                       key=f"{key}_categories", format_func=lambda c: labels.get(c, c))
        note = st.text_area(t("actions.f_note"), key=f"{key}_note", height=80, help=t("actions.f_note_help"))
        submitted = st.form_submit_button(t("actions.save"), type="primary", icon=":material/save:")
    if not submitted:
        return
    wanted = dict(title=title, description=description, status=status, priority=priority, owner_org_id=owner,
                  responsible_user_id=responsible, start_date=start, due_date=due, category_codes=categories,
                  area_code=area)
    changes = changed_fields(seen, wanted)
    note = note.strip() or None
    if not changes and not note:
        st.info(t("actions.nothing_to_save"))
        return
    _save(aid, opened["version"], changes, note)


def _save(action_id: int, version: int, changes: dict, note: str | None) -> None:
    """Write the edit under `version`; on success reopen the form afresh, on a conflict keep everything and say so."""
    try:
        if changes:
            new_version = state.update_action(action_id=action_id, seen_version=version, changes=changes, note=note)
        else:
            state.add_action_note(action_id=action_id, note=note)
            new_version = version
    except ActionConflict as err:
        st.session_state[CONFLICT_KEY] = {
            "action_id": action_id, "current_version": err.current_version, "seen_version": err.seen_version,
            "lines": [c.describe() for c in err.changes], "changes": changes, "note": note}
        st.rerun()
    except ActionError as err:  # validation or permission: the message names the field; the input stays
        st.error(str(err), icon=":material/error:")
        return
    _reset()
    flash("success", t("actions.saved", version=new_version) if changes else t("actions.note_saved"))
    st.rerun()


def _conflict_box(conflict: dict) -> None:
    """Who changed what since the user opened the form, and the two ways on: re-apply my edit, or reload."""
    lines = "\n".join(f"- {line}" for line in conflict["lines"]) or f"- {t('actions.conflict_unknown')}"
    st.warning(t("actions.conflict", seen=conflict["seen_version"], current=conflict["current_version"]) + "\n\n"
               + _escape_lines(lines) + "\n\n" + t("actions.conflict_choice"), icon=":material/sync_problem:")
    left, right = st.columns(2)
    if left.button(t("actions.overwrite"), key="action_conflict_overwrite", type="primary"):
        _save(conflict["action_id"], conflict["current_version"], conflict["changes"], conflict["note"])
    if right.button(t("actions.reload"), key="action_conflict_reload"):
        _reset()
        st.rerun()


def _escape_lines(text: str) -> str:
    """Names and titles in the conflict lines are text, not markup (keep the list dashes)."""
    return "\n".join("- " + escape_markdown(line[2:]) if line.startswith("- ") else escape_markdown(line)
                     for line in text.split("\n"))
