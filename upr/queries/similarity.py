"""The most similar text, by rapidfuzz's token_set_ratio, without scoring every pair.

Pairing the recommendations of two cycles compares every text of one with every text of the
other (theme by theme): at a million recommendations, 700,000 pairs and a second of CPU. Most
pairs cannot be anyone's best match, and that can be known from a few counts:
token_set_ratio(a, b) is the largest of three ratios of strings built from the two token sets —
their intersection I, and the differences A−B and B−A, each sorted and joined by spaces. Two of
the three depend only on the lengths of those strings (one is a prefix of the other); the third
is bounded above because a longest common subsequence of two strings is at most, for each
character, the fewer of its occurrences in either. Lengths and character counts of I follow
from a product of token-incidence matrices, for all pairs at once.

So for each text: score one likely best pair exactly (the one whose length-only ratio is
highest), then exactly score only the pairs whose upper bound reaches that score (or the
threshold); every other pair scores less than the best and cannot be chosen. The result is the
same as taking the first maximum of `process.cdist(..., scorer=token_set_ratio,
processor=default_process)` row by row (scores as the float32 cdist returns): a test compares
the two on the demo and on generated worlds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process, utils

# Below this many pairs scoring them all is as quick as bounding them.
SMALL = 1_000
# Scores are compared as float32 (what cdist returns) and bounds computed in float64: a pair whose
# bound is within this of the floor is scored exactly, so that no rounding can hide a tie.
_MARGIN = 0.01


class Texts:
    """Texts prepared once for many comparisons: processed as rapidfuzz's default_process does,
    their token sets, and per text the counts the bounds need."""

    def __init__(self, texts: Sequence[str | None]) -> None:
        self.processed = [utils.default_process(t or "") for t in texts]
        # Scoring processed texts with no processor is scoring the texts with default_process only
        # if processing twice changes nothing (it does not, for any text we have seen).
        # (ASCII output is lowercase letters, digits and spaces: processing it again changes nothing.)
        self.stable = all(p.isascii() or utils.default_process(p) == p for p in self.processed)
        self.tokens = [set(p.split()) for p in self.processed]
        self.count = np.array([len(s) for s in self.tokens], dtype=np.float32)
        # The length of the tokens joined by single spaces, plus one.
        self.joined = np.array([sum(map(len, s)) + len(s) for s in self.tokens], dtype=np.float32)

    def __len__(self) -> int:
        return len(self.processed)


def _incidence(texts: Texts, vocab: dict[str, int]) -> np.ndarray:
    """texts × vocab, 1 where the text has the token."""
    out = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    ids = np.array([vocab.get(tok, -1) for s in texts.tokens for tok in s], dtype=np.int64)
    owner = np.repeat(np.arange(len(texts)), [len(s) for s in texts.tokens])
    out[owner[ids >= 0], ids[ids >= 0]] = 1.0
    return out


def _char_counts(texts: Texts) -> tuple[np.ndarray, np.ndarray]:
    """Every character of every text's distinct tokens: (the text's index, the character's code)."""
    joined = ["".join(s) for s in texts.tokens]
    codes = np.frombuffer("".join(joined).encode("utf-32-le"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(joined)), [len(j) for j in joined])
    return owner, codes


def _alphabet(*codes: np.ndarray) -> np.ndarray:
    """code point → its column, for every character that occurs (-1 for the others)."""
    top = max((int(c.max()) for c in codes if len(c)), default=0)
    seen = np.zeros(top + 1, dtype=bool)
    for c in codes:
        seen[c] = True
    lookup = np.full(top + 1, -1, dtype=np.int64)
    lookup[seen] = np.arange(int(seen.sum()))
    return lookup


def _char_matrix(owner: np.ndarray, codes: np.ndarray, n: int, lookup: np.ndarray) -> np.ndarray:
    """texts × alphabet: how often each character occurs (from _char_counts)."""
    width = int(lookup.max()) + 1
    return np.bincount(owner * width + lookup[codes], minlength=n * width).reshape(n, width)


def _unary(counts: np.ndarray, most: np.ndarray) -> np.ndarray:
    """Each count written in unary (as many ones as the count, in a field as wide as `most` for its
    column), so that the dot product of two rows is the sum over columns of the smaller count."""
    fields = [np.arange(m)[None, :] < counts[:, [c]] for c, m in enumerate(most.tolist())]
    return np.concatenate(fields, axis=1).astype(np.float32) if fields else np.zeros((len(counts), 0), np.float32)


class Pairing:
    """Every text of `left` against every text of `right`, ready to be cut into blocks (themes)."""

    def __init__(self, left: Texts, right: Texts) -> None:
        self.left, self.right = left, right
        shared = set().union(*left.tokens) & set().union(*right.tokens)
        vocab = {tok: k for k, tok in enumerate(sorted(shared))}
        self.inc_left, self.inc_right = _incidence(left, vocab), _incidence(right, vocab)
        self.tok_len = np.array([len(tok) for tok in sorted(shared)], dtype=np.float32)
        (own_l, codes_l), (own_r, codes_r) = _char_counts(left), _char_counts(right)
        lookup = _alphabet(codes_l, codes_r)
        chars_l = _char_matrix(own_l, codes_l, len(left), lookup)
        chars_r = _char_matrix(own_r, codes_r, len(right), lookup)
        most = np.minimum(chars_l.max(axis=0, initial=0), chars_r.max(axis=0, initial=0))
        self.unary_left, self.unary_right = _unary(chars_l, most), _unary(chars_r, most)

    def _common(self, li: np.ndarray, ri: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per pair: tokens in common, and their characters plus one space each (one product)."""
        inc_r = self.inc_right[ri]
        both = self.inc_left[li] @ np.concatenate([inc_r, inc_r * (self.tok_len + 1)]).T
        return both[:, : len(ri)], both[:, len(ri) :]

    def best(
        self, li: Sequence[int], ri: Sequence[int], threshold: float, beat: Sequence[float] | None = None
    ) -> list[tuple[int, float] | None]:
        """For each left row of `li`: (position in `ri` of its most similar right row, score) when
        the score is at least `threshold`, else None; the first such position on a tie.

        `beat`, per left row: a score it already has elsewhere; a row that cannot score more than
        that here may be given None (its match here could not replace the one it has).
        """
        li, ri = np.asarray(li, dtype=np.int64), np.asarray(ri, dtype=np.int64)
        left, right = [self.left.processed[i] for i in li], [self.right.processed[j] for j in ri]
        if len(li) * len(ri) <= SMALL:
            scores = process.cdist(left, right, scorer=fuzz.token_set_ratio, processor=None)
            return [first_best(row, threshold) for row in scores]
        n_i, w = self._common(li, ri)
        # The joined differences' lengths (A−B and B−A), and the shorter of the two.
        ab = np.maximum(self.left.joined[li][:, None] - w - 1, 0)
        ba = np.maximum(self.right.joined[ri][None, :] - w - 1, 0)
        short = np.minimum(ab, ba)
        # The differences' common subsequence is at most their common characters: the tokens'
        # characters less the intersection's, and the spaces between their tokens.
        common = self.unary_left[li] @ self.unary_right[ri].T  # per character, the fewer occurrences, summed
        d_a, d_b = self.left.count[li][:, None] - n_i, self.right.count[ri][None, :] - n_i
        lcs = np.minimum(common - (w - n_i) + np.maximum(np.minimum(d_a, d_b) - 1, 0), short)
        with np.errstate(divide="ignore", invalid="ignore"):
            # Exact: the larger of the intersection's ratios with each side (100 when one set holds
            # the other, nothing without a common token).
            r12 = np.where(w > 0, np.where(short == 0, 100, 100 - 100 * (1 + short) / (2 * w - 1 + short)), 0)
            upper = np.nan_to_num(np.maximum(r12, 100 - 100 * (ab + ba - 2 * lcs) / (2 * w + ab + ba)))
        need = np.full(len(li), float(threshold)) if beat is None else np.maximum(np.asarray(beat, float), threshold)
        # Rows that can reach what they need: their likeliest pair, scored exactly, sets their floor.
        hopeful = np.flatnonzero(upper.max(axis=1, initial=0) + _MARGIN >= need - _MARGIN)
        floor = need.copy()
        guess = r12.argmax(axis=1)[hopeful]
        floor[hopeful] = np.maximum(floor[hopeful], _scores(left, right, hopeful, guess))
        rows, cols = np.nonzero(upper + _MARGIN >= floor[:, None] - _MARGIN)
        score = _scores(left, right, rows, cols)
        out: list[tuple[int, float] | None] = [None] * len(li)
        # Best score first, then the smallest position: the first maximum, as argmax gives it.
        for i, j, s in zip(*(a[np.lexsort((cols, -score, rows))].tolist() for a in (rows, cols, score))):
            if out[i] is None:
                out[i] = (j, s) if s >= threshold else (-1, s)  # (-1, s): the best is below the threshold
        return [None if m is None or m[0] < 0 else m for m in out]


_KEPT = 4  # pairings kept: the States and pairs of cycles people are looking at
_pairings: OrderedDict[tuple, tuple[Pairing, dict[str, int], dict[str, int]]] = OrderedDict()
_pairings_lock = threading.Lock()


def pairing_of(
    left: Sequence[tuple[str, str | None]], right: Sequence[tuple[str, str | None]]
) -> tuple[Pairing, dict[str, int], dict[str, int]]:
    """A Pairing of the texts of `left` with those of `right` ((id, text) pairs), and each id's row.

    Kept for the same ids and texts, so that it is prepared once per State, pair of cycles and
    state of the data rather than on every rerun: it depends on the texts alone (the filters only
    choose which of its rows a rerun compares), and objects are never changed once built.
    """
    key = (tuple(left), tuple(right))
    with _pairings_lock:
        if key in _pairings:
            _pairings.move_to_end(key)
            return _pairings[key]
    made = (
        Pairing(Texts([text for _, text in left]), Texts([text for _, text in right])),
        {rid: k for k, (rid, _) in enumerate(left)},
        {rid: k for k, (rid, _) in enumerate(right)},
    )
    with _pairings_lock:
        _pairings[key] = made
        while len(_pairings) > _KEPT:
            _pairings.popitem(last=False)
    return made


def _scores(left: list[str], right: list[str], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """token_set_ratio of left[rows[k]] and right[cols[k]] for every k, as float32 (as cdist gives them)."""
    if not len(rows):
        return np.empty(0, dtype=np.float32)
    pairs = ([left[i] for i in rows.tolist()], [right[j] for j in cols.tolist()])
    return process.cpdist(*pairs, scorer=fuzz.token_set_ratio, processor=None, dtype=np.float32)


def first_best(row: np.ndarray, threshold: float) -> tuple[int, float] | None:
    """The position and score of the first maximum of a row of scores, when it reaches `threshold`."""
    j = int(row.argmax())
    score = float(row[j])
    return (j, score) if score >= threshold else None
