"""The shared real activities for the training-log tests, read once per session."""

from __future__ import annotations

from pathlib import Path

from trailmix.domain.log.activity import ActivitySummary, summarise
from trailmix.formats.readers import read_track
from trailmix.formats.track import Track

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ACTIVITIES = SHARED / "data" / "activities"
ACTIVITY_FILES = sorted(p for p in ACTIVITIES.rglob("*") if p.is_file())

_TRACKS: dict[Path, Track] = {}
_SUMMARIES: dict[Path, ActivitySummary] = {}


def load_track(path: Path) -> Track:
    """`read_track`, cached for the session (the files are read-only)."""
    if path not in _TRACKS:
        _TRACKS[path] = read_track(path)
    return _TRACKS[path]


def load_summary(path: Path) -> ActivitySummary:
    if path not in _SUMMARIES:
        _SUMMARIES[path] = summarise(load_track(path))
    return _SUMMARIES[path]
