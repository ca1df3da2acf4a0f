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
from dataclasses import dataclass, field
from pathlib import Path

from etl.model import Batch, Problem, RawRecommendation
from etl.readers.base import Probe, Reader
from etl.readers.report_meta import TITLE_RE, document_info
from etl.readers.report_states import split_states, strip_end
from etl.readers.report_text import clean_lines, extract_text, join_lines, word_counts

FORMAT = "wg_report"
TITLE = "Report of the Working Group on the Universal Periodic Review"

_SECTION_RE = re.compile(r"^(?:II\.?\s+)?Conclusions\s+and/or\s+recommendations\W*$", re.IGNORECASE)
_SECTION_WORDS_RE = re.compile(r"Conclusions\s+and/or\s+recommendations", re.IGNORECASE)


_PARA_RE = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_ITEM_RE = re.compile(r"^(\d{1,3})\.(\d{1,3})\.?\s+(\S.*)$")
_ANNEX_RE = re.compile(r"^Annex(?:\s+[IVX]+)?$", re.IGNORECASE)

# Lead-in wording → response code. "did not enjoy the support" must not count as support.
_LEAD_INS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("noted", re.compile(r"\b(?:did|do|does) not enjoy the support\b", re.IGNORECASE)),
    ("noted", re.compile(r"\bwould thus be noted\b", re.IGNORECASE)),
    ("noted", re.compile(r"\b(?:were|are|have been|has been) noted\b", re.IGNORECASE)),
    (
        "noted",
        re.compile(r"\b(?:were|are) not (?:accepted|supported)\b", re.IGNORECASE),
    ),
    ("pending", re.compile(r"\bwill be examined by\b", re.IGNORECASE)),
    (
        "pending",
        re.compile(r"\bwill be included in the outcome report\b", re.IGNORECASE),
    ),
    ("supported", re.compile(r"(?<!not )\benjoys? the support\b", re.IGNORECASE)),
    ("supported", re.compile(r"\balready (?:been )?implemented\b", re.IGNORECASE)),
    (
        "supported",
        re.compile(r"\bin the process of (?:being )?implement(?:ed|ation)\b", re.IGNORECASE),
    ),
)


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
        batch.problems.append(
            Problem(
                path.name,
                "a readable PDF, DOCX or UTF-8 text file",
                value=f"{type(exc).__name__}: {exc}"[:200],
            )
        )
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


def _section_start(lines: list[str]) -> int | None:
    """Index of the line after the section heading (the table of contents line has dot leaders)."""
    for i, line in enumerate(lines):
        if _SECTION_RE.match(line) and "..." not in line and "…" not in line:
            return i + 1
    return None


def _is_closing(rest: str) -> bool:
    return rest.lower().startswith("all conclusions")


def _paragraphs(lines: list[str], problems: list[Problem], file: str) -> list[_Paragraph]:
    """Split the section into numbered paragraphs and their items, in document order."""
    paras: list[_Paragraph] = []
    for i, line in enumerate(lines):
        if _ANNEX_RE.match(line):
            break
        para = paras[-1] if paras else None
        dotted = _ITEM_RE.match(line)
        if para is not None and para.style != "plain" and dotted and int(dotted.group(1)) == para.number:
            minor = int(dotted.group(2))
            last = len(para.items) and int(para.items[-1].ref.split(".")[1])
            if minor > last:
                if minor != last + 1:
                    problems.append(
                        Problem(
                            file,
                            f"recommendation {para.number}.{last + 1} next",
                            column="ref",
                            value=f"{para.number}.{minor}",
                            severity="warning",
                        )
                    )
                para.style = "dotted"
                para.items.append(_Item(f"{para.number}.{minor}", [dotted.group(3)]))
                continue
        numbered = _PARA_RE.match(line)
        if numbered:
            n, rest = int(numbered.group(1)), numbered.group(2)
            can_para = para is None or n == para.number + 1
            can_item = para is not None and para.style != "dotted" and n == len(para.items) + 1
            if can_para and can_item:
                # Cycle 1: "96." is paragraph 96 or item 96 of paragraph 95. A paragraph is
                # followed by its item 1, or is the closing "All conclusions …".
                following = next(
                    (ln for ln in lines[i + 1 :] if _PARA_RE.match(ln) or _ITEM_RE.match(ln)),
                    "",
                )
                can_item = not (_is_closing(rest) or following.startswith("1."))
                can_para = not can_item
            if can_para:
                if _is_closing(rest):
                    break
                paras.append(_Paragraph(n, [rest]))
                continue
            if can_item and para is not None:
                para.style = "plain"
                para.items.append(_Item(f"{para.number}.{n}", [rest]))
                continue
        if para is not None:
            (para.items[-1].lines if para.items else para.lines).append(line)
    return paras


def _classify_lead_in(text: str) -> tuple[str | None, str | None]:
    """The response code a lead-in states and its key words as printed; (None, None) when unknown."""
    found: list[tuple[int, str, str]] = []
    for code, pattern in _LEAD_INS:
        for m in pattern.finditer(text):
            found.append((m.start(), code, m.group(0)))
    if not found:
        return None, None
    found.sort()
    codes = {code for _, code, _ in found}
    raw = "; ".join(dict.fromkeys(words for _, _, words in found))
    return (codes.pop() if len(codes) == 1 else None), raw


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
        batch.problems.append(Problem(file, 'the section "II. Conclusions and/or recommendations"'))
        return batch
    if doc.sur is None:
        batch.problems.append(Problem(file, "the name of the State under review", column="State under review"))

    for para in _paragraphs(lines[intro_end:], batch.problems, file):
        if not para.items:
            continue  # a remark between blocks, e.g. why some noted recommendations were noted
        lead_in = join_lines(para.lines, words)
        response, response_raw = _classify_lead_in(lead_in)
        if response is None:
            batch.problems.append(
                Problem(
                    file,
                    "a lead-in stating the position: «enjoy the support of», «will be examined by» "
                    "or «did not enjoy the support of … noted»",
                    column=f"paragraph {para.number}",
                    value=lead_in[:200],
                    severity="warning",
                )
            )
        for item in para.items:
            batch.rows_read += 1
            row = batch.rows_read
            body, states = split_states(strip_end(join_lines(item.lines, words)))
            body = strip_end(body)
            if not states:
                batch.problems.append(
                    Problem(
                        file,
                        "the recommending State(s) in brackets at the end, like (Mexico);",
                        row=row,
                        column=f"recommendation {item.ref}",
                        value=body[-120:],
                        severity="warning",
                    )
                )
            batch.recommendations.append(
                RawRecommendation(
                    sur=doc.sur or "",
                    text=body,
                    cycle=doc.cycle,
                    session=doc.session,
                    ref=item.ref,
                    lang="en",
                    response=response,
                    response_raw=response_raw,
                    recommending=states,
                    row=row,
                )
            )
    if batch.rows_read == 0:
        batch.problems.append(
            Problem(
                file,
                "numbered recommendations (124.1 …, or 1. … under a lead-in paragraph) in "
                'section "II. Conclusions and/or recommendations"',
            )
        )
    elif not looks_like_wg_report(text):
        batch.problems.append(Problem(file, f"the title «{TITLE}»", severity="warning"))
    return batch


def _accepts(probe: Probe) -> bool:
    # A PDF or DOCX that is nothing else is read as a report: the reader then says what it lacks.
    if probe.kind in ("pdf", "docx"):
        return True
    return looks_like_wg_report_title(probe.head_text()) and looks_like_wg_report(probe.text())


def _read(probe: Probe) -> Batch:
    text = probe.text()
    if probe.text_error():
        batch = Batch(file=probe.name, format=FORMAT, theme_source="none")
        batch.problems.append(Problem(probe.name, "a readable PDF, DOCX or UTF-8 text file", value=probe.text_error()))
        return batch
    return parse_wg_report(text, probe.name)


READER = Reader(
    FORMAT, frozenset({"pdf", "docx", "text"}), _accepts, _read, "a UN Working Group report (.pdf/.docx/.txt)"
)
