"""Plan and agency queries on the demo, with figures counted by hand in SQL."""

from __future__ import annotations

from datetime import date

from upr import queries as q
from upr.filters import FILTERED_RECS, Filters, run

TODAY = date(2026, 11, 26)


def _count(con, f: Filters) -> int:
    return run(con, f"SELECT count(*) FROM ({FILTERED_RECS})", f.params()).fetchall()[0][0]  # noqa: S608


def test_demo_plan_has_nine_sections_and_41_items(demo_con):
    plans = q.plan_options(demo_con, "KAZ")
    assert len(plans) == 1 and bool(plans["illustrative"].iloc[0])
    plan_id = int(plans["id"].iloc[0])
    progress = q.plan_progress(demo_con, Filters(), plan_id, TODAY)
    assert len(progress) == 9 and progress["items"].sum() == 41
    items = q.plan_items(demo_con, Filters(), plan_id, TODAY)
    assert len(items) == 41
    # Overdue by hand: deadline passed and fewer of its recommendations implemented (government) than cited.
    overdue = demo_con.execute(
        """
        WITH g AS (SELECT rec_id, status FROM (SELECT rec_id, status, row_number() OVER (
                       PARTITION BY rec_id ORDER BY as_of DESC, id DESC) k FROM assessment
                   WHERE source_kind = 'government') WHERE k = 1)
        SELECT count(*) FROM plan_item i WHERE i.deadline < ? AND EXISTS (
            SELECT 1 FROM plan_item_rec x LEFT JOIN g ON g.rec_id = x.rec_id
            WHERE x.item_id = i.id AND coalesce(g.status, '') <> 'implemented')
        """,
        [TODAY],
    ).fetchall()[0][0]
    assert 0 < items["overdue"].sum() == overdue == progress["overdue"].sum() < 41
    assert (items["deadline"].dt.year.max()) == 2026
    links = demo_con.execute("SELECT count(*) FROM plan_item_rec").fetchall()[0][0]
    assert items["recs"].sum() == links


def test_agency_filter_changes_every_query(demo_con):
    everything = _count(demo_con, Filters())
    mj = _count(demo_con, Filters(agencies=("MJ",)))
    by_hand = demo_con.execute(
        """
        SELECT count(*) FROM recommendation r JOIN review v ON v.id = r.review_id
        WHERE v.sur_iso3 = 'KAZ' AND r.merged_into IS NULL AND (
            r.id IN (SELECT rec_id FROM rec_agency WHERE agency_code = 'MJ')
            OR (r.id NOT IN (SELECT rec_id FROM rec_agency) AND r.agency = 'Ministry of Justice'))
        """
    ).fetchall()[0][0]
    assert 0 < mj == by_hand < everything
    plan_only = _count(demo_con, Filters(plans=("1",)))
    assert plan_only == demo_con.execute("SELECT count(DISTINCT rec_id) FROM plan_item_rec").fetchall()[0][0]
    assert Filters.from_query({"agencies": "MJ,GP", "plans": "1"}).agencies == ("MJ", "GP")
    assert Filters(agencies=("MJ",), plans=("1",)).to_query() == {"agencies": "MJ", "plans": "1"}


def test_status_by_agency_counts_each_recommendation_once_per_source(demo_con):
    df = q.status_by_agency(demo_con, Filters())
    gov = df[df["source_kind"] == "government"].groupby("agency")["n"].sum()
    assert gov["MJ"] == _count(demo_con, Filters(agencies=("MJ",)))


def test_agency_responsibilities_of_the_plan(demo_con):
    df = q.agency_responsibilities(demo_con, Filters(), 1, TODAY)
    leads = dict(demo_con.execute("SELECT lead_agency, count(*) FROM plan_item GROUP BY 1").fetchall())
    assert dict(zip(df["agency"], df["lead"])) == {a: leads.get(a, 0) for a in df["agency"]}
    assert df["lead"].sum() == 41


def test_work_list_of_cycle_4_matches_a_count_by_hand(demo_con):
    before = date(2026, 1, 1)
    df = q.work_list(demo_con, Filters(), 4, before, "ru")
    by_hand = demo_con.execute(
        """
        SELECT count(*) FROM recommendation r JOIN review v ON v.id = r.review_id
        WHERE v.sur_iso3 = 'KAZ' AND v.cycle = 4 AND r.response = 'supported' AND r.merged_into IS NULL
          AND coalesce((SELECT max(as_of) FROM assessment a WHERE a.rec_id = r.id AND a.source_kind = 'government'),
                       DATE '1900-01-01') < ?
        """,
        [before],
    ).fetchall()[0][0]
    assert len(df) == by_hand == 259
    assert df["id"].is_unique
    assert len(q.work_list(demo_con, Filters(), 4, date(2025, 1, 1), "ru")) == 0  # all assessed on 30 Sep 2025
    mj = q.work_list(demo_con, Filters(agencies=("MJ",)), 4, before, "ru")
    assert 0 < len(mj) < 259 and set(mj["agency"].str.split(", ").explode()) >= {"MJ"}


def test_explorer_rows_carry_agency_and_plan_item(demo_con):
    rows = q.explorer_rows(demo_con, Filters(plans=("1",)), "ru", None)
    links = demo_con.execute("SELECT count(DISTINCT rec_id) FROM plan_item_rec").fetchall()[0][0]
    assert len(rows) == links and rows["plan_item"].notna().all()
    row = rows[rows["id"] == "KAZ-4-156.3"].iloc[0]
    assert (row["agency"], row["plan_item"]) == ("ГП", "31")
    en = q.explorer_rows(demo_con, Filters(plans=("1",)), "en", None)
    assert en[en["id"] == "KAZ-4-156.3"]["agency"].iloc[0] == "PGO"
