"""Data scoped by user (issue 19): through every repository method a user reads and changes
only their own rows; another user's id is "not found", never data. On SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trailmix.domain.types import Athlete, Plan
from trailmix.errors import NotFoundError
from trailmix.formats.plan_json import plan_from_dict
from trailmix.storage.db import Database, DuplicateError
from trailmix.storage.models import LOCAL_USER_ID, UserRow
from trailmix.storage.records import RunSummaryRecord, TrailAnalysisRecord
from trailmix.storage.repo import (
    Activities,
    Athletes,
    CalendarEventRecord,
    CalendarEvents,
    Plans,
    Trails,
)

_logins = itertools.count(1)


def add_user(db: Database) -> int:
    """A new runner in the users table; their id."""
    with db.transaction() as s:
        row = UserRow(login=f"runner-{next(_logins)}-{id(db)}", display_name="R", role="runner")
        s.add(row)
        s.flush()
        return row.id


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


def add_trail(db: Database, name: str = "Quarry hill", *, with_line: bool = True) -> int:
    lat = np.array([49.40, 49.41])
    lon = np.array([8.69, 8.70])
    rec = Trails(db).add(
        name=name,
        category="hilly",
        length_km=5.0,
        gain_m=150.0,
        loss_m=150.0,
        declared_surface=None,
        declared_technical=None,
        analysis=TrailAnalysisRecord.from_json({}),
        file_name="quarry.gpx",
        file_bytes=f"file of {db.user_id}".encode(),
        footprint=(lat, lon) if with_line else None,
    )
    return rec.id


START = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def add_run(
    db: Database, sha: str = "a" * 64, start: datetime = START, rpe: float | None = 5.0
) -> int:
    return (
        Activities(db)
        .add(
            file_sha256=sha,
            start_utc=start,
            elapsed_s=3000.0,
            moving_s=2700.0,
            distance_km=8.0,
            surface="trail",
            surface_source="route",
            surface_confidence=0.9,
            rpe=rpe,
            source="file",
            file_name="run.fit",
            summary=RunSummaryRecord.from_json({}),
        )
        .id
    )


def event(uid: str, summary: str) -> CalendarEventRecord:
    return CalendarEventRecord(uid, date(2026, 12, 2), 0, "d" * 64, summary, False)


def a_plan(sample_plan: dict[str, Any], name: str) -> Plan:
    """The sample runner's plan (conftest), for the athlete `name`."""
    return _renamed(plan_from_dict(copy.deepcopy(sample_plan)), name)


def _renamed(plan: Plan, name: str) -> Plan:
    return replace(plan, athlete=replace(plan.athlete, name=name))


def test_two_users_each_see_only_their_own(db: Database, sample_plan: dict[str, Any]) -> None:
    one = db  # the local runner
    two = db.for_user(add_user(db))
    assert one.user_id == LOCAL_USER_ID and two.user_id != LOCAL_USER_ID

    # Athletes: the same name for both, each their own profile
    Athletes(one).save(Athlete(name="kim", age=30))
    Athletes(two).save(Athlete(name="kim", age=50))
    assert Athletes(one).get("kim").age == 30  # type: ignore[union-attr]
    assert Athletes(two).get("kim").age == 50  # type: ignore[union-attr]
    assert Athletes(two).get().age == 50  # type: ignore[union-attr]
    assert Athletes(db.for_user(add_user(db))).get() is None

    # Plans: each user's current plan; a new plan of one leaves the other's current
    plan_one = a_plan(sample_plan, "kim")
    Plans(one).save(plan_one)
    with pytest.raises(NotFoundError):
        Plans(two).current()
    plan_two = _renamed(plan_one, "kim two")
    Plans(two).save(plan_two)
    assert Plans(one).current().athlete.name == "kim"
    assert Plans(two).current().athlete.name == "kim two"
    Plans(two).save(plan_two)
    assert Plans(one).current().athlete.name == "kim"

    # Trails: the same name for both
    t1 = add_trail(one)
    t2 = add_trail(two)
    t2_plain = add_trail(two, "Dirt loop", with_line=False)
    trails1, trails2 = Trails(one), Trails(two)
    assert [r.id for r in trails1.records()] == [t1]
    assert [r.id for r in trails2.records()] == [t2, t2_plain]
    assert [t.id for t in trails1.all()] == [t1]
    assert trails1.get("quarry HILL").id == t1 and trails2.get("Quarry hill").id == t2
    assert trails1.get(str(t1)).id == t1
    with pytest.raises(NotFoundError) as missing:
        trails1.get(str(t2))
    assert "Dirt loop" not in str(missing.value)  # nor the other user's names
    with pytest.raises(NotFoundError):
        trails1.get("Dirt loop")
    assert trails1.file_bytes(t2) is None and trails2.file_bytes(t2) == b"file of %d" % two.user_id
    for change in (
        lambda: trails1.set_hiked(t2),
        lambda: trails1.correct(t2, name="mine now"),
        lambda: trails1.update_analysis(
            t2,
            category="flat",
            length_km=1.0,
            gain_m=0.0,
            loss_m=0.0,
            analysis=TrailAnalysisRecord.from_json({}),
        ),
    ):
        with pytest.raises(NotFoundError):
            change()
    trails1.set_footprint(t2, np.array([0.0]), np.array([0.0]))  # silently nothing: not theirs
    after = trails2.get(str(t2))
    assert (after.name, after.hiked, after.category) == ("Quarry hill", False, "hilly")
    assert [b.id for b in trails2.footprint_boxes()] == [t2]
    assert trails2.footprint_boxes()[0].min_lat == pytest.approx(49.40)
    assert [b.id for b in trails1.footprint_boxes()] == [t1]
    assert trails1.footprints([t1, t2]) and [f.id for f in trails1.footprints([t1, t2])] == [t1]
    assert trails1.without_footprint() == [] and [i for i, _ in trails2.without_footprint()] == [
        t2_plain
    ]
    with pytest.raises(NotFoundError):
        trails1.by_ids([t1, t2])
    assert [t.id for t in trails2.by_ids([t2])] == [t2]

    # Activities: the same file for both
    a1 = add_run(one, rpe=4.0)
    runs1, runs2 = Activities(one), Activities(two)
    assert runs1.has_file("a" * 64) and not runs2.has_file("a" * 64)
    assert runs2.near(START) == [] and runs2.starts_near(START) == []
    a2 = add_run(two, rpe=8.0)
    with pytest.raises(DuplicateError):
        add_run(two)  # but not twice for the same user
    assert [r.id for r in runs1.near(START)] == [a1]
    assert [r.id for r in runs2.starts_near(START)] == [a2]
    assert runs1.get(a2) is None and runs1.get(a1) is not None
    with pytest.raises(NotFoundError):
        runs1.update(a2, rpe=1.0)
    assert runs2.get(a2).rpe == 8.0  # type: ignore[union-attr]
    day = START.date()
    assert [r.id for r in runs1.between(day, day)] == [a1]
    assert [r.id for r in runs2.all()] == [a2]
    assert [s.id for s in runs1.sessions(day, day)] == [a1]
    page, left = runs1.latest(limit=5)
    assert [r.id for r in page] == [a1] and left == 0
    with pytest.raises(NotFoundError):
        runs1.latest(limit=5, before=a2)
    [totals1] = runs1.day_totals(day, day)
    [totals2] = runs2.day_totals(day, day)
    assert totals1.rated_load == pytest.approx(4.0 * 45) and totals1.trail_s == 2700.0
    assert totals2.rated_load == pytest.approx(8.0 * 45)

    # Calendar events: the same UID for both; replacing one's leaves the other's
    CalendarEvents(one).replace_all([event("uid-1", "one's run")])
    CalendarEvents(two).replace_all([event("uid-1", "two's run"), event("uid-2", "two")])
    assert [e.summary for e in CalendarEvents(one).all()] == ["one's run"]
    CalendarEvents(two).replace_all([])
    assert [e.summary for e in CalendarEvents(one).all()] == ["one's run"]
    assert CalendarEvents(two).all() == []


@dataclass
class Model:
    """What each user should see: trail names, run files and their RPE, calendar UIDs."""

    trails: dict[int, set[str]] = field(default_factory=dict)
    runs: dict[int, dict[str, float | None]] = field(default_factory=dict)
    events: dict[int, set[str]] = field(default_factory=dict)


_OPS = st.lists(
    st.tuples(
        st.integers(0, 2),  # which user
        st.sampled_from(["trail", "run", "rpe", "calendar"]),
        st.integers(0, 3),  # which name / file / uid
    ),
    max_size=14,
)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_random_interleavings_never_mix_users(
    db: Database, ops: list[tuple[int, str, int]]
) -> None:
    views = [db.for_user(add_user(db)) for _ in range(3)]  # new users for every example
    model = Model()
    for who, op, k in ops:
        view, uid = views[who], views[who].user_id
        if op == "trail":
            name = f"trail {k}"
            if name not in model.trails.setdefault(uid, set()):
                add_trail(view, name)
                model.trails[uid].add(name)
        elif op == "run":
            sha = f"{k:064d}"
            if sha not in model.runs.setdefault(uid, {}):
                add_run(view, sha, START + timedelta(hours=k), rpe=None)
                model.runs[uid][sha] = None
        elif op == "rpe":
            # rate the k-th run of *someone*: only the owner's rating may stick
            every = [(r.id, r.user) for r in _all_runs(views)]
            if every:
                run_id, owner = every[k % len(every)]
                if owner == uid:
                    Activities(view).update(run_id, rpe=float(k + 1))
                    model.runs[uid][_sha_of(view, run_id)] = float(k + 1)
                else:
                    with pytest.raises(NotFoundError):
                        Activities(view).update(run_id, rpe=9.0)
        else:
            uids = {f"uid-{k}", f"uid-{(k + 1) % 4}"}
            CalendarEvents(view).replace_all([event(u, str(who)) for u in sorted(uids)])
            model.events[uid] = uids
    for view in views:
        uid = view.user_id
        assert {r.name for r in Trails(view).records()} == model.trails.get(uid, set())
        runs = Activities(view).all()
        assert {_sha_of(view, r.id): r.rpe for r in runs} == model.runs.get(uid, {})
        assert {e.uid for e in CalendarEvents(view).all()} == model.events.get(uid, set())


@dataclass(frozen=True)
class _Owned:
    id: int
    user: int


def _all_runs(views: list[Database]) -> list[_Owned]:
    return sorted(
        (_Owned(r.id, v.user_id) for v in views for r in Activities(v).all()), key=lambda o: o.id
    )


def _sha_of(db: Database, run_id: int) -> str:
    from sqlalchemy import select

    from trailmix.storage.models import ActivityRow

    with db.transaction() as s:
        sha = s.scalar(
            select(ActivityRow.file_sha256).where(
                ActivityRow.id == run_id, ActivityRow.user_id == db.user_id
            )
        )
    assert sha is not None
    return sha
