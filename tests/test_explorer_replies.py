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
