"""The routes a workout needs from one start, searched on the running network (`graph.py`).

Recovery loops and out-and-backs of the target time on flat unpaved ways (R6; R2's weekly
recovery run), or else the best the area offers, labelled (R7, R8: the flattest here, laps,
paved connectors, a turn-around partway along a way); hills that suit repeats, followed across
junctions and ways (R6, R8: the way there is the warm-up); technical trails to hike first,
with the OSM tags that make them so (R9). The search runs on the graph's edge time (R5:
minutes at an effort, not distance), with roads and, for recovery, steep edges made dearer. Every
candidate is profiled and classified exactly like a runner's own route file
(`build_profile`, `find_hills`), then timed with `terrain.predict`. Pure numpy and scipy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from trailmix.domain.osm.graph import (
    SAMPLE_M,
    FloatArray,
    Graph,
    IntArray,
    cumulative_m,
    densify,
    route_elevations,
)
from trailmix.domain.osm.tags import (
    Stretch,
    Surface,
    WayRole,
    classify_route,
    surface_breakdown,
)
from trailmix.domain.terrain.footing import footing_of_ways
from trailmix.domain.terrain.population import Prediction, Route, predict
from trailmix.domain.trail.hills import REPEAT_GRADE, find_hills
from trailmix.domain.trail.model import Hill, TrailCategory
from trailmix.domain.trail.profile import ElevationModel, Profile, ProfileError, build_profile
from trailmix.domain.types import Reason

GPX_STEP_M = 20.0
"""trailmix default: a discovered route's points are at most 20 m apart, so the GPX carries
the DEM's shape (SRTM3 cells are about 90 m) and any app redraws it faithfully."""

TIME_TOLERANCE = 0.10
"""Recovery routes must be within 10 % of the minutes asked for (issue 8, trailmix default)."""

RECOVERY_MIN_UNPAVED = 0.7
"""trailmix default: a recovery route is on trails (R2, R6) when 70 % of it is unpaved; the
rest links trails by road."""

RECOVERY_MAX_GAIN_PER_KM = 15.0
"""trailmix default: a recovery route is flat when it climbs under 15 m per km. By ITRA's
km-effort (100 m of climb = 1 km, science.md 1) the climbing then adds under 15 % to the
effort, well below the 25 m per km where the trail analysis calls a route hilly. In rolling
country (north of Bayreuth, 60 % of the paths have 100 m at 4.5 %) a loop with no
repeat-worthy stretch at all is rare, so such a loop may still be classed hilly by its one
short hill: the reasons say so."""

PAVED_PENALTY = 2.0
"""trailmix default: in the search a paved minute counts 3 minutes, so roads are used only to
link trails (they stay in the network: a runner leaves home on a road)."""

STEEP_EDGE_GRADE = 0.045
STEEP_PENALTY = 4.0
"""trailmix default: for recovery routes, an edge with 100 m (`graph.STEEP_STRETCH_M`) at
4.5 % or more (the stretch the trail analysis calls a hill for repeats, docs/trails.md 3)
costs 5x, so the search keeps to the flat and the route is not classed hilly."""

TECHNICAL_GRADE = 0.15
"""IMBA's 15 % (science.md 8), the grade at which `classify_route` calls 200 m technical."""

REUSE_PENALTY = 6.0
"""trailmix default: the way back of a loop avoids the way out (its edges cost 6x)."""

HILL_WAY_MAX_APPROACH_S = 45 * 60.0
"""trailmix default: a hill for repeats is offered when it is at most 45 minutes away at the
effort (a long warm-up, R8); further, it is another day's trip."""

MAX_CANDIDATES = 5
"""trailmix default: at most five candidates per workout."""


class Purpose(StrEnum):
    """What the runner wants the trail for (R6, R9)."""

    RECOVERY = "recovery"
    HILLS = "hills"
    TECHNICAL = "technical"


# ----------------------------------------------------------------------------- search


@dataclass(frozen=True)
class _Dir:
    """A directed step along an edge."""

    edge: int
    forward: bool


class _Search:
    """Shortest paths (scipy's Dijkstra) on one weighting of the graph."""

    def __init__(self, g: Graph, w_fwd: FloatArray, w_bwd: FloatArray) -> None:
        self.g = g
        rows = np.concatenate([g.edge_u, g.edge_v])
        cols = np.concatenate([g.edge_v, g.edge_u])
        w = np.concatenate([w_fwd, w_bwd])
        eid = np.concatenate([np.arange(g.n_edges), np.arange(g.n_edges)])
        fwd = np.concatenate([np.ones(g.n_edges, bool), np.zeros(g.n_edges, bool)])
        ok = np.isfinite(w) & (rows != cols)
        rows, cols, w, eid, fwd = rows[ok], cols[ok], w[ok], eid[ok], fwd[ok]
        order = np.lexsort((w, cols, rows))
        rows, cols, w, eid, fwd = rows[order], cols[order], w[order], eid[order], fwd[order]
        first = np.ones(len(rows), bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        rows, cols, w, eid, fwd = rows[first], cols[first], w[first], eid[first], fwd[first]
        self._rows, self._cols, self._w, self._eid = rows, cols, w, eid
        self.matrix = csr_matrix((w, (rows, cols)), shape=(g.n_nodes, g.n_nodes))
        # (from, to) -> the step, looked up by binary search on from * n + to (sorted)
        self._key = rows * g.n_nodes + cols
        self._fwd = fwd

    def steps(self, a: IntArray, b: IntArray) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """The edge and its direction of each step a[i] -> b[i] (all must exist)."""
        i = np.searchsorted(self._key, a * self.g.n_nodes + b)
        return self._eid[i], self._fwd[i]

    def penalised(self, edges: set[int], factor: float) -> csr_matrix:
        """The same graph with `edges` (both ways) `factor` times dearer."""
        mask = np.zeros(self.g.n_edges, bool)
        mask[np.fromiter(edges, np.int64, len(edges))] = True
        pen = mask[self._eid]
        # the steps are sorted by (from, to) and unique, so they are the CSR matrix's entries
        # in order: only its data changes (no COO -> CSR conversion per via point)
        m = self.matrix
        return csr_matrix(
            (np.where(pen, self._w * factor, self._w), m.indices, m.indptr), shape=m.shape
        )

    def tree(self, source: int, matrix: csr_matrix | None = None) -> tuple[FloatArray, IntArray]:
        dist, pred = dijkstra(
            self.matrix if matrix is None else matrix,
            directed=True,
            indices=source,
            return_predecessors=True,
        )
        return np.asarray(dist, np.float64), np.asarray(pred, np.int64)

    def path(self, pred: IntArray, source: int, target: int) -> list[_Dir] | None:
        nodes = [target]
        while nodes[-1] != source:
            p = int(pred[nodes[-1]])
            if p < 0:
                return None
            nodes.append(p)
        nodes.reverse()
        arr = np.asarray(nodes, np.int64)
        eids, fwds = self.steps(arr[:-1], arr[1:])
        return [_Dir(e, f) for e, f in zip(eids.tolist(), fwds.tolist(), strict=True)]


def _reverse(steps: Sequence[_Dir]) -> list[_Dir]:
    return [_Dir(s.edge, not s.forward) for s in reversed(steps)]


def search_weights(g: Graph, purpose: Purpose, relax: int = 0) -> tuple[FloatArray, FloatArray]:
    """Edge weights for a workout: time, with roads (and, for recovery, steep edges) made
    dearer, and technical ground left out unless the technical trail is the point. `relax`
    (recovery's fallbacks, R7/R8): 1 lets in edges as steep as technical ground (dearer
    still), 2 also ways tagged technical."""
    technical = np.asarray([g.way_class[int(w)].technical for w in g.edge_way])
    paved = np.asarray([g.way_class[int(w)].surface is Surface.PAVED for w in g.edge_way])
    factor = 1.0 + PAVED_PENALTY * paved
    if purpose is Purpose.RECOVERY:
        factor = factor + STEEP_PENALTY * (g.steepest >= STEEP_EDGE_GRADE)
        # 100 m at 15 % would make the route technical (`classify_route`): not for recovery,
        # unless nothing else leads anywhere
        too_steep = g.steepest >= TECHNICAL_GRADE
        factor = np.where(too_steep, np.inf if relax < 1 else factor * 4, factor)
        if relax >= 2:
            factor = np.where(technical, factor * 4, factor)
    if purpose is not Purpose.TECHNICAL and not (purpose is Purpose.RECOVERY and relax >= 2):
        factor = np.where(technical, np.inf, factor)
    return g.t_fwd * factor, g.t_bwd * factor


# ----------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class HillInfo:
    """The hill a repeats candidate is for: the climb, the minutes of one rep up it, and the
    minutes from the start to its foot (the warm-up, R8)."""

    hill: Hill
    climb_minutes: float
    approach_minutes: float
    way_name: str | None
    ways: int = 1
    """How many OSM ways the climb runs over (a climb broken by junctions is one hill)."""


@dataclass(frozen=True)
class TechnicalWay:
    """A way on a candidate whose OSM tags make it technical (R9): kept with the trail when it
    is added, so the library knows why it is to be hiked first."""

    way_id: int
    name: str | None
    tags: tuple[tuple[str, str], ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Candidate:
    """A discovered route: its points (every `GPX_STEP_M` at most), its measured profile,
    category with reasons, predicted time at the effort, and surface breakdown (km)."""

    kind: str
    purpose: Purpose
    lat: FloatArray
    lon: FloatArray
    elevation: FloatArray
    profile: Profile
    hills: tuple[Hill, ...]
    category: TrailCategory
    reasons: tuple[Reason, ...]
    prediction: Prediction
    surface_km: dict[str, float]
    surface_assumed_km: float
    way_ids: tuple[int, ...]
    way_names: tuple[str, ...]
    target_minutes: float | None = None
    hill: HillInfo | None = None
    notes: tuple[str, ...] = ()
    technical_ways: tuple[TechnicalWay, ...] = ()
    """The ways whose tags made it technical, with those tags (R9)."""
    laps: int = 1
    """How many times the runner goes round (a short loop run as laps, R8)."""
    fit: str = ""
    """A short label of how the candidate fits its purpose, for the table: "flat, unpaved",
    "flattest here: 18 m/km", "2 laps", "35 % paved", "hike first"; the reasons say it in
    full."""

    @property
    def hike_first(self) -> bool:
        """R9: technical ground is hiked once before it is run."""
        return self.category is TrailCategory.TECHNICAL

    @property
    def length_km(self) -> float:
        return self.profile.length_km

    @property
    def unpaved_share(self) -> float:
        total = sum(self.surface_km.values())
        return 0.0 if total <= 0 else 1.0 - self.surface_km.get("paved", 0.0) / total

    @property
    def name(self) -> str:
        names = self.way_names
        if self.hill is not None:
            names = (self.hill.way_name,) if self.hill.way_name else ()
        where = f" ({names[0]})" if names else ""
        label = {
            Purpose.RECOVERY: (
                f"{self.laps} laps of a {self.length_km / self.laps:.1f} km {self.kind}"
                if self.laps > 1
                else f"{self.kind} {self.length_km:.1f} km"
            ),
            Purpose.HILLS: (
                f"hill {self.hill.hill.length_m:.0f} m at {self.hill.hill.avg_grade * 100:.0f} %"
                if self.hill
                else f"hill route {self.length_km:.1f} km"
            ),
            Purpose.TECHNICAL: f"technical {self.kind} {self.length_km:.1f} km",
        }[self.purpose]
        return f"{label}{where}"[:1].upper() + f"{label}{where}"[1:]


@dataclass(frozen=True)
class _Pts:
    """Points for `build_profile` (the `TrackPoints` protocol)."""

    lat: FloatArray
    lon: FloatArray
    elevation: FloatArray
    time_s: FloatArray
    segment: IntArray


def _steps_geometry(g: Graph, steps: Sequence[_Dir]) -> tuple[FloatArray, FloatArray]:
    lats: list[FloatArray] = []
    lons: list[FloatArray] = []
    for i, s in enumerate(steps):
        la, lo = g.edge_points(s.edge, s.forward)
        if i:
            la, lo = la[1:], lo[1:]
        lats.append(la)
        lons.append(lo)
    return np.concatenate(lats), np.concatenate(lons)


def _stretches(g: Graph, steps: Sequence[_Dir]) -> list[Stretch]:
    return [
        Stretch(
            float(g.edge_len[s.edge]),
            g.edge_class(s.edge),
            g.ways[int(g.edge_way[s.edge])].name,
        )
        for s in steps
    ]


def make_candidate(
    g: Graph,
    lat: FloatArray,
    lon: FloatArray,
    stretches: Sequence[Stretch],
    way_ids: Sequence[int],
    dem: ElevationModel | None,
    *,
    kind: str,
    purpose: Purpose,
    target_minutes: float | None = None,
    hill: HillInfo | None = None,
    notes: Sequence[str] = (),
    fit: str = "",
) -> Candidate | None:
    """Profile, classify and time a route given by its points; None if it has no length."""
    dlat, dlon = densify(lat, lon, GPX_STEP_M)
    keep = np.ones(len(dlat), bool)
    keep[1:] = (np.diff(dlat) != 0) | (np.diff(dlon) != 0)
    dlat, dlon = dlat[keep], dlon[keep]
    ele = route_elevations(dlat, dlon, dem)
    pts = _Pts(dlat, dlon, ele, np.full(len(dlat), np.nan), np.zeros(len(dlat), np.int64))
    try:
        profile = build_profile(pts, None)
    except ProfileError:
        return None
    hills = find_hills(profile)
    category, reasons = classify_route(profile, hills, stretches)
    prediction = predict(
        Route.from_profile(
            profile, category=category, hills=hills, footing=footing_of_ways(stretches)
        ),
        g.effort,
        g.flat_speed_ms,
    )
    names: list[str] = []
    for s in sorted(stretches, key=lambda s: -s.length_m):
        if s.name and s.name not in names:
            names.append(s.name)
    ids = set(way_ids)
    technical_ways = tuple(
        TechnicalWay(w.id, w.name, c.technical_tags, tuple(r.text for r in c.reasons))
        for w, c in zip(g.ways, g.way_class, strict=True)
        if c.technical and w.id in ids
    )
    if technical_ways and not fit:
        fit = "hike first: " + ", ".join(
            dict.fromkeys(f"{k}={v}" for t in technical_ways for k, v in t.tags)
        )
    if category is TrailCategory.TECHNICAL and "hike first" not in fit:
        fit = f"{fit}, hike first" if fit else "hike first"
    all_notes = list(notes)
    if not profile.has_elevation:
        all_notes.append("no elevation here: predicted as if flat")
    return Candidate(
        kind=kind,
        purpose=purpose,
        lat=dlat,
        lon=dlon,
        elevation=ele,
        profile=profile,
        hills=hills,
        category=category,
        reasons=tuple(reasons),
        prediction=prediction,
        surface_km=surface_breakdown(stretches),
        surface_assumed_km=sum(s.length_m for s in stretches if s.way.surface_assumed) / 1000,
        way_ids=tuple(dict.fromkeys(way_ids)),
        way_names=tuple(names[:3]),
        target_minutes=target_minutes,
        hill=hill,
        notes=tuple(all_notes),
        fit=fit,
        technical_ways=technical_ways,
    )


def _from_steps(
    g: Graph,
    steps: Sequence[_Dir],
    dem: ElevationModel | None,
    kind: str,
    purpose: Purpose,
    target_minutes: float | None = None,
) -> Candidate | None:
    lat, lon = _steps_geometry(g, steps)
    return make_candidate(
        g,
        lat,
        lon,
        _stretches(g, steps),
        [g.ways[int(g.edge_way[s.edge])].id for s in steps],
        dem,
        kind=kind,
        purpose=purpose,
        target_minutes=target_minutes,
    )


def _overlap(a: set[int], b: set[int]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _tree_seconds(g: Graph, search: _Search, dist: FloatArray, pred: IntArray) -> FloatArray:
    """Real (unpenalised) seconds along the search tree to every reached node."""
    real = np.full(g.n_nodes, np.inf)
    order = np.argsort(dist)
    order = order[np.isfinite(dist[order])]
    has = pred[order] >= 0
    step_s = np.zeros(len(order))
    if has.any():
        e, f = search.steps(pred[order][has], order[has])
        step_s[has] = np.where(f, g.t_fwd[e], g.t_bwd[e])
    parents = pred[order].tolist()
    secs = step_s.tolist()
    for n, p, t in zip(order.tolist(), parents, secs, strict=True):
        real[n] = 0.0 if p < 0 else real[p] + t
    return real


def _bearing_sector(g: Graph, start: int, nodes: IntArray, sectors: int) -> IntArray:
    dy = g.node_lat[nodes] - g.node_lat[start]
    dx = (g.node_lon[nodes] - g.node_lon[start]) * math.cos(math.radians(g.node_lat[start]))
    ang = np.mod(np.arctan2(dy, dx), 2 * np.pi)
    return np.asarray(np.floor(ang / (2 * np.pi) * sectors).astype(np.int64) % sectors)


def _edge_unpaved(g: Graph) -> npt.NDArray[np.bool_]:
    """Whether each edge is unpaved."""
    return np.asarray([c.unpaved for c in g.way_class], bool)[g.edge_way]


def _quick(
    g: Graph, steps: Sequence[_Dir], unpaved_edge: npt.NDArray[np.bool_] | None = None
) -> tuple[float, float, float]:
    """Seconds, unpaved share and climb per km of a path, from the edge totals."""
    e = np.fromiter((s.edge for s in steps), np.int64, len(steps))
    f = np.fromiter((s.forward for s in steps), bool, len(steps))
    secs = float(np.where(f, g.t_fwd[e], g.t_bwd[e]).sum())
    lengths = g.edge_len[e]
    length = float(lengths.sum()) or 1.0
    unpaved = (_edge_unpaved(g) if unpaved_edge is None else unpaved_edge)[e]
    climb = float(np.where(f, g.gain_fwd[e], g.gain_bwd[e]).sum())
    return secs, float(lengths[unpaved].sum()) / length, climb / length * 1000.0


LOOP_FRACTIONS = (0.12, 0.16, 0.22, 0.3, 0.38, 0.46)
"""trailmix default: loop via points at these shares of the time; the short ones (loops of a
quarter to a half of the time) are run as laps when no single loop fits (R8)."""

MAX_LAPS = 6
"""trailmix default: a route run more than six times over is no longer a route; below that,
laps of a short loop are the best a small network offers (R8: work with what you've got)."""

LAP_PENALTY = 0.15
"""trailmix default: in the ranking each extra lap weighs like 15 % off the time, so one
loop of the time wins over laps of a shorter one when both fit."""


@dataclass(frozen=True)
class _Proposal:
    """A route from the search before it is profiled: its steps, their time by the edge
    times (one lap), unpaved share and climb per km."""

    kind: str
    steps: list[_Dir]
    lap_seconds: float
    unpaved: float
    climb_per_km: float

    def laps(self, target: float, ratio: float) -> int:
        """How many times round brings it nearest the time (at most `MAX_LAPS`); `ratio` is
        the profiled time over the edge time, measured on this search's first candidate."""
        return int(min(MAX_LAPS, max(1, round(target / (self.lap_seconds * ratio)))))

    def off(self, target: float, ratio: float) -> float:
        """How far off the time it is, as a share of it, run `laps` times."""
        return abs(self.lap_seconds * ratio * self.laps(target, ratio) - target) / target

    def score(self, target: float, ratio: float) -> float:
        """Lower is better: off the time, paved, climbing, an out-and-back, laps."""
        return (
            self.off(target, ratio)
            + (1 - self.unpaved)
            + self.climb_per_km / RECOVERY_MAX_GAIN_PER_KM / 2
            + (self.kind != "loop") * 0.1
            + (self.laps(target, ratio) - 1) * LAP_PENALTY
        )


def _propose(
    g: Graph,
    kind: str,
    steps: list[_Dir],
    target: float,
    unpaved_edge: npt.NDArray[np.bool_] | None = None,
) -> _Proposal | None:
    """The proposal when some number of laps of it (one included) comes within 20 % of the
    time by the edge times; the profiled time decides the last 10 %."""
    t, unpaved, climb = _quick(g, steps, unpaved_edge)
    p = _Proposal(kind, steps, t, unpaved, climb)
    return p if t > 0 and p.off(target, 1.0) <= 0.2 else None


def area_climb_per_km(g: Graph, nodes: IntArray | None = None) -> float:
    """The metres climbed per km of the (reachable) network, both ways averaged: how hilly the
    area is, to say how a route compares."""
    if nodes is None:
        edges = np.arange(g.n_edges)
    else:
        inside = np.zeros(g.n_nodes, bool)
        inside[nodes] = True
        edges = np.flatnonzero(inside[g.edge_u] & inside[g.edge_v])
    length = float(g.edge_len[edges].sum())
    if length <= 0:
        return 0.0
    return float((g.gain_fwd[edges] + g.gain_bwd[edges]).sum()) / 2 / length * 1000.0


def recovery_routes(
    g: Graph, start: int, minutes: float, dem: ElevationModel | None, limit: int = MAX_CANDIDATES
) -> list[Candidate]:
    """The best recovery routes of `minutes` (within `TIME_TOLERANCE`) from `start` this network
    offers (R2, R6; R7: any trail helps; R8: work with what you've got), best first: flat,
    mostly unpaved loops and out-and-backs when there are some; else the flattest here (its
    climb said against the area's), laps of a shorter loop, an out-and-back run several times,
    or a route with more paved connectors, each labelled (`Candidate.fit`) and explained. Empty
    only when no runnable way from the start makes the time even in laps."""
    for relax in (0, 1, 2):
        found = _recovery_pass(g, start, minutes, dem, limit, relax)
        if found:
            return found
    return []


def _recovery_pass(
    g: Graph, start: int, minutes: float, dem: ElevationModel | None, limit: int, relax: int
) -> list[Candidate]:
    """One search for `recovery_routes` on the weights of `relax` (`search_weights`)."""
    target = minutes * 60.0
    w_fwd, w_bwd = search_weights(g, Purpose.RECOVERY, relax)
    search = _Search(g, w_fwd, w_bwd)
    dist, pred = search.tree(start)
    real = _tree_seconds(g, search, dist, pred)
    reached = np.flatnonzero(np.isfinite(real) & (real > 0))
    proposals: list[_Proposal] = []
    unpaved_edge = _edge_unpaved(g)

    def add(kind: str, steps: list[_Dir]) -> None:
        p = _propose(g, kind, steps, target, unpaved_edge)
        if p is not None:
            proposals.append(p)

    sectors = 12
    if len(reached):
        sector = _bearing_sector(g, start, reached, sectors)
        # loops: out to a via point, back by another way (short ones become laps)
        for frac in LOOP_FRACTIONS:
            for s in range(sectors):
                pool = reached[sector == s]
                if not len(pool):
                    continue
                via = int(pool[np.argmin(np.abs(real[pool] - frac * target))])
                if abs(real[via] - frac * target) > 0.25 * frac * target:
                    continue
                out = search.path(pred, start, via)
                if not out:
                    continue
                _, pred2 = search.tree(via, search.penalised({x.edge for x in out}, REUSE_PENALTY))
                back = search.path(pred2, via, start)
                if back:
                    add("loop", out + back)
        # out-and-backs: every turning point whose way back makes the time
        for n in reached.tolist():
            if 0.35 * target <= real[n] <= 0.6 * target:
                path = search.path(pred, start, n)
                if path:
                    add("out-and-back", path + _reverse(path))
        if not proposals:
            # a small network: out-and-backs to its farthest points, run several times
            for n in reached[np.argsort(-real[reached])][:40].tolist():
                path = search.path(pred, start, n)
                if path:
                    add("out-and-back", path + _reverse(path))

    area = area_climb_per_km(g, reached)
    ratio = 1.0
    found: list[tuple[tuple[int, float], Candidate]] = []
    taken: list[set[int]] = []
    refused: list[set[int]] = []
    built = 0
    ranked = True
    while proposals and built < limit * 6:
        if ranked:
            # (again once the time is calibrated)
            proposals = [p for p in proposals if p.off(target, ratio) <= TIME_TOLERANCE * 1.5]
            proposals.sort(key=lambda p: p.score(target, ratio), reverse=True)
            ranked = False
            if not proposals:
                break
        p = proposals.pop()
        edges = {s.edge for s in p.steps}
        if any(_overlap(edges, t) > 0.6 for t in taken) or any(
            _overlap(edges, t) > 0.8 for t in refused
        ):
            continue
        laps = p.laps(target, ratio)
        c = _from_steps(g, p.steps * laps, dem, p.kind, Purpose.RECOVERY, minutes)
        built += 1
        if c is None:
            continue
        if built == 1:
            # the time model on the profile vs the edge times (hilly routes run ~6 % slower
            # than their edges add up to): the rest are ranked on it
            ratio = c.prediction.minutes * 60.0 / (p.lap_seconds * laps)
            ranked = True
            if abs(c.prediction.minutes - minutes) > TIME_TOLERANCE * minutes:
                proposals.append(p)  # other laps may fit, now that the time is known
                continue
        if (c.category is TrailCategory.TECHNICAL and relax == 0) or (
            abs(c.prediction.minutes - minutes) > TIME_TOLERANCE * minutes
        ):
            refused.append(edges)
            continue
        c = replace(c, laps=laps)
        tier = 0 if fits_recovery(c, minutes) else 2 if c.category is TrailCategory.TECHNICAL else 1
        found.append(((tier, p.score(target, ratio)), c))
        taken.append(edges)
        if len(found) >= limit and all(k[0] == 0 for k, _ in found):
            break
        if len(found) >= limit * 2:
            break
    if not found:
        found = _turnarounds(g, search, pred, real, start, minutes, dem, limit, ratio, relax)
    found.sort(key=lambda x: x[0])
    best = found[:limit]
    climbs = [c.profile.gain_per_km for _, c in best if c.profile.gain_per_km is not None]
    flattest = min(climbs) if climbs else None
    return [_label_recovery(c, minutes, area, flattest) for _, c in best]


TURN_TRIES = 12
"""trailmix default: at most 12 turn-around points are profiled (each up to 3 times) when a
sparse network has no junction at the right distance."""


def _turnarounds(
    g: Graph,
    search: _Search,
    pred: IntArray,
    real: FloatArray,
    start: int,
    minutes: float,
    dem: ElevationModel | None,
    limit: int,
    ratio: float,
    relax: int,
) -> list[tuple[tuple[int, float], Candidate]]:
    """Out-and-backs that turn partway along a way, where the time out is half the run: for
    a sparse network (mountain paths with junctions kilometres apart) where no junction lies
    at the right distance. Each edge the half-time falls on gives one; the turn is placed by
    the edge time, then moved once by the profiled time (R8: turn around when the time is
    up)."""
    half = minutes * 60.0 / 2 / ratio
    unpaved_edge = _edge_unpaved(g)
    options: list[tuple[float, int, bool]] = []
    for e in range(g.n_edges):
        for fwd in (True, False):
            u = int(g.edge_u[e] if fwd else g.edge_v[e])
            t_e = float(g.t_fwd[e] if fwd else g.t_bwd[e])
            # the profiled time of steep ground runs well over the edge time: the edges
            # where 70-100 % of the half-time is up are all tried
            if not (np.isfinite(real[u]) and real[u] < half and real[u] + t_e > 0.7 * half):
                continue
            w = search.matrix[u, int(g.edge_v[e] if fwd else g.edge_u[e])]
            if not w:
                continue  # not usable on these weights
            climb = float(g.gain_fwd[e] if fwd else g.gain_bwd[e]) / max(float(g.edge_len[e]), 1)
            score = (1 - float(unpaved_edge[e])) + climb * 1000 / RECOVERY_MAX_GAIN_PER_KM / 2
            options.append((score, e, fwd))
    options.sort()
    out: list[tuple[tuple[int, float], Candidate]] = []
    taken: list[set[int]] = []
    for score, e, fwd in options[:TURN_TRIES]:
        u = int(g.edge_u[e] if fwd else g.edge_v[e])
        path = search.path(pred, start, u)
        if path is None:
            continue
        edges = {st.edge for st in path} | {e}
        if any(_overlap(edges, t) > 0.6 for t in taken):
            continue
        t_e = float(g.t_fwd[e] if fwd else g.t_bwd[e])
        goal = half
        c = None
        for _ in range(3):
            frac = min(1.0, max(0.02, (goal - float(real[u])) / t_e))
            c = _turnaround_candidate(g, path, _Dir(e, fwd), frac, dem, minutes)
            if c is None:
                break
            off = c.prediction.minutes / minutes
            if abs(off - 1) <= TIME_TOLERANCE * 0.8:
                break
            goal = goal / off  # move the turn once, by the profiled time
        if c is None or abs(c.prediction.minutes - minutes) > TIME_TOLERANCE * minutes:
            continue
        if c.category is TrailCategory.TECHNICAL and relax == 0:
            continue
        tier = 0 if fits_recovery(c, minutes) else 2 if c.category is TrailCategory.TECHNICAL else 1
        out.append(((tier, score + 0.1), c))
        taken.append(edges)
        if len(out) >= limit:
            break
    return out


def _turnaround_candidate(
    g: Graph,
    path: list[_Dir],
    last: _Dir,
    frac: float,
    dem: ElevationModel | None,
    minutes: float,
) -> Candidate | None:
    """The out-and-back along `path`, then `frac` of the edge `last`, and back."""
    la, lo = g.edge_points(last.edge, last.forward)
    dla, dlo = densify(la, lo, GPX_STEP_M)
    cum = cumulative_m(dla, dlo)
    keep = max(2, int(np.searchsorted(cum, frac * float(cum[-1]))) + 1)
    part_lat, part_lon = dla[:keep], dlo[:keep]
    if path:
        p_lat, p_lon = _steps_geometry(g, path)
        out_lat = np.concatenate([p_lat, part_lat[1:]])
        out_lon = np.concatenate([p_lon, part_lon[1:]])
    else:
        out_lat, out_lon = part_lat, part_lon
    part_m = float(cum[min(keep, len(cum)) - 1])
    stretches = [
        *_stretches(g, path),
        Stretch(part_m, g.edge_class(last.edge), g.ways[int(g.edge_way[last.edge])].name),
    ]
    ids = [g.ways[int(g.edge_way[st.edge])].id for st in [*path, last]]
    return make_candidate(
        g,
        np.concatenate([out_lat, out_lat[::-1][1:]]),
        np.concatenate([out_lon, out_lon[::-1][1:]]),
        stretches + stretches[::-1],
        ids,
        dem,
        kind="out-and-back",
        purpose=Purpose.RECOVERY,
        target_minutes=minutes,
        notes=("turn around partway along the way, when half the time is up (R8)",),
    )


def _label_recovery(c: Candidate, minutes: float, area: float, flattest: float | None) -> Candidate:
    """The candidate with its short label (`fit`) and the reasons of any fallback: laps,
    the flattest here (`flattest`: the least climb per km among those offered), paved
    connectors, technical ground (R7, R8, R9)."""
    laps = c.laps
    labels: list[str] = []
    reasons: list[Reason] = []
    if laps > 1:
        lap_min = c.prediction.minutes / laps
        labels.append(f"{laps} laps")
        reasons.append(
            Reason(
                "R8",
                f"A {lap_min:.0f}-min {c.kind} run {laps} times to make {minutes:g} min: "
                "work with what you've got.",
            )
        )
    per_km = c.profile.gain_per_km
    if per_km is not None and per_km >= RECOVERY_MAX_GAIN_PER_KM:
        best = flattest is not None and per_km <= flattest + 1e-9
        labels.append(f"{'flattest here: ' if best else 'climbs '}{per_km:.0f} m/km")
        what = "The flattest route of this time from here" if best else "This route"
        reasons.append(
            Reason(
                "R7",
                f"{what} climbs {per_km:.0f} m per km "
                f"(flat is under {RECOVERY_MAX_GAIN_PER_KM:.0f}; the ways within reach "
                f"average {area:.0f} m per km): any trail helps, keep the effort easy and "
                "walk the steeper bits.",
            )
        )
    paved = 1.0 - c.unpaved_share
    if c.unpaved_share < RECOVERY_MIN_UNPAVED:
        labels.append(f"{paved * 100:.0f} % paved")
        reasons.append(
            Reason(
                "R7",
                f"{paved * 100:.0f} % of it is on paved roads linking the trails (a trail "
                f"recovery run wants {RECOVERY_MIN_UNPAVED * 100:.0f} % unpaved): any trail "
                "helps.",
            )
        )
    if c.category is TrailCategory.TECHNICAL:
        labels.append("steep/technical: hike first")
        reasons.append(
            Reason(
                "R9",
                "No flat route of this time from here avoids technical ground (by its tags or "
                "a 15 % grade): hike this one once first, then run it easy.",
            )
        )
    fit = ", ".join(labels) if labels else "flat, unpaved"
    return replace(c, laps=laps, fit=fit, reasons=(*reasons, *c.reasons))


def fits_recovery(c: Candidate, minutes: float) -> bool:
    """Within `TIME_TOLERANCE` of the minutes, mostly unpaved, not technical, and flat: under
    `RECOVERY_MAX_GAIN_PER_KM` of climbing (R6: flatter dirt trails for recovery)."""
    per_km = c.profile.gain_per_km
    return (
        abs(c.prediction.minutes - minutes) <= TIME_TOLERANCE * minutes
        and c.unpaved_share >= RECOVERY_MIN_UNPAVED
        and c.category is not TrailCategory.TECHNICAL
        and (per_km is None or per_km < RECOVERY_MAX_GAIN_PER_KM)
    )


CHAIN_MAX_EDGES = 16
CHAIN_MAX_M = 4000.0
"""trailmix default: a climb is followed uphill across at most 16 junction-to-junction edges
and 4 km (a climb often spans 2-5 OSM ways; the longest repeat hill is far shorter)."""

CHAIN_MIN_GRADE = 0.005
"""trailmix default: the climb goes on while the next edge rises at 0.5 % or more (a flat
landing at a junction does not end the hill; `find_hills` decides where it starts and ends)."""


def _directed_steps(g: Graph, usable: npt.NDArray[np.bool_]) -> list[list[_Dir]]:
    """The usable steps leaving each node."""
    out: list[list[_Dir]] = [[] for _ in range(g.n_nodes)]
    for e in np.flatnonzero(usable).tolist():
        out[int(g.edge_u[e])].append(_Dir(e, True))
        out[int(g.edge_v[e])].append(_Dir(e, False))
    return out


def _rise(g: Graph, s: _Dir) -> float:
    """Net metres up along a step (down is negative)."""
    r = float(g.gain_fwd[s.edge] - g.gain_bwd[s.edge])
    return r if s.forward else -r


def _head(g: Graph, s: _Dir) -> int:
    return int(g.edge_v[s.edge] if s.forward else g.edge_u[s.edge])


def _tail(g: Graph, s: _Dir) -> int:
    return int(g.edge_u[s.edge] if s.forward else g.edge_v[s.edge])


def _climb_chains(g: Graph, usable: npt.NDArray[np.bool_]) -> list[list[_Dir]]:
    """Climbs followed across junctions: from every foot (a node no usable edge climbs into),
    up each rising edge, then on up the same way if it keeps rising, else up the steepest
    rising edge, until nothing rises (`CHAIN_MIN_GRADE`) or the chain is long
    (`CHAIN_MAX_EDGES`, `CHAIN_MAX_M`). Chains that climb too little to hold a repeat hill
    (100 m at 4.5 %) are left out before any profile is built."""
    leaving = _directed_steps(g, usable)
    length = g.edge_len

    def grade(s: _Dir) -> float:
        return _rise(g, s) / max(float(length[s.edge]), 1.0)

    rising_into = np.zeros(g.n_nodes, bool)
    for steps in leaving:
        for st in steps:
            if grade(st) >= CHAIN_MIN_GRADE:
                rising_into[_head(g, st)] = True
    chains: list[list[_Dir]] = []
    seen: set[tuple[int, ...]] = set()
    for foot in np.flatnonzero(~rising_into).tolist():
        for first in leaving[foot]:
            if grade(first) < CHAIN_MIN_GRADE:
                continue
            chain = [first]
            visited = {foot, _head(g, first)}
            total = float(length[first.edge])
            while len(chain) < CHAIN_MAX_EDGES and total < CHAIN_MAX_M:
                last = chain[-1]
                nxt = [
                    st
                    for st in leaving[_head(g, last)]
                    if st.edge != last.edge
                    and _head(g, st) not in visited
                    and grade(st) >= CHAIN_MIN_GRADE
                ]
                if not nxt:
                    break
                way = int(g.edge_way[last.edge])
                same = [st for st in nxt if int(g.edge_way[st.edge]) == way]
                step = same[0] if same else max(nxt, key=grade)
                chain.append(step)
                visited.add(_head(g, step))
                total += float(length[step.edge])
            steep = sum(float(length[st.edge]) for st in chain if grade(st) >= 0.03)
            rise = sum(_rise(g, st) for st in chain)
            key = tuple(st.edge for st in chain)
            if steep >= 0.8 * 100.0 and rise >= 4.5 and key not in seen:
                seen.add(key)
                chains.append(chain)
    return chains


def hill_routes(
    g: Graph, start: int, dem: ElevationModel | None, limit: int = MAX_CANDIDATES
) -> list[Candidate]:
    """Hills that suit repeats (the trail analysis's `suits_repeats`, averaging at most the
    10 % Hudson accepts, science.md 7) on trail ways reachable from `start`, each followed
    uphill across junctions and ways (`_climb_chains`: a climb broken by a junction is one
    hill): the way there (the warm-up, R8), one rep up, and back."""
    if dem is None:
        return []
    w_fwd, w_bwd = search_weights(g, Purpose.HILLS)
    search = _Search(g, w_fwd, w_bwd)
    dist, pred = search.tree(start)
    real = _tree_seconds(g, search, dist, pred)
    trail_way = np.asarray([c.role is WayRole.TRAIL and not c.technical for c in g.way_class], bool)
    usable = trail_way[g.edge_way] & np.isfinite(real[g.edge_u]) & np.isfinite(real[g.edge_v])
    found: list[tuple[float, list[_Dir], float, Hill]] = []
    others: list[tuple[float, list[_Dir], float, Hill]] = []
    for chain in _climb_chains(g, usable):
        nodes = [_tail(g, chain[0])] + [_head(g, st) for st in chain]
        if min(float(real[n]) for n in nodes) > HILL_WAY_MAX_APPROACH_S:
            continue
        lat, lon = _steps_geometry(g, chain)
        dlat, dlon = densify(lat, lon, SAMPLE_M)
        ele = route_elevations(dlat, dlon, dem)
        if not np.isfinite(ele).any():
            continue
        pts = _Pts(dlat, dlon, ele, np.full(len(dlat), np.nan), np.zeros(len(dlat), np.int64))
        try:
            profile = build_profile(pts, None)
        except ProfileError:
            continue
        at_node = np.concatenate([[0.0], np.cumsum(g.edge_len[[st.edge for st in chain]])])
        for h in find_hills(profile):
            repeats = h.suits_repeats and h.avg_grade <= REPEAT_GRADE[1]
            foot_m = h.start_km * 1000
            # the junction at or before the foot: the approach ends there
            k = int(np.searchsorted(at_node, foot_m + 1e-6, side="right") - 1)
            cost = float(real[nodes[k]]) + (foot_m - float(at_node[k])) / g.flat_speed_ms
            if cost <= HILL_WAY_MAX_APPROACH_S:
                (found if repeats else others).append(
                    (cost, chain[k:], foot_m - float(at_node[k]), h)
                )
    fallback = not found
    if fallback:
        # R8: no hill suits repeats; the biggest climbs there are, for shorter reps
        found = sorted(others, key=lambda x: -x[3].gain_m)[: limit * 4]
    found.sort(key=lambda x: (x[0], -x[3].gain_m))
    out_list: list[Candidate] = []
    used: list[set[int]] = []
    for cost, up_steps, foot_rel, h in found:
        ends = np.cumsum(g.edge_len[[st.edge for st in up_steps]])
        n_up = min(len(up_steps), int(np.searchsorted(ends, foot_rel + h.length_m - 1e-6)) + 1)
        hill_steps = up_steps[:n_up]
        edges = {st.edge for st in hill_steps}
        if any(_overlap(edges, u) > 0.5 for u in used):
            continue
        c = _hill_candidate(g, search, pred, start, hill_steps, foot_rel, h, cost, dem)
        if c is None:
            continue
        if fallback:
            c = replace(
                c,
                fit=f"short/gentle hill, {c.fit}",
                reasons=(
                    Reason(
                        "R8",
                        f"No hill within reach suits repeats (100 m at 4.5-10 %): this climb "
                        f"of {h.length_m:.0f} m at {h.avg_grade * 100:.0f} % is the best there "
                        "is; run shorter or more reps on it (work with what you've got).",
                    ),
                    *c.reasons,
                ),
            )
        out_list.append(c)
        used.append(edges)
        if len(out_list) >= limit:
            break
    return out_list


def _hill_candidate(
    g: Graph,
    search: _Search,
    pred: IntArray,
    start: int,
    hill_steps: list[_Dir],
    foot_rel: float,
    h: Hill,
    cost: float,
    dem: ElevationModel | None,
) -> Candidate | None:
    """The repeats route for hill `h` (its foot `foot_rel` metres along `hill_steps`, which
    start at the junction at or before it): the way there, up past its top to the next
    junction and back down, home. One rep's minutes are timed on the hill alone."""
    first = _tail(g, hill_steps[0])
    approach = search.path(pred, start, first) or []
    lat, lon = _steps_geometry(g, hill_steps)
    dlat, dlon = densify(lat, lon, SAMPLE_M)
    cum = cumulative_m(dlat, dlon)
    on_hill = (cum >= foot_rel - 1e-6) & (cum <= foot_rel + h.length_m + 1e-6)
    up_lat, up_lon = dlat[on_hill], dlon[on_hill]
    if len(up_lat) < 2:
        return None
    climb_route = Route.from_grid(
        cumulative_m(up_lat, up_lon),
        route_elevations(up_lat, up_lon, dem),
        category=TrailCategory.HILLY,
    )
    climb = predict(climb_route, g.effort, g.flat_speed_ms)
    names: list[str] = []
    for st in hill_steps:
        name = g.ways[int(g.edge_way[st.edge])].name
        if name and name not in names:
            names.append(name)
    n_ways = len({int(g.edge_way[st.edge]) for st in hill_steps})
    info = HillInfo(
        hill=h,
        climb_minutes=climb.minutes,
        approach_minutes=cost / 60.0,
        way_name=" / ".join(names[:3]) or None,
        ways=n_ways,
    )
    spans = (
        f"; the hill runs over {n_ways} OpenStreetMap ways, across the junctions between them"
        if n_ways > 1
        else ""
    )
    steps = approach + hill_steps + _reverse(hill_steps) + _reverse(approach)
    a_lat, a_lon = _steps_geometry(g, steps)
    return make_candidate(
        g,
        a_lat,
        a_lon,
        _stretches(g, steps),
        [g.ways[int(g.edge_way[st.edge])].id for st in steps],
        dem,
        kind="hill repeats",
        purpose=Purpose.HILLS,
        hill=info,
        fit=f"{info.approach_minutes:.0f} min warm-up" + (f", {n_ways} ways" if n_ways > 1 else ""),
        notes=(
            f"{info.approach_minutes:.0f} min to the foot of the hill: that is your "
            f"warm-up (R8); the route runs up it once and back home{spans}",
        ),
    )


def technical_routes(
    g: Graph, start: int, dem: ElevationModel | None, limit: int = MAX_CANDIDATES
) -> list[Candidate]:
    """Technical ways (by their tags) reachable from `start`: there, along the way, and back
    the same way. Every one is hike-first (R9)."""
    w_fwd, w_bwd = search_weights(g, Purpose.HILLS)  # get there on non-technical ground
    search = _Search(g, w_fwd, w_bwd)
    dist, pred = search.tree(start)
    real = _tree_seconds(g, search, dist, pred)
    options: list[tuple[float, int, list[int]]] = []
    by_way: dict[int, list[int]] = {}
    for e in range(g.n_edges):
        if g.edge_class(e).technical:
            by_way.setdefault(int(g.edge_way[e]), []).append(e)
    for wi, edges in by_way.items():
        ends = {int(g.edge_u[e]) for e in edges} | {int(g.edge_v[e]) for e in edges}
        reachable = [n for n in ends if np.isfinite(real[n])]
        if reachable:
            n = min(reachable, key=lambda x: float(real[x]))
            options.append((float(real[n]), wi, [n]))
    options.sort()
    out_list: list[Candidate] = []
    names: set[str] = set()
    for _cost, wi, (entry,) in options:
        w = g.ways[wi]
        if w.name and w.name in names:
            continue
        approach = search.path(pred, start, entry) or []
        # along the technical edges of this way, from the entry, as far as they chain
        chain: list[_Dir] = []
        at = entry
        left = set(by_way[wi])
        while True:
            nxt = next((e for e in left if int(g.edge_u[e]) == at or int(g.edge_v[e]) == at), None)
            if nxt is None:
                break
            fwd = int(g.edge_u[nxt]) == at
            chain.append(_Dir(nxt, fwd))
            at = int(g.edge_v[nxt]) if fwd else int(g.edge_u[nxt])
            left.discard(nxt)
        steps = approach + chain + _reverse(chain) + _reverse(approach)
        c = _from_steps(g, steps, dem, "out-and-back", Purpose.TECHNICAL)
        if c is None:
            continue
        out_list.append(c)
        if w.name:
            names.add(w.name)
        if len(out_list) >= limit:
            break
    return out_list
