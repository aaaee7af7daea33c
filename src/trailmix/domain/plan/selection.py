"""Choosing a trail for a trail session from the runner's library (R6, R7, R8, R10).

A trail's time at an effort comes from trailmix's population time model
(`domain/terrain/population.py`, docs/time-model.md).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from trailmix.domain import rules
from trailmix.domain.terrain.population import Route, TimeModel
from trailmix.domain.trail.classify import STEEP_GRADE
from trailmix.domain.trail.model import Hill, Trail, TrailCategory, shoe_for
from trailmix.domain.types import Reason, Shoe, TrailShoe

# Preference order of categories for each purpose (R6: flatter dirt for recovery, hills for
# repeats; the rest is trailmix default).
_ORDER: dict[str, tuple[TrailCategory, ...]] = {
    # R6: a recovery run never goes on a technical or steep trail (`is_recovery_trail`).
    "recovery": (TrailCategory.DIRT, TrailCategory.SMOOTH, TrailCategory.HILLY),
    "easy": (
        TrailCategory.DIRT,
        TrailCategory.SMOOTH,
        TrailCategory.HILLY,
        TrailCategory.TECHNICAL,
    ),
    "hills": (
        TrailCategory.HILLY,
        TrailCategory.TECHNICAL,
        TrailCategory.DIRT,
        TrailCategory.SMOOTH,
    ),
    "fartlek": (
        TrailCategory.HILLY,
        TrailCategory.DIRT,
        TrailCategory.SMOOTH,
        TrailCategory.TECHNICAL,
    ),
    "sustained": (
        TrailCategory.DIRT,
        TrailCategory.SMOOTH,
        TrailCategory.HILLY,
        TrailCategory.TECHNICAL,
    ),
}

GENERIC = {
    "recovery": (
        TrailCategory.DIRT,
        "a park or forest path, flat, dirt (some rocks and roots are good for your ankles), "
        "never a steep or technical trail for a recovery run. Look for parks, canal towpaths, "
        "forest roads or ask a local running club.",
    ),
    "easy": (
        TrailCategory.DIRT,
        "a park or forest path, flat, dirt (some rocks and roots are good for your ankles). "
        "Look for parks, canal towpaths, forest roads or ask a local running club.",
    ),
    "hills": (
        TrailCategory.HILLY,
        "a hill of about 5-8 %, 150-400 m long, on a trail or a grassy slope, close to your "
        "start so the warm-up gets you there.",
    ),
    "fartlek": (
        TrailCategory.DIRT,
        "a rolling park or forest trail where you can surge for 2 minutes without stopping.",
    ),
    "sustained": (
        TrailCategory.DIRT,
        "a runnable dirt or gravel trail, flat to rolling, long enough for 20-30 minutes "
        "without stops.",
    ),
}


def is_steep(trail: Trail) -> bool:
    """A trail with a climb reaching `STEEP_GRADE` (15 %, IMBA's limit of the easier trail
    ratings) anywhere along it."""
    return any(h.max_grade >= STEEP_GRADE for h in trail.hills)


def is_recovery_trail(trail: Trail) -> bool:
    """R6: a recovery run goes on flat dirt first; a technical or steep trail is never a
    recovery trail."""
    return trail.category is not TrailCategory.TECHNICAL and not is_steep(trail)


@functools.lru_cache(maxsize=1024)
def trail_minutes(trail: Trail, pace_s_per_km: float) -> float:
    """One lap of a trail at the effort whose flat-ground pace is `pace_s_per_km`: trailmix's
    population time model (`terrain.predict`, docs/time-model.md) on the trail's summary.
    Cached: a plan asks for the same trail at the same few efforts week after week."""
    route = Route.from_trail(trail)
    return float(TimeModel().step_seconds(route, 1000.0 / pace_s_per_km).sum()) / 60.0


@dataclass(frozen=True)
class Choice:
    trail: Trail | None
    category: TrailCategory
    shoe: Shoe
    hint: str | None
    hill: Hill | None
    reasons: tuple[Reason, ...]


def repeat_hill(trail: Trail) -> Hill | None:
    """The best hill of a trail for repeats: suited ones first, then nearest 6 % and nearest
    the start (R8: the warm-up covers the way to the foot)."""
    hills = [h for h in trail.hills if h.avg_grade >= 0.03 and h.length_m >= 40]
    if not hills:
        return None
    return min(
        hills,
        key=lambda h: (not h.suits_repeats, abs(h.avg_grade - 0.06) * 10 + h.start_km / 5),
    )


def choose(
    purpose: str,
    trails: Iterable[Trail],
    owns: TrailShoe,
    runnable_technical: frozenset[int],
    used_recently: dict[int, int] | None = None,
    allow_technical: bool = True,
) -> Choice:
    """Pick the trail for a session's purpose ("recovery", "easy", "hills", "fartlek",
    "sustained").

    Technical trails are only chosen when the runner owns a trail shoe (R10), the trail was
    hiked or its hike is already scheduled (`runnable_technical`, R9), and `allow_technical`
    (not in the last weeks before the race, R3). A recovery run never goes on a technical or
    steep trail (R6). Among equally good trails the least used one wins, for variety (R12:
    fresh mind).
    """
    order = _ORDER[purpose]
    pool: list[Trail] = []
    for t in trails:
        if t.category is TrailCategory.TECHNICAL and (
            not allow_technical
            or owns is not TrailShoe.YES
            or (t.needs_hike and t.id not in runnable_technical)
        ):
            continue
        if purpose == "recovery" and not is_recovery_trail(t):
            continue
        if purpose == "hills" and repeat_hill(t) is None:
            continue
        pool.append(t)
    used = used_recently or {}
    if pool:
        best = min(pool, key=lambda t: (order.index(t.category), used.get(t.id, 0), t.id))
        reasons = [_purpose_reason(purpose, best)]
        hill = repeat_hill(best) if purpose == "hills" else None
        shoe = shoe_for(best.category, owns)
        reasons.append(_shoe_reason(shoe, best.category, owns))
        if best.category is TrailCategory.TECHNICAL:
            reasons.append(
                rules.rule(
                    "R9",
                    f"{best.name} is technical: "
                    + (
                        "you have hiked it, so you may run it."
                        if best.hiked
                        else "it is run only after the hike scheduled before this session."
                    ),
                )
            )
        return Choice(best, best.category, shoe, None, hill, tuple(reasons))
    category, hint = GENERIC[purpose]
    shoe = shoe_for(category, owns)
    reasons = [
        rules.rule(
            "R7",
            f"No trail in your library fits this session, and any trail helps: look for {hint}",
        ),
        _shoe_reason(shoe, category, owns),
    ]
    return Choice(None, category, shoe, hint, None, tuple(reasons))


def _purpose_reason(purpose: str, trail: Trail) -> Reason:
    cat = trail.category.value
    if purpose in ("easy", "recovery"):
        run = "a recovery run" if purpose == "recovery" else "an easy run"
        if trail.category is TrailCategory.DIRT and not is_steep(trail):
            return rules.rule(
                "R6",
                f"{trail.name} is a flatter dirt trail: ideal for {run} that works your ankles.",
            )
        if trail.category is TrailCategory.SMOOTH and not is_steep(trail):
            return rules.rule(
                "R6", f"{trail.name} is a smooth, flat trail: gentle enough for {run}."
            )
        if trail.category is TrailCategory.TECHNICAL or is_steep(trail):
            return rules.rule(
                "R6",
                f"{trail.name} ({cat}) is steep or technical: keep {run} easy by effort and "
                "walk the steep and rocky bits; it is never used for a recovery run.",
            )
        return rules.rule(
            "R6",
            f"{trail.name} ({cat}) is the gentlest trail you have for {run}; a flat dirt "
            "trail would suit it best.",
        )
    if purpose == "hills":
        return rules.rule("R6", f"{trail.name} has a hill for repeats, which build power.")
    if purpose == "fartlek":
        return rules.rule("R6", f"{trail.name} ({cat}) gives rolling ground for surges.")
    return rules.rule("R6", f"{trail.name} ({cat}) is runnable enough to hold a steady effort.")


def _shoe_reason(shoe: Shoe, category: TrailCategory, owns: TrailShoe) -> Reason:
    if shoe is Shoe.ROAD_TRAINER:
        return rules.rule("R10", "A smooth trail: your daily road trainer is fine.")
    if shoe is Shoe.HYBRID:
        why = "you have no trail shoe" if owns is TrailShoe.NO else "you are not sure yet"
        return rules.rule(
            "R10",
            f"A road-to-trail hybrid shoe, since {why}; technical trails wait for a "
            "real trail shoe.",
        )
    return rules.rule("R10", f"A {category.value} trail: wear a supportive trail shoe.")
