"""The footing factor of a route, only from evidence about its surface. Pure, no I/O.

Footing slows a runner at the same effort (ultraPacer terrain penalties, science.md 1; energy
cost of uneven ground and soft surfaces, science.md 2). trailmix applies a footing factor only
when something says what the ground is:

- the runner's own words: a surface (`paved`, `gravel`, `wood chips`, `dirt`, ...) or tags
  (`rocky`, `roots`, `technical`, ...; R9's technical footing);
- OpenStreetMap tags, as a discovered trail carries them or as `key=value` tags: `surface`,
  `tracktype`, `smoothness`, `sac_scale`;
- a trail category the runner confirmed (`trails correct --category`).

Never from the grades: a steep road is not technical footing, and the grade cost already counts
the climb, so a factor inferred from the hills would count them twice. With no evidence there
is no factor (x1.00) and the prediction says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from trailmix.domain.osm.tags import (
    ROUGH_SMOOTHNESS,
    SURFACE_VALUES,
    TECHNICAL_SAC,
    TRACKTYPE_SURFACE,
    Stretch,
    Surface,
)
from trailmix.domain.trail.classify import SMOOTH_SURFACES, TECHNICAL_TAGS
from trailmix.domain.trail.model import TrailCategory

FOOTING_FACTOR: dict[TrailCategory, float] = {
    TrailCategory.SMOOTH: 1.02,
    TrailCategory.DIRT: 1.08,
    TrailCategory.TECHNICAL: 1.20,
}
"""Time factor per kind of footing. ultraPacer (science.md 1): paved 0 %, fire road 2-6 %,
doubletrack 6-10 %, singletrack 10-15 %, technical 15-25 %+. smooth (gravel, wood chips) = fire
road's low end (Kowalsky 2021: dirt and gravel just above sidewalk); dirt = doubletrack's
middle; technical = the low half of 15-25 %, near Voloshina & Ferris 2015 (+5 % energy on mildly
uneven ground) plus the slower footing. Paved is 1.00. `hilly` says how a trail climbs, not what
its ground is: no factor."""

SMOOTHNESS_KIND: dict[str, TrailCategory | None] = {
    "excellent": None,
    "good": None,
    "intermediate": TrailCategory.SMOOTH,
    "bad": TrailCategory.DIRT,
    "very_bad": TrailCategory.DIRT,
}
"""OSM wiki `smoothness`: excellent/good = roller blades and racing bikes (paved), intermediate
= city bikes (gravel), bad / very_bad = trekking bikes, high-clearance cars (R6's rocks and
ruts). Horrible and worse is technical (`osm.tags.ROUGH_SMOOTHNESS`)."""

_KIND_OF_SURFACE = {
    Surface.PAVED: None,
    Surface.GRAVEL: TrailCategory.SMOOTH,
    Surface.DIRT: TrailCategory.DIRT,
    Surface.ROCK: TrailCategory.TECHNICAL,
}


@dataclass(frozen=True)
class Footing:
    """A footing factor and the evidence it came from, in words a runner understands."""

    factor: float
    kind: str
    evidence: str

    @property
    def note(self) -> str:
        if self.factor == 1.0:
            return f"{self.kind} ground ({self.evidence}): no footing factor"
        return (
            f"{self.kind} footing ({self.evidence}): x{self.factor:.2f} for the ground "
            "(ultraPacer terrain penalties, science.md 1)"
        )


NO_EVIDENCE_NOTE = (
    "no surface evidence (no surface or tags of yours, no OpenStreetMap tags, no category you "
    "confirmed): no footing factor, predicted as smooth ground; if it is rough, give --surface "
    "or --tag, or store it with 'trailmix trails set NAME --surface ...'"
)


def _norm(word: str) -> str:
    return "_".join(word.strip().lower().replace("-", " ").split())


def _split_tags(tags: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """`key=value` tags (OSM) and plain words, normalised."""
    osm: dict[str, str] = {}
    words: list[str] = []
    for t in tags:
        if "=" in t:
            k, _, v = t.partition("=")
            osm[k.strip().lower()] = v.strip().lower()
        elif t.strip():
            words.append(_norm(t))
    return osm, words


def _surface_word(word: str) -> tuple[TrailCategory | None, bool]:
    """What a surface word says: (kind, known). Paved surfaces are (None, True)."""
    w = _norm(word)
    if w in SURFACE_VALUES:
        return _KIND_OF_SURFACE[SURFACE_VALUES[w]], True
    if w in {_norm(s) for s in SMOOTH_SURFACES}:
        paved = w in {"paved", "asphalt", "concrete", "paving_stones"}
        return (None if paved else TrailCategory.SMOOTH), True
    if w in {"trail", "singletrack", "doubletrack", "fire_road"}:
        return (TrailCategory.SMOOTH if w == "fire_road" else TrailCategory.DIRT), True
    if w in TECHNICAL_TAGS:
        return TrailCategory.TECHNICAL, True
    return None, False


def footing_from_evidence(
    *,
    surface: str | None = None,
    tags: Iterable[str] = (),
    osm_tags: Mapping[str, str] | None = None,
    confirmed_category: TrailCategory | None = None,
) -> Footing | None:
    """The footing from the evidence given (see the module docstring), or None without any.

    The roughest evidence wins: technical footing anywhere in it makes the route technical.
    """
    osm, words = _split_tags(tags)
    if osm_tags:
        osm = {**{k.lower(): v.lower() for k, v in osm_tags.items()}, **osm}
    found: list[tuple[TrailCategory | None, str]] = []
    technical = sorted({w for w in words if w in TECHNICAL_TAGS})
    if technical:
        found.append((TrailCategory.TECHNICAL, f"your tags: {', '.join(technical)}"))
    if surface:
        kind, known = _surface_word(surface)
        if known:
            found.append((kind, f"surface {surface.strip()}, as you gave it"))
    sac = osm.get("sac_scale")
    if sac:
        kind = TrailCategory.TECHNICAL if sac in TECHNICAL_SAC else TrailCategory.DIRT
        found.append((kind, f"OpenStreetMap sac_scale={sac}"))
    smooth = osm.get("smoothness")
    if smooth:
        if smooth in ROUGH_SMOOTHNESS:
            found.append((TrailCategory.TECHNICAL, f"OpenStreetMap smoothness={smooth}"))
        elif smooth in SMOOTHNESS_KIND:
            found.append((SMOOTHNESS_KIND[smooth], f"OpenStreetMap smoothness={smooth}"))
    osm_surface = osm.get("surface", "").split(";")[0].strip()
    if osm_surface in SURFACE_VALUES:
        kind = _KIND_OF_SURFACE[SURFACE_VALUES[osm_surface]]
        found.append((kind, f"OpenStreetMap surface={osm_surface}"))
    tracktype = osm.get("tracktype")
    if tracktype in TRACKTYPE_SURFACE and not osm_surface:
        kind = _KIND_OF_SURFACE[TRACKTYPE_SURFACE[tracktype]]
        found.append((kind, f"OpenStreetMap tracktype={tracktype}"))
    if confirmed_category is not None and confirmed_category is not TrailCategory.HILLY:
        found.append((confirmed_category, f"you confirmed it as {confirmed_category.value}"))
    if not found:
        return None
    order = [None, TrailCategory.SMOOTH, TrailCategory.DIRT, TrailCategory.TECHNICAL]
    kind, evidence = max(found, key=lambda f: order.index(f[0]))
    if kind is None:
        return Footing(1.0, "paved", evidence)
    return Footing(FOOTING_FACTOR[kind], kind.value, evidence)


def footing_of_ways(stretches: Iterable[Stretch]) -> Footing | None:
    """The length-weighted footing of a route made of OpenStreetMap ways (discover): each way's
    kind of ground from its tags, as the discover graph weighs its edges (`osm.graph`); None
    for no length."""
    total = 0.0
    weighted = 0.0
    for s in stretches:
        w = s.way
        if w.technical:
            kind: TrailCategory | None = TrailCategory.TECHNICAL
        else:
            kind = _KIND_OF_SURFACE[w.surface]
        total += s.length_m
        weighted += s.length_m * (FOOTING_FACTOR[kind] if kind is not None else 1.0)
    if total <= 0:
        return None
    return Footing(round(weighted / total, 3), "mixed", "OpenStreetMap tags of its ways")
