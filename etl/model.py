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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_PUNCTUATION = str.maketrans({c: " " for c in string.punctuation + "«»“”‘’–—…"})


_ASCII_PUNCTUATION = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))


def text_key(text: str) -> str:
    """Text normalised for matching across sources: case, punctuation and spacing ignored."""
    if text.isascii():  # most texts: the same result, five times faster through bytes
        return " ".join(text.lower().encode().translate(_ASCII_PUNCTUATION).decode().split())
    return " ".join(text.casefold().translate(_PUNCTUATION).split())


# text_key() of ASCII text, byte by byte: letters lowered; punctuation and every character
# str.split() takes for a space (\t \n \v \f \r, \x1c-\x1f) become spaces.
_KEY_TABLE = (
    bytes(range(256))
    .lower()
    .translate(bytes.maketrans((string.punctuation + "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f").encode(), b" " * 41))
)


def text_keys(texts: pa.Array) -> pa.StringArray:
    """text_key() of every text of a non-null Arrow string array, in Arrow.

    A 100,000-row export spends more on text_key() than on anything else in Python; ASCII texts
    (nearly all) are keyed in bulk with numpy, the others one by one with text_key() itself.
    """
    texts = texts.cast(pa.string())
    is_ascii = pc.string_is_ascii(texts).to_numpy(zero_copy_only=False)
    if is_ascii.all():
        return _ascii_text_keys(texts)
    plain, other = np.flatnonzero(is_ascii), np.flatnonzero(~is_ascii)
    keys = pa.concat_arrays(
        [
            _ascii_text_keys(texts.take(pa.array(plain))),
            pa.array([text_key(t) for t in texts.take(pa.array(other)).to_pylist()], pa.string()),
        ]
    )
    back = np.empty(len(texts), dtype=np.int64)
    back[np.concatenate((plain, other))] = np.arange(len(texts))
    return keys.take(pa.array(back))


def _ascii_text_keys(texts: pa.StringArray, step: int = 8192) -> pa.StringArray:
    # In slices: numpy's temporaries then stay small enough for the CPU's caches.
    slices = [_ascii_slice_keys(texts.slice(i, step)) for i in range(0, len(texts), step)]
    return pa.concat_arrays(slices) if slices else pa.array([], pa.string())


def _ascii_slice_keys(texts: pa.StringArray) -> pa.StringArray:
    n = len(texts)
    _, offset_buffer, data_buffer = texts.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int32)[texts.offset : texts.offset + n + 1].astype(np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    raw = memoryview(data_buffer)[first:last].tobytes() if last > first else b""
    chars = np.frombuffer(raw.translate(_KEY_TABLE), dtype=np.uint8)
    offsets -= first
    # " ".join(s.split()): a space stays only as the first of its run, and not at the start of a text...
    space = chars == 32
    after_space = np.empty_like(space)
    after_space[:1] = True
    after_space[1:] = space[:-1]
    starts = offsets[:-1]
    after_space[starts[starts < len(chars)]] = True
    drop = space & after_space
    offsets -= np.searchsorted(np.flatnonzero(drop), offsets)
    chars = chars[~drop]
    # ... nor at the end: a trailing run kept its first space, now the last character of its text.
    ends = offsets[1:][offsets[1:] > offsets[:-1]] - 1
    trailing = ends[chars[ends] == 32]
    if len(trailing):
        offsets -= np.searchsorted(trailing, offsets)
        chars = np.delete(chars, trailing)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(chars))


def make_rec_id(iso3: str, cycle: int, ref: str | None, text: str, key: str | None = None) -> str:
    """A stable id: `KAZ-2-124.17` when the paragraph is known, else one derived from the text's key."""
    if ref:
        return f"{iso3}-{cycle}-{ref}"
    # A CRC-32 of the normalised text: stable across imports and sources, and cheap at 100,000 texts.
    return f"{iso3}-{cycle}-t{zlib.crc32((key or text_key(text)).encode()):08x}"


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_NIBBLE_SHIFTS = np.arange(28, -4, -4, dtype=np.uint32)


def make_rec_ids(prefixes: pa.Array, keys: pa.Array) -> pa.Array:
    """make_rec_id() of many recommendations without a paragraph number, from their text keys.

    `prefixes[i]` is `f"{iso3}-{cycle}-t"` of recommendation i and `keys[i]` its text_key(); the
    ids are the very strings make_rec_id(iso3, cycle, None, text, key) gives, without a Python
    string per id (a world export has 100,000).
    """
    n = len(keys)
    if not n:
        return pa.array([], pa.string())
    # Arrow strings are UTF-8, as `.encode()` gives: the CRC runs over the array's own bytes.
    keys = keys.cast(pa.string())
    _, offsets, buffer = keys.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[keys.offset : keys.offset + n + 1].tolist()
    data = memoryview(buffer) if buffer is not None else memoryview(b"")
    crcs = np.fromiter(
        (zlib.crc32(data[a:b]) for a, b in zip(bounds, bounds[1:])),
        dtype=np.uint32,
        count=n,
    )
    digits = _HEX_DIGITS[(crcs[:, None] >> _NIBBLE_SHIFTS) & 0xF]  # "%08x", one row per id
    hexes = pa.StringArray.from_buffers(
        n, pa.py_buffer(np.arange(0, 8 * n + 1, 8, dtype=np.int32)), pa.py_buffer(digits.tobytes())
    )
    return pc.binary_join_element_wise(prefixes, hexes, "")


def encode_distinct(values: pa.Array) -> tuple[np.ndarray, list]:
    """(each value's index into the distinct values, the distinct values in order of first appearance)."""
    encoded = pc.dictionary_encode(values)
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()


def first_appearance_groups(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal codes form a group: (each element's group, the first element of each group).

    Groups are numbered in the order of their first element, as a dict filled row by row would.
    """
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[inverse.reshape(-1)], first[order]


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
    # The message's key in the `problems` catalog and its parameters, so that the user reads it in
    # their own language (`etl.messages.problem_text`); `expected` is its English wording.
    code: str | None = None
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet «{self.sheet}»")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column «{self.column}»")
        found = "" if self.value is None else f": found «{self.value}»"
        if self.code:  # a whole sentence from the catalog (etl.messages)
            return f"{', '.join(where)}{found}: {self.expected}"
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
    response_cite: str | None = None  # where the source says the response was stated, as cited
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
class RawResponse:
    """The State's answer to one recommendation, as a later document (the addendum) gives it by
    paragraph number, before it is matched to the recommendation of that number."""

    sur: str  # State under review, as written
    cycle: int | None
    ref: str  # "140.35"
    response: str | None  # canonical response code; None when the reply states none plainly
    response_raw: str | None = None  # the wording that stated it ("supports", "notes", ...)
    cite: str | None = None  # document symbol and paragraph, "A/HRC/59/15/Add.1, para. 5"
    comment: str | None = None  # the State's reply in its own words (item-by-item prose)
    line: int | None = None  # where in the document the id was read
    session: int | None = None


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
    """Recommendations held in Arrow columns, for sources too large for an object per row (a UPR
    Info export of the whole world has 100,000 rows). `records()` gives the objects when needed."""

    sur: pa.Array  # string: State under review, as written
    cycle: pa.Array  # int
    session: pa.Array  # int, null when unknown
    text: pa.Array  # string
    key: pa.Array  # string: text_key() of each text
    response: pa.Array  # string, null when not given
    response_raw: pa.Array  # string, null when empty
    action: pa.Array  # int, null when not given
    recommending: pa.ListArray  # list<string>: States as written, each once
    themes: pa.ListArray  # list<string>: source labels as written
    row: pa.Array  # int
    sheet: str | None = None

    @classmethod
    def empty(cls, sheet: str | None = None) -> RecTable:
        """A table of no recommendations."""
        text, number, names = pa.array([], pa.string()), pa.array([], pa.int64()), pa.array([], pa.list_(pa.string()))
        return cls(text, number, number, text, text, text, text, number, names, names, number, sheet)

    def __len__(self) -> int:
        return len(self.text)

    def records(self) -> list[RawRecommendation]:
        """The same recommendations as objects."""
        columns = (
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
        return [
            RawRecommendation(
                sur=sur,
                text=text,
                cycle=cycle,
                session=session,
                response=response,
                response_raw=raw,
                action=action,
                recommending=states,
                themes=themes,
                row=row,
                sheet=self.sheet,
            )
            for sur, cycle, session, text, response, raw, action, states, themes, row in zip(
                *(c.to_pylist() for c in columns)
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
    responses: list[RawResponse] = field(default_factory=list)  # answers by paragraph number (addendum)
    columns: dict[str, str] = field(default_factory=dict)  # field -> the file's own header for it

    def all_recommendations(self) -> list[RawRecommendation]:
        """Every recommendation of the batch as objects, whichever form the reader gave."""
        return self.table.records() if self.table is not None else self.recommendations

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
