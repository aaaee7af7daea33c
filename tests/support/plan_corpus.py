"""The corpus of plan files (tests/support/plans): how trailmix reads each entry against what a
coach would say it is (expected.json: per file, per title, the kind and, for structured work,
the intensity of the work, e.g. "long/M 12.9km" for "LR 16 mi w/ last 8 @ MP"). Shared by
tests/imports/test_corpus.py and benchmarks/plan_import_corpus.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from trailmix.domain.imports.plan import _read, _text
from trailmix.domain.imports.words import Confidence, Recognition, dominant_unit
from trailmix.formats.plan_import import read_plan_file

PLANS = Path(__file__).parent / "plans"
EXPECTED = PLANS / "expected.json"
TODAY = date(2026, 12, 1)  # places the dates written without a year ("Mon 4 Jan")


def reading(rec: Recognition) -> str:
    """A recognition as the corpus writes its truth: kind, the work's intensity, and for one
    block of work by distance its km ("tempo/T 4.8km": 3 mi at T, not the whole 7 mi)."""
    text = rec.kind.value
    w = rec.work
    if w is not None:
        text += f"/{w.intensity.value}"
        if w.reps == 1 and w.km:
            text += f" {w.km:.1f}km"
    return text


@dataclass(frozen=True)
class Read:
    file: str
    day: date
    title: str
    expected: str
    got: str
    confidence: Confidence

    @property
    def misread(self) -> bool:
        return self.got != self.expected


def plan_files() -> list[Path]:
    return sorted(p for p in PLANS.iterdir() if p.suffix in (".ics", ".csv", ".tsv"))


def read_corpus() -> list[Read]:
    """Every entry of every corpus file, read as `trailmix mix` reads it."""
    truth: dict[str, dict[str, str]] = json.loads(EXPECTED.read_text())
    out: list[Read] = []
    for path in plan_files():
        entries = read_plan_file(path, today=TODAY)
        unit = dominant_unit([f"{e.title} {e.description}" for e in entries])
        for e in entries:
            rec = _read(e, None, unit)
            title = _text(e)
            expected = truth[path.name][title]
            out.append(Read(path.name, e.day, title, expected, reading(rec), rec.confidence))
    return out
