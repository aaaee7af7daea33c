"""End to end in a real headless Chromium (Debian's, driven by Playwright) against the app
served by uvicorn on 127.0.0.1: onboarding to plan, a real GPX as a trail that the plan then
uses, a session's "why", an activity upload, the ICS download, a phone-sized screen, and no
request leaving 127.0.0.1. Screenshots of the main pages go to the artifacts folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import icalendar
import pytest

from support.webdata import HIKE_GPX, ROAD_GPX_GZ, onboarding, race_day

LOCAL_SCHEMES = ("data", "blob", "about")


class Recorder:
    """Every URL the pages asked for."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request: Any) -> None:
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        out = []
        for url in self.urls:
            u = urlparse(url)
            if u.scheme in LOCAL_SCHEMES:
                continue
            if u.hostname != "127.0.0.1":
                out.append(url)
        return out


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def _context(browser: Any, recorder: Recorder, **options: Any) -> Any:
    ctx = browser.new_context(accept_downloads=True, **options)
    ctx.on("request", recorder)
    ctx.set_default_timeout(10_000)
    return ctx


@pytest.fixture
def page(browser: Any, recorder: Recorder) -> Iterator[Any]:
    """A desktop-sized page; afterwards, every request it made must have stayed local."""
    ctx = _context(browser, recorder, viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    ctx.close()
    assert recorder.urls, "no request was recorded"
    assert recorder.foreign() == [], "requests left 127.0.0.1"
    assert errors == [], f"script errors: {errors}"


def ensure_plan(base: str) -> None:
    with httpx.Client(base_url=base) as c:
        if c.get("/api/v1/plans/current").status_code == 404:
            assert c.post("/api/v1/plans", json=onboarding()).status_code == 201


def shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=False)


def test_onboarding_to_plan(page: Any, live_server: str, artifacts: Path) -> None:
    page.goto(live_server + "/")
    assert page.url.endswith("/start")
    page.select_option("select[name=distance]", "half")
    page.fill("input[name=race_date]", race_day())
    page.select_option("select[name=recent_distance]", "10k")
    page.fill("input[name=recent_time]", "48:30")
    page.fill("input[name=weekly]", "40")
    page.fill("input[name=days]", "5")
    page.select_option("select[name=long_run_day]", "sun")
    page.fill("input[name=age]", "40")
    page.fill("input[name=hr_rest]", "50")
    shot(page, artifacts, "start")
    page.click("button[type=submit]")
    page.wait_for_url("**/plan")
    assert page.locator(".session.trail").count() > 0
    assert page.locator(".session.road").count() > 0
    assert page.locator("#r4-window").is_visible()
    assert page.locator(".week .bar .cap").count() > 0
    assert page.locator(".session.trail .pace").count() == 0  # R5
    assert page.locator(".session.road .pace").count() > 0
    shot(page, artifacts, "plan")


def test_bad_onboarding_shows_the_message(page: Any, live_server: str) -> None:
    page.goto(live_server + "/start")
    page.fill("input[name=race_date]", race_day())
    page.select_option("select[name=recent_distance]", "10k")
    page.fill("input[name=recent_time]", "20:00")
    page.fill("input[name=weekly]", "40")
    page.click("button[type=submit]")
    alert = page.locator("[role=alert]")
    assert "beyond any human" in alert.inner_text()


def test_trail_upload_is_used_by_the_plan(page: Any, live_server: str, artifacts: Path) -> None:
    ensure_plan(live_server)
    page.goto(live_server + "/trails")
    page.set_input_files("input[name=file]", str(HIKE_GPX))
    page.fill("input[name=name]", "Korita hike")
    page.click("#trail-upload button[type=submit]")
    page.wait_for_url("**/trails/*")
    assert page.locator("h1").inner_text() == "Korita hike"
    page.wait_for_selector(".chart.drawn canvas")
    assert "technical" in page.locator(".facts-grid").inner_text()
    page.click("text=I have hiked it (R9)")
    page.wait_for_selector("text=hiked: runs may use it")
    shot(page, artifacts, "trail")
    page.goto(live_server + "/trails")
    shot(page, artifacts, "trails")
    page.click("text=Make the plan again with my trails")
    page.wait_for_url("**/plan")
    assert page.locator(".session.trail .where", has_text="Korita hike").count() > 0


def test_a_session_shows_why(page: Any, live_server: str, artifacts: Path) -> None:
    ensure_plan(live_server)
    page.goto(live_server + "/plan")
    first = page.locator(".session.trail").first
    first.locator("details.why summary").click()
    reasons = first.locator(".reasons li")
    assert reasons.count() >= 1 and reasons.first.is_visible()
    assert "R" in reasons.first.locator(".rule").inner_text()
    with httpx.Client(base_url=live_server) as c:
        sessions = c.get("/api/v1/sessions").json()
    hill = next((s for s in sessions if s["kind"] == "hill_repeats" and s["trail"]), None)
    target = hill or next(s for s in sessions if s["surface"] == "trail")
    page.goto(f"{live_server}/sessions/{target['date']}")
    assert page.locator("#why").is_visible()
    assert page.locator(".session-page .reasons li").count() >= 1
    if hill is not None:
        page.wait_for_selector(".chart.drawn canvas")
        assert "the repeat hill" in page.locator(".hill-list").inner_text()
    shot(page, artifacts, "session")


def test_activity_upload(page: Any, live_server: str, artifacts: Path) -> None:
    ensure_plan(live_server)
    page.goto(live_server + "/log")
    page.set_input_files("input[name=files]", str(ROAD_GPX_GZ))
    page.click("#log-upload button[type=submit]")
    page.wait_for_selector("#import-report")
    assert "Imported 1 run(s)" in page.locator("#import-report").inner_text()
    row = page.locator("table.runs tbody tr").first
    row.locator("input[name=rpe]").fill("4")
    row.locator("form.rpe button").click()
    page.wait_for_url("**/log*")
    assert page.locator("table.runs tbody tr").first.locator("input[name=rpe]").input_value() == "4"
    day = page.locator("table.runs tbody tr td").first.inner_text()
    page.goto(f"{live_server}/log?date={day}")
    page.wait_for_selector(".chart.drawn canvas")
    assert page.locator(".log-week .bar").count() >= 1
    shot(page, artifacts, "log")


def test_ics_download_parses(page: Any, live_server: str, tmp_path: Path) -> None:
    ensure_plan(live_server)
    page.goto(live_server + "/plan")
    with page.expect_download() as info:
        page.click("text=calendar (ICS)")
    path = tmp_path / "plan.ics"
    info.value.save_as(str(path))
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) > 20
    assert all(e.get("UID") for e in events)


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

BROKEN_WORDS = """
() => {
  // Every word in a table cell, a session or a heading that the browser split over lines
  // (e.g. a date drawn as "20 20- 12- 06"): a word whose box has more than one line.
  const out = [];
  const roots = document.querySelectorAll(
    "main td, main th, main .session .title, main .session .facts, main .session .where, main h1");
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                             .map(r => Math.round(r.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}
"""


def ensure_data(base: str) -> tuple[str, int]:
    """A plan, a trail and a run: the day of a trail session and the trail's id."""
    ensure_plan(base)
    with httpx.Client(base_url=base, timeout=60) as c:
        trails = c.get("/api/v1/trails").json()
        if not trails:
            with HIKE_GPX.open("rb") as f:
                r = c.post("/api/v1/trails", files={"file": (HIKE_GPX.name, f)})
            assert r.status_code == 201, r.text
            trails = c.get("/api/v1/trails").json()
        if not c.get("/api/v1/activities").json():
            with ROAD_GPX_GZ.open("rb") as f:
                c.post("/api/v1/activities", files={"files": (ROAD_GPX_GZ.name, f)})
        day = c.get("/api/v1/sessions").json()[0]["date"]
    return day, trails[0]["id"]


def main_pages(base: str) -> dict[str, str]:
    day, trail_id = ensure_data(base)
    return {
        "start": "/start",
        "plan": "/plan",
        "session": f"/sessions/{day}",
        "trails": "/trails",
        "trail": f"/trails/{trail_id}",
        "log": "/log",
    }


def test_phone_tables_keep_every_word_whole_and_nothing_overflows(
    browser: Any, recorder: Recorder, live_server: str, artifacts: Path
) -> None:
    pages = main_pages(live_server)
    ctx = _context(browser, recorder, viewport=PHONE, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    for name, path in pages.items():
        pg.goto(live_server + path)
        widths = pg.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{path} overflows: {widths}"
        broken = pg.evaluate(BROKEN_WORDS)
        assert broken == [], f"{path}: words split over lines: {broken[:10]}"
        if name == "log":
            pg.locator("#runs").scroll_into_view_if_needed()  # the runs, as cards
        shot(pg, artifacts, f"{name}-phone")
    assert pg.locator("table.runs td[data-label=date]").count() >= 1  # the log's runs as cards
    ctx.close()
    assert recorder.foreign() == []


AXE_FULL = bool(os.environ.get("TRAILMIX_AXE_FULL"))
"""Opt-in: axe on every page at both sizes and on every week of the plan (slower)."""


def _axe_context(browser: Any, recorder: Recorder, **options: Any) -> Any:
    """A context whose every page loads axe-core (bundled by axe-playwright-python) as it
    opens, rather than having the 0.5 MB script sent and parsed again before each check."""
    import axe_playwright_python

    ctx = _context(browser, recorder, **options)
    ctx.add_init_script(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    return ctx


def _axe_violations(page: Any) -> list[str]:
    # The plan's weeks repeat one template: the first three are checked (all with AXE_FULL);
    # so do a table's rows (the printable plan's are one a week): the first four are checked.
    repeated = [["section.week:nth-of-type(n+5)"], ["table tbody tr:nth-of-type(n+5)"]]
    context = None if AXE_FULL else {"exclude": repeated}
    results = page.evaluate(
        "([context, options]) => axe.run(context || document, options)",
        [context, {"resultTypes": ["violations"]}],
    )
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in results["violations"]]


def test_every_page_passes_axe(browser: Any, recorder: Recorder, live_server: str) -> None:
    """axe-core (bundled by axe-playwright-python) finds nothing on any page, on a desktop
    screen, and on a phone for the pages with tables. (The desktop screenshots of these pages
    are taken by the tests above that make them.)"""
    pages = {
        **main_pages(live_server),
        "not-found": "/no/such/page",
        "printable": "/api/v1/exports/plan.html",
    }
    found: dict[str, list[str]] = {}
    phone = list(pages) if AXE_FULL else ["log"]  # the log's tables as cards
    for viewport, names in ((DESKTOP, list(pages)), (PHONE, phone)):
        ctx = _axe_context(browser, recorder, viewport=viewport)
        pg = ctx.new_page()
        for name in names:
            pg.goto(live_server + pages[name])
            if pg.locator(".chart[data-source]").count():
                pg.wait_for_selector(".chart.drawn canvas")
            violations = _axe_violations(pg)
            if violations:
                found[f"{name} {viewport['width']}px"] = violations
        ctx.close()
    # The onboarding form with a mistake marked at its field.
    ctx = _axe_context(browser, recorder, viewport=DESKTOP)
    pg = ctx.new_page()
    pg.goto(live_server + "/start")
    pg.fill("input[name=race_date]", race_day())
    pg.fill("input[name=weekly]", "40")
    pg.fill("input[name=hr_max]", "119")
    pg.evaluate("document.querySelector('#onboarding').noValidate = true")
    pg.click("#onboarding button[type=submit]")
    pg.wait_for_selector(".field-error")
    assert pg.locator("input[name=weekly]").input_value() == "40"  # the answers are kept
    violations = _axe_violations(pg)
    if violations:
        found["start with an error"] = violations
    ctx.close()
    assert found == {}


def test_back_from_an_error_keeps_the_input(page: Any, live_server: str) -> None:
    ensure_data(live_server)
    page.goto(live_server + "/log")
    row = page.locator("table.runs tbody tr").first
    row.locator("form.rpe").evaluate("f => f.noValidate = true")
    row.locator("input[name=rpe]").fill("12")
    row.locator("form.rpe button").click()
    page.wait_for_selector("[role=alert]")
    assert "--" not in page.locator("[role=alert]").inner_text()
    page.click("text=Back")
    page.wait_for_url("**/log")
    assert (
        page.locator("table.runs tbody tr").first.locator("input[name=rpe]").input_value() == "12"
    )
