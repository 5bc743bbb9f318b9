"""The shared import machinery: one file = one transaction, refusal of bad files, idempotence, batches and undo.

A source module parses a file into plain row dicts (or `RowProblem`s) inside the import's transaction;
`run_import` resolves categories and areas, fills the derived columns, skips what the store already holds,
bulk-inserts with Core in chunks, writes the `ImportBatch` and bumps the store's data version. A dry run
does all of that and rolls back, so it reports exactly what a real import would do and writes nothing.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from data_layer import rollups
from data_layer.db import refresh_planner_statistics
from data_layer.importers import mappings
from data_layer.importers.area_index import AreaIndex
from data_layer.importers.rows import complete_row
from data_layer.importers.store import OrgSpec, get_or_create_org
from data_layer.personal_data import personal_data_kinds
from data_layer.reference import bump_data_version, ensure_categories
from data_layer.models import ImportBatch, Incident, Organisation

INSERT_CHUNK = 5_000
MAX_FILE_BYTES = 512 * 1024 * 1024  # after decompression: a bigger "events file" is refused, not parsed
PROBLEMS_IN_MESSAGE = 20

Progress = Callable[[int, int], None]  # (rows written so far, rows to write)


@dataclass(frozen=True)
class RowProblem:
    """Why one row (1-based as the person sees it; None = the file as a whole) could not be read."""

    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = "Filen" if self.row is None else f"Rad {self.row}"
        return f"{where}, kolumn '{self.column}': {self.reason}" if self.column else f"{where}: {self.reason}"


class ImportSummary:
    """Mixin for every kind's result dataclass: `to_dict()`, a JSON-ready summary with a whole `rejected_count`."""

    rejected: list[RowProblem]

    def to_dict(self, *, max_problems: int = PROBLEMS_IN_MESSAGE) -> dict:
        """A JSON-ready summary; the list of rejected rows is cut to `max_problems` (the count is always whole)."""
        out = asdict(self)
        out["rejected_count"] = len(self.rejected)
        out["rejected"] = out["rejected"][:max_problems]
        return out


def rejected_detail(problems: list[RowProblem]) -> str | None:
    """The JSON an ImportBatch keeps of the rows it skipped ([{row, column, reason}]), or None when none were."""
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False) if problems else None


@dataclass
class ImportResult(ImportSummary):
    """What one import (or dry run) read, accepted, rejected and skipped."""

    source_kind: str
    file_name: str
    sha256: str
    dry_run: bool
    rows_read: int = 0
    accepted: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    duplicates_skipped: int = 0
    areas_assigned: int = 0
    area_fallbacks: int = 0
    conversions: dict[str, int] = field(default_factory=dict)
    by_precision: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    personal_data_rows: int = 0  # accepted rows whose description seems to hold personal data (a warning, not a refusal)
    batch_id: int | None = None


class ImportRefused(Exception):
    """A file was refused whole: nothing was written. `problems` names every bad row."""

    def __init__(self, file_name: str, problems: list[RowProblem]):
        self.file_name = file_name
        self.problems = problems
        super().__init__(refusal_message(file_name, problems))


def refusal_message(file_name: str, problems: list[RowProblem], *, limit: int = PROBLEMS_IN_MESSAGE) -> str:
    """The Swedish message for a refused file: the first `limit` problems and how many more there are."""
    n = len(problems)
    bad_rows = len({p.row for p in problems if p.row is not None})
    if bad_rows:
        what = f"{bad_rows} {'rad' if bad_rows == 1 else 'rader'} kunde inte läsas"
        if n > bad_rows:
            what += f" ({n} fel)"
    else:
        what = "filen kunde inte läsas"
    lines = [f"Filen {file_name} lästes inte in: {what}. Ingenting har sparats."]
    lines += [f"  {p}" for p in problems[:limit]]
    if n > limit:
        lines.append(f"  … och {n - limit} fel till.")
    lines.append("Rätta filen, eller läs in de giltiga raderna med --skip-invalid." if bad_rows else
                 "Rätta filen (eller importprofilen) och försök igen.")
    return "\n".join(lines)


def json_problem(exc: UnicodeDecodeError | json.JSONDecodeError, *, what: str = "JSON") -> str:
    """A Swedish reason for a file that is not UTF-8 JSON, with the place in the file (never Python's English text)."""
    if isinstance(exc, UnicodeDecodeError):
        return f"filen är inte {what} i UTF-8 (ogiltig byte vid position {exc.start}); är den en binärfil?"
    return f"filen är inte giltig {what}: fel på rad {exc.lineno}, tecken {exc.colno}"


@dataclass(frozen=True)
class Parsed:
    """A source module's reading of one file: the good rows, the bad ones, and its own tallies."""

    rows: list[dict]
    problems: list[RowProblem]
    rows_read: int
    conversions: dict[str, int] = field(default_factory=dict)


def read_file_bytes(path: Path) -> bytes:
    """Return the file's bytes, transparently un-gzipped when it starts with gzip's magic bytes."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ImportRefused(Path(path).name, [RowProblem(None, None, "filen är för stor när den packas upp")])
        return data
    return raw


def sha256_of(path: Path) -> str:
    """The hex sha256 of the file as stored on disk (compressed or not)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class _Rollback(Exception):
    """Raised inside the transaction to end a dry run without writing."""


def run_import(engine: Engine, *, path: Path, source_kind: str, org: OrgSpec,
               parse: Callable[[Connection, bytes], Parsed], skip_invalid: bool = False, dry_run: bool = False,
               user_id: int | None = None, max_fallback_m: float = 2_000.0, progress: Progress | None = None,
               progress_every: int = INSERT_CHUNK) -> ImportResult:
    """Import one file in one transaction and return what happened (raises ImportRefused for a bad file)."""
    path = Path(path)
    sha = sha256_of(path)
    data = read_file_bytes(path)
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        result = ImportResult(source_kind=source_kind, file_name=path.name, sha256=sha, dry_run=dry_run)
        try:
            _import_once(engine, data, result, org=org, parse=parse, skip_invalid=skip_invalid, dry_run=dry_run,
                         user_id=user_id, max_fallback_m=max_fallback_m, progress=progress,
                         progress_every=progress_every)
            if result.accepted >= STATISTICS_AFTER_ROWS:
                refresh_planner_statistics(engine)
            return result
        except _Rollback:
            return result
        except (IntegrityError, OperationalError) as exc:
            # Another import of the same source committed first (PostgreSQL: duplicate key; SQLite: our read
            # snapshot went stale). The retry starts a fresh transaction, sees its rows and skips them.
            if not _is_write_conflict(exc):
                raise
            if attempt == CONFLICT_ATTEMPTS:
                raise ImportRefused(path.name, [RowProblem(None, None, "en annan import skrev till samma källa "
                                                                       "samtidigt; försök igen om en stund")]) from None
    raise AssertionError("unreachable")


CONFLICT_ATTEMPTS = 3
STATISTICS_AFTER_ROWS = 10_000  # a big import can change which index is best; small ones cannot


def _is_write_conflict(exc: Exception) -> bool:
    """True for the errors two concurrent imports of one source cause, which a retry resolves."""
    if isinstance(exc, IntegrityError):
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "busy" in text or "could not serialize" in text


def _import_once(engine: Engine, data: bytes, result: ImportResult, *, org: OrgSpec,
                 parse: Callable[[Connection, bytes], Parsed], skip_invalid: bool, dry_run: bool,
                 user_id: int | None, max_fallback_m: float, progress: Progress | None, progress_every: int) -> None:
    with engine.begin() as conn:
        parsed = parse(conn, data)
        result.rows_read, result.rejected = parsed.rows_read, list(parsed.problems)
        result.conversions = dict(parsed.conversions)
        if parsed.problems and not skip_invalid:
            raise ImportRefused(result.file_name, parsed.problems)
        org_id = get_or_create_org(conn, org)
        # Serialise imports of one source (PostgreSQL): the second waits here, then sees the first's rows.
        conn.execute(select(Organisation.id).where(Organisation.id == org_id).with_for_update())
        rows = _new_rows(conn, org_id, parsed.rows, result)
        _resolve(conn, result.source_kind, rows, result, max_fallback_m=max_fallback_m)
        if rows:
            batch_id = _write_batch(conn, result, org_id=org_id, user_id=user_id, accepted=len(rows))
            _insert_chunks(conn, rows, org_id=org_id, batch_id=batch_id, progress=progress, every=progress_every)
            rollups.apply_rows(conn, where=[Incident.import_batch_id == batch_id])  # imports only add rows
            bump_data_version(conn)
            result.batch_id = None if dry_run else batch_id
        result.accepted = len(rows)
        if dry_run:
            raise _Rollback


def _new_rows(conn: Connection, org_id: int, rows: list[dict], result: ImportResult) -> list[dict]:
    """Drop rows whose external id the store (or an earlier row of this file) already holds."""
    seen = set(conn.execute(select(Incident.external_id).where(Incident.source_org_id == org_id)).scalars())
    fresh = []
    for row in rows:
        if row["external_id"] in seen:
            result.duplicates_skipped += 1
            continue
        seen.add(row["external_id"])
        fresh.append(row)
    return fresh


def _resolve(conn: Connection, source_kind: str, rows: list[dict], result: ImportResult, *,
             max_fallback_m: float) -> None:
    """Fill category ids, point areas, local calendar and H3 cells; tally precision, categories and areas."""
    category_ids = ensure_categories(conn)
    mapping = mappings.ensure_defaults(conn, source_kind)
    unplaced = [r for r in rows if r["location_precision"] == "point" and r.get("area_id") is None]
    if unplaced:
        assigned = AreaIndex.load(conn).assign([(r["lat"], r["lon"]) for r in unplaced], max_fallback_m=max_fallback_m)
        for row, area_id in zip(unplaced, assigned.area_ids):
            row["area_id"] = area_id
        result.area_fallbacks = assigned.fallbacks
    precision, category = Counter(), Counter()
    for row in rows:
        code = row.pop("category_code", None) or mappings.category_for(mapping, row.get("source_type"))
        row["category_id"] = category_ids[code]
        complete_row(row)
        precision[row["location_precision"]] += 1
        category[code] += 1
        result.personal_data_rows += bool(personal_data_kinds(row.get("description")))
    result.areas_assigned = sum(1 for r in rows if r.get("area_id") is not None)
    result.by_precision, result.by_category = dict(precision), dict(category.most_common())


def _write_batch(conn: Connection, result: ImportResult, *, org_id: int, user_id: int | None, accepted: int) -> int:
    detail = rejected_detail(result.rejected)
    return conn.execute(insert(ImportBatch).values(
        source_kind=result.source_kind, organisation_id=org_id, file_name=result.file_name[:500], sha256=result.sha256,
        rows_accepted=accepted, rows_rejected=len(result.rejected), rejected_detail=detail, user_id=user_id,
        created_at=datetime.now(timezone.utc))).inserted_primary_key[0]


_INCIDENT_DEFAULTS = {"occurred_to": None, "source_type": None, "lat": None, "lon": None, "area_id": None,
                      "place_id": None, "description": None, "assessment": None, "police_reported": False,
                      "sensitive": False, "reporter_user_id": None, "h3_r7": None, "h3_r8": None, "h3_r9": None}


def _insert_chunks(conn: Connection, rows: list[dict], *, org_id: int, batch_id: int, progress: Progress | None,
                   every: int) -> None:
    table = Incident.__table__
    total = len(rows)
    for start in range(0, total, every):
        chunk = [{**_INCIDENT_DEFAULTS, **row, "source_org_id": org_id, "import_batch_id": batch_id}
                 for row in rows[start:start + every]]
        conn.execute(insert(table), chunk)
        if progress:
            progress(min(start + every, total), total)


class UndoRefused(Exception):
    """An undo that cannot be done (unknown batch, already undone, or not an incident batch)."""


def undo_batch(engine: Engine, batch_id: int) -> int:
    """Delete the incidents of import batch `batch_id` and mark it undone, in one transaction; return how many."""
    with engine.begin() as conn:
        batch = conn.execute(select(ImportBatch.source_kind, ImportBatch.undone_at)
                             .where(ImportBatch.id == batch_id).with_for_update()).one_or_none()
        if batch is None:
            raise UndoRefused(f"Det finns ingen import med nummer {batch_id}.")
        if batch.undone_at is not None:
            raise UndoRefused(f"Import {batch_id} är redan ångrad.")
        if batch.source_kind == "areas":
            raise UndoRefused(f"Import {batch_id} läste in områden; sådana importer kan inte ångras.")
        if batch.source_kind == "survey":  # results, then the surveys the batch created that are left empty
            from data_layer.importers.survey import undo_survey_batch

            deleted = undo_survey_batch(conn, batch_id)
        else:
            rollups.apply_rows(conn, where=[Incident.import_batch_id == batch_id], sign=-1)
            deleted = conn.execute(delete(Incident).where(Incident.import_batch_id == batch_id)).rowcount
        conn.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                     .values(undone_at=datetime.now(timezone.utc)))
        bump_data_version(conn)
    return deleted

