"""The State's answers from an addendum, kept by number and applied to the recommendations they answer.

An addendum answers recommendations by number (`140.35`). Its import stores every answer in
`addendum_answer` (State under review, cycle, number, with the import that brought it) and applies
those whose recommendation is already in the database; the others wait, and the import that later
brings their recommendations (the report, usually) applies them. Applying an answer makes it the
response in force (the addendum outranks every other source), cited as the addendum's paragraph
("A/HRC/59/15/Add.1, para. 3"); adds the addendum to the recommendation's sources; and records one
conflict for each other source that answered differently. The rows an application writes carry the
import that applied it, so the database comes out the same whichever file came first, and reverting
either import undoes exactly what it did (see :func:`revert_answers`).

The words that state a position are here too: the addendum's reader asks :func:`list_position`
what a list's lead-in says and :func:`prose_position` what a reply in prose says plainly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import duckdb

from etl.messages import problem
from etl.model import Batch
from etl.report import ImportReport
from etl.reviews import bulk_insert
from upr.states import StateIndex

FORMAT = "addendum"
_ANSWERED = ("supported", "supported_in_part", "noted")
_WS = re.compile(r"\s+")

# --- the words that state a position -----------------------------------------------------------

_VERB = r"(?:accepted|accepts?|supported|supports?)\b"
_LIST_STANCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "supported_in_part",
        re.compile(
            rf"\b{_VERB}\s+in\s+part\b|\bpartially\s+{_VERB}|\b(?:supported|accepted)\s+partially\b|\bpartly\b",
            re.IGNORECASE,
        ),
    ),
    (
        "noted",
        re.compile(
            r"\b(?:does|do|did|can|could|will)\s*(?:not|n't)\s+(?:support|accept)\b|\bnot\s+(?:supported|accepted)\b"
            r"|\breject(?:s|ed)?\b|\b(?:takes?|took|taken)\s+note\b|\bnot(?:es|ed)\b|\bnot\s+enjoy\b",
            re.IGNORECASE,
        ),
    ),
    (
        "supported",
        re.compile(
            rf"\b{_VERB}\b|\benjoys?\s+the\s+support\b|\balready\s+(?:been\s+)?implemented\b"
            r"|\bin\s+(?:the\s+)?process\s+of\s+(?:being\s+)?implement\w*",
            re.IGNORECASE,
        ),
    ),
)

# A reply in prose states a position only in so many words about the recommendation itself.
_REC = r"(?:\w+\s+){0,2}?recommendations?\b"
_PROSE_PART_RE = re.compile(
    rf"\b{_VERB}\s+in\s+part\b|\bpartially\s+{_VERB}|^\s*(?:Partially|Supported in part)\b", re.I
)
_PROSE_NO_RE = re.compile(
    rf"\b(?:can ?not|could not|does not|do not|did not|will not|is not able to|is unable to)\s+"
    rf"(?:\w+\s+)?(?:accept|support)\s+{_REC}|\breject(?:s|ed)?\s+{_REC}|^\s*(?:Noted|Rejected|Not (?:accepted|supported))\b",
    re.IGNORECASE,
)
_PROSE_YES_RE = re.compile(
    rf"\b{_VERB}\s+{_REC}|\brecommendations?\s+(?:is|are|was|were|has been|have been)\s+(?:accepted|supported)\b"
    r"|^\s*(?:Accepted|Supported)\b",
    re.IGNORECASE,
)
_PROSE_OPEN_RE = re.compile(
    r"\bdefinitive\s+statement\b|\bcannot\s+(?:yet\s+)?(?:make|take|give)\s+(?:a\s+|any\s+)?(?:definitive\s+|final\s+)?"
    r"(?:statement|position|decision)\b|\bnot\s+(?:yet\s+)?in\s+a\s+position\s+to\b|\bwill\s+be\s+examined\b"
    r"|\b(?:is|are|remains?)\s+(?:still\s+)?under\s+consideration\b",
    re.IGNORECASE,
)


def list_position(region: str) -> tuple[str | None, str | None]:
    """The position the words before a list of ids state ("The Government accepts the following
    recommendations:"), and those words: the wording nearest the list wins."""
    masked, found = region, []
    for code, pattern in _LIST_STANCES:
        for m in pattern.finditer(masked):
            found.append((m.start(), code, m.group(0)))
        masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
    if not found:
        return None, None
    _, code, words = max(found)
    return code, _WS.sub(" ", words)


def prose_position(reply: str) -> tuple[str | None, str | None]:
    """The position a reply in prose states plainly, and its words; (None, None) when it states none.

    "accepts the recommendation" → supported; "cannot accept the recommendation" → noted; both in
    one reply (one part accepted, one not) → supported_in_part; an open answer ("cannot make a
    definitive statement") or no such words at all → None, never a guess.
    """
    part = _PROSE_PART_RE.search(reply)
    if part:
        return "supported_in_part", part.group(0)
    no = [m.group(0) for m in _PROSE_NO_RE.finditer(reply)]
    yes = [m.group(0) for m in _PROSE_YES_RE.finditer(_PROSE_NO_RE.sub(" ", reply))]
    if _PROSE_OPEN_RE.search(reply) or not (yes or no):
        return None, None
    raw = "; ".join(dict.fromkeys(_WS.sub(" ", w.strip()) for w in yes + no))
    return ("supported_in_part" if yes and no else "supported" if yes else "noted"), raw


# --- storing and applying ----------------------------------------------------------------------


@dataclass
class _Waiting:
    id: int
    import_id: int
    document_id: int | None
    ref: str
    response: str | None
    response_raw: str | None
    cite: str | None
    line: int | None
    review_id: int
    file: str


@dataclass
class _Rec:
    id: str
    ref: str
    response: str | None
    source: str | None
    cite: str | None
    import_id: int


def apply_answers(con: duckdb.DuckDBPyConnection, batch: Batch, report: ImportReport, import_id: int) -> None:
    """The loader's hook, run by every import: store an addendum's answers, and apply every stored
    answer whose recommendation is now in the database."""
    own = batch.format == FORMAT
    if own and batch.responses:
        if not _store(con, batch, report, import_id):
            return
    elif not con.execute("SELECT count(*) FROM addendum_answer WHERE rec_id IS NULL").fetchall()[0][0]:
        return
    _apply_waiting(con, batch, report, import_id, own)


def _store(con: duckdb.DuckDBPyConnection, batch: Batch, report: ImportReport, import_id: int) -> bool:
    """Keep the addendum's answers (those a live import does not hold already); False on an error."""
    first = batch.responses[0]
    iso3 = StateIndex.default().resolve(first.sur)
    if iso3 is None or first.cycle is None:
        report.problems.append(
            problem(batch.file, "addendum_unknown_review", column_key="sur", value=first.sur, cycle=first.cycle or "—")
        )
        return False
    held = set(
        con.execute(
            "SELECT ref, response, response_raw, cite, comment FROM addendum_answer WHERE sur_iso3 = ? AND cycle = ?",
            [iso3, first.cycle],
        ).fetchall()
    )
    new = [r for r in batch.responses if (r.ref, r.response, r.response_raw, r.cite, r.comment) not in held]
    report.unchanged += len(batch.responses) - len(new)
    if not new:
        return True
    document_id = con.execute("SELECT nextval('document_id_seq')").fetchall()[0][0]
    doc = batch.document
    con.execute(
        "INSERT INTO document VALUES (?, ?, ?, ?, ?)",
        [document_id, doc.symbol if doc else None, doc.title if doc else None, FORMAT, import_id],
    )
    ids = [r[0] for r in con.execute("SELECT nextval('addendum_answer_id_seq') FROM range(?)", [len(new)]).fetchall()]
    columns = ["id", "import_id", "document_id", "sur_iso3", "cycle", "ref", "response", "response_raw", "cite"]
    rows = [
        (i, import_id, document_id, iso3, r.cycle, r.ref, r.response, r.response_raw, r.cite, r.comment, r.line)
        for i, r in zip(ids, new)
    ]
    bulk_insert(con, "addendum_answer", [*columns, "comment", "line"], rows)
    return True


def _state(rec: _Rec) -> str:
    return json.dumps([rec.response, rec.source, rec.cite])


def _apply_waiting(con, batch: Batch, report: ImportReport, import_id: int, own: bool) -> None:
    waiting = [
        _Waiting(*row)
        for row in con.execute(
            """
            SELECT a.id, a.import_id, a.document_id, a.ref, a.response, a.response_raw, a.cite, a.line, v.id,
                   coalesce(i.file_name, ?)
            FROM addendum_answer a JOIN review v ON v.sur_iso3 = a.sur_iso3 AND v.cycle = a.cycle
            LEFT JOIN import i ON i.id = a.import_id
            WHERE a.rec_id IS NULL ORDER BY a.id
            """,
            [batch.file],
        ).fetchall()
    ]
    reviews = sorted({w.review_id for w in waiting})
    recs: dict[int, dict[str, _Rec]] = {r: {} for r in reviews}
    for review_id, *fields in con.execute(
        "SELECT review_id, id, ref, response, response_source, response_cite, import_id FROM recommendation "
        "WHERE list_contains(?, review_id) AND merged_into IS NULL AND ref IS NOT NULL ORDER BY id",
        [reviews],
    ).fetchall():
        recs[review_id].setdefault(fields[1], _Rec(*fields))
    tells = set(reviews) if own else _first_numbered(con, reviews, import_id)
    for w in waiting:
        by_ref = recs[w.review_id]
        paragraphs = sorted({ref.split(".")[0] for ref in by_ref})
        bare = "." not in w.ref
        rec = by_ref.get(f"{paragraphs[0]}.{w.ref}" if bare and len(paragraphs) == 1 else w.ref)
        if rec is not None:
            changed = _apply(con, w, rec, import_id, report)
            if own and w.import_id == import_id:
                report.updated += changed
                report.unchanged += not changed
        elif by_ref and w.review_id in tells and (w.import_id == import_id or not own):
            report.problems.append(
                problem(
                    w.file,
                    "addendum_bare_number" if bare else "addendum_no_such_rec",
                    row=w.line,
                    column_key="recommendation",
                    value=w.ref,
                    severity="warning",
                    ref=w.ref,
                    paragraphs=", ".join(paragraphs),
                )
            )
    if own:
        _say_what_waits(con, batch, report, import_id)


def _first_numbered(con, reviews: list[int], import_id: int) -> set[int]:
    """The reviews whose numbered recommendations this import is the first to bring: it reports the
    answers that match none of them."""
    return {
        r[0]
        for r in con.execute(
            """
            SELECT r.review_id FROM rec_source s JOIN recommendation r ON r.id = s.rec_id
            WHERE s.ref IS NOT NULL AND s.format <> ? AND list_contains(?, r.review_id)
            GROUP BY 1 HAVING bool_or(s.import_id = ?) AND NOT bool_or(s.import_id <> ?)
            """,
            [FORMAT, reviews, import_id, import_id],
        ).fetchall()
    }


def _say_what_waits(con, batch: Batch, report: ImportReport, import_id: int) -> None:
    """One warning for the answers that wait for a review whose numbered recommendations are not here yet."""
    n, iso3, cycle = con.execute(
        """
        SELECT count(*), any_value(a.sur_iso3), any_value(a.cycle) FROM addendum_answer a
        WHERE a.import_id = ? AND a.rec_id IS NULL AND NOT EXISTS (
            SELECT 1 FROM recommendation r JOIN review v ON v.id = r.review_id
            WHERE v.sur_iso3 = a.sur_iso3 AND v.cycle = a.cycle AND r.ref IS NOT NULL AND r.merged_into IS NULL)
        """,
        [import_id],
    ).fetchall()[0]
    if n:
        symbol = batch.document.symbol if batch.document else None
        report.problems.append(
            problem(
                batch.file,
                "addendum_waits",
                column_key="recommendation",
                severity="warning",
                n=n,
                sur=iso3,
                cycle=cycle,
                report=(symbol or "").removesuffix("/Add.1") or "—",
            )
        )


def _apply(con, w: _Waiting, rec: _Rec, by_import: int, report: ImportReport) -> bool:
    """Apply one answer to its recommendation on behalf of import `by_import`; True if anything changed."""
    prior, changed = _state(rec), False
    if w.response is not None:
        for fmt, other in con.execute(
            "SELECT DISTINCT format, response FROM rec_source WHERE rec_id = ? AND format <> ? "
            "AND list_contains(?, response) ORDER BY ALL",
            [rec.id, FORMAT, list(_ANSWERED)],
        ).fetchall():
            if (
                other == w.response
                or con.execute(
                    "SELECT count(*) FROM conflict WHERE rec_id = ? AND field = 'response' AND kept_value = ? "
                    "AND kept_source = ? AND other_value = ? AND other_source = ?",
                    [rec.id, w.response, FORMAT, other, fmt],
                ).fetchall()[0][0]
            ):
                continue
            con.execute(
                "INSERT INTO conflict VALUES (nextval('conflict_id_seq'), ?, 'response', ?, ?, ?, ?, ?)",
                [rec.id, w.response, FORMAT, other, fmt, by_import],
            )
            report.conflicts += 1
            changed = True
        if (w.response, FORMAT, w.cite) != (rec.response, rec.source, rec.cite):
            if rec.import_id != by_import:  # a recommendation this import made has nothing to restore
                con.execute("INSERT INTO rec_change VALUES (?, ?, 'response', ?)", [by_import, rec.id, prior])
            con.execute(
                "UPDATE recommendation SET response = ?, response_source = ?, response_cite = ? WHERE id = ?",
                [w.response, FORMAT, w.cite, rec.id],
            )
            rec.response, rec.source, rec.cite = w.response, FORMAT, w.cite
            changed = True
    if not con.execute(
        "SELECT count(*) FROM rec_source WHERE rec_id = ? AND format = ? AND document_id IS NOT DISTINCT FROM ?",
        [rec.id, FORMAT, w.document_id],
    ).fetchall()[0][0]:
        con.execute(
            "INSERT INTO rec_source (rec_id, import_id, document_id, format, row_number, ref, response, response_raw, "
            "response_cite) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [rec.id, by_import, w.document_id, FORMAT, w.line, rec.ref, w.response, w.response_raw, w.cite],
        )
        changed = True
    con.execute(
        "UPDATE addendum_answer SET rec_id = ?, applied_by = ?, prior = ? WHERE id = ?",
        [rec.id, by_import, prior, w.id],
    )
    return changed


# --- revert -----------------------------------------------------------------------------------


def answers_blocking_import(con: duckdb.DuckDBPyConnection, import_id: int) -> tuple[int, str] | None:
    """A later live import whose own result depended on this addendum's answers being in force: it
    gave an answer, recorded a disagreement or changed the response of a recommendation after one
    of them applied. Revert that one first."""
    rows = con.execute(
        """
        WITH mine AS (SELECT rec_id, applied_by FROM addendum_answer WHERE import_id = $id AND rec_id IS NOT NULL)
        SELECT i.id, i.file_name FROM import i WHERE i.reverted_at IS NULL AND i.id IN (
            SELECT s.import_id FROM rec_source s JOIN mine m USING (rec_id)
            WHERE s.import_id > m.applied_by AND list_contains($answered, s.response)
            UNION SELECT c.import_id FROM conflict c JOIN mine m USING (rec_id) WHERE c.import_id > m.applied_by
            UNION SELECT x.import_id FROM rec_change x JOIN mine m USING (rec_id)
            WHERE x.import_id > m.applied_by AND x.field = 'response')
        ORDER BY i.id LIMIT 1
        """,
        {"id": import_id, "answered": list(_ANSWERED)},
    ).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def revert_answers(con: duckdb.DuckDBPyConnection, import_id: int, deleted: dict[str, int]) -> None:
    """The addendum's part of reverting import `import_id` (after the rows it wrote are gone).

    Reverting an addendum drops its answers and, where a later import applied one (the report came
    after), undoes that application: the response before it, and the source row, conflicts and
    change the application wrote. Reverting the import that applied answers of an earlier addendum
    (its rows are gone with it) leaves those answers waiting again.
    """

    def count(table: str, n: int) -> None:
        if n:
            deleted[table] = deleted.get(table, 0) + n

    for rec_id, applied_by, prior, document_id in con.execute(
        "SELECT rec_id, applied_by, prior, document_id FROM addendum_answer "
        "WHERE import_id = ? AND rec_id IS NOT NULL AND applied_by <> import_id",
        [import_id],
    ).fetchall():
        response, source, cite = json.loads(prior)
        con.execute(
            "UPDATE recommendation SET response = ?, response_source = ?, response_cite = ? "
            "WHERE id = ? AND response_source = ?",
            [response, source, cite, rec_id, FORMAT],
        )
        for table, where, params in (
            ("rec_source", "format = ? AND document_id IS NOT DISTINCT FROM ?", [FORMAT, document_id]),
            ("conflict", "kept_source = ?", [FORMAT]),
            ("rec_change", "field = 'response' AND old_value = ?", [prior]),
        ):
            n = con.execute(
                f"DELETE FROM {table} WHERE rec_id = ? AND import_id = ? AND {where}",  # noqa: S608 - names are ours
                [rec_id, applied_by, *params],
            ).fetchall()[0][0]
            count(table, n)
    count(
        "addendum_answer",
        con.execute("DELETE FROM addendum_answer WHERE import_id = ?", [import_id]).fetchall()[0][0],
    )
    con.execute(
        "UPDATE addendum_answer SET rec_id = NULL, applied_by = NULL, prior = NULL WHERE applied_by = ?", [import_id]
    )
