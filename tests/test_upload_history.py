"""Every import lists what it changed, row by row, on the history page, in every language: an
upload its assessments with what each became, an import of recommendations what it added."""

from __future__ import annotations

import csv

import pytest

from etl.changes import assessment_changes, history_only_counts, recommendation_changes
from etl.importer import import_file
from tests.test_app import run_app
from upr import db
from upr.i18n import LANGS, t

ORG = "Коалиция НПО Казахстана по УПО"


@pytest.fixture
def uploaded(app_db, tmp_path):
    """One upload of the coalition: a row older than its current assessment, one newer, one new."""
    path = tmp_path / "three.csv"
    rows = [
        ["Recommendation ID", "Source kind", "Organisation", "Status", "As of", "Comment"],
        ["KAZ-3-134.1", "ngo", ORG, "no_progress", "2023-01-31", "старое"],  # older than 2024-10-31
        ["KAZ-3-134.2", "ngo", ORG, "implemented", "2025-03-31", ""],
        ["KAZ-3-134.33", "ngo", ORG, "in_progress", "2025-03-31", ""],
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    con = db.connect(app_db)
    try:
        report = import_file(con, path, who="coalition", allowed_organisation=ORG)
    finally:
        con.close()
    return report


def test_the_rows_of_an_upload_with_what_each_became(app_db, uploaded):
    con = db.connect(app_db)
    try:
        changes = assessment_changes(con, uploaded.import_id)
        assert changes[["row", "rec_id", "status", "outcome"]].values.tolist() == [
            [2, "KAZ-3-134.1", "no_progress", "history"],
            [3, "KAZ-3-134.2", "implemented", "changed"],
            [4, "KAZ-3-134.33", "in_progress", "new"],
        ]
        assert str(changes["old_as_of"].iloc[0])[:10] == "2024-10-31"
        assert history_only_counts(con)[uploaded.import_id] == 1
        demo = recommendation_changes(con, 1)
        assert (demo["what"] == "added").sum() == 128 + 194 + 245 + 294
    finally:
        con.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_history_page_lists_them(app_db, uploaded, lang):
    at = run_app(lang, "pages/history.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert table[t("history.col_history", lang)].tolist()[0] == 1
    assert at.selectbox(key="history_import").value == uploaded.import_id
    (rows,) = [d.value for d in at.dataframe if t("history.col_outcome", lang) in d.value.columns]
    assert rows[t("history.col_rec", lang)].tolist() == ["KAZ-3-134.1", "KAZ-3-134.2", "KAZ-3-134.33"]
    outcome = rows[t("history.col_outcome", lang)].tolist()[0]
    assert "2024-10-31" in outcome
    # The demo's import: the recommendations it added.
    at.selectbox(key="history_import").set_value(1).run()
    (recs,) = [d.value for d in at.dataframe if t("history.col_what", lang) in d.value.columns]
    assert len(recs) == 128 + 194 + 245 + 294
