"""A coach and two runners in one database (issue 19's coach mode): users, links, a plan and a
log for each runner through `Database.for_user`."""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import insert

from trailmix.app import plans, squad
from trailmix.app.inputs import ProfileFlags
from trailmix.domain.types import RaceDistance
from trailmix.storage.db import Database
from trailmix.storage.models import LOCAL_USER_ID, UserRow
from trailmix.storage.records import RunSummaryRecord
from trailmix.storage.repo import Activities

TODAY = date.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday())
START = MONDAY - timedelta(weeks=3)
"""The plans started three Mondays ago, so the squad has past weeks to judge (R2)."""


def add_user(db: Database, login: str, role: str = "runner", name: str | None = None) -> int:
    with db.begin() as conn:
        result = conn.execute(
            insert(UserRow).values(
                login=login,
                display_name=name or login.title(),
                role=role,
                password_hash=None,
                active=True,
                created_at=datetime.now(UTC),
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def add_run(
    db: Database, day: date, minutes: float, surface: str = "road", rpe: float | None = 4.0
) -> int:
    tag = f"{db.user_id} {day} {minutes} {surface}"
    return (
        Activities(db)
        .add(
            file_sha256=hashlib.sha256(tag.encode()).hexdigest(),
            start_utc=datetime.combine(day, time(7), UTC),
            elapsed_s=minutes * 60 + 60,
            moving_s=minutes * 60,
            distance_km=minutes / 6,
            surface=surface,
            surface_source="inferred",
            surface_confidence=0.6,
            rpe=rpe,
            rpe_estimated=False,
            source="file",
            file_name="run.gpx",
            file_bytes=b"x",
            summary=RunSummaryRecord(),
        )
        .id
    )


def make_plan(db: Database, *, cap: str | None = None, days: int = 5, km: float = 40) -> None:
    goal = plans.RaceGoal(RaceDistance.HALF, START + timedelta(weeks=16) - timedelta(days=1))
    flags = ProfileFlags(
        recent_race="10k=48:30", weekly_km=km, days=days, trail_preference="enjoy", trail_cap=cap
    )
    plans.make(db, goal, flags, START)


@dataclass(frozen=True)
class Squad:
    db: Database
    coach: int
    ann: int  # the local runner (user 1): the CLI's own numbers are hers
    ben: int
    stranger: int  # a runner with a plan, not in the squad
    other_coach: int  # a coach with no runners


def make_squad(url: str) -> Squad:
    """Coach Carla with runners Ann (user 1) and Ben, each with their own plan and log; Sam
    has a plan but no coach; Otto coaches nobody."""
    db = Database(url)
    coach = add_user(db, "carla", "coach", "Carla")
    ben = add_user(db, "ben")
    sam = add_user(db, "sam")
    otto = add_user(db, "otto", "coach", "Otto")
    ann = LOCAL_USER_ID
    make_plan(db.for_user(ann))
    make_plan(db.for_user(ben), cap="0.2", days=4, km=30)
    make_plan(db.for_user(sam))
    for who, minutes in ((ann, 50.0), (ben, 35.0)):
        view = db.for_user(who)
        for week in range(3):
            monday = START + timedelta(weeks=week)
            add_run(view, monday + timedelta(days=1), minutes)
            add_run(view, monday + timedelta(days=3), minutes + 10, rpe=6)
            if who == ann or week != 1:  # Ben skips his trail run in week 2 (R2)
                add_run(view, monday + timedelta(days=2), 40, "trail", rpe=3)
        add_run(view, MONDAY, minutes, "trail" if who == ann else "road")
    add_run(db.for_user(sam), MONDAY, 30)
    squad.invite(db, coach, "local")
    squad.answer(db, ann, "carla", accept=True)
    squad.invite(db, ben, "carla")  # a runner may invite the coach
    squad.answer(db, coach, "ben", accept=True)
    return Squad(db, coach, ann, ben, sam, otto)


_TEMPLATE: list[Path] = []


def squad_at(url: str) -> Squad:
    """`make_squad` on a fresh SQLite database at `url`, built once per test process and
    copied (three plans take seconds to make); any other database is built each time."""
    from trailmix.storage.squads import Users

    if not url.startswith("sqlite:///") and "://" in url:
        return make_squad(url)
    path = Path(url.removeprefix("sqlite:///"))
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="trailmix-squad-"))
        atexit.register(shutil.rmtree, folder, True)
        template = folder / "squad.db"
        shutil.copy(path, template)
        make_squad(f"sqlite:///{template}").db.dispose()
        _TEMPLATE.append(template)
    shutil.copy(_TEMPLATE[0], path)
    db = Database(url)
    users = Users(db)

    def uid(login: str) -> int:
        found = users.by_login(login)
        assert found is not None
        return found.id

    return Squad(db, uid("carla"), uid("local"), uid("ben"), uid("sam"), uid("otto"))
