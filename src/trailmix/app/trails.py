"""The trail library: route files in, analysed trails stored, corrections kept.

This is the application layer between the file readers, the pure analysis and storage: the CLI
and the web app call these functions and nothing below them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from trailmix.domain.trail.classify import TrailAnalysis, analyse_track
from trailmix.domain.trail.model import Hill, Trail, TrailCategory, shoe_for
from trailmix.domain.types import TrailShoe
from trailmix.errors import InputError
from trailmix.formats.readers import parse_track, read_file
from trailmix.formats.srtm import DemFolder
from trailmix.storage.db import Database
from trailmix.storage.repo import TrailRecord, Trails

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


def hill_to_dict(h: Hill, index: int) -> dict[str, Any]:
    return {
        "index": index,
        "start_km": round(h.start_km, 3),
        "length_m": round(h.length_m, 1),
        "gain_m": round(h.gain_m, 1),
        "avg_grade": round(h.avg_grade, 4),
        "max_grade": round(h.max_grade, 4),
        "suits_repeats": h.suits_repeats,
        "suits_sprints": h.suits_sprints,
    }


def analysis_to_dict(a: TrailAnalysis) -> dict[str, Any]:
    """Everything the analysis measured, as stored and as `trails show --format json` prints."""
    p = a.profile

    def r(x: float | None, nd: int = 1) -> float | None:
        return None if x is None else round(x, nd)

    elevation = [None if not np.isfinite(e) else round(float(e), 1) for e in p.elevation_m]
    return {
        "length_km": round(p.length_km, 3),
        "elevation_source": p.elevation_source,
        "gain_m": r(p.gain_m),
        "loss_m": r(p.loss_m),
        "raw_gain_m": r(p.raw_gain_m),
        "gain_per_km": r(p.gain_per_km),
        "max_sustained_grade_50m": r(p.max_sustained_grade_50m, 4),
        "max_sustained_grade_200m": r(p.max_sustained_grade_200m, 4),
        "max_sustained_descent_50m": r(p.max_sustained_descent_50m, 4),
        "max_sustained_descent_200m": r(p.max_sustained_descent_200m, 4),
        "grade_distribution": [
            {
                "low": b.low,
                "high": b.high,
                "share": round(b.share, 4),
                "distance_m": round(b.distance_m, 1),
            }
            for b in p.grade_bins
        ],
        "hills": [hill_to_dict(h, i + 1) for i, h in enumerate(a.hills)],
        "category": a.category.value,
        "reasons": [{"rule": x.rule, "text": x.text} for x in a.reasons],
        "notes": list(a.notes),
        "profile": {
            "step_m": p.step_m,
            "distance_m": [round(float(d), 1) for d in p.distance_m],
            "elevation_m": elevation,
        },
    }


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
) -> TrailAnalysis:
    """Parse a route file's bytes (messages name `file_name`) and analyse the track."""
    track = parse_track(data, file_name)
    return analyse_track(
        track, dem, name=name, declared_surface=surface, declared_technical=tuple(technical)
    )


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
    analysis = analyse_bytes(data, label or file_name, trail_name, surface, tags, dem)
    return Trails(db).add(
        name=trail_name,
        category=analysis.category.value,
        length_km=analysis.profile.length_km,
        gain_m=analysis.profile.gain_m or 0.0,
        loss_m=analysis.profile.loss_m or 0.0,
        declared_surface=surface,
        declared_technical=",".join(tags) or None,
        analysis=analysis_to_dict(analysis),
        file_name=file_name,
        file_bytes=data,
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
    analysis = analyse_bytes(
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
        analysis=analysis_to_dict(analysis),
    )


def trail_summary(rec: TrailRecord, owns: TrailShoe = TrailShoe.YES) -> dict[str, Any]:
    """The numbers `trails list` shows, with the shoe (R10) and hike-first (R9) they imply."""
    category = TrailCategory(rec.category)
    a = rec.analysis
    return {
        "id": rec.id,
        "name": rec.name,
        "category": rec.category,
        "category_source": rec.category_source,
        "length_km": round(rec.length_km, 2),
        "gain_m": a.get("gain_m"),
        "loss_m": a.get("loss_m"),
        "elevation_source": a.get("elevation_source"),
        "hills": len(a.get("hills", [])),
        "repeat_hills": sum(1 for h in a.get("hills", []) if h.get("suits_repeats")),
        "shoe": shoe_for(category, owns).value,
        "hike_first": category is TrailCategory.TECHNICAL,
        "hiked": rec.hiked,
        "declared_surface": rec.declared_surface,
        "declared_technical": rec.declared_technical.split(",") if rec.declared_technical else [],
        "file_name": rec.file_name,
    }


def trail_detail(rec: TrailRecord, owns: TrailShoe = TrailShoe.YES) -> dict[str, Any]:
    """`trails show --format json`: the summary plus every measured number and the profile."""
    detail = trail_summary(rec, owns)
    detail.update({k: v for k, v in rec.analysis.items() if k not in ("category",)})
    detail["category"] = rec.category
    return detail


def as_trail(rec: TrailRecord) -> Trail:
    return Trails.to_domain(rec)
