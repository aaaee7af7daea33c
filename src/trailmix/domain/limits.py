"""The physiological and physical limits of what trailmix accepts, in one place.

Every edge (command-line flags, API and form fields, the contents of route and plan files)
checks its values against these ranges and refuses what is outside them with the range named
(`Limit.check`), so an absurd value ("a half marathon in 0:10:00", a plan in the year 9999, a
track that climbs 8 km between two points) never reaches the planner or the store. Each limit
says where it comes from: a record or a physical fact with its source, or "trailmix default"
when it is our own generous bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from trailmix.domain.types import RaceDistance


@dataclass(frozen=True)
class Limit:
    """An accepted closed range [low, high] of one quantity, in `unit`, and its source."""

    what: str
    low: float
    high: float
    unit: str
    source: str

    def ok(self, value: float) -> bool:
        return self.low <= value <= self.high  # False for NaN too

    def refusal(self, value: float, shown: str | None = None) -> str:
        """The sentence refusing `value`: what it is and the accepted range."""
        got = shown if shown is not None else _num(value)
        return f"{got} is outside the accepted {self.what} of {self.range_text()}."

    def range_text(self) -> str:
        if self.unit == "s":
            return f"{clock(self.low)} to {clock(self.high)}"
        return f"{_num(self.low)} to {_num(self.high)} {self.unit}".rstrip()


def _num(value: float) -> str:
    """Whole numbers in full with thousands separators (ids), others as %g."""
    if math.isfinite(value) and value == int(value):
        return f"{int(value):,}"
    return f"{value:g}"


def clock(seconds: float) -> str:
    """Seconds as h:mm:ss (or m:ss under an hour), as runners write race times."""
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


# --- Dates -------------------------------------------------------------------------------------

FIRST_DAY = date(1990, 1, 1)
"""trailmix default: no run, plan or race before 1990 (GPS watches and training logs start in
the 1990s; an earlier date is a typo, and dates near year 1 break calendar arithmetic)."""

LAST_DAY = date(2100, 12, 31)
"""trailmix default: nothing after 2100 (dates near 9999 overflow the exports' arithmetic)."""


def date_ok(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def date_refusal(day: date) -> str:
    return (
        f"{day.isoformat()} is outside the accepted dates of {FIRST_DAY.isoformat()} to "
        f"{LAST_DAY.isoformat()}."
    )


# --- Race times --------------------------------------------------------------------------------

# World records (World Athletics, men's road/track records as ratified by 2025): 5000 m 12:35.36
# (Cheptegei 2020), 10,000 m 26:11.00 (Cheptegei 2020), half marathon 57:30 (Kejelcha 2024),
# marathon 2:00:35 (Kiptum 2023). A goal or recent result faster than the record is a typo.
WORLD_RECORD_S: dict[RaceDistance, float] = {
    RaceDistance.K5: 12 * 60 + 35,
    RaceDistance.K10: 26 * 60 + 11,
    RaceDistance.HALF: 57 * 60 + 30,
    RaceDistance.MARATHON: 2 * 3600 + 35,
}

WALK_CUTOFF_S_PER_KM = 12 * 60
"""trailmix default: the slowest accepted race pace, 12:00/km (a brisk walk of 5 km/h; big city
marathons close at 6-7 h, about 9:00/km). Slower is not a race result or a goal to plan for."""

FASTEST_S_PER_KM = 2 * 60 + 20
"""The fastest accepted pace over any distance of a recent result, 2:20/km: faster than every
road world record from 1500 m up (1500 m 3:26, World Athletics), so only typos are refused."""


def race_refusal(limit: Limit, seconds: float) -> str:
    """A race time refused in a runner's words, with the accepted range."""
    why = (
        "beyond any human (faster than the world record, a VDOT no runner has)"
        if seconds < limit.low
        else "slower than walking"
    )
    return f"{clock(seconds)} is {why}: the accepted {limit.what} is {limit.range_text()}."


def race_time_limit(distance: RaceDistance) -> Limit:
    """Accepted times for a race over `distance`: world record to the walking cut-off."""
    return Limit(
        f"{distance.label} time",
        WORLD_RECORD_S[distance],
        WALK_CUTOFF_S_PER_KM * distance.km,
        "s",
        "world record (World Athletics) to 12:00/km (trailmix default)",
    )


def result_limit(km: float) -> Limit:
    """Accepted times for a recent result over any `km`: 2:20/km to 12:00/km."""
    for d in RaceDistance:
        if abs(d.km - km) < 0.05:
            return race_time_limit(d)
    return Limit(
        f"time for {km:g} km",
        FASTEST_S_PER_KM * km,
        WALK_CUTOFF_S_PER_KM * km,
        "s",
        "2:20/km to 12:00/km (trailmix default)",
    )


# --- Sessions and plans ------------------------------------------------------------------------

SESSION_MINUTES = Limit("session length", 0, 600, "min", "trailmix default: up to 10 h")
SESSION_KM = Limit("session distance", 0, 160, "km", "trailmix default: up to 100 miles")
WEEKS = Limit("number of weeks", 1, 520, "weeks", "trailmix default: ten years of log")

# --- Tracks (route and activity files) ---------------------------------------------------------

ELEVATION_M = Limit(
    "elevation",
    -500,
    9000,
    "m",
    "the Dead Sea shore (-430 m) to Everest (8,849 m), with a margin",
)
CLIMB_M_PER_KM = Limit(
    "climb per km of track",
    0,
    1000,
    "m/km",
    "trailmix default: 100 % on average; the steepest races (vertical kilometres) climb "
    "1,000 m in 2-5 km",
)
SPEED_M_S = Limit(
    "average speed",
    0,
    12.5,
    "m/s",
    "the fastest human sprint (12.4 m/s, Bolt 2009, World Athletics biomechanics report)",
)
ACTIVITY_DAYS = Limit(
    "activity length", 0, 14, "days", "trailmix default: the longest multi-day hikes"
)

# --- Other -------------------------------------------------------------------------------------

PORT = Limit("port", 1, 65535, "", "TCP port numbers (RFC 793)")
RECORD_ID = Limit("id", 1, 2**63 - 1, "", "SQLite's 64-bit integer ids")
