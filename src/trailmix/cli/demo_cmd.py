"""`trailmix demo`: the main job on bundled sample data, start to finish."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from trailmix.cli.common import OutputFormat, err_console, open_db, write_output
from trailmix.cli.plan_cmd import emit_plan


def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo's database and files.")] = Path(
        "trailmix-demo"
    ),
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: a SQLite file in the --out folder)."),
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv on stdout.")
    ] = OutputFormat.TABLE,
) -> None:
    """Plan a sample runner's half marathon with trails mixed in; print it and write files.

    The sample runner lives north of Bayreuth; trailmix discovers their trails in the bundled
    OpenStreetMap extract and elevation tiles (a recovery route, a hill for repeats, a technical
    trail), so the plan shows easy trail runs (R6), hill repeats fitted to the hill (R8) and a
    hike before the technical trail is run (R9).

    Example: trailmix demo --out trailmix-demo"""
    from trailmix.app import demo as sample
    from trailmix.app import discover as discovery
    from trailmix.formats.plan_json import plan_to_csv, plan_to_json

    out.mkdir(parents=True, exist_ok=True)
    database = open_db(db or f"sqlite:///{(out / 'demo.db').resolve()}")
    added = sample.add_sample_runner(database)
    if added:
        err_console.print(
            f"[dim]discovered near the sample runner's home north of Bayreuth: "
            f"{', '.join(added)} ({discovery.ATTRIBUTION}; {discovery.SRTM_CREDIT})[/]"
        )
    plan = sample.plan_sample_race(database, date.today()).plan
    emit_plan(plan, fmt, None)
    write_output(plan_to_json(plan), out / "plan.json")
    write_output(plan_to_csv(plan), out / "plan.csv")
    err_console.print(
        f"[dim]database: {escape(database.url)}. Try: trailmix explain "
        f"{_first_trail_day(plan)} --db {escape(database.url)}[/]"
    )


def _first_trail_day(plan: object) -> str:
    from trailmix.domain.types import Plan, Surface

    assert isinstance(plan, Plan)
    for s in plan.sessions:
        if s.surface is Surface.TRAIL:
            return s.date.isoformat()
    return plan.start.isoformat()
