"""Read any spreadsheet-like file into plain rows: xlsx, xls, and CSV of unknown encoding.

CSV files reach us from Russian Excel (cp1251, `;`), from old Mac Excel (Mac Roman, CR line
ends) and from everything else (utf-8, with or without BOM). We detect all of this rather than
ask the user.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.model import Problem

CSV_ENCODINGS = ("utf-8", "cp1251", "mac_roman")

# A spreadsheet whose compressed parts would expand past this is refused (zip bomb guard).
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


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

    def _column_lists(self, width: int | None = None) -> list[list[object]]:
        return [c.to_pylist() if isinstance(c, pa.Array) else c for c in (self._columns or [])[:width]]

    @property
    def rows(self) -> list[tuple[int, list[object]]]:
        if self._rows is None:
            cols = self._column_lists()
            self._rows = list(enumerate(zip(*cols), start=self.first_row)) if cols else []
        return self._rows

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


class UnreadableFile(Exception):
    """The file cannot be read at all; carries the Problem to show."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def decode_csv_bytes(raw: bytes, file: str) -> tuple[str, str]:
    """Decode CSV bytes, returning (text, encoding). Tries utf-8 (BOM or not), then cp1251 / Mac Roman."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise UnreadableFile(Problem(file, "a text CSV in utf-8, cp1251 or Mac Roman", value="binary or UTF-16 data"))
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Both cp1251 and Mac Roman decode any byte; pick the one that yields more plausible letters.
    # Russian text in cp1251 lands in 0xC0-0xFF (А-я); Mac Roman puts accented Latin letters in
    # 0x80-0x9F, which cp1251 maps to rarely used symbols.
    high = [b for b in raw if b >= 0x80]
    cyrillic = sum(1 for b in high if b >= 0xC0 or b in (0xA8, 0xB8))
    if high and cyrillic / len(high) >= 0.6:
        return raw.decode("cp1251"), "cp1251"
    return raw.decode("mac_roman"), "mac_roman"


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


def read_csv(path: Path, raw: bytes | None = None) -> tuple[Sheet, str, str]:
    """Read a CSV into a Sheet; returns (sheet, encoding, delimiter)."""
    raw = path.read_bytes() if raw is None else raw
    text, encoding = decode_csv_bytes(raw, path.name)
    delimiter = sniff_delimiter(text)
    if len(text) > 1_000_000:
        first = next(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter), [])
        # Arrow reads UTF-8: the file's own bytes when it is UTF-8 already.
        data = raw[3:] if encoding == "utf-8-sig" else raw if encoding == "utf-8" else text.encode("utf-8")
        columns = _arrow_columns(data, delimiter, len(first)) if first else None
        if columns is not None:
            headers = [str(h).strip() for h in (c[0].as_py() for c in columns)]
            return Sheet(None, headers, columns=[c[1:] for c in columns]), encoding, delimiter
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise UnreadableFile(Problem(path.name, "a header row", value="an empty file"))
    headers = [h.strip() for h in rows[0]]
    return Sheet(None, headers, list(enumerate(rows[1:], start=2))), encoding, delimiter


def check_zip_expansion(path: Path) -> None:
    """Refuse an xlsx/docx whose parts would expand far beyond the file's size."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(Problem(path.name, "a valid .xlsx/.docx (zip) file", value="a damaged archive")) from exc
    size = max(path.stat().st_size, 1)
    if total > MAX_UNCOMPRESSED_BYTES or total / size > MAX_COMPRESSION_RATIO and total > 20_000_000:
        raise UnreadableFile(
            Problem(
                path.name,
                f"a spreadsheet that expands to at most {MAX_UNCOMPRESSED_BYTES // 2**20} MB",
                value=f"{total // 2**20} MB once uncompressed from {size // 1024} KB",
            )
        )


def read_workbook(path: Path) -> list[Sheet]:
    """Read every sheet of an .xlsx/.xls workbook (first non-empty row is the header)."""
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() != ".xls":
        check_zip_expansion(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise UnreadableFile(Problem(path.name, "a readable Excel workbook", value=type(exc).__name__)) from exc
    sheets = []
    for name in wb.sheet_names:
        data = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        header_idx = next((i for i, r in enumerate(data) if any(_filled(c) for c in r)), None)
        if header_idx is None:
            continue
        headers = [_cell_text(c) for c in data[header_idx]]
        body = list(enumerate(data[header_idx + 1 :], start=header_idx + 2))
        sheets.append(Sheet(name, headers, body, header_row=header_idx + 1))
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
