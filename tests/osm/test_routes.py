"""Route search on the shared extracts: recovery loops, hills for repeats, technical trails."""

from __future__ import annotations

import numpy as np
import pytest

from support.osmdata import ANDORRA_PEAKS, BAYREUTH_HOME, FLAT_SPEED
from trailmix.domain.osm.graph import Graph, build_graph, nearest_node
from trailmix.domain.osm.routes import (
    RECOVERY_MIN_UNPAVED,
    Purpose,
    fits_recovery,
    hill_routes,
    recovery_routes,
    technical_routes,
)
from trailmix.domain.osm.tags import TECHNICAL_SAC
from trailmix.domain.trail.hills import REPEAT_GRADE
from trailmix.domain.trail.model import TrailCategory
from trailmix.formats.osm import OsmArea
from trailmix.formats.srtm import DemFolder


def test_graph_is_split_at_junctions_and_has_elevation(bayreuth: Graph) -> None:
    assert bayreuth.n_edges > 500
    assert bayreuth.elevation_share == pytest.approx(1.0)
    assert np.all(bayreuth.edge_u != bayreuth.edge_v)
    assert np.all(bayreuth.t_fwd > 0) and np.all(bayreuth.t_bwd > 0)
    # uphill one way is slower than downhill the other way on a real climb
    steep = np.argmax(bayreuth.grade)
    assert bayreuth.t_fwd[steep] > bayreuth.t_bwd[steep]


@pytest.mark.parametrize("minutes", [30.0, 40.0])
def test_recovery_routes_fit_the_time_on_flat_unpaved_ways(
    bayreuth: Graph, dem: DemFolder, minutes: float
) -> None:
    start, snap = nearest_node(bayreuth, *BAYREUTH_HOME)
    assert snap < 200
    found = recovery_routes(bayreuth, start, minutes, dem)
    assert found, "no recovery route"
    # the valley has flat unpaved routes: the first one offered is one of them
    assert fits_recovery(found[0], minutes) and found[0].fit == "flat, unpaved"
    for c in found:
        assert c.purpose is Purpose.RECOVERY
        assert abs(c.prediction.minutes - minutes) <= 0.10 * minutes
        assert c.category is not TrailCategory.TECHNICAL and not c.hike_first
        assert c.reasons
        if not fits_recovery(c, minutes):
            # a fallback says how it falls short (R7/R8), in the label and in the reasons
            assert c.fit != "flat, unpaved"
            assert any(r.rule in ("R7", "R8") for r in c.reasons)
        else:
            assert c.unpaved_share >= RECOVERY_MIN_UNPAVED
            assert c.profile.gain_per_km is not None and c.profile.gain_per_km < 15.0
        # a loop or out-and-back comes home
        assert abs(c.lat[0] - c.lat[-1]) < 1e-9 and abs(c.lon[0] - c.lon[-1]) < 1e-9


def test_andorra_has_a_repeat_worthy_climb(andorra_hills: Graph, dem: DemFolder) -> None:
    from support.osmdata import ANDORRA_HILLS

    start, _ = nearest_node(andorra_hills, *ANDORRA_HILLS)
    found = hill_routes(andorra_hills, start, dem)
    assert found
    for c in found:
        assert c.hill is not None
        assert c.hill.hill.suits_repeats
        assert c.hill.hill.avg_grade <= REPEAT_GRADE[1]
        assert c.hill.climb_minutes > 0 and c.hill.approach_minutes >= 0
        assert c.category is TrailCategory.HILLY or c.hike_first


def test_technical_trails_are_hike_first(andorra_peaks: Graph, dem: DemFolder) -> None:
    start, _ = nearest_node(andorra_peaks, *ANDORRA_PEAKS)
    found = technical_routes(andorra_peaks, start, dem)
    assert found
    for c in found:
        assert c.category is TrailCategory.TECHNICAL and c.hike_first
        sac = {
            andorra_peaks.ways[i].tags.get("sac_scale")
            for i in range(len(andorra_peaks.ways))
            if andorra_peaks.ways[i].id in c.way_ids
        }
        assert sac & TECHNICAL_SAC
        assert any(r.rule == "R9" for r in c.reasons)


def test_recovery_routes_avoid_technical_ways(andorra_peaks: Graph, dem: DemFolder) -> None:
    start, _ = nearest_node(andorra_peaks, *ANDORRA_PEAKS)
    found = recovery_routes(andorra_peaks, start, 30.0, dem)
    assert found  # high in the mountains there is still a best available (R7, R8)
    flags = [c.hike_first for c in found]
    assert flags == sorted(flags)  # technical ground only after every other route
    for c in found:
        if c.hike_first:
            # the fallback of last resort says so, with the rule (R9)
            assert "hike first" in c.fit and any(r.rule == "R9" for r in c.reasons)


def test_without_dem_the_network_is_flat_and_says_so(bayreuth_area: OsmArea) -> None:
    g = build_graph(bayreuth_area.ways, None, flat_speed_ms=FLAT_SPEED, effort=3.0)
    assert g.elevation_share == 0.0
    assert any("flat" in n for n in g.notes)
    start, _ = nearest_node(g, *BAYREUTH_HOME)
    found = recovery_routes(g, start, 30.0, None)
    assert found
    assert all(not c.profile.has_elevation for c in found)
    assert hill_routes(g, start, None) == []
