"""Whether two routes are the same on the ground: used so that `trails discover --add` does not
store a route the library already has (docs/discover.md). Pure numpy and scipy."""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from trailmix.domain.osm.graph import FloatArray, cumulative_m, densify

SAME_ROUTE_M = 30.0
"""trailmix default: two routes are the same when every part of each lies within 30 m of the
other (GPS and map drawing differ by a few metres; parallel paths are usually further apart)."""

SAME_ROUTE_SHARE = 0.95
"""trailmix default: ... for 95 % of their points (a start a little further along the same
way still matches), and their lengths differ by at most 10 %."""

SAME_LENGTH = 0.10


def _xy(lat: FloatArray, lon: FloatArray, lat0: float) -> FloatArray:
    """Metres on a local plane (equirectangular; exact enough within a run's reach)."""
    k = math.pi / 180 * 6_371_008.8
    return np.column_stack([lat * k, lon * k * math.cos(math.radians(lat0))])


def same_route(lat_a: FloatArray, lon_a: FloatArray, lat_b: FloatArray, lon_b: FloatArray) -> bool:
    """Whether routes a and b cover the same ground, in either direction and from any start
    (a loop run the other way round is the same loop)."""
    if len(lat_a) < 2 or len(lat_b) < 2:
        return False
    len_a = float(cumulative_m(lat_a, lon_a)[-1])
    len_b = float(cumulative_m(lat_b, lon_b)[-1])
    if abs(len_a - len_b) > SAME_LENGTH * max(len_a, len_b):
        return False
    lat0 = float(np.mean(lat_a))
    a = _xy(*densify(lat_a, lon_a, SAME_ROUTE_M / 3), lat0)
    b = _xy(*densify(lat_b, lon_b, SAME_ROUTE_M / 3), lat0)
    for p, q in ((a, b), (b, a)):
        d, _ = cKDTree(q).query(p, k=1)
        if float(np.mean(d <= SAME_ROUTE_M)) < SAME_ROUTE_SHARE:
            return False
    return True
