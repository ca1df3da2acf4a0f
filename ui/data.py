"""Data access for pages: one shared connection, cached query results and shared figures,
cleared after a write."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import duckdb
import pandas as pd
import streamlit as st

from upr import config, db, queries
from upr.queries.state_slice import build_slice, state_of, state_of_recommendation

log = logging.getLogger(__name__)
_lock = threading.Lock()
# One writer at a time in this process: uploads, reverts and their dry runs queue here, so two
# organisations confirming at the same moment both land, one after the other.
WRITE_LOCK = threading.Lock()
T = TypeVar("T")
# Which state of the data a cached result belongs to: part of every cache key, moved on after
# every write (after its commit). A result computed from the data before a write, and stored
# after the write cleared the caches, is then stored under the old generation and never read.
_generation = 0


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = db.connect(path, index=False)
    if con.execute("SELECT count(*) FROM import WHERE reverted_at IS NULL").fetchall()[0][0] == 0:
        # First run with no data: build the demo so the app has something true to show.
        from etl.demo import build_demo

        build_demo(con)
    from ui.search_index import refresh_later

    refresh_later(check_first=True)  # an index a crash or an upgrade left behind: in the background
    return con


def connection() -> duckdb.DuckDBPyConnection:
    """The app-wide connection (every session shares it)."""
    with _lock:
        return _connection(str(config.db_path()))


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor for this thread: DuckDB connections are not shared across threads."""
    return connection().cursor()


@st.cache_resource(ttl=3600, max_entries=32, show_spinner=False)
def _state_slice(db_path: str, generation: int, sur: str) -> duckdb.DuckDBPyConnection:
    # One State's rows in memory, built once for every session (upr.queries.state_slice).
    cur = _connection(db_path).cursor()
    try:
        return build_slice(cur, sur)
    finally:
        cur.close()


# A State's slice is built in the background, SLICE_AFTER_S after its first query (after start or
# after a write); until then its queries read the whole database (the same SQL, the same result).
# The first visitors after a start never wait for the copy (at 100,000 recommendations ~0.15 s
# alone, ~0.6 s beside a browser loading Streamlit's code), and the copy does not compete with
# them for the machine: their pages' queries, shared by every session, are done by then.
SLICE_AFTER_S = 2.0
# (db_path, generation, State) -> (the thread building it, set once built)
_slices: dict[tuple[str, int, str], tuple[threading.Thread, threading.Event]] = {}
_slices_lock = threading.Lock()
_SLICE_FAILED = "building a State's slice failed; its queries go on reading the whole database"


def _build_slice(key: tuple[str, int, str], built: threading.Event) -> None:
    time.sleep(SLICE_AFTER_S)
    with _slices_lock:
        wanted = _slices.get(key, (None, None))[1] is built and str(config.db_path()) == key[0]
    if not wanted:  # a write came meanwhile, or the app now reads another database
        return
    try:
        _state_slice(*key)
    except Exception:  # the whole database still answers every query
        log.exception(_SLICE_FAILED)
        return
    if key[1] != _generation:  # a write came meanwhile: this copy is of data no longer there
        _state_slice.clear(*key)
        return
    built.set()


def _slice_if_built(db_path: str, generation: int, sur: str) -> duckdb.DuckDBPyConnection | None:
    """The State's slice once built, else None after starting its build (once) in the background."""
    key = (db_path, generation, sur)
    with _slices_lock:
        if key not in _slices:
            built = threading.Event()
            # Not a daemon: the interpreter's exit waits for the copy rather than kill DuckDB at work.
            thread = threading.Thread(target=_build_slice, args=(key, built), name="upr-state-slice")
            _slices[key] = (thread, built)
            thread.start()
        built = _slices[key][1]
    return _state_slice(*key) if built.is_set() else None


def wait_for_slices(timeout: float = 60.0) -> bool:
    """Wait until every slice build started has ended; True if every one was built."""
    with _slices_lock:
        started = list(_slices.values())
    for thread, _ in started:
        thread.join(timeout)
    return all(built.is_set() for _, built in started)


@st.cache_resource(ttl=3600, max_entries=32, show_spinner=False)
def _one_state(db_path: str, generation: int) -> bool:
    # A database of one State under review (the usual case: Kazakhstan's own) is its own slice:
    # its queries run on it directly, with no copy to build on the first visit after start.
    cur = _connection(db_path).cursor()
    try:
        return bool(cur.execute("SELECT count(DISTINCT sur_iso3) <= 1 FROM review").fetchall()[0][0])
    finally:
        cur.close()


@st.cache_data(ttl=3600, max_entries=1024, show_spinner=False)
def _cached_query(db_path: str, generation: int, name: str, *args: object) -> pd.DataFrame | list | bool:
    # db_path is part of the key: a result belongs to one database file. A query that reads one
    # State's rows runs on that State's slice (the same SQL, the same result, far fewer rows).
    sur = state_of(name, args)
    if name == "recommendation_detail" and args:
        cur = _connection(db_path).cursor()
        try:
            sur = state_of_recommendation(cur, str(args[0]))
        finally:
            cur.close()
    part = None if sur is None or _one_state(db_path, generation) else _slice_if_built(db_path, generation, sur)
    source = _connection(db_path) if part is None else part
    cur = source.cursor()
    try:
        return getattr(queries, name)(cur, *args)
    finally:
        cur.close()


def query(name: str, *args: object) -> pd.DataFrame | list | bool:
    """Run queries.<name>(cursor, *args), cached by database and arguments (filters are frozen dataclasses)."""
    return _cached_query(str(config.db_path()), _generation, name, *args)


_SHARED: dict[str, Callable[..., object]] = {}


@st.cache_resource(ttl=3600, max_entries=512, show_spinner=False)
def _shared_result(db_path: str, generation: int, name: str, *args: object) -> object:
    return _SHARED[name](*args)


def shared(fn: Callable[..., T]) -> Callable[..., T]:
    """Compute `fn(*args)` once per database, state of the data and arguments, for every session.

    For what a page shows that depends only on the data, the filters and the language (figures,
    their headlines): the first session to ask computes it (others asking at the same moment
    wait for it), every later one gets the same object, until the next write. Nothing of a
    session's own (its account, its upload) may go in; callers must not change what they get.
    """
    name = f"{fn.__module__}.{fn.__qualname__}"
    _SHARED[name] = fn

    @functools.wraps(fn)
    def call(*args: object) -> T:
        return _shared_result(str(config.db_path()), _generation, name, *args)  # type: ignore[return-value]

    return call


def clear_caches() -> None:
    """After any write: every cached result and shared figure may be stale."""
    global _generation
    with _lock:
        _generation += 1
    with _slices_lock:
        _slices.clear()
    _cached_query.clear()
    _shared_result.clear()
    _state_slice.clear()
    _one_state.clear()


def run_locked(fn: Callable[..., T], *args: object, write: bool = True, **kwargs: object) -> T:
    """Run fn(cursor, *args, **kwargs) under the write lock; after a write, clear every cache.

    Dry runs and the uncached reads of the write pages (`write=False`) take the lock too, so they
    never see half of another session's import.
    """
    with WRITE_LOCK:
        cur = cursor()
        try:
            return fn(cur, *args, **kwargs)
        finally:
            cur.close()
            if write:
                clear_caches()


def source_note(f: object, lang: str, assessments: bool = False) -> str:
    """What a chart of the filters' recommendations cites: the UN documents of the cycles shown and,
    for charts of implementation (`assessments`), who assessed them and when (upr.citations).
    Without its 'Source: ' (the chart builders add it)."""
    from upr.citations import chart_source

    return chart_source(query, f, lang, assessments=assessments, prefix=False)
