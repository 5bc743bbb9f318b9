"""Write the malformed-file corpus next to this script (run once; the output is committed, see README.md).

Most bad files are one of the good files (good_*) with one cell or line changed, and test_corpus.py checks
that the good files are accepted, so each refusal can only come from that change.

Every file is small and deterministic (fixed zip/gzip timestamps, seeded random bytes), so re-running the
script reproduces the committed bytes. The decompression bombs are the only large-ish files (~0.5 MB each):
they expand past common.MAX_FILE_BYTES (512 MiB) without committing anything of that size.
Run: .venv/bin/python tests/data_layer/importers/corpus/make_corpus.py
"""
from __future__ import annotations

import gzip
import io
import json
import random
import re
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
BOMB_BYTES = 520 * 1024 * 1024  # just past common.MAX_FILE_BYTES (512 MiB) once decompressed
FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)

HEADER = ["Ärendenr", "Datum", "Typ", "Beskrivning", "Lat", "Lon"]
GOOD = [  # partner rows inside the demo municipality (Sjöbacka, around 57.65 N 14.70 E)
    ["A-1001", "2025-10-03 21:15", "Klotter", "Klotter på fasaden vid entré B", "57,6564", "14,6987"],
    ["A-1002", "2025-10-04 08:30", "Skadegörelse", "Krossad ruta i tvättstugan", "57,6508", "14,7143"],
    ["A-1003", "2025-10-05 23:40", "Ordningsstörning", "Hög musik och bråk i trapphuset", "57,6531", "14,7010"],
    ["A-1004", "2025-10-06 14:05", "Nedskräpning", "Grovsopor vid miljöstugan", "57,6549", "14,6952"],
]


def rows_with(changes: dict[int, dict[str, str]]) -> list[list[str]]:
    """The good rows with some cells replaced: {data row index (0-based): {column: value}}."""
    out = []
    for i, row in enumerate(GOOD):
        row = list(row)
        for column, value in changes.get(i, {}).items():
            row[HEADER.index(column)] = value
        out.append(row)
    return out


def csv_text(header: list[str], rows: list[list[str]], sep: str = ";") -> str:
    """Semicolon CSV as a Swedish partner system writes it (CRLF, quotes only where needed)."""
    def cell(value: str) -> str:
        return f'"{value.replace(chr(34), chr(34) * 2)}"' if (sep in value or '"' in value) else value
    return "".join(sep.join(cell(v) for v in line) + "\r\n" for line in [header, *rows])


def write(name: str, data: bytes | str) -> None:
    (HERE / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def rezip(raw: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """The same zip with fixed timestamps (and some members replaced), so the bytes are reproducible."""
    src, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = (replace or {}).get(info.filename, src.read(info.filename))
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED, 9)
    return out.getvalue()


def xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """An xlsx (one sheet "Händelser") with every cell as text, as openpyxl writes it, reproducibly zipped."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Händelser"
    for r, line in enumerate([header, *rows], start=1):
        for c, value in enumerate(line, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.data_type = "s"  # keep "=…" as text: a formula-LIKE cell, not a formula
    buf = io.BytesIO()
    wb.save(buf)
    return rezip(buf.getvalue())


def xlsx_zip_bomb() -> bytes:
    """A valid-looking xlsx whose sheet XML inflates to BOMB_BYTES (whitespace between rows is legal XML)."""
    raw = xlsx_bytes(HEADER, GOOD[:1])
    sheet = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    head, tail = sheet.split(b"</sheetData>", 1)
    out = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(raw))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME), src.read(info.filename),
                             zipfile.ZIP_DEFLATED, 9)
                continue
            zinfo = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(zinfo, "w", force_zip64=True) as fh:
                fh.write(head)
                _write_padding(fh, BOMB_BYTES)
                fh.write(b"</sheetData>" + tail)
    return out.getvalue()


def _write_padding(fh, n: int, byte: bytes = b" ") -> None:
    block = byte * (1 << 20)
    for _ in range(n // len(block)):
        fh.write(block)
    fh.write(byte * (n % len(block)))


def gzip_bomb(prefix: bytes, byte: bytes) -> bytes:
    """A gzip (mtime 0) of `prefix` plus BOMB_BYTES of one repeated byte: ~0.5 MB on disk."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(prefix)
        _write_padding(fh, BOMB_BYTES, byte)
    return out.getvalue()


def binary(seed: int, magic: bytes, n: int = 4096) -> bytes:
    """`magic` followed by seeded random bytes (with NULs, as any real binary has)."""
    return magic + random.Random(seed).randbytes(n)


PNG_MAGIC = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def partner_files() -> None:
    write("good_incidents.csv", csv_text(HEADER, GOOD))
    write("good_incidents.xlsx", xlsx_bytes(HEADER, GOOD))
    write("inc_empty.csv", b"")
    write("inc_header_only.csv", csv_text(HEADER, []))
    write("inc_header_only.xlsx", xlsx_bytes(HEADER, []))
    write("inc_wrong_columns.csv", csv_text(["Date", "Kind", "Text"],
                                            [["2025-10-03", "Klotter", "Klotter på fasaden"]]))
    write("inc_missing_category_column.csv", csv_text([h for h in HEADER if h != "Typ"],
                                                      [[v for h, v in zip(HEADER, r) if h != "Typ"] for r in GOOD]))
    write("inc_wrong_separator.csv", csv_text(HEADER, GOOD))  # read with a profile that says ","
    ragged = [list(r) for r in GOOD]
    ragged[1] = ragged[1][:4]  # row 3: Lat and Lon cells are missing altogether
    write("inc_ragged_short.csv", csv_text(HEADER, ragged))
    ragged = [list(r) for r in GOOD]
    ragged[2] = ragged[2] + ["extra", "fält"]  # row 4: two cells more than the header
    write("inc_ragged_long.csv", csv_text(HEADER, ragged))
    write("inc_bad_date_text.csv", csv_text(HEADER, rows_with({2: {"Datum": "igår kväll"}})))
    write("inc_bad_date_impossible.csv", csv_text(HEADER, rows_with({1: {"Datum": "2025-02-30 10:00"}})))
    dmy = [[r[0], f"{r[1][8:10]}/{r[1][5:7]}/{r[1][:4]}{r[1][10:]}", *r[2:]] for r in GOOD]
    write("good_incidents_dmy.csv", csv_text(HEADER, dmy))
    dmy[1][1] = "31/13/2025 10:00"  # row 3: month 13
    write("inc_bad_date_dmy.csv", csv_text(HEADER, dmy))
    write("inc_missing_date.csv", csv_text(HEADER, rows_with({0: {"Datum": ""}})))
    write("inc_bad_date.xlsx", xlsx_bytes(HEADER, rows_with({1: {"Datum": "okänt"}})))
    write("inc_outside_region.csv", csv_text(HEADER, rows_with({1: {"Lat": "52,5200", "Lon": "13,4050"}})))
    write("inc_swapped_axes.csv", csv_text(HEADER, rows_with({0: {"Lat": "14,6987", "Lon": "57,6564"}})))
    write("inc_bad_coordinate_text.csv", csv_text(HEADER, rows_with({1: {"Lat": "N57°39'"}})))
    sweref_header = ["Ärendenr", "Datum", "Typ", "Beskrivning", "X", "Y"]
    sweref = [[*r[:4], e, n] for r, (e, n) in zip(GOOD, [("482020", "6390497"), ("482948", "6389870"),
                                                         ("482156", "6390129"), ("481811", "6390331")])]
    write("good_incidents_sweref.csv", csv_text(sweref_header, sweref))
    sweref[1][4:6] = ["100000", "100000"]  # row 3: far outside Sweden whichever axis is which
    write("inc_sweref_outside.csv", csv_text(sweref_header, sweref))
    write("inc_binary_png.csv", binary(1, PNG_MAGIC))
    write("inc_binary_random.csv", binary(2, b""))
    write("inc_corrupt.xlsx", xlsx_bytes(HEADER, GOOD)[:300])  # a truncated download
    write("inc_zip_bomb.xlsx", xlsx_zip_bomb())
    header_line = csv_text(HEADER, []).encode("utf-8")
    write("inc_over_size_limit.csv", gzip_bomb(header_line, b"\n"))
    write("inc_formula_hyperlink.csv", csv_text(HEADER, rows_with(
        {1: {"Beskrivning": '=HYPERLINK("http://example.com/x","Klicka här")'}})))
    write("inc_formula_at.csv", csv_text(HEADER, rows_with({0: {"Beskrivning": "@SUM(A1:A9)"}})))
    write("inc_formula_plus_dde.csv", csv_text(HEADER, rows_with({2: {"Beskrivning": "+cmd|' /C notepad'!A0"}})))
    write("inc_formula_text.xlsx", xlsx_bytes(HEADER, rows_with({3: {"Beskrivning": "=1+1"}})))
    write("inc_html_script.csv", csv_text(HEADER, rows_with(
        {1: {"Beskrivning": "<script>alert('x')</script>"}})))
    write("inc_html_img.csv", csv_text(HEADER, rows_with({0: {"Beskrivning": "Se bild <img src=x onerror=alert(1)>"}})))
    write("inc_html.xlsx", xlsx_bytes(HEADER, rows_with({2: {"Beskrivning": '<iframe src="http://example.com">'}})))
    write("inc_not_utf8.csv", csv_text(HEADER, GOOD).encode("cp1252"))  # read with a profile that says utf-8
    write("inc_unknown_category.csv", csv_text(HEADER, rows_with({3: {"Typ": "Rymdskepp"}})))


def polisen_event(number: int, **changes) -> dict:
    """A made-up event shaped like Polisen's API objects (not copied from the shared data)."""
    event = {"id": 900000 + number, "datetime": f"2025-10-0{number} 9:48:12 +02:00",
             "name": f"0{number} oktober 09.30, Skadegörelse, Jönköping",
             "summary": "Fönster krossat vid en skola.", "url": f"/aktuellt/handelser/2025/oktober/{number}/",
             "type": "Skadegörelse", "location": {"name": "Jönköping", "gps": "57.782614,14.161788"}}
    event.update(changes)
    return event


def polisen_files() -> None:
    events = [polisen_event(i) for i in (1, 2, 3)]
    write("good_polisen.json", json.dumps(events, ensure_ascii=False))
    write("pol_empty.json", b"")
    write("pol_not_json.json", "Det här är ingen JSON, bara text.\n")
    write("pol_object_not_list.json", json.dumps({"events": events}, ensure_ascii=False))
    bad = [polisen_event(1), polisen_event(2, datetime="igår"), polisen_event(3)]
    write("pol_bad_datetime.json", json.dumps(bad, ensure_ascii=False))
    bad = [polisen_event(1), polisen_event(2), polisen_event(3, location={"name": "Berlin", "gps": "52.52,13.405"})]
    write("pol_outside_region.json", json.dumps(bad, ensure_ascii=False))
    bad = [{k: v for k, v in polisen_event(1).items() if k != "id"}, polisen_event(2)]
    write("pol_missing_id.json", json.dumps(bad, ensure_ascii=False))
    write("pol_binary.json", binary(3, PNG_MAGIC))
    write("pol_gzip_bomb.json.gz", gzip_bomb(b"[", b" "))


UK_HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
             "LSOA name", "Crime type", "Last outcome category", "Context"]
UK_GOOD = [
    ["a1" * 32, "2016-07", "West Yorkshire Police", "West Yorkshire Police", "-1.549077", "53.801277",
     "On or near Park Row", "E01033010", "Leeds 111B", "Burglary", "Under investigation", ""],
    ["", "2016-07", "West Yorkshire Police", "West Yorkshire Police", "-1.755246", "53.795984",
     "On or near Market Street", "E01010628", "Bradford 039C", "Anti-social behaviour", "", ""],
    ["b2" * 32, "2016-07", "West Yorkshire Police", "West Yorkshire Police", "-1.782000", "53.645000",
     "On or near Station Road", "E01011011", "Kirklees 020A", "Vehicle crime", "Unable to prosecute suspect", ""],
]


def uk_rows(changes: dict[int, dict[str, str]]) -> list[list[str]]:
    out = []
    for i, row in enumerate(UK_GOOD):
        row = list(row)
        for column, value in changes.get(i, {}).items():
            row[UK_HEADER.index(column)] = value
        out.append(row)
    return out


def police_uk_files() -> None:
    write("good_police_uk.csv", csv_text(UK_HEADER, UK_GOOD, sep=","))
    write("uk_empty.csv", b"")
    write("uk_header_only.csv", csv_text(UK_HEADER, [], sep=","))
    write("uk_wrong_columns.csv", csv_text([h for h in UK_HEADER if h != "Month"],
                                           [[v for h, v in zip(UK_HEADER, r) if h != "Month"] for r in UK_GOOD],
                                           sep=","))
    write("uk_bad_month.csv", csv_text(UK_HEADER, uk_rows({1: {"Month": "July 2016"}}), sep=","))
    write("uk_outside_region.csv", csv_text(UK_HEADER, uk_rows({0: {"Latitude": "59.329", "Longitude": "18.068"}}),
                                            sep=","))
    write("uk_binary.csv", binary(4, PNG_MAGIC))


SQUARE = {"type": "Polygon", "coordinates": [[[14.69, 57.65], [14.70, 57.65], [14.70, 57.66], [14.69, 57.66],
                                              [14.69, 57.65]]]}


def feature(name: str | None, geometry: dict | None = SQUARE) -> dict:
    return {"type": "Feature", "properties": {"name": name} if name is not None else {"namn": "Utan namnfält"},
            "geometry": geometry}


def collection(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


def areas_files() -> None:
    write("good_areas.geojson", collection(feature("Norra torget"), feature("Södra torget")))
    write("areas_empty.geojson", b"")
    write("areas_not_json.geojson", "<kml><Document>inte GeoJSON</Document></kml>\n")
    write("areas_no_features.geojson", json.dumps({"type": "FeatureCollection"}))
    write("areas_empty_features.geojson", collection())
    write("areas_feature_without_geometry.geojson", collection(feature("Norra torget"), feature("Södra torget", None)))
    write("areas_missing_name.geojson", collection(feature(None), feature("Södra torget")))
    write("areas_point_geometry.geojson", collection(feature("Norra torget"), feature("Busstorget"),
                                                     feature("Kiosken", {"type": "Point",
                                                                         "coordinates": [14.69, 57.65]})))


SURVEY_HEADER = ["Område", "År", "Antal svar", "Otrygg kväll (%)", "Trygghet (1-10)"]
SURVEY_GOOD = [  # the demo municipality's areas, read with survey_profile.toml
    ["Centrum", "2025", "212", "31,5", "6,4"],
    ["Stationsområdet", "2025", "148", "42,0", "5,1"],
    ["Björkhagen", "2025", "187", "NA", "7,2"],
    ["Råbylund", "2025", "96", "18,2", "8,0"],
]


def survey_rows(changes: dict[int, dict[str, str]]) -> list[list[str]]:
    out = []
    for i, row in enumerate(SURVEY_GOOD):
        row = list(row)
        for column, value in changes.get(i, {}).items():
            row[SURVEY_HEADER.index(column)] = value
        out.append(row)
    return out


def survey_files() -> None:
    write("good_survey.csv", csv_text(SURVEY_HEADER, SURVEY_GOOD))
    write("survey_empty.csv", b"")
    write("survey_header_only.csv", csv_text(SURVEY_HEADER, []))
    write("survey_wrong_columns.csv", csv_text(["Stadsdel", *SURVEY_HEADER[1:]], SURVEY_GOOD))
    ragged = [list(r) for r in SURVEY_GOOD]
    ragged[1] = ragged[1][:3]  # row 3: the two answer columns are missing
    write("survey_ragged.csv", csv_text(SURVEY_HEADER, ragged))
    write("survey_out_of_scale.csv", csv_text(SURVEY_HEADER, survey_rows({1: {"Trygghet (1-10)": "12"}})))
    write("survey_not_a_number.csv", csv_text(SURVEY_HEADER, survey_rows({2: {"Otrygg kväll (%)": "många"}})))
    write("survey_unknown_area.csv", csv_text(SURVEY_HEADER, survey_rows({3: {"Område": "Atlantis"}})))
    write("survey_unknown_wave.csv", csv_text(SURVEY_HEADER, survey_rows({0: {"År": "hösten"}})))
    write("survey_formula.csv", csv_text(SURVEY_HEADER, survey_rows(
        {2: {"Område": '=HYPERLINK("http://x","Centrum")'}})))
    write("survey_html.csv", csv_text(SURVEY_HEADER, survey_rows(
        {1: {"Område": "<b onmouseover=alert(1)>Centrum</b>"}})))
    write("survey_binary.csv", b"%PDF-1.4\n" + random.Random(5).randbytes(2048))


def main() -> None:
    partner_files()
    polisen_files()
    police_uk_files()
    areas_files()
    survey_files()


if __name__ == "__main__":
    main()
