"""Weekly or monthly series with a seasonal baseline, control limits, moving average and a year-over-year view.

Buckets are ISO weeks (Monday first) or calendar months, always whole. The seasonal baseline of a bucket is the mean
of the same ISO week (or month) in the three previous years; years before the data start are left out, never read
as zero. A year without an ISO week 53 lends its week 52 to week 53.

Control limits come from the exact conditional test of two Poisson counts: given this bucket's count x and the
k earlier years' total y for the same bucket, x | x + y is Binomial(x + y, 1/(k + 1)) when nothing changed. The
normal range is every x that test does not reject at the 3-sigma level (0.135 % in each tail). For large counts
this is baseline ± 3·sqrt(baseline·(1 + 1/k)) (Poisson variation of the week plus that of the k-year mean); for
small ones it stays honest: after three years with none, up to four in a week are still normal, not one.
Points outside are anomalies ("over" / "under"); a bucket still in progress can be "over" (its count only grows)
but never "under".
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy import stats

PERIODS = ("week", "month")
BASELINE_YEARS = 3
ALPHA = 0.00135  # one tail of ±3 sigma
MOVING_WINDOW = {"week": 4, "month": 3}
OVER, UNDER, NORMAL = "over", "under", "normal"
TOTAL = "__total__"  # the group name of the all-groups series
TABLE_COLUMNS = ["group", "bucket", "bucket_end", "count", "baseline", "baseline_years", "lower", "upper",
                 "moving_avg", "flag", "in_progress"]


def _check(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"Okänd period: {period!r}")


def bucket_start(day: date, period: str) -> date:
    """Monday of the ISO week, or the first of the month, containing `day`."""
    _check(period)
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def next_bucket(bucket: date, period: str) -> date:
    """The start of the bucket after the one starting at `bucket`."""
    _check(period)
    if period == "week":
        return bucket + timedelta(days=7)
    return date(bucket.year + bucket.month // 12, bucket.month % 12 + 1, 1)


def bucket_end(bucket: date, period: str) -> date:
    """The last day of the bucket starting at `bucket`."""
    return next_bucket(bucket, period) - timedelta(days=1)


def buckets_between(start: date, end: date, period: str) -> list[date]:
    """Starts of every whole bucket that overlaps [start, end], in order."""
    out, b = [], bucket_start(start, period)
    while b <= end:
        out.append(b)
        b = next_bucket(b, period)
    return out


def has_week_53(iso_year: int) -> bool:
    """True when ISO year `iso_year` has a week 53 (28 December always lies in the year's last week)."""
    return date(iso_year, 12, 28).isocalendar().week == 53


def same_bucket_years_back(bucket: date, years: int, period: str) -> date:
    """The start of the same ISO week (week 53 → 52 where that year has none) or month, `years` years earlier."""
    _check(period)
    if period == "month":
        return bucket.replace(year=bucket.year - years)
    iso = bucket.isocalendar()
    year = iso.year - years
    week = 52 if iso.week == 53 and not has_week_53(year) else iso.week
    return date.fromisocalendar(year, week, 1)


def label_key(bucket: date, period: str) -> tuple[int, int]:
    """(ISO year, ISO week) of a weekly bucket, or (year, month) of a monthly one."""
    if period == "week":
        iso = bucket.isocalendar()
        return iso.year, iso.week
    return bucket.year, bucket.month


def _merge(ranges: list[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    merged: list[list[date]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def series_ranges(start: date, end: date, *, period: str, years: int = BASELINE_YEARS) -> tuple[tuple[date, date], ...]:
    """The merged date ranges (whole buckets, both ends inclusive) a series over [start, end] needs: its buckets with
    the moving average's lead-in, and the same buckets in each of the `years` previous years."""
    shown = buckets_between(start, end, period)
    lead = shown[0]
    for _ in range(MOVING_WINDOW[period] - 1):
        lead = bucket_start(lead - timedelta(days=1), period)
    ranges = [(lead, bucket_end(shown[-1], period))]
    for b in shown:
        for k in range(1, years + 1):
            back = same_bucket_years_back(b, k, period)
            ranges.append((back, bucket_end(back, period)))
    return _merge(ranges)


def year_over_year_range(end: date, *, period: str) -> tuple[tuple[date, date], ...]:
    """The one date range a year-over-year view ending at `end` needs: the previous (ISO) year and this one."""
    last = bucket_start(end, period)
    first = date.fromisocalendar(last.isocalendar().year - 1, 1, 1) if period == "week" else date(last.year - 1, 1, 1)
    return ((first, bucket_end(last, period)),)


def _largest_true(ok, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per element the largest x in [lo, hi) with ok(x) true, for ok true at lo and monotone (true, then false)."""
    lo, hi = lo.copy(), hi.copy()
    while (hi - lo > 1).any():
        mid = (lo + hi) // 2
        good = ok(mid)
        lo, hi = np.where(good, mid, lo), np.where(good, hi, mid)
    return lo


def control_limits(baseline, years_used, *, alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) whole counts: the range of counts that the exact conditional test against the baseline's
    years (their total = baseline × years_used) does not reject, one-sided `alpha` per tail; NaN without years."""
    b = np.asarray(baseline, dtype=float)
    k = np.asarray(years_used, dtype=float)
    valid = (k > 0) & ~np.isnan(b)
    total = np.where(valid, np.round(np.nan_to_num(b) * np.where(valid, k, 1)), 0).astype(np.int64)
    p = np.where(valid, 1.0 / (np.where(valid, k, 1) + 1.0), 0.5)
    top = (np.nan_to_num(b) + 10 * np.sqrt(np.nan_to_num(b) + 1) + 12).astype(np.int64)
    # Upper: the largest x with P(X >= x | n = x + total) >= alpha (that tail only shrinks as x grows).
    upper = _largest_true(lambda x: stats.binom.sf(x - 1, x + total, p) >= alpha, np.zeros_like(total), top + 1)
    # Lower: the smallest x with P(X <= x | n = x + total) >= alpha, i.e. one above the largest x where it is not.
    below = lambda x: stats.binom.cdf(x - 1, x - 1 + total, p) < alpha  # noqa: E731 - "x - 1 is rejected"
    lower = np.where(stats.binom.cdf(0, total, p) >= alpha, 0,
                     _largest_true(below, np.ones_like(total), top + 1))
    nan = np.full(b.shape, np.nan)
    return np.where(valid, lower, nan), np.where(valid, upper, nan)


def classify(count, lower, upper, in_progress) -> np.ndarray:
    """'over' above the upper limit, 'under' below the lower one (never for a bucket in progress), else 'normal'."""
    c = np.asarray(count, dtype=float)
    lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    running = np.asarray(in_progress, dtype=bool)
    over = c > hi  # a comparison with NaN (no baseline) is False: no flag without a baseline
    under = (c < lo) & ~running
    return np.where(over, OVER, np.where(under, UNDER, NORMAL))


def trend_table(counts: pd.DataFrame, *, start: date, end: date, period: str, data_start: date | None,
                data_end: date, groups: list | None = None, group_starts: dict | None = None,
                years: int = BASELINE_YEARS) -> pd.DataFrame:
    """Per group and shown bucket: count, seasonal baseline, limits, moving average and anomaly flag.

    `counts` holds columns bucket, group, count (missing buckets are zero) over at least series_ranges(). A baseline
    year counts only when its bucket starts on or after `data_start` (and the group's own entry in `group_starts`,
    when given); a bucket ending after `data_end` is in progress and gets no moving average. `groups` fixes which
    groups get rows (default: every group in `counts`).
    """
    _check(period)
    shown = buckets_between(start, end, period)
    if groups is None:
        groups = sorted(counts["group"].unique().tolist())
    lookup = {(g, b): int(c) for g, b, c in zip(counts["group"], counts["bucket"], counts["count"])}
    window = MOVING_WINDOW[period]
    rows = []
    for g in groups:
        first = data_start
        if group_starts and group_starts.get(g) is not None and first is not None:
            first = max(first, group_starts[g])
        for b in shown:
            back = [same_bucket_years_back(b, k, period) for k in range(1, years + 1)]
            back = [x for x in back if first is not None and x >= first]
            baseline = float(np.mean([lookup.get((g, x), 0) for x in back])) if back else np.nan
            trail = [b]
            while len(trail) < window:
                trail.append(bucket_start(trail[-1] - timedelta(days=1), period))
            running = bucket_end(b, period) > data_end
            # The average needs every bucket of its window inside the data (the first one may be partial) and
            # complete (a bucket in progress would drag it down).
            enough = first is not None and trail[-1] >= bucket_start(first, period) and not running
            moving = float(np.mean([lookup.get((g, x), 0) for x in trail])) if enough else np.nan
            rows.append((g, b, bucket_end(b, period), lookup.get((g, b), 0), baseline, len(back), moving, running))
    df = pd.DataFrame(rows, columns=["group", "bucket", "bucket_end", "count", "baseline", "baseline_years",
                                     "moving_avg", "in_progress"])
    df["lower"], df["upper"] = control_limits(df["baseline"], df["baseline_years"]) if len(df) else ([], [])
    df["flag"] = classify(df["count"], df["lower"], df["upper"], df["in_progress"]) if len(df) else []
    return df[TABLE_COLUMNS].astype({"count": "int64", "baseline_years": "int64"})


def total_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """All groups summed per bucket, as the one group TOTAL (columns bucket, group, count)."""
    summed = counts.groupby("bucket", as_index=False)["count"].sum()
    return summed.assign(group=TOTAL)[["bucket", "group", "count"]].astype({"count": "int64"})


def _bucket_of(year: int, number: int, period: str) -> date | None:
    if period == "month":
        return date(year, number, 1)
    if number == 53 and not has_week_53(year):
        return None
    return date.fromisocalendar(year, number, 1)


def year_over_year(counts: pd.DataFrame, *, year: int, period: str, until: date) -> pd.DataFrame:
    """This year against last year per ISO week (1–53) or month (1–12): columns number, this_year, last_year.

    `counts` holds columns bucket, count for ONE series. A week the year does not have (53) and a bucket that ends
    after `until` (in progress, or the future) are NaN, not zero.
    """
    _check(period)
    numbers = range(1, 54) if period == "week" else range(1, 13)
    keyed = {label_key(b, period): int(c) for b, c in zip(counts["bucket"], counts["count"])}

    def value(y: int, n: int) -> float:
        first = _bucket_of(y, n, period)
        if first is None or bucket_end(first, period) > until:
            return np.nan
        return float(keyed.get((y, n), 0))

    return pd.DataFrame({"number": list(numbers), "this_year": [value(year, n) for n in numbers],
                         "last_year": [value(year - 1, n) for n in numbers]})
