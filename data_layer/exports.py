"""Spreadsheet exports (CSV for Excel, XLSX) of small tables such as the action list, with formula injection defused.

A cell whose text starts with = + - @ (or a tab, CR or LF, which some spreadsheet programs skip before reading a
formula) is written with a leading apostrophe, so no spreadsheet runs it as a formula (OWASP "CSV injection").
Numbers, dates and missing values are left as they are.
"""
from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_SHEET_NAME = 31  # Excel's limit
_MAX_WIDTH = 60


def safe_cell(value):
    """`value` unchanged, except text starting like a formula, which gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every cell (and column name) passed through safe_cell."""
    out = df.map(safe_cell) if len(df) else df.copy()
    out.columns = [safe_cell(str(c)) for c in df.columns]
    return out


NOTES_SHEET = "Om uttaget"


def frame_csv(df: pd.DataFrame, *, notes: list[str] | None = None) -> bytes:
    """`df` as a semicolon CSV that Excel opens in Swedish settings (UTF-8 with BOM, decimal comma), cells defused.
    `notes` (period, filter, "Antal under N visas inte") follow the table after an empty row, one per row."""
    buffer = io.StringIO()
    # CRLF line ends: the csv module then quotes any field holding a CR or LF, so a stray CR never splits a row.
    safe_frame(df).to_csv(buffer, sep=";", decimal=",", index=False, lineterminator="\r\n")
    if notes:
        buffer.write("\r\n")
        pd.DataFrame({"": [safe_cell(n) for n in notes]}).to_csv(buffer, sep=";", index=False, header=False,
                                                                  lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def _excel_value(value):
    """A value openpyxl stores as data: defused text stays text, NaN/NaT become empty, timestamps plain datetimes."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones; callers pass local times
    return safe_cell(value)


def frame_xlsx(df: pd.DataFrame, *, sheet_name: str = "Blad1", notes: list[str] | None = None) -> bytes:
    """`df` as an XLSX workbook with one sheet: a header row, every cell defused and stored as a value, never a
    formula (openpyxl would otherwise treat any text starting with = as one). `notes` (period, filter, "Antal under
    N visas inte") go on a second sheet NOTES_SHEET, one per row."""
    wb = Workbook()
    ws = wb.active
    ws.title = (sheet_name.translate(str.maketrans("", "", "[]:*?/\\")) or "Blad1")[:MAX_SHEET_NAME]
    headers = [safe_cell(str(c)) for c in df.columns]
    ws.append(headers)
    for row in df.itertuples(index=False, name=None):
        ws.append([_excel_value(v) for v in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # belt and braces: text is text, whatever it starts with
            elif isinstance(cell.value, date) and not isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd"
    for i, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(v)) for v in df.iloc[:, i - 1].head(500)]) if len(df) else \
            len(str(header))
        ws.column_dimensions[get_column_letter(i)].width = min(_MAX_WIDTH, longest + 2)
    ws.freeze_panes = "A2"
    if notes:
        about = wb.create_sheet(NOTES_SHEET)
        for line in notes:
            about.append([safe_cell(str(line))])
            about.cell(row=about.max_row, column=1).data_type = "s"
        about.column_dimensions["A"].width = min(_MAX_WIDTH * 2, max(len(str(n)) for n in notes) + 2)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
