"""The preview tells the truth: for each row it says what the dashboards will show after saving
(current, history only, unchanged), it lists every problem of the file at once, and it refuses
future dates. The walkthrough of the editor's review, as a test."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from etl.detect import read_any
from etl.importer import import_file, sha256_of
from etl.messages import problem_text
from etl.preview import preview_batch
from tests.test_app import run_app
from tests.test_upload import signed_in
from upr import db
from upr.i18n import t

ORG = "Коалиция НПО Казахстана по УПО"  # the demo's NGO coalition: its cycle 3 assessments are of 2024-10-31
HEADER = ["ID рекомендации", "Тип источника", "Организация", "Статус", "Дата оценки", "Комментарий"]
STATUSES = ["implemented", "in_progress", "no_progress", "not_implemented", "partially_implemented"]


def current(con, rec_ids: list[str]) -> dict[str, tuple[str, date]]:
    """The coalition's current assessment of each recommendation, as the dashboards take it."""
    rows = con.execute(
        """
        SELECT rec_id, status, as_of FROM (
            SELECT *, row_number() OVER (PARTITION BY rec_id ORDER BY as_of DESC, id DESC) AS n
            FROM assessment WHERE organisation = ? AND list_contains(?, rec_id)) WHERE n = 1
        """,
        [ORG, rec_ids],
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def walkthrough_rows(con) -> list[list[str]]:
    """Twenty rows as the editor filled them: five dated before the coalition's current assessment
    (three of them a different status), fifteen dated after it."""
    candidates = [f"KAZ-3-134.{i}" for i in range(1, 41)]
    now = current(con, candidates)
    # The five older rows are of recommendations the coalition assessed last on 2024-10-31.
    older = [i for i in candidates if now.get(i, (None, None))[1] == date(2024, 10, 31)][:5]
    ids = older + [i for i in candidates if i not in older][:15]
    rows = []
    for i, rec_id in enumerate(ids):
        old = now.get(rec_id, (None, None))[0]
        if i < 5:  # a date older than 2024-10-31: history only
            status = next(s for s in STATUSES if s != old) if i < 3 else old
            rows.append([rec_id, "ngo", ORG, status, "2024-06-30", f"старая проверка {i}" if i >= 3 else ""])
        else:
            rows.append([rec_id, "ngo", ORG, STATUSES[i % 5], "2025-06-01", ""])
    return rows


def write(path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])


@pytest.fixture
def con(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    connection = db.connect(demo_copy)
    yield connection
    connection.close()


def test_every_problem_at_once_beside_the_valid_rows(con, tmp_path):
    rows = walkthrough_rows(con)
    bad = [
        ["KAZ-3-134.21", "ngo", ORG, "implemented", "2027-03-01", ""],  # a typo'd year
        ["KAZ-3-134.22", "ngo", ORG, "implemented", "31.12.2999", ""],
        ["KAZ-3-999.9", "ngo", ORG, "implemented", "2025-06-01", ""],  # an unknown ID
        ["KAZ-3-134.23", "ngo", ORG, "Почти", "2025-06-01", ""],
        ["KAZ-3-134.24", "ngo", ORG, "implemented", "1925-06-01", ""],
    ]
    path = tmp_path / "walkthrough.csv"
    write(path, [*rows[:10], *bad, *rows[10:]])
    preview = preview_batch(con, read_any(path), sha256_of(path), ORG, "ru")
    report = preview.report
    # One pass: the reader's errors and the database's, together.
    assert [(p.row, p.code) for p in report.errors] == [
        (12, "future_date"),
        (13, "future_date"),
        (15, "bad_status"),
        (16, "early_date"),
        (14, "unknown_id"),
    ]
    assert problem_text(report.errors[0], "en").startswith("The date is in the future (today is ")
    assert "«Выполнена», «Выполнена частично»" in problem_text(report.errors[2], "ru")
    # ... beside the preview of all twenty valid rows.
    assert len(preview.rows) == 20
    assert preview.texts["KAZ-3-134.1"]


def test_the_preview_predicts_what_the_dashboards_show(con, tmp_path):
    rows = walkthrough_rows(con)
    path = tmp_path / "walkthrough.csv"
    write(path, rows)
    ids = [r[0] for r in rows]
    before = current(con, ids)
    preview = preview_batch(con, read_any(path), sha256_of(path), ORG, "en")
    outcomes = {r.rec_id: r for r in preview.rows}
    assert [outcomes[i].outcome for i in ids[:5]] == ["history"] * 3 + ["history"] * 2
    assert all(outcomes[i].old_as_of == date(2024, 10, 31) for i in ids[:5])
    counts = (preview.report.added, preview.report.updated, preview.report.history_only, preview.report.unchanged)
    assert counts[2] == 5 and sum(counts) == 20
    saved = import_file(con, path, who="ngo", allowed_organisation=ORG)
    assert (saved.added, saved.updated, saved.history_only, saved.unchanged) == counts
    after = current(con, ids)
    for rec_id, row in outcomes.items():
        if row.outcome in ("new", "changed"):
            assert after[rec_id] == (row.status, row.as_of), rec_id
        else:  # history only, or unchanged: the current assessment is what it was
            assert after[rec_id] == before[rec_id], rec_id
    # Only the rows that differ were recorded: history only and current ones, no unchanged one.
    recorded = con.execute("SELECT count(*) FROM assessment WHERE import_id = ?", [saved.import_id]).fetchall()[0][0]
    assert recorded == 20 - counts[3]
    # The same file again: nothing would change.
    again = preview_batch(con, read_any(path), sha256_of(path), ORG, "en").report
    assert again.already_imported == saved.import_id


def test_the_page_says_it_in_the_same_words(app_db, tmp_path, monkeypatch):
    from upr import accounts as acc

    accounts = tmp_path / "accounts.json"
    monkeypatch.setenv("UPR_ACCOUNTS", str(accounts))
    acc.add_account(acc.make_account("coal", "editor", "coal-password", organisation=ORG, source_kind="ngo"), accounts)
    con = db.connect(app_db)
    rows = walkthrough_rows(con)
    con.close()
    path = tmp_path / "walkthrough.csv"
    write(path, [*rows, ["KAZ-3-134.30", "ngo", ORG, "implemented", "2027-01-01", ""]])
    for lang in ("ru", "en", "kk"):
        at = run_app(lang, "pages/upload.py", auth_user=signed_in("coal"))
        at.file_uploader(key="upload_file").upload("walkthrough.csv", path.read_bytes(), "text/csv")
        at.run()
        assert not at.exception
        labels = [m.label for m in at.metric]
        assert labels == [t(f"upload.metric_{k}", lang) for k in ("new", "changed", "history", "unchanged", "errors")]
        values = dict(zip(labels, (m.value for m in at.metric)))
        assert values[t("upload.metric_history", lang)] == "5"
        assert values[t("upload.metric_errors", lang)] == "1"
        assert at.error[0].value == t("upload.refused", lang, n=1)
        assert not any(b.key == "upload_confirm" for b in at.button)
    at.segmented_control(key="upload_view").set_value("history").run()
    frames = [d.value for d in at.dataframe if t("upload.col_outcome", "kk") in d.value.columns]
    (history,) = frames
    assert len(history) == 5
    assert "2024-10-31" in history.iloc[0][t("upload.col_outcome", "kk")]


def test_the_other_readers_words_are_translated_too():
    """Readers that give no code yet are recognised by their wording: an admin reads them in their language."""
    from etl.bulk import THEME_UNKNOWN
    from etl.model import Problem
    from etl.resolve import unknown_state

    narnia = Problem("f.csv", unknown_state("Narnia"), row=3, column="From", value="Narnia", severity="warning")
    assert problem_text(narnia, "ru").startswith("Нет в списке государств ООН: сохранено как написано. Ближайшие")
    assert problem_text(narnia, "kk").startswith("БҰҰ мемлекеттері тізімінде жоқ")
    theme = Problem("f.csv", THEME_UNKNOWN, severity="warning")
    assert problem_text(theme, "ru") == t("problems.worded_unknown_theme", "ru")
    assert problem_text(Problem("f.csv", "anything else"), "ru") == "anything else"
