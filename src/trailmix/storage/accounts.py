"""Repositories of accounts: users, web sessions, API tokens and sign-in attempts (issue 19).

They store what the application layer (app/accounts.py) decides: hashes, never passwords or
tokens. Every read is of the whole database (accounts are not scoped by a user's view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update

from trailmix.errors import InputError
from trailmix.storage.db import Database, DuplicateError
from trailmix.storage.models import (
    ApiTokenRow,
    LoginAttemptRow,
    UserRow,
    WebSessionRow,
)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored in UTC): make them UTC-aware."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class UserRecord:
    id: int
    login: str
    display_name: str
    role: str
    active: bool
    password_hash: str | None
    created_at: datetime


def _user(row: UserRow) -> UserRecord:
    return UserRecord(
        id=row.id,
        login=row.login,
        display_name=row.display_name,
        role=row.role,
        active=row.active,
        password_hash=row.password_hash,
        created_at=_aware(row.created_at),
    )


@dataclass(frozen=True)
class SessionRecord:
    id: str
    user: UserRecord
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class TokenRecord:
    id: int
    user_id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def _token(row: ApiTokenRow) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        created_at=_aware(row.created_at),
        last_used_at=_aware(row.last_used_at) if row.last_used_at else None,
        revoked=row.revoked,
    )


class Users:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, login: str, display_name: str, role: str, password_hash: str | None) -> int:
        try:
            with self.db.transaction() as s:
                if s.scalar(select(UserRow.id).where(UserRow.login == login)) is not None:
                    raise InputError(f"there is already a user {login!r}.", "LOGIN")
                row = UserRow(
                    login=login, display_name=display_name, role=role, password_hash=password_hash
                )
                s.add(row)
                s.flush()
                return row.id
        except DuplicateError as exc:  # added by someone else meanwhile
            raise InputError(f"there is already a user {login!r}.", "LOGIN") from exc

    def by_login(self, login: str) -> UserRecord | None:
        with self.db.transaction() as s:
            row = s.scalar(select(UserRow).where(UserRow.login == login))
            return _user(row) if row is not None else None

    def by_id(self, user_id: int) -> UserRecord | None:
        with self.db.transaction() as s:
            row = s.get(UserRow, user_id)
            return _user(row) if row is not None else None

    def all(self) -> list[UserRecord]:
        with self.db.transaction() as s:
            return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.id))]

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        with self.db.transaction() as s:
            s.execute(
                update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
            )


class WebSessions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self, session_id: str, user_id: int, csrf_token: str, now: datetime, expires: datetime
    ) -> None:
        with self.db.transaction() as s:
            s.add(
                WebSessionRow(
                    id=session_id,
                    user_id=user_id,
                    csrf_token=csrf_token,
                    created_at=now,
                    expires_at=expires,
                    last_seen_at=now,
                )
            )

    def get(self, session_id: str) -> SessionRecord | None:
        with self.db.transaction() as s:
            found = s.execute(
                select(WebSessionRow, UserRow)
                .join(UserRow, UserRow.id == WebSessionRow.user_id)
                .where(WebSessionRow.id == session_id)
            ).first()
            if found is None:
                return None
            row, user = found
            return SessionRecord(
                id=row.id,
                user=_user(user),
                csrf_token=row.csrf_token,
                created_at=_aware(row.created_at),
                expires_at=_aware(row.expires_at),
                last_seen_at=_aware(row.last_seen_at),
            )

    def touch(self, session_id: str, now: datetime) -> None:
        with self.db.transaction() as s:
            s.execute(
                update(WebSessionRow).where(WebSessionRow.id == session_id).values(last_seen_at=now)
            )

    def delete(self, session_id: str) -> None:
        with self.db.transaction() as s:
            s.execute(delete(WebSessionRow).where(WebSessionRow.id == session_id))

    def delete_for_user(self, user_id: int) -> int:
        with self.db.transaction() as s:
            result = s.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))
            return int(getattr(result, "rowcount", 0) or 0)

    def delete_expired(self, now: datetime) -> None:
        with self.db.transaction() as s:
            s.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))


class ApiTokens:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, user_id: int, name: str, token_hash: str, now: datetime) -> int:
        with self.db.transaction() as s:
            taken = s.scalar(
                select(ApiTokenRow.id).where(
                    ApiTokenRow.user_id == user_id,
                    ApiTokenRow.name == name,
                    ApiTokenRow.revoked.is_(False),
                )
            )
            if taken is not None:
                raise InputError(
                    f"this user already has a token named {name!r}; revoke it or choose "
                    "another name.",
                    "--name",
                )
            row = ApiTokenRow(user_id=user_id, name=name, token_hash=token_hash, created_at=now)
            s.add(row)
            s.flush()
            return row.id

    def find(self, token_hash: str) -> tuple[TokenRecord, UserRecord] | None:
        """The token with this hash and its user, revoked or not."""
        with self.db.transaction() as s:
            found = s.execute(
                select(ApiTokenRow, UserRow)
                .join(UserRow, UserRow.id == ApiTokenRow.user_id)
                .where(ApiTokenRow.token_hash == token_hash)
            ).first()
            if found is None:
                return None
            return _token(found[0]), _user(found[1])

    def touch(self, token_id: int, now: datetime) -> None:
        with self.db.transaction() as s:
            s.execute(
                update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=now)
            )

    def of_user(self, user_id: int) -> list[TokenRecord]:
        with self.db.transaction() as s:
            rows = s.scalars(
                select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
            )
            return [_token(r) for r in rows]

    def revoke(self, user_id: int, *, name: str | None = None, token_id: int | None = None) -> int:
        """Revoke the user's live tokens of this name (or this id); how many were revoked."""
        query = update(ApiTokenRow).where(
            ApiTokenRow.user_id == user_id, ApiTokenRow.revoked.is_(False)
        )
        if name is not None:
            query = query.where(ApiTokenRow.name == name)
        if token_id is not None:
            query = query.where(ApiTokenRow.id == token_id)
        with self.db.transaction() as s:
            result = s.execute(query.values(revoked=True))
            return int(getattr(result, "rowcount", 0) or 0)

    def live_counts(self) -> dict[int, int]:
        """user id -> how many unrevoked tokens they have."""
        with self.db.transaction() as s:
            rows = s.execute(
                select(ApiTokenRow.user_id, func.count())
                .where(ApiTokenRow.revoked.is_(False))
                .group_by(ApiTokenRow.user_id)
            )
            return {int(u): int(n) for u, n in rows}


class LoginAttempts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, login: str, address: str, at: datetime, succeeded: bool) -> None:
        with self.db.transaction() as s:
            s.add(LoginAttemptRow(login=login, address=address, at=at, succeeded=succeeded))

    def failures_of_login(self, login: str, since: datetime) -> list[datetime]:
        """When this login failed since `since` and since its last success, oldest first."""
        with self.db.transaction() as s:
            last_ok = s.scalar(
                select(func.max(LoginAttemptRow.at)).where(
                    LoginAttemptRow.login == login,
                    LoginAttemptRow.succeeded.is_(True),
                    LoginAttemptRow.at >= since,
                )
            )
            start = max(since, _aware(last_ok)) if last_ok is not None else since
            times = s.scalars(
                select(LoginAttemptRow.at)
                .where(
                    LoginAttemptRow.login == login,
                    LoginAttemptRow.succeeded.is_(False),
                    LoginAttemptRow.at >= start,
                )
                .order_by(LoginAttemptRow.at)
            )
            return [_aware(t) for t in times]

    def failures_from(self, address: str, since: datetime) -> list[datetime]:
        """When sign-ins from this address failed since `since`, oldest first."""
        with self.db.transaction() as s:
            times = s.scalars(
                select(LoginAttemptRow.at)
                .where(
                    LoginAttemptRow.address == address,
                    LoginAttemptRow.succeeded.is_(False),
                    LoginAttemptRow.at >= since,
                )
                .order_by(LoginAttemptRow.at)
            )
            return [_aware(t) for t in times]

    def delete_before(self, before: datetime) -> None:
        with self.db.transaction() as s:
            s.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))
