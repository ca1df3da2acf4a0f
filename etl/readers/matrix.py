"""The OHCHR UPR matrix ("Thematic list of recommendations"), a .docx table.

Two header generations exist. Cycles 2–3:
    Recommendation | Position | Full list of themes | Assessment/comments on level of implementation
Cycle 4:
    Recommendation and recommending State | Position of the State under review |
    Human rights themes and groups of persons | Relevant SDGs

The recommendation cell carries the paragraph number (also "115.3."), the text, the recommending
State(s) in brackets ("(Mexico)", "(Portugal, Slovakia)", "(Egypt); continue … (Peru);" for an
item that joins several), and "Source of position: A/HRC/28/15/Add.1 - Para. 3", kept as the
response's citation. The themes cell holds the themes, then an "Affected persons:" block (cycle 2),
also an "SDGs:" block (cycle 3), or a "Groups of persons:" block beside an SDG column (cycle 4):
SDGs and groups are never themes. Rows come in theme order under theme headings ("Theme: A12
Acceptance of international norms", one merged cell); a paragraph given on several rows is one
recommendation. The State under review, the cycle and the session are only in the document title
("UPR of Kazakhstan (3rd Cycle – 34th session)"), often in the page header.

The text conventions it shares with UHRI (paragraph numbers, bracketed States, SDGs, the themes
cell, the citation) are in etl.readers.ohchr.
"""

from __future__ import annotations

import re
from pathlib import Path

from etl.messages import problem
from etl.model import Batch, DocumentInfo, RawRecommendation, text_key
from etl.readers.base import Probe, Reader
from etl.readers.ohchr import (
    normalise_position,
    parse_cycle,
    parse_session,
    sdg_codes,
    split_recommending,
    split_ref,
    split_source_of_position,
    split_themes,
    unique_ci,
)
from upr.vocab import cycle_of_session, parse_response

TITLE_EXAMPLE = "UPR of Kazakhstan (3rd Cycle – 34th session)"


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
        batch.problems.append(problem(file, "docx_unreadable", value=type(exc).__name__))
        return batch

    matrix_tables = []
    title_lines: list[str] = []
    for section in document.sections:
        # A page header sets the title, the list's name and the page apart with tabs.
        title_lines += [t.strip() for p in section.header.paragraphs for t in p.text.split("\t") if t.strip()]
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
        batch.problems.append(problem(file, "matrix_no_sur", value=info.title, example=TITLE_EXAMPLE))
    elif info.cycle is None:
        batch.problems.append(problem(file, "matrix_no_cycle", value=info.title, example=TITLE_EXAMPLE))
    elif info.session is not None and cycle_of_session(info.session) not in (
        None,
        info.cycle,
    ):
        batch.problems.append(
            problem(
                file,
                "session_other_cycle",
                value=info.title,
                severity="warning",
                cycle=info.cycle,
                session=info.session,
                session_cycle=cycle_of_session(info.session),
            )
        )

    if not matrix_tables:
        batch.problems.append(problem(file, "matrix_no_table", n=t_index))
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

    _join_repeated_paragraphs(batch)
    if assessment_rows:
        batch.problems.append(
            problem(
                file,
                "matrix_assessments_skipped",
                column=assessment_header,
                value=", ".join(assessment_rows[:10]) + (" …" if len(assessment_rows) > 10 else ""),
                severity="warning",
                n=len(assessment_rows),
            )
        )
    return batch


_ANSWERED = ("supported", "supported_in_part", "noted")


def _join_repeated_paragraphs(batch: Batch) -> None:
    """One recommendation per paragraph number, as the report counts them.

    A matrix may give one report item on several rows: the parts of an item that joins several
    States' recommendations, or the same recommendation under a second theme. The same text adds
    its themes, groups, SDGs and States; another text is joined on as the report joins the parts
    ("A (Egypt); B (Peru)"). Parts answered differently make the item supported in part.
    """
    first: dict[str, RawRecommendation] = {}
    kept: list[RawRecommendation] = []
    for rec in batch.recommendations:
        into = first.get(rec.ref) if rec.ref else None
        if into is None:
            if rec.ref:
                first[rec.ref] = rec
            kept.append(rec)
            continue
        if text_key(rec.text) not in text_key(into.text):
            trailing = [s for s in into.recommending if f"({s})" not in into.text]
            into.text = into.text + "".join(f" ({s})" for s in trailing) + f"; {rec.text}"
        if rec.response != into.response and rec.response in _ANSWERED:
            if into.response in _ANSWERED:
                batch.problems.append(
                    problem(
                        batch.file,
                        "matrix_parts_differ",
                        sheet=rec.sheet,
                        row=rec.row,
                        value=rec.response_raw,
                        severity="warning",
                        ref=rec.ref,
                        first=into.response_raw,
                        first_row=into.row,
                    )
                )
                raw = unique_ci(f"{into.response_raw}/{rec.response_raw}".split("/"))
                into.response, into.response_raw = "supported_in_part", "/".join(raw)
            else:
                into.response, into.response_raw = rec.response, rec.response_raw
                into.response_cite = rec.response_cite or into.response_cite
        into.recommending = unique_ci(into.recommending + rec.recommending)
        into.themes = unique_ci(into.themes + rec.themes)
        into.groups = unique_ci(into.groups + rec.groups)
        into.sdgs = unique_ci(into.sdgs + rec.sdgs)
        into.response_cite = into.response_cite or rec.response_cite
    batch.recommendations = kept


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

    def bad(kind: str, code: str, value: str | None, severity: str = "error") -> None:
        batch.problems.append(
            problem(batch.file, code, sheet=sheet, row=row, column=names.get(kind), value=value, severity=severity)
        )

    # "Source of position: A/HRC/28/15/Add.1 - Para. 3" closes the cell (or the position's cell).
    cell, cite = split_source_of_position(re.sub(r"\s+", " ", " ".join(lines("rec"))).strip())
    position, position_cite = split_source_of_position(" ".join(lines("position")))
    ref, rest = split_ref(cell)
    text, states = split_recommending(rest)
    if not text:
        bad("rec", "missing_text", cell or None)
        return None
    if ref is None:
        bad("rec", "matrix_no_ref", cell[:60], "warning")
    if not states:
        bad("rec", "matrix_no_states", cell[-60:], "warning")

    response_raw = normalise_position(position) or None
    response = parse_response(response_raw) if response_raw else "pending"
    if response is None or response_raw is None:
        bad("position", "bad_position", response_raw, "warning")

    # SDGs and affected persons have blocks of their own in the themes cell (cycles 2-3) or a
    # column of their own (cycle 4): neither is ever a theme.
    themes, groups, sdg_labels = split_themes(lines("themes"))
    if not themes and heading_theme:
        themes = [heading_theme]
    sdgs, unreadable = sdg_codes(sdg_labels)
    column_sdgs, column_unreadable = sdg_codes(split_themes(["SDGs:", *lines("sdgs")])[2])
    for kind, labels in (("themes", unreadable), ("sdgs", column_unreadable)):
        for label in labels:
            bad(kind, "bad_sdg", label, "warning")

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
        sdgs=unique_ci(sdgs + column_sdgs),
        response_cite=cite or position_cite,
        row=row,
        sheet=sheet,
    )


def _accepts(probe: Probe) -> bool:
    return any(looks_like_matrix(row) for row in probe.docx_header_rows())


READER = Reader(
    "matrix", frozenset({"docx"}), _accepts, lambda probe: read_matrix_docx(probe.path), "an OHCHR UPR matrix (.docx)"
)
