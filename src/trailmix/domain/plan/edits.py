"""Hand-made changes to a plan (a coach's): move a session to another day, replace it with a
session of another kind, each refused when it would break a rule the engine keeps
(`checks.new_breaks`), and each changed session carrying who changed it and why. Pure, no I/O.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from trailmix.domain import rules
from trailmix.domain.effort import heart_rate_model, rpe_for
from trailmix.domain.plan import workouts
from trailmix.domain.plan.checks import new_breaks
from trailmix.domain.plan.mixer import athlete_options, check_options, mix
from trailmix.domain.plan.planner import MIN_RUN_MIN_PER_DAY, plan_road, run_days_of
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.trail.model import Trail
from trailmix.domain.types import (
    Athlete,
    Benefit,
    Intensity,
    Kind,
    Plan,
    Reason,
    Session,
    Shoe,
    Step,
    StepType,
    Surface,
    TrailShoe,
    Week,
)
from trailmix.errors import InputError, NotFoundError

COACH_RULE = "coach"
"""The `rule` of a reason a coach's change adds: 'Changed by coach NAME: WHY'."""

REPLACE_KINDS = (Kind.REST, Kind.EASY, Kind.RECOVERY, Kind.LONG)
"""What a session may be replaced with by hand (trailmix default: the kinds that need no
workout design; a quality session is the planner's job)."""

_TRAIL_EASY_BENEFITS = (Benefit.STABILITY, Benefit.FEWER_INJURIES, Benefit.FRESH_MIND)


def coach_reason(coach: str, why: str) -> Reason:
    return Reason(COACH_RULE, f"Changed by coach {coach}: {why}")


def session_at(plan: Plan, day: date, slot: int = 0) -> Session:
    """The `slot`-th session (from 0) of `day`; NotFoundError on a rest day."""
    found = plan.sessions_on(day)
    if not 0 <= slot < len(found):
        raise NotFoundError(
            f"{day.isoformat()} has no session {slot + 1} in the plan"
            + (" (a rest day)." if not found else f" ({len(found)} that day).")
        )
    return found[slot]


def regroup(plan: Plan, sessions: list[Session]) -> Plan:
    """The plan with its sessions put into the weeks that hold their dates."""
    weeks: list[Week] = []
    for w in plan.weeks:
        inside = sorted((s for s in sessions if w.start <= s.date <= w.end), key=lambda s: s.date)
        weeks.append(replace(w, sessions=tuple(inside)))
    return replace(plan, weeks=tuple(weeks))


def _swap(plan: Plan, old: Session, new: Session | None) -> list[Session]:
    out: list[Session] = []
    done = False
    for s in plan.sessions:
        if s is old and not done:
            done = True
            if new is not None:
                out.append(new)
        else:
            out.append(s)
    return out


def _refuse_race(s: Session) -> None:
    if s.kind is Kind.RACE:
        raise InputError("the race itself is not moved or replaced; change the race instead.")


def checked(before: Plan, after: Plan) -> Plan:
    """`after`, or an InputError naming every rule it breaks that `before` did not."""
    broken = new_breaks(before, after)
    if broken:
        ids = ", ".join(dict.fromkeys(r.rule for r in broken))
        words = " ".join(f"{r.rule}: {r.text}" for r in broken[:3])
        raise InputError(f"refused, it would break {ids}. {words}")
    return after


def move(plan: Plan, day: date, slot: int, to: date, reason: Reason) -> Plan:
    """The session moved to `to`, a day of the plan without a session."""
    s = session_at(plan, day, slot)
    _refuse_race(s)
    if to == day:
        raise InputError(f"the session is already on {day.isoformat()}.", "to")
    if not plan.start <= to < plan.race.date:
        raise InputError(
            f"{to.isoformat()} is outside the plan ({plan.start.isoformat()} to the day "
            f"before the race, {plan.race.date.isoformat()}).",
            "to",
        )
    if plan.sessions_on(to):
        raise InputError(
            f"{to.isoformat()} already has a session; the plan has one a day (trailmix "
            "default): move or replace that one first.",
            "to",
        )
    moved = replace(s, date=to).with_reason(reason)
    return checked(plan, regroup(plan, _swap(plan, s, moved)))


def _shoe(plan: Plan, s: Session) -> Shoe:
    if s.shoe is not None:
        return s.shoe
    return Shoe.TRAIL if plan.athlete.trail_shoe is TrailShoe.YES else Shoe.HYBRID


def replacement(
    plan: Plan, s: Session, kind: Kind, surface: Surface, minutes: float | None
) -> Session | None:
    """The session `kind` on `surface` in place of `s` (None for rest), for `minutes` (default
    the minutes of `s`, so the week keeps its volume)."""
    if kind not in REPLACE_KINDS:
        names = ", ".join(k.value for k in REPLACE_KINDS)
        raise InputError(f"{kind.value} is not accepted; give one of {names}.", "kind")
    if kind is Kind.REST:
        return None
    length = float(minutes if minutes is not None else s.duration_min)
    if not 10 <= length <= 300:  # trailmix default: a run of 10 min to 5 h
        raise InputError(f"{length:g} min is not accepted; give 10 to 300 minutes.", "minutes")
    if plan.paces is None:
        raise InputError("this plan has no training paces to prescribe a new session with.")
    p = Prescriber(plan.paces, heart_rate_model(plan.athlete))
    intensity = Intensity.RECOVERY if kind is Kind.RECOVERY else Intensity.E
    if surface is Surface.TRAIL:
        rpe = rpe_for(intensity)
        target = p.target(intensity, minutes=length, road=False)
        label = {Kind.RECOVERY: "Trail recovery", Kind.EASY: "Trail easy run"}.get(
            kind, "Trail long run"
        )
        step = Step(StepType.STEADY, target, "easy by feel, walk the steep bits")
        was_trail = s.surface is Surface.TRAIL
        return Session(
            date=s.date,
            kind=kind,
            title=f"{label} {length:.0f} min, RPE {rpe[0]}-{rpe[1]}",
            target=target,
            intensity=intensity,
            surface=Surface.TRAIL,
            steps=(step,),
            trail=s.trail if was_trail else None,
            trail_hint=s.trail_hint if was_trail else "any flat dirt trail near you (R6, R7)",
            shoe=_shoe(plan, s),
            benefits=_TRAIL_EASY_BENEFITS,
        )
    label = {Kind.RECOVERY: "Recovery", Kind.EASY: "Easy"}.get(kind, "Long run")
    w = workouts.continuous(p, length, intensity, f"{label} {round(length)} min")
    return Session(
        date=s.date,
        kind=kind,
        title=w.title,
        target=p.target(intensity, minutes=length, km=w.distance_km),
        intensity=intensity,
        steps=w.steps,
    )


def replace_session(
    plan: Plan,
    day: date,
    slot: int,
    kind: Kind,
    surface: Surface,
    reason: Reason,
    minutes: float | None = None,
) -> Plan:
    """The session of `day` replaced by one of `kind` on `surface` (rest: removed)."""
    s = session_at(plan, day, slot)
    _refuse_race(s)
    new = replacement(plan, s, kind, surface, minutes)
    if new is not None:
        new = new.with_reason(reason)
    return checked(plan, regroup(plan, _swap(plan, s, new)))


REMAKE_MIN_DAYS = 7
"""trailmix default (as `plan update`): a plan is made again from today up to a week before
the race; closer, the taper is left as it is."""


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def remade_from(plan: Plan, athlete: Athlete, today: date, trails: tuple[Trail, ...]) -> Plan:
    """The plan made again by the engine for `athlete`'s new answers (preference, cap, run
    days) and `trails`: from its first day before it starts; once started, from `today` on,
    the days before kept, the volume going on from this week's, and the trail running done so
    far counted (no second ramp-in; R4's window from the first trail run)."""
    if today <= plan.start:
        options = athlete_options(athlete, trails)
        check_options(options)
        road = plan_road(athlete, plan.race, plan.start)
        assert road.paces is not None
        return mix(road, options, Prescriber(road.paces, heart_rate_model(athlete)))
    kept = [s for s in plan.sessions if s.date < today]
    trail_days = sorted(s.date for s in kept if s.surface is Surface.TRAIL and s.kind.is_running)
    this = next((w for w in plan.weeks if w.start <= today <= w.end), None)
    base = athlete
    if this is not None and this.summary.total_min:
        floor = MIN_RUN_MIN_PER_DAY * len(run_days_of(athlete))
        weekly = max(this.summary.total_min, floor)
        base = replace(athlete, weekly_min=round(weekly), weekly_km=None)
    options = replace(
        athlete_options(base, trails),
        trail_weeks_done=len({_monday(d) for d in trail_days}),
        first_trail=trail_days[0] if trail_days else None,
    )
    check_options(options)
    road = plan_road(base, plan.race, today, min_days=REMAKE_MIN_DAYS)
    assert road.paces is not None
    fresh = mix(road, options, Prescriber(road.paces, heart_rate_model(base)))
    by_start: dict[date, list[Session]] = {}
    for s in (*kept, *(s for s in fresh.sessions if s.date >= today)):
        by_start.setdefault(_monday(s.date), []).append(s)
    old_weeks = {w.start: w for w in plan.weeks}
    new_weeks = {w.start: w for w in fresh.weeks}
    weeks = tuple(
        replace(
            new_weeks.get(start) or old_weeks[start],
            index=i + 1,
            sessions=tuple(sorted(by_start[start], key=lambda s: s.date)),
        )
        for i, start in enumerate(sorted(by_start))
    )
    weeks = tuple(_capped_split_week(w, old_weeks.get(w.start), fresh, today) for w in weeks)
    return replace(fresh, athlete=athlete, start=plan.start, weeks=weeks, source=plan.source)


def _capped_split_week(week: Week, old: Week | None, fresh: Plan, today: date) -> Week:
    """The week split by `today` (its past days as planned, its rest made again) held to a
    trail cap over the whole week (R1), by the re-plan's own rule: trail easy runs shortened,
    then moved to the road, then trail workouts back to the road (`replan._hold_cap`). Its
    cap is the larger of the new and the old one: the days before today were planned (and
    run) under the old cap, and cannot be undone; the new cap holds from next week on. When
    even that cannot hold (the past ran more trail than the smaller rest can carry), the week
    stays as it was planned."""
    if not week.start < today <= week.end:
        return week
    cap = max(week.trail_cap, old.trail_cap) if old is not None else week.trail_cap
    from trailmix.domain.plan import replan

    past = [s for s in week.sessions if s.date < today]
    why = rules.rule(
        "R1",
        f"Made again on {today.isoformat()}: trails stay within {rules.cap_words(cap)}"
        " of this week, counting the days before today.",
    )
    sessions, _ = replan._hold_cap(
        replan._tools(fresh),
        list(week.sessions),
        today,
        cap,
        replan._trail(past),
        replan._total(past),
        why,
    )
    if old is not None and replan._trail(sessions) > cap * replan._total(sessions) + 0.5:
        # The days before today ran more trail than the remade, smaller rest of the week can
        # carry: this week stays as it was planned (within its cap); the change starts Monday.
        return replace(old, index=week.index)
    return replace(week, sessions=tuple(sessions), trail_cap=cap)
