"""The map's side panel: what happened in the selected cell or area (by category and week), the incidents behind it
as far as the scope may read them, the actions there, and a form to propose one for that place."""
from __future__ import annotations

import json

import h3
import pandas as pd
import streamlit as st

from analysis.periods import week_of
from analysis.privacy import suppress_counts
from data_layer.action_edits import ActionError
from data_layer.queries import map as mq
from data_layer.queries.filters import IncidentFilter
from ui import map_data, state
from ui.formatting import fmt_date, fmt_int
from ui.i18n import t

SELECTION_KEY = "map_selection"
SEEN_KEY = "map_selection_seen"
PICK_KEY = "map_pick"
PANEL_WEEKS = 4  # the side column fits four week columns and the total
PANEL_INCIDENTS = 20
PICK_CELLS = 15


def remember_selection(event) -> None:
    """Keep what was clicked on the map (a cell, an area or an action) until something else is chosen.

    The chart reports its selection again on every rerun, so only a selection that differs from the last one seen
    counts as a new click (otherwise "Stäng" and the picker could never replace it)."""
    objects = getattr(getattr(event, "selection", None), "objects", None) or {}
    seen = json.dumps(objects, sort_keys=True, default=str)
    if seen == st.session_state.get(SEEN_KEY):
        return
    st.session_state[SEEN_KEY] = seen
    for layer, chosen in objects.items():
        if not chosen:
            continue
        obj = chosen[0]
        if layer == "hexagons" and obj.get("cell"):
            st.session_state[SELECTION_KEY] = {"kind": "cell", "cell": obj["cell"]}
        elif layer in ("areas", "area_events"):
            code = (obj.get("properties") or {}).get("code")
            if code:
                st.session_state[SELECTION_KEY] = {"kind": "area", "code": code}
        elif layer == "actions" and obj.get("id") is not None:
            st.session_state[SELECTION_KEY] = {"kind": "action", "id": int(obj["id"])}
        return


def _picked() -> None:
    value = st.session_state.get(PICK_KEY)
    if value:
        kind, _, ident = value.partition(":")
        st.session_state[SELECTION_KEY] = {"kind": "cell", "cell": ident} if kind == "cell" else \
            {"kind": "area", "code": ident}


def _picker(figures: map_data.CellFigures, lang: str, min_count: int) -> None:
    """The keyboard way in: choose one of the busiest cells or any area from a list."""
    names = state.area_names()
    cells = figures.cells[figures.cells["count"].fillna(0) > 0].head(PICK_CELLS)  # suppressed cells are small
    options = [*(f"cell:{c}" for c in cells["cell"]), *(f"area:{c}" for c in names)]
    counts = dict(zip(cells["cell"], cells["count"]))

    def label(value: str) -> str:
        kind, _, ident = value.partition(":")
        if kind == "cell":
            return f"{_cell_title(ident, lang)} ({map_data.published_count(counts.get(ident, 0), lang, min_count)})"
        return names.get(ident, ident)

    st.selectbox(t("map.panel_pick"), options, format_func=label, key=PICK_KEY, on_change=_picked, index=None,
                 placeholder=t("map.panel_pick_none", lang=lang))


def _places_in(cell: str) -> list[str]:
    places = state.report_places().dropna(subset=["lat", "lon"])
    res = h3.get_resolution(cell)
    return [name for name, lat, lon in zip(places["name"], places["lat"], places["lon"])
            if h3.latlng_to_cell(float(lat), float(lon), res) == cell]


def _cell_title(cell: str, lang: str) -> str:
    places = _places_in(cell)
    if places:
        return t("map.cell_named", places=", ".join(places[:2]), lang=lang)
    lat, lon = h3.cell_to_latlng(cell)
    area = state.query(mq.area_at, lat=round(lat, 6), lon=round(lon, 6))
    if len(area):
        return t("map.cell_in_area", area=area["name"].iloc[0], lang=lang)
    return f"{t('map.cell', lang=lang)} {cell}"


def render(shown: IncidentFilter, *, figures: map_data.CellFigures, resolution: int, lang: str,
           min_count: int = 1) -> None:
    """The panel for the current selection, or a hint and the keyboard picker when nothing is selected."""
    _picker(figures, lang, min_count)
    selection = st.session_state.get(SELECTION_KEY)
    if not selection:
        st.info(t("map.panel_hint"))
        return
    if st.button(t("map.panel_close"), key="map_panel_close"):
        st.session_state.pop(SELECTION_KEY, None)
        st.rerun(scope="fragment")
    if selection["kind"] == "action":
        _action_panel(shown, selection["id"], lang)
        return
    if selection["kind"] == "cell":
        cell = selection["cell"]
        # a cell chosen at another detail level: show it at its own resolution if we precompute that one
        res = h3.get_resolution(cell)
        if res not in mq.RESOLUTIONS:
            st.session_state.pop(SELECTION_KEY, None)
            st.info(t("map.panel_hint"))
            return
        title, where = _cell_title(cell, lang), {"cell": cell, "resolution": res}
        lat, lon = h3.cell_to_latlng(cell)
        area = state.query(mq.area_at, lat=round(lat, 6), lon=round(lon, 6))
        area_code = area["code"].iloc[0] if len(area) else None
        place = ", ".join(_places_in(cell)[:2]) or (area["name"].iloc[0] if len(area) else title)
        row = figures.cells[figures.cells["cell"] == cell]
        st.subheader(title)
        if len(row):
            st.caption(t("map.panel_hotspot", gi=t(f"map.gi.{row['cls'].iloc[0]}", lang=lang),
                         trend=t(f"map.trend.{row['trend'].iloc[0]}", lang=lang), lang=lang))
    else:
        area_code = selection["code"]
        title, where = state.area_names().get(area_code, area_code), {"area_code": area_code}
        place = title
        st.subheader(title)
    _counts(shown, where, lang, min_count)
    _incidents(shown, where, lang)
    _actions_here(shown, area_code, selection, lang)
    if state.scope().can("action", "edit"):
        _propose(shown, place, area_code, selection, where, lang)


def _counts(shown: IncidentFilter, where: dict, lang: str, min_count: int) -> None:
    """Incidents by category × week (the latest PANEL_WEEKS weeks) with a total per category; for roles shown no
    small counts, only the category totals, suppressed as analysis.privacy says."""
    weekly = state.query(mq.selection_weekly, flt=shown, **where)
    total = int(weekly["count"].sum())
    st.markdown(f"**{t('map.panel_counts', n=map_data.published_number(total, lang, min_count), lang=lang)}**")
    if not total or 0 < total < min_count:
        return
    labels = state.category_labels(lang)
    if min_count > 1:
        totals = weekly.groupby("category_code")["count"].sum().sort_values(ascending=False)
        shown_counts = suppress_counts(totals.tolist(), threshold=min_count).counts
        st.caption(t("map.suppressed_note", n=min_count, lang=lang))
        st.dataframe(pd.DataFrame({t("col.category", lang=lang): [labels.get(c, c) for c in totals.index],
                                   t("col.incidents", lang=lang): shown_counts.array}),
                     hide_index=True, key="map_panel_counts")
        return
    weeks = sorted(weekly["week_start"].unique())
    recent = weeks[-PANEL_WEEKS:]
    table = (weekly[weekly["week_start"].isin(recent)]
             .pivot_table(index="category_code", columns="week_start", values="count", aggfunc="sum", fill_value=0))
    table.columns = [t("map.week_label", week=week_of(w)[1], lang=lang) for w in table.columns]
    totals = weekly.groupby("category_code")["count"].sum()
    table[t("col.total", lang=lang)] = totals.reindex(table.index).fillna(0).astype(int)
    table = table.sort_values(t("col.total", lang=lang), ascending=False)
    table.index = [labels.get(c, c) for c in table.index]
    table.index.name = t("col.category", lang=lang)
    st.caption(t("map.panel_by_category", lang=lang) +
               (" " + t("map.panel_weeks_cut", n=PANEL_WEEKS, lang=lang) if len(weeks) > PANEL_WEEKS else ""))
    st.dataframe(table, key="map_panel_counts")


def _incidents(shown: IncidentFilter, where: dict, lang: str) -> None:
    """The newest incidents behind the selection, as far as the scope may read them (text shown as text)."""
    rows = state.query(mq.selection_incidents, flt=shown, limit=PANEL_INCIDENTS, **where)
    total = int(state.query(mq.selection_weekly, flt=shown, **where)["count"].sum())
    if rows.empty:
        if total:
            st.caption(t("map.panel_no_detail", lang=lang))
        return
    labels = state.category_labels(lang)
    with st.expander(t("map.panel_incidents", shown=fmt_int(len(rows), lang), total=fmt_int(total, lang),
                       lang=lang)):
        st.dataframe(pd.DataFrame({
            t("col.date", lang=lang): rows["occurred_date"].map(lambda d: fmt_date(d, lang)),
            t("col.category", lang=lang): rows["category_code"].map(lambda c: labels.get(c, c)),
            t("col.source", lang=lang): rows["source_org"],
            t("col.description", lang=lang): rows["description"].fillna("")}),
            hide_index=True, key="map_panel_incidents")


def _actions_here(shown: IncidentFilter, area_code: str | None, selection: dict, lang: str) -> None:
    """Open actions in the area (or its parent area, or on this very cell)."""
    st.markdown(f"**{t('map.panel_actions', lang=lang)}**")
    actions = state.query(mq.map_actions, flt=shown, today=state.today(),
                          open_only=True)
    areas = state.areas()
    parents = dict(zip(areas["code"], areas["parent_code"]))
    nearby = {area_code, parents.get(area_code)} - {None}
    children = set(areas.loc[areas["parent_code"].isin(nearby), "code"]) if selection["kind"] == "area" else set()
    cell = selection.get("cell")
    here = actions[actions["area_code"].isin(nearby | children) |
                   actions["h3_cells"].map(lambda s: bool(cell) and isinstance(s, str) and cell in s.split(","))]
    if here.empty:
        st.caption(t("map.panel_no_actions", lang=lang))
    for row in here.itertuples():
        overdue = " · " + t("actions.overdue", lang=lang) if row.overdue else ""
        st.text(f"{row.title} ({t(f'status.{row.status}', lang=lang)}{overdue})")
    st.page_link("pages/actions.py", label=t("map.open_actions_link", lang=lang), icon=":material/checklist:")


def _propose(shown: IncidentFilter, place: str, area_code: str | None, selection: dict, where: dict,
             lang: str) -> None:
    """A short form that puts a proposed action for this place in the register (area, cell and the categories
    that dominate here filled in; the register's own form holds the rest)."""
    weekly = state.query(mq.selection_weekly, flt=shown, **where)
    top = weekly.groupby("category_code")["count"].sum().sort_values(ascending=False).index[:2].tolist()
    labels = state.category_labels(lang)
    ident = selection.get("cell") or selection.get("code")
    with st.expander(t("map.panel_propose", lang=lang)):
        with st.form(key=f"map_propose_{ident}", clear_on_submit=True, border=False):
            title = st.text_input(t("map.panel_propose_title", lang=lang),
                                  value=t("map.panel_propose_default", place=place, lang=lang), max_chars=300)
            categories = st.multiselect(t("map.panel_propose_categories", lang=lang), list(labels), default=top,
                                        format_func=lambda c: labels.get(c, c))
            if st.form_submit_button(t("map.panel_propose_submit", lang=lang)):
                try:
                    state.create_action(title=title, area_code=area_code, category_codes=categories,
                                        h3_cells=[selection["cell"]] if selection.get("cell") else ())
                except ActionError as err:
                    st.error(str(err))
                else:
                    st.success(t("map.panel_proposed", lang=lang))


def _action_panel(shown: IncidentFilter, action_id: int, lang: str) -> None:
    """A selected action: its title, status, area and target categories."""
    actions = state.query(mq.map_actions, flt=shown, today=state.today())
    row = actions[actions["id"] == action_id]
    if row.empty:
        st.session_state.pop(SELECTION_KEY, None)
        st.info(t("map.panel_hint"))
        return
    action = row.iloc[0]
    labels = state.category_labels(lang)
    st.subheader(action["title"], anchor=False)
    overdue = " · " + t("actions.overdue", lang=lang) if action["overdue"] else ""
    st.text(t("map.panel_action_status", status=t(f"status.{action['status']}", lang=lang), overdue=overdue,
              lang=lang))
    if isinstance(action["area_name"], str):
        st.text(f"{t('col.area', lang=lang)}: {action['area_name']}")
    targets = ", ".join(labels.get(c, c) for c in action["categories"].split(",") if c)
    if targets:
        st.text(f"{t('col.targets', lang=lang)}: {targets}")
    st.page_link("pages/actions.py", label=t("map.open_actions_link", lang=lang), icon=":material/checklist:")
