"""Fixtures for the training-log tests (helpers and the file list are in logdata.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.logdata import ACTIVITIES


@pytest.fixture(scope="session")
def activities() -> Path:
    """The shared activities folder (../shared/data/activities)."""
    assert ACTIVITIES.is_dir(), f"{ACTIVITIES} is missing: clone the repo beside ../shared"
    return ACTIVITIES
