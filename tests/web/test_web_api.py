"""The HTTP API through FastAPI's test client: every endpoint, and bad input answered with the
CLI's message as 4xx JSON."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import icalendar
import jsonschema  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from support.webdata import (
    BINARY_GPX,
    HIKE_GPX,
    HILL_FIT,
    ROAD_FIT,
    ROAD_GPX_GZ,
    ROAD_TCX,
    SMALL_LIMIT,
    XML_BOMB,
    corrupt_fit,
    gpx_as_text_file,
    onboarding,
    race_day,
)
from trailmix.web import Settings, api, create_app

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "src/trailmix/schemas/plan.schema.json").read_text()
)


def upload_trail(client: TestClient, path: Path, name: str | None = None) -> dict[str, object]:
    data = {"name": name} if name else {}
    r = client.post("/api/v1/trails", files={"file": (path.name, path.read_bytes())}, data=data)
    assert r.status_code == 201, r.text
    body: dict[str, object] = r.json()
    return body


def error(r: object) -> str:
    from httpx import Response

    assert isinstance(r, Response)
    assert 400 <= r.status_code < 500, r.text
    body = r.json()
    assert set(body) == {"detail", "field"}
    assert "Traceback" not in body["detail"]
    return str(body["detail"])


# --- Plans -------------------------------------------------------------------------------------


@pytest.mark.both_stores
def test_create_plan_follows_the_contract(client: TestClient) -> None:
    r = client.post("/api/v1/plans", json=onboarding())
    assert r.status_code == 201
    doc = r.json()
    jsonschema.validate(doc, SCHEMA)
    assert doc["race"]["date"] == race_day()
    assert client.get("/api/v1/plans/current").json() == doc
    trail = [s for w in doc["weeks"] for s in w["sessions"] if s["surface"] == "trail"]
    assert trail and all(s["pace_s_per_km"] is None for s in trail)  # R5


@pytest.mark.both_stores
def test_no_plan_yet_is_404(client: TestClient) -> None:
    r = client.get("/api/v1/plans/current")
    assert r.status_code == 404
    assert "no plan is stored yet" in error(r)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"race_date": "2027-13-45"}, "race_date", "is not a date"),
        ({"race_date": "2020-01-05"}, None, ""),
        ({"recent_race": "10k=20:00"}, "recent_race", "beyond any human"),
        ({"distance": "ultra"}, "distance", "5k, 10k, half or marathon"),
        ({"days": 9}, None, ""),
        ({"trail_preference": "always"}, "trail_preference", "enjoy"),
        ({"trail_cap": "0.5"}, "trail_cap", "R1 allows up to one third"),
        ({"long_run_day": "someday"}, "long_run_day", "not a weekday"),
        ({"goal_time": "fast"}, "goal_time", ""),
        ({"start": "yesterday"}, "start", "is not a date"),
    ],
)
def test_bad_onboarding_answers(
    client: TestClient, changes: dict[str, object], field: str | None, words: str
) -> None:
    r = client.post("/api/v1/plans", json=onboarding(**changes))
    assert r.status_code == 400, r.text
    assert words in error(r)
    if field:
        assert r.json()["field"] == field
    assert client.get("/api/v1/plans/current").status_code == 404  # nothing stored


def test_race_in_the_past_says_so(client: TestClient) -> None:
    r = client.post("/api/v1/plans", json=onboarding(race_date="2020-01-05"))
    assert "race" in error(r).lower()


@pytest.mark.both_stores
def test_update_and_remake(planned: TestClient) -> None:
    r = planned.post("/api/v1/plans/current/update", json={})
    assert r.status_code == 200
    assert any("Re-planned" in n["text"] for n in r.json()["notes"])
    r = planned.post("/api/v1/plans/current/update", json={"date": "1999-01-01"})
    assert "outside the plan" in error(r)
    r = planned.post("/api/v1/plans/current/update", json={"date": "soon"})
    assert r.json()["field"] == "date"
    assert planned.post("/api/v1/plans/current/remake").status_code == 200


def test_unknown_fields_are_refused(client: TestClient) -> None:
    r = client.post("/api/v1/plans", json={**onboarding(), "wings": True})
    assert r.status_code == 422


# --- Sessions ----------------------------------------------------------------------------------


@pytest.mark.both_stores
def test_sessions_and_explain(planned: TestClient) -> None:
    all_ = planned.get("/api/v1/sessions").json()
    assert all_ and all_[-1]["kind"] == "race"
    first = all_[0]["date"]
    window = planned.get("/api/v1/sessions", params={"from": first, "to": first}).json()
    assert [s["date"] for s in window] == [first]
    day = planned.get(f"/api/v1/sessions/{first}").json()
    assert day["date"] == first and day["sessions"][0]["reasons"]
    rest = (date.fromisoformat(race_day()) + timedelta(days=30)).isoformat()
    assert planned.get(f"/api/v1/sessions/{rest}").json()["sessions"] == []
    assert "is not a date" in error(planned.get("/api/v1/sessions/2027-02-30"))
    r = planned.get("/api/v1/sessions", params={"from": "2027-05-01", "to": "2027-04-01"})
    assert r.status_code == 400


# --- Trails ------------------------------------------------------------------------------------


@pytest.mark.both_stores
def test_trail_upload_list_detail_hike_correct(planned: TestClient) -> None:
    hill = upload_trail(planned, HILL_FIT, "Heidelberg hill")
    assert hill["name"] == "Heidelberg hill" and hill["repeat_hills"] == 1
    hike = upload_trail(planned, HIKE_GPX)
    assert hike["name"] == "gpxpy korita zbevnica hike"
    assert [t["id"] for t in planned.get("/api/v1/trails").json()] == [hill["id"], hike["id"]]
    detail = planned.get(f"/api/v1/trails/{hill['id']}").json()
    assert len(detail["profile"]["distance_m"]) == len(detail["profile"]["elevation_m"]) > 10
    assert detail["hills"][0]["suits_repeats"]
    r = planned.post(f"/api/v1/trails/{hill['id']}/hiked", json={"hiked": True})
    assert r.json()["hiked"] is True
    r = planned.patch(f"/api/v1/trails/{hill['id']}", json={"category": "hilly"})
    assert r.json()["category"] == "hilly" and r.json()["category_source"] == "runner"
    r = planned.patch(f"/api/v1/trails/{hill['id']}", json={"category": "mud"})
    assert "smooth, dirt, hilly or technical" in error(r)
    r = planned.patch(f"/api/v1/trails/{hill['id']}", json={"name": hike["name"]})
    assert "already stored" in error(r)
    # the plan made again uses the library
    plan = planned.post("/api/v1/plans/current/remake").json()
    used = {s["trail"]["id"] for w in plan["weeks"] for s in w["sessions"] if s["trail"]}
    assert hill["id"] in used


def test_a_gpx_named_txt_is_read_by_content(client: TestClient) -> None:
    r = client.post("/api/v1/trails", files={"file": ("route.txt", gpx_as_text_file())})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "route.txt"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("hill.fit", corrupt_fit(), "hill.fit: "),
        ("bomb.gpx", XML_BOMB, "refused: the XML declares entities"),
        ("junk.gpx", BINARY_GPX, "not a GPX, TCX or FIT file"),
        ("empty.gpx", b"", "empty.gpx: the file is empty"),
    ],
)
def test_bad_trail_files(client: TestClient, name: str, data: bytes, words: str) -> None:
    r = client.post("/api/v1/trails", files={"file": (name, data)})
    assert r.status_code == 400
    detail = error(r)
    assert words in detail
    assert "/tmp" not in detail and "trailmix-upload" not in detail
    assert client.get("/api/v1/trails").json() == []


def test_oversized_upload_is_413(client: TestClient) -> None:
    big = b"<gpx>" + b" " * (SMALL_LIMIT + 10)
    r = client.post("/api/v1/trails", files={"file": ("big.gpx", big)})
    assert r.status_code == 413
    assert "over the" in error(r)


def test_oversized_by_declared_length_is_refused_before_reading(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as c:
        r = c.post(
            "/api/v1/activities",
            content=b"x" * 10,
            headers={"content-length": str(50 * 1024 * 1024), "content-type": "text/plain"},
        )
    assert r.status_code == 413


@pytest.mark.both_stores
def test_unknown_trail_id_is_404(client: TestClient) -> None:
    for r in (
        client.get("/api/v1/trails/99"),
        client.post("/api/v1/trails/99/hiked", json={"hiked": True}),
        client.patch("/api/v1/trails/99", json={"category": "dirt"}),
    ):
        assert r.status_code == 404
        assert "no trail" in error(r)


# --- Activities --------------------------------------------------------------------------------


@pytest.mark.both_stores
def test_import_list_rpe_week_stats(planned: TestClient) -> None:
    files = [("files", (p.name, p.read_bytes())) for p in (ROAD_GPX_GZ, ROAD_TCX, ROAD_FIT)] + [
        ("files", ("broken.fit", corrupt_fit()))
    ]
    r = planned.post("/api/v1/activities", files=files)
    assert r.status_code == 200, r.text
    report = r.json()
    assert len(report["imported"]) == 3
    assert report["problems"] and report["problems"][0]["file"].startswith("broken.fit")
    again = planned.post("/api/v1/activities", files=files[:1]).json()
    assert again["imported"] == [] and len(again["duplicates"]) == 1
    runs = planned.get("/api/v1/activities").json()
    assert len(runs) == 3
    assert planned.get("/api/v1/activities", params={"weeks": 1}).json() == []
    assert len(planned.get("/api/v1/activities", params={"since": "2000-01-01"}).json()) == 3
    run = runs[0]["id"]
    r = planned.post(f"/api/v1/activities/{run}/rpe", json={"rpe": 6})
    assert r.json()["rpe"] == 6 and r.json()["load"] > 0
    assert "is not an RPE" in error(planned.post(f"/api/v1/activities/{run}/rpe", json={"rpe": 11}))
    assert planned.post("/api/v1/activities/999/rpe", json={"rpe": 5}).status_code == 404
    week = planned.get("/api/v1/log/week").json()
    assert week["week"] == 1 and week["sessions"]
    outside = planned.get("/api/v1/log/week", params={"date": "2001-01-01"})
    assert "outside the plan" in error(outside)
    stats = planned.get("/api/v1/log/stats", params={"weeks": 4}).json()
    assert len(stats["weeks"]) == 4 and stats["acwr_caveat"]
    assert error(planned.get("/api/v1/log/stats", params={"weeks": 0}))


def test_activity_upload_needs_a_file(client: TestClient) -> None:
    r = client.post("/api/v1/activities", files=[("files", ("", b""))])
    assert r.status_code in (400, 422)


@pytest.mark.both_stores
def test_activity_export_zip(client: TestClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("activities/run1.tcx", ROAD_TCX.read_bytes())
        z.writestr("activities/notes.txt", b"hello")
    r = client.post("/api/v1/activities", files=[("files", ("export.zip", buffer.getvalue()))])
    assert r.status_code == 200, r.text
    assert len(r.json()["imported"]) == 1


# --- Exports -----------------------------------------------------------------------------------


@pytest.mark.both_stores
def test_exports(planned: TestClient) -> None:
    r = planned.get("/api/v1/exports/plan.ics")
    assert r.headers["content-type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(r.content)
    assert len(list(cal.walk("VEVENT"))) > 20
    r = planned.get("/api/v1/exports/plan.ics", params={"time": "07:00", "tz": "Europe/Berlin"})
    assert b"TZID=Europe/Berlin" in r.content
    assert "time zone" in error(planned.get("/api/v1/exports/plan.ics", params={"tz": "Mars/Base"}))
    assert error(planned.get("/api/v1/exports/plan.ics", params={"tz": "Europe/Berlin"}))
    assert error(planned.get("/api/v1/exports/plan.ics", params={"time": "25:99"}))
    z = zipfile.ZipFile(io.BytesIO(planned.get("/api/v1/exports/workouts.zip").content))
    assert z.namelist() and all(n.endswith(".fit") for n in z.namelist())
    assert "<html" in planned.get("/api/v1/exports/plan.html").text
    jsonschema.validate(planned.get("/api/v1/exports/plan.json").json(), SCHEMA)
    assert planned.get("/api/v1/exports/plan.csv").text.startswith("week,phase,date")


def test_exports_without_a_plan_are_404(client: TestClient) -> None:
    for kind in ("plan.ics", "workouts.zip", "plan.html", "plan.json", "plan.csv"):
        assert client.get(f"/api/v1/exports/{kind}").status_code == 404


# --- The app -----------------------------------------------------------------------------------


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    expected = {
        ("post", "/api/v1/plans"),
        ("get", "/api/v1/plans/current"),
        ("post", "/api/v1/plans/current/update"),
        ("get", "/api/v1/plans/current/assessment"),
        ("post", "/api/v1/plans/current/remake"),
        ("get", "/api/v1/sessions"),
        ("get", "/api/v1/sessions/{day}"),
        ("post", "/api/v1/trails"),
        ("get", "/api/v1/trails"),
        ("get", "/api/v1/trails/{trail_id}"),
        ("post", "/api/v1/trails/{trail_id}/hiked"),
        ("patch", "/api/v1/trails/{trail_id}"),
        ("post", "/api/v1/activities"),
        ("get", "/api/v1/activities"),
        ("post", "/api/v1/activities/{run_id}/rpe"),
        ("patch", "/api/v1/activities/{run_id}"),
        ("get", "/api/v1/shoes"),
        ("post", "/api/v1/shoes"),
        ("get", "/api/v1/imports/{job_id}"),
        ("get", "/api/v1/log/week"),
        ("get", "/api/v1/log/stats"),
        ("get", "/api/v1/exports/plan.ics"),
        ("get", "/api/v1/calendar.ics"),
        ("get", "/api/v1/exports/workouts.zip"),
        ("get", "/api/v1/exports/plan.html"),
        ("get", "/api/v1/exports/plan.json"),
        ("get", "/api/v1/exports/plan.csv"),
    }
    listed = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    from trailmix.web import coach  # coach mode's own router (tests/web/test_coach.py)

    coach_routes = {
        (m.lower(), getattr(r, "path", ""))
        for r in coach.api.routes
        for m in getattr(r, "methods", ())
    }
    assert ("get", "/api/v1/coach/squad") in coach_routes
    assert listed == expected | coach_routes
    api_routes = {
        (m.lower(), getattr(r, "path", ""))
        for r in api.router.routes
        for m in getattr(r, "methods", ())
    }
    assert api_routes == expected
    assert "413" in doc["paths"]["/api/v1/trails"]["post"]["responses"]


def test_no_cdn_docs_and_strict_headers(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    r = client.get("/start")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "http" not in r.text.replace('href="/', "").split("<main>")[0].lower()


def test_cross_site_posts_and_foreign_hosts_are_refused(client: TestClient) -> None:
    r = client.post("/api/v1/plans", json=onboarding(), headers={"origin": "http://evil.example"})
    assert r.status_code == 400 and "another site" in r.json()["detail"]
    assert client.get("/start", headers={"host": "evil.example"}).status_code == 400
    # a browser on this site's own page: the page gave it the CSRF token the client sends back
    assert client.get("/start").status_code == 200
    ok = client.post("/api/v1/plans", json=onboarding(), headers={"origin": "http://testserver"})
    assert ok.status_code == 201
