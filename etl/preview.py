"""What an upload would do, told before anything is written: every problem of the file at once, and
for each valid row what it would become (etl.assessments' outcomes), the same words the import uses.

A file of our assessments template is weighed row by row even when some rows are wrong, so that
an editor sees, in one pass, every error beside the preview of every valid row. Any other format
is tried in a transaction that is rolled back (`import_batch(dry_run=True)`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from etl.assessments import RowOutcome, classify_assessments, count_outcomes, recommendation_texts
from etl.load import find_import_by_sha, import_batch
from etl.model import Batch
from etl.report import ImportReport


@dataclass
class Preview:
    """An upload's dry run: the report the import would give, and every assessment row's outcome."""

    report: ImportReport
    rows: list[RowOutcome] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # rec_id -> its text in the user's language


def preview_batch(
    con: duckdb.DuckDBPyConnection, batch: Batch, sha256: str, allowed_organisation: str | None, lang: str = "en"
) -> Preview:
    """The dry run of `batch` for a user who may write `allowed_organisation` (None: any), read-only."""
    if batch.format != "template_assessments":
        return Preview(import_batch(con, batch, sha256=sha256, dry_run=True, allowed_organisation=allowed_organisation))
    report = ImportReport(batch.file, batch.format, sha256, rows_read=batch.rows_read, problems=list(batch.problems))
    previous = find_import_by_sha(con, sha256)
    if previous is not None:
        report.already_imported = previous
        report.unchanged = len(batch.assessments)
        return Preview(report)
    rows, problems = classify_assessments(con, batch, allowed_organisation)
    report.problems += problems
    count_outcomes(report, rows)
    report.rejected = len({(p.sheet, p.row) for p in report.errors})
    texts = recommendation_texts(con, sorted({r.rec_id for r in rows}), lang)
    return Preview(report, rows, texts)
