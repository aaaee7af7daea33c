"""The trail library: route files in, analysed trails stored, corrections kept.

This is the application layer between the file readers, the pure analysis and storage: the CLI
and the web app call these functions and nothing below them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from trailmix.domain.trail.classify import TrailAnalysis, analyse_track
from trailmix.domain.trail.model import Trail, TrailCategory, shoe_for
from trailmix.domain.types import TrailShoe
from trailmix.errors import InputError, TrailmixError
from trailmix.formats.readers import parse_track, read_file
from trailmix.formats.srtm import DemFolder
from trailmix.storage.db import Database
from trailmix.storage.records import GradeShare, StoredHill, TrailAnalysisRecord
from trailmix.storage.repo import Athletes, Trails
from trailmix.storage.repo import TrailRecord as TrailRecord  # a result of this module

FloatArray = npt.NDArray[np.float64]
DEM_ENV = "TRAILMIX_DEM"
ROUTE_SUFFIXES = (".gpx", ".tcx", ".fit", ".gz")


def dem_folder(path: str | None) -> DemFolder | None:
    """The SRTM folder from --dem or TRAILMIX_DEM, or None when neither is set."""
    value = path or os.environ.get(DEM_ENV)
    if not value:
        return None
    folder = Path(value).expanduser()
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of SRTM .hgt / .hgt.zip tiles.", "--dem")
    return DemFolder(folder)


def analysis_record(a: TrailAnalysis) -> TrailAnalysisRecord:
    """Everything the analysis measured, as stored and as `trails show --format json` prints."""
    p = a.profile

    def r(x: float | None, nd: int = 1) -> float | None:
        return None if x is None else round(x, nd)

    return TrailAnalysisRecord(
        length_km=round(p.length_km, 3),
        elevation_source=p.elevation_source,
        gain_m=r(p.gain_m),
        loss_m=r(p.loss_m),
        raw_gain_m=r(p.raw_gain_m),
        gain_per_km=r(p.gain_per_km),
        max_sustained_grade_50m=r(p.max_sustained_grade_50m, 4),
        max_sustained_grade_200m=r(p.max_sustained_grade_200m, 4),
        max_sustained_descent_50m=r(p.max_sustained_descent_50m, 4),
        max_sustained_descent_200m=r(p.max_sustained_descent_200m, 4),
        grade_distribution=tuple(
            GradeShare(b.low, b.high, round(b.share, 4), round(b.distance_m, 1))
            for b in p.grade_bins
        ),
        hills=tuple(
            StoredHill(
                index=i + 1,
                start_km=round(h.start_km, 3),
                length_m=round(h.length_m, 1),
                gain_m=round(h.gain_m, 1),
                avg_grade=round(h.avg_grade, 4),
                max_grade=round(h.max_grade, 4),
                suits_repeats=h.suits_repeats,
                suits_sprints=h.suits_sprints,
            )
            for i, h in enumerate(a.hills)
        ),
        category=a.category.value,
        reasons=tuple((x.rule, x.text) for x in a.reasons),
        notes=tuple(a.notes),
        step_m=p.step_m,
        distance_m=tuple(round(float(d), 1) for d in p.distance_m),
        elevation_m=tuple(
            None if not np.isfinite(e) else round(float(e), 1) for e in p.elevation_m
        ),
    )


@dataclass(frozen=True)
class Added:
    path: str
    record: TrailRecord


@dataclass(frozen=True)
class Failed:
    path: str
    problem: str


def route_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and the route files inside any folder named (sorted, recursive)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ROUTE_SUFFIXES
            )
        else:
            yield path


def analyse_bytes(
    data: bytes,
    file_name: str,
    name: str,
    surface: str | None,
    technical: Iterable[str],
    dem: DemFolder | None,
) -> tuple[TrailAnalysis, tuple[FloatArray, FloatArray]]:
    """Parse a route file's bytes (messages name `file_name`) and analyse the track; with the
    track's line, the footprint the training log matches runs against (stored beside the
    analysis so no import parses the file again)."""
    track = parse_track(data, file_name)
    analysis = analyse_track(
        track, dem, name=name, declared_surface=surface, declared_technical=tuple(technical)
    )
    return analysis, (track.lat, track.lon)


def add_bytes(
    db: Database,
    data: bytes,
    file_name: str,
    *,
    name: str | None = None,
    surface: str | None = None,
    technical: Iterable[str] = (),
    dem: DemFolder | None = None,
    label: str | None = None,
) -> TrailRecord:
    """Parse, analyse and store one route file's bytes in one transaction (nothing stored on
    error). `file_name` is stored with the bytes and gives the default trail name; `label`
    is what error messages call the file (default: `file_name`)."""
    tags = tuple(technical)
    trail_name = name or _default_name(file_name)
    analysis, footprint = analyse_bytes(data, label or file_name, trail_name, surface, tags, dem)
    return Trails(db).add(
        name=trail_name,
        category=analysis.category.value,
        length_km=analysis.profile.length_km,
        gain_m=analysis.profile.gain_m or 0.0,
        loss_m=analysis.profile.loss_m or 0.0,
        declared_surface=surface,
        declared_technical=",".join(tags) or None,
        analysis=analysis_record(analysis),
        file_name=file_name,
        file_bytes=data,
        footprint=footprint,
    )


def add_file(
    db: Database,
    path: Path,
    *,
    name: str | None = None,
    surface: str | None = None,
    technical: Iterable[str] = (),
    dem: DemFolder | None = None,
) -> TrailRecord:
    """`add_bytes` on a file read once (messages name its path)."""
    return add_bytes(
        db,
        read_file(path),
        path.name,
        name=name,
        surface=surface,
        technical=technical,
        dem=dem,
        label=str(path),
    )


def _default_name(file_name: str) -> str:
    stem = file_name
    for suffix in (".gz", ".gpx", ".tcx", ".fit"):
        stem = stem.removesuffix(suffix).removesuffix(suffix.upper())
    return stem.replace("_", " ").strip() or file_name


def reanalyse(db: Database, key: str, dem: DemFolder | None = None) -> TrailRecord:
    """Recompute a stored trail's analysis from its original file, keeping the runner's
    declarations, corrections and hiked mark."""
    trails = Trails(db)
    rec = trails.get(key)
    data = trails.file_bytes(rec.id)
    if data is None:
        raise InputError(f"{rec.name} has no stored file to analyse again.", "NAME")
    analysis, footprint = analyse_bytes(
        data,
        rec.file_name or "route",
        rec.name,
        rec.declared_surface,
        (rec.declared_technical or "").split(",") if rec.declared_technical else (),
        dem,
    )
    category = rec.category if rec.category_source == "runner" else analysis.category.value
    return trails.update_analysis(
        rec.id,
        category=category,
        length_km=analysis.profile.length_km,
        gain_m=analysis.profile.gain_m or 0.0,
        loss_m=analysis.profile.loss_m or 0.0,
        # The OSM tags discovery kept are evidence the file alone cannot give again.
        analysis=replace(analysis_record(analysis), osm_technical=rec.analysis.osm_technical),
        footprint=footprint,
    )


@dataclass(frozen=True)
class TrailSummary:
    """The numbers `trails list` shows, with the shoe (R10) and hike-first (R9) they imply."""

    id: int
    name: str
    category: str
    category_source: str
    length_km: float
    gain_m: float | None
    loss_m: float | None
    elevation_source: str | None
    hills: int
    repeat_hills: int
    shoe: str
    hike_first: bool
    hiked: bool
    declared_surface: str | None
    declared_technical: tuple[str, ...]
    file_name: str | None

    def to_json(self) -> dict[str, Any]:
        """`trails list --format json` (docs/cli.md), the API's TrailSummary."""
        doc = asdict(self)
        doc["declared_technical"] = list(self.declared_technical)
        return doc


def trail_summary(rec: TrailRecord, owns: TrailShoe = TrailShoe.YES) -> TrailSummary:
    category = TrailCategory(rec.category)
    a = rec.analysis
    return TrailSummary(
        id=rec.id,
        name=rec.name,
        category=rec.category,
        category_source=rec.category_source,
        length_km=round(rec.length_km, 2),
        gain_m=a.gain_m,
        loss_m=a.loss_m,
        elevation_source=a.elevation_source,
        hills=len(a.hills),
        repeat_hills=sum(1 for h in a.hills if h.suits_repeats),
        shoe=shoe_for(category, owns).value,
        hike_first=category is TrailCategory.TECHNICAL,
        hiked=rec.hiked,
        declared_surface=rec.declared_surface,
        declared_technical=tuple(rec.declared_technical.split(","))
        if rec.declared_technical
        else (),
        file_name=rec.file_name,
    )


def trail_detail(rec: TrailRecord, owns: TrailShoe = TrailShoe.YES) -> dict[str, Any]:
    """`trails show --format json`: the summary plus every measured number and the profile."""
    detail = trail_summary(rec, owns).to_json()
    detail.update({k: v for k, v in rec.analysis.to_json().items() if k != "category"})
    detail["category"] = rec.category
    return detail


def as_trail(rec: TrailRecord) -> Trail:
    return Trails.to_domain(rec)


# --- The library's use cases, for the CLI and the web app ---------------------------------------


def owns_trail_shoe(db: Database) -> TrailShoe:
    """Whether the runner owns trail shoes (R10); yes until a profile says otherwise."""
    athlete = Athletes(db).get()
    return athlete.trail_shoe if athlete else TrailShoe.YES


def split_tags(text: str | None) -> tuple[str, ...]:
    """`rocky, steep` -> ("rocky", "steep")."""
    return tuple(t.strip() for t in (text or "").split(",") if t.strip())


def add_files(
    db: Database,
    files: Sequence[Path],
    *,
    name: str | None,
    surface: str | None,
    technical: Iterable[str],
    dem: DemFolder | None,
    progress: Callable[[], None] | None = None,
) -> tuple[list[TrailRecord], list[Failed]]:
    """`trailmix trails add`: each file analysed and stored on its own; bad files reported."""
    if not files:
        raise InputError("no route files found in the folders given.", "PATHS")
    if name and len(files) > 1:
        raise InputError("--name names one trail; give one file, or no --name.", "--name")
    tags = tuple(technical)
    added: list[TrailRecord] = []
    failed: list[Failed] = []
    for f in files:
        try:
            added.append(add_file(db, f, name=name, surface=surface, technical=tags, dem=dem))
        except TrailmixError as exc:
            failed.append(Failed(str(f), exc.message))
        if progress is not None:
            progress()
    return added, failed


def records(db: Database) -> list[TrailRecord]:
    return Trails(db).records()


def get(db: Database, key: str | int) -> TrailRecord:
    """A trail by id or name (NotFoundError naming the stored ones)."""
    return Trails(db).get(str(key))


def summaries(db: Database, recs: Iterable[TrailRecord] | None = None) -> list[TrailSummary]:
    """`trails list --format json`: every trail (or those given) with the runner's shoe."""
    owns = owns_trail_shoe(db)
    return [trail_summary(r, owns) for r in (Trails(db).records() if recs is None else recs)]


def summary(db: Database, rec: TrailRecord) -> TrailSummary:
    return trail_summary(rec, owns_trail_shoe(db))


def detail(db: Database, rec: TrailRecord) -> dict[str, Any]:
    return trail_detail(rec, owns_trail_shoe(db))


def set_hiked(db: Database, key: str | int, hiked: bool = True) -> TrailRecord:
    """R9: a technical trail hiked once may carry runs."""
    trails = Trails(db)
    return trails.set_hiked(trails.get(str(key)).id, hiked)


def parse_category(text: str) -> TrailCategory:
    try:
        return TrailCategory(text.strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not a category; use smooth, dirt, hilly or technical.", "--category"
        ) from None


def correct(
    db: Database,
    key: str | int,
    *,
    category: TrailCategory | None = None,
    surface: str | None = None,
    rename: str | None = None,
) -> TrailRecord:
    """`trailmix trails set`: the runner's category (kept through re-analysis), surface or
    name; a name another trail has is refused. An empty surface clears the declared one."""
    trails = Trails(db)
    rec = trails.get(str(key))
    new_name = (rename or "").strip() or None
    taken = {r.name.lower() for r in trails.records()} - {rec.name.lower()}
    if new_name is not None and new_name.lower() in taken:
        raise InputError(f"a trail named {new_name!r} is already stored.", "--rename")
    return trails.correct(
        rec.id,
        category=category.value if category else None,
        name=new_name,
        surface=None if surface is None else surface.strip(),  # "" clears it
    )


def reanalyse_all(db: Database, key: str | None, dem: DemFolder | None) -> list[TrailRecord]:
    """`trailmix trails reanalyse [NAME]`: one trail, or every stored one."""
    keys = [key] if key else [str(r.id) for r in Trails(db).records()]
    return [reanalyse(db, k, dem) for k in keys]


def trail_name_of(file_name: str) -> str:
    """A trail's default name from its file's: `forest_loop.gpx.gz` -> `forest loop`."""
    return _default_name(file_name)


def profile_arrays(rec: TrailRecord) -> tuple[FloatArray, FloatArray]:
    """The stored profile grid: distance and elevation (NaN where unknown), in metres."""
    a = rec.analysis
    d = np.asarray(a.distance_m, dtype=float)
    e = np.asarray([np.nan if v is None else v for v in a.elevation_m], dtype=float)
    return d, e
