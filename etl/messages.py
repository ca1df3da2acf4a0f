"""Problems worded by the `problems` catalog, so that every user reads them in their own language.

A reader or the loader makes a problem with `problem(file, code, …, **params)`: its English text
(`Problem.expected`, for the command line and the import's record) comes from the English catalog,
and the code and parameters travel with it, so that a page words it again in the user's language
with `problem_text`. Parameters that name a vocabulary (`vocab="status"`), a source kind or a file
format are put in the reader's language too: an editor reading Russian sees the allowed statuses
in Russian.
"""

from __future__ import annotations

import re
from datetime import date

from etl.model import Problem
from upr.i18n import catalog, t
from upr.vocab import VOCABULARIES, label


def _localised(params: dict[str, object], lang: str) -> dict[str, object]:
    """The parameters as the text in `lang` shows them: vocabularies listed, codes labelled."""
    out = dict(params)
    vocab = params.get("vocab")
    if isinstance(vocab, str) and vocab in VOCABULARIES:
        out["values"] = ", ".join(f"«{term.label(lang)}»" for term in VOCABULARIES[vocab])
    for key in ("source_kind", "own_kind"):
        if isinstance(params.get(key), str):
            out[key] = label("source_kind", str(params[key]), lang)
    if isinstance(params.get("format"), str):
        out["format"] = format_name(str(params["format"]), lang)
    if isinstance(params.get("readers"), str):  # the formats every reader reads, for an unknown file
        out["formats"] = "; ".join(format_name(name, lang) for name in str(params["readers"]).split(","))
    for key in ("read_as", "sur"):  # a State, by its name in `lang`
        if isinstance(params.get(key), str) and (iso3 := _states().resolve(str(params[key]))):
            out[key] = _states().get(iso3).name(lang)
    for key in ("response", "response_old", "response_new"):
        if isinstance(params.get(key), str):
            out[key] = label("response", str(params[key]), lang)
    if params.get("how") in ("declared", "used"):
        out["how"] = t(f"problems.how_{params['how']}", lang)
    for key, value in params.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
            out[key] = f"{value:,}".replace(",", "," if lang == "en" else "\u202f")
    return out


def _states():
    from upr.states import StateIndex

    return StateIndex.default()


def format_name(code: str, lang: str) -> str:
    """What a user calls a file format (`upr_info` → «a UPR Info export»), in `lang`."""
    key = f"problems.fmt_{code}"
    return t(key, lang) if key in catalog("en") else code


def problem(
    file: str,
    code: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
    severity: str = "error",
    column_key: str | None = None,
    **params: object,
) -> Problem:
    """A located problem worded by the catalog's `problems.<code>` (its English text in `expected`).

    A column the file does not name itself (a document's «State under review», a report's
    «recommendation 124.5») is given as `column_key`, the catalog's `problems.col_<key>` worded with
    the same parameters, so that the place is in the reader's language too."""
    if column_key is not None:
        params["column_key"] = column_key
        column = t(f"problems.col_{column_key}", "en", **params)
    return Problem(
        file,
        t(f"problems.{code}", "en", **_localised(params, "en")),
        sheet=sheet,
        row=row,
        column=column,
        value=None if value is None else str(value),
        severity=severity,
        code=code,
        params=tuple(params.items()),
    )


# Problems of readers that do not give a code yet, recognised by their English wording. The
# `near` part (the closest known State names) is optional: without it the `_plain` key is used.
_WORDED: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"a State under review known to the UN list \(name in en/ru/kk or ISO3\)(?:; closest known: (?P<near>.+))?"
        ),
        "worded_unknown_sur",
    ),
    (
        re.compile(r"a State known to the UN list; kept as written(?:; closest known: (?P<near>.+))?"),
        "worded_unknown_state",
    ),
    (re.compile(r"a theme the project can map; kept with its own label"), "worded_unknown_theme"),
    (re.compile(r"Accepted, Supported, Noted or Supported/Noted"), "worded_upr_info_response"),
    (re.compile(r"UPR rows only \(Body «UPR»\): rows of other mechanisms were skipped"), "worded_uhri_other_bodies"),
    (re.compile(r"the review's cycle 1–4"), "worded_cycle"),
    (re.compile(r"the State under review"), "missing_sur"),
    (re.compile(r"the text of the recommendation"), "missing_text"),
    (re.compile(r"an action category 1–5"), "bad_action"),
    (re.compile(r"a Working Group session number 1–54"), "worded_session"),
    (re.compile(r"the recommending State"), "worded_recommending"),
)


def _near(names: str, lang: str) -> str:
    """«Kyrgyzstan (KGZ), Kazakhstan (KAZ)» with each State's name in `lang`."""
    return re.sub(
        r"(?P<name>[^,]+?) \((?P<iso3>[A-Z]{3})\)",
        lambda m: f"{_states().get(m['iso3']).name(lang)} ({m['iso3']})",
        names,
    )


def _worded(expected: str, lang: str) -> str | None:
    for pattern, key in _WORDED:
        if m := pattern.fullmatch(expected):
            params = {k: v for k, v in m.groupdict().items() if v}
            if "near" in params:
                params["near"] = _near(params["near"], lang)
            if "near" in m.groupdict() and "near" not in params:
                key += "_plain"
            return t(f"problems.{key}", lang, **params)
    return None


def problem_text(p: Problem, lang: str) -> str:
    """What is wrong and what is expected, in `lang` (the English text for a problem the catalog lacks)."""
    if p.code and f"problems.{p.code}" in catalog("en"):
        return t(f"problems.{p.code}", lang, **_localised(dict(p.params), lang))
    return _worded(p.expected, lang) or p.expected


# The columns that code without a catalog key names in English (etl.resolve, etl.bulk).
_LEGACY_COLUMNS = {"State under review": "sur", "Recommending States": "recommending", "Themes": "themes"}


def column_text(p: Problem, lang: str) -> str | None:
    """The problem's column, in `lang` when it is one the program names (the file's own headers as written)."""
    params = dict(p.params)
    key = params.get("column_key") or (_LEGACY_COLUMNS.get(p.column or "") if p.code is None else None)
    if isinstance(key, str):
        return t(f"problems.col_{key}", lang, **params)
    return p.column


def where_text(p: Problem, lang: str) -> str:
    """Where the problem is, in `lang`: file, sheet, row, column."""
    parts = [p.file]
    if p.sheet:
        parts.append(t("problems.where_sheet", lang, sheet=p.sheet))
    if p.row is not None:
        parts.append(t("problems.where_row", lang, row=p.row))
    if column := column_text(p, lang):
        parts.append(t("problems.where_column", lang, column=column))
    return ", ".join(parts)


def full_text(p: Problem, lang: str) -> str:
    """The whole message in one line, in `lang`: where, the value found, what is wrong."""
    found = "" if p.value is None else t("problems.found", lang, value=p.value)
    return f"{where_text(p, lang)}{found}: {problem_text(p, lang)}"
