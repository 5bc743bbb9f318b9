"""Data: what the store holds (counts only); for roles that may import: the import wizard, the batches with undo,
the category mapping per source and the import profiles."""
from __future__ import annotations

import streamlit as st

from data_layer.queries import incidents as q
from ui import state
from ui.auth import require_login
from ui.filters import current_filter
from ui.formatting import fmt_date, fmt_int
from ui.i18n import current_language, t
from ui.import_batches import render_batches
from ui.import_mappings import render_mappings
from ui.import_profiles import render_profiles
from ui.import_wizard import render_wizard

require_login()

lang = current_language()
flt = current_filter()
scope = state.scope()
st.title(t("data.title"))

summary = state.query(q.store_summary, flt=flt).iloc[0]
c1, c2, c3 = st.columns(3)
c1.metric(t("data.incidents"), fmt_int(summary["incidents"], lang))
c2.metric(t("data.sources"), fmt_int(summary["sources"], lang))
c3.metric(t("data.with_point"), fmt_int(summary["with_point"], lang))
st.caption(t("data.range", first=fmt_date(summary["first_date"], lang), last=fmt_date(summary["last_date"], lang),
             forms=fmt_int(summary["from_forms"], lang)))

c4, c5, c6 = st.columns(3)
c4.metric(t("data.areas"), fmt_int(len(state.areas()), lang))
c5.metric(t("data.categories"), fmt_int(len(state.categories()), lang))
c6.metric(t("data.organisations"), fmt_int(len(state.organisations()), lang))
info = state.store_info()
if info.get("demo") == "true":
    st.info(t("data.demo_store", seed=info.get("demo_seed", "–")))

can_edit = scope.can("import", "edit")
if not scope.can("import", "list"):
    st.caption(t("data.batches_not_allowed"))
elif not can_edit:
    st.subheader(t("data.batches"))
    render_batches(can_edit=False)
else:
    wizard_tab, batches_tab, mapping_tab, profiles_tab = st.tabs(
        [t("data.tab_import"), t("data.batches"), t("data.tab_mappings"), t("data.tab_profiles")], key="data_tabs")
    with wizard_tab:
        render_wizard(user_id=scope.user_id)
    with batches_tab:
        render_batches(can_edit=True)
    with mapping_tab:
        render_mappings()
    with profiles_tab:
        render_profiles(user_id=scope.user_id)
