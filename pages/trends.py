"""Trender: incidents per ISO week and category over the chosen period."""
from __future__ import annotations

import streamlit as st

from analysis.periods import complete_weekly
from data_layer.queries import incidents as q
from ui import state
from ui.charts import weekly_lines
from ui.filters import current_filter
from ui.formatting import fmt_date, fmt_int, fmt_range
from ui.i18n import current_language, t
from ui.auth import require_login

require_login()

TOP_CATEGORIES = 6
lang = current_language()
flt = current_filter()
st.title(t("trends.title"))
st.write(t("trends.intro", period=fmt_range(flt.start, flt.end, lang)))

series = complete_weekly(state.query(q.weekly_counts, flt=flt), flt.start, flt.end)
labels = state.category_labels(lang)
if series.empty:
    st.info(t("common.no_incidents"))
    st.stop()

totals = series.groupby("category_code")["count"].sum().sort_values(ascending=False)
weeks = series["week_start"].nunique()
st.caption(t("trends.caption", weeks=weeks, categories=len(totals), total=fmt_int(int(totals.sum()), lang),
             top=labels.get(totals.index[0], totals.index[0]), top_n=fmt_int(int(totals.iloc[0]), lang)))
if flt.start.weekday() != 0 or flt.end.weekday() != 6:
    st.caption(t("trends.partial_weeks"))
show_all = st.toggle(t("trends.top_only"), key="trends_all_categories")
shown = series if show_all else series[series["category_code"].isin(totals.index[:TOP_CATEGORIES])]
if not show_all and len(totals) > TOP_CATEGORIES:
    st.caption(t("trends.top_caption", n=TOP_CATEGORIES))
st.plotly_chart(weekly_lines(shown, labels), key="weekly_chart", theme=None, alt=t("trends.alt"))

with st.expander(t("common.show_table")):
    wide = series.assign(category=series["category_code"].map(labels).fillna(series["category_code"]),
                         week=series["week_start"].map(lambda d: fmt_date(d, lang)))
    table = wide.pivot_table(index=["week_start", "week"], columns="category", values="count", aggfunc="sum",
                             fill_value=0).reset_index(level=0, drop=True)
    st.dataframe(table, key="weekly_table")
