"""Import police.uk street-level crime CSV: monthly time windows, snap points, and rows with no location at all.

`Month` ("2016-07") becomes a window from the first to the last moment of that month (in the region's
time zone). Rows without coordinates are kept with location_precision "none": counted in totals, never
on a map. Anti-social behaviour has no Crime ID, so its id is a hash of the row plus its occurrence number.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, select

from data_layer.importers.common import ImportRefused, ImportResult, OrgSpec, Parsed, Progress, RowProblem, run_import
from data_layer.importers.regions import REGIONS, coordinate_problem
from data_layer.importers.rows import ContentIds
from data_layer.models import Area

SOURCE_KIND = "police-uk-csv"
POLICE_UK = OrgSpec(code="police_uk", name="police.uk", kind="polis")
REQUIRED = ("Crime ID", "Month", "Longitude", "Latitude", "Crime type")
REGION_ZONES = {"sweden": ZoneInfo("Europe/Stockholm"), "england": ZoneInfo("Europe/London")}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_window(text: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """'2016-07' -> (first moment, last second) of that month in `zone`, as aware UTC (raises ValueError)."""
    m = _MONTH.match((text or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(text)
    year, month = int(m.group(1)), int(m.group(2))
    start = datetime(year, month, 1, tzinfo=zone)
    nxt = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(timezone.utc), (nxt - timedelta(seconds=1)).astimezone(timezone.utc)


def _float(text: str) -> float:
    return float(text.strip().replace(",", "."))


def parse_csv(conn: Connection, data: bytes, *, region: str = "england", file_name: str = "") -> Parsed:
    """Read a police.uk street CSV into incident rows and problems (row numbers count the header as row 1)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(file_name, [RowProblem(None, None, f"filen är inte UTF-8 ({exc})")]) from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused(file_name, [RowProblem(None, c, "kolumnen saknas") for c in missing])
    col = {name: header.index(name) for name in header}
    lsoa_areas = dict(conn.execute(select(Area.code, Area.id)).all())
    zone, content_id = REGION_ZONES[region], ContentIds("uk")
    rows, problems, tally, read = [], [], Counter(), 0
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        read += 1
        values += [""] * (len(header) - len(values))
        get = lambda name: values[col[name]].strip() if name in col else ""  # noqa: E731
        crime_id = get("Crime ID")
        external_id = crime_id or content_id(values)
        row = _row(number, get, region, zone, lsoa_areas, problems, tally)
        if row is not None:
            row["external_id"] = external_id
            tally["id_from_content" if not crime_id else "id_from_source"] += 1
            rows.append(row)
    if read == 0:
        raise ImportRefused(file_name, [RowProblem(None, None, "filen har bara en rubrikrad och inga datarader")])
    return Parsed(rows=rows, problems=problems, rows_read=read, conversions=dict(tally))


def _row(number: int, get, region: str, zone: ZoneInfo, lsoa_areas: dict[str, int], problems: list[RowProblem],
         tally: Counter) -> dict | None:
    try:
        start, end = month_window(get("Month"), zone)
    except ValueError:
        problems.append(RowProblem(number, "Month", f"ogiltig månad '{get('Month')}' (väntat ÅÅÅÅ-MM)"))
        return None
    crime_type = get("Crime type")
    if not crime_type:
        problems.append(RowProblem(number, "Crime type", "brottstyp saknas"))
        return None
    row = {"source_type": crime_type, "occurred_at": start, "occurred_to": end, "reported_at": end,
           "description": get("Location") or None, "police_reported": True}
    lat_text, lon_text = get("Latitude"), get("Longitude")
    if not lat_text and not lon_text:
        area_id = lsoa_areas.get(get("LSOA code")) if get("LSOA code") else None
        tally["unlocated"] += 1
        return {**row, "lat": None, "lon": None, "location_precision": "area" if area_id else "none",
                "area_id": area_id}
    try:
        lat, lon = _float(lat_text), _float(lon_text)
    except ValueError:
        column = "Latitude" if not _is_number(lat_text) else "Longitude"
        problems.append(RowProblem(number, column, f"'{get(column)}' är ingen koordinat"))
        return None
    reason, swapped = coordinate_problem(lat, lon, region)
    if reason:
        tally["swapped_axes" if swapped else "outside_region"] += 1
        problems.append(RowProblem(number, "Latitude/Longitude", reason))
        return None
    return {**row, "lat": lat, "lon": lon, "location_precision": "point", "area_id": None}


def _is_number(text: str) -> bool:
    try:
        _float(text)
    except ValueError:
        return False
    return True


def import_police_uk(engine: Engine, path: Path, *, region: str = "england", skip_invalid: bool = False,
                     dry_run: bool = False, organisation: OrgSpec = POLICE_UK, user_id: int | None = None,
                     max_fallback_m: float = 2_000.0, progress: Progress | None = None) -> ImportResult:
    """Import one police.uk street-level CSV in one transaction (coordinates checked against `region`)."""
    if region not in REGIONS:
        raise ValueError(f"Okänd region '{region}'; giltiga: {', '.join(REGIONS)}")
    path = Path(path)
    return run_import(engine, path=path, source_kind=SOURCE_KIND, org=organisation,
                      parse=lambda conn, data: parse_csv(conn, data, region=region, file_name=path.name),
                      skip_invalid=skip_invalid, dry_run=dry_run, user_id=user_id, max_fallback_m=max_fallback_m,
                      progress=progress)
