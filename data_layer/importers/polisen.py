"""Import Polisen's public events ("händelser") JSON: area-level events on the municipality they name.

The API's `location.gps` is the centre of a municipality or county, never the spot, so every event is
stored with location_precision "area" and no H3 cells. The municipality comes from `location.name`, or,
when that is a county ("Skåne län"), from the last comma part of the event's `name`
("22 augusti 17.59, Brand, Kävlinge"). `datetime` is when the police published the event (reported_at);
the clock time in `name` is when it happened (occurred_at), when it can be read.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine

from data_layer.importers.area_names import AreaNames, is_county
from data_layer.importers.common import (ImportRefused, ImportResult, OrgSpec, Parsed, Progress, RowProblem, json_problem,
                                        run_import)
from data_layer.importers.regions import coordinate_problem
from data_layer.importers.rows import STOCKHOLM

SOURCE_KIND = "polisen-json"
POLISEN = OrgSpec(code="polisen", name="Polisen", kind="polis")
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2}):(\d{2}) ?([+-])(\d{2}):?(\d{2})$")
_NAME_TIME = re.compile(r"^\s*(\d{1,2}) ([a-zåäö]+) (\d{1,2})[.:](\d{2})\b", re.IGNORECASE)
MONTHS = {m: i for i, m in enumerate(("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                                      "september", "oktober", "november", "december"), start=1)}


def parse_police_datetime(text: str) -> datetime:
    """'2026-08-22 9:48:12 +02:00' -> aware UTC datetime (raises ValueError)."""
    m = _DATETIME.match((text or "").strip())
    if not m:
        raise ValueError(text)
    y, mo, d, h, mi, s, sign, oh, om = m.groups()
    offset = timedelta(hours=int(oh), minutes=int(om)) * (1 if sign == "+" else -1)
    local = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=timezone(offset))
    return local.astimezone(timezone.utc)


def time_from_name(name: str, published: datetime) -> datetime | None:
    """When the event happened per its title ("22 augusti 17.59, …", Stockholm time), at most 31 days before publishing."""
    m = _NAME_TIME.match(name or "")
    if not m or m.group(2).lower() not in MONTHS:
        return None
    day, month, hour, minute = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3)), int(m.group(4))
    local_year = published.astimezone(STOCKHOLM).year
    for year in (local_year, local_year - 1):
        try:
            candidate = datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM).astimezone(timezone.utc)
        except ValueError:
            return None
        if timedelta(hours=-1) <= published - candidate <= timedelta(days=31):
            return candidate
    return None


def _gps(text) -> tuple[float, float]:
    lat, lon = (float(part) for part in str(text).split(","))
    return lat, lon


def parse_events(conn: Connection, data: bytes, *, file_name: str = "") -> Parsed:
    """Read a JSON array of police events into incident rows and row problems (event numbers are 1-based)."""
    try:
        events = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(file_name, [RowProblem(None, None, json_problem(exc))]) from None
    if not isinstance(events, list):
        raise ImportRefused(file_name, [RowProblem(None, None, "filen ska innehålla en lista av händelser")])
    names = AreaNames.load(conn)
    rows, problems, tally = [], [], Counter()
    for number, event in enumerate(events, start=1):
        row = _event_row(number, event, names, problems, tally)
        if row is not None:
            rows.append(row)
    return Parsed(rows=rows, problems=problems, rows_read=len(events), conversions=dict(tally))


def _event_row(number: int, event, names: AreaNames, problems: list[RowProblem], tally: Counter) -> dict | None:
    if not isinstance(event, dict):
        problems.append(RowProblem(number, None, "händelsen är inget JSON-objekt"))
        return None
    event_id = event.get("id")
    if event_id is None or str(event_id).strip() == "":
        problems.append(RowProblem(number, "id", "id saknas"))
        return None
    try:
        published = parse_police_datetime(str(event.get("datetime") or ""))
    except ValueError:
        problems.append(RowProblem(number, "datetime", f"ogiltig tidpunkt '{event.get('datetime')}' "
                                                       "(väntat t.ex. '2026-08-22 9:48:12 +02:00')"))
        return None
    location = event.get("location") or {}
    try:
        lat, lon = _gps(location.get("gps"))
    except (ValueError, TypeError):
        problems.append(RowProblem(number, "location.gps", f"ogiltig position '{location.get('gps')}' "
                                                           "(väntat 'lat,lon')"))
        return None
    reason, _swapped = coordinate_problem(lat, lon, "sweden")
    if reason:
        problems.append(RowProblem(number, "location.gps", reason))
        return None
    occurred = time_from_name(str(event.get("name") or ""), published)
    tally["time_from_name" if occurred else "time_from_published"] += 1
    area_id, lat, lon = _place(str(location.get("name") or ""), str(event.get("name") or ""), names, lat, lon, tally)
    source_type = str(event.get("type") or "").strip() or None
    return {"external_id": str(event_id).strip(), "source_type": source_type, "occurred_at": occurred or published,
            "reported_at": published, "lat": lat, "lon": lon, "location_precision": "area", "area_id": area_id,
            "description": (event.get("summary") or None), "police_reported": True}


def _place(location_name: str, title: str, names: AreaNames, lat: float, lon: float,
           tally: Counter) -> tuple[int | None, float, float]:
    """(area id, lat, lon): the municipality named, else the county, else none (the gps centre is kept)."""
    if not is_county(location_name):
        hit = names.municipality(location_name)
        tally["kommun" if hit else "no_area"] += 1
        return (hit[0] if hit else None), lat, lon
    last = title.rsplit(",", 1)[-1].strip() if "," in title else ""
    hit = names.municipality(last) if last and not is_county(last) else None
    if hit:
        tally["kommun_from_title"] += 1
        area_id, centre_lat, centre_lon = hit
        if centre_lat is not None and centre_lon is not None:
            return area_id, centre_lat, centre_lon  # the municipality's centre, not the county's
        return area_id, lat, lon
    county = names.county(location_name)
    tally["county_only"] += 1
    tally["county_area" if county else "no_area"] += 1
    return (county[0] if county else None), lat, lon


def import_polisen(engine: Engine, path: Path, *, skip_invalid: bool = False, dry_run: bool = False,
                   organisation: OrgSpec = POLISEN, user_id: int | None = None,
                   progress: Progress | None = None) -> ImportResult:
    """Import one Polisen events file (JSON array, optionally gzip) in one transaction."""
    path = Path(path)
    return run_import(engine, path=path, source_kind=SOURCE_KIND, org=organisation,
                      parse=lambda conn, data: parse_events(conn, data, file_name=path.name),
                      skip_invalid=skip_invalid, dry_run=dry_run, user_id=user_id, progress=progress)
