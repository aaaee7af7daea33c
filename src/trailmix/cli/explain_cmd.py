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
from trailmix.domain.plan.build import explain as explain_day
from trailmix.domain.types import Weekday
from trailmix.formats.plan_json import session_to_dict
from trailmix.storage.repo import Plans


def explain(
    day: Annotated[str, typer.Argument(help="The day, YYYY-MM-DD.")],
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Why is this session what it is, where it is? Prints every reason with its rule id."""
    when = parse_date(day, "DATE")
    plan = Plans(open_db(db)).current()
    sessions = explain_day(plan, when)
    if fmt is DataFormat.JSON:
        typer.echo(
            dump_json(
                {"date": when.isoformat(), "sessions": [session_to_dict(s) for s in sessions]}
            )
        )
        return
    if not sessions:
        if not plan.start <= when <= plan.race.date:
            console.print(
                f"{when.isoformat()} is outside the plan ({plan.start.isoformat()} to "
                f"{plan.race.date.isoformat()})."
            )
        else:
            console.print(
                f"{Weekday(when.weekday()).label} {when.isoformat()} is a rest day: rest days let "
                "the training sink in (trailmix default: you run only on your run days)."
            )
        return
    for s in sessions:
        console.print(session_panel(s))
