"""The server-rendered pages through the test client: forms, redirects, escaping, and bad
input shown as a readable page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from support.webdata import HILL_FIT, ROAD_TCX, XML_BOMB, race_day

FORM = {
    "distance": "10k",
    "race_date": race_day(14),
    "recent_distance": "5k",
    "recent_time": "24:00",
    "weekly": "30",
    "weekly_unit": "km",
    "days": "4",
    "long_run_day": "sat",
    "trail_preference": "enjoy",
    "trail_shoe": "yes",
}


def test_home_sends_to_onboarding_then_to_the_plan(client: TestClient) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/start"
    assert client.get("/plan", follow_redirects=False).headers["location"] == "/start"
    r = client.post("/start", data=FORM)
    assert r.status_code == 200 and r.url.path == "/plan"
    assert "10K on" in r.text and "one-third line" in r.text
    assert client.get("/", follow_redirects=False).headers["location"] == "/plan"
    # the form comes back prefilled from the stored profile
    again = client.get("/start").text
    assert 'value="24:00"' in again and '<option value="sat" selected>' in again


def test_onboarding_errors_are_readable_pages(client: TestClient) -> None:
    for changes, words in (
        ({"race_date": "2020-02-02"}, "race"),
        ({"recent_time": "12:00"}, "beyond any human"),
        ({"weekly": "lots"}, "&#39;lots&#39; is not a number"),
        ({"race_date": "31/12/2027"}, "is not a date"),
    ):
        r = client.post("/start", data={**FORM, **changes})
        assert r.status_code == 400
        assert words in r.text and "Traceback" not in r.text
        assert 'role="alert"' in r.text
        assert "--" not in r.text.split("<main")[1]  # the web's words: no CLI flag


def test_plan_page_shows_roads_trails_paces_and_reasons(planned: TestClient) -> None:
    html = planned.get("/plan").text
    assert 'class="session trail' in html and 'class="session road' in html
    assert html.count('<details class="why">') == html.count('<article class="session')
    assert "R4: trail running starts" in html and 'id="r4-window"' in html
    assert "/km" in html  # road paces
    for export in ("plan.ics", "workouts.zip", "plan.html", "plan.json", "plan.csv"):
        assert f"/api/v1/exports/{export}" in html


def test_session_page(planned: TestClient) -> None:
    sessions = planned.get("/api/v1/sessions").json()
    trail = next(s for s in sessions if s["surface"] == "trail")
    html = planned.get(f"/sessions/{trail['date']}").text
    text = re.sub(r"<[^>]+>", "", html)  # a range may sit in a no-wrap span
    assert trail["title"] in text and "Why" in html and "Predicted time" in html
    assert "/km" not in html.split("<main")[1]  # no pace on a trail (R5)
    days = {s["date"] for s in sessions}
    first = date.fromisoformat(min(days))
    rest = next(
        d for d in (first + timedelta(days=i) for i in range(14)) if d.isoformat() not in days
    )
    assert "A rest day" in planned.get(f"/sessions/{rest.isoformat()}").text
    assert planned.get("/sessions/not-a-day").status_code == 400


@pytest.mark.both_stores
def test_trail_pages_upload_hike_correct_and_escape(planned: TestClient) -> None:
    r = planned.post(
        "/trails",
        files={"file": ("hill.fit", HILL_FIT.read_bytes())},
        data={"name": "<script>alert(1)</script> hill"},
    )
    assert r.status_code == 200 and r.url.path.startswith("/trails/")
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; hill" in r.text
    assert 'data-chart="profile"' in r.text and "repeat hill (R8)" in r.text
    trail_id = r.url.path.rsplit("/", 1)[1]
    r = planned.post(f"/trails/{trail_id}/hiked", data={"hiked": "yes"})
    assert "hiked: runs may use it" in r.text
    r = planned.post(f"/trails/{trail_id}/correct", data={"category": "hilly", "surface": "dirt"})
    assert "(your correction)" in r.text
    r = planned.post(f"/trails/{trail_id}/correct", data={"category": "lava"})
    assert r.status_code == 400 and "smooth, dirt, hilly or technical" in r.text
    assert planned.get("/trails/12345").status_code == 404
    listing = planned.get("/trails").text
    assert "&lt;script&gt;" in listing and "<script>alert" not in listing
    bad = planned.post("/trails", files={"file": ("bomb.gpx", XML_BOMB)})
    assert bad.status_code == 400 and "bomb.gpx: refused" in bad.text


@pytest.mark.both_stores
def test_log_page_upload_rpe_and_charts(planned: TestClient) -> None:
    html = planned.get("/log").text
    assert "No runs in the log yet" in html and 'data-chart="load"' in html
    r = planned.post("/log/upload", files=[("files", (ROAD_TCX.name, ROAD_TCX.read_bytes()))])
    assert r.status_code == 200 and "Imported 1 run(s)" in r.text
    run = planned.get("/api/v1/activities").json()[0]["id"]
    r = planned.post(f"/log/rpe/{run}", data={"rpe": "5"})
    assert r.status_code == 200 and 'value="5"' in r.text
    r = planned.post(f"/log/rpe/{run}", data={"rpe": "11"})
    assert r.status_code == 400 and "is not an RPE" in r.text
    r = planned.post(f"/log/rpe/{run}", data={"rpe": "hard"})
    assert r.status_code == 400 and "not a number" in r.text


@pytest.mark.both_stores
def test_plan_actions(planned: TestClient) -> None:
    assert planned.post("/plan/remake").url.path == "/plan"
    assert planned.post("/plan/update", data={}).url.path == "/plan"
    r = planned.post("/plan/update", data={"date": "1990-01-01"})
    assert r.status_code == 400 and "outside the plan" in r.text


def test_static_files_are_served_locally(client: TestClient) -> None:
    for path in ("/static/app.css", "/static/app.js", "/static/vendor/uplot/uPlot.iife.min.js"):
        assert client.get(path).status_code == 200
    assert "MIT" in client.get("/static/vendor/uplot/LICENSE").text


def test_log_bars_mark_the_runners_own_cap() -> None:
    """The log's weekly bars put the cap line at the runner's cap (25 % here), flag a week over
    it, and draw no line when trails are off (cap 0)."""
    from dataclasses import replace
    from datetime import date

    from trailmix.app.log import Stats
    from trailmix.domain.log.load import WeekLoad
    from trailmix.web.views import minutes_bars

    monday = date(2027, 3, 1)
    week = WeekLoad(start=monday, load=0.0, monotony=0.0, strain=0.0)
    st = Stats(monday, monday, (week,), (140.0,), (60.0,), (), "", 0, trail_cap=0.25)
    (bar,) = minutes_bars(st)
    assert bar.trail_share == 0.3 and bar.trail_cap == 0.25
    assert bar.cap_pct == 75.0 and bar.over
    (bar,) = minutes_bars(replace(st, trail_cap=1 / 3))
    assert bar.cap_pct == 66.7 and not bar.over
    (bar,) = minutes_bars(replace(st, trail_cap=0.0))
    assert bar.cap_pct == 0.0 and not bar.over
