"""The Implementation status page: its queries on the demo, its chart builders, and the page under AppTest.

Expected figures are computed here in plain Python from the raw assessment rows (or taken from the
demo's definition), never from the functions under test.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd
import pytest

from tests.test_app import run_app
from upr import charts, queries
from upr.filters import Filters
from upr.i18n import LANGS, t
from upr.queries.status import STATUS_ORDINAL
from upr.vocab import label

STATUS_PAGE = "pages/status.py"
# The demo's supported recommendations per cycle: the government assesses every one of them.
SUPPORTED = {1: 121, 2: 143, 3: 214, 4: 259}


def _history(con) -> list[tuple]:
    """Every assessment row with its recommendation's cycle: (rec_id, cycle, source, status, as_of, id)."""
    return con.execute(
        """
        SELECT a.rec_id, v.cycle, a.source_kind, a.status, a.as_of, a.id
        FROM assessment a JOIN recommendation r ON r.id = a.rec_id JOIN review v ON v.id = r.review_id
        """
    ).fetchall()


def _current(rows: list[tuple], until: date | None = None) -> dict[tuple[str, str], tuple]:
    """(rec, source) -> the latest row by (as_of, id), optionally among rows dated `until` or earlier."""
    out: dict[tuple[str, str], tuple] = {}
    for row in rows:
        if until is not None and row[4] > until:
            continue
        key = (row[0], row[2])
        if key not in out or (row[4], row[5]) > (out[key][4], out[key][5]):
            out[key] = row
    return out


@pytest.fixture(scope="module")
def history(demo_con) -> list[tuple]:
    return _history(demo_con)


# --- queries ---------------------------------------------------------------------------------


def test_assessment_sources(demo_con):
    assert queries.assessment_sources(demo_con, Filters()) == ["government", "ngo", "nhri"]
    assert queries.assessment_sources(demo_con, Filters(sources=("ngo",))) == ["ngo"]
    # Kazakhstan noted every death-penalty recommendation: only the NGOs follow those up.
    assert queries.assessment_sources(demo_con, Filters(themes=("death_penalty",))) == ["ngo"]


def test_status_by_cycle_matches_latest_assessments(demo_con, history):
    df = queries.status_by_cycle(demo_con, Filters())
    expected = Counter((row[1], row[2], row[3]) for row in _current(history).values())
    got = {(int(r.cycle), r.source_kind, r.status): int(r.n) for r in df.itertuples()}
    assert got == dict(expected)
    gov = df[df["source_kind"] == "government"].groupby("cycle")["n"].sum().to_dict()
    assert gov == SUPPORTED
    assert dict(zip(df["cycle"], df["year"])) == {1: 2010, 2: 2014, 3: 2019, 4: 2025}


def test_status_by_cycle_follows_filters(demo_con, history):
    df = queries.status_by_cycle(demo_con, Filters(cycles=(3,), sources=("nhri",)))
    expected = Counter(row[3] for row in _current(history).values() if row[1] == 3 and row[2] == "nhri")
    assert set(df["source_kind"]) == {"nhri"}
    assert dict(zip(df["status"], df["n"])) == dict(expected)
    assert int(df["n"].sum()) == 39


def test_status_by_theme_counts_each_theme(demo_con, history):
    themes = dict(demo_con.execute("SELECT rec_id, theme_code FROM rec_theme").fetchall())  # one theme each in the demo
    df = queries.status_by_theme(demo_con, Filters())
    expected = Counter((themes[row[0]], row[2], row[3]) for row in _current(history).values())
    got = {(r.theme, r.source_kind, r.status): int(r.n) for r in df.itertuples()}
    assert got == dict(expected)
    torture = df[(df["theme"] == "torture") & (df["source_kind"] == "government")]
    label_ru = demo_con.execute("SELECT label_ru FROM theme WHERE code = 'torture'").fetchone()[0]
    assert set(torture["label_ru"]) == {label_ru}
    # Ordered by the canonical list's order.
    sorts = df.drop_duplicates("theme")["sort"].tolist()
    assert sorts == sorted(sorts)


def test_status_by_theme_keeps_only_chosen_themes(demo_con, history):
    df = queries.status_by_theme(demo_con, Filters(themes=("death_penalty",)))
    assert set(df["theme"]) == {"death_penalty"}
    assert set(zip(df["source_kind"], df["status"])) == {("ngo", "not_implemented")}
    dp = {
        r for r, th in demo_con.execute("SELECT rec_id, theme_code FROM rec_theme").fetchall() if th == "death_penalty"
    }
    assert int(df["n"].sum()) == sum(1 for row in _current(history).values() if row[0] in dp)


def test_status_matrix_counts_pairs(demo_con, history):
    cur = _current(history)
    expected = Counter(
        (cur[(rec, "government")][3], cur[(rec, "ngo")][3])
        for rec, src in cur
        if src == "government" and (rec, "ngo") in cur
    )
    df = queries.status_matrix(demo_con, Filters())
    assert {(r.status_a, r.status_b): int(r.n) for r in df.itertuples()} == dict(expected)
    assert int(df["n"].sum()) == 635
    assert queries.status_matrix(demo_con, Filters(sources=("government",))).empty


def test_status_disagreements_sorted_by_gap(demo_con, history):
    cur = _current(history)
    gaps = {
        rec: abs(STATUS_ORDINAL[cur[(rec, "government")][3]] - STATUS_ORDINAL[cur[(rec, "ngo")][3]])
        for rec, src in cur
        if src == "government" and (rec, "ngo") in cur
    }
    differing = {rec: g for rec, g in gaps.items() if g > 0}
    df = queries.status_disagreements(demo_con, Filters(), "ru", "government", "ngo", 20)
    assert len(df) == 20
    assert int(df["differing"].iloc[0]) == len(differing) == 447
    assert df["gap"].tolist() == sorted(df["gap"], reverse=True)
    assert df["gap"].iloc[0] == max(differing.values()) == 5
    assert all(differing[i] == g for i, g in zip(df["id"], df["gap"]))
    first = df.iloc[0]
    assert first["status_a"] == cur[(first["id"], "government")][3]
    assert first["status_b"] == cur[(first["id"], "ngo")][3]
    assert pd.Timestamp(first["as_of_b"]).date() == cur[(first["id"], "ngo")][4]
    ru = demo_con.execute("SELECT text FROM rec_text WHERE rec_id = ? AND lang = 'ru'", [first["id"]]).fetchone()[0]
    assert first["text"] == ru
    # Within one gap, by cycle then paragraph as a number.
    top = df[df["gap"] == 5]
    assert top["cycle"].tolist() == sorted(top["cycle"])


def test_status_timeline_is_a_snapshot_at_each_date(demo_con, history):
    df = queries.status_timeline(demo_con, Filters())
    dates = sorted({(row[2], row[4]) for row in history})
    assert sorted(set(zip(df["source_kind"], (pd.Timestamp(d).date() for d in df["as_of"])))) == dates
    for src, day in dates:
        expected = Counter(r[3] for (_, s), r in _current(history, day).items() if s == src)
        part = df[(df["source_kind"] == src) & (df["as_of"] == pd.Timestamp(day))]
        got = {s: int(n) for s, n in zip(part["status"], part["n"]) if n}
        assert got == dict(expected), (src, day)
    gov_end = df[(df["source_kind"] == "government") & (df["as_of"] == pd.Timestamp(date(2025, 9, 30)))]
    assert int(gov_end["n"].sum()) == sum(SUPPORTED.values()) == 737


def test_status_queries_empty_for_no_match(demo_con):
    f = Filters(sur="SVN")
    assert queries.status_by_cycle(demo_con, f).empty
    assert queries.status_by_theme(demo_con, f).empty
    assert queries.status_timeline(demo_con, f).empty
    assert queries.assessment_sources(demo_con, f) == []


# --- chart builders --------------------------------------------------------------------------


def test_status_bars_by_cycle(demo_con):
    df = queries.status_by_cycle(demo_con, Filters())
    fig = charts.status_bars(df, "cycle", "en", "test source")
    assert fig.layout.title.text == t("status.chart_by_cycle", "en")
    assert [a.text for a in fig.layout.annotations[:3]] == ["Government", "NGOs", "Ombudsman (NHRI)"]
    assert any(a.text == t("common.source_note", "en", source="test source") for a in fig.layout.annotations)
    # Each (cycle, source) bar adds up to 100% and carries its exact counts.
    totals: Counter = Counter()
    counts: Counter = Counter()
    for trace in fig.data:
        assert trace.marker.color == charts.STATUS_COLOURS[trace.customdata[0][2]]
        for x, cd in zip(trace.x, trace.customdata):
            totals[(cd[0], cd[1])] += x
            counts[(cd[0], cd[1])] += cd[3]
            assert cd[4] == int(df[(df["cycle"] == cd[0]) & (df["source_kind"] == cd[1])]["n"].sum())
    assert all(v == pytest.approx(100.0) for v in totals.values())
    assert {k: v for k, v in counts.items() if k[1] == "government"} == {
        (c, "government"): n for c, n in SUPPORTED.items()
    }
    assert len(totals) == 4 + 4 + 1  # government and NGOs in every cycle, the ombudsman in cycle 3
    legend = [tr.name for tr in fig.data if tr.showlegend]
    assert legend == [label("status", s, "en") for s in charts.STATUS_COLOURS if s in set(df["status"])]
    assert list(fig.layout.yaxis.categoryarray) == [
        "Cycle 1 (2010)",
        "Cycle 2 (2014)",
        "Cycle 3 (2019)",
        "Cycle 4 (2025)",
    ]


def test_status_bars_by_theme_in_russian(demo_con):
    df = queries.status_by_theme(demo_con, Filters(cycles=(3,)))
    fig = charts.status_bars(df, "theme", "ru", "src")
    labels = demo_con.execute("SELECT code, label_ru FROM theme").fetchall()
    assert set(fig.layout.yaxis.categoryarray) == {lab for code, lab in labels if code in set(df["theme"])}
    assert fig.layout.title.text == t("status.chart_by_theme", "ru")
    # One axis title under the three panels, not one per panel running into the next.
    assert [a.text for a in fig.layout.annotations if a.name == "x_title"] == [t("status.axis_share", "ru")]
    assert [ax.title.text for ax in fig.select_xaxes()] == [None, None, None]
    assert fig.layout.height >= 190 + 34 * df["theme"].nunique()
    torture = [cd for tr in fig.data for cd in tr.customdata if cd[0] == "torture" and cd[1] == "government"]
    assert {cd[4] for cd in torture} == {
        int(df[(df["theme"] == "torture") & (df["source_kind"] == "government")]["n"].sum())
    }


def test_status_bars_empty_says_why():
    fig = charts.status_bars(pd.DataFrame(columns=["cycle", "year", "source_kind", "status", "n"]), "cycle", "en", "s")
    assert not fig.data
    assert fig.layout.annotations[0].text == t("common.no_data", "en", why=t("status.why_no_assessments", "en"))


def test_status_matrix_heatmap(demo_con):
    df = queries.status_matrix(demo_con, Filters())
    fig = charts.status_matrix_heatmap(df, "government", "ngo", "en", "src")
    heat = fig.data[0]
    assert sum(map(sum, heat.z)) == 635
    assert list(heat.y) == [
        label("status", s, "en")
        for s in (
            "implemented",
            "partially_implemented",
            "in_progress",
            "formally_implemented",
            "no_progress",
            "not_implemented",
        )
    ]
    i = list(heat.y).index("Implemented")
    j = list(heat.y).index("Partially implemented")
    assert heat.z[i][j] == int(
        df[(df["status_a"] == "implemented") & (df["status_b"] == "partially_implemented")]["n"].iloc[0]
    )
    assert heat.text[i][j] == str(heat.z[i][j])
    assert fig.layout.title.text == t("status.chart_matrix", "en", a="Government", b="NGOs", n=635)
    assert fig.layout.xaxis.title.text == "Assessment by NGOs"
    assert fig.layout.yaxis.title.text == "Assessment by Government"
    assert len(fig.layout.shapes) == len(heat.y)  # the agreement diagonal


def test_status_timeline_chart(demo_con):
    df = queries.status_timeline(demo_con, Filters())
    fig = charts.status_timeline_chart(df, "ru", "src")
    assert fig.layout.title.text == t("status.chart_timeline", "ru")
    gov_impl = [tr for tr in fig.data if tr.xaxis == "x" and tr.name == label("status", "implemented", "ru")][0]
    assert list(gov_impl.y) == [73, 145, 209, 279, 306]
    assert {tr.stackgroup for tr in fig.data} == {"s1", "s2", "s3"}
    assert [a.text for a in fig.layout.annotations if a.name == "x_title"] == [t("status.axis_date", "ru")]


# --- the page --------------------------------------------------------------------------------


def _chart_titles(at) -> list[str]:
    import json

    return [json.loads(el.proto.spec)["layout"]["title"]["text"] for el in at.get("plotly_chart")]


@pytest.mark.parametrize("lang", LANGS)
def test_page_renders_each_view(app_db, lang):
    at = run_app(lang, STATUS_PAGE)
    assert not at.exception
    assert at.title[0].value == t("status.title", lang)
    assert _chart_titles(at) == [t("status.chart_by_cycle", lang)]
    at.segmented_control(key="status_by").set_value("theme").run()
    assert not at.exception
    assert _chart_titles(at) == [t("status.chart_by_theme", lang)]
    at.segmented_control(key="status_view").set_value("disagree").run()
    assert not at.exception
    assert at.selectbox(key="status_a").value == "government"
    assert at.selectbox(key="status_b").value == "ngo"
    assert _chart_titles(at) == [
        t(
            "status.chart_matrix",
            lang,
            a=label("source_kind", "government", lang),
            b=label("source_kind", "ngo", lang),
            n=635,
        )
    ]
    assert len(at.dataframe[0].value) == 50
    at.segmented_control(key="status_view").set_value("timeline").run()
    assert not at.exception
    assert _chart_titles(at) == [t("status.chart_timeline", lang)]


def test_page_compares_other_sources(app_db):
    at = run_app("en", STATUS_PAGE)
    at.segmented_control(key="status_view").set_value("disagree").run()
    at.selectbox(key="status_b").set_value("nhri").run()
    assert not at.exception
    assert _chart_titles(at)[0].startswith("Government × Ombudsman (NHRI)")


def test_page_follows_the_source_filter(app_db):
    at = run_app("en", STATUS_PAGE, filters_sources=["government"])
    assert not at.exception
    at.segmented_control(key="status_view").set_value("disagree").run()
    assert at.warning[0].value == t("common.no_data", "en", why=t("status.why_one_source", "en"))


def test_page_says_why_when_nothing_is_assessed(app_db):
    at = run_app("en", STATUS_PAGE, filters_themes=["death_penalty"], filters_sources=["government"])
    assert not at.exception
    assert at.warning[0].value == t("common.no_data", "en", why=t("status.why_no_assessments", "en"))
    assert not at.get("plotly_chart")
