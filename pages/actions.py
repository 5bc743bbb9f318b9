"""Åtgärder: the action register. Views (all, own organisation, overdue, by area, board by status), the chosen
action's facts, edit form (optimistic locking), history and effect evaluation, a form for a new action, and exports."""
from __future__ import annotations

import streamlit as st

from ui import action_detail, action_effect, action_form, action_new
from ui import actions_view as view
from ui import state
from ui.auth import require_login
from ui.filters import current_filter
from ui.i18n import current_language, t

require_login()

lang = current_language()
flt = current_filter()
scope = state.scope()
st.title(t("actions.title"))
view.show_flash()
view.follow_link()
action_new.new_action_section(scope, lang, filter_categories=flt.category_codes)

mode, open_only = view.choose_view(scope)
actions = view.load(flt, mode, open_only=open_only)
view.caption(actions, lang)
if actions.empty:
    st.info(t("actions.none"))
elif mode == "board":
    view.board(actions, lang)
else:
    if mode == "area":
        view.area_summary(actions, lang)
    view.table(actions, lang)
view.exports(actions, scope, mode, lang, flt)

st.divider()
view.picker(actions)
action_id = view.picked()
row = action_detail.load(action_id) if action_id is not None else None
if action_id is not None and row is None:
    st.warning(t("actions.not_found"))
elif row is not None:
    action_detail.facts(row, lang)
    left, right = st.columns([1, 1], gap="large")
    with left:
        action_form.edit_section(row, scope, lang)
    with right:
        action_effect.effect_section(action_id, lang)
    action_detail.history(action_id, lang)
