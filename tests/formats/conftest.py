"""Fixtures for the file-reader tests: the shared real activities and small files made on the
spot in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ACTIVITIES = SHARED / "data" / "activities"
DEM = SHARED / "data" / "dem"


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    """Write bytes or text to a file in tmp_path and return its path."""

    def _write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return _write


def _gpx_doc(
    points: list[tuple[float, float, float | None, str | None]], *, prolog: str = ""
) -> str:
    """A one-segment GPX 1.1 document; each point is (lat, lon, ele or None, ISO time or None)."""
    rows = []
    for lat, lon, ele, time in points:
        inner = (f"<ele>{ele}</ele>" if ele is not None else "") + (
            f"<time>{time}</time>" if time else ""
        )
        rows.append(f'<trkpt lat="{lat}" lon="{lon}">{inner}</trkpt>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + prolog
        + '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        + "<trk><name>test</name><trkseg>"
        + "".join(rows)
        + "</trkseg></trk></gpx>"
    )


@pytest.fixture
def gpx_doc() -> Callable[..., str]:
    """The GPX document builder `_gpx_doc`, as a fixture."""
    return _gpx_doc


@pytest.fixture
def shared() -> Path:
    return SHARED
