"""The read-only columns of the assessments template, and how an upload tells that they were changed.

The template's first columns show what is known (the recommendation's ID and text, the recommending
States, the State's response, the themes, the government's and the organisation's last status and
date). They are read-only, but not locked: Excel refuses to sort a protected sheet's locked cells,
so they are guarded by a validation that refuses typing instead, and reading ignores them, the ID
apart. A hidden last column, the row check, holds a short fingerprint of each read-only cell as it
was downloaded; it travels with its row when the sheet is sorted, so an upload can name the rows
and columns whose read-only values were changed (typed over, pasted over, or sorted apart from
their row) and warn that those values were not read.
"""

from __future__ import annotations

import hashlib
import re

from etl.messages import problem
from etl.model import Problem
from etl.tabular import Sheet, cell_text

# The read-only columns, in the template's order; the ID is the key that a row assesses.
READ_ONLY = ("id", "text", "recommending", "response", "themes", "gov_status", "gov_as_of", "own_status", "own_as_of")
CHECK = "check"
CHECK_HEADERS = {
    "en": "Row check (do not edit)",
    "ru": "Контроль строки (не изменять)",
    "kk": "Жол бақылауы (өзгертпеңіз)",
}
_DIGITS = 6  # hex digits per cell: a changed cell goes unnoticed once in 16 million
_SHOWN_ROWS = 30


def _normal(field: str, value: object) -> str:
    """A cell's value as compared: dates as ISO dates, whitespace collapsed (how the file stores them varies)."""
    if field.endswith("as_of"):
        from etl.readers.templates import parse_date

        if (day := parse_date(value)) is not None:
            return day.isoformat()
    return re.sub(r"\s+", " ", cell_text(value)).strip()


def _digest(field: str, value: object) -> str:
    return hashlib.sha256(f"{field}\x1f{_normal(field, value)}".encode()).hexdigest()[:_DIGITS]


def row_check(values: dict[str, object]) -> str:
    """The row check of a template row: one short fingerprint per read-only cell, dot-separated."""
    return ".".join(_digest(field, values.get(field)) for field in READ_ONLY)


def _shown(rows: list[int]) -> str:
    listed = ", ".join(str(r) for r in rows[:_SHOWN_ROWS])
    return listed + (f" … (+{len(rows) - _SHOWN_ROWS})" if len(rows) > _SHOWN_ROWS else "")


def changed_read_only(file: str, sheet: Sheet, columns: dict[str, int]) -> list[Problem]:
    """A warning for each read-only column whose values differ from the downloaded template, naming
    the rows; `columns` gives the position of each read-only field and of the row check found."""
    if CHECK not in columns:
        return []  # a template from before the row check, or a file of the editor's own making
    changed: dict[str, list[int]] = {}
    for rownum, cells in sheet.rows:
        check = cell_text(cells[columns[CHECK]]) if columns[CHECK] < len(cells) else ""
        digests = check.split(".")
        if len(digests) != len(READ_ONLY):
            continue  # no check (a row the editor added), or not ours
        for field, digest in zip(READ_ONLY, digests, strict=True):
            if field not in columns:
                continue  # a column the editor deleted: nothing of it is read either way
            pos = columns[field]
            if _digest(field, cells[pos] if pos < len(cells) else None) != digest:
                changed.setdefault(field, []).append(rownum)
    return [
        problem(
            file,
            "template_id_changed" if field == "id" else "template_readonly_changed",
            sheet=sheet.name,
            column=sheet.headers[columns[field]],
            value=_shown(rows),
            severity="warning",
            n=len(rows),
        )
        for field, rows in changed.items()
    ]
