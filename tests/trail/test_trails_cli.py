"""`trailmix trails ...` end to end on real files: add, list, show, hiked, set, reanalyse, and
the bad-input cases of issue 4 at the command line (exit 2, nothing half-stored)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from support.cliharness import Cli, Run

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "activities"
HEIDELBERG = SHARED / "trail_hill" / "fr645m_heidelberg_hill_run.fit"
VOSGES = SHARED / "trail_hill" / "polar_m400_vosges_run.tcx"
BOULDER = SHARED / "trail_hill" / "boulder_fr35_run_no_altitude.fit"


def ok(r: Run) -> Run:
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    return r


def listed(cli: Cli) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = ok(cli("trails", "list", "--format", "json")).json()
    return rows


def test_add_list_show_with_every_number(cli: Cli, tmp_path: Path) -> None:
    r = ok(cli("trails", "add", str(VOSGES), "--name", "Forest loop", "--surface", "dirt"))
    assert "added 1: Forest loop" in r.stdout
    rows = listed(cli)
    assert [row["name"] for row in rows] == ["Forest loop"]
    row = rows[0]
    assert row["category"] == "hilly" and row["shoe"] == "trail" and row["hike_first"] is False
    assert 4.6 < float(row["length_km"]) < 4.9  # type: ignore[arg-type]
    detail = ok(cli("trails", "show", "Forest loop", "--format", "json")).json()
    assert detail["gain_m"] == pytest.approx(row["gain_m"])
    assert len(detail["hills"]) >= 2 and all("start_km" in h for h in detail["hills"])
    assert detail["elevation_source"] == "file"
    assert len(detail["profile"]["distance_m"]) == len(detail["profile"]["elevation_m"]) > 400
    assert sum(b["share"] for b in detail["grade_distribution"]) == pytest.approx(1.0, abs=0.01)
    table = ok(cli("trails", "show", "1", "--plot", str(tmp_path / "p.svg")))
    assert "Hills" in table.stdout and "Category: hilly" in table.stdout
    assert (tmp_path / "p.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_technical_trail_hike_first_then_hiked(cli: Cli) -> None:
    ok(cli("trails", "add", str(HEIDELBERG), "--name", "Ridge path"))
    row = listed(cli)[0]
    assert row["category"] == "technical" and row["hike_first"] is True and row["hiked"] is False
    shown = ok(cli("trails", "show", "Ridge path"))
    assert "Hike it once before you run it (R9)" in " ".join(shown.stdout.split())
    ok(cli("trails", "hiked", "ridge PATH"))  # names are matched ignoring case
    assert listed(cli)[0]["hiked"] is True
    ok(cli("trails", "hiked", "Ridge path", "--undo"))
    assert listed(cli)[0]["hiked"] is False


def test_runner_corrects_the_category_and_it_survives_reanalysis(cli: Cli) -> None:
    ok(cli("trails", "add", str(VOSGES), "--name", "Loop"))
    ok(cli("trails", "set", "Loop", "--category", "dirt"))
    ok(cli("trails", "reanalyse", "Loop"))
    row = listed(cli)[0]
    assert row["category"] == "dirt" and row["category_source"] == "runner"


def test_no_altitude_file_says_no_elevation(cli: Cli) -> None:
    ok(cli("trails", "add", str(BOULDER), "--name", "Boulder"))
    detail = ok(cli("trails", "show", "Boulder", "--format", "json")).json()
    assert detail["elevation_source"] == "none" and detail["gain_m"] is None
    assert any(n.startswith("no elevation") for n in detail["notes"])
    shown = ok(cli("trails", "show", "Boulder"))
    assert "no elevation data" in shown.stdout


def test_a_plan_uses_the_library_and_hikes_the_technical_trail(cli: Cli) -> None:
    ok(cli("trails", "add", str(HEIDELBERG), "--name", "Ridge path"))
    doc = ok(
        cli(
            "plan",
            "--distance",
            "half",
            "--race-date",
            "2027-04-18",
            "--start",
            "2026-12-01",
            "--recent-race",
            "10k=48:30",
            "--weekly-km",
            "45",
            "--format",
            "json",
        )
    ).json()
    sessions = [s for w in doc["weeks"] for s in w["sessions"]]
    hikes = [s for s in sessions if s["kind"] == "hike"]
    runs = [s for s in sessions if s["trail"] and s["kind"] != "hike"]
    assert hikes and runs
    assert min(s["date"] for s in runs) > hikes[0]["date"]


def _bad_files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "empty": folder / "empty.gpx",
        "binary": folder / "binary.gpx",
        "cut": folder / "cut.fit",
        "bomb": folder / "bomb.gpx",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 4)
    data = HEIDELBERG.read_bytes()
    files["cut"].write_bytes(data[: len(data) // 2])
    files["bomb"].write_text(
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><gpx>&b;</gpx>',
        encoding="utf-8",
    )
    return files


def test_folder_import_reports_each_bad_file_and_keeps_the_good_ones(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "routes"
    bad = _bad_files(folder)
    shutil.copy(VOSGES, folder / "good.tcx")
    with gzip.open(folder / "good2.gpx.gz", "wb") as fh:
        fh.write((SHARED / "hike_route" / "gpxpy_korita_zbevnica_hike.gpx").read_bytes())
    r = cli("trails", "add", str(folder))
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(bad)
    for path in bad.values():
        assert any(str(path) in line for line in errors), path
    assert sorted(row["name"] for row in listed(cli)) == ["good", "good2"]


@pytest.mark.parametrize("case", ["empty", "binary", "cut", "bomb"])
def test_a_bad_file_stores_nothing(cli: Cli, tmp_path: Path, case: str) -> None:
    path = _bad_files(tmp_path / "bad")[case]
    r = cli("trails", "add", str(path))
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert str(path) in r.message
    assert listed(cli) == []


def test_names_are_unique_and_unknown_trails_are_named(cli: Cli) -> None:
    ok(cli("trails", "add", str(VOSGES), "--name", "Loop"))
    again = cli("trails", "add", str(VOSGES), "--name", "Loop")
    assert again.exit_code == 2 and "already stored" in again.message
    missing = cli("trails", "show", "Nowhere")
    assert missing.exit_code == 2 and "no trail 'Nowhere'" in missing.message
    assert "Loop" in missing.message  # says which trails exist
    bad_plot = cli("trails", "show", "Loop", "--plot", "x.gif")
    assert bad_plot.exit_code == 2 and "--plot" in bad_plot.message
    assert len(listed(cli)) == 1
