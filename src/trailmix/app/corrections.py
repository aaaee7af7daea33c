"""The runner's corrections to one run, as the web's log page and the API's PATCH send them:
where it was run (its surface) and in which pair (R10), in one call."""

from __future__ import annotations

from trailmix.app import log as training_log
from trailmix.app import shoes
from trailmix.domain.types import Surface
from trailmix.errors import InputError
from trailmix.storage.db import Database
from trailmix.storage.repo import ActivityRecord

UNCHANGED = object()
"""`correct_run`'s default for the shoe: leave the run's pair as it is (None: no pair)."""


def parse_surface(text: str, option: str = "--surface") -> Surface:
    try:
        return Surface(text.strip().lower())
    except ValueError:
        known = ", ".join(s.value for s in Surface)
        raise InputError(f"{text!r} is not a surface; say {known}.", option) from None


def correct_run(
    db: Database, key: str, *, surface: str | None = None, shoe: object = UNCHANGED
) -> ActivityRecord:
    """Correct the run `key` (its id, or the day of the only run that day): its surface when
    given and different (the runner's word wins, as `trailmix log surface`), its pair when
    given (an id or a name; None or "none": no pair). Everything is checked before anything
    is stored."""
    run = training_log.run_for(db, key)
    new_surface = parse_surface(surface) if surface else None
    change_shoe = shoe is not UNCHANGED
    shoe_id: int | None = None
    if change_shoe:
        text = "" if shoe is None else str(shoe).strip()
        shoe_id = None if text.lower() in ("", shoes.NO_SHOE) else shoes.find(db, text).id
    if new_surface is not None and new_surface.value != run.surface:
        run = training_log.set_surface(db, str(run.id), new_surface)
    if change_shoe and shoe_id != run.shoe_id:
        run = shoes.set_run_shoe(db, run.id, shoe_id)
    return run
