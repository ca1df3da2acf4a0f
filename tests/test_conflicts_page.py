"""The Source conflicts page: empty on the demo; one recorded disagreement after importing two of our
own small files that disagree (a UPR Info-style export says Accepted, our template says Noted)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.importer import import_file
from tests.test_app import run_app
from upr import db, queries
from upr.filters import Filters
from upr.i18n import LANGS, t

CONFLICTS = "pages/conflicts.py"
DP_TEXT = "Abolish the death penalty for all crimes"
UPR_INFO_CSV = (
    "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
    f"Kazakhstan,Asia,OIC,{DP_TEXT},France,WEOG,EU,Accepted,5,Death penalty,20\n"
    "Kazakhstan,Asia,OIC,Strengthen the national preventive mechanism against torture,Spain,WEOG,EU,Accepted,4,"
    "Torture and other CID treatment,20\n"
)
TEMPLATE_CSV = (
    "State under review,Cycle,Paragraph,Recommendation,Recommending States,Response,Themes\n"
    f"Kazakhstan,2,126.1,{DP_TEXT},France,Noted,Death penalty\n"
)


@pytest.fixture
def conflict_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A database holding the two files, imported in this order; the app points at it."""
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    (tmp_path / "upr_info.csv").write_text(UPR_INFO_CSV, encoding="utf-8")
    (tmp_path / "recommendations.csv").write_text(TEMPLATE_CSV, encoding="utf-8")
    path = tmp_path / "conflict.duckdb"
    con = db.connect(path)
    first = import_file(con, tmp_path / "upr_info.csv")
    second = import_file(con, tmp_path / "recommendations.csv")
    assert (first.format, first.added, second.format, second.conflicts) == (
        "upr_info",
        2,
        "template_recommendations",
        1,
    )
    con.close()
    monkeypatch.setenv("UPR_DB", str(path))
    # Query results are cached by arguments, not by database: other tests' demo results must go.
    import streamlit as st

    st.cache_data.clear()
    yield path
    st.cache_data.clear()


def _rec_id(path: Path) -> str:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT rec_id FROM rec_text WHERE text = ?", [DP_TEXT]).fetchone()[0]
    finally:
        con.close()


def test_demo_has_no_conflicts(demo_con):
    assert queries.conflict_list(demo_con, Filters(), "en").empty
    assert queries.conflict_counts(demo_con, Filters()).empty


def test_conflict_recorded_and_listed(conflict_db):
    import duckdb

    con = duckdb.connect(str(conflict_db), read_only=True)
    rec_id = _rec_id(conflict_db)
    found = queries.conflict_list(con, Filters(), "ru")
    assert found[
        [
            "rec_id",
            "cycle",
            "ref",
            "field",
            "kept_value",
            "kept_source",
            "other_value",
            "other_source",
            "file_name",
            "text",
        ]
    ].values.tolist() == [
        [
            rec_id,
            2,
            "126.1",
            "response",
            "noted",
            "template_recommendations",
            "supported",
            "upr_info",
            "recommendations.csv",
            DP_TEXT,
        ]
    ]  # no Russian text: the original
    assert queries.conflict_counts(con, Filters()).values.tolist() == [["response", 1]]
    # Filtered like every page: another cycle, theme or State under review has none.
    assert queries.conflict_list(con, Filters(cycles=(1,)), "en").empty
    assert queries.conflict_list(con, Filters(themes=("torture",)), "en").empty
    assert queries.conflict_list(con, Filters(sur="SVN"), "en").empty
    assert len(queries.conflict_list(con, Filters(themes=("death_penalty",)), "en")) == 1
    # The Explorer's detail shows it too, with both sources read.
    d = queries.recommendation_detail(con, rec_id)
    assert d["conflicts"][["kept_value", "other_value"]].values.tolist() == [["noted", "supported"]]
    assert sorted(d["sources"]["format"]) == ["template_recommendations", "upr_info"]
    con.close()


@pytest.mark.parametrize("lang", LANGS)
def test_page_says_so_when_empty(app_db, lang):
    at = run_app(lang, CONFLICTS)
    assert not at.exception
    assert at.title[0].value == t("conflicts.title", lang)
    assert at.success[0].value == t("conflicts.none", lang)
    assert not at.dataframe


@pytest.mark.parametrize("lang", LANGS)
def test_page_lists_the_conflict(conflict_db, lang):
    at = run_app(lang, CONFLICTS)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 1
    row = table.iloc[0]
    assert (
        row[t("conflicts.col_kept_value", lang)]
        == {"en": "Noted", "ru": "Принята к сведению", "kk": "Назарға алынды"}[lang]
    )
    assert row[t("conflicts.col_other_source", lang)] == t("explorer.format_upr_info", lang)
    assert [m.value for m in at.metric] == ["1", "1"]
    assert at.metric[1].label == t("conflicts.by_field", lang, field=t("conflicts.field_response", lang))


def test_open_in_explorer(conflict_db):
    rec_id = _rec_id(conflict_db)
    at = run_app("en", CONFLICTS)
    assert at.selectbox(key="conflicts_rec").value == rec_id
    at.button(key="conflicts_open").click().run()
    assert not at.exception
    assert at.title[0].value == t("explorer.title", "en")
    assert at.selectbox(key="explorer_rec").value == rec_id
    assert at.query_params["rec"] == rec_id
    assert any(m.value == f"**{t('explorer.conflicts', 'en')}**" for m in at.markdown)
    kept = t("explorer.kept_value", "en")
    table = next(d.value for d in at.dataframe if kept in d.value.columns)
    assert table[[kept, t("explorer.other_value", "en")]].values.tolist() == [["Noted", "Supported"]]
