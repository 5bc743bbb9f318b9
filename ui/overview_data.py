"""The overview's data, each piece one cached call (ui/state.query keys it by store, data version, scope, filter and
arguments): SQL counts every window (data_layer/queries/comparison.py), analysis/comparison.py tests and adjusts.
Nothing here draws."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine

from analysis.comparison import (COMPARISONS, Exposures, compare_table, count_tests, headlines, quiet_sources,
                                 rate_per_1000)
from analysis.periods import Period, Windows, comparison_windows, week_start
from data_layer.queries import comparison as cq
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope

HISTORY_DAYS = 56  # data coverage: the period against the eight weeks before it
SPARK_WEEKS = 12  # a headline card's bars: the last twelve ISO weeks


@dataclass(frozen=True)
class Comparison:
    """The comparison table with its windows, exposures and the number of tests the FDR adjustment covered."""

    windows: Windows
    exposures: Exposures
    table: pd.DataFrame
    tests: int
    first_date: date | None


def build_comparison(engine: Engine, *, scope: Scope, flt: IncidentFilter, kind: str,
                     by_source: bool = False) -> Comparison:
    """Count every window in SQL and test each cell; windows before the first data are left out, not zero."""
    windows = comparison_windows(Period(flt.start, flt.end, kind))
    first = cq.first_incident_date(engine, scope=scope, flt=flt)["first_date"].iloc[0]
    first = None if first is None or pd.isna(first) else pd.Timestamp(first).date()
    named = windows.named()
    counts = cq.comparison_counts(engine, scope=scope, flt=flt, windows=named, by_source=by_source)
    available = {name: first is not None and start >= first for name, start, _ in named}
    exposures = Exposures(days=windows.days(), available=available)
    # For a year so far the previous window IS last year so far: test it once.
    same = windows.ytd == (flt.start, flt.end) and windows.ytd_previous == windows.previous
    table = compare_table(counts, exposures, comparisons=tuple(c for c in COMPARISONS if not (same and c == "ytd")))
    # Rates only for areas that are not the whole municipality: its row holds only incidents placed no finer.
    table["rate"] = [rate_per_1000(c, pop) if level not in ("kommun", "lan") else float("nan")
                     for c, pop, level in zip(table["current"], table["population"], table["area_level"])]
    return Comparison(windows, exposures, table, count_tests(table), first)


def coverage_status(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Per source: the period against the eight weeks before it, with a status (silent | low | new | normal)."""
    coverage = cq.source_coverage(engine, scope=scope, flt=flt, history_days=HISTORY_DAYS)
    return quiet_sources(coverage, period_days=flt.days, history_days=HISTORY_DAYS)


def weekly_cells(engine: Engine, *, scope: Scope, flt: IncidentFilter, cells: tuple) -> pd.DataFrame:
    """Weekly counts of the given (area, category) cells over the SPARK_WEEKS ISO weeks up to the period's end, with
    empty weeks as zeros (the last week may be a part week: the period's end)."""
    start = week_start(flt.end) - timedelta(weeks=SPARK_WEEKS - 1)
    found = cq.weekly_cell_counts(engine, scope=scope, flt=flt.with_period(start, flt.end), cells=cells)
    counts = {(w, a if isinstance(a, str) else None, c): n for w, a, c, n in found.itertuples(index=False)}
    weeks = [start + timedelta(weeks=k) for k in range(SPARK_WEEKS)]
    return pd.DataFrame([(w, a, c, counts.get((w, a, c), 0)) for a, c in cells for w in weeks],
                        columns=cq.WEEKLY_CELL_COLUMNS)


def top_changes(c: Comparison, n: int = 4) -> pd.DataFrame:
    """The headline rows: the `n` largest significant changes of the period (analysis.comparison.headlines)."""
    return headlines(c.table, n=n)


def cells_of(top: pd.DataFrame) -> tuple[tuple[str | None, str], ...]:
    """The (area code or None, category code) of each headline, for the sparkline query."""
    return tuple((a if isinstance(a, str) else None, c) for a, c in zip(top["area_code"], top["category_code"]))
