"""The known route-time models, as published (science.md sections 1-2). Pure, no I/O.

Each model is a *cost ratio*: how many metres of flat running one metre on grade `g` (rise /
run, decimal) is worth at the same effort. A route's time is then its equivalent flat distance
divided by the runner's flat speed, which makes every model calibratable the same way (the
benchmark, docs/time-model.md). The plain formulas (Naismith hours, Tobler km/h, ITRA
km-effort, Minetti J/kg/m, the GAP factor) are exposed too, so tests can pin them to the
published numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
CostRatio = Callable[[FloatArray], FloatArray]

# ----------------------------------------------------------------------------- Naismith

NAISMITH_FLAT_KMH = 5.0
"""Naismith's rule (science.md 1, [S]): 1 h per 5 km ..."""
NAISMITH_CLIMB_M_PER_H = 600.0
"""... plus 1 h per 600 m of ascent."""


def naismith_hours(distance_km: float, gain_m: float) -> float:
    """Naismith's walking time: 1 h per 5 km plus 1 h per 600 m of climb."""
    return distance_km / NAISMITH_FLAT_KMH + gain_m / NAISMITH_CLIMB_M_PER_H


def naismith_cost(grade: FloatArray) -> FloatArray:
    """Naismith as a cost ratio: 1 m of climb = 5000/600 = 8.33 m of flat (Scarf 2007 gives
    7.92 with his own conversion); descent is free."""
    climb_equiv = NAISMITH_FLAT_KMH * 1000 / NAISMITH_CLIMB_M_PER_H
    return np.asarray(1.0 + climb_equiv * np.maximum(grade, 0.0), np.float64)


# ----------------------------------------------------------------------------- Tobler

TOBLER_PEAK_KMH = 6.0
"""Tobler's hiking function (science.md 1, [C] conveyal/r5 ToblerCalculator): 6 km/h peak ..."""
TOBLER_DECAY = 3.5
"""... decaying as exp(-3.5 |g + 0.05|) ..."""
TOBLER_PEAK_GRADE = -0.05
"""... around the fastest grade, -5 %."""


def tobler_kmh(grade: FloatArray | float) -> FloatArray:
    """Tobler's walking speed in km/h: 5.04 on the flat, 6 at -5 %."""
    g = np.asarray(grade, np.float64)
    return np.asarray(
        TOBLER_PEAK_KMH * np.exp(-TOBLER_DECAY * np.abs(g - TOBLER_PEAK_GRADE)), np.float64
    )


def tobler_cost(grade: FloatArray) -> FloatArray:
    """Tobler as a cost ratio: flat speed / speed on the grade."""
    return np.asarray(tobler_kmh(0.0) / tobler_kmh(grade), np.float64)


# ----------------------------------------------------------------------------- ITRA

ITRA_M_PER_KM_EFFORT = 100.0
"""ITRA km-effort (science.md 1, [V] itra.run): distance_km + D+ / 100."""


def itra_km_effort(distance_km: float, gain_m: float) -> float:
    """ITRA's km-effort: 65 km with 3500 m of climb gives 100."""
    return distance_km + gain_m / ITRA_M_PER_KM_EFFORT


def itra_cost(grade: FloatArray) -> FloatArray:
    """km-effort as a cost ratio: 1 m of climb = 10 m of flat; descent is free."""
    climb_equiv = 1000.0 / ITRA_M_PER_KM_EFFORT
    return np.asarray(1.0 + climb_equiv * np.maximum(grade, 0.0), np.float64)


# ----------------------------------------------------------------------------- Minetti

MINETTI_RUN = (155.4, -30.4, -43.3, 46.3, 19.5, 3.6)
"""Minetti et al. 2002 (J Appl Physiol 93:1039), running cost Cr(g) in J/kg/m, g^5 ... g^0."""
MINETTI_WALK = (280.5, -58.7, -76.8, 51.9, 19.6, 2.5)
"""Minetti et al. 2002, walking cost Cw(g) in J/kg/m."""
MINETTI_CLIP = 0.45
"""The grades Minetti measured (-45 % ... +45 %); implementations clip there (science.md 1)."""


def _poly(coeffs: tuple[float, ...], grade: FloatArray | float) -> FloatArray:
    g = np.clip(np.asarray(grade, np.float64), -MINETTI_CLIP, MINETTI_CLIP)
    return np.asarray(np.polyval(np.asarray(coeffs), g), np.float64)


def minetti_run_cost(grade: FloatArray | float) -> FloatArray:
    """Minetti's energy cost of running, J/kg/m (3.6 on the flat, 1.78 minimum near -18 %)."""
    return _poly(MINETTI_RUN, grade)


def minetti_walk_cost(grade: FloatArray | float) -> FloatArray:
    """Minetti's energy cost of walking, J/kg/m (2.5 on the flat)."""
    return _poly(MINETTI_WALK, grade)


def minetti_cost(grade: FloatArray) -> FloatArray:
    """Cr(g) / Cr(0): at equal metabolic power, speed on the grade = flat speed / this."""
    return np.asarray(minetti_run_cost(grade) / MINETTI_RUN[-1], np.float64)


# ----------------------------------------------------------------------------- GAP table

GAP_GRADES_PCT = (
    -45, -30, -25, -20, -15, -10, -8, -6, -4, -2, 0, 2, 4, 6, 8, 10, 15, 20, 25, 30, 45,
)  # fmt: skip
GAP_FACTORS = (
    2.096, 1.495, 1.273, 1.081, 0.941, 0.876, 0.876, 0.891, 0.918, 0.96, 1.0,
    1.055, 1.135, 1.228, 1.337, 1.459, 1.846, 2.297, 2.727, 3.158, 4.286,
)  # fmt: skip
"""Strava's 2017 grade-adjusted pace, reverse-engineered (science.md 1, [C] specialsauce
`gap_speed_factor`): GAP speed = speed x f(grade %), clamped to +-45 %."""


def gap_factor(grade: FloatArray | float) -> FloatArray:
    """The GAP table's factor f, linearly interpolated in grade % and clamped to +-45 %."""
    pct = np.asarray(grade, np.float64) * 100.0
    return np.asarray(
        np.interp(pct, np.asarray(GAP_GRADES_PCT, np.float64), np.asarray(GAP_FACTORS)),
        np.float64,
    )


def gap_cost(grade: FloatArray) -> FloatArray:
    """GAP as a cost ratio: GAP = the flat speed at the same effort, so speed on the grade =
    flat speed / f(grade)."""
    return gap_factor(grade)


def constant_cost(grade: FloatArray) -> FloatArray:
    """Constant pace: grade does not matter."""
    return np.ones_like(np.asarray(grade, np.float64))


# ----------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class ReferenceModel:
    """A named cost-ratio model with where it comes from."""

    key: str
    name: str
    cost: CostRatio
    source: str


REFERENCE_MODELS: tuple[ReferenceModel, ...] = (
    ReferenceModel("constant", "constant pace", constant_cost, "no grade"),
    ReferenceModel("naismith", "Naismith", naismith_cost, "1 h / 5 km + 1 h / 600 m up"),
    ReferenceModel("tobler", "Tobler", tobler_cost, "6 exp(-3.5 |g + 0.05|) km/h"),
    ReferenceModel("itra", "ITRA km-effort", itra_cost, "km + D+ / 100"),
    ReferenceModel("minetti", "Minetti cost", minetti_cost, "Minetti 2002 Cr(g) / Cr(0)"),
    ReferenceModel("gap", "GAP table", gap_cost, "Strava 2017, reverse-engineered"),
)


def equivalent_flat_m(cost: CostRatio, step_m: FloatArray, grade: FloatArray) -> float:
    """A route's equivalent flat distance in metres under a cost model: sum of step x cost."""
    if len(step_m) == 0:
        return 0.0
    return float(np.sum(step_m * cost(grade)))


def route_seconds(
    cost: CostRatio, step_m: FloatArray, grade: FloatArray, flat_speed_ms: float
) -> float:
    """Moving time of a route (steps and their grades) at `flat_speed_ms` under a cost model."""
    if flat_speed_ms <= 0 or not math.isfinite(flat_speed_ms):
        raise ValueError("flat speed must be a positive number of m/s")
    return equivalent_flat_m(cost, step_m, grade) / flat_speed_ms
