"""The web app's one settings object, read from the environment with the CLI's defaults."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field, field_validator

from trailmix.app.store import resolve_url
from trailmix.errors import InputError

DEFAULT_MAX_UPLOAD_MB = 100
"""trailmix default: one upload (a route file, some runs, or an export zip) of up to 100 MB.
A route file is refused above 50 MB by the readers anyway (formats/track.py); a Strava export
of a few hundred runs without photos fits; more is imported from the command line."""

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
"""The names of this machine on loopback: the app is single-user and local (docs/web.md)."""


class Settings(BaseModel):
    """Where the data lives and how much one upload may hold.

    `db_url` is normalised in one place, by `trailmix.storage.resolve_url`, exactly as the
    CLI's `--db`: a bare path is a SQLite file. `from_env()` reads TRAILMIX_DB, TRAILMIX_DATA,
    TRAILMIX_DEM, TRAILMIX_MAX_UPLOAD_MB, TRAILMIX_QUEUE (the import queue's URL),
    TRAILMIX_MULTI_USER and TRAILMIX_BEHIND_HTTPS (1 or true for yes), and
    TRAILMIX_ALLOWED_HOSTS (host names, comma-separated; `*` for any).
    """

    model_config = ConfigDict(frozen=True)

    db_url: str = Field(description="SQLAlchemy URL or SQLite file path.")
    data_dir: Path = Field(description="trailmix's data folder (the default database's home).")
    dem_dir: Path | None = Field(default=None, description="SRTM tiles for uploads.")
    max_upload_bytes: int = Field(
        default=DEFAULT_MAX_UPLOAD_MB * 1024 * 1024, gt=0, description="One upload's limit."
    )

    queue_url: str | None = Field(
        default=None,
        description="Job queue for imports (redis://host:6379/0); none: imports run in process.",
    )

    allowed_hosts: tuple[str, ...] = Field(
        default=LOCAL_HOSTS,
        description="Host names the app answers to (against DNS rebinding); '*' for any.",
    )

    multi_user: bool = Field(
        default=False,
        description="Accounts and sign-in (trailmix serve --multi-user); else one local runner.",
    )
    behind_https: bool = Field(
        default=False,
        description="Served behind an HTTPS proxy: cookies are marked Secure whatever the "
        "scheme the app sees.",
    )

    @field_validator("db_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        return resolve_url(value)

    @field_validator("queue_url")
    @classmethod
    def _check_queue(cls, value: str | None) -> str | None:
        if not value:
            return None
        from trailmix.app.jobs import QueueAddress  # the queue's URL rules, in one place

        QueueAddress.parse(value)
        return value

    @classmethod
    def from_env(cls, db: str | None = None) -> Settings:
        """Settings from the environment; `db` (e.g. `trailmix serve --db`) wins over it."""
        env = os.environ
        data = Path(env.get("TRAILMIX_DATA") or user_data_dir("trailmix", appauthor=False))
        if db or env.get("TRAILMIX_DB"):
            url = resolve_url(db)
        elif env.get("TRAILMIX_DATA"):
            url = resolve_url(str(data / "trailmix.db"))
        else:
            url = resolve_url(None)
        return cls(
            db_url=url,
            data_dir=data.expanduser(),
            dem_dir=Path(env["TRAILMIX_DEM"]).expanduser() if env.get("TRAILMIX_DEM") else None,
            max_upload_bytes=_megabytes(env.get("TRAILMIX_MAX_UPLOAD_MB")),
            queue_url=env.get("TRAILMIX_QUEUE") or None,
            multi_user=_yes(env.get("TRAILMIX_MULTI_USER")),
            behind_https=_yes(env.get("TRAILMIX_BEHIND_HTTPS")),
            allowed_hosts=_hosts(env.get("TRAILMIX_ALLOWED_HOSTS")),
        )


def _megabytes(text: str | None) -> int:
    if not text:
        return DEFAULT_MAX_UPLOAD_MB * 1024 * 1024
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 100_000:
        raise InputError(f"{text!r} is not a size in MB (e.g. 100).", "TRAILMIX_MAX_UPLOAD_MB")
    return int(value * 1024 * 1024)


def _hosts(text: str | None) -> tuple[str, ...]:
    hosts = tuple(h.strip() for h in (text or "").split(",") if h.strip())
    return hosts or LOCAL_HOSTS


def _yes(text: str | None) -> bool:
    return (text or "").strip().lower() in ("1", "true", "yes", "on")
