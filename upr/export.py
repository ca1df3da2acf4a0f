"""Tables for users to take away: xlsx and csv, with formula-like cells neutralised.

A CSV has no types: a text that starts like a formula gets an apostrophe, as OWASP advises. An
xlsx has types: every text is written as a text cell (never a formula), and one that starts like a
formula is marked "quote prefix", so that Excel keeps it text when edited, without adding a
character that would then be read back as part of the text.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet could run as a formula gets a leading apostrophe; others pass."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and header) neutralised."""
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel opens Cyrillic correctly."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")


def mark_text(cell) -> None:
    """Make an openpyxl cell holding a string a text cell, quote-prefixed when it starts like a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never let openpyxl read a string as a formula
        if cell.value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An xlsx workbook with one sheet; every cell is written as a value, never a formula."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if (not isinstance(v, str) and pd.isna(v)) else v for v in row])
    for cell_row in ws.iter_rows():
        for cell in cell_row:
            mark_text(cell)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
