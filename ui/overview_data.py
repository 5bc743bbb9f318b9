"""The overview's data, each piece one cached call (ui/state.query keys it by store, data version, scope, filter and
arguments): SQL counts every window (data_layer/queries/comparison.py), analysis/comparison.py tests and adjusts.
The comparison and the coverage live in data_layer/overview_figures.py (shared with the offline reports) and are
re-exported here. Nothing here draws."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy import Engine

from analysis.comparison import headlines
from analysis.periods import week_start
from data_layer.overview_figures import HISTORY_DAYS, Comparison, build_comparison, coverage_status  # noqa: F401
from data_layer.overview_suppression import suppress_comparison, suppress_coverage, suppress_weekly
from data_layer.queries import comparison as cq
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope, min_count

SPARK_WEEKS = 12  # a headline card's bars: the last twelve ISO weeks


def weekly_cells(engine: Engine, *, scope: Scope, flt: IncidentFilter, cells: tuple) -> pd.DataFrame:
    """Weekly counts of the given (area, category) cells over the SPARK_WEEKS ISO weeks up to the period's end, with
    empty weeks as zeros (the last week may be a part week: the period's end)."""
    start = week_start(flt.end) - timedelta(weeks=SPARK_WEEKS - 1)
    found = cq.weekly_cell_counts(engine, scope=scope, flt=flt.with_period(start, flt.end), cells=cells)
    counts = {(w, a if isinstance(a, str) else None, c): n for w, a, c, n in found.itertuples(index=False)}
    weeks = [start + timedelta(weeks=k) for k in range(SPARK_WEEKS)]
    out = pd.DataFrame([(w, a, c, counts.get((w, a, c), 0)) for a, c in cells for w in weeks],
                       columns=cq.WEEKLY_CELL_COLUMNS)
    # Roles that may only count see small weeks hidden. The weeks inside the period add up to the card's count when
    # the period starts on a Monday, so they are suppressed as their own list, apart from the weeks before.
    inside = out.assign(_inside=[w >= flt.start for w in out["week_start"]])
    shown = suppress_weekly(inside, threshold=min_count(scope), keys=("area_code", "category_code", "_inside"))
    return shown.drop(columns="_inside")


def shown_comparison(engine: Engine, *, scope: Scope, flt: IncidentFilter, kind: str,
                     by_source: bool = False) -> Comparison:
    """The comparison as `scope` may see it: small counts and the verdicts built on them hidden for roles that may
    only count (data_layer/overview_suppression.py); unchanged for the others."""
    c = build_comparison(engine, scope=scope, flt=flt, kind=kind, by_source=by_source)
    return suppress_comparison(c, threshold=min_count(scope))


def shown_coverage(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """The source coverage as `scope` may see it (small counts hidden for roles that may only count)."""
    return suppress_coverage(coverage_status(engine, scope=scope, flt=flt), threshold=min_count(scope))


def top_changes(c: Comparison, n: int = 4) -> pd.DataFrame:
    """The headline rows: the `n` largest significant changes of the period (analysis.comparison.headlines)."""
    return headlines(c.table, n=n)


def cells_of(top: pd.DataFrame) -> tuple[tuple[str | None, str], ...]:
    """The (area code or None, category code) of each headline, for the sparkline query."""
    return tuple((a if isinstance(a, str) else None, c) for a, c in zip(top["area_code"], top["category_code"]))
