"""Rapportera: the reporter's phone form (one column), then the reporter's own latest reports."""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from analysis.periods import STOCKHOLM
from data_layer.queries import incidents as q
from data_layer.queries.incidents import MAX_DESCRIPTION, ReportError
from ui import state
from ui.formatting import fmt_datetime
from ui.i18n import current_language, t
from ui.auth import require_login

require_login()

lang = current_language()
scope = state.scope()
st.title(t("report.title"))

if not scope.can("incident", "edit"):
    st.info(t("report.not_allowed"))
else:
    labels = state.category_labels(lang)
    areas = state.areas()
    area_names = dict(zip(areas["code"], areas["name"]))
    places = state.places()
    place_names = dict(zip(places["id"].astype(int), places["name"]))
    now = datetime.now(STOCKHOLM)
    with st.form("report_form", clear_on_submit=True):
        category = st.selectbox(t("report.category"), list(labels), format_func=labels.get, index=None,
                                placeholder=t("report.choose"), key="report_category")
        happened_now = st.checkbox(t("report.now"), value=True, key="report_now")
        day = st.date_input(t("report.date"), value=now.date(), max_value=now.date(), format="YYYY-MM-DD",
                            key="report_date")
        time_of_day = st.time_input(t("report.time"), value=now.time().replace(second=0, microsecond=0),
                                    key="report_time")
        area = st.selectbox(t("report.area"), list(area_names), format_func=area_names.get, index=None,
                            placeholder=t("report.choose"), key="report_area")
        place = st.selectbox(t("report.place"), list(place_names), format_func=place_names.get, index=None,
                             placeholder=t("report.optional"), key="report_place")
        description = st.text_area(t("report.description"), max_chars=MAX_DESCRIPTION, key="report_description",
                                   help=t("report.description_help"))
        assessment = st.radio(t("report.assessment"), (1, 2, 3), index=None, horizontal=True,
                              format_func=lambda v: t(f"report.assessment_{v}"), key="report_assessment")
        submitted = st.form_submit_button(t("report.submit"), type="primary", key="report_submit",
                                          width="stretch")
    if submitted:
        if category is None:
            st.error(t("report.need_category"))
        else:
            occurred = datetime.now(STOCKHOLM) if happened_now else datetime.combine(day, time_of_day, STOCKHOLM)
            try:
                state.create_incident(category_code=category, occurred_at=occurred, area_code=area,
                                      place_id=place, description=description, assessment=assessment)
            except ReportError as exc:
                st.error(str(exc))
            else:
                st.success(t("report.thanks"))

st.subheader(t("report.mine"))
mine = state.query(q.my_recent_reports, limit=20)
if mine.empty:
    st.caption(t("report.mine_none"))
else:
    labels = state.category_labels(lang)
    st.dataframe(mine.assign(
        when=mine["occurred_at"].map(lambda ts: fmt_datetime(ts, lang)),
        category=mine["category_code"].map(labels),
        area=mine["area_name"].fillna("–"),
    )[["when", "category", "area", "description"]].rename(columns={
        "when": t("col.when"), "category": t("col.category"), "area": t("col.area"),
        "description": t("col.description")}), hide_index=True, key="my_reports")
