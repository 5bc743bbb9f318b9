"""The overview's sections around the comparison table: the summary figures, the silent-source warning, the headline
cards (what changed, where, and what is being done about it), what is new since the last meeting with the coming
events, and who has reported. Each takes ready data (ui/overview_data.py) and draws it."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.change import INCREASE
from analysis.periods import week_start
from analysis.privacy import HIDDEN as HIDDEN_TEXT
from analysis.privacy import suppress_counts
from data_layer.overview_suppression import BASE_SUM, published_total, window_total
from data_layer.queries.filters import IncidentFilter
from ui.formatting import escape_markdown, fmt_date, fmt_decimal, fmt_int, fmt_p, fmt_range, fmt_signed
from ui.i18n import t
from ui.overview_data import HISTORY_DAYS, SPARK_WEEKS, Comparison
from ui.overview_text import ARROWS, cell_names, range_year, short_when

TREND_WEEKS = 26  # a headline's trend link shows half a year up to the period's end
RISE, FALL = "#D55E00", "#0072B2"  # Okabe–Ito vermilion and blue: distinct with the common colour-vision deficiencies
SILENT_STYLE = "background-color: #FFE3C2; color: #1A1A1A; font-weight: 600"
STATUS_RANK = {"pågår": 0, "beslutad": 1, "föreslagen": 2}  # the open action furthest along is named first


def summary_metrics(c: Comparison, coverage: pd.DataFrame, lang: str) -> None:
    """Four numbers: incidents now (and the difference to the previous period), the same period in earlier years,
    active reporters and the sources that reported."""
    # Totals as published: a total hidden from a role that may only count shows as "–" (and no difference).
    current, previous = window_total(c, "current"), window_total(c, "previous")
    bases = c.exposures.baseline_names()
    base_sum = window_total(c, BASE_SUM) if BASE_SUM in c.table else int(c.table[bases].to_numpy().sum())
    baseline = base_sum / len(bases) if bases and base_sum is not None else float("nan")
    reporters, before = published_total(coverage, "reporters"), published_total(coverage, "history_reporters")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("overview.metric_current"), _count(current, lang),
              delta=t("overview.metric_delta", diff=fmt_signed(current - previous, lang))
              if current is not None and previous is not None else None, delta_color="off",
              delta_arrow="off", help=t("overview.metric_current_help"))
    c2.metric(t("overview.metric_baseline"), fmt_decimal(baseline, 1, lang), help=t("overview.metric_baseline_help"))
    c3.metric(t("overview.metric_reporters"), _count(reporters, lang),
              delta=t("overview.metric_reporters_before", n=_count(before, lang)),
              delta_color="off", delta_arrow="off", help=t("overview.metric_reporters_help"))
    reporting = int((coverage["incidents"] > 0).sum())
    c4.metric(t("overview.metric_sources"), t("overview.metric_sources_value", n=reporting, of=len(coverage)),
              help=t("overview.metric_sources_help"))


def _count(n, lang: str) -> str:
    """A count as published: "–" where it is hidden (None or <NA>)."""
    return HIDDEN_TEXT if n is None or pd.isna(n) else fmt_int(int(n), lang)


def suppression_note(threshold: int, role: str) -> None:
    """One line saying that counts below the threshold are not shown to this role (nothing for other roles)."""
    if threshold > 1:
        st.caption(t("privacy.note", n=threshold, role=t(f"role.{role}")), help=t("privacy.note_help"))


def coverage_warning(coverage: pd.DataFrame) -> None:
    """A visible warning when a source that normally reports is silent (or clearly low) in the period, so a quiet
    partner is not read as a calm week."""
    silent = coverage[coverage["status"] == "silent"]
    low = coverage[coverage["status"] == "low"]
    if len(silent):
        st.warning(t("overview.silent_warning", names=", ".join(escape_markdown(n) for n in silent["org_name"])),
                   icon=":material/report:")
    if len(low):
        st.info(t("overview.low_warning", names=", ".join(escape_markdown(n) for n in low["org_name"])),
                icon=":material/trending_down:")


def link_params(row, flt: IncidentFilter, start: date) -> dict[str, str | list[str]]:
    """The query parameters ui/filters.py reads, narrowed to one row: its area, category (and source), from `start`
    to the period's end; the sidebar's sources stay when the row is not one source's."""
    params: dict[str, str | list[str]] = {"from": start.isoformat(), "to": flt.end.isoformat(),
                                         "categories": row["category_code"]}
    if isinstance(row["area_code"], str):
        params["areas"] = row["area_code"]
    if isinstance(row.get("source_code"), str):
        params["sources"] = row["source_code"]
    elif flt.source_codes:
        params["sources"] = list(flt.source_codes)
    return params


def open_action(row, actions: pd.DataFrame) -> str:
    """The open action aimed at this category in this area (title and status, the one furthest along), or ''."""
    if actions.empty or not isinstance(row["area_code"], str):
        return ""
    hits = actions[(actions["area_code"] == row["area_code"])
                   & actions["categories"].map(lambda s: row["category_code"] in str(s).split(","))]
    if hits.empty:
        return ""
    best = hits.assign(_rank=hits["status"].map(STATUS_RANK).fillna(9)).sort_values("_rank", kind="stable").iloc[0]
    more = t("overview.card_more_actions", n=len(hits) - 1) if len(hits) > 1 else ""
    return f"{best['title']} ({t('status.' + best['status']).lower()}){more}"


def sparkline(weeks: pd.DataFrame, *, up: bool) -> go.Figure:
    """A small bar chart of a cell's weekly counts with week numbers below (the card's text says what it shows)."""
    labels = [t("chart.week_tick", week=w.isocalendar().week) for w in weeks["week_start"]]
    counts = [None if pd.isna(n) else int(n) for n in weeks["count"]]  # a hidden week is a gap, not a bar
    fig = go.Figure(go.Bar(x=labels, y=counts, marker_color=RISE if up else FALL,
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_layout(height=110, margin=dict(l=4, r=4, t=4, b=24), plot_bgcolor="white", paper_bgcolor="white",
                      showlegend=False, font=dict(family="Source Sans Pro, sans-serif", size=11, color="#1A1A1A"),
                      bargap=0.25)
    fig.update_xaxes(showgrid=False, tickangle=0, tickmode="array", tickvals=labels[::3], ticktext=labels[::3])
    fig.update_yaxes(visible=False, rangemode="tozero")
    return fig


def _weeks_of(spark: pd.DataFrame, row) -> pd.DataFrame:
    area = row["area_code"] if isinstance(row["area_code"], str) else None
    mine = [(a if isinstance(a, str) else None, k) == (area, row["category_code"])
            for a, k in zip(spark["area_code"], spark["category_code"])]
    return spark[mine]


def headline_cards(top: pd.DataFrame, *, flt: IncidentFilter, labels: dict[str, str], actions: pd.DataFrame,
                   spark: pd.DataFrame, lang: str) -> None:
    """A card per large significant change: how many against how many expected, the weeks before, the verdict, the
    open action (or that there is none) and links to the map and trend filtered to it. When there is no such change,
    one line says so."""
    if top.empty:
        st.success(t("overview.no_headlines"), icon=":material/check_circle:")
        return
    cols = st.columns(2)
    trend_from = week_start(flt.end) - timedelta(weeks=TREND_WEEKS - 1)
    for i, row in top.iterrows():
        category, area = cell_names(row, labels)
        up = row["flag"] == INCREASE
        weeks = _weeks_of(spark, row)
        delta = t("overview.card_delta", diff=fmt_signed(round(row["excess"]), lang),
                  expected=fmt_decimal(row["expected"], 1, lang), ref=t(f"overview.ref_{row['comparison']}"))
        with cols[i % 2].container(border=True):
            st.metric(f"{ARROWS[row['flag']]} {escape_markdown(category)} · {escape_markdown(area)}",
                      fmt_int(row["current"], lang), delta=delta,
                      delta_color="orange" if up else "blue", delta_arrow="up" if up else "down",
                      help=t("overview.card_help", weeks=SPARK_WEEKS))
            if len(weeks):
                st.plotly_chart(sparkline(weeks, up=up), key=f"spark_{i}", theme=None,
                                config={"displayModeBar": False, "staticPlot": True},
                                alt=t("overview.spark_alt", weeks=SPARK_WEEKS, category=category, area=area,
                                      counts=", ".join(HIDDEN_TEXT if pd.isna(n) else str(int(n))
                                                     for n in weeks["count"])))
            source = f" · {escape_markdown(row['source_name'])}" if isinstance(row.get("source_name"), str) else ""
            st.markdown(t("overview.card_verdict", verdict=t(f"overview.verdict_{row['flag']}"),
                          p=fmt_p(row["q"], lang)) + source)
            action = open_action(row, actions)
            st.markdown(t("overview.card_action", action=escape_markdown(action)) if action
                        else t("overview.card_no_action"))
            links = st.container(horizontal=True)
            links.page_link("pages/map.py", label=t("overview.link_map"), icon=":material/map:",
                            query_params=link_params(row, flt, flt.start))
            links.page_link("pages/trends.py", label=t("overview.link_trend"), icon=":material/show_chart:",
                            query_params=link_params(row, flt, trend_from))


def _rows_height(n: int, most: int = 15) -> int:
    """A dataframe height that shows up to `most` rows without a scrollbar (35 px rows, a header, borders)."""
    return 35 * (min(max(n, 1), most) + 1) + 3


def since_meeting(counts: pd.DataFrame | None, events: pd.DataFrame, *, meeting: date | None, today: date,
                  labels: dict[str, str], lang: str, threshold: int = 1) -> None:
    """Incidents since the last meeting by category and by area, and the events of the next two weeks; below
    `threshold` a count is hidden (each list with its total, analysis/privacy.suppress_counts)."""
    if meeting is None:
        st.subheader(t("overview.since_heading_none"))
        st.caption(t("overview.since_none"))
        c3 = st.container()
    else:
        st.subheader(t("overview.since_heading", date=fmt_date(meeting, lang)))
        by_cat = counts.groupby("category_code")["current"].sum().sort_values(ascending=False)
        by_cat = by_cat[by_cat > 0]
        names = counts["area_name"].where(counts["area_name"].notna(), t("common.unknown_area"))
        by_area = counts.assign(area=names).groupby("area")["current"].sum().sort_values(ascending=False)
        by_area = by_area[by_area > 0]
        # Only the two lists and their common total are shown (not the cells), so each is suppressed on its own.
        shown_cat = suppress_counts(by_cat, threshold=threshold) if threshold > 1 else None
        shown_area = suppress_counts(by_area, threshold=threshold) if threshold > 1 else None
        total = int(counts["current"].sum()) if len(counts) else 0
        if shown_cat is not None and (shown_cat.total_hidden or shown_area.total_hidden):
            total = None
        st.caption(t("overview.since_caption", n=_count(total, lang), period=range_year(meeting, today, lang)))
        c1, c2, c3 = st.columns([1, 1, 1.3])
        c1.dataframe(pd.DataFrame({t("col.category"): [labels.get(k, k) for k in by_cat.index],
                                   t("col.incidents"): (shown_cat.counts if shown_cat else by_cat).to_numpy()}),
                     hide_index=True, key="since_categories", height=_rows_height(len(by_cat)))
        c2.dataframe(pd.DataFrame({t("col.area"): by_area.index,
                                   t("col.incidents"): (shown_area.counts if shown_area else by_area).to_numpy()}),
                     hide_index=True, key="since_areas", height=_rows_height(len(by_area)))
    with c3:
        st.markdown(f"**{t('overview.events_heading', period=fmt_range(today, today + timedelta(days=13), lang))}**")
        if events.empty:
            st.caption(t("overview.events_none"))
            return
        # titles and places are free text from the register: escaped, so they are never markup
        place = events["place_name"].where(events["place_name"].notna(), events["area_name"])
        st.markdown("\n".join(
            f"- **{short_when(when, lang)}** · {escape_markdown(title)}"
            + (f" · {escape_markdown(where)}" if isinstance(where, str) else "")
            for when, title, where in zip(events["starts_at"], events["title"], place)))


def coverage_table(coverage: pd.DataFrame, *, flt: IncidentFilter, lang: str) -> None:
    """Who has reported in the period against the eight weeks before: a silent partner is marked, not hidden."""
    st.subheader(t("overview.coverage_heading"))
    history_start = flt.start - timedelta(days=HISTORY_DAYS)
    st.caption(t("overview.coverage_caption2", period=range_year(flt.start, flt.end, lang),
                 history=range_year(history_start, flt.start - timedelta(days=1), lang)))
    if coverage.empty:
        st.info(t("common.no_incidents"))
        return
    shown = pd.DataFrame({
        t("col.source"): coverage["org_name"],
        t("overview.col_in_period"): coverage["incidents"],  # <NA> where hidden from a role that may only count
        t("overview.col_expected"): coverage["expected"],
        t("col.reporters"): coverage["reporters"],
        t("col.last_date"): coverage["last_date"].map(lambda d: fmt_date(d, lang)),
        t("overview.col_status"): coverage["status"].map(lambda s: t(f"overview.source_{s}")),
    })
    status = coverage["status"].tolist()
    style = (shown.style
             .apply(lambda col: [SILENT_STYLE if s in ("silent", "low") else "" for s in status], axis=0,
                    subset=[t("overview.col_status")])
             .format({t("overview.col_expected"): lambda x: fmt_decimal(x, 1, lang)})
             .format(na_rep=HIDDEN_TEXT, subset=[t("overview.col_in_period"), t("col.reporters")]))
    st.dataframe(style, hide_index=True, key="coverage_table", alt=t("overview.coverage_alt2"),
                 column_config={t("overview.col_status"): st.column_config.TextColumn(width="large")})
