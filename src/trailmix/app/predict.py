"""Route times for the CLI and the web app: load a route or the runner's runs, then predict.

The application layer of the terrain time model (docs/time-model.md): it reads files and the
trail library (I/O) and calls the pure `trailmix.domain.terrain.population` and `.personal`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from trailmix.app.trails import dem_folder, profile_arrays, route_files
from trailmix.domain.plan.planner import check_performance
from trailmix.domain.plan.vdot import EASY_FRACTIONS, speed_at_fraction, training_paces
from trailmix.domain.terrain.altitude import Altitude, AltitudeKind, classify_altitude
from trailmix.domain.terrain.footing import footing_from_evidence
from trailmix.domain.terrain.moving import TimedProfile, timed_profile
from trailmix.domain.terrain.personal import PersonalModel, fit_personal
from trailmix.domain.terrain.population import (
    Prediction,
    Route,
    TimeModel,
    check_effort,
    flat_speed_for_effort,
    population_cost,
    predict,
    windowed_grade,
)
from trailmix.domain.trail.classify import analyse_track
from trailmix.domain.trail.model import TrailCategory
from trailmix.domain.types import Paces
from trailmix.errors import InputError, TrailmixError
from trailmix.formats.readers import parse_track, read_track
from trailmix.formats.srtm import DemFolder
from trailmix.storage.db import Database
from trailmix.storage.repo import Athletes, TrailRecord, Trails


@dataclass(frozen=True)
class Evidence:
    """What the runner says about a route's ground for this prediction (`--surface`, `--tag`):
    words like `gravel` or `rocky`, or OpenStreetMap tags like `sac_scale=mountain_hiking`."""

    surface: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadedRoute:
    """A route ready for the time model, with where its altitude came from."""

    route: Route
    altitude: Altitude


def load_file(
    path: Path, dem: DemFolder | None = None, evidence: Evidence = Evidence()
) -> LoadedRoute:
    """Read and analyse a route file (profile, hills) into a `Route`. The footing comes from
    `evidence` only (never from the analysis's grade-based category); GPS-only altitude gets
    the wider grade window (`terrain.altitude`)."""
    track = read_track(path)
    analysis = analyse_track(track, dem, name=path.name)
    altitude = classify_altitude(track, analysis.profile.elevation_source)
    footing = footing_from_evidence(surface=evidence.surface, tags=evidence.tags)
    route = Route.from_profile(
        analysis.profile,
        category=analysis.category,
        hills=analysis.hills,
        name=path.name,
        window_m=altitude.grade_window_m,
        footing=footing,
    )
    return LoadedRoute(route, altitude)


def _stored_altitude(repo: Trails, rec: TrailRecord) -> Altitude:
    source = rec.analysis.elevation_source or "none"
    if source in ("none", "dem"):
        return classify_altitude(None, source)
    data = repo.file_bytes(rec.id)
    if data is None:
        return Altitude(AltitudeKind.UNKNOWN, None)
    try:
        track = parse_track(data, rec.file_name or rec.name)
    except TrailmixError:
        return Altitude(AltitudeKind.UNKNOWN, None)
    return classify_altitude(track, source)


def load_trail(db: Database, key: str, evidence: Evidence = Evidence()) -> LoadedRoute:
    """A stored trail (by name or id) as a `Route`, from its stored profile grid. The footing
    comes from what the runner declared or confirmed for it (surface, tags, a category set
    with `trails set --category`) and from `evidence`; never from the analysis's category."""
    repo = Trails(db)
    rec = repo.get(key)
    trail = repo.to_domain(rec)
    confirmed = TrailCategory(rec.category) if rec.category_source == "runner" else None
    stored_tags = tuple((rec.declared_technical or "").split(",")) if rec.declared_technical else ()
    footing = footing_from_evidence(
        surface=evidence.surface or rec.declared_surface,
        tags=(*stored_tags, *evidence.tags),
        confirmed_category=confirmed,
    )
    altitude = _stored_altitude(repo, rec)
    distance, elevation = profile_arrays(rec)
    if len(distance) < 2:
        return LoadedRoute(Route.from_trail(trail, footing=footing), altitude)
    if len(elevation) != len(distance):
        elevation = np.full(len(distance), np.nan)
    route = Route.from_grid(
        distance,
        elevation,
        category=TrailCategory(rec.category),
        hills=trail.hills,
        name=rec.name,
        window_m=altitude.grade_window_m,
        footing=footing,
    )
    return LoadedRoute(route, altitude)


def resolve_route(
    text: str, db: Database, dem: DemFolder | None = None, evidence: Evidence = Evidence()
) -> LoadedRoute:
    """ROUTE_FILE_OR_TRAIL: a file path if such a file exists, else a stored trail."""
    path = Path(text).expanduser()
    if path.is_file():
        return load_file(path, dem, evidence)
    if path.suffix.lower() in (".gpx", ".tcx", ".fit", ".gz") or "/" in text:
        raise InputError(f"no such file: {text}", "ROUTE")
    return load_trail(db, text, evidence)


def route_from_file(path: Path, dem: DemFolder | None = None) -> Route:
    """`load_file`'s route, with no evidence about the ground beyond the file."""
    return load_file(path, dem).route


def route_from_trail(db: Database, key: str) -> Route:
    """`load_trail`'s route: a stored trail with what the runner stored about its ground."""
    return load_trail(db, key).route


@dataclass(frozen=True)
class TimedRuns:
    """The runner's runs read from --history: the usable ones and what was skipped, and why."""

    runs: tuple[TimedProfile, ...]
    skipped: tuple[str, ...]


def load_history(paths: Iterable[Path]) -> TimedRuns:
    """Read run files and folders; files without timestamps or elevation are skipped."""
    runs: list[TimedProfile] = []
    skipped: list[str] = []
    files = list(route_files(paths))
    if not files:
        raise InputError("no run files found in the paths given.", "--history")
    for f in files:
        try:
            track = read_track(f)
        except TrailmixError as exc:
            skipped.append(f"{f.name}: {exc.message}")
            continue
        if not track.has_time:
            skipped.append(f"{f.name}: no timestamps")
            continue
        tp = timed_profile(track)
        if not tp.has_time:
            skipped.append(f"{f.name}: no moving time")
            continue
        altitude = classify_altitude(track, tp.profile.elevation_source)
        runs.append(replace(tp, grade_window_m=altitude.grade_window_m))
    return TimedRuns(tuple(runs), tuple(skipped))


def history_flat_speed(runs: Iterable[TimedProfile]) -> float | None:
    """The runner's median flat-equivalent moving speed (m/s) over the runs (population cost),
    or None without runs."""
    speeds = []
    for tp in runs:
        ok = tp.timed & (tp.moving_s > 0)
        if not ok.any():
            continue
        p = tp.profile
        g = np.nan_to_num(
            windowed_grade(p.distance_m, p.elevation_m, p.segment, tp.grade_window_m)[ok]
            if p.has_elevation
            else tp.grade[ok]
        )
        t = float(tp.moving_s[ok].sum())
        speeds.append(float(np.sum(tp.step_m[ok] * population_cost(g, 2.5))) / t)
    return float(np.median(speeds)) if speeds else None


def paces_for_easy_speed(speed_ms: float) -> Paces:
    """Daniels' paces of the VDOT whose easy pace (middle of E) is `speed_ms`: history runs are
    taken as easy runs (trailmix default), other efforts scale from there."""
    target = speed_ms * 60.0
    lo, hi = 10.0, 90.0
    mid_fraction = sum(EASY_FRACTIONS) / 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if speed_at_fraction(mid, mid_fraction) < target:
            lo = mid
        else:
            hi = mid
    return training_paces((lo + hi) / 2)


def history_speed_at_effort(runs: Iterable[TimedProfile], effort: float) -> float | None:
    """Flat speed at `effort` from the runner's history (easy runs, scaled by Daniels)."""
    v = history_flat_speed(runs)
    if v is None:
        return None
    return flat_speed_for_effort(paces_for_easy_speed(v), effort)


def personal_model(runs: Iterable[TimedProfile]) -> PersonalModel:
    return fit_personal(tuple(runs))


__all__ = [
    "Evidence",
    "LoadedRoute",
    "TimedRuns",
    "history_flat_speed",
    "history_speed_at_effort",
    "load_file",
    "load_history",
    "load_trail",
    "personal_model",
    "resolve_route",
    "route_from_file",
    "route_from_trail",
]


# --- `trailmix predict`, for the CLI (and any other face) ---------------------------------------


def minutes_text(m: float) -> str:
    total = round(m * 60)
    h, rest = divmod(total, 3600)
    mi, s = divmod(rest, 60)
    return f"{h}:{mi:02d}:{s:02d}" if h else f"{mi}:{s:02d}"


def pace_text(s_per_km: float) -> str:
    return f"{minutes_text(s_per_km / 60)}/km"


def prediction_to_dict(
    route_name: str,
    p: Prediction,
    has_elevation: bool,
    *,
    footing_factor: float = 1.0,
    altitude: str = AltitudeKind.UNKNOWN.value,
) -> dict[str, Any]:
    """The JSON contract of `trailmix predict --format json` (docs/time-model.md)."""
    return {
        "route": route_name,
        "distance_km": round(p.distance_km, 3),
        "has_elevation": has_elevation,
        "altitude": altitude,
        "footing_factor": round(footing_factor, 3),
        "effort": p.effort,
        "model": p.model,
        "flat_speed_ms": round(p.flat_speed_ms, 3),
        "flat_pace_s_per_km": round(p.flat_pace_s_per_km, 1),
        "flat_minutes": round(p.flat_minutes, 2),
        "minutes": round(p.minutes, 2),
        "low_minutes": round(p.low, 2),
        "high_minutes": round(p.high, 2),
        "hills": [
            {
                "index": h.index,
                "start_km": round(h.start_km, 3),
                "length_m": round(h.length_m, 1),
                "gain_m": round(h.gain_m, 1),
                "avg_grade": round(h.avg_grade, 4),
                "minutes": round(h.minutes, 2),
            }
            for h in p.per_hill
        ],
        "notes": list(p.notes),
    }


@dataclass(frozen=True)
class TimePrediction:
    """A route's predicted moving time at an effort, with where each number came from."""

    route: Route
    prediction: Prediction
    notes: tuple[str, ...]
    altitude: Altitude

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of `trailmix predict --format json`."""
        doc = prediction_to_dict(
            self.route.name,
            self.prediction,
            self.route.has_elevation,
            footing_factor=self.route.footing_factor,
            altitude=self.altitude.kind.value,
        )
        doc["notes"] = list(self.notes)
        return doc


def predict_time(
    db: Database,
    route_text: str,
    effort: float,
    *,
    flat_pace_s: float | None = None,
    history: Sequence[Path] = (),
    dem: str | None = None,
    evidence: Evidence = Evidence(),
) -> TimePrediction:
    """How long a route (a file, or a stored trail's name or id) takes at `effort` (RPE).

    The flat pace comes from, in order: the pace given, the runner's run files (`history`,
    which also fit the personal time model), the stored recent race (Daniels' paces). The
    footing factor comes from `evidence` and what the runner stored for the trail only."""
    check_effort(effort)
    speed: float | None = None
    if flat_pace_s is not None:
        if not 120 <= flat_pace_s <= 1800:
            raise InputError(
                f"{pace_text(flat_pace_s).removesuffix('/km')} per km is not a running or "
                "walking pace (2:00 to 30:00 per km).",
                "--flat-pace",
            )
        speed = 1000.0 / flat_pace_s
    model: TimeModel | None = None
    notes: list[str] = []
    if history:
        for path in history:
            if not path.exists():
                raise InputError(f"{path} does not exist.", "--history")
        hist = load_history(history)
        notes += [f"skipped {s}" for s in hist.skipped]
        model = personal_model(hist.runs)
        if speed is None:
            speed = history_speed_at_effort(hist.runs, effort)
            if speed is not None:
                notes.append(
                    f"flat pace {pace_text(1000 / speed)} at effort {effort:g} from your "
                    f"{len(hist.runs)} run(s), taken as easy runs and scaled by Daniels' paces"
                )
    if speed is None:
        stored = Athletes(db).get()
        if stored is not None and stored.recent_race is not None:
            rr = stored.recent_race
            paces = training_paces(check_performance(rr.distance_km, rr.time_s, "--recent-race"))
            speed = flat_speed_for_effort(paces, effort)
            notes.append(
                f"flat pace {pace_text(1000 / speed)} at effort {effort:g} from your recent race "
                f"({rr.label or f'{rr.distance_km:g} km'}, Daniels' paces)"
            )
    if speed is None:
        raise InputError(
            "no flat pace known: give --flat-pace (your pace on flat road at this effort, "
            "e.g. 5:30), --history with some of your run files (GPX, TCX or FIT with times), "
            "or store a recent race with 'trailmix athlete set --recent-race 10k=48:30'.",
            "--flat-pace",
        )
    loaded = resolve_route(route_text, db, dem_folder(dem), evidence)
    route = loaded.route
    p = predict(route, effort, speed, model)
    if not math.isfinite(p.minutes):
        raise InputError("the prediction is not a number; the route may be empty.")
    alt_note = [loaded.altitude.note] if loaded.altitude.note else []
    return TimePrediction(route, p, (*notes, *p.notes, *alt_note), loaded.altitude)
