"""A route's elevation profile on a regular distance grid: length, gain, loss and grades.

Pure numpy, no I/O. The steps, each with its reason:

1. Check the points (`check_track`): at least two positions, timestamps never going backwards,
   no jump of kilometres between two points. A single stray point (a GPS glitch that jumps away
   and straight back) is dropped; a track that jumps and stays away is refused, because no
   smoothing can say which half is the route.
2. Distance: haversine on the mean Earth radius, not counted across segment breaks (gpxpy's
   convention, so the days of a multi-day hike are not joined by a straight line).
3. Elevation: the file's own, if at least 90 % of the points carry a plausible value; else the
   DEM's, if one is given and covers 90 % of the points; else none (gain, loss and grades are
   then None, not 0: an unknown profile must not look flat to the classifier).
4. Grid: the elevation is averaged over each 10 m of route (bin mean), spikes are removed with a
   Hampel filter, then a light Gaussian (sigma 5 m) takes out what is left of sensor noise.
   Gain and loss are summed on the grid within each segment, so a barometric offset, constant
   or between days, never counts.
"""

from __future__ import annotations

import contextlib
import itertools
import weakref
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from trailmix.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ElevationSource = Literal["file", "dem", "none"]

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG, Moritz 1980, Geodetic Reference System 1980). gpxpy uses the
equatorial 6,378,137 m, 0.11 % more."""

GRID_STEP_M = 10.0
"""trailmix default. 1 s recording at running pace puts a point every 2-5 m, so a 10 m bin
averages a few readings (less noise) while staying a quarter of the shortest feature the
analysis looks for: a 40 m sprint hill (science.md section 7), and a fifth of the 50 m grade
window."""

SMOOTH_SIGMA_M = 5.0
"""trailmix default, chosen on the shared activities (docs/trails.md): with the 10 m bin mean
it brings the Fenix 2 run from 257 m raw to about 104 m (reference 114 m) and keeps every
other file within 15 % of its reference; sigma 10 m flattens the Fenix 2 run to 87 m."""

SPIKE_HALF_WINDOW = 5
"""trailmix default: the Hampel filter compares each 10 m cell with the median of +-50 m."""

SPIKE_N_MAD = 3.0
"""Hampel identifier: 3 scaled median absolute deviations (Hampel 1974; Pearson 2002,
"Outliers in process modeling and identification", IEEE Trans. Control Syst. Technol.)."""

SPIKE_MIN_M = 10.0
"""trailmix default: a cell must also be 10 m off the local median to count as a spike, so a
sharp summit (50 m at 20 % is 10 m) is never cut; on flat ground the MAD alone is near 0."""

MIN_ELEVATION_COVERAGE = 0.9
"""trailmix default: a source of elevation is used when 90 % of the points have a value; short
gaps are interpolated along the distance."""

PLAUSIBLE_ELEVATION_M = (-450.0, 9000.0)
"""Dead Sea shore (about -430 m) to above Everest (8,849 m): anything outside is a bad reading."""

JUMP_M = 10_000.0
"""trailmix default: two points more than 10 km apart are a glitch or two routes glued
together; no runner records, and no route planner draws, 10 km without a point."""

TELEPORT_M = 500.0
TELEPORT_SPEED_MS = 60.0
"""trailmix default: with timestamps, 500 m or more at over 60 m/s (216 km/h) is a GPS jump."""

TIME_BACKSTEP_S = 30.0
"""trailmix default: a timestamp may step back by up to 30 s without the track being refused.
Real watches do it: the Forerunner 35 files in the shared data each step back 2 s once, and a
watch corrects its clock by up to 18 s (the GPS-UTC leap seconds) when it gets its first fix."""

GRADE_BIN_EDGES = (-0.15, -0.08, -0.03, 0.03, 0.06, 0.10, 0.15)
"""Grade bins (decimal). Uphill edges follow science.md: 3-4 % uphill tempo, 5-6 % longer
repeats, 6-10 % sprints (section 7), 15 % the IMBA max grade past which trails rate harder
(section 8); downhill mirrored roughly, with -8 % near the Kay (2012) fastest descent."""


class ProfileError(InputError):
    """A track whose profile cannot be computed: the message says what is wrong with it."""


class TrackPoints(Protocol):
    """What the profile needs from a track (`trailmix.formats.track.Track` has it)."""

    @property
    def lat(self) -> FloatArray: ...
    @property
    def lon(self) -> FloatArray: ...
    @property
    def elevation(self) -> FloatArray: ...
    @property
    def time_s(self) -> FloatArray: ...
    @property
    def segment(self) -> IntArray: ...


class ElevationModel(Protocol):
    """A digital elevation model, e.g. `trailmix.formats.srtm.DemFolder`: NaN where it has no
    data."""

    def elevations(self, lat: FloatArray, lon: FloatArray) -> FloatArray: ...


@dataclass(frozen=True)
class GradeBin:
    """Share of the route (by distance) whose 50 m grade lies in [low, high)."""

    low: float
    high: float
    share: float
    distance_m: float


@dataclass(frozen=True, eq=False)
class Profile:
    """A route on a regular distance grid. Grades are decimals (0.06 = 6 %).

    `distance_m` restarts nowhere: segment breaks add no distance, and `segment` says which
    grid points belong together (gain, loss and grades never span a break). Without elevation
    (`elevation_source == "none"`), `elevation_m` is all NaN and gain, loss, grades are None.
    """

    distance_m: FloatArray
    elevation_m: FloatArray
    segment: IntArray
    length_km: float
    elevation_source: ElevationSource
    gain_m: float | None
    loss_m: float | None
    raw_gain_m: float | None
    grade_bins: tuple[GradeBin, ...]
    max_sustained_grade_50m: float | None
    max_sustained_grade_200m: float | None
    max_sustained_descent_50m: float | None
    max_sustained_descent_200m: float | None
    step_m: float = GRID_STEP_M
    notes: tuple[str, ...] = field(default=())

    @property
    def has_elevation(self) -> bool:
        return self.elevation_source != "none"

    @property
    def gain_per_km(self) -> float | None:
        if self.gain_m is None or self.length_km <= 0:
            return None
        return self.gain_m / self.length_km


# ----------------------------------------------------------------------------- distances


def haversine_m(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Great-circle distance in metres between paired points (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), np.float64)


# The last track measured and its steps, as `_last_checked` below: the reader's limits, the
# check, the profile and the summary of one import all measure the same track.
_last_steps: tuple[weakref.ref[TrackPoints], FloatArray] | None = None


def step_lengths(track: TrackPoints) -> FloatArray:
    """Distance from each point to the previous one; 0 at the first point and at every
    segment start."""
    global _last_steps
    last = _last_steps
    if last is not None and last[0]() is track:
        return last[1].copy()
    lat, lon = track.lat, track.lon
    steps = np.zeros(len(lat))
    if len(lat) > 1:
        steps[1:] = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
        steps[1:][np.diff(track.segment) != 0] = 0.0
    with contextlib.suppress(TypeError):  # an object without weak references: not remembered
        _last_steps = (weakref.ref(track), steps.copy())
    return steps


# ----------------------------------------------------------------------------- checks


def check_track(track: TrackPoints) -> None:
    """Raise `ProfileError` when the track cannot give a meaningful profile.

    Refused: fewer than two positions, positions outside the globe, timestamps going
    backwards (by more than `TIME_BACKSTEP_S`), a jump that does not come back (see
    `JUMP_M`), a route with no length.
    """
    _checked_keep_mask(track)


# The last track checked and its keep mask (a weak reference: the cache never keeps a track
# alive). A run's import checks one track three times, in the reader, its profile and its
# summary; tracks are not changed once made (`formats.track.Track` is frozen), so the mask is
# computed once. One slot, replaced whole: threads at worst miss it.
_last_checked: tuple[weakref.ref[TrackPoints], BoolArray] | None = None


def _checked_keep_mask(track: TrackPoints) -> BoolArray:
    """`check_track`, returning which points to keep (stray single points are dropped)."""
    global _last_checked
    last = _last_checked
    if last is not None and last[0]() is track:
        return last[1].copy()
    keep = _compute_keep_mask(track)
    with contextlib.suppress(TypeError):  # an object without weak references: not remembered
        _last_checked = (weakref.ref(track), keep.copy())
    return keep


def _compute_keep_mask(track: TrackPoints) -> BoolArray:
    lat, lon = track.lat, track.lon
    n = len(lat)
    if n < 2:
        raise ProfileError(
            f"the track has {n} point{'s' if n != 1 else ''} with a position; "
            "a route needs at least 2"
        )
    bad = ~(np.isfinite(lat) & np.isfinite(lon)) | (np.abs(lat) > 90) | (np.abs(lon) > 180)
    if bad.any():
        i = int(np.argmax(bad))
        raise ProfileError(f"point {i + 1} has an impossible position (lat {lat[i]}, lon {lon[i]})")
    _check_time_order(track.time_s)

    keep = np.ones(n, dtype=bool)
    jumps = _jump_steps(track, keep)
    if jumps.any():
        # A point with a jump on both sides whose neighbours are close together is a stray.
        for stray in np.flatnonzero(jumps[:-1] & jumps[1:]).tolist():
            # jumps[stray] is the step into that point, jumps[stray + 1] the step out of it
            a, b = stray - 1, stray + 1
            if track.segment[a] == track.segment[b]:
                gap = haversine_m(lat[a : a + 1], lon[a : a + 1], lat[b : b + 1], lon[b : b + 1])
                if gap[0] < TELEPORT_M:
                    keep[stray] = False
        if not keep.all():
            jumps = _jump_steps(track, keep)
        if jumps.any():
            idx = np.flatnonzero(keep)
            k = int(np.argmax(jumps))
            i, j = int(idx[k - 1]), int(idx[k])
            km = (
                float(
                    haversine_m(lat[i : i + 1], lon[i : i + 1], lat[j : j + 1], lon[j : j + 1])[0]
                )
                / 1000
            )
            raise ProfileError(
                f"the track jumps {km:,.1f} km between point {i + 1} and point {j + 1} "
                "(a GPS glitch, or two routes joined into one); remove the stray points or "
                "split the file"
            )
    if float(step_lengths(_subset(track, keep)).sum()) <= 0.0:
        raise ProfileError("the track has no length: all its points are in the same place")
    return keep


def _check_time_order(time_s: FloatArray) -> None:
    known = np.flatnonzero(np.isfinite(time_s))
    if len(known) < 2:
        return
    t = time_s[known]
    back = np.flatnonzero(np.diff(t) < -TIME_BACKSTEP_S)
    if len(back):
        k = int(back[0])
        i, j = int(known[k]), int(known[k + 1])
        raise ProfileError(
            f"timestamps out of order: point {j + 1} is {t[k] - t[k + 1]:,.0f} s earlier than "
            f"point {i + 1} before it; the points are not in the order they were recorded"
        )


def _jump_steps(track: TrackPoints, keep: BoolArray) -> BoolArray:
    """For the kept points, whether the step into each one is a jump (False at index 0)."""
    sub = _subset(track, keep)
    steps = step_lengths(sub)
    dt = np.full(len(steps), np.nan)
    dt[1:] = np.diff(sub.time_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = steps / dt
    fast = np.isfinite(dt) & (steps >= TELEPORT_M) & ((dt <= 0) | (speed > TELEPORT_SPEED_MS))
    return np.asarray((steps > JUMP_M) | fast, dtype=bool)


@dataclass(frozen=True)
class _Points:
    lat: FloatArray
    lon: FloatArray
    elevation: FloatArray
    time_s: FloatArray
    segment: IntArray


def _subset(track: TrackPoints, keep: BoolArray) -> TrackPoints:
    """The kept points; the track itself when all are kept (nothing here changes a track's
    arrays, and the steps measured on it are remembered: `step_lengths`)."""
    if keep.all():
        return track
    return _Points(
        lat=track.lat[keep],
        lon=track.lon[keep],
        elevation=track.elevation[keep],
        time_s=track.time_s[keep],
        segment=track.segment[keep],
    )


# ----------------------------------------------------------------------------- smoothing


def bin_mean(distance_m: FloatArray, values: FloatArray, step_m: float) -> FloatArray:
    """`values` on the grid 0, step, 2*step, ...: the readings in each `step_m` cell are
    averaged (distance and value alike), then the cell means are interpolated onto the grid.

    Averaging both coordinates keeps a steady ramp exact however the readings fall in the
    cells. `distance_m` must be non-decreasing.
    """
    n = int(np.floor(distance_m[-1] / step_m + 1e-9)) + 1
    grid = np.arange(n) * step_m
    idx = np.clip(np.floor(distance_m / step_m + 0.5).astype(np.int64), 0, n - 1)
    counts = np.bincount(idx, minlength=n)
    filled = counts > 0
    mean_d = np.bincount(idx, weights=distance_m, minlength=n)[filled] / counts[filled]
    mean_v = np.bincount(idx, weights=values, minlength=n)[filled] / counts[filled]
    return np.asarray(np.interp(grid, mean_d, mean_v), dtype=np.float64)


def remove_spikes(
    values: FloatArray,
    half_window: int = SPIKE_HALF_WINDOW,
    n_mad: float = SPIKE_N_MAD,
    min_m: float = SPIKE_MIN_M,
) -> tuple[FloatArray, int]:
    """Hampel filter: replace cells far from their local median by that median.

    Returns the cleaned values and how many cells were replaced. Edges are mirrored, so a
    spike in the first cells (a barometer settling, as in the Fenix 2 file) is caught too.
    """
    n = len(values)
    if n < 3:
        return values.copy(), 0
    h = min(half_window, n - 1)
    padded = np.pad(values, h, mode="reflect")
    windows = sliding_window_view(padded, 2 * h + 1)
    median = _window_median(windows, h)
    mad = _window_median(np.abs(windows - median[:, None]), h)
    spikes = np.abs(values - median) > np.maximum(n_mad * 1.4826 * mad, min_m)
    out = values.copy()
    out[spikes] = median[spikes]
    return out, int(spikes.sum())


def _window_median(windows: FloatArray, h: int) -> FloatArray:
    """`np.median(windows, axis=1)` of windows of 2h + 1 values: their middle value, found by
    a partial sort alone (a third of np.median's time; the same values). With a NaN,
    np.median itself (it gives NaN there)."""
    if np.isnan(windows).any():
        return np.asarray(np.median(windows, axis=1), np.float64)
    return np.asarray(np.partition(windows, h, axis=1)[:, h], np.float64)


def smooth(
    values: FloatArray, sigma_m: float = SMOOTH_SIGMA_M, step_m: float = GRID_STEP_M
) -> FloatArray:
    """Gaussian smoothing along the grid, edges held at their value.

    The kernel is non-negative with unit sum, so the result never has more total gain (or
    loss) than the input.
    """
    sigma = sigma_m / step_m
    if sigma < 0.05 or len(values) < 2:  # narrower than a twentieth of a cell: no effect
        return values.copy()
    radius = max(1, int(np.ceil(3 * sigma)))
    offsets = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(values, radius, mode="edge")
    return np.asarray(np.convolve(padded, kernel, mode="valid"), dtype=np.float64)


def gain_loss(elevation: FloatArray, segment: IntArray) -> tuple[float, float]:
    """Total climb and descent (both >= 0), never counted across a segment break."""
    if len(elevation) < 2:
        return 0.0, 0.0
    diffs = np.diff(elevation)[np.diff(segment) == 0]
    return float(diffs[diffs > 0].sum()), float(-diffs[diffs < 0].sum())


# ----------------------------------------------------------------------------- grades


def sustained_grades(
    distance_m: FloatArray, elevation: FloatArray, segment: IntArray, window_m: float, step_m: float
) -> FloatArray:
    """Grade over every `window_m` stretch of the grid that stays in one segment."""
    k = max(1, round(window_m / step_m))
    if len(elevation) <= k:
        return np.zeros(0)
    same = segment[k:] == segment[:-k]
    rise = elevation[k:] - elevation[:-k]
    run = distance_m[k:] - distance_m[:-k]
    ok = same & (run > 0)
    return np.asarray(rise[ok] / run[ok], dtype=np.float64)


def grade_distribution(grades: FloatArray, step_m: float) -> tuple[GradeBin, ...]:
    """How the route's 50 m grades fall into `GRADE_BIN_EDGES` (shares sum to 1)."""
    if len(grades) == 0:
        return ()
    edges = (-np.inf, *GRADE_BIN_EDGES, np.inf)
    counts, _ = np.histogram(grades, bins=np.asarray(edges))
    total = counts.sum()
    return tuple(
        GradeBin(float(lo), float(hi), float(c / total), float(c * step_m))
        for lo, hi, c in zip(edges[:-1], edges[1:], counts, strict=True)
    )


# ----------------------------------------------------------------------------- profile


def build_profile(
    track: TrackPoints,
    dem: ElevationModel | None = None,
    *,
    step_m: float = GRID_STEP_M,
    sigma_m: float = SMOOTH_SIGMA_M,
) -> Profile:
    """The profile of `track` on a `step_m` grid (see the module docstring for the method).

    Raises `ProfileError` for a track `check_track` refuses.
    """
    keep = _checked_keep_mask(track)
    points = _subset(track, keep)
    notes: list[str] = []
    dropped = int((~keep).sum())
    if dropped:
        notes.append(f"dropped {dropped} stray GPS point{'s' if dropped > 1 else ''}")

    elevation, source, note = _choose_elevation(points, dem)
    if note:
        notes.append(note)

    steps = step_lengths(points)
    dist_parts: list[FloatArray] = []
    ele_parts: list[FloatArray] = []
    seg_parts: list[IntArray] = []
    raw_gain = 0.0
    spikes = 0
    offset = 0.0
    for seg_no, seg in enumerate(_segments(points.segment)):
        d = np.cumsum(steps[seg]) - steps[seg][0]
        if d[-1] <= 0:
            continue
        grid_ele = np.full(int(np.floor(d[-1] / step_m + 1e-9)) + 1, np.nan)
        if elevation is not None:
            e = elevation[seg]
            raw_gain += gain_loss(e, np.zeros(len(e), dtype=np.int64))[0]
            cleaned, n_spikes = remove_spikes(bin_mean(d, e, step_m))
            spikes += n_spikes
            grid_ele = smooth(cleaned, sigma_m, step_m)
        dist_parts.append(np.asarray(offset + np.arange(len(grid_ele)) * step_m, np.float64))
        ele_parts.append(grid_ele)
        seg_parts.append(np.full(len(grid_ele), seg_no, dtype=np.int64))
        offset += float(d[-1])

    distance = np.concatenate(dist_parts)
    grid_elevation = np.concatenate(ele_parts)
    segment = np.concatenate(seg_parts)
    if spikes:
        notes.append(f"removed {spikes} elevation spike{'s' if spikes > 1 else ''}")

    if elevation is None:
        return Profile(
            distance_m=distance,
            elevation_m=grid_elevation,
            segment=segment,
            length_km=offset / 1000,
            elevation_source="none",
            gain_m=None,
            loss_m=None,
            raw_gain_m=None,
            grade_bins=(),
            max_sustained_grade_50m=None,
            max_sustained_grade_200m=None,
            max_sustained_descent_50m=None,
            max_sustained_descent_200m=None,
            step_m=step_m,
            notes=tuple(notes),
        )

    gain, loss = gain_loss(grid_elevation, segment)
    g50 = sustained_grades(distance, grid_elevation, segment, 50.0, step_m)
    g200 = sustained_grades(distance, grid_elevation, segment, 200.0, step_m)
    return Profile(
        distance_m=distance,
        elevation_m=grid_elevation,
        segment=segment,
        length_km=offset / 1000,
        elevation_source=source,
        gain_m=gain,
        loss_m=loss,
        raw_gain_m=raw_gain,
        grade_bins=grade_distribution(g50, step_m),
        max_sustained_grade_50m=_max_or_none(g50),
        max_sustained_grade_200m=_max_or_none(g200),
        max_sustained_descent_50m=_max_or_none(-g50),
        max_sustained_descent_200m=_max_or_none(-g200),
        step_m=step_m,
        notes=tuple(notes),
    )


def _max_or_none(values: FloatArray) -> float | None:
    return max(0.0, float(values.max())) if len(values) else None


def _segments(segment: IntArray) -> list[slice]:
    """Slices of consecutive points with the same segment number."""
    if len(segment) == 0:
        return []
    starts = [0, *(np.flatnonzero(np.diff(segment) != 0) + 1).tolist(), len(segment)]
    return [slice(a, b) for a, b in itertools.pairwise(starts)]


def _choose_elevation(
    points: TrackPoints, dem: ElevationModel | None
) -> tuple[FloatArray | None, ElevationSource, str | None]:
    """The file's elevation when usable, else the DEM's when it covers the route, else None,
    with a note saying what happened."""
    x = np.cumsum(step_lengths(points))
    file_values, problem = _usable(points.elevation, x, points.segment, from_dem=False)
    if file_values is not None:
        return file_values, "file", None
    if dem is None:
        return None, "none", f"no elevation: {problem}, and no elevation tiles (DEM) are set up"
    dem_raw = np.asarray(dem.elevations(points.lat, points.lon), dtype=np.float64)
    dem_values, dem_problem = _usable(dem_raw, x, points.segment, from_dem=True)
    if dem_values is None:
        return None, "none", f"no elevation: {problem}, and {dem_problem}"
    return dem_values, "dem", f"elevation from the DEM tiles: {problem}"


def _usable(
    values: FloatArray, x: FloatArray, segment: IntArray, *, from_dem: bool
) -> tuple[FloatArray | None, str]:
    """Plausible values with short gaps filled along the distance `x`, or None and the reason
    they cannot be used."""
    lo, hi = PLAUSIBLE_ELEVATION_M
    ok = np.isfinite(values) & (values >= lo) & (values <= hi)
    n = len(values)
    share = float(ok.sum()) / n
    if not ok.any():
        if from_dem:
            return None, "the elevation tiles do not cover this route"
        if np.isfinite(values).any():
            return None, f"the file's elevation values are all outside {lo:g}..{hi:g} m"
        return None, "the file has no elevation"
    if share < MIN_ELEVATION_COVERAGE:
        if from_dem:
            return None, f"the elevation tiles cover only {share:.0%} of the points"
        return None, f"the file has a plausible elevation for only {share:.0%} of the points"
    if not from_dem and n > 2 and np.ptp(values[ok]) == 0:
        return None, f"the file's elevation is {values[ok][0]:g} m at every point (a placeholder)"
    out = values.astype(np.float64, copy=True)
    if not ok.all():
        for seg in _segments(segment):
            m = ok[seg]
            source_x, source_v = (x[seg][m], values[seg][m]) if m.any() else (x[ok], values[ok])
            out[seg] = np.interp(x[seg], source_x, source_v)
    return out, ""
