"""The shared sidebar filters, kept in the URL (keys from, to, areas, categories, sources), and the language picker."""
from __future__ import annotations

from datetime import date

import streamlit as st

from analysis.periods import default_period
from data_layer.queries.filters import IncidentFilter
from ui import state
from ui.i18n import LANGUAGES, current_language, t


def language_selector() -> str:
    """The language picker (key lang, bound to the URL); returns the chosen language code."""
    st.sidebar.selectbox(t("filters.language"), options=list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
                         bind="query-params")
    return current_language()


def _codes(value) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()))


def _code_multiselect(container, key: str, label: str, names: dict[str, str]) -> list[str]:
    """A multiselect of codes shown by name, kept in the URL as codes (?areas=a&areas=b) whatever the language.

    Streamlit's bind="query-params" would put the shown labels in the URL, which change with the language, so the
    code lists are synced by hand: seeded from the URL once per session, written back on every run.
    """
    if key not in st.session_state:
        st.session_state[key] = [c for c in dict.fromkeys(st.query_params.get_all(key)) if c in names]
    else:  # options can change (a new area): drop codes that no longer exist
        st.session_state[key] = [c for c in st.session_state[key] if c in names]
    chosen = container.multiselect(label, options=list(names), format_func=lambda c: names.get(c, c), key=key,
                                   placeholder=t("filters.all"))
    if chosen:
        st.query_params[key] = chosen
    elif key in st.query_params:
        del st.query_params[key]
    return chosen


def sidebar_filters(today: date) -> IncidentFilter:
    """Render the period and code filters in the sidebar and return them as an IncidentFilter."""
    lang = current_language()
    default_start, default_end = default_period(today)
    sb = st.sidebar
    sb.subheader(t("filters.heading"))
    start = sb.date_input(t("filters.from"), value=default_start, key="from", format="YYYY-MM-DD",
                          bind="query-params")
    end = sb.date_input(t("filters.to"), value=default_end, key="to", format="YYYY-MM-DD", bind="query-params")
    areas = state.areas()
    chosen_areas = _code_multiselect(sb, "areas", t("filters.areas"), dict(zip(areas["code"], areas["name"])))
    chosen_categories = _code_multiselect(sb, "categories", t("filters.categories"), state.category_labels(lang))
    chosen_sources = _code_multiselect(sb, "sources", t("filters.sources"), state.organisation_names())
    start = start or default_start
    end = end or default_end
    if start > end:
        sb.warning(t("filters.swapped"))
        start, end = end, start
    return IncidentFilter(start=start, end=end, area_codes=_codes(chosen_areas),
                          category_codes=_codes(chosen_categories), source_codes=_codes(chosen_sources))


def current_filter() -> IncidentFilter:
    """The filter rendered by app.py in this run (pages read it from here)."""
    return st.session_state["_incident_filter"]


def remember(flt: IncidentFilter) -> None:
    """Keep this run's filter for the pages."""
    st.session_state["_incident_filter"] = flt
