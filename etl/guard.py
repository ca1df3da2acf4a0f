"""Checks made before any reader opens a file, so that no file can make a reader run away.

A spreadsheet reader allocates a grid as large as the sheet claims (a 2 KB xlsx can claim all
17 billion cells of a sheet), an XML parser follows nesting and entities wherever they lead, a JSON
parser recurses once per bracket. Each of these is measured here first, by streaming through the
file without building it, and a file past a limit is refused with a message that names the limit,
the part of the file and the figure found. What gets through is also read in a child process with
a time and memory limit (`etl.sandbox`): these checks make the common bombs cheap to refuse and
say precisely why.
"""

from __future__ import annotations

import json
import mmap
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.parsers import expat

import numpy as np

from etl.messages import problem
from etl.model import Problem

MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # every part of an archive together, once uncompressed
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_ENTRIES = 5_000
MAX_SHEET_PART_BYTES = 300 * 1024 * 1024  # one sheet's (or the shared strings') XML
MAX_OTHER_PART_BYTES = 50 * 1024 * 1024  # any other XML part (styles, a Word document, …)
MAX_CELLS = 3_000_000  # rows × columns of a sheet's area, as declared or as used
MAX_ROWS = 1_000_000
MAX_COLUMNS = 1_000
MAX_SHARED_STRINGS = 1_000_000
MAX_XML_DEPTH = 256  # libxml2's own limit without XML_PARSE_HUGE; office files nest a few dozen deep
MAX_JSON_DEPTH = 64
MAX_NUMBER_DIGITS = 100
MAX_FORMULA_PROBLEMS = 50  # formula cells reported one by one, then summed up


class UnreadableFile(Exception):
    """The file cannot be read at all; carries the problems to show (usually one)."""

    def __init__(self, problem: Problem | list[Problem]):
        self.problems = problem if isinstance(problem, list) else [problem]
        self.problem = self.problems[0]
        super().__init__(str(self.problem))


@dataclass
class ZipFacts:
    """What the checks learnt of an office archive: its kind and the cells to report."""

    kind: str  # xlsx, docx or zip (an archive of neither)
    problems: list[Problem] = field(default_factory=list)


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f}"


class _Capped:
    """A read-only stream that refuses to give more than `limit` bytes (a part's size can lie), and
    shows every chunk to `scan` (with the end of the chunk before, so that no match is cut in two)."""

    def __init__(self, raw: IO[bytes], head: bytes, limit: int, on_limit: Exception, scan=None):
        self._raw, self._head, self._limit, self._on_limit, self.count = raw, head, limit, on_limit, 0
        self._scan, self._tail = scan, b""

    def read(self, n: int = -1) -> bytes:
        if self._head:
            chunk, self._head = self._head, b""
        else:
            chunk = self._raw.read(1 << 16 if n is None or n < 0 else min(n, 1 << 16))
        self.count += len(chunk)
        if self.count > self._limit:
            raise self._on_limit
        if self._scan is not None and chunk:
            self._scan(self._tail + chunk)
            self._tail = chunk[-32:]
        return chunk


class _RootReached(Exception):
    pass


def _check_prolog(raw: IO[bytes], file: str, part: str) -> tuple[bytes, dict[str, str]]:
    """Read up to the root element: refuse a DOCTYPE or entity, return the bytes read and the root's attributes.

    Office files never declare a DOCTYPE; one in an upload is an entity-expansion attack.
    """
    parser = expat.ParserCreate()
    root: dict[str, str] = {}
    doctype = problem(file, "xml_doctype", part=part)

    def start(name: str, attrs: dict[str, str]) -> None:
        root.update(attrs)
        raise _RootReached

    def refuse(*_: object) -> None:
        raise UnreadableFile(doctype)

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    read = b""
    while len(read) < 1 << 20:
        chunk = raw.read(1 << 14)
        read += chunk
        try:
            parser.Parse(chunk, not chunk)
        except _RootReached:
            return read, root
        except expat.ExpatError:
            return read, root  # broken XML: the full parse below says where
        if not chunk:
            return read, root
    raise UnreadableFile(problem(file, "limit_xml_prolog", part=part))


def _column_number(letters: str, cache: dict[str, int]) -> int:
    number = cache.get(letters)
    if number is None:
        number = 0
        for ch in letters:
            number = number * 26 + (ord(ch) - 64)
        cache[letters] = number
    return number


_REF = re.compile(r"^([A-Z]{1,4})?(\d{1,8})?$")


def _area(file: str, sheet: str, rows: int, columns: int, how: str) -> None:
    """Refuse a sheet whose rows, columns or area (declared or used) pass a limit."""
    if rows > MAX_ROWS:
        raise UnreadableFile(problem(file, "limit_rows", sheet=sheet, rows=rows, limit=MAX_ROWS, how=how))
    if columns > MAX_COLUMNS:
        raise UnreadableFile(problem(file, "limit_columns", sheet=sheet, columns=columns, limit=MAX_COLUMNS, how=how))
    if rows * columns > MAX_CELLS:
        raise UnreadableFile(
            problem(
                file,
                "limit_cells",
                sheet=sheet,
                rows=rows,
                columns=columns,
                cells=rows * columns,
                limit=MAX_CELLS,
                how=how,
            )
        )


# A cell reference beyond column ALL (1,000): four letters, or three above ALL.
# A literal prefix lets the regex engine skip ahead: five times faster than a leading \s.
_FAR_COLUMN = re.compile(rb'r="((?:[A-Z]{4}|[B-Z][A-Z]{2}|A[M-Z][A-Z]|AL[M-Z]))[0-9]')


def _far_columns(file: str, sheet: str):
    """A scan of raw sheet XML for any cell beyond MAX_COLUMNS, wherever it stands in its row."""
    cache: dict[str, int] = {}

    def scan(chunk: bytes) -> None:
        if m := _FAR_COLUMN.search(chunk):
            _area(file, sheet, 1, _column_number(m.group(1).decode(), cache), "used")

    return scan


def _scan_sheet(stream: _Capped, file: str, sheet: str, facts: ZipFacts) -> None:
    """Stream one sheet's rows: the area used, the declared dimension, formulas with no saved value.

    The area is measured by each row's number and its last cell (cells beyond the column limit are
    caught anywhere by `_far_columns`); looking at every cell in Python would double the time a
    100,000-row export takes to read.
    """
    from lxml import etree

    cache: dict[str, int] = {}
    max_row = max_col = 0
    formulas = 0
    parser_events = etree.iterparse(
        stream,
        events=("end",),
        tag=("{*}row", "{*}dimension"),
        huge_tree=False,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    for _, elem in parser_events:
        if elem.tag.endswith("dimension"):
            last = (elem.get("ref") or "").split(":")[-1]
            m = _REF.match(last)
            if m and m.group(1) and m.group(2):
                _area(file, sheet, int(m.group(2)), _column_number(m.group(1), cache), "declared")
            continue
        r = elem.get("r")
        max_row = max(max_row, int(r) if r and r.isdigit() else max_row + 1)
        if len(elem):
            ref = elem[-1].get("r") or ""
            letters = ref.rstrip("0123456789")
            col = _column_number(letters, cache) if letters.isalpha() and letters.isupper() else len(elem)
            if col > max_col:
                max_col = col
        _area(file, sheet, max_row, max_col, "used")
        if next(elem.iter("{*}f"), None) is not None:
            for cell in elem:
                if cell.find("{*}f") is not None and not (cell.findtext("{*}v") or "").strip():
                    formulas += 1
                    if formulas <= MAX_FORMULA_PROBLEMS:
                        ref = cell.get("r") or ""
                        facts.problems.append(
                            problem(
                                file,
                                "formula_without_value",
                                sheet=sheet,
                                row=max_row,
                                column=ref.rstrip("0123456789"),
                                value="=" + (cell.findtext("{*}f") or ""),
                            )
                        )
        elem.clear()
        while elem.getprevious() is not None:
            del elem.getparent()[0]
    if formulas > MAX_FORMULA_PROBLEMS:
        facts.problems.append(problem(file, "formula_more", sheet=sheet, n=formulas - MAX_FORMULA_PROBLEMS))


def _scan_shared_strings(stream: _Capped, file: str, root: dict[str, str]) -> None:
    from lxml import etree

    declared = max((int(root[k]) for k in ("count", "uniqueCount") if root.get(k, "").isdigit()), default=0)
    if declared > MAX_SHARED_STRINGS:
        raise UnreadableFile(problem(file, "limit_shared_strings", n=declared, limit=MAX_SHARED_STRINGS))
    n = 0
    for _, elem in etree.iterparse(
        stream, events=("end",), tag="{*}si", huge_tree=False, resolve_entities=False, no_network=True, load_dtd=False
    ):
        n += 1
        if n > MAX_SHARED_STRINGS:
            raise UnreadableFile(
                problem(file, "limit_shared_strings", n=f"> {MAX_SHARED_STRINGS}", limit=MAX_SHARED_STRINGS)
            )
        elem.clear()
        while elem.getprevious() is not None:
            del elem.getparent()[0]


def _scan_other(stream: _Capped, file: str, part: str) -> None:
    """Any other XML part: well-formed, not too deep, parsed without building it (expat)."""
    parser = expat.ParserCreate()
    depth = [0]

    def start(*_: object) -> None:
        depth[0] += 1
        if depth[0] > MAX_XML_DEPTH:
            raise UnreadableFile(problem(file, "limit_xml_depth", part=part, limit=MAX_XML_DEPTH))

    def end(*_: object) -> None:
        depth[0] -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnreadableFile(
            problem(file, "xml_broken", part=part, line=exc.lineno, col=exc.offset + 1, why=expat.ErrorString(exc.code))
        ) from exc


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> sheet name, from the workbook and its relationships (both read with expat)."""
    names: dict[str, str] = {}
    rels: dict[str, str] = {}

    def parse(part: str, handler) -> None:
        parser = expat.ParserCreate()
        parser.StartElementHandler = handler
        parser.StartDoctypeDeclHandler = lambda *_: None
        parser.Parse(zf.read(part), True)

    def on_rel(name: str, attrs: dict[str, str]) -> None:
        if name.endswith("Relationship") and attrs.get("Id") and attrs.get("Target"):
            target = attrs["Target"].lstrip("/")
            rels[attrs["Id"]] = target if target.startswith("xl/") else f"xl/{target}"

    def on_sheet(name: str, attrs: dict[str, str]) -> None:
        if name.split(":")[-1] == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith(":id") or k == "id"), None)
            if rid in rels:
                names[rels[rid]] = attrs.get("name", "")

    try:
        if "xl/_rels/workbook.xml.rels" in zf.namelist():
            parse("xl/_rels/workbook.xml.rels", on_rel)
        parse("xl/workbook.xml", on_sheet)
    except (expat.ExpatError, KeyError, zipfile.BadZipFile, zlib.error, OSError):
        pass  # the part-by-part check below names what is wrong
    return names


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, sheets: dict[str, str], facts: ZipFacts) -> None:
    from lxml import etree

    part = info.filename
    is_big = part in sheets or part.endswith("sharedStrings.xml")
    limit = MAX_SHEET_PART_BYTES if is_big else MAX_OTHER_PART_BYTES
    too_big = UnreadableFile(problem(file, "limit_part_size", part=part, size=_mb(info.file_size), limit=_mb(limit)))
    if info.file_size > limit:
        raise too_big
    with zf.open(info) as raw:
        head, root = _check_prolog(raw, file, part)
        scan = _far_columns(file, sheets[part] or part) if part in sheets else None
        stream = _Capped(raw, head, limit, too_big, scan)
        try:
            if part in sheets:
                _scan_sheet(stream, file, sheets[part] or part, facts)
            elif part.endswith("sharedStrings.xml"):
                _scan_shared_strings(stream, file, root)
            else:
                _scan_other(stream, file, part)
        except etree.XMLSyntaxError as exc:
            line, col = exc.position if exc.position else (None, None)
            message = str(exc.msg or exc)
            if "depth" in message.lower():
                raise UnreadableFile(problem(file, "limit_xml_depth", part=part, limit=MAX_XML_DEPTH)) from exc
            if "huge" in message.lower():
                raise UnreadableFile(problem(file, "limit_xml_text", part=part)) from exc
            raise UnreadableFile(problem(file, "xml_broken", part=part, line=line, col=col, why=message[:120])) from exc


def check_zip(path: Path) -> ZipFacts:
    """Check an .xlsx/.docx archive part by part before any reader opens it; raise UnreadableFile if it fails."""
    file = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise UnreadableFile(problem(file, "zip_damaged")) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise UnreadableFile(problem(file, "limit_zip_entries", n=len(infos), limit=MAX_ZIP_ENTRIES))
        total, size = sum(i.file_size for i in infos), max(path.stat().st_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or total / size > MAX_COMPRESSION_RATIO and total > 20_000_000:
            raise UnreadableFile(
                problem(
                    file, "zip_too_big", size=_mb(total), compressed=size // 1024, limit=_mb(MAX_UNCOMPRESSED_BYTES)
                )
            )
        names = {i.filename for i in infos}
        kind = "docx" if "word/document.xml" in names else "xlsx" if "xl/workbook.xml" in names else "zip"
        facts = ZipFacts(kind)
        if kind == "zip":
            return facts
        sheets = _sheet_parts(zf) if kind == "xlsx" else {}
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                _scan_part(zf, info, file, sheets, facts)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                why = "checksum" if "CRC" in str(exc) else type(exc).__name__
                raise UnreadableFile(problem(file, "zip_damaged_part", part=info.filename, why=why)) from exc
    return facts


_ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def check_ole(path: Path) -> None:
    """Refuse a password-protected workbook (Excel keeps an encrypted .xlsx in an OLE container)."""
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        if any(mm.find(marker) >= 0 for marker in _ENCRYPTED):
            raise UnreadableFile(problem(path.name, "encrypted_workbook"))


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_LONG_NUMBER = re.compile(rb"[0-9]{%d,}" % (MAX_NUMBER_DIGITS + 1))


def _line_col(data: bytes, pos: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, pos) + 1
    return line, pos - (data.rfind(b"\n", 0, pos) + 1) + 1


def load_json(raw: bytes, file: str) -> object:
    """Parse JSON after checking its nesting and its numbers; raise UnreadableFile naming what is wrong."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        raise UnreadableFile(problem(file, "json_broken", line=line, col=col, why="not UTF-8")) from exc
    # Strings cannot hold brackets or numbers that count: blank them first (same length, same lines).
    bare = _JSON_STRING.sub(lambda m: b'"' + b" " * (len(m.group()) - 2) + b'"', raw)
    codes = np.frombuffer(bare, dtype=np.uint8)
    steps = np.zeros(len(codes), dtype=np.int32)
    steps[(codes == 0x5B) | (codes == 0x7B)] = 1
    steps[(codes == 0x5D) | (codes == 0x7D)] = -1
    depth = np.cumsum(steps) if len(steps) else np.zeros(1, dtype=np.int32)
    if int(depth.max()) > MAX_JSON_DEPTH:
        line, col = _line_col(raw, int(np.argmax(depth > MAX_JSON_DEPTH)))
        raise UnreadableFile(problem(file, "limit_json_depth", line=line, col=col, limit=MAX_JSON_DEPTH))
    if m := _LONG_NUMBER.search(bare):
        line, col = _line_col(raw, m.start())
        raise UnreadableFile(
            problem(file, "limit_json_number", line=line, col=col, digits=len(m.group()), limit=MAX_NUMBER_DIGITS)
        )
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (None, None)
        why = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        raise UnreadableFile(problem(file, "json_broken", line=line, col=col, why=why)) from exc
