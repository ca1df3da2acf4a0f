"""The upload page's tables: problems worded in the user's language, and every row of the preview
with what it will become. Texts from files go into dataframe cells only, never into Markdown."""

from __future__ import annotations

import pandas as pd

from etl.assessments import RowOutcome
from etl.messages import column_text, problem_text
from etl.model import Problem
from etl.preview import Preview
from upr.i18n import t
from upr.vocab import label


def problems_frame(problems: list[Problem], lang: str) -> pd.DataFrame:
    """One row per problem: where (sheet, row, column), the value found, and what is wrong, in `lang`
    (a problem of the whole file has no row: its cell is empty, not «None»)."""
    return pd.DataFrame(
        [
            [
                p.sheet or "",
                "" if p.row is None else str(p.row),
                column_text(p, lang) or "",
                p.value or "",
                problem_text(p, lang),
            ]
            for p in problems
        ],
        columns=[
            t("upload.col_sheet", lang),
            t("upload.col_row", lang),
            t("upload.col_column", lang),
            t("upload.col_value", lang),
            t("upload.col_message", lang),
        ],
    )


def _status(code: object, lang: str) -> str:
    return label("status", code, lang) if isinstance(code, str) else "—"


def outcome_text(row: RowOutcome, lang: str) -> str:
    """What the row will do, in the words of the metrics above the table."""
    old = {"old": _status(row.old, lang), "old_as_of": row.old_as_of.isoformat() if row.old_as_of else "—"}
    return t(f"upload.outcome_{row.outcome}", lang, **old)


def rows_frame(preview: Preview, outcomes: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The preview's rows with one of `outcomes`: text, date, statuses, comment and what each becomes."""
    rows = [r for r in preview.rows if r.outcome in outcomes]
    return pd.DataFrame(
        [
            [
                r.row,
                r.rec_id,
                preview.texts.get(r.rec_id, ""),
                r.as_of,
                _status(r.status, lang),
                r.comment or "",
                outcome_text(r, lang),
            ]
            for r in rows
        ],
        columns=[
            t("upload.col_row", lang),
            t("upload.col_rec", lang),
            t("upload.col_text", lang),
            t("upload.col_date", lang),
            t("upload.col_new", lang),
            t("upload.col_comment", lang),
            t("upload.col_outcome", lang),
        ],
    )
