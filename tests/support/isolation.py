"""Two runners, each with data of every kind, and two coaches, in one multi-user database
(tests/web/test_isolation_routes.py): runner A (the local runner, user 1, so that a route
falling back to the local runner shows A's data to B and fails), runner B, coach C (A's
coach; C's invitation to B is left unanswered) and coach D (B's coach).

Every name of A's (trails, runs, shoe, race, note) carries the word MARK_A, which nothing of
B's or the app's own words contains; `a_markers` lists them with A's job key, race date and
calendar UIDs, so a test can say that none of them is in an answer given to B."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert

from support.webdata import HIKE_GPX, ROAD_TCX
from trailmix.app import accounts, plans, shoes, squad
from trailmix.app.inputs import ProfileFlags
from trailmix.domain.types import RaceDistance
from trailmix.storage.db import Database
from trailmix.storage.models import LOCAL_USER_ID, UserRow
from trailmix.storage.records import RunSummaryRecord, TrailAnalysisRecord
from trailmix.storage.repo import Activities, CalendarEvents, Trails
from trailmix.web.auth import SESSION_COOKIE

MARK_A = "Zanzibar"
"""In every name of A's: an answer to B that holds it shows A's data."""

TODAY = date.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday())
A_START = MONDAY - timedelta(weeks=2)
A_RACE = A_START + timedelta(weeks=30) - timedelta(days=1)  # a Sunday past B's whole plan
B_START = MONDAY - timedelta(weeks=1)
B_RACE = B_START + timedelta(weeks=14) - timedelta(days=1)


@dataclass
class Who:
    """One user as the app knows them: id, login, an API token and a signed-in session."""

    id: int
    login: str
    token: str = ""
    token_id: int = 0
    cookie: str = ""
    csrf: str = ""

    def api(self) -> dict[str, str]:
        """Headers of a script using the API with this user's personal token."""
        return {"Authorization": f"Bearer {self.token}"}

    def page(self) -> dict[str, str]:
        """Headers of this user's browser: the session cookie and the form token."""
        return {"Cookie": f"{SESSION_COOKIE}={self.cookie}", "X-CSRF-Token": self.csrf}


@dataclass
class Runner:
    who: Who
    trails: dict[str, int] = field(default_factory=dict)  # hilly, technical (A: route)
    runs: list[int] = field(default_factory=list)
    shoe: int = 0
    job: str = ""
    trail_day: date | None = None  # a day whose session runs on one of the runner's trails
    uids: list[str] = field(default_factory=list)  # the calendar events' UIDs
    matched: int | None = None  # the trail the uploaded run was matched to


@dataclass
class World:
    db: Database
    a: Runner
    b: Runner
    coach: Who  # C: coaches A (active); invited B, unanswered
    b_coach: Who  # D: coaches B
    note: str = ""
    club_trail: int = 0  # C's trail, shared with C's squad (A)

    def a_markers(self) -> list[str]:
        """What must never be in an answer to B: every name of A's, A's job key and race date.
        (The calendar's UIDs are not among them: they are made of the plan's dates,
        `runner-YYYYMMDD@trailmix`, the same in B's calendar.)"""
        return [MARK_A, self.a.job, A_RACE.isoformat()]


def _user(db: Database, login: str, role: str, name: str) -> int:
    with db.begin() as conn:
        key = conn.execute(
            insert(UserRow).values(
                login=login,
                display_name=name,
                role=role,
                password_hash=None,
                active=True,
                created_at=datetime.now(UTC),
            )
        ).inserted_primary_key
    assert key is not None
    return int(key[0])


def _signed_in(db: Database, who: Who) -> Who:
    made, who.token = accounts.create_token(db, who.id, f"{who.login} script")
    who.token_id = made.id
    session = accounts.open_session(db, who.id)
    who.cookie, who.csrf = session.cookie, session.csrf_token
    return who


def _trail(db: Database, name: str, category: str, gain: float) -> int:
    hills = [
        {
            "start_km": 1.0,
            "length_m": 400.0,
            "gain_m": 32.0,
            "avg_grade": 0.08,
            "max_grade": 0.11,
            "suits_repeats": True,
            "suits_sprints": False,
        }
    ]
    return (
        Trails(db)
        .add(
            name=name,
            category=category,
            length_km=6.0,
            gain_m=gain,
            loss_m=gain,
            declared_surface=None,
            declared_technical=None,
            analysis=TrailAnalysisRecord.from_json({"hills": hills if category == "hilly" else []}),
            file_name=None,
            file_bytes=None,
        )
        .id
    )


def _run(db: Database, day: date, name: str, minutes: float, surface: str) -> int:
    tag = f"{db.user_id} {day} {name}"
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
            rpe=4.0,
            rpe_estimated=False,
            source="file",
            name=name,
            file_name=f"{name.lower().replace(' ', '-')}.gpx",
            file_bytes=b"x",
            summary=RunSummaryRecord(),
        )
        .id
    )


def _runner(db: Database, who: Who, word: str, start: date, race: date) -> Runner:
    """A runner's trails, plan (on them), runs, shoe (worn on a run); the upload and the
    calendar export are made over the API afterwards (`_uploaded`)."""
    view = db.for_user(who.id)
    r = Runner(who)
    r.trails["hilly"] = _trail(view, f"{word} quarry hill", "hilly", 150.0)
    r.trails["technical"] = _trail(view, f"{word} rocky ridge", "technical", 300.0)
    goal = plans.RaceGoal(RaceDistance.HALF, race, name=f"{word} harbour half")
    flags = ProfileFlags(recent_race="10k=48:30", weekly_km=40, days=5, trail_preference="enjoy")
    plan = plans.make(view, goal, flags, start).plan
    r.trail_day = next(
        s.date for s in plan.sessions if s.trail is not None and s.trail.name.startswith(word)
    )
    for week in range(2):
        day = MONDAY - timedelta(weeks=week, days=-1)
        r.runs.append(_run(view, day, f"{word} lakeside tempo {week}", 45.0, "road"))
    r.shoe = shoes.add(view, f"{word} speedgoat", kind="trail").id
    shoes.set_run_shoe(view, r.runs[0], r.shoe)
    return r


def _uploaded(client: TestClient, r: Runner, file_name: str) -> None:
    """An upload over the API: an import job and its run."""
    files = {"files": (file_name, ROAD_TCX.read_bytes())}
    answer = client.post("/api/v1/activities", files=files, headers=r.who.api())
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert len(report["imported"]) == 1, report  # B's copy of A's file is B's run, too
    r.job = report["id"]
    r.runs.append(report["imported"][0]["id"])
    r.matched = report["imported"][0]["trail_id"]


def build_world(url: str, client_for: Any) -> World:
    """The four users and their data in the database at `url`; `client_for(db)` gives a
    test client of the multi-user app on it."""
    db = Database(url)
    a = Who(LOCAL_USER_ID, "local")
    b = Who(_user(db, "ben", "runner", "Ben"), "ben")
    c = Who(_user(db, "carla", "coach", "Carla"), "carla")
    d = Who(_user(db, "dora", "coach", "Dora"), "dora")
    for who in (a, b, c, d):
        _signed_in(db, who)
    world = World(
        db,
        _runner(db, a, MARK_A, A_START, A_RACE),
        _runner(db, b, "Bernina", B_START, B_RACE),
        c,
        d,
    )
    client = client_for(db)
    # A's trail from the very file both runners then upload as a run: A's run is matched to
    # it, B's must not be (the import matches a run to its own runner's trails only)
    route = {"file": ("loop.tcx", ROAD_TCX.read_bytes())}
    made = client.post(
        "/api/v1/trails", files=route, data={"name": f"{MARK_A} rolling loop"}, headers=a.api()
    )
    assert made.status_code == 201, made.text
    world.a.trails["route"] = made.json()["id"]
    _uploaded(client, world.a, f"{MARK_A.lower()}-upload.tcx")
    _uploaded(client, world.b, "bernina-upload.tcx")
    squad.invite(db, c.id, a.login)
    squad.answer(db, a.id, c.login, accept=True)
    squad.invite(db, d.id, b.login)
    squad.answer(db, b.id, d.login, accept=True)
    squad.invite(db, c.id, b.login)  # left unanswered: C is not B's coach
    world.club_trail = _trail(db.for_user(c.id), f"{MARK_A} club loop", "hilly", 80.0)
    squad.share_trail(db, c.id, world.club_trail)
    # a change by C to A's plan (recorded with who and why) and a note of C's on A's session
    why = f"{MARK_A} tweak: more time on the hills"
    plan = squad.change_profile(db, c.id, a.id, ProfileFlags(trail_cap="0.25"), why, TODAY)
    world.a.trail_day = next(
        s.date
        for s in plan.sessions
        if s.date >= TODAY and s.trail is not None and s.trail.name.startswith(MARK_A)
    )
    world.note = f"{MARK_A} note: take the quarry easy"
    squad.add_note(db, c.id, a.id, world.a.trail_day, world.note)
    for r in (world.a, world.b):  # the calendar's state, as the plans are now
        ics = client.get("/api/v1/exports/plan.ics", headers=r.who.api())
        assert ics.status_code == 200, ics.text
        r.uids = [e.uid for e in CalendarEvents(db.for_user(r.who.id)).all()]
        assert r.uids
    return world


HIKE_FILE = HIKE_GPX
"""A route file B uploads as a trail of their own."""
