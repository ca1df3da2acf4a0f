"""Accounts: slow salted hashes, the JSON store, the command line, and each role's rights."""

from __future__ import annotations

import io
import json
import stat

import pytest

from etl.__main__ import main
from etl.importer import import_file
from etl.messages import problem_text
from tests.test_template_xlsx import ORG, filled_template
from upr import accounts as acc
from upr import db


@pytest.fixture
def store(tmp_path, monkeypatch):
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("UPR_ACCOUNTS", str(path))
    return path


def test_hash_is_salted_slow_and_verifies():
    h1, h2 = acc.hash_password("correct horse battery"), acc.hash_password("correct horse battery")
    assert h1 != h2  # a random salt per hash
    algo, n, r, p, salt, digest = h1.split("$")
    assert (algo, int(n), int(r), int(p)) == ("scrypt", 2**15, 8, 1)
    assert len(acc.base64.b64decode(salt)) == 16 and len(acc.base64.b64decode(digest)) == 32
    assert acc.verify_password("correct horse battery", h1)
    assert not acc.verify_password("correct horse batterY", h1)
    assert not acc.verify_password("x", None)
    assert not acc.verify_password("x", "pbkdf2$1$2")


def test_verify_uses_constant_time_compare(monkeypatch):
    calls = []
    real = acc.hmac.compare_digest
    monkeypatch.setattr(acc.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    acc.verify_password("whatever-password", acc.hash_password("other-password"))
    assert calls == [1]


def test_store_add_authenticate_remove(store):
    acc.add_account(
        acc.make_account(
            "ngo1", "editor", "secret-pass-1", organisation=ORG, source_kind="ngo", email="Editor@Example.org"
        )
    )
    acc.add_account(acc.make_account("boss", "admin", "secret-pass-2"))
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    data = json.loads(store.read_text(encoding="utf-8"))
    assert sorted(data["users"]) == ["boss", "ngo1"]
    assert "secret-pass-1" not in store.read_text(encoding="utf-8")
    ngo = acc.authenticate("ngo1", "secret-pass-1")
    assert (ngo.role, ngo.organisation, ngo.source_kind, ngo.email) == ("editor", ORG, "ngo", "editor@example.org")
    assert acc.authenticate("ngo1", "secret-pass-2") is None
    assert acc.authenticate("nobody", "secret-pass-1") is None
    assert acc.account_for_email("EDITOR@example.org").name == "ngo1"
    assert acc.account_for_email("other@example.org") is None
    with pytest.raises(acc.AccountError, match="exists already"):
        acc.add_account(acc.make_account("boss", "admin", "secret-pass-3"))
    with pytest.raises(acc.AccountError, match="email"):
        acc.add_account(
            acc.make_account(
                "ngo2", "editor", "secret-pass-4", organisation="X", source_kind="ngo", email="editor@example.org"
            )
        )
    assert acc.remove_account("ngo1") is True
    assert acc.remove_account("ngo1") is False
    assert list(acc.load_accounts()) == ["boss"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "a b", "role": "admin", "password": "long-enough-1"}, "user name"),
        ({"name": "x", "role": "viewer", "password": "long-enough-1"}, "role must be"),
        ({"name": "x", "role": "editor", "password": "long-enough-1", "source_kind": "ngo"}, "--organisation"),
        ({"name": "x", "role": "editor", "password": "long-enough-1", "organisation": "O"}, "--source-kind"),
        ({"name": "x", "role": "admin", "password": "long-enough-1", "organisation": "O"}, "no organisation"),
        ({"name": "x", "role": "admin", "password": "short"}, "at least 10"),
        ({"name": "x", "role": "admin", "password": None}, "email"),
    ],
)
def test_invalid_accounts_refused(kwargs, message):
    with pytest.raises(acc.AccountError, match=message):
        acc.make_account(kwargs.pop("name"), kwargs.pop("role"), kwargs.pop("password"), **kwargs)


def test_cli_user_add_list_remove(store, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("very-secret-1\n"))
    assert (
        main(
            [
                "user",
                "add",
                "ngo1",
                "--role",
                "editor",
                "--organisation",
                ORG,
                "--source-kind",
                "ngo",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == f"User ngo1 saved: editor for {ORG} (ngo).\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("very-secret-2\n"))
    assert main(["user", "add", "boss", "--role", "admin", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("very-secret-3\n"))
    assert main(["user", "add", "bad", "--role", "editor", "--password-stdin"]) == 1
    assert "needs --organisation" in capsys.readouterr().err
    assert main(["user", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines[1:]] == [["boss", "admin"], ["ngo1", "editor"]]
    assert acc.authenticate("ngo1", "very-secret-1") is not None
    assert main(["user", "remove", "ngo1"]) == 0
    assert main(["user", "remove", "ngo1"]) == 1
    assert list(acc.load_accounts()) == ["boss"]


# --- rights ----------------------------------------------------------------------------------

EDITOR = acc.Account("ngo1", "editor", ORG, "ngo")
ADMIN = acc.Account("boss", "admin")


def test_viewer_may_do_nothing():
    assert not acc.can_upload(None) and not acc.can_revert(None) and not acc.can_manage(None)
    assert acc.upload_refusals(None, "template_assessments", {ORG}, {"ngo"}) == [("refused_viewer", {})]


def test_editor_rights():
    assert acc.can_upload(EDITOR) and not acc.can_revert(EDITOR) and not acc.can_manage(EDITOR)
    assert acc.allowed_organisation(EDITOR) == ORG
    assert acc.upload_refusals(EDITOR, "template_assessments", {ORG}, {"ngo"}) == []
    assert acc.upload_refusals(EDITOR, "wg_report", set(), set()) == [("refused_format", {"format": "wg_report"})]
    assert acc.upload_refusals(EDITOR, "template_recommendations", set(), set())[0][0] == "refused_format"
    assert acc.upload_refusals(EDITOR, "template_assessments", {ORG, "Другая НПО"}, {"ngo"}) == [
        ("refused_organisation", {"found": "Другая НПО", "own": ORG})
    ]
    assert acc.upload_refusals(EDITOR, "template_assessments", {ORG}, {"government"}) == [
        ("refused_source_kind", {"found": "government", "own": "ngo"})
    ]
    # An unreadable file is refused by its own errors, not as a wrong format.
    assert acc.upload_refusals(EDITOR, "unknown", set(), set()) == []


def test_admin_rights():
    assert acc.can_upload(ADMIN) and acc.can_revert(ADMIN) and acc.can_manage(ADMIN)
    assert acc.allowed_organisation(ADMIN) is None
    for fmt in ("wg_report", "upr_info", "template_recommendations", "template_assessments"):
        assert acc.upload_refusals(ADMIN, fmt, {"A", "B"}, {"ngo", "government"}) == []


def test_loader_refuses_another_organisations_rows(demo_copy, tmp_path, monkeypatch):
    """The loader checks the organisation too: an editor cannot write another NGO's assessments."""
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    con = db.connect(demo_copy)
    path = filled_template(
        con, tmp_path / "other.xlsx", {0: "implemented", 1: "implemented"}, organisation="Другая НПО"
    )
    report = import_file(con, path, who="ngo1", allowed_organisation=ORG)
    assert report.refused and report.import_id is None
    # Located by the file's own (Russian) header, worded in the reader's language.
    assert [(p.row, p.column, p.value, p.code) for p in report.errors] == [
        (2, "Организация", "Другая НПО", "other_org"),
        (3, "Организация", "Другая НПО", "other_org"),
    ]
    assert problem_text(report.errors[0], "ru") == f"Вы можете загружать только оценки своей организации «{ORG}»."
    assert con.execute("SELECT count(*) FROM assessment WHERE organisation = 'Другая НПО'").fetchall()[0][0] == 0
    # The same file from an admin lands.
    assert import_file(con, path, who="boss", allowed_organisation=None).added == 2
    con.close()
