"""The runner's shoes (R10): which kind a pair is, when it is due for replacing, and which of
the runner's own pairs a session's shoe advice names.

Pure: the pairs come in as data (`Pair`, their kilometres already summed from the log) and
advice and reminders go out as words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trailmix.domain import rules
from trailmix.domain.types import Reason, Shoe


class ShoeKind(StrEnum):
    """What a pair is, in R10's three kinds."""

    ROAD = "road"
    HYBRID = "hybrid"
    TRAIL = "trail"


RETIRE_KM = 700.0
"""trailmix default: a pair is due for replacing at 700 km, the middle of the 600-800 km
running shops and shoe makers commonly quote. No study we know fixes a distance (wear depends
on the runner, the shoe and the ground), so the runner sets it per pair (`--retire-km`)."""
RETIRE_KM_LIMITS = (100.0, 5000.0)
"""trailmix default: the distances a pair's replacement point may be set to."""
WARN_SHARE = 0.9
"""trailmix default: a pair at 90 % of its replacement distance gets a warning, so a new pair
can be run in before the old one is done."""

KIND_OF_ADVICE = {
    Shoe.ROAD_TRAINER: ShoeKind.ROAD,
    Shoe.HYBRID: ShoeKind.HYBRID,
    Shoe.TRAIL: ShoeKind.TRAIL,
}
"""The kind of pair each piece of R10 advice asks for."""

GENERIC = {
    Shoe.ROAD_TRAINER: "your road trainer",
    Shoe.HYBRID: "a road-to-trail hybrid",
    Shoe.TRAIL: "a trail shoe",
}
"""R10's advice in words when the runner's own pairs are not known."""

# Model names that say what a pair is (checked in this order: "Pegasus Trail" is a trail shoe,
# "Challenger ATR" a hybrid). A name matching none is left for the runner to set.
_HYBRID = ("hybrid", "road-to-trail", "road to trail", "challenger", "cloudventure", "ultra glide")
_TRAIL = (
    "trail",
    "speedgoat",
    "peregrine",
    "cascadia",
    "mafate",
    "speedcross",
    "xa pro",
    "sense ride",
    "s/lab",
    "ultra pro",
    "terraventure",
    "wildhorse",
    "hierro",
    "lone peak",
    "olympus",
    "timp",
    "terrex",
    "agravic",
    "mutant",
    "vectiv",
    "tecton",
    "zinal",
    "torrent",
    "xodus",
    "trabuco",
    "fuji",
    "cloudultra",
)
_ROAD = (
    "pegasus",
    "vomero",
    "invincible",
    "vaporfly",
    "alphafly",
    "clifton",
    "bondi",
    "rincon",
    "mach",
    "kayano",
    "nimbus",
    "cumulus",
    "novablast",
    "gel-",
    "ghost",
    "glycerin",
    "adrenaline",
    "boston",
    "adizero",
    "ultraboost",
    "kinvara",
    "ride",
    "endorphin",
    "triumph",
    "rebel",
    "fresh foam",
    "880",
    "1080",
    "cloudmonster",
    "cloudsurfer",
    "wave rider",
    "road",
)


def _has(name: str, words: Iterable[str]) -> bool:
    return any(re.search(r"(?<![a-z])" + re.escape(w), name) for w in words)


def guess_kind(name: str) -> ShoeKind | None:
    """The kind a pair's name says (a model name: "Hoka Speedgoat 5" is a trail shoe), or None
    when the name does not say: then the runner sets it."""
    text = name.lower()
    if _has(text, _HYBRID):
        return ShoeKind.HYBRID
    if _has(text, _TRAIL):
        return ShoeKind.TRAIL
    if _has(text, _ROAD):
        return ShoeKind.ROAD
    return None


class Wear(StrEnum):
    """Where a pair is against its replacement distance."""

    OK = "ok"
    WARN = "warn"  # at WARN_SHARE or more
    REPLACE = "replace"  # past it


def wear(total_km: float, retire_km: float) -> Wear:
    if total_km > retire_km:
        return Wear.REPLACE
    if total_km >= WARN_SHARE * retire_km:
        return Wear.WARN
    return Wear.OK


@dataclass(frozen=True)
class Pair:
    """One of the runner's pairs as the advice sees it."""

    id: int
    name: str
    kind: ShoeKind | None
    total_km: float
    retire_km: float
    retired: bool = False
    last_used: date | None = None

    @property
    def wear(self) -> Wear:
        return wear(self.total_km, self.retire_km)


def reminder(pair: Pair) -> str | None:
    """The pair's replacement reminder: past its distance, or within 10 % of it; else None."""
    if pair.retired:
        return None
    w = pair.wear
    if w is Wear.REPLACE:
        return (
            f"{pair.name} has {pair.total_km:.0f} km, past the {pair.retire_km:.0f} km to "
            "replace it at: time for a new pair."
        )
    if w is Wear.WARN:
        return (
            f"{pair.name} has {pair.total_km:.0f} km, {pair.total_km / pair.retire_km:.0%} of the "
            f"{pair.retire_km:.0f} km to replace it at: start running in the next pair."
        )
    return None


@dataclass(frozen=True)
class ShoeAdvice:
    """A session's shoe advice with the runner's own pair in it."""

    text: str
    """What the session shows where it would say "a trail shoe": "your Speedgoat, 412 km"."""
    pair_id: int | None
    reason: Reason


def advice(shoe: Shoe, pairs: Iterable[Pair]) -> ShoeAdvice | None:
    """The runner's own pair for R10's advice `shoe`: of the kind it asks for, not retired, the
    one run in most recently (the pair in use), under its replacement distance. A pair past it
    is not recommended: the advice says to replace it. None when the runner has no pair of
    that kind (the advice stays R10's own words)."""
    kind = KIND_OF_ADVICE[shoe]
    mine = [p for p in pairs if p.kind is kind and not p.retired]
    if not mine:
        return None

    def recency(p: Pair) -> tuple[date, int]:
        return (p.last_used or date.min, p.id)

    fine = sorted((p for p in mine if p.wear is not Wear.REPLACE), key=recency, reverse=True)
    if fine:
        p = fine[0]
        text = f"your {p.name}, {p.total_km:.0f} km"
        which = (
            f"the {kind.value} pair you ran in most recently"
            if p.last_used is not None
            else f"the {kind.value} pair you have"
        )
        why = (
            f"{GENERIC[shoe].capitalize()}: your {p.name}, {which}; {p.total_km:.0f} km of the "
            f"{p.retire_km:.0f} km to replace it at."
        )
        if p.wear is Wear.WARN:
            text += f" (replace at {p.retire_km:.0f} km)"
        return ShoeAdvice(text, p.id, rules.rule("R10", why))
    worn = max(mine, key=recency)
    text = (
        f"{GENERIC[shoe]}: your {worn.name} has {worn.total_km:.0f} km, past "
        f"{worn.retire_km:.0f}: replace it"
    )
    why = (
        f"{GENERIC[shoe].capitalize()}; your {worn.name} is past the "
        f"{worn.retire_km:.0f} km to replace it at, so it is not the one to wear."
    )
    return ShoeAdvice(text, None, rules.rule("R10", why))
