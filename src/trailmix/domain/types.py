"""The domain's vocabulary: runners, races, plans, weeks, sessions, steps and their reasons.

Everything here is immutable data with no I/O; the planner and the trail-mix engine build these
values, and storage, file formats, the CLI and the web app only read and write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import IntEnum, StrEnum

Range = tuple[float, float]
"""A closed range (low, high). For paces: (fast, slow) in seconds per km."""

IntRange = tuple[int, int]


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class Weekday(IntEnum):
    """ISO weekday numbering minus one, as `date.weekday()` returns it."""

    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Weekday:
        key = text.strip().lower()[:3]
        for day in cls:
            if day.label == key:
                return day
        raise ValueError(text)


class DateOrder(StrEnum):
    """How a plan file writes numeric dates: day first (08/12/2026, Europe) or month first
    (US)."""

    DMY = "dmy"
    MDY = "mdy"


class RaceDistance(StrEnum):
    """The goal races trailmix plans for."""

    K5 = "5k"
    K10 = "10k"
    HALF = "half"
    MARATHON = "marathon"

    @property
    def km(self) -> float:
        return _GOAL_KM[self]

    @property
    def label(self) -> str:
        return {"5k": "5K", "10k": "10K", "half": "half marathon", "marathon": "marathon"}[
            self.value
        ]


_GOAL_KM = {
    RaceDistance.K5: 5.0,
    RaceDistance.K10: 10.0,
    RaceDistance.HALF: 21.0975,
    RaceDistance.MARATHON: 42.195,
}


class TrailPreference(StrEnum):
    """How much trail running the runner wants (R1, R2)."""

    ENJOY = "enjoy"
    MINIMUM = "minimum"
    OFF = "off"


class TrailShoe(StrEnum):
    """Whether the runner owns a trail shoe; `unsure` means not ready to commit (R10)."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class Phase(StrEnum):
    BASE = "base"
    BUILD = "build"
    PEAK = "peak"
    TAPER = "taper"


class Kind(StrEnum):
    """What a session is; the values are part of the JSON contract (docs/plan-json.md)."""

    REST = "rest"
    EASY = "easy"
    RECOVERY = "recovery"
    LONG = "long"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    HILL_REPEATS = "hill_repeats"
    FARTLEK = "fartlek"
    STEADY = "steady"
    STRIDES = "strides"
    RACE = "race"
    HIKE = "hike"

    @property
    def is_quality(self) -> bool:
        return self in _QUALITY

    @property
    def is_running(self) -> bool:
        return self not in (Kind.REST, Kind.HIKE)


_QUALITY = frozenset(
    {Kind.TEMPO, Kind.INTERVALS, Kind.HILL_REPEATS, Kind.FARTLEK, Kind.STEADY, Kind.STRIDES}
)


class Surface(StrEnum):
    ROAD = "road"
    TRAIL = "trail"


class Shoe(StrEnum):
    """The shoe a trail session asks for (R10)."""

    ROAD_TRAINER = "road_trainer"
    HYBRID = "hybrid"
    TRAIL = "trail"


class Intensity(StrEnum):
    """Daniels' training intensities, plus recovery (slower end of E) and race effort."""

    RECOVERY = "recovery"
    E = "E"
    M = "M"
    T = "T"
    I = "I"  # noqa: E741 - Daniels' own name for interval intensity
    R = "R"
    RACE = "race"


class Benefit(StrEnum):
    """What trail running builds, in the article's four sections (R12)."""

    POWER = "power"
    STABILITY = "stability and form"
    FEWER_INJURIES = "fewer overuse injuries"
    FRESH_MIND = "fresh mind"


class StepType(StrEnum):
    WARMUP = "warmup"
    WORK = "work"
    RECOVER = "recover"
    COOLDOWN = "cooldown"
    STEADY = "steady"
    REPEAT = "repeat"


@dataclass(frozen=True)
class Reason:
    """Why a decision was made: a rule id (R1-R12), a named source, or "trailmix default"."""

    rule: str
    text: str


@dataclass(frozen=True)
class Target:
    """What a session or a step asks for. Trail targets never carry a pace (R5)."""

    duration_min: float | None = None
    distance_km: float | None = None
    pace_s_per_km: Range | None = None
    rpe: IntRange = (1, 10)
    hr_bpm: IntRange | None = None


@dataclass(frozen=True)
class Step:
    """One structured step; a REPEAT step holds `repeat` rounds of its child `steps`."""

    type: StepType
    target: Target
    note: str = ""
    repeat: int = 1
    steps: tuple[Step, ...] = ()

    @property
    def total_min(self) -> float:
        if self.type is StepType.REPEAT:
            return self.repeat * sum(s.total_min for s in self.steps)
        return self.target.duration_min or 0.0


@dataclass(frozen=True)
class TrailRef:
    """The trail a session uses, by id and name (the library holds the rest)."""

    id: int
    name: str


@dataclass(frozen=True)
class Session:
    """One day's training. Road sessions may carry a pace; trail sessions never do (R5)."""

    date: date
    kind: Kind
    title: str
    target: Target
    intensity: Intensity = Intensity.E
    surface: Surface = Surface.ROAD
    steps: tuple[Step, ...] = ()
    reasons: tuple[Reason, ...] = ()
    race_specific: bool = False
    trail: TrailRef | None = None
    trail_hint: str | None = None
    shoe: Shoe | None = None
    benefits: tuple[Benefit, ...] = ()

    @property
    def duration_min(self) -> float:
        return self.target.duration_min or 0.0

    @property
    def running_min(self) -> float:
        """Minutes that count as running volume (hikes and rest days count none)."""
        return self.duration_min if self.kind.is_running else 0.0

    def with_reason(self, *reasons: Reason) -> Session:
        return replace(self, reasons=self.reasons + reasons)


@dataclass(frozen=True)
class WeekSummary:
    total_min: float
    road_min: float
    trail_min: float
    trail_share: float
    trail_cap: float
    benefits: tuple[Benefit, ...]


@dataclass(frozen=True)
class Week:
    index: int
    start: date
    phase: Phase
    sessions: tuple[Session, ...]
    cutback: bool = False
    trail_cap: float = 0.0

    @property
    def end(self) -> date:
        return date.fromordinal(self.start.toordinal() + 6)

    @property
    def summary(self) -> WeekSummary:
        total = sum(s.running_min for s in self.sessions)
        trail = sum(s.running_min for s in self.sessions if s.surface is Surface.TRAIL)
        benefits: list[Benefit] = []
        for s in self.sessions:
            for b in s.benefits:
                if b not in benefits:
                    benefits.append(b)
        return WeekSummary(
            total_min=round(total, 1),
            road_min=round(total - trail, 1),
            trail_min=round(trail, 1),
            trail_share=round(trail / total, 3) if total else 0.0,
            trail_cap=self.trail_cap,
            benefits=tuple(benefits),
        )


@dataclass(frozen=True)
class RaceResult:
    """A race the runner ran, used to set the training intensities."""

    distance_km: float
    time_s: float
    label: str = ""


@dataclass(frozen=True)
class Race:
    distance: RaceDistance
    date: date
    name: str = ""
    goal_time_s: float | None = None


@dataclass(frozen=True)
class Athlete:
    """The runner's profile. Everything optional is optional because runners may not know it."""

    name: str = "runner"
    age: int | None = None
    sex: Sex | None = None
    hr_max: int | None = None
    hr_rest: int | None = None
    recent_race: RaceResult | None = None
    weekly_km: float | None = None
    weekly_min: float | None = None
    days_per_week: int = 5
    long_run_day: Weekday = Weekday.SUN
    run_days: tuple[Weekday, ...] | None = None
    trail_preference: TrailPreference = TrailPreference.ENJOY
    trail_cap: float | None = None
    trail_shoe: TrailShoe = TrailShoe.YES
    timezone: str | None = None
    """The runner's IANA time zone (e.g. Europe/Berlin), for the days of runs whose file gives
    none; None: this computer's zone (`app.zones.athlete_zone`)."""


@dataclass(frozen=True)
class AdaptationWindow:
    """R4: when the trail benefits are expected, from the first trail session."""

    first_trail: date
    benefits_from: date
    benefits_full: date
    fits: bool


@dataclass(frozen=True)
class Paces:
    """Training paces in seconds per km, each a (fast, slow) range."""

    vdot: float
    easy: Range
    recovery: Range
    marathon: Range
    threshold: Range
    interval: Range
    repetition: Range

    def for_intensity(self, intensity: Intensity) -> Range | None:
        return {
            Intensity.RECOVERY: self.recovery,
            Intensity.E: self.easy,
            Intensity.M: self.marathon,
            Intensity.T: self.threshold,
            Intensity.I: self.interval,
            Intensity.R: self.repetition,
        }.get(intensity)


@dataclass(frozen=True)
class Plan:
    race: Race
    athlete: Athlete
    start: date
    weeks: tuple[Week, ...]
    paces: Paces | None = None
    hr_method: str | None = None
    warnings: tuple[Reason, ...] = ()
    trail_preference: TrailPreference = TrailPreference.OFF
    trail_cap: float = 0.0
    adaptation: AdaptationWindow | None = None
    source: str = "generated"
    notes: tuple[Reason, ...] = field(default=())

    @property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(s for w in self.weeks for s in w.sessions)

    def sessions_on(self, day: date) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if s.date == day)
