"""Shared data for the discovery tests: the extracts, their tiles, and starts that keep the
work small (a few km around a point with trails)."""

from __future__ import annotations

from pathlib import Path

from support import cliharness
from support.cliharness import Run

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
OSM = SHARED / "osm"
DEM = SHARED / "dem"
BAYREUTH = OSM / "north-bayreuth.osm.gz"
ANDORRA = OSM / "andorra.osm.pbf"
OAKLAND = OSM / "osmnx_West-Oakland.osm.bz2"

BAYREUTH_HOME = (50.0321, 11.5352)
"""A farm-track valley north-west of Bayreuth with flat unpaved loops."""
ANDORRA_HILLS = (42.5191, 1.5691)
"""Camì de les Pardines above Andorra la Vella: hills for repeats."""
ANDORRA_PEAKS = (42.596, 1.52)
"""Camí de Sedornet / Roc de Castell: sac_scale alpine_hiking paths."""

FLAT_SPEED = 1000.0 / 330.0  # 5:30 per km at easy effort


def run_cli(*args: str) -> Run:
    """`trailmix trails ARGS...` through the real entry point."""
    return cliharness.run_cli("trails", *args)
