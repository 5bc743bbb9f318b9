"""The trends page's parts: controls, the series with baseline and limits, year over year, day × hour, places.

Each part reads cached scoped queries through ui.state, hands the rows to analysis/ and draws with ui.charts. The
three sections below the series cache their SQL counts together with the analysis on top, and load_series starts
them in background threads as soon as it knows which series the page shows, so their SQL runs while the series is
drawn (see _prefetch).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from analysis import aoristic, concentration, trends
from data_layer import suppression
from data_layer.queries import trends as tq
from data_layer.queries.filters import IncidentFilter
from ui import charts, state
from ui.formatting import MONTHS, fmt_date, fmt_decimal, fmt_int, fmt_pct, fmt_range
from ui.i18n import t

UNKNOWN = "__unknown__"  # the group of incidents without an area
WEEKDAYS = {"sv": ["Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag", "Söndag"],
            "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]}
TOP_PLACES = 10
SERIES_KEY = "trends_series"
NO_DATE = date(2000, 1, 1)  # the period of a filter whose period does not matter (one cache entry for all periods)


@dataclass(frozen=True)
class Series:
    """The trend tables of every group of the split and of their total, the group names and the chosen series."""

    by: str
    period: str
    groups: pd.DataFrame  # trends.TABLE_COLUMNS, one block per group
    total: pd.DataFrame
    names: dict[str, str]
    order: list[str]  # the choosable series: trends.TOTAL, then the groups by their count in the shown buckets
    both: pd.DataFrame  # total, then groups: the rows of both tables in one


def codes_only(flt: IncidentFilter) -> IncidentFilter:
    """The filter with a fixed dummy period, for queries over all dates (so every period shares one cache entry)."""
    return flt.with_period(NO_DATE, NO_DATE)


def narrowed(flt: IncidentFilter, by: str, code: str) -> IncidentFilter:
    """The filter limited to one group of the split (the total and the unknown area leave it as it is)."""
    if code in (trends.TOTAL, UNKNOWN):
        return flt
    field = {"category": "category_codes", "area": "area_codes", "source": "source_codes"}[by]
    return replace(flt, **{field: (code,)})


def group_names(by: str, lang: str) -> dict[str, str]:
    """{group code: name} for a split, with the total and the unknown area."""
    names = {"category": lambda: state.category_labels(lang), "area": state.area_names,
             "source": state.organisation_names}[by]()
    return {trends.TOTAL: t("trends.all_series"), UNKNOWN: t("common.unknown_area"), **names}


# The data of the three sections below the series, each one cached entry: the SQL counts (scoped, aggregated in
# data_layer) with the pure analysis on top. The sections and the prefetch both take their (function, keyword
# arguments) for state.query from the *_call functions, so the prefetch fills exactly the entries the sections read.
Call = tuple[Callable, dict]


def yoy_year(flt: IncidentFilter, period: str) -> int:
    """The (ISO) year the year-over-year view shows: the one of the period's last bucket."""
    return trends.label_key(trends.bucket_start(flt.end, period), period)[0]


def _year_over_year_data(engine, *, scope, flt: IncidentFilter, period: str, until: date) -> pd.DataFrame:
    """trends.year_over_year of the filter's one series (columns number, this_year, last_year)."""
    counts = tq.series_counts(engine, scope=scope, flt=flt, period=period, by=tq.TOTAL,
                              ranges=trends.year_over_year_range(flt.end, period=period))
    return trends.year_over_year(counts, year=yoy_year(flt, period), period=period, until=until)


def _day_hour_data(engine, *, scope, flt: IncidentFilter) -> aoristic.DayHour:
    """Points and spread windows of the filter's incidents per weekday and hour."""
    return aoristic.day_hour_weights(tq.day_hour_points(engine, scope=scope, flt=flt),
                                     tq.day_hour_windows(engine, scope=scope, flt=flt))


def _place_data(engine, *, scope, flt: IncidentFilter) -> pd.DataFrame:
    """concentration.label_places of the filter's incidents with an exact position."""
    return concentration.label_places(tq.place_counts(engine, scope=scope, flt=flt))


def year_over_year_call(flt: IncidentFilter, period: str) -> Call:
    """This year and the last per week number or month (trends.year_over_year), up to today."""
    return _year_over_year_data, dict(flt=flt, period=period, until=state.today())


def day_hour_call(flt: IncidentFilter) -> Call:
    """The weekday × hour weights (aoristic.DayHour)."""
    return _day_hour_data, dict(flt=flt)


def place_call(flt: IncidentFilter) -> Call:
    """Counts per place with names (concentration.label_places)."""
    return _place_data, dict(flt=flt)


def _prefetch(*queues: list[Call]) -> None:
    """Start each queue of calls in a background thread: their SQL runs there while this thread draws (SQLite and
    psycopg release the GIL while they work). A section asking for an entry still being computed waits for it on
    the data cache's per-key lock; a failed call leaves no entry, so the section runs it again and shows the error."""
    def run(queue: list[Call]) -> None:
        for fn, kwargs in queue:
            try:
                state.query(fn, **kwargs)
            except BaseException:  # noqa: BLE001 - the section's own call raises it where it is shown; a stopped
                return  # run (Streamlit's StopException is a BaseException) ends its prefetch as well

    ctx = get_script_run_ctx()
    for queue in queues:
        worker = threading.Thread(target=run, args=(queue,), name="trends-prefetch", daemon=True)
        add_script_run_ctx(worker, ctx)  # state.query reads the session's scope and data version
        worker.start()


def controls() -> tuple[str, str]:
    """The split (category | area | source) and the unit (week | month) radios; returns (by, period)."""
    left, right = st.columns([3, 2])
    by = left.radio(t("trends.split"), options=tq.SPLITS, format_func=lambda s: t(f"trends.by_{s}"), horizontal=True,
                    key="trends_by")
    period = right.radio(t("trends.unit"), options=trends.PERIODS, format_func=lambda p: t(f"trends.unit_{p}"),
                         horizontal=True, key="trends_period")
    return by, period


def load_series(flt: IncidentFilter, *, by: str, period: str, lang: str) -> Series:
    """Counts from SQL over the shown and baseline buckets, turned into trend tables per group and for the total."""
    firsts_call = (tq.first_dates, dict(flt=codes_only(flt), by="source"))
    if by == "source":  # a scan of every incident (cached for all periods): run it beside the series' counts
        _prefetch([firsts_call])
    counts = state.query(tq.series_counts, flt=flt, period=period, by=by,
                         ranges=trends.series_ranges(flt.start, flt.end, period=period))
    groups = [UNKNOWN if g is None or g != g else g for g in counts["group"]]
    shown = set(trends.buckets_between(flt.start, flt.end, period))
    if sum(int(c) for b, c in zip(counts["bucket"], counts["count"]) if b in shown):
        # The page draws the sections below (it stops when nothing is shown): start their queries now, for the
        # series choose_series will settle on. The year over year scans two years: it gets a thread of its own.
        code = st.session_state.get(SERIES_KEY)
        focus = narrowed(flt, by, code if code in set(groups) - {UNKNOWN} else trends.TOTAL)
        _prefetch([year_over_year_call(focus, period)], [day_hour_call(focus), place_call(focus)])
    start = state.query(tq.data_start, flt=codes_only(flt))
    group_starts = None
    if by == "source":  # partners join over time: a source's baseline starts with its own first report
        fn, kwargs = firsts_call
        firsts = state.query(fn, **kwargs)
        group_starts = {g: d for g, d in zip(firsts["group"], firsts["first_date"]) if g != trends.TOTAL}
    # The total is the groups summed per bucket; one trend_table call gives the total's rows (first) and the groups'.
    summed: dict[date, int] = {}
    for bucket, count in zip(counts["bucket"], counts["count"]):
        summed[bucket] = summed.get(bucket, 0) + int(count)
    both = pd.DataFrame({"bucket": [*counts["bucket"], *summed],
                         "group": [*groups, *[trends.TOTAL] * len(summed)],
                         "count": [*(int(c) for c in counts["count"]), *summed.values()]})
    codes = sorted(set(groups))
    table = trends.trend_table(both, groups=[trends.TOTAL, *codes], group_starts=group_starts, start=flt.start,
                               end=flt.end, period=period, data_start=start, data_end=state.today())
    n_total = len(shown)  # trend_table gives one row per group and shown bucket
    sizes = {g: 0 for g in codes}
    for g, c in zip(table["group"].iloc[n_total:], table["count"].iloc[n_total:]):
        sizes[g] += int(c)
    # Roles not shown small counts get the table as published (sizes above still order the choice, numbers unseen).
    table = suppression.suppress_trend_table(table, threshold=suppression.threshold(state.scope()), total=trends.TOTAL)
    # The unknown area cannot narrow the sections below, so it is listed among the anomalies but not offered here.
    return Series(by, period, table.iloc[n_total:].reset_index(drop=True), table.iloc[:n_total].reset_index(drop=True),
                  group_names(by, lang), [trends.TOTAL, *(g for g in sorted(codes, key=lambda g: -sizes[g])
                                                          if g != UNKNOWN)], table)


def choose_series(series: Series) -> str:
    """The series to draw (and to narrow the sections below to): the total or one group."""
    key = SERIES_KEY
    if st.session_state.get(key) not in series.order:
        st.session_state[key] = trends.TOTAL
    return st.selectbox(t("trends.series"), options=series.order, key=key,
                        format_func=lambda code: series.names.get(code, code))


def table_of(series: Series, code: str) -> pd.DataFrame:
    """The trend table of one series."""
    return series.total if code == trends.TOTAL else series.groups[series.groups["group"] == code]


def bucket_label(bucket: date, period: str, lang: str) -> str:
    """'v. 47' for an ISO week, 'nov 2026' for a month."""
    if period == "week":
        return t("chart.week_tick", week=bucket.isocalendar().week)
    return f"{MONTHS.get(lang, MONTHS['sv'])[bucket.month - 1]} {bucket.year}"


def _spans(table: pd.DataFrame, period: str, lang: str) -> list[str]:
    """'v. 47 (17–23 nov)' per row for weeks, 'nov 2026' for months."""
    if period != "week":
        return [bucket_label(b, period, lang) for b in table["bucket"]]
    return [f"{bucket_label(b, period, lang)} ({fmt_range(b, e, lang)})"
            for b, e in zip(table["bucket"], table["bucket_end"])]


def _normal_ranges(table: pd.DataFrame, lang: str) -> list[str]:
    """'lower–upper' per row, or 'no baseline'."""
    return [t("trends.no_baseline") if np.isnan(b) else f"{fmt_int(lo, lang)}–{fmt_int(hi, lang)}"
            for b, lo, hi in zip(table["baseline"], table["lower"], table["upper"])]


def _count_text(n, lang: str) -> str:
    """A count as shown, '–' where it is hidden (<NA>)."""
    return "–" if n is None or pd.isna(n) else fmt_int(n, lang)


def _small_text(n: int, lang: str) -> str:
    """A single count said in a caption: 'färre än 3' where the viewer is not shown it."""
    limit = suppression.threshold(state.scope())
    return t("map.fewer_than", n=limit) if 0 < n < limit else fmt_int(n, lang)


def suppression_caption() -> None:
    """Says, for roles not shown small counts, that hidden counts are gaps in the charts (not zeros)."""
    limit = suppression.threshold(state.scope())
    if limit > 1:
        st.caption(t("trends.suppressed_note", n=limit))


def anomalies(series: Series, lang: str) -> pd.DataFrame:
    """Every bucket outside its limits, in the total and each group: newest first, then the furthest out."""
    both = series.both
    out = both[both["flag"].isin([trends.OVER, trends.UNDER])].copy()  # a hidden count gets no verdict
    out["z"] = (out["count"] - out["baseline"]).abs() / np.sqrt(out["baseline"].clip(lower=0.5))
    out = out.sort_values(["bucket", "z"], ascending=[False, False])
    return pd.DataFrame({
        t("trends.col_series"): [series.names.get(g, g) for g in out["group"]],
        t("trends.col_bucket"): _spans(out, series.period, lang),
        t("trends.col_count"): out["count"].to_numpy(),
        t("trends.col_baseline"): [fmt_decimal(b, 1, lang) for b in out["baseline"]],
        t("trends.col_normal"): _normal_ranges(out, lang),
        t("trends.col_flag"): [t(f"trends.flag_{f}") for f in out["flag"]],
    })


def anomaly_section(series: Series, lang: str) -> None:
    """A one-line verdict and the list of anomalies (text, not colour)."""
    st.subheader(t("trends.anomalies_heading"))
    found = anomalies(series, lang)
    if found.empty:
        st.success(t(f"trends.no_anomalies_{series.period}"))
        return
    flags = found[t("trends.col_flag")]
    key = "trends.anomaly_found" if len(found) == 1 else "trends.anomalies_found"
    st.warning(t(key, n=len(found), over=int((flags == t("trends.flag_over")).sum()),
                 under=int((flags == t("trends.flag_under")).sum())))
    st.dataframe(found, hide_index=True, key="trends_anomalies")


def series_section(series: Series, code: str, lang: str) -> None:
    """The chosen series: chart with band, baseline, moving average and anomalies; its table in an expander."""
    table = table_of(series, code).reset_index(drop=True)
    name = series.names.get(code, code)
    unit = series.period
    spans = _spans(table, unit, lang)
    hover = [t("trends.hover", bucket=span, count=_count_text(c, lang), baseline=fmt_decimal(b, 1, lang), normal=normal)
             for span, c, b, normal in zip(spans, table["count"], table["baseline"], _normal_ranges(table, lang))]
    ticks = [f"{bucket_label(b, unit, lang)}<br>{fmt_date(b, lang, year=False)}" if unit == "week"
             else bucket_label(b, unit, lang) for b in table["bucket"]]
    moving = t(f"trends.legend_moving_{unit}", n=trends.MOVING_WINDOW[unit])
    st.plotly_chart(charts.trend_chart(table, title=t(f"trends.series_title_{unit}", name=name), tick_labels=ticks,
                                       hover=hover, moving_label=moving,
                                       in_progress_label=t(f"trends.legend_in_progress_{unit}")),
                    key="trend_chart", theme=None, alt=t(f"trends.series_alt_{unit}", name=name))
    st.caption(t("trends.method", years=trends.BASELINE_YEARS))
    suppression_caption()
    if table["in_progress"].any():
        st.caption(t(f"trends.in_progress_{unit}"))
    with st.expander(t("common.show_table")):
        st.dataframe(pd.DataFrame({
            t("trends.col_bucket"): spans,
            t("trends.col_count"): table["count"],
            t("trends.col_baseline"): table["baseline"].round(1),
            t("trends.col_lower"): table["lower"].astype("Int64"),
            t("trends.col_upper"): table["upper"].astype("Int64"),
            moving: table["moving_avg"].round(1),
            t("trends.col_flag"): [t("trends.in_progress") if running and flag == trends.NORMAL
                                   else t("trends.flag_hidden") if flag == suppression.HIDDEN_FLAG
                                   else t(f"trends.flag_{flag}") for running, flag in zip(table["in_progress"],
                                                                                          table["flag"])],
        }), hide_index=True, key="trend_table")


def year_over_year_section(flt: IncidentFilter, *, period: str, name: str, lang: str) -> None:
    """This (ISO) year against last year for the chosen series, by week number or month."""
    fn, kwargs = year_over_year_call(flt, period)
    yoy = suppression.suppress_columns(state.query(fn, **kwargs), ["this_year", "last_year"],
                                       threshold=suppression.threshold(state.scope()))
    year = yoy_year(flt, period)
    if period == "week":
        labels = [t("chart.week_tick", week=n) for n in yoy["number"]]
    else:
        labels = [MONTHS.get(lang, MONTHS["sv"])[n - 1] for n in yoy["number"]]
    st.plotly_chart(charts.year_over_year_chart(
        yoy, title=t(f"trends.yoy_title_{period}", name=name, year=year, last=year - 1), this_label=str(year),
        last_label=str(year - 1), tick_labels=labels, hover_unit=t("trends.incidents")),
        key="yoy_chart", theme=None, alt=t("trends.yoy_alt", name=name, year=year, last=year - 1))
    st.caption(t(f"trends.yoy_caption_{period}"))
    with st.expander(t("common.show_table")):
        st.dataframe(pd.DataFrame({t(f"trends.unit_{period}"): labels, str(year): yoy["this_year"],
                                   str(year - 1): yoy["last_year"]}), hide_index=True, key="yoy_table")


def day_hour_section(flt: IncidentFilter, *, name: str, lang: str) -> aoristic.DayHour:
    """The weekday × hour heatmap (incidents per such day, windows spread aoristically), said on the chart too."""
    fn, kwargs = day_hour_call(flt)
    result = state.query(fn, **kwargs)
    per_day = result.per_day(flt.start, flt.end)
    # Hidden cells are NaN: drawn empty (not as zero) and shown as empty in the table.
    per_day = np.where(suppression.hidden_grid(result.weights, threshold=suppression.threshold(state.scope())),
                       np.nan, per_day)
    weekdays = WEEKDAYS.get(lang, WEEKDAYS["sv"])
    subtitle = t("trends.heatmap_subtitle", spread=_small_text(result.spread, lang))
    st.plotly_chart(charts.day_hour_heatmap(per_day, title=t("trends.heatmap_title", name=name), subtitle=subtitle,
                                            weekdays=weekdays, hover_unit=t("trends.heatmap_unit"),
                                            scale_title=t("trends.heatmap_scale")),
                    key="heatmap_chart", theme=None, alt=t("trends.heatmap_alt", name=name))
    st.caption(t("trends.heatmap_caption", points=_small_text(result.points, lang),
                 spread=_small_text(result.spread, lang), days=aoristic.MAX_SLOTS // 24))
    if result.left_out:
        st.caption(t("trends.heatmap_left_out", n=_small_text(result.left_out, lang), days=aoristic.MAX_SLOTS // 24))
    suppression_caption()
    with st.expander(t("common.show_table")):
        st.caption(t("trends.heatmap_table_caption"))
        grid = pd.DataFrame(np.round(per_day, 2), index=weekdays, columns=[f"{h:02d}" for h in range(24)])
        st.dataframe(grid, key="heatmap_table")
    return result


def _place_names(places: pd.DataFrame) -> list[str]:
    # one label per area, not per cell: a big store has thousands of unnamed cells
    areas = places["area_name"].where(places["area_name"].notna(), t("common.unknown_area"))
    unnamed = {a: t("trends.unnamed_place", area=a) for a in areas.unique()}
    return [p if isinstance(p, str) else unnamed[a] for p, a in zip(places["place_name"], areas)]


def _percent_column(shares: pd.Series, lang: str) -> pd.Series:
    """Shares 0–1 as '12,3 %' (sv) or '12.3%' (en), formatted column-wise (fmt_pct per row is slow for many rows)."""
    text = (shares * 100).round(1).map("{:.1f}".format)
    text = text.str.replace(".", ",", regex=False) + "\u00a0%" if lang == "sv" else text + "%"
    return text.where(shares.notna(), "–")


def _published_places(shown: pd.DataFrame) -> pd.DataFrame:
    """The places list as the viewer may see it: counts suppressed as a list with its total (the caption's), the
    cumulative share gone from the first hidden count on, and the hidden places in name order (in count order, the
    curve's steps would give each one's count)."""
    counts = suppression.suppress_list(shown["count"], threshold=suppression.threshold(state.scope()))
    hidden = counts.isna().to_numpy()
    if not hidden.any():
        return shown
    out = shown.assign(count=counts.to_numpy(), share=shown["share"].where(~np.logical_or.accumulate(hidden)))
    return pd.concat([out[~hidden], out[hidden].sort_values(["name", "place"])], ignore_index=True)


def concentration_section(flt: IncidentFilter, *, name: str, incidents: int, lang: str) -> None:
    """The Lorenz curve over H3 cells (named where a named place lies in them), the top-5 % / 20 % figures and the
    most affected places."""
    fn, kwargs = place_call(flt)
    places = state.query(fn, **kwargs)
    if places.empty:
        st.info(t("trends.no_places"))
        return
    conc = concentration.concentration(places["count"])
    marks = [(p, conc.top_share(p), t("trends.lorenz_mark", p=fmt_pct(p, 0, lang),
                                      share=fmt_pct(conc.top_share(p), 0, lang)))
             for p in concentration.TOP_SHARES]
    cols = st.columns(3)
    for col, (p, share, _) in zip(cols, marks):
        col.metric(t("trends.top_metric", p=fmt_pct(p, 0, lang)), fmt_pct(share, 0, lang))
    cols[2].metric(t("trends.gini"), fmt_decimal(conc.gini, 2, lang), help=t("trends.gini_help"))
    chart, top = st.columns([3, 2])
    chart.plotly_chart(charts.lorenz_chart(conc.x, conc.y, title=t("trends.lorenz_title"), marks=marks,
                                           suffix="\u00a0%" if lang == "sv" else "%"),
                       key="lorenz_chart", theme=None, alt=t("trends.lorenz_alt", name=name))
    shown = _published_places(places.assign(name=_place_names(places), share=places["count"].cumsum() / conc.incidents))
    top.markdown(f"**{t('trends.top_places', n=TOP_PLACES)}**")
    top.dataframe(pd.DataFrame({t("trends.col_place"): shown["name"].head(TOP_PLACES),
                                t("trends.col_count"): shown["count"].head(TOP_PLACES)}),
                  hide_index=True, key="top_places")
    st.caption(t("trends.lorenz_caption", places=fmt_int(conc.places, lang),
                 located=_small_text(conc.incidents, lang), total=_small_text(incidents, lang)))
    with st.expander(t("common.show_table")):
        st.dataframe(pd.DataFrame({
            t("trends.col_place"): shown["name"],
            t("trends.col_cell"): [k if not k.startswith("place:") else "" for k in shown["place"]],
            t("trends.col_count"): shown["count"],
            t("trends.col_cumulative"): _percent_column(shown["share"], lang),
        }), hide_index=True, key="places_table")
