"""Retention: per category, when an incident's details are coarsened and when the row is deleted; what is due, and
running it in one audited transaction.

Coarsening keeps the row, so every count per category, area, day, hour and 1.2 km H3 cell (resolution 7) stays:
it removes the free text, the coordinates, the named place and the finer H3 cells (r8, r9), and a point becomes
known to its area only (location_precision 'area'; 'none' when the point lay outside every area). Deletion removes
the row (and so its counts). Ages are counted from the incident's local date (`occurred_date`) in whole calendar
months before `today`.

Defaults (a category without a RetentionRule row): coarsen after 24 months, after 12 months for categories that are
sensitive by default (e.g. "Oro för våld i nära relation"); never delete. The Admin page and `set_rule` change them.
"""
from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import Connection, Engine, and_, case, delete, func, literal, null, or_, select, update

from data_layer import rollups
from data_layer.audit import record
from data_layer.db import session_scope
from data_layer.models import Category, Incident, RetentionRule
from data_layer.reference import bump_data_version
from data_layer.rls import acting_as
from data_layer.scope import Scope

DEFAULT_COARSEN_MONTHS = 24
SENSITIVE_COARSEN_MONTHS = 12
DEFAULT_DELETE_MONTHS: int | None = None  # deletion is a decision for the forum, never a default
MAX_MONTHS = 1200


class RetentionRefused(Exception):
    """The user may not change or run retention, or the rule is not valid; nothing was changed."""


@dataclass(frozen=True)
class Rule:
    """One category's effective rule (`own` False: the defaults apply)."""

    category_id: int
    category_code: str
    label_sv: str
    label_en: str
    coarsen_after_months: int | None
    delete_after_months: int | None
    own: bool


@dataclass(frozen=True)
class Due:
    """What running retention on `today` would do to one category (cutoffs: rows dated before them are due)."""

    rule: Rule
    coarsen_before: date | None
    delete_before: date | None
    to_coarsen: int
    to_delete: int


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_coarsen_months(sensitive_default: bool) -> int:
    """The default coarsening age in months for a category (sooner for categories sensitive by default)."""
    return SENSITIVE_COARSEN_MONTHS if sensitive_default else DEFAULT_COARSEN_MONTHS


def rules(db) -> list[Rule]:
    """Every category's effective rule, in category order (`db`: Engine, Connection or Session)."""
    stmt = (select(Category.id, Category.code, Category.label_sv, Category.label_en, Category.sensitive_default,
                   RetentionRule.id, RetentionRule.coarsen_after_months, RetentionRule.delete_after_months)
            .outerjoin(RetentionRule, RetentionRule.category_id == Category.id)
            .order_by(Category.id))
    if isinstance(db, Engine):
        with db.connect() as conn:
            rows = conn.execute(stmt).all()
    else:
        rows = db.execute(stmt).all()
    out = []
    for cid, code, sv, en, sensitive, rule_id, coarsen, remove in rows:
        if rule_id is None:
            coarsen, remove = default_coarsen_months(sensitive), DEFAULT_DELETE_MONTHS
        out.append(Rule(cid, code, sv, en, coarsen, remove, rule_id is not None))
    return out


def _not_coarse():
    """Rows still holding a detail that coarsening removes."""
    return or_(Incident.description.is_not(None), Incident.lat.is_not(None), Incident.lon.is_not(None),
               Incident.location_precision == "point", Incident.place_id.is_not(None),
               Incident.h3_r8.is_not(None), Incident.h3_r9.is_not(None))


def _cutoff(cutoffs: dict[int, date]):
    """The per-category cutoff date as an SQL expression (NULL for categories without one, so nothing is due)."""
    if not cutoffs:
        return null()
    return case(*[(Incident.category_id == cid, literal(day)) for cid, day in cutoffs.items()], else_=null())


def _conditions(category_rules: list[Rule], today: date):
    coarsen = {r.category_id: months_before(today, r.coarsen_after_months)
               for r in category_rules if r.coarsen_after_months is not None}
    remove = {r.category_id: months_before(today, r.delete_after_months)
              for r in category_rules if r.delete_after_months is not None}
    delete_due = Incident.occurred_date < _cutoff(remove) if remove else None
    coarsen_due = and_(Incident.occurred_date < _cutoff(coarsen), _not_coarse()) if coarsen else None
    if coarsen_due is not None and delete_due is not None:
        coarsen_due = and_(coarsen_due, or_(_cutoff(remove).is_(None), Incident.occurred_date >= _cutoff(remove)))
    return coarsen, remove, coarsen_due, delete_due


def _due(conn: Connection, today: date) -> list[Due]:
    category_rules = rules(conn)
    coarsen, remove, coarsen_due, delete_due = _conditions(category_rules, today)
    counts: dict[int, tuple[int, int]] = {}
    if coarsen_due is not None or delete_due is not None:
        counters = [func.coalesce(func.sum(case((cond, 1), else_=0)), 0) if cond is not None else literal(0)
                    for cond in (coarsen_due, delete_due)]
        stmt = select(Incident.category_id, *counters).group_by(Incident.category_id)
        counts = {cid: (int(c), int(d)) for cid, c, d in conn.execute(stmt)}
    return [Due(r, coarsen.get(r.category_id), remove.get(r.category_id), *counts.get(r.category_id, (0, 0)))
            for r in category_rules]


def due(engine: Engine, *, today: date) -> list[Due]:
    """Per category: its rule, the cutoff dates and how many incidents running retention on `today` would coarsen and
    delete (counted in SQL; a row due for deletion is not also counted for coarsening)."""
    with engine.connect() as conn:
        return _due(conn, today)


def _may_administer(scope: Scope | None) -> None:
    # Retention changes every organisation's rows: the administrators decide it (None: the operator's CLI).
    if scope is not None and not (scope.can("incident", "edit") and scope.can("user", "administer")):
        raise RetentionRefused("Din roll får inte ändra eller köra gallringen.")


def _touched_dates(conn: Connection, where) -> set[date]:
    days = conn.execute(select(Incident.occurred_date).where(where).distinct()).scalars()
    return {d if isinstance(d, date) else date.fromisoformat(str(d)[:10]) for d in days}


def apply(engine: Engine, *, today: date, scope: Scope | None) -> dict[str, dict[str, int]]:
    """Coarsen and delete what is due on `today` in one transaction, write one audit entry with the counts (never
    text) and return {category code: {"coarsened": n, "deleted": m}} for the categories touched. `scope` None is the
    system (the CLI); otherwise only administrators may run it (RetentionRefused)."""
    _may_administer(scope)
    # PostgreSQL row-level security: the administrator counts (and so updates) every row; None: the CLI's system
    with acting_as(scope, "list") if scope else nullcontext(), session_scope(engine) as session:
        conn = session.connection()
        category_rules = rules(conn)
        _, _, coarsen_due, delete_due = _conditions(category_rules, today)
        codes = {r.category_id: r.category_code for r in category_rules}
        done: dict[str, dict[str, int]] = {}
        dates: set[date] = set()
        if delete_due is not None:
            gone = conn.execute(select(Incident.category_id, func.count())
                                .where(delete_due).group_by(Incident.category_id)).all()
            for cid, n in gone:
                done.setdefault(codes[cid], {"coarsened": 0, "deleted": 0})["deleted"] += n
            dates |= _touched_dates(conn, delete_due)
            if gone:
                conn.execute(delete(Incident).where(delete_due))
        if coarsen_due is not None:
            hit = conn.execute(select(Incident.category_id, func.count()).where(coarsen_due)
                               .group_by(Incident.category_id)).all()
            for cid, n in hit:
                done.setdefault(codes[cid], {"coarsened": 0, "deleted": 0})["coarsened"] += n
            if hit:
                dates |= _touched_dates(conn, coarsen_due)  # the daily rollup is keyed by precision, the H3 one by r9
                precision = case((Incident.location_precision != "point", Incident.location_precision),
                                 (Incident.area_id.is_not(None), "area"), else_="none")
                conn.execute(update(Incident).where(coarsen_due).values(
                    description=None, lat=None, lon=None, place_id=None, h3_r8=None, h3_r9=None,
                    location_precision=precision))
        if dates:
            rollups.refresh_days(conn, dates=dates)  # same transaction: the rollups never disagree with the rows
        totals = {"coarsened": sum(v["coarsened"] for v in done.values()),
                  "deleted": sum(v["deleted"] for v in done.values())}
        if done:
            bump_data_version(conn)
        record(session, event="edit", user_id=scope.user_id if scope else None,
               organisation_id=scope.organisation_id if scope else None, object_type="retention",
               object_id=today.isoformat(), detail=_counts_detail(totals, done))
    return done


def _counts_detail(totals: dict[str, int], done: dict[str, dict[str, int]]) -> str:
    """The audit detail: totals and [coarsened, deleted] per category, compact so 14 categories fit in 500 chars."""
    per = {code: [v["coarsened"], v["deleted"]] for code, v in sorted(done.items())}
    return json.dumps({**totals, "by_category": per}, ensure_ascii=False, separators=(",", ":"))


def set_rule(engine: Engine, *, scope: Scope | None, category_code: str, coarsen_after_months: int | None,
             delete_after_months: int | None) -> None:
    """Store `category_code`'s own rule (None: never), audited; months must be whole numbers 1..1200 and deletion
    may not come before coarsening. Refuses roles other than admin (RetentionRefused)."""
    _may_administer(scope)
    for name, months in (("gallring av detaljer", coarsen_after_months), ("radering", delete_after_months)):
        if months is not None and not (isinstance(months, int) and 1 <= months <= MAX_MONTHS):
            raise RetentionRefused(f"Antal månader för {name} måste vara ett heltal 1–{MAX_MONTHS}, inte {months!r}.")
    if coarsen_after_months is not None and delete_after_months is not None \
            and delete_after_months < coarsen_after_months:
        raise RetentionRefused("Radering kan inte komma före gallring av detaljer.")
    with acting_as(scope, "list") if scope else nullcontext(), session_scope(engine) as session:
        category_id = session.execute(select(Category.id).where(Category.code == category_code)).scalar_one_or_none()
        if category_id is None:
            raise RetentionRefused(f"Det finns ingen kategori med koden '{category_code}'.")
        rule = session.execute(select(RetentionRule).where(RetentionRule.category_id == category_id)).scalar_one_or_none()
        if rule is None:
            rule = RetentionRule(category_id=category_id, updated_at=datetime.now(timezone.utc))
        rule.coarsen_after_months, rule.delete_after_months = coarsen_after_months, delete_after_months
        rule.updated_at, rule.updated_by = datetime.now(timezone.utc), scope.user_id if scope else None
        session.add(rule)
        bump_data_version(session)  # what is due changes with the rule; cached figures key on the data version
        record(session, event="edit", user_id=scope.user_id if scope else None,
               organisation_id=scope.organisation_id if scope else None, object_type="retentionrule",
               object_id=category_code,
               detail=json.dumps({"coarsen_after_months": coarsen_after_months,
                                  "delete_after_months": delete_after_months}))
