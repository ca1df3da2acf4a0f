"""Two organisations confirming uploads at the same moment, through the app's write path, both land."""

from __future__ import annotations

import threading

from etl.importer import import_file
from tests.test_template_xlsx import filled_template
from upr import db

ORGS = {"Кадыр-Касиет": "ngo", "Министерство иностранных дел": "government"}


def test_concurrent_uploads_both_land(app_db, tmp_path):
    con = db.connect(app_db)
    files = {
        org: filled_template(
            con, tmp_path / f"{kind}.xlsx", {i: "in_progress" for i in range(30)}, organisation=org, kind=kind
        )
        for org, kind in ORGS.items()
    }
    before = con.execute("SELECT count(*) FROM assessment").fetchall()[0][0]
    con.close()

    from ui import data

    barrier = threading.Barrier(len(files))
    reports, failures = {}, []

    def upload(org: str) -> None:
        try:
            barrier.wait()
            reports[org] = data.run_locked(import_file, files[org], who=org, allowed_organisation=org)
        except BaseException as exc:  # collected: a thread's exception would otherwise vanish
            failures.append(exc)

    threads = [threading.Thread(target=upload, args=(org,)) for org in files]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert failures == []
    assert sorted((r.added, r.errors) for r in reports.values()) == [(30, []), (30, [])]
    assert len({r.import_id for r in reports.values()}) == 2
    cur = data.cursor()
    try:
        counts = dict(
            cur.execute(
                "SELECT organisation, count(*) FROM assessment WHERE list_contains(?, organisation) GROUP BY 1",
                [list(ORGS)],
            ).fetchall()
        )
        assert counts == dict.fromkeys(ORGS, 30)
        assert cur.execute("SELECT count(*) FROM assessment").fetchall()[0][0] == before + 60
        kinds = dict(
            cur.execute(
                "SELECT name, source_kind FROM organisation WHERE list_contains(?, name)", [list(ORGS)]
            ).fetchall()
        )
        assert kinds == ORGS
    finally:
        cur.close()
