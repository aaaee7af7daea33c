"""The runner's stored profile (`trailmix athlete set|show`, the onboarding form)."""

from __future__ import annotations

from trailmix.app.inputs import ProfileFlags
from trailmix.domain.types import Athlete
from trailmix.errors import NotFoundError
from trailmix.storage.db import Database
from trailmix.storage.repo import Athletes


def stored(db: Database, name: str | None = None) -> Athlete | None:
    """The named profile, or the latest one; None before the first."""
    return Athletes(db).get(name)


def show(db: Database, name: str | None = None) -> Athlete:
    """The named (or latest) profile; NotFoundError before the first."""
    athlete = Athletes(db).get(name)
    if athlete is None:
        raise NotFoundError("no profile stored yet; create one with 'trailmix athlete set ...'.")
    return athlete


def update(db: Database, flags: ProfileFlags) -> Athlete:
    """Store (or update) the profile; only the answers given change."""
    repo = Athletes(db)
    athlete = flags.apply(repo.get(flags.name) or Athlete())
    repo.save(athlete)
    return athlete
