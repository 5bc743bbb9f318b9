"""The overview's figures as a role that may only count sees them: small counts hidden with complementary
suppression (analysis/privacy.py), and no verdict on a comparison that involves a hidden count. The threshold comes
from data_layer/scope.min_count; with a threshold of 1 everything passes through unchanged. Hidden counts are <NA>
(nullable Int64), hidden verdicts are the flag HIDDEN; window totals as published are kept beside the table."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.comparison import COMPARISONS
from analysis.privacy import is_small, suppress_counts, suppress_table
from data_layer.overview_figures import Comparison

HIDDEN = "hidden"  # the flag of a comparison that involves a hidden count: shown as "–", never as a verdict
BASE_SUM = "base_sum"  # the earlier years' counts added up: the baseline mean shown is this over their number
# Which counts each comparison is made of (analysis/comparison.py _observed_and_reference).
COMPARED = {"previous": ("current", "previous"), "baseline": ("current", BASE_SUM), "ytd": ("ytd", "ytd_previous")}
_NO_AREA = "\x00no-area"  # pivot key of the row of incidents without an area


@dataclass(frozen=True)
class SuppressedComparison(Comparison):
    """A Comparison as published: `totals` maps each window (and BASE_SUM) to its grand total, None when hidden."""

    totals: dict[str, int | None] = field(default_factory=dict)
    threshold: int = 1


def _windows(c: Comparison) -> list[str]:
    return [w for w in ("current", "previous", "ytd", "ytd_previous") if w in c.table]


def suppress_comparison(c: Comparison, *, threshold: int) -> SuppressedComparison:
    """Each window's area × category table suppressed on its own with its area, category and grand totals published
    (a viewer can read them off by filtering), the earlier years as their sum; rates, means and every comparison
    that uses a hidden count hidden too."""
    table = c.table.copy()
    bases = c.exposures.baseline_names()
    table[BASE_SUM] = table[bases].sum(axis=1).astype("int64") if bases else 0
    windows = _windows(c) + ([BASE_SUM] if bases else [])
    totals = {w: int(table[w].sum()) for w in windows}
    if threshold <= 1 or table.empty or "source_code" in table:
        # By source is a third dimension this does not protect: the page does not offer it to these roles.
        if threshold > 1 and "source_code" in table:
            raise ValueError("a table split by source cannot be suppressed here")
        return SuppressedComparison(c.windows, c.exposures, table, c.tests, c.first_date, totals, threshold)
    area = table["area_code"].where(table["area_code"].map(lambda a: isinstance(a, str)), _NO_AREA)
    keyed = table.assign(_area=area)
    hidden = {}
    for w in windows:
        pivot = keyed.pivot_table(index="_area", columns="category_code", values=w, aggfunc="sum", fill_value=0)
        # Area and category totals are a filter away, so they are never hidden to protect a cell (fixed_margins).
        published = suppress_table(pivot, threshold=threshold, fixed_margins=True)
        stacked = published.mask.stack()
        hidden[w] = np.array([bool(stacked.get((a, k), False)) for a, k in zip(keyed["_area"], keyed["category_code"])])
        totals[w] = published.total
    for w in windows:
        table[w] = table[w].astype("Int64").mask(hidden[w])
        table[f"hidden_{w}"] = hidden[w]
    if bases:
        table["baseline_mean"] = table["baseline_mean"].mask(hidden[BASE_SUM])
    table["rate"] = table["rate"].mask(hidden["current"])
    for name in COMPARISONS:
        if f"flag_{name}" not in table:
            continue
        used = [hidden[w] for w in COMPARED[name] if w in hidden]
        gone = np.logical_or.reduce(used) if used else np.zeros(len(table), dtype=bool)
        for col in ("expected", "excess", "z", "p", "q"):
            if f"{col}_{name}" in table:
                table[f"{col}_{name}"] = table[f"{col}_{name}"].mask(gone)
        table[f"flag_{name}"] = table[f"flag_{name}"].mask(gone, HIDDEN)
    return SuppressedComparison(c.windows, c.exposures, table, c.tests, c.first_date, totals, threshold)


def window_total(c: Comparison, window: str) -> int | None:
    """A window's grand total as published (None when hidden)."""
    totals = getattr(c, "totals", None)
    if totals is not None and window in totals:
        return totals[window]
    return int(c.table[window].sum())


def suppress_coverage(coverage: pd.DataFrame, *, threshold: int) -> pd.DataFrame:
    """Per source as published: incidents and reporters in the period hidden where small (each list with its
    total, which the summary shows), the expected number hidden where the history behind it is small, the status
    of a hidden count hidden. The published totals are in .attrs["published_totals"] (None when hidden)."""
    out = coverage.copy()
    totals = {c: int(out[c].sum()) for c in ("incidents", "reporters", "history_reporters")}
    if threshold <= 1 or out.empty:
        out.attrs["published_totals"] = totals
        return out
    for column in ("incidents", "reporters"):
        published = suppress_counts(out[column].reset_index(drop=True), threshold=threshold)
        out[column] = pd.array(published.counts.to_numpy(), dtype="Int64")
        totals[column] = published.total
    if "history_reporters" in out:
        totals["history_reporters"] = None if is_small(totals["history_reporters"], threshold) \
            else totals["history_reporters"]
    small_history = out["history"].map(lambda n: is_small(n, threshold)).to_numpy(dtype=bool)
    out["history"] = out["history"].astype("Int64").mask(small_history)
    if "expected" in out:
        out["expected"] = out["expected"].mask(small_history)
    if "status" in out:
        out["status"] = out["status"].mask(out["incidents"].isna().to_numpy(dtype=bool) | small_history, HIDDEN)
    out.attrs["published_totals"] = totals
    return out


def published_total(frame: pd.DataFrame, column: str) -> int | None:
    """A column's total as published (suppress_coverage's record; the plain sum when nothing was suppressed)."""
    totals = frame.attrs.get("published_totals")
    if totals is not None and column in totals:
        return totals[column]
    return int(frame[column].sum())


def suppress_weekly(weeks: pd.DataFrame, *, threshold: int, keys: tuple[str, ...] = ("area_code", "category_code"),
                    value: str = "count") -> pd.DataFrame:
    """Each cell's weekly counts (a chart's bars) suppressed as one list with its total; hidden weeks are <NA>."""
    out = weeks.copy()
    out[value] = out[value].astype("Int64")
    if threshold <= 1 or out.empty:
        return out
    group = out[list(keys)].astype(object).where(out[list(keys)].notna(), _NO_AREA)
    for _, idx in group.groupby(list(keys), dropna=False, sort=False).groups.items():
        published = suppress_counts(out.loc[idx, value].astype("int64").to_numpy(), threshold=threshold)
        out.loc[idx, value] = pd.array(published.counts.to_numpy(), dtype="Int64")
    return out
