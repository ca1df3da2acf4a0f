"""Resolve the names a source wrote (States, themes, groups, SDGs) to our codes, keeping the label."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.model import Problem, RawRecommendation
from upr.states import StateIndex
from upr.themes import ThemeIndex

SDG_PATTERN = re.compile(r"(\d{1,2})(?:\.(\w{1,2}))?")


def parse_sdg(label: str) -> tuple[str, int] | None:
    """'5.3' → ('5.3', 5); 'SDG 5 - Gender equality' → ('5', 5); None when no goal 1-17 is found."""
    m = SDG_PATTERN.search(label)
    if not m or not 1 <= int(m.group(1)) <= 17:
        return None
    goal = int(m.group(1))
    return (f"{goal}.{m.group(2)}" if m.group(2) else str(goal)), goal


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
                "a State under review known to the UN list (name in en/ru/kk or ISO3)",
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
            unknown("Recommending States", label, "a State known to the UN list; kept as written")
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
