"""Benchmark: how well each route-time model predicts real runs (docs/time-model.md 3).

    .venv/bin/python benchmarks/time_prediction.py [--files PATH ...] [--fit]

Protocol, the same for every model:

1. Each file with timestamps and elevation is read (`read_track`) and put on the 10 m grid of
   the trail analysis (`build_profile`: bin mean, spike filter, 5 m Gaussian); moving time per
   grid step excludes stops (`trailmix.domain.terrain.moving`). Every model gets the same grade:
   the analysis's 50 m grade of that smoothed profile; trailmix alone measures GPS-only
   altitude (`terrain.altitude`) over 150 m, and takes a run whose relief is under 8 m per km
   as flat (`population.resolved_grade`), as `trailmix predict` does. A step is used when it
   is timed and has a grade.
2. The used steps are cut at half their distance. Each half calibrates the runner's flat speed
   for the model (the speed at which the model's time for that half equals the observed moving
   time), and the model predicts the moving time of the *other* half: two predictions per run.
3. Error = (predicted - observed) / observed moving time of the predicted half.
4. Groups: hilly runs climb >= 15 m per km (the analysis's gain per km), flat runs the rest.
5. trailmix population is **leave one file out**: for each file, the grade curve is fitted on
   the other files only (`calibration.fit_curve`, its ridge weight chosen by a leave-one-out
   inside those files), and so is its range (`calibration.fit_range` on the inner held-out
   errors). The range's coverage is the share of held-out halves inside [low, high].
6. trailmix personal: a runner (the first word of the file name) with other runs gets the
   personal model fitted on those other runs only, on top of that file's held-out curve.
   Runners with one run have no personal prediction ("-").

Every run also prints the curve and range fitted on all files, next to the constants shipped in
`trailmix.domain.terrain.population` (GRADE_CURVE, RANGE_MODEL), and the files they were fitted
on; `--fit` prints them ready to paste.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from trailmix.app.trails import route_files
from trailmix.domain.terrain.altitude import Altitude, classify_altitude
from trailmix.domain.terrain.calibration import (
    GradeCurve,
    RangeModel,
    SplitRun,
    Terrain,
    choose_ridge,
    fit_curve,
    fit_range,
    split_errors,
)
from trailmix.domain.terrain.moving import TimedProfile, timed_profile
from trailmix.domain.terrain.personal import fit_personal
from trailmix.domain.terrain.population import (
    GRADE_CURVE,
    GRADE_WINDOW_M,
    RANGE_MODEL,
    Route,
    TimeModel,
    resolved_grade,
    windowed_grade,
)
from trailmix.domain.terrain.reference import REFERENCE_MODELS
from trailmix.errors import TrailmixError
from trailmix.formats.readers import read_track

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "activities"
MIN_PART_M = 1000.0
MIN_PART_S = 300.0
HILLY_M_PER_KM = 15.0
"""The issue's split: hilly runs climb at least 15 m per km (the trail analysis's gain)."""

FloatArray = np.ndarray
StepSeconds = Callable[[float], FloatArray]


@dataclass
class Run:
    name: str
    runner: str
    timed: TimedProfile
    altitude: Altitude
    gain_per_km: float
    valid: FloatArray  # bool mask of the used grid steps
    first: FloatArray  # among used steps: in the first half
    observed_s: FloatArray  # moving seconds of the used steps
    grade50: FloatArray  # the analysis's 50 m grade of the used steps (every model)
    grade_tm: FloatArray  # trailmix's grade (150 m for GPS-only altitude; 0 if unresolved)
    relief: float  # up and down per km on trailmix's grades before `resolved_grade`

    @property
    def hilly(self) -> bool:
        return self.gain_per_km >= HILLY_M_PER_KM

    @property
    def step_m(self) -> FloatArray:
        return self.timed.step_m[self.valid]

    def split(self) -> SplitRun:
        d, g, t = self.step_m, self.grade_tm, self.observed_s
        f = self.first
        return SplitRun(
            self.name,
            Terrain.of(d[f], g[f]),
            Terrain.of(d[~f], g[~f]),
            float(t[f].sum()),
            float(t[~f].sum()),
        )


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
        p = tp.profile
        if not p.has_elevation:
            console.print(f"[yellow]skip[/] {path.name}: no elevation (no altitude, no DEM)")
            continue
        alt = classify_altitude(track, p.elevation_source)
        tp = replace(tp, grade_window_m=alt.grade_window_m)
        g50 = windowed_grade(p.distance_m, p.elevation_m, p.segment, GRADE_WINDOW_M)
        gtm = windowed_grade(p.distance_m, p.elevation_m, p.segment, alt.grade_window_m)
        valid = tp.timed & np.isfinite(g50)
        d = tp.step_m[valid]
        t = tp.moving_s[valid]
        # trailmix's grades as `Route.from_grid` makes them: flat under 8 m/km of relief
        gtm_used, _ = resolved_grade(d, gtm[valid])
        cum = np.cumsum(d)
        first = cum - d / 2 < cum[-1] / 2 if len(cum) else cum > 0
        parts_ok = all(
            d[m].sum() >= MIN_PART_M and t[m].sum() >= MIN_PART_S for m in (first, ~first)
        )
        if not parts_ok:
            console.print(f"[yellow]skip[/] {path.name}: less than 1 km / 5 min timed per half")
            continue
        runner = path.name.split("_", 1)[0]
        runs.append(
            Run(
                path.name,
                runner,
                tp,
                alt,
                p.gain_per_km or 0.0,
                valid,
                first,
                t,
                g50[valid],
                gtm_used,
                Terrain.of(d, gtm[valid]).relief_m_per_km,
            )
        )
    return runs


def calibrate_and_predict(secs_at: StepSeconds, calib: FloatArray, observed: FloatArray) -> float:
    """Flat speed from the calibration steps (fixed point: model time = observed time), then
    the predicted seconds of the other steps."""
    target = float(observed[calib].sum())
    v = 3.0
    for _ in range(8):
        model_s = float(secs_at(v)[calib].sum())
        v = v * model_s / target
    return float(secs_at(v)[~calib].sum())


def errors_for(run: Run, secs_at: StepSeconds) -> tuple[float, float]:
    out = []
    for calib in (run.first, ~run.first):
        pred = calibrate_and_predict(secs_at, calib, run.observed_s)
        obs = float(run.observed_s[~calib].sum())
        out.append((pred - obs) / obs)
    return out[0], out[1]


def reference_seconds(run: Run, cost: Callable[[FloatArray], FloatArray]) -> StepSeconds:
    c = run.step_m * cost(run.grade50)
    return lambda v: c / v


def model_seconds(run: Run, model: TimeModel) -> StepSeconds:
    d = run.step_m
    route = Route(d, run.grade_tm, np.concatenate([[0.0], np.cumsum(d)[:-1]]), name=run.name)
    return lambda v: model.step_seconds(route, v)


def loo_errors(splits: Sequence[SplitRun], ridge: float) -> list[tuple[float, float]]:
    """Each run's split-half errors under the curve fitted on the other runs."""
    return [
        split_errors(s, fit_curve([r for j, r in enumerate(splits) if j != i], ridge))
        for i, s in enumerate(splits)
    ]


def fit_all(splits: Sequence[SplitRun]) -> tuple[GradeCurve, float, RangeModel]:
    """Curve, ridge and range fitted on `splits` alone (the range on their held-out errors)."""
    ridge = choose_ridge(splits)
    curve = fit_curve(splits, ridge)
    errs = loo_errors(splits, ridge)
    abs_log = [abs(math.log1p(e)) for pair in errs for e in pair]
    relief = [t.relief_m_per_km for s in splits for t in (s.second, s.first)]
    return curve, ridge, fit_range(abs_log, relief)


@dataclass
class Result:
    errors: dict[str, tuple[float, float] | None]
    inside: tuple[bool, bool]
    curve: GradeCurve
    ridge: float


def in_range(err: float, relief: float, rng: RangeModel) -> bool:
    """Whether the observed time is inside [low, high] of the prediction."""
    h = rng.half_width(relief)
    return abs(math.log1p(err)) <= h


def evaluate(runs: list[Run]) -> dict[str, Result]:
    splits = [r.split() for r in runs]
    out: dict[str, Result] = {}
    for i, run in enumerate(runs):
        train = [s for j, s in enumerate(splits) if j != i]
        curve, ridge, rng = fit_all(train)
        res: dict[str, tuple[float, float] | None] = {}
        for m in REFERENCE_MODELS:
            res[m.name] = errors_for(run, reference_seconds(run, m.cost))
        pop = TimeModel(curve=curve, range_model=rng)
        res["trailmix population"] = errors_for(run, model_seconds(run, pop))
        others = [r.timed for r in runs if r.runner == run.runner and r is not run]
        if others:
            personal = fit_personal(others, base=pop)
            res["trailmix personal"] = errors_for(run, model_seconds(run, personal))
        else:
            res["trailmix personal"] = None
        pe = res["trailmix population"]
        s = splits[i]
        inside = (
            in_range(pe[0], s.second.relief_m_per_km, rng),
            in_range(pe[1], s.first.relief_m_per_km, rng),
        )
        out[run.name] = Result(res, inside, curve, ridge)
    return out


def names() -> list[str]:
    return [m.name for m in REFERENCE_MODELS] + ["trailmix population", "trailmix personal"]


def group_table(runs: list[Run], results: dict[str, Result]) -> Table:
    groups = {
        "all": runs,
        f"hilly (>= {HILLY_M_PER_KM:g} m/km)": [r for r in runs if r.hilly],
        "flat": [r for r in runs if not r.hilly],
    }
    table = Table(
        title="Moving-time prediction error |predicted - observed| / observed, % "
        "(calibrate the flat pace on one half, predict the other)"
    )
    table.add_column("model")
    for g, members in groups.items():
        table.add_column(f"{g}\n{len(members)} runs\nmedian", justify="right")
        table.add_column("\n\np90", justify="right")
    for k in names():
        cells: list[str] = []
        for members in groups.values():
            e = [abs(x) * 100 for r in members if (p := results[r.name].errors[k]) for x in p]
            if not e:
                cells += ["-", "-"]
                continue
            cells += [f"{np.median(e):.2f}", f"{np.percentile(e, 90):.1f}"]
        label = k if k != "trailmix personal" else "trailmix personal (runners with >1 run)"
        table.add_row(label, *cells, style="bold" if k.startswith("trailmix") else "")
    cov: list[str] = []
    for members in groups.values():
        flags = [f for r in members for f in results[r.name].inside]
        cov += [f"{np.mean(flags) * 100:.0f} %", f"{len(flags)}"]
    table.add_row("trailmix range coverage (target 80 %), halves", *cov, style="italic")
    return table


def detail_table(runs: list[Run], results: dict[str, Result]) -> Table:
    detail = Table(title="Per file: signed error % (first half -> second / second -> first)")
    detail.add_column("run")
    detail.add_column("m/km", justify="right")
    detail.add_column("relief", justify="right")
    detail.add_column("alt")
    for k in names():
        detail.add_column(k.replace("trailmix ", "tm ").replace(" km-effort", ""), justify="right")
    detail.add_column("in range")
    for run in runs:
        res = results[run.name]
        cells = []
        for k in names():
            p = res.errors[k]
            cells.append("-" if p is None else f"{p[0] * 100:+.1f}/{p[1] * 100:+.1f}")
        detail.add_row(
            run.name[:26],
            f"{run.gain_per_km:.0f}",
            f"{run.relief:.0f}",
            run.altitude.kind.value[:4],
            *cells,
            "/".join("yes" if f else "no" for f in res.inside),
            style="bold" if run.hilly else "",
        )
    return detail


def fits_table(runs: list[Run], results: dict[str, Result]) -> Table:
    t = Table(
        title="Held-out curve per file (fitted on the other files): 1 + up*g uphill, "
        "1 - credit*x to -9 %, + brake*(x - 9 %) beyond"
    )
    for col in ("held-out file", "up", "credit", "brake", "ridge"):
        t.add_column(col, justify="right" if col != "held-out file" else "left")
    for run in runs:
        r = results[run.name]
        c = r.curve
        t.add_row(run.name[:34], f"{c.up:.2f}", f"{c.credit:.2f}", f"{c.brake:.2f}", f"{r.ridge:g}")
    return t


GRADE_BINS = (-0.30, -0.15, -0.09, -0.03, 0.03, 0.09, 0.15, 0.30)


def grade_cost_table(runs: list[Run]) -> Table:
    """Observed time per metre on each grade band, relative to the same run's flat band
    (-3..+3 %), pooled over the hilly runs (distance-weighted), next to each curve's cost."""
    hilly = [r for r in runs if r.hilly]
    t = Table(
        title="Hilly runs: time per metre on each grade band / the same run's flat band "
        "(observed, pooled) vs each curve (trailmix: the shipped curve, fitted on all files)"
    )
    t.add_column("grade %")
    t.add_column("metres", justify="right")
    t.add_column("observed", justify="right")
    for k in ("trailmix", "GAP table", "Minetti cost", "Tobler", "Naismith"):
        t.add_column(k, justify="right")
    costs = {m.name: m.cost for m in REFERENCE_MODELS}
    for lo, hi in itertools.pairwise(GRADE_BINS):
        num = den = 0.0
        model_sum = dict.fromkeys(
            ("trailmix", "GAP table", "Minetti cost", "Tobler", "Naismith"), 0.0
        )
        for r in hilly:
            d, g, obs = r.step_m, r.grade50, r.observed_s
            flat = (g >= -0.03) & (g < 0.03)
            band = (g >= lo) & (g < hi)
            if d[band].sum() < 50 or d[flat].sum() < 200:
                continue
            ratio = (obs[band].sum() / d[band].sum()) / (obs[flat].sum() / d[flat].sum())
            num += d[band].sum() * ratio
            den += d[band].sum()
            model_sum["trailmix"] += float(np.sum(d[band] * GRADE_CURVE.cost(g[band])))
            for k in ("GAP table", "Minetti cost", "Tobler", "Naismith"):
                model_sum[k] += float(np.sum(d[band] * costs[k](g[band])))
        if den <= 0:
            continue
        t.add_row(
            f"{lo * 100:+.0f} .. {hi * 100:+.0f}",
            f"{den:.0f}",
            f"{num / den:.2f}",
            *(f"{v / den:.2f}" for v in model_sum.values()),
        )
    return t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--files", nargs="+", type=Path, default=[DEFAULT_DATA])
    parser.add_argument(
        "--fit", action="store_true", help="print the curve and range fitted on all files"
    )
    args = parser.parse_args(argv)
    console = Console(width=max(Console().width, 150))
    runs = load(args.files, console)
    if len(runs) < 2:
        console.print("[red]need at least two usable runs[/] (timestamps and elevation)")
        return 1
    for r in runs:
        if r.altitude.note:
            console.print(f"[dim]{r.name}: {r.altitude.note}[/]")
    results = evaluate(runs)
    console.print(group_table(runs, results))
    console.print(detail_table(runs, results))
    console.print(fits_table(runs, results))
    console.print(grade_cost_table(runs))
    curve, ridge, rng = fit_all([r.split() for r in runs])
    console.print(
        f"Fitted on all {len(runs)} files (ridge {ridge:g}): GradeCurve(up={curve.up:.2f}, "
        f"credit={curve.credit:.2f}, brake={curve.brake:.2f}), RangeModel(base="
        f"{rng.base:.4f}, per_relief={rng.per_relief:.5f}). Shipped: GradeCurve(up="
        f"{GRADE_CURVE.up:.2f}, credit={GRADE_CURVE.credit:.2f}, brake={GRADE_CURVE.brake:.2f}), "
        f"RangeModel(base={RANGE_MODEL.base:.4f}, per_relief={RANGE_MODEL.per_relief:.5f})."
    )
    console.print("Shipped constants fitted on: " + ", ".join(r.name for r in runs))
    if args.fit:
        console.print(
            "Paste into trailmix.domain.terrain.population: "
            f"GRADE_CURVE = GradeCurve(up={curve.up:.2f}, credit={curve.credit:.2f}, "
            f"brake={curve.brake:.2f}); RANGE_MODEL = RangeModel(base={rng.base:.4f}, "
            f"per_relief={rng.per_relief:.5f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
