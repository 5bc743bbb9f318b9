"""Trender: weekly or monthly series against their seasonal baseline, year over year, day × hour and concentration."""
from __future__ import annotations

import streamlit as st

from ui import trends_view as view
from ui.auth import require_login
from ui.filters import current_filter
from ui.formatting import fmt_range
from ui.i18n import current_language, t

require_login()

lang = current_language()
flt = current_filter()
st.title(t("trends.title"))
st.write(t("trends.intro", period=fmt_range(flt.start, flt.end, lang)))

by, period = view.controls()
series = view.load_series(flt, by=by, period=period, lang=lang)
if series.groups.empty or not series.total["count"].sum():
    st.info(t("common.no_incidents"))
    st.stop()
st.caption(t(f"trends.whole_{period}s"))

view.anomaly_section(series, lang)

st.subheader(t("trends.series_heading"))
code = view.choose_series(series)
name = series.names.get(code, code)
view.series_section(series, code, lang)
view.year_over_year_section(view.narrowed(flt, by, code), period=period, name=name, lang=lang)

focus = view.narrowed(flt, by, code)
st.subheader(t("trends.when_heading"))
day_hour = view.day_hour_section(focus, name=name, lang=lang)

st.subheader(t("trends.where_heading"))
view.concentration_section(focus, name=name, incidents=day_hour.points + day_hour.spread + day_hour.left_out,
                           lang=lang)
