"""Opening the runner's store (the database) for a face: the CLI opens one per command, the
web app one per process. The faces hold a `Store` and hand it to the use cases."""

from __future__ import annotations

from trailmix.storage.config import resolve_url as resolve_url  # the URL rules, for faces
from trailmix.storage.db import Database
from trailmix.storage.models import LOCAL_USER_ID as LOCAL_USER_ID  # the single-user mode's

Store = Database


def open_store(url: str | None = None) -> Store:
    """The database at `url` (default: TRAILMIX_DB, else SQLite in the user data folder),
    migrated to the current schema."""
    return Database(url)
