"""The UPR Info export in every container and encoding, our fixtures and the real 2015 files."""

from __future__ import annotations

import pytest

from etl.detect import read_any
from etl.importer import import_file
from tests.conftest import FIXTURES, real_file
from upr import db
from upr.queries import review_summary

U = FIXTURES / "upr_info"


@pytest.mark.parametrize("name", ["upr_info_macroman_cr.csv", "upr_info_cp1251_lf.csv", "upr_info.xlsx"])
def test_small_exports_read_the_same(name):
    batch = read_any(U / name)
    assert batch.format == "upr_info" and batch.rows_read == 5 and batch.problems == []
    recs = [
        (r.sur, r.cycle, r.session, r.response, r.action, r.recommending, r.themes) for r in batch.all_recommendations()
    ]
    ivory = "Кот-д'Ивуар" if "cp1251" in name else "Côte d'Ivoire"
    assert recs == [
        # Two rows with the same text in the same review are one recommendation by two States.
        ("Kazakhstan", 2, 20, "noted", 5, ["France", "Norway"], ["Death penalty"]),
        ("Kazakhstan", 2, 20, "supported", 4, ["Belarus"], ["Trafficking", "Women's rights"]),
        (ivory, 2, 19, "supported", 3, ["Canada"], ["NHRI"]),
        (
            "Kazakhstan",
            2,
            20,
            "supported",
            4,
            ["Atlantis"],
            ["Freedom of association and peaceful assembly", "Underwater rights"],
        ),
    ]


def test_unknown_values_are_reported_with_their_row_and_kept(con):
    report = import_file(con, U / "upr_info_macroman_cr.csv")
    assert (report.rows_read, report.added, report.errors) == (5, 4, [])
    assert [(p.row, p.column, p.value) for p in report.warnings] == [
        (6, "Recommending States", "Atlantis"),
        (6, "Themes", "Underwater rights"),
    ]
    kept = con.execute("SELECT iso3, source_label FROM rec_state WHERE source_label = 'Atlantis'").fetchall()
    assert kept == [(None, "Atlantis")]
    themes = con.execute(
        "SELECT theme_code, source, source_label FROM rec_theme WHERE source_label LIKE '%assembly' "
        "OR source_label = 'Underwater rights' ORDER BY ALL"
    ).fetchall()
    assert themes == [
        ("peaceful_assembly", "upr_info", "Freedom of association and peaceful assembly"),
        (None, "upr_info", "Underwater rights"),
    ]
    summary = {(r["iso3"], r["cycle"]): r for r in review_summary(con)}
    assert summary[("KAZ", 2)]["recommendations"] == 3 and summary[("KAZ", 2)]["pairs"] == 4
    assert summary[("CIV", 2)]["responses"] == {"supported": 1}


@pytest.mark.parametrize("name", ["upr_info_macroman_cr.csv", "upr_info.xlsx"])
def test_bulk_load_writes_what_the_general_path_writes(name):
    """A columnar batch into new reviews is loaded in bulk; it must equal the one-by-one path."""
    from dataclasses import replace

    from etl.load import import_batch
    from tests.test_templates import snapshot

    batch = read_any(U / name)
    bulk, general = db.connect(":memory:"), db.connect(":memory:")
    a = import_batch(bulk, batch, sha256="x")
    b = import_batch(general, replace(batch, table=None, recommendations=batch.all_recommendations()), sha256="x")
    assert (a.added, [str(p) for p in a.problems]) == (b.added, [str(p) for p in b.problems])
    left, right = snapshot(bulk), snapshot(general)
    left.pop("import"), right.pop("import")
    assert left == right


def _figures(con) -> dict:
    return {(r["state"], r["cycle"]): (r["pairs"], r["recommendations"], r["responses"]) for r in review_summary(con)}


@pytest.fixture(scope="module")
def real_upr_info_dbs(tmp_path_factory):
    """The real export loaded from the .xls and from the .csv, each into its own database."""
    out = {}
    for suffix in ("xls", "csv"):
        path = real_file("upr-info-export", f"upr-info_sessions17-20.{suffix}")
        con = db.connect(tmp_path_factory.mktemp(suffix) / "db.duckdb")
        report = import_file(con, path)
        out[suffix] = (con, report)
    yield out
    for con, _ in out.values():
        con.close()


@pytest.mark.parametrize("suffix", ["xls", "csv"])
def test_real_export_figures(real_upr_info_dbs, suffix):
    con, report = real_upr_info_dbs[suffix]
    assert report.rows_read == 7984 and report.errors == []
    responses = dict(
        con.execute(
            "SELECT response_raw, count(*) FROM (SELECT so.response_raw FROM rec_source so "
            "JOIN rec_state s ON s.rec_id = so.rec_id) GROUP BY 1"
        ).fetchall()
    )
    assert responses == {"Accepted": 6094, "Noted": 1890}  # one row per recommendation × State
    figures = _figures(con)
    assert figures[("Kazakhstan", 2)] == (198, 189, {"supported": 141, "noted": 48})
    assert figures[("Slovenia", 2)] == (180, 168, {"supported": 148, "noted": 20})


def test_real_xls_and_csv_give_the_same_database(real_upr_info_dbs):
    xls, csv = real_upr_info_dbs["xls"][0], real_upr_info_dbs["csv"][0]
    for query in (
        "SELECT r.id, r.response, r.action_category, t.text FROM recommendation r "
        "JOIN rec_text t ON t.rec_id = r.id ORDER BY r.id",
        "SELECT rec_id, iso3, source_label FROM rec_state ORDER BY ALL",
        "SELECT rec_id, theme_code, source_label FROM rec_theme ORDER BY ALL",
    ):
        assert xls.execute(query).fetchall() == csv.execute(query).fetchall()


GROUPED = [
    ("Protect journalists and human rights defenders", "France", "Accepted", "3", "Freedom of opinion and expression"),
    (
        "Protect journalists and human rights defenders",
        "Norway",
        "Accepted",
        "5",
        "Human rights defenders,Freedom of opinion and expression",
    ),
    ("Protect journalists and human rights defenders", "Chile", "Accepted", "", "Justice"),
    ("Protect journalists and human rights defenders", "Peru", "Accepted", "4", "Justice"),
]


def test_rows_of_one_recommendation_keep_every_issue_and_name_the_rows_whose_action_differs(tmp_path):
    from dataclasses import replace

    from etl.load import import_batch
    from tests.test_order_reconcile import write_upr_info
    from tests.test_templates import snapshot

    batch = read_any(write_upr_info(tmp_path / "grouped.csv", GROUPED))
    (rec,) = batch.all_recommendations()
    assert (rec.row, rec.action, rec.recommending) == (2, 5, ["France", "Norway", "Chile", "Peru"])
    assert rec.themes == ["Freedom of opinion and expression", "Human rights defenders", "Justice"]
    kept = "Row 3 gives the same recommendation another action category (5): the highest, 5, is kept."
    assert [(p.row, p.column, p.value, p.expected, p.severity) for p in batch.problems] == [
        (2, "Action", "3", kept, "warning"),
        (5, "Action", "4", kept, "warning"),
    ]
    # The same in any row order: a re-saved file changes nothing.
    again = read_any(write_upr_info(tmp_path / "reordered.csv", GROUPED[::-1])).all_recommendations()[0]
    assert (again.action, sorted(again.themes), sorted(again.recommending)) == (
        5,
        sorted(rec.themes),
        sorted(rec.recommending),
    )
    bulk, general = db.connect(":memory:"), db.connect(":memory:")
    import_batch(bulk, batch, sha256="x")
    import_batch(general, replace(batch, table=None, recommendations=batch.all_recommendations()), sha256="x")
    left, right = snapshot(bulk), snapshot(general)
    left.pop("import"), right.pop("import")
    assert left == right
    assert bulk.execute("SELECT action_category FROM recommendation").fetchall() == [(5,)]
    assert len(left["rec_theme"]) == 3 and len(left["rec_state"]) == 4


def test_world_export_spellings_of_saint_kitts_and_saint_vincent_resolve(con):
    report = import_file(con, U / "upr_info_saints_macroman_cr.csv")
    assert (report.rows_read, report.added, report.errors, report.warnings) == (4, 3, [], [])
    assert con.execute("SELECT sur_iso3, cycle, session FROM review ORDER BY 1").fetchall() == [
        ("KNA", 1, 10),
        ("VCT", 1, 11),
    ]
    states = con.execute("SELECT DISTINCT iso3, source_label FROM rec_state ORDER BY 1").fetchall()
    assert states == [
        ("BRA", "Brazil"),
        ("CIV", "Côte d'Ivoire"),
        ("KNA", "St Kitts & Nevis"),
        ("VCT", "St Vincent & the Grenadines"),
    ]


@pytest.mark.parametrize("one_by_one", [False, True])
def test_an_unknown_state_is_reported_with_the_closest_known_names(tmp_path, one_by_one):
    from dataclasses import replace

    from etl.load import import_batch
    from tests.test_order_reconcile import write_upr_info

    rows = [("Abolish the death penalty", "Kyrgystan", "Noted", "5", "Death penalty")]
    con = db.connect(":memory:")
    unknown_sur = read_any(write_upr_info(tmp_path / "sur.csv", rows, sur="Kazakstan"))
    typo = read_any(write_upr_info(tmp_path / "rs.csv", rows))
    if one_by_one:
        unknown_sur, typo = (
            replace(b, table=None, recommendations=b.all_recommendations()) for b in (unknown_sur, typo)
        )
    refused = import_batch(con, unknown_sur, sha256="a")
    assert [(p.row, p.column, p.value, p.expected) for p in refused.errors] == [
        (
            2,
            "State under review",
            "Kazakstan",
            "a State under review known to the UN list (name in en/ru/kk or ISO3); closest known: Kazakhstan (KAZ)",
        )
    ]
    kept = import_batch(con, typo, sha256="b")
    assert [(p.row, p.column, p.value, p.expected) for p in kept.warnings] == [
        (
            2,
            "Recommending States",
            "Kyrgystan",
            "a State known to the UN list; kept as written; closest known: Kyrgyzstan (KGZ)",
        )
    ]
