"""Uploaded files into memory for the readers: a size limit, and a name chosen by content.

The readers (`formats.readers.parse_track`, `formats.archive.open_archive`) take bytes and
decide the format by them; this module only reads each upload, counting the bytes against the
limit, and gives it a safe name whose suffix matches what the bytes are (a zip, gzip, FIT, GPX
or TCX), so a GPX named `.txt` is read as GPX and a binary named `.gpx` is refused by the
reader with the CLI's own message. Nothing is written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from fastapi import Request

from trailmix.app import jobs
from trailmix.app import trails as library
from trailmix.app.jobs import ImportJob
from trailmix.app.store import LOCAL_USER_ID, Store
from trailmix.app.trails import TrailRecord
from trailmix.errors import InputError
from trailmix.formats.readers import NamedBytes, sniff
from trailmix.web.settings import Settings

CHUNK = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_GZIP_MAGIC = b"\x1f\x8b"
_SAFE = re.compile(r"[^\w.\- ]+")


class UploadTooLargeError(InputError):
    """An upload over the limit (HTTP 413)."""


class UploadLike(Protocol):
    """What FastAPI's `UploadFile` offers and this module needs."""

    @property
    def filename(self) -> str | None: ...

    @property
    def file(self) -> BinaryIO: ...


@dataclass(frozen=True)
class Received:
    """One upload in memory: the name the runner gave it (made safe), and its bytes under a
    name whose suffix says what they are (`route.txt` holding GPX is `route.txt.gpx`; two
    uploads called `run.gpx` are `run.gpx` and `2-run.gpx`)."""

    original: str
    file: NamedBytes


def too_large(size: int, limit: int) -> UploadTooLargeError:
    return UploadTooLargeError(
        f"the upload is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit "
        "(import bigger exports with 'trailmix log import').",
        "file",
    )


def safe_name(name: str | None) -> str:
    """The file's own name without folders or odd characters (never empty)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE.sub("_", base).strip(" .")[:120]
    return base or "upload"


def content_suffix(head: bytes) -> str | None:
    """`.zip`, `.gz`, `.fit`, `.gpx` or `.tcx` by the first bytes, or None when unknown."""
    if head.startswith(_ZIP_MAGIC):
        return ".zip"
    if head.startswith(_GZIP_MAGIC):
        return ".gz"
    kind = sniff(head)
    return f".{kind}" if kind else None


def _name_for(name: str, head: bytes) -> str:
    suffix = content_suffix(head)
    if suffix is None or name.lower().endswith(suffix):
        return name
    return name + suffix


def read_uploads(files: Sequence[UploadLike], limit: int) -> list[Received]:
    """Read the uploads into memory; refuse more than `limit` bytes in all with
    `UploadTooLargeError`, and no file at all with an `InputError`."""
    if not files or all(not (f.filename or "").strip() for f in files):
        raise InputError("choose a file to upload.", "file")
    received: list[Received] = []
    total = 0
    used: set[str] = set()
    for upload in files:
        original = safe_name(upload.filename)
        head = upload.file.read(64 * 1024)
        name = _name_for(original, head)
        stem, n = name, 2
        while name.lower() in used:
            name, n = f"{n}-{stem}", n + 1
        used.add(name.lower())
        chunks: list[bytes] = []
        chunk = head
        while chunk:
            total += len(chunk)
            if total > limit:
                raise too_large(total, limit)
            chunks.append(chunk)
            chunk = upload.file.read(CHUNK)
        received.append(Received(original, NamedBytes(name, b"".join(chunks))))
    return received


# --- The upload use cases: the uploads read, then the library's own call ------------------------


def add_trail(
    db: Store,
    settings: Settings,
    upload: UploadLike,
    *,
    name: str | None = None,
    surface: str | None = None,
    technical: str | None = None,
) -> TrailRecord:
    """`trailmix trails add FILE`: read by content, analyse, store; messages name the upload."""
    tags = library.split_tags(technical)
    dem = library.dem_folder(str(settings.dem_dir) if settings.dem_dir else None)
    received = read_uploads([upload], settings.max_upload_bytes)[0]
    return library.add_bytes(
        db,
        received.file.data,
        received.file.name,
        name=(name or "").strip() or library.trail_name_of(received.original),
        surface=(surface or "").strip() or None,
        technical=tags,
        dem=dem,
        label=received.original,
    )


def user_db(request: Request, db: Store) -> Store:
    """`db` as the signed-in user sees it (`request.state.user_id`, set by the login
    middleware; the local runner in the single-user mode)."""
    user_id = getattr(request.state, "user_id", LOCAL_USER_ID)
    return db if db.user_id == user_id else db.for_user(user_id)


def import_runs(db: Store, settings: Settings, uploads: Sequence[UploadLike]) -> ImportJob:
    """`trailmix log import`: run files or export zips into `db`'s user's log, as an import
    job; with a queue (`settings.queue_url`) it is queued for a worker, else imported now and
    returned finished, its report as `--format json` (docs/web.md)."""
    received = read_uploads(uploads, settings.max_upload_bytes)
    return jobs.submit(db, [r.file for r in received], settings.queue_url)
