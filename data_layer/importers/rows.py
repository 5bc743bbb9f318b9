"""Derived Incident columns every importer fills the same way: local calendar, H3 cells, content-hash ids."""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timezone
from typing import Sequence
from zoneinfo import ZoneInfo

import h3

STOCKHOLM = ZoneInfo("Europe/Stockholm")
H3_RESOLUTIONS = (7, 8, 9)


def local_calendar(instant: datetime) -> tuple:
    """The Europe/Stockholm (date, hour) of an aware instant."""
    local = instant.astimezone(STOCKHOLM)
    return local.date(), local.hour


def h3_cells(lat: float, lon: float) -> dict[str, str]:
    """The H3 cells at resolutions 7, 8 and 9 of a point."""
    return {f"h3_r{res}": h3.latlng_to_cell(lat, lon, res) for res in H3_RESOLUTIONS}


def complete_row(row: dict) -> dict:
    """Fill occurred_date/hour, reported_at (default occurred_at) and, for point precision only, the H3 cells."""
    occurred = row["occurred_at"]
    if occurred.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    row["occurred_at"] = occurred.astimezone(timezone.utc)
    row["occurred_date"], row["occurred_hour"] = local_calendar(occurred)
    row["reported_at"] = (row.get("reported_at") or occurred).astimezone(timezone.utc)
    if row.get("occurred_to") is not None:
        row["occurred_to"] = row["occurred_to"].astimezone(timezone.utc)
    if row["location_precision"] == "point":
        row.update(h3_cells(row["lat"], row["lon"]))
    else:
        row.update(h3_r7=None, h3_r8=None, h3_r9=None)
    return row


class ContentIds:
    """Stable ids for rows without one: a hash of the row's values plus its occurrence number among identical rows.

    Identical rows in one file stay distinct (#0, #1, …), and the same file always yields the same ids.
    """

    def __init__(self, prefix: str = "h") -> None:
        self.prefix, self.seen = prefix, Counter()

    def __call__(self, values: Sequence[str]) -> str:
        digest = hashlib.sha256("\x1f".join((v or "").strip() for v in values).encode("utf-8")).hexdigest()[:40]
        occurrence = self.seen[digest]
        self.seen[digest] += 1
        return f"{self.prefix}:{digest}#{occurrence}"
