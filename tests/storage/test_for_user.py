"""`Database.for_user`: a view of the same database as another user, sharing what is costly."""

from __future__ import annotations

from pathlib import Path

from trailmix.storage.db import Database
from trailmix.storage.models import LOCAL_USER_ID


def test_a_database_is_the_local_users_and_a_view_shares_engine_and_cache(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'u.db'}")
    assert db.user_id == LOCAL_USER_ID
    other = db.for_user(2)
    assert other.user_id == 2 and db.user_id == LOCAL_USER_ID
    assert other.engine is db.engine and other.url == db.url
    assert other._sessions is db._sessions
    assert other.parsed_plans is db.parsed_plans
    assert db.for_user(LOCAL_USER_ID) is db
    assert other.for_user(LOCAL_USER_ID).user_id == LOCAL_USER_ID
    db.dispose()
