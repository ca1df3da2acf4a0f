"""A State's slice (upr.queries.state_slice) answers every query of that State exactly as the whole
database does: on a generated world of many States with three sources' assessments, on the
demo, and on a database with a recorded conflict between sources."""

from __future__ import annotations

import inspect
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.importer import import_file
from tests.test_conflicts_page import TEMPLATE_CSV, UPR_INFO_CSV
from upr import db, queries
from upr.filters import Filters
from upr.queries.state_slice import build_slice, state_of, state_of_recommendation

LANGS = ("en", "ru")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 3,000 recommendations to 193 States in four cycles, and government, NGO and ombudsman assessments."""
    from benchmarks.synth import world_rows, write_csv
    from benchmarks.world import write_assessments

    folder = tmp_path_factory.mktemp("world")
    path = folder / "world.duckdb"
    sheet = write_csv(folder / "world.csv", world_rows(3000))
    con = db.connect(path)
    assert not import_file(con, sheet).errors
    con.close()
    files = write_assessments(path, folder)
    con = db.connect(path)
    for file in files.values():
        assert not import_file(con, file).errors
    con.close()
    return path


@pytest.fixture(scope="module")
def conflicted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("conflicted")
    (folder / "upr_info.csv").write_text(UPR_INFO_CSV, encoding="utf-8")
    (folder / "recommendations.csv").write_text(TEMPLATE_CSV, encoding="utf-8")
    path = folder / "conflicted.duckdb"
    con = db.connect(path)
    import_file(con, folder / "upr_info.csv")
    assert import_file(con, folder / "recommendations.csv").conflicts == 1
    con.close()
    return path


def _per_state_calls(
    con: duckdb.DuckDBPyConnection, sur: str, only: frozenset[str] | None = None
) -> list[tuple[str, tuple]]:
    """Every per-State query of upr.queries (or those named in `only`), with arguments a page
    would pass, under filter sets that together use every kind of filter."""
    base = Filters(sur=sur)
    theme = queries.theme_distribution(con, base)["code"].dropna()
    state = queries.state_counts(con, base)["iso3"]
    cycles = [int(c) for c in queries.reviews(con, sur)["cycle"]]
    filter_sets = [
        base,
        Filters(sur=sur, cycles=tuple(cycles[-1:]), responses=("supported",), sources=("ngo",)),
        Filters(sur=sur, themes=tuple(theme[:1]), q="the"),
        Filters(sur=sur, states=tuple(state[:1])),
    ]
    pair = [(cycles[-2], cycles[-1])] if len(cycles) > 1 else []
    # A language changes labels, not which rows a query reads: each variant takes one, in turn.
    extra = {
        "cycle_pair_summary": pair,
        "theme_change": pair,
        "returning_states": pair,
        "recurring_recommendations": [(*p, lang) for p in pair for lang in LANGS],
        "explorer_rows": [("en", 0), ("ru", 1), ("kk", None)],
        "conflict_list": [("ru",)],
        "status_disagreements": [("ru", "government", "ngo", 50), ("en", "ngo", "nhri", 10)],
        "status_matrix": [("government", "ngo")],
        "theme_recommendations": list(zip([*theme[:2], ""], ("en", "ru", "kk"), strict=False)),
        "state_recommendations": list(zip(state[:2], ("en", "kk"), strict=False)),
    }
    calls = [(name, (sur,)) for name in ("reviews", "theme_options", "recommending_state_options", "group_options")]
    for name in sorted(dir(queries)):
        fn = getattr(queries, name)
        if not inspect.isfunction(fn) or list(inspect.signature(fn).parameters)[1:2] != ["f"]:
            continue
        variants = extra.get(name, [()])
        # Every variant under the State's whole set; under each narrower filter set, the first.
        calls += [(name, (base, *more)) for more in variants]
        calls += [(name, (f, *variants[0])) for f in filter_sets[1:] if variants]
    return [(name, args) for name, args in calls if only is None or name in only]


def _same(a: object, b: object) -> bool:
    if isinstance(a, pd.DataFrame):
        return a.equals(b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _compare(path: Path, surs: list[str], only: frozenset[str] | None = None) -> int:
    con = duckdb.connect(str(path), read_only=True)
    checked = 0
    try:
        for sur in surs:
            part = build_slice(con.cursor(), sur)
            for name, args in _per_state_calls(con, sur, only):
                assert state_of(name, args) == sur
                whole, sliced = getattr(queries, name)(con, *args), getattr(queries, name)(part, *args)
                assert _same(whole, sliced), (sur, name, args)
                checked += 1
            ids = queries.explorer_rows(con, Filters(sur=sur), "en", 0, 5)["id"].tolist()
            for rec_id in ids + [ids[0] + "-unknown"]:
                assert state_of_recommendation(con, rec_id) == (sur if rec_id in ids else None)
                assert _same(queries.recommendation_detail(con, rec_id), queries.recommendation_detail(part, rec_id))
                checked += 1
    finally:
        con.close()
    return checked


def test_the_slice_answers_like_the_whole_world(world):
    con = duckdb.connect(str(world), read_only=True)
    biggest = con.execute(
        "SELECT v.sur_iso3 FROM recommendation r JOIN review v ON v.id = r.review_id "
        "WHERE v.sur_iso3 <> 'KAZ' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchall()
    con.close()
    assert _compare(world, ["KAZ", *(s for (s,) in biggest)]) > 250


def test_the_slice_answers_like_the_whole_demo(demo_file):
    assert _compare(demo_file, ["KAZ"]) > 100


def test_the_slice_keeps_the_conflicts_of_its_state(conflicted):
    con = duckdb.connect(str(conflicted), read_only=True)
    part = build_slice(con.cursor(), "KAZ")
    con.close()
    assert len(queries.conflict_list(part, Filters(sur="KAZ"), "en")) == 1
    # The queries that read conflicts, and the Explorer's, which marks them.
    reading = frozenset({"conflict_list", "conflict_counts", "explorer_rows", "explorer_count"})
    assert _compare(conflicted, ["KAZ"], reading) > 20


def test_which_queries_read_one_state():
    f = Filters(sur="UZB")
    assert state_of("cycle_overview", (f,)) == "UZB"
    assert state_of("reviews", ("UZB",)) == "UZB"
    assert state_of("recommendation_detail", ("KAZ-4-x",)) is None  # any State's recommendation
    assert state_of("states_under_review", ()) is None
    assert state_of("imports_in_force", ()) is None


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The States whose slice the app builds from now on, in order."""
    from ui import data

    built: list[str] = []

    def counting(con: duckdb.DuckDBPyConnection, sur: str) -> duckdb.DuckDBPyConnection:
        built.append(sur)
        return build_slice(con, sur)

    monkeypatch.setattr(data, "build_slice", counting)
    return built


def test_the_app_builds_a_slice_only_when_the_database_holds_more_than_one_state(app_db, world, monkeypatch):
    """The demo (Kazakhstan alone) is its own slice: its first visit builds none. A world of
    States gets one per State asked for, with the same figures as the whole database."""
    from ui import data

    built = _count_builds(monkeypatch)
    monkeypatch.setattr(data, "SLICE_AFTER_S", 0.0)
    data.clear_caches()
    kaz = Filters(sur="KAZ")
    assert data.query("cycle_overview", kaz)["recommendations"].tolist() == [128, 194, 245, 294]
    assert built == []

    monkeypatch.setenv("UPR_DB", str(world))
    whole = duckdb.connect(str(world), read_only=True)
    try:
        expected = queries.cycle_overview(whole, kaz)
    finally:
        whole.close()
    used: list[str] = []
    real_slice = data._state_slice

    def slice_used(*key: object) -> duckdb.DuckDBPyConnection:
        used.append(str(key[2]))
        return real_slice(*key)

    monkeypatch.setattr(data, "_state_slice", slice_used)
    # The first query answers from the whole database while the slice is built in the background.
    assert data.query("cycle_overview", kaz).equals(expected)
    assert data.wait_for_slices()
    assert built == ["KAZ"]
    assert data.query("implemented_share", kaz) is not None
    assert data.query("cycle_overview", Filters(sur="KAZ", cycles=(4,)))["cycle"].tolist() == [4]
    assert built == ["KAZ"]  # once, for every query of that State
    assert used[-2:] == ["KAZ", "KAZ"]  # the later queries ran on it


def test_the_first_query_of_a_state_does_not_wait_for_its_slice(app_db, world, monkeypatch):
    """While a State's slice is being built, its queries answer from the whole database, the same."""
    import threading

    from ui import data

    release = threading.Event()

    def slow(con: duckdb.DuckDBPyConnection, sur: str) -> duckdb.DuckDBPyConnection:
        assert release.wait(30)
        return build_slice(con, sur)

    monkeypatch.setattr(data, "build_slice", slow)
    monkeypatch.setattr(data, "SLICE_AFTER_S", 0.0)
    monkeypatch.setenv("UPR_DB", str(world))
    data.clear_caches()
    f = Filters(sur="UZB")
    whole = data.cursor()  # the app's own connection to the world
    try:
        expected = [getattr(queries, name)(whole, f) for name in ("cycle_overview", "implemented_share")]
    finally:
        whole.close()
    assert data.query("cycle_overview", f).equals(expected[0])
    assert data.query("implemented_share", f).equals(expected[1])
    assert not data.wait_for_slices(timeout=0.05)  # still building
    release.set()
    assert data.wait_for_slices()
    data.clear_caches()  # a write: the built slice is of the old data
    assert data._slices == {}


def test_a_slice_is_built_a_moment_after_its_first_query_and_only_for_the_data_of_then(app_db, world, monkeypatch):
    """The copy waits SLICE_AFTER_S (the first visitors' pages come first); a write meanwhile, or
    the app turning to another database, calls it off."""
    import time

    from ui import data

    built = _count_builds(monkeypatch)
    monkeypatch.setattr(data, "SLICE_AFTER_S", 0.5)
    monkeypatch.setenv("UPR_DB", str(world))
    data.clear_caches()
    started = time.monotonic()
    data.query("cycle_overview", Filters(sur="UZB"))
    assert data.wait_for_slices()
    assert built == ["UZB"] and time.monotonic() - started >= 0.5

    data.query("cycle_overview", Filters(sur="KAZ"))
    data.clear_caches()  # a write before the copy starts
    data.query("cycle_overview", Filters(sur="CIV"))
    monkeypatch.setenv("UPR_DB", str(app_db))  # the app turns to another database
    assert not data.wait_for_slices()
    assert built == ["UZB"]  # neither KAZ's (called off by the write) nor CIV's (another database now)
