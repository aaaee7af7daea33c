"""The command line: thin Typer commands over the library, one readable line per error."""

from __future__ import annotations

import sys

import typer

from trailmix.cli import (
    athlete_cmd,
    demo_cmd,
    discover_cmd,
    explain_cmd,
    export_cmd,
    log_cmd,
    mix_cmd,
    plan_cmd,
    predict_cmd,
    serve_cmd,
    trails_cmd,
)
from trailmix.cli.common import err_console
from trailmix.errors import TrailmixError

app = typer.Typer(
    name="trailmix",
    help="Mix trail running into your road-race training, by the rules of the article "
    "(R1-R12) and the sport science behind the road plan.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(plan_cmd.app, name="plan")
app.add_typer(athlete_cmd.app, name="athlete")
trails_cmd.app.command("discover")(discover_cmd.discover)
app.add_typer(trails_cmd.app, name="trails")
app.add_typer(log_cmd.app, name="log")
app.command("explain")(explain_cmd.explain)
app.command("predict")(predict_cmd.predict)
app.command("mix")(mix_cmd.mix)
app.add_typer(export_cmd.app, name="export")
app.command("demo")(demo_cmd.demo)
app.command("serve")(serve_cmd.serve)


def main(argv: list[str] | None = None) -> None:
    """Entry point: domain errors become one red line on stderr and exit code 2."""
    try:
        app(args=argv, prog_name="trailmix")
    except TrailmixError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False, soft_wrap=True)
        sys.exit(2)
