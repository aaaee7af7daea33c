"""`trailmix explain DATE`: why each session of that day is what it is, where it is."""

from __future__ import annotations

from typing import Annotated

import typer

from trailmix.cli.common import (
    DataFormat,
    DbOpt,
    FormatOpt,
    console,
    dump_json,
    open_db,
    parse_date,
)
from trailmix.cli.render import session_panel
from trailmix.domain.types import Weekday


def explain(
    day: Annotated[str, typer.Argument(help="The day, YYYY-MM-DD.")],
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Why is this session what it is, where it is? Prints every reason with its rule id.

    Example: trailmix explain 2026-12-02"""
    from trailmix.app import plans
    from trailmix.formats.plan_json import session_to_dict

    database = open_db(db)
    found = plans.day(database, parse_date(day, "DATE"))
    if fmt is DataFormat.JSON:
        typer.echo(
            dump_json(
                {
                    "date": found.date.isoformat(),
                    "sessions": [session_to_dict(s) for s in found.sessions],
                }
            )
        )
        return
    if not found.sessions:
        if not found.in_plan:
            console.print(
                f"{found.date.isoformat()} is outside the plan ({found.plan.start.isoformat()} "
                f"to {found.plan.race.date.isoformat()})."
            )
        else:
            console.print(
                f"{Weekday(found.date.weekday()).label} {found.date.isoformat()} is a rest day: "
                "rest days let the training sink in (trailmix default: you run only on your run "
                "days)."
            )
        return
    from trailmix.app.shoe_advice import plan_advice

    advised = plan_advice(database)
    for s in found.sessions:
        console.print(session_panel(s, advised))
