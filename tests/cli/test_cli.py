"""The command line end to end, against a fresh SQLite file per test: what a runner types, what
trailmix prints, what it stores, and that the JSON it writes keeps the documented contract
(src/trailmix/schemas/plan.schema.json, docs/plan-json.md).

Every date is fixed (`--start`), so no test depends on today.
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from support.cliharness import Cli, Run

Errors = Callable[[object], list[str]]  # conftest.py: schema errors of a document, [] if valid

START = "2026-12-01"
RACE = "2027-04-18"  # a Sunday, 20 weeks on

# The sample runner of issue 2, as flags; tests override or drop single flags.
BASE_FLAGS: dict[str, str] = {
    "--distance": "half",
    "--race-date": RACE,
    "--start": START,
    "--recent-race": "10k=48:30",
    "--weekly-km": "40",
    "--days": "5",
    "--long-run-day": "sun",
}

CSV_HEADER = [
    "week",
    "phase",
    "date",
    "weekday",
    "kind",
    "surface",
    "title",
    "duration_min",
    "distance_km",
    "rpe_low",
    "rpe_high",
    "pace_fast_s_per_km",
    "pace_slow_s_per_km",
    "hr_low",
    "hr_high",
    "trail",
    "shoe",
    "reasons",
    "benefits",
]

RULE_IDS = {f"R{i}" for i in range(1, 13)}


def plan_args(*extra: str, drop: tuple[str, ...] = (), **override: str) -> list[str]:
    """`plan` with the base runner's flags, minus `drop`, with `**{"--flag": value}` changed
    and the `extra` arguments appended."""
    flags = {k: v for k, v in BASE_FLAGS.items() if k not in drop}
    flags.update(override)
    args = ["plan"]
    for k, v in flags.items():
        args += [k, v]
    return [*args, *extra]


def sessions(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for w in doc["weeks"] for s in w["sessions"]]


def ok(r: Run) -> Run:
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    return r


def no_plan_stored(cli: Cli) -> None:
    shown = cli("plan", "show")
    assert shown.exit_code == 2, shown.output
    assert "no plan is stored" in shown.message


# -- plan, plan show ------------------------------------------------------------------------


def test_plan_prints_the_table_and_saves_it(cli: Cli) -> None:
    r = ok(cli(*plan_args()))
    assert "trailmix plan" in r.stdout
    assert "Half marathon on 2027-04-18 (20 weeks from 2026-12-01)" in r.stdout
    assert "VDOT 41.5" in r.stdout
    assert "Week 1" in r.stdout and "Week 20" in r.stdout
    assert "Weekly road / trail minutes" in r.stdout
    assert "saved as plan 1" in r.message

    shown = ok(cli("plan", "show"))
    assert "Half marathon on 2027-04-18 (20 weeks from 2026-12-01)" in shown.stdout
    assert "Week 20" in shown.stdout


def test_plan_show_prints_the_stored_plan_and_the_latest_one(cli: Cli) -> None:
    first = ok(cli(*plan_args("--format", "json"))).json()
    assert ok(cli("plan", "show", "--format", "json")).json() == first

    second = ok(
        cli(*plan_args("--format", "json", **{"--distance": "10k", "--race-date": "2027-03-14"}))
    ).json()
    stored = ok(cli("plan", "show", "--format", "json")).json()
    assert stored == second
    assert stored["race"] == {
        "distance": "10k",
        "distance_km": 10.0,
        "date": "2027-03-14",
        "name": "",
        "goal_time_s": None,
    }


RUNNERS = {
    "5k-enjoy-3days": plan_args(
        "--trail-preference",
        "enjoy",
        **{
            "--distance": "5k",
            "--race-date": "2027-02-14",
            "--recent-race": "5k=22:00",
            "--weekly-km": "25",
            "--days": "3",
        },
    ),
    "10k-minimum-minutes-hr": plan_args(
        "--trail-preference",
        "minimum",
        "--weekly-min",
        "240",
        "--age",
        "35",
        "--sex",
        "male",
        "--hr-rest",
        "55",
        drop=("--weekly-km",),
        **{"--distance": "10k", "--race-date": "2027-03-14", "--days": "4"},
    ),
    "half-off": plan_args("--trail-preference", "off"),
    "marathon-enjoy-cap-run-days": plan_args(
        "--trail-preference",
        "enjoy",
        "--trail-cap",
        "0.25",
        "--hr-max",
        "185",
        "--hr-rest",
        "48",
        "--run-days",
        "tue,thu,sat,sun",
        "--trail-shoe",
        "unsure",
        drop=("--days",),
        **{
            "--distance": "marathon",
            "--race-date": "2027-05-02",
            "--weekly-km": "60",
            "--long-run-day": "sat",
        },
    ),
    "half-goal-time-only": plan_args(
        "--goal-time", "1:45:00", drop=("--recent-race",), **{"--days": "6"}
    ),
}


@pytest.mark.parametrize("args", RUNNERS.values(), ids=RUNNERS.keys())
def test_plan_json_validates_against_the_schema(
    cli: Cli, plan_errors: Errors, args: list[str]
) -> None:
    doc = ok(cli(*args, "--format", "json")).json()
    assert plan_errors(doc) == []

    flags = dict(zip(args[1::2], args[2::2], strict=False))
    assert doc["schema"] == "trailmix.plan/1"
    assert doc["race"]["distance"] == flags["--distance"]
    assert doc["start"] == START
    last = sessions(doc)[-1]
    assert (last["kind"], last["date"]) == ("race", flags["--race-date"])

    preference = flags.get("--trail-preference", "enjoy")
    assert doc["trail_preference"] == preference
    trail = [s for s in sessions(doc) if s["surface"] == "trail"]
    if preference == "off":
        assert trail == []
        assert doc["adaptation"] is None
    else:
        assert trail, "a trail preference but no trail session"
        assert all(s["pace_s_per_km"] is None and s["shoe"] for s in trail)
        assert all(s["kind"] not in ("long", "race") for s in trail)  # R3
    for w in doc["weeks"]:
        sm = w["summary"]
        assert sm["trail_share"] <= sm["trail_cap"] + 1e-9
        assert sm["total_min"] == pytest.approx(sm["road_min"] + sm["trail_min"], abs=0.11)
    if preference == "minimum":
        for w in doc["weeks"]:
            kinds = [s["kind"] for s in w["sessions"] if s["surface"] == "trail"]
            assert kinds == ["recovery"], (w["index"], kinds)  # R2
    if "--trail-cap" in flags:
        assert doc["trail_cap"] == 0.25
    if "--hr-rest" in flags:
        assert doc["hr_method"] and "Karvonen" in doc["hr_method"]
        assert any(s["hr_bpm"] for s in sessions(doc))
    else:
        assert all(s["hr_bpm"] is None for s in sessions(doc))
    if "--long-run-day" in flags:
        day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(flags["--long-run-day"])
        longs = [s for s in sessions(doc) if s["kind"] == "long"]
        assert longs and all(date.fromisoformat(s["date"]).weekday() == day for s in longs)


def test_plan_json_with_a_trail_library_names_the_trails(
    cli: Cli, plan_errors: Errors, trail_library: dict[str, int]
) -> None:
    doc = ok(cli(*plan_args("--format", "json"))).json()
    assert plan_errors(doc) == []
    named = {(s["trail"]["id"], s["trail"]["name"]) for s in sessions(doc) if s["trail"]}
    assert (trail_library["dirt"], "Riverside dirt loop") in named

    # R9: the technical trail, when used, is hiked before the first run on it.
    ridge = [s for s in sessions(doc) if s["trail"] and s["trail"]["name"] == "Rocky ridge"]
    hikes = [s["date"] for s in ridge if s["kind"] == "hike"]
    runs = [s["date"] for s in ridge if s["kind"] != "hike"]
    if runs:
        assert hikes and min(hikes) < min(runs)

    # --trail restricts the plan to the trails given.
    only = ok(cli(*plan_args("--format", "json", "--trail", str(trail_library["dirt"])))).json()
    used = {s["trail"]["id"] for s in sessions(only) if s["trail"]}
    assert used == {trail_library["dirt"]}


def test_enjoy_keeps_a_trail_run_in_the_week_before_race_week(cli: Cli) -> None:
    """A small 5K week under the late-weeks cap still keeps its easy trail run (issue 3: every
    week from the first trail week to the week before race week has one)."""
    doc = ok(
        cli(
            *plan_args(
                "--format",
                "json",
                "--trail-cap",
                "1/4",
                **{
                    "--distance": "5k",
                    "--race-date": "2027-01-03",
                    "--recent-race": "5k=22:00",
                    "--weekly-km": "20",
                    "--days": "3",
                },
            )
        )
    ).json()
    weeks = doc["weeks"]
    first = next(i for i, w in enumerate(weeks) if w["summary"]["trail_min"] > 0)
    for w in weeks[first:-1]:
        easy = [
            s
            for s in w["sessions"]
            if s["surface"] == "trail" and s["kind"] in ("easy", "recovery")
        ]
        assert easy, f"week {w['index']} has no trail easy or recovery run"


def _first(doc: dict[str, Any], surface: str) -> dict[str, Any]:
    return next(s for s in sessions(doc) if s["surface"] == surface)


BREAKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "unknown-top-level-field": lambda d: d.update(extra=1),
    "other-schema-version": lambda d: d.update(schema="trailmix.plan/2"),
    "missing-warnings": lambda d: d.pop("warnings"),
    "unknown-session-field": lambda d: _first(d, "road").update(colour="red"),
    "missing-session-reasons": lambda d: _first(d, "road").pop("reasons"),
    "no-reasons": lambda d: _first(d, "road").update(reasons=[]),
    "empty-rule": lambda d: _first(d, "road")["reasons"][0].update(rule=""),
    "unknown-kind": lambda d: _first(d, "road").update(kind="swim"),
    "unknown-surface": lambda d: _first(d, "road").update(surface="track"),
    "rpe-11": lambda d: _first(d, "road").update(effort_rpe=[3, 11]),
    "rpe-one-number": lambda d: _first(d, "road").update(effort_rpe=[3]),
    "hr-as-floats": lambda d: _first(d, "road").update(hr_bpm=[120.5, 130.0]),
    "pace-on-a-trail": lambda d: _first(d, "trail").update(pace_s_per_km=[300.0, 330.0]),
    "unknown-shoe": lambda d: _first(d, "trail").update(shoe="barefoot"),
    "trail-without-name": lambda d: _first(d, "road").update(trail={"id": 1}),
    "nested-step-field": lambda d: _first(d, "road")["steps"][0].update(pace="5:30"),
    "summary-missing-share": lambda d: d["weeks"][0]["summary"].pop("trail_share"),
    "bad-date": lambda d: d.update(start="2026-02-30"),
    "bad-phase": lambda d: d["weeks"][0].update(phase="recovery"),
}


def test_the_sample_plan_is_valid(sample_plan: dict[str, Any], plan_errors: Errors) -> None:
    assert plan_errors(sample_plan) == []


@pytest.mark.parametrize("name", BREAKS)
def test_the_schema_is_strict(sample_plan: dict[str, Any], plan_errors: Errors, name: str) -> None:
    """Each change is one a consumer must be able to rely on not happening (the unchanged plan
    is valid: the test above)."""
    doc = copy.deepcopy(sample_plan)
    BREAKS[name](doc)
    assert plan_errors(doc) != []


def test_plan_csv_has_the_documented_header_and_one_row_per_session(cli: Cli) -> None:
    r = ok(cli(*plan_args("--format", "csv")))
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == CSV_HEADER
    doc = ok(cli("plan", "show", "--format", "json")).json()
    body = rows[1:]
    assert len(body) == len(sessions(doc))
    for row, s in zip(body, sessions(doc), strict=True):
        rec = dict(zip(CSV_HEADER, row, strict=True))
        assert (rec["date"], rec["kind"], rec["surface"]) == (s["date"], s["kind"], s["surface"])
        assert [int(rec["rpe_low"]), int(rec["rpe_high"])] == s["effort_rpe"]
        assert rec["reasons"].startswith(s["reasons"][0]["rule"] + ": ")
        assert rec["benefits"] == "; ".join(s["benefits"])
        if s["surface"] == "trail":
            assert rec["pace_fast_s_per_km"] == "" and rec["shoe"] == s["shoe"]


def test_output_option_writes_the_file(cli: Cli, tmp_path: Path, plan_errors: Errors) -> None:
    target = tmp_path / "out" / "plan.json"
    r = ok(cli(*plan_args("--format", "json", "-o", str(target))))
    assert r.stdout == ""
    assert "wrote" in r.message
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert plan_errors(doc) == []

    csv_file = tmp_path / "show.csv"
    ok(cli("plan", "show", "--format", "csv", "--output", str(csv_file)))
    rows = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
    assert rows[0] == CSV_HEADER
    assert len(rows) - 1 == len(sessions(doc))


# -- athlete ----------------------------------------------------------------------------------


def test_athlete_set_then_plan_uses_the_stored_profile(cli: Cli) -> None:
    ok(
        cli(
            "athlete",
            "set",
            "--name",
            "Alex",
            "--age",
            "30",
            "--recent-race",
            "10k=45:00",
            "--weekly-km",
            "55",
            "--days",
            "4",
            "--long-run-day",
            "sat",
            "--trail-preference",
            "minimum",
        )
    )
    profile = ok(cli("athlete", "show", "--format", "json")).json()
    assert profile == {
        "name": "Alex",
        "age": 30,
        "sex": None,
        "hr_max": None,
        "hr_rest": None,
        "recent_race": {"distance_km": 10.0, "time_s": 2700.0, "label": "10k"},
        "weekly_km": 55.0,
        "weekly_min": None,
        "days_per_week": 4,
        "long_run_day": "sat",
        "run_days": None,
        "trail_preference": "minimum",
        "trail_cap": None,
        "trail_shoe": "yes",
    }

    doc = ok(
        cli(
            "plan",
            "--distance",
            "10k",
            "--race-date",
            "2027-03-14",
            "--start",
            START,
            "--format",
            "json",
        )
    ).json()
    assert doc["athlete"] == profile
    assert doc["trail_preference"] == "minimum"
    assert "Tanaka" in (doc["hr_method"] or "")
    for w in doc["weeks"]:  # four run days a week (race day comes on top in race week)
        assert len({s["date"] for s in w["sessions"] if s["kind"] not in ("hike", "race")}) <= 4
    longs = [s for s in sessions(doc) if s["kind"] == "long"]
    assert longs and all(date.fromisoformat(s["date"]).weekday() == 5 for s in longs)

    # A flag on `plan` wins for this plan, and leaves the stored profile alone.
    off = ok(
        cli(
            "plan",
            "--distance",
            "10k",
            "--race-date",
            "2027-03-14",
            "--start",
            START,
            "--trail-preference",
            "off",
            "--format",
            "json",
        )
    ).json()
    assert off["trail_preference"] == "off"
    assert ok(cli("athlete", "show", "--format", "json")).json()["trail_preference"] == "minimum"


def test_athlete_show_without_a_profile_is_a_clear_error(cli: Cli) -> None:
    r = cli("athlete", "show")
    assert r.exit_code == 2
    assert "no profile stored yet" in r.message
    assert "Traceback" not in r.output


# -- explain ------------------------------------------------------------------------------------


def _rest_day(doc: dict[str, Any]) -> str:
    busy = {s["date"] for s in sessions(doc)}
    day = date.fromisoformat(doc["start"])
    while day.isoformat() in busy:
        day += timedelta(days=1)
    return day.isoformat()


def test_explain_a_trail_session_prints_its_reasons_with_rule_ids(cli: Cli) -> None:
    doc = ok(cli(*plan_args("--format", "json"))).json()
    trail = next(s for s in sessions(doc) if s["surface"] == "trail")
    r = ok(cli("explain", trail["date"]))
    assert trail["date"] in r.stdout
    assert "on the trail" in r.stdout
    assert "Why:" in r.stdout
    rules = {x["rule"] for x in trail["reasons"]}
    assert rules & RULE_IDS, rules
    for rule in rules:
        assert rule in r.stdout
    assert "R5" in r.stdout  # by time and effort, not pace, on a trail


def test_explain_a_rest_day_and_a_day_outside_the_plan(cli: Cli) -> None:
    doc = ok(cli(*plan_args("--format", "json"))).json()
    rest = _rest_day(doc)
    r = ok(cli("explain", rest))
    assert "is a rest day" in " ".join(r.stdout.split())
    assert "Why:" not in r.stdout

    before = ok(cli("explain", "2026-06-01"))
    assert "outside the plan" in " ".join(before.stdout.split())


def test_explain_json(cli: Cli, session_errors: Errors) -> None:
    doc = ok(cli(*plan_args("--format", "json"))).json()
    trail = next(s for s in sessions(doc) if s["surface"] == "trail")
    out = ok(cli("explain", trail["date"], "--format", "json")).json()
    assert set(out) == {"date", "sessions"}
    assert out["date"] == trail["date"]
    assert out["sessions"] == [s for s in sessions(doc) if s["date"] == trail["date"]]
    for s in out["sessions"]:
        assert session_errors(s) == []

    rest = ok(cli("explain", _rest_day(doc), "--format", "json")).json()
    assert rest == {"date": _rest_day(doc), "sessions": []}


# -- demo ---------------------------------------------------------------------------------------


def test_demo_writes_plan_json_and_csv(run: Cli, tmp_path: Path, plan_errors: Errors) -> None:
    out = tmp_path / "demo"
    r = ok(run("demo", "--out", str(out)))
    assert "trailmix plan" in r.stdout
    assert "Sample City Half" in r.stdout
    doc = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan_errors(doc) == []
    assert doc["athlete"]["name"] == "Sam (sample runner)"
    assert any(s["surface"] == "trail" for s in sessions(doc))
    rows = list(csv.reader(io.StringIO((out / "plan.csv").read_text(encoding="utf-8"))))
    assert rows[0] == CSV_HEADER
    assert len(rows) - 1 == len(sessions(doc))
    # The demo stores its plan in its own database, where `plan show` finds it.
    shown = ok(run("plan", "show", "--format", "json", "--db", str(out / "demo.db")))
    assert shown.json() == doc


# -- the installed entry point -----------------------------------------------------------------


def test_python_dash_m_trailmix_end_to_end(db_url: str, plan_errors: Errors) -> None:
    db = db_url
    env = {**os.environ, "COLUMNS": "200", "TRAILMIX_DB": db}
    done = subprocess.run(
        [sys.executable, "-m", "trailmix", *plan_args("--format", "json", "--db", db)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert plan_errors(json.loads(done.stdout)) == []

    bad = subprocess.run(
        [sys.executable, "-m", "trailmix", *plan_args("--db", db, **{"--days": "2"})],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.startswith("error: --days: 2 is not accepted")
    assert "Traceback" not in bad.stderr


# -- bad input ----------------------------------------------------------------------------------

BAD_PLANS = {
    "race-in-the-past": (
        plan_args(**{"--race-date": "2026-11-01"}),
        ["--race-date", "in the past"],
    ),
    "race-under-3-weeks": (
        plan_args(**{"--race-date": "2026-12-15"}),
        ["--race-date", "14 days away", "3 weeks"],
    ),
    "unknown-distance": (  # refused by Typer itself, printed as every other error
        plan_args(**{"--distance": "ultra"}),
        ["invalid value for '--distance'", "ultra", "5k", "10k", "half", "marathon"],
    ),
    "race-time-not-a-time": (
        plan_args(**{"--recent-race": "10k=fast"}),
        ["--recent-race", "'fast' is not a time"],
    ),
    "vdot-beyond-human": (
        plan_args(**{"--recent-race": "10k=20:00"}),
        ["--recent-race", "VDOT", "beyond any human"],
    ),
    "slower-than-walking": (
        plan_args(**{"--recent-race": "10k=3:00:00"}),
        ["--recent-race", "slower than walking"],
    ),
    "negative-weekly-km": (
        plan_args(**{"--weekly-km": "-5"}),
        ["--weekly-km", "10 to 250"],
    ),
    "absurd-weekly-km": (
        plan_args(**{"--weekly-km": "900"}),
        ["--weekly-km", "900", "10 to 250"],
    ),
    "two-days": (
        plan_args(**{"--days": "2"}),
        ["--days", "3 to 7"],
    ),
    "long-run-day-not-a-run-day": (
        plan_args("--run-days", "mon,wed,fri", drop=("--days",)),
        ["--long-run-day", "sun is not one of your run days"],
    ),
    "unknown-trail-preference": (
        plan_args("--trail-preference", "sometimes"),
        ["--trail-preference", "'sometimes'", "enjoy", "minimum", "off"],
    ),
    "trail-cap-above-a-third": (
        plan_args("--trail-cap", "0.5"),
        ["--trail-cap", "R1", "one third"],
    ),
    "unknown-trail-id": (
        plan_args("--trail", "99"),
        ["--trail", "no trail with id 99"],
    ),
}


@pytest.mark.parametrize(("args", "expected"), BAD_PLANS.values(), ids=BAD_PLANS.keys())
def test_bad_plan_input_is_one_clear_error_and_stores_nothing(
    cli: Cli, args: list[str], expected: list[str]
) -> None:
    r = cli(*args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert r.stdout == ""
    for fragment in expected:
        assert fragment in r.message, (fragment, r.message)
    assert r.message.startswith("error: ")  # Typer's usage errors too: one line, no box
    assert r.message.count("error:") == 1
    assert len(r.stderr.strip().splitlines()) == 1
    no_plan_stored(cli)


def test_bad_athlete_flags_leave_the_stored_profile_alone(cli: Cli) -> None:
    ok(cli("athlete", "set", "--recent-race", "10k=48:30", "--weekly-km", "40"))
    r = cli("athlete", "set", "--trail-cap", "0.5")
    assert r.exit_code == 2
    assert "--trail-cap" in r.message and "R1" in r.message
    assert ok(cli("athlete", "show", "--format", "json")).json()["trail_cap"] is None


def test_explain_without_a_stored_plan(cli: Cli) -> None:
    r = cli("explain", "2027-01-06")
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    assert r.message.startswith("error: no plan is stored yet")
    assert "trailmix plan --distance" in r.message


def test_explain_a_bad_date(cli: Cli) -> None:
    ok(cli(*plan_args("--format", "json")))
    r = cli("explain", "2027-02-30")
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    assert r.stdout == ""
    assert "DATE" in r.message and "YYYY-MM-DD" in r.message


@pytest.mark.parametrize("command", [plan_args(), ["explain", "2027-01-06"], ["plan", "show"]])
def test_a_database_url_that_cannot_be_opened(cli: Cli, command: list[str]) -> None:
    r = cli(*command, db="notadb://x")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert r.stdout == ""
    assert r.message.startswith("error: 'notadb://x' is not a database URL")


def test_a_sqlite_folder_that_cannot_be_created(cli: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    r = cli(*plan_args(), db=f"sqlite:///{blocker / 'sub' / 'x.db'}")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert "cannot create" in r.message


# -- bugs found in review, now fixed: these guard against their return ----------------------


def test_a_file_that_is_not_a_database(cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is a text file, not SQLite " * 8)
    r = cli("plan", "show", db=f"sqlite:///{junk}")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert str(junk) in r.message


def test_a_database_url_whose_driver_is_not_installed(cli: Cli) -> None:
    # pg8000 is a PostgreSQL driver trailmix does not depend on (psycopg is the one it uses).
    assert importlib.util.find_spec("pg8000") is None, "this test needs a driver not installed"
    r = cli("plan", "show", db="postgresql+pg8000://user@localhost:1/trailmix")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert "driver" in r.message and "not installed" in r.message


@pytest.mark.parametrize(
    ("flags", "flag"),
    [
        (["--weekly-km", "-5"], "--weekly-km"),
        (["--days", "2"], "--days"),
        (["--recent-race", "10k=20:00"], "--recent-race"),
    ],
    ids=["negative-km", "two-days", "vdot-beyond-human"],
)
def test_athlete_set_refuses_what_plan_refuses(cli: Cli, flags: list[str], flag: str) -> None:
    r = cli("athlete", "set", *flags)
    assert r.exit_code == 2, r.output
    assert flag in r.message
    assert cli("athlete", "show").exit_code == 2  # nothing stored


def test_an_error_is_one_line_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    # No COLUMNS and no terminal on stdin, stdout or stderr: what a log file or a pipe gets.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    env["TRAILMIX_DB"] = f"sqlite:///{tmp_path / 'x.db'}"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "trailmix",
            *plan_args("--run-days", "mon,wed,fri", drop=("--days",)),
        ],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: --long-run-day:")
    assert done.stderr.count("\n") == 1, done.stderr


# -- the documentation --------------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "plan-json.md"


def _property_names(node: object) -> set[str]:
    if isinstance(node, dict):
        names = (
            set(node.get("properties", {})) if isinstance(node.get("properties"), dict) else set()
        )
        for value in node.values():
            names |= _property_names(value)
        return names
    if isinstance(node, list):
        return set().union(*(_property_names(v) for v in node)) if node else set()
    return set()


def test_the_documentation_names_every_field_and_csv_column(plan_schema: dict[str, Any]) -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = sorted(n for n in _property_names(plan_schema) if f"`{n}`" not in text)
    assert missing == []
    assert ",".join(CSV_HEADER) in text
    assert '"trailmix.plan/1"' in text


def test_the_documented_example_validates(plan_errors: Errors) -> None:
    text = DOC.read_text(encoding="utf-8")
    example = text.split("## Example", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    doc = json.loads(example)
    assert plan_errors(doc) == []
