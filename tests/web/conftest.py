"""Fixtures for the web tests: the app on a temporary database through FastAPI's test
client, and (for the browser tests) the app served on 127.0.0.1 with headless Chromium."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# starlette asks for "httpx2" in its test client; httpx is what is declared and works.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402

from support.webdata import (  # noqa: E402
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    SHARED,
    onboarding,
    served,
    settings_for,
)
from trailmix.web import Settings, create_app  # noqa: E402


@pytest.fixture(scope="session")
def shared_data() -> Path:
    assert SHARED.is_dir(), f"{SHARED} is missing: clone the repo beside ../shared"
    return SHARED / "data"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def planned(client: TestClient) -> TestClient:
    """A client whose database holds the sample runner's plan."""
    r = client.post("/api/v1/plans", json=onboarding())
    assert r.status_code == 201, r.text
    return client


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on 127.0.0.1 with its own empty database, for one test module."""
    with served(settings_for(tmp_path_factory.mktemp("live"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never Playwright's own download)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); not in CI, so skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
