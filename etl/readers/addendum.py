"""The addendum to a Working Group report (`A/HRC/…/Add.1`): the State's answers, by recommendation number.

"Views on conclusions and/or recommendations, voluntary commitments and replies presented by the
State under review" comes months after the report, in one of two shapes:

* **Lists** (cycle 2 on). A paragraph states a position and lists the recommendations it covers:
  "The Government accepts the following recommendations: 140.7, 140.8, …", "notes recommendations
  6–13, 17", "noted the following recommendations: 139.2; 139.3". The ids are typed by hand: stray
  periods (`140.35. 140.36`), ranges (`122.2-10`, `122.14– 15`, one broken across a line), bare
  numbers after a full id (`140.120, 209` is 140.209) or relative to the report's paragraph
  (`1–5` is 115.1–115.5 when the addendum says the numbers follow paragraph 115). Blocks headed by
  ids (`Rec. 18 …`, or `140.11-14` on a line of its own) explain some of them: their text is kept
  as the State's comment, and never changes the position the list gave.
* **Item by item** (cycle 1): each recommendation's number (`5., 6., 7.`), then the State's reply
  in prose. The reply is kept as the comment; the position is taken only where the reply states it
  plainly ("accepts the recommendation", "cannot accept the recommendation"), otherwise it stays
  pending and the import says which.

The answers become :class:`RawResponse` rows; etl.responses matches them to the recommendations of
the review, now or when the report arrives.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from etl.messages import problem
from etl.model import Batch, DocumentInfo, Problem, RawResponse
from etl.readers.base import Probe, Reader
from etl.readers.report_meta import TITLE_RE
from etl.readers.report_text import WS, clean_lines, join_lines, word_counts
from etl.responses import list_position, prose_position

FORMAT = "addendum"

_ADDENDUM_LINE_RE = re.compile(r"^[ \t*]*Addendum[ \t*\d]*\r?$", re.MULTILINE | re.IGNORECASE)
_VIEWS_RE = re.compile(r"Views\s+on\s+conclusions\s+and/or\s+recommendations", re.IGNORECASE)
_SYMBOL_RE = re.compile(r"A/HRC/(\d{1,2})/(\d{1,3})/Add\.\d")
# A running head glued to the text before it ("140.46A/HRC/59/15/Add.1"): dropped, keeping the line.
_GLUED_HEAD_RE = re.compile(r"(?<=\S)[ \t]*A/HRC/\d+/\d+/Add\.\d+[ \t]*$", re.MULTILINE)
_END_MARK_RE = re.compile(r"(?<=[a-z)”’\"]\.)\d{1,2}$")  # "… the Our Rights project.2"
# "… follow the list in paragraph 115 of the report", "recommendations contained in paragraph 98"
_REPORT_PARA_RE = re.compile(
    r"\bparagraph\s+(\d{2,3})\s+of\s+the\s+(?:\w+\s+){0,6}?report\b"
    r"|\b(?:list|recommendations)\s+(?:contained\s+|listed\s+|set\s+out\s+)?in\s+paragraph\s+(\d{2,3})\b",
    re.IGNORECASE,
)

# --- lines of the body ----------------------------------------------------------------------

_PARA_RE = re.compile(r"^(\d{1,3})\.\s+\S")
_HEADING_RE = re.compile(r"^(?:[IVX]{1,4}|[A-H])\.\s+[A-Z]")
_NOTES_RE = re.compile(r"^(?:Notes|Endnotes|Footnotes)$")
_REC_HEAD_RE = re.compile(r"^(?:Recs?\.?|Recommendations?)\s*(?=\d)")
_FULL_ID_HEAD_RE = re.compile(r"^\d{1,3}\.\d{1,3}(?![\d.]\d)")
_ITEM_TOKEN_RE = re.compile(r"\s*(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?\.(?=[\s,]|$)(\s*,)?")

# --- ids ------------------------------------------------------------------------------------

_SEP_RE = re.compile(r"(?:\s+|[,;&]|\band\b|\.(?!\d))*")
_ID_RE = re.compile(r"(\d{1,3})(?:\.(\d{1,3}))?(?![\d%])")
_RANGE_RE = re.compile(r"\s*[-–—]\s*(\d{1,3})(?:\.(\d{1,3}))?(?![\d%])")
_LIST_START_RE = re.compile(r"\brecommendations?\b(?:[^.;:\d]{0,160}:)?\s*(?=\d)", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?]\s+(?=[A-Z(])")
_AFTER_LIST_RE = re.compile(r"^[\s,]*(?:(?:are|were|is|was|have been|has been)\b[^.;]*)", re.IGNORECASE)


def cycle_of_council_session(session: int) -> int | None:
    """The UPR cycle whose outcomes a Human Rights Council session adopted (the addendum's symbol
    carries that session: A/HRC/<session>/…). Cycle 1 outcomes went to sessions 8–19, cycle 2 to
    21–34, cycle 3 to 36–50 and cycle 4 from 52 on; the sessions between adopted none."""
    for cycle, last in ((1, 20), (2, 35), (3, 51), (4, 66)):
        if 8 <= session <= last:
            return cycle
    return None


def looks_like_addendum(head: str) -> bool:
    """Whether a document's first page is an addendum's: "Addendum" on a line, then "Views on conclusions…".

    A Working Group report's cover has neither."""
    head = head[:6000]
    return bool(_ADDENDUM_LINE_RE.search(head)) and bool(_VIEWS_RE.search(head))


# --- the parser -----------------------------------------------------------------------------


@dataclass
class _Answer:
    ref: str
    response: str | None
    raw: str | None
    cite: str | None
    line: int
    comments: list[str] = field(default_factory=list)


@dataclass
class _Doc:
    """The body as one string, with where each line starts (for line numbers and block headers)."""

    lines: list[str]
    numbers: list[int]  # the line of the extracted text each body line came from
    text: str = ""
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts: list[str] = []
        at = 0
        for line in self.lines:
            # "122.62-" + "66": a range broken across lines joins without a space.
            if parts and not re.search(r"\d[-–]$", parts[-1]):
                parts.append(" ")
                at += 1
            self.starts.append(at)
            parts.append(line)
            at += len(line)
        self.text = "".join(parts)

    def index(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def line_at(self, offset: int) -> int:
        return self.numbers[self.index(offset)]


def _line_numbers(text: str, lines: list[str]) -> list[int]:
    """For each cleaned line, the number of the extracted text's line it came from (1-based)."""
    raw = [WS.sub(" ", r).strip() for r in text.replace("\f", "\n").split("\n")]
    out: list[int] = []
    at = 0
    for line in lines:
        key = line[:8]
        for j in range(at, min(len(raw), at + 300)):
            if raw[j] and (raw[j].startswith(key) or line.startswith(raw[j][:8])):
                at = j + 1
                break
        out.append(max(at, 1))
    return out


def _state_under_review(lines: list[str]) -> str | None:
    """The name under the title, above "Addendum" (or, without the title, the line above "Addendum")."""
    above = next((lines[i - 1] for i in range(1, min(len(lines), 60)) if _ADDENDUM_LINE_RE.match(lines[i])), None)
    if above and len(above) <= 60 and not re.search(r"\d|Review", above):
        return above.strip(" *")
    for i in range(min(len(lines), 60)):
        if TITLE_RE.search(" ".join(lines[max(0, i - 2) : i + 1])):
            names = []
            for line in lines[i + 1 : i + 4]:
                if _ADDENDUM_LINE_RE.match(line):
                    break
                names.append(line)
            else:
                names = names[:1]
            name = " ".join(names).strip(" *")
            return name if name and len(name) <= 80 and not re.search(r"\d", name) else None
    return None


def _document(symbols: Counter[str], lines: list[str], file: str, problems: list[Problem]) -> DocumentInfo:
    """Symbol (the one most often printed), State under review, and the cycle the symbol's session gives."""
    info = DocumentInfo()
    info.sur = _state_under_review(lines)
    if symbols:
        info.symbol = symbols.most_common(1)[0][0]
        info.cycle = cycle_of_council_session(int(_SYMBOL_RE.match(info.symbol).group(1)))
    if info.symbol is None or info.cycle is None:
        problems.append(problem(file, "addendum_bad_symbol", value=info.symbol))
    if info.sur is None:
        problems.append(problem(file, "addendum_no_sur", column_key="sur"))
    info.title = f"Addendum: views on conclusions and/or recommendations: {info.sur or '?'}"
    return info


def _ids(doc: _Doc, pos: int, seen: set[tuple[int | None, int]], problems: list[Problem], file: str, stops: set[int]):
    """The ids from `pos` on, until the first thing that is not one: ([(major, minor, offset)], end offset).

    A bare number after a full id belongs to its paragraph ("140.120, 209"); before any full id it
    stays bare (major None). An id met again at the start of a line ends the list: it heads a block;
    so does a line in `stops` (the addendum's own paragraph numbers, "5. The Government …").
    """
    out: list[tuple[int | None, int, int]] = []
    major: int | None = None
    end, i, line_starts = pos, pos, set(doc.starts)
    while True:
        j = _SEP_RE.match(doc.text, i).end()
        m = _ID_RE.match(doc.text, j)
        if not m or j in stops:
            break
        a, b = int(m.group(1)), m.group(2)
        first_major, first = (a, int(b)) if b is not None else (major, a)
        if out and j in line_starts and (first_major, first) in seen:
            break
        after_stop = "." in doc.text[end:j]
        k = m.end()
        last = first
        r = _RANGE_RE.match(doc.text, k)
        if r:
            ra, rb = int(r.group(1)), r.group(2)
            if rb is not None and ra != first_major:
                problems.append(_id_problem(file, doc, j, doc.text[j : r.end()], "addendum_range_paragraphs"))
                i = end = r.end()
                continue
            last = int(rb) if rb is not None else ra
            k = r.end()
        if out and after_stop and re.match(r"\s+(?!and\b)[A-Za-z]", doc.text[k:]):
            break  # "… 140.254. 12 of them …": a number that starts a sentence
        if last < first or last - first > 400:
            problems.append(_id_problem(file, doc, j, doc.text[j:k], "addendum_range_order"))
        else:
            for n in range(first, last + 1):
                out.append((first_major, n, j))
                seen.add((first_major, n))
        major = first_major
        i = end = k
    return out, end


def _id_problem(file: str, doc: _Doc, offset: int, value: str, code: str) -> Problem:
    line = doc.line_at(offset)
    return problem(file, code, row=line, column_key="recommendation", value=value, severity="warning", line=line)


def _report_paragraph(text: str) -> int | None:
    """The report paragraph bare numbers belong to, when the addendum says so ("follow the list in paragraph 115")."""
    found = {int(m.group(1) or m.group(2)) for m in _REPORT_PARA_RE.finditer(WS.sub(" ", text))}
    return found.pop() if len(found) == 1 else None


class _Reader:
    def __init__(self, text: str, file: str):
        self.file = file
        symbols = Counter(m.group(0) for m in _SYMBOL_RE.finditer(text))
        text = _GLUED_HEAD_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
        lines = [_END_MARK_RE.sub("", line) for line in clean_lines(text)]
        self.batch = Batch(file=file, format=FORMAT, theme_source="none")
        self.info = _document(symbols, lines, file, self.batch.problems)
        numbers = _line_numbers(text, lines)
        end = next((i for i, line in enumerate(lines) if _NOTES_RE.match(line)), len(lines))
        self.doc = _Doc(lines[:end], numbers[:end])
        self.words = word_counts(lines)
        self.base = _report_paragraph(text)
        self.answers: dict[str, _Answer] = {}
        self.paras = self._paragraph_lines()

    def ref(self, major: int | None, minor: int) -> str:
        major = major if major is not None else self.base
        return f"{major}.{minor}" if major is not None else str(minor)

    def cite(self, para: int | None) -> str | None:
        symbol = self.info.symbol
        return f"{symbol}, para. {para}" if symbol and para is not None else symbol

    def _paragraph_lines(self) -> dict[int, int]:
        """Body line index → number, for the lines that start the addendum's numbered paragraphs (1., 2., 3.)."""
        numbered = [(i, int(m.group(1))) for i, line in enumerate(self.doc.lines) if (m := _PARA_RE.match(line))]
        # Numbering starts at 1, or (an excerpt) at the first numbered line.
        first = next((n for _, n in numbered if n == 1), numbered[0][1] if numbered else None)
        out: dict[int, int] = {}
        for i, n in numbered:
            if n == (max(out.values()) + 1 if out else first):
                out[i] = n
        return out

    def para_of(self, index: int) -> int | None:
        starts = [i for i in self.paras if i <= index]
        return self.paras[max(starts)] if starts else None

    # -- lists -----------------------------------------------------------------------------

    def read_lists(self) -> list[tuple[int, int]]:
        """Every stated list; returns the (start, end) offsets of each."""
        doc, spans, seen, prev_end = self.doc, [], set(), 0
        bounds = sorted(
            [doc.starts[i] for i in self.paras]
            + [doc.starts[i] for i, line in enumerate(doc.lines) if _HEADING_RE.match(line)]
        )
        for m in _LIST_START_RE.finditer(doc.text):
            if m.start() < prev_end:
                continue
            ids, end = _ids(doc, m.end(), seen, self.batch.problems, self.file, set(bounds))
            if not ids:
                continue
            floor = max([prev_end] + [b for b in bounds if b <= m.start()])
            region = doc.text[floor : m.end()]
            sentences = list(_SENTENCE_END_RE.finditer(region))
            region = region[sentences[-1].end() :] if sentences else region
            code, raw = list_position(region)
            if code is None:
                after = _AFTER_LIST_RE.match(doc.text[end : end + 200])
                code, raw = list_position(after.group(0)) if after else (None, None)
            if code is None:
                continue  # "see recommendation 71": a reference, not an answer
            said = _REPORT_PARA_RE.search(region)
            para = self.para_of(doc.index(m.start()))
            for major, minor, offset in ids:
                if major is None and said:
                    major = int(said.group(1) or said.group(2))
                self.answer(self.ref(major, minor), code, raw, self.cite(para), doc.line_at(offset))
            spans.append((m.start(), end))
            prev_end = end
        return spans

    def answer(self, ref: str, code: str | None, raw: str | None, cite: str | None, line: int) -> None:
        old = self.answers.get(ref)
        if old is None:
            self.answers[ref] = _Answer(ref, code, raw, cite, line)
            return
        same = old.response == code
        self.batch.problems.append(
            problem(
                self.file,
                "addendum_answered_twice" if same else "addendum_answered_differently",
                row=line,
                column_key="recommendation",
                value=ref,
                severity="warning",
                first_line=old.line,
                **({} if same else {"response_old": old.response or "pending", "response_new": code or "pending"}),
            )
        )
        if not same:
            old.response, old.raw = None, None

    # -- blocks of explanation or reply ----------------------------------------------------

    def _header(self, line: str, item_mode: bool, used: set[str], trailing: bool):
        """(refs, the text after them, ids run on to the next line, numbered like a paragraph) when the
        line heads a block; None otherwise."""
        if item_mode and _ITEM_TOKEN_RE.match(line):
            refs, pos, comma = [], 0, False
            while m := _ITEM_TOKEN_RE.match(line, pos):
                first, last = int(m.group(1)), int(m.group(2) or m.group(1))
                refs += [self.ref(None, n) for n in range(first, last + 1)]
                pos, comma = m.end(), bool(m.group(3))
            if trailing or refs[0] not in used:
                return refs, line[pos:].strip(), comma, True
        head = _REC_HEAD_RE.match(line)
        if head or _FULL_ID_HEAD_RE.match(line):
            sub = _Doc([line[head.end() if head else 0 :]], [0])
            ids, end = _ids(sub, 0, set(), [], self.file, set())
            if ids:
                return [self.ref(a, n) for a, n, _ in ids], sub.text[end:].lstrip(" :.–-").strip(), False, False
        return None

    def read_blocks(self, spans: list[tuple[int, int]], item_mode: bool) -> None:
        """Blocks headed by ids: explanations after the lists, or (item by item) the replies themselves."""
        doc = self.doc
        in_lists = {i for s, e in spans for i in range(doc.index(s), doc.index(e) + 1)}
        used: set[str] = set()
        block: tuple[list[str], int, list[str], bool] | None = None
        trailing = False
        for i, line in enumerate(doc.lines):
            head = None if i in in_lists else self._header(line, item_mode, used, trailing)
            if head and trailing and block:
                block[0].extend(head[0])  # "40., 41., 42.," then "43., 44." on the next line
                if head[1]:
                    block[2].append(head[1])
            elif head:
                self.reply(block, item_mode)
                block = (head[0], i, [head[1]] if head[1] else [], head[3])
            elif i in in_lists or _HEADING_RE.match(line) or (not item_mode and i in self.paras):
                self.reply(block, item_mode)
                block = None
            elif block:
                block[2].append(line)
            if head:
                used.update(head[0])
            trailing = bool(head and head[2])
        self.reply(block, item_mode)

    def reply(self, block: tuple[list[str], int, list[str], bool] | None, item_mode: bool) -> None:
        if block is None:
            return
        refs, index, lines, numbered = block
        text = join_lines(lines, self.words) if lines else ""
        for ref in refs:
            old = self.answers.get(ref)
            if old is None:
                code, raw = prose_position(text)
                # An item-by-item reply is the addendum's paragraph of that number; a block after a
                # list, part of the list's paragraph.
                para = int(ref.rsplit(".", 1)[-1]) if numbered else None if item_mode else self.para_of(index)
                old = self.answers[ref] = _Answer(ref, code, raw, self.cite(para), self.doc.numbers[index])
            if text:
                old.comments.append(text)

    # -- the whole ---------------------------------------------------------------------------

    def read(self) -> Batch:
        batch, info = self.batch, self.info
        batch.document = info
        if batch.errors:
            return batch
        spans = self.read_lists()
        self.read_blocks(spans, item_mode=not spans)
        for a in self.answers.values():
            batch.responses.append(
                RawResponse(
                    sur=info.sur or "",
                    cycle=info.cycle,
                    ref=a.ref,
                    response=a.response,
                    response_raw=a.raw,
                    cite=a.cite,
                    comment="\n\n".join(dict.fromkeys(a.comments)) or None,
                    line=a.line,
                )
            )
        batch.rows_read = len(batch.responses)
        self.check(bool(spans))
        return batch

    def check(self, lists: bool) -> None:
        batch = self.batch
        if not batch.responses:
            batch.problems.append(problem(self.file, "addendum_no_answers"))
            return
        open_refs = [r.ref for r in batch.responses if r.response is None]
        if open_refs:
            batch.problems.append(
                problem(
                    self.file,
                    "addendum_unclear_replies",
                    column_key="position",
                    value=", ".join(open_refs),
                    severity="warning",
                    n=len(open_refs),
                )
            )
        if lists:
            counts = Counter(r.response for r in batch.responses)
            for code, pattern in (
                (
                    "supported",
                    r"(\d{1,3})\s+(?:are\s+)?(?:supported|accepted)\b|(?:accepts|supports)\s+(\d{1,3})\s+rec",
                ),
                ("noted", r"(\d{1,3})\s+(?:are\s+)?noted\b|(?:notes|takes note of)\s+(\d{1,3})\s+rec"),
            ):
                m = re.search(pattern, self.doc.text)
                if m and int(m.group(1) or m.group(2)) != counts[code]:
                    batch.problems.append(
                        problem(
                            self.file,
                            "addendum_count_differs",
                            column_key="position",
                            severity="warning",
                            response=code,
                            said=int(m.group(1) or m.group(2)),
                            listed=counts[code],
                        )
                    )


def parse_addendum(text: str, file: str) -> Batch:
    """Read an addendum's text into a Batch of answers (RawResponse), with every problem found."""
    return _Reader(text, file).read()


def _accepts(probe: Probe) -> bool:
    head = probe.head_text() if probe.kind == "text" else probe.text()[:6000]
    return looks_like_addendum(head) and (probe.kind != "text" or looks_like_addendum(probe.text()))


def _read(probe: Probe) -> Batch:
    text = probe.text()
    if probe.text_error():
        batch = Batch(file=probe.name, format=FORMAT, theme_source="none")
        batch.problems.append(problem(probe.name, "document_unreadable", value=probe.text_error()))
        return batch
    return parse_addendum(text, probe.name)


READER = Reader(
    FORMAT,
    frozenset({"pdf", "docx", "text"}),
    _accepts,
    _read,
    "the addendum to a UN Working Group report, the State's answers (.pdf/.docx/.txt)",
)
