"""Route times for the CLI and the web app: load a route or the runner's runs, then predict.

The application layer of the terrain time model (docs/time-model.md): it reads files and the
trail library (I/O) and calls the pure `trailmix.domain.terrain.population` and `.personal`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trailmix.app.trails import route_files
from trailmix.domain.plan.vdot import EASY_FRACTIONS, speed_at_fraction, training_paces
from trailmix.domain.terrain.moving import TimedProfile, timed_profile
from trailmix.domain.terrain.personal import PersonalModel, fit_personal
from trailmix.domain.terrain.population import Route, flat_speed_for_effort, population_cost
from trailmix.domain.trail.classify import analyse_track
from trailmix.domain.trail.model import TrailCategory
from trailmix.domain.types import Paces
from trailmix.errors import InputError, TrailmixError
from trailmix.formats.readers import read_track
from trailmix.formats.srtm import DemFolder
from trailmix.storage.db import Database
from trailmix.storage.repo import Trails


def route_from_file(path: Path, dem: DemFolder | None = None) -> Route:
    """Read and analyse a route file (profile, hills, category) into a `Route`."""
    analysis = analyse_track(read_track(path), dem, name=path.name)
    return Route.from_profile(
        analysis.profile, category=analysis.category, hills=analysis.hills, name=path.name
    )


def route_from_trail(db: Database, key: str) -> Route:
    """A stored trail (by name or id) as a `Route`, from its stored profile grid."""
    repo = Trails(db)
    rec = repo.get(key)
    trail = repo.to_domain(rec)
    grid = rec.analysis.get("profile") or {}
    distance = np.asarray(grid.get("distance_m") or [], np.float64)
    if len(distance) < 2:
        return Route.from_trail(trail)
    elevation = np.asarray(
        [np.nan if e is None else float(e) for e in grid.get("elevation_m") or []], np.float64
    )
    if len(elevation) != len(distance):
        elevation = np.full(len(distance), np.nan)
    return Route.from_grid(
        distance,
        elevation,
        category=TrailCategory(rec.category),
        hills=trail.hills,
        name=rec.name,
    )


def resolve_route(text: str, db: Database, dem: DemFolder | None = None) -> Route:
    """ROUTE_FILE_OR_TRAIL: a file path if such a file exists, else a stored trail."""
    path = Path(text).expanduser()
    if path.is_file():
        return route_from_file(path, dem)
    if path.suffix.lower() in (".gpx", ".tcx", ".fit", ".gz") or "/" in text:
        raise InputError(f"no such file: {text}", "ROUTE")
    return route_from_trail(db, text)


@dataclass(frozen=True)
class History:
    """The runner's runs read from --history: the usable ones and what was skipped, and why."""

    runs: tuple[TimedProfile, ...]
    skipped: tuple[str, ...]


def load_history(paths: Iterable[Path]) -> History:
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
        runs.append(tp)
    return History(tuple(runs), tuple(skipped))


def history_flat_speed(runs: Iterable[TimedProfile]) -> float | None:
    """The runner's median flat-equivalent moving speed (m/s) over the runs (population cost),
    or None without runs."""
    speeds = []
    for tp in runs:
        ok = tp.timed & (tp.moving_s > 0)
        if not ok.any():
            continue
        g = np.nan_to_num(tp.grade[ok])
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
    "History",
    "history_flat_speed",
    "history_speed_at_effort",
    "load_history",
    "personal_model",
    "resolve_route",
    "route_from_file",
    "route_from_trail",
]
