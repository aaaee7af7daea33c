"""Shoes (R10): pairs from an export's gear, km and hours per surface summed from the runs,
replacement reminders, a run's pair set by hand, and the plan's advice naming the pair."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.cliharness import Cli, Run
from support.gearexport import RECIFE, gear_export
from trailmix.domain.log.shoes import (
    RETIRE_KM,
    WARN_SHARE,
    Pair,
    ShoeKind,
    Wear,
    advice,
    guess_kind,
    reminder,
    wear,
)
from trailmix.domain.types import Shoe


def ok(r: Run, code: int = 0) -> Run:
    assert r.exit_code == code, r.output
    assert "Traceback" not in r.output
    return r


def _export(path: Path) -> Path:
    path.write_bytes(gear_export())
    return path


def _shoes(cli: Cli, *extra: str) -> dict[str, dict[str, Any]]:
    data = ok(cli("shoes", "list", "--format", "json", *extra)).json()
    return {s["name"]: s for s in data}


def _runs(cli: Cli) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = ok(cli("log", "list", "--limit", "0", "--format", "json")).json()
    return data


@pytest.fixture
def imported(cli: Cli, tmp_path: Path) -> dict[str, Any]:
    report: dict[str, Any] = ok(
        cli("log", "import", str(_export(tmp_path / "export.zip")), "--format", "json")
    ).json()
    assert len(report["imported"]) == 5
    return report


def test_an_export_with_gear_makes_the_pairs_and_links_the_runs(
    cli: Cli, imported: dict[str, Any], tmp_path: Path
) -> None:
    pairs = _shoes(cli)
    assert set(pairs) == {"Nike Pegasus 40", "Hoka Speedgoat 5", "Old faithful"}
    assert pairs["Hoka Speedgoat 5"]["kind"] == "trail"
    assert pairs["Nike Pegasus 40"]["kind"] == "road"
    assert pairs["Old faithful"]["kind"] is None  # left for the runner to set
    assert all(p["retire_km"] == RETIRE_KM for p in pairs.values())
    by_name = {r["name"]: r for r in imported["imported"]}  # the report has the links too
    assert by_name["Vosges forest"]["shoe_id"] == pairs["Hoka Speedgoat 5"]["id"]
    assert by_name["No gear"]["shoe_id"] is None
    stored = {r["name"]: r for r in _runs(cli)}
    assert stored["Morning run"]["shoe_id"] == stored["Evening run"]["shoe_id"]
    assert stored["Morning run"]["shoe_id"] == pairs["Nike Pegasus 40"]["id"]
    # importing the export again makes no second pair
    ok(cli("log", "import", str(_export(tmp_path / "again.zip"))))
    assert len(ok(cli("shoes", "list", "--format", "json")).json()) == 3


def test_km_and_hours_per_surface_are_the_runs_sums(cli: Cli, imported: dict[str, Any]) -> None:
    runs = _runs(cli)
    for pair in _shoes(cli).values():
        mine = [r for r in runs if r["shoe_id"] == pair["id"]]
        assert pair["runs"] == len(mine)
        assert pair["total_km"] == pytest.approx(sum(r["distance_km"] for r in mine), abs=0.02)
        for surface, use in pair["surfaces"].items():
            on = [r for r in mine if r["surface"] == surface]
            assert use["runs"] == len(on)
            assert use["km"] == pytest.approx(sum(r["distance_km"] for r in on), abs=0.02)
            hours = sum(r["moving_min"] for r in on) / 60
            assert use["hours"] == pytest.approx(hours, abs=0.02)
        assert pair["total_km"] == pytest.approx(
            sum(u["km"] for u in pair["surfaces"].values()), abs=0.02
        )
    # a surface corrected moves the run's km to the other surface of its pair
    road_run = next(r for r in runs if r["name"] == "Morning run")
    ok(cli("log", "surface", str(road_run["id"]), "trail"))
    pegasus = _shoes(cli)["Nike Pegasus 40"]
    assert pegasus["surfaces"]["trail"]["km"] == pytest.approx(road_run["distance_km"], abs=0.01)


def test_a_run_s_pair_set_by_hand(cli: Cli, imported: dict[str, Any]) -> None:
    ok(cli("shoes", "add", "Brooks Cascadia 17", "--retire-km", "800"))
    run = next(r for r in _runs(cli) if r["name"] == "No gear")
    r = ok(cli("log", "set-shoe", str(run["id"]), "brooks cascadia 17", "--format", "json"))
    cascadia = _shoes(cli)["Brooks Cascadia 17"]
    assert r.json()["shoe_id"] == cascadia["id"]
    assert cascadia["kind"] == "trail" and cascadia["retire_km"] == 800
    assert cascadia["total_km"] == pytest.approx(run["distance_km"], abs=0.01)
    ok(cli("log", "set-shoe", str(run["id"]), "none"))
    assert _shoes(cli)["Brooks Cascadia 17"]["runs"] == 0
    ok(cli("shoes", "set", "Old faithful", "--kind", "hybrid", "--name", "Old pair"))
    assert _shoes(cli)["Old pair"]["kind"] == "hybrid"
    ok(cli("shoes", "retire", "Old pair"))
    assert "Old pair" not in _shoes(cli) and _shoes(cli, "--all")["Old pair"]["retired"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["shoes", "add", "Pegasus", "--kind", "slipper"], "not a kind of shoe"),
        (["shoes", "add", "Pegasus", "--retire-km", "20"], "--retire-km"),
        (["shoes", "add", "  "], "1 to 200 characters"),
        (["shoes", "set", "Nope", "--kind", "road"], "no shoe 'Nope'"),
        (["log", "set-shoe", "999999", "1"], "no run with id 999999"),
        (["log", "set-shoe", "1", "Nope"], "no shoe 'Nope'"),
    ],
)
def test_bad_input_is_one_line(cli: Cli, args: list[str], words: str) -> None:
    ok(cli("log", "import", str(RECIFE[0])))
    r = cli(*args)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert words in r.message


def test_a_duplicate_name_is_refused(cli: Cli) -> None:
    ok(cli("shoes", "add", "Speedgoat"))
    r = cli("shoes", "add", "speedgoat")
    assert r.exit_code == 2 and "stored already" in r.message


def test_the_plan_names_the_runner_s_pair(cli: Cli, imported: dict[str, Any]) -> None:
    ok(
        cli(
            "plan",
            "--distance",
            "half",
            "--race-date",
            (date.today() + timedelta(weeks=14)).isoformat(),
            "--recent-race",
            "10k=48:30",
            "--weekly-km",
            "40",
        )
    )
    sessions = [
        s
        for w in ok(cli("plan", "show", "--format", "json")).json()["weeks"]
        for s in w["sessions"]
    ]
    trail = next(s for s in sessions if s["shoe"] == "trail")
    speedgoat = _shoes(cli)["Hoka Speedgoat 5"]
    words = f"your Hoka Speedgoat 5, {speedgoat['total_km']:.0f} km"
    shown = ok(cli("plan", "show")).stdout
    assert words in " ".join(shown.split())  # the table may fold the cell
    explained = ok(cli("explain", trail["date"])).stdout
    assert words in " ".join(explained.replace("│", " ").split())
    # the stored contract keeps R10's kind only
    assert "Speedgoat" not in ok(cli("plan", "show", "--format", "json")).stdout
    # a retired pair is not advised any more
    ok(cli("shoes", "retire", "Hoka Speedgoat 5"))
    assert "Speedgoat" not in ok(cli("plan", "show")).stdout


# --- The domain: kinds, wear, advice ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Hoka Speedgoat 5", ShoeKind.TRAIL),
        ("Brooks Peregrine 13", ShoeKind.TRAIL),  # Saucony, really: the model name says it
        ("Nike Pegasus Trail 4", ShoeKind.TRAIL),
        ("Nike Pegasus 40", ShoeKind.ROAD),
        ("Hoka Challenger ATR 7", ShoeKind.HYBRID),
        ("Hoka Clifton 9", ShoeKind.ROAD),
        ("Old faithful", None),
        ("Blue ones", None),
    ],
)
def test_the_kind_from_the_name(name: str, kind: ShoeKind | None) -> None:
    assert guess_kind(name) is kind


def test_wear_thresholds() -> None:
    assert wear(0.0, 700) is Wear.OK
    assert wear(629.9, 700) is Wear.OK
    assert wear(630.0, 700) is Wear.WARN  # 90 %
    assert wear(700.0, 700) is Wear.WARN  # at the distance: not yet past it
    assert wear(700.1, 700) is Wear.REPLACE
    assert reminder(Pair(1, "Speedgoat", ShoeKind.TRAIL, 500, 700)) is None
    warn = reminder(Pair(1, "Speedgoat", ShoeKind.TRAIL, 650, 700))
    assert warn is not None and "93%" in warn and "700 km" in warn
    due = reminder(Pair(1, "Speedgoat", ShoeKind.TRAIL, 712, 700))
    assert due is not None and "712 km" in due and "new pair" in due
    assert reminder(Pair(1, "Speedgoat", ShoeKind.TRAIL, 900, 700, retired=True)) is None


@settings(max_examples=60, deadline=None)
@given(
    km=st.floats(0, 5000, allow_nan=False),
    more=st.floats(0, 500, allow_nan=False),
    retire=st.floats(100, 5000, allow_nan=False),
)
def test_wear_only_grows_with_distance(km: float, more: float, retire: float) -> None:
    order = [Wear.OK, Wear.WARN, Wear.REPLACE]
    assert order.index(wear(km, retire)) <= order.index(wear(km + more, retire))
    assert (wear(km, retire) is Wear.OK) == (km < WARN_SHARE * retire)


def test_advice_names_the_pair_in_use() -> None:
    old = Pair(1, "Speedgoat 4", ShoeKind.TRAIL, 420, 700, last_used=date(2026, 9, 1))
    new = Pair(2, "Speedgoat 5", ShoeKind.TRAIL, 412.4, 700, last_used=date(2026, 11, 30))
    road = Pair(3, "Pegasus", ShoeKind.ROAD, 100, 700, last_used=date(2026, 12, 1))
    found = advice(Shoe.TRAIL, [old, new, road])
    assert found is not None and found.text == "your Speedgoat 5, 412 km"
    assert found.pair_id == 2 and found.reason.rule == "R10"
    assert advice(Shoe.HYBRID, [old, new, road]) is None  # no hybrid: R10's own words
    assert advice(Shoe.ROAD_TRAINER, [road]) is not None
    # the pair in use is past its distance: the other one is advised
    worn = Pair(2, "Speedgoat 5", ShoeKind.TRAIL, 701, 700, last_used=date(2026, 11, 30))
    fallback = advice(Shoe.TRAIL, [old, worn])
    assert fallback is not None and fallback.pair_id == 1
    # only worn or retired pairs: none is advised, the advice says to replace it
    only = advice(Shoe.TRAIL, [worn, Pair(1, "Peregrine", ShoeKind.TRAIL, 10, 700, True)])
    assert only is not None and only.pair_id is None
    assert "replace it" in only.text and "Speedgoat 5" in only.text
    assert advice(Shoe.TRAIL, [Pair(1, "Peregrine", ShoeKind.TRAIL, 10, 700, True)]) is None
    near = advice(Shoe.TRAIL, [Pair(1, "Peregrine", ShoeKind.TRAIL, 650, 700)])
    assert near is not None and "replace at 700 km" in near.text
