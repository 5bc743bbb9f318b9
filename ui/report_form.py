"""The reporter's phone form, piece by piece: big tap targets, time, place (map or lists), description, assessment.

The draft lives in st.session_state under report_* keys (widgets persist for the whole session), so a rerun, a
filter change or a visit to another page never loses what the reporter typed; only a successful save clears it.
The map itself (which areas or cells to draw, and the deck) is ui/report_map.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

import pandas as pd
import streamlit as st

from analysis.periods import STOCKHOLM
from data_layer.personal_data import personal_data_kinds
from data_layer.queries.incidents import MAX_DESCRIPTION
from ui import report_map as rm
from ui.formatting import escape_markdown, fmt_datetime
from ui.i18n import t

# Draft keys: the widgets' keys plus the picked cell (REPORT_POINT) and the text awaiting "Skicka ändå".
CATEGORY, WHEN, DAY, TIME = "report_category", "report_when", "report_day", "report_time"
FROM_DAY, FROM_TIME, TO_DAY, TO_TIME = "report_from_day", "report_from_time", "report_to_day", "report_to_time"
AREA, PLACE, POINT = "report_area", "report_place", "report_point"
DESCRIPTION, ASSESSMENT = "report_description", "report_assessment"
PENDING, FLASH, SAVED = "report_pending_text", "report_flash", "report_saved"
DRAFT_KEYS = (CATEGORY, WHEN, DAY, TIME, FROM_DAY, FROM_TIME, TO_DAY, TO_TIME, AREA, PLACE, POINT, DESCRIPTION,
              ASSESSMENT, PENDING)
DRAFT_DEFAULTS = {CATEGORY: None, WHEN: "nu", AREA: None, PLACE: None, POINT: None, DESCRIPTION: "",
                  ASSESSMENT: None}  # the date and time widgets are simply dropped: they start from "now" again
WHEN_OPTIONS = ("nu", "vid", "mellan")
STATUS_KEYS = {"pågår": "report.status_ongoing", "beslutad": "report.status_decided",
               "föreslagen": "report.status_proposed"}

# Tap targets of at least 44 px (WCAG 2.5.5) for everything inside the form, bigger for the send button. Constant
# CSS only: no data ever reaches this markup.
_STYLE = """<style>
.st-key-report_form button { min-height: 48px; min-width: 48px; }
.st-key-report_form button p { font-size: 1rem; }
.st-key-report_form [data-baseweb="select"] > div, .st-key-report_form [data-baseweb="input"] { min-height: 48px; }
.st-key-report_submit button, .st-key-report_confirm button { min-height: 56px; }
.st-key-report_submit button p, .st-key-report_confirm button p { font-size: 1.125rem; font-weight: 600; }
</style>"""


def inject_style() -> None:
    """Add the form's tap-target CSS (constant markup, no data)."""
    st.html(_STYLE)


def timing(when: str, *, now: datetime, day: date | None, at: time | None, from_day: date | None,
           from_time: time | None, to_day: date | None, to_time: time | None) -> tuple[datetime, datetime | None]:
    """(occurred_at, occurred_to) in Europe/Stockholm for the chosen time mode ("nu", "vid", "mellan")."""
    if when == "vid" and day and at:
        return datetime.combine(day, at, STOCKHOLM), None
    if when == "mellan" and from_day and from_time and to_day and to_time:
        return datetime.combine(from_day, from_time, STOCKHOLM), datetime.combine(to_day, to_time, STOCKHOLM)
    return now, None


def _stamp(moment) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp if stamp.tzinfo is not None else stamp.tz_localize("UTC")  # the store keeps UTC


def when_text(start, end, lang: str) -> str:
    """'24 nov 2026 21:31', or a window: '24 nov 2026 20:00–21:30' (one day) / '… 23:00 – 25 nov 2026 01:00'."""
    if end is None or pd.isna(end):
        return fmt_datetime(start, lang)
    start_local, end_local = (_stamp(x).tz_convert(STOCKHOLM) for x in (start, end))
    if start_local.date() == end_local.date():
        return f"{fmt_datetime(start_local, lang)}\u2013{end_local:%H:%M}"
    return t("report.between", start=fmt_datetime(start_local, lang), end=fmt_datetime(end_local, lang))


def join_words(words: list[str], conjunction: str) -> str:
    """'a', 'a och b', 'a, b och c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


# --- state changes (callbacks run before the script, so they may set other widgets' values) -----------------------

@dataclass(frozen=True)
class Location:
    """What the form will save as the place: exactly one of a point, a named place or an area (or nothing)."""

    kind: str  # point | place | area | none
    area_code: str | None = None
    place_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    cell: str | None = None

    def create_kwargs(self) -> dict:
        """Keyword arguments for create_incident: only the one way of giving the place that was chosen."""
        if self.kind == "point":
            return {"lat": self.lat, "lon": self.lon}
        if self.kind == "place":
            return {"place_id": self.place_id}
        if self.kind == "area":
            return {"area_code": self.area_code}
        return {}


def current_location() -> Location:
    """The draft's place: a picked cell beats a named place, which beats an area."""
    ss = st.session_state
    cell, place, area = ss.get(POINT), ss.get(PLACE), ss.get(AREA)
    if cell:
        lat, lon = rm.cell_centre(cell)
        return Location("point", area_code=area, lat=lat, lon=lon, cell=cell)
    if place is not None:
        return Location("place", area_code=area, place_id=int(place))
    if area:
        return Location("area", area_code=area)
    return Location("none")


def _on_area_change(place_areas: dict[int, str]) -> None:
    ss = st.session_state
    ss[POINT] = None
    if ss.get(PLACE) is not None and place_areas.get(int(ss[PLACE])) != ss.get(AREA):
        ss[PLACE] = None


def _on_place_change(place_areas: dict[int, str]) -> None:
    ss = st.session_state
    ss[POINT] = None
    if ss.get(PLACE) is not None and place_areas.get(int(ss[PLACE])):
        ss[AREA] = place_areas[int(ss[PLACE])]


def _on_map_select(map_key: str, place_areas: dict[int, str]) -> None:
    """Apply a tap on the map: an area zooms in, a cell becomes the point, a named place is chosen."""
    ss = st.session_state
    objects = (ss.get(map_key) or {}).get("selection", {}).get("objects", {})
    if objects.get("cells"):
        ss[POINT] = objects["cells"][0].get("cell")
        ss[PLACE] = None
    elif objects.get("places"):
        place_id = int(objects["places"][0]["id"])
        ss[PLACE], ss[POINT] = place_id, None
        ss[AREA] = place_areas.get(place_id, ss.get(AREA))
    elif objects.get("areas"):
        picked = objects["areas"][0]
        code = (picked.get("properties") or {}).get("code") or picked.get("code")
        if code:
            ss[AREA], ss[PLACE], ss[POINT] = code, None, None


def _clear_point() -> None:
    st.session_state[POINT] = None


def _show_all_areas() -> None:
    ss = st.session_state
    ss[AREA], ss[PLACE], ss[POINT] = None, None, None


def mark_saved(message: str) -> None:
    """Remember that the draft was saved: the next run starts a fresh one and shows `message` (call st.rerun after)."""
    st.session_state[SAVED] = True
    st.session_state[FLASH] = message


def reset_if_saved() -> None:
    """At the top of a run, before any widget: after a save, put every draft widget back to its default.

    Widgets' values live in the browser too, so deleting their keys is not enough; assigning the defaults
    before they render is what replaces the browser's values.
    """
    ss = st.session_state
    if not ss.pop(SAVED, False):
        return
    for key, value in DRAFT_DEFAULTS.items():
        ss[key] = value
    for key in DRAFT_KEYS:
        if key not in DRAFT_DEFAULTS:
            ss.pop(key, None)


# --- widgets -------------------------------------------------------------------------------------------------------

def category_picker(labels: dict[str, str]) -> str | None:
    """Categories as big pills; the chosen one is filled in the primary colour."""
    return st.pills(t("report.category"), list(labels), format_func=labels.get, key=CATEGORY,
                    persist_state="session", width="stretch")


def time_picker(now: datetime) -> tuple[datetime, datetime | None]:
    """'Nu' (default), a moment, or a window; returns (occurred_at, occurred_to) in Europe/Stockholm."""
    labels = {"nu": t("report.when_now"), "vid": t("report.when_at"), "mellan": t("report.when_between")}
    st.session_state.setdefault(WHEN, "nu")  # rather than default=: reset_if_saved assigns it too
    when = st.segmented_control(t("report.when"), WHEN_OPTIONS, format_func=labels.get, required=True, key=WHEN,
                                persist_state="session", width="stretch")
    today = now.date()
    rounded = (now - timedelta(minutes=now.minute % 5)).time().replace(second=0, microsecond=0)
    earlier = (now - timedelta(hours=1, minutes=now.minute % 5)).replace(second=0, microsecond=0)
    values = {}
    if when == "vid":
        left, right = st.columns(2, wrap=False)
        values["day"] = left.date_input(t("report.date"), value=today, max_value=today, format="YYYY-MM-DD", key=DAY,
                                        persist_state="session")
        values["at"] = right.time_input(t("report.time"), value=rounded, step=300, key=TIME, persist_state="session")
    elif when == "mellan":
        left, right = st.columns(2, wrap=False)
        values["from_day"] = left.date_input(t("report.from_date"), value=earlier.date(), max_value=today,
                                             format="YYYY-MM-DD", key=FROM_DAY, persist_state="session")
        values["from_time"] = right.time_input(t("report.from_time"), value=earlier.time(), step=300, key=FROM_TIME,
                                               persist_state="session")
        left, right = st.columns(2, wrap=False)
        values["to_day"] = left.date_input(t("report.to_date"), value=today, max_value=today, format="YYYY-MM-DD",
                                           key=TO_DAY, persist_state="session")
        values["to_time"] = right.time_input(t("report.to_time"), value=rounded, step=300, key=TO_TIME,
                                             persist_state="session")
    return timing(when or "nu", now=now, **{k: values.get(k) for k in
                                            ("day", "at", "from_day", "from_time", "to_day", "to_time")})


def _map(areas: pd.DataFrame, places: pd.DataFrame, place_areas: dict[int, str], *,
         map_provider: str | None) -> None:
    """The map part of the place picker, with its instructions (also its text alternative)."""
    ss = st.session_state
    area = ss.get(AREA)
    by_code = areas.set_index("code")
    area_row = None
    if area in by_code.index and rm.geometry_of(by_code.loc[area, "geometry"]) is not None:
        area_row = {**by_code.loc[area].to_dict(), "code": area}
    cells = None
    if area_row is None:
        tap_areas = rm.leaf_areas(areas)
        help_text = t("report.map_help_all")
    else:
        tap_areas = rm.leaf_areas(areas, within=area)
        tap_areas = tap_areas[tap_areas["code"] != area]
        if len(tap_areas):
            help_text = t("report.map_help_parts", area=area_row["name"])
        else:
            cells = rm.area_cells(rm.geometry_of(area_row["geometry"]))
            help_text = (t("report.map_help_cells", area=area_row["name"], metres=rm.accuracy_m(cells[0])) if cells
                         else t("report.map_too_big", area=area_row["name"]))
    if area_row is None and not len(tap_areas):
        return  # no area has a geometry: there is nothing to draw, the lists below do the job
    shown_places = places[places["area_code"] == area] if area_row is not None and not len(tap_areas) else places[:0]
    # A new key whenever the choice changes: the chart starts without Streamlit's own selection styling (which
    # dims everything else and would keep showing a tapped cell after a place was chosen in the list instead).
    choice = "_".join(str(v) for v in (area_row["code"] if area_row is not None else "all", ss.get(POINT) or "",
                                       ss.get(PLACE) or "") if v != "")
    key = f"report_map_{choice}"
    deck = rm.report_deck(tap_areas=tap_areas, area_row=area_row, cells=cells, places=shown_places,
                       picked=ss.get(POINT), picked_place=ss.get(PLACE), map_provider=map_provider)
    st.caption(help_text)
    st.pydeck_chart(deck, key=key, on_select=partial(_on_map_select, key, place_areas),
                    selection_mode="single-object", height=rm.MAP_HEIGHT, alt=help_text)
    if area_row is not None:
        st.button(t("report.map_all"), key="report_show_all", icon=":material/zoom_out_map:", type="tertiary",
                  on_click=_show_all_areas)


def location_picker(areas: pd.DataFrame, places: pd.DataFrame, *, map_provider: str | None) -> Location:
    """Three ways to say where, any one is enough: tap the map, pick a named place, or pick an area."""
    ss = st.session_state
    st.markdown(f"**{t('report.where')}**")
    place_areas = {int(i): a for i, a in zip(places["id"], places["area_code"]) if isinstance(a, str)}
    _map(areas, places, place_areas, map_provider=map_provider)
    leaves = rm.leaf_areas(areas)
    ordered = pd.concat([leaves, areas[~areas["code"].isin(leaves["code"])]])
    names = dict(zip(ordered["code"], ordered["name"]))
    st.selectbox(t("report.area"), list(names), format_func=names.get, index=None, placeholder=t("report.choose"),
                 key=AREA, on_change=_on_area_change, args=(place_areas,), persist_state="session")
    area = ss.get(AREA)
    listed = places[places["area_code"] == area] if area else places
    place_names = {int(r.id): (f"{r.name} ({names[r.area_code]})" if r.area_code in names and not area else r.name)
                   for r in listed.itertuples()}
    if ss.get(PLACE) is not None and int(ss[PLACE]) not in place_names:
        ss[PLACE] = None
    st.selectbox(t("report.place"), list(place_names), format_func=place_names.get, index=None,
                 placeholder=t("report.optional"), key=PLACE, on_change=_on_place_change, args=(place_areas,),
                 persist_state="session")
    location = current_location()
    _location_summary(location, names, {int(i): n for i, n in zip(places["id"], places["name"])})
    return location


def _location_summary(location: Location, area_names: dict[str, str], place_names: dict[int, str]) -> None:
    area = escape_markdown(area_names.get(location.area_code, "")) if location.area_code else ""
    if location.kind == "point":
        metres = rm.accuracy_m(location.cell)
        text = (t("report.chosen_point", area=area, metres=metres) if area
                else t("report.chosen_point_nowhere", metres=metres))
        st.success(text, icon=":material/location_on:")
        st.button(t("report.clear_point"), key="report_clear_point", icon=":material/close:", on_click=_clear_point)
    elif location.kind == "place":
        st.success(t("report.chosen_place", place=escape_markdown(place_names.get(location.place_id, "")), area=area),
                   icon=":material/location_on:")
    elif location.kind == "area":
        st.success(t("report.chosen_area", area=area), icon=":material/location_on:")
    else:
        st.caption(t("report.chosen_none"))


def description_field() -> tuple[str, list[str]]:
    """The short description and the kinds of personal data it seems to hold, with a warning (not a block)."""
    text = st.text_area(t("report.description"), max_chars=MAX_DESCRIPTION, key=DESCRIPTION, height=110,
                        placeholder=t("report.description_placeholder"), persist_state="session") or ""
    st.caption(t("report.description_help"))
    kinds = personal_data_kinds(text)
    if kinds:
        st.warning(t("report.pii_warning", what=pii_phrase(kinds)), icon=":material/privacy_tip:")
    return text, kinds


def pii_phrase(kinds: list[str]) -> str:
    """'ett telefonnummer och ett registreringsnummer' in the session's language."""
    return join_words([t(f"report.pii.{kind}") for kind in kinds], t("report.and"))


def assessment_picker() -> int | None:
    """The reporter's own assessment 1–3 as three big segments (optional)."""
    return st.segmented_control(t("report.assessment"), (1, 2, 3), format_func=lambda v: t(f"report.assessment_{v}"),
                                key=ASSESSMENT, persist_state="session", width="stretch")


# --- my reports ----------------------------------------------------------------------------------------------------

def status_text(action_title, action_status) -> str:
    """'Mottagen', or which open action in the report's area answers it."""
    if not isinstance(action_title, str) or not action_title:
        return t("report.status_received")
    return t(STATUS_KEYS.get(action_status, "report.status_ongoing"), title=action_title)


def my_reports(mine: pd.DataFrame, labels: dict[str, str], lang: str, *, first: int = 5) -> None:
    """The reporter's latest reports as compact cards (the first few open, the rest behind an expander): what,
    when, where, the text as written and the status."""
    if mine.empty:
        st.caption(t("report.mine_none"))
        return
    rows = list(mine.itertuples())
    for row in rows[:first]:
        _report_card(row, labels, lang)
    if len(rows) > first:
        with st.expander(t("report.mine_more", n=len(rows) - first)):
            for row in rows[first:]:
                _report_card(row, labels, lang)


def _report_card(row, labels: dict[str, str], lang: str) -> None:
    with st.container(border=True, key=f"report_card_{int(row.id)}", gap="xsmall"):
        when = when_text(row.occurred_at, row.occurred_to, lang)
        where = ", ".join(str(p) for p in (row.place_name, row.area_name) if isinstance(p, str) and p)
        lines = [f"**{escape_markdown(labels.get(row.category_code, row.category_code))}**",
                 escape_markdown(" · ".join(part for part in (when, where) if part))]
        if isinstance(row.description, str) and row.description:
            lines.append(escape_markdown(row.description))
        st.markdown("  \n".join(lines))
        received = not (isinstance(row.action_title, str) and row.action_title)
        icon = ":material/inbox:" if received else ":material/construction:"
        title = escape_markdown(row.action_title) if not received else None  # the title is free text
        st.caption(f"{icon} {status_text(title, row.action_status)}")
