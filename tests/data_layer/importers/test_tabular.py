"""Reading CSV/XLSX bytes into a table: Swedish encodings and separators, row numbers, and every file refused whole."""
import io
import re
import zipfile
from datetime import datetime, time

import pytest
from openpyxl import Workbook

from data_layer.importers import tabular
from data_layer.importers.common import ImportRefused
from data_layer.importers.tabular import cell_problem, read_table


def _refusal(data: bytes, **kw) -> str:
    """The reasons a file is refused whole: file-level problems have no row (--skip-invalid cannot help)."""
    with pytest.raises(ImportRefused) as refused:
        read_table(data, file_name="fil.csv", **kw)
    assert refused.value.file_name == "fil.csv" and all(p.row is None for p in refused.value.problems)
    return "\n".join(str(p) for p in refused.value.problems)


def _xlsx(rows, *, title="Blad1", formats=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for (r, c), fmt in (formats or {}).items():
        sheet.cell(row=r, column=c).number_format = fmt
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- encodings ---------------------------------------------------------------------------------------------------

def test_a_cp1252_file_with_semicolons_is_read_and_both_choices_are_recorded():
    data = "Datum;Typ\r\n2026-03-04;Skadegörelse\r\n".encode("cp1252")
    assert b"\xf6" in data  # "ö" as the single byte Windows writes
    table = read_table(data, file_name="f.csv")
    assert table.header == ["Datum", "Typ"]
    assert table.rows == [(2, ["2026-03-04", "Skadegörelse"])]
    assert table.conversions == {"kodning: cp1252": 1, "avgränsare: ;": 1, "format: csv": 1}


def test_a_utf8_bom_is_stripped_from_the_first_header_and_recorded():
    table = read_table(b"\xef\xbb\xbfDatum,Typ\n2026-03-04,Skadeg\xc3\xb6relse\n", file_name="f.csv")
    assert table.header == ["Datum", "Typ"] and table.rows[0][1][1] == "Skadegörelse"
    assert table.conversions["kodning: UTF-8 med BOM"] == 1


def test_plain_utf8_is_preferred_over_cp1252():
    table = read_table("Typ\nSkadegörelse\n".encode("utf-8"), file_name="f.csv")
    assert table.rows[0][1] == ["Skadegörelse"] and "kodning: UTF-8" in table.conversions


def test_excels_utf16_unicode_text_export_is_read():
    table = read_table("Datum\tTyp\r\n2026-03-04\tKlotter\r\n".encode("utf-16"), file_name="f.txt")
    assert table.rows == [(2, ["2026-03-04", "Klotter"])]
    assert {"kodning: UTF-16", "avgränsare: tabb"} <= set(table.conversions)


def test_a_profile_saying_utf8_refuses_cp1252_bytes_naming_the_row():
    data = "Datum;Typ\n2026-03-04;Klotter\n2026-03-05;Skadegörelse\n".encode("cp1252")
    message = _refusal(data, encoding="utf-8")
    assert message.startswith("Filen:") and "på rad 3 är inte giltig UTF-8" in message and "cp1252" in message


def test_a_bom_with_a_profile_saying_cp1252_is_refused_rather_than_read_as_garbage():
    assert "BOM" in _refusal(b"\xef\xbb\xbfDatum;Typ\n2026-03-04;Klotter\n", encoding="cp1252")


def test_bytes_neither_utf8_nor_cp1252_can_read_are_refused_never_replaced():
    data = b"Datum;Typ\n2026-03-04;Skadeg\xf6relse\x81\n"  # 0x81 is undefined in cp1252
    assert "varken UTF-8 eller cp1252" in _refusal(data)


# --- separators and row numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "separator", "name"), [
    ("Datum;Typ;Beskrivning\n2026-03-04;Klotter;Vägg, entré\n", ";", ";"),
    ("Datum,Typ,Beskrivning\n2026-03-04,Klotter,\"Vägg; entré\"\n", ",", ","),
    ("Datum\tTyp\tBeskrivning\n2026-03-04\tKlotter\tVägg, entré; trapphus\n", "\t", "tabb"),
    ("\"Datum; tid\",Typ,Beskrivning\n2026-03-04,Klotter,x\n", ",", ","),  # a quoted ; is no separator
])
def test_the_separator_is_sniffed_from_the_header_line(text, separator, name):
    table = read_table(text.encode("utf-8"), file_name="f.csv")
    assert len(table.header) == 3 and len(table.rows[0][1]) == 3 and not table.problems
    assert table.conversions[f"avgränsare: {name}"] == 1


def test_a_header_with_as_many_semicolons_as_commas_is_refused_asking_for_the_separator():
    assert "avgränsaren" in _refusal(b"a;b,c\n1;2,3\n")


def test_a_given_separator_overrides_sniffing():
    table = read_table(b"a;b,c\n1;2,3\n", file_name="f.csv", separator=",")
    assert table.header == ["a;b", "c"]


def test_excels_sep_line_is_obeyed_and_not_counted_as_a_row():
    table = read_table(b"sep=;\nDatum;Typ\n2026-03-04;Klotter\n", file_name="f.csv")
    assert table.header == ["Datum", "Typ"] and table.rows == [(2, ["2026-03-04", "Klotter"])]


def test_row_numbers_are_records_as_excel_shows_them_and_blank_rows_are_skipped():
    text = "Datum;Beskrivning\n2026-03-01;\"två\nrader\"\n;\n\n2026-03-02;ok\n"
    table = read_table(text.encode("utf-8"), file_name="f.csv")
    assert table.rows == [(2, ["2026-03-01", "två\nrader"]), (5, ["2026-03-02", "ok"])]


def test_a_trailing_separator_on_every_line_adds_no_column():
    table = read_table(b"a;b;\n1;2;\n", file_name="f.csv")
    assert table.header == ["a", "b"] and table.rows == [(2, ["1", "2"])]


def test_ragged_rows_become_problems_and_are_left_out():
    table = read_table(b"a;b;c\n1;2;3\n1;2\n1;2;3;4\n4;5;6\n", file_name="f.csv")
    assert [n for n, _ in table.rows] == [2, 5]
    assert [(p.row, p.reason) for p in table.problems] == [(3, "raden har 2 fält men rubrikraden har 3"),
                                                            (4, "raden har 4 fält men rubrikraden har 3")]


def test_a_decimal_comma_in_a_comma_separated_file_gets_a_hint():
    table = read_table(b"lat,lon\n57.6,14.6\n57,6,14,6\n", file_name="f.csv")
    assert "decimalkomma" in table.problems[0].reason


def test_an_unterminated_quote_refuses_the_file():
    assert "citattecken" in _refusal(b'a;b\n1;"2\n3;4\n')


# --- unsafe cells ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=1+1", "=HYPERLINK(\"http://x\")", "+SUM(A1:A3)", "-cmd|' /C calc'!A0", "@SUM(1)",
                                  "+A1", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                  "se javascript:alert(1)", "<!-- x -->", "<b>fet</b>"])
def test_formula_like_and_markup_cells_are_refused(cell):
    assert cell_problem(cell)


@pytest.mark.parametrize("cell", ["-12,5", "+46 70 123 45 67", "- Klotter på väggen", "@kalle såg det",
                                  "under 5 grader < normalt > i fjol", "<3", "Ärende (akut)", "57.65"])
def test_ordinary_text_is_not_mistaken_for_formulas_or_markup(cell):
    assert cell_problem(cell) is None


def test_a_row_with_a_formula_or_script_is_a_problem_naming_its_column():
    table = read_table(b"Datum;Beskrivning\n2026-03-01;=HYPERLINK(\"http://x\")\n2026-03-02;<script>x</script>\n"
                       b"2026-03-03;ok\n", file_name="f.csv")
    assert [(p.row, p.column) for p in table.problems] == [(2, "Beskrivning"), (3, "Beskrivning")]
    assert "formel" in table.problems[0].reason and "skript" in table.problems[1].reason
    assert [n for n, _ in table.rows] == [4]


# --- files refused whole -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "reason"), [
    (b"", "filen är tom"),
    (b"  \r\n\n", "filen är tom"),
    (b"Datum;Typ\r\n", "bara rubrikraden"),
    (b"Datum;Typ\r\n;\r\n\r\n", "bara rubrikraden"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG-bild"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF-fil"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
    (b"Datum;Typ\n2026-03-04;Klo\x00tter\n", "NUL"),
    (b"Datum;Typ\n2026-03-04;Klo\x01\x02tter\n", "styrtecken"),
    (b"Datum;;Typ\n1;2;3\n", "kolumn 2 på rubrikraden (rad 1) saknar rubrik"),
    (b"Datum;Typ;typ\n1;2;3\n", "förekommer mer än en gång"),
    (b"Datum;=cmd()\n1;2\n", "formel"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_files_that_are_no_table_are_refused_with_a_swedish_reason(data, reason):
    assert reason in _refusal(data)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 100)
    assert "större än" in _refusal(b"Datum;Typ\n" + b"2026-03-04;Klotter\n" * 10)


def test_a_zip_that_is_no_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("rapport.txt", "hej")
    assert "zip-arkiv" in _refusal(out.getvalue())


def test_an_opendocument_spreadsheet_is_named_as_such():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    assert ".ods" in _refusal(out.getvalue())


def test_an_xlsx_zip_bomb_is_refused_from_its_declared_sizes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))  # ~1000:1
    data = out.getvalue()
    assert len(data) < 100_000
    assert "zip-bomb" in _refusal(data)


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_XLSX_UNCOMPRESSED", 1000)
    assert "packas upp till" in _refusal(_xlsx([["Datum"], ["2026-03-04"]]))


def test_an_xlsx_over_its_own_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_XLSX_BYTES", 1000)
    assert "Excel-filen är större än" in _refusal(_xlsx([["Datum"], ["2026-03-04"]]))


# --- XLSX --------------------------------------------------------------------------------------------------------

def test_xlsx_cells_become_the_text_a_person_reads():
    data = _xlsx([["Datum", "Tid", "Lat", "Nr", "Andel", "Serie"],
                  [datetime(2026, 3, 4), time(22, 15), 57.65, 123, 0.1 + 0.2, 45234.0],
                  [datetime(2026, 3, 4, 14, 35), None, 6580822.5, 2026000123, 1 / 3, 45234.5]],
                 formats={(2, 1): "yyyy-mm-dd", (3, 1): "yyyy-mm-dd hh:mm"})
    table = read_table(data, file_name="rapport.csv")  # the content decides, not the name
    assert table.rows == [(2, ["2026-03-04", "22:15:00", "57.65", "123", "0.3", "45234"]),
                          (3, ["2026-03-04 14:35:00", "", "6580822.5", "2026000123", "0.333333333333333", "45234.5"])]
    assert table.conversions == {"format: xlsx": 1, "blad: Blad1": 1}


def test_xlsx_rows_keep_their_sheet_numbers_and_formulas_and_stray_cells_are_problems():
    book = Workbook()
    sheet = book.active
    sheet.append(["Datum", "Typ"])
    sheet.append(["2026-03-04", "Klotter"])
    sheet.cell(row=4, column=1, value="2026-03-05")
    sheet.cell(row=4, column=2, value="Brand")
    sheet.cell(row=5, column=1, value="=A4+1")
    sheet.cell(row=6, column=1, value="2026-03-07")
    sheet.cell(row=6, column=4, value="utanför")
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), file_name="f.xlsx")
    assert [n for n, _ in table.rows] == [2, 4]
    assert [(p.row, p.column) for p in table.problems] == [(5, "Datum"), (6, None)]
    assert "formel" in table.problems[0].reason and "till höger" in table.problems[1].reason


def test_a_named_sheet_is_read_and_an_unknown_one_lists_the_sheets():
    book = Workbook()
    book.active.title = "Info"
    book.active.append(["Om filen"])
    data_sheet = book.create_sheet("Händelser")
    data_sheet.append(["Datum", "Typ"])
    data_sheet.append(["2026-03-04", "Klotter"])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), file_name="f.xlsx", sheet="Händelser")
    assert table.header == ["Datum", "Typ"] and table.conversions["blad: Händelser"] == 1
    message = _refusal(out.getvalue(), sheet="Rapporter")
    assert "'Rapporter' finns inte" in message and "Info, Händelser" in message


def test_a_stale_sheet_dimension_does_not_cut_rows_off():
    data = _xlsx([["Datum", "Typ"]] + [[f"2026-03-{d:02d}", "Klotter"] for d in range(1, 11)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', body)
                assert n == 1
            dst.writestr(info, body)
    assert len(read_table(out.getvalue(), file_name="f.xlsx").rows) == 10


def test_a_broken_xlsx_is_refused():
    data = _xlsx([["Datum"], ["2026-03-04"]])
    assert "trasigt zip-arkiv" in _refusal(data[:-200])  # the central directory cut off
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "inte xml")
    assert "Excel-filen kan inte öppnas" in _refusal(out.getvalue())
