"""`trailmix predict`: how long a route takes at an effort (docs/time-model.md)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from trailmix.app import predict as timing
from trailmix.app import trails as library
from trailmix.cli.common import (
    DataFormat,
    DbOpt,
    FormatOpt,
    console,
    dump_json,
    open_db,
    parse_time,
)
from trailmix.domain.plan.planner import check_performance
from trailmix.domain.plan.vdot import training_paces
from trailmix.domain.terrain.personal import PersonalModel
from trailmix.domain.terrain.population import (
    Prediction,
    TimeModel,
    check_effort,
    flat_speed_for_effort,
)
from trailmix.domain.terrain.population import predict as predict_route
from trailmix.errors import InputError
from trailmix.storage.repo import Athletes


def _minutes(m: float) -> str:
    total = round(m * 60)
    h, rest = divmod(total, 3600)
    mi, s = divmod(rest, 60)
    return f"{h}:{mi:02d}:{s:02d}" if h else f"{mi}:{s:02d}"


def _pace(s_per_km: float) -> str:
    return f"{_minutes(s_per_km / 60)}/km"


def prediction_to_dict(route_name: str, p: Prediction, has_elevation: bool) -> dict[str, Any]:
    """The JSON contract of `trailmix predict --format json` (docs/time-model.md)."""
    return {
        "route": route_name,
        "distance_km": round(p.distance_km, 3),
        "has_elevation": has_elevation,
        "effort": p.effort,
        "model": p.model,
        "flat_speed_ms": round(p.flat_speed_ms, 3),
        "flat_pace_s_per_km": round(p.flat_pace_s_per_km, 1),
        "flat_minutes": round(p.flat_minutes, 2),
        "minutes": round(p.minutes, 2),
        "low_minutes": round(p.low, 2),
        "high_minutes": round(p.high, 2),
        "hills": [
            {
                "index": h.index,
                "start_km": round(h.start_km, 3),
                "length_m": round(h.length_m, 1),
                "gain_m": round(h.gain_m, 1),
                "avg_grade": round(h.avg_grade, 4),
                "minutes": round(h.minutes, 2),
            }
            for h in p.per_hill
        ],
        "notes": list(p.notes),
    }


def predict(
    route: Annotated[
        str, typer.Argument(help="A GPX/TCX/FIT file, or a stored trail's name or id.")
    ],
    flat_pace: Annotated[
        str | None,
        typer.Option("--flat-pace", help="Your pace on flat road at this effort, mm:ss per km."),
    ] = None,
    effort: Annotated[
        float, typer.Option("--effort", help="Effort, RPE 1-10 (R5): 3 easy, 6-7 threshold.")
    ] = 3.0,
    history: Annotated[
        list[Path] | None,
        typer.Option(
            "--history", help="Your own run files or folders: fit your personal time model."
        ),
    ] = None,
    dem: Annotated[
        str | None,
        typer.Option("--dem", help="Folder of SRTM tiles for a route file without altitude."),
    ] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Predict the moving time of a route at an effort: range and per-hill breakdown."""
    check_effort(effort)
    speed: float | None = None
    if flat_pace is not None:
        pace = parse_time(flat_pace, "--flat-pace")
        if not 120 <= pace <= 1800:
            raise InputError(
                f"{flat_pace} per km is not a running or walking pace (2:00 to 30:00 per km).",
                "--flat-pace",
            )
        speed = 1000.0 / pace
    model: TimeModel | None = None
    notes: list[str] = []
    if history:
        for path in history:
            if not path.exists():
                raise InputError(f"{path} does not exist.", "--history")
        hist = timing.load_history(history)
        notes += [f"skipped {s}" for s in hist.skipped]
        personal: PersonalModel = timing.personal_model(hist.runs)
        model = personal
        if speed is None:
            speed = timing.history_speed_at_effort(hist.runs, effort)
            if speed is not None:
                notes.append(
                    f"flat pace {_pace(1000 / speed)} at effort {effort:g} from your "
                    f"{len(hist.runs)} run(s), taken as easy runs and scaled by Daniels' paces"
                )
    database = open_db(db)
    if speed is None:
        stored = Athletes(database).get()
        if stored is not None and stored.recent_race is not None:
            rr = stored.recent_race
            paces = training_paces(check_performance(rr.distance_km, rr.time_s, "--recent-race"))
            speed = flat_speed_for_effort(paces, effort)
            notes.append(
                f"flat pace {_pace(1000 / speed)} at effort {effort:g} from your recent race "
                f"({rr.label or f'{rr.distance_km:g} km'}, Daniels' paces)"
            )
    if speed is None:
        raise InputError(
            "no flat pace known: give --flat-pace (your pace on flat road at this effort, "
            "e.g. 5:30), --history with some of your run files (GPX, TCX or FIT with times), "
            "or store a recent race with 'trailmix athlete set --recent-race 10k=48:30'.",
            "--flat-pace",
        )
    r = timing.resolve_route(route, database, library.dem_folder(dem))
    p = predict_route(r, effort, speed, model)
    p_notes = (*notes, *p.notes)
    if fmt is DataFormat.JSON:
        doc = prediction_to_dict(r.name, p, r.has_elevation)
        doc["notes"] = list(p_notes)
        typer.echo(dump_json(doc))
        return
    head = Table(title=f"{r.name}: {p.distance_km:.2f} km at effort {effort:g}", show_header=False)
    head.add_column("what")
    head.add_column("value", justify="right")
    head.add_row("predicted moving time", _minutes(p.minutes))
    head.add_row("range (80 %)", f"{_minutes(p.low)} - {_minutes(p.high)}")
    head.add_row("flat pace at this effort", _pace(p.flat_pace_s_per_km))
    head.add_row("same distance on the flat", _minutes(p.flat_minutes))
    head.add_row("model", p.model)
    console.print(head)
    if p.per_hill:
        hills = Table(title="Hills")
        for col in ("#", "from km", "length m", "gain m", "avg grade", "time"):
            hills.add_column(col, justify="right")
        for h in p.per_hill:
            hills.add_row(
                str(h.index),
                f"{h.start_km:.2f}",
                f"{h.length_m:.0f}",
                f"{h.gain_m:.0f}",
                f"{h.avg_grade * 100:.1f}%",
                _minutes(h.minutes),
            )
        console.print(hills)
    for n in p_notes:
        console.print(f"- {n}", highlight=False)
    if not math.isfinite(p.minutes):
        raise InputError("the prediction is not a number; the route may be empty.")
