"""Lägesbild: the period against the one before, judged by a significance test, and who has reported."""
from __future__ import annotations

import streamlit as st

from analysis.change import INCREASE, NORMAL, compare_counts
from data_layer.queries import incidents as q
from ui import state
from ui.charts import coverage_bars
from ui.filters import current_filter
from ui.formatting import comparison_sentence, fmt_date, fmt_int, fmt_p, fmt_signed
from ui.i18n import current_language, t
from ui.tables import flag_style
from ui.auth import require_login

require_login()

lang = current_language()
flt = current_filter()
st.title(t("overview.title"))
st.subheader(comparison_sentence(flt.start, flt.end, lang))

head = state.query(q.headline, flt=flt).iloc[0]
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("overview.metric_current"), fmt_int(head["current"], lang),
          delta=fmt_signed(head["current"] - head["previous"], lang), delta_color="off",
          help=t("overview.metric_current_help"))
c2.metric(t("overview.metric_previous"), fmt_int(head["previous"], lang))
c3.metric(t("overview.metric_reporters"), fmt_int(head["active_reporters"], lang))
c4.metric(t("overview.metric_areas"), fmt_int(head["areas"], lang))

counts = state.query(q.counts_by_area_category, flt=flt)
compared = compare_counts(counts)
labels = state.category_labels(lang)
n_up = int((compared["flag"] == INCREASE).sum())
n_sig = int((compared["flag"] != NORMAL).sum())

st.subheader(t("overview.table_heading"))
st.caption(t("overview.table_caption", rows=fmt_int(len(compared), lang), significant=n_sig, up=n_up,
             down=n_sig - n_up))
table = compared.assign(
    area=compared["area_name"].fillna(t("common.unknown_area")),
    category=compared["category_code"].map(labels).fillna(compared["category_code"]),
    change=[fmt_signed(c - p, lang) for c, p in zip(compared["current"], compared["previous"])],
    p=[fmt_p(p, lang) for p in compared["p_value"]],
    verdict=compared["flag"].map(lambda f: t(f"change.{f}")),
).sort_values(["p_value", "area", "category"])
columns = {"area": t("col.area"), "category": t("col.category"), "current": t("col.current"),
           "previous": t("col.previous"), "change": t("col.change"), "p": t("col.p_value"),
           "verdict": t("col.verdict")}
shown = table[list(columns)].rename(columns=columns).reset_index(drop=True)
st.dataframe(shown.style.apply(flag_style(table["flag"].tolist()), axis=0, subset=[t("col.verdict")]),
             hide_index=True, key="overview_table", alt=t("overview.table_alt"))

st.subheader(t("overview.coverage_heading"))
coverage = state.query(q.coverage_by_source, flt=flt)
if coverage.empty:
    st.info(t("common.no_incidents"))
else:
    top = coverage.iloc[0]
    st.caption(t("overview.coverage_caption", sources=len(coverage), top=top["org_name"],
                 n=fmt_int(top["incidents"], lang)))
    st.plotly_chart(coverage_bars(coverage), key="coverage_chart", theme=None, alt=t("overview.coverage_alt"))
    with st.expander(t("common.show_table")):
        st.dataframe(coverage.assign(last_date=coverage["last_date"].map(lambda d: fmt_date(d, lang)))[
            ["org_name", "incidents", "reporters", "last_date"]].rename(columns={
                "org_name": t("col.source"), "incidents": t("col.incidents"), "reporters": t("col.reporters"),
                "last_date": t("col.last_date")}), hide_index=True)
