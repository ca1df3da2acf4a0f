"""Text of a UN document (PDF, DOCX or UTF-8 text), cleaned for reading: page furniture
(running heads with the document symbol, `GE.14-…` job numbers, page numbers), footnotes and
their marks removed, wrapped lines joined with their hyphens judged.

Shared by the Working Group report and its addendum.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

WS = re.compile(r"\s+")

# Page furniture: the document symbol as running head (also mistyped, "A/HRC24/7", and with
# the page number on the same line), the GE job number, the page number, old "page 14" heads.
_SYMBOL = r"[A-Z]{1,2}/[A-Z]+/?[0-9][0-9A-Za-z./]*"
_FURNITURE_RE = re.compile(
    rf"^(?:\d{{1,3}}\s+)?{_SYMBOL}(?:\s+\d{{1,3}})?$|^GE\.\d{{2}}-\d{{4,6}}\b.*$|^\d{{1,3}}$|^page\s+\d{{1,3}}$",
    re.IGNORECASE,
)
RUNNING_HEAD_RE = re.compile(r"^(?:\d{1,3}\s+)?(A/HRC/\d+/\d+(?:/Add\.\d+)?)(?:\s+\d{1,3})?$")
SYMBOL_IN_TEXT_RE = re.compile(r"\bA\s*/\s*HRC/(\d+)/(\d+)(/Add\.\d+)?")

# A footnote mark is a one- or two-digit number stuck to the end of a word or a closing
# bracket or quote: "employment1 (Belarus)", "(Belgium)1;".
_MARK_RE = re.compile(r"(?<=[a-z)”’\"])(\d{1,2})(?=[\s;,.:)]|$)")
_LEFT_OF_HYPHEN_RE = re.compile(r"([A-Za-z]+)-$")
_RANGE_DASH_RE = re.compile(r"\d[-–]$")
_STAR_MARK_RE = re.compile(r"(?<=[\w.)])\*+")
_FOOTNOTE_BODY_RE = re.compile(r"^(\d{1,2})\s+\S")
_STAR_BODY_RE = re.compile(r"^\*+\s*\S")
_NUMBERED_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3})?\.\s|^\d{1,3}\.\d{1,3}\s")


def extract_text(path: Path) -> str:
    """The text of a PDF (pages separated by form feeds), a DOCX (paragraphs in order) or a UTF-8 text.

    The kind is told from the file's first bytes, not its name. pypdfium2 reads a report in about
    0.1 s (pdfplumber took 4 s for the same text); it marks a hyphen at a line break with U+FFFE,
    which we turn back into a line-end hyphen so the hyphenation rule below decides.
    """
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            pages = []
            for i in range(len(pdf)):
                textpage = pdf[i].get_textpage()
                pages.append(textpage.get_text_range().replace("\ufffe", "-\n"))
                textpage.close()
            return "\f".join(pages)
        finally:
            pdf.close()
    if head.startswith(b"PK\x03\x04"):
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return path.read_text(encoding="utf-8-sig")


def _pages(text: str) -> list[list[str]]:
    """Non-empty stripped lines, split into pages at form feeds and page furniture (which is dropped)."""
    pages: list[list[str]] = [[]]
    for chunk_no, chunk in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\f")):
        if chunk_no:
            pages.append([])
        for line in chunk.split("\n"):
            s = WS.sub(" ", line).strip()
            if not s:
                continue
            if _FURNITURE_RE.match(s):
                pages.append([])
                continue
            pages[-1].append(s)
    return [p for p in pages if p]


def _footnote_start(page: list[str], pending: set[int]) -> int | None:
    """Index of the first footnote line at the foot of the page, None when the page has none.

    A footnote starts with the number of a mark already seen ("1 The original wording …") or with
    asterisks ("** Conclusions … not edited."), and nothing numbered like a paragraph or an item
    follows it on the page: footnotes sit at the foot.
    """
    for i, line in enumerate(page):
        m = _FOOTNOTE_BODY_RE.match(line)
        is_body = (m is not None and int(m.group(1)) in pending) or bool(_STAR_BODY_RE.match(line))
        if is_body and not any(_NUMBERED_RE.match(rest) for rest in page[i + 1 :]):
            return i
    return None


def clean_lines(text: str) -> list[str]:
    """The text's lines without page furniture, footnotes and footnote marks."""
    out: list[str] = []
    pending: set[int] = set()
    for page in _pages(text):
        # Lines of asterisks alone are marks the PDF put on a line of their own.
        page = [line for line in page if not re.fullmatch(r"\*+", line)]
        for line in page:
            for m in _MARK_RE.finditer(line):
                pending.add(int(m.group(1)))
        start = _footnote_start(page, pending)
        if start is not None:
            for line in page[start:]:
                m = _FOOTNOTE_BODY_RE.match(line)
                if m:
                    pending.discard(int(m.group(1)))
            page = page[:start]
        out.extend(_STAR_MARK_RE.sub("", _MARK_RE.sub("", line)) for line in page)
    return out


def word_counts(lines: list[str]) -> Counter[str]:
    """How often each word (hyphenated words whole) occurs inside the lines, to judge line-end hyphens."""
    counts: Counter[str] = Counter()
    for line in lines:
        body = line.removesuffix("-")
        counts.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", body))
    return counts


def join_lines(lines: list[str], words: Counter[str]) -> str:
    """Join wrapped lines into one string, deciding for each line-end hyphen whether it is real.

    UN reports are not hyphenated automatically: a hyphen at a line end is nearly always part of
    the word (non-governmental, ill-treatment, ICCPR-OP 2), so it is kept, unless the document
    elsewhere writes the joined word more often than the hyphenated one ("recom-/mendations"
    where "recommendations" occurs), which marks a word split only by the line break.
    """
    parts: list[str] = []
    for line in lines:
        prev = parts[-1] if parts else ""
        left = _LEFT_OF_HYPHEN_RE.search(prev)
        right = re.match(r"[A-Za-z]+", line)
        if not parts:
            parts.append(line)
        elif _RANGE_DASH_RE.search(prev):
            parts[-1] = prev + line  # "2006–" + "2016"
        elif left and right:
            joined = (left.group(1) + right.group(0)).lower()
            hyphenated = f"{left.group(1)}-{right.group(0)}".lower()
            parts[-1] = (prev[:-1] if words[joined] > words[hyphenated] else prev) + line
        elif prev.endswith("-"):
            parts[-1] = prev + line
        else:
            parts.append(line)
    return " ".join(parts)
