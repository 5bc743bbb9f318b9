"""The "Rapporter" download section: the lägesbild of the current filter as PDF and Markdown, built on request
(data_layer/reports) as the logged-in user's scope sees it."""
from __future__ import annotations

import streamlit as st

from data_layer.queries.filters import IncidentFilter
from ui import state
from ui.i18n import t

_KEY = "report_downloads"


def render_downloads(flt: IncidentFilter, lang: str) -> None:
    """A small section: one button builds the lägesbild of `flt`, then PDF and Markdown download buttons."""
    from data_layer.reports.lagesbild import build_lagesbild
    from data_layer.reports.markdown import render_markdown
    from data_layer.reports.pdf import render_pdf

    st.subheader(t("reports.heading", lang=lang))
    st.caption(t("reports.caption", lang=lang))
    user = state.current_user()
    built = st.session_state.get(_KEY)
    if built is not None and built[0] != (flt, user.scope if user else None):
        built = None  # the filter or the user changed: the old files no longer match
    if st.button(t("reports.build", lang=lang), icon=":material/description:", key=f"{_KEY}_build"):
        doc = build_lagesbild(state.engine(), scope=state.scope(), flt=flt, by=user.display_name if user else "")
        built = ((flt, user.scope if user else None), render_pdf(doc), render_markdown(doc, image_dir="embed"))
        st.session_state[_KEY] = built
    if built is None:
        return
    stem = f"lagesbild-{flt.start.isoformat()}-{flt.end.isoformat()}"
    cols = st.columns(2)
    cols[0].download_button(t("reports.pdf", lang=lang), data=built[1], file_name=f"{stem}.pdf", mime="application/pdf",
                            icon=":material/picture_as_pdf:", key=f"{_KEY}_pdf")
    cols[1].download_button(t("reports.md", lang=lang), data=built[2].encode("utf-8"), file_name=f"{stem}.md",
                            mime="text/markdown", icon=":material/article:", key=f"{_KEY}_md")
