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


# --- period presets and the windows each period is compared with ---------------------------------------------------

PRESETS = ("week", "last_week", "14d", "28d", "month", "tertial", "year", "since_meeting", "custom")
KINDS = ("week", "month", "tertial", "year", "days")
TERTIAL_FIRST_MONTHS = (1, 5, 9)  # tertial 1 = jan–apr, 2 = maj–aug, 3 = sep–dec
_UNIT_MONTHS = {"month": 1, "tertial": 4, "year": 12}
BASELINE_YEARS = 3


@dataclass(frozen=True)
class Period:
    """A period to look at: both dates inclusive, and its kind (which decides what it is compared with)."""

    start: date
    end: date
    kind: str  # week | month | tertial | year | days

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def tertial_start(day: date) -> date:
    """The first day of the tertial (jan–apr, maj–aug, sep–dec) containing `day`."""
    return date(day.year, TERTIAL_FIRST_MONTHS[(day.month - 1) // 4], 1)


def tertial_of(day: date) -> int:
    """1, 2 or 3: the tertial of the year containing `day`."""
    return (day.month - 1) // 4 + 1


def preset_period(preset: str, today: date, *, last_meeting: date | None = None) -> Period | None:
    """The period a preset means on `today` (to and including today); None for "custom" and for "since_meeting"
    without a held meeting. "week" is the current ISO week so far (Monday to today)."""
    monday = week_start(today)
    if preset == "week":
        return Period(monday, today, "week")
    if preset == "last_week":
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), "week")
    if preset in ("14d", "28d"):
        return Period(today - timedelta(days=int(preset[:-1]) - 1), today, "days")
    if preset == "month":
        return Period(today.replace(day=1), today, "month")
    if preset == "tertial":
        return Period(tertial_start(today), today, "tertial")
    if preset == "year":
        return Period(date(today.year, 1, 1), today, "year")
    if preset == "since_meeting":
        if last_meeting is None or last_meeting > today:
            return None
        return Period(last_meeting, today, "days")
    if preset == "custom":
        return None
    raise ValueError(f"Okänd period: {preset!r}")


def matching_preset(start: date, end: date, today: date, *, last_meeting: date | None = None,
                    prefer: str | None = None) -> str:
    """The preset whose period on `today` is exactly [start, end] (`prefer` first when it matches), else "custom"."""
    for preset in ((prefer,) if prefer else ()) + PRESETS:
        if preset is None or preset == "custom":
            continue
        period = preset_period(preset, today, last_meeting=last_meeting)
        if period is not None and (period.start, period.end) == (start, end):
            return preset
    return "custom"


def _months_spanned(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _month_end(day: date) -> date:
    nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def infer_kind(start: date, end: date) -> str:
    """The kind of a period given only by its dates (a URL): ISO weeks when it starts on a Monday and is at most a
    week or whole weeks; a month, tertial or year (so far) when it starts on the first of one; else a run of days."""
    days = (end - start).days + 1
    if start.weekday() == 0 and (days <= 7 or days % 7 == 0):
        return "week"
    if start.day == 1:
        months = _months_spanned(start, end)
        if months == 1:
            return "month"
        if start.month in TERTIAL_FIRST_MONTHS and months <= 4 and tertial_start(end) == start:
            return "tertial"
        if start.month == 1 and end.year == start.year:
            return "year"
        if end == _month_end(end):
            return "month"
    return "days"


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, the day clipped to the target month's length (31 mar − 1 month = 28/29 feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    first = date(year, month0 + 1, 1)
    return min(first + timedelta(days=day.day - 1), _month_end(first))


def shift_years(day: date, years: int) -> date:
    """The same calendar date `years` earlier (negative: later); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 Feb in a year without it
        return day.replace(year=day.year - years, day=28)


def same_week_years_back(monday: date, years: int) -> date:
    """Monday of the ISO week with the same number `years` ISO years earlier. Week 53 exists only in some years;
    where it does not, the week holding the same date (its Thursday, i.e. 31 December or 1 January) is used."""
    iso_year, week, _ = monday.isocalendar()
    try:
        return date.fromisocalendar(iso_year - years, week, 1)
    except ValueError:
        return week_start(shift_years(monday + timedelta(days=3), years))


def previous_window(period: Period) -> tuple[date, date]:
    """What the period is compared with first: the same weekdays of the week(s) before for a week; the month,
    tertial or year before (same elapsed days, or the whole unit when the period is a whole unit); else the equally
    long run of days just before."""
    if period.kind == "week":
        shift = timedelta(days=7 * -(-period.days // 7))
        return period.start - shift, period.end - shift
    if period.kind in _UNIT_MONTHS:
        unit = _UNIT_MONTHS[period.kind]
        units = -(-_months_spanned(period.start, period.end) // unit)
        start = add_months(period.start, -unit * units)
        end = add_months(period.end, -unit * units)
        if period.end == _month_end(period.end):
            end = _month_end(end)
        return start, min(end, period.start - timedelta(days=1))
    return previous_period(period.start, period.end)


def baseline_windows(period: Period, years: int = BASELINE_YEARS) -> tuple[tuple[date, date], ...]:
    """The same period in each of the `years` previous years, newest first: the same ISO week numbers (same
    weekdays) for a week, otherwise the same calendar dates shifted by whole years."""
    windows = []
    for k in range(1, years + 1):
        if period.kind == "week":
            start = same_week_years_back(period.start, k)
            windows.append((start, start + timedelta(days=period.days - 1)))
        else:
            windows.append((shift_years(period.start, k), shift_years(period.end, k)))
    return tuple(windows)


@dataclass(frozen=True)
class Windows:
    """Every date window one comparison table counts: the period, the one before, the same period in earlier years,
    and this year so far against last year so far (up to the same date)."""

    period: Period
    previous: tuple[date, date]
    baseline: tuple[tuple[date, date], ...]
    ytd: tuple[date, date]
    ytd_previous: tuple[date, date]

    def named(self) -> tuple[tuple[str, date, date], ...]:
        """(name, start, end) for every window: current, previous, base_1 … base_n, ytd, ytd_previous."""
        rows = [("current", self.period.start, self.period.end), ("previous", *self.previous)]
        rows += [(f"base_{k}", *w) for k, w in enumerate(self.baseline, start=1)]
        rows += [("ytd", *self.ytd), ("ytd_previous", *self.ytd_previous)]
        return tuple(rows)

    def days(self) -> dict[str, int]:
        """{window name: its length in days} (the exposures of the tests)."""
        return {name: (end - start).days + 1 for name, start, end in self.named()}


def comparison_windows(period: Period, years: int = BASELINE_YEARS) -> Windows:
    """All windows for `period`. Year to date runs from 1 January of the period's last year to its last day."""
    ytd_start = date(period.end.year, 1, 1)
    return Windows(period=period, previous=previous_window(period), baseline=baseline_windows(period, years),
                   ytd=(ytd_start, period.end), ytd_previous=(shift_years(ytd_start, 1), shift_years(period.end, 1)))


HOTSPOT_RECENT_DAYS = 28  # "the last 4 weeks"
HOTSPOT_BEFORE_DAYS = 84  # "… vs the 12 before"


def hotspot_windows(end: date) -> dict[str, tuple[date, date]]:
    """The hotspot trend windows ending on `end` (inclusive): the last 4 weeks, the 12 weeks before them, and the
    same 4 weeks a year earlier (52 weeks back, so the weekdays match)."""
    recent_start = end - timedelta(days=HOTSPOT_RECENT_DAYS - 1)
    before_end = recent_start - timedelta(days=1)
    year = timedelta(weeks=52)
    return {"recent": (recent_start, end),
            "before": (before_end - timedelta(days=HOTSPOT_BEFORE_DAYS - 1), before_end),
            "last_year": (recent_start - year, end - year)}
