"""The log page's corrections (issue 13): a run's surface and shoe corrected from the page and
through the API change the stored run, its pair's kilometres and the week's surface minutes;
the shoes panel shows km per surface and reminders; the plan's pages name the runner's pair."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support.gearexport import gear_export
from trailmix.app import shoes


def _import(client: TestClient) -> list[dict[str, Any]]:
    r = client.post("/api/v1/activities", files={"files": ("export.zip", gear_export())})
    assert r.status_code == 200, r.text
    runs: list[dict[str, Any]] = client.get("/api/v1/activities", params={"limit": 0}).json()
    assert len(runs) == 5
    return runs


def _shoes(client: TestClient) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in client.get("/api/v1/shoes").json()}


def _week_minutes(client: TestClient, day: str) -> tuple[float, float]:
    st = client.get("/api/v1/log/stats", params={"weeks": 1, "date": day}).json()
    return st["weeks"][-1]["road_min"], st["weeks"][-1]["trail_min"]


def test_the_form_corrects_surface_and_shoe(client: TestClient) -> None:
    runs = _import(client)
    run = next(r for r in runs if r["name"] == "Morning run")
    assert run["surface"] == "road"
    pairs = _shoes(client)
    pegasus, speedgoat = pairs["Nike Pegasus 40"], pairs["Hoka Speedgoat 5"]
    road_before, trail_before = _week_minutes(client, run["date"])

    html = client.get("/log").text
    assert f'action="/log/runs/{run["id"]}"' in html
    assert 'id="shoes"' in html and "Hoka Speedgoat 5" in html

    r = client.post(
        f"/log/runs/{run['id']}",
        data={"surface": "trail", "shoe": str(speedgoat["id"])},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/log#run-{run['id']}"
    stored = next(x for x in client.get("/api/v1/activities").json() if x["id"] == run["id"])
    assert (stored["surface"], stored["surface_source"]) == ("trail", "runner")
    assert stored["shoe_id"] == speedgoat["id"]
    # the week's minutes moved from road to trail, to the tenth of a minute
    road_after, trail_after = _week_minutes(client, run["date"])
    assert abs(road_after - (road_before - run["moving_min"])) < 0.2
    assert abs(trail_after - (trail_before + run["moving_min"])) < 0.2
    # ... and from one pair to the other, as trail km
    after = _shoes(client)
    assert after["Nike Pegasus 40"]["runs"] == pegasus["runs"] - 1
    assert (
        abs(
            after["Hoka Speedgoat 5"]["surfaces"]["trail"]["km"]
            - (speedgoat["surfaces"]["trail"]["km"] + run["distance_km"])
        )
        < 0.02
    )
    # the page shows what is stored: the run's selects chosen
    row = client.get("/log").text.split(f'id="run-{run["id"]}"')[1].split("</tr>")[0]
    assert '<option value="trail" selected>' in row
    assert f'<option value="{speedgoat["id"]}" selected>' in row
    # "no shoe" takes the pair off
    client.post(f"/log/runs/{run['id']}", data={"surface": "trail", "shoe": "none"})
    again = next(x for x in client.get("/api/v1/activities").json() if x["id"] == run["id"])
    assert again["shoe_id"] is None and again["surface"] == "trail"


def test_bad_corrections_are_readable_and_store_nothing(client: TestClient) -> None:
    runs = _import(client)
    run = runs[0]
    r = client.post(f"/log/runs/{run['id']}", data={"surface": "lava", "shoe": "none"})
    assert r.status_code == 400 and "not a surface" in r.text and "Traceback" not in r.text
    r = client.post(f"/log/runs/{run['id']}", data={"surface": "trail", "shoe": "99999"})
    assert r.status_code == 404
    same = next(x for x in client.get("/api/v1/activities").json() if x["id"] == run["id"])
    assert (same["surface"], same["shoe_id"]) == (run["surface"], run["shoe_id"])  # nothing half
    assert client.post("/log/runs/99999", data={"surface": "road"}).status_code == 404


def test_the_api_patch(client: TestClient) -> None:
    runs = _import(client)
    run = next(r for r in runs if r["name"] == "No gear")
    pair = client.post("/api/v1/shoes", json={"name": "Brooks Cascadia", "retire_km": 800})
    assert pair.status_code == 201 and pair.json()["kind"] == "trail"
    r = client.patch(f"/api/v1/activities/{run['id']}", json={"shoe_id": pair.json()["id"]})
    assert r.status_code == 200 and r.json()["shoe_id"] == pair.json()["id"]
    assert r.json()["surface"] == run["surface"]  # left out: left as it was
    r = client.patch(f"/api/v1/activities/{run['id']}", json={"surface": "trail"})
    assert r.json()["shoe_id"] == pair.json()["id"] and r.json()["surface"] == "trail"
    r = client.patch(f"/api/v1/activities/{run['id']}", json={"shoe_id": None})
    assert r.status_code == 200 and r.json()["shoe_id"] is None
    assert client.patch(f"/api/v1/activities/{run['id']}", json={"surface": "x"}).status_code == 400
    assert client.patch(f"/api/v1/activities/{run['id']}", json={"colour": "red"}).status_code in (
        400,
        422,
    )
    assert client.post("/api/v1/shoes", json={"name": "Brooks Cascadia"}).status_code == 400


def test_the_panel_shows_km_and_reminders(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = _import(client)
    pegasus = _shoes(client)["Nike Pegasus 40"]
    html = re.sub(r"\s+", " ", client.get("/log").text)
    assert f"{pegasus['surfaces']['road']['km']:.0f} km" in html
    assert "Nike Pegasus 40 has" not in html  # far from its 700 km: no reminder
    # a pair to replace at less than its runs (below the form's limits, for the test)
    monkeypatch.setattr(shoes, "RETIRE_KM_LIMITS", (1.0, 5000.0))
    r = client.post("/log/shoes", data={"name": "Tiny", "kind": "road", "retire_km": "1"})
    assert r.status_code == 200
    tiny = _shoes(client)["Tiny"]
    client.patch(f"/api/v1/activities/{runs[0]['id']}", json={"shoe_id": tiny["id"]})
    assert _shoes(client)["Tiny"]["wear"] == "replace"
    html = client.get("/log").text
    assert "Tiny has" in html and "time for a new pair" in html
    assert 'class="wear-replace"' in html
    speedgoat = _shoes(client)["Hoka Speedgoat 5"]
    r = client.post(f"/log/shoes/{speedgoat['id']}/retire", follow_redirects=False)
    assert r.status_code == 303
    assert "Hoka Speedgoat 5" not in _shoes(client)


def test_plan_and_session_pages_name_the_pair(planned: TestClient) -> None:
    planned.post("/api/v1/shoes", json={"name": "Speedgoat", "kind": "trail"})
    html = planned.get("/plan").text
    assert "your Speedgoat, 0 km" in html
    trail = next(s for s in planned.get("/api/v1/sessions").json() if s["shoe"] == "trail")
    page = planned.get(f"/sessions/{trail['date']}").text
    assert "your Speedgoat, 0 km" in page
    why = page.split('id="why"')[1]
    assert "Speedgoat, the trail pair you have; 0 km of the 700 km" in why  # its R10 reason
