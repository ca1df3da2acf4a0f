"""Recommending States page: counts per State and regional group, unresolved names, the real UPR Info
export, chart builders, and the page under AppTest."""

from __future__ import annotations

import pytest

from tests.conftest import real_file
from tests.test_app import run_app
from tests.test_cycles import _tiny
from upr import charts, db, queries
from upr.filters import Filters
from upr.i18n import t
from upr.vocab import label


def _pairs_by_state(con) -> dict[str, int]:
    return dict(
        con.execute(
            "SELECT iso3, count(DISTINCT rec_id) FROM rec_state WHERE iso3 IS NOT NULL GROUP BY iso3"
        ).fetchall()
    )


def test_state_counts_match_a_direct_count(demo_con):
    df = queries.state_counts(demo_con, Filters())
    expected = _pairs_by_state(demo_con)
    assert dict(zip(df["iso3"], df["recommendations"])) == expected
    assert df["recommendations"].sum() == demo_con.execute("SELECT count(*) FROM rec_state").fetchone()[0] == 877
    assert df["recommendations"].tolist() == sorted(df["recommendations"], reverse=True)
    top = df.iloc[0]
    supported = demo_con.execute(
        "SELECT count(*) FROM rec_state s JOIN recommendation r ON r.id = s.rec_id "
        "WHERE s.iso3 = ? AND r.response = 'supported'",
        [top["iso3"]],
    ).fetchone()[0]
    assert top["supported"] == supported
    assert top["supported_pct"] == round(100 * supported / top["recommendations"], 1)


def test_state_filter_keeps_only_the_chosen_states(demo_con):
    df = queries.state_counts(demo_con, Filters(states=("FRA",)))
    assert df["iso3"].tolist() == ["FRA"]
    assert df["recommendations"].tolist() == [_pairs_by_state(demo_con)["FRA"]]


def test_regional_groups_add_up_to_the_pairs(demo_con):
    df = queries.regional_group_counts(demo_con, Filters())
    assert df["pairs"].sum() == 877
    direct = dict(
        demo_con.execute(
            "SELECT st.regional_group, count(DISTINCT s.rec_id) FROM rec_state s JOIN state st ON st.iso3 = s.iso3 "
            "GROUP BY ALL"
        ).fetchall()
    )
    assert dict(zip(df["regional_group"], df["recommendations"])) == direct
    totals = queries.recommending_totals(demo_con, Filters()).iloc[0]
    assert (totals["states"], totals["recommendations"], totals["pairs"], totals["unresolved_pairs"]) == (
        len(_pairs_by_state(demo_con)),
        861,
        877,
        0,
    )


def test_unresolved_names_are_counted_not_dropped(con):
    _tiny(con)
    f = Filters()
    assert queries.unresolved_states(con, f).values.tolist() == [["Atlantis", 1]]
    groups = queries.regional_group_counts(con, f)
    assert groups[["recommendations", "pairs"]].values.tolist() == [[2, 3], [1, 1]]
    assert groups["regional_group"].isna().tolist() == [False, True]
    assert queries.state_counts(con, f)["iso3"].tolist() == ["FRA", "ESP"]
    totals = queries.recommending_totals(con, f).iloc[0]
    assert (totals["states"], totals["recommendations"], totals["pairs"], totals["unresolved_pairs"]) == (2, 3, 4, 1)


def test_state_recommendations(demo_con):
    df = queries.state_recommendations(demo_con, Filters(), "FRA", "ru")
    assert len(df) == _pairs_by_state(demo_con)["FRA"]
    assert list(df.columns) == ["id", "cycle", "ref", "text", "response", "themes"]
    assert df["cycle"].tolist() == sorted(df["cycle"])
    row = df.iloc[0]
    theme = demo_con.execute(
        "SELECT th.label_ru FROM rec_theme x JOIN theme th ON th.code = x.theme_code WHERE x.rec_id = ?", [row["id"]]
    ).fetchone()[0]
    text = demo_con.execute("SELECT text FROM rec_text WHERE rec_id = ? AND lang = 'ru'", [row["id"]]).fetchone()[0]
    assert (row["themes"], row["text"]) == (theme, text)


@pytest.fixture
def upr_info_con(tmp_path, monkeypatch):
    from etl.importer import import_file

    path = real_file("upr-info-export", "upr-info_sessions17-20.xls")
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    connection = db.connect(":memory:")
    import_file(connection, path)
    yield connection
    connection.close()


def test_real_upr_info_export_shows_71_states_for_2014(upr_info_con):
    f = Filters(sur="KAZ", cycles=(2,))
    counts = queries.state_counts(upr_info_con, f)
    assert len(counts) == 71
    assert counts["recommendations"].sum() == 198  # README: 198 rows for Kazakhstan
    assert queries.unresolved_states(upr_info_con, f).empty
    assert queries.regional_group_counts(upr_info_con, f)["pairs"].sum() == 198


# --- charts ------------------------------------------------------------------------------------


def test_top_states_chart(demo_con):
    df = queries.state_counts(demo_con, Filters())
    fig = charts.top_states_chart(df, "en", "src", 10)
    top = df.head(10)
    assert sum(sum(tr.x) for tr in fig.data) == top["recommendations"].sum()
    assert sorted(n for tr in fig.data for n in tr.y) == sorted(top["name_en"])
    for tr in fig.data:
        code = next(g for g in charts.REGIONAL_COLOURS if label("regional_group", g, "en") == tr.name)
        assert tr.marker.color == charts.REGIONAL_COLOURS[code]
        assert set(top.loc[top["iso3"].isin([c[0] for c in tr.customdata]), "regional_group"]) == {code}
    assert list(fig.layout.yaxis.categoryarray) == top["name_en"].tolist()[::-1]
    # On two lines where long, to fit a phone's width.
    assert fig.layout.title.text.replace("<br>", " ") == t("states.chart_top", "en", n=10)
    assert fig.layout.xaxis.title.text == t("common.count", "en")


def test_choropleth_and_groups_charts(demo_con):
    df = queries.state_counts(demo_con, Filters())
    fig = charts.states_choropleth(df, "ru", "src")
    geo = fig.data[0]
    assert (geo.type, geo.locationmode) == ("choropleth", "ISO-3")
    assert list(geo.locations) == df["iso3"].tolist() and sum(geo.z) == 877
    groups = queries.regional_group_counts(demo_con, Filters())
    bars = charts.regional_groups_chart(groups, "ru", "src").data[0]
    assert sum(bars.x) == groups["recommendations"].sum()
    weog = groups.set_index("regional_group").loc["weog"]
    i = list(bars.y).index(label("regional_group", "weog", "ru"))
    assert bars.text[i] == t(
        "states.bar_text", "ru", n=int(weog["recommendations"]), pct=f"{weog['supported_pct']:.0f}"
    )
    assert bars.marker.color[i] == charts.REGIONAL_COLOURS["weog"]


def test_groups_chart_names_the_unresolved(con):
    _tiny(con)
    bars = charts.regional_groups_chart(queries.regional_group_counts(con, Filters()), "en", "src").data[0]
    assert t("states.group_unknown", "en") in bars.y


# --- the page ----------------------------------------------------------------------------------


def test_page_top_n_and_pick(app_db, demo_con):
    at = run_app("en", "pages/states.py", states_topn=5, states_pick="FRA")
    assert not at.exception
    assert at.number_input(key="states_topn").value == 5
    assert len(at.dataframe[0].value) == _pairs_by_state(demo_con)["FRA"]
    assert any(
        md.value == t("states.drill_count", "en", state="France", n=_pairs_by_state(demo_con)["FRA"])
        for md in at.markdown
    )
    assert at.caption[1].value == t("states.unresolved_none", "en")


def test_page_follows_the_response_filter(app_db, demo_con):
    at = run_app("ru", "pages/states.py", filters_responses=["noted"], states_view="groups")
    assert not at.exception
    noted_pairs = demo_con.execute(
        "SELECT count(*) FROM rec_state s JOIN recommendation r ON r.id = s.rec_id WHERE r.response = 'noted'"
    ).fetchone()[0]
    assert any(f"({noted_pairs} " in md.value for md in at.markdown)
