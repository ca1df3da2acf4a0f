"""Search with word forms: the Kazakh rules on real words, the stems, the index every import keeps,
and the Explorer's counts for the search box's own examples, against queries written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.demo import demo_recommendations
from etl.importer import import_file
from etl.revert import revert_import
from tests.conftest import FIXTURES
from tests.test_reconcile import REPORT_TXT
from upr import queries
from upr.filters import Filters
from upr.kazakh import stem_kk
from upr.search import NOTHING, highlight, marked, query_terms, refresh_index, stems, text_keys, theme_matches

# --- Kazakh ----------------------------------------------------------------------------------

KAZAKH = {
    # torture: the verbal noun and its case forms
    "азаптау": "азаптау",
    "азаптауға": "азаптау",
    "азаптаудың": "азаптау",
    "азаптаумен": "азаптау",
    # death penalty: possessive, then accusative, dative, genitive, locative after it
    "өлім": "өлім",
    "жазасы": "жаза",
    "жазасын": "жаза",
    "жазасына": "жаза",
    "жазасының": "жаза",
    "жазасында": "жаза",
    # women, children, rights: plural, possessive and case in a chain
    "әйел": "әйел",
    "әйелдер": "әйел",
    "әйелдердің": "әйел",
    "әйелдерге": "әйел",
    "балалар": "бала",
    "балалардың": "бала",
    "балаларының": "бала",
    "құқық": "құқық",
    "құқықтары": "құқық",
    "құқықтарын": "құқық",
    "құқығы": "құқық",  # қ voiced before the vowel, turned back
    "адамдарға": "адам",
    "адамның": "адам",
    "заңның": "заң",
    "елдің": "ел",
    "соттар": "сот",
    "Қазақстанда": "қазақстан",
    "Қазақстандағы": "қазақстан",
    "Қазақстаннан": "қазақстан",
    "бостандығы": "бостандық",
    "тілін": "тіл",
    # words that only look inflected stay whole
    "Астана": "астана",
    "білім": "білім",
    "теңдік": "теңдік",
    "ел": "ел",
}


@pytest.mark.parametrize("word", list(KAZAKH))
def test_kazakh_word_forms_meet_at_one_stem(word):
    assert stem_kk(word) == KAZAKH[word]


def test_russian_and_english_stems_with_the_fleeting_vowel():
    assert stems("пытки", "ru") == ("пытк",)
    assert stems("пыток", "ru") == ("пыток", "пытк")  # genitive plural: its vowel comes and goes
    assert stems("казни", "ru") == stems("казнь", "ru") == ("казн",)
    assert stems("penalties", "en") == stems("penalty", "en") == ("penalti",)
    assert stems("торговля", "xx") == ()


def test_index_keys_and_query_terms():
    assert text_keys([("ru", "Против пыток"), ("en", "Torture")], ["torture"]) == (
        " en:tortur ru:прот ru:пытк ru:пыток t:torture w:torture w:против w:пыток "
    )
    assert query_terms("") == []
    assert query_terms("124.17") == [[NOTHING]]  # a paragraph is looked up as such
    assert query_terms("KAZ-3-134.5") == [[NOTHING]]
    assert query_terms("?!") == [[NOTHING]]
    assert query_terms("о пытках") == [[" kk:пытках ", " ru:пытк ", " t:torture ", " w:пытках"]]
    assert query_terms("death") == [[" en:death ", " es:death ", " fr:death ", " t:death_penalty ", " w:death"]]
    assert theme_matches("жазасы") == ["death_penalty"]
    assert theme_matches("права") == [
        "national_framework",
        "human_rights_education",
        "right_to_life",
        "women",
        "children",
        "disability",
        "labour",
        "health",
        "education",
        "economic_social",
    ]


def test_highlight_marks_word_forms_and_escapes():
    pieces = highlight("Ратифицировать Конвенцию против пыток; пытки [запрещены]", "пытки")
    assert pieces == [
        ("Ратифицировать Конвенцию против ", False),
        ("пыток", True),
        ("; ", False),
        ("пытки", True),
        (" [запрещены]", False),
    ]
    assert highlight("Abolish the death penalty", "penalties death") == [
        ("Abolish the ", False),
        ("death", True),
        (" ", False),
        ("penalty", True),
    ]
    assert highlight("попытки", "пыт") == [("по", False), ("пыт", True), ("ки", False)]  # as typed
    assert highlight("", "x") == [] and highlight("text", "") == [("text", False)]
    shown = marked("a*b пытки", "пытки", lambda s: s.replace("*", r"\*"), lambda s: f"<{s}>")
    assert shown == r"a\*b <пытки>"


# --- the Explorer's search on the demo -------------------------------------------------------


@pytest.fixture(scope="module")
def demo_recs():
    return demo_recommendations()


def _ids(con, q: str, **more) -> set[str]:
    return set(queries.explorer_rows(con, Filters(q=q, **more), "ru", None)["id"])


def _by_hand(recs, keep) -> set[str]:
    return {f"KAZ-{r.cycle}-{r.ref}" for r in recs if keep(r)}


def test_the_placeholder_examples_find_what_they_promise(demo_con, demo_recs):
    death = _by_hand(demo_recs, lambda r: "Death penalty" in r.themes)
    assert len(death) == 42
    assert death == _by_hand(demo_recs, lambda r: "смертн" in r.translations["ru"].lower())
    for q in ("смертная казнь", "казнь смертная", "смертной казни", "өлім жазасы", "өлім жазасын", "death penalty"):
        assert _ids(demo_con, q) == death, q
        assert queries.explorer_count(demo_con, Filters(q=q)) == 42
    torture = _by_hand(demo_recs, lambda r: "Torture and ill-treatment" in r.themes)
    assert len(torture) == 36
    assert _ids(demo_con, "пыт") == torture == _by_hand(demo_recs, lambda r: "пыт" in r.translations["ru"].lower())
    for q in ("пытки", "пыток", "пытках", "азаптау", "torture", "Пытки и жестокое обращение"):
        assert _ids(demo_con, q) == torture, q
    # Before, «пытки» found only the texts holding that very form.
    assert len(_by_hand(demo_recs, lambda r: "пытки" in r.translations["ru"].lower())) == 11


def test_every_word_must_match_and_filters_still_apply(demo_con, demo_recs):
    women = _by_hand(demo_recs, lambda r: "Women's rights and gender equality" in r.themes)
    assert _ids(demo_con, "әйелдердің") == _ids(demo_con, "женщин") == women
    assert len(women) == 64
    assert _ids(demo_con, "смертная казнь женщин") == _by_hand(
        demo_recs, lambda r: "Death penalty" in r.themes and "Women's rights and gender equality" in r.themes
    )
    assert _ids(demo_con, "смертная казнь", cycles=(3,)) == {
        i for i in _by_hand(demo_recs, lambda r: "Death penalty" in r.themes) if i.startswith("KAZ-3-")
    }
    assert queries.explorer_count(demo_con, Filters(q="124.17")) == 1
    assert queries.explorer_count(demo_con, Filters(q="KAZ-3-134.5")) == 1
    assert queries.explorer_count(demo_con, Filters(q="пытки зебра")) == 0


# --- a Kazakh text, and the index through imports and reverts ---------------------------------


def _one_text(con, rec_id: str, texts: dict[str, str], themes: tuple[str, ...] = ()) -> None:
    con.execute("INSERT INTO review VALUES (1, 'KAZ', 3, 34, DATE '2019-11-07', 'A/HRC/43/10') ON CONFLICT DO NOTHING")
    con.execute(
        "INSERT INTO recommendation (id, review_id, ref, response, import_id) VALUES (?, 1, ?, 'supported', 1)",
        [rec_id, rec_id.split("-")[-1]],
    )
    for i, (lang, text) in enumerate(texts.items()):
        con.execute("INSERT INTO rec_text VALUES (?, ?, ?, ?, 1)", [rec_id, lang, text, i == 0])
    for code in themes:
        con.execute(
            "INSERT INTO rec_theme (rec_id, theme_code, source, source_label, import_id) VALUES (?, ?, 'x', ?, 1)",
            [rec_id, code, code],
        )


def test_kazakh_texts_are_found_in_their_forms(con):
    _one_text(con, "KAZ-3-1.1", {"en": "Abolish the death penalty", "kk": "Өлім жазасын толық жою"})
    _one_text(con, "KAZ-3-1.2", {"en": "Protect the rights of children", "kk": "Балалардың құқықтарын қорғау"})
    _one_text(con, "KAZ-3-1.3", {"en": "Prevent torture", "ru": "Предотвращать пытки"})
    assert refresh_index(con) == 3
    assert refresh_index(con) == 0  # nothing changed: nothing read again
    found = {
        q: sorted(queries.explorer_rows(con, Filters(q=q), "kk", None)["id"])
        for q in ("өлім жазасы", "жазасына", "балалар құқығы", "құқықтары балалардың", "пыткам", "азаптау")
    }
    assert found == {
        "өлім жазасы": ["KAZ-3-1.1"],
        "жазасына": ["KAZ-3-1.1"],
        "балалар құқығы": ["KAZ-3-1.2"],
        "құқықтары балалардың": ["KAZ-3-1.2"],
        "пыткам": ["KAZ-3-1.3"],
        "азаптау": [],  # no text or theme of it
    }
    # The Kazakh reader sees the Kazakh text, else the Russian, else the original.
    rows = queries.explorer_rows(con, Filters(), "kk", None)
    assert rows["text"].tolist() == ["Өлім жазасын толық жою", "Балалардың құқықтарын қорғау", "Предотвращать пытки"]
    con.execute("UPDATE rec_text SET text = 'Азаптауға жол бермеу' WHERE rec_id = 'KAZ-3-1.3' AND lang = 'ru'")
    con.execute("UPDATE rec_text SET lang = 'kk' WHERE rec_id = 'KAZ-3-1.3' AND lang = 'ru'")
    con.execute("DELETE FROM rec_text WHERE rec_id = 'KAZ-3-1.2'")
    con.execute("DELETE FROM recommendation WHERE id = 'KAZ-3-1.2'")
    assert refresh_index(con) == 1
    assert con.execute("SELECT rec_id FROM rec_search ORDER BY 1").fetchall() == [("KAZ-3-1.1",), ("KAZ-3-1.3",)]
    assert queries.explorer_count(con, Filters(q="азаптау")) == 1
    assert queries.explorer_count(con, Filters(q="пыткам")) == 0


def _index_in_step(con) -> None:
    """Every recommendation has one index row, equal to what its texts and themes give today."""
    texts: dict[str, list] = {}
    for rec_id, lang, text in con.execute("SELECT rec_id, lang, text FROM rec_text ORDER BY rec_id, lang").fetchall():
        texts.setdefault(rec_id, []).append((lang, text))
    themes: dict[str, list] = {}
    for rec_id, code in con.execute(
        "SELECT DISTINCT rec_id, theme_code FROM rec_theme WHERE theme_code IS NOT NULL"
    ).fetchall():
        themes.setdefault(rec_id, []).append(code)
    want = {
        r[0]: text_keys(texts.get(r[0], ()), themes.get(r[0], ()))
        for r in con.execute("SELECT id FROM recommendation").fetchall()
    }
    got = con.execute("SELECT rec_id, keys FROM rec_search").fetchall()
    assert len(got) == len(want)
    assert dict(got) == want


def test_the_demo_is_indexed(demo_con):
    _index_in_step(demo_con)
    assert demo_con.execute("SELECT count(*) FROM rec_search").fetchall() == [(861,)]


def test_imports_and_reverts_keep_the_index_in_step(con, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    report_file = tmp_path / "report.txt"
    report_file.write_text(REPORT_TXT, encoding="utf-8")
    first = import_file(con, FIXTURES / "upr_info" / "upr_info_macroman_cr.csv")
    _index_in_step(con)
    assert queries.explorer_count(con, Filters(q="death penalties")) == 1  # UPR Info merged the two
    second = import_file(con, report_file)  # the report numbers them apart: two
    assert not second.errors
    _index_in_step(con)
    assert queries.explorer_count(con, Filters(q="death penalties")) == 2
    revert_import(con, second.import_id, who="test")
    _index_in_step(con)
    assert queries.explorer_count(con, Filters(q="death penalties")) == 1
    revert_import(con, first.import_id, who="test")
    assert con.execute("SELECT count(*) FROM rec_search").fetchall() == [(0,)]


@pytest.mark.parametrize("version", [5, 6])
def test_an_older_database_is_indexed_on_upgrade(tmp_path: Path, version: int):
    import duckdb

    from upr import db

    path = tmp_path / f"v{version}.duckdb"
    old = duckdb.connect(str(path))
    db.migrate(old, target=version)
    _one_text(old, "KAZ-3-1.1", {"en": "Abolish the death penalty", "ru": "Отменить смертную казнь"})
    old.close()
    con = db.connect(path)
    assert queries.explorer_count(con, Filters(q="смертная казнь")) == 1
    _index_in_step(con)
    con.close()
