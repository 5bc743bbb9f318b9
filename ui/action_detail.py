"""One action's facts and its history (who, when, what changed, notes), read through the scoped queries."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer.action_edits import FIELD_LABELS
from data_layer.queries import action_register as reg
from data_layer.queries import actions as q
from ui import state
from ui.formatting import escape_markdown, fmt_date, fmt_datetime
from ui.i18n import t

PRIORITY_KEYS = {1: "actions.priority_1", 2: "actions.priority_2", 3: "actions.priority_3"}


def load(action_id: int) -> pd.Series | None:
    """The action's row from action_detail (None when it does not exist or the user may not read it)."""
    df = state.query(q.action_detail, action_id=int(action_id))
    return None if df.empty else df.iloc[0]


def people() -> dict[int, str]:
    """{user id: "Name (Organisation)"} of the people an action can be given to."""
    df = state.query(reg.responsible_choices)
    return {int(i): f"{n} ({o})" for i, n, o in zip(df["id"], df["display_name"], df["org_name"])}


def _date(value, lang: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    return fmt_date(pd.Timestamp(value).date(), lang)


def facts(row: pd.Series, lang: str) -> None:
    """Title, status, owner, responsible, place, dates, targets and description (free text shown as text)."""
    st.subheader(escape_markdown(row["title"]), anchor=False)
    labels = state.category_labels(lang)
    areas = state.area_names()
    targets = ", ".join(labels.get(c, c) for c in row["category_codes"]) or "–"
    where = areas.get(row["area_code"], row["area_code"]) if isinstance(row["area_code"], str) else "–"
    if row["h3_cells"]:
        where += " · " + t("actions.cells_n", n=len(row["h3_cells"]))
    elif not state.scope().can("action", "precise_location"):  # place and cells blanked by the query
        where += " · " + t("actions.place_hidden")
    lines = [
        (t("col.status"), t(f"status.{row['status']}")),
        (t("actions.col_priority"), t(PRIORITY_KEYS.get(int(row["priority"]), "actions.priority_2"))),
        (t("col.owner"), row["owner_org_name"]),
        (t("actions.col_responsible"), row["responsible_name"] if isinstance(row["responsible_name"], str) else "–"),
        (t("col.area"), where),
        (t("actions.col_start"), _date(row["start_date"], lang)),
        (t("col.due"), _date(row["due_date"], lang)),
        (t("col.targets"), targets),
        (t("actions.version"), str(int(row["version"]))),
    ]
    st.markdown("  \n".join(f"**{escape_markdown(k)}:** {escape_markdown(v)}" for k, v in lines))
    due = None if _date(row["due_date"], lang) == "–" else pd.Timestamp(row["due_date"]).date()
    if due is not None and due < state.today() and row["status"] in q.OPEN_STATUSES:
        st.markdown(f":material/warning: **{t('actions.facts_late', days=(state.today() - due).days)}**")
    if isinstance(row["description"], str) and row["description"].strip():
        st.text(row["description"])
    elif not state.scope().can("action", "free_text"):  # the query blanks the description for this role
        st.caption(t("col.description") + ": " + t("role.hidden"))


def _value(field: str, value, lang: str, names: dict[str, dict]) -> str:
    """A history value as a person reads it: status and category labels, area and people names, dates."""
    if value is None or value == [] or value == "":
        return "–"
    if field == "status":
        return t(f"status.{value}")
    if field == "priority":
        return t(PRIORITY_KEYS.get(int(value), "actions.priority_2"))
    if field == "category_codes":
        return ", ".join(names["categories"].get(c, c) for c in value)
    if field == "area_code":
        return names["areas"].get(value, value)
    if field == "responsible_user_id":
        return names["people"].get(int(value), f"#{value}")
    if field == "owner_org_id":
        return names["orgs"].get(int(value), f"#{value}")
    if field == "h3_cells":
        return t("actions.cells_n", n=len(value))
    if field in ("start_date", "due_date"):
        return _date(value, lang)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def describe_changes(changes: dict, lang: str, names: dict[str, dict]) -> str:
    """"Status: Beslutad → Pågår; Klart senast: … → …" for one history row."""
    parts = []
    for field, pair in changes.items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        label = FIELD_LABELS.get(field, field)
        if old is None and new is None:  # action_history blanks values the role may not see
            parts.append(f"{label}: {t('role.hidden')}")
        elif field == "description":
            parts.append(t("actions.history_description_changed"))
        elif old in (None, [], ""):
            parts.append(f"{label}: {_value(field, new, lang, names)}")
        else:
            parts.append(f"{label}: {_value(field, old, lang, names)} → {_value(field, new, lang, names)}")
    return "; ".join(parts)


def history(action_id: int, lang: str) -> None:
    """The action's updates, newest first, as a table."""
    st.markdown(f"**{t('actions.history_heading')}**")
    df = state.query(q.action_history, action_id=int(action_id))
    if df.empty:
        st.caption(t("actions.history_none"))
        return
    names = {"categories": state.category_labels(lang), "areas": state.area_names(), "people": people_names(),
             "orgs": organisation_names()}
    df = df.iloc[::-1]
    shown = pd.DataFrame({
        t("col.when"): [fmt_datetime(ts, lang) for ts in df["at"]],
        t("actions.col_who"): [f"{n} ({o})" if isinstance(o, str) else (n or t("actions.unknown_user"))
                               for n, o in zip(df["user_name"], df["org"])],
        t("actions.col_what"): [t(f"actions.kind_{k}") for k in df["kind"]],
        t("actions.col_changes"): [describe_changes(c, lang, names) for c in df["changes"]],
        t("actions.col_note"): df["note"].fillna("" if state.scope().can("action", "free_text") else "–"),
    })
    st.dataframe(shown, hide_index=True, key="action_history_table", alt=t("actions.history_alt"))


def people_names() -> dict[int, str]:
    """{user id: display name} for the history (people who can hold actions)."""
    df = state.query(reg.responsible_choices)
    return {int(i): n for i, n in zip(df["id"], df["display_name"])}


def organisation_names() -> dict[int, str]:
    """{organisation id: name}."""
    df = state.query(reg.organisation_choices)
    return {int(i): n for i, n in zip(df["id"], df["name"])}
