"""The map page's parts: controls, the week slider, the deck with the chosen layers, legend, text alternative and
tables. Figures come from cached scoped queries (ui.state) and analysis.hotspots; layers from ui.maps."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis import hotspots
from analysis.periods import hotspot_windows, week_of
from data_layer.queries import hotspots as hq
from data_layer.queries import incidents as iq
from data_layer.queries import map as mq
from data_layer.queries import surveys as sq
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope, min_count
from ui import map_data, map_panel, maps, state, surveys_view
from ui.formatting import fmt_decimal, fmt_int, fmt_range, period_name
from ui.i18n import t

LAYER_KEYS = ("hexagons", "heatmap", "points", "areas", "area_events", "places", "actions", "events", "marks")
DEFAULT_LAYERS = ("hexagons", "areas", "area_events", "actions")
COLOURS = ("trend", "gistar", "count")
PLAY_SECONDS = 2.0
WEEK_KEY = "map_week"
MAP_HEIGHT = 560


@dataclass(frozen=True)
class Controls:
    """What the user chose above the map."""

    layers: tuple[str, ...]
    colour: str
    resolution: int
    area_colour: str
    basemap: str
    playing: bool


def _precise(scope: Scope) -> bool:
    return scope.can("incident", "precise_location")


def controls(scope: Scope, flt: IncidentFilter, lang: str) -> Controls:
    """Layer pills, hexagon colour, detail level, area colour, basemap and play; defaults follow the extent."""
    hidden = {k for k, ok in (("points", _precise(scope)), ("marks", scope.can("survey", "precise_location"))) if not ok}
    options = [k for k in LAYER_KEYS if k not in hidden]
    layers = st.pills(t("map.layers"), options, selection_mode="multi", default=list(DEFAULT_LAYERS),
                      format_func=lambda k: t(f"map.layer.{k}", lang=lang), key="map_layers")
    row = st.columns([4, 4, 4, 3])
    colour = row[0].segmented_control(t("map.colour_by"), COLOURS, default="trend", key="map_colour",
                                      format_func=lambda k: t(f"map.colour.{k}", lang=lang)) or "trend"
    resolutions = hotspots_resolutions(scope)
    # the cell size that fits the extent, as the agenda and the reports choose it (analysis.hotspots)
    suggested = min(hotspots.default_resolution(hotspots.study_polygons(state.areas(), flt.area_codes)),
                    resolutions[-1])
    # keyed by the extent, so the detail follows a new area choice until the user picks one for that extent
    resolution = row[1].segmented_control(
        t("map.resolution"), resolutions, default=suggested, help=t("map.resolution_help"),
        format_func=lambda r: t(f"map.resolution.{r}", lang=lang),
        key="map_resolution_" + ("-".join(flt.area_codes) or "all")) or suggested
    questions = state.query(sq.survey_questions)
    area_options = ["outline", "count", "rate", *(["perception"] if len(questions) else []),
                    *(f"survey:{c}" for c in questions["code"])]
    texts = dict(zip(questions["code"], questions["text_sv"]))
    area_colour = row[2].selectbox(t("map.area_colour"), area_options, index=0, key="map_area_colour",
                                   format_func=lambda k: area_label(k, lang, texts))
    setting = maps.basemap_setting()
    with row[3]:
        basemap_on = st.toggle(t("map.basemap"), value=setting != "none", disabled=setting == "none",
                               help=t("map.basemap_help"), key="map_basemap")
        playing = st.toggle(t("map.play"), key="map_play", disabled=flt.days <= 7)
    return Controls(layers=tuple(layers or ()), colour=colour, resolution=int(resolution), area_colour=area_colour,
                    basemap=setting if basemap_on else "none", playing=bool(playing) and flt.days > 7)


def area_label(mode: str, lang: str, questions: dict[str, str] | None = None) -> str:
    """The name of an area colouring: outline, count, rate or a survey question's text."""
    if mode.startswith("survey:"):
        code = mode[len("survey:"):]
        if questions is None:
            found = state.query(sq.survey_questions)
            questions = dict(zip(found["code"], found["text_sv"]))
        return t("map.area_colour.survey", question=questions.get(code, code), lang=lang)
    return t(f"map.area_colour.{mode}", lang=lang)


def hotspots_resolutions(scope: Scope) -> tuple[int, ...]:
    """The detail levels the role may use: fine cells come close to a position, so only for precise_location."""
    return mq.RESOLUTIONS if _precise(scope) else mq.RESOLUTIONS[:-1]


def week_choice(flt: IncidentFilter, *, playing: bool, lang: str) -> IncidentFilter:
    """The week slider (whole period or one ISO week); while playing, each run moves one week on."""
    weeks = map_data.week_filters(flt)
    if len(weeks) <= 1:
        return flt
    options = list(range(-1, len(weeks)))
    if playing:
        current = st.session_state.get(WEEK_KEY, -1)
        st.session_state[WEEK_KEY] = current + 1 if current + 1 < len(weeks) else 0

    def label(i: int) -> str:
        return t("map.whole_period", lang=lang) if i < 0 else \
            t("map.week_label", week=week_of(weeks[i].start)[1], lang=lang)

    chosen = st.select_slider(t("map.week"), options=options, format_func=label, key=WEEK_KEY)
    return flt if chosen < 0 else weeks[chosen]


def render_map(flt: IncidentFilter, shown: IncidentFilter, ctl: Controls, lang: str) -> None:
    """The deck, its legend and text alternative, the side panel and the tables, for the `shown` period."""
    scope = state.scope()
    labels = state.category_labels(lang)
    areas = state.areas()
    if shown is not flt:
        st.caption(t("map.week_period", week=week_of(shown.start)[1], period=fmt_range(shown.start, shown.end, lang)))
    # Gi* and the trend in every colouring: tooltips and the side panel always name a cell's class and trend
    by_category, cells = state.query(hq.map_cells, flt=shown, resolution=ctl.resolution)
    min_n = min_count(scope)  # viewers: counts below the threshold are suppressed (analysis.privacy)
    figures = map_data.cell_figures(by_category, cells, labels=labels, lang=lang, min_count=min_n)
    level_counts = state.query(mq.area_level_counts, flt=shown)
    by_area = state.query(iq.counts_by_area_category, flt=shown)
    area_counts = map_data.published_counts(by_area.groupby("area_code")["current"].sum().to_dict(), min_n)

    layers, legends, explained, labels_on_top = [], [], [], []
    if "areas" in ctl.layers:
        survey = state.query(sq.survey_results, flt=shown, question_code=ctl.area_colour[7:]) \
            if ctl.area_colour.startswith("survey:") else None
        values = map_data.area_values(areas, area_counts, mode=ctl.area_colour, survey=survey)
        details = map_data.area_details(areas, area_counts, values, mode=ctl.area_colour, lang=lang,
                                        min_count=min_n)
        fills, limits = map_data.area_fills(values)
        if ctl.area_colour == "perception":
            # quadrant colours instead of a scale; quadrant_fills also adds each area's quadrant to its tooltip line
            fills, limits = map_data.quadrant_fills(surveys_view.latest_quadrants(shown), details, lang=lang), []
            legends.append(t("map.legend_perception", classes=" · ".join(
                f"{maps.QUADRANT_SWATCHES[k]} {t(f'surveys.quadrant.{k}')}" for k in maps.QUADRANT_COLOURS)))
        layers.append(maps.area_layer(maps.area_features(areas, area_counts, details=details, fills=fills)))
        if limits:
            digits = 0 if ctl.area_colour == "count" else 1 if ctl.area_colour == "rate" else 2
            legends.append(t("map.legend_areas", what=area_label(ctl.area_colour, lang),
                             limits=", ".join(fmt_decimal(x, digits, lang) for x in limits)))
    if "area_events" in ctl.layers:
        features, texts = map_data.area_event_features(areas, level_counts, labels=labels, lang=lang,
                                                       min_count=min_n)
        layers.append(maps.area_layer(features, layer_id="area_events", line=(230, 159, 0), width_px=3))
        labels_on_top.append(maps.text_layer(texts, layer_id="area_event_labels"))
    if "heatmap" in ctl.layers:
        fine = state.query(mq.hex_counts, flt=shown, resolution=hotspots_resolutions(scope)[-1])
        layers.append(maps.heatmap_layer(fine.groupby("cell", as_index=False)["count"].sum()))
        legends.append(t("map.legend_heatmap"))
    if "hexagons" in ctl.layers:
        records, bins = map_data.hex_records(figures, colour=ctl.colour, lang=lang, min_count=min_n)
        if min_n > 1:
            legends.append(t("map.suppressed_note", n=min_n))
        layers.append(maps.hexagon_layer(records))
        if ctl.colour == "count":
            legends.append(t("map.legend_count", bins=", ".join(fmt_int(b, lang) for b in bins)))
        elif ctl.colour == "gistar":
            legends.append(t("map.legend_gistar"))
        else:
            lo, hi = hotspot_windows(shown.end)["recent"]
            classes = " · ".join(f"{maps.TREND_SWATCHES[k]} {t(f'map.trend.{k}')}"
                                 for k in hotspots.TREND_ORDER if k in maps.TREND_COLOURS)
            legends.append(t("map.legend_trend", classes=classes, recent=fmt_range(lo, hi, lang)))
            explained = [f"{maps.TREND_SWATCHES[k]} **{t(f'map.trend.{k}')}**: "
                         f"{hotspots.TREND_EXPLANATIONS[k][1 if lang == 'en' else 0]}"
                         for k in hotspots.TREND_ORDER if k in maps.TREND_COLOURS]
    if "points" in ctl.layers and _precise(scope):
        points = state.query(mq.precise_points, flt=shown)
        layers.append(maps.point_layer(map_data.point_records(points, labels=labels, lang=lang), layer_id="points",
                                       radius_m=12, fill=map_data.POINT_FILL, line=map_data.POINT_LINE, min_px=3))
        if len(points) >= mq.POINT_LIMIT:
            legends.append(t("map.points_limited", shown=fmt_int(len(points), lang),
                             total=fmt_int(int(by_category["count"].sum()), lang)))
    if "places" in ctl.layers:
        dots, names = map_data.place_records(state.report_places(), lang=lang)
        layers.append(maps.point_layer(dots, layer_id="places", radius_m=10))
        labels_on_top.append(maps.text_layer(names, layer_id="place_labels"))
    if "marks" in ctl.layers and scope.can("survey", "precise_location"):
        layers.append(maps.point_layer(map_data.mark_records(state.query(mq.survey_marks, flt=shown), lang=lang),
                                       layer_id="marks", radius_m=15))
    if "events" in ctl.layers:
        events = state.query(mq.map_events, start=state.today(), days=14)
        layers.append(maps.point_layer(map_data.event_records(events, lang=lang), layer_id="events", radius_m=30,
                                       line_width=2))
    if "actions" in ctl.layers:
        actions = state.query(mq.map_actions, flt=shown, today=state.today())
        layers.append(maps.point_layer(map_data.action_records(actions, lang=lang), layer_id="actions",
                                       radius_m=40, line_width=3, min_px=8))
        legends.append(t("map.legend_actions"))

    layers += labels_on_top
    points_n = int(by_category["count"].sum())  # the totals stay published (analysis.privacy protects the cells)
    located_cells = int((figures.cells["count"].fillna(1) > 0).sum())  # a suppressed cell is never empty
    area_level = int(level_counts["count"].sum())
    st.caption(t("map.caption", points=map_data.published_number(points_n, lang, min_n),
                 cells=fmt_int(located_cells, lang), area_level=map_data.published_number(area_level, lang, min_n)))
    main, side = st.columns([3, 2], gap="medium")
    with main:
        event = st.pydeck_chart(maps.deck(layers, maps.view_state(_extent(areas, flt)), basemap=ctl.basemap),
                                key="incident_map", on_select="rerun", selection_mode="single-object",
                                height=MAP_HEIGHT, alt=t("map.alt", points=map_data.published_number(points_n, lang,
                                                                                                     min_n),
                                                         cells=fmt_int(located_cells, lang),
                                                         summary=_summary(figures, ctl.colour, lang)))
        for line in legends:
            st.caption(line)
        if explained:
            with st.expander(t("map.how_classes")):
                for line in explained:
                    st.caption(line)
    map_panel.remember_selection(event)
    with side:
        map_panel.render(shown, figures=figures, resolution=ctl.resolution, lang=lang, min_count=min_n)
    _tables(figures, areas, area_counts, map_data.published_counts(
        level_counts.groupby("area_code")["count"].sum().to_dict(), min_n), lang)


def _extent(areas: pd.DataFrame, flt: IncidentFilter) -> pd.DataFrame:
    """The areas the view fits: the chosen ones, else the study area (top-level areas with geometry)."""
    if flt.area_codes:
        chosen = areas[areas["code"].isin(flt.area_codes)]
        if len(chosen):
            return chosen
    for level in ("kommun", "lan", "stadsdel", "omrade"):
        top = areas[(areas["level"] == level) & areas["geometry"].map(lambda g: isinstance(g, str) and bool(g))]
        if len(top):
            return top
    return areas


def _summary(figures: map_data.CellFigures, colour: str, lang: str) -> str:
    if colour == "trend":
        return t("map.alt_trend", lang=lang, **{k: fmt_int(v, lang) for k, v in figures.trends.items()})
    if colour == "gistar":
        return t("map.alt_gistar", hot99=fmt_int(figures.hot99, lang), hot95=fmt_int(figures.hot95, lang),
                 cold=fmt_int(figures.cold, lang), lang=lang)
    top = int(figures.cells["count"].max()) if len(figures.cells) else 0
    return t("map.alt_count", max=fmt_int(top, lang), lang=lang)


def _tables(figures: map_data.CellFigures, areas: pd.DataFrame, area_counts: dict, level: dict, lang: str) -> None:
    """The map's figures as tables (the keyboard and screen-reader way to the same answer)."""
    with st.expander(t("map.cells_table")):
        cells = figures.cells
        st.dataframe(pd.DataFrame({
            t("col.cell"): cells["cell"], t("col.incidents"): cells["count"],
            t("map.colour.gistar"): cells["cls"].map(lambda c: t(f"map.gi.{c}", lang=lang)),
            t("map.colour.trend"): cells["trend"].map(lambda c: t(f"map.trend.{c}", lang=lang)),
            t("col.categories"): cells["top"]}), hide_index=True, key="map_cells_table")
    with st.expander(t("map.areas_table")):
        names = dict(zip(areas["code"], areas["name"]))
        population = dict(zip(areas["code"], areas["population"]))
        codes = sorted(set(area_counts) | set(level), key=lambda c: -(area_counts.get(c) or 0))
        rate = [fmt_decimal(1000 * area_counts[c] / population[c], 1, lang)
                if area_counts.get(c) is not None and population.get(c) == population.get(c) and population.get(c)
                else "–" for c in codes]
        st.dataframe(pd.DataFrame({
            t("col.area"): [names.get(c, t("common.unknown_area")) if c else t("common.unknown_area") for c in codes],
            t("col.incidents"): pd.array([area_counts.get(c, 0) for c in codes], dtype="Int64"),
            t("map.area_colour.rate"): rate,
            t("map.layer.area_events"): pd.array([level.get(c, 0) for c in codes], dtype="Int64")}),
            hide_index=True, key="map_areas_table")


def render_page(flt: IncidentFilter, lang: str) -> None:
    """The whole map page under its title."""
    st.write(t("map.period", period=period_name(flt.start, flt.end, lang)))
    ctl = controls(state.scope(), flt, lang)

    def part() -> None:
        render_map(flt, week_choice(flt, playing=ctl.playing, lang=lang), ctl, lang)

    st.fragment(part, run_every=PLAY_SECONDS if ctl.playing else None)()
