"""The article's rules (R1-R12, ../shared/docs/article-rules.md) and the named sources trailmix
cites, as Reason values in words a runner understands, and the numbers the rules set. Code
cites these instead of writing its own prose or its own copy of a number, so `docs/rules.md`,
`trailmix explain` and every check stay in step."""

from __future__ import annotations

import math

from trailmix.domain.types import Reason, TrailPreference

DEFAULT = "trailmix default"

# --- The rules' numbers -------------------------------------------------------------------
# Each names its rule; a number the article does not give is marked as a trailmix default.

TRAIL_SHARE_CAP = 1 / 3
"""R1: a runner who enjoys trails puts up to one third of the training on trails. The cap of
every plan, and the highest `--trail-cap` accepted."""


def plan_trail_cap(preference: TrailPreference, cap: float) -> float:
    """The plan-wide trail cap a profile gives (`MixOptions.plan_cap`): the runner's `cap` for
    'enjoy' (R1); R1's third for 'minimum', whose one weekly trail run (R2) stays within it; 0
    for 'off'."""
    if preference is TrailPreference.OFF:
        return 0.0
    return cap if preference is TrailPreference.ENJOY else TRAIL_SHARE_CAP


TRAIL_CAP_FLOOR = 0.05
"""trailmix default (R1 sets the top only): a lower `--trail-cap` leaves no room for any trail
run, so it is refused."""

MIN_TRAIL_MIN = 20.0
"""trailmix default (R1, R2): the shortest trail run; a cap leaving less gives a warning."""

TRAIL_RUNS_MINIMUM = 1
"""R2: a runner who does not enjoy trails gets one trail recovery run a week."""

MIN_LATE_TRAIL_MIN = 12.0
"""trailmix default (R2): in the last weeks a short taper jog on a trail still counts as the
weekly trail run."""

ROAD_WEEKS = 2
"""trailmix default (R3: the last weeks before the race are road-dominant): the last two
weeks, race week included."""

LAST_WEEKS_CAP = 0.20
"""trailmix default (R3): in the last `ROAD_WEEKS` trails take at most a fifth of the running,
easy running only."""

NO_TRAIL_DAYS_BEFORE_RACE = 3
"""trailmix default (R3): no trail run within 3 days of the race."""

ADAPT_MIN_WEEKS, ADAPT_FULL_WEEKS = 6, 8
"""R4: the trail benefits take about 6-8 weeks to show."""

HILL_REP_MAX_MIN = 3.0
"""trailmix default (R8, R11): a hill rep lasts as long as the climb takes at hard effort, at
most 3 minutes (the top of a longer hill is skipped)."""

MAX_HILL_REPS = 12
"""trailmix default (R8, issue 12): at most 12 hill reps in a session; a hill too short for the
session's work in 12 reps is run up and on over the top at the same effort."""

HIKE_MAX_MIN = 180.0
"""trailmix default (R9): a hike before running a technical trail lasts a few hours at most; it
covers the part of the route the runs will use, not a multi-day route end to end."""

HIKE_EVE_MAX_MIN = 90.0
"""trailmix default (R9): when the only rest day for a hike is the eve of a key session (long
run, quality session), the hike is an easy walk of 90 min at most."""

QUALITY_FROM_TRAIL_WEEK = 3
"""trailmix default (R11): harder trail workouts from the third trail week, after the ramp-in."""

MIN_QUALITY_MIN = 40.0
"""trailmix default (R11): the shortest harder trail workout worth its warm-up and cool-down."""


def is_full_cap(cap: float) -> bool:
    """Whether a trail cap is R1's own third (a plan stores its cap to 4 decimals)."""
    return math.isclose(cap, TRAIL_SHARE_CAP, abs_tol=1e-4)


def cap_words(cap: float) -> str:
    """A trail cap as a runner reads it: 'one third' for R1's own cap, else e.g. '25%'."""
    return "one third" if is_full_cap(cap) else f"{cap:.0%}"


RULES: dict[str, str] = {
    "R1": "Up to one third of your training can be on trails if you enjoy them.",
    "R2": "One trail recovery run a week brings the benefits, fewer injuries included, even to "
    "runners who don't love trails.",
    "R3": "Long runs, race-specific work and the last weeks stay on the road: on race day your "
    "body must be used to long stretches of pavement.",
    "R4": "Apart from the fresh mind, which is immediate, trail benefits take about 6-8 weeks "
    "to show up.",
    "R5": "On trails, run by time and effort (RPE 1-10), not pace: uneven ground makes pace "
    "meaningless.",
    "R6": "Flatter dirt trails with some rocks and ruts suit recovery runs (they work your "
    "ankles); hillier routes suit hill repeats, which build power.",
    "R7": "Any trail helps: every trail gives power, stability and a fresh mind.",
    "R8": "Work with what you've got: adapt the workout to the hill you have instead of "
    "skipping it; the warm-up covers the way to the hill.",
    "R9": "Hike a technical trail once before you run it.",
    "R10": "Smooth trails: your road trainer is fine. Anything more technical: a supportive "
    "trail shoe. Not ready to commit: a road-to-trail hybrid.",
    "R11": "Harder trail workouts (hill repeats, trail fartlek, sustained effort) each with "
    "easy warm-up and cool-down minutes. The article's list is cut off; these three are "
    "trailmix's design.",
    "R12": "Trails build power, stability and form, fewer overuse injuries and a fresh mind.",
}


def rule(rule_id: str, text: str | None = None) -> Reason:
    """A Reason citing rule `rule_id`, with the rule's own words unless `text` says more."""
    return Reason(rule_id, text if text is not None else RULES[rule_id])


def default(text: str) -> Reason:
    """A Reason for a choice trailmix made where no rule or source decides."""
    return Reason(DEFAULT, text)


def source(name: str, text: str) -> Reason:
    return Reason(name, text)


def is_cited(reason: Reason) -> bool:
    """True when a reason names a rule id, a source, or is marked as trailmix's own default."""
    return bool(reason.rule.strip()) and bool(reason.text.strip())
