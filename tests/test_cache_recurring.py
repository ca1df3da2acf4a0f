"""Recurring recommendations are paired without scoring every pair (upr.queries.similarity): the
pairs and their scores are the same as the first maximum of scoring every pair with rapidfuzz."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rapidfuzz import fuzz, process, utils

from upr.queries import similarity
from upr.queries.similarity import Pairing, Texts


def _every_pair(left: list[str], right: list[str], threshold: float) -> list[tuple[int, float] | None]:
    scores = process.cdist(left, right, scorer=fuzz.token_set_ratio, processor=utils.default_process)
    out = []
    for row in scores:
        j = int(row.argmax())
        out.append((j, float(row[j])) if float(row[j]) >= threshold else None)
    return out


def _texts(n: int, seed: int) -> list[str]:
    """Texts like the recommendations of a review: a few phrasings, near-copies, numbers, punctuation,
    repeated and empty ones, and some in Russian."""
    from benchmarks.synth import GROUPS, OBJECTS, VERBS

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.03:
            out.append("")
        elif kind < 0.08:
            out.append("Ратифицировать Конвенцию о правах инвалидов")
        elif kind < 0.15 and out:
            out.append(rng.choice(out))  # the same text again: ties
        else:
            text = f"{rng.choice(VERBS)} to {rng.choice(OBJECTS).format(g=rng.choice(GROUPS))}"
            if rng.random() < 0.5:
                text += f", in line with its obligations (measure {rng.randint(1, 60)})"
            if rng.random() < 0.2:
                text = text.upper() + "!!"
            out.append(text)
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("threshold", [0, 75, 90])
def test_bounded_pairing_is_scoring_every_pair(monkeypatch, seed, threshold):
    monkeypatch.setattr(similarity, "SMALL", 0)  # always the bounded way
    left, right = _texts(120 + 10 * seed, seed), _texts(90 + 7 * seed, seed + 100)
    pairing = Pairing(Texts(left), Texts(right))
    rng = np.random.default_rng(seed)
    li = sorted(rng.choice(len(left), size=len(left) // 2, replace=False).tolist())
    ri = sorted(rng.choice(len(right), size=len(right) // 2, replace=False).tolist())
    expected = _every_pair([left[i] for i in li], [right[j] for j in ri], threshold)
    assert pairing.best(li, ri, threshold) == expected


def test_small_blocks_are_scored_whole():
    left, right = _texts(20, 1), _texts(30, 2)
    assert Pairing(Texts(left), Texts(right)).best(range(20), range(30), 75) == _every_pair(left, right, 75)


def test_the_recurring_view_is_the_same_as_scoring_every_pair(demo_con, monkeypatch):
    """The demo's recurring pairs, bounded or not."""
    from upr.filters import Filters
    from upr.queries import compare

    for a, b in ((2, 3), (3, 4)):
        with monkeypatch.context() as m:
            m.setattr(similarity, "SMALL", 0)  # every theme bounded
            bounded = compare.recurring_recommendations(demo_con, Filters(sur="KAZ"), a, b, "ru")
        with monkeypatch.context() as m:
            m.setattr(similarity, "SMALL", 10**12)  # every pair scored
            whole = compare.recurring_recommendations(demo_con, Filters(sur="KAZ"), a, b, "ru")
        assert len(bounded) > 50
        assert bounded.equals(whole)


def test_a_pairing_is_prepared_once_for_the_same_texts():
    from upr.queries.similarity import pairing_of

    left, right = [("b1", "Ratify the convention"), ("b2", None)], [("a1", "Ratify the convention now")]
    first = pairing_of(left, right)
    assert pairing_of(list(left), list(right)) is first  # another rerun, other filters: the same texts
    assert first[1] == {"b1": 0, "b2": 1} and first[2] == {"a1": 0}
    assert pairing_of([("b1", "Ratify the other convention"), ("b2", None)], right) is not first  # a write
