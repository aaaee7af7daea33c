"""Every climb along a profile, and which ones suit hill repeats or hill sprints.

Pure numpy, no I/O. Method, on the profile's 10 m grid:

1. The grade of each 10 m cell is averaged over 50 m (centred), which rides over sensor noise.
2. Cells climbing at `CLIMBING_GRADE` or more form runs; two runs are one climb when the gap
   between them is at most `MERGE_GAP_M` long and loses at most `MERGE_DIP_M` (a short dip or
   a flat landing on the way up does not end a hill).
3. A climb runs from its lowest point (the foot) to its highest point after that (the top);
   gain is the top minus the foot, the average grade gain over length, the max grade the
   steepest 50 m inside it.
4. It is reported when it is big enough to run as a hill (`is_climb`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from trailmix.domain.trail.model import Hill
from trailmix.domain.trail.profile import Profile

FloatArray = npt.NDArray[np.float64]

CLIMBING_GRADE = 0.02
"""trailmix default: below 2 % a runner does not feel a climb (and a barometer's drift over a
flat stretch is about that)."""

GRADE_WINDOW_M = 50.0
"""trailmix default: grades are averaged over 50 m, the shortest stretch a grade is quoted for."""

MERGE_GAP_M = 100.0
MERGE_DIP_M = 5.0
"""trailmix default: climbs separated by at most 100 m of flatter ground that loses at most
5 m count as one hill."""

LEVEL_M = 0.2
"""trailmix default: points within 0.2 m (the resolution barometric watches record) of the
foot or the top are level with it, so a flat approach is not counted as part of the hill."""

MIN_GAIN_M = 15.0
"""trailmix default: 15 m of climb is a hill whatever its length ..."""

MIN_LONG_LENGTH_M = 200.0
MIN_LONG_GRADE = 0.03
"""... so is 200 m at 3 % or more (the uphill-tempo grade, science.md section 7) ..."""

MIN_SHORT_LENGTH_M = 40.0
MIN_SHORT_GRADE = 0.06
"""... and 40 m at 6 % or more: the shortest hill a sprint can use (below)."""

REPEAT_GRADE = (0.045, 0.10)
REPEAT_MIN_LENGTH_M = 100.0
"""Longer hill repeats: 5-6 % grade (Hudson, science.md section 7), acceptable up to about
10 %; 4.5 % rounds to 5 %. Length (trailmix default): the progression's first reps are 30 s
uphill, about 100 m at an easy runner's uphill effort."""

SPRINT_GRADE = (0.06, 0.10)
SPRINT_MIN_LENGTH_M = 40.0
"""Hill sprints: 8-10 s on 6-8 %, later 10-12 s on about 10 % (Hudson, science.md section 7).
Length (trailmix default): 8-12 s of maximal uphill running covers about 40 m."""


def find_hills(profile: Profile) -> tuple[Hill, ...]:
    """Every climb along `profile`, in route order. None when the profile has no elevation."""
    if not profile.has_elevation or len(profile.distance_m) < 2:
        return ()
    hills: list[Hill] = []
    step = profile.step_m
    for seg_no in np.unique(profile.segment).tolist():
        idx = np.flatnonzero(profile.segment == seg_no)
        d = profile.distance_m[idx]
        e = profile.elevation_m[idx]
        if len(e) < 2:
            continue
        for foot, top in _climb_spans(e, step):
            hill = _hill(d, e, foot, top, step)
            if hill is not None:
                hills.append(hill)
    return tuple(hills)


def is_climb(length_m: float, gain_m: float) -> bool:
    """The documented minimum for a climb to be reported (see the constants)."""
    if length_m <= 0:
        return False
    grade = gain_m / length_m
    return (
        gain_m >= MIN_GAIN_M
        or (length_m >= MIN_LONG_LENGTH_M and grade >= MIN_LONG_GRADE)
        or (length_m >= MIN_SHORT_LENGTH_M and grade >= MIN_SHORT_GRADE)
    )


def suits_repeats(d: FloatArray, e: FloatArray, step_m: float) -> bool:
    """Longer hill repeats want at least 100 m at 5-6 % (up to about 10 %) somewhere on the
    hill: a long hill with such a stretch works too (R8: adapt the workout to the hill)."""
    return _has_stretch(d, e, step_m, REPEAT_MIN_LENGTH_M, REPEAT_GRADE)


def suits_sprints(d: FloatArray, e: FloatArray, step_m: float) -> bool:
    """Hill sprints want a stretch of at least 40 m at 6-10 % somewhere on the hill."""
    return _has_stretch(d, e, step_m, SPRINT_MIN_LENGTH_M, SPRINT_GRADE)


def _has_stretch(
    d: FloatArray, e: FloatArray, step_m: float, length_m: float, grade: tuple[float, float]
) -> bool:
    """Whether some `length_m` stretch of (d, e) has a grade within `grade` (inclusive)."""
    k = max(1, round(length_m / step_m))
    if len(e) <= k:
        return False
    run = d[k:] - d[:-k]
    grades = (e[k:] - e[:-k]) / np.where(run > 0, run, np.inf)
    lo, hi = grade
    return bool(((grades >= lo) & (grades <= hi)).any())


def _smoothed_grades(e: FloatArray, step_m: float) -> FloatArray:
    """Grade of each cell (between grid points i and i+1), averaged over `GRADE_WINDOW_M`."""
    cell = np.diff(e) / step_m
    k = max(1, round(GRADE_WINDOW_M / step_m))
    if len(cell) < k:
        return np.asarray(np.full(len(cell), cell.mean() if len(cell) else 0.0), np.float64)
    kernel = np.ones(k) / k
    padded = np.pad(cell, (k // 2, k - 1 - k // 2), mode="edge")
    return np.asarray(np.convolve(padded, kernel, mode="valid"), np.float64)


def _climb_spans(e: FloatArray, step_m: float) -> list[tuple[int, int]]:
    """(foot, top) grid indices of each candidate climb."""
    climbing = _smoothed_grades(e, step_m) >= CLIMBING_GRADE
    if not climbing.any():
        return []
    # runs of climbing cells as [start, end) cell ranges
    edges = np.diff(np.concatenate(([0], climbing.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1).tolist()
    ends = np.flatnonzero(edges == -1).tolist()
    runs: list[list[int]] = [[starts[0], ends[0]]]
    max_gap = round(MERGE_GAP_M / step_m)
    for start, end in zip(starts[1:], ends[1:], strict=True):
        prev = runs[-1]
        gap_cells = start - prev[1]
        # points prev[1] .. start lie in the gap; the dip is measured from the highest point
        # reached so far on the climb
        high = float(e[prev[0] : prev[1] + 1].max())
        dip = high - float(e[prev[1] : start + 1].min())
        if gap_cells <= max_gap and dip <= MERGE_DIP_M:
            prev[1] = end
        else:
            runs.append([start, end])
    spans: list[tuple[int, int]] = []
    previous_top = 0
    for start, end in runs:
        # cells start..end-1 connect grid points start..end; widen by half the grade window,
        # since averaging smears the climb's edges
        pad = round(GRADE_WINDOW_M / step_m / 2)
        lo, hi = max(previous_top, start - pad), min(len(e) - 1, end + pad)
        top = lo + int(np.argmax(e[lo : hi + 1]))
        foot = lo + int(np.argmin(e[lo : top + 1]))
        # the foot is the last point still at the bottom, the top the first at the top
        foot += int(np.flatnonzero(e[foot : top + 1] <= e[foot] + LEVEL_M)[-1])
        top = foot + int(np.flatnonzero(e[foot : top + 1] >= e[top] - LEVEL_M)[0])
        if top > foot:
            spans.append((foot, top))
            previous_top = top
    return spans


def _hill(d: FloatArray, e: FloatArray, foot: int, top: int, step_m: float) -> Hill | None:
    length = float(d[top] - d[foot])
    gain = float(e[top] - e[foot])
    if not is_climb(length, gain):
        return None
    avg = gain / length
    seg_d, seg_e = d[foot : top + 1], e[foot : top + 1]
    k = max(1, round(GRADE_WINDOW_M / step_m))
    if len(seg_e) > k:
        max_grade = float(((seg_e[k:] - seg_e[:-k]) / (seg_d[k:] - seg_d[:-k])).max())
    else:
        max_grade = avg
    return Hill(
        start_km=float(d[foot]) / 1000,
        length_m=length,
        gain_m=gain,
        avg_grade=avg,
        max_grade=max(max_grade, avg),
        suits_repeats=suits_repeats(seg_d, seg_e, step_m),
        suits_sprints=suits_sprints(seg_d, seg_e, step_m),
    )
