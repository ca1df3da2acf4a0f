"""The reader's language throughout: agency names, the demo's own texts (its comments and its plan),
and users' data shown as written."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.test_app import run_app
from upr.agencies import agency_name, display_name, find_agency
from upr.demo_i18n import demo_text, is_demo_text
from upr.i18n import LANGS, catalog, t

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


@pytest.mark.parametrize(
    ("written", "lang", "shown"),
    [
        ("Ministry of Justice", "kk", "Әділет министрлігі"),
        ("Ministry of Justice", "ru", "Министерство юстиции"),
        ("Ministry of Labour and Social Protection", "ru", "Министерство труда и социальной защиты населения"),
        ("Prosecutor General's Office", "kk", "Бас прокуратура"),
        ("МВД", "en", "Ministry of Internal Affairs"),
        ("Министерство юстиции Республики Казахстан", "en", "Ministry of Justice"),
        ("ministry of  justice.", "ru", "Министерство юстиции"),
        ("Ministry of Justice; МВД", "kk", "Әділет министрлігі; Ішкі істер министрлігі"),
        ("Akimat of Almaty", "ru", "Akimat of Almaty"),  # no shipped agency: as written
        ("Ministry of Justice; Akimat of Almaty", "ru", "Министерство юстиции; Akimat of Almaty"),
    ],
)
def test_an_agency_as_written_is_shown_in_the_readers_language(written, lang, shown):
    assert display_name(written, lang) == shown


def test_what_is_no_agency_name_passes_through():
    assert display_name(None, "ru") is None
    assert display_name("", "ru") == ""
    nan = float("nan")
    assert display_name(nan, "ru") is nan
    assert find_agency("Ministry of Magic") is None
    assert agency_name("MJ", "kk") == "Әділет министрлігі"
    assert agency_name("XYZ", "kk") == "XYZ"


def test_every_demo_agency_resolves_to_a_shipped_agency():
    from etl.demo import AGENCIES

    assert {display_name(a, "ru") for a in AGENCIES.values()} == {
        "Министерство юстиции",
        "Генеральная прокуратура",
        "Министерство иностранных дел",
        "Министерство труда и социальной защиты населения",
        "Министерство просвещения",
        "Министерство здравоохранения",
        "Министерство культуры и информации",
        "Министерство внутренних дел",
    }


def test_demo_texts_follow_the_readers_language_and_users_texts_do_not():
    stored = t("demo.comment_government", "ru")
    assert demo_text(stored, "en") == "Illustrative government assessment (demo data)"
    assert demo_text(stored, "kk") == "Үкімет бағасының мысалы (демо-деректер)"
    assert demo_text(stored, "ru") == stored
    # The comment a demo built before this change stored, in English.
    assert demo_text("Illustrative demo assessment", "ru") == "Иллюстративная оценка (демонстрационные данные)"
    assert demo_text("Проект закона", "en") == "Draft law"
    # A user's comment, even one that looks like the demo's, is shown as written.
    mine = "Иллюстративная оценка правительства"
    assert demo_text(mine, "en") == mine and not is_demo_text(mine)
    assert demo_text(None, "en") is None


def test_the_demo_catalog_is_translated_and_its_russian_texts_are_distinct():
    ru = {k: v for k, v in catalog("ru").items() if k.startswith("demo.")}
    assert len(set(ru.values())) == len(ru) == 77
    for key in ru:
        assert not CYRILLIC.search(t(key, "en")), key
        assert t(key, "kk") != ru[key], key


def test_demo_assessments_carry_the_catalogs_russian_comments(demo_con):
    got = demo_con.execute(
        "SELECT source_kind, comment, count(*) FROM assessment GROUP BY ALL ORDER BY 1, 2"
    ).fetchall()
    comments = {r[1] for r in got}
    assert comments == {t(f"demo.comment_{k}", "ru") for k in ("government", "ngo", "nhri", "ngo_noted")}
    assert all(is_demo_text(c) for c in comments)
    assert sum(r[2] for r in got) == demo_con.execute("SELECT count(*) FROM assessment").fetchone()[0]


def test_every_text_of_the_demo_plan_is_the_demos_own(demo_con):
    plan = demo_con.execute("SELECT name, act, illustrative, lang FROM plan").fetchall()
    assert plan == [(t("demo.plan_name", "ru"), t("demo.plan_act", "ru"), True, "ru")]
    sections = [r[0] for r in demo_con.execute("SELECT title FROM plan_section ORDER BY number").fetchall()]
    assert sections == [t(f"demo.section_{n}", "ru") for n in range(1, 10)]
    items = demo_con.execute(
        "SELECT measure, completion_form, deadline_text, expected_result FROM plan_item ORDER BY sort"
    ).fetchall()
    assert [i[0] for i in items] == [t(f"demo.measure_{n}", "ru") for n in range(1, 42)]
    assert all(is_demo_text(v) for item in items for v in item)
    assert demo_text(items[30][0], "en") == "Investigation of torture complaints by the prosecution service"
    assert demo_text(items[0][2], "en") == "Q4 2024"


def _frames(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


@pytest.mark.parametrize("lang", LANGS)
def test_the_plan_page_shows_the_demo_plan_in_the_readers_language(app_db, lang):
    at = run_app(lang, "pages/plan.py", plan_view="items")
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="plan_plan").format_func(at.selectbox(key="plan_plan").value) == t("demo.plan_name", lang)
    assert t("demo.plan_act", lang) in [c.value for c in at.caption]
    table = _frames(at)[0]
    assert list(table[t("plan.col_measure", lang)])[:2] == [t("demo.measure_1", lang), t("demo.measure_2", lang)]
    assert table[t("plan.col_form", lang)].iloc[0] == t("demo.form_law", lang)
    assert table[t("plan.col_deadline", lang)].iloc[0] == t("demo.deadline_1", lang)
    at.segmented_control(key="plan_view").set_value("sections").run()
    assert _frames(at)[0][t("plan.col_section", lang)].iloc[1] == f"2. {t('demo.section_2', lang)}"


@pytest.mark.parametrize("lang", ["en", "kk"])
def test_the_work_list_shows_the_demos_comments_in_the_readers_language(app_db, lang):
    at = run_app(lang, "pages/worklist.py")
    assert not at.exception, [e.value for e in at.exception]
    rows = _frames(at)[1]
    comments = set(rows[t("worklist.col_comment", lang)])
    assert comments == {t("demo.comment_government", lang)}


@pytest.mark.parametrize("lang", LANGS)
def test_the_explorer_detail_names_the_agency_and_the_comments_in_the_readers_language(app_db, lang):
    at = run_app(lang, "pages/explorer.py")
    at.session_state["explorer_open_rec"] = "KAZ-3-134.1"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    from etl.demo import demo_recommendations

    rec = next(r for r in demo_recommendations() if f"KAZ-{r.cycle}-{r.ref}" == "KAZ-3-134.1")
    agency = display_name(rec.agency, lang)
    assert rec.agency and agency != rec.agency or lang == "en"
    assert f"**{t('explorer.agency', lang)}:** {agency}" in [m.value for m in at.markdown]
    history = _frames(at)[-1]
    comments = set(history[t("explorer.comment", lang)])
    assert comments and comments <= {t(f"demo.comment_{k}", lang) for k in ("government", "ngo", "nhri", "ngo_noted")}
    assert set(history[t("explorer.organisation", lang)]) == {
        {"ru": "Министерство юстиции", "en": "Ministry of Justice", "kk": "Әділет министрлігі"}[lang],
        "Коалиция НПО Казахстана по УПО",  # an NGO's name as written
    }
    sources = next(f for f in _frames(at) if t("explorer.file", lang) in f.columns)
    assert list(sources[t("explorer.file", lang)]) == [t("demo.file", lang)]


def test_the_demo_import_is_named_in_the_readers_language():
    assert demo_text("demo: Kazakhstan, cycles 1–4", "kk") == "демо: Қазақстан, 1–4 циклдер"
    assert demo_text("demo: Kazakhstan, cycles 1–4", "ru") == "демо: Казахстан, циклы 1–4"
    assert demo_text("kazakhstan-cycle-4.xlsx", "ru") == "kazakhstan-cycle-4.xlsx"


@pytest.mark.parametrize("lang", LANGS)
def test_the_sidebar_names_the_demo_plan_in_the_readers_language(app_db, lang):
    at = run_app(lang)
    assert not at.exception
    assert at.multiselect(key="filters_plans").options == [t("demo.plan_name", lang)]


@pytest.mark.parametrize("lang", LANGS)
def test_the_import_history_names_the_demo_and_its_format_in_the_readers_language(app_db, lang):
    at = run_app(lang, "pages/history.py")
    assert not at.exception, [e.value for e in at.exception]
    table = next(f for f in _frames(at) if t("history.col_file", lang) in f.columns)
    assert list(table[t("history.col_file", lang)]) == [t("demo.file", lang)]
    assert list(table[t("history.col_format", lang)]) == [t("explorer.format_demo", lang)]


@pytest.mark.parametrize(
    ("lang", "coalition"),
    [
        ("ru", "Коалиция НПО Казахстана по УПО"),
        ("en", "NGO Coalition of Kazakhstan on the UPR"),
        ("kk", "Қазақстанның ЖМШ жөніндегі ҮЕҰ коалициясы"),
    ],
)
def test_the_coalition_is_named_in_the_readers_language(app_db, lang, coalition):
    at = run_app(lang, "pages/plan.py", plan_view="coalition")
    assert not at.exception, [e.value for e in at.exception]
    assert coalition in [c.value for c in at.caption]
    assert len(_frames(at)[0]) == 7


@pytest.mark.parametrize(
    ("lang", "shown"), [("ru", "Цикл 4 (2025)"), ("en", "Cycle 4 (2025)"), ("kk", "4-цикл (2025)")]
)
def test_the_work_list_names_its_cycles_in_words(app_db, lang, shown):
    at = run_app(lang, "pages/worklist.py")
    box = at.selectbox(key="worklist_cycle")
    assert box.value == 4 and box.format_func(box.value) == shown


def test_an_empty_cell_of_the_explorer_detail_stays_empty(app_db):
    """No evidence given: the cell is empty, not Streamlit's English «None»."""
    at = run_app("kk", "pages/explorer.py")
    at.session_state["explorer_open_rec"] = "KAZ-4-156.3"
    at.run()
    history = next(f for f in _frames(at) if t("explorer.evidence", "kk") in f.columns)
    assert list(history[t("explorer.evidence", "kk")]) == [""]
