"""The report of the UN Working Group on the Universal Periodic Review (PDF, DOCX or plain text).

The recommendations stand in section "II. Conclusions and/or recommendations". Each numbered
paragraph there is a lead-in that states the position of the State under review on the block of
items that follows it ("enjoy the support of", "will be examined by", "did not enjoy the
support of … would thus be noted"). Items are numbered `124.17` (cycle 2 on; sometimes
`133.17.`) or `1.`, `2.` under the lead-in (cycle 1, read as `95.1`, `95.2`). Each item ends with
its recommending States in brackets: `(Hungary) (Spain);`, `(Portugal, Slovakia);`, and some
States are named inline: `To consider ratifying (Slovenia)/ratify (Republic of Korea) …`.

Text extracted from a PDF carries page furniture (running heads with the document symbol,
`GE.14-…` job numbers, page numbers), footnotes and their marks; all of it is removed before
the section is read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from etl.messages import problem
from etl.model import Batch, DocumentInfo, Problem, RawRecommendation
from etl.readers.base import Probe, Reader
from etl.readers.report_meta import TITLE_RE, document_info
from etl.readers.report_positions import COMMENTS_RE, classify, paragraphs_named, whole_block_remark
from etl.readers.report_states import StatesFound, read_states, strip_end
from etl.readers.report_text import clean_lines, extract_text, join_lines, word_counts

FORMAT = "wg_report"
TITLE = "Report of the Working Group on the Universal Periodic Review"

_SECTION_RE = re.compile(r"^(?:[IVX]{1,4}\.?\s*)?Conclusions\s+and(?:\s*/\s*or)?\s+recommendations\W*$", re.IGNORECASE)
_SECTION_WORDS_RE = re.compile(r"Conclusions\s+and(?:\s*/\s*or)?\s+recommendations", re.IGNORECASE)
_CLOSING_RE = re.compile(
    r"^(?:all\s+)?(?:the\s+)?conclusions\s+and(?:\s*/\s*or)?\s+recommendations\s+(?:contained|in\s+the\s+present)",
    re.IGNORECASE,
)
_PARA_RE = re.compile(r"^(\d{1,3})\.(?:\s+|(?=[A-Z“\"]))(\S.*)$")
_ITEM_RE = re.compile(r"^(\d{1,3})\.(\d{1,3})\.?\s+(\S.*)$")
# An item number as printed: 124.17, 124.17., 111. 29, 125-15., 111.101.Improve
_REF_RE = re.compile(r"^(\d{1,3})\s?[.\-,]\s?(\d{1,3})(?:\.(?!\d))?(?:\s+|$|(?=[A-Z“\"(]))(.*)$")
_NUMBER_ALONE_RE = re.compile(r"^\d{1,3}\.(?:\d{1,3}\.?)?$")
_BARE_RE = re.compile(r"^(\d{1,3})\s+([A-Z“\"].*)$")
_ANNEX_RE = re.compile(r"^Annex(?:\s+[IVX]+)?$", re.IGNORECASE)
_HEADING_RE = re.compile(r"^[IVX]{1,4}\.\s+[A-Z][A-Za-z ,’'-]{3,80}$")
_GLUED_RE = re.compile(r"(?<=[;.)])\s*(?=(\d{1,3})\.(\d{1,3})\.?\s*[A-Z“\"])")
_SWALLOWED_RE = re.compile(r"[;.)]\s+\d{1,3}\s?[.\-]\s?\d{1,3}\.?\s+[A-Z][a-z]")


def looks_like_wg_report_title(head: str) -> bool:
    """Whether the start of a text carries the report's title (cheap: the first page only)."""
    return bool(TITLE_RE.search(head[:5000]))


def looks_like_wg_report(text: str) -> bool:
    """True when the text is a UPR Working Group report: its title and its recommendations section."""
    # The title is on the first page: looking only there keeps this cheap on large CSV files.
    return bool(TITLE_RE.search(text[:5000])) and bool(_SECTION_WORDS_RE.search(text))


def read_wg_report(path: Path) -> Batch:
    """Read a Working Group report file (PDF, DOCX, TXT) into a Batch; an unreadable file gives one error."""
    try:
        text = extract_text(path)
    except Exception as exc:  # noqa: BLE001 - any failure of the PDF/DOCX libraries means "cannot read"
        batch = Batch(file=path.name, format=FORMAT, theme_source="none")
        batch.problems.append(problem(path.name, "document_unreadable", value=f"{type(exc).__name__}: {exc}"[:200]))
        return batch
    return parse_wg_report(text, path.name)


# --- the recommendations section ------------------------------------------------------------


@dataclass
class _Item:
    ref: str
    lines: list[str]


@dataclass
class _Paragraph:
    number: int
    lines: list[str]
    items: list[_Item] = field(default_factory=list)
    # "dotted" items are numbered 124.1; "plain" ones 1., 2. under the lead-in (cycle 1).
    style: str | None = None

    @property
    def last(self) -> int:
        return int(self.items[-1].ref.split(".")[1]) if self.items else 0

    def add_line(self, line: str) -> None:
        (self.items[-1].lines if self.items else self.lines).append(line)


def _section_start(lines: list[str]) -> int | None:
    """Index of the line after the section heading (the table of contents line has dot leaders);
    "II." or "III.", in capitals or not, "and/or" or "and", also wrapped onto a second line."""
    for i, line in enumerate(lines):
        if "..." in line or "…" in line:
            continue
        if _SECTION_RE.match(line):
            return i + 1
        if i + 1 < len(lines) and _SECTION_RE.match(f"{line} {lines[i + 1]}") and len(lines[i + 1]) < 30:
            return i + 2
    return None


def _closes_item(line: str) -> bool:
    """Whether a line ends an item or a lead-in: "…(Spain);", "…(Chad).", "…; and", "…:"."""
    return bool(re.search(r"(?:[;.:]|\))\s*(?:and|or)?\s*$", line))


class _Scanner:
    """Splits the section into numbered paragraphs and their items, in document order.

    Item numbers are printed in many ways: `124.17`, `124.17.`, `111. 29`, `125-15.`, glued to
    the end of the previous item (`(Spain);110.44. Take`), with a wrong paragraph number
    (`85.75` among the 86.x), or a digit dropped (`118.09` between 118.108 and 118.110). An
    item number that is not the next one is taken only where the previous item has ended and the
    numbering then goes on from it; every such reading is reported.
    """

    def __init__(self, lines: list[str], problems: list[Problem], file: str) -> None:
        self.lines = lines
        self.problems = problems
        self.file = file
        self.paras: list[_Paragraph] = []

    def warn(self, code: str, value: str, **params: object) -> None:
        self.problems.append(problem(self.file, code, column_key="ref", value=value, severity="warning", **params))

    def _next_ref(self, i: int) -> tuple[int, int] | None:
        for line in self.lines[i + 1 : i + 40]:
            if m := _REF_RE.match(line):
                return int(m.group(1)), int(m.group(2))
            if _PARA_RE.match(line):
                return None
        return None

    def _dotted(self, para: _Paragraph, i: int, m: re.Match[str]) -> int | None:
        """The minor number of the item starting at line i, or None when it is not an item."""
        major, minor, last = int(m.group(1)), int(m.group(2)), para.last
        printed = m.group(0)[: m.start(3)].strip()
        if major == para.number and minor > last:
            if minor != last + 1:
                self.warn("wg_next_ref", f"{para.number}.{minor}", ref=f"{para.number}.{last + 1}")
            return minor
        previous = self.lines[i - 1] if i else ""
        if not _closes_item(previous):
            return None
        if minor == last + 1 or self._next_ref(i) == (para.number, last + 2):
            self.warn("wg_misprinted_ref", printed, ref=f"{para.number}.{last + 1}")
            return last + 1
        return None

    def scan(self) -> list[_Paragraph]:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if _NUMBER_ALONE_RE.match(line) and i + 1 < len(self.lines):
                # "17." (or "124.17") alone on its line, its text on the next
                self.lines[i : i + 2] = [f"{line} {self.lines[i + 1]}"]
                continue
            if _ANNEX_RE.match(line) or _HEADING_RE.match(line):
                break
            para = self.paras[-1] if self.paras else None
            if para is not None and para.style != "plain" and (glued := _GLUED_RE.search(line, 1)):
                # "…(Spain);110.44. Take …": the next item printed on the same line
                own = _REF_RE.match(line)
                starts_item = own is not None and (int(own.group(1)), int(own.group(2))) == (para.number, para.last + 1)
                if (int(glued.group(1)), int(glued.group(2))) == (para.number, para.last + 1 + starts_item):
                    self.lines[i : i + 1] = [line[: glued.start()], line[glued.end() :]]
                    continue
            if para is not None and para.style != "plain":
                if (m := _REF_RE.match(line)) and (minor := self._dotted(para, i, m)) is not None:
                    para.style = "dotted"
                    para.items.append(_Item(f"{para.number}.{minor}", [m.group(3)]))
                    i += 1
                    continue
                if m and int(m.group(1)) == para.number + 1 and int(m.group(2)) == 1 and para.items:
                    # The items of a new block whose lead-in paragraph was not printed (or not read).
                    self.warn("wg_lead_in_missing", line[:80], para=para.number + 1)
                    self.paras.append(_Paragraph(para.number + 1, [], style="dotted"))
                    continue
            if self._numbered(para, i, line):
                if self.paras and self.paras[-1].number < 0:
                    break  # the closing "All conclusions …" paragraph
                i += 1
                continue
            if para is not None:
                para.add_line(line)
            i += 1
        return [p for p in self.paras if p.number >= 0]

    def _numbered(self, para: _Paragraph | None, i: int, line: str) -> bool:
        """A new paragraph or a cycle 1 item "1." (also "73 Text" without its period)."""
        numbered = _PARA_RE.match(line) or (para is not None and para.style == "plain" and _BARE_RE.match(line))
        if not numbered:
            return False
        n, rest = int(numbered.group(1)), numbered.group(2)
        can_para = para is None or n == para.number + 1
        can_item = para is not None and para.style != "dotted" and n == para.last + 1
        if para is not None and para.style == "plain" and not can_para and para.last + 1 < n <= para.last + 3:
            # An item number not read (e.g. lost under a running head): the items that follow still count.
            if i and _closes_item(self.lines[i - 1]):
                self.warn("wg_next_ref", f"{para.number}.{n}", ref=f"{para.number}.{para.last + 1}")
                can_item = True
        if can_para and can_item:
            # Cycle 1: "96." is paragraph 96 or item 96 of paragraph 95. A paragraph is
            # followed by its item 1, or is the closing "All conclusions …".
            following = next(
                (ln for ln in self.lines[i + 1 :] if _PARA_RE.match(ln) or _ITEM_RE.match(ln)),
                "",
            )
            can_item = not (_CLOSING_RE.match(rest) or following.startswith("1."))
            can_para = not can_item
        if can_para:
            self.paras.append(_Paragraph(-1 if _CLOSING_RE.match(rest) else n, [rest]))
            return True
        if can_item and para is not None:
            para.style = "plain"
            para.items.append(_Item(f"{para.number}.{n}", [rest]))
            return True
        return False


# --- positions --------------------------------------------------------------------------------


@dataclass
class _Block:
    para: _Paragraph
    lead_in: str
    response: str | None
    response_raw: str | None


def _trailing_remark(text: str) -> tuple[str, str | None]:
    """The last item's text without a sentence after its States that states the block's position
    ("… (Mexico). The response of X to these recommendations will be included …")."""
    m = re.search(r"\)\s*[;.]\s+([A-Z][^()]*)$", text)
    if m and whole_block_remark(m.group(1)) and classify(m.group(1))[0] is not None:
        return text[: m.start() + 1], m.group(1)
    return text, None


def _positions(paras: list[_Paragraph], remarks: dict[int, str], words: Counter[str]) -> list[_Block]:
    """Each block with the position stated for it: in its lead-in, else in a remark after it that
    speaks of it ("The response of X to these recommendations will be …", "The response … to the
    recommendations in paragraphs 84 and 85 …"); else None."""
    blocks: list[_Block] = []
    for para in paras:
        text = join_lines(para.lines, words)
        if para.items:
            blocks.append(_Block(para, text, *classify(text)))
            if para.number in remarks:
                text = remarks[para.number]
            else:
                continue
        code, raw = classify(text)
        if code is None or not whole_block_remark(text):
            continue
        # The paragraphs it names, else the block just above it; never one whose lead-in states a position.
        named = paragraphs_named(text)
        targets = [b for b in blocks if b.para.number in named] if named else blocks[-1:]
        for b in (b for b in targets if b.response_raw is None):
            b.response, b.response_raw = code, raw
    return blocks


def _is_comments(block: _Block, found: list[StatesFound]) -> bool:
    """A block of the State's comments on recommendations ("Regarding recommendation No. 91.1, …"):
    no position, mostly no recommending States, and a lead-in or items that say so."""
    if block.response_raw is not None or 2 * sum(1 for f in found if not f.states) < len(found):
        return False
    about = sum(1 for f in found if re.search(r"\brecommendations?\b|\b\d{1,3}\.\d{1,3}\b", f.body, re.IGNORECASE))
    return bool(COMMENTS_RE.search(block.lead_in)) or 2 * about >= len(found)


def _block_problem(block: _Block, comments: bool, file: str) -> Problem | None:
    """What the block lacks: a position (then it is pending), or recommendations (the State's comments)."""
    params: dict[str, object] = {}
    if comments:
        code = "wg_comments_block"
    elif block.response is None and block.response_raw:
        code, params = "wg_several_positions", {"positions": block.response_raw}
    elif block.response is None:
        code = "wg_no_position"
    else:
        return None
    return problem(
        file,
        code,
        column_key="paragraph",
        para=block.para.number,
        value=block.lead_in[:200],
        severity="warning",
        **params,
    )


# --- the parser -----------------------------------------------------------------------------


def parse_wg_report(text: str, file: str) -> Batch:
    """Parse the text of a Working Group report into recommendations with refs, States and responses."""
    batch = Batch(file=file, format=FORMAT, theme_source="none")
    lines = clean_lines(text)
    words = word_counts(lines)
    intro_end = _section_start(lines)
    batch.document = document_info(
        text,
        lines,
        join_lines(lines[: intro_end or len(lines)], words),
        file,
        batch.problems,
    )
    doc = batch.document
    if intro_end is None:
        batch.problems.append(problem(file, "wg_no_section"))
        return batch
    if doc.sur is None:
        batch.problems.append(problem(file, "wg_no_sur", column_key="sur"))

    paras = _Scanner(lines[intro_end:], batch.problems, file).scan()
    texts: dict[str, str] = {}
    remarks: dict[int, str] = {}
    for para in paras:
        for item in para.items:
            texts[item.ref] = join_lines([ln for ln in item.lines if ln], words)
        if para.items:
            texts[para.items[-1].ref], remark = _trailing_remark(texts[para.items[-1].ref])
            if remark:
                remarks[para.number] = remark
    for block in _positions(paras, remarks, words):
        found = [read_states(strip_end(texts[item.ref])) for item in block.para.items]
        comments = _is_comments(block, found)
        if lacking := _block_problem(block, comments, file):
            batch.problems.append(lacking)
        if comments:
            continue
        block.response = block.response or "pending"
        for item, states in zip(block.para.items, found, strict=True):
            _add(batch, doc, item.ref, states, block)
    _check_swallowed(batch, file)
    if batch.rows_read == 0:
        batch.problems.append(problem(file, "wg_no_items"))
    elif not looks_like_wg_report(text):
        batch.problems.append(problem(file, "wg_no_title", title=TITLE, severity="warning"))
    return batch


def _add(batch: Batch, doc: DocumentInfo, ref: str, found: StatesFound, block: _Block) -> None:
    """One recommendation, with a warning when it names no State and for every State's name read loosely."""
    batch.rows_read += 1
    row = batch.rows_read
    body = strip_end(found.body)
    file = batch.file
    if not found.states:
        batch.problems.append(
            problem(file, "wg_no_states", row=row, column_key="rec_ref", ref=ref, value=body[-120:], severity="warning")
        )
    for fix in found.corrections:
        batch.problems.append(
            problem(
                file,
                "state_read_as",
                row=row,
                column_key="rec_ref",
                ref=ref,
                read_as=fix.read_as,
                value=fix.printed,
                severity="warning",
            )
        )
    batch.recommendations.append(
        RawRecommendation(
            sur=doc.sur or "",
            text=body,
            cycle=doc.cycle,
            session=doc.session,
            ref=ref,
            lang="en",
            response=block.response,
            response_raw=block.response_raw,
            recommending=found.states,
            row=row,
        )
    )


def _check_swallowed(batch: Batch, file: str) -> None:
    """Report an item whose text holds what looks like the number of another item ("…(Peru); 84.93.
    Take …"): an item printed so that it could not be told from the text before it."""
    for rec in batch.recommendations:
        if m := _SWALLOWED_RE.search(rec.text):
            batch.problems.append(
                problem(
                    file,
                    "wg_two_items",
                    row=rec.row,
                    column_key="rec_ref",
                    ref=rec.ref,
                    value=rec.text[max(0, m.start() - 40) : m.end() + 40],
                    severity="warning",
                )
            )


def _accepts(probe: Probe) -> bool:
    # A PDF or DOCX that is nothing else is read as a report: the reader then says what it lacks.
    if probe.kind in ("pdf", "docx"):
        return True
    return looks_like_wg_report_title(probe.head_text()) and looks_like_wg_report(probe.text())


def _read(probe: Probe) -> Batch:
    text = probe.text()
    if probe.text_error():
        batch = Batch(file=probe.name, format=FORMAT, theme_source="none")
        batch.problems.append(problem(probe.name, "document_unreadable", value=probe.text_error()))
        return batch
    return parse_wg_report(text, probe.name)


READER = Reader(
    FORMAT, frozenset({"pdf", "docx", "text"}), _accepts, _read, "a UN Working Group report (.pdf/.docx/.txt)"
)
