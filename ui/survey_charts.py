"""Survey figures: small multiples per area over waves, and perception against incidents in four quadrants."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.surveys import Q_BUSY_SAFE, Q_SAFE_CALM, Q_UNSAFE_BUSY, Q_UNSAFE_CALM
from ui.charts import OKABE_ITO

COLUMNS = 4
# Colour AND marker differ per quadrant (Okabe-Ito): the two mismatches stand out in orange and vermilion.
QUADRANT_STYLE = {Q_UNSAFE_CALM: (OKABE_ITO[5], "diamond"), Q_BUSY_SAFE: (OKABE_ITO[1], "square"),
                  Q_UNSAFE_BUSY: (OKABE_ITO[3], "triangle-up"), Q_SAFE_CALM: (OKABE_ITO[0], "circle")}


def small_multiples(rows: pd.DataFrame, *, title: str, scale: float, y_range: tuple[float, float],
                    empty_text: str) -> go.Figure:
    """One panel per area: shown values per wave (× `scale`) with their 95 % intervals; withheld waves leave gaps and
    a panel without any shown value says `empty_text`."""
    areas = list(dict.fromkeys(rows["area_name"]))
    waves = list(dict.fromkeys(rows.sort_values(["fielded_to", "wave"])["wave"]))
    n_rows = max(1, math.ceil(len(areas) / COLUMNS))
    fig = make_subplots(rows=n_rows, cols=COLUMNS, subplot_titles=areas, shared_yaxes=True,
                        vertical_spacing=min(0.12, 0.5 / n_rows), horizontal_spacing=0.03)
    for i, area in enumerate(areas):
        data = rows[rows["area_name"] == area].set_index("wave").reindex(waves)
        value = data["value"].where(data["shown"].fillna(False).astype(bool)) * scale
        if value.isna().all():
            fig.add_annotation(text=empty_text, showarrow=False, font=dict(color="#555555"),
                               xref=f"x{i + 1 if i else ''} domain", yref=f"y{i + 1 if i else ''} domain",
                               x=0.5, y=0.5)
        upper, lower = (data["hi"] * scale - value), (value - data["lo"] * scale)
        fig.add_trace(go.Scatter(
            x=waves, y=value.tolist(), mode="lines+markers", name=area, showlegend=False,
            line=dict(color=OKABE_ITO[0], width=2), marker=dict(size=7, color=OKABE_ITO[0]),
            error_y=dict(type="data", symmetric=False, array=upper.tolist(), arrayminus=lower.tolist(),
                         color="#555555", thickness=1.2, width=3),
            hovertemplate=f"{area} %{{x}}: %{{y:.1f}}<extra></extra>"),
            row=i // COLUMNS + 1, col=i % COLUMNS + 1)
    fig.update_yaxes(range=list(y_range))
    fig.update_xaxes(type="category")
    fig.update_layout(title=dict(text=title), height=200 * n_rows + 90, margin=dict(l=40, r=20, t=90, b=30),
                      plot_bgcolor="white", paper_bgcolor="white", font=dict(size=12))
    fig.update_annotations(font_size=12)
    fig.update_xaxes(showgrid=False, linecolor="#999999")
    fig.update_yaxes(gridcolor="#e5e5e5")
    return fig


# Labels sit on the side of their point that faces away from the threshold cross, where points crowd.
LABEL_POSITION = {Q_UNSAFE_CALM: "top left", Q_UNSAFE_BUSY: "top right", Q_SAFE_CALM: "bottom left",
                  Q_BUSY_SAFE: "bottom right"}
ALL_LABELS_UP_TO = 6  # with this few areas every name fits


def labelled_areas(data: pd.DataFrame) -> set[str]:
    """Area codes whose names the scatter prints: all of a few areas, else the area lying furthest into each quadrant
    and the extremes of both axes (the rest are named on hover and in the table below the chart)."""
    if len(data) <= ALL_LABELS_UP_TO:
        return set(data["area_code"])
    named = set()
    for _quadrant, part in data.groupby("quadrant"):
        named.add(part.sort_values(["mismatch", "area_name"], ascending=[False, True])["area_code"].iloc[0])
    for column in ("per_1000", "value"):
        values = data[column].astype(float)
        named |= {data.loc[values.idxmax(), "area_code"], data.loc[values.idxmin(), "area_code"]}
    return named


def quadrant_scatter(table: pd.DataFrame, *, title: str, x_label: str, y_label: str, labels: dict[str, str],
                     value_threshold: float, rate_threshold: float, scale: float, higher_is_worse: bool) -> go.Figure:
    """Areas as points (value × `scale` against incidents per 1,000) with threshold lines; up = less safe. Names are
    printed for the areas `labelled_areas` picks, away from the threshold cross; every area is named on hover."""
    data = table[table["quadrant"].notna()]
    named = labelled_areas(data)
    fig = go.Figure()
    for quadrant, (colour, symbol) in QUADRANT_STYLE.items():
        part = data[data["quadrant"] == quadrant]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["per_1000"].tolist(), y=(part["value"] * scale).tolist(), mode="markers+text",
            name=labels[quadrant], customdata=part["area_name"].tolist(),
            text=[n if code in named else "" for code, n in zip(part["area_code"], part["area_name"])],
            textposition=LABEL_POSITION[quadrant], cliponaxis=False,
            marker=dict(color=colour, symbol=symbol, size=13, line=dict(color="#222222", width=1)),
            hovertemplate="%{customdata}: %{x:.1f} / %{y:.1f}<extra></extra>"))
    fig.add_vline(x=rate_threshold, line=dict(color="#666666", dash="dash", width=1))
    fig.add_hline(y=value_threshold * scale, line=dict(color="#666666", dash="dash", width=1))
    # Quadrant names in the corners, the unsafe ones at the top (the y axis is reversed when higher = safer).
    for quadrant, x, y, xanchor in ((Q_UNSAFE_CALM, 0.01, 0.99, "left"), (Q_UNSAFE_BUSY, 0.99, 0.99, "right"),
                                    (Q_SAFE_CALM, 0.01, 0.01, "left"), (Q_BUSY_SAFE, 0.99, 0.01, "right")):
        fig.add_annotation(text=f"<b>{labels[quadrant]}</b>", xref="paper", yref="paper", x=x, y=y,
                           xanchor=xanchor, yanchor="top" if y > 0.5 else "bottom", showarrow=False,
                           font=dict(color=QUADRANT_STYLE[quadrant][0], size=13),
                           bgcolor="rgba(255,255,255,0.85)")
    fig.update_layout(title=dict(text=title), height=600, margin=dict(l=60, r=20, t=60, b=110),
                      plot_bgcolor="white", paper_bgcolor="white", xaxis_title=x_label, yaxis_title=y_label,
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    # Head room above and below so that the corner labels never cover a point or its name.
    y = pd.concat([data["value"] * scale, pd.Series([value_threshold * scale])]).astype(float)
    pad = max((y.max() - y.min()) * 0.22, 1e-9)
    y_range = [y.min() - pad, y.max() + pad]
    x_max = max(float(data["per_1000"].max()), rate_threshold) * 1.1
    fig.update_xaxes(gridcolor="#eeeeee", range=[0, x_max])
    fig.update_yaxes(gridcolor="#eeeeee", range=y_range if higher_is_worse else y_range[::-1])
    return fig
