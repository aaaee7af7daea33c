"""Accounts of a multi-user server (issue 19): users and their passwords, signing in with
throttling, server-side web sessions and personal API tokens.

Passwords are hashed with Argon2id (argon2-cffi, its RFC 9106 low-memory profile); a hash made
with older parameters is remade at the next successful sign-in. Session cookies and API tokens
are random (`secrets`, 256 bits); only their SHA-256 is stored, so a copy of the database
signs nobody in. Throttling counts failed sign-ins in the database, so it holds across several
app workers."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from trailmix.app.store import Store
from trailmix.errors import InputError, NotFoundError, TrailmixError
from trailmix.storage.accounts import (
    ApiTokens,
    LoginAttempts,
    TokenRecord,
    UserRecord,
    Users,
    WebSessions,
)
from trailmix.storage.models import LOCAL_USER_ID as LOCAL_USER_ID

MIN_PASSWORD_LENGTH = 10
"""trailmix default: a password of at least 10 characters (NIST SP 800-63B asks at least 8)."""
MAX_PASSWORD_LENGTH = 1000
"""trailmix default: longer is refused before hashing (no use, and a cheap way to load us)."""

FAILURES_PER_LOGIN = 5
"""trailmix default: 5 failed sign-ins for one login in THROTTLE_WINDOW, then it is refused."""
FAILURES_PER_ADDRESS = 20
"""trailmix default: 20 failed sign-ins from one address in THROTTLE_WINDOW (any logins)."""
THROTTLE_WINDOW = timedelta(minutes=15)
"""trailmix default: the window the failures above are counted in."""

SESSION_LIFETIME = timedelta(days=14)
"""trailmix default: a web session lasts 14 days from signing in, then signs in again."""
TOUCH_EVERY = timedelta(minutes=5)
"""trailmix default: a session's or token's last use is written at most this often (not on
every request)."""

ROLES = ("runner", "coach")
LOGIN_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@+-]{0,99}")
TOKEN_PREFIX = "tmx_"

PASSWORD_HASHER = PasswordHasher()
"""Argon2id with argon2-cffi's defaults (RFC 9106, second recommended profile: 64 MiB,
3 passes, 4 lanes); about 0.1 s a hash on one core."""
HASHING = threading.BoundedSemaphore(4)
"""trailmix default: at most 4 Argon2 computations at once in one process (4 x 64 MiB), so a
burst of sign-ins queues instead of taking the server's memory (the web app's thread pool
has 40 threads)."""


class SignInError(TrailmixError):
    """A sign-in refused: wrong login or password, or throttled (`status` 401 or 429)."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Account:
    """A user as the faces show them (never the password hash)."""

    id: int
    login: str
    display_name: str
    role: str
    active: bool
    has_password: bool
    created_at: datetime


@dataclass(frozen=True)
class SignedIn:
    """Who a request is from: the user and how they proved it."""

    user_id: int
    login: str
    display_name: str
    role: str
    via: str  # "session" | "token" | "local"
    csrf_token: str | None = None  # a session's form token
    session_id: str | None = None


@dataclass(frozen=True)
class NewSession:
    cookie: str  # the random token for the cookie (only its SHA-256 is stored)
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class ApiToken:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def _account(user: UserRecord) -> Account:
    return Account(
        id=user.id,
        login=user.login,
        display_name=user.display_name,
        role=user.role,
        active=user.active,
        has_password=user.password_hash is not None,
        created_at=user.created_at,
    )


def _api_token(t: TokenRecord) -> ApiToken:
    return ApiToken(t.id, t.name, t.created_at, t.last_used_at, t.revoked)


def utc_now() -> datetime:
    return datetime.now(UTC)


def digest(token: str) -> str:
    """The SHA-256 a session cookie or an API token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- passwords --------------------------------------------------------------------------------


def check_password(password: str, option: str = "password") -> str:
    """The password if it is long enough to keep; else one sentence saying the rule."""
    if not password.strip():
        raise InputError("the password is empty.", option)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"the password is too short: at least {MIN_PASSWORD_LENGTH} characters "
            "(a trailmix default).",
            option,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(f"the password is longer than {MAX_PASSWORD_LENGTH} characters.", option)
    return password


def hash_password(password: str) -> str:
    with HASHING:
        return PASSWORD_HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` is the one hashed (False for a user with no password)."""
    if password_hash is None:
        return False
    try:
        with HASHING:
            return PASSWORD_HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: str | None = None


def _spend_a_verify(password: str) -> None:
    """As long as checking a real password takes, for a login that does not exist (so the time
    of the answer does not tell which logins exist)."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = PASSWORD_HASHER.hash(secrets.token_hex(8))
    verify_password(_DUMMY_HASH, password)


# --- users ------------------------------------------------------------------------------------


def normal_login(login: str) -> str:
    text = login.strip().lower()
    if not LOGIN_PATTERN.fullmatch(text):
        raise InputError(
            f"{login!r} is not a login: 1-100 letters, digits or . _ @ + - (starting with a "
            "letter or digit).",
            "LOGIN",
        )
    return text


def check_new_login(db: Store, login: str) -> str:
    """The login, normalised, if it is free (said before a password is asked for it)."""
    name = normal_login(login)
    if Users(db).by_login(name) is not None:
        raise InputError(f"there is already a user {name!r}.", "LOGIN")
    return name


def add_user(
    db: Store, login: str, password: str, *, display_name: str | None = None, role: str = "runner"
) -> Account:
    """A new user with this password (checked, then hashed)."""
    name = normal_login(login)
    if role not in ROLES:
        raise InputError(f"{role!r} is not a role: runner or coach.", "--role")
    check_password(password)
    display = (display_name or "").strip() or name
    if len(display) > 200:
        raise InputError("the name is longer than 200 characters.", "--name")
    user_id = Users(db).add(name, display, role, hash_password(password))
    user = Users(db).by_id(user_id)
    assert user is not None
    return _account(user)


def _user(db: Store, login: str) -> UserRecord:
    user = Users(db).by_login(login.strip().lower())
    if user is None:
        raise NotFoundError(f"there is no user {login!r} (see trailmix users list).")
    return user


def account_of(db: Store, login: str) -> Account:
    """The user with this login, or a NotFoundError naming it."""
    return _account(_user(db, login))


def list_users(db: Store) -> list[Account]:
    return [_account(u) for u in Users(db).all()]


def live_token_counts(db: Store) -> dict[int, int]:
    return ApiTokens(db).live_counts()


def get_account(db: Store, user_id: int) -> Account:
    user = Users(db).by_id(user_id)
    if user is None:
        raise NotFoundError(f"there is no user with id {user_id}.")
    return _account(user)


def reset_password(db: Store, login: str, password: str) -> Account:
    """A new password for `login`; their web sessions end (API tokens stay: revoke them)."""
    user = _user(db, login)
    check_password(password)
    Users(db).set_password_hash(user.id, hash_password(password))
    WebSessions(db).delete_for_user(user.id)
    return _account(user)


def change_password(db: Store, user_id: int, current: str, new: str) -> None:
    """The signed-in user's own change: the current password first. Their other sessions end."""
    user = Users(db).by_id(user_id)
    if user is None or not verify_password(user.password_hash, current):
        raise InputError("the current password is not right.", "current")
    check_password(new, "new")
    Users(db).set_password_hash(user.id, hash_password(new))
    WebSessions(db).delete_for_user(user.id)


# --- signing in, with throttling ---------------------------------------------------------------


def _minutes_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds() / 60))


def _throttled(db: Store, login: str, address: str, now: datetime) -> str | None:
    """Why a sign-in is refused before its password is looked at, or None."""
    attempts = LoginAttempts(db)
    since = now - THROTTLE_WINDOW
    failures = attempts.failures_of_login(login, since)
    if len(failures) >= FAILURES_PER_LOGIN:
        free = failures[len(failures) - FAILURES_PER_LOGIN] + THROTTLE_WINDOW
        return (
            f"too many failed sign-ins for {login!r} ({FAILURES_PER_LOGIN} in "
            f"{THROTTLE_WINDOW.seconds // 60} minutes, a trailmix default): try again in "
            f"{_minutes_until(free, now)} minutes."
        )
    from_address = attempts.failures_from(address, since)
    if len(from_address) >= FAILURES_PER_ADDRESS:
        free = from_address[len(from_address) - FAILURES_PER_ADDRESS] + THROTTLE_WINDOW
        return (
            f"too many failed sign-ins from your address ({FAILURES_PER_ADDRESS} in "
            f"{THROTTLE_WINDOW.seconds // 60} minutes, a trailmix default): try again in "
            f"{_minutes_until(free, now)} minutes."
        )
    return None


def sign_in(
    db: Store, login: str, password: str, address: str, now: datetime | None = None
) -> Account:
    """The user whose login and password these are, or `SignInError` (401; 429 when
    throttled). Every attempt that is checked is recorded; a hash made with older Argon2
    parameters is remade with the current ones."""
    now = now or utc_now()
    name = login.strip().lower()[:200]
    address = (address or "unknown")[:64]
    refused = _throttled(db, name, address, now)
    if refused:
        raise SignInError(refused, 429)
    user = Users(db).by_login(name) if name else None
    ok = False
    if user is None or not user.active or user.password_hash is None:
        _spend_a_verify(password)
    else:
        ok = verify_password(user.password_hash, password)
    LoginAttempts(db).add(name, address, now, ok)
    if secrets.randbelow(100) == 0:  # now and then, forget what no window needs any more
        LoginAttempts(db).delete_before(now - 4 * THROTTLE_WINDOW)
        WebSessions(db).delete_expired(now)
    if not ok or user is None:
        raise SignInError("the login or the password is not right.")
    assert user.password_hash is not None
    if PASSWORD_HASHER.check_needs_rehash(user.password_hash):
        Users(db).set_password_hash(user.id, hash_password(password))
    return _account(user)


# --- web sessions -----------------------------------------------------------------------------


def open_session(db: Store, user_id: int, now: datetime | None = None) -> NewSession:
    now = now or utc_now()
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_hex(32)  # hex: no "-" or "_" in the page (a form token is text on it)
    expires = now + SESSION_LIFETIME
    WebSessions(db).add(digest(cookie), user_id, csrf, now, expires)
    return NewSession(cookie=cookie, csrf_token=csrf, expires_at=expires)


def session_user(db: Store, cookie: str, now: datetime | None = None) -> SignedIn | None:
    """Who this session cookie signs in, or None (unknown, expired, or user deactivated)."""
    if not cookie or len(cookie) > 200:
        return None
    now = now or utc_now()
    sessions = WebSessions(db)
    found = sessions.get(digest(cookie))
    if found is None:
        return None
    if found.expires_at <= now:
        sessions.delete(found.id)
        return None
    if not found.user.active:
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        sessions.touch(found.id, now)
    u = found.user
    return SignedIn(
        u.id, u.login, u.display_name, u.role, "session", found.csrf_token, session_id=found.id
    )


def close_session(db: Store, cookie: str) -> None:
    """Sign out: the session is deleted on the server (the cookie is worth nothing after)."""
    if cookie:
        WebSessions(db).delete(digest(cookie))


# --- personal API tokens ----------------------------------------------------------------------


def _token_name(name: str) -> str:
    text = name.strip()
    if not text or len(text) > 200:
        raise InputError("a token needs a name of 1-200 characters (what it is for).", "--name")
    return text


def create_token(
    db: Store, login_or_id: str | int, name: str, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new personal API token: its record and the token itself (shown once, never stored)."""
    now = now or utc_now()
    user_id = login_or_id if isinstance(login_or_id, int) else _user(db, login_or_id).id
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = ApiTokens(db).add(user_id, _token_name(name), digest(token), now)
    made = ApiToken(token_id, _token_name(name), now, None, False)
    return made, token


def revoke_token(
    db: Store, login_or_id: str | int, *, name: str | None = None, token_id: int | None = None
) -> int:
    """Revoke a user's token by name (all live ones of that name) or id; refused if none."""
    user_id = login_or_id if isinstance(login_or_id, int) else _user(db, login_or_id).id
    count = ApiTokens(db).revoke(user_id, name=name, token_id=token_id)
    if count == 0:
        what = f"named {name!r}" if name is not None else f"with id {token_id}"
        raise NotFoundError(f"this user has no live token {what}.")
    return count


def tokens_of(db: Store, user_id: int) -> list[ApiToken]:
    return [_api_token(t) for t in ApiTokens(db).of_user(user_id)]


def token_user(db: Store, token: str, now: datetime | None = None) -> SignedIn | None:
    """Who this API token signs in, or None (unknown, revoked, or user deactivated)."""
    if not token or len(token) > 200:
        return None
    now = now or utc_now()
    tokens = ApiTokens(db)
    found = tokens.find(digest(token))
    if found is None:
        return None
    record, user = found
    if record.revoked or not user.active:
        return None
    if record.last_used_at is None or now - record.last_used_at >= TOUCH_EVERY:
        tokens.touch(record.id, now)
    return SignedIn(user.id, user.login, user.display_name, user.role, "token")
