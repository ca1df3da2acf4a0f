"""The canonical theme and affected-group lists, and how each source's vocabulary maps onto them.

Sources name themes differently: UPR Info's 2015 export has ~54 comma-joined "issues", OHCHR's
UHRI and the UPR matrices have their own list (coded like `A12 …` in cycle 2, plain names later),
and our own templates let people write a theme in Russian, English or Kazakh. The data files in
data/ hold one canonical list (themes.csv, groups.csv) and one mapping per source
(theme_map.csv, group_map.csv); this module loads them and resolves a source's label to a code.
The source's own label is never rewritten here: callers keep it next to the code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

LANGS = ("ru", "en", "kk")
SOURCES = ("upr_info", "uhri", "matrix", "canonical")

# UHRI and the matrices print the same OHCHR taxonomy, so each may stand in for the other.
_SIBLINGS = {"uhri": "matrix", "matrix": "uhri"}

# Cycle-2 matrices prefix themes with a code ("A12", "D21", "F41"); some cycle-3 matrices
# use a number ("2.1"); a copied heading may keep "Theme:" in front.
_LEADING_CODE = re.compile(r"^(?:theme\s*:\s*)?(?:[a-h]\d{1,2}|\d{1,2}(?:\.\d+)*)\.?\s+(?=\S)", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "ё": "е"})


@dataclass(frozen=True)
class Theme:
    code: str
    label_en: str
    label_ru: str
    label_kk: str
    sort: int

    def label(self, lang: str) -> str:
        """The theme's label in `lang` (ru, en, kk); English for an unknown language."""
        return getattr(self, f"label_{lang if lang in LANGS else 'en'}")


@dataclass(frozen=True)
class Group:
    code: str
    label_en: str
    label_ru: str
    label_kk: str

    def label(self, lang: str) -> str:
        """The group's label in `lang` (ru, en, kk); English for an unknown language."""
        return getattr(self, f"label_{lang if lang in LANGS else 'en'}")


@dataclass(frozen=True)
class MapRow:
    source: str
    label: str
    code: str


@lru_cache(maxsize=65536)
def normalise(label: str) -> str:
    """A label reduced for matching: casefolded, one space between words, one apostrophe,
    "&" read as "and", ", " after every comma, no spaces around "/", no trailing punctuation."""
    text = label.translate(_APOSTROPHES).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" .;:,")


def strip_code(label: str) -> str:
    """An OHCHR theme label without its leading code: "A12 Acceptance of …" → "Acceptance of …"."""
    return _LEADING_CODE.sub("", label.strip(), count=1)


def _read(name: str, data_dir: Path) -> list[dict[str, str]]:
    with open(data_dir / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_themes(data_dir: Path = DATA_DIR) -> list[Theme]:
    """The canonical themes from data/themes.csv, in display order."""
    themes = [
        Theme(r["code"], r["label_en"], r["label_ru"], r["label_kk"], int(r["sort"]))
        for r in _read("themes.csv", data_dir)
    ]
    return sorted(themes, key=lambda t: (t.sort, t.code))


def load_groups(data_dir: Path = DATA_DIR) -> list[Group]:
    """The canonical affected groups from data/groups.csv, in file order."""
    return [Group(r["code"], r["label_en"], r["label_ru"], r["label_kk"]) for r in _read("groups.csv", data_dir)]


def load_theme_map(data_dir: Path = DATA_DIR) -> list[MapRow]:
    """Every (source, label, theme_code) row of data/theme_map.csv, in file order."""
    return [MapRow(r["source"], r["label"], r["theme_code"]) for r in _read("theme_map.csv", data_dir)]


def load_group_map(data_dir: Path = DATA_DIR) -> list[MapRow]:
    """Every (source, label, group_code) row of data/group_map.csv, in file order."""
    return [MapRow(r["source"], r["label"], r["group_code"]) for r in _read("group_map.csv", data_dir)]


class _Lookup:
    """Normalised label → codes, per source; a label may carry several codes, the first primary."""

    def __init__(self, rows: list[MapRow], terms: list[Theme] | list[Group]) -> None:
        self.by_source: dict[str, dict[str, list[str]]] = {}
        for term in terms:
            for text in (term.code, term.label_en, term.label_ru, term.label_kk):
                self._add("canonical", text, term.code)
        for row in rows:
            self._add(row.source, row.label, row.code)
            if row.source in _SIBLINGS:
                self._add(row.source, strip_code(row.label), row.code)

    def _add(self, source: str, label: str, code: str) -> None:
        codes = self.by_source.setdefault(source, {}).setdefault(normalise(label), [])
        if code not in codes:
            codes.append(code)

    def resolve(self, source: str, label: str) -> list[str]:
        if not label or not label.strip():
            return []
        key = normalise(label)
        bare = normalise(strip_code(label))
        order = [source, _SIBLINGS.get(source, ""), "canonical"]
        for src in order:
            table = self.by_source.get(src, {})
            for candidate in (key, bare) if src in _SIBLINGS or src == "canonical" else (key,):
                if candidate in table:
                    return list(table[candidate])
        # Last resort, for a label pasted from another source's vocabulary (a UPR Info issue in
        # a UHRI column, say): accept it only when every source that knows it agrees.
        found = {tuple(table[key]) for table in self.by_source.values() if key in table}
        return list(found.pop()) if len(found) == 1 else []

    def labels(self) -> set[str]:
        return {key for table in self.by_source.values() for key in table}


class ThemeIndex:
    """The canonical themes and groups with every source's mapping, ready to resolve labels."""

    def __init__(
        self,
        themes: list[Theme],
        groups: list[Group],
        theme_rows: list[MapRow],
        group_rows: list[MapRow],
    ) -> None:
        self.themes = themes
        self.groups = groups
        self.theme_rows = theme_rows
        self.group_rows = group_rows
        self._themes = _Lookup(theme_rows, themes)
        self._groups = _Lookup(group_rows, groups)
        self._by_code = {t.code: t for t in themes}
        self._group_by_code = {g.code: g for g in groups}
        upr_info = self._themes.by_source.get("upr_info", {})
        self._issue_labels = frozenset(upr_info) | frozenset(self._themes.labels())
        self._max_commas = max((k.count(",") for k in self._issue_labels), default=0)
        # First pieces of the labels that hold a comma: a cell with none of them splits plainly.
        self._comma_heads = frozenset(normalise(k.split(",")[0]) for k in self._issue_labels if "," in k)

    @classmethod
    def from_dir(cls, data_dir: Path) -> ThemeIndex:
        """An index built from the four CSV files in `data_dir`."""
        return cls(
            load_themes(data_dir),
            load_groups(data_dir),
            load_theme_map(data_dir),
            load_group_map(data_dir),
        )

    @classmethod
    def default(cls) -> ThemeIndex:
        """The index of the shipped data/ files, built once per process."""
        return _default_index()

    def theme(self, code: str) -> Theme | None:
        """The canonical theme with `code`, or None."""
        return self._by_code.get(code)

    def group(self, code: str) -> Group | None:
        """The canonical group with `code`, or None."""
        return self._group_by_code.get(code)

    def resolve_theme(self, source: str, label: str) -> str | None:
        """The canonical theme code for `label` as written by `source`, or None.

        Matching ignores case, spacing, apostrophe style and "&"/"and"; for `uhri` and `matrix`
        the label may carry its cycle-2 code ("A12 …") or not. An unknown source, or a label the
        source's map lacks, falls back to the canonical labels (ru, en, kk and synonyms).
        """
        codes = self._themes.resolve(source, label)
        return codes[0] if codes else None

    def resolve_themes(self, source: str, label: str) -> list[str]:
        """Every canonical theme `label` maps to (a UPR Info issue may cover two), primary first."""
        return self._themes.resolve(source, label)

    def resolve_group(self, source: str, label: str) -> str | None:
        """The canonical group code for an affected-persons `label` from `source`, or None."""
        codes = self._groups.resolve(source, label)
        return codes[0] if codes else None

    def split_upr_info_issues(self, cell: str | None) -> list[str]:
        """The issues of a comma-joined UPR Info `Issue` cell, as written, in order, once each.

        A plain split on "," would cut an issue whose name holds a comma ("Prohibition of
        slavery, trafficking"), so at each position the longest run of comma-separated pieces
        that forms a known label is taken whole; an unknown piece stands alone.
        """
        if not cell:
            return []
        # Empty pieces ("a,,b", a trailing comma) carry nothing and must not glue onto a name.
        pieces = [p for p in cell.split(",") if p.strip()]
        if self._comma_heads.isdisjoint(normalise(p) for p in pieces):
            return list(dict.fromkeys(" ".join(p.split()) for p in pieces))
        issues: list[str] = []
        i = 0
        while i < len(pieces):
            taken = 1
            for j in range(min(len(pieces), i + 1 + self._max_commas), i + 1, -1):
                if normalise(",".join(pieces[i:j])) in self._issue_labels:
                    taken = j - i
                    break
            issue = re.sub(r"\s+", " ", ",".join(pieces[i : i + taken])).strip()
            if issue and issue not in issues:
                issues.append(issue)
            i += taken
        return issues


@lru_cache(maxsize=1)
def _default_index() -> ThemeIndex:
    return ThemeIndex.from_dir(DATA_DIR)


def resolve_theme(source: str, label: str) -> str | None:
    """`ThemeIndex.default().resolve_theme(source, label)`."""
    return ThemeIndex.default().resolve_theme(source, label)


def resolve_group(source: str, label: str) -> str | None:
    """`ThemeIndex.default().resolve_group(source, label)`."""
    return ThemeIndex.default().resolve_group(source, label)


def split_upr_info_issues(cell: str | None) -> list[str]:
    """`ThemeIndex.default().split_upr_info_issues(cell)`."""
    return ThemeIndex.default().split_upr_info_issues(cell)
