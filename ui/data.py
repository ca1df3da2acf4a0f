"""Data access for pages: one shared connection, cached query results, cleared after a write."""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import streamlit as st

from upr import config, db, queries

_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = db.connect(path)
    if con.execute("SELECT count(*) FROM import WHERE reverted_at IS NULL").fetchone()[0] == 0:
        # First run with no data: build the demo so the app has something true to show.
        from etl.demo import build_demo

        build_demo(con)
    return con


def connection() -> duckdb.DuckDBPyConnection:
    """The app-wide connection (every session shares it)."""
    with _lock:
        return _connection(str(config.db_path()))


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor for this thread: DuckDB connections are not shared across threads."""
    return connection().cursor()


@st.cache_data(ttl=3600, max_entries=1024, show_spinner=False)
def query(name: str, *args: object) -> pd.DataFrame | list | bool:
    """Run queries.<name>(cursor, *args), cached by its arguments (filters are frozen dataclasses)."""
    cur = cursor()
    try:
        return getattr(queries, name)(cur, *args)
    finally:
        cur.close()


def clear_caches() -> None:
    """After any write: every cached result may be stale."""
    query.clear()


def source_note(lang: str) -> str:
    """Which data a chart comes from: the imports in force, named."""
    from upr.i18n import t

    imports = query("imports_in_force")
    if imports.empty:
        return "—"
    names = "; ".join(f"#{i} {n}" for i, n in zip(imports["id"], imports["file_name"]))
    return t("common.source_db", lang, imports=names)
