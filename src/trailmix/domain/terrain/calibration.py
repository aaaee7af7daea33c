"""Fitting trailmix's grade-cost curve and its prediction range to recorded runs. Pure, no I/O.

The curve (`GradeCurve`) is linear in its three parameters, so a stretch of route reduces to
four numbers (`Terrain`: distance, and the three grade integrals the parameters multiply), and
a split-half prediction (calibrate the flat pace on one half, predict the other) has a closed
form: predicted / observed = (T_a / T_b) x (C_b / C_a), with C the equivalent flat distance.

`fit_curve` minimises the squared log error of those split-half predictions over the training
runs plus a ridge penalty that pulls each parameter toward the published curves
(`PRIOR_CURVE`, `PRIOR_SCALE`): with little hilly data the curve stays near the published ones,
with much it follows the runs. `choose_ridge` picks the penalty's weight by leave-one-run-out
on the training runs only. `fit_range` fits the 80 % prediction range as a quantile regression
of the absolute log error on the route's relief (metres up and down per km).

The benchmark (benchmarks/time_prediction.py) calls these leave-one-file-out, so no fitted value
sees the half it predicts; the constants shipped in `population` are these fits on all the
shared runs (docs/time-model.md 3).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

GRADE_CLIP = 0.45
"""The grades Minetti 2002 measured and the GAP table covers (science.md 1): steeper is clamped."""

BRAKE_GRADE = 0.09
"""The descent where braking starts: the GAP table is fastest between -8 and -10 % (science.md
1, Strava 2017) and Kay's fell-race fit at -8.9 % (science.md 1, [S]); steeper descents are
braked, each further % of grade costs time again (Langmuir: +10 min per 300 m on steep
descents)."""


@dataclass(frozen=True)
class GradeCurve:
    """Time on grade g / time on the flat, at the same flat pace (a cost ratio):

    - uphill: 1 + up x g (Scarf 2007's form, "1 m of climb = `up` m of flat");
    - descent x = -g up to `BRAKE_GRADE`: 1 - credit x x (the descent helps);
    - steeper: the credit at `BRAKE_GRADE`, then + brake x (x - BRAKE_GRADE) (braking).
    """

    up: float
    credit: float
    brake: float

    def cost(self, grade: FloatArray) -> FloatArray:
        g = np.clip(np.nan_to_num(np.asarray(grade, np.float64)), -GRADE_CLIP, GRADE_CLIP)
        x = np.maximum(-g, 0.0)
        down = (
            1.0
            - self.credit * np.minimum(x, BRAKE_GRADE)
            + self.brake * np.maximum(x - BRAKE_GRADE, 0.0)
        )
        return np.asarray(np.where(g >= 0, 1.0 + self.up * g, down), np.float64)

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.up, self.credit, self.brake)


PRIOR_CURVE = GradeCurve(up=4.6, credit=1.38, brake=1.86)
"""The prior centre: for each parameter the median of the three published curves fitted to this
form (science.md 1), which is the GAP table each time: up at +10 % (GAP 4.6, Minetti 6.6,
Tobler 4.2), credit at -9 % (GAP 1.38, Minetti 4.1, Tobler 0.38), brake from -9 to -20 % (GAP
1.86, Minetti -1.2, Tobler 4.1)."""

PRIOR_SCALE = (4.0, 1.5, 2.0)
"""trailmix default: one prior "unit" per parameter, about the parameter's own size, so the
ridge weight says how many squared log-errors a change that large is worth."""

RIDGE_GRID = (0.01, 0.03, 0.1, 0.3)
"""trailmix default: the ridge weights `choose_ridge` tries (leave-one-run-out)."""

BOUNDS = ((0.0, 0.0, 0.0), (12.0, 1.0 / BRAKE_GRADE * 0.5, 10.0))
"""Uphill never faster than flat (up >= 0), descent credit at most half the flat time, and steep
descents never cheaper than the brake point (brake >= 0)."""


@dataclass(frozen=True)
class Terrain:
    """A stretch of route reduced to what the curve needs: its length and the three integrals
    the parameters multiply (metres: climb, credited descent, braked descent)."""

    distance_m: float
    climb: float
    credited: float
    braked: float

    @classmethod
    def of(cls, step_m: FloatArray, grade: FloatArray) -> Terrain:
        g = np.clip(np.nan_to_num(np.asarray(grade, np.float64)), -GRADE_CLIP, GRADE_CLIP)
        d = np.asarray(step_m, np.float64)
        x = np.maximum(-g, 0.0)
        return cls(
            float(d.sum()),
            float(np.sum(d * np.maximum(g, 0.0))),
            float(np.sum(d * np.minimum(x, BRAKE_GRADE))),
            float(np.sum(d * np.maximum(x - BRAKE_GRADE, 0.0))),
        )

    def flat_m(self, curve: GradeCurve) -> float:
        """Equivalent flat metres under `curve`."""
        return (
            self.distance_m
            + curve.up * self.climb
            - curve.credit * self.credited
            + curve.brake * self.braked
        )

    @property
    def relief_m_per_km(self) -> float:
        """Metres up and down per km (steps clamped to the curve's grade range)."""
        if self.distance_m <= 0:
            return 0.0
        return (self.climb + self.credited + self.braked) / self.distance_m * 1000.0


@dataclass(frozen=True)
class SplitRun:
    """A recorded run cut in two halves: each half's terrain and observed moving seconds."""

    name: str
    first: Terrain
    second: Terrain
    first_s: float
    second_s: float


def split_errors(run: SplitRun, curve: GradeCurve) -> tuple[float, float]:
    """Signed relative errors (predicted / observed - 1) of the two split-half predictions:
    calibrate on the first half and predict the second, then the reverse."""
    a, b = run.first.flat_m(curve), run.second.flat_m(curve)
    fwd = run.first_s * b / a / run.second_s - 1.0
    back = run.second_s * a / b / run.first_s - 1.0
    return fwd, back


def _residuals(theta: FloatArray, runs: Sequence[SplitRun], ridge: float) -> FloatArray:
    curve = GradeCurve(*(float(t) for t in theta))
    res = [
        math.log(run.first_s / run.second_s * run.second.flat_m(curve) / run.first.flat_m(curve))
        for run in runs
    ]
    prior = (theta - np.asarray(PRIOR_CURVE.as_tuple())) / np.asarray(PRIOR_SCALE)
    return np.concatenate([np.asarray(res), math.sqrt(ridge) * prior])


def fit_curve(runs: Sequence[SplitRun], ridge: float) -> GradeCurve:
    """The curve that best predicts each run's second half from its first (log error, least
    squares), pulled toward `PRIOR_CURVE` with weight `ridge`. No runs: the prior."""
    if not runs:
        return PRIOR_CURVE
    # Imported here: scipy.optimize costs ~0.3 s of CPU to import, and every `trailmix plan`
    # loads this module (the planner times trail sessions) without ever fitting a curve.
    from scipy.optimize import least_squares

    res = least_squares(
        _residuals,
        np.asarray(PRIOR_CURVE.as_tuple()),
        bounds=BOUNDS,
        args=(tuple(runs), ridge),
    )
    return GradeCurve(*(float(t) for t in res.x))


def choose_ridge(runs: Sequence[SplitRun], grid: Sequence[float] = RIDGE_GRID) -> float:
    """The ridge weight from `grid` with the lowest leave-one-run-out squared log error on
    `runs` (ties: the stronger pull toward the prior)."""
    if len(runs) < 3:
        return max(grid)
    best, best_score = max(grid), math.inf
    for ridge in sorted(grid, reverse=True):
        score = 0.0
        for i, held in enumerate(runs):
            curve = fit_curve([r for j, r in enumerate(runs) if j != i], ridge)
            score += math.log1p(split_errors(held, curve)[0]) ** 2
        if score < best_score - 1e-12:
            best, best_score = ridge, score
    return best


@dataclass(frozen=True)
class RangeModel:
    """The 80 % range of a prediction: predicted x exp(-/+ (base + per_relief x relief)),
    relief in metres up and down per km of the route."""

    base: float
    per_relief: float

    def half_width(self, relief_m_per_km: float) -> float:
        return self.base + self.per_relief * max(relief_m_per_km, 0.0)


RANGE_QUANTILE = 0.8
"""The range covers 80 % of predictions (an 80 % interval, as the JSON field says)."""


def fit_range(
    abs_log_errors: Sequence[float], relief: Sequence[float], q: float = RANGE_QUANTILE
) -> RangeModel:
    """Linear quantile regression (pinball loss at `q`) of |log error| on relief; both
    coefficients kept >= 0 so a hillier route never gets a narrower range."""
    e = np.asarray(abs_log_errors, np.float64)
    r = np.asarray(relief, np.float64)
    if len(e) == 0:
        return RangeModel(0.1, 0.0)

    def pinball(theta: FloatArray) -> float:
        base, slope = abs(float(theta[0])), abs(float(theta[1]))
        u = e - (base + slope * r)
        return float(np.sum(np.maximum(q * u, (q - 1) * u)))

    from scipy.optimize import minimize  # imported here: see fit_curve

    start = np.asarray([float(np.quantile(e, q)), 0.0])
    res = minimize(pinball, start, method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-9})
    return RangeModel(abs(float(res.x[0])), abs(float(res.x[1])))
