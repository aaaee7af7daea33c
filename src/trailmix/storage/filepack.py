"""How a run's original file is kept in `activity_files`: Zstandard-compressed when that saves
space, as imported otherwise.

A TCX or GPX file is XML text that zstd level 1 shrinks about 15 times in well under a
millisecond (0.4 ms for a 0.6 MB TCX, measured on the shared files); writing the small frame
costs less than writing the whole file would, so an import is quicker and a log of 10,000 runs
keeps about 0.3 GB of files instead of 4 GB (issue 21). FIT files shrink less, an already
gzipped file not at all: a file is compressed only when that saves at least a tenth of it
(a trailmix default). `file_bytes` always hands back the bytes as imported.
"""

from __future__ import annotations

import zstandard

from trailmix.storage.db import StorageError

ZSTD = "zstd"
"""`activity_files.compression` of a Zstandard frame (NULL: the bytes as imported)."""

_LEVEL = 1  # zstd's fastest standard level: most of the saving at a fraction of the time
_MIN_SAVING = 0.10
_MAX_UNPACKED = 64 * 1024 * 1024
"""More than any stored file can be (the readers refuse files over 50 MB): a damaged or
forged frame cannot make a read allocate without bound."""


def pack(data: bytes) -> tuple[bytes, str | None]:
    """The bytes to store for `data` and their `compression`."""
    packed = zstandard.ZstdCompressor(level=_LEVEL).compress(data)
    if len(packed) <= len(data) * (1 - _MIN_SAVING):
        return packed, ZSTD
    return data, None


def unpack(stored: bytes, compression: str | None) -> bytes:
    """The file as imported, from what `pack` stored."""
    if compression is None:
        return stored
    if compression != ZSTD:
        raise StorageError(
            f"a stored run file is compressed with {compression!r}, which this trailmix "
            "cannot read (made by a newer version?)"
        )
    try:
        return zstandard.ZstdDecompressor().decompress(stored, max_output_size=_MAX_UNPACKED)
    except zstandard.ZstdError as exc:
        raise StorageError(f"a stored run file is damaged ({exc})") from exc
