"""Rollups: incident counts per day, per month, per day × hour, per day × reporter and per week × H3 cell, kept equal
to GROUP BYs over incident.

Every write of incidents maintains them in its own transaction: imports, undo and the report form add or subtract the
counts of the rows they write (`apply_rows`, proportional to those rows, not to the store, and reading only rows the
writer sees anyway), a category remap moves counts between categories (`move_category`), other edits recompute whole
days (`refresh_days`; run it where every incident of those days is visible, i.e. not under a restricted row-level
security context). `rebuild` recomputes everything; `check` lists where a rollup and the raw table disagree.

Queries read a rollup only when `readable`: the scope counts every incident (scope.counts_everything) and the store's
rollups are marked trusted (StoreInfo "rollups" = "trusted", set by `rebuild` and by migration 0006 on a store that
held incidents). A store whose incidents were written around these functions (a hand-made SQL fix) keeps answering
from the raw table, correctly, until `python -m data_layer rollups rebuild` — `rollups check` finds such drift.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from sqlalchemy import Connection, Engine, delete, except_, func, insert, literal_column, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import ColumnElement

from data_layer.models import (ROLLUP_NO_AREA, Category, Incident, IncidentDaily, IncidentH3Weekly, IncidentHourly,
                               IncidentMonthly, IncidentReporterDaily, Organisation, StoreInfo)
from data_layer.queries.filters import IncidentFilter, area_ids_matching, incident_conditions
from data_layer.queries.sqlfuncs import month_start, week_start
from data_layer.scope import Scope, counts_everything, visible

ROLLUPS = (IncidentDaily, IncidentHourly, IncidentReporterDaily, IncidentH3Weekly, IncidentMonthly)
DAILY_ROLLUPS = (IncidentDaily, IncidentHourly, IncidentReporterDaily)  # keyed by occurred_date
TRUST_KEY, TRUSTED = "rollups", "trusted"
MAX_DIFFERENCES = 100  # per rollup: `check` reports at most this many keys
DAYS_PER_STATEMENT = 490  # refresh_days: dates per IN list (SQLite allows 32,766 parameters; plans stay searches)


def _area():
    return func.coalesce(Incident.area_id, ROLLUP_NO_AREA)


def _grouped(model, where: list, *, sign: int = 1, category_id: int | None = None):
    """(target columns, SELECT of `model`'s rows from the incidents matching `where`); counts times `sign`, and the
    category replaced by `category_id` when given (a remap: the rows' counts as they will be)."""
    category = Incident.category_id if category_id is None else literal_column(str(int(category_id)))
    keys_by_model = {
        IncidentDaily: [Incident.occurred_date, category, _area(), Incident.source_org_id, Incident.location_precision],
        IncidentHourly: [Incident.occurred_date, Incident.occurred_hour, _area(), category, Incident.source_org_id,
                         Incident.occurred_to.is_not(None)],
        IncidentReporterDaily: [Incident.occurred_date, Incident.reporter_user_id, _area(), category,
                                Incident.source_org_id],
        IncidentMonthly: [month_start(Incident.occurred_date), category, _area(), Incident.source_org_id,
                          Incident.location_precision],
        IncidentH3Weekly: [week_start(Incident.occurred_date), Incident.h3_r7, Incident.h3_r8, Incident.h3_r9, _area(),
                           category, Incident.source_org_id],
    }
    keys = keys_by_model[model]
    names = [c.name for c in model.__table__.primary_key.columns]
    count = func.count() if sign == 1 else -func.count()
    if model is IncidentH3Weekly:  # complete_row sets all three cells for exactly the point rows
        where = [*where, Incident.location_precision == "point", Incident.h3_r9.is_not(None)]
    if model is IncidentReporterDaily:  # only rows with a reporter: what COUNT(DISTINCT reporter) counts
        where = [*where, Incident.reporter_user_id.is_not(None)]
    grouping = [k for k in keys if k is not category or category_id is None]
    stmt = select(*[k.label(n) for k, n in zip(keys, names)], count.label("n")).where(*where).group_by(*grouping)
    return [*names, "n"], stmt


def _date_column(model):
    if model is IncidentH3Weekly:
        return model.week_start
    return model.month_start if model is IncidentMonthly else model.occurred_date


def _chunks(items: Iterable, size: int) -> list[list]:
    ordered = sorted(set(items))
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def refresh_days(conn: Connection, *, dates: Iterable[date]) -> None:
    """Recompute every rollup row of the given local dates (and of their ISO weeks and months) from incident."""
    dates = [d if isinstance(d, date) else date.fromisoformat(str(d)[:10]) for d in dates]
    # IN lists of a few hundred days: one index search per day on both stores, few statements for scattered days
    for days in _chunks(dates, DAYS_PER_STATEMENT):
        for model in DAILY_ROLLUPS:
            conn.execute(delete(model).where(model.occurred_date.in_(days)))
            names, stmt = _grouped(model, [Incident.occurred_date.in_(days)])
            conn.execute(insert(model).from_select(names, stmt))
    for mondays in _chunks({_monday(d) for d in dates}, DAYS_PER_STATEMENT // 7):
        conn.execute(delete(IncidentH3Weekly).where(IncidentH3Weekly.week_start.in_(mondays)))
        days = [monday + timedelta(days=i) for monday in mondays for i in range(7)]
        names, stmt = _grouped(IncidentH3Weekly, [Incident.occurred_date.in_(days)])
        conn.execute(insert(IncidentH3Weekly).from_select(names, stmt))
    for first in sorted({_first_of_month(d) for d in dates}):  # a month is a range: one search per month
        conn.execute(delete(IncidentMonthly).where(IncidentMonthly.month_start == first))
        names, stmt = _grouped(IncidentMonthly, [Incident.occurred_date >= first,
                                                 Incident.occurred_date < _next_month(first)])
        conn.execute(insert(IncidentMonthly).from_select(names, stmt))


def apply_rows(conn: Connection, *, where: list, sign: int = 1, category_id: int | None = None) -> None:
    """Add (sign 1) or subtract (sign −1) the counts of the incidents matching `where` to every rollup.

    Call it after inserting those rows, or before deleting them; for a category change call it before the UPDATE
    twice: sign −1 as they are, sign 1 with `category_id` as they will be. Rows that reach 0 are removed.
    """
    if sign not in (1, -1):
        raise ValueError("sign must be 1 or -1")
    upsert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    for model in ROLLUPS:
        table = model.__table__
        names, stmt = _grouped(model, where, sign=sign, category_id=category_id)
        ins = upsert(table).from_select(names, stmt)
        conn.execute(ins.on_conflict_do_update(index_elements=[c.name for c in table.primary_key.columns],
                                               set_={"n": table.c.n + ins.excluded.n}))
    if sign == -1:
        span = conn.execute(select(func.min(Incident.occurred_date), func.max(Incident.occurred_date))
                            .where(*where)).one()
        if span[0] is not None:
            lo, hi = (d if isinstance(d, date) else date.fromisoformat(str(d)[:10]) for d in span)
            for model in ROLLUPS:
                low = {IncidentH3Weekly: _monday(lo), IncidentMonthly: _first_of_month(lo)}.get(model, lo)
                conn.execute(delete(model).where(_date_column(model).between(low, hi), model.n <= 0))


def move_category(conn: Connection, *, where: list, category_id: int) -> None:
    """Before `UPDATE incident SET category_id = :category_id WHERE <where>`: move those rows' counts over."""
    apply_rows(conn, where=where, sign=-1)
    apply_rows(conn, where=where, sign=1, category_id=category_id)


def rebuild_in(conn: Connection) -> None:
    """Recompute every rollup from the incident table inside the caller's transaction and mark them trusted."""
    for model in ROLLUPS:
        conn.execute(delete(model))
        names, stmt = _grouped(model, [])
        conn.execute(insert(model).from_select(names, stmt))
    conn.execute(delete(StoreInfo).where(StoreInfo.key == TRUST_KEY))
    conn.execute(insert(StoreInfo).values(key=TRUST_KEY, value=TRUSTED))


def rebuild(engine: Engine) -> dict[str, int]:
    """Recompute every rollup in one transaction, mark them trusted, refresh their statistics; return rows per table."""
    with engine.begin() as conn:
        rebuild_in(conn)
        counts = {m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one() for m in ROLLUPS}
    analyse(engine)
    return counts


def analyse(engine: Engine) -> None:
    """Planner statistics for the rollup tables (after a bulk fill the planner would otherwise guess)."""
    with engine.begin() as conn:
        for model in ROLLUPS:
            conn.exec_driver_sql(f"ANALYZE {model.__tablename__}")


def is_trusted(conn: Connection) -> bool:
    """True when the rollups are marked as maintained since they were last rebuilt."""
    return conn.execute(select(StoreInfo.value).where(StoreInfo.key == TRUST_KEY)).scalar_one_or_none() == TRUSTED


def readable(engine: Engine, scope: Scope) -> bool:
    """True when a count for `scope` may be read from the rollups: it counts every incident, and they are trusted."""
    if not counts_everything(scope):
        return False
    with engine.connect() as conn:
        return is_trusted(conn)


def counted(engine: Engine, scope: Scope, flt: IncidentFilter, *, model=IncidentDaily, period: bool = True):
    """(table, count, WHERE for `flt`): `model` and SUM(n) when it may answer for `scope` (readable), else incident,
    COUNT(id) and the scope's visibility. Group by columns both have (occurred_date, area_id, category_id, …):
    area_id is ROLLUP_NO_AREA on a rollup where incident has NULL, which an outer join to Area turns into the same
    NULL code."""
    if readable(engine, scope):
        return model, func.sum(model.n), conditions(model, flt, period=period)
    return Incident, func.count(Incident.id), [visible(Incident, scope), *incident_conditions(flt, period=period)]


def whole_months(lo: date, hi: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """(first days of the calendar months lying wholly in [lo, hi] as a range, or None; the days outside them)."""
    first = lo if lo.day == 1 else _next_month(lo)
    end = _next_month(hi) if _next_month(hi) - timedelta(days=1) == hi else _first_of_month(hi)  # after the last
    if first >= end:
        return None, [(lo, hi)]
    last = _first_of_month(end - timedelta(days=1))
    edges = [(lo, first - timedelta(days=1)), (end, hi)]
    return (first, last), [(a, b) for a, b in edges if a <= b]


def conditions(model, flt: IncidentFilter, *, period: bool = True) -> list[ColumnElement[bool]]:
    """WHERE conditions on a rollup for `flt`, as filters.incident_conditions on Incident (areas include children)."""
    conds: list[ColumnElement[bool]] = []
    if period:
        conds += [model.occurred_date >= flt.start, model.occurred_date <= flt.end]
    if flt.area_codes:  # ROLLUP_NO_AREA is no area's id: unknown areas drop out as NULL does in the raw IN
        conds.append(model.area_id.in_(area_ids_matching(flt.area_codes)))
    if flt.category_codes:
        conds.append(model.category_id.in_(select(Category.id).where(Category.code.in_(flt.category_codes))))
    if flt.source_codes:
        conds.append(model.source_org_id.in_(select(Organisation.id).where(Organisation.code.in_(flt.source_codes))))
    return conds


@dataclass(frozen=True)
class Difference:
    """One key where a rollup disagrees with the GROUP BY over incident (0 = no such row)."""

    table: str
    key: tuple
    expected: int
    stored: int

    def __str__(self) -> str:
        return f"{self.table} ({', '.join(str(k) for k in self.key)}): väntat {self.expected}, lagrat {self.stored}"


def check(engine: Engine, *, limit: int = MAX_DIFFERENCES) -> list[Difference]:
    """Every key (at most `limit` per rollup) where a rollup differs from the same GROUP BY over incident."""
    out: list[Difference] = []
    with engine.connect() as conn:
        for model in ROLLUPS:
            names, expected = _grouped(model, [])
            table = model.__table__
            stored = select(*[table.c[n] for n in names])
            wrong = {}
            for side, a, b in (("expected", expected, stored), ("stored", stored, expected)):
                sub = except_(a, b).subquery()
                for row in conn.execute(select(sub).limit(limit)):
                    key = tuple(_plain(v) for v in row[:len(table.primary_key.columns)])
                    wrong.setdefault(key, {"expected": 0, "stored": 0})[side] = int(row[-1])
            out += [Difference(model.__tablename__, k, v["expected"], v["stored"]) for k, v in sorted(
                wrong.items(), key=lambda kv: tuple(str(x) for x in kv[0]))][:limit]
    return out


def _plain(value):
    return int(value) if isinstance(value, bool) else value

