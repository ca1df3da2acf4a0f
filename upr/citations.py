"""Source notes that cite the UN documents, not the project's internals.

For the cycles a chart shows: the Working Group report's symbol and the addendum's (the State's
replies), as the database holds them (`upr.queries.citation_sources`); where a symbol is not
stated, the note says so and names the Working Group session instead. For charts of implementation:
the organisations whose current assessments count, with their dates. Import numbers and file
names never appear here (they belong to the import history page).

Two forms, both in the reader's language:
- `short_citation()`: one line for a chart's footer and a slide's footer;
- `full_citation()`: every document and assessment on a line of its own, for speaker notes.

`chart_source(fetch, f, lang, assessments=…)` and `notes_source(…)` read the database through
`fetch(name, *args)` (`ui.data.query` in the app, `upr.slides.connection_fetch(con)` elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from upr.agencies import find_agency
from upr.filters import Filters
from upr.i18n import t
from upr.vocab import SOURCE_KIND_CODES, label

__all__ = [
    "Assessor",
    "CycleDocuments",
    "Sources",
    "chart_source",
    "format_date",
    "full_citation",
    "gather",
    "notes_source",
    "short_citation",
]

Fetch = Callable[..., Any]


@dataclass(frozen=True)
class CycleDocuments:
    """The documents of one review: its report's symbol (None when not stated) and the other
    symbols stored for it (addenda first, as `A/HRC/43/10/Add.1`)."""

    cycle: int
    session: int | None
    review_date: date | None
    report: str | None
    documents: tuple[str, ...] = ()

    @property
    def addenda(self) -> tuple[str, ...]:
        return tuple(s for s in self.documents if "/Add." in s)

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(s for s in self.documents if "/Add." not in s)


@dataclass(frozen=True)
class Assessor:
    """One organisation's current assessments of the recommendations shown."""

    source_kind: str
    organisation: str
    first: date
    latest: date
    n: int
    names: tuple[tuple[str, str], ...] = ()  # (lang, name) of a coalition or working group

    def name(self, lang: str) -> str:
        """The organisation in the reader's language: a ministry or other shipped agency by its name in
        `lang`, a coalition or working group by its stored name in `lang`, anything else as written."""
        agency = find_agency(self.organisation)
        if agency is not None:
            return agency.name(lang)
        return dict(self.names).get(lang) or self.organisation


@dataclass(frozen=True)
class Sources:
    """Everything a source note cites."""

    cycles: tuple[CycleDocuments, ...] = ()
    assessors: tuple[Assessor, ...] = ()
    demo: bool = False


def _day(value: object) -> date | None:
    if value is None:
        return None
    if hasattr(value, "date") and callable(value.date):  # a pandas Timestamp or a datetime
        return value.date()
    return value if isinstance(value, date) else None


def sources_from(data: Mapping[str, list[dict]], demo: bool = False) -> Sources:
    """Sources from what `upr.queries.citation_sources` returns."""
    kinds = {k: i for i, k in enumerate(SOURCE_KIND_CODES)}
    assessors = sorted(data.get("assessors", []), key=lambda a: (kinds.get(a["source_kind"], 99), a["organisation"]))
    return Sources(
        cycles=tuple(
            CycleDocuments(
                int(r["cycle"]), r["session"], _day(r["review_date"]), r["report"] or None, tuple(r["documents"])
            )
            for r in data.get("reviews", [])
        ),
        assessors=tuple(
            Assessor(
                a["source_kind"],
                a["organisation"],
                _day(a["first"]),
                _day(a["latest"]),
                int(a["n"]),
                tuple(sorted((a.get("names") or {}).items())),
            )
            for a in assessors
        ),
        demo=demo,
    )


def gather(fetch: Fetch, f: Filters) -> Sources:
    """The Sources of the recommendations the filters select, read through `fetch`."""
    return sources_from(fetch("citation_sources", f), bool(fetch("is_demo")))


def format_date(d: date | None, lang: str) -> str:
    """'31.12.2024' in Russian and Kazakh, '2024-12-31' in English."""
    if d is None:
        return "—"
    return d.isoformat() if lang == "en" else d.strftime("%d.%m.%Y")


def _dates(a: Assessor, lang: str) -> str:
    first, latest = format_date(a.first, lang), format_date(a.latest, lang)
    return latest if first == latest else f"{first}–{latest}"


def _addendum_short(report: str, addendum: str) -> str:
    """'Add.1' when the addendum's symbol is the report's with '/Add.1' after it, else the whole symbol."""
    return addendum[len(report) + 1 :] if addendum.startswith(report + "/") else addendum


def _cycle_short(c: CycleDocuments, lang: str) -> str:
    if c.report:
        head = c.report
        if c.addenda:
            head = t(
                "cite.and_addendum",
                lang,
                report=c.report,
                addendum=", ".join(_addendum_short(c.report, a) for a in c.addenda),
            )
        return head
    if c.session:
        head = t("cite.no_symbol_session", lang, cycle=c.cycle, session=c.session)
    else:
        head = t("cite.no_symbol", lang, cycle=c.cycle)
    return ", ".join([head, *c.addenda])


def short_citation(src: Sources, lang: str, *, assessments: bool = False, prefix: bool = True) -> str:
    """One line for a chart's or a slide's footer: the documents of each cycle shown (and, for
    charts of implementation, who assessed and when), e.g.
    'Источник: A/HRC/14/10 и Add.1; A/HRC/28/10; …; оценки: Коалиция НПО Казахстана по УПО (31.10.2025)'.
    Without `prefix`, the line without its 'Источник: ' (chart builders add it themselves).
    """
    documents = "; ".join(_cycle_short(c, lang) for c in src.cycles) or t("cite.none", lang)
    if assessments and src.assessors:
        who = "; ".join(
            t("cite.assessor", lang, organisation=a.name(lang), dates=format_date(a.latest, lang))
            for a in src.assessors
        )
        text = t("cite.short_assessed", lang, documents=documents, assessors=who)
    else:
        text = t("cite.short", lang, documents=documents)
    if src.demo:
        text = f"{text} ({t('cite.demo', lang)})"
    return t("common.source_note", lang, source=text) if prefix else text


def _cycle_name(c: CycleDocuments, lang: str) -> str:
    if c.review_date is not None:
        return t("common.cycle_label", lang, cycle=c.cycle, year=c.review_date.year)
    return f"{t('common.cycle', lang)} {c.cycle}"


def full_citation(src: Sources, lang: str, *, assessments: bool = False) -> str:
    """Every document of each cycle shown, and (for charts of implementation) every assessing
    organisation with its source, count and dates: one line each, for speaker notes."""
    lines = [t("cite.full_title", lang) + ":"]
    for c in src.cycles:
        parts = [t("cite.full_report", lang, symbol=c.report) if c.report else t("cite.full_report_unknown", lang)]
        if c.session and c.review_date:
            parts.append(t("cite.full_session", lang, session=c.session, date=format_date(c.review_date, lang)))
        elif c.session:
            parts.append(t("cite.full_session_only", lang, session=c.session))
        if c.addenda:
            parts += [t("cite.full_addendum", lang, symbol=a) for a in c.addenda]
        else:
            parts.append(t("cite.full_addendum_unknown", lang))
        if c.others:
            parts.append(t("cite.full_other", lang, symbols=", ".join(c.others)))
        lines.append(f"{t('cite.full_cycle', lang, cycle=_cycle_name(c, lang))} {'; '.join(parts)}")
    if not src.cycles:
        lines.append(t("cite.none", lang))
    if assessments and src.assessors:
        lines.append(t("cite.full_assessments", lang))
        lines += [
            t(
                "cite.full_assessor",
                lang,
                organisation=a.name(lang),
                source=label("source_kind", a.source_kind, lang),
                n=a.n,
                dates=_dates(a, lang),
            )
            for a in src.assessors
        ]
    if src.demo:
        lines.append(t("cite.full_demo", lang))
    return "\n".join(lines)


def chart_source(fetch: Fetch, f: Filters, lang: str, *, assessments: bool = False, prefix: bool = True) -> str:
    """short_citation() of the recommendations the filters select, read through `fetch`."""
    return short_citation(gather(fetch, f), lang, assessments=assessments, prefix=prefix)


def notes_source(fetch: Fetch, f: Filters, lang: str, *, assessments: bool = False) -> str:
    """full_citation() of the recommendations the filters select, read through `fetch`."""
    return full_citation(gather(fetch, f), lang, assessments=assessments)
