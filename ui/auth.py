"""Sign-in for the pages that write: the built-in form, or OIDC through `st.login` when configured.

Dashboards need no sign-in. The session keeps only the account *name*; the account is read from
the accounts file on every run, so removing a user or changing a role takes effect at once.
"""

from __future__ import annotations

import streamlit as st

from ui.lang import tr
from ui.widgets import md_escape
from upr.accounts import Account, account_for_email, authenticate, load_accounts
from upr.vocab import label

SESSION_KEY = "auth_user"


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


def current_account() -> Account | None:
    """The signed-in account of this session, or None for a viewer."""
    name = st.session_state.get(SESSION_KEY)
    if name:
        account = load_accounts().get(name)
        if account is None:
            st.session_state.pop(SESSION_KEY, None)
        return account
    if oidc_configured():
        return account_for_email(_oidc_email())
    return None


def _submit_login() -> None:
    name = st.session_state.get("auth_name", "").strip()
    account = authenticate(name, st.session_state.get("auth_password", ""))
    st.session_state["auth_password"] = ""
    if account is None:
        st.session_state["auth_failed"] = True
    else:
        st.session_state[SESSION_KEY] = account.name
        st.session_state["auth_failed"] = False


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
    if st.session_state.get("auth_failed"):
        st.error(tr("auth.failed"))


def _logout() -> None:
    st.session_state.pop(SESSION_KEY, None)


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
