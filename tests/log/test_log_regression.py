"""The fast log gives today's results: every shared activity imported (with a trail library,
an athlete with heart-rate data) has the summary, surface, trail match, RPE and load that main
gave before the log was made fast, and the 104-week stats are the same
(`data/shared_summaries.json`, made by `support.logsnapshot` from main's code)."""

from __future__ import annotations

import json

import pytest

from support.logsnapshot import FIXTURE, snapshot

pytestmark = pytest.mark.both_stores  # every summary's JSON stored and read back on both


def test_every_shared_file_imports_as_before(db_url: str) -> None:
    before = json.loads(FIXTURE.read_text())
    after = json.loads(json.dumps(snapshot(db_url)))
    assert after["runs"].keys() == before["runs"].keys()
    for name, run in before["runs"].items():
        # fields added since (kind, has_track, notes: issue 13) are not in the fixture
        assert {k: after["runs"][name].get(k) for k in run} == run, name
        assert after["runs"][name]["has_track"]
    # issue 13: the Croatian hike (a GPX with no type, on the technical trail made from it, at
    # 3 km/h) is logged as a hike and marks that trail hiked (R9); every other file is a run
    kinds = {name: run["kind"] for name, run in after["runs"].items()}
    assert kinds.pop("gpxpy_korita_zbevnica_hike.gpx") == "hike"
    assert set(kinds.values()) == {"run"}
    # issue 13: every shared file's zone comes from the file (FIT) or the start's position
    zones = {name: run["timezone_source"] for name, run in after["runs"].items()}
    assert set(zones.values()) == {"file", "coordinates"}, zones
    assert after["runs"]["fr410_rolling_road_run.tcx"]["timezone"] == "America/New_York"
    assert after["stats_until"] == before["stats_until"]
    assert after["stats"] == before["stats"]
    # the fixture exercises what it should: route matches, estimated RPE and load
    matched = [r for r in before["runs"].values() if r.get("surface_source") == "trail"]
    assert len(matched) == 3
    assert any(r.get("rpe_estimated") and r["load"] > 0 for r in before["runs"].values())
    assert any(w["load"] > 0 for w in before["stats"]["weeks"])
