"""The training log: runs in (files, folders, Strava and Garmin exports), and what they build.

Application layer: it reads files (formats), summarises them (domain.activity), matches them to
the trail library and the plan (domain.adherence), computes load (domain.load) and stores each
run in its own transaction (storage), so an interrupted import leaves whole rows only and the
next import finishes the job (files already stored are recognised by their SHA-256).

Runs come in as paths (`import_paths`, the CLI) or as bytes with a name (`import_files`, the
web app's uploads); either way each file's bytes are read once and parsed in memory, and
nothing is written to disk but the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import numpy.typing as npt

from trailmix.app.inputs import check_in_plan
from trailmix.domain.effort import HeartRateModel, heart_rate_model
from trailmix.domain.log.activity import (
    ROUTE_MATCH_SHARE,
    ActivitySummary,
    TrailRoute,
    estimate_rpe,
    summarise,
    surface_guess,
)
from trailmix.domain.log.adherence import Adherence, LoggedRun, adherence
from trailmix.domain.log.load import (
    CAVEAT,
    AcwrPoint,
    WeekLoad,
    acwr,
    banister_trimp_histogram,
    daily_loads,
    session_rpe_load,
    weekly_loads,
)
from trailmix.domain.plan.build import HISTORY_DAYS, TrainingHistory, history_from_runs
from trailmix.domain.plan.mixer import athlete_options
from trailmix.domain.rules import TRAIL_SHARE_CAP
from trailmix.domain.terrain.population import Route, TimeModel
from trailmix.domain.trail.profile import Profile, ProfileError, build_profile, haversine_m
from trailmix.domain.types import Athlete, Plan, Surface
from trailmix.errors import FileFormatError, InputError, NotFoundError, printable
from trailmix.formats.archive import ActivityMeta, Archive, ArchiveEntry, open_archive
from trailmix.formats.readers import NamedBytes, parse_track
from trailmix.formats.track import Track
from trailmix.storage.db import Database, DuplicateError
from trailmix.storage.records import RunSummaryRecord
from trailmix.storage.repo import (
    Activities,
    Athletes,
    Plans,
    RunSession,
    RunStart,
    TrailBox,
    Trails,
)
from trailmix.storage.repo import ActivityRecord as ActivityRecord  # a result of this module

FloatArray = npt.NDArray[np.float64]
SINGLE_FILE_SUFFIXES = (".gpx", ".tcx", ".fit", ".gz")
FOOTPRINT_MARGIN_M = 1000.0
"""trailmix default: the margin around a trail's bounding box in `could_match`; route matching
counts points within 30 m (`ROUTE_MATCH_RADIUS_M`), so this only has to be wider than that plus
the error of its flat-earth distances, by far."""
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
    summary: ActivitySummary, gap: float | None, trimp: float | None, surface_reason: str
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
        notes=tuple(summary.notes),
    )


def import_paths(
    db: Database, paths: Iterable[Path], progress: Progress | None = None
) -> ImportReport:
    """Import every run found in `paths` (files, folders, export zips); one transaction per
    run. Re-running changes nothing."""
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
    athlete = Athletes(db).get() or Athlete()
    hr_model = heart_rate_model(athlete)
    log = Activities(db)
    library = _TrailLibrary(db)
    for origin, entries in sources:
        for total, entry in entries:
            if progress:
                progress(total, entry.name)
            try:
                rec = _import_entry(log, library, entry, origin, athlete, hr_model, report)
            except FileFormatError as exc:
                report.problems.append((f"{origin.label}: {entry.name}", exc.problem))
                continue
            except ProfileError as exc:
                report.problems.append((f"{origin.label}: {entry.name}", exc.message))
                continue
            except DuplicateError:  # stored by another import while this one read the file
                report.duplicates.append((origin.where(entry), "already in the log (same file)"))
                continue
            if rec is not None:
                report.imported.append(rec)
    return report


def _import_entry(
    log: Activities,
    library: _TrailLibrary,
    entry: ArchiveEntry,
    origin: _Origin,
    athlete: Athlete,
    hr_model: HeartRateModel | None,
    report: ImportReport,
) -> ActivityRecord | None:
    where = origin.where(entry)
    sha = hashlib.sha256(entry.data).hexdigest()
    if log.has_file(sha):
        report.duplicates.append((where, "already in the log (same file)"))
        return None
    try:
        track = parse_track(entry.data, entry.name)
    except FileFormatError as exc:
        raise FileFormatError(where, exc.problem) from exc
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
    return log.add(
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
        summary=_summary_record(summary, gap, trimp, guess.reason.text),
    )


def _stem(name: str) -> str:
    """'activities/Morning_Run.gpx.gz' -> 'Morning_Run'."""
    base = Path(name).name
    for suffix in (".gz", ".gpx", ".tcx", ".fit"):
        base = base.removesuffix(suffix).removesuffix(suffix.upper())
    return base or name


def _fingerprint_of(rec: RunStart) -> Any:
    from trailmix.domain.log.activity import Fingerprint

    return Fingerprint(rec.start_utc.timestamp(), rec.distance_km * 1000)


# --- Corrections ----------------------------------------------------------------------------


def _one_on(log: Activities, key: str) -> ActivityRecord:
    """A run by id, or the only run on a date (YYYY-MM-DD)."""
    if key.isdigit():
        found = log.get(int(key))
        if found is not None:
            return found
        raise NotFoundError(f"no run with id {key} in the log; see 'trailmix log list'.")
    try:
        day = date.fromisoformat(key)
    except ValueError:
        raise InputError(f"{key!r} is neither a date (YYYY-MM-DD) nor a run id.", "DATE") from None
    runs = log.between(day, day)
    if not runs:
        raise NotFoundError(f"no run on {day.isoformat()} in the log; see 'trailmix log list'.")
    if len(runs) > 1:
        ids = ", ".join(str(r.id) for r in runs)
        raise InputError(f"{len(runs)} runs on {day.isoformat()} (ids {ids}); give the id.", "DATE")
    return runs[0]


def set_rpe(db: Database, key: str, rpe: float) -> ActivityRecord:
    """The runner's own RPE (CR10, 1-10) replaces any estimate."""
    if not 1 <= rpe <= 10:
        raise InputError(f"{rpe:g} is not an RPE; give 1 (very easy) to 10 (maximal).", "RPE")
    log = Activities(db)
    return log.update(_one_on(log, key).id, rpe=rpe, rpe_estimated=False)


def set_surface(db: Database, key: str, surface: Surface) -> ActivityRecord:
    log = Activities(db)
    rec = _one_on(log, key)
    summary = replace(rec.summary, surface_reason=f"You said this run was on the {surface.value}.")
    return log.update(
        rec.id,
        surface=surface.value,
        surface_source="runner",
        surface_confidence=1.0,
        summary=summary,
    )


# --- What the log shows -----------------------------------------------------------------------


def local_day(rec: ActivityRecord | RunSession) -> date:
    """The day a run belongs to: its UTC start date (files carry UTC; trailmix default)."""
    return rec.start_utc.astimezone(UTC).date()


def logged_runs(records: Iterable[ActivityRecord | RunSession]) -> list[LoggedRun]:
    return [
        LoggedRun(
            id=r.id,
            day=local_day(r),
            minutes=r.moving_s / 60,
            surface=Surface(r.surface),
            rpe=r.rpe,
        )
        for r in records
    ]


def load_of(rec: ActivityRecord) -> float:
    """Session-RPE load (Foster 2001) when an RPE is known, else 0 (no load is invented)."""
    return session_rpe_load(rec.rpe, rec.moving_s / 60) if rec.rpe is not None else 0.0


@dataclass(frozen=True)
class Stats:
    first: date
    last: date
    weeks: tuple[WeekLoad, ...]
    road_min: tuple[float, ...]
    trail_min: tuple[float, ...]
    acwr: tuple[AcwrPoint, ...]
    caveat: str
    runs_without_rpe: int
    trail_cap: float = TRAIL_SHARE_CAP
    """The runner's own cap the weekly trail share is held against: the plan-wide cap the
    mixer gives this profile (`MixOptions.plan_cap`), 0 when the trail preference is off."""


def stats(db: Database, weeks: int, today: date) -> Stats:
    """Weekly load, monotony, strain, road/trail minutes and the ACWR trend, last `weeks` weeks.

    The runs are summed per day by the database (`Activities.day_totals`), so the cost is that
    of the days shown, not of the log's size."""
    if not 1 <= weeks <= 104:
        raise InputError(f"{weeks} is not accepted; give 1 to 104 weeks.", "--weeks")
    last = today + timedelta(days=6 - today.weekday())
    first = last - timedelta(weeks=weeks) + timedelta(days=1)
    # The chronic EWMA needs history before the window (Williams 2017: 28-day constant).
    history_start = first - timedelta(days=56)
    totals = Activities(db).day_totals(history_start, last)
    days = daily_loads([(t.day, t.rated_load) for t in totals], history_start, last)
    inside = [d for d in days if d.day >= first]
    week_loads = weekly_loads(inside)
    road_s: dict[date, float] = {}
    trail_s: dict[date, float] = {}
    for t in totals:
        monday = t.day - timedelta(days=t.day.weekday())
        road_s[monday] = road_s.get(monday, 0.0) + t.road_s
        trail_s[monday] = trail_s.get(monday, 0.0) + t.trail_s
    road = tuple(road_s.get(w.start, 0.0) / 60 for w in week_loads)
    trail = tuple(trail_s.get(w.start, 0.0) / 60 for w in week_loads)
    points = tuple(p for p in acwr(days) if first <= p.day <= today)
    missing = sum(t.unrated for t in totals if t.day >= first)
    cap = athlete_options(Athletes(db).get() or Athlete()).plan_cap
    return Stats(first, last, week_loads, road, trail, points, CAVEAT, missing, cap)


def week_against_plan(db: Database, plan: Plan, today: date) -> Adherence:
    """The plan's weeks so far against what the log holds."""
    records = Activities(db).sessions(
        plan.start - timedelta(days=1), plan.race.date + timedelta(days=1)
    )
    return adherence(plan, logged_runs(records), today)


def days_ago(now: datetime, rec: ActivityRecord) -> int:
    return (now.date() - local_day(rec)).days


def history(db: Database, today: date, since: date | None = None) -> TrainingHistory:
    """What a re-plan needs from the log (`domain.plan.build.history_from_runs`): the runs of
    the last `HISTORY_DAYS` day by day, the last two full weeks' average, and the weeks with a
    trail run and the first trail run (both counted from `since`, the plan's start, when
    given)."""
    window = today - timedelta(days=HISTORY_DAYS)
    first = min(since, window) if since is not None else date(1970, 1, 1)
    runs = Activities(db).sessions(first, today - timedelta(days=1))
    return history_from_runs(
        ((local_day(r), r.moving_s / 60, r.surface == "trail") for r in runs), today, since
    )


# --- The log's use cases, for the CLI and the web app -------------------------------------------

MAX_LIST_WEEKS = 520  # trailmix default: ten years of runs in one list
LIST_LIMIT = 50
"""trailmix default: a list shows the latest 50 runs (about two months of daily running) unless
asked for more; a log of ten years is read a page at a time."""
MAX_LIST_LIMIT = 10_000  # trailmix default: the largest page the API serves at once


@dataclass(frozen=True)
class RunsPage:
    """A page of the log: runs oldest first, and how many older ones (in the range asked for)
    it leaves out. `older` is the cursor for the next page back: the oldest run's id."""

    runs: list[ActivityRecord]
    left_out: int

    @property
    def older(self) -> int | None:
        return self.runs[0].id if self.left_out and self.runs else None


def runs_page(
    db: Database,
    today: date,
    weeks: int | None = None,
    since: date | None = None,
    limit: int | None = LIST_LIMIT,
    before: int | None = None,
) -> RunsPage:
    """`trailmix log list`, the web page and the API: the latest `limit` runs (None or 0: all)
    of the last `weeks` weeks or since a day (default: the whole log), older than run
    `before` when given."""
    if limit is not None and not 0 <= limit <= MAX_LIST_LIMIT:
        raise InputError(f"{limit} is not accepted; give 0 (all) to {MAX_LIST_LIMIT}.", "--limit")
    first = since
    if since is None and weeks:
        if not 1 <= weeks <= MAX_LIST_WEEKS:
            raise InputError(
                f"{weeks} is not accepted; give 1 to {MAX_LIST_WEEKS} weeks.", "--weeks"
            )
        first = today - timedelta(weeks=weeks)
    last = today + timedelta(days=1) if first is not None else None
    found, left_out = Activities(db).latest(
        first=first, last=last, limit=limit or None, before=before
    )
    return RunsPage(found, left_out)


def runs(
    db: Database, today: date, weeks: int | None = None, since: date | None = None
) -> list[ActivityRecord]:
    """Every run, or those since a day, or of the last `weeks` weeks (no page limit)."""
    return runs_page(db, today, weeks=weeks, since=since, limit=None).runs


@dataclass(frozen=True)
class WeekReport:
    """One week of the plan against the log, judged as of today."""

    adherence: Adherence
    index: int


def week(db: Database, shown: date, today: date) -> WeekReport:
    """`trailmix log week`: the week holding `shown`, judged as of `today` (a finished week
    gets its R2 verdict); refused outside the plan."""
    plan = Plans(db).current()
    check_in_plan(plan, shown, "--date")
    a = week_against_plan(db, plan, today)
    index = next((i for i, w in enumerate(a.weeks) if w.week.start <= shown <= w.week.end), None)
    if index is None:
        raise InputError(f"{shown.isoformat()} is in no week of the plan.", "--date")
    return WeekReport(a, index)
