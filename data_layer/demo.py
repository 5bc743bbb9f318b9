"""Load the fictional demo municipality "Sjöbacka kommun (demo)" into a migrated store, in one transaction.

Same seed, today and scale give an identical store (except users' argon2 password hashes, whose salts are random):
all randomness comes from numpy generators seeded with (seed, section), and every timestamp is derived from `today`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

import h3
import numpy as np
from sqlalchemy import Engine, MetaData, func, insert, or_, select, text
from sqlmodel import Session

from data_layer import rollups
from data_layer.db import refresh_planner_statistics, session_scope
from data_layer.demo_geo import build_areas, build_places, jitter_around
from data_layer.demo_incidents import (CATEGORIES, EMERGING_CATEGORIES, EMERGING_DAYS, EMERGING_PLACE, ORG_CODES,
                                       Calendar, IncidentColumns, generate_incidents, make_calendar, reporter_pool)
from data_layer.demo_text import (ACTIONS, AREAS, CORE_USERS, DESCRIPTIONS, FORUM, MEETING_AGENDA,
                                  MUNICIPALITY_NAME, ORGANISATIONS, PLACE_MARKS, PLACES, PROBLEM_ANSWERS,
                                  SAFETY_ANSWERS, SOURCE_TYPES, SURVEY_QUESTIONS, UPCOMING_EVENTS, WINDOW_PREFIX,
                                  YEARLY_EVENTS)
from data_layer.models import (Action, ActionCategory, ActionUpdate, AgendaItem, Area, Decision, Event, ImportBatch,
                               Incident, Meeting, Organisation, Place, StoreInfo, Survey, SurveyPlaceMark,
                               SurveyQuestion, SurveyResult, User)
from data_layer.reference import CATEGORIES as CATEGORY_DEFS
from data_layer.reference import bump_data_version, ensure_categories
from data_layer.users import hash_password

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CHUNK = 10_000
DEMO_PASSWORD = "demo"
AREA_PREFIX = "DEMO"
UNSAFE_CALM_AREA = "09"  # Sjöparken: residents feel unsafe, few incidents
BUSY_SAFE_AREA = "01"  # Centrum: many incidents, residents feel safe
# Configuration, not data: kept when a demo store is reloaded (category mappings may hold an admin's edits).
KEEP_ON_WIPE = ("alembic_version", "storeinfo", "categorymapping")


class DemoRefused(ValueError):
    """The store already holds data and the demo was not forced (message in Swedish)."""


@dataclass
class Ids:
    """Database ids of everything the later sections refer to, keyed by demo_text keys."""

    orgs: dict[str, int]
    users: dict[str, int | None]
    categories: dict[str, int]
    areas: dict[str, int]
    places: dict[str, int]
    batch: int = 0


def load_demo(engine: Engine, *, seed: int = 2026, today: date | None = None, scale: float = 1.0,
              force: bool = False, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write the demo municipality ending at `today` into the store in one transaction and return rows per table."""
    today = today or date.today()
    if scale <= 0:
        raise ValueError("scale måste vara större än 0")
    say = progress or (lambda _msg: None)
    cal = make_calendar(today)
    kommun_geo, area_geos = build_areas()
    place_geos = build_places(area_geos)
    say("Genererar händelser …")
    cols = generate_incidents(seed=seed, cal=cal, scale=scale, area_geos=area_geos, place_geos=place_geos)
    with session_scope(engine) as session:
        conn = session.connection()
        mode = _decide_mode(conn, force=force)
        if mode == "wipe":
            say("Tömmer den gamla demodatabasen …")
            _wipe(conn)
        prefix = _free_area_prefix(conn)
        counts: dict[str, int] = {}
        ids = _write_reference(session, conn, cal=cal, counts=counts, prefix=prefix, mixed=mode == "mix",
                               kommun_geo=kommun_geo, area_geos=area_geos, place_geos=place_geos, seed=seed,
                               scale=scale, n_incidents=len(cols))
        _write_incidents(conn, cols, ids=ids, prefix=prefix, area_names=[a.name for a in AREAS], counts=counts,
                         say=say)
        rollups.rebuild_in(conn)  # the demo writes incidents in bulk: one GROUP BY per rollup afterwards
        say("Skriver enkäter, möten, åtgärder och evenemang …")
        _write_surveys(conn, seed=seed, cal=cal, ids=ids, area_geos=area_geos, place_geos=place_geos, counts=counts)
        meetings = _write_meetings(conn, seed=seed, cal=cal, cols=cols, counts=counts)
        effective = _write_actions(conn, cal=cal, ids=ids, meetings=meetings, counts=counts)
        _write_events(conn, cal=cal, ids=ids, place_geos=place_geos, counts=counts)
        _write_store_info(conn, mixed=mode == "mix", seed=seed, today=today, scale=scale, effective=effective,
                          facts={"emerging_place_id": ids.places[EMERGING_PLACE],
                                 "emerging_categories": list(EMERGING_CATEGORIES),
                                 "emerging_since": (today - timedelta(days=EMERGING_DAYS - 1)).isoformat(),
                                 "unsafe_calm_area": f"{prefix}-{UNSAFE_CALM_AREA}",
                                 "busy_safe_area": f"{prefix}-{BUSY_SAFE_AREA}"})
        say(f"Klart: {counts.get('incident', 0)} händelser.")
    refresh_planner_statistics(engine)
    rollups.analyse(engine)
    return counts


# --- guard ---------------------------------------------------------------------------------------------------------

def _decide_mode(conn, *, force: bool) -> str:
    """Return 'fresh', 'wipe' (forced reload of a demo-only store) or 'mix' (forced into real data); else refuse."""
    inc, area = Incident.__table__, Area.__table__
    n_inc = conn.scalar(select(func.count()).select_from(inc))
    n_area = conn.scalar(select(func.count()).select_from(area))
    if not n_inc and not n_area:
        return "fresh"
    flag = conn.scalar(select(StoreInfo.__table__.c.value).where(StoreInfo.__table__.c.key == "demo"))
    batch = ImportBatch.__table__
    real_inc = conn.scalar(select(func.count()).select_from(inc.outerjoin(batch, inc.c.import_batch_id == batch.c.id))
                           .where(or_(batch.c.id.is_(None), batch.c.source_kind != "demo")))
    real_area = conn.scalar(select(func.count()).select_from(area).where(~area.c.code.like(f"{AREA_PREFIX}%")))
    demo_only = flag == "true" and not real_inc and not real_area
    if demo_only and not force:
        raise DemoRefused("Databasen innehåller redan demokommunen (Sjöbacka kommun). Den läses inte in två gånger "
                          "– använd --force för att läsa in den på nytt.")
    if not demo_only and not force:
        raise DemoRefused(f"Databasen innehåller riktiga data ({n_inc} händelser, {n_area} områden), inte bara "
                          "demodata. Demokommunen läses inte in av misstag – använd --force om du ändå vill blanda "
                          "in den (den får egna områdeskoder).")
    return "wipe" if demo_only else "mix"


def _wipe(conn) -> None:
    """Delete every row of every data table (children before parents), keeping the KEEP_ON_WIPE configuration."""
    md = MetaData()
    md.reflect(bind=conn)
    tables = [t for t in md.sorted_tables if t.name not in KEEP_ON_WIPE]
    if conn.dialect.name == "postgresql":
        names = ", ".join(conn.dialect.identifier_preparer.quote(t.name) for t in tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
        return
    conn.execute(Area.__table__.update().values(parent_id=None))
    for table in reversed(tables):
        conn.execute(table.delete())


def _free_area_prefix(conn) -> str:
    """'DEMO', or DEMO2, DEMO3 … when real or earlier demo areas already use it."""
    codes = set(conn.scalars(select(Area.__table__.c.code)).all())
    n = 1
    while True:
        prefix = AREA_PREFIX if n == 1 else f"{AREA_PREFIX}{n}"
        if not any(c == prefix or c.startswith(prefix + "-") for c in codes):
            return prefix
        n += 1


# --- helpers -------------------------------------------------------------------------------------------------------

def _local(d: date, hour: int = 0, minute: int = 0) -> datetime:
    """Aware UTC datetime of a Europe/Stockholm wall-clock time."""
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=STOCKHOLM).astimezone(timezone.utc)


def _insert_returning(conn, table, rows: list[dict]) -> list[int]:
    """Insert rows in order and return their new ids in the same order."""
    if not rows:
        return []
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars().all())


def _insert(conn, table, rows: list[dict], counts: dict[str, int]) -> None:
    if rows:
        conn.execute(insert(table), rows)
    counts[table.name] = counts.get(table.name, 0) + len(rows)


def _record(counts: dict[str, int], table, n: int) -> None:
    counts[table.name] = counts.get(table.name, 0) + n


# --- reference: organisations, users, categories, areas, places, batch ----------------------------------------------

def _write_reference(session: Session, conn, *, cal: Calendar, counts, prefix, mixed, kommun_geo, area_geos,
                     place_geos, seed, scale, n_incidents) -> Ids:
    """Get-or-create organisations, users and categories; create areas, places and the import batch."""
    orgs = _get_or_create_orgs(conn, counts)
    users = _create_users(conn, cal=cal, orgs=orgs, counts=counts)
    categories = ensure_categories(session)
    suffix = " (demo)" if mixed else ""
    kommun_id = _insert_returning(conn, Area.__table__, [dict(
        code=prefix, name=MUNICIPALITY_NAME, level="kommun", parent_id=None, geometry=kommun_geo.geojson,
        centroid_lat=kommun_geo.centroid_lat, centroid_lon=kommun_geo.centroid_lon,
        population=sum(a.population for a in AREAS), vulnerable=False)])[0]
    child_ids = _insert_returning(conn, Area.__table__, [dict(
        code=f"{prefix}-{spec.key}", name=spec.name + suffix, level="omrade", parent_id=kommun_id,
        geometry=geo.geojson, centroid_lat=geo.centroid_lat, centroid_lon=geo.centroid_lon,
        population=spec.population, vulnerable=spec.vulnerable) for spec, geo in zip(AREAS, area_geos)])
    areas = {"DEMO": kommun_id, **{spec.key: i for spec, i in zip(AREAS, child_ids)}}
    _record(counts, Area.__table__, 1 + len(child_ids))
    place_ids = _insert_returning(conn, Place.__table__, [dict(
        name=spec.name, kind=spec.kind, lat=geo.lat, lon=geo.lon, area_id=areas[spec.area])
        for spec, geo in zip(PLACES, place_geos)])
    _record(counts, Place.__table__, len(place_ids))
    ids = Ids(orgs=orgs, users=users, categories=categories, areas=areas,
              places={spec.key: i for spec, i in zip(PLACES, place_ids)})
    ids.batch = _insert_returning(conn, ImportBatch.__table__, [dict(
        source_kind="demo", organisation_id=None, file_name=f"demokommun seed={seed} skala={scale:g}", sha256=None,
        rows_accepted=n_incidents, rows_rejected=0, rejected_detail=None, user_id=users.get("admin"),
        created_at=_local(cal.today, 6), undone_at=None)])[0]
    _record(counts, ImportBatch.__table__, 1)
    return ids


def _get_or_create_orgs(conn, counts) -> dict[str, int]:
    table = Organisation.__table__
    existing = dict(conn.execute(select(table.c.code, table.c.id)).all())
    new = [dict(code=c, name=n, kind=k) for c, n, k in ORGANISATIONS if c not in existing]
    for row, new_id in zip(new, _insert_returning(conn, table, new)):
        existing[row["code"]] = new_id
    _record(counts, table, len(new))
    return {c: existing[c] for c, _, _ in ORGANISATIONS}


def _create_users(conn, *, cal: Calendar, orgs, counts) -> dict[str, int | None]:
    """Create the core users and reporters (password 'demo'); existing usernames are skipped and map to None."""
    table = User.__table__
    taken = set(conn.scalars(select(table.c.username)).all())
    pw = hash_password(DEMO_PASSWORD)  # one hash for all: same password, and argon2 is slow on purpose
    since = _local(cal.start - timedelta(days=30), 9)
    rows = [dict(username=u, display_name=d, organisation_id=orgs[o], role=r, active=True, created_at=since)
            for u, r, o, d in CORE_USERS]
    for username, org, joined, left, _w in reporter_pool()[1:]:
        rows.append(dict(username=username, display_name=f"Rapportör {username} (demo)", organisation_id=orgs[org],
                         role="rapportor", active=left is None or left < 365,
                         created_at=_local(cal.start + timedelta(days=joined), 9)))
    rows = [dict(r, password_hash=pw, failed_logins=0) for r in rows if r["username"] not in taken]
    new_ids = _insert_returning(conn, table, rows)
    _record(counts, table, len(rows))
    by_name: dict[str, int | None] = {u: None for u, *_ in CORE_USERS}
    by_name.update({r[0]: None for r in reporter_pool()})
    by_name.update({r["username"]: i for r, i in zip(rows, new_ids)})
    return by_name


# --- incidents -----------------------------------------------------------------------------------------------------

def _source_type_table() -> list[list[tuple[str, ...]]]:
    """Wording options per [source index][category index]; the category label where a source has no own word."""
    label = {code: sv for code, sv, *_ in CATEGORY_DEFS}
    out = []
    for code in ORG_CODES:
        kind = "bostadsbolag" if code.startswith("bostadsbolaget") else code
        own = SOURCE_TYPES.get(kind, {})
        out.append([own.get(cat, (label[cat],)) for cat in CATEGORIES])
    return out


def _write_incidents(conn, cols: IncidentColumns, *, ids: Ids, prefix: str, area_names: list[str], counts,
                     say) -> None:
    """Bulk-insert the generated incidents in chunks, inside the caller's transaction."""
    org_ids = [ids.orgs[c] for c in ORG_CODES]
    cat_ids = [ids.categories[c] for c in CATEGORIES]
    area_ids = [ids.areas[a.key] for a in AREAS]
    place_ids = [ids.places[p.key] for p in PLACES]
    place_names = [p.name for p in PLACES]
    reporters = [ids.users.get(r[0]) for r in reporter_pool()]
    wording = _source_type_table()
    table = Incident.__table__
    ext = prefix.lower()
    n = len(cols)
    for lo in range(0, n, CHUNK):
        hi = min(lo + CHUNK, n)
        occ = _to_datetimes(cols.occurred_s[lo:hi])
        to = _to_datetimes(cols.occurred_to_s[lo:hi])
        rep = _to_datetimes(cols.reported_s[lo:hi])
        dates = cols.local_date[lo:hi].astype(object)
        rows = []
        for k, i in enumerate(range(lo, hi)):
            src, cat, ai, pi = int(cols.source[i]), int(cols.category[i]), int(cols.area[i]), int(cols.place[i])
            point = not cols.area_precision[i]
            lat, lon = float(cols.lat[i]), float(cols.lon[i])
            options = wording[src][cat]
            templates = DESCRIPTIONS[CATEGORIES[cat]]
            where = f"vid {place_names[pi]}" if pi >= 0 else f"i {area_names[ai]}"
            desc = templates[int(cols.description_pick[i]) % len(templates)].format(plats=where)
            window = cols.occurred_to_s[i] > 0
            rows.append(dict(
                source_org_id=org_ids[src], external_id=f"{ext}-{i + 1}", category_id=cat_ids[cat],
                source_type=options[int(cols.source_type_pick[i]) % len(options)], occurred_at=occ[k],
                occurred_to=to[k] if window else None, occurred_date=dates[k], occurred_hour=int(cols.local_hour[i]),
                reported_at=rep[k], lat=lat, lon=lon, location_precision="point" if point else "area",
                area_id=area_ids[ai], place_id=place_ids[pi] if pi >= 0 else None,
                description=(WINDOW_PREFIX + desc[0].lower() + desc[1:]) if window else desc,
                assessment=int(cols.assessment[i]) or None, police_reported=bool(cols.police_reported[i]),
                sensitive=bool(cols.sensitive[i]),
                reporter_user_id=reporters[cols.reporter[i]] if cols.reporter[i] >= 0 else None,
                import_batch_id=ids.batch,
                h3_r7=h3.latlng_to_cell(lat, lon, 7) if point else None,
                h3_r8=h3.latlng_to_cell(lat, lon, 8) if point else None,
                h3_r9=h3.latlng_to_cell(lat, lon, 9) if point else None))
        conn.execute(insert(table), rows)
        say(f"Händelser {hi:,}/{n:,}".replace(",", " "))
    _record(counts, table, n)


def _to_datetimes(seconds: np.ndarray) -> list[datetime | None]:
    return [datetime.fromtimestamp(int(s), timezone.utc) if s >= 0 else None for s in seconds]


# --- surveys -------------------------------------------------------------------------------------------------------

def survey_years(today: date) -> tuple[int, int, int]:
    """The three waves: the latest spring survey already fielded by today, two and four years before it."""
    latest = today.year if date(today.year, 4, 15) <= today else today.year - 1
    return latest - 4, latest - 2, latest


# Per-area shifts of the share feeling unsafe in the older waves (oldest, middle); actions and trends show here.
OTRYGG_HISTORY = {"02": (0.12, 0.03), "04": (0.06, 0.05), "03": (0.02, 0.0), "09": (-0.02, 0.0)}
PROBLEM_FACTORS: dict[str, tuple[float, dict[str, float], float]] = {
    # code: (base factor, per-area factor, factor when vulnerable)
    "problem_nedskrapning": (1.1, {"09": 1.5, "01": 1.3}, 1.0),
    "problem_klotter": (0.9, {"02": 1.3}, 1.1),
    "problem_buskorning": (0.7, {"05": 1.8, "06": 1.6}, 1.0),
    "problem_narkotika": (0.6, {"10": 1.2}, 1.8),
    "problem_ungdomsgang": (0.7, {"01": 1.2}, 1.6),
    "problem_belysning": (0.6, {"09": 2.0, "02": 1.4}, 1.0),
    "problem_trapphus": (0.5, {"09": 0.3, "08": 0.3}, 1.8),
}


def _write_surveys(conn, *, seed: int, cal: Calendar, ids: Ids, area_geos, place_geos, counts) -> None:
    """Three trygghetsmätning waves with results per area and question, plus residents' place marks."""
    rng = np.random.default_rng([seed, 2])
    questions = _get_or_create_questions(conn, counts)
    survey_rows = [dict(name=f"Trygghetsmätning Sjöbacka {y} (demo)", kind="trygghetsmatning", wave=str(y),
                        organisation_id=ids.orgs["polisen"], fielded_from=date(y, 3, 1), fielded_to=date(y, 4, 15))
                   for y in survey_years(cal.today)]
    survey_ids = _insert_returning(conn, Survey.__table__, survey_rows)
    _record(counts, Survey.__table__, len(survey_ids))
    results = []
    for wave, survey_id in enumerate(survey_ids):
        for spec in AREAS:
            results.extend(_area_results(rng, wave=wave, spec=spec, survey_id=survey_id, area_id=ids.areas[spec.key],
                                         questions=questions))
    _insert(conn, SurveyResult.__table__, results, counts)
    _write_place_marks(conn, rng, cal=cal, ids=ids, survey_id=survey_ids[-1], survey=survey_rows[-1],
                       area_geos=area_geos, place_geos=place_geos, counts=counts)


def _get_or_create_questions(conn, counts) -> dict[str, int]:
    table = SurveyQuestion.__table__
    existing = dict(conn.execute(select(table.c.code, table.c.id)).all())
    new = [dict(code=c, text_sv=t, kind=k, scale_min=lo, scale_max=hi, higher_is_worse=worse, index_code=idx)
           for c, t, k, lo, hi, worse, idx in SURVEY_QUESTIONS if c not in existing]
    for row, new_id in zip(new, _insert_returning(conn, table, new)):
        existing[row["code"]] = new_id
    _record(counts, table, len(new))
    return {q[0]: existing[q[0]] for q in SURVEY_QUESTIONS}


def _respondents(rng, spec) -> tuple[int, float]:
    """Respondents and response rate for one area in one wave (the industrial area stays below 30)."""
    sampled = max(spec.population * 0.22, min(spec.population, 180))
    base = 0.15 if spec.night_only else 0.26 if spec.vulnerable else 0.5 if spec.key == "05" else 0.42
    rate = float(np.clip(base + rng.normal(0, 0.02), 0.05, 0.9))
    return int(min(400, round(sampled * rate))), round(rate, 3)


def _area_results(rng, *, wave: int, spec, survey_id: int, area_id: int, questions: dict[str, int]) -> list[dict]:
    n, rate = _respondents(rng, spec)
    shift = OTRYGG_HISTORY.get(spec.key, (0.02, 0.01))
    unsafe = float(np.clip(spec.otrygg_kvall + (shift[0], shift[1], 0.0)[wave], 0.02, 0.9))
    rows = []
    for code, _text, kind, *_ in SURVEY_QUESTIONS:
        n_q = n - int(rng.binomial(n, 0.02))
        if code == "otrygg_kvall":
            dist, value = _share_answers(rng, n_q, unsafe, SAFETY_ANSWERS)
        elif kind == "share":
            base, per_area, vuln = PROBLEM_FACTORS[code]
            p = spec.problem_level * base * per_area.get(spec.key, 1.0) * (vuln if spec.vulnerable else 1.0)
            if code == "problem_belysning" and spec.key == "02" and wave == 0:
                p *= 1.8  # before the new lighting at the station tunnel
            dist, value = _share_answers(rng, n_q, float(np.clip(p + rng.normal(0, 0.02), 0.02, 0.9)),
                                         PROBLEM_ANSWERS)
        else:
            dist, value = _mean_answers(rng, n_q, 8.6 - 5.5 * unsafe - (0.4 if code == "aktivbo_trapphus" else 0.0))
        rows.append(dict(survey_id=survey_id, question_id=questions[code], area_id=area_id, n=n_q,
                         response_rate=rate, value=value, distribution=json.dumps(dist, ensure_ascii=False)))
    return rows


def _share_answers(rng, n: int, p_bad: float, answers: tuple[str, ...]) -> tuple[dict, float]:
    """Counts over a 4-point scale plus 'don't know'; value = share answering one of the two bad options."""
    dont_know = 0.04
    good, bad = (1 - dont_know) * (1 - p_bad), (1 - dont_know) * p_bad
    counts = rng.multinomial(n, [good * 0.45, good * 0.55, bad * 0.65, bad * 0.35, dont_know])
    return dict(zip(answers, map(int, counts))), round(float(counts[2] + counts[3]) / max(n, 1), 4)


def _mean_answers(rng, n: int, mean: float) -> tuple[dict, float]:
    """Counts over 1-10 around `mean`; value = their mean."""
    grades = np.arange(1, 11)
    p = np.exp(-0.5 * ((grades - mean) / 1.8) ** 2)
    counts = rng.multinomial(n, p / p.sum())
    return {str(g): int(c) for g, c in zip(grades, counts)}, round(float((grades * counts).sum()) / max(n, 1), 3)


def _write_place_marks(conn, rng, *, cal, ids, survey_id, survey, area_geos, place_geos, counts) -> None:
    """About 60 'unsafe here' pins; every third comes from a trygghetsvandring rather than the survey."""
    place_by_key = {p.key: p for p in place_geos}
    geo_by_area = {spec.key: geo for spec, geo in zip(AREAS, area_geos)}
    walk_day = cal.today - timedelta(days=120)
    rows = []
    for key, n, reasons in PLACE_MARKS:
        pg = place_by_key[key]
        lon, lat = jitter_around(rng, geo_by_area[pg.area_key], np.full(n, pg.lon), np.full(n, pg.lat), 0.06)
        for k in range(n):
            chosen = sorted(rng.choice(len(reasons), size=min(len(reasons), 1 + int(rng.random() < 0.4)),
                                       replace=False))
            walk = len(rows) % 3 == 0
            fielded = survey["fielded_from"] + timedelta(days=int(rng.integers(0, 45)))
            rows.append(dict(survey_id=None if walk else survey_id, source="trygghetsvandring" if walk else "enkat",
                             lat=float(lat[k]), lon=float(lon[k]), area_id=ids.areas[pg.area_key],
                             reasons=",".join(reasons[i] for i in chosen),
                             created_at=_local(walk_day, 19) if walk else _local(fielded, 12)))
    _insert(conn, SurveyPlaceMark.__table__, rows, counts)


# --- meetings ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingRef:
    """A written meeting: id, date and the id of its first agenda item of each kind."""

    id: int
    held_on: date
    items: dict[str, int]


def meeting_dates(today: date) -> tuple[list[date], date]:
    """Tuesdays of the past year (no meetings in July or over Christmas) and the next Tuesday after today."""
    first = today - timedelta(days=364)
    first += timedelta(days=(1 - first.weekday()) % 7)
    past = []
    d = first
    while d <= today:
        christmas = (d.month == 12 and d.day >= 22) or (d.month == 1 and d.day <= 6)
        if d.month != 7 and not christmas:
            past.append(d)
        d += timedelta(days=7)
    nxt = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    return past, nxt


def _write_meetings(conn, *, seed: int, cal: Calendar, cols: IncidentColumns, counts) -> list[MeetingRef]:
    """Weekly forum meetings with minutes drawn from the incidents, and 3-6 agenda items each."""
    rng = np.random.default_rng([seed, 3])
    past, nxt = meeting_dates(cal.today)
    others = [c for c in ORG_CODES if c not in ("kommunen", "polisen")]
    rows = []
    for d in [*past, nxt]:
        held = d <= cal.today
        participants = ["kommunen", "polisen", *[c for c in others if rng.random() < 0.7]]
        rows.append(dict(forum=FORUM, held_on=d, status="avslutat" if held else "planerat",
                         participants=json.dumps(participants), minutes=_minutes(cols, d) if held else None,
                         snapshot=None, closed_at=_local(d, 15) if held else None))
    meeting_ids = _insert_returning(conn, Meeting.__table__, rows)
    _record(counts, Meeting.__table__, len(rows))
    agenda, kinds_per_meeting = [], []
    for mid, row in zip(meeting_ids, rows):
        extra = [k for k in range(2, len(MEETING_AGENDA)) if rng.random() < 0.55]
        chosen = [0, 1, *extra[:4]] if extra else [0, 1, 2]
        kinds_per_meeting.append([MEETING_AGENDA[k][0] for k in chosen])
        for pos, k in enumerate(chosen, start=1):
            kind, title, body = MEETING_AGENDA[k]
            agenda.append(dict(meeting_id=mid, position=pos, kind=kind, title=title, body=body,
                               link=AGENDA_LINKS.get(kind),
                               minutes=AGENDA_MINUTES[kind] if row["status"] == "avslutat" else None))
    agenda_ids = iter(_insert_returning(conn, AgendaItem.__table__, agenda))
    _record(counts, AgendaItem.__table__, len(agenda))
    refs = []
    for mid, row, kinds in zip(meeting_ids, rows, kinds_per_meeting):
        items = {}
        for kind in kinds:
            items.setdefault(kind, next(agenda_ids))
        refs.append(MeetingRef(id=mid, held_on=row["held_on"], items=items))
    return refs


AGENDA_LINKS = {"uppfoljning": "/actions", "forandringar": "/trends", "hotspots": "/map", "rapporter": "/overview"}
AGENDA_MINUTES = {
    "uppfoljning": "Åtgärdslistan gicks igenom; försenade åtgärder följs upp av ansvarig organisation.",
    "forandringar": "Forumet diskuterade veckans förändringar mot föregående period.",
    "hotspots": "Brännpunkterna på kartan stämmer med parternas bild.",
    "handelser": "Kommande evenemang noterades; polis och bevakning planerar närvaro.",
    "rapporter": "Parterna rapporterade kort om läget i sina områden.",
    "ovrigt": "Inget övrigt.",
}


def _minutes(cols: IncidentColumns, held_on: date) -> str:
    """Short minutes naming last week's incident count, the change from the week before and the busiest area."""
    d = np.datetime64(held_on, "D")
    lo, mid = np.searchsorted(cols.local_date, [d - 14, d - 7])
    hi = np.searchsorted(cols.local_date, d)
    n_last, n_prev = int(hi - mid), int(mid - lo)
    busiest = AREAS[int(np.bincount(cols.area[mid:hi], minlength=len(AREAS)).argmax())].name if hi > mid else "–"
    week = (held_on - timedelta(days=7)).isocalendar().week
    return (f"Lägesbild vecka {week}: {n_last} rapporterade händelser ({n_last - n_prev:+d} mot veckan före). "
            f"Flest händelser i {busiest}.")


# --- actions -------------------------------------------------------------------------------------------------------

RESPONSIBLE = {"kommunen": "samordnare", "polisen": "polis", "bostadsbolaget_a": "omradeschef",
               "bostadsbolaget_b": "norden01", "bevakning": "vakt01", "trygghetsombud": "ombud"}
STATUS_PATH = {"föreslagen": ("föreslagen",), "beslutad": ("föreslagen", "beslutad"),
               "pågår": ("föreslagen", "beslutad", "pågår"), "klar": ("föreslagen", "beslutad", "pågår", "klar"),
               "avbruten": ("föreslagen", "beslutad", "pågår", "avbruten")}
STATUS_NOTES = {"föreslagen": "Förslag väckt i trygghetsforum.", "beslutad": "Beslutad av trygghetsforum.",
                "pågår": "Arbetet har påbörjats.", "klar": "Åtgärden är genomförd.",
                "avbruten": "Avbruten efter avstämning i forumet; resurserna behövdes på annat håll."}


def _action_timeline(spec, *, today: date, meetings: list[MeetingRef]) -> dict:
    """Dates of each status change for an action spec, and the meeting where it was decided (if one was held)."""
    start = today + timedelta(days=spec.start_days)
    if spec.status == "föreslagen":
        return dict(start=None, due=None, steps={"föreslagen": start}, meeting=None)
    decided = min(start - timedelta(days=10), today - timedelta(days=3))
    meeting = next((m for m in reversed(meetings) if decided - timedelta(days=14) < m.held_on <= decided), None)
    if meeting is not None:
        decided = meeting.held_on
    steps = {"föreslagen": decided - timedelta(days=14), "beslutad": decided}
    due = start + timedelta(days=spec.duration_days)
    if spec.status in ("pågår", "klar", "avbruten"):
        steps["pågår"] = start
    if spec.status == "klar":
        steps["klar"] = min(due, today - timedelta(days=1))
    if spec.status == "avbruten":
        steps["avbruten"] = min(start + timedelta(days=spec.duration_days // 2), today - timedelta(days=1))
    return dict(start=start, due=due, steps=steps, meeting=meeting)


def _write_actions(conn, *, cal: Calendar, ids: Ids, meetings: list[MeetingRef], counts) -> list[int]:
    """The action register with categories, status history and decisions; returns ids of actions with effect."""
    org_names = {c: n for c, n, _ in ORGANISATIONS}
    past_meetings = [m for m in meetings if m.held_on <= cal.today]
    timelines = [_action_timeline(s, today=cal.today, meetings=past_meetings) for s in ACTIONS]
    rows = []
    for spec, tl in zip(ACTIONS, timelines):
        steps = tl["steps"]
        rows.append(dict(
            title=spec.title, description=f"{spec.title}. Ansvarig organisation: {org_names[spec.owner]}.",
            area_id=ids.areas[spec.area], place_id=ids.places[spec.place] if spec.place else None, h3_cells=None,
            owner_org_id=ids.orgs[spec.owner], responsible_user_id=ids.users.get(RESPONSIBLE.get(spec.owner, "")),
            status=spec.status, priority=spec.priority, start_date=tl["start"], due_date=tl["due"],
            decided_meeting_id=tl["meeting"].id if tl["meeting"] else None, version=1,
            created_at=_local(steps["föreslagen"], 10), updated_at=_local(max(steps.values()), 10)))
    action_ids = _insert_returning(conn, Action.__table__, rows)
    _record(counts, Action.__table__, len(rows))
    _insert(conn, ActionCategory.__table__, [
        dict(action_id=aid, category_id=ids.categories[c]) for aid, spec in zip(action_ids, ACTIONS)
        for c in spec.categories], counts)
    updates, decisions = [], []
    for aid, spec, tl, row in zip(action_ids, ACTIONS, timelines, rows):
        who = row["responsible_user_id"] or ids.users.get("samordnare")
        previous = None
        for status in STATUS_PATH[spec.status]:
            updates.append(dict(action_id=aid, user_id=who, at=_local(tl["steps"][status], 10), status_from=previous,
                                status_to=status, changes=json.dumps({"status": [previous, status]},
                                                                     ensure_ascii=False),
                                note=STATUS_NOTES[status]))
            previous = status
        if tl["meeting"] is not None:
            m = tl["meeting"]
            decisions.append(dict(meeting_id=m.id, agenda_item_id=m.items.get("hotspots", m.items["uppfoljning"]),
                                  text=f"Forumet beslutade: {spec.title}. Ansvarig: {org_names[spec.owner]}.",
                                  action_id=aid))
    _insert(conn, ActionUpdate.__table__, updates, counts)
    for k, m in enumerate(past_meetings):
        if k % 4 == 3:
            decisions.append(dict(meeting_id=m.id, agenda_item_id=m.items["forandringar"],
                                  text="Lägesbilden fastställdes och skickas till parterna.", action_id=None))
    _insert(conn, Decision.__table__, decisions, counts)
    return [aid for aid, spec in zip(action_ids, ACTIONS) if spec.effect is not None]


# --- events --------------------------------------------------------------------------------------------------------

def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _write_events(conn, *, cal: Calendar, ids: Ids, place_geos, counts) -> None:
    """Yearly events over the five years (and the next two weeks) plus the coming events right after today."""
    place_rows = {spec.key: spec for spec in PLACES}
    geo = {g.key: g for g in place_geos}
    horizon = cal.today + timedelta(days=14)
    planned = []
    for year in range(cal.start.year, horizon.year + 1):
        for title, kind, month, day, rule, hour, hours, place in YEARLY_EVENTS:
            d = _nth_weekday(year, month, *rule) if rule else date(year, month, day)
            if cal.start <= d <= horizon:
                planned.append((d, title, kind, hour, hours, place))
    planned.extend((cal.today + timedelta(days=ahead), title, kind, hour, hours, place)
                   for ahead, title, kind, hour, hours, place in UPCOMING_EVENTS)
    planned.sort(key=lambda e: (e[0], e[3], e[1]))
    rows = [dict(title=title, kind=kind, starts_at=_local(d, hour), ends_at=_local(d, hour) + timedelta(hours=hours),
                 place_id=ids.places[place], area_id=ids.areas[place_rows[place].area], lat=geo[place].lat,
                 lon=geo[place].lon, organisation_id=None if kind == "match" else ids.orgs["kommunen"])
            for d, title, kind, hour, hours, place in planned]
    _insert(conn, Event.__table__, rows, counts)


# --- store info ----------------------------------------------------------------------------------------------------

def _write_store_info(conn, *, mixed: bool, seed: int, today: date, scale: float, effective: list[int],
                      facts: dict) -> None:
    """Set the demo keys and bump data_version so caches know the store changed."""
    table = StoreInfo.__table__
    values = {"demo": "false" if mixed else "true", "demo_seed": str(seed), "demo_today": today.isoformat(),
              "demo_scale": f"{scale:g}", "demo_effective_actions": json.dumps(effective),
              "demo_facts": json.dumps(facts, ensure_ascii=False)}
    conn.execute(table.delete().where(table.c.key.in_(list(values))))
    conn.execute(insert(table), [dict(key=k, value=v) for k, v in values.items()])
    bump_data_version(conn)
