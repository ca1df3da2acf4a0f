"""The history page's words and tables: who made an import (an organisation, never an account name
for a viewer), and what one import changed, row by row, in the user's language."""

from __future__ import annotations

import duckdb
import pandas as pd

from etl.changes import assessment_changes, recommendation_changes
from upr.accounts import Account, AccountsUnreadable, load_accounts
from upr.agencies import display_name
from upr.demo_i18n import demo_text
from upr.i18n import t
from upr.vocab import label

# Imports made by no account: the built-in demo, and the command line on the server.
_SYSTEM = {"demo": "history.who_demo", "cli": "history.who_server"}


def known_accounts() -> dict[str, Account]:
    """The accounts, read once for a page (none when the file cannot be read)."""
    try:
        return load_accounts()
    except AccountsUnreadable:
        return {}


def who_label(who: str, organisations: str | None, lang: str, accounts: dict[str, Account]) -> str:
    """Who an import (or a revert) was made by, as anyone may see it: the organisations whose
    assessments it holds, else the organisation of the account, else its role."""
    if who in _SYSTEM:
        return t(_SYSTEM[who], lang)
    if organisations:
        return organisations
    account = accounts.get(who)
    if account is not None and account.organisation:
        return account.organisation
    if account is not None and account.is_admin:
        return t("history.who_admin", lang)
    return "—"


def _status(code: object, lang: str) -> str:
    return label("status", code, lang) if isinstance(code, str) else "—"


def _day(value: object) -> str:
    return "—" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def changes_frames(con: duckdb.DuckDBPyConnection, import_id: int, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the assessments an import recorded, the recommendations it added or changed), as tables in `lang`."""
    a = assessment_changes(con, import_id)
    assessments = pd.DataFrame(
        {
            t("history.col_row", lang): a["row"].astype("Int64"),
            t("history.col_rec", lang): a["rec_id"],
            t("history.col_org", lang): [display_name(o, lang) for o in a["organisation"]],
            t("history.col_status", lang): [_status(s, lang) for s in a["status"]],
            t("history.col_date", lang): [_day(d) for d in a["as_of"]],
            t("history.col_outcome", lang): [
                t(f"history.outcome_{o}", lang, old=_status(s, lang), old_as_of=_day(d))
                for o, s, d in zip(a["outcome"], a["old"], a["old_as_of"])
            ],
            t("history.col_comment", lang): [demo_text(c, lang) for c in a["comment"].fillna("")],
        }
    )
    r = recommendation_changes(con, import_id)
    recommendations = pd.DataFrame(
        {
            t("history.col_rec", lang): r["rec_id"],
            t("history.col_ref", lang): r["ref"].fillna(""),
            t("history.col_what", lang): [
                t("history.what_added", lang) if w == "added" else t("history.what_changed", lang, field=w)
                for w in r["what"]
            ],
            t("history.col_before", lang): r["before"].fillna(""),
        }
    )
    return assessments, recommendations
