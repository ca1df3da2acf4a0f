"""The demo: totals of the public record, through the command line as a user would ask."""

from __future__ import annotations

import json

from etl.__main__ import main as cli


def summary(db_path, capsys) -> list[dict]:
    assert cli(["summary", "--db", str(db_path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_totals_through_summary(demo_copy, capsys):
    items = summary(demo_copy, capsys)
    reviews = [i for i in items if "cycle" in i]
    assert [(r["state"], r["cycle"], r["recommendations"]) for r in reviews] == [
        ("Kazakhstan", 1, 128),
        ("Kazakhstan", 2, 194),
        ("Kazakhstan", 3, 245),
        ("Kazakhstan", 4, 294),
    ]
    by_cycle = {r["cycle"]: r for r in reviews}
    assert by_cycle[2]["responses"] == {"supported": 143, "noted": 51}
    assert by_cycle[2]["pairs"] == 198
    assert by_cycle[3]["responses"] == {"supported": 214, "noted": 31}
    assert by_cycle[4]["responses"]["supported"] == 259
    assert round(100 * 259 / by_cycle[4]["recommendations"]) == 88
    sources = {(i["source"], i["organisation"]) for i in items if "source" in i}
    assert {s for s, _ in sources} == {"government", "ngo", "nhri"}


def test_demo_assessments_disagree_as_in_life(demo_con):
    """The NGOs see far less implemented than the government, on the same recommendations."""
    from upr.filters import Filters
    from upr.queries import implemented_share

    frame = implemented_share(demo_con, Filters(cycles=(3,)))
    share = dict(zip(frame["source_kind"], frame["implemented_pct"]))
    assert share["government"] > 50 > 25 > share["ngo"]
    over_30_not = demo_con.execute(
        "SELECT 100.0 * count(*) FILTER (WHERE status IN ('not_implemented', 'no_progress')) / count(*) "
        "FROM assessment WHERE source_kind = 'ngo' AND as_of = DATE '2013-10-15'"
    ).fetchall()[0][0]
    assert over_30_not > 25


def test_demo_themes_follow_the_known_facts(demo_con):
    counts = dict(
        demo_con.execute(
            "SELECT t.theme_code, count(DISTINCT r.id) FROM recommendation r JOIN review v ON v.id = r.review_id "
            "JOIN rec_theme t ON t.rec_id = r.id WHERE v.cycle = 3 GROUP BY 1"
        ).fetchall()
    )
    assert (counts["death_penalty"], counts["torture"], counts["justice"]) == (16, 8, 5)
    every_cycle = demo_con.execute(
        "SELECT count(DISTINCT v.cycle) FROM recommendation r JOIN review v ON v.id = r.review_id "
        "JOIN rec_theme t ON t.rec_id = r.id WHERE t.theme_code = 'death_penalty'"
    ).fetchall()[0][0]
    assert every_cycle == 4


def test_recommending_states_carry_regional_groups(demo_con):
    missing = demo_con.execute(
        "SELECT count(*) FROM rec_state rs LEFT JOIN state s ON s.iso3 = rs.iso3 WHERE s.regional_group IS NULL"
    ).fetchall()[0][0]
    assert missing == 0


def test_demo_is_built_once(demo_copy, capsys):
    assert cli(["demo", "--db", str(demo_copy)]) == 0
    assert "already loaded" in capsys.readouterr().out


def test_demo_is_deterministic():
    from etl.demo import demo_batch

    a, b = demo_batch(), demo_batch()
    assert [(r.ref, r.text, r.recommending, r.response) for r in a.recommendations] == [
        (r.ref, r.text, r.recommending, r.response) for r in b.recommendations
    ]
    assert [(x.rec_id, x.status, x.as_of) for x in a.assessments] == [
        (x.rec_id, x.status, x.as_of) for x in b.assessments
    ]


def test_summary_table_is_readable(demo_copy, capsys):
    assert cli(["summary", "--db", str(demo_copy)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["State", "under", "review", "cycle", "recs", "pairs", "responses"]
    assert out[3].split()[:4] == ["Kazakhstan", "3", "245", "250"]
