"""Assessments are only ever added: the history of each organisation's view grows, the latest is current.

Each row of an upload is weighed against what the database holds for that recommendation and
organisation, and gets one outcome, the same in the preview, in the import and in its record:

- `new`: the organisation had not assessed the recommendation; the row becomes its current assessment;
- `changed`: the row differs from the current assessment and is as recent or more: it becomes current;
- `history`: the row differs, but is older than the current assessment: it goes into the history
  only, and the current assessment (its date is shown) stays;
- `unchanged`: the row says what the current assessment says, or repeats one already in the history:
  nothing is recorded, so that an upload holds only what it changed and can be undone alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

import duckdb
import pandas as pd

from etl.messages import problem
from etl.model import Batch, Problem
from etl.report import ImportReport

OUTCOMES = ("new", "changed", "history", "unchanged")


@dataclass
class RowOutcome:
    """What one row of an upload does to the organisation's assessment of one recommendation."""

    rec_id: str
    organisation: str
    source_kind: str
    row: int | None
    sheet: str | None
    status: str
    as_of: date
    comment: str | None
    evidence: str | None
    outcome: str  # one of OUTCOMES
    old: str | None = None  # the organisation's current status before this upload
    old_as_of: date | None = None  # ... and its date

    def as_change(self) -> dict:
        """The row as ImportReport.changes keeps it (for previews and the saved message)."""
        change = asdict(self)
        change["new"] = change.pop("status")
        return change


def _current(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[tuple[str, str], tuple]:
    """(rec_id, organisation) -> (status, comment, evidence, as_of) of the current assessment."""
    rows = con.execute(
        """
        SELECT rec_id, organisation, status, comment, evidence, as_of FROM (
            SELECT *, row_number() OVER (PARTITION BY rec_id, organisation ORDER BY as_of DESC, id DESC) AS n
            FROM assessment WHERE list_contains(?, rec_id)) WHERE n = 1
        """,
        [ids],
    ).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def _history(con: duckdb.DuckDBPyConnection, ids: list[str]) -> set[tuple]:
    rows = con.execute(
        "SELECT rec_id, organisation, as_of, status, comment, evidence FROM assessment WHERE list_contains(?, rec_id)",
        [ids],
    ).fetchall()
    return set(rows)


def classify_assessments(
    con: duckdb.DuckDBPyConnection, batch: Batch, allowed_organisation: str | None
) -> tuple[list[RowOutcome], list[Problem]]:
    """Every assessment of `batch` with its outcome, and every problem the database reveals (unknown
    IDs, another organisation's rows, a source kind other than the one recorded), all in one pass."""
    ids = sorted({a.rec_id for a in batch.assessments})
    known = {r[0] for r in con.execute("SELECT id FROM recommendation WHERE list_contains(?, id)", [ids]).fetchall()}
    orgs = dict(con.execute("SELECT name, source_kind FROM organisation").fetchall())
    current, history = _current(con, ids), _history(con, ids)
    columns = batch.columns
    outcomes: list[RowOutcome] = []
    problems: list[Problem] = []
    new_orgs: dict[str, str] = {}
    for a in batch.assessments:

        def bad(field: str, default: str, code: str, value: str, a=a, **params: object) -> None:
            column = columns.get(field, default)
            problems.append(problem(batch.file, code, sheet=a.sheet, row=a.row, column=column, value=value, **params))

        if a.rec_id not in known:
            bad("id", "Recommendation ID", "unknown_id", a.rec_id)
            continue
        if allowed_organisation is not None and a.organisation != allowed_organisation:
            bad("organisation", "Organisation", "other_org", a.organisation, own=allowed_organisation)
            continue
        kind = orgs.get(a.organisation) or new_orgs.setdefault(a.organisation, a.source_kind)
        if kind != a.source_kind:
            bad(
                "source_kind",
                "Source kind",
                "kind_mismatch",
                a.source_kind,
                source_kind=kind,
                organisation=a.organisation,
            )
            continue
        prev = current.get((a.rec_id, a.organisation))
        values = (a.status, a.comment, a.evidence)
        if prev is None:
            outcome = "new"
        elif values == prev[:3] or (a.rec_id, a.organisation, a.as_of, *values) in history:
            outcome = "unchanged"
        elif a.as_of >= prev[3]:
            outcome = "changed"
        else:
            outcome = "history"
        outcomes.append(
            RowOutcome(
                a.rec_id,
                a.organisation,
                a.source_kind,
                a.row,
                a.sheet,
                a.status,
                a.as_of,
                a.comment,
                a.evidence,
                outcome,
                old=prev[0] if prev else None,
                old_as_of=prev[3] if prev else None,
            )
        )
    return outcomes, problems


def count_outcomes(report: ImportReport, outcomes: list[RowOutcome]) -> None:
    """Put the outcomes into the report's figures and its list of changes (unchanged rows not listed)."""
    for o in outcomes:
        if o.outcome == "new":
            report.added += 1
        elif o.outcome == "changed":
            report.updated += 1
        elif o.outcome == "history":
            report.history_only += 1
        else:
            report.unchanged += 1
            continue
        report.changes.append(o.as_change())


def load_assessments(con, batch: Batch, report: ImportReport, import_id: int, allowed_organisation: str | None) -> None:
    """Add the rows of `batch` that change something (see the module's outcomes) under `import_id`."""
    outcomes, problems = classify_assessments(con, batch, allowed_organisation)
    report.problems += problems
    count_outcomes(report, outcomes)
    if report.errors:
        return
    orgs = {r[0] for r in con.execute("SELECT name FROM organisation").fetchall()}
    for name, kind in dict.fromkeys((o.organisation, o.source_kind) for o in outcomes):
        if name not in orgs:
            con.execute("INSERT INTO organisation VALUES (?, ?, ?)", [name, kind, import_id])
            orgs.add(name)
    rows = [
        (o.rec_id, o.source_kind, o.organisation, o.status, o.as_of, o.comment, o.evidence, import_id, o.row)
        for o in outcomes
        if o.outcome != "unchanged"
    ]
    if not rows:
        return
    frame = pd.DataFrame(
        rows,
        columns=[
            "rec_id",
            "source_kind",
            "organisation",
            "status",
            "as_of",
            "comment",
            "evidence",
            "import_id",
            "row_number",
        ],
        dtype=object,
    )
    con.register("_bulk_rows", frame)
    try:
        con.execute(
            "INSERT INTO assessment SELECT nextval('assessment_id_seq'), rec_id, source_kind, organisation, "
            "status, CAST(as_of AS DATE), comment, evidence, import_id, row_number FROM _bulk_rows"
        )
    finally:
        con.unregister("_bulk_rows")


def recommendation_texts(con: duckdb.DuckDBPyConnection, ids: list[str], lang: str) -> dict[str, str]:
    """rec_id -> its text in `lang` when translated, else the original (for previews)."""
    rows = con.execute(
        """
        SELECT r.id, coalesce(tl.text, tori.text)
        FROM recommendation r
        JOIN rec_text tori ON tori.rec_id = r.id AND tori.is_original
        LEFT JOIN rec_text tl ON tl.rec_id = r.id AND tl.lang = ?
        WHERE list_contains(?, r.id)
        """,
        [lang, ids],
    ).fetchall()
    return dict(rows)
