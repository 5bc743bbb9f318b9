"""Import any GeoJSON FeatureCollection as Areas, upserting by code (re-importing the same file changes nothing).

Each area's centre is shapely's `representative_point()`, not its centroid: the centroid of a crescent,
a coastal municipality with islands or a MultiPolygon can lie in the sea or in a neighbour, while the
representative point is always inside the area. Area-level incidents are drawn at that centre, so it must
fall back into the same area when points are assigned by polygon.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from shapely.geometry import shape
from sqlalchemy import Connection, Engine, insert, select, update

from data_layer.importers.common import (ImportRefused, ImportSummary, RowProblem, json_problem, read_file_bytes,
                                         rejected_detail, sha256_of)
from data_layer.reference import bump_data_version
from data_layer.models import AREA_LEVELS, Area, ImportBatch

POLYGONAL = ("Polygon", "MultiPolygon")
POPULATION_CODE_COLUMNS = ("kommun_kod", "code", "kod", "municipality_code", "area_code")


@dataclass
class AreaImportResult(ImportSummary):
    """What an areas import read, created, changed and rejected."""

    file_name: str
    level: str
    dry_run: bool
    features_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    with_population: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    batch_id: int | None = None



def derive_code(name: str, *, prefix: str | None = None) -> str:
    """A stable code from a name: ASCII-folded, lower case, hyphenated, optionally prefixed ("0180-bagarmossen")."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return (f"{prefix}-{slug}" if prefix else slug)[:64]


def tidy_name(name: str) -> str:
    """Names given all in capitals ("NORRA DJURGÅRDEN") become title case; others are kept as written."""
    name = " ".join(name.split())
    return name.title() if name.isupper() else name


def read_population(path: Path) -> dict[str, int]:
    """{code: population} from a CSV with a `population` column and a code column (e.g. kommun_kod)."""
    text = read_file_bytes(path).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text), dialect=csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t"))
    code_col = next((c for c in POPULATION_CODE_COLUMNS if c in (reader.fieldnames or [])), None)
    if code_col is None or "population" not in (reader.fieldnames or []):
        raise ImportRefused(Path(path).name, [RowProblem(None, None, "befolkningsfilen behöver kolumnerna "
                                                         f"'population' och en av {', '.join(POPULATION_CODE_COLUMNS)}")])
    out, problems = {}, []
    for i, row in enumerate(reader, start=2):
        value = (row.get("population") or "").replace(" ", "").replace("\u00a0", "")
        if not value.isdigit():
            problems.append(RowProblem(i, "population", f"'{row.get('population')}' är inget heltal"))
            continue
        out[row[code_col].strip()] = int(value)
    if problems:
        raise ImportRefused(Path(path).name, problems)
    return out


def _features(data: bytes, file_name: str) -> list[dict]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(file_name, [RowProblem(None, None, json_problem(exc, what="GeoJSON"))]) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ImportRefused(file_name, [RowProblem(None, None, "filen är ingen GeoJSON FeatureCollection")])
    if not doc["features"]:
        raise ImportRefused(file_name, [RowProblem(None, None, "filen innehåller inga områden (listan features är tom)")])
    return doc["features"]


def _area_rows(features: list[dict], *, name_field: str, code_field: str | None, level: str, parent_code: str | None,
               population: dict[str, int]) -> tuple[list[dict], list[RowProblem]]:
    """Turn features into Area column values (without parent id) and problems; feature numbers are 1-based."""
    rows, problems, codes = [], [], set()
    for number, feature in enumerate(features, start=1):
        props = (feature or {}).get("properties") or {}
        name = str(props.get(name_field) or "").strip()
        if not name:
            problems.append(RowProblem(number, name_field, "namn saknas"))
            continue
        code = str(props.get(code_field) or "").strip() if code_field else derive_code(name, prefix=parent_code)
        if not code:
            problems.append(RowProblem(number, code_field, "kod saknas"))
            continue
        if code in codes:
            problems.append(RowProblem(number, code_field or name_field, f"koden '{code}' förekommer flera gånger"))
            continue
        geometry = (feature or {}).get("geometry")
        if not geometry or geometry.get("type") not in POLYGONAL:
            problems.append(RowProblem(number, "geometry", "geometrin saknas eller är ingen (multi)polygon"))
            continue
        try:
            point = shape(geometry).representative_point()
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            problems.append(RowProblem(number, "geometry", f"geometrin kan inte läsas ({exc})"))
            continue
        codes.add(code)
        rows.append({"code": code, "name": tidy_name(name), "level": level,
                     "geometry": json.dumps(geometry, separators=(",", ":")),
                     "centroid_lat": round(point.y, 6), "centroid_lon": round(point.x, 6),
                     "population": population.get(code)})
    return rows, problems


class _Rollback(Exception):
    pass


def import_areas(engine: Engine, path: Path, *, name_field: str, code_field: str | None, level: str,
                 parent_code: str | None = None, population_path: Path | None = None, skip_invalid: bool = False,
                 dry_run: bool = False, user_id: int | None = None) -> AreaImportResult:
    """Upsert the features of a GeoJSON FeatureCollection as Areas of `level`, keyed by code, in one transaction."""
    path = Path(path)
    if level not in AREA_LEVELS:
        raise ImportRefused(path.name, [RowProblem(None, None, f"okänd nivå '{level}'; giltiga: {', '.join(AREA_LEVELS)}")])
    result = AreaImportResult(file_name=path.name, level=level, dry_run=dry_run)
    features = _features(read_file_bytes(path), path.name)
    population = read_population(population_path) if population_path else {}
    rows, problems = _area_rows(features, name_field=name_field, code_field=code_field, level=level,
                                parent_code=parent_code, population=population)
    result.features_read, result.rejected = len(features), problems
    result.with_population = sum(1 for r in rows if r["population"] is not None)
    if problems and not skip_invalid:
        raise ImportRefused(path.name, problems)
    try:
        with engine.begin() as conn:
            parent_id = _parent_id(conn, parent_code, path.name)
            _upsert(conn, rows, parent_id=parent_id, keep_population=population_path is None, result=result)
            if result.created or result.updated:
                result.batch_id = _write_batch(conn, path, result, user_id=user_id)
                bump_data_version(conn)
            if dry_run:
                result.batch_id = None
                raise _Rollback
    except _Rollback:
        pass
    return result


def _parent_id(conn: Connection, parent_code: str | None, file_name: str) -> int | None:
    if not parent_code:
        return None
    parent_id = conn.execute(select(Area.id).where(Area.code == parent_code)).scalar_one_or_none()
    if parent_id is None:
        raise ImportRefused(file_name, [RowProblem(None, None, f"överordnat område med kod '{parent_code}' finns inte")])
    return parent_id


_COMPARED = ("name", "level", "parent_id", "geometry", "centroid_lat", "centroid_lon", "population")


def _upsert(conn: Connection, rows: list[dict], *, parent_id: int | None, keep_population: bool,
            result: AreaImportResult) -> None:
    existing = {r.code: r for r in conn.execute(select(Area.id, Area.code, *(getattr(Area, c) for c in _COMPARED)))}
    new = []
    for row in rows:
        row["parent_id"] = parent_id
        old = existing.get(row["code"])
        if old is None:
            new.append(row)
            continue
        if keep_population:
            row["population"] = old.population
        changes = {c: row[c] for c in _COMPARED if getattr(old, c) != row[c]}
        if changes:
            conn.execute(update(Area).where(Area.id == old.id).values(**changes))
            result.updated += 1
        else:
            result.unchanged += 1
    if new:
        conn.execute(insert(Area), [{**r, "vulnerable": False} for r in new])
    result.created = len(new)


def _write_batch(conn: Connection, path: Path, result: AreaImportResult, *, user_id: int | None) -> int:
    detail = rejected_detail(result.rejected)
    return conn.execute(insert(ImportBatch).values(
        source_kind="areas", file_name=path.name[:500], sha256=sha256_of(path),
        rows_accepted=result.created + result.updated, rows_rejected=len(result.rejected), rejected_detail=detail,
        user_id=user_id, created_at=datetime.now(timezone.utc))).inserted_primary_key[0]
