"""`trailmix predict`: how long a route takes at an effort (docs/time-model.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from trailmix.cli.common import (
    DataFormat,
    DbOpt,
    FormatOpt,
    console,
    dump_json,
    open_db,
    parse_time,
)


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
    surface: Annotated[
        str | None,
        typer.Option(
            "--surface",
            help="The ground, if you know it: paved, gravel, wood chips, dirt, grass, rock... "
            "Without it (or --tag, or a stored trail's surface) no footing factor is applied.",
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag",
            help="Footing tags (rocky, roots, technical...) or OpenStreetMap tags "
            "(sac_scale=mountain_hiking, smoothness=bad, tracktype=grade3); repeatable.",
        ),
    ] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Predict the moving time of a route at an effort: range and per-hill breakdown."""
    from trailmix.app import predict as timing  # imported here: `--help` starts at once
    from trailmix.app.predict import minutes_text as _minutes
    from trailmix.app.predict import pace_text as _pace

    flat = parse_time(flat_pace, "--flat-pace") if flat_pace is not None else None
    result = timing.predict_time(
        open_db(db),
        route,
        effort,
        flat_pace_s=flat,
        history=history or (),
        dem=dem,
        evidence=timing.Evidence(surface, tuple(tag or ())),
    )
    r, p, p_notes = result.route, result.prediction, result.notes
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(result.to_dict()))
        return
    title = Text(f"{r.name}: {p.distance_km:.2f} km at effort {effort:g}")  # a name: not markup
    head = Table(title=title, show_header=False)
    head.add_column("what")
    head.add_column("value", justify="right")
    head.add_row("predicted moving time", _minutes(p.minutes))
    head.add_row("range (80 %)", f"{_minutes(p.low)} - {_minutes(p.high)}")
    head.add_row("flat pace at this effort", _pace(p.flat_pace_s_per_km))
    head.add_row("same distance on the flat", _minutes(p.flat_minutes))
    head.add_row("model", p.model)
    head.add_row("footing factor", f"x{r.footing_factor:.2f}")
    head.add_row("altitude", result.altitude.kind.value)
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
