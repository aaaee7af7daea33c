"""The training log's import: runs in (files, folders, Strava and Garmin exports).

Application layer: it reads files (formats), summarises them (domain.log.activity), matches
them to the trail library, computes load (domain.log.load) and stores each run whole or not at
all (a savepoint of its own, committed with the others of the same fifth of a second: storage's
`Database.batched`), so an interrupted import leaves whole rows only and the next import
finishes the job (files already stored are recognised by their SHA-256).

Runs come in as paths (`import_paths`, the CLI) or as bytes with a name (`import_files`, the
web app's uploads); either way each file's bytes are read once and parsed in memory, and
nothing is written to disk but the database. What the log shows is `app/log.py`, which
imports none of this (the readers, archives and route matching), so `trailmix log list`
starts fast.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import numpy.typing as npt

from trailmix.app import log_kinds
from trailmix.app.shoes import link_imported
from trailmix.app.zones import athlete_zone, run_zone
from trailmix.domain.effort import HeartRateModel, heart_rate_model
from trailmix.domain.log.activity import (
    ROUTE_MATCH_SHARE,
    ActivitySummary,
    TrailRoute,
    estimate_rpe,
    summarise,
    surface_guess,
)
from trailmix.domain.log.kinds import ActivityKind, kind_of_type
from trailmix.domain.log.load import banister_trimp_histogram
from trailmix.domain.terrain.population import Route, TimeModel
from trailmix.domain.trail.profile import Profile, ProfileError, build_profile, haversine_m
from trailmix.domain.types import Athlete, Surface
from trailmix.errors import FileFormatError, printable
from trailmix.formats.archive import ActivityMeta, Archive, ArchiveEntry, open_archive
from trailmix.formats.readers import NamedBytes, parse_track
from trailmix.formats.track import Track
from trailmix.storage.db import Database, DuplicateError, StorageError
from trailmix.storage.records import RunSummaryRecord
from trailmix.storage.repo import Activities, Athletes, RunStart, TrailBox, Trails
from trailmix.storage.repo import ActivityRecord as ActivityRecord  # a result of this module

FloatArray = npt.NDArray[np.float64]
SINGLE_FILE_SUFFIXES = (".gpx", ".tcx", ".fit", ".gz")
FOOTPRINT_MARGIN_M = 1000.0
"""trailmix default: the margin around a trail's bounding box in `could_match`; route matching
counts points within 30 m (`ROUTE_MATCH_RADIUS_M`), so this only has to be wider than that plus
the error of its flat-earth distances, by far."""
COMMIT_BEFORE_BYTES = 2 * 1024 * 1024
"""trailmix default: an import commits the runs it holds before reading a file of 2 MB or more
(about a tenth of a second of reading and more), so a web request waiting to write waits for
no long file (SQLite locks the whole file from a transaction's first write to its commit)."""
# Strava's activity types that are trail runs by the runner's own word.
TRAIL_TYPES = frozenset({"trail run", "trailrun", "trail_run"})


@dataclass
class ImportReport:
    imported: list[ActivityRecord] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def anything_skipped(self) -> bool:
        return bool(self.skipped or self.problems)


Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class _Origin:
    """Where entries come from, as the report names them: `label` is the path (or the
    upload's name) given; `file_name` is its own file name when it is a single file, so its
    entries are named alone when they carry that name."""

    label: str
    file_name: str | None

    def where(self, entry: ArchiveEntry) -> str:
        return entry.name if entry.name == self.file_name else f"{self.label}: {entry.name}"


def _is_single_file(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in SINGLE_FILE_SUFFIXES


def _path_entries(
    path: Path, report: ImportReport, alone: bool = False
) -> Iterator[tuple[int, ArchiveEntry]]:
    """Activity files of one path: a single file, or every run in a folder or export zip,
    each with the total count for a progress bar."""
    if path.is_file() and _is_single_file(path.name):
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.problems.append((str(path), f"cannot read the file: {exc.strerror}"))
            return
        yield 1, ArchiveEntry(printable(path.name), data, ActivityMeta())
        return
    if not path.exists():
        report.problems.append((str(path), "no such file or folder"))
        return
    try:
        archive = open_archive(path)
    except FileFormatError as exc:  # one bad path is reported; the other paths are imported
        if alone:  # the only path given: an error of the command (exit 2)
            raise
        report.problems.append((printable(str(path)), exc.problem))
        return
    with archive:
        yield from _archive_entries(archive, report)


def _file_entries(file: NamedBytes, report: ImportReport) -> Iterator[tuple[int, ArchiveEntry]]:
    """Activity files of one file in memory: itself, or every run in an export zip."""
    if _is_single_file(file.name):
        yield 1, ArchiveEntry(PurePosixPath(file.name).name, file.data, ActivityMeta())
        return
    try:
        archive = open_archive(file.data, file.name)
    except FileFormatError as exc:
        report.problems.append((file.name, exc.problem))
        return
    with archive:
        yield from _archive_entries(archive, report)


def _archive_entries(archive: Archive, report: ImportReport) -> Iterator[tuple[int, ArchiveEntry]]:
    for entry in archive:
        yield archive.total, entry
    report.skipped.extend((f"{archive.name}: {s.name}", s.reason) for s in archive.skipped)
    report.problems.extend((f"{archive.name}: {s.name}", s.reason) for s in archive.problems)


def store_missing_footprints(db: Database) -> None:
    """Give every trail stored before footprints were kept (migration 0003) its footprint,
    parsed once from its stored file; a trail without a readable file gets an empty one."""
    trails = Trails(db)
    for trail_id, file_name in trails.without_footprint():
        data = trails.file_bytes(trail_id)
        lat = lon = np.zeros(0)
        if data:
            try:
                track = parse_track(data, file_name or "trail")
                lat, lon = track.lat, track.lon
            except FileFormatError:
                pass
        trails.set_footprint(trail_id, lat, lon)


def trail_routes(db: Database, track: Track | None = None) -> list[TrailRoute]:
    """The library's trails with their stored coordinates; with a run's `track`, only those
    the run could match (`could_match`), so an import's cost does not grow with the library."""
    store_missing_footprints(db)
    trails = Trails(db)
    boxes = trails.footprint_boxes()
    if track is not None:
        boxes = matchable(track.lat, track.lon, boxes)
    found = trails.footprints([b.id for b in boxes])
    return [TrailRoute(f.id, f.name, f.lat, f.lon) for f in found]


class _TrailLibrary:
    """The trail library as one import sees it: the boxes read once, each trail's footprint
    the first time a run could match it. An import adds no trails, so each run is compared
    with the same trails as `trail_routes` would give it, without the per-run queries."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._boxes: list[TrailBox] | None = None
        self._routes: dict[int, TrailRoute | None] = {}  # None: the trail has no line

    def routes(self, track: Track) -> list[TrailRoute]:
        """`trail_routes(db, track)`."""
        if self._boxes is None:
            store_missing_footprints(self.db)
            self._boxes = Trails(self.db).footprint_boxes()
        boxes = matchable(track.lat, track.lon, self._boxes)
        new = [b.id for b in boxes if b.id not in self._routes]
        if new:
            self._routes.update(dict.fromkeys(new))
            for f in Trails(self.db).footprints(new):
                self._routes[f.id] = TrailRoute(f.id, f.name, f.lat, f.lon)
        return [r for b in boxes if (r := self._routes[b.id]) is not None]


def could_match(lat: FloatArray, lon: FloatArray, box: TrailBox) -> bool:
    """False only when the trail cannot be the run's match (see `matchable`)."""
    return bool(matchable(lat, lon, [box]))


def matchable(lat: FloatArray, lon: FloatArray, boxes: Sequence[TrailBox]) -> list[TrailBox]:
    """The trails of `boxes` the run (`lat`, `lon`) could match, all at once.

    Route matching counts the steps with both ends within 30 m of the trail
    (`ROUTE_MATCH_RADIUS_M`), all of them inside the trail's bounding box widened by that. When
    the steps inside the box widened by a kilometre (`FOOTPRINT_MARGIN_M`, far more than the
    30 m and the error of the flat-earth distances) are under `ROUTE_MATCH_SHARE` of the run's
    distance, so is the trail's share, and a trail under that share is never the match: leaving
    it out changes no result."""
    if len(lat) < 2 or not boxes:
        return list(boxes)
    dlat = FOOTPRINT_MARGIN_M / 111_000.0  # a degree of latitude is 111 km or more
    lo_lat = np.array([b.min_lat for b in boxes]) - dlat
    hi_lat = np.array([b.max_lat for b in boxes]) + dlat
    cos = np.cos(np.radians(np.minimum(np.maximum(np.abs(lo_lat), np.abs(hi_lat)), 90.0)))
    dlon = dlat / np.maximum(cos, 0.01)
    lo_lon = np.array([b.min_lon for b in boxes]) - dlon
    hi_lon = np.array([b.max_lon for b in boxes]) + dlon
    # within a degree of a pole, or across the antimeridian: always compared
    always = (cos < 0.01) | (lo_lon < -180.0) | (hi_lon > 180.0)
    meets = (
        (lo_lat <= float(lat.max()))
        & (hi_lat >= float(lat.min()))
        & (lo_lon <= float(lon.max()))
        & (hi_lon >= float(lon.min()))
    )
    keep = always.copy()
    near = np.flatnonzero(meets & ~always)
    if len(near):
        steps = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
        total = float(steps.sum())
        if total <= 0:
            keep[near] = True
        else:
            inside = (
                (lat >= lo_lat[near, None])
                & (lat <= hi_lat[near, None])
                & (lon >= lo_lon[near, None])
                & (lon <= hi_lon[near, None])
            )
            on = (inside[:, :-1] & inside[:, 1:]).astype(np.float64) @ steps
            # a hair of slack: the two sums add their terms in different orders
            keep[near] = on >= (ROUTE_MATCH_SHARE - 1e-9) * total
    return [b for b, k in zip(boxes, keep, strict=True) if k]


def grade_adjusted_pace(
    summary: ActivitySummary, track: Track, profile: Profile | None = None
) -> float | None:
    """Flat-equivalent pace (s/km) by trailmix's population time model: the moving time over
    the distance the same effort would have covered on the flat. `profile` is the track's
    `build_profile` when the caller has it already (the import: one profile per run)."""
    if not summary.moving_s or not summary.moving_distance_m:
        return None
    if profile is None:
        try:
            profile = build_profile(track)
        except ProfileError:
            return None
    if not profile.has_elevation:
        return summary.avg_pace_s_per_km
    speed = summary.moving_distance_m / summary.moving_s
    route = Route.from_profile(profile)
    predicted = float(TimeModel().step_seconds(route, speed).sum())
    if predicted <= 0:
        return None
    flat_km = predicted * speed / 1000 * (summary.moving_distance_m / max(summary.distance_m, 1))
    return summary.moving_s / flat_km if flat_km > 0 else None


def _summary_record(
    summary: ActivitySummary,
    gap: float | None,
    trimp: float | None,
    surface_reason: str,
    kind_reason: str | None = None,
) -> RunSummaryRecord:
    hr = summary.heart_rate
    return RunSummaryRecord(
        stopped_s=summary.stopped_s,
        stops=len(summary.stops),
        moving_distance_m=round(summary.moving_distance_m, 1),
        avg_pace_s_per_km=summary.avg_pace_s_per_km,
        gap_s_per_km=round(gap, 1) if gap else None,
        elevation_source=summary.elevation_source,
        walk_share=summary.walk_share,
        hr_zone_s=tuple(hr.zone_s) if hr and hr.zone_s else None,
        hr_seconds_by_bpm=tuple((float(b), float(s)) for b, s in hr.seconds_by_bpm) if hr else None,
        trimp=round(trimp, 1) if trimp is not None else None,
        surface_reason=surface_reason,
        notes=(*summary.notes, *((kind_reason,) if kind_reason else ())),
    )


def import_paths(
    db: Database, paths: Iterable[Path], progress: Progress | None = None
) -> ImportReport:
    """Import every run found in `paths` (files, folders, export zips); each run stored whole
    or not at all. Re-running changes nothing."""
    report = ImportReport()
    given = list(paths)
    sources = (
        (
            _Origin(printable(str(p)), printable(p.name) if p.is_file() else None),
            _path_entries(p, report, alone=len(given) == 1),
        )
        for p in given
    )
    return _import(db, sources, report, progress)


def import_files(
    db: Database, files: Sequence[NamedBytes], progress: Progress | None = None
) -> ImportReport:
    """`import_paths` for files already in memory (uploads): each is a run file or, when its
    name does not end in .gpx, .tcx, .fit or .gz, an export zip. The report names them by
    their names."""
    report = ImportReport()
    sources = (
        (_Origin(f.name, PurePosixPath(f.name).name), _file_entries(f, report)) for f in files
    )
    return _import(db, sources, report, progress)


def _import(
    db: Database,
    sources: Iterable[tuple[_Origin, Iterator[tuple[int, ArchiveEntry]]]],
    report: ImportReport,
    progress: Progress | None,
) -> ImportReport:
    # Each run is stored in its own savepoint (whole or not at all), the savepoints committed
    # together five times a second (`Database.batched`): a commit costs as much as storing a run.
    try:
        with db.batched():
            _import_all(db, sources, report, progress)
    except StorageError as exc:  # a full disk, a database gone read-only: the import stops
        raise type(exc)(
            f"{exc.message} (the runs of this import stored before it are kept: run the same "
            "import again to add the rest)"
        ) from exc
    return report


def _import_all(
    db: Database,
    sources: Iterable[tuple[_Origin, Iterator[tuple[int, ArchiveEntry]]]],
    report: ImportReport,
    progress: Progress | None,
) -> None:
    athlete = Athletes(db).get() or Athlete()
    hr_model = heart_rate_model(athlete)
    log = Activities(db)
    library = _TrailLibrary(db)
    zone = athlete_zone(athlete)
    for origin, entries in sources:
        for total, entry in entries:
            if progress:
                progress(total, entry.name)
            if len(entry.data) >= COMMIT_BEFORE_BYTES:
                db.commit_batch()  # its reading would hold the write lock for long
            try:
                rec = _import_entry(log, library, entry, origin, athlete, hr_model, report, zone)
            except FileFormatError as exc:
                report.problems.append((f"{origin.label}: {entry.name}", exc.problem))
                continue
            except ProfileError as exc:
                report.problems.append((f"{origin.label}: {entry.name}", exc.message))
                continue
            except DuplicateError:  # stored by another import while this one read it
                where = origin.where(entry)
                report.duplicates.append((where, "already in the log (same file)"))
                continue
            if rec is not None:
                report.imported.append(rec)
    # R10: the export's gear names the runner's pairs
    report.imported = link_imported(db, report.imported)


def _import_entry(
    log: Activities,
    library: _TrailLibrary,
    entry: ArchiveEntry,
    origin: _Origin,
    athlete: Athlete,
    hr_model: HeartRateModel | None,
    report: ImportReport,
    zone_name: str = "UTC",
) -> ActivityRecord | None:
    where = origin.where(entry)
    sha = log_kinds.manual_sha(entry) if entry.manual else hashlib.sha256(entry.data).hexdigest()
    if log.has_file(sha):
        report.duplicates.append((where, "already in the log (same file)"))
        return None
    try:
        track = None if entry.manual else parse_track(entry.data, entry.name)
    except FileFormatError as exc:
        track = None  # a FIT file without positions (a treadmill) is logged from its totals
        if log_kinds.untracked_of(entry) is None:
            raise FileFormatError(where, exc.problem) from exc
    if track is None:
        stored = log_kinds.store_untracked(log, entry, sha, zone_name)
        if isinstance(stored, str):
            report.duplicates.append((where, stored))
            return None
        if stored is None:
            report.skipped.append((where, "no time to count: not logged"))
        return stored
    profile = build_profile(track)  # a ProfileError is the file's problem, as in summarise
    summary = summarise(
        track, hr_model=hr_model, name=entry.meta.name or _stem(entry.name), profile=profile
    )
    if summary.start is None or summary.elapsed_s is None or summary.moving_s is None:
        report.skipped.append((where, "no timestamps: not a recorded run (a planned route?)"))
        return None
    for other in log.starts_near(summary.start):
        if summary.fingerprint.same_run(_fingerprint_of(other)):
            report.duplicates.append(
                (where, f"the same run as #{other.id} ({other.file_name}) from another source")
            )
            return None
    kind = (entry.meta.activity_type or "").strip().lower()
    tag = Surface.TRAIL if kind in TRAIL_TYPES else None
    if kind_of_type(entry.meta.activity_type) in (ActivityKind.HIKE, ActivityKind.WALK):
        tag = None  # a hike is matched to the library: it may mark a technical trail hiked
    routes = library.routes(track) if tag is None else []
    guess = surface_guess(summary, track, routes, tag=tag)
    rpe = estimate_rpe(summary, hr_model) if hr_model else None
    trimp = None
    hr = summary.heart_rate
    if hr is not None and athlete.hr_rest is not None and hr_model is not None:
        trimp = banister_trimp_histogram(
            hr.seconds_by_bpm, hr_rest=athlete.hr_rest, hr_max=hr_model.hr_max, sex=athlete.sex
        )
    gap = grade_adjusted_pace(summary, track, profile)
    source = "strava" if entry.meta.activity_id else "file"
    zone = run_zone(
        summary.start,
        file_offset_s=track.utc_offset_s,
        lat=float(track.lat[0]) if len(track) else None,
        lon=float(track.lon[0]) if len(track) else None,
        athlete_zone_name=zone_name,
    )
    decided, hikes = log_kinds.kind_of(log.db, entry, summary, guess.trail_id)
    rec = log.add(
        file_sha256=sha,
        start_utc=summary.start,
        elapsed_s=summary.elapsed_s,
        moving_s=summary.moving_s,
        distance_km=summary.distance_m / 1000,
        gain_m=summary.gain_m,
        loss_m=summary.loss_m,
        avg_hr=hr.avg_bpm if hr else None,
        max_hr=hr.max_bpm if hr else None,
        surface=guess.surface.value,
        surface_source=guess.source,
        surface_confidence=guess.confidence,
        trail_id=guess.trail_id,
        rpe=float(rpe.rpe) if rpe else None,
        rpe_estimated=rpe is not None,
        name=entry.meta.name or summary.name,
        activity_type=entry.meta.activity_type,
        gear=entry.meta.gear,
        source=source,
        file_name=Path(entry.name).name,
        file_bytes=entry.data,
        summary=_summary_record(summary, gap, trimp, guess.reason.text, decided.reason),
        kind=decided.kind.value,
        utc_offset_min=zone.utc_offset_min,
        timezone=zone.name,
        timezone_source=zone.source,
    )
    if hikes is not None:
        log_kinds.mark_hiked(log.db, rec, hikes)
        return log.get(rec.id) or rec
    return rec


def _stem(name: str) -> str:
    """'activities/Morning_Run.gpx.gz' -> 'Morning_Run'."""
    base = Path(name).name
    for suffix in (".gz", ".gpx", ".tcx", ".fit"):
        base = base.removesuffix(suffix).removesuffix(suffix.upper())
    return base or name


def _fingerprint_of(rec: RunStart) -> Any:
    from trailmix.domain.log.activity import Fingerprint

    return Fingerprint(rec.start_utc.timestamp(), rec.distance_km * 1000)
