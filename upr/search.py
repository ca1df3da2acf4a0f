"""Search that knows word forms: «пытки» finds «пыток» and «пытках», «өлім жазасы» finds «өлім
жазасын», "death penalty" finds "death penalties".

Every word of a recommendation's texts is kept, in the table `rec_search` (one row per
recommendation, built at import by `refresh_index`), as a list of keys in one string:

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
query as typed, or its paragraph or ID is the query.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache

import duckdb
import pandas as pd
import snowballstemmer

from upr.kazakh import stem_kk

__all__ = ["words", "stems", "text_keys", "query_terms", "theme_matches", "highlight", "marked", "refresh_index"]

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
_stemmers: dict[str, snowballstemmer.Stemmer] = {}
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

_SIGNATURES = """
    CREATE OR REPLACE TEMP TABLE _search_sig AS
    WITH t AS (SELECT rec_id, string_agg(lang || chr(31) || text, chr(30) ORDER BY lang) AS s
               FROM rec_text GROUP BY rec_id),
    th AS (SELECT rec_id, string_agg(DISTINCT theme_code, ',' ORDER BY theme_code) AS s
           FROM rec_theme WHERE theme_code IS NOT NULL GROUP BY rec_id)
    SELECT r.id AS rec_id, v.sur_iso3, md5(v.sur_iso3 || chr(29) || coalesce(t.s, '') || chr(29) || coalesce(th.s, '')) AS sig
    FROM recommendation r JOIN review v ON v.id = r.review_id
    LEFT JOIN t ON t.rec_id = r.id LEFT JOIN th ON th.rec_id = r.id
"""


def refresh_index(con: duckdb.DuckDBPyConnection) -> int:
    """Bring `rec_search` in step with the texts and themes of every recommendation; return how
    many rows were (re)built. Runs inside the caller's transaction (an import, a revert, a
    migration); a recommendation whose texts and themes did not change is not read again."""
    con.execute(_SIGNATURES)
    try:
        con.execute(
            "DELETE FROM rec_search s WHERE NOT EXISTS "
            "(SELECT 1 FROM _search_sig g WHERE g.rec_id = s.rec_id AND g.sig = s.sig)"
        )
        # A renamed recommendation can leave two rows for one id: keep one.
        con.execute("DELETE FROM rec_search WHERE rowid NOT IN (SELECT min(rowid) FROM rec_search GROUP BY rec_id)")
        todo = con.execute(
            "SELECT g.rec_id, g.sur_iso3, g.sig FROM _search_sig g "
            "WHERE NOT EXISTS (SELECT 1 FROM rec_search s WHERE s.rec_id = g.rec_id) ORDER BY g.rec_id"
        ).fetchall()
        if not todo:
            return 0
        pending = (
            "SELECT g.rec_id FROM _search_sig g WHERE NOT EXISTS (SELECT 1 FROM rec_search s WHERE s.rec_id = g.rec_id)"
        )
        texts: dict[str, list[tuple[str, str]]] = {}
        for rec_id, lang, text in con.execute(
            f"SELECT rec_id, lang, text FROM rec_text WHERE rec_id IN ({pending}) ORDER BY rec_id, lang"  # noqa: S608
        ).fetchall():
            texts.setdefault(rec_id, []).append((lang, text))
        themes: dict[str, list[str]] = {}
        for rec_id, code in con.execute(
            f"SELECT DISTINCT rec_id, theme_code FROM rec_theme WHERE theme_code IS NOT NULL "  # noqa: S608
            f"AND rec_id IN ({pending})"
        ).fetchall():
            themes.setdefault(rec_id, []).append(code)
        frame = pd.DataFrame(
            [(rec_id, sur, sig, text_keys(texts.get(rec_id, ()), themes.get(rec_id, ()))) for rec_id, sur, sig in todo],
            columns=["rec_id", "sur_iso3", "sig", "keys"],
        )
        con.register("_search_new", frame)
        try:
            con.execute(
                "INSERT INTO rec_search (rec_id, sur_iso3, sig, keys) SELECT rec_id, sur_iso3, sig, keys FROM _search_new"
            )
        finally:
            con.unregister("_search_new")
        return len(frame)
    finally:
        con.execute("DROP TABLE IF EXISTS _search_sig")
