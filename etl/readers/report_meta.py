"""What a UN report says about itself: symbol, title, State under review, session, cycle, date."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from etl.messages import problem
from etl.model import DocumentInfo, Problem
from etl.readers.report_states import exact_state, loose_state
from etl.readers.report_text import RUNNING_HEAD_RE, SYMBOL_IN_TEXT_RE, WS
from upr.states import StateIndex
from upr.vocab import cycle_of_session

TITLE_RE = re.compile(
    r"Report\s+of\s+the\s+Working\s+Group\s+on\s+the\s+Universal\s+Periodic\s+Review",
    re.IGNORECASE,
)

_REVIEW_RE = re.compile(
    r"\bThe review of (?P<sur>[^.;]{2,80}?) was held at (?:the\s+)?[^.;]{0,40}?\bmeetings?,?\s+(?:held\s+)?on\s+"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]+(?:\s+\d{4})?)"
)

# Headings that can follow the title on a cover page when the State's name is missing.
_NOT_A_NAME = frozenset({"introduction", "contents", "addendum", "annex", "corrigendum", "summary"})

_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_TEENS = {
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_TENTHS = {
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
}


def _ordinal(words: str) -> int | None:
    """20 for "twentieth", 24 for "twenty-fourth" or "twenty–fourth", 7 for "7th"."""
    w = words.lower().replace("–", "-").replace(" ", "-")
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)", w)
    if m:
        return int(m.group(1))
    if w in _UNITS:
        return _UNITS[w]
    if w in _TEENS:
        return _TEENS[w]
    if w in _TENTHS:
        return _TENTHS[w]
    tens, _, unit = w.partition("-")
    if tens in _TENS and unit in _UNITS:
        return _TENS[tens] + _UNITS[unit]
    return None


def _name_below_title(lines: list[str]) -> str | None:
    """The line under the title, where the cover page names the State under review."""
    for i in range(min(len(lines) - 1, 60)):
        if TITLE_RE.search(" ".join(lines[max(0, i - 2) : i + 1])):
            below = lines[i + 1]
            plausible = len(below) <= 60 and not re.search(r"\d", below)
            return below if plausible and below.lower() not in _NOT_A_NAME else None
    return None


def _resolved_sur(printed: str | None, lines: list[str], joined: str, file: str, problems: list[Problem]) -> str | None:
    """The State under review as the States table knows it.

    The review sentence may name it formally ("the Federal Republic of Germany", "the Kingdom of
    Tonga", "Costa Rica Republic"): then the cover's name, or the delegation's ("The delegation of
    Germany was headed by …"), is taken when it resolves, else the formal name is read loosely.
    """
    if printed is not None and exact_state(printed):
        return printed
    delegation = re.search(r"\bThe delegation of (?P<sur>[^.;,]{2,80}?) was (?:headed|led)\b", joined)
    others = [_name_below_title(lines), delegation.group("sur") if delegation else None]
    for name in others:
        if name and exact_state(name):
            if printed is None and name == others[1]:
                problems.append(
                    problem(file, "report_sur_from_delegation", column_key="sur", value=name, severity="warning")
                )
            return name
    if printed is None:
        return None
    for name in (printed, *others):
        if name and (code := loose_state(name)):
            state = StateIndex.default().get(code)
            problems.append(
                problem(file, "state_read_as", column_key="sur", value=name, read_as=state.name_en, severity="warning")
            )
            return state.name_en
    return printed


def document_info(raw_text: str, lines: list[str], joined: str, file: str, problems: list[Problem]) -> DocumentInfo:
    """Symbol, title, State under review, session, cycle and review date, as the report states them."""
    info = DocumentInfo()
    heads = Counter(m.group(1) for line in raw_text.splitlines() if (m := RUNNING_HEAD_RE.match(line.strip())))
    if heads:
        info.symbol = heads.most_common(1)[0][0]
    elif m := SYMBOL_IN_TEXT_RE.search(joined):
        info.symbol = f"A/HRC/{m.group(1)}/{m.group(2)}{m.group(3) or ''}"

    review = _REVIEW_RE.search(joined)
    session = re.search(r"\bheld its (\S+?) session\b(?P<rest>[^.]{0,80})", joined)
    if review:
        info.sur = review.group("sur").strip()
        date = review.group("date")
        if (
            not re.search(r"\d{4}$", date)
            and session
            and (year := re.search(r"\b(?:19|20)\d\d\b", session.group("rest")))
        ):
            date = f"{date} {year.group(0)}"  # "on 24 January." in a session "from 21 January to 1 February 2013"
        try:
            info.review_date = datetime.strptime(date, "%d %B %Y").date()
        except ValueError:
            problems.append(
                problem(
                    file,
                    "report_bad_review_date",
                    column_key="review_date",
                    value=review.group("date"),
                    severity="warning",
                )
            )
    else:
        info.sur = _name_below_title(lines)
        if info.sur:
            problems.append(
                problem(file, "report_sur_from_title", column_key="sur", value=info.sur, severity="warning")
            )
        problems.append(problem(file, "report_no_review_sentence", column_key="review_date", severity="warning"))
    info.sur = _resolved_sur(info.sur, lines, joined, file, problems)

    title = TITLE_RE.search(joined)
    if title:
        printed = WS.sub(" ", title.group(0))
        info.title = f"{printed}: {info.sur}" if info.sur else printed

    if session and (number := _ordinal(session.group(1))) is not None:
        info.session = number
        info.cycle = cycle_of_session(number)
    else:
        problems.append(
            problem(
                file,
                "report_no_session",
                column_key="session",
                value=session.group(1) if session else None,
                severity="warning",
            )
        )
    return info
