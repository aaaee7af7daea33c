"""What a recorded run was: when, how long, how far, how much climb, how hard, and on what.

Pure numpy (plus scipy's k-d tree for route matching), no I/O. `summarise` turns a `Track`
into an `ActivitySummary`; `estimate_rpe` turns its heart rate into an estimated CR10 effort;
`surface_guess` says road or trail, with where the answer came from and how sure it is.
Definitions, constants and their sources are in docs/log.md.

Moving time is the product's one definition, `domain.moving.moving_steps` (the terrain time
models count the same steps): speeds from positions smoothed over +-15 s, a step slow below
0.5 m/s (walking pace), slow stretches of 10 s or more are stops, and so is any single step
over a minute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import numpy as np
import numpy.typing as npt

from trailmix.domain.effort import HRMAX_FRACTION, HRR_FRACTION, RPE, HeartRateModel
from trailmix.domain.moving import (
    GAP_S as GAP_S,  # the moving-time definition's constants, named here as before
)
from trailmix.domain.moving import MIN_STOP_S as MIN_STOP_S
from trailmix.domain.moving import SMOOTH_HALF_WINDOW_S as SMOOTH_HALF_WINDOW_S
from trailmix.domain.moving import STOP_SPEED_MS as STOP_SPEED_MS
from trailmix.domain.moving import Steps, moving_steps
from trailmix.domain.trail.profile import (
    EARTH_RADIUS_M,
    Profile,
    TrackPoints,
    _checked_keep_mask,
    _subset,
    build_profile,
    haversine_m,
    sustained_grades,
)
from trailmix.domain.types import Intensity, Reason, Surface

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

# ----------------------------------------------------------------------------- constants

HR_MAX_STEP_S = 30.0
"""trailmix default: heart rate counts for steps up to 30 s long; across a longer gap the
device recorded nothing, so no heart rate is attributed to it."""

HR_PLAUSIBLE_BPM = (30.0, 240.0)
"""trailmix default: readings outside 30-240 bpm are strap dropouts (0) or spikes."""

HR_ZONES_HRMAX = (0.5, 0.6, 0.7, 0.8, 0.9)
"""Lower edges of the 5 heart-rate zones in % of HRmax: 50-60/60-70/70-80/80-90/90-100
(science.md 3). Time above HRmax counts in zone 5, time below 50 % in `below_zones_s`."""

DUPLICATE_START_S = 60.0
"""trailmix default: two recordings starting within 60 s may be the same run (a watch and a
phone app, or a Garmin file and its Strava copy, are started a few seconds apart)."""

DUPLICATE_DISTANCE = 0.02
"""trailmix default: and their distances within 2 % of the longer (two GPS devices on the
same run typically agree within 1-2 %)."""

ROUTE_MATCH_RADIUS_M = 30.0
"""trailmix default: a point is on a trail when it lies within 30 m of it: consumer GPS error
(5-10 m) on both recordings plus a trail drawn or recorded on the other side of a path."""

ROUTE_MATCH_SHARE = 0.6
"""trailmix default: an activity matches a trail when at least 60 % of its distance lies on
it (the rest may be road to and from the trailhead)."""

TRAIL_DENSIFY_M = 10.0
"""trailmix default: trail coordinates are interpolated to a point every 10 m, so a trail
drawn with sparse points is still matched along its whole line."""

WALK_SPEED_MS = 1.5
"""trailmix default: 1.5 m/s (5.4 km/h), brisk walking. Moving time slower than this is
hiking: on the shared files 44-64 % of the hilly trail runs' moving time (5 % on the flat
Boulder FR35 run), at most 8 % of the road runs' (stops already removed)."""

WALK_SHARE_TRAIL = 0.15
"""trailmix default: 15 % of moving time at hiking speed is a trail signal (a run-walk road
session can trip it; hence the modest confidence)."""

GRADE_SD_TRAIL = 0.10
"""trailmix default: a standard deviation of the 50 m grades of 10 % means constantly
changing steep ground (Heidelberg hill trail 0.12; the rolling FR410 road run 0.08; flat
roads 0.01-0.03)."""

EFFICIENCY_CV_TRAIL = 0.30
"""trailmix default: pace at steady effort varies with terrain. The coefficient of variation
of speed / heart rate over the minutes of the run is 0.06-0.27 on the shared road runs
except the hilly FR410 (0.41) and 0.25-0.37 on the trail runs; it is the weakest signal."""

INFERENCE_MAX_CONFIDENCE = 0.7
"""trailmix default: a surface inferred from the shape of the data is never more than 70 %
sure; the runner's tag (1.0) or a trail match (its overlap share) say more."""

# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Stop:
    """A stretch the runner stood still (or the device paused): start and length in seconds."""

    start: datetime
    duration_s: float


@dataclass(frozen=True)
class HeartRateStats:
    """Heart rate over the recorded time (stops included, recording gaps excluded).

    `seconds_by_bpm` is the histogram of time per whole bpm: enough to recompute time in
    zones or Banister TRIMP later with another HRmax or HRrest, and small enough to store.
    Zones are None when no HRmax is known.
    """

    avg_bpm: float
    max_bpm: float
    seconds: float
    seconds_by_bpm: tuple[tuple[int, float], ...]
    zone_s: tuple[float, float, float, float, float] | None = None
    below_zones_s: float | None = None
    hr_max: int | None = None


@dataclass(frozen=True)
class Fingerprint:
    """Start and distance, enough to recognise the same run recorded twice (see `same_run`)."""

    start_s: float | None
    distance_m: float

    def same_run(self, other: Fingerprint) -> bool:
        """True when both start within `DUPLICATE_START_S` and their distances differ by at
        most `DUPLICATE_DISTANCE` of the longer. Symmetric. Without a start time it is never
        a duplicate by this test (the importer still compares file contents)."""
        if self.start_s is None or other.start_s is None:
            return False
        if abs(self.start_s - other.start_s) > DUPLICATE_START_S:
            return False
        longer = max(self.distance_m, other.distance_m)
        return abs(self.distance_m - other.distance_m) <= DUPLICATE_DISTANCE * longer


@dataclass(frozen=True)
class ActivitySummary:
    """One recorded activity, summarised. Times in seconds, distances in metres.

    `start` is the first timestamp (UTC), None for a file without times; then elapsed, moving
    and pace are None too. `distance_m` is the profile's length (haversine on the mean Earth
    radius, nothing across segment breaks); `moving_distance_m` leaves out the distance logged
    while stopped (GPS wander) and untimed stretches, and is what the pace uses.
    `stopped_s` is the detected stops; elapsed minus moving minus stopped is time between
    segments or with no timestamps.
    """

    name: str
    source_format: str
    start: datetime | None
    elapsed_s: float | None
    moving_s: float | None
    stopped_s: float | None
    stops: tuple[Stop, ...]
    distance_m: float
    moving_distance_m: float
    timed_share: float
    gain_m: float | None
    loss_m: float | None
    elevation_source: str
    heart_rate: HeartRateStats | None
    avg_pace_s_per_km: float | None
    walk_share: float | None
    efficiency_cv: float | None
    grade_sd: float | None
    notes: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> Fingerprint:
        return Fingerprint(
            start_s=self.start.timestamp() if self.start is not None else None,
            distance_m=self.distance_m,
        )

    @property
    def moving_min(self) -> float | None:
        return None if self.moving_s is None else self.moving_s / 60.0

    @property
    def duration_min(self) -> float | None:
        """Minutes for the log and for session-RPE load: moving time (stops are not training)."""
        return self.moving_min


@dataclass(frozen=True)
class RpeEstimate:
    """An RPE (CR10, 1-10) estimated from heart rate; always marked as estimated."""

    rpe: int
    value: float
    fraction: float
    basis: Literal["hrr", "hrmax"]
    reason: Reason
    estimated: bool = True


SurfaceSource = Literal["tag", "trail", "inferred"]


@dataclass(frozen=True)
class SurfaceGuess:
    """Road or trail, where that came from (the runner's tag, a library trail, the data),
    how sure (0-1), and why. `trail_id` is the matched library trail, if any."""

    surface: Surface
    source: SurfaceSource
    confidence: float
    reason: Reason
    trail_id: int | None = None


@dataclass(frozen=True)
class TrailRoute:
    """A library trail's line, as the caller has it (the library stores the profile grid,
    not the coordinates): id, name, and latitude / longitude in degrees."""

    id: int
    name: str
    lat: FloatArray
    lon: FloatArray


# ----------------------------------------------------------------------------- stops


def _stop_list(t: FloatArray, steps: Steps) -> tuple[Stop, ...]:
    stops: list[Stop] = []
    if not steps.stopped.any():
        return ()
    edges = np.diff(np.concatenate([[0], steps.stopped.astype(np.int8), [0]]))
    for a, b in zip(
        np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True
    ):
        start = float(t[a - 1]) if a > 0 else float(t[a])
        stops.append(
            Stop(
                start=datetime.fromtimestamp(start, UTC),
                duration_s=float(steps.dt[a:b].sum()),
            )
        )
    return tuple(stops)


# ----------------------------------------------------------------------------- heart rate


def _heart_rate(
    hr_raw: FloatArray, steps: Steps, hr_model: HeartRateModel | None
) -> HeartRateStats | None:
    lo, hi = HR_PLAUSIBLE_BPM
    hr = np.where((hr_raw >= lo) & (hr_raw <= hi), hr_raw, np.nan)
    if not np.isfinite(hr).any():
        return None
    prev = np.concatenate([[np.nan], hr[:-1]])
    with np.errstate(invalid="ignore"):
        step_hr = np.where(
            np.isfinite(hr) & np.isfinite(prev),
            (hr + prev) / 2,
            np.where(np.isfinite(hr), hr, prev),
        )
    use = steps.valid & (steps.dt <= HR_MAX_STEP_S) & np.isfinite(step_hr)
    if not use.any():
        return None
    bpm = np.rint(step_hr[use]).astype(np.int64)
    secs = steps.dt[use]
    total = float(secs.sum())
    hist = np.bincount(bpm, weights=secs)
    pairs = tuple((int(b), float(hist[b])) for b in np.flatnonzero(hist > 0))
    stats = HeartRateStats(
        avg_bpm=float((step_hr[use] * secs).sum() / total),
        max_bpm=float(np.nanmax(hr)),
        seconds=total,
        seconds_by_bpm=pairs,
    )
    return with_zones(stats, hr_model.hr_max) if hr_model is not None else stats


def zone_seconds(
    seconds_by_bpm: Sequence[tuple[int, float]], hr_max: int
) -> tuple[tuple[float, float, float, float, float], float]:
    """Seconds in each of the 5 %HRmax zones (`HR_ZONES_HRMAX`) and below zone 1."""
    zones = [0.0] * 5
    below = 0.0
    for bpm, s in seconds_by_bpm:
        frac = bpm / hr_max
        if frac < HR_ZONES_HRMAX[0]:
            below += s
            continue
        k = int(np.searchsorted(HR_ZONES_HRMAX, frac, side="right")) - 1
        zones[min(k, 4)] += s
    return (zones[0], zones[1], zones[2], zones[3], zones[4]), below


def with_zones(stats: HeartRateStats, hr_max: int) -> HeartRateStats:
    """`stats` with time in zones computed for `hr_max`."""
    zones, below = zone_seconds(stats.seconds_by_bpm, hr_max)
    return HeartRateStats(
        avg_bpm=stats.avg_bpm,
        max_bpm=stats.max_bpm,
        seconds=stats.seconds,
        seconds_by_bpm=stats.seconds_by_bpm,
        zone_s=zones,
        below_zones_s=below,
        hr_max=hr_max,
    )


# ----------------------------------------------------------------------------- summary


def summarise(
    track: TrackPoints,
    *,
    hr_model: HeartRateModel | None = None,
    profile: Profile | None = None,
    name: str | None = None,
) -> ActivitySummary:
    """Summarise a recorded track (see the module docstring and docs/log.md).

    `track` is a `trailmix.formats.track.Track` (or anything with the same arrays);
    `profile` is its `build_profile` result when the caller already has it. Raises
    `trailmix.domain.trail.profile.ProfileError` for a track the profile refuses.
    """
    prof = profile if profile is not None else build_profile(track)
    keep = _checked_keep_mask(track)
    points = _subset(track, keep)
    hr_all = getattr(track, "heart_rate", None)
    hr_raw = (
        np.asarray(hr_all, np.float64)[keep]
        if hr_all is not None and len(hr_all) == len(keep)
        else np.full(len(points.lat), np.nan)
    )
    t = np.asarray(points.time_s, np.float64)
    steps = moving_steps(points)
    notes = list(prof.notes)
    timed_pts = np.isfinite(t)
    total_len = float(steps.length_m.sum())

    start: datetime | None = None
    elapsed = moving = stopped_s = pace = walk_share = None
    moving_dist = 0.0
    stops: tuple[Stop, ...] = ()
    if timed_pts.sum() >= 2:
        start = datetime.fromtimestamp(float(np.nanmin(t)), UTC)
        elapsed = float(np.nanmax(t) - np.nanmin(t))
        moving_mask = steps.moving
        moving = steps.moving_s
        stopped_s = float(steps.dt[steps.stopped].sum())
        moving_dist = float(steps.length_m[moving_mask].sum())
        stops = _stop_list(t, steps)
        if moving_dist > 0 and moving > 0:
            pace = moving / (moving_dist / 1000.0)
            walk = moving_mask & (steps.speed < WALK_SPEED_MS)
            walk_share = float(steps.dt[walk].sum()) / moving
        if not timed_pts.all():
            notes.append(f"only {timed_pts.mean():.0%} of the points have a time")
    else:
        notes.append("no timestamps: no start, duration or pace")
    timed_share = float(steps.length_m[steps.valid].sum()) / total_len if total_len > 0 else 0.0

    grade_sd: float | None = None
    if prof.has_elevation:
        g50 = sustained_grades(prof.distance_m, prof.elevation_m, prof.segment, 50.0, prof.step_m)
        grade_sd = float(np.std(g50)) if len(g50) > 1 else None

    return ActivitySummary(
        name=name if name is not None else str(getattr(track, "name", "")),
        source_format=str(getattr(track, "source_format", "")),
        start=start,
        elapsed_s=elapsed,
        moving_s=moving,
        stopped_s=stopped_s,
        stops=stops,
        distance_m=prof.length_km * 1000.0,
        moving_distance_m=moving_dist,
        timed_share=timed_share,
        gain_m=prof.gain_m,
        loss_m=prof.loss_m,
        elevation_source=prof.elevation_source,
        heart_rate=_heart_rate(hr_raw, steps, hr_model),
        avg_pace_s_per_km=pace,
        walk_share=walk_share,
        efficiency_cv=_efficiency_cv(t, steps, hr_raw),
        grade_sd=grade_sd,
        notes=tuple(notes),
    )


def _efficiency_cv(t: FloatArray, steps: Steps, hr: FloatArray) -> float | None:
    """Coefficient of variation of speed / heart rate over the moving minutes of the run."""
    moving = steps.valid & ~steps.stopped & np.isfinite(hr) & (steps.dt <= HR_MAX_STEP_S)
    if moving.sum() < 10:
        return None
    cum_t = np.cumsum(np.where(moving, steps.dt, 0.0))
    minute = np.floor(cum_t / 60.0).astype(np.int64)
    m = minute[moving]
    dist = np.bincount(m, weights=steps.length_m[moving])
    secs = np.bincount(m, weights=steps.dt[moving])
    beats = np.bincount(m, weights=(hr * steps.dt)[moving])
    full = secs >= 50.0
    if full.sum() < 5:
        return None
    eff = (dist[full] / secs[full]) / (beats[full] / secs[full])
    mean = float(eff.mean())
    return float(eff.std() / mean) if mean > 0 else None


# ----------------------------------------------------------------------------- RPE


def _rpe_anchors(table: dict[Intensity, tuple[float, float]]) -> tuple[FloatArray, FloatArray]:
    xs: list[float] = [0.0]
    ys: list[float] = [1.0]
    for intensity in (Intensity.RECOVERY, Intensity.E, Intensity.M, Intensity.T, Intensity.I):
        lo, hi = table[intensity]
        r_lo, r_hi = RPE[intensity]
        xs.append((lo + hi) / 2)
        ys.append((r_lo + r_hi) / 2)
    xs.append(1.0)
    ys.append(10.0)
    order = np.argsort(xs)
    return np.asarray(xs, np.float64)[order], np.asarray(ys, np.float64)[order]


_HRR_ANCHORS = _rpe_anchors(HRR_FRACTION)
_HRMAX_ANCHORS = _rpe_anchors(HRMAX_FRACTION)


def estimate_rpe(summary: ActivitySummary, hr_model: HeartRateModel) -> RpeEstimate | None:
    """Estimate the session's CR10 RPE from its average heart rate; None without heart rate.

    The mapping inverts trailmix's own prescription tables (`effort.RPE` with
    `HRR_FRACTION`, or `HRMAX_FRACTION` without a resting HR): each intensity's HR midpoint
    maps to its RPE midpoint (recovery 2.5, E 3.5, M 5.5, T 6.5, I 8.5), linearly between
    them, from (0 %, 1) to (100 %, 10). A run done at the prescribed heart rate is thus
    estimated at the prescribed effort. Average HR under-rates interval sessions (the
    recoveries pull it down): the runner's own rating always wins.
    """
    hr = summary.heart_rate
    if hr is None or hr.seconds <= 0:
        return None
    if hr_model.hr_rest is not None and hr_model.hr_max > hr_model.hr_rest:
        frac = (hr.avg_bpm - hr_model.hr_rest) / (hr_model.hr_max - hr_model.hr_rest)
        xs, ys = _HRR_ANCHORS
        basis: Literal["hrr", "hrmax"] = "hrr"
        what = "of heart-rate reserve"
    else:
        frac = hr.avg_bpm / hr_model.hr_max
        xs, ys = _HRMAX_ANCHORS
        basis = "hrmax"
        what = "of HRmax"
    frac = float(np.clip(frac, 0.0, 1.0))
    value = float(np.interp(frac, xs, ys))
    rpe = int(np.clip(np.floor(value + 0.5), 1, 10))
    reason = Reason(
        "trailmix default",
        f"Estimated RPE {rpe} from your average heart rate of {hr.avg_bpm:.0f} bpm "
        f"({frac:.0%} {what}), using the same heart-rate and effort ranges trailmix "
        "prescribes. Enter how hard it felt to replace the estimate.",
    )
    return RpeEstimate(rpe=rpe, value=value, fraction=frac, basis=basis, reason=reason)


# ----------------------------------------------------------------------------- surface


def _local_xy(lat: FloatArray, lon: FloatArray, lat0: float, lon0: float) -> FloatArray:
    """Equirectangular metres around (lat0, lon0): within 0.1 % over a few km."""
    k = np.pi / 180.0 * EARTH_RADIUS_M
    dlon = (np.asarray(lon) - lon0 + 180.0) % 360.0 - 180.0
    x = dlon * k * np.cos(np.radians(lat0))
    y = (np.asarray(lat) - lat0) * k
    return np.column_stack([x, y])


def _densify(lat: FloatArray, lon: FloatArray, step_m: float) -> tuple[FloatArray, FloatArray]:
    if len(lat) < 2:
        return lat, lon
    d = np.concatenate([[0.0], np.cumsum(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]))])
    if d[-1] <= 0:
        return lat[:1], lon[:1]
    grid = np.union1d(np.arange(0.0, d[-1], step_m), d)
    return np.interp(grid, d, lat), np.interp(grid, d, lon)


def route_overlap(
    lat: FloatArray, lon: FloatArray, trail: TrailRoute, radius_m: float = ROUTE_MATCH_RADIUS_M
) -> float:
    """Share of the activity's distance that lies within `radius_m` of the trail's line."""
    lat = np.asarray(lat, np.float64)
    lon = np.asarray(lon, np.float64)
    if len(lat) < 2 or len(trail.lat) == 0:
        return 0.0
    t_lat, t_lon = _densify(
        np.asarray(trail.lat, np.float64), np.asarray(trail.lon, np.float64), TRAIL_DENSIFY_M
    )
    from scipy.spatial import cKDTree  # a third of a second to import: only when matching

    lat0, lon0 = float(lat[0]), float(lon[0])
    tree = cKDTree(_local_xy(t_lat, t_lon, lat0, lon0))
    dist, _ = tree.query(_local_xy(lat, lon, lat0, lon0), distance_upper_bound=radius_m)
    near = np.isfinite(dist)
    steps = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    total = float(steps.sum())
    if total <= 0:
        return float(near.mean())
    on = near[:-1] & near[1:]
    return float(steps[on].sum() / total)


def surface_guess(
    summary: ActivitySummary,
    track: TrackPoints | None,
    trails: Sequence[TrailRoute] = (),
    *,
    tag: Surface | None = None,
) -> SurfaceGuess:
    """Road or trail: the runner's `tag` wins; else a library trail the route follows (at
    least `ROUTE_MATCH_SHARE` of its distance within `ROUTE_MATCH_RADIUS_M`); else an
    inference from the data (hiking share, grade variability, pace at steady heart rate),
    never more than `INFERENCE_MAX_CONFIDENCE` sure."""
    if tag is not None:
        return SurfaceGuess(
            tag, "tag", 1.0, Reason("runner", f"You tagged this run as {tag.value}.")
        )
    if track is not None and trails:
        best: tuple[float, TrailRoute] | None = None
        for trail in trails:
            share = route_overlap(track.lat, track.lon, trail)
            if best is None or share > best[0]:
                best = (share, trail)
        if best is not None and best[0] >= ROUTE_MATCH_SHARE:
            share, trail = best
            return SurfaceGuess(
                Surface.TRAIL,
                "trail",
                round(share, 3),
                Reason(
                    "trailmix default",
                    f"{share:.0%} of the route follows your trail {trail.name!r} (within "
                    f"{ROUTE_MATCH_RADIUS_M:.0f} m).",
                ),
                trail_id=trail.id,
            )
    return infer_surface(summary)


def infer_surface(summary: ActivitySummary) -> SurfaceGuess:
    """Road or trail from the data alone: a score of trail signals (see docs/log.md)."""
    signals: list[str] = []
    against: list[str] = []
    score = 0
    available = 0
    # (measured value, its weight, the trail threshold, the words for it)
    evidence = (
        (summary.walk_share, 2, WALK_SHARE_TRAIL, "{:.0%} of the moving time at hiking speed"),
        (summary.grade_sd, 1, GRADE_SD_TRAIL, "grades varying by {:.0%} (SD over 50 m)"),
        (
            summary.efficiency_cv,
            1,
            EFFICIENCY_CV_TRAIL,
            "pace at steady heart rate varying by {:.0%}",
        ),
    )
    for value, weight, threshold, words in evidence:
        if value is None:
            continue
        available += weight
        if value >= threshold:
            score += weight
            signals.append(words.format(value))
        else:
            against.append(words.format(value))
    if available == 0:
        return SurfaceGuess(
            Surface.ROAD,
            "inferred",
            0.3,
            Reason(
                "trailmix default",
                "No times or elevation to judge the terrain by: counted as road. Tag it if "
                "it was a trail.",
            ),
        )
    is_trail = score >= 2
    margin = abs(score - 1.5) / max(available - 1.5, 0.5)
    confidence = round(min(INFERENCE_MAX_CONFIDENCE, 0.5 + 0.2 * min(margin, 1.0)), 2)
    if available < 2:
        confidence = min(confidence, 0.5)
    shown = signals if is_trail else against
    reason = Reason(
        "trailmix default",
        f"Looks like {'trail' if is_trail else 'road'} from the data ({'; '.join(shown)}): "
        "an inference, tag the run to correct it.",
    )
    return SurfaceGuess(Surface.TRAIL if is_trail else Surface.ROAD, "inferred", confidence, reason)
