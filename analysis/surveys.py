"""Survey statistics: values withheld below the respondent threshold, intervals, change tests, perception quadrants."""
from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

MIN_RESPONDENTS = 30


def present_results(results: pd.DataFrame, *, min_n: int = MIN_RESPONDENTS) -> pd.DataFrame:
    """Add `shown`: True when the value exists and rests on at least `min_n` respondents (unknown n is not shown)."""
    out = results.copy()
    n = pd.to_numeric(out["n"], errors="coerce")
    value = pd.to_numeric(out["value"], errors="coerce")
    out["value"] = value
    out["shown"] = (n >= min_n).fillna(False).astype(bool) & value.notna()
    return out


# --- intervals and status per area × wave ---------------------------------------------------------------------------

Z95 = 1.959963984540054


def wilson_interval(share: float, n: int, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval (95 % by default) of a share observed among n respondents."""
    if n <= 0:
        return float("nan"), float("nan")
    denom = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def numeric_distribution(distribution: str | dict | None) -> dict[float, int] | None:
    """{answer value: count} when every answer of the JSON distribution is a number, else None."""
    if distribution is None or (isinstance(distribution, float) and math.isnan(distribution)):
        return None
    data = json.loads(distribution) if isinstance(distribution, str) else distribution
    try:
        out = {float(k): int(v) for k, v in data.items()}
    except (TypeError, ValueError):
        return None
    return out or None


def mean_summary(counts: dict[float, int]) -> tuple[float, float, int]:
    """Mean, sample standard deviation (ddof 1) and n of answers given as {value: count}."""
    n = sum(counts.values())
    mean = sum(k * c for k, c in counts.items()) / n
    var = sum(c * (k - mean) ** 2 for k, c in counts.items()) / (n - 1) if n > 1 else float("nan")
    return mean, math.sqrt(var), n


def t_interval(counts: dict[float, int], *, level: float = 0.95) -> tuple[float, float]:
    """Student-t interval of the mean of answers given as {value: count}."""
    mean, sd, n = mean_summary(counts)
    if n < 2:
        return float("nan"), float("nan")
    half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


# Why a value is shown without an interval, or not at all (ui/i18n.py keys surveys.status.<status>).
STATUS_MISSING, STATUS_TOO_FEW, STATUS_NO_N, STATUS_NO_DIST, STATUS_COMPOSITE, STATUS_OK, STATUS_BOOTSTRAP = (
    "missing", "too_few", "no_n", "no_distribution", "composite", "ok", "bootstrap")
WITH_INTERVAL = (STATUS_OK, STATUS_BOOTSTRAP)
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20261126


def _component_values(component: dict, rng: np.random.Generator, resamples: int) -> np.ndarray | None:
    """Resampled values of one component (parametric: binomial from share and n, multinomial from a numeric
    distribution); None when the component's data allow no resampling."""
    n = component["n"]
    if n is None or pd.isna(n) or int(n) <= 0 or component["value"] is None or pd.isna(component["value"]):
        return None
    if component["question_kind"] == "share":
        return rng.binomial(int(n), min(max(float(component["value"]), 0.0), 1.0), size=resamples) / int(n)
    counts = numeric_distribution(component["distribution"])
    if counts is None:
        return None
    answers = np.array(list(counts), dtype=float)
    weights = np.array(list(counts.values()), dtype=float)
    total = int(weights.sum())
    if total <= 0:
        return None
    return rng.multinomial(total, weights / total, size=resamples) @ answers / total


def bootstrap_interval(components: list[dict], definition, *, resamples: int = BOOTSTRAP_RESAMPLES,
                       seed: int | list[int] = BOOTSTRAP_SEED, level: float = 0.95) -> tuple[float, float] | None:
    """Percentile interval of a composite index by parametric bootstrap, or None when a component cannot be resampled.

    `components`: one row per component question (question_kind, value, n, distribution, scale_min, scale_max,
    higher_is_worse). Each component is resampled on its own, as if its answers were independent of the others'; the
    index is recomputed from the resampled values as analysis.survey_indices.compute_index does it.
    """
    from analysis.survey_indices import from_badness

    rng = np.random.default_rng(seed)
    bad = []
    for c in components:
        values = _component_values(c, rng, resamples)
        if values is None:
            return None
        lo, hi = float(c["scale_min"]), float(c["scale_max"])
        x = (values - lo) / ((hi - lo) or 1.0)
        bad.append(x if bool(c["higher_is_worse"]) else 1 - x)
    index = from_badness(np.mean(bad, axis=0), definition)
    a, b = np.quantile(index, [(1 - level) / 2, (1 + level) / 2])
    return float(a), float(b)


def _row_seed(area_code, wave) -> list[int]:
    """A seed per area × wave, so that an interval never depends on which other rows are on the page."""
    return [BOOTSTRAP_SEED, zlib.crc32(f"{area_code}|{wave}".encode("utf-8"))]


def with_intervals(index_rows: pd.DataFrame, raw: pd.DataFrame, definition, *,
                   min_n: int = MIN_RESPONDENTS) -> pd.DataFrame:
    """Add status, shown, lo, hi to compute_index output: Wilson for shares, t from the distribution for means.

    A one-question index gets its question's interval on the question's own scale, mapped linearly onto the index's
    scale. A composite index gets a parametric bootstrap interval (`bootstrap_interval`) when every component has n
    and, for means, a numeric answer distribution; otherwise it says why not.
    """
    from analysis.survey_indices import badness_rows, from_badness

    out = index_rows.copy()
    single = len(definition.components) == 1
    raw_by_key, parts = {}, {}
    if single:
        for row in raw[raw["question_code"] == definition.components[0]].to_dict("records"):
            raw_by_key[(row["area_code"], row["wave"])] = row
    else:
        for row in raw[raw["question_code"].isin(definition.components)].to_dict("records"):
            parts.setdefault((row["area_code"], row["wave"]), []).append(row)
    status, lo, hi = [], [], []
    for row in out.to_dict("records"):
        n = row["n"]
        a = b = float("nan")
        if pd.isna(row["value"]):
            s = STATUS_MISSING
        elif not pd.isna(n) and n < min_n:
            s = STATUS_TOO_FEW
        elif pd.isna(n):
            s = STATUS_NO_N
        elif not single:
            ends = bootstrap_interval(parts.get((row["area_code"], row["wave"]), []), definition,
                                      seed=_row_seed(row["area_code"], row["wave"]))
            s = STATUS_NO_DIST if ends is None else STATUS_BOOTSTRAP
            a, b = ends if ends is not None else (a, b)
        else:
            q = raw_by_key[(row["area_code"], row["wave"])]
            if q["question_kind"] == "share":
                a, b = wilson_interval(float(q["value"]), int(q["n"]))
                s = STATUS_OK
            else:
                counts = numeric_distribution(q["distribution"])
                if counts is None:
                    s = STATUS_NO_DIST
                else:
                    a, b = t_interval(counts)
                    s = STATUS_OK
            if s == STATUS_OK:
                ends = pd.DataFrame({"value": [a, b], "scale_min": q["scale_min"], "scale_max": q["scale_max"],
                                     "higher_is_worse": q["higher_is_worse"]})
                mapped = [from_badness(x, definition) for x in badness_rows(ends)]
                a, b = min(mapped), max(mapped)
        status.append(s)
        lo.append(a)
        hi.append(b)
    out["status"], out["lo"], out["hi"] = status, lo, hi
    out["shown"] = ~out["status"].isin([STATUS_MISSING, STATUS_TOO_FEW])  # composite, no_n: shown without interval
    return out


# --- change since the previous wave ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """The change of one area between its two latest shown waves, and the test behind the words."""

    area_code: str
    area_name: str
    wave_before: str
    wave_after: str
    before: float
    after: float
    p_value: float | None  # None: no test possible (reason says why)
    test: str  # two_proportion_z | welch_t | none
    reason: str = ""  # no_n | composite | no_distribution


def two_proportion_z(p1: float, n1: int, p2: float, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z test."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0 if p1 == p2 else 0.0
    return float(2 * stats.norm.sf(abs(p2 - p1) / se))


def welch_t(c1: dict[float, int], c2: dict[float, int]) -> float:
    """Two-sided p-value of Welch's t test between two answer distributions."""
    m1, s1, n1 = mean_summary(c1)
    m2, s2, n2 = mean_summary(c2)
    return float(stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False).pvalue)


def changes(shown: pd.DataFrame, raw: pd.DataFrame, definition) -> list[Change]:
    """Per area: its latest shown wave against the shown wave before it, with a test where the data allow one."""
    single = len(definition.components) == 1
    raw_by_key = {}
    if single:
        for row in raw[raw["question_code"] == definition.components[0]].to_dict("records"):
            raw_by_key[(row["area_code"], row["wave"])] = row
    out = []
    ok = shown[shown["shown"]].sort_values(["area_name", "fielded_to", "wave"])
    for code, group in ok.groupby("area_code", sort=False):
        if len(group) < 2:
            continue
        first, last = group.iloc[-2], group.iloc[-1]
        base = dict(area_code=code, area_name=last["area_name"], wave_before=str(first["wave"]),
                    wave_after=str(last["wave"]), before=float(first["value"]), after=float(last["value"]))
        if pd.isna(first["n"]) or pd.isna(last["n"]):
            out.append(Change(**base, p_value=None, test="none", reason=STATUS_NO_N))
        elif not single:
            out.append(Change(**base, p_value=None, test="none", reason=STATUS_COMPOSITE))
        else:
            q1, q2 = raw_by_key[(code, first["wave"])], raw_by_key[(code, last["wave"])]
            if q1["question_kind"] == "share":
                p = two_proportion_z(float(q1["value"]), int(q1["n"]), float(q2["value"]), int(q2["n"]))
                out.append(Change(**base, p_value=p, test="two_proportion_z"))
            else:
                c1, c2 = numeric_distribution(q1["distribution"]), numeric_distribution(q2["distribution"])
                if c1 is None or c2 is None:
                    out.append(Change(**base, p_value=None, test="none", reason=STATUS_NO_DIST))
                else:
                    out.append(Change(**base, p_value=welch_t(c1, c2), test="welch_t"))
    return out


# --- perception against incidents -----------------------------------------------------------------------------------

Q_UNSAFE_CALM, Q_BUSY_SAFE, Q_UNSAFE_BUSY, Q_SAFE_CALM = "unsafe_calm", "busy_safe", "unsafe_busy", "safe_calm"


def perception_quadrants(index_latest: pd.DataFrame, incidents: pd.DataFrame, *, higher_is_worse: bool,
                         unsafe_threshold: float | None = None,
                         rate_threshold: float | None = None) -> tuple[pd.DataFrame, float, float]:
    """Per area: index value, incidents per 1,000 residents and quadrant; thresholds default to the medians.

    `index_latest`: area_code, area_name, value, shown (one wave); `incidents`: area_code, population, incidents.
    Areas without a shown value or without population get no quadrant (quadrant None) and no part in the medians.
    Returns the table, the unsafe threshold (on the index scale) and the rate threshold.
    """
    table = index_latest[["area_code", "area_name", "value", "shown"]].merge(
        incidents[["area_code", "population", "incidents"]], on="area_code", how="left")
    table["incidents"] = pd.to_numeric(table["incidents"], errors="coerce").fillna(0).astype(int)
    pop = pd.to_numeric(table["population"], errors="coerce")
    table["per_1000"] = (1000 * table["incidents"] / pop.where(pop > 0)).astype(float)
    usable = table["shown"].astype(bool) & table["per_1000"].notna() & table["value"].notna()
    values, rates = table.loc[usable, "value"].astype(float), table.loc[usable, "per_1000"]
    u_thr = float(values.median()) if unsafe_threshold is None else float(unsafe_threshold)
    r_thr = float(rates.median()) if rate_threshold is None else float(rate_threshold)
    unsafe = table["value"].astype(float) > u_thr if higher_is_worse else table["value"].astype(float) < u_thr
    busy = table["per_1000"] > r_thr
    quadrant = [None if not ok else (Q_UNSAFE_BUSY if u and b else Q_UNSAFE_CALM if u else
                                     Q_BUSY_SAFE if b else Q_SAFE_CALM)
                for ok, u, b in zip(usable, unsafe, busy)]
    table["quadrant"] = pd.Series(quadrant, index=table.index, dtype=object)
    # How far into its quadrant an area lies: distance from the thresholds in percentile ranks of the usable areas.
    rank_v = values.rank(pct=True) if higher_is_worse else (-values).rank(pct=True)
    rank_r = rates.rank(pct=True)
    table["mismatch"] = float("nan")
    table.loc[usable, "mismatch"] = (rank_v - 0.5).abs() + (rank_r - 0.5).abs()
    return table, u_thr, r_thr


def most_striking(table: pd.DataFrame, quadrant: str) -> pd.Series | None:
    """The area lying furthest into `quadrant` (largest percentile-rank distance from both thresholds), or None."""
    rows = table[table["quadrant"] == quadrant]
    if rows.empty:
        return None
    return rows.sort_values(["mismatch", "area_name"], ascending=[False, True]).iloc[0]


# --- "unsafe here" marks by place ----------------------------------------------------------------------------------

def nearest_places(marks: pd.DataFrame, places: pd.DataFrame, *, max_metres: float = 400) -> pd.Series:
    """Name of the nearest named place within `max_metres` of each mark (None when none is that close)."""
    if marks.empty or places.empty:
        return pd.Series([None] * len(marks), index=marks.index, dtype=object)
    lat1 = np.radians(marks["lat"].to_numpy(float))[:, None]
    lon1 = np.radians(marks["lon"].to_numpy(float))[:, None]
    lat2 = np.radians(places["lat"].to_numpy(float))[None, :]
    lon2 = np.radians(places["lon"].to_numpy(float))[None, :]
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    metres = 2 * 6_371_000 * np.arcsin(np.sqrt(h))
    best = metres.argmin(axis=1)
    names = places["name"].to_numpy(object)[best]
    close = metres[np.arange(len(best)), best] <= max_metres
    return pd.Series(np.where(close, names, None), index=marks.index, dtype=object)
