"""Plotly figures with translated labels and colour-blind-safe palettes (Okabe-Ito; markers vary too)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sequential

from ui.i18n import t

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "triangle-down")
FONT = dict(family="Source Sans Pro, sans-serif", size=14, color="#1A1A1A")


def _layout(fig: go.Figure, *, title: str, x: str, y: str) -> go.Figure:
    # One update_layout on the single x and y axis: update_xaxes/yaxes would search every subplot, which is slow.
    axis = dict(showgrid=True, gridcolor="#D9D9D9", linecolor="#595959", automargin=True)
    fig.update_layout(title=dict(text=title), font=FONT, legend_title_text="", margin=dict(l=70, r=20, t=60, b=70),
                      hovermode="closest", plot_bgcolor="white", separators=", ",
                      xaxis=dict(axis, title=dict(text=x)), yaxis=dict(axis, title=dict(text=y), rangemode="tozero"))
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
    fig.update_layout(xaxis=dict(tickmode="array", tickvals=weeks,
                                 ticktext=[t("chart.week_tick", week=w.isocalendar().week) for w in weeks]))
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


# --- trends page ---------------------------------------------------------------------------------------------------
# Built as plain dicts and wrapped unvalidated: plotly's object model costs ~20 ms a figure, a third of the page's
# Python time at scale 20. The tests read these figures back from the rendered page.

COUNT_COLOUR, BASELINE_COLOUR, BAND_COLOUR = OKABE_ITO[0], "#333333", "rgba(86, 180, 233, 0.28)"
MOVING_COLOUR, ANOMALY_COLOUR, LAST_YEAR_COLOUR = OKABE_ITO[1], OKABE_ITO[5], OKABE_ITO[1]
MAX_TICKS = 14
# Sequential single-hue blues, white → dark (ColorBrewer "Blues", as plotly.py names it): read by lightness alone. Spelt
# out because plotly.js's own "Blues" runs the other way and unvalidated figures pass the name to it as it is.
HEAT_SCALE = [[i / (len(sequential.Blues) - 1), c] for i, c in enumerate(sequential.Blues)]
_GRID = dict(showgrid=True, gridcolor="#D9D9D9", linecolor="#595959", automargin=True)


def _figure(traces: list[dict], *, title, x: str, y: str, legend: dict, xaxis: dict | None = None,
            yaxis: dict | None = None, margin: dict | None = None) -> go.Figure:
    """A figure from trace dicts with the house layout (as _layout gives), without plotly's validation."""
    layout = dict(title=title if isinstance(title, dict) else dict(text=title), font=FONT, legend=legend,
                  margin={**dict(l=70, r=20, t=60, b=70), **(margin or {})}, hovermode="closest", plot_bgcolor="white",
                  separators=", ", xaxis=dict(_GRID, title=dict(text=x), **(xaxis or {})),
                  yaxis=dict(_GRID, title=dict(text=y), **{"rangemode": "tozero", **(yaxis or {})}))
    return go.Figure(data=traces, layout=layout, _validate=False)


def _values(column) -> list:
    """Plain Python values with NaN as None (JSON null: a gap in the line)."""
    return [None if v is None or (isinstance(v, float) and v != v) else v for v in list(column)]


def _sparse(values: list, labels: list[str]) -> tuple[list, list[str]]:
    """At most MAX_TICKS evenly spaced ticks, always ending with the last value."""
    step = max(1, -(-len(values) // MAX_TICKS))
    keep = list(range(len(values) - 1, -1, -step))[::-1]
    return [values[i] for i in keep], [labels[i] for i in keep]


def _line(x, y, name: str, colour: str, *, width: float = 2, dash: str = "solid", rank: int, **more) -> dict:
    return dict(type="scatter", x=x, y=_values(y), mode="lines", name=name, legendrank=rank, hoverinfo="skip",
                line=dict(color=colour, width=width, dash=dash), **more)


def trend_chart(table: pd.DataFrame, *, title: str, tick_labels: list[str], hover: list[str], moving_label: str,
                in_progress_label: str) -> go.Figure:
    """One series over buckets with its normal band (lower–upper), seasonal baseline, moving average and anomalies.

    `table` has columns bucket, count, baseline, lower, upper, moving_avg, flag (over|under|normal), in_progress;
    anomalies get a triangle AND a text label, a bucket in progress an open ring off the line; `hover` is one text
    per row.
    """
    x = [b.isoformat() for b in table["bucket"]]
    done = [not running for running in table["in_progress"]]
    counts = [None if pd.isna(c) else int(c) for c in table["count"]]  # a hidden count is a gap, not a zero
    traces = [
        dict(type="scatter", x=x, y=_values(table["upper"]), mode="lines", line=dict(width=0), hoverinfo="skip",
             showlegend=False),
        dict(type="scatter", x=x, y=_values(table["lower"]), mode="lines", line=dict(width=0), fill="tonexty",
             fillcolor=BAND_COLOUR, name=t("trends.legend_band"), hoverinfo="skip", legendrank=6),
        _line(x, table["baseline"], t("trends.legend_baseline"), BASELINE_COLOUR, dash="dash", rank=5),
        _line(x, table["moving_avg"], moving_label, MOVING_COLOUR, width=3, dash="dot", rank=4),
        dict(type="scatter", x=[v for v, d in zip(x, done) if d], y=[c for c, d in zip(counts, done) if d],
             mode="lines+markers", name=t("trends.legend_count"), line=dict(color=COUNT_COLOUR, width=2.5),
             marker=dict(symbol="circle", size=9, color=COUNT_COLOUR), legendrank=1,
             customdata=[h for h, d in zip(hover, done) if d], hovertemplate="%{customdata}<extra></extra>"),
    ]
    if not all(done):  # a bucket still in progress: an open ring, not joined to the line (its count is partial)
        traces.append(dict(type="scatter", x=[v for v, d in zip(x, done) if not d],
                           y=[c for c, d in zip(counts, done) if not d], mode="markers", name=in_progress_label,
                           marker=dict(symbol="circle-open", size=12, color=COUNT_COLOUR, line=dict(width=2.5)),
                           legendrank=2, customdata=[h for h, d in zip(hover, done) if not d],
                           hovertemplate="%{customdata}<extra></extra>"))
    for flag, symbol, position in (("over", "triangle-up", "top center"), ("under", "triangle-down", "bottom center")):
        hits = [i for i, f in enumerate(table["flag"]) if f == flag]
        if hits:
            label = t(f"trends.flag_{flag}")
            traces.append(dict(type="scatter", x=[x[i] for i in hits], y=[counts[i] for i in hits],
                               mode="markers+text", name=label, text=[label] * len(hits), textposition=position,
                               textfont=dict(color=ANOMALY_COLOUR, size=14), hoverinfo="skip", legendrank=3,
                               marker=dict(symbol=symbol, size=16, color=ANOMALY_COLOUR,
                                           line=dict(color="#1A1A1A", width=1))))
    ticks, texts = _sparse(x, tick_labels)
    return _figure(traces, title=title, x="", y=t("chart.count"),
                   legend=dict(orientation="h", yanchor="top", y=-0.18, x=0, traceorder="normal", title=dict(text="")),
                   xaxis=dict(tickmode="array", tickvals=ticks, ticktext=texts))


def year_over_year_chart(yoy: pd.DataFrame, *, title: str, this_label: str, last_label: str, tick_labels: list[str],
                         hover_unit: str) -> go.Figure:
    """This year (solid, circles) against last year (dashed, squares) per ISO week or month number."""
    numbers = [int(n) for n in yoy["number"]]
    traces = [dict(type="scatter", x=numbers, y=_values(yoy[column]), mode="lines+markers", name=name,
                   line=dict(color=colour, width=2.5, dash=dash), marker=dict(symbol=symbol, size=6),
                   customdata=tick_labels, hovertemplate=f"{name}, %{{customdata}}: %{{y}} {hover_unit}<extra></extra>")
              for column, name, colour, dash, symbol in (("last_year", last_label, LAST_YEAR_COLOUR, "dash", "square"),
                                                         ("this_year", this_label, COUNT_COLOUR, "solid", "circle"))]
    ticks, texts = _sparse(numbers, tick_labels)
    return _figure(traces, title=title, x="", y=t("chart.count"),
                   legend=dict(orientation="h", yanchor="top", y=-0.15, x=0, title=dict(text="")),
                   xaxis=dict(tickmode="array", tickvals=ticks, ticktext=texts))


def day_hour_heatmap(weights, *, title: str, subtitle: str, weekdays: list[str], hover_unit: str,
                     scale_title: str) -> go.Figure:
    """A 7 × 24 heatmap (Monday on top) of incident weights per local weekday and hour, one sequential palette."""
    # A NaN weight (a hidden count) is null: an empty cell, not a zero.
    trace = dict(type="heatmap", z=[[None if v != v else float(v) for v in row] for row in weights], x=[f"{h:02d}" for h in range(24)],
                 y=list(weekdays), colorscale=HEAT_SCALE, xgap=1, ygap=1,
                 colorbar=dict(title=dict(text=scale_title, side="right")),
                 hovertemplate=f"%{{y}} %{{x}}:00: %{{z:.2f}} {hover_unit}<extra></extra>")
    return _figure([trace], title=dict(text=title, subtitle=dict(text=subtitle, font=dict(size=13, color="#404040"))),
                   x=t("trends.hour_axis"), y="", legend=dict(title=dict(text="")), margin=dict(t=90),
                   xaxis=dict(showgrid=False, dtick=1, type="category"),
                   yaxis=dict(autorange="reversed", showgrid=False, rangemode="normal", type="category"))


LORENZ_POINTS = 400


def lorenz_chart(x, y, *, title: str, marks: list[tuple[float, float, str]], suffix: str = "\u00a0%") -> go.Figure:
    """The concentration curve (share of places, most incidents first → share of incidents) with the even line and
    labelled marks (x, y, text) at the top shares. At most LORENZ_POINTS points are drawn (evenly spaced, ends kept):
    the eye cannot tell more apart, and thousands of cells would only make the page heavier."""
    n = len(x)
    keep = np.unique(np.linspace(0, n - 1, min(n, LORENZ_POINTS)).round().astype(int)) if n else np.arange(0)
    traces = [
        dict(type="scatter", x=[0, 100], y=[0, 100], mode="lines", name=t("trends.lorenz_even"), hoverinfo="skip",
             line=dict(color="#595959", width=1.5, dash="dash")),
        dict(type="scatter", x=(np.asarray(x, dtype=float)[keep] * 100).tolist(),
             y=(np.asarray(y, dtype=float)[keep] * 100).tolist(), mode="lines",
             name=t("trends.lorenz_curve"), line=dict(color=COUNT_COLOUR, width=3),
             hovertemplate=t("trends.lorenz_hover") + "<extra></extra>"),
        dict(type="scatter", x=[m[0] * 100 for m in marks], y=[m[1] * 100 for m in marks], mode="markers+text",
             text=[m[2] for m in marks], textposition="middle right", name=t("trends.lorenz_marks"), hoverinfo="skip",
             marker=dict(symbol="diamond", size=12, color=ANOMALY_COLOUR)),
    ]
    return _figure(traces, title=title, x=t("trends.lorenz_x"), y=t("trends.lorenz_y"),
                   legend=dict(yanchor="bottom", y=0.03, xanchor="right", x=0.98, bgcolor="rgba(255,255,255,0.9)",
                               title=dict(text="")),
                   xaxis=dict(range=[0, 100], ticksuffix=suffix), yaxis=dict(range=[0, 102], ticksuffix=suffix))
