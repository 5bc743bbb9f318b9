"""How concentrated incidents are in few places: Lorenz (concentration) curve, top-share and Gini.

Places are the named places and, for incidents without one, the H3 cells with at least one incident, ranked from
most to fewest incidents. The curve
runs through (share of places, share of incidents) for the top 1, 2, … places; top_share(p) reads it at p by linear
interpolation, so "the top 5 % of places" is well defined also when 5 % of the places is not a whole number.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TOP_SHARES = (0.05, 0.20)


@dataclass(frozen=True)
class Concentration:
    """The concentration curve (x: share of places, y: share of incidents, both from 0 to 1) and its key figures."""

    places: int
    incidents: int
    x: np.ndarray
    y: np.ndarray
    gini: float

    def top_share(self, p: float) -> float:
        """The share of incidents at the top `p` (0–1) of places."""
        if not 0 <= p <= 1:
            raise ValueError("p must lie between 0 and 1")
        return float(np.interp(p, self.x, self.y)) if self.places else float("nan")


def concentration(counts) -> Concentration:
    """The curve for per-place incident counts (places with zero are ignored); Gini of the counts' distribution."""
    values = np.asarray(counts, dtype=float)
    values = np.sort(values[values > 0])[::-1]
    n, total = len(values), float(values.sum())
    if n == 0:
        return Concentration(0, 0, np.array([0.0, 1.0]), np.array([0.0, 0.0]), float("nan"))
    x = np.concatenate([[0.0], np.arange(1, n + 1) / n])
    y = np.concatenate([[0.0], np.cumsum(values) / total])
    # Gini = 1 - 2·(area under the ascending Lorenz curve); for the descending curve that is 2·area - 1.
    area = float(np.sum((y[1:] + y[:-1]) / 2) / n)
    return Concentration(n, int(round(total)), x, y, 2 * area - 1)


def label_places(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per place with its total count, name (None for an unnamed cell) and most frequent area name.

    `rows` holds columns cell, place_id, place_name, area_name, count: a named place has a place_id (cell empty), an
    unnamed spot its H3 cell. The result has columns place, count, place_name, area_name (place is 'place:<id>' or
    the cell), sorted by count (descending) then place.
    """
    columns = ["place", "count", "place_name", "area_name"]
    totals: dict[str, int] = {}
    names: dict[str, dict[str, dict]] = {"place_name": {}, "area_name": {}}
    # Plain loops over a few hundred pre-aggregated rows: several times faster than pandas groupbys here.
    for cell, place_id, place_name, area_name, count in zip(rows["cell"], rows["place_id"], rows["place_name"],
                                                            rows["area_name"], rows["count"]):
        key = f"place:{int(place_id)}" if not pd.isna(place_id) else cell
        totals[key] = totals.get(key, 0) + int(count)
        for column, name in (("place_name", place_name), ("area_name", area_name)):
            if isinstance(name, str):
                seen = names[column].setdefault(key, {})
                seen[name] = seen.get(name, 0) + int(count)

    def most_frequent(column: str, key: str):
        seen = names[column].get(key)
        return min(seen, key=lambda n: (-seen[n], n)) if seen else None

    order = sorted(totals, key=lambda k: (-totals[k], k))
    return pd.DataFrame([(k, totals[k], most_frequent("place_name", k), most_frequent("area_name", k)) for k in order],
                        columns=columns).astype({"count": "int64"})
