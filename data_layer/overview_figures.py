"""The overview's figures as plain functions of the store (no UI): the comparison table with its significance tests
and the source coverage. ui/overview_data.py (the page, cached) and data_layer/reports (offline reports) both call
these, so a report and the overview always agree."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from analysis.comparison import COMPARISONS, Exposures, compare_table, count_tests, quiet_sources, rate_per_1000
from analysis.periods import Period, Windows, comparison_windows
from data_layer.queries import comparison as cq
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope

HISTORY_DAYS = 56  # data coverage: the period against the eight weeks before it


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
