"""The search index built in the database (the texts cut into chunks in SQL, the words read in
Python) gives exactly the keys `text_keys` gives; an import that leaves the index for later still
finds its recommendations by their words as typed; the app brings the index up to date in the
background and the Explorer says how many recommendations wait meanwhile."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.importer import import_file
from etl.revert import revert_import
from tests.conftest import FIXTURES
from tests.test_search import _index_in_step, _one_text
from upr import db, queries
from upr.filters import Filters
from upr.i18n import t
from upr.search import CHUNK, index_pending, index_stale, query_words, refresh_index, text_keys

UPR_INFO = FIXTURES / "upr_info" / "upr_info_macroman_cr.csv"

TEXTS = {
    "KAZ-3-1.1": {"ru": "Ёлка и ЁЖИК, Mixed CASE Words: ребёнок, РЕБЁНКА"},
    "KAZ-3-1.2": {"kk": "Әйелдердің ҚҰҚЫҚТАРЫН қорғау; Ұлттық Іс-шара, ӨЛІМ жазасын", "ru": "Пыток нет"},
    "KAZ-3-1.3": {"en": "Article_5 of the 1951 Convention; 2nd report (A/HRC/41/5), co-operation"},
    "KAZ-3-1.4": {"ru": "«Права» человека — ребёнка/женщин! (см. п.124.17) [сноска]{x}<b>?"},
    # Σ is lowered to ς at the end of a word; an apostrophe, a full stop, a colon or a combining
    # mark inside a word does not end it for lower() (they are case-ignorable): σ there.
    "KAZ-3-1.5": {"en": "ΟΔΟΣ ΟΔΟΣ. ΑΣ'Α ΑΣ.Α ΑΣ:Α ΣΑΣ Σ ΑΣ\u0301Α ΑΣ-Α"},
    "KAZ-3-1.6": {"en": "İstanbul İZMİR ıi", "fr": "Café cafe\u0301 RÉSUMÉ naïve ﬁnance"},
    "KAZ-3-1.7": {"en": "death\u00a0penalty\ttab\nnew line\u2009thin\u3000wide"},
}
THEMES = {"KAZ-3-1.1": ["torture", "death_penalty"], "KAZ-3-1.8": ["women_rights"]}


def _keys(con) -> dict[str, str]:
    return dict(con.execute("SELECT rec_id, keys FROM rec_search ORDER BY rec_id").fetchall())


@pytest.mark.parametrize("batch", [25_000, 2])
def test_the_index_holds_exactly_the_keys_of_text_keys(con, monkeypatch, batch):
    monkeypatch.setattr("upr.search.BATCH", batch)  # 2: five batches, the last of one
    for rec_id, texts in TEXTS.items():
        _one_text(con, rec_id, texts, THEMES.get(rec_id, ()))
    _one_text(con, "KAZ-3-1.8", {}, THEMES["KAZ-3-1.8"])  # themes, no text
    _one_text(con, "KAZ-3-1.9", {})  # neither
    assert refresh_index(con) == 9
    want = {
        rec_id: text_keys(sorted(TEXTS.get(rec_id, {}).items()), THEMES.get(rec_id, ()))
        for rec_id in [f"KAZ-3-1.{i}" for i in range(1, 10)]
    }
    assert _keys(con) == want
    assert want["KAZ-3-1.9"] == "  "
    assert want["KAZ-3-1.8"] == " t:women_rights "
    greek = want["KAZ-3-1.5"].split()
    assert "w:οδος" in greek and "w:ας" in greek and "w:ασ" in greek and "w:σας" in greek and "w:σ" in greek
    assert "w:ёлка" not in want["KAZ-3-1.1"] and "w:елка" in want["KAZ-3-1.1"].split()
    assert {"w:i", "w:stanbul", "w:zmi", "w:r", "w:ıi"} <= set(want["KAZ-3-1.6"].split())  # İ: i and a combining dot
    assert not _stale(con)


@pytest.mark.parametrize("sep", list(' \t\n\r\f,;!?()[]{}<>«»"/-'))
def test_the_chunks_end_where_no_word_goes_on(con, sep):
    """Every character the SQL cuts at is no part of a word and ends a word for lower() too."""
    assert not sep.isalnum() and sep != "_"
    assert ("ΑΣ" + sep + "Α").lower() == "ας" + sep + "α"
    assert con.execute(f"SELECT regexp_extract_all(?, '{CHUNK}')", ["aΣ" + sep + "b"]).fetchall() == [(["aΣ", "b"],)]


def _stale(con) -> bool:
    """index_stale, checked whole and one recommendation at a time: both say the same."""
    whole = index_stale(con, batch=10**9)
    assert index_stale(con, batch=1) == index_stale(con) == whole
    return whole


def _imported(con, tmp_path, monkeypatch):
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    return import_file(con, UPR_INFO, index=False)


def test_an_import_without_its_index_is_searched_by_the_words_as_typed(con, tmp_path, monkeypatch):
    report = _imported(con, tmp_path, monkeypatch)
    assert report.import_id == 1 and report.added == 4
    pending = con.execute("SELECT rec_id, sig, keys FROM rec_search WHERE rec_id LIKE 'KAZ%' ORDER BY keys").fetchall()
    assert pending == [
        ("KAZ-2-t82be8a78", "", " abolish the death penalty for all crimes "),
        ("KAZ-2-tdde6148a", "", " continue efforts to combat trafficking in persons "),
        ("KAZ-2-t72d8ebb3", "", " ensure freedom of peaceful assembly "),
    ]
    assert index_pending(con, "KAZ") == 3 and index_pending(con, "CIV") == 1 and index_pending(con, "FRA") == 0
    assert _stale(con)

    def count(q: str) -> int:
        return queries.explorer_count(con, Filters(q=q))

    # Every word as typed, in any order and any case: found; a word form not written: not yet.
    assert [count(q) for q in ("crimes ABOLISH", "penalty death", "peace", "penalties", "trafficking death")] == [
        1,
        1,
        1,
        0,
        0,
    ]
    assert [count(q) for q in ("124.17", "...", "KAZ-2-t82be8a78")] == [0, 0, 1]  # no words: nothing pending found
    assert refresh_index(con) == 4
    assert index_pending(con, "KAZ") == 0 and not _stale(con)
    _index_in_step(con)
    assert [count(q) for q in ("crimes ABOLISH", "penalty death", "peace", "penalties", "trafficking death")] == [
        1,
        1,
        1,
        1,
        0,
    ]
    # A text changed behind the index's back (a stop before its refresh): its signature no longer matches.
    con.execute("UPDATE rec_text SET text = text || ' now' WHERE rec_id = 'KAZ-2-t72d8ebb3'")
    assert _stale(con)


def test_a_revert_without_its_index_leaves_it_to_the_refresh(con, tmp_path, monkeypatch):
    report = _imported(con, tmp_path, monkeypatch)
    assert refresh_index(con) == 4
    revert_import(con, report.import_id, who="test", index=False)
    assert queries.explorer_count(con, Filters(q="penalty")) == 0  # the recommendations are gone at once
    assert con.execute("SELECT count(*) FROM rec_search").fetchall() == [(4,)]  # their keys until the refresh
    assert _stale(con)
    assert refresh_index(con) == 0
    assert con.execute("SELECT count(*) FROM rec_search").fetchall() == [(0,)]


def test_query_words():
    assert query_words("  Смертная КАЗНЬ ёлка ") == ["смертная", "казнь", "елка"]
    assert query_words("о пытках") == ["пытках"]
    assert query_words("124.17") == [] and query_words("KAZ-3-140.35") == [] and query_words("?!") == []
    assert query_words("") == []


def test_an_old_database_opened_by_the_app_waits_for_its_index(tmp_path):
    import duckdb

    path = tmp_path / "v5.duckdb"
    old = duckdb.connect(str(path))
    db.migrate(old, target=5)
    _one_text(old, "KAZ-3-1.1", {"en": "Abolish the death penalty", "ru": "Отменить смертную казнь"})
    old.close()
    con = db.connect(path, index=False)
    assert con.execute("SELECT sig, keys FROM rec_search").fetchall() == [
        ("", " abolish the death penalty\nотменить смертную казнь ")
    ]
    assert queries.explorer_count(con, Filters(q="смертную казнь")) == 1
    assert queries.explorer_count(con, Filters(q="смертная казнь")) == 0
    assert refresh_index(con) == 1
    assert queries.explorer_count(con, Filters(q="смертная казнь")) == 1
    con.close()


# --- the app ----------------------------------------------------------------------------------


@pytest.fixture
def app_file(tmp_path, monkeypatch) -> Path:
    """A database file the app opens, holding one import whose index was left for later."""
    from ui import search_index

    monkeypatch.setattr(search_index, "START_CHECK_DELAY_S", 0.0)
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("UPR_DB", str(path))
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    con = db.connect(path)
    import_file(con, UPR_INFO, index=False)
    con.close()
    return path


def test_the_app_brings_a_stale_index_up_to_date_at_start(app_file):
    from ui import data, search_index

    con = data.connection()  # the start: the index is checked and refreshed in the background
    search_index.wait(60)
    _index_in_step(con.cursor())
    assert search_index.pending("KAZ") == 0
    assert data.query("explorer_count", Filters(q="penalties")) == 1


def test_the_start_check_waits_for_the_first_visitors_or_for_an_upload(app_file, monkeypatch):
    """At start the index is checked only after START_CHECK_DELAY_S: reading every recommendation's
    texts would compete with the first visitors. A refresh asked for meanwhile (an upload) runs at once."""
    from ui import data, search_index

    monkeypatch.setattr(search_index, "START_CHECK_DELAY_S", 30.0)
    search_index.wait(60)  # an earlier start's thread, if any
    con = data.connection()  # the start: the check is started (data._connection)
    thread = search_index._thread
    assert thread is not None
    thread.join(0.5)
    assert thread.is_alive()  # waiting
    assert search_index.pending("KAZ") == 3  # not checked yet: the import left its index for later
    assert search_index.refresh_later() is thread  # an upload's request wakes it
    thread.join(60)
    assert not thread.is_alive()
    _index_in_step(con.cursor())
    data.clear_caches()
    assert search_index.pending("KAZ") == 0


def test_the_start_check_of_a_database_the_app_left_does_nothing(app_file, tmp_path, monkeypatch):
    from ui import data, search_index

    monkeypatch.setattr(search_index, "START_CHECK_DELAY_S", 0.3)
    search_index.wait(60)
    data.connection()
    thread = search_index._thread
    assert thread is not None
    monkeypatch.setenv("UPR_DB", str(tmp_path / "other.duckdb"))  # the app is pointed elsewhere
    thread.join(60)
    monkeypatch.setenv("UPR_DB", str(app_file))
    data.clear_caches()
    assert search_index.pending("KAZ") == 3  # left as it was


def test_the_app_refreshes_after_an_upload_one_thread_at_a_time(app_file, tmp_path):
    from tests.test_reconcile import REPORT_TXT
    from ui import data, search_index

    con = data.connection()
    search_index.wait(60)
    report_file = tmp_path / "report.txt"
    report_file.write_text(REPORT_TXT, encoding="utf-8")
    report = data.run_locked(import_file, report_file, index=False)
    assert (report.import_id, report.added, report.updated) == (2, 0, 3)
    # The report numbers apart the two recommendations UPR Info merged: the second one is new, and waits.
    assert search_index.pending("KAZ") == 1
    assert data.query("explorer_count", Filters(q="death penalty")) == 2
    assert data.query("explorer_count", Filters(q="death penalties")) == 1
    with data.WRITE_LOCK:  # another write at work: the refresh waits for it, and a second request joins it
        first = search_index.refresh_later()
        assert search_index.refresh_later() is first
        assert first.is_alive()
    search_index.wait(60)
    assert not first.is_alive()
    _index_in_step(con.cursor())
    assert search_index.pending("KAZ") == 0
    assert data.query("explorer_count", Filters(q="death penalties")) == 2


def test_an_import_leaves_the_log_to_the_background_which_folds_it_in(app_file, tmp_path):
    """A commit does not fold the write-ahead log into the file (upr.db.WAL_CHECKPOINT): the app's
    background thread does, after the index."""
    from tests.test_reconcile import REPORT_TXT
    from ui import data, search_index

    con = data.connection()
    search_index.wait(60)
    # 1 GB, not DuckDB's 16 MB: a 100,000-row import's commit does not stop to fold in its log.
    assert con.execute("SELECT current_setting('wal_autocheckpoint')").fetchall() == [("953.6 MiB",)]
    wal = Path(f"{app_file}.wal")
    report_file = tmp_path / "report.txt"
    report_file.write_text(REPORT_TXT, encoding="utf-8")
    with data.WRITE_LOCK:  # the background waits for the lock: look at the file before it runs
        cur = data.cursor()
        try:
            report = import_file(cur, report_file, index=False)
        finally:
            cur.close()
        assert report.added + report.updated == 3
        assert wal.exists() and wal.stat().st_size > 0  # committed, in the log
        thread = search_index.refresh_later()
    thread.join(60)
    assert not wal.exists() or wal.stat().st_size == 0  # folded into the database file


def test_the_explorer_says_how_many_wait(app_db, tmp_path):
    """The note shows only while a search is typed and some recommendations of the State wait."""
    from tests.test_app import run_app
    from ui import data, search_index

    shutil.copyfile(UPR_INFO, tmp_path / "world.csv")
    at = run_app("ru", "pages/explorer.py")
    search_index.wait(60)
    note = t("explorer.index_pending", "ru", n=3)
    assert all(c.value != note for c in at.caption)
    report = data.run_locked(import_file, tmp_path / "world.csv", index=False)
    assert report.added == 4  # three of Kazakhstan, one of Côte d'Ivoire
    assert search_index.pending("KAZ") == 3
    at.run()
    assert all(c.value != note for c in at.caption)  # no search typed
    at.text_input(key="explorer_q").input("peaceful").run()
    assert note in [c.value for c in at.caption]
    search_index.refresh_later()
    search_index.wait(60)
    at.run()
    assert all(c.value != note for c in at.caption)
