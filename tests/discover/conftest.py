"""Session fixtures: each extract read and its network built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.osmdata import (
    ANDORRA,
    ANDORRA_HILLS,
    ANDORRA_PEAKS,
    BAYREUTH,
    BAYREUTH_HOME,
    DEM,
    FLAT_SPEED,
)
from trailmix.domain.osm.network import Graph, build_graph
from trailmix.formats.osm import OsmArea, read_runnable_ways
from trailmix.formats.srtm import DemFolder


@pytest.fixture(autouse=True)
def _quiet_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("TRAILMIX_DEM", raising=False)
    monkeypatch.setenv("TRAILMIX_DB", f"sqlite:///{tmp_path / 'env-default.db'}")


@pytest.fixture(scope="session")
def dem() -> DemFolder:
    return DemFolder(DEM)


@pytest.fixture(scope="session")
def bayreuth_area() -> OsmArea:
    return read_runnable_ways(BAYREUTH, *BAYREUTH_HOME, 4.0)


@pytest.fixture(scope="session")
def bayreuth(bayreuth_area: OsmArea, dem: DemFolder) -> Graph:
    return build_graph(bayreuth_area.ways, dem, flat_speed_ms=FLAT_SPEED, effort=3.0)


@pytest.fixture(scope="session")
def andorra_area() -> OsmArea:
    """The whole of Andorra (a 40 km radius covers the extract)."""
    return read_runnable_ways(ANDORRA, 42.55, 1.6, 40.0)


@pytest.fixture(scope="session")
def andorra_hills(dem: DemFolder) -> Graph:
    area = read_runnable_ways(ANDORRA, *ANDORRA_HILLS, 3.0)
    return build_graph(area.ways, dem, flat_speed_ms=FLAT_SPEED, effort=3.0)


@pytest.fixture(scope="session")
def andorra_peaks(dem: DemFolder) -> Graph:
    area = read_runnable_ways(ANDORRA, *ANDORRA_PEAKS, 3.0)
    return build_graph(area.ways, dem, flat_speed_ms=FLAT_SPEED, effort=3.0)
