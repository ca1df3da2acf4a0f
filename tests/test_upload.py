"""The upload and history pages under AppTest: sign in, upload through the file uploader, preview,
confirm, see the charts' data change, revert as admin; and what viewers and editors may not do."""

from __future__ import annotations

import pytest

from etl.messages import format_name
from tests.test_app import run_app
from tests.test_template_xlsx import ORG, filled_template, twenty_statuses
from ui.widgets import md_escape
from upr import accounts as acc
from upr import db
from upr.i18n import t

UPLOAD, HISTORY = "pages/upload.py", "pages/history.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def users(tmp_path, monkeypatch):
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("UPR_ACCOUNTS", str(path))
    acc.add_account(acc.make_account("ngo1", "editor", "ngo1-password", organisation=ORG, source_kind="ngo"), path)
    acc.add_account(
        acc.make_account("ngo2", "editor", "ngo2-password", organisation="Другая НПО", source_kind="ngo"), path
    )
    acc.add_account(acc.make_account("boss", "admin", "boss-password"), path)
    return path


def signed_in(name: str) -> dict[str, str]:
    """The session of `name` signed in now (as ui.auth keeps it)."""
    from ui.auth import session_for

    return session_for(acc.load_accounts()[name])


def _template_file(app_db, tmp_path, name: str, statuses: dict[int, str], **kw) -> bytes:
    con = db.connect(app_db)
    try:
        return filled_template(con, tmp_path / name, statuses, **kw).read_bytes()
    finally:
        con.close()


def _ngo_assessments(app_db) -> int:
    from ui.data import cursor

    cur = cursor()
    try:
        return cur.execute("SELECT count(*) FROM assessment WHERE organisation = ?", [ORG]).fetchall()[0][0]
    finally:
        cur.close()


def _last_import() -> int:
    from ui.data import cursor

    cur = cursor()
    try:
        return cur.execute("SELECT max(id) FROM import").fetchall()[0][0]
    finally:
        cur.close()


def _frame(at, column_key: str, lang: str, nth: int = 0):
    """The nth dataframe on screen holding a column headed t(column_key)."""
    frames = [d.value for d in at.dataframe if t(column_key, lang) in d.value.columns]
    return frames[nth]


def _no_html(at) -> None:
    for el in [*at.markdown, *at.caption, *at.error, *at.info, *at.success, *at.warning]:
        assert not getattr(el.proto, "allow_html", False), el


def test_viewer_sees_login_and_no_write_action(app_db, users):
    at = run_app("en", UPLOAD)
    assert not at.exception
    assert at.info[-1].value == t("auth.why", "en")
    assert len(at.file_uploader) == 0
    assert not any(b.key in ("upload_confirm", "upload_template") for b in at.button)
    at = run_app("en", HISTORY)
    assert not at.exception
    assert not any(b.key == "history_revert" for b in at.button)


def test_login_form(app_db, users):
    at = run_app("en", UPLOAD)
    at.text_input(key="auth_name").set_value("ngo1")
    at.text_input(key="auth_password").set_value("wrong-password")
    at.button[0].click().run()
    assert at.error[0].value == t("auth.failed", "en")
    at.text_input(key="auth_name").set_value("ngo1")
    at.text_input(key="auth_password").set_value("ngo1-password")
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["auth_user"] == signed_in("ngo1")
    assert at.caption[1].value == t(
        "auth.signed_in_editor", "en", name="ngo1", organisation=md_escape(ORG), kind="NGOs"
    )
    assert len(at.file_uploader) == 1


def test_editor_uploads_previews_confirms_then_changes_five(app_db, users, tmp_path):
    first = _template_file(app_db, tmp_path, "first.xlsx", twenty_statuses())
    at = run_app("ru", UPLOAD, auth_user=signed_in("ngo1"))
    assert not at.exception
    assert at.selectbox(key="upload_cycle").value == 4
    at.file_uploader(key="upload_file").upload("first.xlsx", first, XLSX)
    at.run()
    assert not at.exception
    # New, changed, history only, unchanged, errors.
    assert [m.value for m in at.metric] == ["20", "0", "0", "0", "0"]
    frame = _frame(at, "upload.col_outcome", "ru")
    assert len(frame) == 20
    first_row = frame.iloc[0].tolist()
    assert first_row[:2] == [2, "KAZ-3-134.1"] and first_row[4:] == ["Выполнена", "", t("upload.outcome_new", "ru")]
    assert first_row[2] == "Криминализировать бытовое насилие в консультации с гражданским обществом"
    assert str(first_row[3]) == "2025-05-01"
    before = _ngo_assessments(app_db)
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert _ngo_assessments(app_db) == before + 20
    first_id = _last_import()  # dry runs advance the id sequence too
    assert at.success[0].value == t("upload.done", "ru", id=first_id, added=20, updated=0, history=0, unchanged=0)
    # Caches were cleared: the shared query layer sees the new organisation at once.
    from ui.data import query

    orgs = {s["organisation"] for s in query("assessment_summary")}
    assert ORG in orgs

    changed = {2: "implemented", 5: "implemented", 9: "no_progress", 13: "in_progress", 17: "not_assessed"}
    second = _template_file(app_db, tmp_path, "second.xlsx", changed)
    at.file_uploader(key="upload_file").set_value(("second.xlsx", second, XLSX))
    at.run()
    assert [m.value for m in at.metric] == ["0", "5", "0", "15", "0"]
    frame = _frame(at, "upload.col_outcome", "ru")
    outcome = t("upload.outcome_changed", "ru", old="{old}", old_as_of="2025-05-01")
    assert [(r[0], r[1], r[4], r[6]) for r in frame.values.tolist()] == [
        (4, "KAZ-3-134.3", "Выполнена", outcome.format(old="Выполняется")),
        (7, "KAZ-3-134.6", "Выполнена", outcome.format(old="Не выполнена")),
        (11, "KAZ-3-134.10", "Нет прогресса", outcome.format(old="Выполнена формально")),
        (15, "KAZ-3-134.14", "Выполняется", outcome.format(old="Выполнена частично")),
        (19, "KAZ-3-134.18", "Не оценена", outcome.format(old="Не выполнена")),
    ]
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    second_id = _last_import()
    assert at.success[0].value == t("upload.done", "ru", id=second_id, added=0, updated=5, history=0, unchanged=15)
    _no_html(at)

    # The admin reverts the second upload from the history page.
    at = run_app("en", HISTORY, auth_user=signed_in("boss"))
    assert not at.exception
    assert at.dataframe[0].value.iloc[:, 0].tolist() == [second_id, first_id, 1]
    assert at.selectbox(key="history_import").value == second_id
    assert at.button(key="history_revert").disabled
    at.checkbox(key="history_revert_confirm").check().run()
    at.button(key="history_revert").click().run()
    assert not at.exception
    assert at.success[0].value == t("history.revert_done", "en", id=second_id, deleted=5, restored=0)
    assert _ngo_assessments(app_db) == before + 20


def test_editor_cannot_upload_another_organisation(app_db, users, tmp_path):
    data = _template_file(app_db, tmp_path, "theirs.xlsx", {0: "implemented"}, organisation="Другая НПО")
    at = run_app("en", UPLOAD, auth_user=signed_in("ngo1"))
    at.file_uploader(key="upload_file").upload("theirs.xlsx", data, XLSX)
    at.run()
    assert at.error[0].value == t("upload.refused_organisation", "en", found="Другая НПО", own=md_escape(ORG))
    assert not any(b.key == "upload_confirm" for b in at.button)


def test_editor_cannot_import_recommendations(app_db, users):
    csv = b"State under review,Cycle,Recommendation\nKazakhstan,3,Abolish the death penalty in law\n"
    at = run_app("en", UPLOAD, auth_user=signed_in("ngo1"))
    at.file_uploader(key="upload_file").upload("recs.csv", csv, "text/csv")
    at.run()
    fmt = md_escape(format_name("template_recommendations", "en"))
    assert at.error[0].value == t("upload.refused_format", "en", format=fmt)
    assert not any(b.key == "upload_confirm" for b in at.button)


def test_errors_listed_with_row_column_value_expected(app_db, users, tmp_path):
    data = _template_file(
        app_db,
        tmp_path,
        "bad.xlsx",
        {0: "implemented"},
        overrides={(1, "status"): "Почти готово", (2, "status"): "Выполнена", (2, "as_of"): "вчера"},
    )
    at = run_app("ru", UPLOAD, auth_user=signed_in("ngo1"))
    at.file_uploader(key="upload_file").upload("bad.xlsx", data, XLSX)
    at.run()
    assert at.error[0].value == t("upload.refused", "ru", n=2)
    frame = _frame(at, "upload.col_message", "ru")
    assert frame.values.tolist() == [
        [
            "Оценки",
            "3",
            "Статус",
            "Почти готово",
            "Ожидается один из статусов: «Выполнена», «Выполнена частично», «Выполняется», "
            "«Выполнена формально», «Нет прогресса», «Не выполнена», «Не оценена».",
        ],
        ["Оценки", "4", "Дата оценки", "вчера", "Ожидается дата вида 31.05.2024 или 2024-05-31."],
    ]
    # Beside the errors, the preview of the valid row.
    rows = _frame(at, "upload.col_outcome", "ru")
    assert rows.iloc[:, 1].tolist() == ["KAZ-3-134.1"]
    assert not any(b.key == "upload_confirm" for b in at.button)


def test_upload_too_big(app_db, users, monkeypatch):
    monkeypatch.setattr("upr.config.MAX_UPLOAD_BYTES", 1024)
    at = run_app("en", UPLOAD, auth_user=signed_in("ngo1"))
    at.file_uploader(key="upload_file").upload("big.csv", b"x" * 3 * 1024 * 1024, "text/csv")
    at.run()
    assert at.error[0].value == t("upload.too_big", "en", size="3.0", limit=0)


def test_editor_sees_no_revert_of_others_uploads(app_db, users):
    at = run_app("en", HISTORY, auth_user=signed_in("ngo1"))
    assert not at.exception
    assert at.caption[-1].value == t("history.editor_only_latest", "en", organisation=md_escape(ORG), latest="—")
    assert not any(b.key == "history_revert" for b in at.button)
