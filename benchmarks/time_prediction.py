"""Benchmark: how well each route-time model predicts real runs (docs/time-model.md).

    .venv/bin/python benchmarks/time_prediction.py [--files PATH ...]

Protocol, the same for every model:

1. Each file with timestamps and elevation is read (`read_track`) and put on the 10 m grid
   (`build_profile`); moving time per grid step excludes stops (`trailmix.domain.terrain.moving`:
   steps slower than 0.5 m/s or longer than 60 s are not moving). Only timed steps with a
   grade are used (the "valid" steps).
2. The valid steps are cut at half their distance. Each half calibrates the runner's flat
   speed for the model (the speed at which the model's time for that half equals the observed
   moving time there), and the model then predicts the moving time of the *other* half from
   its grid alone: two predictions per run. No model sees the time of the half it predicts.
3. Error = |predicted - observed| / observed moving time of the predicted half. The table
   gives the median and 90th percentile over all predictions.
4. trailmix personal: for a run, the personal model is fitted on the *other* runs of the same
   runner (leave one out), never on the run it predicts. Runner = the first word of the file
   name (before "_"): the shared files are named by device or source, and the eight Recife
   files are one runner's month. A runner with one run gets the population model.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from trailmix.app.trails import route_files
from trailmix.domain.terrain.moving import TimedProfile, timed_profile
from trailmix.domain.terrain.personal import fit_personal
from trailmix.domain.terrain.population import (
    GRADE_WINDOW_M,
    POPULATION,
    Route,
    TimeModel,
    windowed_grade,
)
from trailmix.domain.terrain.reference import REFERENCE_MODELS
from trailmix.errors import TrailmixError
from trailmix.formats.readers import read_track

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "activities"
MIN_PART_M = 1000.0
MIN_PART_S = 300.0

# Per-step seconds for the whole run at a flat speed.
StepSeconds = Callable[[float], np.ndarray]


@dataclass
class Run:
    name: str
    runner: str
    timed: TimedProfile
    valid: np.ndarray
    first: np.ndarray  # among valid steps: in the first half
    observed_s: np.ndarray  # moving seconds of the valid steps


def load(paths: list[Path], console: Console) -> list[Run]:
    runs: list[Run] = []
    for path in route_files(paths):
        try:
            track = read_track(path)
        except TrailmixError as exc:
            console.print(f"[yellow]skip[/] {path.name}: {exc.message}")
            continue
        if not track.has_time:
            console.print(f"[yellow]skip[/] {path.name}: no timestamps")
            continue
        tp = timed_profile(track)
        if not tp.profile.has_elevation:
            console.print(f"[yellow]skip[/] {path.name}: no elevation (no altitude, no DEM)")
            continue
        valid = tp.timed & np.isfinite(tp.grade)
        d = tp.step_m[valid]
        t = tp.moving_s[valid]
        cum = np.cumsum(d)
        first = cum - d / 2 < cum[-1] / 2 if len(cum) else cum > 0
        parts_ok = all(
            d[m].sum() >= MIN_PART_M and t[m].sum() >= MIN_PART_S for m in (first, ~first)
        )
        if not parts_ok:
            console.print(f"[yellow]skip[/] {path.name}: less than 1 km / 5 min timed per half")
            continue
        runner = path.name.split("_", 1)[0]
        runs.append(Run(path.name, runner, tp, valid, first, t))
    return runs


def calibrate_and_predict(secs_at: StepSeconds, calib: np.ndarray, observed: np.ndarray) -> float:
    """Flat speed from the calibration steps (fixed point: model time = observed time), then
    the predicted seconds of the other steps."""
    target = float(observed[calib].sum())
    v = 3.0
    for _ in range(8):
        model_s = float(secs_at(v)[calib].sum())
        v = v * model_s / target
    return float(secs_at(v)[~calib].sum())


def reference_seconds(run: Run, cost: Callable[[np.ndarray], np.ndarray]) -> StepSeconds:
    d = run.timed.step_m[run.valid]
    g = run.timed.grade[run.valid]
    c = d * cost(g)
    return lambda v: c / v


def trailmix_route(run: Run) -> Route:
    p = run.timed.profile
    g = windowed_grade(p.distance_m, p.elevation_m, p.segment, GRADE_WINDOW_M)[run.valid]
    d = run.timed.step_m[run.valid]
    return Route(d, g, np.concatenate([[0.0], np.cumsum(d)[:-1]]), name=run.name)


def model_seconds(run: Run, model: TimeModel) -> StepSeconds:
    route = trailmix_route(run)
    return lambda v: model.step_seconds(route, v)


def errors_for(run: Run, secs_at: StepSeconds) -> list[float]:
    out = []
    for calib in (run.first, ~run.first):
        pred = calibrate_and_predict(secs_at, calib, run.observed_s)
        obs = float(run.observed_s[~calib].sum())
        out.append((pred - obs) / obs * 100)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", nargs="+", type=Path, default=[DEFAULT_DATA])
    args = parser.parse_args(argv)
    console = Console(width=max(Console().width, 110))
    runs = load(args.files, console)
    if not runs:
        console.print("[red]no usable runs[/] (need timestamps and elevation)")
        return 1

    signed: dict[str, list[float]] = {}
    per_run: dict[str, dict[str, list[float]]] = {}
    names = [m.name for m in REFERENCE_MODELS] + ["trailmix population", "trailmix personal"]
    for run in runs:
        res: dict[str, list[float]] = {}
        for m in REFERENCE_MODELS:
            res[m.name] = errors_for(run, reference_seconds(run, m.cost))
        res["trailmix population"] = errors_for(run, model_seconds(run, POPULATION))
        others = [r.timed for r in runs if r.runner == run.runner and r is not run]
        personal = fit_personal(others)
        res["trailmix personal"] = errors_for(run, model_seconds(run, personal))
        per_run[run.name] = res
        for k, v in res.items():
            signed.setdefault(k, []).extend(v)

    n_pred = 2 * len(runs)
    table = Table(
        title=f"Moving-time prediction error, {len(runs)} runs, {n_pred} predictions "
        "(calibrate on one half, predict the other)"
    )
    table.add_column("model")
    table.add_column("median |err| %", justify="right")
    table.add_column("p90 |err| %", justify="right")
    table.add_column("mean signed %", justify="right")
    best = min(names, key=lambda k: float(np.median(np.abs(signed[k]))))
    for k in names:
        e = np.abs(np.asarray(signed[k]))
        style = "bold green" if k == best else ""
        table.add_row(
            k,
            f"{np.median(e):.2f}",
            f"{np.percentile(e, 90):.1f}",
            f"{np.mean(signed[k]):+.1f}",
            style=style,
        )
    console.print(table)

    pop = np.asarray(signed["trailmix population"])
    console.print(
        f"trailmix population signed error: 10th percentile {np.percentile(pop, 10):+.1f} %, "
        f"90th {np.percentile(pop, 90):+.1f} % (the prediction range, terrain.RANGE_FRACTION)"
    )

    groups = sorted({r.runner for r in runs})
    by_runner = Table(
        title="Runners with at least two runs: personal (leave one out) vs population"
    )
    for col in ("runner", "runs", "population median %", "personal median %", "no worse"):
        by_runner.add_column(col, justify="right" if col != "runner" else "left")
    for g in groups:
        members = [r.name for r in runs if r.runner == g]
        if len(members) < 2:
            continue
        p = np.abs([x for n in members for x in per_run[n]["trailmix population"]])
        q = np.abs([x for n in members for x in per_run[n]["trailmix personal"]])
        ok = float(np.median(q)) <= float(np.median(p)) + 1e-9
        by_runner.add_row(
            g,
            str(len(members)),
            f"{np.median(p):.2f}",
            f"{np.median(q):.2f}",
            "yes" if ok else "NO",
        )
    console.print(by_runner)

    detail = Table(
        title="Per run: signed error % (calibrate first half -> predict second / reverse)"
    )
    detail.add_column("run")
    for k in names:
        detail.add_column(k.replace("trailmix ", "tm "), justify="right")
    for run in runs:
        detail.add_row(
            run.name[:28],
            *(f"{per_run[run.name][k][0]:+.1f}/{per_run[run.name][k][1]:+.1f}" for k in names),
        )
    console.print(detail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
