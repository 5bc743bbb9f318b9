"""Small-count suppression with complementary suppression, and the LP audit that proves it.

A published count of 1..threshold-1 could point at a person, so it is hidden (primary suppression). A hidden cell
could still be worked out from the totals published beside it, so more cells are hidden (complementary suppression)
until no hidden value follows from what is shown. Zero stays visible: an empty cell says nothing about a person,
and hiding zeros would hide most of a sparse table. Because zeros are shown, a reader knows every hidden count is
at least 1; the audit and the suppression both use that (a row whose two hidden cells sum to 2 gives both away).

A 2-D table is published with its row totals, column totals and grand total. Seen as one (rows+1) × (columns+1)
table with the totals as its last row and column, every line (row or column) is a sum relation, and a hidden entry
can move (keeping every published number) exactly when it lies on a cycle of hidden entries (rows and columns as
nodes, hidden entries as edges); an entry on no cycle (a bridge) is fixed. So suppression runs, until nothing
changes: (a) the classic rule, every line with a hidden entry has at least two, the extra one the smallest other
non-zero entry (cells before totals); (b) every hidden entry that is a bridge gets a cycle, along the cheapest path
of visible non-zero entries; (c) the LP audit with "hidden ≥ 1" and each entry still fixed gets the smallest
visible non-zero entry of its row or column hidden too. Counts are never rounded or perturbed.

Limit: this protects one published table. Tables of overlapping selections (a filter with and without one
category) can be subtracted from each other; that is not prevented here.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

DEFAULT_THRESHOLD = 3
HIDDEN = "–"  # how a hidden count is shown (an en dash, like other missing values in the app)
_INNER, _MARGIN, _GRAND, _FIXED = 0, 1, 2, 9  # which entry to hide first: cells, then totals; _FIXED never


@dataclass(frozen=True)
class SuppressedTable:
    """A published table: counts (nullable Int64, <NA> where hidden) with their row, column and grand totals; the
    masks are True where hidden."""

    counts: pd.DataFrame
    mask: pd.DataFrame
    row_totals: pd.Series
    row_mask: pd.Series
    col_totals: pd.Series
    col_mask: pd.Series
    total: int | None
    total_hidden: bool

    @property
    def any_hidden(self) -> bool:
        return bool(self.mask.to_numpy().any() or self.row_mask.any() or self.col_mask.any() or self.total_hidden)


@dataclass(frozen=True)
class SuppressedCounts:
    """A published list of counts with its total: values (nullable Int64, <NA> where hidden), mask True where
    hidden, the total (None when hidden)."""

    counts: pd.Series
    mask: pd.Series
    total: int | None
    total_hidden: bool


def is_small(n, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True for a count of 1..threshold-1 (zero is not small: it identifies nobody)."""
    return 0 < int(n) < threshold


def suppress_count(n: int, *, threshold: int = DEFAULT_THRESHOLD) -> int | None:
    """A single published count: None when it is small, else the count."""
    return None if is_small(n, threshold) else int(n)


def _counts_array(values) -> np.ndarray:
    arr = np.asarray(values, dtype="float64")
    if arr.size and (np.isnan(arr).any() or (arr < 0).any() or (arr != np.round(arr)).any()):
        raise ValueError("counts must be non-negative integers")
    return arr.astype("int64")


def suppress_counts(series, *, threshold: int = DEFAULT_THRESHOLD, total: bool = True) -> SuppressedCounts:
    """Suppress a list of counts published with their sum (e.g. a chart's weekly counts): counts 1..threshold-1
    hidden, and, when the total is published, more (the smallest non-zero ones, then the total) until no hidden
    value follows from the total: at least two hidden, and their sum larger than their number (each is >= 1)."""
    s = pd.Series(series)
    values = _counts_array(s.to_numpy())
    hidden = np.array([is_small(v, threshold) for v in values], dtype=bool)
    grand = int(values.sum())
    total_hidden = is_small(grand, threshold)
    while total and not total_hidden and hidden.any():
        # Shown total T and shown cells V: the hidden ones sum to S = T - V, each at least 1, so a hidden one
        # lies in [1, S - (k - 1)]: fixed unless k >= 2 and S > k.
        k, spread = int(hidden.sum()), int(values[hidden].sum())
        if k >= 2 and spread > k:
            break
        candidates = [i for i in np.argsort(values, kind="stable") if not hidden[i] and values[i] > 0]
        if candidates:
            hidden[candidates[0]] = True
        else:
            total_hidden = True
    out = pd.Series(pd.array(np.where(hidden, 0, values), dtype="Int64"), index=s.index, name=s.name)
    out[hidden] = pd.NA
    return SuppressedCounts(out, pd.Series(hidden, index=s.index, name=s.name), None if total_hidden else grand,
                            total_hidden)


def _extended(values: np.ndarray) -> np.ndarray:
    """The table with its row totals as the last column and column totals (and the grand total) as the last row."""
    rows = np.column_stack([values, values.sum(axis=1)])
    return np.vstack([rows, rows.sum(axis=0)])


def _ranks(shape: tuple[int, int]) -> np.ndarray:
    ranks = np.full(shape, _MARGIN)
    ranks[:-1, :-1] = _INNER
    ranks[-1, -1] = _GRAND
    return ranks


def _lines(shape: tuple[int, int]) -> list[list[tuple[int, int]]]:
    r, c = shape
    return [[(i, j) for j in range(c)] for i in range(r)] + [[(i, j) for i in range(r)] for j in range(c)]


def _classic(ext: np.ndarray, hidden: np.ndarray, ranks: np.ndarray) -> bool:
    """Every line with exactly one hidden entry gets its smallest other non-zero entry hidden; True if any added."""
    changed = False
    for line in _lines(ext.shape):
        if sum(hidden[p] for p in line) != 1:
            continue
        candidates = [p for p in line if not hidden[p] and ext[p] > 0 and ranks[p] < _FIXED]
        if candidates:  # there always is one: a line's entries sum (with signs) to zero and the hidden one is > 0
            hidden[min(candidates, key=lambda p: _cost(p, line, ext, hidden, ranks))] = True
            changed = True
    return changed


def _cost(p: tuple[int, int], line: list[tuple[int, int]], ext: np.ndarray, hidden: np.ndarray,
          ranks: np.ndarray) -> tuple:
    """Which complement to hide first: cells before totals; then one whose other line (the column for a row, the
    row for a column) already has a single hidden entry, as hiding it settles that line too, then one whose other
    line already has two, then the rest (each of those starts a new obligation); then the smallest."""
    across = hidden[p[0], :] if line[0][0] != line[-1][0] else hidden[:, p[1]]
    n = int(across.sum())
    return ranks[p], 0 if n == 1 else 1 if n >= 2 else 2, ext[p], p


def _bridges(hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden entries on no cycle of hidden entries (row node i, column node j; an entry (i, j) is an edge)."""
    r, c = hidden.shape
    edges = [tuple(p) for p in np.argwhere(hidden)]
    adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in edges:
        adjacency.setdefault(("r", i), []).append(("c", j))
        adjacency.setdefault(("c", j), []).append(("r", i))
    found = []
    for i, j in edges:
        start, goal = ("r", i), ("c", j)
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            for nxt in adjacency[node]:
                if (node, nxt) in ((start, goal), (goal, start)) or nxt in seen:
                    continue
                seen.add(nxt)
                stack.append(nxt)
        if goal not in seen:
            found.append((i, j))
    return found


def _cheapest_cycle(ext: np.ndarray, hidden: np.ndarray, ranks: np.ndarray, bridge: tuple[int, int]) -> bool:
    """Hide the visible non-zero entries on the cheapest path from the bridge's row to its column (hidden entries
    cost nothing, totals cost more than cells); True if any was hidden."""
    r, c = ext.shape
    big = float(ext.sum() + 1)
    start, goal = ("r", bridge[0]), ("c", bridge[1])
    best = {start: 0.0}
    back: dict = {}
    heap = [(0.0, start)]
    while heap:
        cost, node = heapq.heappop(heap)
        if node == goal:
            break
        if cost > best.get(node, float("inf")):
            continue
        kind, k = node
        for other in range(c if kind == "r" else r):
            p = (k, other) if kind == "r" else (other, k)
            if p == bridge or ext[p] == 0 or (ranks[p] >= _FIXED and not hidden[p]):
                continue
            step = 0.0 if hidden[p] else float(ext[p]) + big * ranks[p]
            nxt = ("c", other) if kind == "r" else ("r", other)
            if cost + step < best.get(nxt, float("inf")):
                best[nxt], back[nxt] = cost + step, (node, p)
                heapq.heappush(heap, (cost + step, nxt))
    if goal not in back:
        return False
    changed, node = False, goal
    while node != start:
        node, p = back[node]
        if not hidden[p]:
            hidden[p] = changed = True
    return changed


def feasible_intervals(cells, row_totals, col_totals, total, *, lower: float = 1.0,
                       truth: np.ndarray | None = None, known_free: frozenset = frozenset()
                       ) -> dict[tuple, tuple[float, float]]:
    """The LP audit of one published table: for every hidden entry (NaN in `cells` (2-D), `row_totals`,
    `col_totals`, `total`), its (min, max) over all non-negative tables that reproduce every published number, with
    hidden entries at least `lower` (1: zeros are shown, so a reader knows a hidden count is not 0; 0 is the plain
    non-negativity relaxation). Keys: ("cell", i, j), ("row", i), ("col", j), ("total",). max may be inf.
    With `truth` (the extended table's true values) the answer only has to tell pinned entries from free ones: an
    entry some feasible table gives another value is reported with the two values it is known to take (an interval
    inside its feasible range), found by a few LPs over many entries at once (_screened) or by its own max; only the
    rest are solved one by one. Without `truth` every interval is exact. Keys in `known_free` (entries an earlier
    audit of the same table with fewer entries hidden found free: hiding more only widens their range) are left
    out of the answer."""
    cells = np.asarray(cells, dtype="float64")
    r, c = cells.shape
    ext = np.full((r + 1, c + 1), np.nan)
    ext[:r, :c] = cells
    ext[:r, c] = np.asarray(row_totals, dtype="float64")
    ext[r, :c] = np.asarray(col_totals, dtype="float64")
    ext[r, c] = np.nan if total is None else float(total)
    unknown = [tuple(p) for p in np.argwhere(np.isnan(ext))]
    if not unknown:
        return {}
    index = {p: k for k, p in enumerate(unknown)}
    # Row i of the extended table: cells minus the row total = 0 (the totals row: column totals minus the grand
    # total); column j likewise. Known entries move to the right-hand side.
    a_eq, b_eq = [], []
    for i in range(r + 1):
        _relation([(i, j) for j in range(c + 1)], lambda p: -1.0 if p[1] == c else 1.0, ext, index, a_eq, b_eq)
    for j in range(c + 1):
        _relation([(i, j) for i in range(r + 1)], lambda p: -1.0 if p[0] == r else 1.0, ext, index, a_eq, b_eq)
    a, b = np.array(a_eq), np.array(b_eq)
    # A reader knows a hidden cell is not 0; a total it was never shown may be anything (0 included).
    bounds = [(lower if q[0] < r and q[1] < c else 0.0, None) for q in unknown]
    todo = np.array([_key(p, r, c) not in known_free for p in unknown], dtype=bool)
    out = {} if truth is None else _screened(a, b, bounds, unknown, truth, r, c, todo)
    for p, k in index.items():
        if _key(p, r, c) in out or not todo[k]:
            continue
        objective = np.zeros(len(unknown))
        objective[k] = 1.0
        high = linprog(-objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        hi = -high.fun if high.status == 0 else (float("inf") if high.status == 3 else float("nan"))
        if truth is not None and hi > truth[p] + 1e-6:
            out[_key(p, r, c)] = (float(truth[p]), hi)
            continue
        low = linprog(objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        lo = low.fun if low.status == 0 else float("nan")
        out[_key(p, r, c)] = (lo, hi)
    return out


_SCREENS = 4  # LPs over all still-unproven entries at once, alternating up and down, before solving one by one


def _screened(a, b, bounds, unknown, truth, r: int, c: int, todo: np.ndarray) -> dict[tuple, tuple[float, float]]:
    """Entries proven free by feasible tables that differ from the truth there, each solve pushing every still
    unproven entry up (or down) with random weights: the audit's slow part (2 LPs per hidden entry) shrinks to the
    few entries that are pinned or nearly so. Seeded, so suppression is deterministic."""
    rng = np.random.default_rng(0)
    values = np.array([truth[p] for p in unknown], dtype="float64")
    pending = todo.copy()
    out = {}
    for attempt in range(_SCREENS):
        if not pending.any():
            break
        sign = -1.0 if attempt % 2 == 0 else 1.0  # linprog minimises: -1 pushes up
        objective = np.where(pending, sign * (1.0 + rng.random(len(unknown))), 0.0)
        result = linprog(objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        if result.status != 0:  # unbounded upwards (a hidden total): leave these to the one-by-one solves
            continue
        moved = pending & (np.abs(result.x - values) > 1e-6)
        for k in np.flatnonzero(moved):
            out[_key(unknown[k], r, c)] = (float(min(values[k], result.x[k])), float(max(values[k], result.x[k])))
        pending &= ~moved
    return out


def _relation(line, sign_of, ext, index, a_eq, b_eq) -> None:
    row, rhs = np.zeros(len(index)), 0.0
    for p in line:
        if p in index:
            row[index[p]] += sign_of(p)
        else:
            rhs -= sign_of(p) * ext[p]
    if row.any():
        a_eq.append(row)
        b_eq.append(rhs)


def _key(p: tuple[int, int], r: int, c: int) -> tuple:
    i, j = int(p[0]), int(p[1])
    if i == r and j == c:
        return ("total",)
    if j == c:
        return ("row", i)
    if i == r:
        return ("col", j)
    return ("cell", i, j)


def _entry(key: tuple, r: int, c: int) -> tuple[int, int]:
    return {"total": (r, c), "row": (key[-1], c), "col": (r, key[-1])}.get(key[0], key[1:])


def recoverable(intervals: dict[tuple, tuple[float, float]], *, tolerance: float = 1e-6) -> list[tuple]:
    """The hidden entries the audit pins to one value (or could not solve: treated as recoverable)."""
    return [k for k, (lo, hi) in intervals.items() if not (hi - lo > tolerance)]


def _published(ext: np.ndarray, hidden: np.ndarray):
    shown = np.where(hidden, np.nan, ext.astype("float64"))
    return shown[:-1, :-1], shown[:-1, -1], shown[-1, :-1], shown[-1, -1]


def _positivity(ext: np.ndarray, hidden: np.ndarray, ranks: np.ndarray, free: set) -> bool:
    """Hide one more entry beside each entry the audit (hidden >= 1) still pins; True if any was hidden. `free`
    collects the entries found free, so later rounds (with more hidden) need not solve for them again."""
    cells, rows, cols, total = _published(ext, hidden)
    truth = ext.astype("float64")
    intervals = feasible_intervals(cells, rows, cols, None if np.isnan(total) else total, lower=1.0, truth=truth,
                                   known_free=frozenset(free))
    pinned = recoverable(intervals)
    free.update(k for k in intervals if k not in pinned)
    r, c = cells.shape
    changed = False
    for key in pinned:
        i, j = _entry(key, r, c)
        line = [(i, k) for k in range(c + 1)] + [(k, j) for k in range(r + 1)]
        candidates = [p for p in line if not hidden[p] and ext[p] > 0 and ranks[p] < _FIXED]
        if candidates:
            hidden[min(candidates, key=lambda p: (ranks[p], ext[p], p))] = True
            changed = True
    return changed


def suppress_table(table: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD, margins: bool = True,
                   fixed_margins: bool = False) -> SuppressedTable:
    """Suppress a rows × columns table of counts published with its row, column and grand totals (`margins`):
    counts 1..threshold-1 hidden (totals too), then complementary suppression until the LP audit finds no hidden
    entry with a single possible value. Without margins only the small counts are hidden (nothing to recover from).
    With `fixed_margins` no total is hidden unless it is small itself: for tables whose totals a reader can get
    anyway (by filtering to one row or column), so the protection must come from cells alone."""
    values = _counts_array(table.to_numpy()).reshape(table.shape)
    ext = _extended(values)
    small = (ext > 0) & (ext < threshold)
    hidden = small.copy()
    if not margins:
        hidden[-1, :] = hidden[:, -1] = False
    elif threshold > 1 and hidden.any():
        ranks = _ranks(ext.shape)
        free: set = set()
        if fixed_margins:
            ranks[-1, :] = ranks[:, -1] = _FIXED
        while True:
            if _classic(ext, hidden, ranks):
                continue
            if any(_cheapest_cycle(ext, hidden, ranks, b) for b in _bridges(hidden)[:1]):
                continue
            if not _positivity(ext, hidden, ranks, free):
                break
    inner = hidden[:-1, :-1]
    counts = table.astype("float64").astype("Int64").mask(pd.DataFrame(inner, index=table.index,
                                                                       columns=table.columns))
    row_totals = pd.Series(pd.array(ext[:-1, -1], dtype="Int64"), index=table.index)
    col_totals = pd.Series(pd.array(ext[-1, :-1], dtype="Int64"), index=table.columns)
    row_mask = pd.Series(hidden[:-1, -1], index=table.index)
    col_mask = pd.Series(hidden[-1, :-1], index=table.columns)
    return SuppressedTable(counts, pd.DataFrame(inner, index=table.index, columns=table.columns),
                           row_totals.mask(row_mask), row_mask, col_totals.mask(col_mask), col_mask,
                           None if hidden[-1, -1] else int(ext[-1, -1]), bool(hidden[-1, -1]))


def audit_table(published: SuppressedTable, *, lower: float = 1.0) -> dict[tuple, tuple[float, float]]:
    """The LP audit (feasible_intervals) of a SuppressedTable as published."""
    def floats(x):
        return pd.to_numeric(pd.Series(np.asarray(x, dtype=object).ravel()), errors="coerce") \
            .astype("float64").to_numpy()
    cells = floats(published.counts.to_numpy()).reshape(published.counts.shape)
    return feasible_intervals(cells, floats(published.row_totals), floats(published.col_totals),
                              None if published.total_hidden else published.total, lower=lower)
