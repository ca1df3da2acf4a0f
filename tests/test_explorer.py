"""The Explorer: paged table, search, detail of one recommendation, export, and the URL round trip."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from etl.demo import demo_assessments, demo_recommendations
from tests.test_app import run_app
from ui.widgets import md_escape
from upr import queries
from upr.export import to_csv_bytes, to_xlsx_bytes
from upr.filters import Filters
from upr.i18n import LANGS, t

EXPLORER = "pages/explorer.py"
TOTAL = 128 + 194 + 245 + 294


@pytest.fixture(scope="module")
def demo_recs():
    return demo_recommendations()


def _ref_key(ref: str) -> tuple[int, int]:
    para, item = ref.split(".")
    return int(para), int(item)


# --- queries ---------------------------------------------------------------------------------


def test_count_and_search_in_both_languages(demo_con, demo_recs):
    assert queries.explorer_count(demo_con, Filters()) == TOTAL
    death_en = sum("death" in r.text.lower() for r in demo_recs)
    death_ru = sum("смертн" in r.translations["ru"].lower() for r in demo_recs)
    assert death_en == death_ru == 5 + 9 + 16 + 12  # the death penalty in each cycle (DOMAIN.md, demo)
    assert queries.explorer_count(demo_con, Filters(q="DEATH")) == death_en
    assert queries.explorer_count(demo_con, Filters(q="смертн")) == death_ru
    assert queries.explorer_count(demo_con, Filters(q="124.17")) == 1
    assert queries.explorer_count(demo_con, Filters(q="death", cycles=(3,))) == 16
    assert queries.explorer_count(demo_con, Filters(q="no such words")) == 0


def test_rows_are_paged_in_paragraph_order(demo_con, demo_recs):
    first = queries.explorer_rows(demo_con, Filters(), "en", 0)
    assert len(first) == 50
    expected = sorted((r.cycle, *_ref_key(r.ref)) for r in demo_recs)[:50]
    assert [(int(c), *_ref_key(ref)) for c, ref in zip(first["cycle"], first["ref"])] == expected
    assert first["ref"].tolist()[:11] == [f"95.{i}" for i in range(1, 12)]  # 95.10 after 95.9, not after 95.1
    last = queries.explorer_rows(demo_con, Filters(), "en", TOTAL // 50)
    assert len(last) == TOTAL % 50 == 11
    assert last["id"].iloc[-1] == "KAZ-4-157.35"
    assert queries.explorer_rows(demo_con, Filters(), "en", TOTAL // 50 + 1).empty


def test_rows_columns_in_each_language(demo_con, demo_recs):
    by_id = {f"KAZ-{r.cycle}-{r.ref}": r for r in demo_recs}
    en = queries.explorer_rows(demo_con, Filters(cycles=(2,)), "en", 0, 5)
    ru = queries.explorer_rows(demo_con, Filters(cycles=(2,)), "ru", 0, 5)
    kk = queries.explorer_rows(demo_con, Filters(cycles=(2,)), "kk", 0, 5)
    rec = by_id[en["id"].iloc[0]]
    assert en["text"].iloc[0] == rec.text
    assert ru["text"].iloc[0] == rec.translations["ru"]
    assert kk["text"].iloc[0] == rec.translations["ru"]  # no Kazakh translation: the Russian
    names = dict(demo_con.execute("SELECT name_en, name_ru FROM state").fetchall())
    assert en["states"].iloc[0] == ", ".join(sorted(rec.recommending))
    assert ru["states"].iloc[0] == ", ".join(sorted(names[n] for n in rec.recommending))
    theme = demo_con.execute("SELECT label_ru FROM theme WHERE label_en = ?", [rec.themes[0]]).fetchall()[0][0]
    assert ru["themes"].iloc[0] == theme
    assert en["response"].iloc[0] == rec.response


def test_rows_carry_current_status_per_source(demo_con, demo_recs):
    latest: dict[tuple[str, str], tuple] = {}
    for a in demo_assessments(demo_recs):  # the demo's history, in load order (ids ascend)
        key = (a.rec_id, a.source_kind)
        if key not in latest or a.as_of >= latest[key][0]:
            latest[key] = (a.as_of, a.status)
    rows = queries.explorer_rows(demo_con, Filters(cycles=(3,)), "en", None)
    assert len(rows) == 245
    for r in rows.itertuples():
        for kind in ("government", "ngo", "nhri"):
            want = latest.get((r.id, kind), (None, None))[1]
            got = getattr(r, f"status_{kind}")
            assert (got if isinstance(got, str) else None) == want, (r.id, kind)
    assert rows["status_un"].isna().all()
    only_ngo = queries.explorer_rows(demo_con, Filters(cycles=(3,), sources=("ngo",)), "en", 0)
    assert only_ngo["status_government"].isna().all()
    assert only_ngo["status_ngo"].notna().any()


def test_export_is_every_matching_row(demo_con):
    f = Filters(themes=("death_penalty",))
    rows = queries.explorer_rows(demo_con, f, "ru", None)
    assert len(rows) == queries.explorer_count(demo_con, f) == 42
    assert rows["id"].is_unique
    book = pd.read_excel(io.BytesIO(to_xlsx_bytes(rows)), engine="openpyxl")
    assert len(book) == 42
    csv = pd.read_csv(io.BytesIO(to_csv_bytes(rows)), encoding="utf-8-sig")
    assert csv["id"].tolist() == rows["id"].tolist()


def test_detail_of_one_recommendation(demo_con, demo_recs):
    rec = next(r for r in demo_recs if r.cycle == 3 and r.ref == "134.5")
    history = [a for a in demo_assessments(demo_recs) if a.rec_id == "KAZ-3-134.5"]
    d = queries.recommendation_detail(demo_con, "KAZ-3-134.5")
    head = d["rec"].iloc[0]
    assert (head["cycle"], head["ref"], head["response"], head["response_source"], head["year"]) == (
        3,
        "134.5",
        rec.response,
        "demo",
        2019,
    )
    assert d["texts"][["lang", "text", "is_original"]].values.tolist() == [
        ["en", rec.text, True],
        ["ru", rec.translations["ru"], False],
    ]
    assert d["states"]["name_en"].tolist() == sorted(rec.recommending)
    assert d["states"]["regional_group"].notna().all()
    codes = [
        demo_con.execute("SELECT code FROM theme WHERE label_en = ?", [lab]).fetchall()[0][0] for lab in rec.themes
    ]
    assert d["themes"]["theme_code"].tolist() == codes
    assert d["sources"][["file_name", "format", "row_number"]].values.tolist() == [
        ["demo: Kazakhstan, cycles 1–4", "demo", rec.row]
    ]
    assert d["conflicts"].empty
    got = d["assessments"]
    assert len(got) == len(history)
    assert [pd.Timestamp(x).date() for x in got["as_of"]] == sorted((a.as_of for a in history), reverse=True)
    assert set(got["organisation"]) == {a.organisation for a in history}


def test_detail_of_unknown_id_is_empty(demo_con):
    d = queries.recommendation_detail(demo_con, "KAZ-9-nothing")
    assert all(frame.empty for frame in d.values())


# --- the page --------------------------------------------------------------------------------


def _caption_texts(at) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.parametrize("lang", LANGS)
def test_page_renders_with_table_and_exports(app_db, lang):
    at = run_app(lang, EXPLORER)
    assert not at.exception
    assert at.title[0].value == t("explorer.title", lang)
    assert len(at.dataframe[0].value) == 50
    assert t("explorer.showing", lang, first=1, last=50, total="861") in _caption_texts(at)
    assert {b.key for b in at.download_button} == {"explorer_xlsx", "explorer_csv"}


def test_search_and_pages(app_db):
    at = run_app("en", EXPLORER)
    at.number_input(key="explorer_page").set_value(3).run()
    # Row 101 is cycle 1's paragraph 95.101 (95.1-95.102, then 97.1-97.26).
    assert at.dataframe[0].value.iloc[0, 0] == "KAZ-1-95.101"
    assert at.dataframe[0].value.iloc[2, 0] == "KAZ-1-97.1"
    assert t("explorer.showing", "en", first=101, last=150, total="861") in _caption_texts(at)
    at.text_input(key="explorer_q").input("смертн").run()
    assert not at.exception
    assert at.number_input(key="explorer_page").value == 1  # a new search starts on its first page
    assert len(at.dataframe[0].value) == 42
    assert at.query_params["q"] == "смертн"
    at.text_input(key="explorer_q").input("nothing like this").run()
    assert at.warning[0].value == t("common.no_data", "en", why=t("explorer.why_no_match", "en"))


def test_a_link_reopens_the_view(app_db):
    """q, rec and the sidebar filters from the URL: the same rows and the same recommendation."""
    from streamlit.testing.v1 import AppTest

    from tests.test_app import ROOT_APP

    at = AppTest.from_file(ROOT_APP, default_timeout=60)
    at.query_params.update({"q": "death", "cycles": "3", "rec": "KAZ-3-135.1", "lang": "en"})
    at.session_state["app_lang"] = "en"
    at.run()
    at.switch_page(EXPLORER)
    at.run()
    assert not at.exception
    assert at.text_input(key="explorer_q").value == "death"
    assert len(at.dataframe[0].value) == 16  # "death" alone matches 42; cycle 3 from the URL leaves 16
    assert at.selectbox(key="explorer_rec").value == "KAZ-3-135.1"
    assert any(m.value.startswith(f"### {md_escape('135.1')} · Cycle 3 (2019)") for m in at.markdown)


def test_detail_handed_over_by_id(app_db):
    at = run_app("ru", EXPLORER)
    at.session_state["explorer_open_rec"] = "KAZ-2-124.17"  # how the other pages hand a recommendation over
    at.run()
    assert at.selectbox(key="explorer_rec").value == "KAZ-2-124.17"
    assert not at.exception
    assert at.query_params["rec"] == "KAZ-2-124.17"
    assert any(m.value.startswith(f"### {md_escape('124.17')} · Цикл 2 (2014)") for m in at.markdown)
    n = sum(a.rec_id == "KAZ-2-124.17" for a in demo_assessments(demo_recommendations()))
    assert any(m.value == f"**{t('explorer.history', 'ru', n=n)}**" for m in at.markdown)
    at.session_state["explorer_open_rec"] = "KAZ-9-none"
    at.run()
    assert at.warning[0].value == t("explorer.detail_unknown", "ru", id=md_escape("KAZ-9-none"))


def test_search_highlights_its_matches_and_kazakh_reads_russian(app_db, demo_recs):
    at = run_app("kk", EXPLORER)
    # In Kazakh the table shows the Russian text (the demo has no Kazakh texts), not the English original.
    first = next(r for r in demo_recs if r.cycle == 1 and r.ref == "95.1")
    assert at.dataframe[0].value.iloc[0][t("explorer.col_text", "kk")] == first.translations["ru"]
    at.text_input(key="explorer_q").input("пытки").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 36
    (matches,) = [e for e in at.expander if e.label == t("explorer.matches", "kk")]
    lines = matches.markdown[0].value.split("\n")
    assert len(lines) == 36
    assert lines[0] == (
        "- **95\\.4** · Оперативно и беспристрастно расследовать все заявления о :orange-background[**пытках**] "
        "и жестоком обращении в соответствии со своими международными обязательствами"
    )
    # An English word finds the English original and the theme's name; both are shown highlighted.
    at.text_input(key="explorer_q").input("tortured").run()
    (matches,) = [e for e in at.expander if e.label == t("explorer.matches", "kk")]
    lines = matches.markdown[0].value.split("\n")
    assert len(lines) == 36
    assert lines[0] == (
        "- **95\\.4** · :gray-badge[English] Investigate promptly and impartially all allegations of "
        ":orange-background[**torture**] and ill\\-treatment, in line with its international obligations"
    )
