"""Calendar periods as Swedes count them: ISO weeks ("vecka 47"), previous periods, today in Europe/Stockholm."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEFAULT_DAYS = 28


def today_stockholm(now: datetime | None = None) -> date:
    """Today's date in Europe/Stockholm (for an aware `now`, or the current instant)."""
    return (now or datetime.now(STOCKHOLM)).astimezone(STOCKHOLM).date()


def iso_week_bounds(year: int, week: int) -> tuple[date, date]:
    """Monday and Sunday of ISO week `week` of ISO year `year` (raises ValueError for a week that does not exist)."""
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def week_of(day: date) -> tuple[int, int]:
    """(ISO year, ISO week) of `day`."""
    iso = day.isocalendar()
    return iso.year, iso.week


def week_start(day: date) -> date:
    """Monday of the ISO week containing `day`."""
    return day - timedelta(days=day.weekday())


def default_period(today: date, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """The last `days` days ending with `today` (inclusive)."""
    return today - timedelta(days=days - 1), today


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The equally long period immediately before [start, end]."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def is_iso_week(start: date, end: date) -> bool:
    """True when [start, end] is exactly one ISO week, Monday to Sunday."""
    return start.weekday() == 0 and end - start == timedelta(days=6)


@dataclass(frozen=True)
class PeriodDescription:
    """What a period is, for wording: one ISO week (with its number) or a run of days."""

    kind: str  # "week" | "days"
    start: date
    end: date
    days: int
    week: int | None = None
    year: int | None = None


def describe(start: date, end: date) -> PeriodDescription:
    """Classify [start, end] as one ISO week or a run of days."""
    days = (end - start).days + 1
    if is_iso_week(start, end):
        year, week = week_of(start)
        return PeriodDescription("week", start, end, days, week, year)
    return PeriodDescription("days", start, end, days)


def complete_weekly(series, start: date, end: date):
    """Add zero rows so every category has every ISO week from `start` to `end` (columns week_start, category_code,
    count); the input comes from SQL with empty weeks missing."""
    import pandas as pd

    weeks = []
    monday = week_start(start)
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    categories = sorted(series["category_code"].unique()) if len(series) else []
    if not categories:
        return pd.DataFrame({"week_start": [], "category_code": [], "count": []})
    full = pd.MultiIndex.from_product([weeks, categories], names=["week_start", "category_code"])
    counts = series.groupby(["week_start", "category_code"])["count"].sum()
    return counts.reindex(full, fill_value=0).astype("int64").reset_index()
