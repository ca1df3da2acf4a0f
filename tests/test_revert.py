"""Reverting an import restores the database byte for byte, and refuses when a later import depends on it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.importer import import_file
from etl.revert import RevertRefused, import_history, revert_import
from tests.test_template_xlsx import ORG, filled_template, twenty_statuses
from upr import db


def dump(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every table but `import`, every row, in a stable order (ORDER BY ALL)."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
        ).fetchall()
    ]
    return {
        t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall()  # noqa: S608 - catalog names
        for t in tables
        if t != "import"
    }


@pytest.fixture
def dcon(demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    connection = db.connect(demo_copy)
    yield connection
    connection.close()


def _recs_csv(path: Path, rows: list[str], header: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_assessment_uploads_preview_and_revert(dcon, tmp_path):
    before = dump(dcon)
    first = filled_template(dcon, tmp_path / "first.xlsx", twenty_statuses())
    preview = import_file(dcon, first, who="ngo1", dry_run=True, allowed_organisation=ORG)
    assert (preview.added, preview.updated, preview.unchanged, len(preview.errors)) == (20, 0, 0, 0)
    assert dump(dcon) == before  # a dry run changes nothing
    r1 = import_file(dcon, first, who="ngo1", allowed_organisation=ORG)
    assert (r1.added, r1.updated, r1.unchanged) == (20, 0, 0)
    after_first = dump(dcon)
    assert len(after_first["assessment"]) == len(before["assessment"]) + 20

    # The editor downloads again (now pre-filled with its 20 statuses) and changes 5 of them.
    changed = {2: "implemented", 5: "implemented", 9: "no_progress", 13: "in_progress", 17: "not_assessed"}
    second = filled_template(dcon, tmp_path / "second.xlsx", changed)
    preview = import_file(dcon, second, who="ngo1", dry_run=True, allowed_organisation=ORG)
    assert (preview.added, preview.updated, preview.unchanged) == (0, 5, 15)
    # Row i of the template is paragraph 134.(i+1); its first status was the (i mod 6)-th.
    assert [(c["rec_id"], c["old"], c["new"]) for c in preview.changes] == [
        ("KAZ-3-134.3", "in_progress", "implemented"),
        ("KAZ-3-134.6", "not_implemented", "implemented"),
        ("KAZ-3-134.10", "formally_implemented", "no_progress"),
        ("KAZ-3-134.14", "partially_implemented", "in_progress"),
        ("KAZ-3-134.18", "not_implemented", "not_assessed"),
    ]
    r2 = import_file(dcon, second, who="ngo1", allowed_organisation=ORG)
    assert (r2.added, r2.updated, r2.unchanged) == (0, 5, 15)

    # The first cannot go while the second, which built on it, is live.
    with pytest.raises(RevertRefused) as refused:
        revert_import(dcon, r1.import_id, who="boss")
    assert refused.value.blocking_import == r2.import_id
    assert f"import #{r2.import_id} (second.xlsx)" in str(refused.value)

    report = revert_import(dcon, r2.import_id, who="boss")
    assert report.deleted == {"assessment": 5}
    assert dump(dcon) == after_first
    report = revert_import(dcon, r1.import_id, who="boss")
    assert report.deleted == {"assessment": 20, "organisation": 1}
    assert dump(dcon) == before

    history = import_history(dcon)
    assert history["id"].tolist() == [r2.import_id, r1.import_id, 1]
    assert history["reverted_at"].notna().tolist() == [True, True, False]
    assert history["reverted_by"].tolist()[:2] == ["boss", "boss"]
    with pytest.raises(RevertRefused, match="already reverted"):
        revert_import(dcon, r1.import_id, who="boss")
    with pytest.raises(RevertRefused, match="no import #99"):
        revert_import(dcon, 99, who="boss")

    # A reverted file can be imported again, as a new import.
    again = import_file(dcon, first, who="ngo1", allowed_organisation=ORG)
    assert (again.import_id, again.added) == (r2.import_id + 1, 20)


REC_HEADER = "State under review,Cycle,Paragraph,Recommendation,Response,Recommending States,Themes"


def test_recommendation_import_reverts_byte_for_byte(dcon, tmp_path):
    before = dump(dcon)
    # A new review (Uzbekistan, cycle 2) with two unnumbered recommendations, and one for Kazakhstan.
    a = _recs_csv(
        tmp_path / "a.csv",
        [
            "Uzbekistan,2,,Ratify the Optional Protocol to the Convention against Torture,,France,Torture",
            "Uzbekistan,2,,Abolish forced labour in the cotton harvest,Supported,Germany,Labour",
            "Kazakhstan,3,,Establish a fully independent national preventive mechanism against torture,Supported,Norway,Torture",
        ],
        REC_HEADER,
    )
    ra = import_file(dcon, a, who="boss")
    assert (ra.added, ra.errors) == (3, [])
    after_a = dump(dcon)
    assert len(after_a["review"]) == len(before["review"]) + 1

    # The numbered file takes them over: paragraph, wording and States change, and the missing response.
    b = _recs_csv(
        tmp_path / "b.csv",
        [
            "Uzbekistan,2,120.1,Ratify the Optional Protocol to the Convention against Torture.,Supported,Spain,Torture",
            "Uzbekistan,2,120.2,Abolish forced labour in the cotton harvest,Supported,Germany,Labour",
        ],
        REC_HEADER,
    )
    rb = import_file(dcon, b, who="boss")
    assert rb.errors == []
    changes = dcon.execute(
        "SELECT field, count(*) FROM rec_change WHERE import_id = ? GROUP BY 1 ORDER BY 1", [rb.import_id]
    ).fetchall()
    # Each is folded into the numbered recommendation, under the id the numbered file alone gives:
    # its rows kept whole (snapshot) and the new id noted (rename), for revert.
    assert changes == [("rename", 2), ("snapshot", 2)]
    ids = dcon.execute("SELECT id FROM recommendation WHERE review_id = (SELECT id FROM review WHERE sur_iso3 = 'UZB')")
    assert sorted(r[0] for r in ids.fetchall()) == ["UZB-2-120.1", "UZB-2-120.2"]
    report = revert_import(dcon, rb.import_id, who="boss")
    assert report.restored == {"rename": 2, "snapshot": 2}
    assert dump(dcon) == after_a

    report = revert_import(dcon, ra.import_id, who="boss")
    assert report.deleted["recommendation"] == 3
    assert report.deleted["review"] == 1
    assert dump(dcon) == before


def test_revert_refused_when_assessments_depend_on_new_recommendations(dcon, tmp_path):
    before = dump(dcon)
    a = _recs_csv(
        tmp_path / "recs.csv",
        [
            "Uzbekistan,2,120.1,Ratify the Optional Protocol to the Convention against Torture,Supported,France,Torture",
        ],
        REC_HEADER,
    )
    ra = import_file(dcon, a, who="boss")
    rec_id = dcon.execute("SELECT id FROM recommendation WHERE import_id = ?", [ra.import_id]).fetchall()[0][0]
    assert rec_id == "UZB-2-120.1"
    c = tmp_path / "assess.csv"
    c.write_text(
        f"Recommendation ID,Source kind,Organisation,Status,As of\n{rec_id},ngo,{ORG},in_progress,2025-01-31\n",
        encoding="utf-8",
    )
    rc = import_file(dcon, c, who="ngo1", allowed_organisation=ORG)
    assert rc.added == 1
    with pytest.raises(RevertRefused) as refused:
        revert_import(dcon, ra.import_id, who="boss")
    assert (refused.value.reason, refused.value.blocking_import, refused.value.blocking_file) == (
        "blocked",
        rc.import_id,
        "assess.csv",
    )
    # Nothing was touched by the refusal.
    assert dcon.execute("SELECT reverted_at FROM import WHERE id = ?", [ra.import_id]).fetchall() == [(None,)]
    revert_import(dcon, rc.import_id, who="boss")
    revert_import(dcon, ra.import_id, who="boss")
    assert dump(dcon) == before


def test_revert_restores_review_details_an_import_filled_in(tmp_path):
    """UPR Info creates the review without a date or symbol; the report fills them; reverting it empties them."""
    from etl.importer import import_file
    from etl.revert import revert_import
    from tests.conftest import FIXTURES
    from tests.test_reconcile import REPORT_TXT
    from upr import db

    con = db.connect(tmp_path / "r.duckdb")
    import_file(con, FIXTURES / "upr_info" / "upr_info_macroman_cr.csv")
    before = con.execute("SELECT * FROM review ORDER BY ALL").fetchall()
    report = tmp_path / "report.txt"
    report.write_text(REPORT_TXT, encoding="utf-8")
    imported = import_file(con, report)
    filled = con.execute("SELECT review_date, report_symbol FROM review WHERE sur_iso3 = 'KAZ'").fetchall()
    assert str(filled[0][0]) == "2014-10-30"
    revert_import(con, imported.import_id, "admin")
    assert con.execute("SELECT * FROM review ORDER BY ALL").fetchall() == before
