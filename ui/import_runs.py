"""Running an import kind on an uploaded file, without widgets: staging under the original name, and the outcome.

Every run goes through `registry.run_import_kind`, the CLI's code path. The upload is written under its original
name into a temporary directory (the batch records the name), which is removed when the run ends. The preview is a
dry run with skip-invalid, so it also counts what the valid rows would give.
"""
from __future__ import annotations

import json
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine

from data_layer.importers.common import ImportRefused, Progress, RowProblem
from data_layer.importers.registry import run_import_kind
from data_layer.scope import Scope

WRITE_FIELDS = ("accepted", "created", "updated")  # what a result would add or change in the store
PEEK_LIMIT_BYTES = 50 * 1024 * 1024  # only smaller GeoJSON files are read to suggest their property names


@dataclass
class Outcome:
    """One run of an import kind on one file: the runner's result, or the problems the file was refused for."""

    kind: str
    file_name: str
    dry_run: bool
    result: object | None = None
    refused: list[RowProblem] = field(default_factory=list)

    @property
    def problems(self) -> list[RowProblem]:
        """Every row that could not be read (the whole list, not the summary's first 20)."""
        if self.refused:
            return self.refused
        return [_as_problem(p) for p in (getattr(self.result, "rejected", None) or [])]

    def summary(self) -> dict:
        """The result's JSON-ready summary ({} for a refused file)."""
        return self.result.to_dict() if self.result is not None else {}

    @property
    def writes(self) -> int:
        """How many rows the run adds or changes in the store (would, for a dry run)."""
        s = self.summary()
        return sum(int(s.get(name) or 0) for name in WRITE_FIELDS)

    @property
    def batch_id(self) -> int | None:
        return self.summary().get("batch_id")

    def importable(self, *, skip_invalid: bool) -> bool:
        """True when a real import with `skip_invalid` would write something (a preview's verdict)."""
        return not self.refused and (skip_invalid or not self.problems) and self.writes > 0


def _as_problem(p) -> RowProblem:
    if isinstance(p, RowProblem):
        return p
    if isinstance(p, dict):
        return RowProblem(p.get("row"), p.get("column"), str(p.get("reason", "")))
    return RowProblem(None, None, str(p))


def run_on_file(engine: Engine, kind: str, path: Path, *, options: dict, dry_run: bool, skip_invalid: bool,
                user_id: int | None = None, progress: Progress | None = None, scope: Scope | None = None) -> Outcome:
    """Run import `kind` on `path` through the registry as `scope` (the registry refuses a role that may not edit the
    kind's resource); a refused file becomes an Outcome with its problems."""
    path = Path(path)
    try:
        result = run_import_kind(engine, kind, path, options=options, skip_invalid=skip_invalid, dry_run=dry_run,
                                 user_id=user_id, progress=progress, scope=scope)
    except ImportRefused as exc:
        return Outcome(kind, path.name, dry_run, refused=list(exc.problems))
    except (ValueError, UnicodeError) as exc:  # a runner's own check of a bad value: a message, never a traceback
        return Outcome(kind, path.name, dry_run, refused=[RowProblem(None, None, str(exc))])
    return Outcome(kind, path.name, dry_run, result=result)


def preview_file(engine: Engine, kind: str, path: Path, *, options: dict,
                 progress: Progress | None = None, scope: Scope | None = None) -> Outcome:
    """The wizard's preview: a dry run with skip-invalid (nothing is written), so valid rows are counted too."""
    return run_on_file(engine, kind, path, options=options, dry_run=True, skip_invalid=True, progress=progress,
                       scope=scope)


def safe_name(name: str) -> str:
    """The upload's own file name without any folder part (a browser may send one)."""
    return Path(str(name).replace("\\", "/")).name.strip() or "fil"


@contextmanager
def staged(files: dict[str, tuple[str, bytes]]) -> Iterator[dict[str, Path]]:
    """Write {slot: (original name, bytes)} into a fresh temporary directory; everything is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="lagesbild-import-") as tmp:
        paths = {}
        for slot, (name, data) in files.items():
            folder = Path(tmp) / slot  # one folder per upload: the main file and a population file may share a name
            folder.mkdir()
            paths[slot] = folder / safe_name(name)
            paths[slot].write_bytes(data)
        yield paths


def geojson_properties(data: bytes) -> list[str]:
    """The property names of a GeoJSON FeatureCollection's first features ([] when the bytes are not one)."""
    if len(data) > PEEK_LIMIT_BYTES:
        return []
    try:
        doc = json.loads(data.decode("utf-8-sig"))
        features = doc.get("features") or []
        names = {}
        for feature in features[:50]:
            names.update(dict.fromkeys((feature.get("properties") or {}).keys()))
        return [str(n) for n in names]
    except (ValueError, AttributeError, TypeError):
        return []
