"""Day-of-week × hour weights, with incidents known only as a time window spread over the hours they could have had.

Aoristic weighting (Ratcliffe 2002): an incident whose time is known only as a window adds weight 1, split evenly
over the local clock-hour slots its window touches. The slots are real hours in Europe/Stockholm, so a window across
a daylight-saving change covers one hour fewer (spring) or more (autumn) than the wall clock suggests. A window
touching more than MAX_SLOTS hour slots says nothing about weekday or hour: it is left out and counted apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

STOCKHOLM = "Europe/Stockholm"
MAX_SLOTS = 7 * 24
UNKNOWN = -1  # the slots value SQL gives a window longer than MAX_SLOTS
POINT_COLUMNS = ["weekday", "hour", "count"]
WINDOW_COLUMNS = ["start_date", "start_hour", "slots", "count"]


@dataclass(frozen=True)
class DayHour:
    """weights: 7 × 24 (Monday first, hour 0–23); how many incidents were points, windows spread, and left out."""

    weights: np.ndarray
    points: int
    spread: int
    left_out: int

    @property
    def total(self) -> float:
        return float(self.weights.sum())

    def per_day(self, start: date, end: date) -> np.ndarray:
        """The weights divided by how often each weekday occurs in [start, end]: incidents per such day and hour,
        so a period with five Thursdays and four of every other day does not make Thursdays look worse."""
        days = weekday_counts(start, end)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(days[:, None] > 0, self.weights / days[:, None], 0.0)


def weekday_counts(start: date, end: date) -> np.ndarray:
    """How many Mondays … Sundays lie in [start, end] (both inclusive)."""
    days = (end - start).days + 1
    if days <= 0:
        return np.zeros(7, dtype=int)
    counts = np.full(7, days // 7)
    for i in range(days % 7):
        counts[(start + timedelta(days=i)).weekday()] += 1
    return counts


def window_slots(start_epoch: int, end_epoch: int) -> int:
    """The number of clock-hour slots the window [start, end) touches (at least 1), as the SQL query computes it."""
    floor = start_epoch - start_epoch % 3600
    return max(1, -(-(end_epoch - floor) // 3600))


def spread_windows(windows: pd.DataFrame) -> np.ndarray:
    """7 × 24 weights from pre-aggregated window rows (start_date, start_hour local; slots; count).

    Each row's count is split evenly over `slots` consecutive real hours from its local start hour. Rows with slots
    below 1 count as one slot; rows with UNKNOWN or more than MAX_SLOTS must be removed by the caller.
    """
    grid = np.zeros((7, 24))
    if windows.empty:
        return grid
    slots = np.maximum(windows["slots"].to_numpy(dtype=np.int64), 1)
    if (slots > MAX_SLOTS).any():
        raise ValueError("windows longer than MAX_SLOTS have no weekday or hour")
    local = (pd.to_datetime(windows["start_date"]).to_numpy(dtype="datetime64[h]")
             + windows["start_hour"].to_numpy(dtype=np.int64).astype("timedelta64[h]"))
    # A start hour that occurs twice (autumn) is taken as its first occurrence; one that never occurs (spring)
    # cannot be stored, but is shifted forward rather than dropped.
    start_utc = (pd.DatetimeIndex(local).tz_localize(STOCKHOLM, ambiguous=np.ones(len(local), dtype=bool),
                                                     nonexistent="shift_forward").tz_convert("UTC"))
    start_ns = start_utc.as_unit("ns").asi8
    rows = np.repeat(np.arange(len(slots)), slots)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(slots) - slots, slots)
    instants = pd.DatetimeIndex(start_ns[rows] + offsets * 3_600_000_000_000, tz="UTC").tz_convert(STOCKHOLM)
    weight = (windows["count"].to_numpy(dtype=float) / slots)[rows]
    np.add.at(grid, (instants.day_of_week.to_numpy(), instants.hour.to_numpy()), weight)
    return grid


def day_hour_weights(points: pd.DataFrame, windows: pd.DataFrame) -> DayHour:
    """Combine point counts (weekday 0=Monday, hour, count) with spread windows into one 7 × 24 grid."""
    grid = np.zeros((7, 24))
    if not points.empty:
        np.add.at(grid, (points["weekday"].to_numpy(dtype=int), points["hour"].to_numpy(dtype=int)),
                  points["count"].to_numpy(dtype=float))
    unknown = (windows["slots"] == UNKNOWN) | (windows["slots"] > MAX_SLOTS)
    known = windows[~unknown]
    grid += spread_windows(known)
    return DayHour(weights=grid, points=int(points["count"].sum()) if not points.empty else 0,
                   spread=int(known["count"].sum()), left_out=int(windows.loc[unknown, "count"].sum()))


def as_long(result: DayHour) -> pd.DataFrame:
    """The grid as rows weekday, hour, weight (168 rows, Monday 00 first)."""
    weekday, hour = np.divmod(np.arange(7 * 24), 24)
    return pd.DataFrame({"weekday": weekday, "hour": hour, "weight": result.weights.reshape(-1)})
