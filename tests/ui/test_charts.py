"""The trends charts: valid plotly (they are built unvalidated), anomalies named in text, a light-to-dark heat scale."""
from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ui import charts


def _table() -> pd.DataFrame:
    weeks = [date(2026, 10, 26) + timedelta(weeks=i) for i in range(5)]
    return pd.DataFrame({"bucket": weeks, "bucket_end": [w + timedelta(days=6) for w in weeks],
                         "count": [20, 31, 4, 18, 6], "baseline": [18.0, 17.0, np.nan, 18.0, 19.0],
                         "lower": [5.0, 4.0, np.nan, 5.0, 5.5], "upper": [30.0, 29.0, np.nan, 30.0, 32.0],
                         "moving_avg": [np.nan, 21.0, 18.0, 18.0, np.nan],
                         "flag": ["normal", "over", "normal", "normal", "normal"],
                         "in_progress": [False, False, False, False, True]})


def _figures() -> dict[str, go.Figure]:
    yoy = pd.DataFrame({"number": range(1, 54), "this_year": [1.0] * 52 + [np.nan], "last_year": [2.0] * 53})
    return {
        "trend": charts.trend_chart(_table(), title="T", tick_labels=[f"v. {w}" for w in range(44, 49)],
                                    hover=["h"] * 5, moving_label="M", in_progress_label="P"),
        "yoy": charts.year_over_year_chart(yoy, title="Y", this_label="2026", last_label="2025",
                                           tick_labels=[f"v. {n}" for n in range(1, 54)], hover_unit="st"),
        "heatmap": charts.day_hour_heatmap(np.arange(168).reshape(7, 24) / 10, title="H", subtitle="S",
                                           weekdays=list("MTOTFLS"), hover_unit="u", scale_title="s"),
        "lorenz": charts.lorenz_chart([0, 0.5, 1], [0, 0.8, 1], title="L", marks=[(0.05, 0.2, "5 %: 20 %")]),
    }


@pytest.mark.parametrize("name", ["trend", "yoy", "heatmap", "lorenz"])
def test_each_trends_figure_passes_plotlys_own_validation(name):
    figure = _figures()[name].to_dict()
    go.Figure(figure)  # raises ValueError on any property plotly does not know


def test_anomalies_carry_a_text_label_and_a_triangle_not_only_a_colour():
    over = [tr for tr in _figures()["trend"].to_dict()["data"] if tr.get("name") == "Över normalt"]
    assert len(over) == 1 and list(over[0]["text"]) == ["Över normalt"]
    assert over[0]["marker"]["symbol"] == "triangle-up" and list(over[0]["y"]) == [31]


def test_the_week_in_progress_is_an_open_ring_off_the_line_and_gaps_stay_gaps():
    data = {tr.get("name"): tr for tr in _figures()["trend"].to_dict()["data"]}
    assert list(data["Antal"]["y"]) == [20, 31, 4, 18] and list(data["P"]["y"]) == [6]
    assert data["P"]["marker"]["symbol"] == "circle-open" and data["P"]["mode"] == "markers"
    assert data["M"]["y"][0] is None and data["Normalt spann"]["y"][2] is None


def test_the_heat_scale_runs_from_near_white_to_dark_blue():
    scale = _figures()["heatmap"].to_dict()["data"][0]["colorscale"]
    first, last = (tuple(int(v) for v in c[4:-1].split(",")) for c in (scale[0][1], scale[-1][1]))
    assert sum(first) > 700 and sum(last) < 200 and [s[0] for s in (scale[0], scale[-1])] == [0, 1]


def test_ticks_are_thinned_to_at_most_fourteen_and_keep_the_last_week():
    ticks = _figures()["yoy"].to_dict()["layout"]["xaxis"]
    assert len(ticks["tickvals"]) <= charts.MAX_TICKS and ticks["ticktext"][-1] == "v. 53"
