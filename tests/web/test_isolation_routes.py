"""Isolation, route by route (issue 19, "Isolation and load, measured"): on a multi-user server
runner B asks every route of the app (found in `app.routes`, so a new route cannot be
forgotten) with runner A's ids and dates, by API token and by signed-in browser (session
cookie and form token), and gets 404 or the route's own refusal, never A's data; B's lists and
exports hold none of A's rows; B's writes with A's ids change nothing of A's. A coach reads
their active squad's plans only. Runs on SQLite and PostgreSQL; the data (support/isolation.py)
is made once per module and store."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from support.isolation import A_RACE, HIKE_FILE, MARK_A, TODAY, World, build_world
from support.webdata import ROAD_FIT, settings_for
from trailmix.app import accounts
from trailmix.storage.repo import CalendarEvents
from trailmix.web import create_app

pytestmark = pytest.mark.both_stores

STORES = ("sqlite", "postgresql")

NO_USER_DATA = {
    # Routes that read and write no runner's data, so there is nothing of A's to ask for:
    ("GET", "/api/v1/openapi.json"),  # the API's description
    ("*", "/static"),  # the style sheet, scripts and icons
    ("GET", "/favicon.ico"),
    ("GET", "/login"),  # the sign-in form
    ("POST", "/login"),  # signing in: a login and a password, no ids
    ("POST", "/logout"),  # ends the caller's own session (tested in test_auth.py)
}


# --- the data, once per module and store -------------------------------------------------------


@pytest.fixture(scope="module", params=STORES)
def store_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    template_db: Path,
    worker_id: str,
) -> Iterator[str]:
    """A database of this module's own on each store (the per-test databases of conftest are
    emptied before every test, and another module's test may run between two of these)."""
    chosen = request.config.getoption("--store")
    if chosen not in ("both", request.param):
        pytest.skip(f"--store {chosen}")
    if request.param == "sqlite":
        from conftest import copy_of

        yield copy_of(template_db, tmp_path_factory.mktemp("iso") / "iso.db")
        return
    from support.pgstore import WorkerDatabase

    server = request.getfixturevalue("pg_server")
    db = WorkerDatabase(server, f"iso{worker_id}")
    db.create()
    try:
        yield db.url
    finally:
        db.drop()


@dataclass
class Site:
    client: TestClient
    world: World
    before: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def site(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = settings_for(tmp_path_factory.mktemp("iso-app"), db_url=store_url, multi_user=True)
    with TestClient(create_app(settings)) as client:
        world = build_world(store_url, lambda _db: client)
        s = Site(client, world)
        s.before = a_snapshot(s)
        yield s
    world.db.dispose()


def a_snapshot(s: Site) -> dict[str, Any]:
    """Everything of A's, as A reads it over the API."""
    a, c = s.world.a, s.client
    out: dict[str, Any] = {}
    for url in (
        "/api/v1/plans/current",
        "/api/v1/trails",
        *(f"/api/v1/trails/{t}" for t in a.trails.values()),
        "/api/v1/activities?limit=0",
        "/api/v1/shoes?retired=true",
        f"/api/v1/imports/{a.job}",
        "/api/v1/coach/me/notes",
        "/api/v1/coach/me/changes",
        "/api/v1/coach/invitations",
    ):
        r = c.get(url, headers=a.who.api())
        assert r.status_code == 200, (url, r.text)
        out[url] = r.json()
    shared = c.get("/api/v1/coach/trails", headers=s.world.coach.api())
    out["club"] = shared.json()
    view = s.world.db.for_user(a.who.id)
    out["calendar"] = CalendarEvents(view).all()
    out["tokens"] = accounts.tokens_of(view, a.who.id)
    return out


# --- the calls -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    face: str = "api"  # "api": B's API token; "page": B's browser (cookie and form token)
    expect: tuple[int, ...] = (404,)
    json: Any = None
    data: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes]] | None = None


def calls(w: World) -> dict[tuple[str, str], list[Call]]:
    """Every route (method, path template) and how B asks it with A's ids and dates."""
    a, b = w.a, w.b
    run, trail, tech, shoe = a.runs[0], a.trails["hilly"], a.trails["technical"], a.shoe
    day = a.trail_day.isoformat() if a.trail_day else ""
    race = A_RACE.isoformat()
    own = (200,)
    api = "/api/v1"
    coach = f"{api}/coach/runners/{a.who.id}"
    page = f"/coach/runners/{a.who.id}"
    why = {"why": "because"}
    hike = {"file": ("hill.gpx", HIKE_FILE.read_bytes())}

    def page_call(method: str, url: str, expect: tuple[int, ...] = (404,), **kw: Any) -> Call:
        return Call(method, url, "page", expect, **kw)

    return {
        # plans and sessions: B's own plan, whatever A's dates are asked
        ("POST", f"{api}/plans"): [Call("POST", f"{api}/plans", expect=(400, 422), json={})],
        ("GET", f"{api}/plans/current"): [Call("GET", f"{api}/plans/current", expect=own)],
        ("POST", f"{api}/plans/current/update"): [
            Call("POST", f"{api}/plans/current/update", expect=(200, 400), json={"date": race})
        ],
        ("GET", f"{api}/plans/current/assessment"): [
            Call("GET", f"{api}/plans/current/assessment?date={race}", expect=(200, 400))
        ],
        ("POST", f"{api}/plans/current/remake"): [
            Call("POST", f"{api}/plans/current/remake", expect=own)
        ],
        ("GET", f"{api}/sessions"): [
            Call("GET", f"{api}/sessions?from={TODAY.isoformat()}&to={race}", expect=own)
        ],
        ("GET", f"{api}/sessions/{{day}}"): [
            Call("GET", f"{api}/sessions/{day}", expect=(200, 404)),
            Call("GET", f"{api}/sessions/{race}", expect=(200, 404)),
        ],
        # trails
        ("POST", f"{api}/trails"): [
            Call("POST", f"{api}/trails", expect=(201,), files=hike, data={"name": "Ben's hill"})
        ],
        ("GET", f"{api}/trails"): [Call("GET", f"{api}/trails", expect=own)],
        ("GET", f"{api}/trails/{{trail_id}}"): [
            Call("GET", f"{api}/trails/{trail}"),
            Call("GET", f"{api}/trails/{w.club_trail}"),  # shared by C with A's squad only
        ],
        ("POST", f"{api}/trails/{{trail_id}}/hiked"): [
            Call("POST", f"{api}/trails/{tech}/hiked", json={"hiked": True})
        ],
        ("PATCH", f"{api}/trails/{{trail_id}}"): [
            Call("PATCH", f"{api}/trails/{trail}", json={"name": "taken", "category": "dirt"})
        ],
        # runs, imports, shoes, the log
        ("POST", f"{api}/activities"): [
            Call(
                "POST",
                f"{api}/activities",
                expect=own,
                files={"files": ("ben.fit", ROAD_FIT.read_bytes())},
            )
        ],
        ("GET", f"{api}/imports/{{job_id}}"): [Call("GET", f"{api}/imports/{a.job}")],
        ("GET", f"{api}/activities"): [
            Call("GET", f"{api}/activities?limit=0", expect=own),
            Call("GET", f"{api}/activities?before={a.runs[-1] + 1}", expect=own),
            Call("GET", f"{api}/activities?before={a.runs[0]}"),  # not in B's log: 404
            Call("GET", f"{api}/activities?since={a.trail_day}", expect=own),
        ],
        ("POST", f"{api}/activities/{{run_id}}/rpe"): [
            Call("POST", f"{api}/activities/{run}/rpe", json={"rpe": 9})
        ],
        ("PATCH", f"{api}/activities/{{run_id}}"): [
            Call("PATCH", f"{api}/activities/{run}", json={"surface": "trail"}),
            Call("PATCH", f"{api}/activities/{run}", json={"shoe_id": None}),
            # B's own run in A's pair
            Call("PATCH", f"{api}/activities/{b.runs[0]}", json={"shoe_id": shoe}),
        ],
        ("GET", f"{api}/shoes"): [Call("GET", f"{api}/shoes?retired=true", expect=own)],
        ("POST", f"{api}/shoes"): [
            Call("POST", f"{api}/shoes", expect=(201,), json={"name": "Ben's second pair"})
        ],
        ("GET", f"{api}/log/week"): [
            Call("GET", f"{api}/log/week?date={day}", expect=(200, 400))  # 400: not in B's plan
        ],
        ("GET", f"{api}/log/stats"): [
            Call("GET", f"{api}/log/stats?weeks=8&date={day}", expect=own)
        ],
        # exports: B's plan only
        **{
            ("GET", f"{api}{path}"): [Call("GET", f"{api}{path}", expect=own)]
            for path in (
                "/exports/plan.ics",
                "/calendar.ics",
                "/exports/workouts.zip",
                "/exports/plan.html",
                "/exports/plan.json",
                "/exports/plan.csv",
            )
        },
        # coach routes, B being a runner and not A's coach
        ("GET", f"{api}/coach/squad"): [Call("GET", f"{api}/coach/squad", expect=own)],
        ("GET", f"{api}/coach/invitations"): [Call("GET", f"{api}/coach/invitations", expect=own)],
        ("POST", f"{api}/coach/invitations"): [
            Call("POST", f"{api}/coach/invitations", expect=(400,), json={"login": a.who.login})
        ],
        ("POST", f"{api}/coach/invitations/answer"): [
            Call("POST", f"{api}/coach/invitations/answer", json={"login": a.who.login})
        ],
        ("GET", f"{api}/coach/runners/{{runner_id}}/plan"): [Call("GET", f"{coach}/plan")],
        ("GET", f"{api}/coach/runners/{{runner_id}}/changes"): [Call("GET", f"{coach}/changes")],
        ("GET", f"{api}/coach/runners/{{runner_id}}/notes"): [Call("GET", f"{coach}/notes")],
        ("POST", f"{api}/coach/runners/{{runner_id}}/notes"): [
            Call("POST", f"{coach}/notes", json={"date": day, "text": "hello"})
        ],
        ("POST", f"{api}/coach/runners/{{runner_id}}/move"): [
            Call("POST", f"{coach}/move", json={"date": day, "to": race, **why})
        ],
        ("POST", f"{api}/coach/runners/{{runner_id}}/replace"): [
            Call("POST", f"{coach}/replace", json={"date": day, "kind": "rest", **why})
        ],
        ("POST", f"{api}/coach/runners/{{runner_id}}/profile"): [
            Call("POST", f"{coach}/profile", json={"trail_cap": "0.1", **why})
        ],
        ("GET", f"{api}/coach/me/changes"): [Call("GET", f"{api}/coach/me/changes", expect=own)],
        ("GET", f"{api}/coach/me/notes"): [Call("GET", f"{api}/coach/me/notes", expect=own)],
        ("GET", f"{api}/coach/trails"): [Call("GET", f"{api}/coach/trails", expect=own)],
        ("PUT", f"{api}/coach/trails/{{trail_id}}"): [
            Call("PUT", f"{api}/coach/trails/{trail}"),
            Call("PUT", f"{api}/coach/trails/{w.club_trail}"),
        ],
        ("DELETE", f"{api}/coach/trails/{{trail_id}}"): [
            # not sharing a trail B never shared: nothing to do, B's (empty) list; 404 is fine
            Call("DELETE", f"{api}/coach/trails/{trail}", expect=(200, 404)),
            Call("DELETE", f"{api}/coach/trails/{w.club_trail}", expect=(200, 404)),
        ],
        # pages, as B's browser
        ("GET", "/"): [page_call("GET", "/", (303,))],
        ("GET", "/start"): [page_call("GET", "/start", (200,))],
        ("POST", "/start"): [page_call("POST", "/start", (400,), data={"race_date": race})],
        ("GET", "/plan"): [page_call("GET", "/plan", (200,))],
        ("POST", "/plan/remake"): [page_call("POST", "/plan/remake", (303,))],
        ("POST", "/plan/update"): [
            page_call("POST", "/plan/update", (303, 400), data={"date": race})
        ],
        ("GET", "/sessions/{day}"): [
            page_call("GET", f"/sessions/{day}", (200, 404)),
            page_call("GET", f"/sessions/{race}", (200, 404)),
        ],
        ("GET", "/trails"): [page_call("GET", "/trails", (200,))],
        ("POST", "/trails"): [
            page_call("POST", "/trails", (303,), files=hike, data={"name": "B hill 2"})
        ],
        ("GET", "/trails/{trail_id}"): [
            page_call("GET", f"/trails/{trail}"),
            page_call("GET", f"/trails/{w.club_trail}"),
        ],
        ("POST", "/trails/{trail_id}/hiked"): [
            page_call("POST", f"/trails/{tech}/hiked", data={"hiked": "yes"})
        ],
        ("POST", "/trails/{trail_id}/correct"): [
            page_call(
                "POST", f"/trails/{trail}/correct", data={"name": "taken", "category": "dirt"}
            )
        ],
        ("GET", "/log"): [
            page_call("GET", f"/log?report={a.job}", (200,)),
            page_call("GET", f"/log?before={a.runs[-1] + 1}&date={day}", (200,)),
            page_call("GET", f"/log?before={a.runs[0]}", (200, 404)),  # A's run: no cursor
        ],
        ("POST", "/log/upload"): [
            page_call(
                "POST", "/log/upload", (303,), files={"files": ("b.fit", ROAD_FIT.read_bytes())}
            )
        ],
        ("POST", "/log/replan"): [page_call("POST", "/log/replan", (303, 400))],
        ("POST", "/log/rpe/{run_id}"): [page_call("POST", f"/log/rpe/{run}", data={"rpe": "9"})],
        ("POST", "/log/runs/{run_id}"): [
            page_call("POST", f"/log/runs/{run}", data={"surface": "trail"}),
            page_call("POST", f"/log/runs/{run}", data={"shoe": "none"}),
            page_call("POST", f"/log/runs/{b.runs[0]}", data={"shoe": str(shoe)}),
        ],
        ("POST", "/log/shoes"): [
            page_call("POST", "/log/shoes", (303,), data={"name": "Ben third"})
        ],
        ("POST", "/log/shoes/{shoe_id}/retire"): [
            page_call("POST", f"/log/shoes/{shoe}/retire", data={"retired": "yes"})
        ],
        ("GET", "/coach"): [page_call("GET", "/coach", (200,))],
        ("POST", "/coach/invite"): [
            page_call("POST", "/coach/invite", (400,), data={"login": "local"})
        ],
        ("POST", "/coach/answer"): [page_call("POST", "/coach/answer", data={"login": "local"})],
        ("POST", "/coach/trails"): [
            page_call("POST", "/coach/trails", data={"trail_id": str(trail)}),
            page_call(
                "POST",
                "/coach/trails",
                (303, 404),
                data={"trail_id": str(w.club_trail), "share": "no"},
            ),
        ],
        ("GET", "/coach/runners/{runner_id}"): [page_call("GET", page)],
        ("POST", "/coach/runners/{runner_id}/profile"): [
            page_call("POST", f"{page}/profile", data={"cap": "0.1", **why})
        ],
        ("POST", "/coach/runners/{runner_id}/move"): [
            page_call("POST", f"{page}/move", data={"day": day, "to": race, **why})
        ],
        ("POST", "/coach/runners/{runner_id}/replace"): [
            page_call(
                "POST",
                f"{page}/replace",
                data={"day": day, "kind": "rest", "surface": "road", **why},
            )
        ],
        ("POST", "/coach/runners/{runner_id}/notes"): [
            page_call("POST", f"{page}/notes", data={"day": day, "text": "hello"})
        ],
        # the account: B's own tokens only
        ("GET", "/account"): [page_call("GET", "/account", (200,))],
        ("POST", "/account/tokens"): [
            page_call("POST", "/account/tokens", (201,), data={"name": "x"})
        ],
        ("POST", "/account/tokens/{token_id}/revoke"): [
            page_call("POST", f"/account/tokens/{a.who.token_id}/revoke")
        ],
        ("POST", "/account/password"): [
            page_call("POST", "/account/password", (400,), data={"current": "wrong password x"})
        ],
    }


def app_routes(client: TestClient) -> set[tuple[str, str]]:
    """Every (method, path template) the app answers, from `app.routes` (a mount: "*"; HEAD
    is GET's, web/app.py HeadAsGet). FastAPI keeps an included router as one entry there:
    `iter_route_contexts` (what FastAPI's own OpenAPI document is made from) unfolds them."""
    found: set[tuple[str, str]] = set()
    for route in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        assert route.path is not None
        methods = sorted((route.methods or {"*"}) - {"HEAD"})
        found.update((m, route.path) for m in methods)
    return found


def body_text(r: Any) -> str:
    """An answer's text, a zip's files unpacked."""
    if r.headers.get("content-type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return "\n".join(z.read(n).decode("latin-1") for n in z.namelist())
    return str(r.content.decode("utf-8", "replace"))


def ask_headers(s: Site, call: Call) -> dict[str, str]:
    who = s.world.b.who
    return who.api() if call.face == "api" else who.page()


def ask(s: Site, call: Call, headers: dict[str, str] | None = None) -> Any:
    """B asks (or whoever `headers` say: {} for nobody)."""
    return s.client.request(
        call.method,
        call.url,
        headers=ask_headers(s, call) if headers is None else headers,
        json=call.json,
        data=call.data,
        files=call.files,
        follow_redirects=False,
    )


# --- the tests -------------------------------------------------------------------------------


def test_every_route_is_asked_or_listed_as_holding_no_user_data(site: Site) -> None:
    routes = app_routes(site.client)
    asked = set(calls(site.world))
    assert routes - asked - NO_USER_DATA == set(), "a route nobody asks with A's ids"
    assert asked - routes == set(), "asked, but the app has no such route"
    assert routes >= NO_USER_DATA


def test_a_markers_are_in_as_own_answers(site: Site) -> None:
    """The check below means something: each of A's marks is in what A reads."""
    shown = repr(site.before)
    a = site.world.a
    for mark in (MARK_A, a.job, A_RACE.isoformat()):
        assert mark in shown
    ics = site.client.get("/api/v1/exports/plan.ics", headers=a.who.api()).text
    assert all(uid in ics for uid in a.uids)
    assert site.world.note in shown
    assert site.before["/api/v1/coach/me/changes"][0]["why"].startswith(MARK_A)


def test_b_gets_404_or_their_own_data_from_every_route_and_changes_nothing_of_as(
    site: Site,
) -> None:
    markers = site.world.a_markers()
    problems: list[str] = []
    for _route, asked in sorted(calls(site.world).items()):
        for call in asked:
            r = ask(site, call)
            text = body_text(r)
            if r.status_code not in call.expect:
                problems.append(
                    f"{call.face} {call.method} {call.url}: {r.status_code} not in "
                    f"{call.expect}: {text[:200]}"
                )
            seen = [m for m in markers if m in text and m not in str(call)]  # not echoed
            if seen:
                problems.append(f"{call.face} {call.method} {call.url} shows A's {seen}")
            if call.method == "GET" and call.expect == (404,):  # HEAD is answered as GET
                head = site.client.head(call.url, headers=ask_headers(site, call))
                if head.status_code != 404 or head.content:
                    problems.append(f"HEAD {call.url}: {head.status_code}")
            if r.status_code in (301, 302, 303, 307) and call.method == "GET":
                follow = site.client.get(r.headers["location"], headers=site.world.b.who.page())
                seen = [m for m in markers if m in follow.text]
                if seen:
                    problems.append(f"{call.url} -> {r.headers['location']} shows A's {seen}")
    assert problems == [], "\n".join(problems)
    assert a_snapshot(site) == site.before, "a write of B's changed A's data"
    still = site.client.get("/api/v1/trails", headers=site.world.a.who.api())
    assert still.status_code == 200, "B revoked A's token"


def test_nobody_signed_in_gets_nothing_from_any_route(site: Site) -> None:
    """Without a session or with a made-up token: 401 for the API, the sign-in page for
    pages (303), whatever the route; nothing stored changes."""
    markers = site.world.a_markers()
    problems = []
    nobody = ({}, {"Authorization": "Bearer tmx_made_up"})
    for i, call in enumerate(c for asked in calls(site.world).values() for c in asked):
        for headers in nobody[i % 2 :: 2] if call.face == "page" else nobody:
            r = ask(site, call, headers)
            api = call.url.startswith("/api/") or "Authorization" in headers
            if r.status_code != (401 if api else 303) or any(m in r.text for m in markers):
                problems.append(f"{call.method} {call.url} {headers}: {r.status_code}")
            elif not api:
                assert r.headers["location"].startswith("/login")
    assert problems == [], "\n".join(problems)
    assert a_snapshot(site) == site.before


def test_bs_uploads_are_bs_even_of_the_same_file(site: Site) -> None:
    """B's copy of A's file was imported for B (support/isolation.py), not a duplicate."""
    b = site.world.b
    runs = site.client.get("/api/v1/activities?limit=0", headers=b.who.api()).json()
    assert set(b.runs) <= {r["id"] for r in runs}
    assert not set(site.world.a.runs) & {r["id"] for r in runs}
    a_trails = set(site.world.a.trails.values())
    assert site.world.a.matched == site.world.a.trails["route"]  # the same file, A's trail
    assert not a_trails & {r["trail_id"] for r in runs}
    assert b.matched is None


def _coach_get(s: Site, who: Any, url: str) -> Any:
    return s.client.get(url, headers=who.api())


def test_a_coach_reads_their_active_squad_only(site: Site) -> None:
    w, c = site.world, site.client
    a, b = w.a, w.b
    api = "/api/v1/coach/runners"
    plan = _coach_get(site, w.coach, f"{api}/{a.who.id}/plan")
    assert plan.status_code == 200 and A_RACE.isoformat() in plan.text
    notes = _coach_get(site, w.coach, f"{api}/{a.who.id}/notes").json()
    assert [n["text"] for n in notes] == [w.note]
    page = c.get(f"/coach/runners/{a.who.id}", headers=w.coach.page())
    assert page.status_code == 200 and MARK_A in page.text
    b_marks = ["Bernina", b.job]
    # C only invited B (no answer): every runner route is 404, the squad is A alone
    for url in (f"{api}/{b.who.id}/plan", f"{api}/{b.who.id}/changes", f"{api}/{b.who.id}/notes"):
        r = _coach_get(site, w.coach, url)
        assert r.status_code == 404 and not any(m in r.text for m in b_marks), url
    r = c.get(f"/coach/runners/{b.who.id}", headers=w.coach.page())
    assert r.status_code == 404 and "Bernina" not in r.text
    r = c.post(
        f"{api}/{b.who.id}/notes",
        json={"date": TODAY.isoformat(), "text": "x"},
        headers=w.coach.api(),
    )
    assert r.status_code == 404
    squad = _coach_get(site, w.coach, "/api/v1/coach/squad").json()
    assert [row["runner"]["login"] for row in squad] == [a.who.login]
    assert "Bernina" not in c.get("/coach", headers=w.coach.page()).text
    # A's plan may not be made on B's trails, by id
    r = c.post(
        f"{api}/{a.who.id}/profile",
        json={"trail_ids": [b.trails["hilly"]], "why": "B's hill"},
        headers=w.coach.api(),
    )
    assert r.status_code == 404 and "Bernina" not in r.text
    # C reads A through the coach routes only, not as A (C's own club loop may be named)
    r = c.get(f"/api/v1/trails/{a.trails['hilly']}", headers=w.coach.api())
    assert r.status_code == 404 and f"{MARK_A} quarry" not in r.text, r.text
    r = c.get("/api/v1/plans/current", headers=w.coach.api())
    assert r.status_code == 404 and MARK_A not in r.text
    # D coaches B: B's plan may not be made on A's trails nor on C's club loop
    for trail in (a.trails["hilly"], w.club_trail):
        r = c.post(
            f"{api}/{b.who.id}/profile",
            json={"trail_ids": [trail], "why": "that hill"},
            headers=w.b_coach.api(),
        )
        assert r.status_code == 404 and MARK_A not in r.text, r.text
    # a runner is not their coach's coach
    r = _coach_get(site, a.who, f"{api}/{w.coach.id}/plan")
    assert r.status_code == 404
    # D coaches B: A is nobody to D
    for url in (f"{api}/{a.who.id}/plan", f"{api}/{a.who.id}/notes"):
        r = _coach_get(site, w.b_coach, url)
        assert r.status_code == 404 and MARK_A not in r.text
    assert MARK_A not in c.get("/coach", headers=w.b_coach.page()).text
    assert a_snapshot(site)["/api/v1/plans/current"] == site.before["/api/v1/plans/current"]
