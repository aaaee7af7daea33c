"""Discovery offers the best the area has (issue 16): laps of a short loop, hills across
several ways, the start on the connected network, geometry matching. Small synthetic networks
keep these fast."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from trailmix.domain.osm.graph import FloatArray, Way, build_graph, start_node
from trailmix.domain.osm.match import same_route
from trailmix.domain.osm.routes import MAX_LAPS, hill_routes, recovery_routes

SPEED = 1000.0 / 330.0
M_PER_DEG = 111_195.0


def _way(wid: int, nodes: list[int], pts: list[tuple[float, float]], **tags: str) -> Way:
    return Way(
        wid,
        np.asarray(nodes, np.int64),
        np.asarray([p[0] for p in pts]),
        np.asarray([p[1] for p in pts]),
        {"highway": "track", "surface": "gravel", **tags},
    )


def _ring(wid: int, first_node: int, lat0: float, lon0: float, r_m: float, n: int = 24) -> Way:
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pts = [
        (lat0 + r_m * np.sin(a) / M_PER_DEG, lon0 + r_m * np.cos(a) / M_PER_DEG / np.cos(0.87))
        for a in ang
    ]
    ids = list(range(first_node, first_node + n))
    return _way(wid, [*ids, ids[0]], [*pts, pts[0]])


def test_a_short_ring_gives_laps_not_nothing() -> None:
    # one 1.9 km gravel ring (about 11 min): 40 minutes is laps of it (R8), labelled so
    ring = _ring(1, 100, 50.0, 11.5, 300.0)
    spur = _way(2, [100, 1], [(float(ring.lat[0]), float(ring.lon[0])), (50.0, 11.5045)])
    g = build_graph([ring, spur], None, flat_speed_ms=SPEED, effort=3.0)
    start, _ = start_node(g, 50.0, 11.5045)
    found = recovery_routes(g, start, 40.0, None)
    assert found
    best = found[0]
    assert 2 <= best.laps <= MAX_LAPS
    assert abs(best.prediction.minutes - 40.0) <= 4.0
    assert "laps" in best.fit and any(r.rule == "R8" for r in best.reasons)
    assert best.name.startswith(f"{best.laps} laps of a")


class _Slope:
    """A DEM rising 6 % northwards (6 m per 100 m) from lat 50.0."""

    def elevations(self, lat: FloatArray, lon: FloatArray) -> FloatArray:
        return np.asarray(300.0 + (np.asarray(lat) - 50.0) * M_PER_DEG * 0.06, np.float64)


def test_a_climb_over_three_ways_is_one_hill() -> None:
    # a straight 600 m climb north, drawn as three ways joined end to end, with side paths at
    # the junctions (so each junction is a real one)
    step = 200.0 / M_PER_DEG
    pts = [(50.0 + i * step / 4, 11.5) for i in range(13)]  # 50 m apart
    ways = [
        _way(1, list(range(0, 5)), pts[0:5], name="Lower"),
        _way(2, list(range(4, 9)), pts[4:9], name="Middle"),
        _way(3, list(range(8, 13)), pts[8:13], name="Upper"),
        _way(4, [4, 50], [pts[4], (pts[4][0], 11.503)]),
        _way(5, [8, 51], [pts[8], (pts[8][0], 11.497)]),
    ]
    g = build_graph(ways, _Slope(), flat_speed_ms=SPEED, effort=3.0)
    start, _ = start_node(g, 50.0, 11.5)
    found = hill_routes(g, start, _Slope())
    assert found
    info = found[0].hill
    assert info is not None
    assert info.ways == 3
    assert info.hill.length_m > 450  # one hill, not three of 200 m
    assert 0.05 <= info.hill.avg_grade <= 0.07
    assert info.way_name is not None and "Lower" in info.way_name
    assert any("3 OpenStreetMap ways" in n for n in found[0].notes)


def test_start_snaps_to_the_connected_network_not_an_isolated_path() -> None:
    ring = _ring(1, 100, 50.0, 11.5, 1000.0, n=60)  # 6.3 km
    lonely = _way(2, [1, 2], [(50.0, 11.52), (50.0003, 11.52)])  # 33 m, cut off
    g = build_graph([ring, lonely], None, flat_speed_ms=SPEED, effort=3.0)
    node, dist = start_node(g, 50.0, 11.5201)
    assert g.node_osm[node] >= 100  # on the ring, though the lonely path is nearer
    assert dist < 1500


def _line(n: int, lat0: float, lon0: float, bearing: float) -> tuple[FloatArray, FloatArray]:
    d = np.arange(n) * 20.0
    return (
        lat0 + d * np.cos(bearing) / M_PER_DEG,
        lon0 + d * np.sin(bearing) / M_PER_DEG / np.cos(np.radians(lat0)),
    )


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(20, 120),
    bearing=st.floats(0, 2 * np.pi),
)
def test_same_route_either_way_round_and_not_beside_it(n: int, bearing: float) -> None:
    lat, lon = _line(n, 50.0, 11.5, bearing)
    # an out-and-back, and the same run the other way round
    la = np.concatenate([lat, lat[::-1]])
    lo = np.concatenate([lon, lon[::-1]])
    assert same_route(la, lo, la[::-1].copy(), lo[::-1].copy())
    # a parallel way 100 m off is another route
    off = 100.0 / M_PER_DEG
    shifted_lat = la + off * np.sin(bearing)
    shifted_lon = lo - off * np.cos(bearing) / np.cos(np.radians(50.0))
    assert not same_route(la, lo, shifted_lat, shifted_lon)


def test_stored_analysis_without_osm_tags_decodes_and_round_trips() -> None:
    from trailmix.storage.records import OsmTagsRecord, TrailAnalysisRecord

    old = TrailAnalysisRecord.from_json({"length_km": 3.0, "category": "dirt"})
    assert old.osm_technical == ()  # rows written before the field: no migration needed
    tagged = OsmTagsRecord(42, "Cami", (("sac_scale", "alpine_hiking"),), ("hike it first",))
    doc = TrailAnalysisRecord.from_json({**old.to_json(), "osm_technical": [tagged.to_json()]})
    assert doc.osm_technical == (tagged,)
    # a damaged entry is skipped, not an error
    bad = TrailAnalysisRecord.from_json({"length_km": 1.0, "osm_technical": ["x", {"tags": 3}]})
    assert bad.osm_technical == (OsmTagsRecord(0, None, ()),)


def test_on_a_slope_the_flattest_route_is_offered_and_says_so() -> None:
    # a ring on a 6 % slope: nothing is flat, so the flattest is offered, labelled with its
    # climb per km (R7), not "nothing found"
    ring = _ring(1, 100, 50.0, 11.5, 800.0, n=60)  # 5 km, about 30 min
    g = build_graph([ring], _Slope(), flat_speed_ms=SPEED, effort=3.0)
    start, _ = start_node(g, 50.0, 11.512)
    found = recovery_routes(g, start, 30.0, _Slope())
    assert found
    best = found[0]
    assert best.profile.gain_per_km is not None and best.profile.gain_per_km >= 15
    assert f"flattest here: {best.profile.gain_per_km:.0f} m/km" in best.fit
    assert any(r.rule == "R7" and "flattest" in r.text for r in best.reasons)
    assert abs(best.prediction.minutes - 30.0) <= 3.0


@settings(max_examples=15, deadline=None)
@given(
    picked=st.sets(st.integers(0, 40), min_size=1, max_size=10),
    factor=st.floats(1.5, 8.0),
)
def test_penalised_search_matches_a_matrix_built_afresh(picked: set[int], factor: float) -> None:
    # `_Search.penalised` reuses the CSR structure and changes only the data: the same
    # matrix as building it from the steps with those edges dearer
    from scipy.sparse import csr_matrix

    from trailmix.domain.osm.routes import Purpose, _Search, search_weights

    ring = _ring(1, 100, 50.0, 11.5, 300.0)
    spur = _way(2, [100, 1], [(float(ring.lat[0]), float(ring.lon[0])), (50.0, 11.5045)])
    g = build_graph([ring, spur], None, flat_speed_ms=SPEED, effort=3.0)
    search = _Search(g, *search_weights(g, Purpose.RECOVERY))
    edges = {int(search._eid[i % len(search._eid)]) for i in picked}  # usable edges
    got = search.penalised(edges, factor)
    pen = np.isin(search._eid, sorted(edges))
    w = np.where(pen, search._w * factor, search._w)
    want = csr_matrix((w, (search._rows, search._cols)), shape=search.matrix.shape)
    assert (got != want).nnz == 0
    assert got.nnz == want.nnz and np.allclose(got.toarray(), want.toarray())
    assert pen.any() and np.allclose(got.data[pen], search._w[pen] * factor)
