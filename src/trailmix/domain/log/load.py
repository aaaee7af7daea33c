"""Training load: session-RPE, Banister TRIMP, daily and weekly load, monotony and strain,
and the EWMA acute:chronic ratio shown as a trend only. Pure, no I/O.

Every formula is from science.md section 3; the sources are named where each constant is
defined. Loads are in arbitrary units (AU): session-RPE and TRIMP are different scales and
are never added together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from trailmix.domain.types import Sex

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

# numpy is imported by the TRIMP functions only (the import's): the log's weekly stats are
# plain sums, and numpy is a sixth of a second of `trailmix log stats`'s start.

TRIMP_CONSTANTS: dict[Sex, tuple[float, float]] = {
    Sex.MALE: (0.64, 1.92),
    Sex.FEMALE: (0.86, 1.67),
}
"""Banister TRIMP weighting `a * exp(b * HRr)`: men a=0.64, b=1.92; women a=0.86, b=1.67
(science.md 3: AndreCanto00/Running_app `mylib/load.py`, Runalyze's constants)."""

TRIMP_DEFAULT_SEX = Sex.MALE
"""trailmix default: without a known sex, the men's constants (Banister's original ones)."""

MONOTONY_HIGH = 2.0
"""Foster 1998 (MSSE 30(7):1164, via Fellrnr, science.md 3): monotony above 2.0 is too high."""

MONOTONY_GOOD = 1.5
"""Foster 1998 (via Fellrnr): monotony below 1.5 is preferable."""

MONOTONY_CAP = 10.0
"""Fellrnr: with a standard deviation of 0 monotony is infinite; capped at 10."""

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
"""Williams et al. 2017 (BJSM 51:209): EWMA with N = 7 (acute) and 28 (chronic) days,
`lambda = 2 / (N + 1)`."""

CAVEAT = (
    "The acute:chronic ratio is shown as a descriptive trend of your recent load against "
    "your usual load, not as an injury predictor: the acute and chronic loads are coupled, "
    "which makes correlations with injury spurious (Lolli et al. 2019, BJSM 53:921), and "
    "ratios from fixed or random chronic loads predict injuries as well as the real ones "
    "(Impellizzeri et al. 2020, Sports Med, doi:10.1007/s40279-020-01378-6)."
)
"""science.md 3: show ACWR as a descriptive trend only."""


# ----------------------------------------------------------------------------- one session


def session_rpe_load(rpe: float, minutes: float) -> float:
    """Foster et al. 2001 (JSCR 15(1):109): load = CR10 session RPE x minutes (AU).
    Example (science.md): 120 min at RPE 6 = 720 AU."""
    if not 0 <= rpe <= 10:
        raise ValueError(f"RPE must be on the CR10 scale 0-10, got {rpe}")
    if minutes < 0:
        raise ValueError(f"minutes must not be negative, got {minutes}")
    return float(rpe) * float(minutes)


def _trimp_weights(
    hr_bpm: FloatArray, hr_rest: float, hr_max: float, sex: Sex | None
) -> FloatArray:
    if hr_max <= hr_rest:
        raise ValueError(f"HRmax ({hr_max}) must be above HRrest ({hr_rest})")
    import numpy as np

    a, b = TRIMP_CONSTANTS[sex or TRIMP_DEFAULT_SEX]
    # trailmix default: the reserve fraction is clipped to 0..1 (below rest counts nothing).
    hrr = np.clip((hr_bpm - hr_rest) / (hr_max - hr_rest), 0.0, 1.0)
    return np.asarray(hrr * a * np.exp(b * hrr), np.float64)


def banister_trimp(
    hr_bpm: Sequence[float] | FloatArray,
    seconds: Sequence[float] | FloatArray,
    *,
    hr_rest: float,
    hr_max: float,
    sex: Sex | None = None,
) -> float:
    """Banister TRIMP = sum of minutes x HRr x a*exp(b*HRr), HRr = (HR-HRrest)/(HRmax-HRrest)
    (science.md 3), over samples: `hr_bpm[i]` held for `seconds[i]`. Per-minute data is
    the same call with 60 s per value. NaN heart rates count nothing."""
    import numpy as np

    hr = np.asarray(hr_bpm, np.float64)
    s = np.asarray(seconds, np.float64)
    if hr.shape != s.shape:
        raise ValueError("hr_bpm and seconds must have the same length")
    ok = np.isfinite(hr) & np.isfinite(s) & (s > 0)
    w = _trimp_weights(hr[ok], hr_rest, hr_max, sex)
    return float((s[ok] / 60.0 * w).sum())


def banister_trimp_histogram(
    seconds_by_bpm: Iterable[tuple[int, float]],
    *,
    hr_rest: float,
    hr_max: float,
    sex: Sex | None = None,
) -> float:
    """Banister TRIMP from a time-per-bpm histogram (`HeartRateStats.seconds_by_bpm`)."""
    pairs = list(seconds_by_bpm)
    if not pairs:
        return 0.0
    import numpy as np

    bpm, secs = zip(*pairs, strict=True)
    return banister_trimp(
        np.asarray(bpm, np.float64),
        np.asarray(secs, np.float64),
        hr_rest=hr_rest,
        hr_max=hr_max,
        sex=sex,
    )


# ----------------------------------------------------------------------------- days and weeks


@dataclass(frozen=True)
class DayLoad:
    day: date
    load: float


def daily_loads(
    sessions: Iterable[tuple[date, float]], start: date, end: date
) -> tuple[DayLoad, ...]:
    """One value per calendar day from `start` to `end` inclusive: the sum of the loads of
    that day's sessions, 0 on days without one. Sessions outside the range are ignored."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    n = (end - start).days + 1
    totals = [0.0] * n
    for day, load in sessions:
        if load < 0:
            raise ValueError(f"a load must not be negative, got {load} on {day}")
        k = (day - start).days
        if 0 <= k < n:
            totals[k] += float(load)
    return tuple(DayLoad(start + timedelta(days=i), totals[i]) for i in range(n))


def _sum(values: Sequence[float]) -> float:
    total = 0.0
    for v in values:
        total += v
    return total


def monotony(loads7: Sequence[float]) -> float:
    """Foster's monotony: mean / SD of the 7 daily loads (0 for an empty week; capped at
    `MONOTONY_CAP` when SD is 0). SD is the population SD of the 7 days (trailmix default:
    the week is the whole population; Foster's papers do not say)."""
    if len(loads7) != 7:
        raise ValueError(f"monotony needs 7 daily loads, got {len(loads7)}")
    # As numpy's mean and std of the 7 values, in the same order of operations (the same bits).
    x = [float(v) for v in loads7]
    mean = _sum(x) / 7
    if mean == 0.0:
        return 0.0
    sd = math.sqrt(_sum([(v - mean) * (v - mean) for v in x]) / 7)
    if sd <= 1e-12 * mean:
        return MONOTONY_CAP
    return min(MONOTONY_CAP, mean / sd)


@dataclass(frozen=True)
class WeekLoad:
    """One week's load (7 days from `start`), Foster's monotony and strain, and the flag."""

    start: date
    load: float
    monotony: float
    strain: float

    @property
    def monotony_high(self) -> bool:
        """Foster's threshold: monotony above 2.0."""
        return self.monotony > MONOTONY_HIGH


def week_load(days: Sequence[DayLoad], start: date) -> WeekLoad:
    """The week of 7 days from `start` (days missing from `days` count 0)."""
    by_day = {d.day: d.load for d in days}
    loads = [by_day.get(start + timedelta(days=i), 0.0) for i in range(7)]
    total = float(sum(loads))
    m = monotony(loads)
    return WeekLoad(start=start, load=total, monotony=m, strain=total * m)


def weekly_loads(days: Sequence[DayLoad], week_start: int = 0) -> tuple[WeekLoad, ...]:
    """Every week touched by `days`, weeks starting on `week_start` (0 = Monday)."""
    if not days:
        return ()
    first = min(d.day for d in days)
    last = max(d.day for d in days)
    start = first - timedelta(days=(first.weekday() - week_start) % 7)
    weeks: list[WeekLoad] = []
    while start <= last:
        weeks.append(week_load(days, start))
        start += timedelta(days=7)
    return tuple(weeks)


# ----------------------------------------------------------------------------- EWMA


def ewma(loads: Sequence[float], n: int, *, seed: float = 0.0) -> tuple[float, ...]:
    """Williams et al. 2017: EWMA_t = lambda*L_t + (1-lambda)*EWMA_{t-1}, lambda = 2/(N+1).
    `seed` is EWMA before the first day (trailmix default 0: no training before the log)."""
    if n < 1:
        raise ValueError("N must be at least 1")
    lam = 2.0 / (n + 1.0)
    out: list[float] = []
    prev = float(seed)
    for load in loads:
        prev = lam * float(load) + (1.0 - lam) * prev
        out.append(prev)
    return tuple(out)


@dataclass(frozen=True)
class AcwrPoint:
    """Acute and chronic EWMA load on one day, their ratio (None while chronic is 0), and
    whether the log is still shorter than the chronic window (the ratio means little yet)."""

    day: date
    acute: float
    chronic: float
    ratio: float | None
    warming_up: bool


def acwr(days: Sequence[DayLoad]) -> tuple[AcwrPoint, ...]:
    """EWMA acute (7) and chronic (28) loads and their ratio per day: a trend, see `CAVEAT`."""
    loads = [d.load for d in days]
    acute = ewma(loads, ACUTE_DAYS)
    chronic = ewma(loads, CHRONIC_DAYS)
    out: list[AcwrPoint] = []
    for i, d in enumerate(days):
        c = chronic[i]
        out.append(
            AcwrPoint(
                day=d.day,
                acute=acute[i],
                chronic=c,
                ratio=acute[i] / c if c > 0 and not math.isclose(c, 0.0) else None,
                warming_up=i + 1 < CHRONIC_DAYS,
            )
        )
    return tuple(out)
