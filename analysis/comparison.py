"""The overview's comparison table: each cell's count against the period before, the same period in earlier years
and last year so far, each judged by a Poisson test, with the false discovery rate controlled over the whole table.

Input counts come from SQL (data_layer/queries/comparison.py); this module only does arithmetic and tests.
Exposures are window lengths in days, so a 28-day February is compared fairly with a 31-day March, and the
three-year baseline is the 3-year total against exposure 3 (when all three years hold data).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.special import gammaln
from scipy.stats import poisson
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.rates import test_poisson_2indep

from analysis.change import ALPHA, DECREASE, INCREASE, NORMAL

COMPARISONS = ("previous", "baseline", "ytd")
HEADLINE_COMPARISONS = ("baseline", "previous")  # what a headline is about: the period itself, not the year so far
METHODS = ("etest", "exact")
LOW_ALPHA, LOW_SHARE = 0.01, 0.5  # a source is "clearly low" below half its usual volume at p < 0.01
ETEST_MAX_TOTAL = 600  # above this many incidents in the two windows, the score test stands in for the E-test


def exact_conditional_p(current: int, previous: int, *, exposure_current: float = 1.0,
                        exposure_previous: float = 1.0) -> float:
    """Two-sided exact conditional test of equal Poisson rates: given the total, is `current` Binomial(n, share)?"""
    if current == 0 and previous == 0:
        return 1.0
    with np.errstate(divide="ignore", invalid="ignore"):  # statsmodels divides by a zero rate for its ratio
        result = test_poisson_2indep(int(current), exposure_current, int(previous), exposure_previous,
                                     method="exact-cond", alternative="two-sided")
    return float(min(max(result.pvalue, 0.0), 1.0))


def etest_p(current: int, previous: int, *, exposure_current: float = 1.0, exposure_previous: float = 1.0) -> float:
    """Two-sided E-test (Krishnamoorthy & Thomson 2004) of equal Poisson rates: statsmodels' etest_poisson_2indep
    (score statistic, ratio 1) computed on the central grid only. statsmodels sums a grid of at least 101 × 101
    points from zero (2 s for 3,000 against 2,500); the points more than 1e-13 into either tail change nothing."""
    y1, y2, n1, n2 = int(current), int(previous), float(exposure_current), float(exposure_previous)
    if y1 < 0 or y2 < 0:
        raise ValueError("counts must be non-negative")
    if y1 == 0 and y2 == 0:
        return 1.0
    r_d = n1 / n2
    rate = (y1 + y2) / n2 / (1 + r_d)  # both rates under the null hypothesis of equal rates
    means = (n1 * rate, n2 * rate)

    def stat(x1, x2):
        return (x1 - x2 * r_d) / np.sqrt((x1 + x2) * r_d + 1e-20)

    # ±9 standard deviations (and a margin for small means) hold all but ~1e-15 of each Poisson distribution
    grids = [np.arange(max(0, int(m - 9 * math.sqrt(m) - 5)), int(m + 9 * math.sqrt(m) + 25)) for m in means]
    pdf1, pdf2 = (_pmf(g, m) for g, m in zip(grids, means))
    extreme = np.abs(stat(grids[0][:, None], grids[1][None, :])) >= np.abs(stat(y1, y2)) - 1e-15
    return float(min(max((pdf1[:, None] * pdf2[None, :])[extreme].sum(), 0.0), 1.0))


def _pmf(k: np.ndarray, mean: float) -> np.ndarray:
    if mean == 0:
        return (k == 0).astype("float64")
    return np.exp(k * math.log(mean) - mean - gammaln(k + 1))


@lru_cache(maxsize=65_536)
def poisson_p(current: int, previous: int, *, exposure_current: float = 1.0, exposure_previous: float = 1.0,
              method: str = "etest") -> float:
    """The two-sided p-value of `method` (etest: the E-test; exact: the conditional binomial test). Above
    ETEST_MAX_TOTAL incidents in the two windows together the score test stands in for the E-test: there they
    agree to about four decimals and the grid would grow needlessly. Cached: tables repeat the same small pairs."""
    if method == "etest":
        if current + previous > ETEST_MAX_TOTAL:
            with np.errstate(divide="ignore", invalid="ignore"):
                return float(test_poisson_2indep(int(current), exposure_current, int(previous), exposure_previous,
                                                 method="score", alternative="two-sided").pvalue)
        return etest_p(current, previous, exposure_current=exposure_current, exposure_previous=exposure_previous)
    if method == "exact":
        return exact_conditional_p(current, previous, exposure_current=exposure_current,
                                   exposure_previous=exposure_previous)
    raise ValueError(f"Okänd testmetod: {method!r}")


def wheeler_z(current: int, previous: int, *, exposure_current: float = 1.0, exposure_previous: float = 1.0) -> float:
    """Andrew Wheeler's square-root Poisson Z, 2(√current − √expected), the expected count being `previous` scaled
    to the current exposure; |Z| ≥ 2 is his rule of thumb for a change (16 → 25 gives exactly 2)."""
    expected = previous * exposure_current / exposure_previous
    return 2.0 * (math.sqrt(current) - math.sqrt(expected))


@dataclass(frozen=True)
class Exposures:
    """Window lengths in days and which windows lie inside the data (a window before the first data is not used)."""

    days: dict[str, int]
    available: dict[str, bool]

    def baseline_names(self) -> list[str]:
        return [n for n in sorted(self.days) if n.startswith("base_") and self.available.get(n, False)]


def _observed_and_reference(df: pd.DataFrame, name: str, exp: Exposures):
    """(observed counts, reference counts, observed exposure, reference exposure) for one comparison, or None."""
    if name == "previous":
        if not exp.available.get("previous", False):
            return None
        return df["current"], df["previous"], exp.days["current"], exp.days["previous"]
    if name == "baseline":
        bases = exp.baseline_names()
        if not bases:
            return None
        return df["current"], df[bases].sum(axis=1), exp.days["current"], sum(exp.days[b] for b in bases)
    if name == "ytd":
        if not exp.available.get("ytd_previous", False):
            return None
        return df["ytd"], df["ytd_previous"], exp.days["ytd"], exp.days["ytd_previous"]
    raise ValueError(name)


def compare_table(counts: pd.DataFrame, exposures: Exposures, *, alpha: float = ALPHA, method: str = "etest",
                  comparisons: tuple[str, ...] = COMPARISONS) -> pd.DataFrame:
    """Add, per comparison c: expected_c (the reference scaled to the observed window), excess_c, z_c (Wheeler),
    p_c (raw), q_c (Benjamini–Hochberg adjusted over every test in the table) and flag_c (increase | decrease |
    normal, from q_c < alpha); plus baseline_mean (the average count of the same period in the earlier years).
    Comparisons without data (a window before the store's first data) get NaN and flag "n/a"."""
    out = counts.copy()
    bases = exposures.baseline_names()
    out["baseline_mean"] = out[bases].mean(axis=1) if bases else np.nan
    tested: list[tuple[str, pd.Index]] = []
    for name in comparisons:
        pair = _observed_and_reference(out, name, exposures)
        if pair is None:
            for col in ("expected", "excess", "z", "p", "q"):
                out[f"{col}_{name}"] = np.nan
            out[f"flag_{name}"] = "n/a"
            continue
        observed, reference, e_obs, e_ref = pair
        out[f"expected_{name}"] = reference * e_obs / e_ref
        out[f"excess_{name}"] = observed - out[f"expected_{name}"]
        out[f"z_{name}"] = [wheeler_z(int(o), int(r), exposure_current=e_obs, exposure_previous=e_ref)
                            for o, r in zip(observed, reference)]
        out[f"p_{name}"] = [poisson_p(int(o), int(r), exposure_current=e_obs, exposure_previous=e_ref, method=method)
                            for o, r in zip(observed, reference)]
        tested.append((name, out.index))
    _adjust(out, [n for n, _ in tested], alpha)
    return out


def _adjust(out: pd.DataFrame, names: list[str], alpha: float) -> None:
    """Benjamini–Hochberg over all p-values of all tested comparisons at once (one family: the whole table)."""
    if not names or out.empty:
        for name in names:
            out[f"q_{name}"] = pd.Series(dtype="float64")
            out[f"flag_{name}"] = pd.Series(dtype="object")
        return
    pvals = np.concatenate([out[f"p_{n}"].to_numpy(dtype="float64") for n in names])
    _, qvals, _, _ = multipletests(pvals, alpha=alpha, method="fdr_bh")
    for i, name in enumerate(names):
        q = qvals[i * len(out):(i + 1) * len(out)]
        out[f"q_{name}"] = q
        up = out[f"excess_{name}"].to_numpy() > 0
        out[f"flag_{name}"] = np.where(q < alpha, np.where(up, INCREASE, DECREASE), NORMAL)


def count_tests(table: pd.DataFrame) -> int:
    """How many tests the table's FDR adjustment covered."""
    return int(sum(table[f"p_{n}"].notna().sum() for n in COMPARISONS if f"p_{n}" in table))


def headlines(table: pd.DataFrame, *, n: int = 4) -> pd.DataFrame:
    """The `n` largest significant changes (by |excess| over the period's own comparisons), one row per cell, with
    the comparison that carries it (`comparison`, `expected`, `excess`, `q`, `flag`); increases first on ties."""
    rows = []
    for idx, row in table.iterrows():
        best = None
        for name in HEADLINE_COMPARISONS:
            flag = row.get(f"flag_{name}")
            if flag not in (INCREASE, DECREASE):
                continue
            size = abs(float(row[f"excess_{name}"]))
            if best is None or size > best[0]:
                best = (size, name)
        if best is not None:
            name = best[1]
            rows.append({**row.to_dict(), "comparison": name, "expected": row[f"expected_{name}"],
                         "excess": row[f"excess_{name}"], "q": row[f"q_{name}"], "flag": row[f"flag_{name}"],
                         "_size": best[0], "_up": row[f"flag_{name}"] == INCREASE})
    if not rows:
        return pd.DataFrame(columns=[*table.columns, "comparison", "expected", "excess", "q", "flag"])
    found = pd.DataFrame(rows).sort_values(["_size", "_up"], ascending=[False, False], kind="stable")
    return found.head(n).drop(columns=["_size", "_up"]).reset_index(drop=True)


def rate_per_1000(count, population) -> float:
    """Incidents per 1,000 residents, or NaN where the population is unknown or zero."""
    if population is None or pd.isna(population) or population <= 0:
        return float("nan")
    return 1000.0 * float(count) / float(population)


def quiet_sources(coverage: pd.DataFrame, *, period_days: int, history_days: int, alpha: float = LOW_ALPHA,
                  share: float = LOW_SHARE) -> pd.DataFrame:
    """Mark each source (columns incidents, history) as "silent" (none in the period but some in the history
    window before it), "low" (at most `share` of what its history rate predicts and one-sided Poisson p < alpha:
    strict on purpose, as seasons alone move counts by a quarter), "new" (no history) or "normal"; adds `expected`
    (the history scaled to the period's length)."""
    out = coverage.copy()
    out["expected"] = out["history"] * period_days / history_days
    status = []
    for now, before, expected in zip(out["incidents"], out["history"], out["expected"]):
        if before == 0:
            status.append("new" if now > 0 else "normal")
        elif now == 0:
            status.append("silent")
        elif now <= share * expected and poisson.cdf(int(now), float(expected)) < alpha:
            status.append("low")
        else:
            status.append("normal")
    out["status"] = status
    return out
