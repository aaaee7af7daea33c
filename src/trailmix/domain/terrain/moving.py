"""A recorded run on the profile's distance grid: moving time and heart rate per 10 m step.

Pure numpy, no I/O. The profile (`build_profile`) puts elevation on a 10 m grid but leaves the
clock behind; the time models need time along distance, without the stops. Method:

1. The points the profile kept, their distance along the route exactly as `build_profile`
   measures it (haversine, nothing across a segment break).
2. A step between two consecutive points is *moving* by the product's one definition,
   `domain.moving.moving_steps` (the log's moving time: smoothed speeds, a stop is 10 s or more
   under 0.5 m/s or a single step over a minute; docs/log.md, "Moving time"); the time of
   every other step (a stop, an auto-pause, a night between two days of a hike) is dropped.
   Steps without a time on both ends have no time ("untimed").
3. Cumulative moving time and cumulative untimed distance are interpolated onto the grid; a
   grid step is timed when no untimed distance falls inside it and both ends are in one segment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from trailmix.domain.moving import moving_steps
from trailmix.domain.terrain.population import GRADE_WINDOW_M
from trailmix.domain.trail.profile import (
    Profile,
    TrackPoints,
    _checked_keep_mask,
    _subset,
    build_profile,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class RecordedTrack(TrackPoints, Protocol):
    """A track with a heart-rate channel (NaN where missing), as `formats.track.Track` has."""

    @property
    def heart_rate(self) -> FloatArray: ...


@dataclass(frozen=True, eq=False)
class TimedProfile:
    """A profile plus, per grid step (between grid points k and k+1), the moving seconds,
    whether the step is timed, and the mean heart rate (NaN where the file has none)."""

    profile: Profile
    step_m: FloatArray
    grade: FloatArray
    moving_s: FloatArray
    timed: BoolArray
    heart_rate: FloatArray
    grade_window_m: float = GRADE_WINDOW_M
    """The window the time models measure this run's grades over (150 m for GPS-only
    altitude, `terrain.altitude`; else the analysis's 50 m)."""

    @property
    def moving_minutes(self) -> float:
        return float(self.moving_s[self.timed].sum()) / 60.0

    @property
    def has_time(self) -> bool:
        return bool(self.timed.any())


def grid_steps(profile: Profile) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Per grid step: its length, its grade (NaN without elevation) and whether both ends are
    in the same segment (steps across a break are not part of the route)."""
    d, e = profile.distance_m, profile.elevation_m
    if len(d) < 2:
        empty = np.zeros(0)
        return empty, empty, np.zeros(0, dtype=bool)
    dx = np.diff(d)
    same = (np.diff(profile.segment) == 0) & (dx > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        grade = np.where(same, np.diff(e) / np.where(dx > 0, dx, 1.0), np.nan)
    return dx.astype(np.float64), np.asarray(grade, np.float64), np.asarray(same, dtype=bool)


def timed_profile(track: RecordedTrack, profile: Profile | None = None) -> TimedProfile:
    """The track's profile with moving time and heart rate per grid step (see module doc)."""
    prof = profile if profile is not None else build_profile(track)
    keep = _checked_keep_mask(track)
    points = _subset(track, keep)
    t, seg = points.time_s, points.segment
    hr = np.asarray(track.heart_rate, np.float64)[keep]
    classified = moving_steps(points)
    steps = classified.length_m
    dist = np.cumsum(steps)
    new_seg = np.ones(len(t), dtype=bool)
    new_seg[1:] = np.diff(seg) != 0
    timed_pt = new_seg.copy()  # a segment's first point has no step before it
    timed_pt[1:] |= np.isfinite(t[1:]) & np.isfinite(t[:-1])
    moving = classified.moving
    dt = classified.dt
    cum_t = np.cumsum(np.where(moving, dt, 0.0))
    cum_untimed = np.cumsum(np.where(timed_pt, 0.0, steps))
    hr_ok = np.isfinite(hr) & moving
    cum_hr = np.cumsum(np.where(hr_ok, np.nan_to_num(hr) * dt, 0.0))
    cum_hr_t = np.cumsum(np.where(hr_ok, dt, 0.0))

    grid = prof.distance_m
    g_t = np.interp(grid, dist, cum_t)
    g_u = np.interp(grid, dist, cum_untimed)
    g_hr = np.interp(grid, dist, cum_hr)
    g_hr_t = np.interp(grid, dist, cum_hr_t)
    step_m, grade, same = grid_steps(prof)
    timed = same & (np.diff(g_u) <= 1e-9) if len(grid) > 1 else same
    moving_s = np.diff(g_t) if len(grid) > 1 else np.zeros(0)
    hr_t = np.diff(g_hr_t) if len(grid) > 1 else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        hr_step = np.where(hr_t > 0, (np.diff(g_hr) if len(grid) > 1 else hr_t) / hr_t, np.nan)
    return TimedProfile(
        profile=prof,
        step_m=step_m,
        grade=grade,
        moving_s=np.asarray(np.where(timed, moving_s, 0.0), np.float64),
        timed=np.asarray(timed, dtype=bool),
        heart_rate=np.asarray(hr_step, np.float64),
    )
