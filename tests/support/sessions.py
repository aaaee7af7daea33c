"""A planned session built in one line, for the tests that lay out weeks by hand."""

from __future__ import annotations

from datetime import date, timedelta

from trailmix.domain.types import Kind, Session, Surface, Target


def on_day(
    monday: date, day: int, kind: Kind, minutes: float, surface: Surface = Surface.ROAD
) -> Session:
    """A session `day` days after `monday`, of `minutes`, titled by its kind."""
    return Session(
        date=monday + timedelta(days=day),
        kind=kind,
        title=kind.value,
        target=Target(duration_min=minutes),
        surface=surface,
    )
