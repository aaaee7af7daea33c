"""The command line: thin Typer commands over the library, one readable line per error."""

from __future__ import annotations

import re
import sys
from typing import Any, NoReturn

import typer
from rich.text import Text

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
    shoes_cmd,
    trails_cmd,
    users_cmd,
    worker_cmd,
)
from trailmix.cli.common import err_console
from trailmix.errors import TrailmixError

_PLAIN_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "Path": "PATH"}


def _plain_help() -> None:
    """Help with plain metavars, and quick. Typer 0.29 prints a parameter's Python type (`<str>`,
    `<list[int]>`, `<bool>` after every flag) and a required argument as `{paths}`; show
    TEXT, INTEGER, PATH, the choices, nothing after a flag, and PATHS... instead.
    Tested by tests/cli/test_cli_terminal.py, so a Typer upgrade that moves these fails there."""
    from typer import core
    from typer._coercion import PassThroughRuntimeParam

    typed = core._TyperParameter.display_type

    def display_type(self: core._TyperParameter, ctx: typer.Context) -> str | None:
        if isinstance(self, core.TyperOption) and self.is_flag:
            return None
        label = typed(self, ctx).removeprefix("<").removesuffix(">")
        if label.startswith("list[") and label.endswith("]"):
            label = label[5:-1]  # repeatable options and arguments say so in their help
        return _PLAIN_TYPES.get(label, label)

    def usage_name(self: core.TyperArgument) -> str:
        name = self.display_name_raw.upper()
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    process = core._TyperParameter.process_value

    def process_value(self: core._TyperParameter, ctx: typer.Context, value: object) -> object:
        # A --help not given arrives as None, which Typer coerces with pydantic (a third of a
        # second) before a subcommand's own --help: it is False.
        if value is None and self.name == "help":
            value = False
        if self._runtime_param is None:
            quick = _without_pydantic(self, ctx, value)
            if quick is not _UNSURE:
                # The stand-in passes the value on as it is; Typer's own missing-value and
                # callback handling still runs.
                self._runtime_param = PassThroughRuntimeParam(
                    parameter_info=self.type_descriptor.parameter_info, annotation=object
                )
                try:
                    return process(self, ctx, quick)
                finally:
                    self._runtime_param = None
        return process(self, ctx, value)

    core._TyperParameter.display_type = display_type  # type: ignore[method-assign,assignment]
    core._TyperParameter.process_value = process_value  # type: ignore[method-assign,assignment]
    core.TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]


_UNSURE = object()
_WHOLE = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _without_pydantic(param: Any, ctx: typer.Context, value: object) -> object:
    """The value Typer's coercion would give, where that is plain, else `_UNSURE`.

    Typer 0.29 builds a pydantic adapter for every parameter it processes, options not given
    included: importing pydantic and building the adapters is ~0.1 s of CPU of every command
    (benchmarks/cli_startup.py). The plain cases skip it with the same result: an option not
    given (None: Typer's coercion answers None or () before using the adapter), text for a
    text option (pydantic's str of a str is itself), a default of the parameter's own type
    (`OutputFormat.TABLE`), a valid choice (Typer's own `coerce_cli_choice`, which the adapter
    calls), and a plain decimal number for a number option without bounds. Anything else
    (a bad choice, "1e3", a path, a repeated option) goes through Typer's adapter as before,
    errors included."""
    from enum import Enum

    from typer._param_types import coerce_cli_choice

    info, annotation = param.type_descriptor.parameter_info, param.type_descriptor.annotation
    if info.parser is not None:
        return _UNSURE
    if value is None:
        return None
    if type(value) is annotation and (annotation is str or value is param.default):
        return value
    if type(value) is not str or param.multiple or param.nargs != 1:
        return _UNSURE
    text = str(value)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(
                text, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError:
            return _UNSURE  # Typer says which choices there are
    unbounded = info.min is None and info.max is None and not info.clamp
    if annotation is int and unbounded and _WHOLE.fullmatch(text):
        return int(text)
    if annotation is float and unbounded and _DECIMAL.fullmatch(text):
        return float(text)
    return _UNSURE


_plain_help()

app = typer.Typer(
    name="trailmix",
    help="Mix trail running into your road-race training, by the rules of the article "
    "(R1-R12) and the sport science behind the road plan.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    # No --install-completion / --show-completion: Typer coerces those two flags with pydantic
    # before any subcommand's --help, which doubled the time of `trailmix plan --help`.
    add_completion=False,
    # Choices are matched whatever their case (`--distance Half`); free text is untouched.
    context_settings={"token_normalize_func": str.lower},
)
app.add_typer(plan_cmd.app, name="plan")
app.add_typer(athlete_cmd.app, name="athlete")
trails_cmd.app.command("discover")(discover_cmd.discover)
app.add_typer(trails_cmd.app, name="trails")
app.add_typer(log_cmd.app, name="log")
app.add_typer(shoes_cmd.app, name="shoes")
app.command("explain")(explain_cmd.explain)
app.command("predict")(predict_cmd.predict)
app.command("mix")(mix_cmd.mix)
app.add_typer(export_cmd.app, name="export")
app.command("demo")(demo_cmd.demo)
app.command("serve")(serve_cmd.serve)
app.command("worker")(worker_cmd.worker)
app.add_typer(users_cmd.app, name="users")


def main(argv: list[str] | None = None) -> None:
    """Entry point: domain errors and usage errors (a bad choice, a non-number, an unknown
    command) become one red line on stderr and exit code 2; never a traceback or a box."""
    try:
        code = app(args=argv, prog_name="trailmix", standalone_mode=False)
    except TrailmixError as exc:
        _fail(exc.message)
    except typer.Abort:
        err_console.print("aborted.", highlight=False)
        sys.exit(1)
    except typer.TyperException as exc:  # click's UsageError and kin, as Typer re-exports them
        _usage_error(exc)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(Text.assemble(("error:", "bold red"), " ", message), highlight=False)
    sys.exit(code)


_PLAIN = {
    "Value error, ": "",
    "Invalid value": "invalid value",
    "Input should be a valid number, unable to parse string as a number": "not a number",
    "Input should be a valid integer, unable to parse string as an integer": "not a whole number",
}
"""Typer's words for a bad value, in the words of every other trailmix error."""


def _usage_error(exc: typer.TyperException) -> NoReturn:
    """Click's usage error as one line, with the command's --help to read."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    code = getattr(exc, "exit_code", 2)
    if not message:  # no arguments at all: the help was shown, as asked by no_args_is_help
        sys.exit(code)
    for typer_words, ours in _PLAIN.items():
        message = message.replace(typer_words, ours)
    message = message[0].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    where = f" (see {ctx.command_path} --help)" if ctx is not None else ""
    _fail(message.rstrip(".") + "." + where, code)
