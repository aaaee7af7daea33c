"""Coach mode's use cases (issue 19): invitations between a coach and a runner, the squad
overview, a runner's plan changed by their coach (every change keeping R1-R12, recorded with who
and why), notes on sessions, and trails shared with the squad.

A coach acts only on runners with an ACTIVE link: any other runner id is a NotFoundError (404
on the web), never their data. The runner's own numbers are computed by the runner's own use
cases (app/log.py, app/plans.py) on `db.for_user(runner_id)`, so the squad table shows what the
runner's `log week` and `log stats` show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from trailmix.domain.log.squad import RunnerWeek, runner_week
from trailmix.domain.plan.edits import REPLACE_KINDS as REPLACE_KINDS
from trailmix.domain.types import Kind, Plan, Surface
from trailmix.errors import InputError, NotFoundError
from trailmix.storage.models import LOCAL_USER_ID as LOCAL_USER_ID
from trailmix.storage.squads import (
    ACTIVE,
    INVITED,
    ChangeRecord,
    CoachLinks,
    LinkRecord,
    NoteRecord,
    PlanChanges,
    SessionNotes,
    SquadTrails,
    UserRecord,
    Users,
    runner_library,
    save_changed_plan,
)
from trailmix.storage.squads import (
    MAX_NOTE_CHARS as MAX_NOTE_CHARS,
)

if TYPE_CHECKING:
    from trailmix.app.inputs import ProfileFlags
    from trailmix.app.log import Stats, WeekReport
    from trailmix.domain.trail.model import Trail
    from trailmix.storage.db import Database
    from trailmix.storage.repo import ActivityRecord

COACH, RUNNER = "coach", "runner"
STATS_WEEKS = 6
"""trailmix default: the squad table's load numbers come from the runner's last 6 weeks of
`log stats` (the current week's load and monotony, the latest acute:chronic point)."""
MAX_WHY_CHARS = 500
"""trailmix default: the reason for a change is a sentence or two."""


# --- who is who ------------------------------------------------------------------------------


def user(db: Database, user_id: int) -> UserRecord:
    found = Users(db).get(user_id)
    if found is None:
        raise NotFoundError(f"there is no user {user_id}.")
    return found


def _by_login(db: Database, login: str) -> UserRecord:
    found = Users(db).by_login(login) if login.strip() else None
    if found is None:
        raise NotFoundError(f"there is no user with the login {login.strip()!r}.")
    return found


def user_by_login(db: Database, login: str) -> UserRecord:
    """The user signing in as `login` (the CLI's --as)."""
    return _by_login(db, login)


def squad_runner(db: Database, coach_id: int, runner_id: int) -> UserRecord:
    """The runner, when `coach_id` coaches them (an active link); else NotFoundError, the same
    answer as for a runner that does not exist, so no id tells anything."""
    if runner_id == coach_id or not CoachLinks(db).is_active(coach_id, runner_id):
        raise NotFoundError(f"there is no runner {runner_id} in your squad.")
    return user(db, runner_id)


def _why(why: str) -> str:
    text = " ".join(why.split())
    if not text:
        raise InputError("say why: the runner sees it on the changed sessions.", "why")
    if len(text) > MAX_WHY_CHARS:
        raise InputError(f"keep it under {MAX_WHY_CHARS} characters.", "why")
    return text


# --- invitations -----------------------------------------------------------------------------


def invite(db: Database, actor_id: int, login: str) -> LinkRecord:
    """A coach invites a runner by login, or a runner invites a coach (whose role is coach)."""
    me = user(db, actor_id)
    other = _by_login(db, login)
    if other.id == me.id:
        raise InputError("you cannot coach yourself; give another login.", "LOGIN")
    if me.role == COACH and other.role != COACH:
        return CoachLinks(db).invite(me.id, other.id, me.id)
    if other.role == COACH:
        return CoachLinks(db).invite(other.id, me.id, me.id)
    raise InputError(
        f"{other.login!r} is not a coach; a runner invites a coach, a coach invites runners.",
        "LOGIN",
    )


def waiting(db: Database, actor_id: int) -> list[LinkRecord]:
    """The invitations waiting for this user's answer."""
    links = CoachLinks(db)
    return [
        link
        for link in (*links.of_coach(actor_id, INVITED), *links.of_runner(actor_id, INVITED))
        if link.invited_by != actor_id
    ]


def answer(db: Database, actor_id: int, login: str | None, accept: bool) -> LinkRecord:
    """Accept (or decline) the invitation from `login`; without a login, the only one."""
    pending = waiting(db, actor_id)
    if login:
        other = _by_login(db, login)
        pending = [p for p in pending if other.id in (p.coach.id, p.runner.id)]
    if not pending:
        raise NotFoundError(
            "no invitation waits for your answer" + (f" from {login!r}." if login else ".")
        )
    if len(pending) > 1:
        names = ", ".join(
            sorted((p.coach if p.runner.id == actor_id else p.runner).login for p in pending)
        )
        raise InputError(f"several invitations wait ({names}); name one.", "LOGIN")
    p = pending[0]
    return CoachLinks(db).answer(p.coach.id, p.runner.id, actor_id, accept)


def links(db: Database, actor_id: int) -> list[LinkRecord]:
    """Every link of this user, as coach and as runner."""
    c = CoachLinks(db)
    return [*c.of_coach(actor_id), *c.of_runner(actor_id)]


# --- the squad -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SquadRow:
    runner: UserRecord
    plan: Plan | None
    week: RunnerWeek


@dataclass(frozen=True)
class RunnerNumbers:
    """What the squad table shows of one runner, from the runner's own use cases."""

    plan: Plan | None
    week: WeekReport | None
    stats: Stats
    row: RunnerWeek


def numbers(db: Database, runner_id: int, today: date) -> RunnerNumbers:
    """The runner's `log week` (this week, when a plan holds today) and `log stats`."""
    from trailmix.app import log as tlog
    from trailmix.app import plans
    from trailmix.domain.log.adherence import trail_weeks

    rdb = db.for_user(runner_id)
    plan = plans.current_or_none(rdb)
    report = None
    if plan is not None and plan.start <= today <= plan.race.date:
        report = tlog.week(rdb, today, today)
    stats = tlog.stats(rdb, STATS_WEEKS, today)
    if report is not None:
        tw = report.adherence.trail_weeks
    else:
        tw = trail_weeks(plan, tlog.logged_runs(tlog.runs(rdb, today, weeks=52)), today)
    row = runner_week(
        report.adherence if report else None,
        report.index if report else None,
        tw,
        stats.weeks,
        stats.acwr,
        today,
    )
    return RunnerNumbers(plan, report, stats, row)


def squad(db: Database, coach_id: int, today: date) -> list[SquadRow]:
    """One row per active runner of the coach, by name."""
    rows = []
    for link in CoachLinks(db).of_coach(coach_id, ACTIVE):
        n = numbers(db, link.runner.id, today)
        rows.append(SquadRow(link.runner, n.plan, n.row))
    return sorted(rows, key=lambda r: (r.runner.display_name.lower(), r.runner.id))


@dataclass(frozen=True)
class RunnerView:
    """A runner's page for their coach: what the runner sees, the notes and the changes."""

    runner: UserRecord
    numbers: RunnerNumbers
    notes: list[NoteRecord]
    changes: list[ChangeRecord]
    library: tuple[Trail, ...]
    runs: list[ActivityRecord]
    """The runner's latest runs (their `log list`), newest first."""


RUNS_SHOWN = 10
"""trailmix default: a coach's page of a runner lists their latest 10 runs."""


def runner_view(db: Database, coach_id: int, runner_id: int, today: date) -> RunnerView:
    from trailmix.app import log as tlog

    runner = squad_runner(db, coach_id, runner_id)
    page = tlog.runs_page(db.for_user(runner_id), today, limit=RUNS_SHOWN)
    return RunnerView(
        runner,
        numbers(db, runner_id, today),
        SessionNotes(db).of_runner(runner_id),
        PlanChanges(db).of_runner(runner_id),
        runner_library(db, runner_id),
        list(reversed(page.runs)),
    )


def runner_plan(db: Database, coach_id: int, runner_id: int) -> Plan:
    from trailmix.app import plans

    squad_runner(db, coach_id, runner_id)
    return plans.current(db.for_user(runner_id))


# --- changing a runner's plan ----------------------------------------------------------------


def _record(
    db: Database, coach: UserRecord, runner_id: int, plan: Plan, what: str, why: str
) -> Plan:
    """Store the changed plan as the runner's current one and the change with who and why:
    both or neither."""
    save_changed_plan(db, runner_id, plan, coach.id, what, why)
    return plan


def _coach_and_plan(db: Database, coach_id: int, runner_id: int) -> tuple[UserRecord, Plan]:
    from trailmix.app import plans

    squad_runner(db, coach_id, runner_id)
    return user(db, coach_id), plans.current(db.for_user(runner_id))


def move_session(
    db: Database,
    coach_id: int,
    runner_id: int,
    day: date,
    to: date,
    why: str,
    slot: int = 0,
) -> Plan:
    """Move the runner's session of `day` to `to`; refused (naming the rule) when it would
    break one."""
    from trailmix.domain.plan.edits import coach_reason, move

    why = _why(why)
    coach, plan = _coach_and_plan(db, coach_id, runner_id)
    changed = move(plan, day, slot, to, coach_reason(coach.display_name, why))
    moved = changed.sessions_on(to)[0]
    what = f"moved {moved.title} from {day.isoformat()} to {to.isoformat()}"
    return _record(db, coach, runner_id, changed, what, why)


def replace_session(
    db: Database,
    coach_id: int,
    runner_id: int,
    day: date,
    kind: str,
    surface: str,
    why: str,
    slot: int = 0,
    minutes: float | None = None,
) -> Plan:
    """Replace the runner's session of `day` by an easy, recovery or long run on the road or
    a trail, or by rest; refused (naming the rule) when it would break one."""
    from trailmix.domain.plan.edits import coach_reason, replace_session, session_at

    why = _why(why)
    k = _kind(kind)
    s = _surface(surface)
    coach, plan = _coach_and_plan(db, coach_id, runner_id)
    old = session_at(plan, day, slot)
    changed = replace_session(plan, day, slot, k, s, coach_reason(coach.display_name, why), minutes)
    new = "rest" if k is Kind.REST else f"{k.value.replace('_', ' ')} on {s.value}"
    what = f"replaced {old.title} on {day.isoformat()} with {new}"
    return _record(db, coach, runner_id, changed, what, why)


def _kind(text: str) -> Kind:
    try:
        return Kind(text.strip().lower())
    except ValueError:
        names = ", ".join(k.value for k in REPLACE_KINDS)
        raise InputError(f"{text!r} is not accepted; give one of {names}.", "kind") from None


def _surface(text: str) -> Surface:
    try:
        return Surface(text.strip().lower())
    except ValueError:
        raise InputError(f"{text!r} is not accepted; give road or trail.", "surface") from None


def change_profile(
    db: Database,
    coach_id: int,
    runner_id: int,
    flags: ProfileFlags,
    why: str,
    today: date,
    trail_ids: Sequence[int] | None = None,
) -> Plan:
    """Change the runner's trail preference, cap, run days (and the trails their plan may
    use: their own and the squad's) and make the plan again with the engine: before the plan
    starts, from its first day; once started, from today (the days before kept, the volume
    going on from this week's: `edits.remade_from`). The engine keeps R1-R12, and what it would
    give up for the new answers (a cap too low for the weekly trail run, R2) is refused as a
    hand-made change is; each new session says the coach changed it and why."""
    from trailmix.domain.plan.edits import checked, coach_reason, remade_from

    why = _why(why)
    coach, plan = _coach_and_plan(db, coach_id, runner_id)
    athlete = flags.apply(plan.athlete)
    library = runner_library(db, runner_id)
    if trail_ids is not None:
        known = {t.id: t for t in library}
        missing = [i for i in trail_ids if i not in known]
        if missing:
            raise NotFoundError(
                f"no trail {', '.join(map(str, missing))} in the runner's library (their own "
                "and the squad's)."
            )
        library = tuple(known[i] for i in trail_ids)
    fresh = remade_from(plan, athlete, today, library)
    since = max(plan.start, today)
    checked(plan, fresh)  # e.g. a cap too low for a weekly trail run (R2) is refused
    note = coach_reason(coach.display_name, why)
    fresh = replace(
        fresh,
        weeks=tuple(
            replace(
                w,
                sessions=tuple(s.with_reason(note) if s.date >= since else s for s in w.sessions),
            )
            for w in fresh.weeks
        ),
    )
    what = "; ".join(_profile_words(plan, fresh, trail_ids)) or "made the plan again"
    return _record(db, coach, runner_id, fresh, f"{what} (sessions from {since.isoformat()})", why)


def _profile_words(before: Plan, after: Plan, trail_ids: Sequence[int] | None) -> list[str]:
    a, b = before.athlete, after.athlete
    out = []
    if a.trail_preference is not b.trail_preference:
        out.append(f"trail preference {a.trail_preference.value} -> {b.trail_preference.value}")
    if a.trail_cap != b.trail_cap:
        out.append(f"trail cap {_cap(a.trail_cap)} -> {_cap(b.trail_cap)}")
    if (a.days_per_week, a.run_days, a.long_run_day) != (
        b.days_per_week,
        b.run_days,
        b.long_run_day,
    ):
        days = ",".join(d.label for d in b.run_days) if b.run_days else f"{b.days_per_week} days"
        out.append(f"run days {days}, long run {b.long_run_day.label}")
    if trail_ids is not None:
        out.append(f"trails {', '.join(map(str, trail_ids)) or 'none'}")
    return out


def _cap(cap: float | None) -> str:
    return "one third" if cap is None else f"{cap:.0%}"


# --- notes -----------------------------------------------------------------------------------


def add_note(
    db: Database, coach_id: int, runner_id: int, day: date, text: str, slot: int = 0
) -> NoteRecord:
    """A note on the runner's session of `day` (a planned session), shown on their page."""
    from trailmix.app import plans
    from trailmix.domain.plan.edits import session_at

    squad_runner(db, coach_id, runner_id)
    body = text.strip()
    if not body:
        raise InputError("the note is empty.", "text")
    if len(body) > MAX_NOTE_CHARS:
        raise InputError(f"keep a note under {MAX_NOTE_CHARS} characters.", "text")
    session_at(plans.current(db.for_user(runner_id)), day, slot)
    return SessionNotes(db).add(runner_id, day, slot, coach_id, body)


def notes_on(db: Database, day: date) -> list[NoteRecord]:
    """The notes on the signed-in runner's sessions of `day` (their session page)."""
    return SessionNotes(db).of_runner(db.user_id, day, day)


def runner_notes(db: Database, coach_id: int, runner_id: int) -> list[NoteRecord]:
    squad_runner(db, coach_id, runner_id)
    return SessionNotes(db).of_runner(runner_id)


def changes(db: Database, coach_id: int, runner_id: int) -> list[ChangeRecord]:
    squad_runner(db, coach_id, runner_id)
    return PlanChanges(db).of_runner(runner_id)


def my_changes(db: Database) -> list[ChangeRecord]:
    """The changes made to the signed-in runner's plan."""
    return PlanChanges(db).of_runner(db.user_id)


def my_notes(db: Database) -> list[NoteRecord]:
    """The notes on the signed-in runner's sessions."""
    return SessionNotes(db).of_runner(db.user_id)


# --- shared trails ---------------------------------------------------------------------------


def share_trail(db: Database, coach_id: int, trail_id: int, shared: bool = True) -> list[int]:
    """Share one of the coach's own trails with the squad (or stop sharing it); the ids shared."""
    trails = SquadTrails(db)
    if shared:
        trails.share(coach_id, trail_id)
    else:
        trails.unshare(coach_id, trail_id)
    return trails.of_coach(coach_id)


def shared_trails(db: Database, coach_id: int) -> list[int]:
    """The ids of the coach's trails shared with the squad."""
    return SquadTrails(db).of_coach(coach_id)


def library(db: Database, runner_id: int) -> tuple[Trail, ...]:
    """The trails the runner's plan may use: their own and their coaches' shared ones."""
    return runner_library(db, runner_id)
