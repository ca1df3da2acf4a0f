"""The app's search index (upr.search), brought up to date in the background.

An upload or a revert commits its data and returns (every page shows its figures at once); the
word-form index follows here, in a thread of its own, under the app's write lock, so that no other
write runs meanwhile. Until it is done, a search finds the new recommendations by their words as
typed (upr.filters, clause "q") and the Explorer says so. One thread at a time: a request that comes
while one runs makes it run once more when it is done. Then the write-ahead log is folded into the
database file (commits leave that to this thread: upr.db.WAL_CHECKPOINT).

At start the index is checked the same way, without the lock: one a crash left behind, or an older
database's, is brought up to date without making the start wait for it. The check waits
START_CHECK_DELAY_S first (or until an upload asks for a refresh): it reads every recommendation's
texts (0.2 s of both cores at 100,000 recommendations, 2 s at a million), which the first visitors'
browsers, loading Streamlit's code, need more.
"""

from __future__ import annotations

import logging
import threading

import duckdb

from ui import data
from upr import config
from upr.search import index_pending, index_stale, refresh_search

log = logging.getLogger(__name__)

_lock = threading.Lock()
_running = False  # a thread is at work (set and cleared under _lock)
_again = False  # a request came while it was: one more run when it is done
_thread: threading.Thread | None = None
_wake = threading.Event()  # a refresh was asked for: the start's check waits no longer
START_CHECK_DELAY_S = 15.0


_PUT_OFF = "the checkpoint after an import was put off"  # for the server's log, not the reader
_FAILED = "bringing the search index up to date failed"


def _checkpoint(cur) -> None:  # noqa: ANN001 - a DuckDB cursor
    """Fold the write-ahead log into the database file (upr.db: commits leave it to this)."""
    try:
        cur.execute("CHECKPOINT")
    except duckdb.Error:  # another transaction at work: the next import's, or closing, does it
        log.info(_PUT_OFF, exc_info=True)


def _stale() -> bool:
    cur = data.cursor()
    try:
        return index_stale(cur)
    finally:
        cur.close()


def _work(check_first: bool) -> None:
    global _running, _again
    if check_first:
        path = str(config.db_path())
        _wake.wait(START_CHECK_DELAY_S)
        with _lock:
            asked, _again = _again, False
            if not asked and str(config.db_path()) != path:
                _running = False  # the app opened another database meanwhile: its own start checks it
                return
        check_first = not asked  # a refresh asked for meanwhile brings everything up to date anyway
    while True:
        try:
            if not check_first or _stale():
                # The caches are cleared only when rows changed: the searches and the Explorer's note then move on.
                if data.run_locked(refresh_search, write=False):
                    data.clear_caches()
                data.run_locked(_checkpoint, write=False)
        except Exception:  # a failed refresh leaves the search by words as typed; the next write tries again
            log.exception(_FAILED)
        with _lock:
            if not _again:
                _running = False
                return
            _again = False
            check_first = False


def refresh_later(check_first: bool = False) -> threading.Thread:
    """Bring the search index up to date in the background (after an upload or a revert that
    changed something; at start with `check_first`, only when it is not up to date, after
    START_CHECK_DELAY_S). Returns the thread at work (tests wait for it)."""
    global _running, _again, _thread
    with _lock:
        if _running:
            _again = True
            _wake.set()
            assert _thread is not None
            return _thread
        _running = True
        _wake.clear()
        _thread = threading.Thread(target=_work, args=(check_first,), name="search-index", daemon=True)
        _thread.start()
        return _thread


def wait(timeout: float | None = None) -> None:
    """Until the thread at work (if any) is done."""
    with _lock:
        thread = _thread
    if thread is not None:
        thread.join(timeout)


@data.shared
def pending(sur: str) -> int:
    """How many recommendations of State `sur` wait for their index rows (the Explorer's note)."""
    cur = data.cursor()
    try:
        return index_pending(cur, sur)
    finally:
        cur.close()
