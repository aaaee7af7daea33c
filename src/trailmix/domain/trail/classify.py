"""Which kind of trail a route is (smooth, dirt, hilly, technical), and why, in plain words.

Pure, no I/O. The runner knows the footing; the file only knows the shape. So the runner's
word wins for surface and technical footing, and the numbers decide the rest, in this order:

1. Technical (R9): the runner tagged it rocky, steep, slick, roots, scree, ...; or, unless
   they declared a smooth surface, it has 200 m at `STEEP_GRADE` or more, up or down.
2. Hilly (R6): `HILLY_GAIN_PER_KM` of climb per km, or a hill that suits repeats.
3. Smooth (R10): the runner declared paved, gravel, wood chips, a rail trail, ...
4. Dirt: anything else (R6: flatter dirt trails suit recovery runs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trailmix.domain.trail.hills import find_hills
from trailmix.domain.trail.model import Hill, Trail, TrailCategory
from trailmix.domain.trail.profile import ElevationModel, Profile, TrackPoints, build_profile
from trailmix.domain.types import Reason

STEEP_GRADE = 0.15
"""IMBA Trail Difficulty Rating: 15 % max grade is the limit of the easier ratings; above it
trails rate blue square or harder (science.md section 8). Measured over 200 m so one steep
step, or altimeter noise, does not make a trail technical (trailmix default)."""

HILLY_GAIN_PER_KM = 25.0
"""trailmix default: 25 m of climb per km. By ITRA's km-effort (100 m of climb counts as 1 km,
science.md section 1) the climbing then adds a quarter to the effort of the distance."""

ROLLING_GAIN_PER_KM = 12.0
"""trailmix default: half the hilly threshold. Below it a route is flat to rolling (R6's
flatter dirt trail) even if one stretch of it suits hill repeats; the hill stays usable."""

TECHNICAL_TAGS = frozenset(
    {
        "technical",
        "rocky",
        "rock",
        "rocks",
        "steep",
        "slick",
        "slippery",
        "roots",
        "rooty",
        "scree",
        "loose",
        "unstable",
        "boulders",
        "scramble",
        "mud",
        "muddy",
        "exposed",
    }
)
"""Footing the article calls technical (R9: steep, slick, rocky or unstable), in the words a
runner or OSM uses."""

SMOOTH_SURFACES = frozenset(
    {
        "paved",
        "asphalt",
        "concrete",
        "paving_stones",
        "gravel",
        "fine_gravel",
        "compacted",
        "woodchips",
        "wood chips",
        "wood_chips",
        "rail trail",
        "rail_trail",
        "railtrail",
        "boardwalk",
        "track",
        "cinder",
    }
)
"""R10's flat, smooth trails (wood chips, gravel, rail trails) plus the paved surfaces, in the
words a runner or OSM (`surface=*`) uses."""


def _norm(word: str) -> str:
    return " ".join(word.strip().lower().replace("-", " ").split())


def _is_smooth(surface: str | None) -> bool:
    if not surface:
        return False
    word = _norm(surface)
    return word in SMOOTH_SURFACES or word.replace(" ", "_") in SMOOTH_SURFACES


def _technical_tags(declared_surface: str | None, declared_technical: Iterable[str]) -> list[str]:
    words = [_norm(t) for t in declared_technical if t.strip()]
    if declared_surface and _norm(declared_surface) in TECHNICAL_TAGS:
        words.append(_norm(declared_surface))
    return sorted({w for w in words if w in TECHNICAL_TAGS})


def _pct(grade: float) -> str:
    return f"{grade * 100:.0f} %"


def classify(
    profile: Profile,
    hills: Iterable[Hill],
    declared_surface: str | None = None,
    declared_technical: Iterable[str] = (),
) -> tuple[TrailCategory, list[Reason]]:
    """The trail's category and the reasons for it, each citing a rule or a default."""
    hills = tuple(hills)
    tags = _technical_tags(declared_surface, declared_technical)
    smooth_declared = _is_smooth(declared_surface)
    unknown = [_norm(t) for t in declared_technical if t.strip() and _norm(t) not in TECHNICAL_TAGS]
    reasons: list[Reason] = []
    if unknown:
        reasons.append(
            Reason(
                "trailmix default",
                f"Ignored tag{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: not a kind "
                f"of footing trailmix knows ({', '.join(sorted(TECHNICAL_TAGS))}).",
            )
        )

    if tags:
        reasons.append(
            Reason(
                "R9",
                f"You described the footing as {', '.join(tags)}: that makes it a technical "
                "trail, to hike once before you run it.",
            )
        )
        return TrailCategory.TECHNICAL, reasons

    steepest = _steepest_200m(profile)
    if steepest is not None and steepest >= STEEP_GRADE and not smooth_declared:
        direction = (
            "climbs"
            if (profile.max_sustained_grade_200m or 0) >= (profile.max_sustained_descent_200m or 0)
            else "drops"
        )
        reasons.append(
            Reason(
                "R9",
                f"It {direction} at {_pct(steepest)} over 200 m (steeper than "
                f"{_pct(STEEP_GRADE)}, where trail ratings stop calling a trail easy): steep "
                "trails are technical, so hike it once before you run it.",
            )
        )
        return TrailCategory.TECHNICAL, reasons

    per_km = profile.gain_per_km
    # One short climb does not make a flat route hilly: a repeat hill counts only on a route
    # that climbs at least ROLLING_GAIN_PER_KM overall (else it is a flat trail with a hill).
    repeat_hills = [h for h in hills if h.suits_repeats and (per_km or 0.0) >= ROLLING_GAIN_PER_KM]
    if per_km is not None and per_km >= HILLY_GAIN_PER_KM:
        reasons.append(
            Reason(
                "R6",
                f"It climbs {per_km:.0f} m per km ({profile.gain_m:.0f} m in "
                f"{profile.length_km:.1f} km): a hilly route, good for building power.",
            )
        )
    elif repeat_hills:
        h = repeat_hills[0]
        reasons.append(
            Reason(
                "R6",
                f"It has a hill for repeats {h.start_km:.1f} km in: {h.length_m:.0f} m "
                f"climbing {h.gain_m:.0f} m, with at least 100 m at 5-10 %. Hillier routes "
                "suit hill repeats.",
            )
        )
    if per_km is not None and (per_km >= HILLY_GAIN_PER_KM or repeat_hills):
        if smooth_declared:
            # R10 goes by footing: a paved or gravel climb is a smooth trail, road trainers
            # and all; its hills stay listed, so repeats may still use them.
            reasons.append(
                Reason(
                    "R10",
                    f"Its surface is {_norm(declared_surface or '')}: a smooth trail, your road "
                    "trainers are fine on it even though it climbs.",
                )
            )
            return TrailCategory.SMOOTH, reasons
        return TrailCategory.HILLY, reasons

    if smooth_declared:
        reasons.append(
            Reason(
                "R10",
                f"You declared its surface as {_norm(declared_surface or '')}: a smooth trail "
                "where your daily road trainers are fine.",
            )
        )
        return TrailCategory.SMOOTH, reasons

    if per_km is None:
        reasons.append(
            Reason(
                "trailmix default",
                "No elevation for this route, so its hills could not be measured: counted as a "
                "dirt trail. Tell trailmix if it is hilly or technical.",
            )
        )
    else:
        one_hill = next((h for h in hills if h.suits_repeats), None)
        hill_words = (
            f"; its one climb ({one_hill.length_m:.0f} m, {one_hill.start_km:.1f} km in) still "
            "suits hill repeats"
            if one_hill
            else ", no hill for repeats"
        )
        reasons.append(
            Reason(
                "R6",
                f"A flatter route ({per_km:.0f} m of climb per km{hill_words}): counted as a "
                "dirt trail, good for recovery runs that challenge the ankles.",
            )
        )
    if not declared_surface:
        reasons.append(
            Reason(
                "trailmix default",
                "No surface given, so trailmix assumes dirt; say paved, gravel or wood chips "
                "if it is smooth.",
            )
        )
    return TrailCategory.DIRT, reasons


def _steepest_200m(profile: Profile) -> float | None:
    values = [
        g
        for g in (profile.max_sustained_grade_200m, profile.max_sustained_descent_200m)
        if g is not None
    ]
    return max(values) if values else None


@dataclass(frozen=True, eq=False)
class TrailAnalysis:
    """Everything trailmix learns from one route file: its profile, its hills, its category."""

    name: str
    profile: Profile
    hills: tuple[Hill, ...]
    category: TrailCategory
    reasons: tuple[Reason, ...]

    @property
    def notes(self) -> tuple[str, ...]:
        """What the profile had to do or could not do (e.g. "no elevation: ...")."""
        return self.profile.notes

    def to_trail(self, id: int, *, hiked: bool = False) -> Trail:
        """The `Trail` the planner uses. Without elevation, gain and loss are stored as 0.0
        (`Trail` has no "unknown"); `profile.elevation_source` says so."""
        return Trail(
            id=id,
            name=self.name,
            category=self.category,
            length_km=round(self.profile.length_km, 3),
            gain_m=round(self.profile.gain_m or 0.0, 1),
            loss_m=round(self.profile.loss_m or 0.0, 1),
            hills=self.hills,
            hiked=hiked,
        )


def analyse_track(
    track: TrackPoints,
    dem: ElevationModel | None = None,
    *,
    name: str,
    declared_surface: str | None = None,
    declared_technical: Iterable[str] = (),
) -> TrailAnalysis:
    """Profile, hills and category of `track` in one call.

    Raises `trailmix.domain.trail.profile.ProfileError` for a track whose points cannot make a
    profile (the file readers already refuse those as `FileFormatError`).
    """
    profile = build_profile(track, dem)
    hills = find_hills(profile)
    category, reasons = classify(profile, hills, declared_surface, set(declared_technical))
    return TrailAnalysis(
        name=name,
        profile=profile,
        hills=hills,
        category=category,
        reasons=tuple(reasons),
    )
