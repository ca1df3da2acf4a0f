"""The Explorer shows where a response was stated and the State's own reply from its addendum."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.importer import import_file
from tests.conftest import FIXTURES
from tests.test_app import run_app
from ui.widgets import md_escape
from upr import db
from upr.i18n import t
from upr.vocab import label

EXPLORER = "pages/explorer.py"
ADDENDUM = FIXTURES / "addendum"


@pytest.fixture
def replies_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "replies.duckdb"
    monkeypatch.setenv("UPR_DB", str(path))
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    con = db.connect(path)
    for name in ("report_cycle1.txt", "addendum_prose.txt"):
        assert not import_file(con, ADDENDUM / name).refused
    con.close()
    return path


@pytest.mark.parametrize("lang", ["ru", "en", "kk"])
def test_reply_and_citation_in_the_detail(replies_db, lang):
    at = run_app(lang, EXPLORER)
    at.session_state["explorer_open_rec"] = "URY-1-90.8"
    at.run()
    assert not at.exception
    reply = f"**{t('explorer.state_reply', lang)}:** {md_escape('Uruguay does not accept this recommendation.')}"
    assert reply in [m.value for m in at.markdown]
    captions = [c.value for c in at.caption]
    where = {"ru": "A/HRC/13/9/Add.1, п. 8", "en": "A/HRC/13/9/Add.1, para. 8", "kk": "A/HRC/13/9/Add.1, 8-тармақ"}[
        lang
    ]
    assert t("explorer.response_cite", lang, cite=md_escape(where)) in captions
    assert t("explorer.response_source", lang, source=t("explorer.format_addendum", lang)) in captions


def test_a_reply_that_states_no_position_is_shown_and_the_response_stays_pending(replies_db):
    at = run_app("en", EXPLORER)
    at.session_state["explorer_open_rec"] = "URY-1-90.6"
    at.run()
    texts = [m.value for m in at.markdown]
    assert f"**{t('explorer.col_response', 'en')}:** {label('response', 'pending', 'en')}" in texts
    assert any(m.startswith(f"**{t('explorer.state_reply', 'en')}:** Uruguay cannot, at this point") for m in texts)


def test_the_addendum_is_named_as_its_own_file_where_its_answer_was_read(tmp_path, monkeypatch):
    """The addendum came first; its answers applied when the report arrived. The detail still says
    the answer was read from the addendum's file, not from the report's."""
    from upr import queries

    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    con = db.connect(":memory:")
    for name in ("addendum_prose.txt", "report_cycle1.txt"):
        assert not import_file(con, ADDENDUM / name).refused
    sources = queries.recommendation_detail(con, "URY-1-90.8")["sources"]
    assert sorted(zip(sources["format"], sources["file_name"], sources["import_id"])) == [
        ("addendum", "addendum_prose.txt", 1),
        ("wg_report", "report_cycle1.txt", 2),
    ]
