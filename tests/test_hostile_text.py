"""Text from files and from the URL is text: Markdown links, images and HTML in a State's name as a
file wrote it, or in `?rec=`, are shown as typed, never rendered."""

from __future__ import annotations

import csv
import re

import pytest

from etl.importer import import_file
from tests.test_app import run_app
from ui.widgets import md_escape
from upr import db
from upr.i18n import LANGS, t

LINK = "[click me](https://evil.example/x)"
IMAGE = "![pixel](https://evil.example/p.png)"
HTML = "<img src=https://evil.example/q.png>"
HOSTILE = f"Narnia {LINK} {IMAGE} {HTML}"


def _rendered(at) -> list[str]:
    """Every text on screen that Streamlit renders as Markdown."""
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success, *at.title, *at.subheader]
    for el in elements:
        assert not getattr(el.proto, "allow_html", False), el
    return [str(el.value) for el in elements]


def _assert_inert(texts: list[str]) -> None:
    """No link, image or tag is left for Markdown once every escaped character is taken out."""
    for text in texts:
        live = re.sub(r"\\.", "", text)
        assert "](" not in live and "<img" not in live and "![" not in live and "https:" not in live, text


@pytest.fixture
def hostile_db(app_db, tmp_path):
    path = tmp_path / "upr_info.csv"
    header = [
        "To",
        "To-Rgrp",
        "To-Org",
        "Text",
        "From",
        "From-Rgrp",
        "From-Org",
        "Response",
        "Action",
        "Issue",
        "Session",
    ]
    row = [
        "Kazakhstan",
        "Asia",
        "",
        "Guarantee the independence of lawyers.",
        HOSTILE,
        "",
        "",
        "Supported",
        "4",
        "Justice",
        "20",
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, row])
    con = db.connect(app_db)
    try:
        report = import_file(con, path, who="boss")
        assert report.import_id is not None, [str(p) for p in report.errors]
    finally:
        con.close()
    return app_db


@pytest.mark.parametrize("lang", LANGS)
def test_a_states_name_as_written_is_text(hostile_db, lang):
    at = run_app(lang, "pages/states.py")
    assert not at.exception
    texts = _rendered(at)
    _assert_inert(texts)
    assert any(md_escape(HOSTILE) in text for text in texts)  # shown, escaped: the user reads it as typed


@pytest.mark.parametrize("lang", LANGS)
def test_the_url_is_text(app_db, lang):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import ROOT_APP

    at = AppTest.from_file(ROOT_APP, default_timeout=60)
    at.session_state["app_lang"] = lang
    at.query_params["rec"] = HOSTILE
    at.run()
    at.switch_page("pages/explorer.py")
    at.run()
    assert not at.exception
    texts = _rendered(at)
    _assert_inert(texts)
    assert t("explorer.detail_unknown", lang, id=md_escape(HOSTILE)) in texts
