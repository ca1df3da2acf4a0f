"""Whole percents as every screen, image and slide prints them.

A share is rounded from its counts, halves up: 121 of 128 (94.53%) is 95%. Rounding the one-decimal
figure the queries return (94.5) again would print 94 (Python rounds halves to even), so a card, a
headline and a bar label could disagree.
"""

from __future__ import annotations

__all__ = ["percent"]


def percent(part: object, whole: object) -> int:
    """`part` of `whole` in whole percent, halves rounded up; 0 when `whole` is 0."""
    p, w = int(part), int(whole)
    return (200 * p + w) // (2 * w) if w else 0
