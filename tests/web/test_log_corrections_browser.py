"""The log page's correction of a run's surface and shoe, end to end in headless Chromium on a
phone-sized screen (390 px): the form fits, the save stores it, the page shows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from support.gearexport import gear_export

PHONE = {"width": 390, "height": 844}


def test_correct_a_run_on_a_phone(browser: Any, live_server: str, artifacts: Path) -> None:
    with httpx.Client(base_url=live_server, timeout=60) as c:
        r = c.post("/api/v1/activities", files={"files": ("export.zip", gear_export())})
        assert r.status_code == 200, r.text
        run = next(x for x in c.get("/api/v1/activities").json() if x["name"] == "Morning run")
        speedgoat = next(s for s in c.get("/api/v1/shoes").json() if "Speedgoat" in s["name"])
        road_before = c.get("/api/v1/log/stats", params={"weeks": 1, "date": run["date"]})
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    ctx.set_default_timeout(10_000)
    errors: list[str] = []
    pg = ctx.new_page()
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(live_server + "/log")
    row = pg.locator(f"#run-{run['id']}")
    row.scroll_into_view_if_needed()
    form = row.locator("form.correct")
    assert form.is_visible()
    box = form.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    widths = pg.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the log overflows at 390 px: {widths}"
    row.locator("select[name=surface]").select_option("trail")
    row.locator("select[name=shoe]").select_option(str(speedgoat["id"]))
    with pg.expect_navigation():
        row.locator("form.correct button[type=submit]").tap()
    assert pg.url.endswith(f"/log#run-{run['id']}")
    row = pg.locator(f"#run-{run['id']}")
    assert row.locator("select[name=surface]").input_value() == "trail"
    assert row.locator("select[name=shoe]").input_value() == str(speedgoat["id"])
    row.scroll_into_view_if_needed()
    pg.screenshot(path=str(artifacts / "log-corrections-phone.png"))
    pg.locator("#shoes").scroll_into_view_if_needed()
    pg.screenshot(path=str(artifacts / "log-shoes-phone.png"))
    ctx.close()
    assert errors == []
    with httpx.Client(base_url=live_server) as c:
        stored = next(x for x in c.get("/api/v1/activities").json() if x["id"] == run["id"])
        after = c.get("/api/v1/log/stats", params={"weeks": 1, "date": run["date"]}).json()
    assert (stored["surface"], stored["shoe_id"]) == ("trail", speedgoat["id"])
    before = road_before.json()["weeks"][-1]
    assert abs(after["weeks"][-1]["trail_min"] - before["trail_min"] - run["moving_min"]) < 0.2
