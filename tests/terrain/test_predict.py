"""`trailmix predict` and the time models on real files (docs/time-model.md)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from trailmix.cli.predict_cmd import predict
from trailmix.errors import TrailmixError

ACTIVITIES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "activities"
HILL = ACTIVITIES / "trail_hill" / "fr645m_heidelberg_hill_run.fit"
NO_ALT = ACTIVITIES / "trail_hill" / "boulder_fr35_run_no_altitude.fit"
FR410 = ACTIVITIES / "road" / "fr410_rolling_road_run.tcx"
RECIFE = sorted((ACTIVITIES / "road").glob("recife_*.tcx"))
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

app = typer.Typer()
app.command("predict")(predict)


def run(*args: str, db: str) -> tuple[int, str, str]:
    """Invoke like `trailmix.cli.main`: a TrailmixError is one line on stderr and exit 2."""
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        try:
            app(args=[*args, "--db", db], prog_name="trailmix", standalone_mode=False)
            code = 0
        except TrailmixError as exc:
            sys.stderr.write(f"error: {exc.message}\n")
            code = 2
        except SystemExit as exc:
            code = int(exc.code or 0)
        sys.stdout.flush()
        sys.stderr.flush()
        return code, _ANSI.sub("", out.getvalue().decode()), err.getvalue().decode()


@pytest.fixture
def db(db_url: str) -> str:
    return db_url


def test_predict_hill_file_table(db: str) -> None:
    code, out, _ = run(str(HILL), "--flat-pace", "6:00", db=db)
    assert code == 0
    assert "predicted moving time" in out and "Hills" in out


def test_predict_json_contract(db: str) -> None:
    code, out, _ = run(str(HILL), "--flat-pace", "6:00", "--effort", "4", "-f", "json", db=db)
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {
        "route", "distance_km", "has_elevation", "altitude", "footing_factor", "effort",
        "model", "flat_speed_ms", "flat_pace_s_per_km", "flat_minutes", "minutes",
        "low_minutes", "high_minutes", "hills", "notes",
    }  # fmt: skip
    assert doc["altitude"] == "barometric"
    # a steep hill run without evidence about its ground: no footing factor, and it says so
    assert doc["footing_factor"] == 1.0
    assert any("no surface evidence" in n for n in doc["notes"])
    assert not any("technical" in n or "hilly" in n for n in doc["notes"])
    assert doc["low_minutes"] < doc["minutes"] < doc["high_minutes"]
    assert doc["minutes"] > doc["flat_minutes"]  # 214 m of climbing costs time
    assert doc["hills"] and set(doc["hills"][0]) == {
        "index", "start_km", "length_m", "gain_m", "avg_grade", "minutes",
    }  # fmt: skip
    assert sum(h["minutes"] for h in doc["hills"]) < doc["minutes"]


def test_no_elevation_predicts_flat_and_says_so(db: str) -> None:
    code, out, _ = run(str(NO_ALT), "--flat-pace", "5:30", "-f", "json", db=db)
    assert code == 0
    doc = json.loads(out)
    assert doc["has_elevation"] is False
    assert any("no elevation" in n for n in doc["notes"])
    assert doc["minutes"] == pytest.approx(doc["flat_minutes"], rel=1e-3)
    assert doc["altitude"] == "none"


@pytest.mark.parametrize("effort", ["0", "11"])
def test_effort_outside_scale(db: str, effort: str) -> None:
    code, _, err = run(str(HILL), "--flat-pace", "5:30", "--effort", effort, db=db)
    assert code == 2 and err.count("\n") == 1 and "1-10" in err


def test_no_pace_says_what_to_provide(db: str) -> None:
    code, _, err = run(str(HILL), db=db)
    assert code == 2 and err.count("\n") == 1
    assert "--flat-pace" in err and "--history" in err


def test_bad_pace_and_missing_route(db: str) -> None:
    code, _, err = run(str(HILL), "--flat-pace", "fast", db=db)
    assert code == 2 and "--flat-pace" in err
    code, _, err = run("no-such-trail", "--flat-pace", "5:30", db=db)
    assert code == 2 and "no trail" in err


def test_history_gives_pace_and_personal_model(db: str) -> None:
    hist = [x for f in RECIFE[1:4] for x in ("--history", str(f))]  # repeat the option
    code, out, _ = run(str(RECIFE[0]), *hist, "-f", "json", db=db)
    assert code == 0
    doc = json.loads(out)
    assert doc["model"] == "personal"
    assert 2.0 < doc["flat_speed_ms"] < 4.0
    assert any("personal model from 3 runs" in n for n in doc["notes"])
    # flat road runs: the hill terms do not move, and the notes say why
    assert any("climbing not learned" in n and "300 m needed" in n for n in doc["notes"])
    assert any("descending not learned" in n for n in doc["notes"])


def test_stored_trail_by_name(db: str) -> None:
    from trailmix.app import trails as library
    from trailmix.storage.db import Database

    library.add_file(Database(db), HILL, name="Heidelberg")
    code, out, _ = run("heidelberg", "--flat-pace", "6:00", "-f", "json", db=db)
    assert code == 0
    by_trail = json.loads(out)
    _, out2, _ = run(str(HILL), "--flat-pace", "6:00", "-f", "json", db=db)
    assert by_trail["minutes"] == pytest.approx(json.loads(out2)["minutes"], rel=0.01)


def test_footing_only_from_evidence(db: str) -> None:
    base = json.loads(run(str(HILL), "--flat-pace", "6:00", "-f", "json", db=db)[1])
    code, out, _ = run(str(HILL), "--flat-pace", "6:00", "--surface", "gravel", "-f", "json", db=db)
    assert code == 0
    gravel = json.loads(out)
    assert gravel["footing_factor"] == 1.02
    assert gravel["minutes"] == pytest.approx(base["minutes"] * 1.02, rel=1e-3)
    assert any("surface gravel, as you gave it" in n for n in gravel["notes"])
    rough = json.loads(
        run(str(HILL), "--flat-pace", "6:00", "--tag", "smoothness=horrible", "-f", "json", db=db)[
            1
        ]
    )
    assert rough["footing_factor"] == 1.2


def test_stored_trail_uses_the_category_the_runner_confirmed(db: str) -> None:
    from trailmix.app import trails as library
    from trailmix.domain.trail.model import TrailCategory
    from trailmix.storage.db import Database

    rec = library.add_file(Database(db), HILL, name="Heidelberg")
    assert rec.category_source == "analysis"  # the analysis calls it hilly/technical by grade
    before = json.loads(run("heidelberg", "--flat-pace", "6:00", "-f", "json", db=db)[1])
    assert before["footing_factor"] == 1.0
    library.correct(Database(db), rec.id, category=TrailCategory.DIRT)
    after = json.loads(run("heidelberg", "--flat-pace", "6:00", "-f", "json", db=db)[1])
    assert after["footing_factor"] == 1.08
    assert any("you confirmed it as dirt" in n for n in after["notes"])


def test_gps_only_altitude_is_recognised(db: str) -> None:
    code, out, _ = run(str(FR410), "--flat-pace", "6:00", "-f", "json", db=db)
    assert code == 0
    doc = json.loads(out)
    assert doc["altitude"] == "gps"
    assert any("GPS-only" in n and "150 m" in n for n in doc["notes"])


def test_benchmark_runs_on_given_files() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import time_prediction

    assert time_prediction.main(["--files", str(HILL), *map(str, RECIFE[:2])]) == 0
