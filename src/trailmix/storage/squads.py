"""Coach mode's repositories (issue 19): who coaches whom (coach_links), the notes left on a
runner's sessions, the record of changes made to a runner's plan, and the trails a coach shares
with the squad. Rows are addressed by explicit user ids (a coach acts on a runner's rows), so
these take the database and the ids, whichever user's view `db` is."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select, update

from trailmix.domain.trail.model import Trail
from trailmix.domain.types import Plan
from trailmix.errors import InputError, NotFoundError
from trailmix.storage.db import Database
from trailmix.storage.models import (
    CoachLinkRow,
    PlanChangeRow,
    PlanRow,
    SessionNoteRow,
    SquadTrailRow,
    TrailRow,
    UserRow,
)

INVITED, ACTIVE, DECLINED = "invited", "active", "declined"
MAX_NOTE_CHARS = 2000
"""trailmix default: a note on a session is a few sentences, not a document."""


@dataclass(frozen=True)
class UserRecord:
    id: int
    login: str
    display_name: str
    role: str
    active: bool


@dataclass(frozen=True)
class LinkRecord:
    coach: UserRecord
    runner: UserRecord
    status: str
    invited_by: int
    created_at: datetime
    accepted_at: datetime | None


@dataclass(frozen=True)
class NoteRecord:
    id: int
    user_id: int
    day: date
    slot: int
    author: UserRecord
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ChangeRecord:
    id: int
    user_id: int
    author: UserRecord
    at: datetime
    what: str
    why: str


def _user(row: UserRow) -> UserRecord:
    return UserRecord(row.id, row.login, row.display_name, row.role, row.active)


class Users:
    """Reading the users table (the auth side writes it)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def by_login(self, login: str) -> UserRecord | None:
        with self.db.transaction() as s:
            row = s.scalar(
                select(UserRow).where(func.lower(UserRow.login) == login.strip().lower())
            )
            return _user(row) if row is not None and row.active else None

    def get(self, user_id: int) -> UserRecord | None:
        with self.db.transaction() as s:
            row = s.get(UserRow, user_id)
            return _user(row) if row is not None else None


def _now() -> datetime:
    return datetime.now(UTC)


class CoachLinks:
    """Coach and runner pairs: invited by one, accepted (active) or declined by the other."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _record(self, row: CoachLinkRow, users: dict[int, UserRecord]) -> LinkRecord:
        return LinkRecord(
            users[row.coach_id],
            users[row.runner_id],
            row.status,
            row.invited_by,
            row.created_at,
            row.accepted_at,
        )

    def _records(self, rows: list[CoachLinkRow]) -> list[LinkRecord]:
        ids = {r.coach_id for r in rows} | {r.runner_id for r in rows}
        if not ids:
            return []
        with self.db.transaction() as s:
            users = {u.id: _user(u) for u in s.scalars(select(UserRow).where(UserRow.id.in_(ids)))}
        return [self._record(r, users) for r in rows]

    def invite(self, coach_id: int, runner_id: int, invited_by: int) -> LinkRecord:
        """A new invitation, or a declined one made again; an invitation or a link that is
        already there is refused."""
        with self.db.transaction() as s:
            row = s.scalar(
                select(CoachLinkRow).where(
                    CoachLinkRow.coach_id == coach_id, CoachLinkRow.runner_id == runner_id
                )
            )
            if row is not None and row.status != DECLINED:
                raise InputError(
                    "this coach and runner are already linked"
                    + (" (the invitation waits for an answer)." if row.status == INVITED else "."),
                    "LOGIN",
                )
            if row is None:
                row = CoachLinkRow(coach_id=coach_id, runner_id=runner_id)
                s.add(row)
            row.status = INVITED
            row.invited_by = invited_by
            row.created_at = _now()
            row.accepted_at = None
            s.flush()
            kept = row
        return self._records([kept])[0]

    def answer(self, coach_id: int, runner_id: int, by: int, accept: bool) -> LinkRecord:
        """Accept or decline an invitation: only the one who was invited may answer it."""
        with self.db.transaction() as s:
            row = s.scalar(
                select(CoachLinkRow).where(
                    CoachLinkRow.coach_id == coach_id,
                    CoachLinkRow.runner_id == runner_id,
                    CoachLinkRow.status == INVITED,
                    CoachLinkRow.invited_by != by,
                )
            )
            if row is None:
                raise NotFoundError("there is no invitation waiting for your answer from them.")
            row.status = ACTIVE if accept else DECLINED
            row.accepted_at = _now() if accept else None
            s.flush()
            kept = row
        return self._records([kept])[0]

    def end(self, coach_id: int, runner_id: int) -> None:
        """Either side ends a link (or withdraws an invitation)."""
        with self.db.transaction() as s:
            gone = s.execute(
                delete(CoachLinkRow).where(
                    CoachLinkRow.coach_id == coach_id, CoachLinkRow.runner_id == runner_id
                )
            )
            if not gone.rowcount:  # type: ignore[attr-defined]
                raise NotFoundError("there is no such coach and runner link.")

    def of_coach(self, coach_id: int, status: str | None = None) -> list[LinkRecord]:
        q = select(CoachLinkRow).where(CoachLinkRow.coach_id == coach_id)
        if status:
            q = q.where(CoachLinkRow.status == status)
        with self.db.transaction() as s:
            rows = list(s.scalars(q.order_by(CoachLinkRow.id)))
        return self._records(rows)

    def of_runner(self, runner_id: int, status: str | None = None) -> list[LinkRecord]:
        q = select(CoachLinkRow).where(CoachLinkRow.runner_id == runner_id)
        if status:
            q = q.where(CoachLinkRow.status == status)
        with self.db.transaction() as s:
            rows = list(s.scalars(q.order_by(CoachLinkRow.id)))
        return self._records(rows)

    def is_active(self, coach_id: int, runner_id: int) -> bool:
        with self.db.transaction() as s:
            found = s.scalar(
                select(CoachLinkRow.id).where(
                    CoachLinkRow.coach_id == coach_id,
                    CoachLinkRow.runner_id == runner_id,
                    CoachLinkRow.status == ACTIVE,
                )
            )
            return found is not None


class SessionNotes:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, user_id: int, day: date, slot: int, author_id: int, text: str) -> NoteRecord:
        with self.db.transaction() as s:
            row = SessionNoteRow(
                user_id=user_id, day=day, slot=slot, author_id=author_id, text=text
            )
            s.add(row)
            s.flush()
            author = s.get(UserRow, author_id)
            assert author is not None
            return NoteRecord(row.id, user_id, day, slot, _user(author), row.text, row.created_at)

    def of_runner(
        self, user_id: int, first: date | None = None, last: date | None = None
    ) -> list[NoteRecord]:
        """The runner's notes, by day and slot, oldest first."""
        q = (
            select(SessionNoteRow, UserRow)
            .join(UserRow, UserRow.id == SessionNoteRow.author_id)
            .where(SessionNoteRow.user_id == user_id)
        )
        if first is not None:
            q = q.where(SessionNoteRow.day >= first)
        if last is not None:
            q = q.where(SessionNoteRow.day <= last)
        q = q.order_by(SessionNoteRow.day, SessionNoteRow.slot, SessionNoteRow.id)
        with self.db.transaction() as s:
            return [
                NoteRecord(n.id, n.user_id, n.day, n.slot, _user(u), n.text, n.created_at)
                for n, u in s.execute(q).all()
            ]


class PlanChanges:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, user_id: int, author_id: int, what: str, why: str) -> ChangeRecord:
        with self.db.transaction() as s:
            row = PlanChangeRow(user_id=user_id, author_id=author_id, what=what, why=why)
            s.add(row)
            s.flush()
            author = s.get(UserRow, author_id)
            assert author is not None
            return ChangeRecord(row.id, user_id, _user(author), row.at, row.what, row.why)

    def of_runner(self, user_id: int, limit: int = 100) -> list[ChangeRecord]:
        """The latest changes first."""
        q = (
            select(PlanChangeRow, UserRow)
            .join(UserRow, UserRow.id == PlanChangeRow.author_id)
            .where(PlanChangeRow.user_id == user_id)
            .order_by(PlanChangeRow.id.desc())
            .limit(limit)
        )
        with self.db.transaction() as s:
            return [
                ChangeRecord(c.id, c.user_id, _user(u), c.at, c.what, c.why)
                for c, u in s.execute(q).all()
            ]


def save_changed_plan(
    db: Database, runner_id: int, plan: Plan, author_id: int, what: str, why: str
) -> ChangeRecord:
    """The changed plan stored as the runner's current plan and the change recorded: both or
    neither (a failed record takes the new plan row back and makes the previous one current)."""
    from trailmix.storage.repo import Plans

    with db.transaction() as s:
        previous = s.scalar(
            select(PlanRow.id).where(PlanRow.user_id == runner_id, PlanRow.current.is_(True))
        )
    new_id = Plans(db.for_user(runner_id)).save(plan)
    try:
        return PlanChanges(db).add(runner_id, author_id, what, why)
    except BaseException:
        with db.transaction() as s:
            s.execute(delete(PlanRow).where(PlanRow.id == new_id))
            if previous is not None:
                s.execute(update(PlanRow).where(PlanRow.id == previous).values(current=True))
        raise


class SquadTrails:
    """The trails a coach shares with the squad (the coach's own trails)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def share(self, coach_id: int, trail_id: int) -> None:
        """Share one of the coach's trails: `db` must be the coach's view, so a trail that is
        not the coach's is not found (Trails(db) reads only the coach's rows)."""
        from trailmix.storage.repo import Trails

        Trails(self.db.for_user(coach_id)).get(str(trail_id))  # NotFoundError when not theirs
        with self.db.transaction() as s:
            found = s.get(SquadTrailRow, (coach_id, trail_id))
            if found is None:
                s.add(SquadTrailRow(coach_id=coach_id, trail_id=trail_id))

    def unshare(self, coach_id: int, trail_id: int) -> None:
        with self.db.transaction() as s:
            s.execute(
                delete(SquadTrailRow).where(
                    SquadTrailRow.coach_id == coach_id, SquadTrailRow.trail_id == trail_id
                )
            )

    def of_coach(self, coach_id: int) -> list[int]:
        with self.db.transaction() as s:
            return list(
                s.scalars(
                    select(SquadTrailRow.trail_id)
                    .where(SquadTrailRow.coach_id == coach_id)
                    .order_by(SquadTrailRow.trail_id)
                )
            )

    def shared_with(self, runner_id: int) -> dict[int, list[int]]:
        """The trail ids each of the runner's active coaches shares, by coach id."""
        q = (
            select(SquadTrailRow.coach_id, SquadTrailRow.trail_id)
            .join(CoachLinkRow, CoachLinkRow.coach_id == SquadTrailRow.coach_id)
            .join(TrailRow, TrailRow.id == SquadTrailRow.trail_id)
            .where(CoachLinkRow.runner_id == runner_id, CoachLinkRow.status == ACTIVE)
            .order_by(SquadTrailRow.coach_id, SquadTrailRow.trail_id)
        )
        out: dict[int, list[int]] = {}
        with self.db.transaction() as s:
            for coach_id, trail_id in s.execute(q).all():
                out.setdefault(coach_id, []).append(trail_id)
        return out


def runner_library(db: Database, runner_id: int) -> tuple[Trail, ...]:
    """The trails a runner's plan may use: their own, then those their active coaches share.
    A shared trail counts as not hiked: R9 asks the runner to hike a technical trail once
    themselves, whoever hiked it before."""
    from trailmix.storage.repo import Trails

    own = Trails(db.for_user(runner_id)).all()
    seen = {t.id for t in own}
    shared: list[Trail] = []
    for coach_id, ids in SquadTrails(db).shared_with(runner_id).items():
        wanted = set(ids)
        for t in Trails(db.for_user(coach_id)).all():
            if t.id in wanted and t.id not in seen:
                seen.add(t.id)
                shared.append(replace(t, hiked=False))
    return (*own, *shared)
