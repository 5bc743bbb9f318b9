"""The `incidents` import: a partner's CSV/XLSX export read through its import profile (see import_profiles/).

The profile names the columns (time, category, place, coordinates, description, id), the organisation the rows
come from, and every Swedish reality that must not be guessed: encoding, separator, decimal mark, date format,
coordinate system. Per row the reader builds an incident dict for common.run_import, or a RowProblem naming the
row, the column and the reason in Swedish; run_import then refuses the whole file unless --skip-invalid.

Decisions (documented here and in the example profiles):
- Times are Europe/Stockholm local unless the value carries an offset ("+01:00", "Z").
- A date without a time of day is a window over the whole day (00:00:00-23:59:59); a time_to given as a date
  only ends at 23:59:59 of that day; clock_to without time_to ends on the start's day, or the next day when it is
  earlier than the start (a night shift 22:00-02:00). An end before the start is a row problem.
- A time more than a day in the future is a row problem (a swapped day and month usually causes it).
- Coordinates win over the area column; a place without coordinates gives the place's position; an area alone
  gives precision "area"; a row with none of them is kept with precision "none" (counted, never on a map).
- Without an id column the external id is a hash of the columns the profile uses (rows.ContentIds), so a
  re-export with extra columns still re-imports as duplicates.
- A category whose store default is sensitive (oro för våld i nära relation) makes the incident sensitive.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from data_layer.importers.area_names import normalise
from data_layer.importers.common import (MAX_FILE_BYTES, ImportRefused, ImportResult, Parsed, Progress, RowProblem,
                                         run_import)
from data_layer.importers.partner_cells import (DATE_FORMATS, FORMAT_LABELS, CellError, ColumnError, detect_decimal,
                                                detect_date_format, parse_clock, parse_date, parse_number,
                                                sweref_point, wgs84_point)
from data_layer.importers.regions import REGIONS
from data_layer.importers.rows import STOCKHOLM, ContentIds
from data_layer.importers.store import OrgSpec
from data_layer.importers.tabular import ENCODINGS, Table, read_table
from data_layer.models import ORGANISATION_KINDS, Area, Category, Place
from data_layer.reference import CATEGORIES

SOURCE_KIND = "incidents"
MAX_DESCRIPTION = 2000  # as the report form (data_layer/queries/incidents.py)
MAX_ID = MAX_SOURCE_TYPE = 128  # Incident.external_id, Incident.source_type
FUTURE_TOLERANCE = timedelta(days=1)
CRS = ("wgs84", "sweref99tm")
SEPARATOR_CHOICES = ("auto", ";", ",", "\t", "tab")
DECIMALS = ("auto", ",", ".")
COLUMN_KEYS = ("id", "time", "clock", "time_to", "clock_to", "category", "description", "area", "place", "lat",
               "lon", "x", "y")
_SECTIONS: dict[str, tuple[str, ...] | None] = {
    "organisation": ("code", "name", "kind"),
    "file": ("encoding", "separator", "decimal", "sheet", "region"),
    "columns": COLUMN_KEYS,
    "dates": ("format",),
    "coordinates": ("crs",),
    "categories": None,  # partner value -> our category code: any key
}
_TOP = ("kind", "description", *_SECTIONS)
_CATEGORY_CODES = tuple(c[0] for c in CATEGORIES)


# ------------------------------------------------------------------------------------------------- the profile

def _keys_problems(table: dict, allowed, where: str) -> list[str]:
    return [f"{where}: okänd nyckel '{k}' (giltiga: {', '.join(allowed)})" for k in table if k not in allowed]


def _choice(value, choices, where: str) -> list[str]:
    return [] if value in choices else [f"{where} ska vara en av: " + ", ".join(repr(c) for c in choices)]


def validate_profile(d: dict) -> list[str]:
    """Every problem of an incidents profile (parsed TOML) as a Swedish sentence; empty means usable."""
    problems = _keys_problems(d, _TOP, "profilen")
    if d.get("kind") != SOURCE_KIND:
        problems.append(f"kind ska vara \"{SOURCE_KIND}\"")
    if "description" in d and not isinstance(d["description"], str):
        problems.append("description ska vara en text")
    for name, allowed in _SECTIONS.items():
        section = d.get(name, {})
        if not isinstance(section, dict):
            problems.append(f"[{name}] ska vara en tabell")
            continue
        if allowed is not None:
            problems += _keys_problems(section, allowed, f"[{name}]")
        for key, value in section.items():
            ok = isinstance(value, str) or (name == "columns" and key == "description" and isinstance(value, list)
                                            and all(isinstance(v, str) for v in value))
            if not ok:
                problems.append(f"[{name}] {key} ska vara en text" + (" eller en lista av texter"
                                                                      if key == "description" else ""))
    if problems:
        return problems
    return _organisation_problems(d) + _file_problems(d) + _column_problems(d) + _category_problems(d)


def _organisation_problems(d: dict) -> list[str]:
    org = d.get("organisation")
    if not org:
        return ["[organisation] saknas: ange code, name och kind för organisationen som filen kommer från"]
    problems = []
    if not 1 <= len(org.get("code", "").strip()) <= 64:
        problems.append("[organisation] code ska vara 1–64 tecken")
    if not 1 <= len(org.get("name", "").strip()) <= 200:
        problems.append("[organisation] name ska vara 1–200 tecken")
    return problems + _choice(org.get("kind"), ORGANISATION_KINDS, "[organisation] kind")


def _file_problems(d: dict) -> list[str]:
    file = d.get("file", {})
    problems = (_choice(file.get("encoding", "auto"), ENCODINGS, "[file] encoding")
                + _choice(file.get("separator", "auto"), SEPARATOR_CHOICES, "[file] separator")
                + _choice(file.get("decimal", "auto"), DECIMALS, "[file] decimal")
                + _choice(file.get("region", "sweden"), tuple(REGIONS), "[file] region")
                + _choice(d.get("dates", {}).get("format", "auto"), DATE_FORMATS, "[dates] format")
                + _choice(d.get("coordinates", {}).get("crs", "wgs84"), CRS, "[coordinates] crs"))
    if file.get("separator") == "," and file.get("decimal") == ",":
        problems.append("decimalkomma går inte med komma som avgränsare; ange [file] separator = \";\"")
    return problems


def columns_of(d: dict) -> dict[str, list[str]]:
    """The profile's used columns: key -> header names (description may name several; empty means unused)."""
    out = {}
    for key, value in d.get("columns", {}).items():
        names = [v.strip() for v in (value if isinstance(value, list) else [value]) if v.strip()]
        if names:
            out[key] = names
    return out


def _column_problems(d: dict) -> list[str]:
    cols = columns_of(d)
    problems = [f"[columns] {key} måste anges (kolumnen med {what})" for key, what in
                (("time", "tidpunkten"), ("category", "kategorin")) if key not in cols]
    problems += [f"[columns] {key} kan bara vara en kolumn" for key, names in cols.items()
                 if key != "description" and len(names) > 1]
    crs = d.get("coordinates", {}).get("crs", "wgs84")
    mine, other = (("lat", "lon"), ("x", "y")) if crs == "wgs84" else (("x", "y"), ("lat", "lon"))
    if (mine[0] in cols) != (mine[1] in cols):
        problems.append(f"[columns] ange både {mine[0]} och {mine[1]}, eller ingen av dem")
    if any(k in cols for k in other):
        problems.append(f"[columns] {' och '.join(other)} hör till crs = "
                        f"\"{'sweref99tm' if crs == 'wgs84' else 'wgs84'}\"; profilen har crs = \"{crs}\"")
    if crs == "sweref99tm" and d.get("file", {}).get("region", "sweden") != "sweden":
        problems.append("SWEREF 99 TM gäller bara region = \"sweden\"")
    if "clock_to" in cols and "clock" not in cols and "time_to" not in cols:
        problems.append("[columns] clock_to (sluttid) kräver clock (starttid) eller time_to (slutdatum)")
    return problems


def _category_problems(d: dict) -> list[str]:
    problems = []
    for value, code in d.get("categories", {}).items():
        if not value.strip():
            problems.append("[categories]: ett tomt värde kan inte mappas")
        elif code not in _CATEGORY_CODES:
            problems.append(f"[categories] \"{value}\" = \"{code}\": okänd kategori (giltiga: "
                            f"{', '.join(_CATEGORY_CODES)})")
    return problems


def organisation_of(d: dict) -> OrgSpec:
    """The OrgSpec of a validated profile's [organisation]."""
    org = d["organisation"]
    return OrgSpec(code=org["code"].strip(), name=org["name"].strip(), kind=org["kind"])


# --------------------------------------------------------------------------------------------------- the rows

class _Bad(Exception):
    def __init__(self, column: str | None, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


def _locate(header: list[str], cols: dict[str, list[str]], file_name: str) -> dict[str, list[int]]:
    """Header positions of every used column (exact name, else the only case-insensitive match)."""
    exact = {h: i for i, h in enumerate(header)}
    folded = {h.casefold(): i for i, h in enumerate(header)}
    found, missing = {}, []
    for key, names in cols.items():
        for name in names:
            i = exact.get(name, folded.get(name.casefold()))
            if i is None:
                listing = "" if missing else f"; filens rubriker är: {', '.join(header)}"  # said once is enough
                missing.append(RowProblem(None, name, f"kolumnen finns inte i filen ([columns] {key}){listing}"))
            else:
                found.setdefault(key, []).append(i)
    if missing:
        raise ImportRefused(file_name, missing)
    return found


class _Lookups:
    """Categories, areas and places by normalised name, read once per import."""

    def __init__(self, conn: Connection, profile: dict) -> None:
        self.categories: dict[str, str] = {}
        sensitive = {code for code, *_rest, flag in CATEGORIES if flag}
        for code, label, flag in conn.execute(select(Category.code, Category.label_sv, Category.sensitive_default)):
            self.categories.setdefault(normalise(label), code)
            if flag:
                sensitive.add(code)
        self.categories.update({normalise(label): code for code, label, *_ in CATEGORIES})
        self.categories.update({normalise(code): code for code in (*_CATEGORY_CODES, *self.categories.values())})
        self.categories.update({normalise(k): v for k, v in profile.get("categories", {}).items()})
        self.sensitive = sensitive
        self.areas: dict[str, tuple[int, float | None, float | None] | None] = {}
        names: dict[str, list] = {}
        for area_id, code, name, lat, lon in conn.execute(select(Area.id, Area.code, Area.name, Area.centroid_lat,
                                                                 Area.centroid_lon)):
            self.areas[normalise(code)] = (area_id, lat, lon)
            names.setdefault(normalise(name), []).append((area_id, lat, lon))
        for key, hits in names.items():  # a code always wins over a name; two areas of one name are ambiguous
            self.areas.setdefault(key, hits[0] if len(hits) == 1 else None)
        self.places: dict[str, list[tuple[int, float, float, int | None]]] = {}
        for place_id, name, lat, lon, area_id in conn.execute(select(Place.id, Place.name, Place.lat, Place.lon,
                                                                     Place.area_id)):
            self.places.setdefault(normalise(name), []).append((place_id, lat, lon, area_id))


class _Reader:
    """Turns one profile's table rows into incident dicts, deciding each column's format once."""

    def __init__(self, conn: Connection, table: Table, profile: dict, file_name: str) -> None:
        self.cols = columns_of(profile)
        self.at = _locate(table.header, self.cols, file_name)
        self.name = {key: self.cols[key][0] for key in self.cols}
        self.lookups = _Lookups(conn, profile)
        self.region = profile.get("file", {}).get("region", "sweden")
        self.crs = profile.get("coordinates", {}).get("crs", "wgs84")
        self.tally: Counter = Counter()
        self.content_id = ContentIds("p")
        self.now = datetime.now(timezone.utc)
        column = lambda key: [(n, v[self.at[key][0]]) for n, v in table.rows] if key in self.at else []  # noqa
        setting = profile.get("dates", {}).get("format", "auto")
        try:
            self.date_format = detect_date_format(column("time") + column("time_to"), setting)
        except ColumnError as exc:
            raise ImportRefused(file_name, [RowProblem(None, self.name["time"], str(exc))]) from None
        if setting == "auto":
            self.tally[f"datumformat avgjort för kolumnen: {FORMAT_LABELS[self.date_format]}"] = 1
        decimal = profile.get("file", {}).get("decimal", "auto")
        self.decimal = {key: detect_decimal([v for _, v in column(key)], decimal)
                        for key in ("lat", "lon", "x", "y") if key in self.at}

    def get(self, values: list[str], key: str) -> str:
        return values[self.at[key][0]] if key in self.at else ""

    def row(self, values: list[str]) -> dict:
        """The incident dict of one row (raises _Bad naming the column and the reason)."""
        start, end = self._window(values)
        category = self.get(values, "category")
        if not category:
            raise _Bad(self.name["category"], "kategori saknas")
        if len(category) > MAX_SOURCE_TYPE:
            raise _Bad(self.name["category"], f"kategorin är längre än {MAX_SOURCE_TYPE} tecken")
        code = self.lookups.categories.get(normalise(category))
        if code is None:
            raise _Bad(self.name["category"], f"okänd kategori '{category}' (lägg till den under [categories] "
                                              "i profilen)")
        row = {"source_type": category, "category_code": code, "occurred_at": start, "occurred_to": end,
               "description": self._description(values), "sensitive": code in self.lookups.sensitive,
               **self._location(values)}
        row["external_id"] = self._external_id(values)
        return row

    def _date(self, values: list[str], key: str):
        try:
            when = parse_date(self.get(values, key), self.date_format)
        except CellError as exc:
            raise _Bad(self.name[key], str(exc)) from None
        self.tally[f"datumformat: {FORMAT_LABELS[when.fmt]}"] += 1
        return when

    def _clock(self, values: list[str], key: str) -> time | None:
        text = self.get(values, key)
        if not text:
            return None
        try:
            return parse_clock(text)
        except CellError as exc:
            raise _Bad(self.name[key], str(exc)) from None

    def _window(self, values: list[str]) -> tuple[datetime, datetime | None]:
        if not self.get(values, "time"):
            raise _Bad(self.name["time"], "tidpunkt saknas")
        when = self._date(values, "time")
        start, has_time = when.at, when.has_time
        clock = self._clock(values, "clock")
        if clock is not None:
            if has_time and start.time() != clock:
                raise _Bad(self.name["clock"], f"både '{self.get(values, 'time')}' och '{self.get(values, 'clock')}'"
                                               " anger klockslag, och de skiljer sig")
            start, has_time = datetime.combine(start.date(), clock, tzinfo=start.tzinfo), True
        end, clock_to = None, self._clock(values, "clock_to")
        if self.get(values, "time_to"):
            until = self._date(values, "time_to")
            end = until.at
            if clock_to is not None:
                end = datetime.combine(end.date(), clock_to, tzinfo=end.tzinfo)
            elif not until.has_time:
                end = datetime.combine(end.date(), time(23, 59, 59), tzinfo=end.tzinfo)
        elif clock_to is not None:
            if not has_time:
                raise _Bad(self.name["clock_to"], "sluttid utan starttid; ange klockslag för starten")
            end = datetime.combine(start.date(), clock_to, tzinfo=start.tzinfo)
            if end < start:
                end += timedelta(days=1)
                self.tally["sluttid efter midnatt (nästa dygn)"] += 1
        elif not has_time:
            end = datetime.combine(start.date(), time(23, 59, 59), tzinfo=start.tzinfo)
            self.tally["datum utan klockslag: hela dygnet"] += 1
        self.tally["tidszon: angiven i filen" if start.tzinfo else "tidszon: Europe/Stockholm (lokal tid)"] += 1
        start = start if start.tzinfo else start.replace(tzinfo=STOCKHOLM)
        if end is not None:
            end = end if end.tzinfo else end.replace(tzinfo=STOCKHOLM)
            if end < start:
                column = self.name.get("time_to") or self.name.get("clock_to")
                raise _Bad(column, f"sluttiden {end:%Y-%m-%d %H:%M} ligger före starttiden {start:%Y-%m-%d %H:%M}")
            if "time_to" in self.at or "clock_to" in self.at:
                self.tally["tidsfönster (från–till)"] += 1
        if start > self.now + FUTURE_TOLERANCE:
            raise _Bad(self.name["time"], f"tidpunkten {start:%Y-%m-%d %H:%M} ligger i framtiden")
        return start, end

    def _number(self, values: list[str], key: str) -> float:
        try:
            value, grouped = parse_number(self.get(values, key), self.decimal[key])
        except CellError as exc:
            raise _Bad(self.name[key], str(exc)) from None
        if self.decimal[key] == ",":
            self.tally[f"decimalkomma: {self.name[key]}"] += 1
        if grouped:
            self.tally[f"mellanrum i tal: {self.name[key]}"] += 1
        return value

    def _point(self, values: list[str]) -> tuple[float, float] | None:
        a, b = ("lat", "lon") if self.crs == "wgs84" else ("x", "y")
        if a not in self.at:
            return None
        texts = self.get(values, a), self.get(values, b)
        if not any(texts):
            return None
        if not all(texts):
            raise _Bad(self.name[a if not texts[0] else b], "koordinaten saknas (ange båda eller ingen)")
        first, second = self._number(values, a), self._number(values, b)
        try:
            if self.crs == "wgs84":
                point = wgs84_point(first, second, self.region)
                self.tally["koordinater: WGS84"] += 1
            else:
                point = sweref_point(first, second, self.region)
                self.tally["koordinater: SWEREF 99 TM → WGS84"] += 1
        except CellError as exc:
            raise _Bad(f"{self.name[a]}/{self.name[b]}", str(exc)) from None
        return point

    def _location(self, values: list[str]) -> dict:
        point = self._point(values)
        place = self._place(values) if self.get(values, "place") else None
        if point is not None:
            return {"lat": point[0], "lon": point[1], "location_precision": "point", "area_id": None,
                    "place_id": place[0] if place else None}
        if place is not None:
            self.tally["position från plats"] += 1
            return {"lat": place[1], "lon": place[2], "location_precision": "point", "area_id": place[3],
                    "place_id": place[0]}
        area = self._area(values) if self.get(values, "area") else None
        if area is not None:
            self.tally["område från kolumnen"] += 1
            return {"lat": area[1], "lon": area[2], "location_precision": "area", "area_id": area[0],
                    "place_id": None}
        self.tally["utan plats (räknas, visas inte på kartan)"] += 1
        return {"lat": None, "lon": None, "location_precision": "none", "area_id": None, "place_id": None}

    def _area(self, values: list[str]):
        text = self.get(values, "area")
        key = normalise(text)
        if key not in self.lookups.areas:
            raise _Bad(self.name["area"], f"okänt område '{text}' (ange områdets kod eller namn)")
        if self.lookups.areas[key] is None:
            raise _Bad(self.name["area"], f"flera områden heter '{text}'; ange områdets kod")
        return self.lookups.areas[key]

    def _place(self, values: list[str]):
        text = self.get(values, "place")
        hits = self.lookups.places.get(normalise(text), [])
        if len(hits) > 1 and self.get(values, "area"):
            area = self._area(values)
            hits = [h for h in hits if h[3] == area[0]]
        if not hits:
            raise _Bad(self.name["place"], f"okänd plats '{text}' (platserna läggs upp under Administration)")
        if len(hits) > 1:
            raise _Bad(self.name["place"], f"flera platser heter '{text}'; ange också område i profilen")
        return hits[0]

    def _description(self, values: list[str]) -> str | None:
        parts = [values[i] for i in self.at.get("description", []) if values[i]]
        text = " – ".join(parts) or None
        if text and len(text) > MAX_DESCRIPTION:
            self.tally[f"beskrivning kortad till {MAX_DESCRIPTION} tecken"] += 1
            text = text[:MAX_DESCRIPTION - 1] + "…"
        return text

    def _external_id(self, values: list[str]) -> str:
        if "id" in self.at:
            external = self.get(values, "id")
            if not external:
                raise _Bad(self.name["id"], "id saknas")
            if len(external) > MAX_ID:
                raise _Bad(self.name["id"], f"id är längre än {MAX_ID} tecken")
            self.tally[f"id: från kolumnen {self.name['id']}"] += 1
            return external
        self.tally["id: innehållshash (ingen id-kolumn)"] += 1
        return self.content_id([values[i] for key in COLUMN_KEYS for i in self.at.get(key, [])])


def parse_partner(conn: Connection, data: bytes, *, profile: dict, file_name: str) -> Parsed:
    """Read a partner file per its (validated) profile into incident rows and row problems."""
    file = profile.get("file", {})
    table = read_table(data, file_name=file_name, encoding=file.get("encoding", "auto"),
                       separator=file.get("separator", "auto"), sheet=file.get("sheet") or None)
    reader = _Reader(conn, table, profile, file_name)
    rows, problems = [], list(table.problems)
    for number, values in table.rows:
        try:
            rows.append(reader.row(values))
        except _Bad as bad:
            problems.append(RowProblem(number, bad.column, bad.reason))
    problems.sort(key=lambda p: p.row or 0)
    rows_read = len(table.rows) + len({p.row for p in table.problems if p.row is not None})
    return Parsed(rows=rows, problems=problems, rows_read=rows_read,
                  conversions={**table.conversions, **dict(reader.tally)})


# ------------------------------------------------------------------------------------------------ entry points

def import_partner(engine: Engine, path: Path, *, profile: dict, skip_invalid: bool = False, dry_run: bool = False,
                   user_id: int | None = None, progress: Progress | None = None) -> ImportResult:
    """Import one partner file per `profile` (parsed TOML) in one transaction (raises ImportRefused)."""
    path = Path(path)
    problems = validate_profile(profile)
    if problems:
        raise ImportRefused(path.name, [RowProblem(None, None, f"profilen: {p}") for p in problems])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportRefused(path.name, [RowProblem(None, None, f"filen är större än "
                                                               f"{MAX_FILE_BYTES // (1024 * 1024)} MB")])
    return run_import(engine, path=path, source_kind=SOURCE_KIND, org=organisation_of(profile),
                      parse=lambda conn, data: parse_partner(conn, data, profile=profile, file_name=path.name),
                      skip_invalid=skip_invalid, dry_run=dry_run, user_id=user_id, progress=progress)


def run_from_options(engine: Engine, path: Path, *, options: dict, skip_invalid: bool = False, dry_run: bool = False,
                     user_id: int | None = None, progress: Progress | None = None) -> ImportResult:
    """The registry's runner: load options["profile"] (saved name or TOML file) and import `path` with it."""
    from data_layer.importers.profiles import load_profile

    path = Path(path)
    ref = (options.get("profile") or "").strip()
    if not ref:
        raise ImportRefused(path.name, [RowProblem(None, None, "en importprofil måste anges (--profile)")])
    try:
        profile = load_profile(engine, ref, kind=SOURCE_KIND)
    except ImportRefused as exc:  # name the data file, as every other refusal does
        raise ImportRefused(path.name, exc.problems) from None
    return import_partner(engine, path, profile=profile, skip_invalid=skip_invalid, dry_run=dry_run,
                          user_id=user_id, progress=progress)
