"""Assessments are only ever added: the history of each organisation's view grows, the latest is current."""

from __future__ import annotations

import pandas as pd

from etl.model import Batch, Problem, RawAssessment
from etl.report import ImportReport


def load_assessments(con, batch: Batch, report: ImportReport, import_id: int, allowed_organisation: str | None) -> None:
    ids = sorted({a.rec_id for a in batch.assessments})
    known = {r[0] for r in con.execute("SELECT id FROM recommendation WHERE list_contains(?, id)", [ids]).fetchall()}
    orgs = dict(con.execute("SELECT name, source_kind FROM organisation").fetchall())
    current = {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            """
            SELECT rec_id, organisation, status, comment, evidence, as_of FROM (
                SELECT *, row_number() OVER (PARTITION BY rec_id, organisation ORDER BY as_of DESC, id DESC) AS n
                FROM assessment WHERE list_contains(?, rec_id)) WHERE n = 1
            """,
            [ids],
        ).fetchall()
    }
    rows, new_orgs = [], {}
    for a in batch.assessments:

        def bad(column: str, value: str, expected: str, a: RawAssessment = a) -> None:
            report.problems.append(Problem(batch.file, expected, sheet=a.sheet, row=a.row, column=column, value=value))

        if a.rec_id not in known:
            bad("Recommendation ID", a.rec_id, "the ID of a recommendation in the database (download a fresh template)")
            continue
        if allowed_organisation is not None and a.organisation != allowed_organisation:
            bad("Organisation", a.organisation, f"your own organisation «{allowed_organisation}»")
            continue
        kind = orgs.get(a.organisation) or new_orgs.get(a.organisation)
        if kind is None:
            new_orgs[a.organisation] = a.source_kind
        elif kind != a.source_kind:
            bad("Source kind", a.source_kind, f"«{kind}», the kind already recorded for {a.organisation}")
            continue
        prev = current.get((a.rec_id, a.organisation))
        if prev is not None and prev[:3] == (a.status, a.comment, a.evidence):
            report.unchanged += 1
            continue
        if prev is None:
            report.added += 1
        else:
            report.updated += 1
        report.changes.append(
            {
                "rec_id": a.rec_id,
                "organisation": a.organisation,
                "row": a.row,
                "old": prev[0] if prev else None,
                "new": a.status,
            }
        )
        rows.append(
            (a.rec_id, a.source_kind, a.organisation, a.status, a.as_of, a.comment, a.evidence, import_id, a.row)
        )
    if report.errors:
        return
    for name, kind in new_orgs.items():
        con.execute("INSERT INTO organisation VALUES (?, ?, ?)", [name, kind, import_id])
    if rows:
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
