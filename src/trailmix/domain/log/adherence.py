"""The plan against what was run: each planned session done, partial, moved or missed; the
week's road and trail minutes against its target and cap (R1); weeks of trail running against
the 6-8 week window (R4); the weekly trail recovery run kept or missed (R2). Pure, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from trailmix.domain import rules
from trailmix.domain.rules import ADAPT_FULL_WEEKS, ADAPT_MIN_WEEKS
from trailmix.domain.types import Kind, Plan, Reason, Session, Surface, Week

DONE_SHARE = 0.8
"""trailmix default: a session run for at least 80 % of its planned minutes is done; less is
partial (a run cut short by a fifth or more is not the planned dose)."""

MOVE_DAYS = 1
"""How far the missed-session message looks: "no run logged within 1 day of ..." is said of a
session of a week still running; a finished week's session is looked for in the whole week."""


class Status(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    MOVED = "moved"
    MISSED = "missed"
    PLANNED = "planned"
    REST_KEPT = "rest kept"
    REST_RUN = "ran on a rest day"


@dataclass(frozen=True)
class LoggedRun:
    """What the log knows about one activity, as the matcher needs it."""

    id: int | str
    day: date
    minutes: float
    surface: Surface
    running: bool = True
    """False for a hike or a walk: it matches a hike session only, and is no running volume."""
    rpe: float | None = None


@dataclass(frozen=True)
class SessionMatch:
    """One planned session and the run matched to it (None when missed or still planned)."""

    session: Session
    status: Status
    run: LoggedRun | None
    duration_share: float | None
    reason: Reason


@dataclass(frozen=True)
class WeekAdherence:
    """One plan week, planned against logged minutes, with the R1 and R2 judgements."""

    week: Week
    matches: tuple[SessionMatch, ...]
    extra_runs: tuple[LoggedRun, ...]
    planned_road_min: float
    planned_trail_min: float
    road_min: float
    trail_min: float
    trail_share: float
    target_share: float
    trail_cap: float
    over_cap: bool
    trail_run_kept: bool | None
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class TrailWeeks:
    """R4: weeks of trail running so far against the 6-8 week adaptation window."""

    first_trail: date | None
    weeks_since_first: float
    weeks_with_trail: int
    benefits_from: date | None
    benefits_full: date | None
    in_time_for_race: bool | None
    reason: Reason


@dataclass(frozen=True)
class Adherence:
    weeks: tuple[WeekAdherence, ...]
    trail_weeks: TrailWeeks
    unplanned_runs: tuple[LoggedRun, ...]


def _compatible(session: Session, run: LoggedRun) -> bool:
    if session.kind is Kind.HIKE:
        return not run.running
    return session.kind.is_running and run.running


DAY_COST = 1.0
DURATION_COST = 5.0
SURFACE_COST = 2.0
"""trailmix defaults, the price of a match: a day between the session and the run costs 1, a
run 22 % longer or shorter than planned costs about as much (5 x |ln(run / planned)|), and the
other surface 2. So a 95-minute run on Wednesday is the Sunday long run moved, not Thursday's
45-minute easy run moved by a day; and of two runs a day away, the one on the planned surface
is taken."""


def _cost(session: Session, run: LoggedRun) -> float:
    planned = max(session.duration_min, 1.0)
    ratio = max(run.minutes, 0.1) / planned
    return (
        DAY_COST * abs((run.day - session.date).days)
        + DURATION_COST * abs(math.log(ratio))
        + SURFACE_COST * int(run.surface is not session.surface)
    )


def _match_pass(
    plan: Plan,
    order: Sequence[tuple[int, int, Session]],
    runs: Sequence[LoggedRun],
    used: set[int],
    picked: dict[tuple[int, int], int],
    today: date,
    same_day: bool,
) -> None:
    """Match the free sessions to the free runs of their week (of their day when `same_day`)
    and kind, cheapest pair first (`_cost`; ties: the earlier session, then the earlier run).
    The runs are in a fixed order (by day, then id), so the result does not depend on the
    order the log gave them in. Within a week and a kind any session may take any run, so
    as many sessions are matched as there are runs (or sessions): where the runs fall in the
    week changes which session each does, never how many."""
    pairs: list[tuple[float, date, int, int, int, int]] = []
    for rank, (wi, si, s) in enumerate(order):
        if s.kind is Kind.REST or (wi, si) in picked or s.date > today:
            continue
        week = plan.weeks[wi]
        for i, run in enumerate(runs):
            if i in used or not _compatible(s, run) or not week.start <= run.day <= week.end:
                continue
            if same_day and run.day != s.date:
                continue
            pairs.append((round(_cost(s, run), 9), s.date, rank, i, wi, si))
    pairs.sort()
    for _, _, _, i, wi, si in pairs:
        if i in used or (wi, si) in picked:
            continue
        used.add(i)
        picked[(wi, si)] = i


def _judge(session: Session, run: LoggedRun | None, today: date) -> SessionMatch:
    planned = session.duration_min
    if run is None:
        if session.date >= today:
            return SessionMatch(session, Status.PLANNED, None, None, rules.default("Still ahead."))
        what = "hike" if session.kind is Kind.HIKE else "run"
        return SessionMatch(
            session,
            Status.MISSED,
            None,
            None,
            rules.default(
                f"No {what} logged in the week of {session.date.isoformat()} that another "
                f"session had not taken, for this {session.kind.value} session."
            ),
        )
    share = run.minutes / planned if planned > 0 else 1.0
    surface_note = (
        f" It was planned on {session.surface.value} and run on {run.surface.value}."
        if run.surface is not session.surface
        else ""
    )
    what = f"{run.minutes:.0f} of {planned:.0f} planned min ({share:.0%})"
    if run.day != session.date:
        status = Status.MOVED
        text = f"Run on {run.day.isoformat()} instead of {session.date.isoformat()}: {what}."
    elif share >= DONE_SHARE:
        status = Status.DONE
        text = f"Done: {what}."
    else:
        status = Status.PARTIAL
        text = f"Partly done: {what}, under the {DONE_SHARE:.0%} that counts as done."
    return SessionMatch(session, status, run, share, rules.default(text + surface_note))


def _week_minutes(runs: Sequence[LoggedRun]) -> tuple[float, float]:
    road = sum(r.minutes for r in runs if r.running and r.surface is Surface.ROAD)
    trail = sum(r.minutes for r in runs if r.running and r.surface is Surface.TRAIL)
    return road, trail


def _has_trail_easy(week: Week) -> bool:
    return any(
        s.surface is Surface.TRAIL and s.kind in (Kind.EASY, Kind.RECOVERY) for s in week.sessions
    )


def _run_key(r: LoggedRun) -> tuple[date, int, str]:
    """A total order of the runs that ignores the order they came in: by day, then id
    (numbers as numbers)."""
    return (r.day, 0, f"{r.id:>20}") if isinstance(r.id, int) else (r.day, 1, str(r.id))


def adherence(plan: Plan, runs: Sequence[LoggedRun], today: date) -> Adherence:
    """Match the plan's sessions to the logged runs up to `today` and judge each week.

    A session is matched within its own week (the week whose minutes it counts in), to a run
    of its kind (a hike session to a hike or walk; a running session to a run): first each
    session to a run on its own day, then each session left to the nearest free run of the
    week (a moved session), the planned surface and duration weighing in (`_cost`). Each run
    is matched to one session at most, so two runs on a day are two sessions' runs, or one
    session's run and an extra. Sessions after `today` are not matched (still ahead)."""
    runs = sorted(runs, key=_run_key)
    used: set[int] = set()
    matched: dict[tuple[int, int], SessionMatch] = {}
    # Sessions in date order, the longest first on a day; rest days take nothing.
    order = sorted(
        ((wi, si, s) for wi, w in enumerate(plan.weeks) for si, s in enumerate(w.sessions)),
        key=lambda x: (x[2].date, -x[2].duration_min, x[1]),
    )
    # Two passes: every session first takes a run on its own day, then the sessions left
    # look through their week, so a moved run never steals another session's own run.
    picked: dict[tuple[int, int], int] = {}
    for same_day in (True, False):
        _match_pass(plan, order, runs, used, picked, today, same_day)
    for wi, si, s in order:
        if s.kind is not Kind.REST:
            i = picked.get((wi, si))
            matched[(wi, si)] = _judge(s, runs[i] if i is not None else None, today)

    weeks: list[WeekAdherence] = []
    for wi, w in enumerate(plan.weeks):
        in_week = [r for r in runs if w.start <= r.day <= w.end]
        extras = tuple(r for j, r in enumerate(runs) if j not in used and w.start <= r.day <= w.end)
        matches: list[SessionMatch] = []
        for si, s in enumerate(w.sessions):
            if s.kind is Kind.REST:
                ran = [r for r in extras if r.day == s.date and r.running]
                moved_here = [
                    (runs[i], plan.weeks[k].sessions[j])
                    for (k, j), i in picked.items()
                    if k == wi and runs[i].day == s.date and runs[i].running
                ]
                if s.date > today:
                    status, text = Status.PLANNED, "Rest day ahead."
                elif ran:
                    status, text = Status.REST_RUN, f"Ran {ran[0].minutes:.0f} min on a rest day."
                elif moved_here:
                    run, other = moved_here[0]
                    status = Status.REST_RUN
                    text = (
                        f"Ran {run.minutes:.0f} min on a rest day: the {other.kind.value} session "
                        f"of {other.date.isoformat()}, moved here."
                    )
                else:
                    status, text = Status.REST_KEPT, "Rest day kept."
                matches.append(
                    SessionMatch(s, status, ran[0] if ran else None, None, rules.default(text))
                )
            else:
                matches.append(matched[(wi, si)])
        summary = w.summary
        road, trail = _week_minutes(in_week)
        total = road + trail
        share = trail / total if total else 0.0
        cap = w.trail_cap or plan.trail_cap
        over = cap > 0 and share > cap + 1e-9
        reasons: list[Reason] = []
        if total:
            reasons.append(
                rules.rule(
                    "R1",
                    f"{trail:.0f} of {total:.0f} min on trails ({share:.0%}); planned "
                    f"{summary.trail_share:.0%}, cap {cap:.0%}."
                    + (" Over the cap: keep the rest on the road (R3)." if over else ""),
                )
            )
        kept: bool | None = None
        if _has_trail_easy(w) and w.start <= today:
            if any(r.running and r.surface is Surface.TRAIL for r in in_week):
                kept = True
                reasons.append(rules.rule("R2", "The weekly trail run was kept."))
            elif w.end < today:
                kept = False
                reasons.append(
                    rules.rule(
                        "R2",
                        "No trail run this week: one easy trail run a week brings the "
                        "benefits, fewer injuries included.",
                    )
                )
        weeks.append(
            WeekAdherence(
                week=w,
                matches=tuple(matches),
                extra_runs=tuple(r for r in extras if not any(m.run is r for m in matches)),
                planned_road_min=summary.road_min,
                planned_trail_min=summary.trail_min,
                road_min=road,
                trail_min=trail,
                trail_share=share,
                target_share=summary.trail_share,
                trail_cap=cap,
                over_cap=over,
                trail_run_kept=kept,
                reasons=tuple(reasons),
            )
        )
    unplanned = tuple(
        r
        for j, r in enumerate(runs)
        if j not in used and not any(w.start <= r.day <= w.end for w in plan.weeks)
    )
    return Adherence(tuple(weeks), trail_weeks(plan, runs, today), unplanned)


def trail_weeks(plan: Plan | None, runs: Sequence[LoggedRun], today: date) -> TrailWeeks:
    """R4: how long the runner has been running trails, against the 6-8 week window."""
    trail_days = sorted(
        r.day for r in runs if r.running and r.surface is Surface.TRAIL and r.day <= today
    )
    if not trail_days:
        return TrailWeeks(
            None,
            0.0,
            0,
            None,
            None,
            None,
            rules.rule("R4", "No trail runs logged yet: the 6-8 weeks start with the first."),
        )
    first = trail_days[0]
    since = (today - first).days / 7.0
    iso_weeks = {d.isocalendar()[:2] for d in trail_days}
    start_w = first + timedelta(weeks=ADAPT_MIN_WEEKS)
    full_w = first + timedelta(weeks=ADAPT_FULL_WEEKS)
    fits = start_w <= plan.race.date if plan is not None else None
    if since < ADAPT_MIN_WEEKS:
        text = (
            f"{since:.1f} weeks since your first trail run ({first.isoformat()}), trails in "
            f"{len(iso_weeks)} of them: the fresh mind is there already; power, stability and "
            f"fewer injuries take 6-8 weeks ({start_w.isoformat()} to {full_w.isoformat()})."
        )
    elif since < ADAPT_FULL_WEEKS:
        text = (
            f"{since:.1f} weeks of trail running ({len(iso_weeks)} weeks with a trail run): "
            "the benefits are starting to show."
        )
    else:
        text = (
            f"{since:.1f} weeks of trail running ({len(iso_weeks)} weeks with a trail run): "
            "past the 6-8 week window, the benefits should be there."
        )
    if fits is False and plan is not None:
        text += f" That is after race day {plan.race.date.isoformat()}."
    return TrailWeeks(first, since, len(iso_weeks), start_w, full_w, fits, rules.rule("R4", text))
