"""Exports never hand a spreadsheet a formula: text starting with = + - @ tab CR LF is prefixed with an apostrophe in
CSV and XLSX alike, while ordinary text, numbers, dates and gaps come through as they were."""
from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from data_layer.exports import frame_csv, frame_xlsx, safe_cell, safe_frame

DANGEROUS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "\n=1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Belysning vid gångtunneln", "a=b", "", 5, -3, 2.5, None, date(2026, 1, 2)])
def test_other_values_pass_unchanged(value):
    assert safe_cell(value) == value


def _table() -> pd.DataFrame:
    return pd.DataFrame({"Åtgärd": ["Ny belysning", *DANGEROUS], "Prioritet": [1, 2, 3, -1, 2, 2, 3, 1],
                         "Klart senast": [date(2026, 12, 1), None, *[date(2027, 1, 1)] * 6],
                         "=Rubrik": ["x"] * 8})


def test_safe_frame_defuses_cells_and_column_names_and_leaves_the_input_alone():
    df = _table()
    out = safe_frame(df)
    assert list(out["Åtgärd"]) == ["Ny belysning", *("'" + s for s in DANGEROUS)]
    assert "'=Rubrik" in out.columns and "=Rubrik" in df.columns
    assert df["Åtgärd"].iloc[1] == DANGEROUS[0]


def test_the_csv_reads_back_with_every_formula_defused_and_numbers_intact():
    data = frame_csv(_table())
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 with å, ä, ö right
    back = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", keep_default_na=False)
    assert list(back["Åtgärd"]) == ["Ny belysning", *("'" + s for s in DANGEROUS)]
    assert list(back["Prioritet"]) == [1, 2, 3, -1, 2, 2, 3, 1]
    assert back["Klart senast"].iloc[0] == "2026-12-01" and back["Klart senast"].iloc[1] == ""


def test_the_xlsx_holds_text_never_formulas_and_keeps_numbers_and_dates():
    wb = load_workbook(io.BytesIO(frame_xlsx(_table(), sheet_name="Åtgärder")))
    ws = wb["Åtgärder"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Åtgärd", "Prioritet", "Klart senast", "'=Rubrik")
    # XML keeps no bare CR (it reads as LF), so compare with line ends normalised.
    assert [r[0] for r in rows[1:]] == ["Ny belysning", *("'" + s.replace("\r", "\n") for s in DANGEROUS)]
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    assert [r[1] for r in rows[1:]] == [1, 2, 3, -1, 2, 2, 3, 1]
    assert rows[1][2].date() == date(2026, 12, 1) and rows[2][2] is None


def test_an_empty_table_still_gives_a_header_row():
    df = pd.DataFrame({"Åtgärd": [], "Status": []})
    assert frame_csv(df).decode("utf-8-sig").strip() == "Åtgärd;Status"
    ws = load_workbook(io.BytesIO(frame_xlsx(df))).active
    assert list(ws.iter_rows(values_only=True)) == [("Åtgärd", "Status")]
