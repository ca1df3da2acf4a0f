"""The global filters: URL round trip, and pruning unused clauses changes no result."""

from __future__ import annotations

import pytest

from upr.filters import FILTERED_RECS, Filters, prune

FILTER_SETS = [
    Filters(),
    Filters(cycles=(3,)),
    Filters(themes=("death_penalty",), cycles=(2, 3)),
    Filters(responses=("noted",), states=("FRA", "DEU")),
    Filters(groups=("women_girls",)),
    Filters(q="смертн"),
    Filters(q="death", responses=("supported", "noted"), themes=("death_penalty", "torture")),
    Filters(q="өлім жазасы"),
    Filters(status=("ngo:not_implemented",), cycles=(4,)),
    Filters(status=("ngo:not_implemented", "ngo:no_progress", "government:implemented")),
]


@pytest.mark.parametrize("f", FILTER_SETS, ids=lambda f: str(f.to_query()) or "none")
def test_pruning_gives_the_same_recommendations(demo_con, f):
    sql = f"SELECT id FROM ({FILTERED_RECS}) ORDER BY id"
    full = demo_con.execute(sql, f.params()).fetchall()
    pruned_sql, params = prune(sql, f.params())
    assert demo_con.execute(pruned_sql, params).fetchall() == full
    assert set(params) == {"sur"} | {k for k, v in f.params().items() if v}


def test_pruning_drops_only_unset_clauses():
    sql, params = prune(FILTERED_RECS, Filters(themes=("torture",)).params())
    assert "$themes" in sql and "$cycles" not in sql and "$q" not in sql
    assert params == {"sur": "KAZ", "themes": ["torture"]}


def test_filters_round_trip_through_the_url():
    f = Filters(cycles=(3, 4), themes=("death_penalty",), q="смерт", extra=(("slide", "2"),))
    query = f.to_query()
    assert query == {"cycles": "3,4", "themes": "death_penalty", "q": "смерт", "slide": "2"}
    assert Filters.from_query(query) == f
    g = Filters(cycles=(4,), status=("ngo:not_implemented", "government:implemented"))
    assert g.to_query() == {"cycles": "4", "status": "ngo:not_implemented,government:implemented"}
    assert Filters.from_query(g.to_query()) == g


def test_status_filter_from_older_links_and_bad_values():
    f = Filters.from_query({"status_ngo": "not_implemented,no_progress", "status": "government:implemented,bad"})
    assert f.status == ("government:implemented", "ngo:not_implemented", "ngo:no_progress")
    assert f.extra == ()


def test_status_filter_narrows_one_source_and_keeps_the_others():
    f = Filters(status=("ngo:no_progress", "ngo:in_progress", "government:implemented"))
    assert f.with_status("ngo", "not_implemented") == ("government:implemented", "ngo:not_implemented")
    assert Filters().with_status("un", "implemented") == ("un:implemented",)


def test_status_filter_is_the_current_status_by_each_source(demo_con):
    """The latest assessment per source counts (as on the Status page), and sources combine with AND."""
    current = dict(
        ((rec, kind), status)
        for rec, kind, status in demo_con.execute(
            """
            SELECT rec_id, source_kind, arg_max(status, (as_of, id)) FROM assessment GROUP BY ALL
            """
        ).fetchall()
    )
    cycle4 = {
        r[0]
        for r in demo_con.execute(
            "SELECT r.id FROM recommendation r JOIN review v ON v.id = r.review_id WHERE v.cycle = 4"
        ).fetchall()
    }

    def ids(f: Filters) -> set[str]:
        return {r[0] for r in demo_con.execute(*prune(f"SELECT id FROM ({FILTERED_RECS})", f.params())).fetchall()}

    ngo_not = {r for r in cycle4 if current.get((r, "ngo")) == "not_implemented"}
    assert len(ngo_not) == 74  # the NGOs' «Не выполнена» segment for 2025
    assert ids(Filters(cycles=(4,), status=("ngo:not_implemented",))) == ngo_not
    both = {r for r in ngo_not if current.get((r, "government")) == "in_progress"}
    assert len(both) == 52
    assert ids(Filters(cycles=(4,), status=("ngo:not_implemented", "government:in_progress"))) == both
    either = {r for r in cycle4 if current.get((r, "ngo")) in ("not_implemented", "no_progress")}
    assert ids(Filters(cycles=(4,), status=("ngo:not_implemented", "ngo:no_progress"))) == either
    assert len(either) == 74 + 77
