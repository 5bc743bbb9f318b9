"""A small store for the comparison table's tests: incidents at known instants over five years, with rows placed right
at the edges that matter (local midnight around the daylight-saving changes, week 53 of 2026), and the raw rows kept
in Python so tests can count them independently of SQL."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from data_layer.db import session_scope
from data_layer.models import Area, Incident
from data_layer.reference import ensure_categories
from tests.data_layer.factories import make_orgs_and_users

UTC = timezone.utc
STOCKHOLM = ZoneInfo("Europe/Stockholm")
AREAS = (("kommun", "Kommunen", "kommun", None, 10_000), ("norr", "Norra staden", "omrade", "kommun", 2_000),
         ("syd", "Södra staden", "omrade", "kommun", None))
CATEGORIES = ("skadegorelse", "klotter", "narkotika", "oro_nara_relation")
FIRST, LAST = datetime(2022, 1, 3, tzinfo=UTC), datetime(2027, 1, 10, tzinfo=UTC)
# Instants right at local midnight around the period edges the acceptance tests use (UTC; Stockholm is +1 in
# winter, +2 in summer): Sunday 29 March 2026 is the change to summer time, Sunday 25 October 2026 back to winter
# time; ISO week 53 of 2026 runs from Monday 28 December 2026 to Sunday 3 January 2027.
EDGE_INSTANTS = (
    datetime(2026, 3, 22, 22, 30, tzinfo=UTC),  # Mon 23 Mar 00:30 CET: first hour of week 13
    datetime(2026, 3, 22, 22, 59, tzinfo=UTC),  # Mon 23 Mar 00:59 CET
    datetime(2026, 3, 22, 21, 30, tzinfo=UTC),  # Sun 22 Mar 22:30 CET: still week 12
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),   # Sun 29 Mar 01:30 CET, before the clocks go forward
    datetime(2026, 3, 29, 1, 30, tzinfo=UTC),   # Sun 29 Mar 03:30 CEST, just after
    datetime(2026, 3, 29, 21, 30, tzinfo=UTC),  # Sun 29 Mar 23:30 CEST: last hour of week 13
    datetime(2026, 3, 29, 22, 30, tzinfo=UTC),  # Mon 30 Mar 00:30 CEST: week 14 (a UTC date would say week 13)
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # Sun 25 Oct 02:30 CEST, first pass of the repeated hour
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # Sun 25 Oct 02:30 CET, second pass
    datetime(2026, 10, 25, 22, 30, tzinfo=UTC),  # Sun 25 Oct 23:30 CET: last hour of week 43
    datetime(2026, 10, 25, 23, 30, tzinfo=UTC),  # Mon 26 Oct 00:30 CET: week 44
    datetime(2026, 12, 27, 22, 30, tzinfo=UTC),  # Sun 27 Dec 23:30: week 52
    datetime(2026, 12, 27, 23, 30, tzinfo=UTC),  # Mon 28 Dec 00:30: first hour of week 53
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # Fri 1 Jan 2027 00:30: week 53 and the new year (UTC: 2026)
    datetime(2027, 1, 3, 22, 30, tzinfo=UTC),   # Sun 3 Jan 23:30: last hour of week 53
    datetime(2027, 1, 3, 23, 30, tzinfo=UTC),   # Mon 4 Jan 00:30: week 1 of 2027
)


@dataclass(frozen=True)
class Row:
    """One stored incident as the tests know it."""

    id: int
    at: datetime
    local_date: date
    area: str | None
    category: str
    source: str
    sensitive: bool
    reporter: str | None


def _rows(seed: int, n: int) -> list[dict]:
    rng = random.Random(seed)
    span = int((LAST - FIRST).total_seconds())
    instants = [FIRST + timedelta(seconds=rng.randrange(span)) for _ in range(n)]
    instants += [moment for moment in EDGE_INSTANTS for _ in range(3)]
    rows = []
    for i, at in enumerate(instants):
        category = rng.choice(CATEGORIES)
        rows.append(dict(at=at, area=rng.choice(("norr", "norr", "syd", "kommun", None)), category=category,
                         source=rng.choice(("org_a", "org_b")), sensitive=category == "oro_nara_relation",
                         reporter=rng.choice((None, None, "rapportor_b", "samordnare")), external_id=f"r{i}"))
    return rows


def build(engine, *, seed: int = 5, n: int = 2500) -> tuple[dict[str, int], list[Row]]:
    """Fill an empty migrated store: organisations and users (factories), three areas, `n` random incidents plus
    three at each edge instant. Returns the ids and the raw rows."""
    ids = make_orgs_and_users(engine)
    with session_scope(engine) as session:
        for code, name, level, parent, population in AREAS:
            area = Area(code=code, name=name, level=level, parent_id=ids.get(parent), population=population,
                        geometry=json.dumps({"type": "Point", "coordinates": [14.7, 57.6]}))
            session.add(area)
            session.flush()
            ids[code] = area.id
        categories = ensure_categories(session)
    raw = _rows(seed, n)
    values = []
    for r in raw:
        local = r["at"].astimezone(STOCKHOLM)
        reporter_org = {"rapportor_b": "org_b", "samordnare": "org_a"}.get(r["reporter"])
        source = reporter_org or r["source"]  # a reporter files for their own organisation
        r["source"] = source
        values.append(dict(source_org_id=ids[source], external_id=r["external_id"],
                           category_id=categories[r["category"]],
                           occurred_at=r["at"], occurred_date=local.date(), occurred_hour=local.hour,
                           reported_at=r["at"], lat=None, lon=None, location_precision="area" if r["area"] else "none",
                           area_id=ids[r["area"]] if r["area"] else None, description=f"Händelse {r['external_id']}",
                           sensitive=r["sensitive"], reporter_user_id=ids[r["reporter"]] if r["reporter"] else None))
    with engine.begin() as conn:
        conn.execute(insert(Incident.__table__), values)
        id_of = dict(conn.execute(Incident.__table__.select().with_only_columns(
            Incident.__table__.c.external_id, Incident.__table__.c.id)).all())
    rows = [Row(id=id_of[r["external_id"]], at=r["at"], local_date=r["at"].astimezone(STOCKHOLM).date(),
                area=r["area"], category=r["category"], source=r["source"], sensitive=r["sensitive"],
                reporter=r["reporter"]) for r in raw]
    return ids, rows


def count(rows: list[Row], start: date, end: date, **match) -> int:
    """Rows with start <= local date <= end whose attributes equal `match` (e.g. area="norr")."""
    return sum(1 for r in rows if start <= r.local_date <= end and all(getattr(r, k) == v for k, v in match.items()))
