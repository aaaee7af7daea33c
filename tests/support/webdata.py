"""Shared helpers for the web tests: the shared data files, onboarding answers, hostile
uploads, and the app served by uvicorn on 127.0.0.1 in a thread."""

from __future__ import annotations

import gzip
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import uvicorn

from trailmix.web import Settings, create_app

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ACTIVITIES = SHARED / "data" / "activities"
HIKE_GPX = ACTIVITIES / "hike_route" / "gpxpy_korita_zbevnica_hike.gpx"
HILL_FIT = ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit"
ROAD_GPX_GZ = ACTIVITIES / "road" / "applewatch_healthfit_run.gpx.gz"
ROAD_TCX = ACTIVITIES / "road" / "fr410_rolling_road_run.tcx"
ROAD_FIT = ACTIVITIES / "road" / "fenix2_stavanger_run.fit"
ARTIFACTS = Path(
    os.environ.get("TRAILMIX_ARTIFACTS") or Path(__file__).parents[1] / "web" / "artifacts"
)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SMALL_LIMIT = 2 * 1024 * 1024
"""The tests' upload limit: 2 MB, so an oversized upload is cheap to make."""


def race_day(weeks: int = 16) -> str:
    return (date.today() + timedelta(weeks=weeks)).isoformat()


def onboarding(**changes: Any) -> dict[str, Any]:
    """The README's sample runner, racing a half marathon 16 weeks from today."""
    answers: dict[str, Any] = {
        "distance": "half",
        "race_date": race_day(),
        "recent_race": "10k=48:30",
        "weekly_km": 40,
        "days": 5,
        "long_run_day": "sun",
        "age": 40,
        "hr_rest": 50,
        "trail_preference": "enjoy",
        "trail_shoe": "yes",
    }
    answers.update(changes)
    return answers


WEB_DB = "web.db"
"""The web tests' database file, in the test's folder."""


def settings_for(
    folder: Path, limit: int = SMALL_LIMIT, db_url: str | None = None, **extra: Any
) -> Settings:
    """Settings on the database `db_url` (default: the file WEB_DB in `folder`)."""
    return Settings(
        db_url=db_url or str(folder / WEB_DB),
        data_dir=folder,
        max_upload_bytes=limit,
        allowed_hosts=("testserver", "127.0.0.1", "localhost"),
        **extra,
    )


def corrupt_fit() -> bytes:
    """A FIT header followed by garbage: the signature says FIT, the rest is not."""
    data = bytearray(HILL_FIT.read_bytes()[:4000])
    data[200:4000] = bytes((i * 37) % 251 for i in range(3800))
    return bytes(data)


XML_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<gpx version="1.1" creator="x"><trk><name>&lol3;</name></trk></gpx>
"""

BINARY_GPX = bytes(range(256)) * 16
"""Binary junk, to be sent under a .gpx name."""


def gpx_as_text_file() -> bytes:
    """A real GPX (unpacked from the shared .gpx.gz), to be sent under a .txt name."""
    return gzip.decompress(ROAD_GPX_GZ.read_bytes())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(settings: Settings) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1 and a free port, in a thread; its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def sends_csrf_token(client: Any) -> Any:
    """Make a test client send the app's CSRF token (its `trailmix_csrf` cookie, once a page
    has set it) in the X-CSRF-Token header of every POST, PUT, PATCH and DELETE, as the app's
    own pages and scripts do (web/auth.py). The protection itself is tested with clients
    that do not (tests/web/test_auth.py)."""

    def add_token(request: Any) -> None:
        if request.method in ("GET", "HEAD", "OPTIONS") or "x-csrf-token" in request.headers:
            return
        token = client.cookies.get("trailmix_csrf")
        if token:
            request.headers["X-CSRF-Token"] = token

    client.event_hooks = {"request": [add_token], "response": []}
    return client
