"""CPU time of starting `trailmix` commands, against a minimal Typer app in the same run.

Run: .venv/bin/python benchmarks/cli_startup.py [--repeat 5]

Each command runs as its own process (`python -m trailmix ...`, what the console script does);
its CPU time (user + system, from the children's rusage) is the median over `--repeat` runs.
The reference is a two-command Typer app's `--help` (typer and rich, nothing else), so the
ratios hold on a slower or busier machine. The database for `plan show` and `plan` is made
first, untimed: five trails from ../shared/data/activities, all marked hiked, and a 24-week
half-marathon plan over them.

Goals (issue 15): `trailmix --help` and `trailmix plan --help` within 2x of the reference,
`plan show` under 0.5 s of CPU, `plan` (24 weeks, 5 trails) under 1 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
ACTIVITIES = ROOT.parent / "shared" / "data" / "activities"
TRAIL_FILES = [
    "hike_route/gpxpy_korita_zbevnica_hike.gpx",
    "hike_route/black_forest_multiday_hike.gpx",
    "trail_hill/boulder_flatirons_trail_run_no_altitude.fit",
    "road/fr410_rolling_road_run.tcx",
    "road/fenix2_stavanger_run.fit",
]
MINIMAL_APP = '''
import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def bye(name: str) -> None:
    """Say bye."""
    typer.echo(f"bye {name}")


app()
'''


def cpu_seconds(args: list[str], env: dict[str, str]) -> float:
    """CPU time (user + system) of one child process running `args`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_cpu(args: list[str], env: dict[str, str], repeat: int) -> float:
    return statistics.median(cpu_seconds(args, env) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    repeat = parser.parse_args().repeat

    env = dict(os.environ, COLUMNS="100", PYTHONPATH=str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="trailmix-startup-"))
    # An installed trailmix starts from compiled bytecode (.pyc); a shell with
    # PYTHONDONTWRITEBYTECODE=1 would instead compile every trailmix module on every run
    # (~0.1 s more per command). The bytecode goes to the temporary folder, written by the
    # untimed set-up below, so the source tree stays clean; the reference app runs the same way.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    db = f"sqlite:///{tmp / 'bench.db'}"
    env["TRAILMIX_DB"] = db
    minimal = tmp / "minimal_app.py"
    minimal.write_text(MINIMAL_APP, encoding="utf-8")
    tm = [sys.executable, "-m", "trailmix"]

    # Untimed set-up: five trails, hiked, and a stored plan.
    files = [str(ACTIVITIES / f) for f in TRAIL_FILES]
    subprocess.run([*tm, "trails", "add", *files], env=env, check=True, capture_output=True)
    for trail_id in range(1, len(files) + 1):
        subprocess.run(
            [*tm, "trails", "hiked", str(trail_id)], env=env, check=True, capture_output=True
        )
    start = date.today()
    race = start + timedelta(weeks=24) - timedelta(days=start.weekday() - 6)
    make_plan = [
        *tm,
        "plan",
        "--distance",
        "half",
        "--race-date",
        race.isoformat(),
        "--recent-race",
        "10k=48:30",
        "--weekly-km",
        "40",
        "--age",
        "38",
    ]
    subprocess.run(make_plan, env=env, check=True, capture_output=True)

    for warm_up in (
        [*tm, "--help"],
        [*tm, "plan", "show"],
        [sys.executable, str(minimal), "--help"],
    ):
        subprocess.run(warm_up, env=env, check=True, capture_output=True)  # bytecode written
    reference = median_cpu([sys.executable, str(minimal), "--help"], env, repeat)
    rows = [
        ("trailmix --help", [*tm, "--help"], 2.0 * reference, "2x reference"),
        ("trailmix plan --help", [*tm, "plan", "--help"], 2.0 * reference, "2x reference"),
        ("trailmix plan show", [*tm, "plan", "show"], 0.5, "0.5 s"),
        ("trailmix plan (24 weeks, 5 trails)", make_plan, 1.0, "1 s"),
    ]
    table = Table(title=f"CLI start-up, CPU seconds (median of {repeat})")
    for col in ("command", "CPU s", "x reference", "goal", "met"):
        table.add_column(col, justify="left" if col == "command" else "right")
    table.add_row("minimal Typer app --help (reference)", f"{reference:.3f}", "1.0", "", "")
    for name, args, goal, goal_text in rows:
        cpu = median_cpu(args, env, repeat)
        table.add_row(
            name,
            f"{cpu:.3f}",
            f"{cpu / reference:.1f}",
            goal_text,
            "yes" if cpu <= goal else "NO",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
