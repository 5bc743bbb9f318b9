"""Plotly figures with translated labels and colour-blind-safe palettes (Okabe-Ito; markers vary too)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.i18n import t

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "triangle-down")
FONT = dict(family="Source Sans Pro, sans-serif", size=14, color="#1A1A1A")


def _layout(fig: go.Figure, *, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(title=dict(text=title), xaxis_title=x, yaxis_title=y, font=FONT, legend_title_text="",
                      margin=dict(l=70, r=20, t=60, b=70), hovermode="closest", plot_bgcolor="white",
                      separators=", ")
    fig.update_xaxes(showgrid=True, gridcolor="#D9D9D9", linecolor="#595959", automargin=True)
    fig.update_yaxes(showgrid=True, gridcolor="#D9D9D9", linecolor="#595959", rangemode="tozero", automargin=True)
    return fig


def weekly_lines(series: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """One line per category over weeks (columns week_start, category_code, count); colour AND marker differ."""
    fig = go.Figure()
    for i, (code, part) in enumerate(series.groupby("category_code", sort=True)):
        part = part.sort_values("week_start")
        fig.add_trace(go.Scatter(
            x=part["week_start"], y=part["count"], mode="lines+markers", name=labels.get(code, code),
            line=dict(color=OKABE_ITO[i % len(OKABE_ITO)], width=2, dash=("solid", "dash", "dot")[i // 8 % 3]),
            marker=dict(symbol=SYMBOLS[i % len(SYMBOLS)], size=8),
            hovertemplate=t("chart.week_hover")))
    weeks = sorted(series["week_start"].unique())
    fig.update_xaxes(tickmode="array", tickvals=weeks,
                     ticktext=[t("chart.week_tick", week=w.isocalendar().week) for w in weeks])
    return _layout(fig, title=t("trends.chart_title"), x=t("chart.week"), y=t("chart.count"))


def coverage_bars(coverage: pd.DataFrame) -> go.Figure:
    """Horizontal bars: incidents per source organisation (columns org_name, incidents), values printed on bars."""
    data = coverage.sort_values("incidents")
    fig = go.Figure(go.Bar(x=data["incidents"], y=data["org_name"], orientation="h", marker_color=OKABE_ITO[0],
                           text=data["incidents"], textposition="outside",
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    return _layout(fig, title=t("overview.coverage_chart"), x=t("chart.count"), y="")


def survey_bars(results: pd.DataFrame, *, value_label: str) -> go.Figure:
    """Grouped bars per area and wave (columns area_name, wave, shown_value, label); suppressed values absent."""
    fig = go.Figure()
    for i, (wave, part) in enumerate(results.groupby("wave", sort=True)):
        fig.add_trace(go.Bar(x=part["area_name"], y=part["shown_value"], name=str(wave),
                             marker=dict(color=OKABE_ITO[i % len(OKABE_ITO)],
                                         pattern_shape=("", "/", ".", "x")[i % 4]),
                             text=part["label"], textposition="outside",
                             hovertemplate="%{x}: %{text}<extra>" + str(wave) + "</extra>"))
    fig.update_layout(barmode="group")
    return _layout(fig, title=t("surveys.chart_title"), x=t("chart.area"), y=value_label)
