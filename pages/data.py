"""Data: what the store holds (counts only) and the latest import batches."""
from __future__ import annotations

import streamlit as st

from data_layer.queries import admin as admin_q
from data_layer.queries import incidents as q
from ui import state
from ui.filters import current_filter
from ui.formatting import fmt_date, fmt_datetime, fmt_int
from ui.i18n import current_language, t
from ui.auth import require_login

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

st.subheader(t("data.batches"))
if not scope.can("import", "list"):
    st.caption(t("data.batches_not_allowed"))
else:
    batches = state.query(admin_q.import_batches)
    if batches.empty:
        st.caption(t("data.batches_none"))
    else:
        st.dataframe(batches.assign(
            when=batches["created_at"].map(lambda ts: fmt_datetime(ts, lang)),
            undone=batches["undone_at"].map(lambda ts: "" if ts is None or ts != ts else fmt_datetime(ts, lang)),
        )[["when", "source_kind", "org_code", "file_name", "rows_accepted", "rows_rejected", "username", "undone"]]
            .rename(columns={"when": t("col.when"), "source_kind": t("col.source_kind"), "org_code": t("col.source"),
                             "file_name": t("col.file"), "rows_accepted": t("col.accepted"),
                             "rows_rejected": t("col.rejected"), "username": t("col.user"),
                             "undone": t("col.undone")}), hide_index=True, key="batches_table")
