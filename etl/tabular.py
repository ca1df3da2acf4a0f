"""Read any spreadsheet-like file into plain rows: xlsx, xls, and CSV of unknown encoding.

CSV files reach us from Russian Excel (cp1251, `;`), from old Mac Excel (Mac Roman, CR line
ends) and from everything else (utf-8, with or without BOM). We detect all of this rather than
ask the user.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.guard import MAX_UNCOMPRESSED_BYTES, UnreadableFile, check_zip
from etl.messages import problem
from etl.model import Problem

CSV_ENCODINGS = ("utf-8", "cp1251", "cp1252", "mac_roman")
ENCODING_NAMES = {"cp1251": "Windows-1251", "cp1252": "Windows-1252 (Latin-1)", "mac_roman": "Mac Roman"}
MAX_SEPARATOR_PROBLEMS = 20

__all__ = ["MAX_UNCOMPRESSED_BYTES", "UnreadableFile", "Sheet", "read_csv", "read_workbook", "cell_text"]


class Sheet:
    """One sheet (or a whole CSV): header cells and data rows, with spreadsheet row numbers.

    Holds either rows (`(row number, cells)`) or columns (a list or an Arrow string array per
    column, rows numbered from `first_row`), and gives the other view on demand: readers of small
    templates think in rows, the reader of 100,000-row exports in columns.
    """

    def __init__(
        self,
        name: str | None,
        headers: list[str],
        rows: list[tuple[int, list[object]]] | None = None,
        header_row: int = 1,
        columns: list[list[object]] | list[pa.Array] | None = None,
        first_row: int = 2,
    ):
        self.name, self.headers, self.header_row = name, headers, header_row
        self._rows, self._columns, self.first_row = rows, columns, first_row
        self.notes: list[Problem] = []  # how the file was read, for the user (a guessed encoding)

    def _column_lists(self, width: int | None = None) -> list[list[object]]:
        return [c.to_pylist() if isinstance(c, pa.Array) else c for c in (self._columns or [])[:width]]

    @property
    def rows(self) -> list[tuple[int, list[object]]]:
        if self._rows is None:
            cols = self._column_lists()
            self._rows = list(enumerate(zip(*cols), start=self.first_row)) if cols else []
        return self._rows

    def head(self, n: int) -> list[tuple[int, list[object]]]:
        """The first `n` of `rows`, without building the others (a check of a 100,000-row sheet's top)."""
        if self._rows is not None or not self._columns:
            return self.rows[:n]
        cols = [c.slice(0, n).to_pylist() if isinstance(c, pa.Array) else c[:n] for c in self._columns]
        return list(enumerate(zip(*cols), start=self.first_row))

    def columns(self, width: int) -> tuple[list[int], list[list[object]]]:
        """(row numbers, the first `width` columns), short rows padded with None."""
        if self._columns is not None:
            n = len(self._columns[0]) if self._columns else 0
            cols = self._column_lists(width) + [[None] * n for _ in range(width - len(self._columns))]
            return list(range(self.first_row, self.first_row + n)), cols
        padded = [c if len(c) >= width else list(c) + [None] * (width - len(c)) for _, c in self.rows]
        cols = [list(c) for c in zip(*padded)][:width] if padded else [[] for _ in range(width)]
        return [n for n, _ in self.rows], cols

    def text_columns(self, width: int) -> tuple[np.ndarray, list[pa.StringArray]]:
        """(row numbers, the first `width` columns as Arrow strings): each cell as cell_text() gives it.

        For readers of large sheets: a CSV read by Arrow stays in Arrow (no Python object per cell).
        """
        if self._columns is not None and all(isinstance(c, pa.Array) for c in self._columns):
            n = len(self._columns[0]) if self._columns else 0
            # utf8_trim with Python's own whitespace set strips exactly what str.strip() strips.
            cols = [pc.utf8_trim(c, characters=_WHITESPACE) for c in self._columns[:width]]
            cols += [pa.array([""] * n, pa.string()) for _ in range(width - len(cols))]
            return np.arange(self.first_row, self.first_row + n, dtype=np.int64), cols
        nums, cols = self.columns(width)
        texts = [pa.array([v.strip() if isinstance(v, str) else cell_text(v) for v in c], pa.string()) for c in cols]
        return np.array(nums, dtype=np.int64), texts


_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # none above U+3000


def _letter_neighbours(raw: bytes) -> float:
    """Of the bytes above 0x7F, the share standing next to an ASCII letter.

    Russian words are written wholly in Cyrillic: in cp1251 their letters stand next to each
    other. An accented Latin letter stands inside a word of ASCII letters («Réformer»).
    """
    codes = np.frombuffer(raw, dtype=np.uint8)
    high = codes >= 0x80
    if not high.any():
        return 0.0
    letter = ((codes >= 0x41) & (codes <= 0x5A)) | ((codes >= 0x61) & (codes <= 0x7A))
    near = np.zeros(len(codes), dtype=bool)
    near[1:] |= letter[:-1]
    near[:-1] |= letter[1:]
    return float((high & near).sum() / high.sum())


def _legacy_encoding(raw: bytes) -> str:
    """cp1251, cp1252 or Mac Roman for bytes that are not UTF-8 (every byte decodes in each)."""
    if _letter_neighbours(raw) < 0.5:
        return "cp1251"
    # Latin text: Windows puts its accented lowercase letters in 0xE0-0xFF, Mac Roman in 0x87-0x9F.
    scores = {}
    for encoding in ("cp1252", "mac_roman"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        scores[encoding] = sum(1 for ch in text if ord(ch) > 0x7F and ch.islower())
    return max(scores, key=lambda e: (scores[e], e == "mac_roman"), default="mac_roman")


def decode_csv_bytes(raw: bytes, file: str) -> tuple[str, str, list[Problem]]:
    """Decode CSV bytes: (text, encoding, notes). UTF-8 (BOM or not), else cp1251, cp1252 or Mac Roman.

    The notes are warnings a user should see: a guessed Western encoding, or a UTF-8 mark in front
    of text in another encoding (what some editors write when saving cp1251 as "UTF-8").
    """
    notes: list[Problem] = []
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    if body.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in body[:4096]:
        raise UnreadableFile(problem(file, "csv_binary"))
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8", notes
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    encoding = _legacy_encoding(body)
    # cp1251 and cp1252 leave a few bytes undefined: shown as \ufffd rather than refused.
    text = body.decode(encoding, errors="replace")
    if sum(1 for ch in text[:65536] if ch.isprintable() or ch in "\r\n\t") < 0.9 * min(len(text), 65536):
        raise UnreadableFile(problem(file, "csv_binary"))
    name = ENCODING_NAMES[encoding]
    line = body.count(b"\n", 0, bad_at) + 1
    if bom:
        notes.append(problem(file, "note_bom_mismatch", row=line, encoding=name, severity="warning"))
    elif encoding == "cp1252":  # told apart from cp1251 by a guess: the user checks the letters
        notes.append(problem(file, "note_encoding", encoding=name, severity="warning"))
    return text, encoding, notes


def _first_line(text: str) -> str:
    """`text.splitlines()[0]` (or "" for no text), without splitting a large file's every line."""
    head = text[:65536]
    lines = head.splitlines()
    # A line break inside the head ends the first line there; "\r" at its very end may be half of
    # "\r\n", which splitlines() treats as one break either way.
    if len(lines) > 1 or len(head) == len(text):
        return lines[0] if lines else ""
    lines = text.splitlines()
    return lines[0] if lines else ""


def sniff_delimiter(text: str) -> str:
    """`,` or `;` (or tab), judged by which splits the header line into the most fields."""
    first = _first_line(text)
    counts = {d: len(next(csv.reader([first], delimiter=d))) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _arrow_columns(data: bytes, delimiter: str, width: int) -> list[pa.Array] | None:
    """Parse with Arrow's CSV reader (five times faster than the csv module on large files).

    None when Arrow cannot give exactly what the csv module would (ragged or blank lines): the
    caller then reads with the csv module, which keeps every row and its number.
    """
    from pyarrow import csv as pacsv

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_columns != width:
        return None
    return [col.combine_chunks() for col in table.columns]


def _mixed_separators(rows: list[list[str]], delimiter: str, file: str) -> list[Problem]:
    """Rows split by another separator than the header's: one problem per row (the first few)."""
    width = len(rows[0])
    found: list[Problem] = []
    for number, cells in enumerate(rows[1:], start=2):
        if len(cells) >= width or not any(c.strip() for c in cells):
            continue
        line = delimiter.join(cells)
        for other in (",", ";", "\t"):
            if other != delimiter and len(next(csv.reader([line], delimiter=other))) >= max(2, len(cells) + 1):
                found.append(problem(file, "csv_mixed_separators", row=number, sep=delimiter, other=other))
                break
        if len(found) >= MAX_SEPARATOR_PROBLEMS:
            break
    return found


def read_csv(path: Path, raw: bytes | None = None) -> tuple[Sheet, str, str]:
    """Read a CSV into a Sheet; returns (sheet, encoding, delimiter). The sheet's `notes` say how it was read."""
    raw = path.read_bytes() if raw is None else raw
    text, encoding, notes = decode_csv_bytes(raw, path.name)
    delimiter = sniff_delimiter(text)
    if len(text) > 1_000_000:
        first = next(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter), [])
        # Arrow reads UTF-8: the file's own bytes when it is UTF-8 already.
        data = raw[3:] if encoding == "utf-8-sig" else raw if encoding == "utf-8" else text.encode("utf-8")
        columns = _arrow_columns(data, delimiter, len(first)) if first else None
        if columns is not None:
            headers = [str(h).strip() for h in (c[0].as_py() for c in columns)]
            sheet = Sheet(None, headers, columns=[c[1:] for c in columns])
            sheet.notes = notes
            return sheet, encoding, delimiter
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:  # a NUL byte, or a field larger than the csv module allows
        raise UnreadableFile(problem(path.name, "csv_unreadable", row=reader.line_num, why=str(exc)[:80])) from exc
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise UnreadableFile(problem(path.name, "empty_file"))
    mixed = _mixed_separators(rows, delimiter, path.name)
    if mixed:
        raise UnreadableFile(mixed)
    headers = [h.strip() for h in rows[0]]
    sheet = Sheet(None, headers, list(enumerate(rows[1:], start=2)))
    sheet.notes = notes
    return sheet, encoding, delimiter


def check_zip_expansion(path: Path) -> None:
    """Refuse an xlsx/docx that would expand too far, is damaged, or claims too much (etl.guard)."""
    check_zip(path)


def read_workbook(path: Path, *, checked: bool = False) -> list[Sheet]:
    """Read every sheet of an .xlsx/.xls workbook (first non-empty row is the header).

    An .xlsx is checked against etl.guard's limits first, unless the caller `checked` it already.
    """
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() != ".xls" and not checked:
        check_zip(path)
    name = None
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in wb.sheet_names:
            data = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            header_idx = next((i for i, r in enumerate(data) if any(_filled(c) for c in r)), None)
            if header_idx is None:
                continue
            headers = [_cell_text(c) for c in data[header_idx]]
            body = list(enumerate(data[header_idx + 1 :], start=header_idx + 2))
            sheets.append(Sheet(name, headers, body, header_row=header_idx + 1))
    except MemoryError:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged files
        why = str(exc)
        if "password" in why.lower() or "encrypt" in why.lower():
            raise UnreadableFile(problem(path.name, "encrypted_workbook")) from exc
        raise UnreadableFile(problem(path.name, "workbook_unreadable", sheet=name, why=type(exc).__name__)) from exc
    return sheets


def _filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


cell_text = _cell_text
