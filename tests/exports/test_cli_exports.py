"""`trailmix mix` and `trailmix export ...` end to end (registered on a test app, conftest)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import garmin_fit_sdk
import icalendar

from support.export_helpers import Cli


def test_mix_an_ics_to_an_ics_and_store_it(cli: Cli, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "mixed.ics"
    r = cli(
        "mix",
        str(data / "coach-half-km.ics"),
        "--trail-preference",
        "enjoy",
        "--recent-race",
        "10k=48:30",
        "-o",
        str(out),
    )
    assert r.exit_code == 0, r.stderr
    assert "What trailmix read in your plan" in r.stdout and "69 recognised" in r.stdout
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert any(str(e.get("summary")).startswith("Trail") for e in cal.walk("VEVENT"))
    shown = cli("plan", "show", "--format", "json")
    assert shown.exit_code == 0 and shown.json()["source"] == "imported"


def test_mix_json_reports_recognition_and_a_valid_plan(
    cli: Cli, data: Path, plan_errors: Callable[[object], list[str]]
) -> None:
    r = cli(
        "mix",
        str(data / "runner-half-miles.csv"),
        "--trail-preference",
        "minimum",
        "--recent-race",
        "half=1:52:00",
        "--format",
        "json",
    )
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert doc["schema"] == "trailmix.mix/1"
    guessed = [x for x in doc["recognition"] if x["confidence"] == "guessed"]
    assert len(guessed) == 4 and all(x["guesses"] for x in guessed)
    assert plan_errors(doc["plan"]) == []
    assert doc["plan"]["trail_preference"] == "minimum"


def test_export_every_format_from_the_stored_plan(
    cli: Cli, data: Path, tmp_path: Path, plan_errors: Callable[[object], list[str]]
) -> None:
    assert (
        cli(
            "mix",
            str(data / "book-10k.csv"),
            "--recent-race",
            "10k=48:30",
            "--age",
            "40",
            "--format",
            "csv",
        ).exit_code
        == 0
    )
    ics = cli("export", "ics", "--time", "07:00", "--tz", "Europe/Berlin")
    assert ics.exit_code == 0 and "TZID=Europe/Berlin" in ics.stdout
    r = cli("export", "fit", "-o", str(tmp_path / "watch"))
    assert r.exit_code == 0, r.stderr
    fits = sorted((tmp_path / "watch").glob("*.fit"))
    assert fits
    for f in fits:
        stream = garmin_fit_sdk.Stream.from_byte_array(bytearray(f.read_bytes()))
        assert garmin_fit_sdk.Decoder(stream).check_integrity()
    html = cli("export", "html", "-o", str(tmp_path / "plan.html"))
    assert html.exit_code == 0 and (tmp_path / "plan.html").read_text().startswith("<!DOCTYPE")
    js = cli("export", "json")
    assert js.exit_code == 0 and plan_errors(js.json()) == []
    csv = cli("export", "csv")
    assert csv.exit_code == 0 and csv.stdout.startswith("week,phase,date")


def test_mix_refuses_a_cap_above_a_third_and_stores_nothing(cli: Cli, data: Path) -> None:
    r = cli("mix", str(data / "book-10k.csv"), "--recent-race", "10k=48:30", "--trail-cap", "0.5")
    assert r.exit_code == 2 and r.stdout == ""
    assert "--trail-cap" in r.message and "R1 allows up to one third" in r.message
    assert "no plan is stored yet" in cli("export", "json").message


def test_bad_input_is_one_line_and_exit_2(cli: Cli, data: Path, tmp_path: Path) -> None:
    bad = tmp_path / "plan.ics"
    bad.write_text("not a calendar")
    r = cli("mix", str(bad), "--recent-race", "10k=48:30")
    assert r.exit_code == 2 and "is not an iCalendar file" in r.message
    assert len(r.stderr.strip().splitlines()) == 1 and r.stdout == ""
    r = cli("mix", str(data / "book-10k.csv"), "--recent-race", "10k=48:30", "-o", "x.pdf")
    assert r.exit_code == 2 and "--output" in r.message
    r = cli(
        "mix", str(data / "book-10k.csv"), "--recent-race", "10k=48:30", "--race-date", "2027-04-20"
    )
    assert r.exit_code == 2 and "goes on after race day 2027-04-20" in r.message
    r = cli("export", "ics", "--time", "7am")
    assert r.exit_code == 2 and "--time" in r.message
    r = cli("export", "ics", "--time", "07:00", "--tz", "Mars/Olympus")
    assert r.exit_code == 2 and "--tz" in r.message
    r = cli("export", "json")
    assert r.exit_code == 2 and "no plan is stored yet" in r.message


def test_mix_reads_a_us_spreadsheet_and_asks_only_when_dates_are_ambiguous(
    cli: Cli, data: Path, tmp_path: Path
) -> None:
    r = cli("mix", str(data / "us-pfitz-marathon-miles.csv"), "--recent-race", "half=1:45:00")
    assert r.exit_code == 0, r.stderr
    assert "2027-02-14" in r.stdout  # 02/14/2027: month first, settled by the column
    ambiguous = tmp_path / "plan.csv"
    ambiguous.write_text("date,title\n03/04/2027,10K race\n")  # 3 April or March 4?
    r = cli("mix", str(ambiguous), "--recent-race", "10k=48:30")
    assert r.exit_code == 2 and "--date-order" in r.message
    r = cli(
        "mix", str(ambiguous), "--recent-race", "10k=48:30", "--date-order", "dmy", "-f", "json"
    )
    assert r.exit_code == 0, r.stderr
    assert r.json()["plan"]["race"]["date"] == "2027-04-03"


def test_mix_uses_the_stored_profile_then_the_plans_own_paces(cli: Cli, data: Path) -> None:
    # No race anywhere: the paces the plan writes tell the runner's level, and it says so.
    r = cli("mix", str(data / "runner-paces-written.csv"), "--format", "json")
    assert r.exit_code == 0, r.stderr
    notes = " ".join(n["text"] for n in r.json()["plan"]["notes"])
    assert "No recent race given: your level is read from the paces your plan writes" in notes
    # A stored profile with a race is used without asking.
    assert cli("athlete", "set", "--recent-race", "10k=48:30").exit_code == 0
    r = cli("mix", str(data / "book-10k.csv"), "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["plan"]["paces"]["vdot"] > 40
