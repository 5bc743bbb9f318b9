"""Concentration: the share of incidents at the top places, the curve behind it and the Gini coefficient."""
import numpy as np
import pandas as pd
import pytest

from analysis.concentration import concentration, label_places


def gini_by_definition(values) -> float:
    """Mean absolute difference over all pairs divided by twice the mean."""
    x = np.asarray(values, dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).mean() / (2 * x.mean()))


def test_equal_counts_are_not_concentrated():
    c = concentration([4, 4, 4, 4, 4])
    assert c.gini == pytest.approx(0.0) and c.top_share(0.2) == pytest.approx(0.2)


def test_the_top_share_reads_the_curve_by_linear_interpolation():
    c = concentration([1, 10, 3, 1, 5])  # sorted 10, 5, 3, 1, 1 of 20
    assert c.top_share(0.2) == pytest.approx(0.5)  # the top place of five
    assert c.top_share(0.05) == pytest.approx(0.125)  # a quarter of the way to it
    assert c.top_share(0.4) == pytest.approx(0.75) and c.top_share(1.0) == pytest.approx(1.0)


@pytest.mark.parametrize("values", [[3, 1], [1, 2, 3, 4, 100], list(np.random.default_rng(4).poisson(3, 200) + 1)])
def test_gini_agrees_with_the_mean_absolute_difference_definition(values):
    assert concentration(values).gini == pytest.approx(gini_by_definition(values))


def test_places_without_incidents_are_ignored():
    assert concentration([5, 0, 0, 5]).places == 2


def test_no_places_give_no_figures():
    c = concentration([])
    assert c.places == 0 and np.isnan(c.top_share(0.05)) and np.isnan(c.gini)


def test_a_share_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        concentration([1, 2]).top_share(1.5)


def test_places_are_named_places_or_cells_with_their_most_frequent_area():
    rows = pd.DataFrame([
        (None, 7, "Torget", "Centrum", 5), (None, 7, "Torget", "Norr", 1),
        ("89aa", None, None, "Norr", 2), ("89aa", None, None, "Centrum", 3), ("89bb", None, None, None, 1),
    ], columns=["cell", "place_id", "place_name", "area_name", "count"]).astype({"place_id": "Int64"})
    places = label_places(rows)
    assert places["place"].tolist() == ["place:7", "89aa", "89bb"]
    assert places["count"].tolist() == [6, 5, 1]
    assert places["place_name"].tolist()[0] == "Torget" and pd.isna(places["place_name"].tolist()[1])
    assert places["area_name"].tolist()[:2] == ["Centrum", "Centrum"] and pd.isna(places["area_name"].iloc[2])
