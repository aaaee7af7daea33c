"""Shared data for the discovery tests: the extracts, their tiles, and starts that keep the
work small (a few km around a point with trails)."""

from __future__ import annotations

import json
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from trailmix.cli import discover_cmd
from trailmix.cli.common import err_console
from trailmix.errors import TrailmixError

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
OSM = SHARED / "osm"
DEM = SHARED / "dem"
BAYREUTH = OSM / "north-bayreuth.osm.gz"
ANDORRA = OSM / "andorra.osm.pbf"
OAKLAND = OSM / "osmnx_West-Oakland.osm.bz2"

BAYREUTH_HOME = (50.0321, 11.5352)
"""A farm-track valley north-west of Bayreuth with flat unpaved loops."""
ANDORRA_HILLS = (42.5191, 1.5691)
"""Camì de les Pardines above Andorra la Vella: hills for repeats."""
ANDORRA_PEAKS = (42.596, 1.52)
"""Camí de Sedornet / Roc de Castell: sac_scale alpine_hiking paths."""

FLAT_SPEED = 1000.0 / 330.0  # 5:30 per km at easy effort
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def message(self) -> str:
        return " ".join(self.stderr.split())

    def json(self) -> Any:
        return json.loads(self.stdout)


def make_app() -> typer.Typer:
    """`discover` on a fresh app, as `trails discover` will be registered."""
    app = typer.Typer(pretty_exceptions_show_locals=False)
    app.command("discover")(discover_cmd.discover)

    @app.command("noop")
    def noop() -> None:  # a second command keeps Typer from collapsing the group
        """Nothing."""

    return app


APP = make_app()


def run_cli(*args: str) -> Run:
    """Like trailmix.cli.main: a TrailmixError is one line on stderr and exit code 2."""
    runner = CliRunner()
    with runner.isolation() as (out, err, _mixed):
        code = 0
        try:
            try:
                APP(args=list(args), prog_name="trailmix trails")
            except TrailmixError as exc:
                err_console.print(f"error: {exc.message}", highlight=False, soft_wrap=True)
                sys.exit(2)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:
            err.write(traceback.format_exc().encode())
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace")
    return Run(code, _ANSI.sub("", stdout), _ANSI.sub("", stderr))
