"""The routes a workout needs from one start, searched on the running network (`graph.py`).

Recovery loops and out-and-backs of the target time on flat unpaved ways (R6; R2's weekly
recovery run); hills that suit repeats (R6, R8: the way there is the warm-up); technical
trails to hike first (R9). The search runs on the graph's edge time (R5: minutes at an
effort, not distance), with roads and, for recovery, steep edges made dearer. Every
candidate is profiled and classified exactly like a runner's own route file
(`build_profile`, `find_hills`), then timed with `terrain.predict`. Pure numpy and scipy.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
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
        self.step = {
            (a, b): _Dir(e, f)
            for a, b, e, f in zip(
                rows.tolist(), cols.tolist(), eid.tolist(), fwd.tolist(), strict=True
            )
        }

    def penalised(self, edges: set[int], factor: float) -> csr_matrix:
        """The same graph with `edges` (both ways) `factor` times dearer."""
        pen = np.isin(self._eid, np.fromiter(edges, np.int64, len(edges)))
        w = np.where(pen, self._w * factor, self._w)
        return csr_matrix((w, (self._rows, self._cols)), shape=self.matrix.shape)

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
        return [self.step[(a, b)] for a, b in itertools.pairwise(nodes)]


def _reverse(steps: Sequence[_Dir]) -> list[_Dir]:
    return [_Dir(s.edge, not s.forward) for s in reversed(steps)]


def search_weights(g: Graph, purpose: Purpose) -> tuple[FloatArray, FloatArray]:
    """Edge weights for a workout: time, with roads (and, for recovery, steep edges) made
    dearer, and technical ground left out unless the technical trail is the point."""
    technical = np.asarray([g.way_class[int(w)].technical for w in g.edge_way])
    paved = np.asarray([g.way_class[int(w)].surface is Surface.PAVED for w in g.edge_way])
    factor = 1.0 + PAVED_PENALTY * paved
    if purpose is Purpose.RECOVERY:
        factor = factor + STEEP_PENALTY * (g.steepest >= STEEP_EDGE_GRADE)
    if purpose is not Purpose.TECHNICAL:
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
            Purpose.RECOVERY: f"{self.kind} {self.length_km:.1f} km",
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
    for n in order.tolist():
        if not np.isfinite(dist[n]):
            break
        p = int(pred[n])
        if p < 0:
            real[n] = 0.0
            continue
        s = search.step[(p, n)]
        real[n] = real[p] + (g.t_fwd[s.edge] if s.forward else g.t_bwd[s.edge])
    return real


def _bearing_sector(g: Graph, start: int, nodes: IntArray, sectors: int) -> IntArray:
    dy = g.node_lat[nodes] - g.node_lat[start]
    dx = (g.node_lon[nodes] - g.node_lon[start]) * math.cos(math.radians(g.node_lat[start]))
    ang = np.mod(np.arctan2(dy, dx), 2 * np.pi)
    return np.asarray(np.floor(ang / (2 * np.pi) * sectors).astype(np.int64) % sectors)


def _quick(g: Graph, steps: Sequence[_Dir]) -> tuple[float, float, float]:
    """Seconds, unpaved share and climb per km of a path, from the edge totals."""
    e = np.asarray([s.edge for s in steps], np.int64)
    f = np.asarray([s.forward for s in steps], bool)
    secs = float(np.where(f, g.t_fwd[e], g.t_bwd[e]).sum())
    length = float(g.edge_len[e].sum()) or 1.0
    unpaved = np.asarray([g.edge_class(int(x)).unpaved for x in e])
    climb = float(np.where(f, g.gain_fwd[e], g.gain_bwd[e]).sum())
    return secs, float(g.edge_len[e][unpaved].sum()) / length, climb / length * 1000.0


def recovery_routes(
    g: Graph, start: int, minutes: float, dem: ElevationModel | None, limit: int = MAX_CANDIDATES
) -> list[Candidate]:
    """Loops and out-and-backs of `minutes` (within `TIME_TOLERANCE`) from `start`, on flat,
    unpaved, non-technical ways (R2, R6), best fit first."""
    target = minutes * 60.0
    w_fwd, w_bwd = search_weights(g, Purpose.RECOVERY)
    search = _Search(g, w_fwd, w_bwd)
    dist, pred = search.tree(start)
    real = _tree_seconds(g, search, dist, pred)
    reached = np.flatnonzero(np.isfinite(real) & (real > 0))
    proposals: list[tuple[str, list[_Dir]]] = []
    sectors = 12
    if len(reached):
        sector = _bearing_sector(g, start, reached, sectors)
        # loops: out to a via point, back by another way
        for frac in (0.22, 0.3, 0.38, 0.46):
            for s in range(sectors):
                pool = reached[sector == s]
                if not len(pool):
                    continue
                via = int(pool[np.argmin(np.abs(real[pool] - frac * target))])
                if abs(real[via] - frac * target) > 0.1 * target:
                    continue
                out = search.path(pred, start, via)
                if not out:
                    continue
                _, pred2 = search.tree(via, search.penalised({x.edge for x in out}, REUSE_PENALTY))
                back = search.path(pred2, via, start)
                if back:
                    proposals.append(("loop", out + back))
        # out-and-backs: every turning point whose way back makes the time
        for n in reached.tolist():
            if not 0.35 * target <= real[n] <= 0.6 * target:
                continue
            path = search.path(pred, start, n)
            if path:
                proposals.append(("out-and-back", path + _reverse(path)))

    scored: list[tuple[float, str, list[_Dir]]] = []
    for kind, steps in proposals:
        t, unpaved, climb = _quick(g, steps)
        if (
            abs(t - target) > 0.15 * target
            or unpaved < RECOVERY_MIN_UNPAVED
            or climb > 1.2 * RECOVERY_MAX_GAIN_PER_KM
        ):
            continue
        score = (
            abs(t - target) / target
            + (1 - unpaved)
            + climb / RECOVERY_MAX_GAIN_PER_KM / 2
            + (kind != "loop") * 0.1
        )
        scored.append((score, kind, steps))
    scored.sort(key=lambda x: x[0])
    out_list: list[Candidate] = []
    taken: list[set[int]] = []
    for _score, kind, steps in scored[: limit * 8]:
        edges = {s.edge for s in steps}
        if any(_overlap(edges, t) > 0.6 for t in taken):
            continue
        c = _from_steps(g, steps, dem, kind, Purpose.RECOVERY, minutes)
        if c is None or not fits_recovery(c, minutes):
            continue
        out_list.append(c)
        taken.append(edges)
        if len(out_list) >= limit:
            break
    return out_list


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


def _way_nodes_in_graph(g: Graph) -> dict[int, list[tuple[int, int]]]:
    """For each way index with edges: (position in the way, graph node) of its junctions."""
    index = {nid: i for i, nid in enumerate(g.node_osm.tolist())}
    out: dict[int, list[tuple[int, int]]] = {}
    for wi in np.unique(g.edge_way).tolist():
        w = g.ways[wi]
        out[wi] = [(pos, index[nid]) for pos, nid in enumerate(w.node_ids.tolist()) if nid in index]
    return out


def hill_routes(
    g: Graph, start: int, dem: ElevationModel | None, limit: int = MAX_CANDIDATES
) -> list[Candidate]:
    """Hills that suit repeats (the trail analysis's `suits_repeats`, averaging at most the
    10 % Hudson accepts, science.md 7) on trail ways reachable from `start`: the way there
    (the warm-up, R8), one rep up, and back."""
    if dem is None:
        return []
    w_fwd, w_bwd = search_weights(g, Purpose.HILLS)
    search = _Search(g, w_fwd, w_bwd)
    dist, pred = search.tree(start)
    real = _tree_seconds(g, search, dist, pred)
    junctions = _way_nodes_in_graph(g)
    found: list[tuple[float, int, int, bool, Hill, float]] = []
    for wi, nodes in junctions.items():
        wc = g.way_class[wi]
        if wc.technical or wc.role is not WayRole.TRAIL:
            continue
        reach = [(pos, k) for pos, k in nodes if np.isfinite(real[k])]
        if not reach:
            continue
        w = g.ways[wi]
        for forward in (True, False):
            lat = w.lat if forward else w.lat[::-1]
            lon = w.lon if forward else w.lon[::-1]
            dlat, dlon = densify(lat, lon, SAMPLE_M)
            ele = route_elevations(dlat, dlon, dem)
            if not np.isfinite(ele).any():
                continue
            pts = _Pts(dlat, dlon, ele, np.full(len(dlat), np.nan), np.zeros(len(dlat), np.int64))
            try:
                profile = build_profile(pts, None)
            except ProfileError:
                continue
            cum = cumulative_m(dlat, dlon)
            way_cum = cumulative_m(lat, lon)
            for h in find_hills(profile):
                if not h.suits_repeats or h.avg_grade > REPEAT_GRADE[1]:
                    continue
                foot_m = h.start_km * 1000
                # the junction at or before the foot (in this direction) that is nearest
                best: tuple[float, int, float] | None = None
                for pos, k in reach:
                    p = pos if forward else len(w.node_ids) - 1 - pos
                    at = float(way_cum[p])
                    if at <= foot_m + 1e-6:
                        cost = real[k] + (foot_m - at) / g.flat_speed_ms
                        if best is None or cost < best[0]:
                            best = (cost, k, at)
                if best is None or best[0] > HILL_WAY_MAX_APPROACH_S:
                    continue
                cost, k, at = best
                found.append((cost, wi, k, forward, h, at))
    found.sort(key=lambda x: (x[0], -x[4].gain_m))
    out_list: list[Candidate] = []
    used_ways: set[int] = set()
    for cost, wi, k, fwd, h, at in found:
        if wi in used_ways:
            continue
        w = g.ways[wi]
        lat = w.lat if fwd else w.lat[::-1]
        lon = w.lon if fwd else w.lon[::-1]
        dlat, dlon = densify(lat, lon, SAMPLE_M)
        cum = cumulative_m(dlat, dlon)
        seg = (cum >= at - 1e-6) & (cum <= h.start_km * 1000 + h.length_m + 1e-6)
        up_lat, up_lon = dlat[seg], dlon[seg]
        approach = search.path(pred, start, k) or []
        if approach:
            a_lat, a_lon = _steps_geometry(g, approach)
        else:
            a_lat, a_lon = g.node_lat[k : k + 1], g.node_lon[k : k + 1]
        lat_r = np.concatenate([a_lat, up_lat, up_lat[::-1], a_lat[::-1]])
        lon_r = np.concatenate([a_lon, up_lon, up_lon[::-1], a_lon[::-1]])
        climb_len = float(cumulative_m(up_lat, up_lon)[-1]) if len(up_lat) > 1 else 0.0
        stretches = [
            *_stretches(g, approach),
            Stretch(2 * climb_len, g.way_class[wi], w.name),
            *_stretches(g, _reverse(approach)),
        ]
        ele_up = route_elevations(up_lat, up_lon, dem)
        climb_profile = Route.from_grid(
            cumulative_m(up_lat, up_lon), ele_up, category=TrailCategory.HILLY
        )
        climb = predict(climb_profile, g.effort, g.flat_speed_ms)
        info = HillInfo(
            hill=h,
            climb_minutes=climb.minutes,
            approach_minutes=cost / 60.0,
            way_name=w.name,
        )
        cand = make_candidate(
            g,
            lat_r,
            lon_r,
            stretches,
            [g.ways[int(g.edge_way[s.edge])].id for s in approach] + [w.id],
            dem,
            kind="hill repeats",
            purpose=Purpose.HILLS,
            hill=info,
            notes=(
                f"{info.approach_minutes:.0f} min to the foot of the hill: that is your "
                "warm-up (R8); the route runs up it once and back home",
            ),
        )
        if cand is None:
            continue
        out_list.append(cand)
        used_ways.add(wi)
        if len(out_list) >= limit:
            break
    return out_list


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
