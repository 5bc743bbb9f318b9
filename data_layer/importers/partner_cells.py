"""Cell readers for partner exports: dates (format decided per column), clock times, decimal numbers, coordinates.

Nothing is guessed per row. A date column is ISO, D/M/YYYY, M/D/YYYY or Excel serial numbers as a whole: the
slash form is D/M when some first part exceeds 12 and M/D when some second part does; a column where every part
is 12 or less is ambiguous and refused until the profile says `[dates] format`. ISO values are unambiguous and
always accepted. Decimal comma or point is decided per column the same way. SWEREF 99 TM is projected to WGS84
with pyproj; swapped axes, RT 90 and degrees-in-metre-columns are named, never silently fixed.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from data_layer.importers.regions import coordinate_problem

DATE_FORMATS = ("auto", "iso", "dmy", "mdy", "excel")
FORMAT_LABELS = {"iso": "ÅÅÅÅ-MM-DD (ISO)", "dmy": "DD/MM/ÅÅÅÅ", "mdy": "MM/DD/ÅÅÅÅ", "excel": "Excel-datumnummer"}
# Serial numbers read as dates without being told: 1990-01-01 .. 2099-12-31 in Excel's 1900 date system.
EXCEL_AUTO_MIN, EXCEL_AUTO_MAX = 32874, 73050
EXCEL_MAX = 2958465  # 9999-12-31
SWEREF_EASTING = (260_000.0, 920_000.0)
SWEREF_NORTHING = (6_100_000.0, 7_700_000.0)
RT90_EASTING = (1_200_000.0, 1_900_000.0)

_TIME = r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?"
_ISO = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:(?:T|\s+)(?:kl\.?\s*)?{_TIME})?"
                  r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$", re.IGNORECASE)
_SLASH = re.compile(rf"^(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}})(?:,?\s+(?:kl\.?\s*)?{_TIME})?$", re.IGNORECASE)
_SERIAL = re.compile(r"^\d{1,7}(?:[.,]\d+)?$")
_CLOCK = re.compile(rf"^(?:kl\.?\s*)?{_TIME}$", re.IGNORECASE)
_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d)")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


class CellError(ValueError):
    """A cell that cannot be read; the message is the Swedish reason."""


class ColumnError(ValueError):
    """A column whose format cannot be decided; the message is the Swedish reason (the file is refused)."""


# ------------------------------------------------------------------------------------------------------- dates

@dataclass(frozen=True)
class When:
    """A read date value: naive local or aware datetime, and whether it carried a time of day."""

    at: datetime
    has_time: bool
    fmt: str  # iso | dmy | mdy | excel (the form this value was written in)


def detect_date_format(values: list[tuple[int, str]], setting: str = "auto") -> str:
    """The one format of a date column (iso, dmy, mdy or excel) from its (row, text) values (raises ColumnError)."""
    if setting != "auto":
        return setting
    texts = [(n, v) for n, v in values if v]
    if texts and all(_SERIAL.match(v) for _, v in texts):
        odd = next(((n, v) for n, v in texts
                    if not EXCEL_AUTO_MIN <= float(v.replace(",", ".")) <= EXCEL_AUTO_MAX + 1), None)
        if odd:
            raise ColumnError(f"kolumnen har bara tal, men '{odd[1]}' (rad {odd[0]}) är inget Excel-datum mellan "
                              "1990 och 2099; ange [dates] format = \"excel\" om talen ändå är Excel-datumnummer")
        return "excel"
    day_first = next(((n, v) for n, v in texts if (m := _SLASH.match(v)) and int(m.group(1)) > 12), None)
    month_first = next(((n, v) for n, v in texts if (m := _SLASH.match(v)) and int(m.group(3)) > 12), None)
    if day_first and month_first:
        raise ColumnError(f"datumen blandar dag först (rad {day_first[0]}: '{day_first[1]}') och månad först "
                          f"(rad {month_first[0]}: '{month_first[1]}'); rätta filen eller ange [dates] format")
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    slashed = next(((n, v) for n, v in texts if _SLASH.match(v)), None)
    if slashed:
        raise ColumnError(f"datumen kan läsas både som dag/månad och månad/dag (t.ex. rad {slashed[0]}: "
                          f"'{slashed[1]}'); ange [dates] format = \"dmy\" (dag först) eller \"mdy\" "
                          "(månad först) i profilen")
    return "iso"


def excel_serial(value: float) -> datetime:
    """An Excel 1900-system serial (days, fraction = time of day) as a naive datetime (raises CellError)."""
    if not 1 <= value <= EXCEL_MAX:
        raise CellError(f"{value:g} är inget Excel-datumnummer")
    days = int(value)
    if days == 60:  # Excel counts a 29 February 1900 that never was
        raise CellError("Excel-datumnummer 60 är 29 februari 1900, som inte finns")
    base = datetime(1899, 12, 31) if days < 60 else datetime(1899, 12, 30)
    return base + timedelta(days=days, seconds=round((value - days) * 86_400))


def _clock(h: str, mi: str, s: str | None) -> time:
    try:
        return time(int(h), int(mi), int(s or 0))
    except ValueError:
        raise CellError(f"klockslaget {h}:{mi} finns inte") from None


def _offset(text: str | None):
    if not text:
        return None
    if text.upper() == "Z":
        return timezone.utc
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def parse_date(text: str, fmt: str) -> When:
    """Read one date cell in the column's format (ISO is accepted in every format); raises CellError."""
    text = text.strip()
    if m := _ISO.match(text):
        y, mo, d, h, mi, s, off = m.groups()
        return When(_combine(int(y), int(mo), int(d), h, mi, s, _offset(off)), h is not None, "iso")
    if fmt in ("dmy", "mdy") and (m := _SLASH.match(text)):
        a, _, b, y, h, mi, s = m.groups()
        day, month = (a, b) if fmt == "dmy" else (b, a)
        return When(_combine(int(y), int(month), int(day), h, mi, s, None), h is not None, fmt)
    if fmt == "excel" and _SERIAL.match(text):
        value = float(text.replace(",", "."))
        return When(excel_serial(value), value != int(value), "excel")
    expected = {"iso": "ÅÅÅÅ-MM-DD", "dmy": "DD/MM/ÅÅÅÅ", "mdy": "MM/DD/ÅÅÅÅ", "excel": "ett Excel-datumnummer"}[fmt]
    hint = " (ett tal: ange [dates] format = \"excel\" om kolumnen har Excel-datumnummer)" \
        if _SERIAL.match(text) and fmt != "excel" else ""
    raise CellError(f"'{text}' är inget datum (väntat {expected}){hint}")


def _combine(y: int, mo: int, d: int, h, mi, s, tz) -> datetime:
    try:
        day = date(y, mo, d)
    except ValueError:
        raise CellError(f"datumet {y:04d}-{mo:02d}-{d:02d} finns inte") from None
    clock = _clock(h, mi, s) if h is not None else time(0)
    return datetime.combine(day, clock, tzinfo=tz)


def parse_clock(text: str) -> time:
    """A time-of-day cell ('14:35', '14.35', '14:35:00', 'kl. 14.35'); raises CellError."""
    m = _CLOCK.match(text.strip())
    if not m:
        raise CellError(f"'{text}' är inget klockslag (väntat TT:MM)")
    return _clock(*m.groups())


# ----------------------------------------------------------------------------------------------------- numbers

def detect_decimal(values: list[str], setting: str = "auto") -> str:
    """The decimal mark of a number column: the setting, or "," when any value has a comma, else "."."""
    if setting != "auto":
        return setting
    return "," if any("," in v for v in values) else "."


def parse_number(text: str, decimal: str) -> tuple[float, bool]:
    """(value, had digit-group spaces) of a number written with `decimal` as its mark; raises CellError."""
    cleaned = _SPACES.sub("", text.strip())
    grouped = cleaned != text.strip()
    if decimal == ",":
        if "." in cleaned:
            raise CellError(f"'{text}' har decimalpunkt men kolumnen har decimalkomma")
        cleaned = cleaned.replace(",", ".")
    elif "," in cleaned:
        raise CellError(f"'{text}' har decimalkomma men kolumnen har decimalpunkt")
    if not _NUMBER.match(cleaned):
        raise CellError(f"'{text}' är inget tal")
    return float(cleaned), grouped


# ------------------------------------------------------------------------------------------------- coordinates

@functools.cache
def _sweref_to_wgs84():
    from pyproj import Transformer  # only when a profile uses SWEREF 99 TM

    return Transformer.from_crs(3006, 4326, always_xy=True)


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def wgs84_point(lat: float, lon: float, region: str) -> tuple[float, float]:
    """(lat, lon) checked against the region; raises CellError (swapped axes, metres, outside the region)."""
    if abs(lat) > 1000 or abs(lon) > 1000:
        raise CellError(f"värdena ({lat:g}, {lon:g}) ser ut som meter, inte grader; för SWEREF 99 TM ange "
                        "[coordinates] crs = \"sweref99tm\" och kolumnerna x och y")
    reason, _swapped = coordinate_problem(lat, lon, region)
    if reason:
        raise CellError(reason)
    return lat, lon


def sweref_point(easting: float, northing: float, region: str) -> tuple[float, float]:
    """(lat, lon) in WGS84 of a SWEREF 99 TM point (x = easting, y = northing); raises CellError."""
    if _within(easting, SWEREF_NORTHING) and _within(northing, SWEREF_EASTING):
        raise CellError(f"x och y verkar omkastade (x {easting:g}, y {northing:g}): x är östkoordinaten "
                        "(E, 6 siffror) och y nordkoordinaten (N, 7 siffror); byt plats på kolumnerna i profilen")
    if _within(easting, RT90_EASTING) and _within(northing, SWEREF_NORTHING):
        raise CellError(f"koordinaten (x {easting:g}, y {northing:g}) ser ut som RT 90, som inte stöds; "
                        "exportera i SWEREF 99 TM eller WGS84")
    if abs(easting) <= 180 and abs(northing) <= 180:
        raise CellError(f"värdena ({easting:g}, {northing:g}) ser ut som grader; ange [coordinates] crs = "
                        "\"wgs84\" och kolumnerna lat och lon")
    if not (_within(easting, SWEREF_EASTING) and _within(northing, SWEREF_NORTHING)):
        raise CellError(f"koordinaten (x {easting:g}, y {northing:g}) ligger utanför SWEREF 99 TM:s område för "
                        "Sverige (x 260 000–920 000, y 6 100 000–7 700 000)")
    lon, lat = _sweref_to_wgs84().transform(easting, northing)
    reason, _swapped = coordinate_problem(lat, lon, region)
    if reason:
        raise CellError(reason)
    return round(lat, 7), round(lon, 7)
