"""`trailmix coach`: a coach's squad, and invitations between a coach and a runner.

Acts as the local runner unless `--as LOGIN` names another user of the database (a server's
accounts: `trailmix users`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from trailmix.cli.common import DataFormat, DbOpt, FormatOpt, console, dump_json, open_db

if TYPE_CHECKING:
    from trailmix.app.store import Store

app = typer.Typer(help="Coach mode: see your squad; invite a runner or a coach, accept.")

AsOpt = Annotated[
    str | None,
    typer.Option("--as", help="Act as this user (login); default: the local runner."),
]


def _acting(db: Store, login: str | None) -> int:
    from trailmix.app import squad

    return squad.user_by_login(db, login).id if login else squad.LOCAL_USER_ID


@app.command("squad")
def squad_cmd(as_: AsOpt = None, fmt: FormatOpt = DataFormat.TABLE, db: DbOpt = None) -> None:
    """One row per runner you coach: this week planned vs done, trail share against the cap
    (R1), the R4 window, missed trail runs (R2), load and its flags.

    Example: trailmix coach squad --as carla --format json"""
    from trailmix.app import squad
    from trailmix.app.squad_json import squad_row_json

    store = open_db(db)
    rows = squad.squad(store, _acting(store, as_), date.today())
    if fmt is DataFormat.JSON:
        typer.echo(dump_json([squad_row_json(r) for r in rows]))
        return
    if not rows:
        console.print("No runners in your squad yet: trailmix coach invite LOGIN.")
        return
    from rich.table import Table

    table = Table("Runner", "Week done/planned", "Trail (cap)", "R4", "Look at")
    for r in rows:
        w = r.week
        week = f"{w.done_min:.0f}/{w.planned_min:.0f} min" if w.planned_min is not None else "-"
        trail = (
            f"{w.trail_share:.0%} ({w.trail_cap:.0%})"
            if w.trail_share is not None and w.trail_cap is not None
            else "-"
        )
        r4 = f"{w.r4.value} ({w.trail_weeks:.1f} wk)"
        table.add_row(r.runner.display_name, week, trail, r4, " · ".join(w.flags) or "all well")
    console.print(table)


@app.command("invite")
def invite(
    login: Annotated[str, typer.Argument(help="The runner's login (or your coach's).")],
    as_: AsOpt = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Invite a runner to your squad (a coach), or a coach to coach you (a runner).

    Example: trailmix coach invite ben --as carla"""
    from trailmix.app import squad
    from trailmix.app.squad_json import link_json

    store = open_db(db)
    link = squad.invite(store, _acting(store, as_), login)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(link_json(link)))
        return
    console.print(
        f"Invited: {link.coach.display_name} to coach {link.runner.display_name}; it waits "
        "for the other's 'trailmix coach accept'."
    )


@app.command("accept")
def accept(
    login: Annotated[
        str | None, typer.Argument(help="Who invited you (needed when several did).")
    ] = None,
    decline: Annotated[bool, typer.Option("--decline", help="Decline instead.")] = False,
    as_: AsOpt = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Accept (or --decline) the invitation waiting for you.

    Example: trailmix coach accept carla"""
    from trailmix.app import squad
    from trailmix.app.squad_json import link_json

    store = open_db(db)
    link = squad.answer(store, _acting(store, as_), login, not decline)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(link_json(link)))
        return
    console.print(f"{link.coach.display_name} and {link.runner.display_name}: {link.status}.")
