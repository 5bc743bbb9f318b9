"""Small-count suppression for every view other than the overview: helpers taking the threshold (from
data_layer/scope.min_count) and a DataFrame, returning it as published, hidden counts <NA> (or NaN in float columns).

A threshold of 1 passes everything through unchanged, so roles that see every count see exactly what they saw before.
Tables are protected with analysis/privacy.suppress_table (primary and complementary suppression against the totals
shown beside them), lists with their total with suppress_counts. Derived figures that would give a hidden count away
(a moving average, a share, a rate) are hidden with it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.privacy import is_small, suppress_counts, suppress_table
from data_layer.scope import Scope, min_count

HIDDEN_FLAG = "hidden"  # the trend flag of a bucket whose count is hidden: no verdict is shown for it
_NO_KEY = "\x00none"  # pivot key for a missing group (the unknown area)
NOTE = {"sv": "Antal under {n} visas inte (de står som –, liksom några fler antal som annars skulle gå att räkna fram "
              "ur summorna).",
        "en": "Counts below {n} are not shown (they read –, as do a few more counts that could otherwise be worked "
              "out from the totals)."}


def threshold(scope: Scope) -> int:
    """The smallest count `scope` is shown (1: every count)."""
    return min_count(scope)


def note(n: int, lang: str = "sv") -> str:
    """'Antal under 3 visas inte …' for a threshold n > 1, '' for 1."""
    return NOTE.get(lang, NOTE["sv"]).format(n=n) if n > 1 else ""


def _keys(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), _NO_KEY)


def suppress_long(frame: pd.DataFrame, *, rows: str, columns: str, value: str = "count", threshold: int,
                  margins: bool = True, fixed_margins: bool = True) -> pd.DataFrame:
    """A long table (one row per `rows` × `columns` pair) published as the rows × columns table with its totals
    (`fixed_margins`: totals a reader can get elsewhere, so never hidden to protect a cell):
    `value` becomes nullable Int64 with <NA> where hidden, and a boolean column hidden_<value> marks them."""
    out = frame.copy()
    out[value] = out[value].astype("int64").astype("Int64")
    out[f"hidden_{value}"] = False
    if threshold <= 1 or out.empty:
        return out
    keyed = out.assign(_r=_keys(out[rows]), _c=_keys(out[columns]))
    pivot = keyed.pivot_table(index="_r", columns="_c", values=value, aggfunc="sum", fill_value=0)
    published = suppress_table(pivot.astype("int64"), threshold=threshold, margins=margins,
                               fixed_margins=fixed_margins)
    stacked = published.mask.stack()
    hidden = np.array([bool(stacked.get((r, c), False)) for r, c in zip(keyed["_r"], keyed["_c"])], dtype=bool)
    out[value] = out[value].mask(hidden)
    out[f"hidden_{value}"] = hidden
    return out


def suppress_columns(frame: pd.DataFrame, columns: list[str], *, threshold: int) -> pd.DataFrame:
    """Each count column of a wide table (NaN where there is no value) published as a list with its total (a year's
    total is a filter away on the overview): hidden counts become NaN (a gap in a chart, not a zero)."""
    out = frame.copy()
    if threshold <= 1 or out.empty:
        return out
    for column in columns:
        values = out[column].astype("float64")
        known = values.notna().to_numpy()
        published = suppress_counts(values[known].round().astype("int64").reset_index(drop=True), threshold=threshold)
        hidden = np.zeros(len(values), dtype=bool)
        hidden[known] = published.mask.to_numpy()
        out[column] = values.mask(hidden)
    return out


def suppress_list(counts, *, threshold: int, total: bool = True) -> pd.Series:
    """A list of counts published with (`total`) or without their sum: nullable Int64, <NA> where hidden."""
    s = pd.Series(counts).reset_index(drop=True)
    if threshold <= 1 or s.empty:
        return s.astype("int64").astype("Int64")
    return suppress_counts(s.astype("int64"), threshold=threshold, total=total).counts


def hidden_grid(weights: np.ndarray, *, threshold: int) -> np.ndarray:
    """Which cells of a grid of (possibly fractional, aoristic) incident weights to hide: those below the threshold
    (above zero), and enough others that none follows from the row, column and grand totals. True where hidden."""
    w = np.asarray(weights, dtype="float64")
    if threshold <= 1 or not w.size:
        return np.zeros(w.shape, dtype=bool)
    small = (w > 0) & (w < threshold)
    # An integer stand-in with the same small cells: a small weight counts as 1, the rest rounded (>= threshold).
    proxy = np.where(small, 1, np.round(w)).astype("int64")
    published = suppress_table(pd.DataFrame(proxy), threshold=threshold, fixed_margins=True)
    return published.mask.to_numpy() | small


def suppress_trend_table(both: pd.DataFrame, *, threshold: int, total: str = "total") -> pd.DataFrame:
    """analysis.trends.trend_table rows of the groups and their total (group == `total`), published as one
    bucket × group table with the total series as its row totals: hidden counts <NA> with flag HIDDEN_FLAG. The
    moving average is dropped (its differences would give counts away, also before the period), and a baseline
    resting on a small count of earlier years is hidden with its limits."""
    out = both.copy()
    out["count"] = out["count"].astype("int64").astype("Int64")
    if threshold <= 1 or out.empty:
        return out
    groups = out[out["group"] != total]
    hidden = pd.Series(False, index=out.index)
    if len(groups):
        keyed = groups.assign(_g=_keys(groups["group"]))
        pivot = keyed.pivot_table(index="bucket", columns="_g", values="count", aggfunc="sum", fill_value=0)
        published = suppress_table(pivot.astype("int64"), threshold=threshold, fixed_margins=True)
        stacked = published.mask.stack()
        hidden.loc[groups.index] = [bool(stacked.get((b, g), False)) for b, g in zip(keyed["bucket"], keyed["_g"])]
        totals = out[out["group"] == total]
        hidden.loc[totals.index] = [bool(published.row_mask.get(b, False)) for b in totals["bucket"]]
    else:  # the total alone: one list with its sum
        shown = suppress_counts(out["count"].astype("int64").reset_index(drop=True), threshold=threshold)
        hidden[:] = shown.mask.to_numpy()
    out["count"] = out["count"].mask(hidden.to_numpy())
    out["flag"] = out["flag"].where(~hidden.to_numpy(), HIDDEN_FLAG)
    out["moving_avg"] = np.nan
    past = (out["baseline"] * out["baseline_years"]).round()
    small_past = past.map(lambda n: bool(n == n and is_small(n, threshold))).to_numpy(dtype=bool)
    for column in ("baseline", "lower", "upper"):
        out[column] = out[column].astype("float64").mask(small_past)
    return out


def published_sum(values) -> int | None:
    """The sum of published counts, or None when any of them is hidden."""
    s = pd.Series(values)
    return None if s.isna().any() else int(s.sum())


def suppress_perception(table: pd.DataFrame, *, threshold: int) -> pd.DataFrame:
    """analysis.surveys.perception_quadrants' table as published: an area's incident count below the threshold is
    hidden (<NA>) with its rate (rate × residents would give it back), quadrant and mismatch; the survey value stays.
    Each area's count is a filter away on the overview (which hides the same small ones), so only those are hidden."""
    out = table.copy()
    out["incidents"] = out["incidents"].astype("int64").astype("Int64")
    out["hidden_incidents"] = False
    if threshold <= 1 or out.empty:
        return out
    hidden = out["incidents"].map(lambda n: is_small(n, threshold)).to_numpy(dtype=bool)
    out["incidents"] = out["incidents"].mask(hidden)
    out["per_1000"] = out["per_1000"].astype("float64").mask(hidden)
    out["quadrant"] = out["quadrant"].astype(object).where(~hidden, None)
    if "mismatch" in out:
        out["mismatch"] = out["mismatch"].astype("float64").mask(hidden)
    out["hidden_incidents"] = hidden
    return out


def export_notes(*, period: str, filter_text: str, threshold: int, lang: str = "sv") -> list[str]:
    """The lines an export carries about itself (data_layer.exports notes): its period, its filter and, when counts
    were suppressed (threshold > 1), that counts below the threshold are not shown."""
    words = {"sv": ("Period", "Urval"), "en": ("Period", "Filter")}.get(lang, ("Period", "Urval"))
    lines = [f"{words[0]}: {period}", f"{words[1]}: {filter_text}"]
    return lines + ([note(threshold, lang)] if threshold > 1 else [])


def suppress_export(frame: pd.DataFrame, count_columns: list[str], *, threshold: int) -> pd.DataFrame:
    """An exported table's count columns as the viewer may see them: each a list published with its total (a
    spreadsheet sums a column at once), hidden counts empty (<NA>). Unchanged at threshold 1."""
    out = frame.copy()
    if threshold <= 1 or out.empty:
        return out
    for column in count_columns:
        out[column] = suppress_list(out[column].fillna(0).astype("int64"), threshold=threshold).to_numpy()
    return out
