"""The shapes every reader produces and the loader consumes.

A reader turns one file into a :class:`Batch`: raw recommendations and assessments as the
source wrote them (State names as printed, theme labels as printed), plus every problem it
found. The loader resolves names against the reference tables, reconciles with what the
database already holds, and writes the batch in one transaction, or not at all.
"""

from __future__ import annotations

import string
import zlib
from dataclasses import dataclass, field
from datetime import date

_PUNCTUATION = str.maketrans({c: " " for c in string.punctuation + "«»“”‘’–—…"})


_ASCII_PUNCTUATION = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))


def text_key(text: str) -> str:
    """Text normalised for matching across sources: case, punctuation and spacing ignored."""
    if text.isascii():  # most texts: the same result, five times faster through bytes
        return " ".join(text.lower().encode().translate(_ASCII_PUNCTUATION).decode().split())
    return " ".join(text.casefold().translate(_PUNCTUATION).split())


def make_rec_id(iso3: str, cycle: int, ref: str | None, text: str, key: str | None = None) -> str:
    """A stable id: `KAZ-2-124.17` when the paragraph is known, else one derived from the text's key."""
    if ref:
        return f"{iso3}-{cycle}-{ref}"
    # A CRC-32 of the normalised text: stable across imports and sources, and cheap at 100,000 texts.
    return f"{iso3}-{cycle}-t{zlib.crc32((key or text_key(text)).encode()):08x}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the format allows."""

    file: str
    expected: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = "error"  # "error" refuses the file; "warning" is reported and kept

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet «{self.sheet}»")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column «{self.column}»")
        found = "" if self.value is None else f": found «{self.value}»"
        return f"{', '.join(where)}{found}; expected {self.expected}"


@dataclass
class RawRecommendation:
    """A recommendation as one source gives it, before names are resolved."""

    sur: str  # State under review, as written (name or ISO3)
    text: str
    cycle: int | None = None
    session: int | None = None
    ref: str | None = None  # paragraph reference as printed, e.g. "124.17"
    lang: str = "en"  # language of `text`, which is the original
    translations: dict[str, str] = field(default_factory=dict)  # lang -> text
    response: str | None = None  # canonical response code, None when not given
    response_raw: str | None = None  # the source's own wording
    action: int | None = None  # UPR Info action category 1-5
    recommending: list[str] = field(default_factory=list)  # States as written
    themes: list[str] = field(default_factory=list)  # source labels, as written
    groups: list[str] = field(default_factory=list)  # affected groups, as written
    sdgs: list[str] = field(default_factory=list)  # "5" or "5.3"
    agency: str | None = None  # responsible government agency
    rec_id: str | None = None  # stable id when the source carries ours
    row: int | None = None  # where it was read (row, or paragraph order in a document)
    sheet: str | None = None


@dataclass
class RawAssessment:
    """One source's assessment of one recommendation at one date."""

    rec_id: str
    source_kind: str  # government / ngo / nhri / un
    organisation: str
    status: str  # canonical status code
    as_of: date
    comment: str | None = None
    evidence: str | None = None
    row: int | None = None
    sheet: str | None = None


@dataclass
class DocumentInfo:
    """What a source document says about itself and the review it belongs to."""

    symbol: str | None = None  # e.g. "A/HRC/28/10"
    title: str | None = None
    sur: str | None = None
    cycle: int | None = None
    session: int | None = None
    review_date: date | None = None


@dataclass
class RecTable:
    """Recommendations held in columns, one list per field, for sources too large for an object per row
    (a UPR Info export of the whole world has 100,000 rows). `records()` gives the objects when needed."""

    sur: list[str] = field(default_factory=list)
    cycle: list[int] = field(default_factory=list)
    session: list[int | None] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)  # text_key() of each text
    response: list[str | None] = field(default_factory=list)
    response_raw: list[str | None] = field(default_factory=list)
    action: list[int | None] = field(default_factory=list)
    recommending: list[list[str]] = field(default_factory=list)
    themes: list[tuple[str, ...]] = field(default_factory=list)
    row: list[int] = field(default_factory=list)
    sheet: str | None = None

    def __len__(self) -> int:
        return len(self.text)

    def records(self) -> list[RawRecommendation]:
        """The same recommendations as objects."""
        return [
            RawRecommendation(
                sur=sur,
                text=text,
                cycle=cycle,
                session=session,
                response=response,
                response_raw=raw,
                action=action,
                recommending=list(states),
                themes=list(themes),
                row=row,
                sheet=self.sheet,
            )
            for sur, cycle, session, text, response, raw, action, states, themes, row in zip(
                self.sur,
                self.cycle,
                self.session,
                self.text,
                self.response,
                self.response_raw,
                self.action,
                self.recommending,
                self.themes,
                self.row,
            )
        ]


@dataclass
class Batch:
    """Everything one file brings, ready for the loader."""

    file: str
    format: str  # template_recommendations, template_assessments, upr_info, wg_report, uhri, matrix
    theme_source: str  # vocabulary the theme labels belong to: canonical, upr_info, uhri, matrix
    rows_read: int = 0
    recommendations: list[RawRecommendation] = field(default_factory=list)
    assessments: list[RawAssessment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    document: DocumentInfo | None = None
    table: RecTable | None = None  # recommendations in columns, instead of `recommendations`

    def all_recommendations(self) -> list[RawRecommendation]:
        """Every recommendation of the batch as objects, whichever form the reader gave."""
        return self.table.records() if self.table is not None else self.recommendations

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
