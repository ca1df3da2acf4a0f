"""The OHCHR UPR matrix ("Thematic list of recommendations"), a .docx table.

Two header generations exist. Cycles 2–3:
    Recommendation | Position | Full list of themes | Assessment/comments on level of implementation
Cycle 4:
    Recommendation and recommending State | Position of the State under review |
    Human rights themes and groups of persons | Relevant SDGs

The recommendation cell carries the paragraph number, the text and the recommending State(s) in
brackets ("124.17 Ratify … (Mexico);"). Theme headings ("Theme: A12 Acceptance of international
norms") sit between the rows as one merged cell. The State under review, the cycle and the
session are only in the document title ("UPR of Kazakhstan (3rd Cycle – 34th session)").

The text conventions it shares with UHRI (paragraph numbers, bracketed States, SDGs) are in
etl.readers.ohchr.
"""

from __future__ import annotations

import re
from pathlib import Path

from etl.model import Batch, DocumentInfo, Problem, RawRecommendation
from etl.readers.base import Probe, Reader
from etl.readers.ohchr import (
    BULLET_RE,
    normalise_position,
    parse_cycle,
    parse_sdg,
    parse_session,
    split_recommending,
    split_ref,
    unique_ci,
)
from upr.vocab import cycle_of_session, parse_response

_GROUP_LABEL_RE = re.compile(
    r"^(?:affected persons|persons affected|groups of persons|affected groups)\s*(?::\s*(.*))?$",
    re.IGNORECASE,
)
_THEME_LABEL_RE = re.compile(r"^(?:human rights )?themes?\s*:\s*(.*)$", re.IGNORECASE)
_SOURCE_RE = re.compile(r"^source of position\b", re.IGNORECASE)

TITLE_EXAMPLE = "UPR of Kazakhstan (3rd Cycle – 34th session)"
POSITIONS_EXPECTED = "Supported, Noted or Supported/Noted"


def _norm_header(h: str) -> str:
    return re.sub(r"\s+", " ", str(h)).strip().casefold()


_MATRIX_ONLY_HEADERS = (
    "full list of themes",
    "assessment/comments on level of implementation",
    "recommendation and recommending state",
    "position of the state under review",
    "human rights themes and groups of persons",
    "relevant sdgs",
)


def looks_like_matrix(headers: list[str]) -> bool:
    """Either header generation of the OHCHR matrix: a recommendation, a position and a matrix-only column."""
    norm = [_norm_header(h) for h in headers]
    return (
        any(h.startswith("recommendation") for h in norm)
        and any("position" in h for h in norm)
        and any(h in _MATRIX_ONLY_HEADERS for h in norm)
    )


def _columns(headers: list[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, h in enumerate(_norm_header(h) for h in headers):
        if h.startswith("recommendation"):
            kind = "rec"
        elif "position" in h:
            kind = "position"
        elif "theme" in h:
            kind = "themes"
        elif "sdg" in h:
            kind = "sdgs"
        elif "assessment" in h or "comment" in h or "implementation" in h:
            kind = "assessment"
        else:
            continue
        cols.setdefault(kind, i)
    return cols


def _row_cells(row) -> list:  # docx.table._Row -> list[docx.table._Cell]
    """The row's cells, one per distinct cell: a cell merged across columns counts once."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _cell_lines(cell) -> list[str]:
    # python-docx joins paragraphs with "\n" and renders <w:br/> as "\n" too.
    return [ln.strip() for ln in cell.text.replace("\r", "\n").split("\n") if ln.strip()]


def parse_title(lines: list[str]) -> DocumentInfo:
    """The State under review, cycle and session from a matrix's title lines ("UPR of Kazakhstan (3rd Cycle – 34th session)")."""
    info = DocumentInfo()
    for line in lines:
        m = re.search(r"\b(?:UPR|Universal Periodic Review)\s+of\s+(.+)", line, re.IGNORECASE)
        if not m:
            continue
        rest = m.group(1).strip()
        bracket = re.search(r"\(([^()]*(?:cycle|session)[^()]*)\)\s*$", rest, re.IGNORECASE)
        if bracket:
            sur, detail = rest[: bracket.start()], bracket.group(1)
        else:
            sur = re.split(r"\s+[–—-]\s+|,|:|\(\s*\d", rest)[0]
            detail = rest[len(sur) :]
        info.sur = sur.strip(" –—-,:") or None
        info.title = line
        info.cycle = parse_cycle(detail)
        info.session = parse_session(detail)
        break
    # The cycle or session may stand on a line of its own ("Third cycle", "34th session").
    for line in lines:
        if info.cycle is None:
            info.cycle = parse_cycle(line)
        if info.session is None:
            info.session = parse_session(line)
    if info.title is None:
        info.title = next((ln for ln in lines if "thematic list" in ln.casefold()), None)
    if info.cycle is None and info.session is not None:
        info.cycle = cycle_of_session(info.session)
    return info


def _split_themes_cell(lines: list[str]) -> tuple[list[str], list[str]]:
    """Themes and affected groups from one cell; lines after an "Affected persons:" label are groups."""
    themes: list[str] = []
    groups: list[str] = []
    target = themes
    for raw in lines:
        line = BULLET_RE.sub("", raw).strip()
        if not line:
            continue
        if m := _GROUP_LABEL_RE.match(line):
            target = groups
            rest = m.group(1) or ""
        elif m := _THEME_LABEL_RE.match(line):
            target = themes
            rest = m.group(1)
        else:
            target.append(line)
            continue
        target.extend(n.strip() for n in rest.split(";") if n.strip())
    return unique_ci(themes), unique_ci(groups)


def _heading_theme(text: str) -> str:
    return re.sub(r"^themes?\s*:\s*", "", text.strip(), flags=re.IGNORECASE).strip()


def read_matrix_docx(path: Path) -> Batch:
    """Read an OHCHR UPR matrix (.docx) into recommendations, with the review it belongs to."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable

    file = path.name
    batch = Batch(file=file, format="matrix", theme_source="matrix")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        batch.problems.append(Problem(file, "a readable Word (.docx) document", value=type(exc).__name__))
        return batch

    matrix_tables = []
    title_lines: list[str] = []
    for section in document.sections:
        title_lines += [p.text.strip() for p in section.header.paragraphs if p.text.strip()]
    # Only what stands before the first matrix table is the title: later paragraphs (notes,
    # footers) may mention other sessions.
    t_index = 0
    for block in document.iter_inner_content():
        if not isinstance(block, DocxTable):
            if not matrix_tables and block.text.strip():
                title_lines.append(block.text.strip())
            continue
        t_index += 1
        header_idx = next(
            (i for i, row in enumerate(block.rows[:3]) if looks_like_matrix([c.text for c in row.cells])),
            None,
        )
        if header_idx is not None:
            matrix_tables.append((t_index, block, header_idx))
        elif not matrix_tables:
            # Some matrices put the title in a layout table of its own.
            title_lines += [ln for row in block.rows for c in _row_cells(row) for ln in _cell_lines(c)]

    info = parse_title(title_lines)
    batch.document = info
    if not info.sur:
        batch.problems.append(
            Problem(
                file,
                f"the State under review in the document title, e.g. «{TITLE_EXAMPLE}»; "
                "without it the matrix cannot be placed in a review",
                value=info.title,
            )
        )
    elif info.cycle is None:
        batch.problems.append(
            Problem(
                file,
                f"the cycle or session in the document title, e.g. «{TITLE_EXAMPLE}»; "
                "without it the matrix cannot be placed in a review",
                value=info.title,
            )
        )
    elif info.session is not None and cycle_of_session(info.session) not in (
        None,
        info.cycle,
    ):
        batch.problems.append(
            Problem(
                file,
                f"a session of cycle {info.cycle} (session {info.session} belongs to cycle "
                f"{cycle_of_session(info.session)})",
                value=info.title,
                severity="warning",
            )
        )

    if not matrix_tables:
        batch.problems.append(
            Problem(
                file,
                "a table with the matrix headers «Recommendation | Position | Full list of themes | "
                "Assessment/comments on level of implementation» or «Recommendation and "
                "recommending State | Position of the State under review | Human rights themes "
                "and groups of persons | Relevant SDGs»",
                value=f"{t_index} table(s), none with these headers",
            )
        )
        return batch

    assessment_rows: list[str] = []
    assessment_header = None
    # A heading carries over into the next table: long matrices are split across tables.
    heading_theme: str | None = None
    for t_index, table, header_idx in matrix_tables:
        sheet = f"table {t_index}"
        header_cells = [c.text.strip() for c in _row_cells(table.rows[header_idx])]
        cols = _columns(header_cells)
        names = {kind: header_cells[i] for kind, i in cols.items()}
        if "assessment" in names:
            assessment_header = names["assessment"]
        for r_index, row in enumerate(table.rows[header_idx + 1 :], start=header_idx + 2):
            cells = _row_cells(row)
            texts = [c.text.strip() for c in cells]
            if not any(texts):
                continue
            # A theme heading: one merged cell, or text in the first cell only that is neither
            # numbered nor followed by a recommending State.
            if len(cells) == 1 or (
                not any(texts[1:]) and split_ref(texts[0])[0] is None and not split_recommending(texts[0])[1]
            ):
                heading_theme = _heading_theme(texts[0]) or None
                continue
            if looks_like_matrix(texts):  # the header repeated inside the table
                continue
            batch.rows_read += 1
            rec = _read_row(batch, cells, cols, names, sheet, r_index, info, heading_theme)
            if rec is not None:
                batch.recommendations.append(rec)
            col = cols.get("assessment")
            if col is not None and col < len(cells) and cells[col].text.strip():
                assessment_rows.append(f"{sheet} row {r_index}")

    if assessment_rows:
        batch.problems.append(
            Problem(
                file,
                "no assessments in a matrix: they are imported with the assessment template, "
                "so these comments were not imported",
                column=assessment_header,
                value=f"{len(assessment_rows)} filled cell(s): {', '.join(assessment_rows[:10])}"
                + (" …" if len(assessment_rows) > 10 else ""),
                severity="warning",
            )
        )
    return batch


def _read_row(
    batch: Batch,
    cells: list,
    cols: dict[str, int],
    names: dict[str, str],
    sheet: str,
    row: int,
    info: DocumentInfo,
    heading_theme: str | None,
) -> RawRecommendation | None:
    def lines(kind: str) -> list[str]:
        i = cols.get(kind)
        return _cell_lines(cells[i]) if i is not None and i < len(cells) else []

    def problem(kind: str, expected: str, value: str | None, severity: str = "error") -> None:
        batch.problems.append(
            Problem(
                batch.file,
                expected,
                sheet=sheet,
                row=row,
                column=names.get(kind),
                value=value,
                severity=severity,
            )
        )

    rec_lines = [ln for ln in lines("rec") if not _SOURCE_RE.match(ln)]
    cell = re.sub(r"\s+", " ", " ".join(rec_lines)).strip()
    ref, rest = split_ref(cell)
    text, states = split_recommending(rest)
    if not text:
        problem("rec", "the text of the recommendation", cell or None)
        return None
    if ref is None:
        problem(
            "rec",
            "a paragraph number at the start, e.g. «124.17»",
            cell[:60],
            "warning",
        )
    if not states:
        problem(
            "rec",
            "the recommending State(s) in brackets, e.g. «(Mexico)»",
            cell[-60:],
            "warning",
        )

    position_lines = [ln for ln in lines("position") if not _SOURCE_RE.match(ln)]
    response_raw = normalise_position(position_lines[0]) if position_lines else None
    response = parse_response(response_raw) if response_raw else "pending"
    if response is None or response_raw is None:
        problem("position", POSITIONS_EXPECTED, response_raw, "warning")

    themes, groups = _split_themes_cell(lines("themes"))
    if not themes and heading_theme:
        themes = [heading_theme]
    sdgs: list[str] = []
    for line in lines("sdgs"):
        sdg = parse_sdg(line)
        if sdg is None:
            problem("sdgs", "an SDG goal or target, e.g. «SDG 5» or «5.3»", line, "warning")
        elif sdg not in sdgs:
            sdgs.append(sdg)

    return RawRecommendation(
        sur=info.sur or "",
        text=text,
        cycle=info.cycle,
        session=info.session,
        ref=ref,
        response=response,
        response_raw=response_raw,
        recommending=states,
        themes=themes,
        groups=groups,
        sdgs=sdgs,
        row=row,
        sheet=sheet,
    )


def _accepts(probe: Probe) -> bool:
    return any(looks_like_matrix(row) for row in probe.docx_header_rows())


READER = Reader(
    "matrix", frozenset({"docx"}), _accepts, lambda probe: read_matrix_docx(probe.path), "an OHCHR UPR matrix (.docx)"
)
