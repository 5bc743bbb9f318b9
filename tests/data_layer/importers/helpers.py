"""Shared paths and independent readers for importer tests (standard library only, never the importers)."""
from __future__ import annotations

import csv
import gzip
import json

from sqlalchemy import func, select

from data_layer.models import Area, CategoryMapping, ImportBatch, Incident, Organisation, StoreInfo
from tests.conftest import SHARED_DATA

GEO = SHARED_DATA / "geo"
POLICE_OCTOBER = SHARED_DATA / "polisen" / "events_2025-10.json"
POLICE_ALL = SHARED_DATA / "polisen" / "events_2023-03_to_2026-08.json.gz"
UK_CSV = SHARED_DATA / "uk_police" / "2016-07-west-yorkshire-street.csv"


def load_events(path=POLICE_OCTOBER) -> list[dict]:
    """The police events of a shared file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def write_events(path, events) -> None:
    """Write events as a JSON array (a small hand-edited copy of real data)."""
    path.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")


def load_uk_rows() -> list[dict]:
    """The police.uk rows as dicts."""
    with open(UK_CSV, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def snapshot(engine) -> dict:
    """Row counts of every table an import may write, plus the data version: equal snapshots = nothing written."""
    with engine.connect() as conn:
        counts = {m.__name__: conn.execute(select(func.count()).select_from(m)).scalar_one()
                  for m in (Incident, ImportBatch, Organisation, Area, CategoryMapping)}
        counts["data_version"] = conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")
                                              ).scalar_one_or_none()
    return counts
