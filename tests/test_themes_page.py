"""Themes page: distribution, theme × cycle, drill-down; chart builders; the page under AppTest."""

from __future__ import annotations

from tests.test_app import run_app
from tests.test_cycles import DEATH_PENALTY, _tiny
from upr import charts, queries
from upr.filters import Filters
from upr.i18n import t


def _direct(con, sql: str, *params: object) -> int:
    return con.execute(sql, list(params)).fetchone()[0]


def test_distribution_counts_each_theme(demo_con):
    df = queries.theme_distribution(demo_con, Filters())
    by_code = dict(zip(df["code"], df["n"]))
    assert by_code["death_penalty"] == sum(DEATH_PENALTY.values())
    assert by_code["torture"] == _direct(demo_con, "SELECT count(*) FROM rec_theme WHERE theme_code = 'torture'")
    # One canonical theme per demo recommendation, and none without: no "no theme" row.
    assert df["n"].sum() == 861
    assert df["code"].notna().all()
    assert df["n"].tolist() == sorted(df["n"], reverse=True)


def test_distribution_keeps_unthemed_and_multi_themed(con):
    _tiny(con)
    df = queries.theme_distribution(con, Filters())
    assert df[["code", "n"]].astype(object).where(df[["code", "n"]].notna(), None).values.tolist() == [
        ["death_penalty", 2],
        [None, 1],
    ]


def test_distribution_follows_filters(demo_con):
    df = queries.theme_distribution(demo_con, Filters(cycles=(3,), responses=("noted",)))
    assert df["n"].sum() == 245 - 214


def test_theme_cycle_matrix(demo_con):
    df = queries.theme_cycle_matrix(demo_con, Filters())
    dp = df[df["code"] == "death_penalty"]
    assert dict(zip(dp["cycle"], dp["n"])) == DEATH_PENALTY
    cycle3 = df[df["cycle"] == 3].set_index("code")["n"]
    assert (cycle3["torture"], cycle3["justice"]) == (8, 5)
    assert df.groupby("cycle")["n"].sum().to_dict() == {1: 128, 2: 194, 3: 245, 4: 294}


def test_theme_recommendations_language_and_labels(demo_con):
    ru = queries.theme_recommendations(demo_con, Filters(), "death_penalty", "ru")
    assert len(ru) == 42
    assert list(ru.columns) == ["id", "cycle", "ref", "text", "response", "source_themes"]
    assert ru["cycle"].value_counts().sort_index().to_dict() == DEATH_PENALTY
    assert all("смертн" in x.lower() or "казн" in x.lower() for x in ru["text"])
    assert set(ru["source_themes"]) == {"Death penalty"}  # the label as the source wrote it
    en = queries.theme_recommendations(demo_con, Filters(cycles=(3,)), "death_penalty", "en")
    assert len(en) == 16 and all("death penalty" in x for x in en["text"])
    # Paragraph order, not string order: 135.9 before 135.10.
    refs = [tuple(int(p) for p in r.split(".")) for r in en["ref"]]
    assert refs == sorted(refs)


def test_theme_recommendations_falls_back_to_the_original(con):
    _tiny(con)
    # No English translation of the Russian originals: the original shows.
    df = queries.theme_recommendations(con, Filters(), "death_penalty", "en")
    assert df["text"].tolist() == ["Отменить смертную казнь", "Полностью отменить смертную казнь за все преступления"]
    none = queries.theme_recommendations(con, Filters(), "", "en")
    assert none[["id", "source_themes"]].values.tolist() == [["KAZ-2-124.2", "Apiculture"]]


def test_treemap_builder(con):
    from upr.charts.core import wrap_text

    _tiny(con)
    df = queries.theme_distribution(con, Filters())
    fig = charts.theme_treemap(df, "ru", "src")
    tm = fig.data[0]
    assert tm.type == "treemap"
    assert list(tm.ids) == ["death_penalty", charts.NO_THEME_ID]
    assert list(tm.labels) == ["Смертная казнь", t("themes.no_theme", "ru")]
    assert list(tm.values) == [2, 1]
    assert tm.marker.colors[1] == charts.NO_GROUP_COLOUR
    # Tiles carry the name on short lines and the count; a label too small to read is hidden.
    assert list(tm.text) == ["Смертная казнь", "Без темы"]
    assert wrap_text("Trafficking in persons and forced labour", 16) == "Trafficking in<br>persons and<br>forced labour"
    assert tm.texttemplate == "%{text}<br><b>%{value}</b>"
    assert fig.layout.uniformtext.mode == "hide" and fig.layout.uniformtext.minsize == 10
    assert fig.layout.title.text == t("themes.chart_treemap", "ru")
    assert fig.layout.annotations[-1].text == t("common.source_note", "ru", source="src")


def test_heatmap_builder(demo_con):
    df = queries.theme_cycle_matrix(demo_con, Filters())
    cycles = queries.cycle_overview(demo_con, Filters())
    fig = charts.theme_cycle_heatmap(df, cycles, "en", "src")
    heat, cells = fig.data
    assert list(heat.x) == ["Cycle 1 (2010)", "Cycle 2 (2014)", "Cycle 3 (2019)", "Cycle 4 (2025)"]
    row = list(heat.y).index("Death penalty")
    assert list(heat.z[row]) == [5, 9, 16, 12]
    assert heat.texttemplate == "%{z}"
    assert sum(sum(r) for r in heat.z) == 861
    assert len(cells.customdata) == len(heat.y) * 4
    assert ["death_penalty", 3, 16] in [list(c) for c in cells.customdata]
    assert fig.layout.xaxis.title.text == "Cycle" and fig.layout.yaxis.title.text == "Theme"


def test_page_drills_down(app_db, demo_con):
    at = run_app("en", "pages/themes.py", themes_pick="torture")
    assert not at.exception
    n = _direct(demo_con, "SELECT count(DISTINCT rec_id) FROM rec_theme WHERE theme_code = 'torture'")
    assert len(at.dataframe[0].value) == n
    assert any(md.value == t("themes.drill_count", "en", theme="Torture and ill-treatment", n=n) for md in at.markdown)


def test_page_defaults_to_the_largest_theme_and_follows_the_sidebar(app_db):
    at = run_app("ru", "pages/themes.py", filters_cycles=[3])
    assert not at.exception
    assert at.selectbox(key="themes_pick").value == "international_instruments"
    at = run_app("ru", "pages/themes.py", filters_cycles=[3], themes_pick="death_penalty")
    assert len(at.dataframe[0].value) == 16
