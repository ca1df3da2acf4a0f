"""Cycle comparison: queries on the demo and a tiny database, chart builders, the page under AppTest."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, utils

from etl.load import import_batch
from etl.model import Batch, RawRecommendation
from tests.test_app import run_app
from upr import charts, queries
from upr.filters import Filters
from upr.i18n import t
from upr.queries.compare import RECUR_THRESHOLD

# Death-penalty recommendations per cycle in the demo (DOMAIN.md: 16 in cycle 3; etl/demo.py).
DEATH_PENALTY = {1: 5, 2: 9, 3: 16, 4: 12}


def _ratio(x: str, y: str) -> float:
    return fuzz.token_set_ratio(x, y, processor=utils.default_process)


# --- queries -----------------------------------------------------------------------------------


def test_pair_summary_counts_and_supported_share(demo_con):
    df = queries.cycle_pair_summary(demo_con, Filters(), 3, 4)
    assert df["cycle"].tolist() == [3, 4]
    assert df["recommendations"].tolist() == [245, 294]
    assert df["supported"].tolist() == [214, 259]
    assert df["supported_pct"].tolist() == [round(100 * 214 / 245, 1), round(100 * 259 / 294, 1)]
    states = [
        demo_con.execute(
            "SELECT count(DISTINCT s.iso3) FROM rec_state s JOIN recommendation r ON r.id = s.rec_id "
            "JOIN review v ON v.id = r.review_id WHERE v.cycle = ?",
            [c],
        ).fetchone()[0]
        for c in (3, 4)
    ]
    assert df["states"].tolist() == states


def test_pair_summary_keeps_the_order_picked(demo_con):
    df = queries.cycle_pair_summary(demo_con, Filters(), 4, 1)
    assert df["cycle"].tolist() == [4, 1]
    assert df["recommendations"].tolist() == [294, 128]


def test_pair_summary_follows_the_sidebar_theme(demo_con):
    df = queries.cycle_pair_summary(demo_con, Filters(themes=("death_penalty",)), 2, 3)
    assert df["recommendations"].tolist() == [9, 16]


def test_theme_change_death_penalty_torture_justice(demo_con):
    df = queries.theme_change(demo_con, Filters(), 3, 4).set_index("code")
    assert df.loc["death_penalty", ["n_a", "n_b", "change"]].tolist() == [16, 12, -4]
    assert df.loc["torture", "n_a"] == 8
    assert df.loc["justice", "n_a"] == 5
    # One theme per demo recommendation: the columns add up to the cycles' totals.
    assert (df["n_a"].sum(), df["n_b"].sum()) == (245, 294)
    assert df["change"].tolist() == sorted(df["change"])


def _states_of(con, cycle: int) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT s.iso3 FROM rec_state s JOIN recommendation r ON r.id = s.rec_id "
            "JOIN review v ON v.id = r.review_id WHERE v.cycle = ? AND s.iso3 IS NOT NULL",
            [cycle],
        ).fetchall()
    }


def test_returning_states_match_a_direct_count(demo_con):
    a, b = _states_of(demo_con, 3), _states_of(demo_con, 4)
    df = queries.returning_states(demo_con, Filters(), 3, 4)
    assert set(df.loc[df["presence"] == "both", "iso3"]) == a & b
    assert set(df.loc[df["presence"] == "new", "iso3"]) == b - a
    assert set(df.loc[df["presence"] == "dropped", "iso3"]) == a - b
    tjk = df.set_index("iso3").loc["TJK"]
    expected = [
        demo_con.execute(
            "SELECT count(DISTINCT s.rec_id) FROM rec_state s JOIN recommendation r ON r.id = s.rec_id "
            "JOIN review v ON v.id = r.review_id WHERE v.cycle = ? AND s.iso3 = 'TJK'",
            [c],
        ).fetchone()[0]
        for c in (3, 4)
    ]
    assert [tjk["n_a"], tjk["n_b"]] == expected


@pytest.mark.parametrize(("a", "b"), [(1, 2), (2, 3), (3, 4)])
def test_death_penalty_recurs_in_each_pair_of_consecutive_cycles(demo_con, a, b):
    texts = {
        c: demo_con.execute(
            "SELECT r.id, x.text FROM recommendation r JOIN review v ON v.id = r.review_id "
            "JOIN rec_theme t ON t.rec_id = r.id AND t.theme_code = 'death_penalty' "
            "JOIN rec_text x ON x.rec_id = r.id AND x.lang = 'en' WHERE v.cycle = ?",
            [c],
        ).fetchall()
        for c in (a, b)
    }
    assert len(texts[a]) == DEATH_PENALTY[a] and len(texts[b]) == DEATH_PENALTY[b]
    # Independently: each later recommendation's best score against the earlier ones, one pair at a time.
    expected = {rid for rid, text in texts[b] if max(_ratio(text, old) for _, old in texts[a]) >= RECUR_THRESHOLD}

    pairs = queries.recurring_recommendations(demo_con, Filters(), a, b, "en")
    dp = pairs[pairs["theme_code"] == "death_penalty"]
    assert len(dp) > 0
    assert set(dp["id_b"]) == expected
    assert set(dp["id_a"]) <= {rid for rid, _ in texts[a]}
    assert (dp["score"] >= RECUR_THRESHOLD).all()
    assert dp["label_en"].unique().tolist() == ["Death penalty"]
    # The pair shows both texts, both refs and both responses.
    row = dp.iloc[0]
    assert row["text_a"] == dict(texts[a])[row["id_a"]]
    assert row["ref_b"] == row["id_b"].split("-", 2)[2]
    assert row["response_a"] in ("supported", "noted") and row["response_b"] in ("supported", "noted")


def test_recurring_texts_follow_the_language(demo_con):
    pairs = queries.recurring_recommendations(demo_con, Filters(themes=("death_penalty",)), 3, 4, "ru")
    assert len(pairs) == DEATH_PENALTY[4]
    assert all("смертн" in text.lower() for text in pairs["text_b"])


def test_every_later_recommendation_pairs_at_most_once(demo_con):
    pairs = queries.recurring_recommendations(demo_con, Filters(), 3, 4, "en")
    assert pairs["id_b"].is_unique
    assert len(pairs) <= 294


def test_threshold_separates_repeated_and_different_asks():
    # A shorter wording of the same ask scores 100; two different ratifications do not pair.
    assert _ratio("Abolish the death penalty", "Abolish the death penalty for all crimes") == 100
    assert (
        _ratio(
            "Ratify the Rome Statute of the International Criminal Court",
            "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance",
        )
        < RECUR_THRESHOLD
    )
    assert (
        _ratio(
            "Abolish the death penalty for all crimes",
            "Ratify the Second Optional Protocol to the ICCPR, aiming at the abolition of the death penalty",
        )
        < RECUR_THRESHOLD
    )


def _tiny(con) -> None:
    """Two cycles; the death-penalty ones exist only in Russian."""
    recs = [
        RawRecommendation(
            sur="KAZ",
            cycle=1,
            session=7,
            ref="95.1",
            lang="ru",
            text="Отменить смертную казнь",
            response="supported",
            recommending=["France"],
            themes=["death_penalty"],
        ),
        RawRecommendation(
            sur="KAZ",
            cycle=2,
            session=20,
            ref="124.1",
            lang="ru",
            text="Полностью отменить смертную казнь за все преступления",
            response="noted",
            recommending=["Atlantis"],
            themes=["death_penalty"],
        ),
        RawRecommendation(
            sur="KAZ",
            cycle=2,
            session=20,
            ref="124.2",
            lang="en",
            text="Protect bees",
            response="supported",
            recommending=["France", "Spain"],
            themes=["Apiculture"],
        ),
    ]
    batch = Batch(
        file="tiny.csv", format="template_recommendations", theme_source="canonical", rows_read=3, recommendations=recs
    )
    import_batch(con, batch, sha256="0" * 64)


def test_russian_only_texts_pair_on_the_russian(con):
    _tiny(con)
    pairs = queries.recurring_recommendations(con, Filters(), 1, 2, "en")
    assert pairs[["id_a", "id_b", "score"]].values.tolist() == [["KAZ-1-95.1", "KAZ-2-124.1", 100.0]]
    assert pairs["text_b"].tolist() == ["Полностью отменить смертную казнь за все преступления"]


def test_death_penalty_asked_in_every_cycle(demo_con):
    every = queries.themes_in_every_cycle(demo_con, Filters()).set_index("code")
    assert every.loc["death_penalty", ["n_1", "n_2", "n_3", "n_4"]].tolist() == [5, 9, 16, 12]
    assert every.loc["torture", "n_3"] == 8
    two = queries.themes_in_every_cycle(demo_con, Filters(cycles=(1, 4))).set_index("code")
    assert [c for c in two.columns if c.startswith("n_")] == ["n_1", "n_4"]
    assert two.loc["death_penalty", ["n_1", "n_4"]].tolist() == [5, 12]


def test_every_cycle_needs_the_theme_in_all_cycles(con):
    _tiny(con)
    every = queries.themes_in_every_cycle(con, Filters())
    assert every["code"].tolist() == ["death_penalty"]
    assert every[["n_1", "n_2"]].values.tolist() == [[1, 1]]
    assert queries.themes_in_every_cycle(con, Filters(cycles=(2,))).empty


# --- charts ------------------------------------------------------------------------------------


def test_theme_change_chart(demo_con):
    df = queries.theme_change(demo_con, Filters(), 3, 4)
    fig = charts.theme_change_chart(df, "en", "demo", "Cycle 3 (2019)", "Cycle 4 (2025)")
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert sum(bar.x) == 294 - 245
    dp = list(bar.y).index("Death penalty")
    assert bar.x[dp] == -4 and bar.marker.color[dp] == charts.SHRANK_COLOUR and bar.text[dp] == "-4"
    assert bar.customdata[dp][0] == "death_penalty"
    title = t("cycles.chart_theme_change", "en", a="Cycle 3 (2019)", b="Cycle 4 (2025)")
    assert fig.layout.title.text.replace("<br>", " ") == title  # on two lines where long, for a phone
    assert fig.layout.xaxis.title.text == "Change (Cycle 4 (2025)<br>minus Cycle 3 (2019))"  # short lines, for a phone
    assert fig.layout.annotations[-1].text == "Source: demo"
    # The biggest growth is drawn on top (last in the category order of a horizontal bar chart).
    assert list(fig.layout.yaxis.categoryarray)[-1] == bar.y[-1]
    assert bar.x[-1] == max(bar.x)


def test_returning_states_chart(demo_con):
    df = queries.returning_states(demo_con, Filters(), 3, 4)
    fig = charts.returning_states_chart(df, "ru", "demo", "A", "B", top=5)
    assert [tr.name for tr in fig.data] == ["B", "A"]
    assert fig.layout.legend.traceorder == "reversed"
    both = df[df["presence"] == "both"].assign(total=lambda d: d["n_a"] + d["n_b"])
    top = both.sort_values(["total", "name_en"], ascending=[False, True]).head(5)
    assert list(fig.data[1].y) == top["name_ru"].tolist()
    assert sum(fig.data[1].x) == top["n_a"].sum() and sum(fig.data[0].x) == top["n_b"].sum()
    assert [c[0] for c in fig.data[0].customdata] == top["iso3"].tolist()


def test_empty_charts_say_why(demo_con):
    empty = queries.theme_change(demo_con, Filters(themes=("no_such_theme",)), 3, 4)
    fig = charts.theme_change_chart(empty, "en", "demo", "A", "B")
    assert not fig.data and fig.layout.annotations[0].text.startswith("No data for this filter")


# --- the page ----------------------------------------------------------------------------------


def test_page_defaults_to_the_last_two_cycles(app_db, demo_con):
    at = run_app("en", "pages/cycles.py")
    assert not at.exception
    assert at.selectbox(key="cycles_a").value == 3 and at.selectbox(key="cycles_b").value == 4
    n3, n4 = len(_states_of(demo_con, 3)), len(_states_of(demo_con, 4))
    assert [m.value for m in at.metric][:6] == ["245", "87%", str(n3), "294", "88%", str(n4)]
    assert at.metric[4].delta == "+0.8 pp"


def test_page_compares_the_picked_cycles_under_a_theme_filter(app_db):
    at = run_app("en", "pages/cycles.py", cycles_a=1, cycles_b=3, filters_themes=["death_penalty"])
    assert not at.exception
    values = [m.value for m in at.metric]
    assert values[0] == "5" and values[3] == "16"
    assert at.metric[3].delta == "+11"


def test_page_lists_recurring_death_penalty(app_db):
    at = run_app("en", "pages/cycles.py", cycles_view="recurring", filters_themes=["death_penalty"])
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == DEATH_PENALTY[4]
    assert set(table["label_en"]) == {"Death penalty"}
    assert any("12 of the 12 recommendations of Cycle 4 (2025)" in md.value for md in at.markdown)


def test_page_every_cycle_table(app_db):
    at = run_app("ru", "pages/cycles.py", cycles_view="every")
    assert not at.exception
    table = at.dataframe[0].value.set_index("label_ru")
    assert table.loc["Смертная казнь", ["n_1", "n_2", "n_3", "n_4"]].tolist() == [5, 9, 16, 12]


def test_page_states_view(app_db, demo_con):
    at = run_app("kk", "pages/cycles.py", cycles_view="states")
    assert not at.exception
    a, b = _states_of(demo_con, 3), _states_of(demo_con, 4)
    assert [m.value for m in at.metric][6:] == [str(len(a & b)), str(len(b - a)), str(len(a - b))]


def test_same_cycle_twice_warns(app_db):
    at = run_app("en", "pages/cycles.py", cycles_a=2, cycles_b=2)
    assert not at.exception
    assert at.warning[0].value == t("cycles.same_cycle", "en")
