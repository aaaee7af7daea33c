"""The command line: thin Typer commands over the library, one readable line per error."""

from __future__ import annotations

import sys
from typing import NoReturn

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
    trails_cmd,
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
        info, annotation = self.type_descriptor.parameter_info, self.type_descriptor.annotation
        if (
            self._runtime_param is None
            and info.parser is None
            and (
                value is None
                or (type(value) is annotation and (annotation is str or value is self.default))
            )
        ):
            # Typer builds a pydantic adapter for every parameter it processes, options not
            # given included (importing pydantic and building the adapters: ~0.1 s of CPU for
            # `plan show`, more for `plan`). Values the adapter would return unchanged skip
            # it: an option not given (None: Typer's coercion returns None or () before using
            # the adapter), a text value for a text option (pydantic's str of a str is itself),
            # or a default that already has the parameter's exact type (`OutputFormat.TABLE`).
            # They go through a stand-in that passes the value on; Typer's own missing-value
            # and callback handling still runs. Numbers, choices and paths typed on the command
            # line are coerced and checked by Typer as before.
            self._runtime_param = PassThroughRuntimeParam(
                parameter_info=info, annotation=type(value)
            )
            try:
                return process(self, ctx, value)
            finally:
                self._runtime_param = None
        return process(self, ctx, value)

    core._TyperParameter.display_type = display_type  # type: ignore[method-assign,assignment]
    core._TyperParameter.process_value = process_value  # type: ignore[method-assign,assignment]
    core.TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]


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
app.command("explain")(explain_cmd.explain)
app.command("predict")(predict_cmd.predict)
app.command("mix")(mix_cmd.mix)
app.add_typer(export_cmd.app, name="export")
app.command("demo")(demo_cmd.demo)
app.command("serve")(serve_cmd.serve)


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
