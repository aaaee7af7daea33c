"""Coach mode on the web (web/coach.py): the squad page and API, a runner's page with its
forms, 404 for every coach route with a runner the user does not coach, changes refused naming
the rule, and a coach's note on the runner's own session page. The signed-in user is set by a
test-only override of the route's user dependency (header X-Test-User)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from fastapi import Request

from support.squad import TODAY, Squad, squad_at
from trailmix.app import plans
from trailmix.domain.types import Kind, Surface

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from trailmix.web import Settings

BOTH_STORES = pytest.mark.both_stores  # the squad's numbers, isolation, a recorded change


def _sends_csrf_token(client: TestClient) -> TestClient:
    """The client sends the app's CSRF token as the pages do, once the auth helper's
    web/auth.py checks it (support/webdata.sends_csrf_token); as it is before that."""
    try:
        from support.webdata import sends_csrf_token
    except ImportError:
        return client
    wrapped: TestClient = sends_csrf_token(client)
    return wrapped


def _as_header(request: Request) -> int:
    return int(request.headers.get("x-test-user", "1"))


@pytest.fixture
def web(settings: Settings) -> Iterator[tuple[TestClient, Squad]]:
    from fastapi.testclient import TestClient

    from trailmix.web import create_app
    from trailmix.web.coach import current_user
    from trailmix.web.deps import get_today

    sq = squad_at(settings.db_url)
    app = create_app(settings)
    app.dependency_overrides[current_user] = _as_header
    app.dependency_overrides[get_today] = lambda: TODAY
    with TestClient(app) as c:
        yield _sends_csrf_token(c), sq


def _as(user: int) -> dict[str, str]:
    return {"x-test-user": str(user)}


def test_the_squad_page_and_api(web: tuple[TestClient, Squad]) -> None:
    c, sq = web
    r = c.get("/api/v1/coach/squad", headers=_as(sq.coach))
    assert r.status_code == 200, r.text
    rows = {row["runner"]["login"]: row for row in r.json()}
    assert sorted(rows) == ["ben", "local"]
    assert rows["ben"]["missed_trail_weeks"] == [2]
    assert rows["ben"]["week"]["done_min"] == 35.0
    assert rows["local"]["week"]["trail_min"] == 50.0
    assert set(rows["ben"]["load"]) == {
        "week_load",
        "monotony",
        "monotony_high",
        "acwr",
        "acwr_flag",
    }
    page = c.get("/coach", headers=_as(sq.coach))
    assert page.status_code == 200
    assert "Ben" in page.text and f"/coach/runners/{sq.ben}" in page.text
    assert "missed trail run (R2)" in page.text
    assert 'name="viewport"' in page.text and 'table class="cards squad"' in page.text
    runner = c.get(f"/coach/runners/{sq.ben}", headers=_as(sq.coach))
    assert runner.status_code == 200 and "Latest runs" in runner.text
    latest = runner.text.split("Latest runs", 1)[1].split("</ul>", 1)[0]
    assert latest.count("<li>") == 9 and "35 min · road · RPE 4" in latest  # Ben's 9 runs
    assert "Change the plan" in runner.text
    # Otto coaches nobody: an empty squad, no one else's data.
    assert c.get("/api/v1/coach/squad", headers=_as(sq.other_coach)).json() == []
    assert "Ben" not in c.get("/coach", headers=_as(sq.other_coach)).text


@BOTH_STORES
def test_every_runner_route_is_404_without_an_active_link(web: tuple[TestClient, Squad]) -> None:
    c, sq = web
    day = plans.current(sq.db.for_user(sq.stranger)).sessions[-3].date.isoformat()
    later = (TODAY + timedelta(days=200)).isoformat()
    for who, runner in ((sq.coach, sq.stranger), (sq.other_coach, sq.ben), (sq.coach, 999)):
        base = f"/coach/runners/{runner}"
        api = f"/api/v1/coach/runners/{runner}"
        calls = [
            ("get", base, None, None),
            ("post", f"{base}/move", {"day": day, "to": later, "why": "x"}, None),
            (
                "post",
                f"{base}/replace",
                {"day": day, "kind": "rest", "surface": "road", "why": "x"},
                None,
            ),
            ("post", f"{base}/profile", {"cap": "0.2", "why": "x"}, None),
            ("post", f"{base}/notes", {"day": day, "text": "hi"}, None),
            ("get", f"{api}/plan", None, None),
            ("get", f"{api}/changes", None, None),
            ("get", f"{api}/notes", None, None),
            ("post", f"{api}/notes", None, {"date": day, "text": "hi"}),
            ("post", f"{api}/move", None, {"date": day, "to": later, "why": "x"}),
            ("post", f"{api}/replace", None, {"date": day, "kind": "rest", "why": "x"}),
            ("post", f"{api}/profile", None, {"trail_cap": "0.2", "why": "x"}),
        ]
        for method, url, form, body in calls:
            r = c.request(method, url, data=form, json=body, headers=_as(who))
            assert r.status_code == 404, (method, url, r.status_code, r.text[:200])
            assert "Sam" not in r.text and "Ben" not in r.text
    assert c.get(f"/api/v1/coach/runners/{sq.ben}/plan", headers=_as(sq.coach)).status_code == 200


def test_a_move_breaking_r2_is_refused_and_a_good_one_is_recorded(
    web: tuple[TestClient, Squad],
) -> None:
    c, sq = web
    plan = plans.current(sq.db.for_user(sq.ann))
    i, s = next(
        (i, s)
        for i, w in enumerate(plan.weeks[4:-3], start=4)
        for s in w.sessions
        if s.surface is Surface.TRAIL
        and s.kind in (Kind.EASY, Kind.RECOVERY)
        and sum(
            x.surface is Surface.TRAIL and x.kind in (Kind.EASY, Kind.RECOVERY) for x in w.sessions
        )
        == 1
    )
    nxt = plan.weeks[i + 1]
    free = next(
        nxt.start + timedelta(d) for d in range(7) if not plan.sessions_on(nxt.start + timedelta(d))
    )
    api = f"/api/v1/coach/runners/{sq.ann}"
    body = {"date": s.date.isoformat(), "to": free.isoformat(), "why": "away"}
    r = c.post(f"{api}/move", json=body, headers=_as(sq.coach))
    assert r.status_code == 400 and "R2" in r.json()["detail"]
    long = next(x for x in plan.sessions if x.kind is Kind.LONG and x.date > TODAY)
    page = c.post(
        f"/coach/runners/{sq.ann}/replace",
        data={"day": long.date.isoformat(), "kind": "long", "surface": "trail", "why": "hills"},
        headers=_as(sq.coach),
    )
    assert page.status_code == 400 and "R3" in page.text
    assert c.get(f"{api}/changes", headers=_as(sq.coach)).json() == []
    # A road easy run moved inside its week: accepted, recorded with who and why.
    w = plan.weeks[5]
    easy = next(
        x for x in w.sessions if x.surface is Surface.ROAD and x.kind in (Kind.EASY, Kind.RECOVERY)
    )
    to = next(
        w.start + timedelta(d) for d in range(7) if not plan.sessions_on(w.start + timedelta(d))
    )
    r = c.post(
        f"/coach/runners/{sq.ann}/move",
        data={"day": easy.date.isoformat(), "to": to.isoformat(), "why": "club run"},
        headers=_as(sq.coach),
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    changes = c.get(f"{api}/changes", headers=_as(sq.coach)).json()
    assert [(x["author"]["login"], x["why"]) for x in changes] == [("carla", "club run")]
    moved = c.get(f"/api/v1/sessions/{to.isoformat()}").json()["sessions"][0]  # Ann's own API
    assert {"rule": "coach", "text": "Changed by coach Carla: club run"} in moved["reasons"]
    page = c.get(f"/coach/runners/{sq.ann}", headers=_as(sq.coach))
    assert "Changed by coach Carla: club run" in page.text and "club run" in page.text


@BOTH_STORES
def test_a_note_appears_on_the_runners_session_page(web: tuple[TestClient, Squad]) -> None:
    c, sq = web
    plan = plans.current(sq.db.for_user(sq.ann))
    day = next(s.date for s in plan.sessions if s.date > TODAY).isoformat()
    r = c.post(
        f"/api/v1/coach/runners/{sq.ann}/notes",
        json={"date": day, "text": "Easy <b>really</b> easy"},
        headers=_as(sq.coach),
    )
    assert r.status_code == 201, r.text
    assert r.json()["author"]["name"] == "Carla" and r.json()["date"] == day
    mine = c.get("/api/v1/coach/me/notes", headers=_as(sq.ann)).json()
    assert [n["text"] for n in mine] == ["Easy <b>really</b> easy"]
    assert c.get("/api/v1/coach/me/notes", headers=_as(sq.ben)).json() == []
    page = c.get(f"/sessions/{day}")  # Ann, the local runner, on her own page
    assert "Note from Carla" in page.text
    assert "Easy &lt;b&gt;really&lt;/b&gt; easy" in page.text  # escaped
    other = next(s.date for s in plan.sessions if s.date.isoformat() > day).isoformat()
    assert "Note from" not in c.get(f"/sessions/{other}").text


def test_invitations_over_the_api(web: tuple[TestClient, Squad]) -> None:
    c, sq = web
    r = c.post("/api/v1/coach/invitations", json={"login": "sam"}, headers=_as(sq.other_coach))
    assert r.status_code == 201 and r.json()["status"] == "invited"
    waiting = c.get("/api/v1/coach/invitations", headers=_as(sq.stranger)).json()["waiting"]
    assert [w["coach"]["login"] for w in waiting] == ["otto"]
    r = c.post("/api/v1/coach/invitations/answer", json={"accept": True}, headers=_as(sq.stranger))
    assert r.status_code == 200 and r.json()["status"] == "active"
    rows = c.get("/api/v1/coach/squad", headers=_as(sq.other_coach)).json()
    assert [row["runner"]["login"] for row in rows] == ["sam"]
    r = c.post("/api/v1/coach/invitations", json={"login": "nobody"}, headers=_as(sq.coach))
    assert r.status_code == 404


def test_the_profile_form_remakes_the_plan(web: tuple[TestClient, Squad]) -> None:
    c, sq = web
    url = f"/coach/runners/{sq.ben}/profile"
    form = {"cap": "0.25", "days": "5", "why": "more trail time"}
    r = c.post(url, data=form, headers=_as(sq.coach), follow_redirects=False)
    assert r.status_code == 303, r.text
    change = c.get(f"/api/v1/coach/runners/{sq.ben}/changes", headers=_as(sq.coach)).json()[0]
    assert "trail cap 20% -> 25%" in change["what"] and change["why"] == "more trail time"
    plan = c.get(f"/api/v1/coach/runners/{sq.ben}/plan", headers=_as(sq.coach)).json()
    assert plan["athlete"]["days_per_week"] == 5
    bad = c.post(url, data={**form, "trails": "hill"}, headers=_as(sq.coach))
    assert bad.status_code == 400 and "trail ids" in bad.text
    low = c.post(url, data={"cap": "0.1", "why": "knee"}, headers=_as(sq.coach))
    assert low.status_code == 400 and "R2" in low.text


def test_a_shared_trail_on_the_runners_session_page(web: tuple[TestClient, Squad]) -> None:
    c, sq = web
    from trailmix.app import squad
    from trailmix.app.inputs import ProfileFlags
    from trailmix.storage.records import TrailAnalysisRecord
    from trailmix.storage.repo import Trails

    def dirt_loop(user: int, name: str) -> int:
        return (
            Trails(sq.db.for_user(user))
            .add(
                name=name,
                category="dirt",
                length_km=6.0,
                gain_m=20.0,
                loss_m=20.0,
                declared_surface=None,
                declared_technical=None,
                analysis=TrailAnalysisRecord.from_json({}),
                file_name=None,
                file_bytes=None,
            )
            .id
        )

    own, club = dirt_loop(sq.ann, "Riverside"), dirt_loop(sq.coach, "Club dirt loop")
    r = c.put(f"/api/v1/coach/trails/{club}", headers=_as(sq.coach))
    assert r.status_code == 200 and r.json() == [club]
    assert c.put(f"/api/v1/coach/trails/{own}", headers=_as(sq.coach)).status_code == 404
    plan = squad.change_profile(sq.db, sq.coach, sq.ann, ProfileFlags(), "club loop", TODAY, [club])
    day = next(s.date for s in plan.sessions if s.trail and s.trail.id == club)
    page = c.get(f"/sessions/{day.isoformat()}")
    assert "Club dirt loop (shared by your coach)" in page.text
    assert f'href="/trails/{club}"' not in page.text
