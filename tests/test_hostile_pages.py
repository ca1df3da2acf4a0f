"""Every page works for a State with no themes, no assessments and no recommending States, and for a
database that holds nothing but one UN report (no themes anywhere)."""

from __future__ import annotations

import shutil

import pytest

from etl.importer import import_file
from tests.conftest import FIXTURES
from tests.test_app import run_app
from ui.nav import PAGES
from upr import db
from upr.i18n import LANGS

BARE = (
    "Recommendation ID,State under review,Cycle,Recommendation\n"
    "UZB-3-1,Uzbekistan,3,Ensure the independence of the judiciary\n"
    "UZB-3-2,Uzbekistan,3,Abolish forced labour in the cotton harvest\n"
)


@pytest.fixture
def bare_state(app_db, tmp_path):
    """The demo, and Uzbekistan's cycle 3 with two recommendations and nothing else known of them."""
    path = tmp_path / "uzbekistan.csv"
    path.write_text(BARE, encoding="utf-8")
    con = db.connect(app_db)
    try:
        report = import_file(con, path, who="boss")
        assert report.import_id is not None, [str(p) for p in report.errors]
    finally:
        con.close()
    return app_db


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [p.file for p in PAGES])
def test_a_state_with_nothing_but_recommendations(bare_state, page, lang):
    at = run_app(lang, page, filters_sur="UZB")
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def report_only(tmp_path, monkeypatch):
    """A database holding one Working Group report and nothing else (no demo, no themes)."""
    path = tmp_path / "report_only.duckdb"
    con = db.connect(path)
    try:
        report = import_file(con, FIXTURES / "wg_report" / "cycle1_excerpt.txt", who="boss")
        assert report.import_id is not None, [str(p) for p in report.errors]
    finally:
        con.close()
    copy = tmp_path / "app.duckdb"
    shutil.copyfile(path, copy)
    monkeypatch.setenv("UPR_DB", str(copy))
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    return copy


@pytest.mark.parametrize("page", [p.file for p in PAGES])
def test_a_database_of_one_un_report(report_only, page):
    at = run_app("en", page)
    assert not at.exception, [e.value for e in at.exception]
