"""Moving time: one definition for the whole product (docs/log.md, "Moving time").

The log's summaries (`domain.log.activity.summarise`: moving time, pace, stops, load) and the
terrain time models (`domain.terrain.moving.timed_profile`: the seconds per 10 m grid step a
personal model is fitted to) both count the time of the steps `moving_steps` calls moving.
Pure numpy, no I/O.

1. Steps between consecutive timed points of one segment. Within a stretch recorded without a
   gap (no step longer than `GAP_S`), positions are averaged over +-`SMOOTH_HALF_WINDOW_S`
   before measuring speed, so the few metres of GPS wander of a watch lying still do not look
   like running. A step longer than `GAP_S` (an auto-pause, lost signal) is measured on its raw
   end points.
2. A step is slow below `STOP_SPEED_MS` (0.5 m/s, walking pace).
3. A run of slow steps lasting at least `MIN_STOP_S` is a stop (the pause rule); shorter ones
   (a U-turn, a shoelace) stay moving time. A single step longer than `MAX_STEP_S` (a minute)
   is a stop whatever its speed. Every other valid step is moving.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from trailmix.domain.trail.profile import TrackPoints, haversine_m, step_lengths

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

STOP_SPEED_MS = 0.5
"""trailmix default: 0.5 m/s (1.8 km/h, a slow walk; 33 min/km). Between gpxpy's stopped-speed
threshold (1 km/h, `get_moving_data`), which counts standing, shuffling and the GPS wander
of stops as moving, and Strava's running threshold (a 30-minute mile, 0.89 m/s, Strava
training glossary), which drops steep power-hiking (0.35-0.6 m/s horizontal in the Boulder
mountain run). Chosen with the time-prediction benchmark (docs/time-model.md section 3): it
predicts the held-out halves better than 1 km/h or 0.89 m/s."""

SMOOTH_HALF_WINDOW_S = 15.0
"""trailmix default: positions are averaged over +-15 s before speeds are measured. A watch
lying still wanders 0.1-0.3 m/s at 1 s recording (shared Boulder files); averaging ~30 fixes
cuts that about five-fold, while a straight run at constant speed is unchanged."""

GAP_S = 10.0
"""trailmix default: a step longer than 10 s is a recording gap (auto-pause, lost signal):
its speed is measured on its raw end points, since averaging across it would blur the two
sides together. Smart recording writes a point every 1-8 s (the FR410 file: every 6 s)."""

MAX_STEP_S = 60.0
"""trailmix default: a single step of more than a minute between two points is never moving
time, whatever its speed (an auto-pause or lost signal: the Recife files auto-pause for up to
8 minutes, and the distance between the two ends is not the way the runner went)."""

MIN_STOP_S = 10.0
"""trailmix default: slow stretches shorter than 10 s (a U-turn, a tight switchback) are
not stops; a single recording gap of 10 s or more at under 0.5 m/s is."""


@dataclass(frozen=True, eq=False)
class Steps:
    """Per step (point i-1 -> i of the kept points): length, duration, and classification.
    `valid`: both ends timed, in one segment, time moving forward; `stopped`: part of a stop;
    `moving` = valid and not stopped."""

    length_m: FloatArray
    dt: FloatArray
    valid: BoolArray
    speed: FloatArray
    stopped: BoolArray

    @property
    def moving(self) -> BoolArray:
        return self.valid & ~self.stopped

    @property
    def moving_s(self) -> float:
        """The moving time: the durations of the moving steps."""
        return float(self.dt[self.moving].sum())


def moving_steps(points: TrackPoints) -> Steps:
    """Every step of `points` (the track's kept points, `_subset(track, keep)`) classified by
    the one moving-time definition (module doc)."""
    t = np.asarray(points.time_s, np.float64)
    seg = points.segment
    n = len(t)
    length = step_lengths(points)
    timed = np.isfinite(t)
    dt = np.zeros(n)
    valid = np.zeros(n, dtype=bool)
    if n > 1:
        # A clock that steps back (a watch's first GPS fix) must not count those seconds
        # twice: durations come from the running maximum of the timestamps.
        t_max = np.fmax.accumulate(np.where(timed, t, np.nan))
        dt[1:] = np.where(timed[1:] & timed[:-1], np.diff(np.nan_to_num(t_max)), 0.0)
        valid[1:] = timed[1:] & timed[:-1] & (np.diff(seg) == 0) & (dt[1:] > 0)
    dt = np.where(valid, dt, 0.0)

    # Stretches without a gap: a new one starts at every step that is not a short valid step.
    breaks = np.ones(n, dtype=bool)
    breaks[1:] = ~(valid[1:] & (dt[1:] <= GAP_S))
    run_id = np.cumsum(breaks) - 1
    s_lat, s_lon = _smoothed_positions(points.lat, points.lon, t, run_id)
    smooth_len = np.zeros(n)
    if n > 1:
        smooth_len[1:] = haversine_m(s_lat[:-1], s_lon[:-1], s_lat[1:], s_lon[1:])
    measured = np.where(dt > GAP_S, length, smooth_len)
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.where(valid, measured / np.where(dt > 0, dt, 1.0), np.nan)
    slow = valid & (speed < STOP_SPEED_MS)

    stopped = valid & (dt > MAX_STEP_S)
    if slow.any():
        edges = np.diff(np.concatenate([[0], slow.astype(np.int8), [0]]))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        c_dt = np.concatenate([[0.0], np.cumsum(dt)])
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            if c_dt[b] - c_dt[a] >= MIN_STOP_S:
                stopped[a:b] = True
    return Steps(length_m=length, dt=dt, valid=valid, speed=speed, stopped=stopped)


def _smoothed_positions(
    lat: FloatArray, lon: FloatArray, t: FloatArray, run_id: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Positions averaged with Gaussian weights in time (sigma = half the window, cut at the
    window), only among points of the same gap-free stretch. Weights that vary smoothly with
    time keep the smoothed track moving at every step, however irregular the recording."""
    n = len(lat)
    lon0 = float(lon[0])
    lon_u = (lon - lon0 + 180.0) % 360.0 - 180.0 + lon0  # no jump at +-180
    tt = np.where(np.isfinite(t), t, 0.0)
    sigma = SMOOTH_HALF_WINDOW_S / 2.0
    sum_w = np.ones(n)
    sum_lat = lat.astype(np.float64, copy=True)
    sum_lon = lon_u.astype(np.float64, copy=True)
    # Each k pairs every point with the one k later (a = i, b = i + k) and k earlier: both
    # directions of a pair have the same gap, stretch and weight, so the weights are computed
    # once per k and added to the earlier points, then to the later ones, in that order.
    for k in range(1, n):
        a, b = slice(0, n - k), slice(k, n)
        gap = np.abs(tt[b] - tt[a])
        ok = (run_id[b] == run_id[a]) & (gap <= SMOOTH_HALF_WINDOW_S)
        if not ok.any():
            break
        w = np.where(ok, np.exp(-0.5 * (gap / sigma) ** 2), 0.0)
        sum_w[a] += w
        sum_lat[a] += w * lat[b]
        sum_lon[a] += w * lon_u[b]
        sum_w[b] += w
        sum_lat[b] += w * lat[a]
        sum_lon[b] += w * lon_u[a]
    return sum_lat / sum_w, sum_lon / sum_w
