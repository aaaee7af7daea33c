"""The JSON shapes stored in the database, in one module: a trail's analysis and a run's
summary, typed, with the one encoder and the one decoder of each.

The repositories decode a row's JSON once, into these; everything above storage reads fields,
never dictionary keys. Decoding is tolerant of rows written by older versions (a missing key is
None or empty), so a database never has to be rewritten for a new field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

Json = dict[str, Any]


def _f(d: Mapping[str, Any], key: str) -> float | None:
    v = d.get(key)
    return None if v is None else float(v)


@dataclass(frozen=True)
class StoredHill:
    """A climb on a stored trail (`domain.trail.hills`), numbered from 1 along the route."""

    index: int
    start_km: float
    length_m: float
    gain_m: float
    avg_grade: float
    max_grade: float
    suits_repeats: bool
    suits_sprints: bool

    def to_json(self) -> Json:
        return {
            "index": self.index,
            "start_km": self.start_km,
            "length_m": self.length_m,
            "gain_m": self.gain_m,
            "avg_grade": self.avg_grade,
            "max_grade": self.max_grade,
            "suits_repeats": self.suits_repeats,
            "suits_sprints": self.suits_sprints,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any], index: int) -> StoredHill:
        return cls(
            index=int(d.get("index", index)),
            start_km=float(d["start_km"]),
            length_m=float(d["length_m"]),
            gain_m=float(d["gain_m"]),
            avg_grade=float(d["avg_grade"]),
            max_grade=float(d["max_grade"]),
            suits_repeats=bool(d.get("suits_repeats", False)),
            suits_sprints=bool(d.get("suits_sprints", False)),
        )


@dataclass(frozen=True)
class OsmTagsRecord:
    """An OpenStreetMap way on a trail found by discovery (docs/discover.md) whose tags made
    it technical (R9): its id, name, the tags that decided it, and why in words."""

    way_id: int
    name: str | None
    tags: tuple[tuple[str, str], ...]
    reasons: tuple[str, ...] = ()

    def to_json(self) -> Json:
        return {
            "way_id": self.way_id,
            "name": self.name,
            "tags": dict(self.tags),
            "reasons": list(self.reasons),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> OsmTagsRecord:
        tags = d.get("tags") or {}
        return cls(
            way_id=int(d.get("way_id") or 0),
            name=d.get("name"),
            tags=tuple((str(k), str(v)) for k, v in tags.items())
            if isinstance(tags, Mapping)
            else (),
            reasons=tuple(str(r) for r in d.get("reasons") or []),
        )


@dataclass(frozen=True)
class GradeShare:
    """The share of a route between two grades."""

    low: float
    high: float
    share: float
    distance_m: float


@dataclass(frozen=True)
class TrailAnalysisRecord:
    """Everything the analysis of a route file measured, as stored (docs/trails.md)."""

    length_km: float
    elevation_source: str | None
    gain_m: float | None
    loss_m: float | None
    raw_gain_m: float | None
    gain_per_km: float | None
    max_sustained_grade_50m: float | None
    max_sustained_grade_200m: float | None
    max_sustained_descent_50m: float | None
    max_sustained_descent_200m: float | None
    grade_distribution: tuple[GradeShare, ...]
    hills: tuple[StoredHill, ...]
    category: str
    reasons: tuple[tuple[str, str], ...]  # (rule id, text)
    notes: tuple[str, ...]
    step_m: float
    distance_m: tuple[float, ...]
    elevation_m: tuple[float | None, ...]
    osm_technical: tuple[OsmTagsRecord, ...] = ()
    """For a trail found by `trails discover`: the OSM ways whose tags made it technical
    (empty otherwise, and in rows written before this field)."""

    def to_json(self) -> Json:
        """The stored document (and the extra fields of `trails show --format json`)."""
        return {
            "length_km": self.length_km,
            "elevation_source": self.elevation_source,
            "gain_m": self.gain_m,
            "loss_m": self.loss_m,
            "raw_gain_m": self.raw_gain_m,
            "gain_per_km": self.gain_per_km,
            "max_sustained_grade_50m": self.max_sustained_grade_50m,
            "max_sustained_grade_200m": self.max_sustained_grade_200m,
            "max_sustained_descent_50m": self.max_sustained_descent_50m,
            "max_sustained_descent_200m": self.max_sustained_descent_200m,
            "grade_distribution": [
                {"low": b.low, "high": b.high, "share": b.share, "distance_m": b.distance_m}
                for b in self.grade_distribution
            ],
            "hills": [h.to_json() for h in self.hills],
            "category": self.category,
            "reasons": [{"rule": r, "text": t} for r, t in self.reasons],
            "notes": list(self.notes),
            "profile": {
                "step_m": self.step_m,
                "distance_m": list(self.distance_m),
                "elevation_m": list(self.elevation_m),
            },
            "osm_technical": [w.to_json() for w in self.osm_technical],
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TrailAnalysisRecord:
        prof = d.get("profile") or {}
        hills = d.get("hills") or []
        return cls(
            length_km=float(d.get("length_km") or 0.0),
            elevation_source=d.get("elevation_source"),
            gain_m=_f(d, "gain_m"),
            loss_m=_f(d, "loss_m"),
            raw_gain_m=_f(d, "raw_gain_m"),
            gain_per_km=_f(d, "gain_per_km"),
            max_sustained_grade_50m=_f(d, "max_sustained_grade_50m"),
            max_sustained_grade_200m=_f(d, "max_sustained_grade_200m"),
            max_sustained_descent_50m=_f(d, "max_sustained_descent_50m"),
            max_sustained_descent_200m=_f(d, "max_sustained_descent_200m"),
            grade_distribution=tuple(
                GradeShare(
                    float(b["low"]), float(b["high"]), float(b["share"]), float(b["distance_m"])
                )
                for b in d.get("grade_distribution") or []
            ),
            hills=tuple(
                StoredHill.from_json(h, i + 1)
                for i, h in enumerate(hills if isinstance(hills, list) else [])
            ),
            category=str(d.get("category") or ""),
            reasons=tuple((str(r["rule"]), str(r["text"])) for r in d.get("reasons") or []),
            notes=tuple(str(n) for n in d.get("notes") or []),
            step_m=float(prof.get("step_m") or 10.0),
            distance_m=tuple(float(x) for x in prof.get("distance_m") or []),
            elevation_m=tuple(
                None if x is None else float(x) for x in prof.get("elevation_m") or []
            ),
            osm_technical=tuple(
                OsmTagsRecord.from_json(w)
                for w in d.get("osm_technical") or []
                if isinstance(w, Mapping)
            ),
        )


@dataclass(frozen=True)
class RunSummaryRecord:
    """What the import measured of a run beyond the table's columns (docs/log.md)."""

    stopped_s: float | None = None
    stops: int = 0
    moving_distance_m: float | None = None
    avg_pace_s_per_km: float | None = None
    gap_s_per_km: float | None = None
    elevation_source: str | None = None
    walk_share: float | None = None
    hr_zone_s: tuple[float, ...] | None = None
    hr_seconds_by_bpm: tuple[tuple[float, float], ...] | None = None
    trimp: float | None = None
    surface_reason: str | None = None
    notes: tuple[str, ...] = ()

    def to_json(self) -> Json:
        return {
            "stopped_s": self.stopped_s,
            "stops": self.stops,
            "moving_distance_m": self.moving_distance_m,
            "avg_pace_s_per_km": self.avg_pace_s_per_km,
            "gap_s_per_km": self.gap_s_per_km,
            "elevation_source": self.elevation_source,
            "walk_share": self.walk_share,
            "hr_zone_s": list(self.hr_zone_s) if self.hr_zone_s is not None else None,
            "hr_seconds_by_bpm": (
                [list(x) for x in self.hr_seconds_by_bpm]
                if self.hr_seconds_by_bpm is not None
                else None
            ),
            "trimp": self.trimp,
            "surface_reason": self.surface_reason,
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> RunSummaryRecord:
        zones = d.get("hr_zone_s")
        by_bpm = d.get("hr_seconds_by_bpm")
        return cls(
            stopped_s=_f(d, "stopped_s"),
            stops=int(d.get("stops") or 0),
            moving_distance_m=_f(d, "moving_distance_m"),
            avg_pace_s_per_km=_f(d, "avg_pace_s_per_km"),
            gap_s_per_km=_f(d, "gap_s_per_km"),
            elevation_source=d.get("elevation_source"),
            walk_share=_f(d, "walk_share"),
            hr_zone_s=tuple(float(z) for z in zones) if zones is not None else None,
            hr_seconds_by_bpm=(
                tuple((float(b), float(s)) for b, s in by_bpm) if by_bpm is not None else None
            ),
            trimp=_f(d, "trimp"),
            surface_reason=d.get("surface_reason"),
            notes=tuple(str(n) for n in d.get("notes") or []),
        )


def local_start(start_utc: datetime, utc_offset_min: int) -> datetime:
    """A run's start on the runner's clock, naive (the `local_start` column): a day of the log
    is a day of this (docs/log.md, "Local days"). A start without a zone is UTC."""
    start = start_utc if start_utc.tzinfo else start_utc.replace(tzinfo=UTC)
    return (start.astimezone(UTC) + timedelta(minutes=utc_offset_min)).replace(tzinfo=None)


# --- The training log's runs, as the repositories (storage/repo.py) and the quick read
# (storage/quick.py) give them -----------------------------------------------------------------


@dataclass(frozen=True)
class ActivityRecord:
    """A stored run, without its file bytes."""

    id: int
    start_utc: datetime
    elapsed_s: float
    moving_s: float
    distance_km: float
    gain_m: float | None
    loss_m: float | None
    avg_hr: float | None
    max_hr: float | None
    surface: str
    surface_source: str
    surface_confidence: float
    trail_id: int | None
    rpe: float | None
    rpe_estimated: bool
    name: str | None
    activity_type: str | None
    gear: str | None
    source: str
    file_name: str | None
    summary: RunSummaryRecord
    kind: str = "run"
    """run, hike or walk (`domain.log.kinds.ActivityKind`): only runs count in running volume."""
    has_track: bool = True
    """False for a run without GPS (treadmill, manual entry): counted from time and distance."""
    shoe_id: int | None = None
    """The pair it was run in (R10; table `shoes`), or None."""
    utc_offset_min: int = 0
    """The run's time zone at its start, minutes east of UTC: its day is the day of
    start_utc + utc_offset_min (`app.log.local_day`)."""
    timezone: str | None = None  # the IANA zone, when known
    timezone_source: str = "utc"
    """Where the zone came from: "file" (the device's local time), "coordinates" (the zone at
    the start's position), "athlete" (the runner's zone), "utc" (stored before zones were)."""


@dataclass(frozen=True)
class RunSession:
    """A run as the plan's adherence sees it: no summary, no file (a narrow query)."""

    id: int
    start_utc: datetime
    moving_s: float
    surface: str
    rpe: float | None
    kind: str = "run"
    utc_offset_min: int = 0


@dataclass(frozen=True)
class RunStart:
    """A stored run as the import's duplicate check sees it: a narrow query."""

    id: int
    start_utc: datetime
    distance_km: float
    file_name: str | None


@dataclass(frozen=True)
class DayTotals:
    """One day's runs summed in SQL (GROUP BY day): session-RPE load of the rated runs
    (RPE x minutes, Foster 2001), moving seconds by surface, and the runs without an RPE."""

    day: date
    rated_load: float
    road_s: float
    trail_s: float
    unrated: int
