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
