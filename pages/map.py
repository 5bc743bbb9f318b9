"""Karta: incidents with a precise position per H3 cell over the area outlines; area-level events are counted only."""
from __future__ import annotations

import streamlit as st

from data_layer.queries import incidents as q
from ui import state
from ui.filters import current_filter
from ui.formatting import fmt_int, period_name
from ui.i18n import current_language, t
from ui.maps import basemap_provider, hexagon_deck
from ui.auth import require_login

require_login()

lang = current_language()
flt = current_filter()
st.title(t("map.title"))
st.write(t("map.period", period=period_name(flt.start, flt.end, lang)))

cells = state.query(q.h3_counts, flt=flt)
precision = state.query(q.precision_counts, flt=flt).set_index("location_precision")["count"].to_dict()
area_counts_df = state.query(q.counts_by_area_category, flt=flt)
area_counts = area_counts_df.groupby("area_code")["current"].sum().to_dict()
areas = state.areas()

points = int(cells["count"].sum())
not_drawn = int(precision.get("area", 0)) + int(precision.get("none", 0))
st.caption(t("map.caption", points=fmt_int(points, lang), cells=fmt_int(len(cells), lang),
             not_drawn=fmt_int(not_drawn, lang)))

deck = hexagon_deck(cells, areas, area_counts, map_provider=basemap_provider())
st.pydeck_chart(deck, key="incident_map", on_select="rerun", selection_mode="single-object",
                alt=t("map.alt", points=fmt_int(points, lang), cells=fmt_int(len(cells), lang)))
st.caption(t("map.legend"))

with st.expander(t("map.cells_table")):
    st.dataframe(cells.sort_values("count", ascending=False).rename(columns={"cell": t("col.cell"),
                                                                            "count": t("col.incidents")}),
                 hide_index=True)
with st.expander(t("map.areas_table")):
    names = state.area_names()
    by_area = [(names.get(code, t("common.unknown_area")) if code else t("common.unknown_area"), int(n))
               for code, n in sorted(area_counts.items(), key=lambda kv: -kv[1])]
    st.dataframe({t("col.area"): [a for a, _ in by_area], t("col.incidents"): [n for _, n in by_area]},
                 hide_index=True)
