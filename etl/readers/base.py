"""What a reader is, and the opened file every reader's check looks at."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from etl.guard import check_ole, check_zip, load_json
from etl.model import Batch, Problem
from etl.tabular import Sheet, read_csv, read_workbook


def sniff_kind(head: bytes) -> str:
    """The container kind from the first bytes: pdf, zip, ole (legacy .xls), json or text."""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return "text"


@dataclass
class Probe:
    """One file opened for detection: its kind (pdf, docx, xlsx, ole, json, text, zip), and its
    sheets, document text or first table rows, each read once on first use and shared by every
    reader's check and the reader that reads it."""

    path: Path
    kind: str
    head: bytes
    _cache: dict = field(default_factory=dict, repr=False)
    notes: list[Problem] = field(default_factory=list)  # what the checks found that the user must see

    @classmethod
    def open(cls, path: Path) -> Probe:
        """Open `path`, checked by etl.guard before anything reads it (an office archive part by part,
        an OLE container for encryption); raises UnreadableFile for a file that fails a check."""
        with path.open("rb") as fh:
            head = fh.read(8192)
        kind = sniff_kind(head)
        notes: list[Problem] = []
        if kind == "zip":
            facts = check_zip(path)
            kind, notes = facts.kind, facts.problems
        elif kind == "ole":
            check_ole(path)
        return cls(path, kind, head, notes=notes)

    @property
    def name(self) -> str:
        return self.path.name

    def _cached(self, key: str, make: Callable[[], object]):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def raw(self) -> bytes:
        """The file's bytes."""
        return self._cached("raw", self.path.read_bytes)

    def sheets(self) -> list[Sheet]:
        """The sheets of a workbook, or the one sheet of a CSV file."""
        if self.kind in ("xlsx", "ole"):
            return self._cached("sheets", lambda: read_workbook(self.path, checked=True))
        return self._cached("sheets", lambda: [read_csv(self.path, self.raw())[0]])

    def read_notes(self) -> list[Problem]:
        """What the checks and the reading of the file found for the user (formula cells, a guessed encoding)."""
        sheets = self._cache.get("sheets") or []
        return [*self.notes, *(n for s in sheets for n in getattr(s, "notes", []))]

    def text(self) -> str:
        """The text of a PDF or DOCX document; of a text file, its UTF-8 text ('' when it is not UTF-8)."""

        def make() -> str:
            if self.kind in ("pdf", "docx"):
                from etl.readers.report_text import extract_text

                try:
                    return extract_text(self.path)
                except Exception as exc:  # noqa: BLE001 - any failure of the PDF/DOCX libraries
                    self._cache["text_error"] = f"{type(exc).__name__}: {exc}"[:200]
                    return ""
            try:
                return self.raw().decode("utf-8-sig")
            except UnicodeDecodeError:
                return ""

        return self._cached("text", make)

    def text_error(self) -> str | None:
        """Why the document's text could not be read, after text() gave ''."""
        return self._cache.get("text_error")

    def head_text(self) -> str:
        """The start of a text file, decoded leniently: enough to tell a document from a table."""
        return self.head.decode("utf-8", errors="ignore")

    def docx_header_rows(self) -> list[list[str]]:
        """The first three rows of every table of a .docx, as cell texts."""

        def make() -> list[list[str]]:
            from docx import Document

            return [[c.text for c in row.cells] for t in Document(str(self.path)).tables for row in t.rows[:3]]

        return self._cached("docx_rows", make)

    def json(self) -> object:
        """The parsed JSON, its nesting and numbers checked first (raises UnreadableFile when it is not)."""
        return self._cached("json", lambda: load_json(self.raw(), self.name))


@dataclass(frozen=True)
class Reader:
    """A source format: the container kinds it comes in, the check that recognises its content,
    and the function that reads it into a Batch."""

    name: str
    kinds: frozenset[str]
    accepts: Callable[[Probe], bool]
    read: Callable[[Probe], Batch]
    describe: str  # what a user would call it, for the message listing the known formats
