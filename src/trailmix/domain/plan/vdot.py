"""Daniels & Gilbert VDOT and the training paces E, M, T, I, R.

Formulas: Daniels J., Gilbert J., *Oxygen Power* (1979), as reproduced in ../shared/docs/science.md
section 4 (the constants that tlgs/vdot uses to reproduce Daniels' published tables).
"""

from __future__ import annotations

import math

from trailmix.domain.types import Paces

# Oxygen Power (1979): VO2 cost of running at v m/min, in mL/kg/min.
_VO2_A, _VO2_B, _VO2_C = -4.60, 0.182258, 0.000104
# Oxygen Power (1979): fraction of VO2max sustainable for t minutes.
_PCT_A, _PCT_B, _PCT_C, _PCT_D, _PCT_E = 0.8, 0.1894393, -0.012778, 0.2989558, -0.1932605

# Fractions of VDOT for each intensity (tlgs/vdot, reproducing Daniels' tables; science.md 4).
EASY_FRACTIONS = (0.6304, 0.7346)
THRESHOLD_FRACTION = 0.8799
INTERVAL_FRACTION = 0.9743

# trailmix default: half-widths of the pace ranges around Daniels' single-value paces, in s/km.
# Daniels gives one pace for M, T, I and R; a range this narrow keeps the intent and lets a
# runner see on the watch when they are off target.
_HALF_WIDTH = {"M": 5.0, "T": 3.0, "I": 3.0, "R": 3.0}

MIN_VDOT = 20.0
MAX_VDOT = 85.0
MARATHON_M = 42195.0


def vo2_at_speed(v_m_per_min: float) -> float:
    return _VO2_A + _VO2_B * v_m_per_min + _VO2_C * v_m_per_min**2


def fraction_sustainable(t_min: float) -> float:
    return _PCT_A + _PCT_B * math.exp(_PCT_C * t_min) + _PCT_D * math.exp(_PCT_E * t_min)


def vdot_from_race(distance_m: float, time_s: float) -> float:
    """VDOT of a race performance: VO2 at race speed over the fraction sustainable that long."""
    t_min = time_s / 60.0
    return vo2_at_speed(distance_m / t_min) / fraction_sustainable(t_min)


def speed_at_fraction(vdot: float, fraction: float) -> float:
    """Speed in m/min at which running costs `fraction` of VDOT (inverse of vo2_at_speed)."""
    vo2 = vdot * fraction
    disc = _VO2_B**2 - 4 * _VO2_C * (_VO2_A - vo2)
    return (-_VO2_B + math.sqrt(disc)) / (2 * _VO2_C)


def race_time(vdot: float, distance_m: float) -> float:
    """Predicted race time in seconds for a distance at this VDOT (bisection on time)."""
    lo, hi = 60.0, 60.0 * 60 * 24
    for _ in range(100):
        mid = (lo + hi) / 2
        if vdot_from_race(distance_m, mid) > vdot:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _pace(v_m_per_min: float) -> float:
    return 60_000.0 / v_m_per_min


def _around(centre: float, key: str) -> tuple[float, float]:
    w = _HALF_WIDTH[key]
    return (round(centre - w, 1), round(centre + w, 1))


def training_paces(vdot: float) -> Paces:
    """Daniels' E, M, T, I and R paces (s/km) for a VDOT, as (fast, slow) ranges.

    Recovery is the slow end of E and slower (trailmix default: E's slowest pace plus 5 %), since
    Daniels folds recovery runs into E.
    """
    e_fast = _pace(speed_at_fraction(vdot, EASY_FRACTIONS[1]))
    e_slow = _pace(speed_at_fraction(vdot, EASY_FRACTIONS[0]))
    m = race_time(vdot, MARATHON_M) / (MARATHON_M / 1000)
    t = _pace(speed_at_fraction(vdot, THRESHOLD_FRACTION))
    i = _pace(speed_at_fraction(vdot, INTERVAL_FRACTION))
    # Daniels: R pace is I pace less 20 s/km below VDOT 50, less 15 s/km from 50 (science.md 4).
    r = i - (20.0 if vdot < 50 else 15.0)
    return Paces(
        vdot=round(vdot, 1),
        easy=(round(e_fast, 1), round(e_slow, 1)),
        recovery=(round(e_slow, 1), round(e_slow * 1.05, 1)),
        marathon=_around(m, "M"),
        threshold=_around(t, "T"),
        interval=_around(i, "I"),
        repetition=_around(r, "R"),
    )


def race_pace(vdot: float, distance_km: float) -> float:
    """Predicted race pace in s/km for a distance at this VDOT."""
    return race_time(vdot, distance_km * 1000) / distance_km
