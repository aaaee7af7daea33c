"""The Redis the import-queue tests use (127.0.0.1:6379 on the project's machines, or
TRAILMIX_TEST_REDIS): a queue of its own per test, every key of it deleted afterwards. Without a
Redis the tests that need one are skipped and say why."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

REDIS_URL = os.environ.get("TRAILMIX_TEST_REDIS", "redis://127.0.0.1:6379/0")


def redis_or_skip() -> None:
    """Skip the calling test, with the reason, when no Redis answers at REDIS_URL."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL} ({exc}): the import queue tests need one")


@contextmanager
def unique_queue() -> Iterator[str]:
    """A queue URL with a queue name no one else uses; its keys (queue, registries, jobs,
    results: every RQ key of it holds the name) are deleted afterwards."""
    from redis import Redis

    redis_or_skip()
    name = f"trailmix-test-{uuid.uuid4().hex[:12]}"
    try:
        yield f"{REDIS_URL}?queue={name}"
    finally:
        redis = Redis.from_url(REDIS_URL)
        keys = list(redis.scan_iter(match=f"*{name}*", count=1000))
        if keys:
            redis.delete(*keys)
        redis.srem("rq:queues", f"rq:queue:{name}")
        redis.close()


PG_ADMIN_URL = os.environ.get("TRAILMIX_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL database of its own (made on the server at TRAILMIX_TEST_PG, else the
    project's 127.0.0.1:5432), dropped afterwards; its SQLAlchemy URL. Skipped, with the
    reason, when no server answers."""
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=2)
    except psycopg.Error as exc:
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL} ({exc}): this test needs one")
    name = f"trailmix_jobs_{uuid.uuid4().hex[:12]}"
    base = PG_ADMIN_URL.removeprefix("postgresql://").rsplit("/", 1)[0]
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        yield f"postgresql+psycopg://{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
