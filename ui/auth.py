"""Sign-in for the pages that write: the built-in form, or OIDC through `st.login` when configured.

Dashboards need no sign-in. A session is bound to one account: its name, its identity and its
credential (upr.accounts.Account.credential), all read again from the accounts file on every
run. Removing the account, creating another of the same name or changing its password ends the
session; a changed role takes effect at once, and every write action asks `current_account()`
again at the moment it acts. Failed sign-ins are slowed per name and per address (upr.throttle).
"""

from __future__ import annotations

import math

import streamlit as st

from ui.lang import tr
from ui.widgets import md_escape
from upr.accounts import Account, AccountsUnreadable, account_for_email, authenticate, load_accounts
from upr.throttle import SIGN_IN
from upr.vocab import label

SESSION_KEY = "auth_user"  # {"name", "uid", "cred"} of the signed-in account
_NOTICE = "auth_notice"  # why the last attempt or the session ended: an `auth` catalog key and its parameters


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (st.login can be used)."""
    try:
        return st.secrets.load_if_toml_exists() and "auth" in st.secrets
    except Exception:  # a malformed secrets file must not take the pages down
        return False


def _oidc_email() -> str | None:
    try:
        if st.user.is_logged_in:
            return st.user.get("email")
    except Exception:  # st.user needs a running server; absent under some test runners
        return None
    return None


def session_for(account: Account) -> dict[str, str]:
    """What a session keeps of a signed-in account."""
    return {"name": account.name, "uid": account.uid, "cred": account.credential}


def _bound(bound: object, accounts: dict[str, Account]) -> Account | None:
    if not isinstance(bound, dict):
        return None
    account = accounts.get(str(bound.get("name")))
    if account is None or account.uid != bound.get("uid") or account.credential != bound.get("cred"):
        return None
    return account


def current_account() -> Account | None:
    """The signed-in account of this session as the accounts file has it *now*, or None for a viewer."""
    bound = st.session_state.get(SESSION_KEY)
    try:
        if bound:
            account = _bound(bound, load_accounts())
            if account is None:  # removed, re-created, or its password changed: the session ends
                st.session_state.pop(SESSION_KEY, None)
                st.session_state[_NOTICE] = ("ended", {})
            return account
        if oidc_configured():
            return account_for_email(_oidc_email())
    except AccountsUnreadable:
        st.session_state[_NOTICE] = ("unreadable", {})
    return None


def _address() -> str:
    try:
        return st.context.ip_address or "unknown"
    except Exception:  # no request context (tests)
        return "unknown"


def _submit_login() -> None:
    name = st.session_state.get("auth_name", "").strip()
    password = st.session_state.get("auth_password", "")
    st.session_state["auth_password"] = ""
    address = _address()
    wait = SIGN_IN.wait_seconds(name, address)
    if wait > 0:
        st.session_state[_NOTICE] = ("throttled", {"minutes": max(1, math.ceil(wait / 60))})
        return
    try:
        account = authenticate(name, password)
    except AccountsUnreadable:
        st.session_state[_NOTICE] = ("unreadable", {})
        return
    if account is None:
        SIGN_IN.failed(name, address)
        st.session_state[_NOTICE] = ("failed", {})
        return
    SIGN_IN.succeeded(name)
    st.session_state[SESSION_KEY] = session_for(account)
    st.session_state.pop(_NOTICE, None)


def login_box() -> None:
    """The sign-in form (and the OIDC button, when configured) for a viewer."""
    st.info(tr("auth.why"), icon=":material/lock:")
    if oidc_configured():
        email = _oidc_email()
        if email:
            st.warning(tr("auth.oidc_unknown", email=md_escape(email)))
            st.button(tr("auth.logout"), key="auth_oidc_logout", on_click=st.logout)
        else:
            st.button(tr("auth.oidc_login"), key="auth_oidc_login", on_click=st.login, type="primary")
    with st.form("auth_form", clear_on_submit=False, border=True):
        st.text_input(tr("auth.name"), key="auth_name", autocomplete="username")
        st.text_input(tr("auth.password"), key="auth_password", type="password", autocomplete="current-password")
        st.form_submit_button(tr("auth.login"), on_click=_submit_login, type="primary")
    notice = st.session_state.get(_NOTICE)
    if notice:
        key, params = notice
        (st.warning if key == "ended" else st.error)(tr(f"auth.{key}", **params))


def _logout() -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(_NOTICE, None)


def account_bar(account: Account, lang: str) -> None:
    """Who is signed in, with what rights, and the sign-out button."""
    if account.is_admin:
        who = tr("auth.signed_in_admin", name=md_escape(account.name))
    else:
        who = tr(
            "auth.signed_in_editor",
            name=md_escape(account.name),
            organisation=md_escape(account.organisation or ""),
            kind=label("source_kind", account.source_kind, lang),
        )
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.caption(who)
    if st.session_state.get(SESSION_KEY):
        right.button(tr("auth.logout"), key="auth_logout", on_click=_logout)
    else:
        right.button(tr("auth.logout"), key="auth_oidc_logout", on_click=st.logout)
