"""Work done once for every session: shared results (ui.data.shared) are computed once per
database, state of the data and arguments, and a write clears them, with the query cache."""

from __future__ import annotations

import json

from tests.test_app import run_app
from tests.test_template_xlsx import filled_template
from ui import data, figures
from upr import db
from upr.filters import Filters


def _counted():
    calls: list[tuple] = []

    def build(*args: object) -> list:
        calls.append(args)
        return [len(calls), *args]

    return calls, build


def test_a_shared_result_is_computed_once_and_is_the_same_object(app_db):
    calls, build = _counted()
    shared = data.shared(build)
    first = shared(Filters(sur="KAZ"), "ru")
    assert shared(Filters(sur="KAZ"), "ru") is first  # another session gets the very same object
    assert shared(Filters(sur="KAZ", cycles=(4,)), "ru") is not first
    assert shared(Filters(sur="KAZ"), "en") is not first
    assert len(calls) == 3


def test_a_write_clears_shared_results(app_db):
    calls, build = _counted()
    shared = data.shared(build)
    before = shared("KAZ")
    data.clear_caches()
    assert shared("KAZ") is not before
    assert len(calls) == 2


def test_a_result_of_the_data_before_a_write_is_never_served_after_it(app_db):
    """A session computing a figure while another session's write commits and clears the caches
    stores its (old) figure after the clear: the next session must not get it."""
    calls: list[int] = []

    def build(x: int) -> int:
        calls.append(x)
        if len(calls) == 1:
            data.clear_caches()  # the write lands while the first result is being computed
        return len(calls)

    shared = data.shared(build)
    assert shared(1) == 1
    assert shared(1) == 2


def test_results_belong_to_one_database(app_db, tmp_path, monkeypatch):
    calls, build = _counted()
    shared = data.shared(build)
    first = shared("KAZ")
    monkeypatch.setenv("UPR_DB", str(tmp_path / "other.duckdb"))
    assert shared("KAZ") is not first


def _implemented_chart(at) -> dict:
    (spec,) = [json.loads(el.proto.spec) for el in at.get("plotly_chart") if "overview_implemented" in el.proto.id]
    return spec


def test_two_sessions_share_the_overview_figures_and_an_upload_changes_them(app_db, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_ACCOUNTS", str(tmp_path / "accounts.json"))
    f = Filters(sur="KAZ")
    assert figures.overview(f, "en") is figures.overview(f, "en")
    one, two = run_app("en"), run_app("en")
    assert not one.exception and not two.exception
    before = _implemented_chart(one)
    assert _implemented_chart(two) == before

    # An organisation's assessments arrive through the write path every upload takes.
    from etl.importer import import_file

    con = db.connect(app_db)
    try:
        path = filled_template(con, tmp_path / "ngo.xlsx", {i: "implemented" for i in range(30)}, cycle=4)
    finally:
        con.close()
    report = data.run_locked(import_file, path, who="test")
    assert report.added == 30 and not report.errors

    after = _implemented_chart(run_app("en"))
    assert after != before
    # What every session now gets is the figure of the new data.
    assert figures.overview(f, "en")[1].to_json() == figures.overview.__wrapped__(f, "en")[1].to_json()
