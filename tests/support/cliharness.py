"""Running `trailmix` in-process for tests, through its real entry point.

`trailmix.cli.main` is what the console script runs: it turns a TrailmixError into one line on
stderr and exit code 2. Tests call it inside `CliRunner().isolation()` (not `CliRunner.invoke`,
which would bypass it) and get back what the command did, ANSI codes removed.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import typer
from typer.testing import CliRunner

import trailmix.cli
from trailmix.cli import main

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass(frozen=True)
class Run:
    """What one command did: its exit code and what it printed (ANSI codes removed)."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def message(self) -> str:
        """stderr with the line wrapping undone, for matching sentences."""
        return " ".join(self.stderr.split())

    def json(self) -> Any:
        return json.loads(self.stdout)


Cli = Callable[..., Run]


class _BuiltOnce:
    """`trailmix.cli.app` as `main` calls it, with Typer's click command built once per test
    process: `Typer.__call__` rebuilds the whole command tree from the functions' signatures
    on every call (~0.1 s), which hundreds of in-process runs would pay again and again. The
    tree is the same each time (the commands are registered at import), and click commands
    are reusable: the console script builds it once per process too."""

    def __init__(self, app: typer.Typer) -> None:
        self.app = app
        self.command: Any = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.command is None:
            self.command = typer.main.get_command(self.app)
        return self.command(*args, **kwargs)


_APP = trailmix.cli.app
_BUILT = _BuiltOnce(_APP)


def run_cli(*args: str, input: str | None = None) -> Run:
    """Run `trailmix ARGS...` through its real entry point and capture what it did; `input`
    is what stdin holds."""
    runner = CliRunner()
    with runner.isolation(input=input) as (out, err, _mixed):
        code = 0
        trailmix.cli.app = _BUILT  # type: ignore[assignment]
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:  # a crash: keep the traceback so tests can see and refuse it
            err.write(traceback.format_exc().encode())
            code = 1
        finally:
            trailmix.cli.app = _APP
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace")
    return Run(code, _ANSI.sub("", stdout), _ANSI.sub("", stderr))
