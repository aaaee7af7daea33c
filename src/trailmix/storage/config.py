"""Where the database lives: --db URL, else TRAILMIX_DB, else SQLite in the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ENV_VAR = "TRAILMIX_DB"


def default_url() -> str:
    folder = Path(user_data_dir("trailmix", appauthor=False))
    return f"sqlite:///{folder / 'trailmix.db'}"


def resolve_url(db: str | None = None) -> str:
    """The database URL to use. A bare file path is taken as a SQLite file."""
    value = db or os.environ.get(ENV_VAR) or default_url()
    if "://" not in value:
        value = f"sqlite:///{Path(value).expanduser().resolve()}"
    return value
