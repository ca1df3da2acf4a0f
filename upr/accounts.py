"""Accounts and roles, without Streamlit: a local JSON file of users with salted, slow password hashes.

Viewers need no account. An *editor* belongs to one organisation (an NGO, a ministry, the
ombudsman) and may only add that organisation's assessments. An *admin* imports recommendation
files, manages organisations and accounts, and reverts imports. With OIDC (`st.login`) the
identity provider proves who someone is; this file still says what they may do, by email.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from upr import config
from upr.vocab import SOURCE_KIND_CODES

ROLES = ("admin", "editor")
# The only import format an editor may upload: the assessments template.
EDITOR_FORMATS = ("template_assessments",)

# scrypt with n=2**15, r=8 costs ~32 MiB and tens of milliseconds per try: slow for a guesser.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SCRYPT_MAXMEM = 64 * 1024 * 1024
NAME_RE = re.compile(r"^[\w.@+-]{1,64}$")
MIN_PASSWORD = 10


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


class AccountsUnreadable(AccountError):
    """The accounts file exists but cannot be read: nobody can sign in until it is repaired."""


@dataclass(frozen=True)
class Account:
    """One user: a name, a role, and for editors the organisation and its source kind."""

    name: str
    role: str
    organisation: str | None = None
    source_kind: str | None = None
    email: str | None = None
    password_hash: str | None = None  # None for accounts that only sign in through OIDC
    # The account's identity, new for every account created (a name used again is another account),
    # and its credential version, moved on by every replacement (a new password, role or email).
    uid: str = ""
    version: int = 1

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def credential(self) -> str:
        """What a session is bound to: this account's identity, version and secret, hashed.

        A removal, a re-creation under the same name or a password change all change it, so a
        session signed in before any of them ends (ui.auth)."""
        material = f"{self.uid}:{self.version}:{self.password_hash or ''}:{self.email or ''}:{self.role}"
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def accounts_path() -> Path:
    """The accounts file: $UPR_ACCOUNTS if set, else data/accounts.json (git-ignored)."""
    return Path(os.environ.get("UPR_ACCOUNTS", config.DATA_DIR / "accounts.json"))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash, self-describing: `scrypt$n$r$p$salt$hash` (base64 parts)."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=SCRYPT_MAXMEM, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Does `password` match the stored hash? Constant-time comparison; False for no hash."""
    if not stored:
        return False
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=SCRYPT_MAXMEM,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# Compared against when the user name is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password("not a password", salt=b"\x00" * 16)


def _legacy_uid(name: str, fields: dict) -> str:
    # Accounts written before identities were kept: one derived from what the account was created
    # with, stable until the file is next written (which then records it).
    seed = f"{name}:{fields.get('password_hash') or fields.get('email') or ''}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def load_accounts(path: Path | None = None) -> dict[str, Account]:
    """Every account in the file, by name (an absent file means no accounts).

    Raises AccountsUnreadable for a file that is not an accounts file (it is never half-written:
    see save_accounts), so that a damaged file is reported, not taken for "no accounts".
    """
    path = accounts_path() if path is None else path
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        users = data.get("users", {})
        known = set(Account.__dataclass_fields__) - {"name"}
        return {
            name: Account(
                name=name,
                **{k: v for k, v in fields.items() if k in known and k != "uid"},
                uid=fields.get("uid") or _legacy_uid(name, fields),
            )
            for name, fields in users.items()
        }
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise AccountsUnreadable(f"the accounts file {path} cannot be read ({type(exc).__name__})") from exc


@contextlib.contextmanager
def accounts_lock(path: Path | None = None) -> Iterator[Path]:
    """Hold the accounts file's lock (a lock file beside it) for a read-modify-write; yields the path.

    Every writer takes it, so twenty `user add` at once all land, one after the other.
    """
    path = accounts_path() if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield path
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def save_accounts(accounts: dict[str, Account], path: Path | None = None) -> None:
    """Write the file atomically, readable by its owner only (it holds password hashes).

    A temporary file of its own in the same folder, flushed to disk, then renamed over the file:
    a reader sees the old file or the new one, never a part. Callers that read, change and write
    hold `accounts_lock`.
    """
    path = accounts_path() if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"users": {a.name: {k: v for k, v in asdict(a).items() if k != "name"} for a in accounts.values()}}
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def make_account(
    name: str,
    role: str,
    password: str | None = None,
    *,
    organisation: str | None = None,
    source_kind: str | None = None,
    email: str | None = None,
) -> Account:
    """A validated new account (its password hashed); raises AccountError saying what is wrong."""
    if not NAME_RE.match(name):
        raise AccountError(f"the user name «{name}» must be 1-64 letters, digits or . _ - @ +")
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}, not «{role}»")
    if role == "editor":
        if not organisation or not organisation.strip():
            raise AccountError("an editor needs --organisation, the organisation they assess for")
        if source_kind not in SOURCE_KIND_CODES:
            raise AccountError(f"an editor needs --source-kind, one of {', '.join(SOURCE_KIND_CODES)}")
    elif organisation or source_kind:
        raise AccountError("an admin belongs to no organisation: leave out --organisation and --source-kind")
    if password is None and not email:
        raise AccountError("give a password, or an email to sign in through OIDC")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    return Account(
        name=name,
        role=role,
        organisation=organisation.strip() if organisation else None,
        source_kind=source_kind if role == "editor" else None,
        email=email.strip().lower() if email else None,
        password_hash=hash_password(password) if password is not None else None,
        uid=secrets.token_hex(8),
    )


def add_account(account: Account, path: Path | None = None, *, replace: bool = False) -> None:
    """Store `account`; refuses an existing name (unless `replace`) or an email another account has.

    A replacement keeps the account's identity and moves its credential version on, so sessions
    signed in with the old password, role or email end.
    """
    with accounts_lock(path) as locked:
        accounts = load_accounts(locked)
        old = accounts.get(account.name)
        if old is not None and not replace:
            raise AccountError(f"the user «{account.name}» exists already")
        if account.email and any(a.email == account.email and a.name != account.name for a in accounts.values()):
            raise AccountError(f"another account already has the email {account.email}")
        if old is not None:
            account = _replaced(old, account)
        accounts[account.name] = account
        save_accounts(accounts, locked)


def _replaced(old: Account, new: Account) -> Account:
    return replace(new, uid=old.uid, version=old.version + 1)


def remove_account(name: str, path: Path | None = None) -> bool:
    """Remove the account `name`; False when there was none."""
    with accounts_lock(path) as locked:
        accounts = load_accounts(locked)
        if accounts.pop(name, None) is None:
            return False
        save_accounts(accounts, locked)
    return True


def authenticate(name: str, password: str, path: Path | None = None) -> Account | None:
    """The account when name and password match, else None (same cost either way)."""
    account = load_accounts(path).get(name)
    stored = account.password_hash if account and account.password_hash else _DUMMY_HASH
    ok = verify_password(password, stored)
    return account if ok and account is not None and account.password_hash else None


def account_for_email(email: str | None, path: Path | None = None) -> Account | None:
    """The account an OIDC identity maps to, by email (case-insensitive); None when unknown."""
    if not email:
        return None
    wanted = email.strip().lower()
    return next((a for a in load_accounts(path).values() if a.email == wanted), None)


# --- what each role may do -------------------------------------------------------------------


def can_upload(account: Account | None) -> bool:
    """Editors and admins may upload files; viewers (no account) may not."""
    return account is not None and account.role in ROLES


def can_revert(account: Account | None) -> bool:
    """Only admins revert imports and download stored originals."""
    return account is not None and account.is_admin


def can_manage(account: Account | None) -> bool:
    """Only admins manage organisations and accounts."""
    return account is not None and account.is_admin


def allowed_organisation(account: Account) -> str | None:
    """The one organisation whose assessments `account` may write; None means any (admin)."""
    return None if account.is_admin else account.organisation


def upload_refusals(
    account: Account | None, fmt: str, organisations: set[str], source_kinds: set[str]
) -> list[tuple[str, dict[str, str]]]:
    """Why `account` may not import a file of `fmt` with these assessment organisations and kinds.

    Returns (i18n key in the `upload` namespace, parameters) pairs; empty when allowed. The
    loader enforces the organisation again (`allowed_organisation`); this check also covers the
    format and the source kind, and words the refusal for the user.
    """
    if not can_upload(account):
        return [("refused_viewer", {})]
    assert account is not None
    if account.is_admin:
        return []
    out: list[tuple[str, dict[str, str]]] = []
    if fmt not in EDITOR_FORMATS and fmt != "unknown":  # an unreadable file gets its own errors
        out.append(("refused_format", {"format": fmt}))
    others = sorted(o for o in organisations if o != account.organisation)
    if others:
        out.append(("refused_organisation", {"found": ", ".join(others), "own": account.organisation or ""}))
    kinds = sorted(k for k in source_kinds if k != account.source_kind)
    if kinds:
        out.append(("refused_source_kind", {"found": ", ".join(kinds), "own": account.source_kind or ""}))
    return out
