"""What a runner sees through the test client (issue 15): answers after an upload that survive a
reload, errors in the web's words next to their field with the form kept, the form's limits
equal to the planner's, HTML for unknown pages, a favicon, HEAD, the log's latest weeks with
runs, corrections that change only what was changed, one way to write a duration."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from support.webdata import ROAD_TCX, onboarding, race_day
from trailmix.domain.plan import planner
from trailmix.domain.types import Athlete, Race, RaceDistance
from trailmix.domain.units import format_minutes, parse_race_result
from trailmix.errors import InputError

FORM = {
    "distance": "10k",
    "race_date": race_day(14),
    "race_name": "River [/]10k",
    "recent_distance": "5k",
    "recent_time": "24:00",
    "weekly": "30",
    "weekly_unit": "km",
    "days": "4",
    "long_run_day": "sat",
    "age": "44",
    "trail_preference": "enjoy",
    "trail_shoe": "yes",
}


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


# ---------------------------------------------------------------------------------------------
# Errors next to the field, in the web's words, the form kept


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"weekly": "lots"}, "weekly", "is not a number"),
        ({"weekly": "5"}, "weekly", "10"),
        ({"start": race_day(20), "race_date": race_day(14)}, "start", "not before race day"),
        ({"race_date": (date.today() + timedelta(days=10)).isoformat()}, "race_date", "days"),
        ({"hr_max": "110"}, "hr_max", "120"),
    ],
)
def test_an_onboarding_mistake_is_shown_at_its_field_with_every_answer_kept(
    client: TestClient, changes: dict[str, str], field: str, words: str
) -> None:
    r = client.post("/start", data={**FORM, **changes})
    assert r.status_code == 400
    page = main_of(r.text)
    error = re.search(rf'<span class="field-error" id="error-{field}">([^<]*)</span>', page)
    assert error is not None, page
    assert words in error.group(1)
    assert "--" not in page and "trailmix plan" not in page  # no CLI flag, no command
    assert f'aria-describedby="error-{field}"' in page
    for name in ("race_date", "recent_time", "age", "race_name"):
        value = {**FORM, **changes}[name].replace("[/]", "[/]")
        assert f'value="{value}"' in page, name  # the answers are kept
    assert "in the past" not in page


def test_errors_without_a_form_are_in_the_web_s_words(client: TestClient) -> None:
    r = client.get("/sessions/2027-01-04")  # no plan yet
    assert r.status_code == 404
    page = main_of(r.text)
    assert "Get started page" in page and "trailmix" not in page.replace("trailmix ·", "")
    assert "data-back" in page


def test_the_form_s_limits_are_the_planner_s(client: TestClient) -> None:
    page = client.get("/start").text
    today = date.today()

    def limits(name: str) -> tuple[float, float]:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page, re.S)
        assert tag is not None, name
        lo = re.search(r'\smin="([^"]+)"', tag.group(0))
        hi = re.search(r'\smax="([^"]+)"', tag.group(0))
        assert lo and hi, (name, tag.group(0))
        return float(lo.group(1)), float(hi.group(1))

    for name in ("age", "hr_max", "hr_rest", "days", "weekly"):
        lo, hi = limits(name)
        field = {"weekly": "weekly_km", "days": "days_per_week"}.get(name, name)
        for value, ok in ((lo, True), (hi, True), (lo - 1, False), (hi + 1, False)):
            athlete = Athlete(**{field: int(value) if name != "weekly" else value})
            if name == "hr_rest":  # HRrest must sit well below HRmax: give a high HRmax
                athlete = Athlete(hr_rest=int(value), hr_max=230)
            if ok:
                planner.validate_athlete(athlete)
            else:
                with pytest.raises(InputError):
                    planner.validate_athlete(athlete)
    race = re.search(r'name="race_date"[^>]*min="([^"]+)"', page)
    assert race is not None
    first_day = date.fromisoformat(race.group(1))
    athlete = Athlete(weekly_km=40, recent_race=parse_race_result("10k=48:30"))
    for day, ok in ((first_day, True), (first_day - timedelta(days=1), False)):
        try:
            planner.validate(athlete, Race(RaceDistance.HALF, day), today)
        except InputError as exc:
            assert not ok and "days away" in exc.message
        else:
            assert ok


# ---------------------------------------------------------------------------------------------
# Redirect after POST, unknown pages, favicon, HEAD


def test_an_upload_redirects_so_a_reload_shows_the_page_again(planned: TestClient) -> None:
    r = planned.post(
        "/log/upload",
        files={"files": ("run.tcx", ROAD_TCX.read_bytes())},
        follow_redirects=False,
    )
    assert r.status_code == 303
    where = r.headers["location"]
    assert where.startswith("/log?report=")
    for _ in range(2):  # the page after the upload, and a reload of it
        page = planned.get(where).text
        assert 'id="import-report"' in page and "Imported 1 run(s)" in page
    stray = planned.get("/log/upload")  # the old address of the result, typed or reloaded
    assert stray.status_code == 405 and stray.headers["content-type"].startswith("text/html")
    assert "takes a form" in stray.text


def test_unknown_pages_are_html_and_unknown_api_urls_json(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "There is no page at this address" in page.text and "<main" in page.text
    api = client.get("/api/v1/no/such/thing")
    assert api.status_code == 404 and api.json()["detail"] == "Not Found"


def test_favicon_and_head(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.content
    assert 'rel="icon"' in client.get("/start").text
    head = client.head("/", follow_redirects=False)
    assert head.status_code == 303 and head.content == b""
    start = client.head("/start")
    assert start.status_code == 200 and start.content == b""
    assert int(start.headers["content-length"]) > 0


# ---------------------------------------------------------------------------------------------
# The log after importing old runs


@pytest.mark.both_stores
def test_old_runs_show_the_latest_weeks_with_runs(planned: TestClient) -> None:
    planned.post("/log/upload", files={"files": ("run.tcx", ROAD_TCX.read_bytes())})
    page = planned.get("/log").text
    assert 'id="moved-to"' in page and "No runs in these weeks yet" not in page
    assert page.count('class="log-week"') >= 1
    chosen = planned.get("/log?date=" + date.today().isoformat()).text
    assert 'id="moved-to"' not in chosen  # a week the runner asked for is shown as asked


# ---------------------------------------------------------------------------------------------
# Correct it


@pytest.mark.both_stores
def test_a_new_name_alone_keeps_the_analysed_category_and_a_surface_can_be_cleared(
    planned: TestClient,
) -> None:
    r = planned.post(
        "/trails", files={"file": ("loop.tcx", ROAD_TCX.read_bytes())}, data={"surface": "gravel"}
    )
    trail_id = r.url.path.rsplit("/", 1)[1]
    before = planned.get(f"/api/v1/trails/{trail_id}").json()
    assert before["declared_surface"] == "gravel"
    form = {"category": "", "name": "Renamed loop", "surface": "gravel"}
    planned.post(f"/trails/{trail_id}/correct", data=form)
    after = planned.get(f"/api/v1/trails/{trail_id}").json()
    assert after["name"] == "Renamed loop"
    assert after["category"] == before["category"] and after["category_source"] != "runner"
    planned.post(f"/trails/{trail_id}/correct", data={**form, "surface": ""})
    assert planned.get(f"/api/v1/trails/{trail_id}").json()["declared_surface"] in (None, "")
    planned.post(f"/trails/{trail_id}/correct", data={**form, "category": "hilly"})
    mine = planned.get(f"/api/v1/trails/{trail_id}").json()
    assert mine["category"] == "hilly" and mine["category_source"] == "runner"


# ---------------------------------------------------------------------------------------------
# One way to write a duration; a hill to look for when none is stored


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (83 / 60, "1:23"),
        (4.5, "4:30"),
        (9.2, "9:12"),
        (2.1, "2:06"),
        (10, "10 min"),
        (46, "46 min"),
        (171, "2h51"),
        (0, "0 min"),
    ],
)
def test_one_duration_format(minutes: float, text: str) -> None:
    assert format_minutes(minutes) == text


def test_without_trails_a_hill_session_describes_the_hill_to_look_for(
    client: TestClient,
) -> None:
    made = client.post("/api/v1/plans", json=onboarding(distance="marathon"))
    assert made.status_code == 201, made.text
    planned = client
    sessions = planned.get("/api/v1/sessions").json()
    hills = [s for s in sessions if s["kind"] == "hill_repeats"]
    assert hills  # a 16-week marathon plan holds hill repeats, with no trail stored
    r8 = [r["text"] for s in hills for r in s["reasons"] if r["rule"] == "R8"]
    assert r8 and all("Look for a hill" in t for t in r8)
    assert not any("fitted to the hill" in t for t in r8)
    page = planned.get(f"/sessions/{hills[0]['date']}").text
    steps = re.findall(r"<li>([^<]*)</li>", page.split('class="steps"')[1].split("</ul>")[0])
    assert steps and not any(re.search(r"\b\d+ s\b", s) for s in steps if "x:" not in s)
