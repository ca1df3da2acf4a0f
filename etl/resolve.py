"""Resolve the names a source wrote (States, themes, groups, SDGs) to our codes, keeping the label."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz, process, utils

from etl.model import Problem, RawRecommendation
from upr.states import StateIndex, load_aliases, load_states
from upr.themes import ThemeIndex

SDG_PATTERN = re.compile(r"(\d{1,2})(?:\.(\w{1,2}))?")


def parse_sdg(label: str) -> tuple[str, int] | None:
    """'5.3' → ('5.3', 5); 'SDG 5 - Gender equality' → ('5', 5); None when no goal 1-17 is found."""
    m = SDG_PATTERN.search(label)
    if not m or not 1 <= int(m.group(1)) <= 17:
        return None
    goal = int(m.group(1))
    return (f"{goal}.{m.group(2)}" if m.group(2) else str(goal)), goal


@cache
def _known_names() -> tuple[list[str], list[str]]:
    """Every name and alias the State index knows, and the ISO3 code of each."""
    names, codes = [], []
    for s in load_states():
        for name in dict.fromkeys((s.name_en, s.name_ru, s.name_kk)):
            names.append(name)
            codes.append(s.iso3)
    for alias, iso3 in load_aliases():
        names.append(alias)
        codes.append(iso3)
    return names, codes


@cache
def closest_states(name: str, limit: int = 3) -> tuple[str, ...]:
    """The known States whose names (in any language) or aliases are closest to `name`, best first,
    as "Saint Kitts and Nevis (KNA)"."""
    names, codes = _known_names()
    found = process.extract(name, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit * 8)
    index = StateIndex.default()
    floor = max(65.0, found[0][1] - 15) if found else 100.0  # the near ones only, not the whole list
    out: dict[str, None] = {}
    for _, score, k in found:
        if score >= floor:
            out.setdefault(f"{index.get(codes[k]).name_en} ({codes[k]})")
    return tuple(list(out)[:limit])


def unknown_state(name: str, under_review: bool = False) -> str:
    """What a Problem about an unknown State expects, with the closest known names to help correct it."""
    expected = (
        "a State under review known to the UN list (name in en/ru/kk or ISO3)"
        if under_review
        else "a State known to the UN list; kept as written"
    )
    near = closest_states(name)
    return f"{expected}; closest known: {', '.join(near)}" if near else expected


@dataclass
class Resolved:
    """A recommendation with every name resolved; labels the source wrote are kept alongside."""

    raw: RawRecommendation
    sur_iso3: str
    states: list[tuple[str | None, str]]  # (iso3 or None, label as written)
    themes: list[tuple[str | None, str]]  # (theme code or None, label as written)
    groups: list[tuple[str | None, str]]
    sdgs: list[tuple[str, int]]
    problems: list[Problem] = field(default_factory=list)


class CachedIndexes:
    """State and theme look-ups memoised for one import: sources repeat the same few names."""

    def __init__(self, states: StateIndex | None = None, themes: ThemeIndex | None = None):
        self.states = states or StateIndex.default()
        self.themes = themes or ThemeIndex.default()
        self._state: dict[str, str | None] = {}
        self._theme: dict[tuple[str, str], str | None] = {}
        self._group: dict[tuple[str, str], str | None] = {}
        self._state_lists: dict[tuple[str, ...], list[tuple[str | None, str]]] = {}
        self._theme_lists: dict[tuple[str, tuple[str, ...]], list[tuple[str | None, str]]] = {}

    def resolve(self, name: str) -> str | None:
        if name not in self._state:
            self._state[name] = self.states.resolve(name)
        return self._state[name]

    def resolve_theme(self, source: str, label: str) -> str | None:
        key = (source, label)
        if key not in self._theme:
            self._theme[key] = self.themes.resolve_theme(source, label)
        return self._theme[key]

    def states_of(self, labels: tuple[str, ...]) -> list[tuple[str | None, str]]:
        """(ISO3 or None, label) per State named, each State once (two spellings of one State count once)."""
        if labels not in self._state_lists:
            out: list[tuple[str | None, str]] = []
            for label in labels:
                iso3 = self.resolve(label)
                if (iso3, label) not in out and not (iso3 and any(s[0] == iso3 for s in out)):
                    out.append((iso3, label))
            self._state_lists[labels] = out
        return self._state_lists[labels]

    def themes_of(self, source: str, labels: tuple[str, ...]) -> list[tuple[str | None, str]]:
        """(code or None, label) for each distinct label; sources repeat the same combinations."""
        key = (source, labels)
        if key not in self._theme_lists:
            self._theme_lists[key] = [(self.resolve_theme(source, lab), lab) for lab in dict.fromkeys(labels)]
        return self._theme_lists[key]

    def resolve_group(self, source: str, label: str) -> str | None:
        key = (source, label)
        if key not in self._group:
            self._group[key] = self.themes.resolve_group(source, label)
        return self._group[key]


def resolve_recommendation(
    rec: RawRecommendation,
    file: str,
    theme_source: str,
    indexes: CachedIndexes | None = None,
) -> Resolved | list[Problem]:
    """Resolve one raw recommendation; an unknown State under review is an error (returned as problems)."""
    states = themes = indexes or CachedIndexes()
    sur = states.resolve(rec.sur)
    if sur is None:
        return [
            Problem(
                file,
                unknown_state(rec.sur, under_review=True),
                sheet=rec.sheet,
                row=rec.row,
                column="State under review",
                value=rec.sur,
            )
        ]
    problems = []

    def unknown(column: str, value: str, expected: str) -> None:
        problems.append(
            Problem(file, expected, sheet=rec.sheet, row=rec.row, column=column, value=value, severity="warning")
        )

    resolved_states = states.states_of(tuple(rec.recommending)) if rec.recommending else []
    for iso3, label in resolved_states:
        if iso3 is None:
            unknown("Recommending States", label, unknown_state(label))
    resolved_themes = states.themes_of(theme_source, tuple(rec.themes)) if rec.themes else []
    for code, label in resolved_themes:
        if code is None:
            unknown("Themes", label, "a theme the project can map; kept with its own label")
    resolved_groups = []
    for label in dict.fromkeys(rec.groups):
        code = themes.resolve_group(theme_source, label)
        if code is None:
            unknown("Affected groups", label, "a known affected group; kept with its own label")
        resolved_groups.append((code, label))
    sdgs = []
    for label in rec.sdgs:
        parsed = parse_sdg(label)
        if parsed is None:
            unknown("SDGs", label, "an SDG goal 1–17 or target such as 5.3")
        elif parsed not in sdgs:
            sdgs.append(parsed)
    return Resolved(rec, sur, resolved_states, resolved_themes, resolved_groups, sdgs, problems)
