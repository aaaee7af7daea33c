"""The log page's "Your plan against your log" card (issue 13: the re-planning shown in the web
app's log page): what a re-plan would judge today, its button running `trailmix plan update`'s
use case, and `GET /api/v1/plans/current/assessment`. Issue 13's three cases on the marathon
plan of tests/plan/test_replan.py, its runs stored in the web app's database."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support.webdata import WEB_DB, sends_csrf_token, served, settings_for
from trailmix.domain.types import Kind, Plan
from trailmix.storage.db import Database
from trailmix.storage.records import RunSummaryRecord
from trailmix.storage.repo import Activities, Plans
from trailmix.web.settings import Settings


def _builders() -> ModuleType:
    """tests/plan/test_replan.py's plan and log builders (PLAN, TODAY, SICK, log_of)."""
    path = Path(__file__).resolve().parents[1] / "plan" / "test_replan.py"
    spec = importlib.util.spec_from_file_location("replan_builders", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


B = _builders()
PLAN: Plan = B.PLAN
TODAY: date = B.TODAY  # Monday 2026-11-30, week 14 of the plan


def store(url: str, plan: Plan, runs: list[tuple[date, float, bool]]) -> None:
    """The plan as the current one and each logged (day, minutes, trail) as a run at 07:00."""
    db = Database(url)
    Plans(db).save(plan)
    for k, (day, minutes, trail) in enumerate(runs):
        Activities(db).add(
            file_sha256=hashlib.sha256(f"replan {k} {day}".encode()).hexdigest(),
            start_utc=datetime.combine(day, time(7), UTC),
            elapsed_s=minutes * 60 + 60,
            moving_s=minutes * 60,
            distance_km=minutes / 5.5,
            surface="trail" if trail else "road",
            surface_source="runner",
            surface_confidence=1.0,
            rpe=4.0,
            rpe_estimated=False,
            source="file",
            file_name=f"run{k}.gpx",
            summary=RunSummaryRecord(),
        )


@pytest.fixture
def web(settings: Settings) -> Iterator[TestClient]:
    """The app on this test's database, its today TODAY."""
    from trailmix.web import create_app
    from trailmix.web.deps import get_today

    app = create_app(settings)
    app.dependency_overrides[get_today] = lambda: TODAY
    with TestClient(app) as c:
        yield sends_csrf_token(c)


def card(html: str) -> str:
    found = re.search(r'<section class="card replan[^"]*" id="replan">(.*?)</section>', html, re.S)
    assert found, "no re-plan card on the log page"
    return found.group(1)


def volumes(doc: dict[str, Any]) -> dict[int, float]:
    """Each week's planned running minutes (the race left out), from a plan's JSON."""
    return {
        w["index"]: sum(s["duration_min"] for s in w["sessions"] if s["kind"] not in ("race",))
        for w in doc["weeks"]
    }


def test_on_track_the_card_says_so_and_the_replan_keeps_the_plan(
    web: TestClient, settings: Settings
) -> None:
    store(settings.db_url, PLAN, B.log_of(PLAN, TODAY))
    html = card(web.get("/log").text)
    assert "On track" in html and "the last 14 days" in html
    assert "would change" not in html and 'id="replan-goal"' not in html
    assert 'action="/log/replan"' in html and 'name="csrf_token"' in html
    r = web.post("/log/replan", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/plan?replanned=2026-11-30#week-14"
    kept = Plans(Database(settings.db_url)).current()
    assert kept.sessions == PLAN.sessions
    page = web.get(r.headers["location"]).text
    assert "on track" in page and '<details class="why" open>' not in page


@pytest.mark.sqlite_only  # copies the SQLite file for the CLI
def test_after_12_days_off_the_card_shows_the_return_and_the_goals_choices(
    web: TestClient, settings: Settings, run: Any, tmp_path: Path
) -> None:
    store(settings.db_url, PLAN, B.log_of(PLAN, TODAY, off=B.SICK))
    html = card(web.get("/log").text)
    assert "Back from a break of 12 days" in html
    ret = re.sub(r"\s+", " ", re.search(r'id="replan-return">(.*?)</p>', html, re.S)[1])  # type: ignore[index]
    assert '2026-11-18</span> to <span class="nowrap">2026-11-29</span> (12 days' in ret
    assert 'until <span class="nowrap">2026-12-06</span>' in ret and "over about 2 weeks" in ret
    goal = re.search(r'id="replan-goal">(.*?)</div>', html, re.S)[1]  # type: ignore[index]
    assert "Mujika &amp; Padilla 2000; Daniels" in goal
    kinds = re.findall(r'data-kind="([^"]+)"', goal)
    assert kinds == ["revised goal", "later race", "shorter race"]
    assert "VDOT" in goal and "a half marathon on 2027-01-03" in goal
    assert "would change" in html and "Mujika &amp; Padilla 2000" in html
    assert html.count("cannot be run as planned") == 1  # the goal's message once, from its fields

    # The CLI's `plan update` on a copy of the same database, before the button is pressed.
    copy = tmp_path / "copy.db"
    shutil.copy(tmp_path / WEB_DB, copy)
    cli = run("plan", "update", "--date", TODAY.isoformat(), "--format", "json", "--db", str(copy))
    assert cli.exit_code == 0, cli.output
    by_cli = json.loads(cli.stdout)

    r = web.post("/log/replan", follow_redirects=False)
    assert r.headers["location"] == "/plan?replanned=2026-11-30#week-14"
    by_web = web.get("/api/v1/plans/current").json()
    assert [w["sessions"] for w in by_web["weeks"]] == [w["sessions"] for w in by_cli["weeks"]]
    before, after = volumes(web_plan_doc(PLAN)), volumes(by_web)
    assert after[14] < 0.8 * before[14] and after[15] < before[15]  # the next weeks lowered
    assert all(after[i] == before[i] for i in before if i < 14)  # the past untouched
    page = web.get(r.headers["location"]).text
    opened = page.count('<details class="why" open>')
    changed = sum(
        1
        for w in by_web["weeks"]
        for s in w["sessions"]
        if any(x["text"].startswith("Re-planned on 2026-11-30") for x in s["reasons"])
    )
    assert opened == changed > 0


def web_plan_doc(plan: Plan) -> dict[str, Any]:
    from trailmix.formats.plan_json import plan_to_dict

    return plan_to_dict(plan)


def test_ahead_the_card_shows_the_load_and_the_replan_raises_no_peak(
    web: TestClient, settings: Settings
) -> None:
    store(settings.db_url, PLAN, B.log_of(PLAN, TODAY, factor=1.3))
    html = card(web.get("/log").text)
    assert "Ahead of the plan" in html and "(130%)" in html
    assert 'id="replan-load"' in html and "Monotony" in html and "acute:chronic" in html
    assert "trailmix default; Foster 1998" in html and "would change" not in html
    web.post("/log/replan")
    after = Plans(Database(settings.db_url)).current()
    assert after.sessions == PLAN.sessions
    peak = max(
        sum(s.running_min for s in w.sessions if s.kind is not Kind.RACE) for w in after.weeks
    )
    assert peak == max(
        sum(s.running_min for s in w.sessions if s.kind is not Kind.RACE) for w in PLAN.weeks
    )


def test_the_assessment_api(web: TestClient, settings: Settings) -> None:
    assert web.get("/api/v1/plans/current/assessment").status_code == 404  # no plan yet
    store(settings.db_url, PLAN, B.log_of(PLAN, TODAY, off=B.SICK))
    r = web.get("/api/v1/plans/current/assessment")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert set(doc) == {
        "date", "status", "headline", "window", "logged_min", "planned_min", "ratio", "runs",
        "break", "short_gap", "weeks", "changed_sessions", "goal", "load", "messages",
    }  # fmt: skip
    assert (doc["date"], doc["status"]) == ("2026-11-30", "break")
    assert doc["window"] == {"from": "2026-11-16", "to": "2026-11-29"}
    assert doc["logged_min"] < doc["planned_min"] and doc["runs"] == 1
    assert doc["break"] == {
        "first": "2026-11-18",
        "last": "2026-11-29",
        "days": 12,
        "missed_runs": doc["break"]["missed_runs"],
        "return_share": pytest.approx(0.571, abs=0.001),
        "rebuild_weeks": 2,
        "easy_until": "2026-12-06",
    }
    assert doc["break"]["missed_runs"] >= 8
    first = doc["weeks"][0]
    assert first["week"] == 14 and first["replanned_min"] < first["planned_min"]
    assert doc["changed_sessions"] == sum(w["changed_sessions"] for w in doc["weeks"]) > 0
    goal = doc["goal"]
    assert [c["kind"] for c in goal["choices"]] == ["revised goal", "later race", "shorter race"]
    assert goal["vdot"] < goal["plan_vdot"] and goal["shorter_distance"] == "half"
    assert goal["left_long_km"] < 0.9 * goal["planned_long_km"]
    assert goal["goal_time"] in goal["choices"][0]["text"]
    assert doc["load"] is None and doc["short_gap"] is None
    assert all(m["rule"] and m["text"].startswith("Re-planned on") for m in doc["messages"])
    # Nothing was stored: the plan is as it was.
    assert Plans(Database(settings.db_url)).current().sessions == PLAN.sessions
    # Another day, and bad ones.
    on = web.get("/api/v1/plans/current/assessment", params={"date": "2026-11-16"}).json()
    assert on["status"] == "on track" and on["goal"] is None
    assert web.get("/api/v1/plans/current/assessment", params={"date": "soon"}).status_code == 400
    far = web.get("/api/v1/plans/current/assessment", params={"date": "2027-06-01"})
    assert far.status_code == 400 and "outside the plan" in far.json()["detail"]


# --- The card on a phone, in Chromium -----------------------------------------------------------

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def sick_server(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Iterator[str]:
    """The app on its own database: the plan and a log with the last 12 days off (real today:
    the live server has no today to override)."""
    from datetime import timedelta

    today = date.today()
    folder = tmp_path_factory.mktemp("replan-live")
    shutil.copy(template_db, folder / WEB_DB)
    settings = settings_for(folder)
    if PLAN.start + timedelta(days=21) <= today <= PLAN.race.date - timedelta(days=7):
        plan = PLAN
    else:  # the same runner and race, moved to have started 13 weeks ago
        race = B.Race(B.RACE.distance, today + timedelta(weeks=5))
        plan = B.build_plan(B.RUNNER, race, today - timedelta(weeks=13))
    off = (today - timedelta(days=12), today - timedelta(days=1))
    store(settings.db_url, plan, B.log_of(plan, today, off=off))
    with served(settings) as url:
        yield url


def test_the_card_fits_a_phone(browser: Any, sick_server: str, artifacts: Path) -> None:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    ctx.set_default_timeout(10_000)
    errors: list[str] = []
    pg = ctx.new_page()
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(sick_server + "/log")
    section = pg.locator("#replan")
    section.scroll_into_view_if_needed()
    assert "Back from a break of 12 days" in section.inner_text()
    box = section.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    widths = pg.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the log overflows at 390 px: {widths}"
    section.screenshot(path=str(artifacts / "log-replan-phone.png"))
    with pg.expect_navigation():
        section.locator("button[type=submit]").tap()
    assert "/plan?replanned=" in pg.url
    assert pg.locator("details.why[open]").count() > 0
    ctx.close()
    assert errors == []
