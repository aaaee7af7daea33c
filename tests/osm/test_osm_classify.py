"""Way classification from OSM tags, and route classification with reasons."""

from __future__ import annotations

import pytest

from trailmix.domain.osm.tags import (
    SAC_SCALE,
    Surface,
    WayRole,
    classify_way,
    parse_incline,
    way_role,
)
from trailmix.formats.osm import OsmArea


def test_every_sac_scale_from_mountain_hiking_is_technical(andorra_area: OsmArea) -> None:
    tagged = [w for w in andorra_area.ways if "sac_scale" in w.tags]
    assert len(tagged) >= 40
    for w in tagged:
        c = classify_way(w.tags)
        level = SAC_SCALE.index(w.tags["sac_scale"])
        if level >= 1:
            assert c.technical, w.tags
            assert any(r.rule == "R9" and "sac_scale" in r.text for r in c.reasons)
        else:
            assert not any("sac_scale" in r.text for r in c.reasons)


@pytest.mark.parametrize(
    ("tags", "technical"),
    [
        ({"highway": "path", "sac_scale": "hiking"}, False),
        ({"highway": "path", "sac_scale": "mountain_hiking"}, True),
        ({"highway": "path", "trail_visibility": "intermediate"}, False),
        ({"highway": "path", "trail_visibility": "bad"}, True),
        ({"highway": "track", "smoothness": "bad"}, False),
        ({"highway": "track", "smoothness": "very_horrible"}, True),
        ({"highway": "path", "mtb:scale": "1"}, False),
        ({"highway": "path", "mtb:scale": "2+"}, True),
        ({"highway": "path", "surface": "scree"}, True),
        ({"highway": "path", "incline": "18%"}, True),
        ({"highway": "path", "incline": "up"}, False),
    ],
)
def test_technical_tags(tags: dict[str, str], technical: bool) -> None:
    assert classify_way(tags).technical is technical


@pytest.mark.parametrize(
    ("tags", "surface", "assumed"),
    [
        ({"highway": "track", "surface": "gravel"}, Surface.GRAVEL, False),
        ({"highway": "track", "tracktype": "grade4"}, Surface.DIRT, True),
        ({"highway": "track", "tracktype": "grade1"}, Surface.PAVED, True),
        ({"highway": "path"}, Surface.DIRT, True),
        ({"highway": "footway"}, Surface.PAVED, True),
        ({"highway": "residential", "surface": "asphalt"}, Surface.PAVED, False),
        ({"highway": "path", "surface": "ground;grass"}, Surface.DIRT, False),
    ],
)
def test_surface(tags: dict[str, str], surface: Surface, assumed: bool) -> None:
    c = classify_way(tags)
    assert (c.surface, c.surface_assumed) == (surface, assumed)


@pytest.mark.parametrize(
    ("tags", "role"),
    [
        ({"highway": "path"}, WayRole.TRAIL),
        ({"highway": "service", "surface": "gravel"}, WayRole.TRAIL),
        ({"highway": "service"}, WayRole.CONNECTOR),
        ({"highway": "residential"}, WayRole.CONNECTOR),
        ({"highway": "primary"}, None),
        ({"highway": "primary", "sidewalk": "both"}, WayRole.CONNECTOR),
        ({"highway": "motorway"}, None),
        ({"highway": "track", "access": "private"}, None),
        ({"highway": "track", "access": "no", "foot": "yes"}, WayRole.TRAIL),
        ({"highway": "footway", "foot": "no"}, None),
        ({"highway": "pedestrian", "area": "yes"}, None),
        ({"building": "yes"}, None),
    ],
)
def test_which_ways_are_kept(tags: dict[str, str], role: WayRole | None) -> None:
    assert way_role(tags) is role


def test_incline_values() -> None:
    assert parse_incline("12%") == pytest.approx(0.12)
    assert parse_incline("-8 %") == pytest.approx(-0.08)
    assert parse_incline("10°") == pytest.approx(0.1763, abs=1e-3)
    assert parse_incline("down") is None
