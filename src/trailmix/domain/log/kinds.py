"""What a logged activity was: a run, a hike or a walk, and whether it was run without a track
(treadmill, manual entry). Pure, no I/O: the readers hand over the words the file or the export
uses (Strava's "Activity Type", FIT `sport` / `sub_sport`, GPX `<type>`, TCX `Sport`), and the
import hands over the measured speeds and the matched trail. docs/log.md, "Hikes" and "Runs
without a track", says the same in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trailmix.domain.trail.model import TrailCategory


class ActivityKind(StrEnum):
    """What was done. Only a run counts in running volume and running load; a hike or a walk is
    shown in the log as such, and counts for R9 (a technical trail hiked before it is run)."""

    RUN = "run"
    HIKE = "hike"
    WALK = "walk"

    @property
    def is_running(self) -> bool:
        return self is ActivityKind.RUN


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


RUN_TYPES = frozenset(
    {
        "run",
        "running",
        "trail run",
        "trailrun",
        "virtual run",
        "treadmill running",
        "treadmill",
        "indoor running",
        "street",
        "track",
        "trail",
        "road",
    }
)
"""Types that are runs, normalised (lower case, `_` and `-` as spaces): Strava's `Run`,
`Trail Run`, `Virtual Run`; FIT's `running` sport and its sub-sports (`treadmill`, `street`,
`track`, `trail`); GPX `<type>running</type>`; TCX `Sport="Running"`."""

HIKE_TYPES = frozenset({"hike", "hiking", "mountaineering", "snowshoe", "snowshoeing"})
"""Strava `Hike` (and `Snowshoe`), FIT `hiking` and `mountaineering`, GPX `<type>hiking`."""

WALK_TYPES = frozenset({"walk", "walking", "casual walking", "speed walking", "nordic walking"})
"""Strava `Walk`, FIT `walking` (and its sub-sports), GPX `<type>walking`."""

TREADMILL_TYPES = frozenset(
    {"virtual run", "treadmill running", "treadmill", "indoor running", "virtual activity"}
)
"""Types (or FIT sub-sports) of a run on a treadmill or in a virtual world: no track, and
never a trail run."""


def kind_of_type(activity_type: str | None) -> ActivityKind | None:
    """The kind an activity type names, or None when it names none (no type, a generic FIT
    sport, a ride or a swim: `is_foot_type` tells those apart)."""
    if activity_type is None:
        return None
    t = _norm(activity_type)
    if t in RUN_TYPES:
        return ActivityKind.RUN
    if t in HIKE_TYPES:
        return ActivityKind.HIKE
    if t in WALK_TYPES:
        return ActivityKind.WALK
    return None


GENERIC_TYPES = frozenset({"generic", "other", "all", "unknown", "workout", "activity"})
"""Types that say nothing about the sport (FIT `generic`, TCX `Other`): the activity is read
and its kind decided by its speeds (`kind_by_speed`), like one without a type."""


def is_generic_type(activity_type: str | None) -> bool:
    return activity_type is None or _norm(activity_type) in GENERIC_TYPES


def is_treadmill(activity_type: str | None, sub_sport: str | None = None) -> bool:
    """A treadmill (or virtual) run, by its type or its FIT sub-sport."""
    return any(t is not None and _norm(t) in TREADMILL_TYPES for t in (activity_type, sub_sport))


WALK_RUN_TRANSITION_MS = 2.0
"""The speed under which people walk rather than run: the preferred walk-to-run transition
speed is about 2.1 m/s (Hreljac 1993, Med Sci Sports Exerc 25(10):1158-1162: 2.06 m/s
preferred, 2.24 m/s energetically optimal); trailmix rounds down to 2.0 m/s (7.2 km/h), so a
slow jog is not taken for a walk. An activity whose average moving speed is under it was walked
or hiked."""

HIKE_WALK_SHARE = 0.5
"""trailmix default: besides the average, at least half of the moving time under brisk walking
speed (`activity.WALK_SPEED_MS`, 1.5 m/s): a slow, steep trail run mixes power-hiking with
running above 2 m/s, a hike stays at walking pace nearly throughout."""


@dataclass(frozen=True)
class KindDecision:
    """The kind of one activity and why, in the runner's words."""

    kind: ActivityKind
    reason: str


def kind_by_speed(
    moving_speed_ms: float | None,
    walk_share: float | None,
    trail_category: TrailCategory | None,
    trail_name: str | None = None,
) -> KindDecision | None:
    """A hike told by its speeds, for an activity whose type says nothing: on a matched trail
    whose category is technical (hike-first, R9), at an average moving speed under the
    walk-run transition speed with most of the time at walking pace. None: not a hike by
    speed (the activity stays a run)."""
    if trail_category is not TrailCategory.TECHNICAL or moving_speed_ms is None:
        return None
    if walk_share is None or moving_speed_ms >= WALK_RUN_TRANSITION_MS:
        return None
    if walk_share < HIKE_WALK_SHARE:
        return None
    where = f"the technical trail {trail_name!r}" if trail_name else "a technical trail"
    return KindDecision(
        ActivityKind.HIKE,
        f"A hike: no activity type, {moving_speed_ms * 3.6:.1f} km/h on average on {where} "
        f"with {walk_share:.0%} of the moving time at walking pace, under the walk-run "
        f"transition speed of {WALK_RUN_TRANSITION_MS * 3.6:.1f} km/h (Hreljac 1993).",
    )


def decide_kind(
    activity_type: str | None,
    moving_speed_ms: float | None = None,
    walk_share: float | None = None,
    trail_category: TrailCategory | None = None,
    trail_name: str | None = None,
) -> KindDecision:
    """The kind of an activity: the type the runner's device or export states first; for an
    activity without one (or a generic one), its speeds on a technical trail; else a run."""
    named = kind_of_type(activity_type)
    if named is not None:
        what = {
            ActivityKind.RUN: "a run",
            ActivityKind.HIKE: "a hike",
            ActivityKind.WALK: "a walk",
        }[named]
        return KindDecision(named, f"Logged as {what}: the activity type is {activity_type!r}.")
    by_speed = kind_by_speed(moving_speed_ms, walk_share, trail_category, trail_name)
    if by_speed is not None:
        return by_speed
    return KindDecision(ActivityKind.RUN, "Logged as a run (trailmix logs running by default).")


def hiked_reason(day: date, activity_id: int, name: str | None, trail_name: str) -> str:
    """R9's words for a trail marked hiked by a logged hike."""
    label = f"#{activity_id}" + (f" {name!r}" if name else "")
    return (
        f"R9: {trail_name!r} is marked hiked: you hiked it on {day.isoformat()} (log {label}), "
        "so runs may use it now."
    )


NO_TRACK_NOTE = "no GPS track: counted from the export's time and distance"
"""What the log says of a run without a track (a treadmill or manual run)."""


@dataclass(frozen=True)
class UntrackedActivity:
    """A run (or hike) without a GPS track, as it is logged: what it was, its surface and why,
    and its numbers from the export (or the FIT file's session totals)."""

    kind: ActivityKind
    surface: str
    surface_source: str
    surface_reason: str
    kind_reason: str
    moving_s: float
    elapsed_s: float
    distance_m: float | None

    @property
    def note(self) -> str:
        return NO_TRACK_NOTE


def untracked(
    activity_type: str | None,
    elapsed_s: float | None,
    moving_s: float | None,
    distance_m: float | None,
    sub_sport: str | None = None,
    trainer: bool = False,
) -> UntrackedActivity | None:
    """How a treadmill or manual activity is logged, or None when it has no time to count.

    Its kind comes from its type (a run when it names none). A treadmill run (Strava's
    `Virtual Run`, a FIT treadmill sub-sport, the export's trainer flag) is road running: a
    treadmill is not a trail, and its belt is as even as a road (trailmix default). A manual
    `Trail Run` is a trail run by the runner's word; any other run without a track is counted
    as road (trailmix default: runs logged by hand are mostly road or treadmill runs). A hike
    is on a trail, a walk on the road (neither counts as running)."""
    moving = moving_s if moving_s and moving_s > 0 else elapsed_s
    if moving is None or moving <= 0:
        return None
    elapsed = elapsed_s if elapsed_s and elapsed_s >= moving else moving
    decision = decide_kind(activity_type)
    kind = decision.kind
    t = _norm(activity_type or "")
    if kind is ActivityKind.HIKE:
        surface, source, why = "trail", "export", "A hike: on a trail (no track to match)."
    elif kind is ActivityKind.WALK:
        surface, source, why = "road", "export", "A walk: counted on the road (no track)."
    elif trainer or is_treadmill(activity_type, sub_sport):
        surface, source = "road", "treadmill"
        why = "A treadmill run: counted as road running (a treadmill is not a trail)."
    elif t in ("trail run", "trailrun", "trail"):
        surface, source = "trail", "tag"
        why = f"Your activity type says {activity_type!r}: a trail run, by your word."
    else:
        surface, source = "road", "export"
        why = "A run without a track: counted as road running (trailmix default)."
    return UntrackedActivity(
        kind=kind,
        surface=surface,
        surface_source=source,
        surface_reason=f"{why} {NO_TRACK_NOTE[0].upper()}{NO_TRACK_NOTE[1:]}.",
        kind_reason=decision.reason,
        moving_s=float(moving),
        elapsed_s=float(elapsed),
        distance_m=float(distance_m) if distance_m is not None and distance_m >= 0 else None,
    )
