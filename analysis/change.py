"""Is a change in counts more than normal variation? Poisson comparison of two periods with the E-test.

Two-sided E-test (Krishnamoorthy & Thomson) for the ratio of two Poisson rates, from statsmodels. A change is
flagged only at p < 0.05; percent change alone is never the verdict.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from statsmodels.stats.rates import etest_poisson_2indep

ALPHA = 0.05
INCREASE, DECREASE, NORMAL = "increase", "decrease", "normal"
FLAGS = (INCREASE, DECREASE, NORMAL)


@dataclass(frozen=True)
class Change:
    """A comparison of two counts: the p-value and its verdict (increase | decrease | normal)."""

    current: int
    previous: int
    p_value: float
    flag: str

    @property
    def significant(self) -> bool:
        return self.flag != NORMAL


def poisson_change(current: int, previous: int, *, exposure_current: float = 1.0, exposure_previous: float = 1.0,
                   alpha: float = ALPHA) -> Change:
    """Compare `current` with `previous` (counts over the given exposures) with a two-sided Poisson E-test."""
    if current < 0 or previous < 0:
        raise ValueError("counts must be non-negative")
    if current == 0 and previous == 0:
        return Change(0, 0, 1.0, NORMAL)
    _, p = etest_poisson_2indep(int(current), exposure_current, int(previous), exposure_previous,
                                alternative="two-sided")
    p = float(min(max(p, 0.0), 1.0))
    rate_now, rate_before = current / exposure_current, previous / exposure_previous
    if p < alpha:
        flag = INCREASE if rate_now > rate_before else DECREASE
    else:
        flag = NORMAL
    return Change(int(current), int(previous), p, flag)


def compare_counts(df: pd.DataFrame, *, current: str = "current", previous: str = "previous",
                   alpha: float = ALPHA) -> pd.DataFrame:
    """Return a copy of `df` with `p_value` and `flag` columns comparing the two count columns row by row."""
    out = df.copy()
    results = [poisson_change(int(c), int(p), alpha=alpha) for c, p in zip(out[current], out[previous])]
    out["p_value"] = pd.Series([r.p_value for r in results], index=out.index, dtype="float64")
    out["flag"] = pd.Series([r.flag for r in results], index=out.index, dtype="object")
    return out
