"""Connections, versioned migrations and reference data.

A database made by an older version is upgraded in place: each file in upr/migrations,
`NNN_name.sql`, runs once, in order, inside a transaction, and is recorded in schema_version.
"""

from __future__ import annotations

import csv
import time
from datetime import datetime
from pathlib import Path

import duckdb

from upr import config
from upr.vocab import VOCABULARIES


class DatabaseBusy(Exception):
    """Another process holds the database for writing."""


class SchemaTooNew(Exception):
    """The database was written by a newer version of this tool: opening it could damage it."""

    def __init__(self, path: str, found: int, known: int):
        super().__init__(
            f"The database {path} is at schema version {found}, newer than this version of the tool "
            f"knows ({known}): it was written by a newer version. Update the tool, or use another database."
        )
        self.found, self.known = found, known


def migrations() -> list[tuple[int, str, Path]]:
    """(version, name, path) of every migration file, in order."""
    found = []
    for path in sorted(config.MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:3]), path.stem[4:], path))
    return found


SCHEMA_VERSION = migrations()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version a database is at (0 for an empty one)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None, *, index: bool = True) -> list[int]:
    """Apply every migration above the database's version (up to `target`); return those applied.

    A migration that (re)creates the search index fills it right away with `index`; without (the
    app), the index is filled afterwards and a search finds words as typed meanwhile."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    current = schema_version(con)
    applied = []
    for version, name, path in migrations():
        if version <= current or (target is not None and version > target):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, datetime.now()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    if applied:
        refresh_reference_data(con)
    if {6, 7} & set(applied):  # the search index (migrations 006, 007): fill it for what the database holds
        from upr.search import mark_pending, refresh_search

        if index:
            refresh_search(con)
        else:  # the app fills it in the background; a search finds the words as typed meanwhile
            con.execute("BEGIN TRANSACTION")
            mark_pending(con)
            con.execute("COMMIT")
    return applied


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def refresh_reference_data(con: duckdb.DuckDBPyConnection) -> None:
    """Replace vocabularies, States, aliases, themes, groups and agencies from the shipped data files."""
    from upr.states import load_states, normalise_name
    from upr.themes import load_groups, load_themes

    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM vocab")
        con.executemany(
            "INSERT INTO vocab VALUES (?, ?, ?, ?, ?, ?)",
            [[kind, t.code, t.en, t.ru, t.kk, i] for kind, terms in VOCABULARIES.items() for i, t in enumerate(terms)],
        )
        con.execute("DELETE FROM state")
        states = load_states()
        con.executemany(
            "INSERT INTO state VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[s.iso3, s.iso2, s.name_en, s.name_ru, s.name_kk, s.regional_group or None, s.un_status] for s in states],
        )
        con.execute("DELETE FROM state_alias")
        aliases = {normalise_name(r["alias"]): r["iso3"] for r in _read_csv(config.DATA_DIR / "state_aliases.csv")}
        con.executemany("INSERT INTO state_alias VALUES (?, ?)", [list(kv) for kv in aliases.items()])
        con.execute("DELETE FROM theme")
        con.executemany(
            "INSERT INTO theme VALUES (?, ?, ?, ?, ?)",
            [[t.code, t.label_en, t.label_ru, t.label_kk, t.sort] for t in load_themes()],
        )
        con.execute("DELETE FROM affected_group")
        con.executemany(
            "INSERT INTO affected_group VALUES (?, ?, ?, ?)",
            [[g.code, g.label_en, g.label_ru, g.label_kk] for g in load_groups()],
        )
        if schema_version(con) >= 5:  # the agencies table came with migration 005
            _refresh_agencies(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _refresh_agencies(con: duckdb.DuckDBPyConnection) -> None:
    from upr.agencies import load_agencies

    con.execute("DELETE FROM agency")
    con.executemany(
        "INSERT INTO agency VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [a.code, a.name_ru, a.name_en, a.name_kk, a.abbr_ru, a.abbr_en, a.abbr_kk, a.aliases, a.sort]
            for a in load_agencies()
        ],
    )


WAL_CHECKPOINT = "1GB"  # the write-ahead log's size at which a commit folds it in itself


def connect(
    path: Path | str | None = None, *, read_only: bool = False, wait_seconds: float = 0.0, index: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open (and, when writable, migrate) the database; ':memory:' for a fresh in-memory one.

    `index=False` leaves filling a new search index to the caller (the app does it in the background).

    If another process holds the file, retry for `wait_seconds`, then raise DatabaseBusy.
    """
    target = str(config.db_path() if path is None else path)
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(target, read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"The database {target} is in use by another process (the app, or another import). "
                    "Import through the app's upload page, or stop the app and try again."
                ) from exc
            time.sleep(0.5)
    con.execute("SET enable_progress_bar = false")  # it would print into the command line's report
    if not read_only and target != ":memory:":
        # A commit does not fold the write-ahead log into the file (DuckDB would at 16 MB: half a
        # second of a 100,000-row import's wait); the app does it after each import, in the
        # background (ui.search_index), and closing a connection does it too. The commit is durable
        # either way: the log is on disk.
        con.execute(f"SET wal_autocheckpoint = '{WAL_CHECKPOINT}'")
    found = schema_version(con)
    if found > SCHEMA_VERSION:  # never migrate, read or write what a newer version wrote
        con.close()
        raise SchemaTooNew(target, found, SCHEMA_VERSION)
    if not read_only:
        migrate(con, index=index)
    return con
