"""Search that knows word forms: «пытки» finds «пыток» and «пытках», «өлім жазасы» finds «өлім
жазасын», "death penalty" finds "death penalties".

Every word of a recommendation's texts is kept, in the table `rec_search` (one row per
recommendation, built by `refresh_index` after each import's commit: before returning from the
command line, in the background in the app, ui.search_index), as a list of keys in one string:

- ` w:пыток ` — the word itself, lower case, ё as е (a query word matches the start of it, so
  «пыт» still finds what it found before);
- ` ru:пытк ` — its stem in the text's language: Snowball for Russian, English and the other
  languages it has, our own rules for Kazakh (upr.kazakh). A Russian word ending in a fleeting
  vowel (пыток, рынок) also gets the stem without it (пытк), as its other forms have it;
- ` t:torture ` — each canonical theme of the recommendation.

A query is cut into words; each word becomes a list of keys: its own start, its stems (Russian
and Kazakh for Cyrillic, English, French and Spanish for Latin script) and the themes whose names,
in any of the three languages, hold a matching word. A recommendation is found when every word
matches one of its keys, in any order (FILTERED_RECS in upr.filters), or when its text holds the
query as typed, or its paragraph or ID is the query. A recommendation whose keys are not built yet
has a waiting row holding its texts as typed (`mark_pending`): it is found when every query word
is in them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache

import duckdb
import pandas as pd

from upr.kazakh import stem_kk

__all__ = [
    "words",
    "stems",
    "text_keys",
    "query_terms",
    "theme_matches",
    "highlight",
    "marked",
    "refresh_index",
    "refresh_search",
    "index_pending",
    "index_stale",
    "query_words",
]

_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
_LATIN = re.compile(r"[a-z]")
# A query that is a paragraph or an ID (124.17, KAZ-3-140.35) is looked up as such, not by its words.
_REFERENCE = re.compile(r"[\d.\s]+|[a-z]{3}-\d+-[\d.]+", re.IGNORECASE)
_SNOWBALL = {"ru": "russian", "en": "english", "fr": "french", "es": "spanish", "de": "german", "ar": "arabic"}
_LATIN_LANGS = ("en", "fr", "es")
_CYRILLIC_LANGS = ("ru", "kk")
# A key no index holds: a query with no word to look for finds nothing by words.
NOTHING = " \x00 "

_lock = threading.Lock()  # Snowball stemmers keep their state in the object: one word at a time
_stemmers: dict[str, object] = {}  # snowballstemmer's, made on first use (its import is slow)
_FLEETING = re.compile(r"[^аеиоуыэюяйь][оеё][^аеиоуыэюяйь]$")


def _norm(text: str) -> str:
    return text.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    """The words of a text, lower case, ё as е."""
    return _WORD.findall(_norm(text))


@lru_cache(maxsize=200_000)
def stems(word: str, lang: str) -> tuple[str, ...]:
    """The stems of one normalised word in `lang` (none for a language without a stemmer, or a number)."""
    if any(ch.isdigit() for ch in word):
        return ()
    if lang == "kk":
        return (stem_kk(word),)
    name = _SNOWBALL.get(lang)
    if name is None:
        return ()
    with _lock:
        if name not in _stemmers:
            import snowballstemmer

            _stemmers[name] = snowballstemmer.stemmer(name)
        stem = _stemmers[name].stemWord(word)
    if lang == "ru" and stem == word and len(word) >= 5 and _FLEETING.search(word):
        return (stem, word[:-2] + word[-1])  # пыток → пытк, as in пытки, пыткам
    return (stem,)


def _langs_of(word: str) -> tuple[str, ...]:
    if _CYRILLIC.search(word):
        return _CYRILLIC_LANGS
    if _LATIN.search(word):
        return _LATIN_LANGS
    return ()


@lru_cache(maxsize=200_000)
def _keys_of(word: str, lang: str) -> tuple[str, ...]:
    return (f"w:{word}", *(f"{lang}:{s}" for s in stems(word, lang)))


def text_keys(texts: Iterable[tuple[str, str]], themes: Iterable[str] = ()) -> str:
    """The index string of one recommendation: its texts as (language, text) and its theme codes."""
    keys: set[str] = set()
    for lang, text in texts:
        for word in set(words(text or "")):
            keys.update(_keys_of(word, lang))
    keys.update(f"t:{code}" for code in themes if code)
    return " " + " ".join(sorted(keys)) + " "


def _word_keys(word: str) -> list[str]:
    """What one query word looks for: the start of a word, or a stem in each language of its script."""
    keys = {f" w:{word}"}
    for lang in _langs_of(word):
        keys.update(f" {lang}:{s} " for s in stems(word, lang))
    return sorted(keys)


@lru_cache(maxsize=1)
def _theme_index() -> dict[str, str]:
    from upr.themes import load_themes

    return {t.code: text_keys((("en", t.label_en), ("ru", t.label_ru), ("kk", t.label_kk))) for t in load_themes()}


def theme_matches(word: str) -> list[str]:
    """The canonical themes whose name, in Russian, English or Kazakh, holds a form of `word`."""
    keys = _word_keys(word)
    return [code for code, index in _theme_index().items() if any(k in index for k in keys)]


def _query_words(q: str) -> list[str]:
    found = list(dict.fromkeys(words(q)))
    return [w for w in found if len(w) > 1] or found  # «о пытках»: the one-letter words say nothing


@lru_cache(maxsize=4096)
def _terms(q: str) -> tuple[tuple[str, ...], ...]:
    q = q.strip()
    if not q:
        return ()
    found = _query_words(q)
    if not found or _REFERENCE.fullmatch(q):
        return ((NOTHING,),)
    return tuple(tuple(sorted({*_word_keys(w), *(f" t:{code} " for code in theme_matches(w))})) for w in found)


def query_words(q: str) -> list[str]:
    """The query's words as typed (lower case, ё as е), for what the index does not hold yet:
    none for an empty query, one with no word, or a paragraph or ID."""
    q = q.strip()
    found = _query_words(q) if q else []
    return [] if not found or _REFERENCE.fullmatch(q) else found


def query_terms(q: str) -> list[list[str]]:
    """The query as FILTERED_RECS's `$q_terms`: per word, the keys any one of which it may match.

    Empty for an empty query; one key no recommendation has when the query has no word to look
    for or is a paragraph or ID (those are looked up exactly).
    """
    return [list(t) for t in _terms(q)]


# --- highlighting ----------------------------------------------------------------------------


def highlight(text: str, q: str) -> list[tuple[str, bool]]:
    """`text` cut into pieces, each flagged when it matches the query: a word matching a query
    word (by its start or a stem), or the query as typed. Joined, the pieces are `text`."""
    q = q.strip()
    if not text or not q:
        return [(text, False)] if text else []
    marked_at = [False] * len(text)
    plain = _norm(text)
    wanted = [_word_keys(w) for w in _query_words(q)]
    for m in _WORD.finditer(plain):
        word = m.group()
        index = text_keys((lang, word) for lang in _langs_of(word) or ("",))
        if any(k in index for keys in wanted for k in keys):
            marked_at[m.start() : m.end()] = [True] * (m.end() - m.start())
    needle = _norm(q)
    if len(plain) == len(text) and needle:
        start = plain.find(needle)
        while start >= 0:
            marked_at[start : start + len(needle)] = [True] * len(needle)
            start = plain.find(needle, start + 1)
    pieces: list[tuple[str, bool]] = []
    for ch, on in zip(text, marked_at):
        if pieces and pieces[-1][1] == on:
            pieces[-1] = (pieces[-1][0] + ch, on)
        else:
            pieces.append((ch, on))
    return pieces


def marked(text: str, q: str, escape: Callable[[str], str], mark: Callable[[str], str]) -> str:
    """`text` with every piece escaped, and the matching pieces wrapped by `mark` (after escaping)."""
    return "".join(mark(escape(piece)) if on else escape(piece) for piece, on in highlight(text, q))


# --- the index -------------------------------------------------------------------------------

_SIG_TEMPLATE = """
    WITH t AS (SELECT rec_id, string_agg(lang || chr(31) || text, chr(30) ORDER BY lang) AS s
               FROM rec_text WHERE {text} GROUP BY rec_id),
    th AS (SELECT rec_id, string_agg(DISTINCT theme_code, ',' ORDER BY theme_code) AS s
           FROM rec_theme WHERE theme_code IS NOT NULL AND {theme} GROUP BY rec_id)
    SELECT r.id AS rec_id, v.sur_iso3, md5(v.sur_iso3 || chr(29) || coalesce(t.s, '') || chr(29) || coalesce(th.s, '')) AS sig
    FROM recommendation r JOIN review v ON v.id = r.review_id
    LEFT JOIN t ON t.rec_id = r.id LEFT JOIN th ON th.rec_id = r.id
    WHERE {rec}
"""
_SIG_SELECT = _SIG_TEMPLATE.format(text="true", theme="true", rec="true")
# One part of the recommendations (and of every row referring to them), by a hash of the id.
_PART = "hash({col}) % $parts = $part"
_SIG_PART = _SIG_TEMPLATE.format(
    text=_PART.format(col="rec_id"), theme=_PART.format(col="rec_id"), rec=_PART.format(col="r.id")
)
_SIGNATURES = "CREATE OR REPLACE TEMP TABLE _search_sig AS " + _SIG_SELECT


# Texts are cut into chunks in SQL, at characters that are never part of a word and that lower()
# never looks across (ASCII spaces and plain punctuation: not cased, not case-ignorable, so a Greek
# capital sigma is lowered the same in its chunk as in the whole text). Each distinct chunk is then
# read by `words` in Python, so the keys are exactly those `text_keys` gives.
CHUNK = r"[^\s,;!?()\[\]{}<>«»\"/\-]+"
BATCH = 25_000  # recommendations indexed at a time


def _chunk_keys(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """The keys of each distinct (chunk, language) of the texts, one row per key."""
    rows: list[tuple[str, str, str]] = []
    for chunk, lang in pairs:
        keys: set[str] = set()
        for word in words(chunk):
            keys.update(_keys_of(word, lang))
        rows.extend((chunk, lang, key) for key in keys)
    return pd.DataFrame(rows, columns=["tok", "lang", "key"], dtype=object)


def _index_batch(con: duckdb.DuckDBPyConnection, batch: int) -> None:
    """The index rows of one batch of `_search_todo`: its texts' chunks in SQL, their keys in
    Python (once per distinct chunk and language), gathered and sorted per recommendation in SQL."""
    mine = "SELECT rec_id FROM _search_todo WHERE batch = $batch"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _search_tok AS SELECT DISTINCT rec_id, lang, "  # noqa: S608
        f"unnest(regexp_extract_all(text, '{CHUNK}')) AS tok FROM rec_text WHERE rec_id IN ({mine})",
        {"batch": batch},
    )
    try:
        pairs = con.execute("SELECT DISTINCT tok, lang FROM _search_tok").fetchall()
        con.register("_search_keys", _chunk_keys(pairs))
        try:
            con.execute(
                f"""INSERT INTO rec_search (rec_id, sur_iso3, sig, keys)
                WITH k AS (
                    SELECT t.rec_id, x.key FROM _search_tok t JOIN _search_keys x ON x.tok = t.tok AND x.lang = t.lang
                    UNION SELECT rec_id, 't:' || theme_code FROM rec_theme
                    WHERE theme_code IS NOT NULL AND theme_code <> '' AND rec_id IN ({mine})
                ), a AS (SELECT rec_id, array_to_string(list_sort(list(key)), ' ') AS s FROM k GROUP BY rec_id)
                SELECT d.rec_id, d.sur_iso3, d.sig, ' ' || coalesce(a.s, '') || ' '
                FROM _search_todo d LEFT JOIN a ON a.rec_id = d.rec_id WHERE d.batch = $batch""",  # noqa: S608
                {"batch": batch},
            )
        finally:
            con.unregister("_search_keys")
    finally:
        con.execute("DROP TABLE IF EXISTS _search_tok")


def refresh_index(con: duckdb.DuckDBPyConnection) -> int:
    """Bring `rec_search` in step with the texts and themes of every recommendation; return how
    many rows were (re)built. Runs inside the caller's transaction (an import with its index, a
    revert, an upgrade, the app's refresh after them); a recommendation whose texts and themes did
    not change is not read again. Every row equals `text_keys` of its recommendation's texts and themes."""
    con.execute(_SIGNATURES)
    try:
        con.execute(
            "DELETE FROM rec_search s WHERE NOT EXISTS "
            "(SELECT 1 FROM _search_sig g WHERE g.rec_id = s.rec_id AND g.sig = s.sig)"
        )
        # A renamed recommendation can leave two rows for one id: keep one.
        con.execute("DELETE FROM rec_search WHERE rowid NOT IN (SELECT min(rowid) FROM rec_search GROUP BY rec_id)")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _search_todo AS SELECT g.rec_id, g.sur_iso3, g.sig, "  # noqa: S608
            f"(row_number() OVER (ORDER BY g.rec_id) - 1) // {BATCH} AS batch FROM _search_sig g "
            "WHERE NOT EXISTS (SELECT 1 FROM rec_search s WHERE s.rec_id = g.rec_id)"
        )
        try:
            todo = con.execute("SELECT count(*) FROM _search_todo").fetchall()[0][0]
            for batch in range(-(-todo // BATCH)):  # a batch at a time: the memory of one, not of all
                _index_batch(con, batch)
        finally:
            con.execute("DROP TABLE IF EXISTS _search_todo")
        return int(todo)
    finally:
        con.execute("DROP TABLE IF EXISTS _search_sig")


def refresh_search(con: duckdb.DuckDBPyConnection) -> int:
    """`refresh_index` in a transaction of its own: the index brought up to date with what is committed."""
    con.execute("BEGIN TRANSACTION")
    try:
        done = refresh_index(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return done


# A recommendation waiting for its keys holds a row of its own: no signature, and its texts as
# typed (lower case, ё as е) where the keys go, so that a search finds it by its words meanwhile.
_MARK_PENDING = """
    INSERT INTO rec_search (rec_id, sur_iso3, sig, keys)
    SELECT r.id, v.sur_iso3, '', ' ' || coalesce(replace(lower(string_agg(x.text, chr(10))), 'ё', 'е'), '') || ' '
    FROM recommendation r JOIN review v ON v.id = r.review_id LEFT JOIN rec_text x ON x.rec_id = r.id
    WHERE NOT EXISTS (SELECT 1 FROM rec_search s WHERE s.rec_id = r.id)
    GROUP BY r.id, v.sur_iso3
"""


def mark_pending(con: duckdb.DuckDBPyConnection) -> None:
    """Give every recommendation with no index row a waiting one (in the caller's transaction: an
    import or a revert, whose index follows after its commit; `refresh_index` replaces them)."""
    con.execute(_MARK_PENDING)


def index_pending(con: duckdb.DuckDBPyConnection, sur: str) -> int:
    """How many recommendations of State `sur` wait for their keys (an upload commits before its
    index is brought up to date); those folded into another are not counted."""
    waiting = "FROM rec_search s WHERE s.sur_iso3 = ? AND s.sig = ''"
    if not con.execute(f"SELECT count(*) {waiting}", [sur]).fetchall()[0][0]:  # noqa: S608
        return 0
    return int(
        con.execute(
            f"SELECT count(*) {waiting} AND s.rec_id IN (SELECT id FROM recommendation WHERE merged_into IS NULL)",  # noqa: S608
            [sur],
        ).fetchall()[0][0]
    )


def index_stale(con: duckdb.DuckDBPyConnection, batch: int = BATCH) -> bool:
    """Whether `rec_search` lacks a row, holds one too many, or holds one made from older texts or
    themes (a stop between an import's commit and its index, or a database from before the index).

    Checked in parts of about `batch` recommendations (by a hash of their ids, with their texts,
    themes and index rows): the signatures join every text of a recommendation, and all of them at
    once took some 80 MB at 100,000 recommendations, 250 MB at a million.
    """
    recs = con.execute("SELECT count(*) FROM recommendation").fetchall()[0][0]
    parts = max(1, -(-recs // batch))
    sql = (
        f"WITH g AS ({_SIG_PART}), s AS (SELECT rec_id, sig FROM rec_search WHERE {_PART.format(col='rec_id')}) "  # noqa: S608
        "SELECT EXISTS (SELECT 1 FROM g FULL JOIN s ON s.rec_id = g.rec_id AND s.sig = g.sig "
        "WHERE s.rec_id IS NULL OR g.rec_id IS NULL) OR (SELECT count(*) FROM s) <> (SELECT count(*) FROM g)"
    )
    return any(con.execute(sql, {"parts": parts, "part": part}).fetchall()[0][0] for part in range(parts))
