"""Accounts that hold: a session is bound to one account's identity and credential; a removed,
demoted or re-created account acting from an open session is refused at the moment it acts; a
password change ends sessions; twenty writers at once all land, and so do `user add` commands run
together; failed sign-ins are slowed per
name and address; an unreadable accounts file says so; viewers see organisations, not names."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT
from tests.test_app import run_app
from tests.test_template_xlsx import ORG, filled_template, twenty_statuses
from tests.test_upload import HISTORY, UPLOAD, XLSX, signed_in
from ui.widgets import md_escape
from upr import accounts as acc
from upr import db
from upr.i18n import t
from upr.throttle import FREE_TRIES, SignInThrottle


@pytest.fixture
def users(tmp_path, monkeypatch):
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("UPR_ACCOUNTS", str(path))
    acc.add_account(acc.make_account("beta", "editor", "beta-password", organisation=ORG, source_kind="ngo"), path)
    acc.add_account(acc.make_account("boss", "admin", "boss-password"), path)
    return path


def _assessments(app_db) -> int:
    from ui.data import cursor

    cur = cursor()
    try:
        return cur.execute("SELECT count(*) FROM assessment WHERE organisation = ?", [ORG]).fetchall()[0][0]
    finally:
        cur.close()


def _previewed(app_db, tmp_path):
    con = db.connect(app_db)
    data = filled_template(con, tmp_path / "u.xlsx", twenty_statuses()).read_bytes()
    con.close()
    at = run_app("en", UPLOAD, auth_user=signed_in("beta"))
    at.file_uploader(key="upload_file").upload("u.xlsx", data, XLSX)
    at.run()
    assert at.button(key="upload_confirm")
    return at


def test_a_removed_account_cannot_confirm_from_an_open_page(app_db, users, tmp_path):
    at = _previewed(app_db, tmp_path)
    before = _assessments(app_db)
    acc.remove_account("beta", users)
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert _assessments(app_db) == before
    assert at.warning[0].value == t("auth.ended", "en")
    assert len(at.file_uploader) == 0


def test_a_demoted_admin_cannot_revert_from_an_open_page(app_db, users, tmp_path):
    at = run_app("en", HISTORY, auth_user=signed_in("boss"))
    at.checkbox(key="history_revert_confirm").check().run()
    acc.add_account(
        acc.make_account("boss", "editor", "boss-password", organisation="Другая НПО", source_kind="ngo"),
        users,
        replace=True,
    )
    at.button(key="history_revert").click().run()
    assert not at.exception
    from ui.data import cursor

    cur = cursor()
    try:
        assert cur.execute("SELECT count(*) FROM import WHERE reverted_at IS NOT NULL").fetchall()[0][0] == 0
    finally:
        cur.close()
    assert at.warning[0].value == t("auth.ended", "en")
    assert not any(b.key == "history_revert" for b in at.button)


def test_a_recreated_name_is_another_account(app_db, users):
    editor_session = signed_in("beta")
    acc.remove_account("beta", users)
    acc.add_account(acc.make_account("beta", "admin", "new-beta-password"), users)
    at = run_app("en", HISTORY, auth_user=editor_session)
    assert not at.exception
    assert "auth_user" not in at.session_state  # the old editor's session ended, it did not become an admin
    assert not any(b.key == "history_revert" for b in at.button)
    assert at.warning[0].value == t("auth.ended", "en")


def test_a_password_change_ends_the_session(app_db, users):
    session = signed_in("beta")
    acc.add_account(
        acc.make_account("beta", "editor", "changed-password", organisation=ORG, source_kind="ngo"), users, replace=True
    )
    assert acc.load_accounts(users)["beta"].uid == session["uid"]  # the same account, a new credential
    at = run_app("en", UPLOAD, auth_user=session)
    assert not at.exception
    assert len(at.file_uploader) == 0
    assert at.warning[0].value == t("auth.ended", "en")


def test_a_session_of_a_bare_name_is_no_session(app_db, users):
    at = run_app("en", UPLOAD, auth_user="boss")
    assert len(at.file_uploader) == 0


def test_twenty_user_add_at_once_all_land(tmp_path):
    """Twenty writers released at the same instant, each with a file descriptor of its own (the lock
    is per open file, so threads contend as processes do): every account lands, the file stays whole."""
    path = tmp_path / "accounts.json"
    # Accounts that sign in by email carry no password hash: the writers race, not the hashing.
    made = [acc.make_account(f"user{i:02d}", "admin", email=f"user{i:02d}@example.org") for i in range(20)]
    start = threading.Barrier(20)

    def add(account: acc.Account) -> None:
        start.wait()
        acc.add_account(account, path)

    with ThreadPoolExecutor(20) as pool:
        list(pool.map(add, made))
    accounts = acc.load_accounts(path)
    assert sorted(accounts) == [f"user{i:02d}" for i in range(20)]
    assert {a.uid for a in accounts.values()} == {a.uid for a in made}
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir() if p.name != "accounts.json.lock"] == ["accounts.json"]  # no .part left


def test_user_add_commands_at_once_all_land(tmp_path):
    """`user add` commands run at the same time, each a process of its own: none is lost."""
    path = tmp_path / "accounts.json"
    env = {**os.environ, "UPR_ACCOUNTS": str(path), "PYTHONPATH": str(ROOT)}
    commands = 6

    def add(i: int) -> int:
        cmd = [sys.executable, "-m", "etl", "user", "add", f"user{i:02d}", "--role", "admin", "--password-stdin"]
        return subprocess.run(
            cmd, input=f"password-{i:04d}\n", text=True, env=env, cwd=ROOT, capture_output=True
        ).returncode

    with ThreadPoolExecutor(commands) as pool:
        codes = list(pool.map(add, range(commands)))
    assert codes == [0] * commands
    accounts = acc.load_accounts(path)
    assert sorted(accounts) == [f"user{i:02d}" for i in range(commands)]
    assert len({a.uid for a in accounts.values()}) == commands
    assert acc.authenticate("user04", "password-0004", path) is not None
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir() if p.name != "accounts.json.lock"] == ["accounts.json"]


def test_an_unreadable_accounts_file_says_so(app_db, users):
    users.write_text("{not json", encoding="utf-8")
    with pytest.raises(acc.AccountsUnreadable):
        acc.load_accounts(users)
    at = run_app("en", UPLOAD)
    at.text_input(key="auth_name").set_value("beta")
    at.text_input(key="auth_password").set_value("beta-password")
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value == t("auth.unreadable", "en")


def test_failed_sign_ins_are_slowed_per_name_and_address():
    now = [1000.0]
    throttle = SignInThrottle(clock=lambda: now[0])
    for _ in range(FREE_TRIES):
        assert throttle.wait_seconds("beta", "10.0.0.1") == 0
        throttle.failed("beta", "10.0.0.1")
    assert throttle.wait_seconds("beta", "10.0.0.2") == 30  # the name, from anywhere
    assert throttle.wait_seconds("gamma", "10.0.0.1") == 30  # the address, for any name
    assert throttle.wait_seconds("gamma", "10.0.0.2") == 0
    now[0] += 31
    throttle.failed("beta", "10.0.0.1")
    assert throttle.wait_seconds("beta", "10.0.0.3") == 60  # twice as long each time
    throttle.succeeded("beta")
    assert throttle.wait_seconds("beta", "10.0.0.3") == 0
    now[0] += 15 * 60
    assert throttle.wait_seconds("gamma", "10.0.0.1") == 0  # failures older than the window are forgotten


def test_the_sign_in_form_is_slowed(app_db, users, monkeypatch):
    monkeypatch.setattr("ui.auth.SIGN_IN", SignInThrottle())
    at = run_app("en", UPLOAD)
    for _ in range(FREE_TRIES):
        at.text_input(key="auth_name").set_value("beta")
        at.text_input(key="auth_password").set_value("wrong-password")
        at.button[0].click().run()
        assert at.error[0].value == t("auth.failed", "en")
    at.text_input(key="auth_name").set_value("beta")
    at.text_input(key="auth_password").set_value("beta-password")  # right, but too soon
    at.button[0].click().run()
    assert at.error[0].value == t("auth.throttled", "en", minutes=1)
    assert "auth_user" not in at.session_state


def test_viewers_see_organisations_not_account_names(app_db, users, tmp_path):
    at = _previewed(app_db, tmp_path)
    at.button(key="upload_confirm").click().run()
    viewer = run_app("en", HISTORY)
    who = viewer.dataframe[0].value[t("history.col_who", "en")].tolist()
    assert who[0] == ORG and "beta" not in who
    assert who[-1] == t("history.who_demo", "en")
    admin = run_app("en", HISTORY, auth_user=signed_in("boss"))
    assert admin.dataframe[0].value[t("history.col_who", "en")].tolist()[0] == "beta"


def test_an_editor_undoes_their_own_latest_upload_while_another_organisations_later_one_stays(app_db, users, tmp_path):
    acc.add_account(
        acc.make_account(
            "gov", "editor", "gov-password", organisation="Министерство юстиции", source_kind="government"
        ),
        users,
    )
    con = db.connect(app_db)
    mine = filled_template(con, tmp_path / "mine.xlsx", twenty_statuses()).read_bytes()
    theirs = filled_template(
        con, tmp_path / "theirs.xlsx", {0: "in_progress"}, organisation="Министерство юстиции", kind="government"
    ).read_bytes()
    con.close()
    for who, data in (("beta", mine), ("gov", theirs)):
        at = run_app("en", UPLOAD, auth_user=signed_in(who))
        at.file_uploader(key="upload_file").upload("f.xlsx", data, XLSX)
        at.run()
        at.button(key="upload_confirm").click().run()
        assert at.success, who
    before = _assessments(app_db)
    at = run_app("en", HISTORY, auth_user=signed_in("beta"))
    own = at.selectbox(key="history_import").options
    mine_id = max(int(o.split(" ")[0].lstrip("#")) for o in own) - 1
    at.selectbox(key="history_import").set_value(mine_id).run()
    assert at.caption[-1].value == t("history.undo_help", "en", organisation=md_escape(ORG))
    at.checkbox(key="history_revert_confirm").check().run()
    at.button(key="history_revert").click().run()
    assert not at.exception
    # Its twenty assessments, and the organisation it brought.
    assert at.success[0].value == t("history.revert_done", "en", id=mine_id, deleted=21, restored=0)
    assert _assessments(app_db) == before - 20
    from ui.data import cursor

    cur = cursor()
    try:
        states = dict(cur.execute("SELECT id, reverted_at IS NULL FROM import WHERE id >= ?", [mine_id]).fetchall())
    finally:
        cur.close()
    assert states == {mine_id: False, mine_id + 1: True}  # the ministry's later upload stays
    # The ministry's editor may not undo the coalition's upload, nor the coalition's editor the ministry's.
    at = run_app("en", HISTORY, auth_user=signed_in("beta"))
    at.selectbox(key="history_import").set_value(mine_id + 1).run()
    assert not any(b.key == "history_revert" for b in at.button)
