"""Uploaded files onto disk for the readers: a size limit, and a name chosen by content.

The readers (`formats.track.read_track`, `formats.archive.open_archive`) take paths and decide
the format by the bytes; this module only writes each upload into a private temporary folder
under a safe name whose suffix matches what the bytes are (a zip, gzip, FIT, GPX or TCX), so a
GPX named `.txt` is read as GPX and a binary named `.gpx` is refused by the reader with the
CLI's own message.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from trailmix.app import log as training_log
from trailmix.app import trails as library
from trailmix.app.log_json import record_json
from trailmix.app.store import Store
from trailmix.app.trails import TrailRecord
from trailmix.errors import FileFormatError, InputError
from trailmix.formats.readers import sniff
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
class Saved:
    """One upload on disk: the name the runner gave it, and where it is now."""

    name: str
    path: Path


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


@contextmanager
def saved_uploads(files: Sequence[UploadLike], limit: int) -> Iterator[list[Saved]]:
    """Write the uploads into a temporary folder (deleted afterwards); refuse more than
    `limit` bytes in all with `UploadTooLargeError`, and no file at all with an `InputError`."""
    if not files or all(not (f.filename or "").strip() for f in files):
        raise InputError("choose a file to upload.", "file")
    with tempfile.TemporaryDirectory(prefix="trailmix-upload-") as tmp:
        folder = Path(tmp)
        saved: list[Saved] = []
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
            path = folder / name
            with path.open("wb") as out:
                chunk = head
                while chunk:
                    total += len(chunk)
                    if total > limit:
                        raise too_large(total, limit)
                    out.write(chunk)
                    chunk = upload.file.read(CHUNK)
            saved.append(Saved(original, path))
        yield saved


def strip_folder(text: str, folder: Path) -> str:
    """A reader's message without the temporary folder in it."""
    return text.replace(f"{folder}/", "").replace(str(folder), "")


# --- The upload use cases: the files saved, then the library's own call --------------------------


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
    with saved_uploads([upload], settings.max_upload_bytes) as files:
        saved = files[0]
        try:
            return library.add_file(
                db,
                saved.path,
                name=(name or "").strip() or library.trail_name_of(saved.name),
                surface=(surface or "").strip() or None,
                technical=tags,
                dem=dem,
            )
        except FileFormatError as exc:
            raise FileFormatError(saved.name, exc.problem) from None


def import_runs(db: Store, settings: Settings, uploads: Sequence[UploadLike]) -> dict[str, Any]:
    """`trailmix log import`: run files or export zips; the report as `--format json`."""
    with saved_uploads(uploads, settings.max_upload_bytes) as files:
        folder = files[0].path.parent
        report = training_log.import_paths(db, [f.path for f in files])

        def rows(items: list[tuple[str, str]]) -> list[dict[str, str]]:
            return [{"file": strip_folder(f, folder), "reason": m} for f, m in items]

        return {
            "imported": [record_json(r) for r in report.imported],
            "duplicates": rows(report.duplicates),
            "skipped": rows(report.skipped),
            "problems": rows(report.problems),
        }
