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
from datetime import datetime
from pathlib import Path

from etl.model import Batch, DocumentInfo, Problem, RawRecommendation
from upr.vocab import cycle_of_session

FORMAT = "wg_report"
TITLE = "Report of the Working Group on the Universal Periodic Review"

_WS = re.compile(r"\s+")
_TITLE_RE = re.compile(
    r"Report\s+of\s+the\s+Working\s+Group\s+on\s+the\s+Universal\s+Periodic\s+Review",
    re.IGNORECASE,
)
_SECTION_RE = re.compile(r"^(?:II\.?\s+)?Conclusions\s+and/or\s+recommendations\W*$", re.IGNORECASE)
_SECTION_WORDS_RE = re.compile(r"Conclusions\s+and/or\s+recommendations", re.IGNORECASE)

# Page furniture: the document symbol as running head (also mistyped, "A/HRC24/7", and with
# the page number on the same line), the GE job number, the page number, old "page 14" heads.
_SYMBOL = r"[A-Z]{1,2}/[A-Z]+/?[0-9][0-9A-Za-z./]*"
_FURNITURE_RE = re.compile(
    rf"^(?:\d{{1,3}}\s+)?{_SYMBOL}(?:\s+\d{{1,3}})?$|^GE\.\d{{2}}-\d{{4,6}}\b.*$|^\d{{1,3}}$|^page\s+\d{{1,3}}$",
    re.IGNORECASE,
)
_RUNNING_HEAD_RE = re.compile(r"^(?:\d{1,3}\s+)?(A/HRC/\d+/\d+(?:/Add\.\d+)?)(?:\s+\d{1,3})?$")
_SYMBOL_IN_TEXT_RE = re.compile(r"\bA\s*/\s*HRC/(\d+)/(\d+)(/Add\.\d+)?")

# A footnote mark is a one- or two-digit number stuck to the end of a word or a closing
# bracket or quote: "employment1 (Belarus)", "(Belgium)1;".
_MARK_RE = re.compile(r"(?<=[a-z)”’\"])(\d{1,2})(?=[\s;,.:)]|$)")
_LEFT_OF_HYPHEN_RE = re.compile(r"([A-Za-z]+)-$")
_RANGE_DASH_RE = re.compile(r"\d[-–]$")
_STAR_MARK_RE = re.compile(r"(?<=[\w.)])\*+")
_FOOTNOTE_BODY_RE = re.compile(r"^(\d{1,2})\s+\S")
_STAR_BODY_RE = re.compile(r"^\*+\s*\S")
_NUMBERED_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3})?\.\s|^\d{1,3}\.\d{1,3}\s")

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

# Words that never occur in a State's name but often in a bracket ending a recommendation's
# text: "(Istanbul Convention) (Turkey);".
_NOT_STATE_WORDS = frozenset(
    [
        "convention",
        "covenant",
        "protocol",
        "protocols",
        "statute",
        "act",
        "law",
        "laws",
        "code",
        "programme",
        "program",
        "plan",
        "strategy",
        "committee",
        "council",
        "rapporteur",
        "principles",
        "declaration",
        "agreement",
        "organization",
        "organisation",
        "office",
        "commission",
        "court",
        "ombudsman",
        "ombudsperson",
        "institution",
        "mechanism",
        "policy",
        "report",
        "review",
        "rights",
        "treaty",
        "charter",
        "amendment",
        "amendments",
        "resolution",
        "article",
        "paragraph",
        "para",
        "sic",
        "including",
        "inter",
        "alia",
        "e.g",
        "i.e",
    ]
)
_STATE_CONNECTORS = frozenset({"of", "and", "the", "da", "de", "del", "d’ivoire", "d'ivoire", "former"})

# Headings that can follow the title on a cover page when the State's name is missing.
_NOT_A_NAME = frozenset({"introduction", "contents", "addendum", "annex", "corrigendum", "summary"})

_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_TEENS = {
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_TENTHS = {
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
}


def looks_like_wg_report_title(head: str) -> bool:
    """Whether the start of a text carries the report's title (cheap: the first page only)."""
    return bool(_TITLE_RE.search(head[:5000]))


def looks_like_wg_report(text: str) -> bool:
    """True when the text is a UPR Working Group report: its title and its recommendations section."""
    # The title is on the first page: looking only there keeps this cheap on large CSV files.
    return bool(_TITLE_RE.search(text[:5000])) and bool(_SECTION_WORDS_RE.search(text))


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


# --- cleaning -------------------------------------------------------------------------------


def _pages(text: str) -> list[list[str]]:
    """Non-empty stripped lines, split into pages at form feeds and page furniture (which is dropped)."""
    pages: list[list[str]] = [[]]
    for chunk_no, chunk in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\f")):
        if chunk_no:
            pages.append([])
        for line in chunk.split("\n"):
            s = _WS.sub(" ", line).strip()
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


def _clean_lines(text: str) -> list[str]:
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


def _word_counts(lines: list[str]) -> Counter[str]:
    """How often each word (hyphenated words whole) occurs inside the lines, to judge line-end hyphens."""
    counts: Counter[str] = Counter()
    for line in lines:
        body = line.removesuffix("-")
        counts.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", body))
    return counts


def _join(lines: list[str], words: Counter[str]) -> str:
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


def _closing_bracket_start(text: str, end: int) -> int | None:
    """Index of the "(" matching the ")" at text[end], brackets nested; None when unbalanced."""
    depth = 0
    for i in range(end, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return None


def _split_top_level(inner: str) -> list[str]:
    """Split "Senegal, Venezuela (Bolivarian Republic of), Peru" at commas outside brackets."""
    parts, depth, current = [], 0, ""
    for ch in inner:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return parts


def _looks_like_state(name: str) -> bool:
    """Whether a bracket's content reads as a State's name rather than an acronym or a treaty."""
    core = re.sub(r"\s*\([^()]*\)$", "", name).strip()
    if not core or len(core) > 70 or re.search(r"\d", core) or not re.search(r"[a-z]", core):
        return False
    words = core.split()
    if len(words) > 9 or any(w.lower().strip(".,") in _NOT_STATE_WORDS for w in words):
        return False
    if len(words) == 1:
        return words[0][0].isalpha()  # also "netherlands", as one report misprints it
    first = words[0]
    if not (first[0].isupper() or first == "the"):
        return False
    return all(w[0].isupper() or w.lower() in _STATE_CONNECTORS or w[0] in "’'-" for w in words)


def _state_group(inner: str) -> list[str] | None:
    """The States in one bracket, or None when the bracket is not a list of States."""
    parts = _split_top_level(inner)
    return parts if all(_looks_like_state(p) for p in parts) else None


def _top_level_brackets(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost bracket pair, end at the ")"."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    return spans


def _inline_state_groups(body: str) -> list[list[str]]:
    """Brackets of States inside the text: "… (Egypt); continue …", "ratifying (Slovenia)/ratify (Korea) …".

    A bracket counts when it reads as States and is followed by ";" or "/" (a run "(Chile)
    (Spain);" counts whole), or follows such a "(State)/" as the second half of the alternative.
    """
    spans = _top_level_brackets(body)
    groups = [_state_group(body[a + 1 : b].strip()) for a, b in spans]
    counted = [False] * len(spans)
    for i in range(len(spans) - 1, -1, -1):
        if groups[i] is None:
            continue
        after = body[spans[i][1] + 1 :].lstrip()
        adjacent = i + 1 < len(spans) and not body[spans[i][1] + 1 : spans[i + 1][0]].strip()
        counted[i] = after[:1] in (";", "/") or (adjacent and counted[i + 1])
    for i in range(1, len(spans)):
        if groups[i] is None or counted[i] or not counted[i - 1]:
            continue
        between = body[spans[i - 1][1] + 1 : spans[i][0]]
        counted[i] = bool(re.fullmatch(r"\s*/[^;()]*|\s*", between))
    return [g for g, c in zip(groups, counted, strict=True) if c and g is not None]


def _split_states(text: str) -> tuple[str, list[str]]:
    """The recommendation's text without its trailing States bracket(s), and every State it names.

    States also count where a bracket of States inside the text is followed by ";" or "/"
    (several recommendations merged into one item); those brackets stay in the text.
    """
    body = text
    trailing: list[list[str]] = []
    while body.endswith(")"):
        start = _closing_bracket_start(body, len(body) - 1)
        if start is None:
            break
        group = _state_group(body[start + 1 : -1].strip())
        if group is None:
            break
        trailing.insert(0, group)
        body = body[:start].rstrip()
    inline = [s for group in _inline_state_groups(body) for s in group]
    states = inline + [s for group in trailing for s in group]
    return body, list(dict.fromkeys(states))


def _strip_end(text: str) -> str:
    """The item without its final ";", "; and" or "." (the list's punctuation, not the text's)."""
    return re.sub(r"\s*(?:;\s*(?:and|or)?|\.)\s*$", "", text).strip()


# --- what the document says about itself ----------------------------------------------------


def _ordinal(words: str) -> int | None:
    """20 for "twentieth", 24 for "twenty-fourth" or "twenty–fourth", 7 for "7th"."""
    w = words.lower().replace("–", "-").replace(" ", "-")
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)", w)
    if m:
        return int(m.group(1))
    if w in _UNITS:
        return _UNITS[w]
    if w in _TEENS:
        return _TEENS[w]
    if w in _TENTHS:
        return _TENTHS[w]
    tens, _, unit = w.partition("-")
    if tens in _TENS and unit in _UNITS:
        return _TENS[tens] + _UNITS[unit]
    return None


def _name_below_title(lines: list[str]) -> str | None:
    """The line under the title, where the cover page names the State under review."""
    for i in range(min(len(lines) - 1, 60)):
        if _TITLE_RE.search(" ".join(lines[max(0, i - 2) : i + 1])):
            below = lines[i + 1]
            plausible = len(below) <= 60 and not re.search(r"\d", below)
            return below if plausible and below.lower() not in _NOT_A_NAME else None
    return None


def _document_info(raw_text: str, lines: list[str], joined: str, file: str, problems: list[Problem]) -> DocumentInfo:
    """Symbol, title, State under review, session, cycle and review date, as the report states them."""
    info = DocumentInfo()
    heads = Counter(m.group(1) for line in raw_text.splitlines() if (m := _RUNNING_HEAD_RE.match(line.strip())))
    if heads:
        info.symbol = heads.most_common(1)[0][0]
    elif m := _SYMBOL_IN_TEXT_RE.search(joined):
        info.symbol = f"A/HRC/{m.group(1)}/{m.group(2)}{m.group(3) or ''}"

    review = re.search(
        r"\bThe review of (?P<sur>[^.;]{2,80}?) was held at the \w+ meeting,?(?: held)? on "
        r"(?P<date>\d{1,2} [A-Z][a-z]+ \d{4})",
        joined,
    )
    if review:
        info.sur = review.group("sur").strip()
        try:
            info.review_date = datetime.strptime(review.group("date"), "%d %B %Y").date()
        except ValueError:
            problems.append(
                Problem(
                    file,
                    "the date of the review, like 30 October 2014",
                    column="review date",
                    value=review.group("date"),
                    severity="warning",
                )
            )
    else:
        info.sur = _name_below_title(lines)
        if info.sur:
            problems.append(
                Problem(
                    file,
                    "the State under review named in «The review of <State> was held …»; "
                    "taken from the line under the title instead",
                    column="State under review",
                    value=info.sur,
                    severity="warning",
                )
            )
        problems.append(
            Problem(
                file,
                "the sentence «The review of <State> was held at the … meeting on <date>»",
                column="review date",
                severity="warning",
            )
        )

    title = _TITLE_RE.search(joined)
    if title:
        printed = _WS.sub(" ", title.group(0))
        info.title = f"{printed}: {info.sur}" if info.sur else printed

    session = re.search(r"\bheld its (\S+?) session\b", joined)
    if session and (number := _ordinal(session.group(1))) is not None:
        info.session = number
        info.cycle = cycle_of_session(number)
    else:
        problems.append(
            Problem(
                file,
                "the Working Group session, as in «held its twentieth session»",
                column="session",
                value=session.group(1) if session else None,
                severity="warning",
            )
        )
    return info


# --- the parser -----------------------------------------------------------------------------


def parse_wg_report(text: str, file: str) -> Batch:
    """Parse the text of a Working Group report into recommendations with refs, States and responses."""
    batch = Batch(file=file, format=FORMAT, theme_source="none")
    lines = _clean_lines(text)
    words = _word_counts(lines)
    intro_end = _section_start(lines)
    batch.document = _document_info(
        text,
        lines,
        _join(lines[: intro_end or len(lines)], words),
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
        lead_in = _join(para.lines, words)
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
            body, states = _split_states(_strip_end(_join(item.lines, words)))
            body = _strip_end(body)
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
