"""Problems found by an independent review of the CLI, each pinned so it stays fixed."""

from __future__ import annotations

from pathlib import Path

from support.cliharness import Cli, Run

ACT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "activities"
BASE = [
    "plan",
    "--distance",
    "10k",
    "--race-date",
    "2027-03-22",
    "--start",
    "2026-12-01",
    "--recent-race",
    "10k=50:00",
    "--weekly-km",
    "35",
]


def refused(r: Run, flag: str) -> None:
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and flag in r.message


def nothing_stored(cli: Cli) -> None:
    assert cli("plan", "show").exit_code == 2


def test_days_and_run_days_that_disagree_are_refused(cli: Cli) -> None:
    refused(cli(*BASE, "--days", "5", "--run-days", "mon,tue"), "--run-days")
    nothing_stored(cli)


def test_weekly_volume_given_twice_is_refused(cli: Cli) -> None:
    refused(cli(*BASE, "--weekly-min", "200"), "--weekly-min")
    nothing_stored(cli)


def test_output_file_needs_a_data_format(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    refused(cli(*BASE, "-o", str(target)), "--format json")
    assert not target.exists()
    nothing_stored(cli)


def test_three_day_plans_keep_most_of_the_runners_volume(cli: Cli) -> None:
    doc = cli(*BASE, "--days", "3", "--trail-preference", "off", "--format", "json").json()
    full = [w for w in doc["weeks"][1:] if w["phase"] != "taper" and not w["cutback"]]
    # 35 km at an easy 6:20/km is about 220 min; the plan may trim, not halve it.
    assert min(w["summary"]["total_min"] for w in full) >= 180
    for w in full:
        long_runs = [s["duration_min"] for s in w["sessions"] if s["kind"] == "long"]
        others = [s["duration_min"] for s in w["sessions"] if s["kind"] in ("easy", "recovery")]
        if long_runs and others:
            assert max(others) <= long_runs[0] + 1


def test_predict_uses_the_stored_recent_race(cli: Cli) -> None:
    assert cli("athlete", "set", "--recent-race", "5k=22:00").exit_code == 0
    route = ACT / "trail_hill" / "fr645m_heidelberg_hill_run.fit"
    r = cli("predict", str(route), "--format", "json")
    assert r.exit_code == 0, r.output
    assert any("recent race" in n for n in r.json()["notes"])


def test_predict_history_that_does_not_exist_is_refused(cli: Cli) -> None:
    route = ACT / "trail_hill" / "fr645m_heidelberg_hill_run.fit"
    refused(cli("predict", str(route), "--flat-pace", "5:30", "--history", "/no/such"), "--history")
