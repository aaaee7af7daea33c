"""Writing what trailmix makes (plans, charts, routes, workouts) to the runner's files: the one
place that creates the folder, writes whole-or-nothing and turns an OS error into a message
that names the option the path came from."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from trailmix.errors import InputError


def write_file(path: Path, content: bytes | str, option: str) -> Path:
    """Write `content` to `path` (parents created). The bytes go to a temporary file beside it
    that replaces `path` only when complete, so a full disk never leaves half a file."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = path.with_name(f".{path.name}.trailmix-tmp")
    try:
        if path.exists() and not path.is_file():  # /dev/stdout, a pipe: written in place
            path.write_bytes(data)
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror or exc}", option) from None
    return path


def write_files(
    folder: Path, files: Iterable[tuple[str, bytes]], option: str, what: str = "files"
) -> list[Path]:
    """Write named files into `folder` (created); refused when `folder` is a file."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file; give a folder for the {what}.", option)
    return [write_file(folder / name, data, option) for name, data in files]
