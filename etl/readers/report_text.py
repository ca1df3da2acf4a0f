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
# the page number on the same line), the GE job number (also after or before the page number:
# "22 GE.13-18935"), old "page 14" heads.
_SYMBOL = r"[A-Z]{1,2}/[A-Z]+/?[0-9][0-9A-Za-z./]*"
_HEAD_RE = re.compile(
    rf"^(?:\d{{1,3}}\s+)?{_SYMBOL}(?:\s+\d{{1,3}})?$|^(?:\d{{1,3}}\s+)?GE\.\d{{2}}-\d{{4,6}}\b.*$|^page\s+\d{{1,3}}$",
    re.IGNORECASE,
)
_LONE_NUMBER_RE = re.compile(r"^\d{1,3}$")
_NUMBERED_HEAD_RE = re.compile(r"^page\s+\d|^\d{1,3}\s|\s\d{1,3}$", re.IGNORECASE)
RUNNING_HEAD_RE = re.compile(r"^(?:\d{1,3}\s+)?(A/HRC/\d+/\d+(?:/Add\.\d+)?)(?:\s+\d{1,3})?$")
SYMBOL_IN_TEXT_RE = re.compile(r"\bA\s*/\s*HRC/(\d+)/(\d+)(/Add\.\d+)?")

# A footnote mark is a one- or two-digit number stuck to the end of a word, a closing bracket or
# quote, or the punctuation closing a list item: "employment1 (Belarus)", "(Belgium)1;",
# "(Slovenia);2", "(Norway).6" — but not the "5" of "2.5".
_MARK_RE = re.compile(r"(?:(?<=[a-z)”’\"])|(?<=[^\d\s][;,.]))(\d{1,2})(?=[\s;,.:)]|$)")
_LEFT_OF_HYPHEN_RE = re.compile(r"([A-Za-z]+)-$")
_RANGE_DASH_RE = re.compile(r"\d[-–]$")
_STAR_MARK_RE = re.compile(r"(?<=[\w.)])\*+")
_HAS_DIGIT = re.compile(r"\d").search


_FOOTNOTE_BODY_RE = re.compile(r"^(\d{1,2})\s+\S")
_STAR_BODY_RE = re.compile(r"^\*+\s*\S")
_NOTE_START_RE = re.compile(r"[\w“\"‘'(]")
_ITEM_END_RE = re.compile(r"[;.]\s*(?:and|or)?$")
_NOTE_END_RE = re.compile(r"[.;:”\"’)\]‖]$")
_NUMBERED_RE = re.compile(r"^\d{1,3}(?:\s?[.\-]\s?\d{1,3})?\.\s?\S|^\d{1,3}\.\d{1,3}\s")


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
    """Non-empty stripped lines, split into pages; page furniture (running heads, job numbers, page
    numbers) is dropped.

    Pages end at form feeds (PDF text) and at running heads (text without form feeds). A number
    alone on a line is a page number at a page's edge or beside a running head; anywhere else it
    is a footnote number the PDF put on a line of its own, and is kept for `clean_lines`.
    """
    pages: list[list[str]] = []
    for chunk in text.replace("\r\n", "\n").replace("\r", "\n").split("\f"):
        lines = [s for line in chunk.split("\n") if (s := WS.sub(" ", line).strip())]
        heads = [bool(_HEAD_RE.match(s)) for s in lines]
        page: list[str] = []
        numbered = False  # the running head just met carries the page number ("page 15", "15 A/HRC/…")
        for i, s in enumerate(lines):
            if heads[i]:
                pages.append(page)
                page = []
                numbered = numbered or bool(_NUMBERED_HEAD_RE.search(s))
                continue
            if _LONE_NUMBER_RE.match(s) and not numbered:
                at_edge = i in (0, len(lines) - 1)
                beside_head = (i > 0 and heads[i - 1]) or (i + 1 < len(lines) and heads[i + 1])
                if at_edge or beside_head:
                    numbered = True
                    continue
            numbered = False
            page.append(s)
        pages.append(page)
    return [p for p in pages if p]


def _numbered_after(page: list[str], i: int) -> bool:
    return any(rest[:1].isdigit() and _NUMBERED_RE.match(rest) for rest in page[i:])


def _footnote_start(page: list[str], candidates: set[int]) -> int | None:
    """Index of the first footnote line at the foot of the page, None when the page has none.

    A footnote starts with the number of a mark already seen or of the footnote after the last one
    ("1 The original wording …"), or with asterisks ("** Conclusions … not edited."), and nothing
    numbered like a paragraph or an item follows it on the page: footnotes sit at the foot.
    """
    for i, line in enumerate(page):
        m = _FOOTNOTE_BODY_RE.match(line)
        is_body = (m is not None and int(m.group(1)) in candidates) or bool(_STAR_BODY_RE.match(line))
        if is_body and not _numbered_after(page, i + 1):
            return i
    return None


def _continued_note(page: list[str], end: int) -> int | None:
    """Where the rest of a footnote begun on the previous page starts on this one, or None.

    It follows the page's last item (the line before it closes an item with ";" or ".") and runs
    to the page's own footnotes or its end, where it closes its sentence.
    """
    numbered = [i for i in range(end) if _NUMBERED_RE.match(page[i])]
    first = numbered[-1] + 1 if numbered else 1
    for j in range(max(first, 1), end):
        if _ITEM_END_RE.search(page[j - 1]):
            return j if _NOTE_END_RE.search(page[end - 1]) else None
    return None


def clean_lines(text: str) -> list[str]:
    """The text's lines without page furniture, footnotes and footnote marks.

    Footnote marks are also met on a line of their own (the number alone), and a footnote's number
    can stand alone on the line above its text; a footnote can run on at the foot of the next page.
    None of it is ever left in, or glued to, an item.
    """
    out: list[str] = []
    pending: set[int] = set()
    last = 0  # the highest footnote number whose text was met
    open_note = False  # the last footnote stopped mid-sentence at the foot of its page
    for page in _pages(text):
        # Lines of asterisks alone are marks the PDF put on a line of their own.
        page = [line for line in page if not re.fullmatch(r"\*+", line)]
        prev = out[-1] if out else ""
        merged: list[str] = []
        for i, line in enumerate(page):
            if not _LONE_NUMBER_RE.match(line):
                merged.append(line)
            elif i + 1 < len(page) and _NOTE_START_RE.match(page[i + 1]) and not _numbered_after(page, i + 1):
                page[i + 1] = f"{line} {page[i + 1]}"  # the number of the footnote below
            elif i + 1 < len(page) and _ITEM_END_RE.search(page[i - 1] if i else prev) and page[i + 1][:1].isupper():
                page[i + 1] = f"{line} {page[i + 1]}"  # an item's number (cycle 1), its period lost
            else:
                pending.add(int(line))  # a mark on a line of its own
        page = merged
        page = [_STAR_MARK_RE.sub("", line) if "*" in line else line for line in page]
        for line in page:
            if _HAS_DIGIT(line):
                pending.update(int(m.group(1)) for m in _MARK_RE.finditer(line))
        start = _footnote_start(page, pending | {last + 1})
        end = len(page) if start is None else start
        if open_note and (rest := _continued_note(page, end)) is not None:
            page = page[:rest] + page[end:]
            start = rest if start is not None else None
        if start is not None:
            for line in page[start:]:
                m = _FOOTNOTE_BODY_RE.match(line)
                if m and (int(m.group(1)) in pending or int(m.group(1)) == last + 1):
                    pending.discard(int(m.group(1)))
                    last = max(last, int(m.group(1)))
            open_note = not _NOTE_END_RE.search(page[-1])
            page = page[:start]
        else:
            open_note = False
        out.extend(_MARK_RE.sub("", line) if _HAS_DIGIT(line) else line for line in page)
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
