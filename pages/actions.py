"""Åtgärder: the action register with owner organisation, status and due date; overdue actions first and marked."""
from __future__ import annotations

import streamlit as st

from data_layer.queries import actions as q
from ui import state
from ui.filters import current_filter
from ui.formatting import fmt_date, fmt_int
from ui.i18n import current_language, t
from ui.tables import overdue_style
from ui.auth import require_login

require_login()

lang = current_language()
flt = current_filter()
st.title(t("actions.title"))

own = st.toggle(t("actions.own_org"), key="actions_own_org")
open_only = st.toggle(t("actions.open_only"), key="actions_open_only")
actions = state.query(q.actions_list, flt=flt, today=state.today(), own_org_only=own, open_only=open_only)
if actions.empty:
    st.info(t("actions.none"))
    st.stop()

overdue = int(actions["overdue"].sum())
st.caption(t("actions.caption", n=fmt_int(len(actions), lang), overdue=fmt_int(overdue, lang),
             today=fmt_date(state.today(), lang)))
labels = state.category_labels(lang)
table = actions.assign(
    status_text=actions["status"].map(lambda s: t(f"status.{s}")),
    due=actions["due_date"].map(lambda d: fmt_date(d, lang) if d is not None and d == d else "–"),
    overdue_text=actions["overdue"].map(lambda o: t("actions.overdue") if o else ""),
    area=actions["area_name"].fillna("–"),
    targets=actions["categories"].map(lambda s: ", ".join(labels.get(c, c) for c in s.split(",") if c)),
)
columns = {"title": t("col.title"), "status_text": t("col.status"), "owner_org_name": t("col.owner"),
           "area": t("col.area"), "due": t("col.due"), "overdue_text": t("col.overdue"), "targets": t("col.targets")}
shown = table[list(columns)].rename(columns=columns).reset_index(drop=True)
st.dataframe(shown.style.apply(overdue_style(table["overdue"].tolist()), axis=0,
                               subset=[t("col.due"), t("col.overdue")]),
             hide_index=True, key="actions_table", alt=t("actions.alt"))
