"""Rapportera: the reporter's phone form (what, when, where, text, assessment), then the reporter's latest reports.

No st.form: each choice reruns at once, so the map can zoom to a tapped area and the personal-data warning shows as
soon as the text field is left. The draft stays in session_state until it is saved (see ui/report_form.py).
"""
from __future__ import annotations

from datetime import datetime

import streamlit as st

from analysis.periods import STOCKHOLM
from data_layer.queries import incidents as q
from data_layer.queries.incidents import ReportError
from ui import report_form as rf
from ui import state
from ui.auth import require_login
from ui.i18n import current_language, t
from ui.maps import basemap_provider

require_login()

lang = current_language()
scope = state.scope()
st.title(t("report.title"))


def save(payload: dict) -> None:
    """Store the draft; on success forget it and show the thanks above the reporter's list."""
    try:
        state.create_incident(**payload)
    except ReportError as exc:
        st.error(str(exc))
        return
    rf.mark_saved(t("report.thanks"))
    st.rerun()


if not scope.can("incident", "edit"):
    st.info(t("report.not_allowed"))
else:
    rf.reset_if_saved()
    rf.inject_style()
    labels = state.category_labels(lang)
    with st.container(key="report_form"):
        st.caption(t("report.intro"))
        category = rf.category_picker(labels)
        occurred_at, occurred_to = rf.time_picker(datetime.now(STOCKHOLM))
        location = rf.location_picker(state.areas(), state.report_places(), map_provider=basemap_provider())
        description, pii = rf.description_field()
        assessment = rf.assessment_picker()
        payload = dict(category_code=category, occurred_at=occurred_at, occurred_to=occurred_to,
                       description=description, assessment=assessment, **location.create_kwargs())
        if st.button(t("report.submit"), type="primary", width="stretch", key="report_submit",
                     icon=":material/send:"):
            if category is None:
                st.error(t("report.need_category"))
            elif location.kind == "none":
                st.error(t("report.need_place"))
            elif pii:
                st.session_state[rf.PENDING] = description  # ask once more before saving what looks personal
            else:
                save(payload)
        if pii and st.session_state.get(rf.PENDING) == description and category and location.kind != "none":
            with st.container(border=True, key="report_confirm_box"):
                st.warning(t("report.confirm", what=rf.pii_phrase(pii)), icon=":material/privacy_tip:")
                if st.button(t("report.send_anyway"), key="report_confirm", width="stretch"):
                    save(payload)

flash = st.session_state.pop(rf.FLASH, None)
if flash:
    st.toast(flash, icon=":material/check_circle:")  # seen wherever the reporter has scrolled to
    st.success(flash, icon=":material/check_circle:")
st.subheader(t("report.mine"))
rf.my_reports(state.query(q.my_recent_reports, limit=20), state.category_labels(lang), lang)
