"""Shared test settings: the ../shared data folder and hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", max_examples=120, deadline=None, derandomize=True)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder beside the repository (CI lays it there)."""
    assert SHARED.is_dir(), f"{SHARED} is missing: clone the repo beside ../shared"
    return SHARED


settings.register_profile("thorough", max_examples=1500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
