"""The running network from OpenStreetMap ways: junction-to-junction edges with their
elevation and their time both ways at the runner's effort.

Pure numpy, no I/O of its own (elevation comes through the `ElevationModel` protocol, as in
`profile.py`). The steps, each with its reason:

1. **Graph** (`build_graph`): every kept way is split at the nodes it shares with another way
   (and at its ends), so each edge runs from junction to junction. A closed way touching the
   rest at one node is split once more in the middle, so a ring round a lake is a loop and
   not a self-edge.
2. **Elevation**: each edge is resampled every `SAMPLE_M` and the DEM read at every sample;
   voids are interpolated along the edge; an edge with no elevation at all (no tile) is
   counted flat, and the graph says how much of it that is.
3. **Cost**: the time of each edge, both ways, at the runner's flat speed at the effort,
   from trailmix's population time model (`terrain.population_cost` on the 50 m grade, times
   the footing factor of the edge's surface). Route search (`routes.py`) runs on this time
   (R5: minutes at an effort, not distance).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from trailmix.domain.osm.tags import Surface, WayClass, classify_way
from trailmix.domain.terrain.population import SURFACE_FACTOR, population_cost, windowed_grade
from trailmix.domain.trail.model import TrailCategory
from trailmix.domain.trail.profile import ElevationModel, haversine_m
from trailmix.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SAMPLE_M = 10.0
"""trailmix default: the elevation grid of the trail analysis (docs/trails.md 2)."""

STEEP_STRETCH_M = 100.0
"""trailmix default: each edge's `steepest` grade is over 100 m, the stretch the trail
analysis calls a hill for repeats (docs/trails.md 3); recovery search avoids such edges."""

MAX_SNAP_M = 1500.0
"""trailmix default: the start may be up to 1.5 km from the nearest runnable way (an easy
warm-up on whatever road leads there); further, the start is refused."""


# ----------------------------------------------------------------------------- input


@dataclass(frozen=True, eq=False)
class Way:
    """One OSM way as read: id, node ids and positions (degrees), and the tags that matter."""

    id: int
    node_ids: IntArray
    lat: FloatArray
    lon: FloatArray
    tags: Mapping[str, str]

    @property
    def name(self) -> str | None:
        return self.tags.get("name") or None


# ----------------------------------------------------------------------------- graph


@dataclass(frozen=True, eq=False)
class Graph:
    """Junction-to-junction edges with their geometry and their time both ways."""

    node_lat: FloatArray
    node_lon: FloatArray
    node_osm: IntArray
    edge_u: IntArray
    edge_v: IntArray
    edge_len: FloatArray
    edge_way: IntArray
    edge_off: IntArray
    pts_lat: FloatArray
    pts_lon: FloatArray
    t_fwd: FloatArray
    t_bwd: FloatArray
    grade: FloatArray
    steepest: FloatArray
    gain_fwd: FloatArray
    gain_bwd: FloatArray
    ways: tuple[Way, ...]
    way_class: tuple[WayClass, ...]
    flat_speed_ms: float
    effort: float
    elevation_share: float
    notes: tuple[str, ...] = field(default=())

    @property
    def n_nodes(self) -> int:
        return len(self.node_lat)

    @property
    def n_edges(self) -> int:
        return len(self.edge_u)

    @property
    def length_km(self) -> float:
        return float(self.edge_len.sum()) / 1000.0

    def edge_class(self, e: int) -> WayClass:
        return self.way_class[int(self.edge_way[e])]

    def edge_points(self, e: int, forward: bool = True) -> tuple[FloatArray, FloatArray]:
        a, b = int(self.edge_off[e]), int(self.edge_off[e + 1])
        lat, lon = self.pts_lat[a:b], self.pts_lon[a:b]
        return (lat, lon) if forward else (lat[::-1], lon[::-1])


def _surface_category(c: WayClass) -> TrailCategory | None:
    if c.technical:
        return TrailCategory.TECHNICAL
    if c.surface is Surface.PAVED:
        return None  # the time model's paved factor (1.0)
    if c.surface is Surface.GRAVEL:
        return TrailCategory.SMOOTH
    return TrailCategory.DIRT


def densify(lat: FloatArray, lon: FloatArray, step_m: float) -> tuple[FloatArray, FloatArray]:
    """The polyline with extra points so no two are more than `step_m` apart."""
    if len(lat) < 2:
        return lat.copy(), lon.copy()
    seg = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    n = np.maximum(1, np.ceil(seg / step_m).astype(np.int64))
    idx = np.repeat(np.arange(len(seg)), n)
    frac = (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    out_lat = lat[idx] + (lat[idx + 1] - lat[idx]) * frac
    out_lon = lon[idx] + (lon[idx + 1] - lon[idx]) * frac
    return (
        np.asarray(np.append(out_lat, lat[-1]), np.float64),
        np.asarray(np.append(out_lon, lon[-1]), np.float64),
    )


def fill_voids(distance_m: FloatArray, values: FloatArray) -> FloatArray:
    """NaN values interpolated along the distance from the valid ones (ends held); all NaN
    stays all NaN."""
    ok = np.isfinite(values)
    if ok.all() or not ok.any():
        return values
    return np.asarray(np.interp(distance_m, distance_m[ok], values[ok]), np.float64)


def cumulative_m(lat: FloatArray, lon: FloatArray) -> FloatArray:
    if len(lat) < 2:
        return np.zeros(len(lat))
    return np.concatenate([[0.0], np.cumsum(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]))])


def route_elevations(lat: FloatArray, lon: FloatArray, dem: ElevationModel | None) -> FloatArray:
    """DEM elevation at each point, voids interpolated along the route; NaN without a DEM."""
    if dem is None or len(lat) == 0:
        return np.full(len(lat), np.nan)
    ele = np.asarray(dem.elevations(lat, lon), np.float64)
    return fill_voids(cumulative_m(lat, lon), ele)


def _split_way(node_ids: IntArray, junction: set[int]) -> list[tuple[int, int]]:
    """[start, end] index pairs of the pieces of a way cut at junction nodes (ends included)."""
    n = len(node_ids)
    cuts = [0] + [i for i in range(1, n - 1) if int(node_ids[i]) in junction] + [n - 1]
    pieces: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(cuts):
        if b <= a:
            continue
        if node_ids[a] == node_ids[b] and b - a >= 2:
            mid = (a + b) // 2
            pieces += [(a, mid), (mid, b)]
        elif node_ids[a] != node_ids[b]:
            pieces.append((a, b))
    return pieces


def build_graph(
    ways: Sequence[Way],
    dem: ElevationModel | None,
    *,
    flat_speed_ms: float,
    effort: float,
) -> Graph:
    """The running graph of `ways`: edges between junctions, DEM elevation, time both ways."""
    if not ways:
        raise InputError("no runnable way to build a network from.")
    counts: dict[int, int] = {}
    for w in ways:
        for nid in w.node_ids.tolist():
            counts[nid] = counts.get(nid, 0) + 1
        # a way's ends are nodes of the graph too
        for end in (int(w.node_ids[0]), int(w.node_ids[-1])):
            counts[end] = counts.get(end, 0) + 2
    junction = {nid for nid, c in counts.items() if c >= 2}

    node_index: dict[int, int] = {}
    node_lat: list[float] = []
    node_lon: list[float] = []
    eu: list[int] = []
    ev: list[int] = []
    eway: list[int] = []
    lat_parts: list[FloatArray] = []
    lon_parts: list[FloatArray] = []
    off = [0]

    def node(w: Way, i: int) -> int:
        nid = int(w.node_ids[i])
        k = node_index.get(nid)
        if k is None:
            k = len(node_lat)
            node_index[nid] = k
            node_lat.append(float(w.lat[i]))
            node_lon.append(float(w.lon[i]))
        return k

    for wi, w in enumerate(ways):
        if len(w.node_ids) < 2:
            continue
        for a, b in _split_way(w.node_ids, junction):
            eu.append(node(w, a))
            ev.append(node(w, b))
            eway.append(wi)
            lat_parts.append(w.lat[a : b + 1])
            lon_parts.append(w.lon[a : b + 1])
            off.append(off[-1] + b - a + 1)
    if not eu:
        raise InputError("the runnable ways have no length to run.")
    pts_lat = np.concatenate(lat_parts)
    pts_lon = np.concatenate(lon_parts)
    edge_off = np.asarray(off, np.int64)
    classes = tuple(classify_way(w.tags) for w in ways)
    edge_way = np.asarray(eway, np.int64)
    t_fwd, t_bwd, length, grade, steepest, gains, share = _edge_times(
        pts_lat, pts_lon, edge_off, edge_way, classes, dem, flat_speed_ms
    )
    notes: list[str] = []
    if dem is None:
        notes.append("no elevation tiles: the network is treated as flat, hills are unknown")
    elif share < 0.999:
        notes.append(
            f"{(1 - share) * 100:.0f} % of the network has no elevation (no tile, or voids "
            "too wide to fill): treated as flat there"
        )
    return Graph(
        node_lat=np.asarray(node_lat, np.float64),
        node_lon=np.asarray(node_lon, np.float64),
        node_osm=np.asarray(list(node_index), np.int64),
        edge_u=np.asarray(eu, np.int64),
        edge_v=np.asarray(ev, np.int64),
        edge_len=length,
        edge_way=edge_way,
        edge_off=edge_off,
        pts_lat=pts_lat,
        pts_lon=pts_lon,
        t_fwd=t_fwd,
        t_bwd=t_bwd,
        grade=grade,
        steepest=steepest,
        gain_fwd=gains[0],
        gain_bwd=gains[1],
        ways=tuple(ways),
        way_class=classes,
        flat_speed_ms=flat_speed_ms,
        effort=effort,
        elevation_share=share,
        notes=tuple(notes),
    )


def _edge_times(
    pts_lat: FloatArray,
    pts_lon: FloatArray,
    edge_off: IntArray,
    edge_way: IntArray,
    classes: tuple[WayClass, ...],
    dem: ElevationModel | None,
    v: float,
) -> tuple[
    FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, tuple[FloatArray, FloatArray], float
]:
    """Per edge: seconds forward, seconds backward, length, average grade, steepest 50 m
    grade either way; and the share of samples with elevation. Vectorised over all edges."""
    m = len(edge_off) - 1
    pt_edge = np.repeat(np.arange(m), np.diff(edge_off))
    same = pt_edge[:-1] == pt_edge[1:]
    seg_len = haversine_m(pts_lat[:-1], pts_lon[:-1], pts_lat[1:], pts_lon[1:])
    seg_len = np.where(same, seg_len, 0.0)
    seg_edge = pt_edge[:-1]
    length = np.bincount(seg_edge, weights=seg_len, minlength=m)

    # resample every SAMPLE_M within each edge: sample k of segment s at fraction j / n_s
    n = np.where(same, np.maximum(1, np.ceil(seg_len / SAMPLE_M)).astype(np.int64), 0)
    total = int(n.sum())
    seg_of = np.repeat(np.arange(len(n)), n)
    frac = (np.arange(total) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(np.maximum(n, 1), n)
    s_lat = pts_lat[seg_of] + (pts_lat[seg_of + 1] - pts_lat[seg_of]) * frac
    s_lon = pts_lon[seg_of] + (pts_lon[seg_of + 1] - pts_lon[seg_of]) * frac
    s_edge = seg_edge[seg_of]
    # each edge's last point closes it
    last = edge_off[1:] - 1
    s_lat = np.concatenate([s_lat, pts_lat[last]])
    s_lon = np.concatenate([s_lon, pts_lon[last]])
    s_edge = np.concatenate([s_edge, np.arange(m)])
    order = np.argsort(s_edge, kind="stable")
    s_lat, s_lon, s_edge = s_lat[order], s_lon[order], s_edge[order]

    step = np.zeros(len(s_lat))
    step[1:] = haversine_m(s_lat[:-1], s_lon[:-1], s_lat[1:], s_lon[1:])
    step[1:][s_edge[1:] != s_edge[:-1]] = 0.0
    dist = np.cumsum(step)
    if dem is None:
        ele = np.full(len(s_lat), np.nan)
    else:
        ele = np.asarray(dem.elevations(s_lat, s_lon), np.float64)
    share = float(np.isfinite(ele).mean()) if dem is not None and len(ele) else 0.0
    missing = np.unique(s_edge[~np.isfinite(ele)])
    if dem is not None and len(missing):
        bounds = np.searchsorted(s_edge, np.arange(m + 1))
        for e in missing.tolist():
            a, b = int(bounds[e]), int(bounds[e + 1])
            ele[a:b] = fill_voids(dist[a:b], ele[a:b])
    flat = ~np.isfinite(ele)
    ele_f = np.where(flat, 0.0, ele)
    grade = windowed_grade(dist, ele_f, s_edge.astype(np.int64), 50.0)
    grade = np.where(flat[:-1] | flat[1:], 0.0, grade)
    inside = s_edge[:-1] == s_edge[1:]
    step_len = np.where(inside, step[1:], 0.0)
    factor = np.asarray(
        [SURFACE_FACTOR.get(_surface_category(classes[int(w)]), 1.0) for w in edge_way]
    )
    f = factor[s_edge[:-1]]
    fwd = step_len * population_cost(grade, v) * f / v
    bwd = step_len * population_cost(-grade, v) * f / v
    t_fwd = np.bincount(s_edge[:-1], weights=fwd, minlength=m)
    t_bwd = np.bincount(s_edge[:-1], weights=bwd, minlength=m)
    rise = np.where(inside, np.diff(ele_f), 0.0)
    net = np.bincount(s_edge[:-1], weights=rise, minlength=m)
    avg_grade = np.where(length > 0, net / np.maximum(length, 1e-9), 0.0)
    # steepest 100 m (the trail analysis's repeat stretch) of each edge, either way; an edge
    # shorter than that counts with its own end-to-end grade
    steepest = np.abs(avg_grade)
    k = round(STEEP_STRETCH_M / SAMPLE_M)
    if len(s_edge) > k:
        same_k = s_edge[k:] == s_edge[:-k]
        run = dist[k:] - dist[:-k]
        g_k = np.where(
            same_k & (run > 0), np.abs(ele_f[k:] - ele_f[:-k]) / np.maximum(run, 1e-9), 0
        )
        np.maximum.at(steepest, s_edge[:-k], np.where(flat[k:] | flat[:-k], 0.0, g_k))
    return (
        np.asarray(np.maximum(t_fwd, 1e-3), np.float64),
        np.asarray(np.maximum(t_bwd, 1e-3), np.float64),
        np.asarray(length, np.float64),
        np.asarray(avg_grade, np.float64),
        np.asarray(steepest, np.float64),
        (
            np.asarray(np.bincount(s_edge[:-1], weights=np.maximum(rise, 0.0), minlength=m), float),
            np.asarray(
                np.bincount(s_edge[:-1], weights=np.maximum(-rise, 0.0), minlength=m), float
            ),
        ),
        share,
    )


MIN_NETWORK_M = 5000.0
"""trailmix default: a start snaps to a network of at least 5 km of ways (or the largest there
is) when one is within `MAX_SNAP_M`: the nearest junction may be on a short isolated path
(a park's footway, a track cut off at the extract's edge) where no run of any length fits."""


def component_length_m(g: Graph) -> tuple[IntArray, FloatArray]:
    """Each node's connected network (label) and each network's length in metres."""
    m = csr_matrix((np.ones(g.n_edges), (g.edge_u, g.edge_v)), shape=(g.n_nodes, g.n_nodes))
    n, label = connected_components(m, directed=False)
    km = np.bincount(label[g.edge_u], weights=g.edge_len, minlength=n)
    return np.asarray(label, np.int64), np.asarray(km, np.float64)


def nearest_way_m(g: Graph, lat: float, lon: float) -> float:
    """Metres from (lat, lon) to the nearest mapped point of any way (not only junctions)."""
    n = len(g.pts_lat)
    return float(haversine_m(np.full(n, lat), np.full(n, lon), g.pts_lat, g.pts_lon).min())


def start_node(g: Graph, lat: float, lon: float) -> tuple[int, float]:
    """The junction a search starts from: the nearest on a network of `MIN_NETWORK_M` (or the
    largest) when one is within `MAX_SNAP_M` of the nearest way, else the nearest junction;
    and its distance in metres."""
    d = haversine_m(np.full(g.n_nodes, lat), np.full(g.n_nodes, lon), g.node_lat, g.node_lon)
    label, length = component_length_m(g)
    big = length[label] >= min(MIN_NETWORK_M, float(length.max()))
    on_big = np.where(big, d, np.inf)
    i = int(np.argmin(on_big))
    if not np.isfinite(on_big[i]) or on_big[i] > nearest_way_m(g, lat, lon) + MAX_SNAP_M:
        i = int(np.argmin(d))
    return i, float(d[i])


def nearest_node(g: Graph, lat: float, lon: float) -> tuple[int, float]:
    """The graph node nearest to (lat, lon) and its distance in metres."""
    d = haversine_m(np.full(g.n_nodes, lat), np.full(g.n_nodes, lon), g.node_lat, g.node_lon)
    i = int(np.argmin(d))
    return i, float(d[i])
