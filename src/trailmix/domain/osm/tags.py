"""What an OpenStreetMap way is to a runner: kept or not, its surface, and whether it is technical.

Pure, no I/O. The tags are OSM's own (science.md section 8): `surface`, `smoothness`,
`tracktype`, `sac_scale`, `trail_visibility`, `mtb:scale`, `incline`. The route a runner is
offered is then classified (`classify_route`) into the trail library's categories with
`Reason`s: technical ground is hiked first (R9), flatter dirt suits recovery runs and hills
suit repeats (R6), smooth ground takes the road trainer (R10).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from trailmix.domain.trail.classify import HILLY_GAIN_PER_KM, STEEP_GRADE
from trailmix.domain.trail.model import Hill, TrailCategory
from trailmix.domain.trail.profile import Profile
from trailmix.domain.types import Reason

OSM_WIKI = "OSM wiki (science.md 8)"

TRAIL_HIGHWAYS = frozenset(
    {"path", "track", "footway", "bridleway", "cycleway", "steps", "pedestrian"}
)
"""Ways built for feet, hooves or bikes: always kept (unless access forbids)."""

CONNECTOR_HIGHWAYS = frozenset(
    {
        "residential",
        "living_street",
        "unclassified",
        "service",
        "tertiary",
        "tertiary_link",
        "road",
    }
)
"""trailmix default: minor roads a runner may use to link trails (and to leave home). Busier
roads (primary, secondary, trunk, motorway) are left out unless tagged for feet."""

MAJOR_HIGHWAYS = frozenset(
    {"primary", "primary_link", "secondary", "secondary_link", "trunk", "trunk_link"}
)
"""Kept only with `foot=yes/designated/permissive` or a sidewalk (trailmix default)."""

KEPT_TAGS = (
    "highway",
    "name",
    "surface",
    "smoothness",
    "tracktype",
    "sac_scale",
    "trail_visibility",
    "mtb:scale",
    "incline",
    "access",
    "foot",
    "sidewalk",
)
"""The tags the classification reads; everything else is dropped while reading."""

_FOOT_OK = frozenset({"yes", "designated", "permissive"})
_NO_ACCESS = frozenset({"no", "private"})
_SIDEWALK = frozenset({"both", "left", "right", "yes", "separate"})


class WayRole(StrEnum):
    """trail: built for feet (or unpaved); connector: a minor paved road linking trails."""

    TRAIL = "trail"
    CONNECTOR = "connector"


class Surface(StrEnum):
    """Surface classes for the breakdown: paved; gravel (R10's smooth unpaved: gravel,
    compacted, wood chips); dirt (ground, grass, earth: R6's dirt); rock (rock, scree)."""

    PAVED = "paved"
    GRAVEL = "gravel"
    DIRT = "dirt"
    ROCK = "rock"


UNPAVED = frozenset({Surface.GRAVEL, Surface.DIRT, Surface.ROCK})

SURFACE_VALUES: dict[str, Surface] = {
    **dict.fromkeys(
        (
            "paved",
            "asphalt",
            "concrete",
            "concrete:plates",
            "concrete:lanes",
            "paving_stones",
            "sett",
            "cobblestone",
            "unhewn_cobblestone",
            "metal",
            "wood",
            "chipseal",
            "brick",
            "bricks",
            "tartan",
            "rubber",
            "artificial_turf",
        ),
        Surface.PAVED,
    ),
    **dict.fromkeys(
        ("compacted", "fine_gravel", "gravel", "pebblestone", "woodchips"), Surface.GRAVEL
    ),
    **dict.fromkeys(
        ("unpaved", "dirt", "earth", "ground", "grass", "sand", "mud", "soil", "grass_paver"),
        Surface.DIRT,
    ),
    **dict.fromkeys(("rock", "rocks", "stone", "stones", "scree", "boulders"), Surface.ROCK),
}
"""OSM `surface=*` values (science.md 8 lists the paved and unpaved values seen; fine_gravel,
rock and woodchips are [U] there, included as the OSM wiki defines them)."""

TRACKTYPE_SURFACE = {
    "grade1": Surface.PAVED,
    "grade2": Surface.GRAVEL,
    "grade3": Surface.DIRT,
    "grade4": Surface.DIRT,
    "grade5": Surface.DIRT,
}
"""OSM wiki `tracktype`: grade1 solid (usually paved or heavily compacted), grade2 solid but
unpaved (gravel), grade3 mixed hard and soft, grade4 mostly soft, grade5 soft (grass, soil).
[U]: not in science.md."""

SAC_SCALE = (
    "hiking",
    "mountain_hiking",
    "demanding_mountain_hiking",
    "alpine_hiking",
    "demanding_alpine_hiking",
    "difficult_alpine_hiking",
)
"""OSM `sac_scale` T1-T6 (science.md 8). From mountain_hiking (T2) on the footing is uneven
and steep enough that R9 (hike it first) applies."""

TECHNICAL_SAC = frozenset(SAC_SCALE[1:])
BAD_VISIBILITY = frozenset({"bad", "horrible", "no"})
"""OSM `trail_visibility` bad/horrible/no: partly or mostly pathless (science.md 8), like the
USFS Trail Class 1 tread "intermittent, route-finding": technical ground (R9)."""

ROUGH_SMOOTHNESS = frozenset({"horrible", "very_horrible", "impassable"})
"""OSM `smoothness` horrible and worse: only heavy off-road vehicles, tractors or ATVs get
through (science.md 8): rocky, rutted, unstable footing (R9). bad / very_bad (trekking bike,
high-clearance car) is R6's "rocks and ruts", fine for recovery."""

TECHNICAL_MTB = 2
"""OSM wiki `mtb:scale` 2 (S2: larger roots and rocks, steps) and above are technical
footing ([U]: not in science.md)."""

STEEP_INCLINE = STEEP_GRADE
"""`incline=*` of 15 % or more either way: IMBA's limit of the easier ratings (science.md 8)."""

SMOOTH_SHARE = 0.8
"""trailmix default: a route is smooth (R10, road trainer) when 80 % of it is paved or gravel."""


@dataclass(frozen=True)
class WayClass:
    """One way's surface class (and whether it was assumed), its technical verdict with
    reasons, and a short label for the breakdown (e.g. "gravel", "dirt (assumed: path)")."""

    role: WayRole
    surface: Surface
    surface_assumed: bool
    technical: bool
    reasons: tuple[Reason, ...]
    label: str
    technical_tags: tuple[tuple[str, str], ...] = ()
    """The OSM tags that made the way technical, e.g. (("sac_scale", "alpine_hiking"),)."""

    @property
    def unpaved(self) -> bool:
        return self.surface in UNPAVED


def way_role(tags: Mapping[str, str]) -> WayRole | None:
    """Whether a runner can run this way, and as what; None = left out (no highway, a busy
    road without a sidewalk, access=no/private without foot permission, an area)."""
    highway = tags.get("highway", "")
    foot = tags.get("foot", "")
    if foot == "no" or tags.get("area") == "yes":
        return None
    if tags.get("access", "") in _NO_ACCESS and foot not in _FOOT_OK:
        return None
    if highway in TRAIL_HIGHWAYS:
        return WayRole.TRAIL
    if highway in CONNECTOR_HIGHWAYS:
        surface = _tagged_surface(tags)
        if surface is not None and surface in UNPAVED:
            return WayRole.TRAIL  # an unpaved service road or lane is a trail to a runner
        if surface is None and tags.get("tracktype", "") in ("grade2", "grade3", "grade4"):
            return WayRole.TRAIL
        return WayRole.CONNECTOR
    if highway in MAJOR_HIGHWAYS and (foot in _FOOT_OK or tags.get("sidewalk", "") in _SIDEWALK):
        return WayRole.CONNECTOR
    return None


def _tagged_surface(tags: Mapping[str, str]) -> Surface | None:
    value = tags.get("surface", "").strip().lower()
    if not value:
        return None
    # "gravel;ground": the first value is the main one
    return SURFACE_VALUES.get(value.split(";")[0].strip())


def parse_incline(value: str) -> float | None:
    """An `incline` value as a decimal grade (`12%` -> 0.12, `-8 %` -> -0.08, `5°` -> tan);
    None for `up`, `down` or anything unreadable."""
    m = re.fullmatch(r"\s*([+-]?\d+(?:[.,]\d+)?)\s*(%|°)?\s*", value)
    if not m:
        return None
    number = float(m.group(1).replace(",", "."))
    if m.group(2) == "°":
        return math.tan(math.radians(number))
    return number / 100.0


def _mtb_level(value: str) -> int | None:
    m = re.match(r"\s*(\d)", value)
    return int(m.group(1)) if m else None


def classify_way(tags: Mapping[str, str]) -> WayClass:
    """Surface and technical verdict of one way from its tags, with the reasons."""
    role = way_role(tags) or WayRole.CONNECTOR
    highway = tags.get("highway", "")
    reasons: list[Reason] = []
    decided: list[tuple[str, str]] = []  # the tags that make it technical
    tagged = _tagged_surface(tags)
    raw_surface = tags.get("surface", "").strip().lower()
    if tagged is not None:
        surface, assumed, label = tagged, False, raw_surface.split(";")[0]
    elif tags.get("tracktype") in TRACKTYPE_SURFACE:
        tt = tags["tracktype"]
        surface, assumed, label = TRACKTYPE_SURFACE[tt], True, f"{TRACKTYPE_SURFACE[tt]} ({tt})"
    elif highway in ("path", "track", "bridleway"):
        surface, assumed = Surface.DIRT, True
        label = f"dirt (assumed: {highway})"
    else:
        surface, assumed = Surface.PAVED, True
        label = f"paved (assumed: {highway or 'road'})"

    name = tags.get("name")
    where = f" on {name}" if name else ""
    sac = tags.get("sac_scale", "")
    if sac in TECHNICAL_SAC:
        decided.append(("sac_scale", sac))
        t = SAC_SCALE.index(sac) + 1
        reasons.append(
            Reason(
                "R9",
                f"sac_scale={sac}{where} (SAC T{t}, {OSM_WIKI}): mountain-hiking ground, "
                "uneven and steep: hike it once before you run it.",
            )
        )
    vis = tags.get("trail_visibility", "")
    if vis in BAD_VISIBILITY:
        decided.append(("trail_visibility", vis))
        reasons.append(
            Reason(
                "R9",
                f"trail_visibility={vis}{where}: partly pathless, route-finding needed "
                f"({OSM_WIKI}; USFS Trail Class 1): hike it first.",
            )
        )
    smooth = tags.get("smoothness", "")
    if smooth in ROUGH_SMOOTHNESS:
        decided.append(("smoothness", smooth))
        reasons.append(
            Reason(
                "R9",
                f"smoothness={smooth}{where}: only off-road vehicles get through "
                f"({OSM_WIKI}): rocky, rutted or unstable footing, hike it first.",
            )
        )
    mtb = _mtb_level(tags.get("mtb:scale", ""))
    if mtb is not None and mtb >= TECHNICAL_MTB:
        decided.append(("mtb:scale", tags["mtb:scale"]))
        reasons.append(
            Reason(
                "R9",
                f"mtb:scale={tags['mtb:scale']}{where}: roots, rocks or steps that mountain "
                "bikers rate S2 or harder (OSM wiki [U]): hike it first.",
            )
        )
    if surface is Surface.ROCK or raw_surface == "mud":
        decided.append(("surface", raw_surface))
        reasons.append(
            Reason(
                "R9",
                f"surface={raw_surface}{where}: rocky, slick or unstable footing: hike it first.",
            )
        )
    incline = parse_incline(tags.get("incline", ""))
    if incline is not None and abs(incline) >= STEEP_INCLINE:
        decided.append(("incline", tags["incline"]))
        reasons.append(
            Reason(
                "R9",
                f"incline={tags['incline']}{where}: {abs(incline) * 100:.0f} % is steeper "
                "than IMBA's 15 % limit for easy trails (science.md 8): hike it first.",
            )
        )
    return WayClass(
        role=role,
        surface=surface,
        surface_assumed=assumed,
        technical=bool(reasons),
        reasons=tuple(reasons),
        label=label,
        technical_tags=tuple(decided),
    )


@dataclass(frozen=True)
class Stretch:
    """A piece of a route on one way: its length, its way's class and name."""

    length_m: float
    way: WayClass
    name: str | None = None


def surface_breakdown(stretches: Iterable[Stretch]) -> dict[str, float]:
    """Kilometres per surface class (paved, gravel, dirt, rock), every class present."""
    km = dict.fromkeys((s.value for s in Surface), 0.0)
    for s in stretches:
        km[s.way.surface.value] += s.length_m / 1000.0
    return km


def classify_route(
    profile: Profile, hills: Sequence[Hill], stretches: Sequence[Stretch]
) -> tuple[TrailCategory, list[Reason]]:
    """The category of a route made of OSM ways, in the trail library's order (docs/trails.md
    4): technical (R9) from the ways' tags or a 200 m grade of 15 %; hilly (R6); smooth (R10)
    when `SMOOTH_SHARE` is paved or gravel; dirt (R6) otherwise."""
    total = sum(s.length_m for s in stretches) or 1.0
    reasons: list[Reason] = []
    seen: set[str] = set()
    for s in stretches:
        for r in s.way.reasons:
            if r.text not in seen and len(seen) < 3:
                seen.add(r.text)
                reasons.append(r)
    technical_m = sum(s.length_m for s in stretches if s.way.technical)
    if technical_m > 0:
        reasons.insert(
            0,
            Reason(
                "R9",
                f"{technical_m / 1000:.1f} km of it is technical ground by its OpenStreetMap "
                "tags: a technical trail, to hike once before you run it.",
            ),
        )
        return TrailCategory.TECHNICAL, reasons

    grades = [
        g
        for g in (profile.max_sustained_grade_200m, profile.max_sustained_descent_200m)
        if g is not None
    ]
    if grades and max(grades) >= STEEP_GRADE:
        return TrailCategory.TECHNICAL, [
            Reason(
                "R9",
                f"It has 200 m at {max(grades) * 100:.0f} % (steeper than IMBA's 15 % for easy "
                "trails, science.md 8): technical, hike it once before you run it.",
            )
        ]

    per_km = profile.gain_per_km
    repeat = [h for h in hills if h.suits_repeats]
    if per_km is not None and per_km >= HILLY_GAIN_PER_KM:
        return TrailCategory.HILLY, [
            Reason(
                "R6",
                f"It climbs {per_km:.0f} m per km: a hilly route, good for building power.",
            )
        ]
    if repeat:
        h = repeat[0]
        return TrailCategory.HILLY, [
            Reason(
                "R6",
                f"A hill for repeats {h.start_km:.1f} km in: {h.length_m:.0f} m climbing "
                f"{h.gain_m:.0f} m ({h.avg_grade * 100:.0f} % on average, at least 100 m at "
                "5-10 %). Hillier routes suit hill repeats.",
            )
        ]
    smooth_m = sum(
        s.length_m for s in stretches if s.way.surface in (Surface.PAVED, Surface.GRAVEL)
    )
    if smooth_m / total >= SMOOTH_SHARE:
        return TrailCategory.SMOOTH, [
            Reason(
                "R10",
                f"{smooth_m / total * 100:.0f} % of it is paved or gravel: smooth ground where "
                "your daily road trainers are fine.",
            )
        ]
    flat = (
        f"{per_km:.0f} m of climb per km"
        if per_km is not None
        else "no elevation, so its hills could not be measured"
    )
    unpaved = sum(s.length_m for s in stretches if s.way.unpaved) / total
    return TrailCategory.DIRT, [
        Reason(
            "R6",
            f"A flatter route ({flat}), {unpaved * 100:.0f} % unpaved: a dirt trail with some "
            "rocks and ruts, good for recovery runs that challenge the ankles.",
        )
    ]
