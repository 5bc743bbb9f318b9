"""Read a CSV or XLSX file's bytes into a header and string rows, saying which conversions were applied.

Swedish exports come as `;`-separated cp1252 from older systems, UTF-8 with a BOM from Excel, or XLSX. Nothing
is guessed silently: the encoding is UTF-8 (BOM stripped) or else cp1252, decoded strictly (a byte neither can
read refuses the file); the separator is sniffed from the header line among `;`, `,` and tab (or given); every
choice is recorded in `Table.conversions`. The format is decided by the content, not the file name, so a binary
file renamed to .csv is refused and an .xlsx saved as .csv is read as what it is.

Row numbers are what the person sees: the record number in the CSV (as Excel numbers it; a leading `sep=;` line
is not counted, since Excel hides it) or the sheet's row number, header row = 1. Rows that cannot be trusted
(ragged, formula-like or HTML/script cells) are reported in `Table.problems` and left out of `Table.rows`.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Iterable

from data_layer.importers.common import MAX_FILE_BYTES, ImportRefused, RowProblem

# An .xlsx is a zip of XML that openpyxl parses in Python: far slower and hungrier per byte than CSV, so the
# compressed file is capped lower, and the declared uncompressed sizes are checked before openpyxl opens it.
# zipfile never yields more than a member's declared size (and fails its CRC if the data is longer), so summing
# ZipInfo.file_size is a sound upper bound on what reading can expand to.
MAX_XLSX_BYTES = 64 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = MAX_FILE_BYTES
MAX_XLSX_RATIO = 200  # deflate tops out near 1000:1; real sheets compress 5-50:1
MAX_XLSX_MEMBERS = 10_000
RATIO_CHECK_FROM = 1024 * 1024  # tiny members compress absurdly well and harm nobody
SEPARATORS = {";": ";", ",": ",", "\t": "\t", "tab": "\t"}
SEPARATOR_NAMES = {";": ";", ",": ",", "\t": "tabb"}
ENCODINGS = ("auto", "utf-8", "cp1252")

_MAGIC = ((b"%PDF", "en PDF-fil"), (b"\x89PNG", "en PNG-bild"), (b"\xff\xd8\xff", "en JPEG-bild"),
          (b"GIF8", "en GIF-bild"), (b"7z\xbc\xaf", "ett 7z-arkiv"), (b"Rar!", "ett RAR-arkiv"),
          (b"\xd0\xcf\x11\xe0", "en Excel-fil i det gamla formatet (.xls) eller en lösenordsskyddad Excel-fil; "
                                "spara den som .xlsx eller CSV"))
# Cells a spreadsheet would run as a formula when the data is exported again ("CSV injection"): anything starting
# with "=", or "+", "-", "@" followed by a function call, a cell reference or a DDE pipe. "-12,5", "+46 70 …" and
# "- Klotter på väggen" are ordinary text.
_FORMULA = re.compile(r"^(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\(|[+\-@]\$?[A-Za-z]{1,3}\$?\d+\b|[+\-@].*\|)")
# A tag as a browser reads one ("<b>", "</p>", "<img src=x onerror=…>"; never "< 5 grader >"), a comment or
# doctype, or a script URL.
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(\s[^<>]*)?/?>|<!|javascript\s*:|vbscript\s*:|data\s*:\s*text/html",
                     re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SEP_LINE = re.compile(r"^sep=(.)\s*$")


@dataclass
class Table:
    """A file's header and data rows as stripped strings, the rows refused while reading, and the conversions."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as seen in the file/sheet, header = 1; values padded to header)
    problems: list[RowProblem] = field(default_factory=list)
    conversions: dict[str, int] = field(default_factory=dict)


def _refuse(file_name: str, reason: str) -> ImportRefused:
    """A file-level refusal: no row of it can be trusted, so --skip-invalid cannot help (row None)."""
    return ImportRefused(file_name, [RowProblem(None, None, reason)])


def cell_problem(value: str) -> str | None:
    """The Swedish reason a cell's text is refused (formula-like, HTML/script), or None."""
    if value[:1] in "=+-@" and _FORMULA.match(value):  # the cheap tests first: most cells are plain
        return f"cellen ser ut som en kalkylbladsformel ('{_short(value)}'); sådant läses inte in"
    if ("<" in value or ":" in value) and _MARKUP.search(value):
        return f"cellen innehåller HTML eller skript ('{_short(value)}'); sådant läses inte in"
    return None


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def read_table(data: bytes, *, file_name: str, encoding: str = "auto", separator: str = "auto",
               sheet: str | None = None) -> Table:
    """Read CSV or XLSX bytes into a Table (raises ImportRefused for a file that cannot be read as a table)."""
    if not data or not data.strip():
        raise _refuse(file_name, "filen är tom")
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(file_name, f"filen är större än {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return _read_xlsx(data, file_name=file_name, sheet=sheet)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _refuse(file_name, f"filen är {what}, inte en CSV-fil")
    text, conversions = _decode(data, file_name=file_name, encoding=encoding)
    return _read_csv(text, file_name=file_name, separator=separator, conversions=conversions)


# ---------------------------------------------------------------------------------------------------------- CSV

def _decode(data: bytes, *, file_name: str, encoding: str) -> tuple[str, dict[str, int]]:
    if encoding not in ENCODINGS:
        raise _refuse(file_name, f"okänd teckenkodning '{encoding}' (välj {', '.join(ENCODINGS)})")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode-text" export
        try:
            return data.decode("utf-16"), {"kodning: UTF-16": 1}
        except UnicodeDecodeError as exc:
            raise _refuse(file_name, f"filen säger sig vara UTF-16 men går inte att läsa ({exc.reason})") from None
    if b"\x00" in data:
        raise _refuse(file_name, "filen innehåller binära data (NUL-tecken) och är ingen CSV-fil")
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom and encoding == "cp1252":
        raise _refuse(file_name, "filen börjar med en UTF-8-markering (BOM) men profilen säger cp1252; "
                                 "ändra encoding till \"utf-8\" eller \"auto\"")
    if encoding in ("auto", "utf-8"):
        try:
            text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
            return text, {"kodning: UTF-8 med BOM" if bom else "kodning: UTF-8": 1}
        except UnicodeDecodeError as exc:
            if encoding == "utf-8":
                row = data[:exc.start].count(b"\n") + 1
                raise _refuse(file_name, f"byte 0x{data[exc.start]:02x} på rad {row} är inte giltig UTF-8; "
                                         "ange encoding = \"cp1252\" eller \"auto\" i profilen") from None
    try:
        return data.decode("cp1252"), {"kodning: cp1252": 1}
    except UnicodeDecodeError as exc:
        row = data[:exc.start].count(b"\n") + 1
        raise _refuse(file_name, f"filen är varken UTF-8 eller cp1252 (byte 0x{data[exc.start]:02x} på rad {row} "
                                 "kan inte läsas); är det en binärfil?") from None


def _sniff(first_line: str) -> str | None:
    """The separator among ; , tab that occurs most often outside quotes in the header line (None: a tie)."""
    counts, quoted = {";": 0, ",": 0, "\t": 0}, False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts.values())
    winners = [s for s, n in counts.items() if n == best]
    if best == 0:
        return ","  # one column: any separator reads it the same way
    return winners[0] if len(winners) == 1 else None


def _first_lines(text: str) -> tuple[str, str]:
    """(the first physical line, the first non-blank line) without splitting the whole text."""
    first = header = None
    for line in io.StringIO(text):
        first = line.rstrip("\r\n") if first is None else first
        if line.strip():
            header = line.rstrip("\r\n")
            break
    return first or "", header or ""


def _read_csv(text: str, *, file_name: str, separator: str, conversions: dict[str, int]) -> Table:
    first, header_line = _first_lines(text)
    sep_line = _SEP_LINE.match(first)
    if sep_line:  # Excel's "sep=;" hint line: obeyed, and not counted as a row (Excel hides it)
        text = text.split("\n", 1)[1] if "\n" in text else ""
        header_line = _first_lines(text)[1]
    if separator != "auto":
        if separator not in SEPARATORS:
            raise _refuse(file_name, f"okänd avgränsare '{separator}' (välj ; , eller tabb)")
        sep = SEPARATORS[separator]
    elif sep_line:
        sep = sep_line.group(1)
        conversions["avgränsare från sep-raden"] = 1
    else:
        sep = _sniff(header_line)
        if sep is None:
            raise _refuse(file_name, "kunde inte avgöra avgränsaren från rubrikraden (lika många ; , och tabb); "
                                     "ange separator i profilen")
    conversions[f"avgränsare: {SEPARATOR_NAMES.get(sep, sep)}"] = 1
    conversions["format: csv"] = 1
    if control := _CONTROL.search(text):
        row = text.count("\n", 0, control.start()) + 1
        raise _refuse(file_name, f"filen innehåller styrtecken på rad {row}; den ser ut att vara en binärfil, "
                                 "inte en CSV-fil")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=True)
    try:
        return _table(enumerate(reader, start=1), file_name=file_name, conversions=conversions, sep=sep)
    except csv.Error as exc:
        row = reader.line_num  # physical line; the record number is unknown once quoting is broken
        raise _refuse(file_name, f"filen kan inte läsas som CSV vid rad {row} (räknat i textrader): {exc}; "
                                 "ofta ett citattecken (\") som inte avslutas") from None


def _table(records: Iterable[tuple[int, list[str]]], *, file_name: str, conversions: dict[str, int],
           sep: str | None) -> Table:
    """Header + rows from numbered records (read lazily, once): blank rows skipped, bad rows made problems."""
    records = ((n, [v.strip() for v in values]) for n, values in records)
    header_row, header = next(((n, values) for n, values in records if any(values)), (None, None))
    if header is None:
        raise _refuse(file_name, "filen är tom")
    while header and not header[-1]:
        header.pop()  # "a;b;c;" exports: a trailing separator is no column
    _check_header(header, file_name=file_name, row=header_row)
    width, rows, problems = len(header), [], []
    for number, values in records:
        if not any(values):
            continue
        if len(values) > width and not any(values[width:]):
            values = values[:width]
        if len(values) != width and (sep is not None or len(values) > width):
            problems.append(RowProblem(number, None, _ragged(len(values), width, sep)))
            continue
        values = values + [""] * (width - len(values))
        bad = next(((header[i], reason) for i, v in enumerate(values) if v and (reason := cell_problem(v))), None)
        if bad:
            problems.append(RowProblem(number, bad[0], bad[1]))
            continue
        rows.append((number, values))
    if not rows and not problems:
        raise _refuse(file_name, "filen innehåller bara rubrikraden, inga datarader")
    return Table(header=header, rows=rows, problems=problems, conversions=conversions)


def _ragged(n: int, width: int, sep: str | None) -> str:
    if sep is None:
        return f"raden har värden till höger om de {width} kolumnerna med rubrik"
    hint = " (decimalkomma i en kommaseparerad fil?)" if sep == "," and n > width else ""
    return f"raden har {n} fält men rubrikraden har {width}{hint}"


def _check_header(header: list[str], *, file_name: str, row: int) -> None:
    # row None: a bad header makes the whole file unreadable; the reason says where it is
    problems = [RowProblem(None, None, f"kolumn {i} på rubrikraden (rad {row}) saknar rubrik")
                for i, h in enumerate(header, start=1) if not h]
    seen: set[str] = set()
    for name in header:
        if name and name.casefold() in seen:
            problems.append(RowProblem(None, name, "rubriken förekommer mer än en gång"))
        seen.add(name.casefold())
    problems += [RowProblem(None, name, f"rubriken: {reason}") for name in header if name
                 and (reason := cell_problem(name))]
    if problems:
        raise ImportRefused(file_name, problems)


# --------------------------------------------------------------------------------------------------------- XLSX

def _check_zip(data: bytes, *, file_name: str) -> None:
    """Refuse a zip that is not an .xlsx, or whose declared contents are too big (a zip bomb), before opening it."""
    if len(data) > MAX_XLSX_BYTES:
        raise _refuse(file_name, f"Excel-filen är större än {MAX_XLSX_BYTES // (1024 * 1024)} MB; "
                                 "dela upp den eller spara som CSV")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(file_name, "filen är ett trasigt zip-arkiv, inte en läsbar Excel-fil") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        what = "ett OpenDocument-kalkylblad (.ods)" if "mimetype" in names and "content.xml" in names else \
            "ett zip-arkiv"
        raise _refuse(file_name, f"filen är {what}, inte en Excel-fil (.xlsx); spara den som .xlsx eller CSV")
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_XLSX_MEMBERS or total > MAX_XLSX_UNCOMPRESSED:
        raise _refuse(file_name, f"Excel-filen packas upp till {total // (1024 * 1024)} MB, mer än gränsen "
                                 f"{MAX_XLSX_UNCOMPRESSED // (1024 * 1024)} MB (en så kallad zip-bomb?)")
    for info in infos:
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_XLSX_RATIO * max(info.compress_size, 1):
            raise _refuse(file_name, f"delen {info.filename} packas upp {info.file_size // max(info.compress_size, 1)}"
                                     " gånger större än den är packad; filen liknar en zip-bomb och öppnas inte")


def _read_xlsx(data: bytes, *, file_name: str, sheet: str | None) -> Table:
    from openpyxl import load_workbook  # only here: CSV imports should not pay for it

    _check_zip(data, file_name=file_name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken package  # noqa: BLE001
        raise _refuse(file_name, f"Excel-filen kan inte öppnas ({type(exc).__name__})") from None
    try:
        if sheet:
            if sheet not in book.sheetnames:
                raise _refuse(file_name, f"bladet '{sheet}' finns inte (bladen heter: {', '.join(book.sheetnames)})")
            ws = book[sheet]
        else:
            ws = book.worksheets[0]
        if not hasattr(ws, "reset_dimensions"):
            raise _refuse(file_name, f"'{ws.title}' är ett diagramblad, inte en tabell")
        ws.reset_dimensions()  # the stored dimension may be stale and would cut rows off
        records = ((number, [_cell_text(cell) for cell in cells])
                   for number, cells in enumerate(ws.iter_rows(), start=1))
        conversions = {"format: xlsx": 1, f"blad: {ws.title}": 1}
        try:
            return _table(records, file_name=file_name, conversions=conversions, sep=None)
        except ImportRefused:
            raise
        except Exception as exc:  # a sheet's XML can be broken past its first rows  # noqa: BLE001
            raise _refuse(file_name, f"Excel-filen kan inte läsas ({type(exc).__name__})") from None
    finally:
        book.close()


def _cell_text(cell) -> str:
    """A cell as the text a person reads: dates ISO, numbers without float noise, formulas as written."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime):
        fmt = (getattr(cell, "number_format", "") or "").lower()
        date_only = value.time() == time(0) and not any(c in fmt for c in "hs")
        return value.date().isoformat() if date_only else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"  # Excel shows 15 significant digits; beyond that is binary noise
    return str(value)
