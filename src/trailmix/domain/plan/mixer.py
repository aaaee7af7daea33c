"""The trail-mix engine: puts the right trail running into any road plan, by rules R1-R12.

It works on any road plan, generated or imported: it only reads sessions' kinds, dates, phases,
durations, intensities and the `race_specific` flag, and it never changes a long run or a
race-specific session (R3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from trailmix.domain import rules
from trailmix.domain.effort import HIKE_RPE, rpe_for
from trailmix.domain.plan import trail_workouts, workouts
from trailmix.domain.plan.planner import MIN_RUN_MIN, resize_run
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.plan.selection import Choice, choose, trail_minutes
from trailmix.domain.rules import (
    ADAPT_FULL_WEEKS,
    ADAPT_MIN_WEEKS,
    HIKE_EVE_MAX_MIN,
    HIKE_MAX_MIN,
    LAST_WEEKS_CAP,
    MIN_LATE_TRAIL_MIN,
    MIN_QUALITY_MIN,
    MIN_TRAIL_MIN,
    NO_TRAIL_DAYS_BEFORE_RACE,
    QUALITY_FROM_TRAIL_WEEK,
    ROAD_WEEKS,
    TRAIL_CAP_FLOOR,
    TRAIL_RUNS_MINIMUM,
    TRAIL_SHARE_CAP,
)
from trailmix.domain.trail.classify import STEEP_GRADE
from trailmix.domain.trail.model import Trail
from trailmix.domain.types import (
    AdaptationWindow,
    Athlete,
    Benefit,
    Intensity,
    Kind,
    Phase,
    Plan,
    Reason,
    Session,
    Shoe,
    Step,
    StepType,
    Surface,
    Target,
    TrailPreference,
    TrailRef,
    TrailShoe,
    Week,
)
from trailmix.errors import InputError

# trailmix default ramp-in: trail week 1 has one easy trail run, week 2 at most 75 % of the cap
# and still easy only, harder trail workouts from week 3.
RAMP = {1: (1, 0.50), 2: (2, 0.75)}
HIKE_PACE_S_PER_KM = 720.0  # trailmix default: 5 km/h on the flat, Naismith's 1 h per 5 km
HIKE_CLIMB_M_PER_H = 600.0  # Naismith: plus 1 h per 600 m of ascent
# trailmix default: with a harder trail workout, the week's first easy trail run keeps at
# least 60 % of its time (the rest goes to a road run, so the week keeps its minutes).
QUALITY_KEEP_EASY = 0.6
HARD_RPE = 6  # trailmix default (issue 12): work at RPE 6 or more is the week's hard work

_QUALITY_TO_TRAIL = {
    Kind.INTERVALS: "hills",
    Kind.FARTLEK: "fartlek",
    Kind.TEMPO: "sustained",
    Kind.STEADY: "sustained",
}

_BENEFITS = {
    "easy": (Benefit.STABILITY, Benefit.FEWER_INJURIES, Benefit.FRESH_MIND),
    "hills": (Benefit.POWER, Benefit.STABILITY, Benefit.FRESH_MIND),
    "fartlek": (Benefit.POWER, Benefit.STABILITY, Benefit.FRESH_MIND),
    "sustained": (Benefit.STABILITY, Benefit.FEWER_INJURIES, Benefit.FRESH_MIND),
    "hike": (Benefit.STABILITY, Benefit.FRESH_MIND),
}


@dataclass(frozen=True)
class MixOptions:
    """How to mix. `trail_weeks_done` and `first_trail` carry what the runner has already run
    on trails (from the log) into a re-plan: no second ramp-in, and the R4 window counts from
    the first trail run actually done."""

    preference: TrailPreference
    cap: float = TRAIL_SHARE_CAP
    trails: tuple[Trail, ...] = ()
    trail_shoe: TrailShoe = TrailShoe.YES
    trail_weeks_done: int = 0
    first_trail: date | None = None

    @property
    def plan_cap(self) -> float:
        """The plan-wide trail cap these options give: the runner's cap for 'enjoy' (R1); R1's
        third for 'minimum', whose one weekly trail run (R2) stays within it; 0 for 'off'."""
        return rules.plan_trail_cap(self.preference, self.cap)


def check_options(options: MixOptions) -> None:
    """The domain's own guarantee of R1, whatever the caller checked: a cap above one third,
    or too small for any trail run, is refused."""
    if options.cap > TRAIL_SHARE_CAP + 1e-9:
        raise InputError(
            f"{options.cap:.2f} is above one third; R1 allows up to 1/3 of the training on "
            f"trails. Give a cap between {TRAIL_CAP_FLOOR:.2f} and {TRAIL_SHARE_CAP:.2f}.",
            "--trail-cap",
        )
    if options.cap < TRAIL_CAP_FLOOR:
        raise InputError(
            f"{options.cap:.2f} is too small for any trail run; give {TRAIL_CAP_FLOOR:.2f} to "
            f"{TRAIL_SHARE_CAP:.2f}, or use --trail-preference off.",
            "--trail-cap",
        )


def mix(plan: Plan, options: MixOptions, prescriber: Prescriber) -> Plan:
    """The plan with trail sessions mixed in. Raises InputError for impossible options."""
    check_options(options)
    if not any(s.kind.is_running for s in plan.sessions):
        raise InputError("the plan has no runnable days; there is nothing to mix trails into.")
    if options.preference is TrailPreference.OFF:
        note = rules.default(
            "Trail preference off: a road plan. Even one trail recovery run a week would bring "
            "the trail benefits (R2): try --trail-preference minimum."
        )
        return replace(
            plan,
            weeks=tuple(replace(w, trail_cap=options.plan_cap) for w in plan.weeks),
            trail_preference=TrailPreference.OFF,
            trail_cap=options.plan_cap,
            notes=(*plan.notes, note),
        )
    state = _State(options, prescriber, plan)
    race_week = _race_week_index(plan)
    weeks: list[Week] = []
    for i, week in enumerate(plan.weeks):
        last_two = race_week is not None and i > race_week - ROAD_WEEKS
        weeks.append(state.mix_week(week, last_two, is_race_week=i == race_week))
    weeks = state.place_hikes(weeks)
    no_hike = [name for t, name in state.unhikeable.items() if t not in state.hikes]
    notes = plan.notes + tuple(
        rules.rule(
            "R9",
            f"{name} is technical and is hiked once before it is run, but no rest day of this "
            "plan suits a hike (never the day after a long run): hike it on a free day of your "
            "own and mark it hiked (trailmix trails hiked); until then runs go elsewhere.",
        )
        for name in no_hike
    )
    gaps = _weeks_without_trail_run(weeks, race_week)
    warnings = plan.warnings
    if gaps:
        warnings = (
            *warnings,
            rules.rule(
                "R1",
                f"Week{'s' if len(gaps) > 1 else ''} {', '.join(map(str, gaps))}: no trail run "
                f"fits under your cap (a trail run lasts at least {MIN_TRAIL_MIN:.0f} min). "
                + _what_helps(options.plan_cap, options.preference),
            ),
        )
    mixed = replace(
        plan,
        warnings=warnings,
        weeks=tuple(weeks),
        trail_preference=options.preference,
        trail_cap=options.plan_cap,
        notes=notes,
    )
    return _with_adaptation(mixed, options.first_trail)


def hard_min(s: Session) -> float:
    """Minutes of hard work in a session: its steps at RPE 6 or more (the low end of the step's
    range), repeats counted; a session without steps counts whole when its own RPE reaches 6.
    Issue 12's measure of the work a road plan asks for, which mixing must keep (R5)."""
    if not s.kind.is_running:
        return 0.0
    if not s.steps:
        return s.duration_min if s.target.rpe[0] >= HARD_RPE else 0.0
    return sum(_hard_step_min(st) for st in s.steps)


def _hard_step_min(step: Step) -> float:
    if step.type is StepType.REPEAT:
        return step.repeat * sum(_hard_step_min(c) for c in step.steps)
    if step.type in (StepType.WORK, StepType.STEADY) and step.target.rpe[0] >= HARD_RPE:
        return step.total_min
    return 0.0


def _balance(sessions: list[Session], target: float, cap: float, p: Prescriber) -> list[Session]:
    """Keep the road week's minutes (R5: mixing trails in moves the road plan's work, it never
    removes it). Minutes cut from a trail run to keep the cap go to the week's road easy runs
    (each up to the long run's length, which stays the longest), then as easy running at the
    end of its road quality sessions: never to the long run, whose share of the week stays the
    road plan's. Minutes a trail session added (the way to a hill) come off the road easy runs,
    as far as the trail cap allows (R1)."""
    out = list(sessions)
    total = sum(s.running_min for s in out)
    gap = target - total
    if abs(gap) < 1:
        return out
    long_min = max((s.duration_min for s in out if s.kind is Kind.LONG), default=math.inf)
    road_easy = [
        i
        for i, s in enumerate(out)
        if s.surface is Surface.ROAD and s.kind in (Kind.EASY, Kind.RECOVERY)
    ]
    why = rules.rule(
        "R5",
        "Minutes moved here from this week's trail run, cut to keep trails within the cap "
        f"({cap:.0%}, R1): the week keeps the road plan's {target:.0f} min.",
    )
    if gap < 0:
        trail = sum(s.running_min for s in out if s.surface is Surface.TRAIL)
        cut = min(-gap, total - trail / cap) if cap > 0 else 0.0
        pool = sum(max(0.0, out[i].duration_min - MIN_RUN_MIN) for i in road_easy)
        if cut < 1 or pool <= 0:
            return out
        k = min(1.0, cut / pool)
        for i in road_easy:
            s = out[i]
            minutes = math.ceil(s.duration_min - k * max(0.0, s.duration_min - MIN_RUN_MIN))
            if minutes < s.duration_min:
                out[i] = resize_run(s, float(minutes)).with_reason(
                    rules.rule(
                        "R5",
                        f"{s.duration_min - minutes:.0f} min shorter: this week's trail workout "
                        "takes them on the way to its hill, so the week keeps the road plan's "
                        f"{target:.0f} min.",
                    )
                )
        return out
    added = dict.fromkeys(road_easy, 0.0)
    room = {i: long_min - out[i].duration_min for i in road_easy}
    left = gap
    open_ = [i for i in road_easy if room[i] >= 1]
    while left >= 1 and open_:
        each = left / len(open_)
        for i in open_:
            more = min(each, room[i])
            room[i] -= more
            added[i] += more
            left -= more
        open_ = [i for i in open_ if room[i] >= 1]
    for i, more in added.items():
        if round(more) >= 1:
            out[i] = resize_run(out[i], float(round(out[i].duration_min + more))).with_reason(why)
    quality = [
        i
        for i, s in enumerate(out)
        if s.surface is Surface.ROAD
        and s.kind not in (Kind.LONG, Kind.RACE, Kind.EASY, Kind.RECOVERY)
        and s.kind.is_running
    ]
    if left >= 1 and quality:
        each = left / len(quality)
        for i in quality:
            out[i] = _easy_tail(out[i], float(round(each)), p).with_reason(why)
    return out


def _what_helps(cap: float, preference: TrailPreference) -> str:
    """What gives room for a trail run: a higher cap while there is one to give, else (the cap
    already R1's one third) more running in the week, or R2's one trail recovery run."""
    r2 = (
        ""
        if preference is TrailPreference.MINIMUM
        else ", or use --trail-preference minimum for one trail recovery run a week (R2)"
    )
    if cap < rules.TRAIL_SHARE_CAP - 1e-9:
        return f"Raise --trail-cap (up to 1/3) for a trail run every week{r2}."
    need = MIN_TRAIL_MIN / rules.TRAIL_SHARE_CAP
    return (
        "Your cap is already the most R1 allows (1/3): a week needs at least "
        f"{need:.0f} min of running for a {MIN_TRAIL_MIN:.0f}-min trail run to fit. Run more "
        f"minutes that week (a longer easy run, or one more day){r2}."
    )


def _easy_tail(s: Session, minutes: float, p: Prescriber) -> Session:
    """A road session with `minutes` more easy running at its end (its cool-down, or a new
    one): its work stays as it was."""
    if minutes < 1:
        return s
    steps = list(s.steps)
    cool = next(
        (i for i in range(len(steps) - 1, -1, -1) if steps[i].type is StepType.COOLDOWN), None
    )
    if cool is not None:
        st = steps[cool]
        km = st.target.distance_km
        steps[cool] = replace(
            st,
            target=replace(
                st.target,
                duration_min=round(st.total_min + minutes, 1),
                distance_km=km and round(km + p.km_for_minutes(Intensity.E, minutes), 2),
            ),
        )
    else:
        if not steps:
            # A session without steps (an imported plan's): its own work, then the easy minutes.
            steps.append(Step(StepType.WORK, s.target, s.title))
        steps.append(
            Step(StepType.COOLDOWN, p.target(Intensity.E, minutes=minutes), "easy cool-down")
        )
    km = s.target.distance_km
    target = replace(
        s.target,
        duration_min=round(s.duration_min + minutes, 1),
        distance_km=km and round(km + p.km_for_minutes(Intensity.E, minutes), 2),
    )
    return replace(s, target=target, steps=tuple(steps))


def _weeks_without_trail_run(weeks: list[Week], race_week: int | None) -> list[int]:
    """Weeks after the first trail week (and before race week) that have no easy trail run."""

    def has_run(w: Week) -> bool:
        return any(
            s.surface is Surface.TRAIL and s.kind in (Kind.EASY, Kind.RECOVERY) for s in w.sessions
        )

    first = next((i for i, w in enumerate(weeks) if has_run(w)), None)
    end = race_week if race_week is not None else len(weeks)
    if first is None:
        return []
    return [w.index for w in weeks[first:end] if not has_run(w)]


def _race_week_index(plan: Plan) -> int | None:
    for i, w in enumerate(plan.weeks):
        if any(s.kind is Kind.RACE and s.date == plan.race.date for s in w.sessions):
            return i
        if w.start <= plan.race.date <= w.end:
            return i
    return None


class _State:
    """What the engine carries from week to week: trail weeks so far, trails used, hikes."""

    def __init__(self, options: MixOptions, p: Prescriber, plan: Plan) -> None:
        self.o = options
        self.p = p
        self.plan = plan
        self.trail_week = options.trail_weeks_done
        self.used: dict[int, int] = {}
        self.hikes: dict[int, date] = {}  # technical trail id -> date of its hike (R9)
        self.hike_sessions: list[Session] = []
        self.quality_turn = 0
        self.no_technical = False  # the last weeks before the race: no technical trail (R3)
        self.unhikeable: dict[int, str] = {}  # technical trails no rest day suits a hike for
        self.turnaround: dict[int, float] = {}  # trail id -> km where its hiked part ends
        self.reach_min = max(
            (
                s.duration_min
                for s in plan.sessions
                if s.kind.is_running and s.kind not in (Kind.LONG, Kind.RACE)
            ),
            default=60.0,
        )

    # -- one week -------------------------------------------------------------------------
    def mix_week(self, week: Week, last_two: bool, is_race_week: bool) -> Week:
        enjoy = self.o.preference is TrailPreference.ENJOY
        cap = self.o.plan_cap
        self.no_technical = last_two
        if last_two:
            cap = min(cap, LAST_WEEKS_CAP) if enjoy else cap
        total = sum(s.running_min for s in week.sessions)
        t_next = self.trail_week + 1
        max_sessions, ramp_share = RAMP.get(t_next, (99, 1.0))
        if not enjoy:
            max_sessions, ramp_share = TRAIL_RUNS_MINIMUM, 1.0
        share_more = cap * (ramp_share if enjoy else 1.0)
        sessions = list(week.sessions)
        easy_idx = sorted(
            (i for i, s in enumerate(sessions) if s.kind in (Kind.RECOVERY, Kind.EASY)),
            key=lambda i: (
                sessions[i].kind is not Kind.RECOVERY,
                sessions[i].duration_min if not enjoy else 0,
                sessions[i].date,
            ),
        )

        # Nothing on a trail in the last 3 days before the race, whichever week they fall in;
        # only when the week before race week has no other easy run does it keep that one
        # (R2: a trail run every week), however close to an early-week race.
        far = [
            i
            for i in easy_idx
            if (self.plan.race.date - sessions[i].date).days >= NO_TRAIL_DAYS_BEFORE_RACE
        ]
        easy_idx = far if (far or is_race_week) else easy_idx
        fill = _Fill(self, week, sessions, total, cap, share_more, enjoy, max_sessions)
        result: _Fill | None = None
        if (
            enjoy
            and not last_two
            and t_next >= QUALITY_FROM_TRAIL_WEEK
            and week.phase in (Phase.BASE, Phase.BUILD)
        ):
            # With room for it, one harder workout goes first, then the easy runs (R6, R11);
            # accepted only if the first easy run keeps at least 60 % of its time.
            for qi, purpose in self._quality_options(sessions):
                trial = fill.copy()
                if trial.quality(qi, purpose, reserve=easy_idx[:1]) and trial.easy_runs(
                    easy_idx, min_keep=QUALITY_KEEP_EASY
                ):
                    result = trial
                    break
        if result is None:
            result = fill.copy()
            # In race week an easy run goes to a trail whole or stays on the road: the taper
            # has no other road run to take minutes cut to fit the cap (R5), and R2 asks no
            # trail run of race week.
            keep = 1.0 if is_race_week else 0.0
            if not result.easy_runs(easy_idx, min_keep=keep) and last_two and not is_race_week:
                # A week too small for one easy trail run under the late-weeks cap keeps its
                # weekly trail run under R1's cap instead: still road-dominant (R3).
                wider = min(self.o.cap, TRAIL_SHARE_CAP)
                retry = _Fill(self, week, sessions, total, wider, wider, enjoy, TRAIL_RUNS_MINIMUM)
                retry.min_minutes = MIN_LATE_TRAIL_MIN
                if retry.easy_runs(easy_idx, min_keep=0.0):
                    result, cap = retry, wider
        sessions, moved = _balance(result.sessions, total, cap, self.p), result.moved
        if moved:
            self.trail_week += 1
        sessions = [_road_note(s) if s.surface is Surface.ROAD else s for s in sessions]
        if moved and last_two:
            sessions = [
                s.with_reason(
                    rules.rule(
                        "R3",
                        (
                            f"The last two weeks are road-dominant: trails take at most "
                            f"{cap:.0%} of this week, easy running only."
                            if cap <= LAST_WEEKS_CAP + 1e-9
                            else "The last two weeks are road-dominant (at most "
                            f"{LAST_WEEKS_CAP:.0%} on trails); this small week keeps its one "
                            f"easy trail run (R2) within R1's {cap:.0%} instead."
                        ),
                    )
                )
                if s.surface is Surface.TRAIL
                else s
                for s in sessions
            ]
        return replace(week, sessions=tuple(sessions), trail_cap=round(cap, 4))

    def _quality_options(self, sessions: list[Session]) -> list[tuple[int, str]]:
        """Road quality sessions that may go to a trail, the workouts rotating from week to week
        so the weeks vary (R12: fresh mind)."""
        options = [
            (i, _QUALITY_TO_TRAIL[s.kind])
            for i, s in enumerate(sessions)
            if s.kind in _QUALITY_TO_TRAIL and not s.race_specific and s.surface is Surface.ROAD
        ]
        if not options:
            return []
        purposes = ["hills", "fartlek", "sustained"]
        turn = self.quality_turn % len(purposes)
        self.quality_turn += 1
        rotation = purposes[turn:] + purposes[:turn]
        return sorted(options, key=lambda o: rotation.index(o[1]))

    # -- conversions -----------------------------------------------------------------------
    def _choose(self, purpose: str, day: date) -> Choice:
        runnable = frozenset(t for t, d in self.hikes.items() if d < day)
        allow = not self.no_technical
        if self.o.trail_shoe is TrailShoe.YES and allow:
            # Would a technical trail not yet hiked be the best choice? Then schedule its hike
            # on the next free day (R9), so that later sessions may run it.
            every = frozenset(t.id for t in self.o.trails)
            ideal = choose(purpose, self.o.trails, self.o.trail_shoe, every, self.used)
            t = ideal.trail
            if t is not None and t.needs_hike and t.id not in self.hikes:
                found = _free_day(
                    self.plan.weeks,
                    day,
                    self.plan.race.date,
                    self.plan.start,
                    taken={h.date for h in self.hike_sessions},
                )
                if found is not None:
                    hike_day, eve = found
                    self.hikes[t.id] = hike_day
                    self.hike_sessions.append(self._hike(t, hike_day, eve))
                    runnable = frozenset(t for t, d in self.hikes.items() if d < day)
                elif t.id not in self.unhikeable:
                    self.unhikeable[t.id] = t.name
        choice = choose(
            purpose, self.o.trails, self.o.trail_shoe, runnable, self.used, allow_technical=allow
        )
        if choice.trail is not None:
            self.used[choice.trail.id] = self.used.get(choice.trail.id, 0) + 1
        return choice

    def _common_reasons(
        self, enjoy: bool, week_total: float, cap: float, minutes: float
    ) -> list[Reason]:
        if enjoy:
            share = rules.rule(
                "R1",
                f"You enjoy trails, so up to {cap:.0%} of this week's {week_total:.0f} min may be "
                "on trails.",
            )
        else:
            share = rules.rule("R2")
        reasons = [
            share,
            rules.rule(
                "R5",
                f"Run it by time ({minutes:.0f} min) and effort, not pace: uneven ground makes "
                "pace meaningless.",
            ),
        ]
        if self.trail_week < 2 and enjoy:
            reasons.append(
                rules.default(
                    "Ramp-in: the first trail weeks are easy and the trail share rises over 2-3 "
                    "weeks."
                )
            )
        return reasons

    def _easy_to_trail(
        self, s: Session, minutes: float, enjoy: bool, week: Week, total: float, cap: float
    ) -> Session:
        intensity = Intensity.RECOVERY if (s.kind is Kind.RECOVERY or not enjoy) else Intensity.E
        kind = Kind.RECOVERY if intensity is Intensity.RECOVERY else Kind.EASY
        choice = self._choose("recovery" if kind is Kind.RECOVERY else "easy", s.date)
        label = "Trail recovery" if kind is Kind.RECOVERY else "Trail easy run"
        rpe = rpe_for(intensity)
        target = self.p.target(intensity, minutes=minutes, road=False)
        step = Step(StepType.STEADY, target, "easy by feel, walk the steep bits")
        reasons = self._common_reasons(enjoy, total, cap, minutes)
        if minutes < s.duration_min:
            reasons.append(
                rules.rule(
                    "R1",
                    f"Shortened from {s.duration_min:.0f} to {minutes:.0f} min so trails stay "
                    f"within {cap:.0%} of the week; the minutes go to a road run this week, so "
                    "the week keeps its volume (R5).",
                )
            )
        reasons.extend(choice.reasons)
        reasons.append(_benefit_reason("easy"))
        title = f"{label} {minutes:.0f} min, RPE {rpe[0]}-{rpe[1]}"
        return self._as_trail(s, kind, intensity, title, target, (step,), choice, reasons, "easy")

    def _quality_to_trail(self, s: Session, purpose: str, total: float, cap: float) -> Session:
        """The trail version of a road quality session: the same purpose, minutes and effort
        (R5), shaped by the ground (R8, R11): `trail_workouts`."""
        choice = self._choose(purpose, s.date)
        rw = trail_workouts.road_work(s)
        if purpose == "hills":
            hill = choice.hill
            way = None
            if choice.trail is not None and hill is not None:
                way = trail_workouts.approach(
                    choice.trail.hills, hill, self.p.pace_mid(Intensity.E)
                )
            w = trail_workouts.hill_repeats(self.p, s, rw, hill, way, STEEP_GRADE)
            kind = Kind.HILL_REPEATS
        elif purpose == "fartlek":
            w = trail_workouts.fartlek(self.p, s, rw)
            kind = Kind.FARTLEK
        else:
            w = trail_workouts.sustained(self.p, s, rw)
            kind = Kind.STEADY
        intensity = rw.intensity
        target = self.p.target(intensity, minutes=w.minutes, road=False, rpe=rw.rpe)
        reasons = self._common_reasons(True, total, cap, w.minutes)
        reasons.append(
            rules.rule(
                "R5",
                f"The trail version of the road {s.kind.value} session ({s.title}), with the "
                f"same purpose: {w.work_min:.0f} min of work at RPE {rw.rpe[0]}-{rw.rpe[1]} "
                + (
                    f"(the road's {rw.work_min:.0f}, eased into and out of on the trail)"
                    if w.work_min < rw.work_min - 1
                    else "as on the road"
                )
                + f", {w.minutes:.0f} min in all.",
            )
        )
        reasons.append(
            rules.rule(
                "R11",
                f"A harder trail workout in place of the road {s.kind.value} session: "
                f"{w.title}. The article's list of workouts is cut off; this one is trailmix's "
                "design.",
            )
        )
        if purpose == "hills":
            hill = choice.hill or workouts.GENERIC_HILL
            fitted = (
                f"Repeats fitted to the hill: {hill.length_m:.0f} m at "
                f"{hill.avg_grade:.0%}, {hill.start_km:.1f} km from the start, so the "
                "warm-up takes you there; a shorter hill means more, shorter repeats, "
                "with the same minutes of work."
            )
            if choice.hill is None:  # no stored hill: describe the kind of hill to look for
                fitted = (
                    f"Look for a hill of about {hill.length_m:.0f} m at {hill.avg_grade:.0%}, "
                    f"about {hill.start_km:.1f} km from where you start, so the warm-up takes "
                    "you there; a shorter hill means more, shorter repeats, with the same "
                    "minutes of work."
                )
            reasons.append(rules.rule("R8", fitted))
        reasons.extend(choice.reasons)
        reasons.append(_benefit_reason(purpose))
        return self._as_trail(
            s, kind, intensity, w.title, target, w.steps, choice, reasons, purpose
        )

    def _as_trail(
        self,
        s: Session,
        kind: Kind,
        intensity: Intensity,
        title: str,
        target: Target,
        steps: tuple[Step, ...],
        choice: Choice,
        reasons: list[Reason],
        purpose: str,
    ) -> Session:
        hint = choice.hint
        if choice.trail is not None and choice.hill is not None:
            h = choice.hill
            hint = (
                f"The hill: {h.length_m:.0f} m at {h.avg_grade:.0%} average, its foot "
                f"{h.start_km:.1f} km from the start of {choice.trail.name}."
            )
        elif choice.trail is not None:
            lap = trail_minutes(choice.trail, self.p.pace_mid(intensity))
            laps = (target.duration_min or 0) / lap if lap else 0
            hint = (
                f"One lap of {choice.trail.name} takes about {lap:.0f} min at this effort "
                f"({laps:.1f} laps, or out and back, for {target.duration_min:.0f} min)."
            )

        turn = self.turnaround.get(choice.trail.id) if choice.trail is not None else None
        if turn is not None:
            hint = f"{hint} Turn around by km {turn:.1f}: the part you hiked (R9)."
        kept = tuple(r for r in s.reasons if r.rule not in ("Daniels",))
        return replace(
            s,
            kind=kind,
            title=title,
            target=target,
            intensity=intensity,
            surface=Surface.TRAIL,
            steps=steps,
            reasons=(*reasons, *kept),
            trail=TrailRef(choice.trail.id, choice.trail.name) if choice.trail else None,
            trail_hint=hint,
            shoe=choice.shoe,
            benefits=_BENEFITS[purpose],
        )

    # -- R9: hikes --------------------------------------------------------------------------
    def place_hikes(self, weeks: list[Week]) -> list[Week]:
        """Insert the hikes scheduled while mixing (R9) into their weeks."""
        for hike in self.hike_sessions:
            weeks = _insert(weeks, hike)
        return weeks

    def _hike(self, trail: Trail, day: date, eve_of_key: bool = False) -> Session:
        """R9's hike, sized to the part of the route the runs will use: as far as the
        longest run that may go there reaches (out and back), at most `HIKE_MAX_MIN`, or
        `HIKE_EVE_MAX_MIN` when the only rest day left is the eve of a key session."""
        most = HIKE_EVE_MAX_MIN if eve_of_key else HIKE_MAX_MIN
        reach = self.reach_min * 60 / self.p.pace_mid(Intensity.E)
        km = min(trail.length_km, reach)
        per_km = trail.gain_m / trail.length_km if trail.length_km else 0.0
        minutes = _hike_minutes(km, per_km * km)
        if minutes > most:
            km *= most / minutes
            minutes = _hike_minutes(km, per_km * km)
        target = Target(duration_min=round(minutes, 1), rpe=HIKE_RPE)
        if km >= trail.length_km - 0.05:
            title = f"Hike {trail.name} ({_h_min(minutes)})"
            what = "the whole route"
            note = "walk it, learn the footing"
        else:
            self.turnaround[trail.id] = round(km / 2, 1)
            title = f"Hike {trail.name}: the first {km / 2:.1f} km and back ({_h_min(minutes)})"
            what = (
                f"its first {km / 2:.1f} km and back, the part your runs on it will use (the "
                f"whole {trail.length_km:.0f} km route is far more than any run),"
            )
            note = f"walk out {km / 2:.1f} km and back, learn the footing"
        return Session(
            date=day,
            kind=Kind.HIKE,
            title=title,
            target=target,
            intensity=Intensity.RECOVERY,
            surface=Surface.TRAIL,
            steps=(Step(StepType.STEADY, target, note),),
            reasons=(
                rules.rule(
                    "R9",
                    f"{trail.name} is technical: hike {what} once on this rest day before you "
                    "run it. Mark it hiked (trailmix trails hiked) and runs may use it.",
                ),
                rules.default(
                    f"A hike of {_h_min(minutes)} (a hike before a run is kept to "
                    f"{_h_min(HIKE_MAX_MIN)} at most), on a rest day that is never the day after "
                    "a long run and, where the week allows, not the eve of a key session, so you "
                    "come fresh to the next one."
                    + (
                        f" Your only rest day here is the eve of a key session: the hike is kept "
                        f"to {_h_min(HIKE_EVE_MAX_MIN)}, an easy walk."
                        if eve_of_key
                        else ""
                    )
                ),
                _benefit_reason("hike"),
            ),
            trail=TrailRef(trail.id, trail.name),
            shoe=Shoe.TRAIL,
            benefits=_BENEFITS["hike"],
        )


def _hike_minutes(km: float, gain_m: float) -> float:
    """Naismith's rule: 5 km an hour on the flat, plus an hour per 600 m of ascent."""
    return km * HIKE_PACE_S_PER_KM / 60 + gain_m / HIKE_CLIMB_M_PER_H * 60


def _h_min(minutes: float) -> str:
    m = round(minutes)
    return f"{m} min" if m < 60 else f"{m // 60} h {m % 60:02d}"


class _Fill:
    """One attempt at filling a week's trail share, kept apart so that it can be abandoned."""

    def __init__(
        self,
        state: _State,
        week: Week,
        sessions: list[Session],
        total: float,
        cap: float,
        share_more: float,
        enjoy: bool,
        max_sessions: int,
    ) -> None:
        self.state, self.week, self.sessions = state, week, sessions
        self.total, self.cap, self.share_more = total, cap, share_more
        self.enjoy, self.max_sessions = enjoy, max_sessions
        self.moved = 0
        self.trail_min = 0.0
        self.min_minutes = MIN_TRAIL_MIN

    def copy(self) -> _Fill:
        other = _Fill(
            self.state,
            self.week,
            list(self.sessions),
            self.total,
            self.cap,
            self.share_more,
            self.enjoy,
            self.max_sessions,
        )
        return other

    def _room(self, original: float, limit: float) -> float:
        """Longest trail session replacing `original` minutes that keeps trails <= limit."""
        return (limit * (self.total - original) - self.trail_min) / (1 - limit)

    def _put(self, i: int, new: Session) -> None:
        self.total += new.duration_min - self.sessions[i].duration_min
        self.sessions[i] = new
        self.trail_min += new.duration_min
        self.moved += 1

    def quality(self, i: int, purpose: str, reserve: list[int]) -> bool:
        """Move one quality session to a trail whole (R5: it keeps its time and effort), if it
        and the reserved easy runs still fit at `QUALITY_KEEP_EASY` of their time (the minutes
        an easy run gives up go to the road, `_balance`); else leave it on the road."""
        s = self.sessions[i]
        kept = sum(
            max(self.min_minutes, QUALITY_KEEP_EASY * self.sessions[j].duration_min)
            for j in reserve
        )

        def room(minutes: float) -> float:
            rest = self.total - s.duration_min + minutes
            return self.cap * rest - self.trail_min - kept - minutes

        if s.duration_min < MIN_QUALITY_MIN or room(s.duration_min) < -1e-6:
            return False
        new = self.state._quality_to_trail(s, purpose, self.total, self.cap)
        if room(new.duration_min) < -1e-6:
            return False
        self._put(i, new)
        return True

    def easy_runs(self, order: list[int], min_keep: float) -> bool:
        """Move recovery and easy runs in order while the cap allows; the first one may be
        shortened to fit (R1), but not below `min_keep` of its time. True if one moved."""
        first = True
        for i in order:
            if self.moved >= self.max_sessions:
                break
            s = self.sessions[i]
            limit = self.cap if self.moved == 0 or first else self.share_more
            room = self._room(s.duration_min, limit)
            minutes = s.duration_min
            if minutes > room + 1e-6:
                if not first:
                    continue
                minutes = float(int(room))
                if minutes < max(self.min_minutes, min_keep * s.duration_min):
                    return False
            self._put(
                i,
                self.state._easy_to_trail(s, minutes, self.enjoy, self.week, self.total, self.cap),
            )
            first = False
        return not first


def _free_day(
    weeks: tuple[Week, ...] | list[Week],
    wanted: date,
    race: date,
    start: date,
    taken: set[date] | None = None,
) -> tuple[date, bool] | None:
    """A rest day for a hike (R9) that leaves the runner fresh, and whether it is the eve of a
    key session: never the day after a long run
    nor next to another hike, and not the eve of a key session (long run, quality session,
    race) when another rest day will do. The latest one in the two weeks before `wanted`, so
    the session that wanted the trail may use it; else the first one after. Never in the last
    week before the race."""
    by_day = {s.date: s for w in weeks for s in w.sessions}
    hikes = taken or set()
    last = race - timedelta(days=7)
    one = timedelta(days=1)

    def ok(day: date) -> bool:
        before = by_day.get(day - one)
        return (
            start <= day <= last
            and day not in by_day
            and not {day - one, day, day + one} & hikes
            and not (before is not None and before.kind is Kind.LONG)
        )

    def eve_of_key(day: date) -> bool:
        s = by_day.get(day + one)
        return s is not None and (
            s.kind in (Kind.LONG, Kind.RACE) or (s.kind.is_quality and s.kind is not Kind.STRIDES)
        )

    earlier = [d for d in (wanted - timedelta(days=k) for k in range(1, 15)) if ok(d)]
    later = [d for d in (wanted + timedelta(days=k) for k in range(0, 15)) if ok(d)]
    for pool in (earlier, later):
        fresh = [d for d in pool if not eve_of_key(d)]
        if fresh:
            return fresh[0], False
        if pool:
            return pool[0], True
    return None


def _insert(weeks: list[Week], session: Session) -> list[Week]:
    out = []
    for w in weeks:
        if w.start <= session.date <= w.end:
            w = replace(w, sessions=tuple(sorted((*w.sessions, session), key=lambda s: s.date)))
        out.append(w)
    return out


def _benefit_reason(purpose: str) -> Reason:
    names = ", ".join(b.value for b in _BENEFITS[purpose])
    return rules.rule("R12", f"What this builds: {names}.")


def _road_note(s: Session) -> Session:
    """Road sessions that must stay on the road say why (R3)."""
    if s.kind is Kind.LONG:
        return s.with_reason(
            rules.rule("R3", "Long runs stay on the road: race day is long stretches of pavement.")
        )
    if s.race_specific:
        return s.with_reason(
            rules.rule("R3", "Race-specific work stays on the road, where the race is.")
        )
    return s


def _with_adaptation(plan: Plan, already: date | None = None) -> Plan:
    """R4: the date the trail benefits are expected, and a warning when it is after race day.
    `already` is the first trail run actually done (a re-plan), which starts the window."""
    planned = next(
        (s.date for s in plan.sessions if s.surface is Surface.TRAIL and s.kind.is_running),
        None,
    )
    first = min(d for d in (planned, already) if d is not None) if (planned or already) else None
    if first is None:
        no_room = rules.rule(
            "R1",
            f"No trail run fits: a trail run lasts at least {MIN_TRAIL_MIN:.0f} min and your cap "
            f"of {plan.trail_cap:.0%} of these weeks leaves less. "
            + _what_helps(plan.trail_cap, plan.trail_preference),
        )
        return replace(plan, warnings=(*plan.warnings, no_room))
    start_w = first + timedelta(weeks=ADAPT_MIN_WEEKS)
    full_w = first + timedelta(weeks=ADAPT_FULL_WEEKS)
    fits = start_w <= plan.race.date
    window = AdaptationWindow(first, start_w, full_w, fits)
    warnings = list(plan.warnings)
    notes = list(plan.notes)
    if not fits:
        warnings.append(
            rules.rule(
                "R4",
                f"Trail running starts {first.isoformat()}; its benefits take 6-8 weeks "
                f"({start_w.isoformat()} to {full_w.isoformat()}), after race day "
                f"{plan.race.date.isoformat()}. The fresh mind comes at once, but the power, "
                "stability and injury benefits will not arrive in time for this race.",
            )
        )
    elif full_w > plan.race.date:
        notes.append(
            rules.rule(
                "R4",
                f"Trail benefits should start to show from {start_w.isoformat()}; the full 8 "
                f"weeks ({full_w.isoformat()}) fall after race day, so expect part of them.",
            )
        )
    else:
        notes.append(
            rules.rule(
                "R4",
                f"Trail running starts {first.isoformat()}: expect its benefits from "
                f"{start_w.isoformat()} to {full_w.isoformat()}, before race day.",
            )
        )
    return replace(plan, adaptation=window, warnings=tuple(warnings), notes=tuple(notes))


def athlete_options(
    athlete: Athlete, trails: tuple[Trail, ...] = (), cap: float | None = None
) -> MixOptions:
    """Mix options from a runner's profile, with an explicit cap overriding the stored one."""
    return MixOptions(
        preference=athlete.trail_preference,
        cap=cap if cap is not None else (athlete.trail_cap or TRAIL_SHARE_CAP),
        trails=trails,
        trail_shoe=athlete.trail_shoe,
    )
