"""A road `Plan` from a runner's own plan: dated sessions as a coach, an app or a book wrote them.

Each entry is read by `recognize`; the importer prices it with the runner's paces (a distance
session also gets its time, which R5 needs before it can move to a trail), groups the days into
Monday-based weeks like the generator, gives each week a phase by its place before the race and
every session its reasons (source "your plan", what was read). The trail-mix engine then works
on the result exactly as on a generated plan. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from statistics import median

from trailmix.domain import rules
from trailmix.domain.effort import RACE_RPE, heart_rate_model, rpe_for
from trailmix.domain.imports.words import Confidence, Recognition, Unit, dominant_unit, recognize
from trailmix.domain.plan import vdot, workouts
from trailmix.domain.plan.planner import fitness_vdot, phases, taper_weeks
from trailmix.domain.plan.prescribe import Prescriber
from trailmix.domain.types import (
    Athlete,
    Intensity,
    IntRange,
    Kind,
    Phase,
    Plan,
    Race,
    RaceDistance,
    Range,
    Reason,
    Session,
    Step,
    StepType,
    Surface,
    Target,
    Week,
    Weekday,
)
from trailmix.domain.units import format_minutes, format_pace_range
from trailmix.errors import InputError

SOURCE = "your plan"  # the rule of a reason that comes from the runner's own plan
PLAN_SOURCE = "imported"  # Plan.source of an imported plan
CUTBACK_DROP = 0.15  # trailmix default: a week 15 % under both neighbours is a cut-back week
PACE_HALF_WIDTH = 3.0  # trailmix default: a pace written in the plan, +-3 s/km
STRIDE_S, STRIDE_GAP_S = 20.0, 40.0  # strides as the generator writes them (workouts.strides)
SET_REST_MIN = 3.0  # trailmix default: the jog between sets ("2 sets of 4 x 400")


@dataclass(frozen=True)
class Entry:
    """One dated session as the file gave it; `where` says where (e.g. "line 4")."""

    day: date
    title: str
    description: str = ""
    minutes: float | None = None
    km: float | None = None
    where: str = ""
    session: Session | None = None  # a session trailmix itself exported, restored exactly


@dataclass(frozen=True)
class Recognised:
    """An entry, how it was read, and what became of it in the plan."""

    entry: Entry
    recognition: Recognition
    outcome: str  # "session", "rest day", "cross-training", "race", "kept as written", ...

    @property
    def confidence(self) -> Confidence:
        return self.recognition.confidence


@dataclass(frozen=True)
class Imported:
    plan: Plan
    recognised: tuple[Recognised, ...]

    def count(self, confidence: Confidence) -> int:
        return sum(1 for r in self.recognised if r.confidence is confidence)


def _text(e: Entry) -> str:
    return " ".join(e.title.split())


def _read(e: Entry, race: RaceDistance | None, unit: Unit) -> Recognition:
    """The title first; the description helps when the title alone is not enough."""
    if e.session is not None:
        s = e.session
        return Recognition(
            text=e.title,
            kind=s.kind,
            intensity=s.intensity,
            confidence=Confidence.RECOGNISED,
            words=("trailmix export",),
            minutes=s.target.duration_min,
            km=s.target.distance_km,
            race_specific=s.race_specific,
            race=s.kind is Kind.RACE,
            tune_up=s.kind is Kind.RACE and not s.title.startswith("Race day"),
            race_distance=next(
                (d for d in RaceDistance if abs(d.km - (s.target.distance_km or 0)) < 0.01), None
            ),
        )
    first = recognize(_text(e), race, unit)
    if first.confidence is Confidence.RECOGNISED or not e.description.strip():
        return first
    both = recognize(f"{_text(e)} {' '.join(e.description.split())}", race, unit)
    if both.race and not first.race:
        return first  # a race is named in the title, not in a note about it
    rank = {Confidence.RECOGNISED: 0, Confidence.GUESSED: 1, Confidence.NOT_UNDERSTOOD: 2}
    return both if rank[both.confidence] < rank[first.confidence] else first


def _with_size(rec: Recognition, e: Entry) -> Recognition:
    """A duration or distance given in its own column wins over a size guessed from words."""
    if e.minutes is None and e.km is None:
        return rec
    if rec.kind is Kind.REST and not rec.cross_training:
        return rec
    if (rec.minutes is not None or rec.km is not None) and not any(
        "no size" in g for g in rec.guesses
    ):
        return rec
    guesses = tuple(g for g in rec.guesses if "no size" not in g)
    words = (*rec.words, "duration column" if e.minutes is not None else "distance column")
    conf = rec.confidence
    if not guesses and conf is Confidence.GUESSED:
        conf = Confidence.RECOGNISED
    if rec.work is not None:
        return replace(
            rec, minutes=e.minutes, km=None, guesses=guesses, words=words, confidence=conf
        )
    return replace(
        rec,
        minutes=e.minutes,
        km=e.km if e.minutes is None else None,
        guesses=guesses,
        words=words,
        confidence=conf,
    )


def _duplicates(entries: Sequence[Entry]) -> None:
    seen: dict[date, Entry] = {}
    for e in entries:
        if e.day in seen:
            a = seen[e.day]
            raise InputError(
                f"two sessions on {e.day.isoformat()} ({a.where or repr(a.title)} and "
                f"{e.where or repr(e.title)}); trailmix plans one session a day: merge them "
                "into one."
            )
        seen[e.day] = e


def import_plan(
    entries: Sequence[Entry],
    athlete: Athlete,
    *,
    distance: RaceDistance | None = None,
    race_date: date | None = None,
    race_name: str = "",
    goal_time_s: float | None = None,
) -> Imported:
    """The runner's plan as a road Plan, with how each entry was read. Raises InputError for a
    plan with no race, one that goes on after race day, or two sessions on a day."""
    if not entries:
        raise InputError("the plan has no sessions; give a file with dated sessions.")
    entries = sorted(entries, key=lambda e: e.day)
    _duplicates(entries)
    unit = dominant_unit([f"{e.title} {e.description}" for e in entries])
    reads = [_with_size(_read(e, distance, unit), e) for e in entries]
    race_day, race_entry = _race_day(entries, reads, race_date)
    if distance is None:
        found = next((r.race_distance for r in reads if r.race and not r.tune_up), None)
        if race_entry is not None:
            found = reads[race_entry].race_distance or found
        if found is None:
            raise InputError(
                "which race is it? your plan does not say; give 5k, 10k, half or marathon.",
                "--distance",
            )
        distance = found
        reads = [_with_size(_read(e, distance, unit), e) for e in entries]
    name = race_name
    if not name and race_entry is not None and entries[race_entry].session is None:
        name = _race_name(entries[race_entry].title)
    race = Race(distance, race_day, name, goal_time_s)
    level_note: Reason | None = None
    if athlete.recent_race is None and goal_time_s is None:
        written = written_level(reads)
        if written is None:
            raise InputError(
                "trailmix needs a recent race (e.g. --recent-race 10k=48:30), a goal time "
                "(--goal-time 1:45:00) or paces written in your plan (e.g. 'tempo at 7:30/mi', "
                "'8 x 400 @ 1:45') to turn your plan's efforts into paces and minutes.",
                "--recent-race",
            )
        fit, example = written
        level_note = rules.source(
            "Daniels",
            f"No recent race given: your level is read from the paces your plan writes "
            f"({example}; VDOT {fit:.0f}). Give --recent-race to set it yourself.",
        )
    else:
        fit = fitness_vdot(athlete, race)
    paces = vdot.training_paces(fit)
    hr = heart_rate_model(athlete)
    p = Prescriber(paces, hr)
    rp = goal_time_s / distance.km if goal_time_s else vdot.race_pace(fit, distance.km)
    race_pace = (round(rp - 3, 1), round(rp + 3, 1))
    maker = _Maker(p, race, race_pace, fit)

    sessions: list[Session] = []
    recognised: list[Recognised] = []
    for i, (e, rec) in enumerate(zip(entries, reads, strict=True)):
        session, outcome = maker.session(e, rec, is_goal=i == race_entry)
        if session is not None:
            sessions.append(session)
        recognised.append(Recognised(e, rec, outcome))
    if race_entry is None:
        sessions.append(maker.goal_race(None))
    weeks = _weeks(sessions, race)
    notes = [
        Reason(
            SOURCE,
            f"Imported from your plan: {len(recognised)} entries, "
            f"{sum(r.confidence is Confidence.RECOGNISED for r in recognised)} recognised, "
            f"{sum(r.confidence is Confidence.GUESSED for r in recognised)} guessed, "
            f"{sum(r.confidence is Confidence.NOT_UNDERSTOOD for r in recognised)} not "
            "understood.",
        ),
        *((level_note,) if level_note else ()),
        rules.default(
            f"Phases by each week's place before the race: the taper is the last "
            f"{taper_weeks(race)} week(s) (Bosquet 2007), then peak, build and base as about "
            "25/35/40 % of the weeks before."
        ),
    ]
    warnings: list[Reason] = []
    lost = [r for r in recognised if r.confidence is Confidence.NOT_UNDERSTOOD]
    if lost:
        listed = "; ".join(f"{r.entry.day.isoformat()} {r.entry.title!r}" for r in lost[:5])
        more = f" and {len(lost) - 5} more" if len(lost) > 5 else ""
        warnings.append(
            Reason(
                SOURCE,
                f"{len(lost)} entr{'y' if len(lost) == 1 else 'ies'} not understood, kept as "
                f"written but not counted as running: {listed}{more}. Write them as e.g. "
                "'Easy 40 min' to have them planned.",
            )
        )
    plan = Plan(
        race=race,
        athlete=_athlete_from(athlete, sessions),
        start=min(s.date for s in sessions),
        weeks=tuple(weeks),
        paces=paces,
        hr_method=hr.method if hr else None,
        warnings=tuple(warnings),
        source=PLAN_SOURCE,
        notes=tuple(notes),
    )
    return Imported(plan, tuple(recognised))


def vdot_for_pace(intensity: Intensity, pace_s_per_km: float) -> float:
    """The VDOT whose Daniels pace at `intensity` is `pace_s_per_km` (bisection: paces get
    faster as VDOT grows)."""
    lo, hi = vdot.MIN_VDOT, vdot.MAX_VDOT
    for _ in range(40):
        mid = (lo + hi) / 2
        fast, slow = vdot.training_paces(mid).for_intensity(intensity) or (0.0, 0.0)
        if (fast + slow) / 2 > pace_s_per_km:
            lo = mid
        else:
            hi = mid
    return round((lo + hi) / 2, 1)


def written_level(reads: Sequence[Recognition]) -> tuple[float, str] | None:
    """The runner's VDOT from the paces their plan writes for quality work ("8 x 400 @ 1:45",
    "tempo at 7:30/mi"): the median over those sessions, and one of them as the example. Easy
    paces say little about fitness (runners run them anywhere in a wide range), so they count
    only when nothing else is written."""
    hard: list[tuple[float, str]] = []
    easy: list[tuple[float, str]] = []
    for rec in reads:
        if rec.pace_s_per_km is None:
            continue
        intensity = rec.work.intensity if rec.work is not None else rec.intensity
        if intensity is Intensity.RACE:
            continue
        found = (vdot_for_pace(intensity, rec.pace_s_per_km), rec.text)
        (easy if intensity in (Intensity.E, Intensity.RECOVERY) else hard).append(found)
    chosen = hard or easy
    if not chosen:
        return None
    middle = median(v for v, _ in chosen)
    _, example = min(chosen, key=lambda f: abs(f[0] - middle))
    return middle, f"e.g. {example!r}"


def _race_name(title: str) -> str:
    t = " ".join(title.split())
    t = re.sub(r"\s*[-:]?\s*race day\s*$", "", t, flags=re.I)
    for prefix in ("race day:", "race day -", "race day", "goal race:", "race:", "race -"):
        if t.lower().startswith(prefix):
            return t[len(prefix) :].strip(" :-!")
    return "" if t.lower() in ("race", "race day", "goal race") else t.strip("!")


def _race_day(
    entries: Sequence[Entry], reads: Sequence[Recognition], given: date | None
) -> tuple[date, int | None]:
    """Race day and the index of its entry (None when the file has no session that day)."""
    last = entries[-1]
    if given is not None:
        after = [e for e in entries if e.day > given]
        if after:
            e = after[0]
            raise InputError(
                f"the plan goes on after race day {given.isoformat()}: {e.day.isoformat()} "
                f"{e.title!r}{f' ({e.where})' if e.where else ''}. Give the race's real date, "
                "or remove the sessions after it.",
                "--race-date",
            )
        idx = next((i for i, e in enumerate(entries) if e.day == given), None)
        if idx is not None and reads[idx].kind not in (Kind.RACE, Kind.REST):
            e = entries[idx]
            raise InputError(
                f"your plan has {e.title!r} on race day {given.isoformat()}, not a race; give "
                "the race's real date.",
                "--race-date",
            )
        return given, idx
    goals = [i for i, r in enumerate(reads) if r.race and not r.tune_up]
    if not goals:
        races = [i for i, r in enumerate(reads) if r.race]
        goals = races[-1:]
    if not goals:
        raise InputError(
            "the plan has no race: no session says 'Race day' (or names the race). Add one, "
            "or give the race's date.",
            "--race-date",
        )
    idx = goals[-1]
    if entries[idx].day != last.day:
        e = next(e for e in entries if e.day > entries[idx].day)
        raise InputError(
            f"the plan goes on after its race on {entries[idx].day.isoformat()}: "
            f"{e.day.isoformat()} {e.title!r}{f' ({e.where})' if e.where else ''}. Remove the "
            "sessions after race day, or give the goal race's date.",
            "--race-date",
        )
    return entries[idx].day, idx


def _weeks(sessions: list[Session], race: Race) -> list[Week]:
    first = min(s.date for s in sessions)
    monday = first - timedelta(days=first.weekday())
    race_monday = race.date - timedelta(days=race.date.weekday())
    n = (race_monday - monday).days // 7 + 1
    week_phases = phases(n, min(taper_weeks(race), n - 1) if n > 1 else 1)
    groups: list[list[Session]] = [[] for _ in range(n)]
    for s in sorted(sessions, key=lambda s: s.date):
        groups[(s.date - monday).days // 7].append(s)
    totals = [sum(s.running_min for s in g) for g in groups]
    weeks: list[Week] = []
    for i, (phase, group) in enumerate(zip(week_phases, groups, strict=True)):
        cutback = (
            phase is not Phase.TAPER
            and 0 < i < n - 1
            and totals[i] < (1 - CUTBACK_DROP) * totals[i - 1]
            and totals[i] < (1 - CUTBACK_DROP) * totals[i + 1]
        )
        reason = rules.default(
            f"Week {i + 1} of {n}: {'cut-back week in the ' if cutback else ''}{phase.value} "
            "phase, by its place before the race."
        )
        weeks.append(
            Week(
                index=i + 1,
                start=monday + timedelta(weeks=i),
                phase=phase,
                sessions=tuple(s.with_reason(reason) for s in group),
                cutback=cutback,
            )
        )
    return weeks


def _athlete_from(athlete: Athlete, sessions: list[Session]) -> Athlete:
    """The profile with the plan's own run days a week and long-run day (what the plan says)."""
    per_week = Counter(
        (s.date - timedelta(days=s.date.weekday())) for s in sessions if s.kind.is_running
    )
    days = round(median(per_week.values())) if per_week else athlete.days_per_week
    longs = Counter(s.date.weekday() for s in sessions if s.kind is Kind.LONG)
    long_day = Weekday(longs.most_common(1)[0][0]) if longs else athlete.long_run_day
    return replace(
        athlete, days_per_week=max(3, min(7, days)), long_run_day=long_day, run_days=None
    )


class _Maker:
    """Turns a recognition into a priced Session with steps and reasons."""

    def __init__(self, p: Prescriber, race: Race, race_pace: Range, fit_vdot: float) -> None:
        self.p, self.race, self.race_pace, self.vdot = p, race, race_pace, fit_vdot

    def session(self, e: Entry, rec: Recognition, is_goal: bool) -> tuple[Session | None, str]:
        said = Reason(SOURCE, f"{_text(e)!r}: {rec.summary}.")
        if e.session is not None:
            return self._restored(e.session, is_goal)
        if is_goal:
            return self.goal_race(e), "the goal race"
        if rec.confidence is Confidence.NOT_UNDERSTOOD:
            return self._as_written(e, rec, said), "kept as written, not counted as running"
        if rec.kind is Kind.REST:
            if rec.cross_training:
                return self._as_written(e, rec, said), "cross-training, not counted as running"
            return None, "rest day"
        if rec.kind is Kind.RACE:
            return self._tune_up(e, rec, said), "a tune-up race"
        return self._run(e, rec, said), "session"

    def _restored(self, s: Session, is_goal: bool) -> tuple[Session | None, str]:
        """A session of trailmix's own calendar, as the road plan it came from: hikes go (the
        engine plans them again), trail runs go back to the road with their time and effort."""
        if s.kind is Kind.HIKE:
            return None, "a hike trailmix planned (R9); mixing plans it again"
        kept = tuple(r for r in s.reasons if not (r.rule[:1] == "R" and r.rule[1:].isdigit()))
        kept = kept or (Reason(SOURCE, "A session of your trailmix calendar."),)
        if s.surface is Surface.ROAD:
            return replace(s, reasons=kept), "the goal race" if is_goal else "session"
        target = self.p.target(s.intensity, minutes=s.duration_min, rpe=s.target.rpe)
        title = s.title.removeprefix("Trail ").split(", RPE")[0]
        road = replace(
            s,
            title=title[:1].upper() + title[1:],
            target=target,
            surface=Surface.ROAD,
            steps=tuple(_road_step(st, self.p) for st in s.steps),
            reasons=(
                Reason(
                    SOURCE,
                    "A trail session of your trailmix calendar, back on the "
                    "road before the trails are mixed in again.",
                ),
            ),
            trail=None,
            trail_hint=None,
            shoe=None,
            benefits=(),
        )
        return road, "session (was on a trail)"

    def goal_race(self, e: Entry | None) -> Session:
        race = self.race
        km = race.distance.km
        minutes = km * sum(self.race_pace) / 2 / 60
        target = Target(
            duration_min=round(minutes, 1),
            distance_km=round(km, 3),
            pace_s_per_km=self.race_pace,
            rpe=RACE_RPE[race.distance],
        )
        where = (
            f"your plan's {_text(e)!r}"
            if e is not None
            else "the race date you gave (your plan has no session that day)"
        )
        return Session(
            date=race.date,
            kind=Kind.RACE,
            title=f"Race day: {race.name or race.distance.label + ' race'}",
            target=target,
            intensity=Intensity.RACE,
            steps=(Step(StepType.WORK, target, "race"),),
            reasons=(
                Reason(
                    "goal race",
                    f"Your {race.distance.label}, from {where}; predicted "
                    f"{format_minutes(minutes)} at your current fitness (Daniels).",
                ),
            ),
            race_specific=True,
        )

    def _tune_up(self, e: Entry, rec: Recognition, said: Reason) -> Session:
        km = rec.km or (rec.race_distance.km if rec.race_distance else 5.0)
        pace = vdot.race_pace(self.vdot, km)
        pace_range = (round(pace - 3, 1), round(pace + 3, 1))
        rpe = RACE_RPE.get(rec.race_distance, (8, 9)) if rec.race_distance else (8, 9)
        target = Target(
            duration_min=round(km * pace / 60, 1),
            distance_km=round(km, 3),
            pace_s_per_km=pace_range,
            rpe=rpe,
        )
        return Session(
            date=e.day,
            kind=Kind.RACE,
            title=_text(e),
            target=target,
            intensity=Intensity.RACE,
            steps=(Step(StepType.WORK, target, "tune-up race"),),
            reasons=(
                said,
                rules.default(
                    "A tune-up race is race-specific work: it stays a race, on the road."
                ),
            ),
            race_specific=True,
        )

    def _as_written(self, e: Entry, rec: Recognition, said: Reason) -> Session:
        minutes = rec.minutes or 0.0
        if rec.cross_training:
            text = (
                "Cross-training: not running, so trails do not replace it; it counts no "
                "running minutes."
            )
        else:
            text = (
                "Not understood: kept as written, with no running minutes, so the trail "
                "share ignores it. Write it like 'Easy 40 min' to have it planned."
            )
        return Session(
            date=e.day,
            kind=Kind.REST,
            title=_text(e),
            target=Target(duration_min=round(minutes, 1), rpe=(1, 3)),
            intensity=Intensity.RECOVERY,
            reasons=(said, Reason(SOURCE, text)),
        )

    # -- running sessions ---------------------------------------------------------------------
    def _pace(self, intensity: Intensity, race_pace: bool, written: float | None) -> Range | None:
        if written is not None:
            return (round(written - PACE_HALF_WIDTH, 1), round(written + PACE_HALF_WIDTH, 1))
        if race_pace:
            return self.race_pace
        return self.p.pace(intensity)

    def _minutes(self, km: float, pace: Range | None, intensity: Intensity) -> float:
        mid = (pace[0] + pace[1]) / 2 if pace else self.p.pace_mid(intensity)
        return km * mid / 60

    def _step(
        self,
        kind: StepType,
        intensity: Intensity,
        minutes: float | None,
        km: float | None,
        note: str,
        pace: Range | None = None,
        rpe: IntRange | None = None,
        paced: bool = True,
    ) -> Step:
        pace = pace or self.p.pace(intensity)
        if minutes is None and km is not None:
            minutes = self._minutes(km, pace, intensity)
        target = self.p.target(intensity, minutes=minutes or 0.0, km=km, pace=pace, rpe=rpe)
        if not paced:
            target = replace(target, pace_s_per_km=None)
        return Step(kind, target, note)

    def _run(self, e: Entry, rec: Recognition, said: Reason) -> Session:
        reasons = [said]
        steps = self._continuous(rec) if rec.work is None else self._structured(rec)
        minutes = sum(s.total_min for s in steps)
        work = _first_work(steps)
        pace = work.target.pace_s_per_km if work else self.p.pace(rec.intensity)
        km = rec.km if rec.work is None and rec.minutes is None else None
        if rec.work is not None and rec.minutes is None:
            # Every step by distance ("LT 7 mi w/ 3 mi @ tempo"): the session is their sum.
            parts = [_distance_km(st) for st in steps]
            if all(d is not None for d in parts):
                km = sum(d or 0.0 for d in parts)
        if km is not None and rec.work is None:
            reasons.append(
                rules.source(
                    "Daniels",
                    f"{km:.1f} km at your {_label(rec.intensity)} pace "
                    f"({format_pace_range(pace)}) takes about {format_minutes(minutes)}: the "
                    "time a trail version keeps (R5).",
                )
            )
        elif km is not None and rec.work is not None:
            reasons.append(
                rules.source(
                    "Daniels",
                    f"{km:.1f} km in all, each part at your pace for it (the work at "
                    f"{format_pace_range(pace)}, the rest easy), takes about "
                    f"{format_minutes(minutes)}: the time a trail version keeps (R5).",
                )
            )
        if rec.work is not None and rec.warmup_min is None and rec.warmup_km is None:
            reasons.append(
                rules.default(
                    "Warm-up and cool-down of easy running added around "
                    "the work, as quality sessions need."
                )
            )
        if rec.race_specific:
            reasons.append(rules.default("Work at your goal race's pace: race-specific."))
        target = Target(
            duration_min=round(minutes, 1),
            distance_km=round(km, 2) if km is not None else None,
            pace_s_per_km=pace,
            rpe=_session_rpe(steps, rec),
            hr_bpm=self.p.hr.range_for(rec.intensity) if self.p.hr else None,
        )
        return Session(
            date=e.day,
            kind=rec.kind,
            title=_text(e),
            target=target,
            intensity=rec.intensity,
            steps=steps,
            reasons=tuple(reasons),
            race_specific=rec.race_specific,
        )

    def _continuous(self, rec: Recognition) -> tuple[Step, ...]:
        pace = self._pace(rec.intensity, False, rec.pace_s_per_km)
        minutes = rec.minutes
        km = rec.km
        if minutes is not None and rec.kind is Kind.TEMPO and rec.minutes and rec.minutes > 30:
            w = workouts.tempo(
                self.p, minutes, minutes - workouts.WARMUP_MIN - workouts.COOLDOWN_MIN
            )
            return w.steps
        if minutes is None:
            minutes = self._minutes(km or 0.0, pace, rec.intensity)
        strides_min = rec.strides * (STRIDE_S + STRIDE_GAP_S) / 60
        run_min = max(5.0, minutes - strides_min) if rec.strides and rec.km is None else minutes
        note = {Kind.LONG: "long and easy", Kind.RECOVERY: "very easy"}.get(rec.kind, "")
        steps: list[Step] = [self._step(StepType.STEADY, rec.intensity, run_min, km, note, pace)]
        if rec.strides:
            steps.append(
                Step(
                    StepType.REPEAT,
                    Target(rpe=(7, 8)),
                    repeat=rec.strides,
                    steps=(
                        Step(
                            StepType.WORK,
                            Target(duration_min=STRIDE_S / 60, rpe=(7, 8)),
                            "stride: quick, relaxed",
                        ),
                        Step(
                            StepType.RECOVER,
                            Target(duration_min=STRIDE_GAP_S / 60, rpe=(2, 3)),
                            "walk or jog",
                        ),
                    ),
                )
            )
        return tuple(steps)

    def _structured(self, rec: Recognition) -> tuple[Step, ...]:
        w = rec.work
        assert w is not None
        paced = rec.kind is not Kind.HILL_REPEATS  # uphill, pace means nothing: effort
        pace = self._pace(w.intensity, w.race_pace, rec.pace_s_per_km) if paced else None
        rpe = (8, 9) if rec.kind is Kind.HILL_REPEATS else None
        if w.race_pace:
            rpe = (
                (5, 7)
                if self.race.distance in (RaceDistance.HALF, RaceDistance.MARATHON)
                else (7, 8)
            )
        note = w.pace_label and f"@ {w.pace_label}"
        work = self._step(
            StepType.WORK,
            w.intensity,
            w.minutes,
            w.km,
            note or ("uphill, hard" if not paced else "hard"),
            pace,
            rpe,
            paced,
        )
        body: Step = work
        if w.reps > 1:
            rec_min = w.recover_minutes
            if rec_min is None and w.recover_km is not None:
                rec_min = self._minutes(
                    w.recover_km, self.p.pace(Intensity.RECOVERY), Intensity.RECOVERY
                )
            recover = self._step(
                StepType.RECOVER,
                Intensity.RECOVERY,
                rec_min or 1.0,
                w.recover_km,
                "jog back down" if not paced else "jog",
            )
            body = Step(
                StepType.REPEAT, Target(rpe=work.target.rpe), repeat=w.reps, steps=(work, recover)
            )
        if w.sets > 1:
            # "2 sets of 4 x 400": the set repeated, a longer jog between sets.
            set_rest = self._step(
                StepType.RECOVER, Intensity.RECOVERY, SET_REST_MIN, None, "jog between sets"
            )
            body = Step(
                StepType.REPEAT, Target(rpe=work.target.rpe), repeat=w.sets, steps=(body, set_rest)
            )
        wu_min = (
            rec.warmup_min
            if rec.warmup_min is not None
            else (None if rec.warmup_km is not None else workouts.WARMUP_MIN)
        )
        cd_min = (
            rec.cooldown_min
            if rec.cooldown_min is not None
            else (None if rec.cooldown_km is not None else workouts.COOLDOWN_MIN)
        )
        if rec.minutes is not None and rec.warmup_min is None and rec.warmup_km is None:
            # A total was written ("Intervals 60 min: 5 x 1000 m"): warm-up and cool-down
            # share what the work leaves, 60/40 (trailmix default), at least 5 min each.
            left = max(10.0, rec.minutes - body.total_min)
            wu_min, cd_min = 0.6 * left, 0.4 * left
        easy_part = rec.kind in (Kind.LONG, Kind.STEADY) and w.reps == 1
        wu_km, cd_km = rec.warmup_km, rec.cooldown_km
        body_km = _distance_km(body)
        if (
            rec.km is not None
            and rec.minutes is None
            and wu_km is None
            and rec.warmup_min is None
            and body_km is not None
            and rec.km > body_km
        ):
            # A total distance was written ("VO2max 8 mi w/ 5 x 1000m"): warm-up and cool-down
            # share what the work leaves, 60/40 (trailmix default).
            left = rec.km - body_km
            wu_km, cd_km, wu_min, cd_min = 0.6 * left, 0.4 * left, None, None
        wu = self._step(
            StepType.WARMUP,
            Intensity.E,
            wu_min,
            wu_km,
            "easy" if easy_part else "easy warm-up",
        )
        cd = self._step(
            StepType.COOLDOWN,
            Intensity.E,
            cd_min,
            cd_km,
            "easy" if easy_part else "easy cool-down",
        )
        # "LR 16 mi w/ last 8 @ MP" ends with the work: no cool-down step of nothing.
        return tuple(s for s in (wu, body, cd) if s.total_min > 0)


def _distance_km(s: Step) -> float | None:
    """A step's distance, repeats counted; None when any part of it is timed only."""
    if s.type is StepType.REPEAT:
        parts = [_distance_km(c) for c in s.steps]
        if any(p is None for p in parts):
            return None
        return s.repeat * sum(p or 0.0 for p in parts)
    return s.target.distance_km


def _road_step(s: Step, p: Prescriber) -> Step:
    return replace(s, steps=tuple(_road_step(c, p) for c in s.steps))


def _first_work(steps: Sequence[Step]) -> Step | None:
    for s in steps:
        if s.type is StepType.WORK and s.target.pace_s_per_km:
            return s
        found = _first_work(s.steps)
        if found is not None:
            return found
    return None


def _session_rpe(steps: Sequence[Step], rec: Recognition) -> IntRange:
    """The effort of the hardest part (strides excepted, as in the generator)."""
    if rec.work is None:
        return rpe_for(rec.intensity)
    best: IntRange = (1, 1)
    stack = list(steps)
    while stack:
        s = stack.pop()
        stack.extend(s.steps)
        if s.type is StepType.WORK and s.target.rpe > best:
            best = s.target.rpe
    return best if best != (1, 1) else rpe_for(rec.intensity)


def _label(intensity: Intensity) -> str:
    return {Intensity.RECOVERY: "recovery", Intensity.RACE: "race"}.get(intensity, intensity.value)
