"""The runner's own time model: the population curve, corrected by what their runs show. Pure.

Method (Bayesian shrinkage toward the population curve, made robust):

1. **Steady windows.** Each run (a `moving.TimedProfile`) is cut into windows of
   `WINDOW_S` seconds of moving time (Strava fits its GAP model on 60 s windows, science.md 1).
   A window is used when every step in it is timed, it has a grade, and its speed is within
   `SPEED_RANGE_MS`.
2. **Residual against the population model.** For each window,
   `y = log(observed time / population time)`, the population time at the run's own flat speed
   (the speed that makes the population model match the whole run). Each run's mean residual is
   removed, so the runner's overall speed never enters: only how they differ *within* a run.
3. **Regression.** `y ~ b_up * uphill grade + b_down * downhill grade (as a positive number)
   + b_drift * hours since the run's middle + b_hr * (heart rate - run mean) / 10 bpm`, the
   heart-rate term only where the run has heart rate. The heart-rate term soaks up effort
   changes within a run (a hard surge is not a cheap grade); predictions are at a steady effort,
   so it is left out when predicting.
4. **Enough hills.** The uphill term is fitted only when the windows climb at least
   `MIN_CLIMB_M` on grades of `HILL_GRADE` or more, the downhill term only with as much
   descent; otherwise it stays at 0 (the population curve) and the notes say how much climbing
   there was and how much is needed. A flat runner's history says nothing about hills.
5. **Shrinkage.** Each coefficient has a normal prior centred on 0 (= the population curve)
   with standard deviation `PRIOR_SD`; the posterior mean is a ridge solution,
   `b = (X'WX / s^2 + diag(1/prior_sd^2))^-1 X'Wy / s^2`. With no runs `b = 0` and the model is
   exactly the population model; a few noisy windows move it little.
6. **Robust.** Huber weights (k = 1.345, the usual 95 %-efficiency constant; Huber 1964),
   iterated 5 times; `s` is the scaled MAD of the residuals. Windows of one run are correlated,
   so each run counts for at most `MAX_WINDOWS_PER_RUN` windows (weights scaled down).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from trailmix.domain.terrain.moving import TimedProfile
from trailmix.domain.terrain.population import (
    POPULATION,
    Route,
    TimeModel,
    resolved_grade,
    windowed_grade,
)

FloatArray = npt.NDArray[np.float64]

WINDOW_S = 60.0
"""Strava's steady 60 s windows (science.md 1, Improved GAP 2017)."""

SPEED_RANGE_MS = (0.5, 8.0)
"""trailmix default: a window slower than a stop threshold or faster than a sprint is an error."""

PRIOR_SD = {"up": 0.5, "down": 0.5, "drift": 0.05, "hr": 0.05}
"""trailmix defaults. Up/down: 0.5 log-units per unit grade, i.e. the runner's climbing cost at
10 % may differ from the population's by about 5 % (one prior SD). Drift: 5 % per hour of
running. Heart rate: 5 % of speed per 10 bpm."""

HUBER_K = 1.345
"""Huber (1964) tuning constant, 95 % efficiency at the normal distribution."""

MAX_WINDOWS_PER_RUN = 30
"""trailmix default: neighbouring windows of one run share GPS and altimeter errors, so one
long run must not outvote many short ones: each run weighs at most 30 windows."""

MIN_CLIMB_M = 300.0
"""trailmix default: 300 m of steady climbing (and as much descent) before the runner's own
uphill (downhill) term is learned: about three hill runs like the Heidelberg one, or 50
minutes of climbing at 6 %; less moves a noisy term on a few windows."""

HILL_GRADE = 0.03
"""trailmix default: a window counts as climbing (descending) from 3 % up (down), the edge of
the analysis's flat grade bin (docs/trails.md)."""

_TERMS = ("up", "down", "drift", "hr")


@dataclass(frozen=True)
class Windows:
    """The steady windows of some runs: one row per window."""

    run: npt.NDArray[np.int64]
    grade: FloatArray
    hours_from_mid: FloatArray
    hr_dev10: FloatArray
    y: FloatArray
    distance_m: FloatArray

    @property
    def climb_m(self) -> float:
        """Metres climbed in windows of `HILL_GRADE` or steeper."""
        up = self.grade >= HILL_GRADE
        return float(np.sum(self.grade[up] * self.distance_m[up]))

    @property
    def descent_m(self) -> float:
        down = self.grade <= -HILL_GRADE
        return float(np.sum(-self.grade[down] * self.distance_m[down]))


def steady_windows(runs: Sequence[TimedProfile], base: TimeModel = POPULATION) -> Windows:
    """Cut the runs into steady windows (see the module docstring, steps 1 and 2)."""
    cols: dict[str, list[float]] = {k: [] for k in ("run", "g", "h", "hr", "y", "d")}
    for r_i, tp in enumerate(runs):
        p = tp.profile
        if not p.has_elevation or len(tp.step_m) == 0:
            continue
        grade = windowed_grade(p.distance_m, p.elevation_m, p.segment, tp.grade_window_m)
        ok = tp.timed & np.isfinite(grade)
        if ok.sum() < 2 or tp.moving_s[ok].sum() < 2 * WINDOW_S:
            continue
        d, g, t = tp.step_m[ok], grade[ok], tp.moving_s[ok]
        g, _ = resolved_grade(d, g)  # as the population model sees the run (flat if no relief)
        hr = tp.heart_rate[ok]
        flat_speed = float(np.sum(d * base.cost(g, 2.5))) / float(t.sum())
        cost = base.cost(g, flat_speed)
        pred = d * cost / flat_speed
        cum = np.cumsum(t)
        mid = cum[-1] / 2
        edges = np.arange(WINDOW_S, cum[-1] + 1e-9, WINDOW_S)
        idx = np.searchsorted(edges, cum - 1e-9)
        run_rows: list[tuple[float, float, float, float, float]] = []
        for w in range(len(edges)):
            m = idx == w
            if m.sum() < 2 or t[m].sum() <= 0:
                continue
            speed = d[m].sum() / t[m].sum()
            if not SPEED_RANGE_MS[0] <= speed <= SPEED_RANGE_MS[1]:
                continue
            h = hr[m]
            hr_w = float(np.nanmean(h)) if np.isfinite(h).any() else np.nan
            run_rows.append(
                (
                    float(np.average(g[m], weights=d[m])),
                    (float(np.mean(cum[m])) - mid) / 3600.0,
                    hr_w,
                    float(np.log(t[m].sum() / pred[m].sum())),
                    float(d[m].sum()),
                )
            )
        if len(run_rows) < 2:
            continue
        arr = np.asarray(run_rows)
        arr[:, 3] -= arr[:, 3].mean()
        hr_col = arr[:, 2]
        if np.isfinite(hr_col).sum() >= 2:
            hr_col = (hr_col - np.nanmean(hr_col)) / 10.0
        arr[:, 2] = np.nan_to_num(hr_col)
        for g_w, h_w, hr_w, y_w, d_w in arr.tolist():
            cols["d"].append(d_w)
            cols["run"].append(r_i)
            cols["g"].append(g_w)
            cols["h"].append(h_w)
            cols["hr"].append(hr_w)
            cols["y"].append(y_w)
    return Windows(
        run=np.asarray(cols["run"], np.int64),
        grade=np.asarray(cols["g"], np.float64),
        hours_from_mid=np.asarray(cols["h"], np.float64),
        hr_dev10=np.asarray(cols["hr"], np.float64),
        y=np.asarray(cols["y"], np.float64),
        distance_m=np.asarray(cols["d"], np.float64),
    )


def _design(w: Windows) -> FloatArray:
    return np.column_stack(
        [np.maximum(w.grade, 0.0), np.maximum(-w.grade, 0.0), w.hours_from_mid, w.hr_dev10]
    ).astype(np.float64)


@dataclass(frozen=True)
class PersonalModel(TimeModel):
    """The base curve times `exp(b_up * g+ + b_down * g-)`, with the runner's pace drift
    `exp(b_drift * hours from the route's middle)`. All zero = the base (population) model."""

    b_up: float = 0.0
    b_down: float = 0.0
    b_drift: float = 0.0
    n_runs: int = 0
    n_windows: int = 0
    climb_m: float = 0.0
    descent_m: float = 0.0

    def cost(self, grade: FloatArray, flat_speed_ms: float) -> FloatArray:
        g = np.nan_to_num(np.asarray(grade, np.float64))
        base = super().cost(g, flat_speed_ms)
        adj = np.exp(self.b_up * np.maximum(g, 0.0) + self.b_down * np.maximum(-g, 0.0))
        out = base * adj
        return np.asarray(np.where(g > 0, np.maximum(out, 1.0), out), np.float64)

    def step_seconds(self, route: Route, flat_speed_ms: float) -> FloatArray:
        secs = super().step_seconds(route, flat_speed_ms)
        if self.b_drift and len(secs):
            cum = np.cumsum(secs) - secs / 2
            secs = secs * np.exp(self.b_drift * (cum - cum[-1] / 2) / 3600.0)
        return np.asarray(secs, np.float64)


def fit_personal(runs: Sequence[TimedProfile], base: TimeModel = POPULATION) -> PersonalModel:
    """Fit the runner's correction to the `base` curve (method: module docstring)."""
    w = steady_windows(runs, base)
    n_runs = len(set(w.run.tolist()))
    if len(w.y) == 0:
        return PersonalModel(
            name="personal", notes=_notes(0, 0), curve=base.curve, range_model=base.range_model
        )
    x = _design(w)
    climb, descent = w.climb_m, w.descent_m
    sd = dict(PRIOR_SD)
    # without enough hills a term stays at the population curve (prior sd ~ 0)
    if climb < MIN_CLIMB_M:
        sd["up"] = 1e-6
    if descent < MIN_CLIMB_M:
        sd["down"] = 1e-6
    prior_prec = np.diag([1.0 / sd[k] ** 2 for k in _TERMS])
    counts = np.bincount(w.run)
    base_w = np.minimum(1.0, MAX_WINDOWS_PER_RUN / counts[w.run])
    b = np.zeros(len(_TERMS))
    for _ in range(5):
        resid = w.y - x @ b
        s = max(1.4826 * float(np.median(np.abs(resid - np.median(resid)))), 0.01)
        u = np.abs(resid) / s
        huber = np.where(u <= HUBER_K, 1.0, HUBER_K / np.maximum(u, 1e-12))
        wt = base_w * huber
        xtw = x.T * wt
        b = np.linalg.solve(xtw @ x / s**2 + prior_prec, xtw @ w.y / s**2)
    if climb < MIN_CLIMB_M:
        b[0] = 0.0
    if descent < MIN_CLIMB_M:
        b[1] = 0.0
    return PersonalModel(
        notes=_notes(n_runs, len(w.y), b, climb, descent),
        b_up=float(b[0]),
        b_down=float(b[1]),
        b_drift=float(b[2]),
        n_runs=n_runs,
        n_windows=len(w.y),
        climb_m=climb,
        descent_m=descent,
        name="personal",
        curve=base.curve,
        range_model=base.range_model,
    )


def _hill_note(word: str, at: str, coef: float, metres: float) -> str:
    if metres < MIN_CLIMB_M:
        return (
            f"{word} not learned: {metres:.0f} m of steady {word} at {HILL_GRADE * 100:.0f} % "
            f"or more in your runs, {MIN_CLIMB_M:.0f} m needed; the population curve is used"
        )
    factor = float(np.exp(coef * 0.1))
    return (
        f"{word} learned from {metres:.0f} m: x{factor:.3f} at {at} relative to the population "
        f"curve (moved {(factor - 1) * 100:+.1f} %)"
    )


def _notes(
    n_runs: int,
    n_windows: int,
    b: FloatArray | None = None,
    climb: float = 0.0,
    descent: float = 0.0,
) -> tuple[str, ...]:
    if n_runs == 0 or b is None:
        return ("personal model: no usable runs yet, so it is the population model",)
    return (
        f"personal model from {n_runs} run{'s' if n_runs != 1 else ''} ({n_windows} steady "
        f"60 s windows): pace drift {b[2] * 100:+.1f} % per hour",
        "personal model: " + _hill_note("climbing", "+10 %", float(b[0]), climb),
        "personal model: " + _hill_note("descending", "-10 %", float(b[1]), descent),
    )
