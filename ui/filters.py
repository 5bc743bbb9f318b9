"""The shared sidebar filters, kept in the URL (keys from, to, areas, categories, sources), the period presets
(this week, last 14 days, month, tertial, … chosen in the sidebar, written into from/to), and the language picker.

The URL holds absolute dates only, so a shared link shows the same period to everyone; the preset shown is the
one whose dates match (or the one the user picked, while its dates still hold), else "custom".
"""
from __future__ import annotations

from datetime import date

import streamlit as st

from analysis.periods import (PRESETS, Period, default_period, infer_kind, matching_preset, preset_period,
                              tertial_of)
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.meetings import last_held_meeting
from ui import state
from ui.formatting import MONTHS, fmt_date
from ui.i18n import LANGUAGES, current_language, t

PERIOD_KEY = "period"


def language_selector() -> str:
    """The language picker (key lang, bound to the URL); returns the chosen language code."""
    # The bound URL value is the option's label ("English"); a link with the code (?lang=en) means the same.
    code = st.query_params.get("lang")
    if code in LANGUAGES:
        st.session_state["lang"] = code
        st.query_params["lang"] = LANGUAGES[code]
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


URL_KEYS = ("from", "to", "areas", "categories", "sources")
_URL_SEEN = "_filters_url_seen"


def _url_state() -> dict[str, tuple[str, ...]]:
    return {key: tuple(st.query_params.get_all(key)) for key in URL_KEYS}


def _url_date(values: tuple[str, ...]) -> date | None:
    try:
        return date.fromisoformat(values[0]) if values else None
    except ValueError:
        return None


def _follow_external_url() -> None:
    """A filter key the URL holds with another value than the last run left there was set from outside the widgets
    (a page link such as a headline card's, an edited address): the URL wins, so copy it into the widget's state
    before it is drawn (widgets otherwise keep their state across page switches and would undo the link). A key
    missing from the URL changes nothing: the sidebar's page links drop the code lists, which stay as they were."""
    seen, now = st.session_state.get(_URL_SEEN), _url_state()
    if seen is None or now == seen:
        return
    for key in ("areas", "categories", "sources"):
        if now[key] and now[key] != seen[key]:
            st.session_state[key] = list(dict.fromkeys(now[key]))
    for key in ("from", "to"):
        value = _url_date(now[key])
        if value is not None and now[key] != seen[key] and st.session_state.get(key) != value:
            st.session_state[key] = value


def last_meeting(today: date) -> date | None:
    """The date of the last meeting held (None without meeting rights or meetings)."""
    df = state.query(last_held_meeting, today=today)
    return None if df.empty else df["held_on"].iloc[0]


def preset_label(preset: str, today: date, meeting: date | None, lang: str) -> str:
    """A preset's name with what it means today: 'Denna vecka (v. 48)', 'Sedan förra mötet (24 nov)' …"""
    if preset in ("week", "last_week"):
        return t(f"period.{preset}", week=preset_period(preset, today).start.isocalendar().week)
    if preset == "month":
        return t("period.month", month=MONTHS[lang if lang in MONTHS else "sv"][today.month - 1])
    if preset == "tertial":
        return t("period.tertial", n=tertial_of(today))
    if preset == "year":
        return t("period.year", year=today.year)
    if preset == "since_meeting":
        return t("period.since_meeting", date=fmt_date(meeting, lang, year=False)) if meeting else \
            t("period.since_meeting_none")
    return t(f"period.{preset}")


def _apply_preset(today: date, meeting: date | None) -> None:
    """on_change of the preset box: write the preset's dates into the bound from/to widgets."""
    period = preset_period(st.session_state[PERIOD_KEY], today, last_meeting=meeting)
    if period is not None:
        st.session_state["from"], st.session_state["to"] = period.start, period.end


def _preset_box(container, start: date, end: date, today: date, meeting: date | None, lang: str) -> str:
    """The period preset selectbox (key period, not in the URL: its dates are); returns the preset shown."""
    chosen = st.session_state.get(PERIOD_KEY)
    if chosen != "custom":
        st.session_state[PERIOD_KEY] = matching_preset(start, end, today, last_meeting=meeting, prefer=chosen)
    options = [p for p in PRESETS if p != "since_meeting" or meeting is not None]
    if st.session_state[PERIOD_KEY] not in options:
        st.session_state[PERIOD_KEY] = "custom"
    return container.selectbox(t("period.label"), options=options, key=PERIOD_KEY,
                               format_func=lambda p: preset_label(p, today, meeting, lang),
                               on_change=_apply_preset, args=(today, meeting), help=t("period.help"))


def sidebar_filters(today: date) -> IncidentFilter:
    """Render the period preset, dates and code filters in the sidebar and return them as an IncidentFilter (the
    period's kind, which decides what it is compared with, is kept for current_period())."""
    lang = current_language()
    default_start, default_end = default_period(today)
    meeting = last_meeting(today)
    sb = st.sidebar
    sb.subheader(t("filters.heading"))
    preset_slot = sb.container()
    _follow_external_url()
    start = sb.date_input(t("filters.from"), value=default_start, key="from", format="YYYY-MM-DD",
                          bind="query-params")
    end = sb.date_input(t("filters.to"), value=default_end, key="to", format="YYYY-MM-DD", bind="query-params")
    start = start or default_start
    end = end or default_end
    if start > end:
        sb.warning(t("filters.swapped"))
        start, end = end, start
    preset = _preset_box(preset_slot, start, end, today, meeting, lang)
    chosen = preset_period(preset, today, last_meeting=meeting) if preset != "custom" else None
    st.session_state["_period"] = chosen or Period(start, end, infer_kind(start, end))
    areas = state.areas()
    chosen_areas = _code_multiselect(sb, "areas", t("filters.areas"), dict(zip(areas["code"], areas["name"])))
    chosen_categories = _code_multiselect(sb, "categories", t("filters.categories"), state.category_labels(lang))
    chosen_sources = _code_multiselect(sb, "sources", t("filters.sources"), state.organisation_names())
    st.session_state[_URL_SEEN] = _url_state()
    return IncidentFilter(start=start, end=end, area_codes=_codes(chosen_areas),
                          category_codes=_codes(chosen_categories), source_codes=_codes(chosen_sources))


def current_filter() -> IncidentFilter:
    """The filter rendered by app.py in this run (pages read it from here)."""
    return st.session_state["_incident_filter"]


def remember(flt: IncidentFilter) -> None:
    """Keep this run's filter for the pages."""
    st.session_state["_incident_filter"] = flt


def current_period() -> Period:
    """The period of this run with its kind (week | month | tertial | year | days), matching current_filter()."""
    flt = current_filter()
    period = st.session_state.get("_period")
    if period is None or (period.start, period.end) != (flt.start, flt.end):
        return Period(flt.start, flt.end, infer_kind(flt.start, flt.end))
    return period
