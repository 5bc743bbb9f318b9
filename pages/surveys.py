"""Trygghetsmätningar: a measure (shipped index, own index or question) per area over waves with honest uncertainty,
perception against incidents per 1,000 residents, and residents' "unsafe here" places."""
from __future__ import annotations

import streamlit as st

from data_layer.queries import surveys as q
from ui import state, surveys_view as view
from ui.auth import require_login
from ui.filters import current_filter
from ui.i18n import current_language, t

require_login()

lang = current_language()
flt = current_filter()
st.title(t("surveys.title"))

catalogue = state.query(q.survey_question_catalogue)
if catalogue.empty:
    st.info(t("surveys.none"))
    st.stop()
definition, label = view.choose_measure(catalogue, lang)
raw, rows = view.measure_rows(definition, flt)

areas_tab, perception_tab, marks_tab, custom_tab = st.tabs(
    [t("surveys.tab_areas"), t("surveys.tab_perception"), t("surveys.tab_marks"), t("surveys.tab_custom")])
with areas_tab:
    view.areas_section(definition, label, raw, rows, lang)
with perception_tab:
    view.perception_section(definition, label, rows, flt, lang)
with marks_tab:
    view.marks_section(flt, lang)
with custom_tab:
    view.custom_section(catalogue)
