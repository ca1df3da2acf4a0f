"""A click on any status segment opens the Explorer with exactly that segment's recommendations.

For every status chart (the Status page's bars by cycle and by theme, its disagreement matrix for
every pair of sources, the Overview's «implemented by source»), under several sets of sidebar
filters, each segment's count as the chart carries it must equal the Explorer's count under the
filters the click sets (upr.clicks, what ui.widgets.chart hands to the sidebar).
"""

from __future__ import annotations

import itertools

import pytest

from tests.test_app import run_app
from upr import charts, clicks, queries
from upr.filters import Filters
from upr.i18n import t

BASES = [
    Filters(),
    Filters(cycles=(3, 4), themes=("women", "torture", "death_penalty")),
    Filters(status=("government:in_progress", "government:implemented")),
    Filters(status=("ngo:not_implemented",), responses=("supported",)),
    Filters(sources=("ngo", "government"), q="права"),
]


def _point(customdata) -> dict:
    return {"customdata": list(customdata)}


@pytest.mark.parametrize("f", BASES, ids=lambda f: str(f.to_query()) or "none")
@pytest.mark.parametrize("by", ["cycle", "theme"])
def test_every_status_bar_segment_opens_its_recommendations(demo_con, f, by):
    frame = queries.status_by_cycle(demo_con, f) if by == "cycle" else queries.status_by_theme(demo_con, f)
    fig = charts.status_bars(frame, by, "ru", "source")
    segments = [cd for trace in fig.data for cd in trace.customdata]
    assert len(segments) == len(frame) > 0
    assert sum(int(cd[3]) for cd in segments) == int(frame["n"].sum())
    for cd in segments:
        values = clicks.status_bar(_point(cd), f, by)
        assert cd[0] != ""  # every demo recommendation has a canonical theme: each bar opens
        opened = clicks.apply(f, values)
        assert queries.explorer_count(demo_con, opened) == int(cd[3]), (cd, values)


def test_the_ngo_not_implemented_segment_of_2025_opens_74(demo_con):
    fig = charts.status_bars(queries.status_by_cycle(demo_con, Filters()), "cycle", "ru", "source")
    (cd,) = [cd for tr in fig.data for cd in tr.customdata if cd[:3] == [4, "ngo", "not_implemented"]]
    assert cd[3] == 74 and cd[4] == 233
    values = clicks.status_bar(_point(cd), Filters(), "cycle")
    assert values == {"sources": ["ngo"], "status": ["ngo:not_implemented"], "cycles": [4]}
    assert queries.explorer_count(demo_con, clicks.apply(Filters(), values)) == 74


@pytest.mark.parametrize("f", BASES, ids=lambda f: str(f.to_query()) or "none")
def test_every_matrix_cell_opens_its_recommendations(demo_con, f):
    sources = queries.assessment_sources(demo_con, f)
    pairs = list(itertools.permutations(sources, 2))
    assert pairs
    for a, b in pairs:
        fig = charts.status_matrix_heatmap(queries.status_matrix(demo_con, f, a, b), a, b, "en", "source")
        if not fig.data:  # no recommendation assessed by both: nothing to click
            continue
        heat = fig.data[0]
        cells = clicks.clickable_cells(fig).data[-1]  # what the pointer meets: one marker per cell
        assert cells.type == "scatter" and len(cells.customdata) == len(heat.z) * len(heat.z[0])
        assert [list(c) for c in cells.customdata] == [
            [*cd, n] for r_z, r_cd in zip(heat.z, heat.customdata) for n, cd in zip(r_z, r_cd)
        ]
        for row_z, row_cd in zip(heat.z, heat.customdata):
            for n, cd in zip(row_z, row_cd):
                values = clicks.status_cell(_point(cd), f, a, b)
                if not values:  # a status the sidebar leaves out: an empty cell, nothing to open
                    assert n == 0
                    continue
                opened = clicks.apply(f, values)
                assert queries.explorer_count(demo_con, opened) == n, (a, b, cd)


@pytest.mark.parametrize("f", BASES, ids=lambda f: str(f.to_query()) or "none")
def test_every_implemented_bar_opens_its_recommendations(demo_con, f):
    share = queries.implemented_share(demo_con, f)
    fig = charts.implemented_by_source(share, queries.cycle_overview(demo_con, f), "en", "source")
    bars = [(cd, y) for trace in fig.data for cd, y in zip(trace.customdata, trace.y)]
    assert len(bars) == len(share)
    for cd, pct in bars:
        cycle, source, assessed = cd
        values = clicks.implemented_bar(_point(cd), f)
        if not values:  # «implemented» left out by the sidebar for this source: 0%, nothing to open
            assert pct == 0
            continue
        n = queries.explorer_count(demo_con, clicks.apply(f, values))
        assert round(100.0 * n / assessed, 1) == pct, cd
        row = share[(share["cycle"] == cycle) & (share["source_kind"] == source)]
        assert n == int(row["implemented"].iloc[0])


def test_a_click_keeps_the_other_sources_status_and_narrows_its_own():
    f = Filters(cycles=(2, 3), status=("government:implemented", "ngo:no_progress", "ngo:in_progress"))
    bar = clicks.status_bar(_point([3, "ngo", "in_progress", 1, 2]), f, "cycle")
    assert bar == {"sources": ["ngo"], "status": ["government:implemented", "ngo:in_progress"], "cycles": [3]}
    assert clicks.status_bar(_point([3, "ngo", "not_implemented", 1, 2]), f, "cycle") == {}
    cell = clicks.status_cell(_point(["implemented", "in_progress"]), f, "nhri", "ngo")
    assert cell == {
        "sources": ["nhri", "ngo"],
        "status": ["government:implemented", "nhri:implemented", "ngo:in_progress"],
    }
    assert clicks.status_cell(_point(["implemented", "implemented"]), f, "government", "ngo") == {}
    theme = clicks.status_bar(_point(["torture", "un", "implemented", 1, 1]), f, "theme")
    assert theme["themes"] == ["torture"] and "cycles" not in theme
    assert clicks.status_bar(_point(["", "un", "implemented", 1, 1]), f, "theme") == {
        "sources": ["un"],
        "status": ["government:implemented", "ngo:no_progress", "ngo:in_progress", "un:implemented"],
        "themes": ["__none__"],
    }


def test_the_explorer_opens_with_the_clicked_filters(app_db):
    """What the click leaves in the sidebar's state: the Explorer shows those 74 and says which status."""
    values = clicks.status_bar(_point([4, "ngo", "not_implemented", 74, 233]), Filters(), "cycle")
    state = {f"filters_{k}": v for k, v in values.items()}
    at = run_app("ru", "pages/explorer.py", **state)
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert t("explorer.showing", "ru", first=1, last=50, total="74") in captions
    assert t("explorer.status_active", "ru", statuses="НПО: Не выполнена") in captions
    assert at.query_params["status"] == "ngo:not_implemented"
    assert at.query_params["cycles"] == "4"
    at.button(key="explorer_status_clear").click().run()
    # (AppTest reruns only the page, not app.py's sidebar: the browser test sees the 294 come back.)
    assert at.session_state["filters_status"] == []


def test_the_no_theme_bar_opens_the_recommendations_without_a_theme(demo_copy):
    """Recommendations whose themes map to no canonical theme have their own bar; it opens them."""
    from upr import db

    con = db.connect(demo_copy)
    con.execute(
        "DELETE FROM rec_theme WHERE rec_id IN (SELECT r.id FROM recommendation r JOIN review v ON v.id = r.review_id "
        "WHERE v.cycle = 2 AND r.ref LIKE '124.%')"
    )
    unthemed = con.execute(
        "SELECT count(*) FROM recommendation r JOIN review v ON v.id = r.review_id WHERE v.cycle = 2 AND r.ref LIKE '124.%'"
    ).fetchone()[0]
    assert unthemed == 39 and queries.has_unthemed(con, "KAZ")
    assert queries.explorer_count(con, Filters(themes=("__none__",))) == unthemed
    for f in (Filters(), Filters(themes=("__none__", "women")), Filters(cycles=(2,), status=("ngo:implemented",))):
        fig = charts.status_bars(queries.status_by_theme(con, f), "theme", "kk", "source")
        segments = [cd for trace in fig.data for cd in trace.customdata]
        assert any(cd[0] == "" for cd in segments)
        for cd in segments:
            opened = clicks.apply(f, clicks.status_bar(_point(cd), f, "theme"))
            assert queries.explorer_count(con, opened) == int(cd[3]), cd
    con.close()


def test_the_sidebar_keeps_the_no_theme_choice(app_db):
    from upr import db

    con = db.connect(app_db)
    con.execute(
        "DELETE FROM rec_theme WHERE rec_id IN (SELECT r.id FROM recommendation r JOIN review v ON v.id = r.review_id "
        "WHERE v.cycle = 2 AND r.ref LIKE '124.%')"
    )
    con.close()
    at = run_app("ru", "pages/explorer.py", filters_themes=["__none__"])
    assert not at.exception
    assert at.session_state["filters_themes"] == ["__none__"]
    assert t("explorer.showing", "ru", first=1, last=39, total="39") in [c.value for c in at.caption]
    assert at.query_params["themes"] == "__none__"
