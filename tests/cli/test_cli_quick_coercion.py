"""The CLI's shortcut past Typer's pydantic adapters (cli/__init__.py `_without_pydantic`)
gives exactly what Typer's own coercion gives, and leaves everything else to Typer."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.core import TyperOption
from typer.main import get_command

from trailmix.cli import _UNSURE, _without_pydantic
from trailmix.cli.plan_cmd import app as plan_app
from trailmix.domain.types import RaceDistance


def _params() -> dict[str, Any]:
    command = get_command(plan_app)
    return {p.name: p for p in command.params if isinstance(p, TyperOption)}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("distance", "half"),
        ("distance", "marathon"),
        ("age", "38"),
        ("age", "-3"),
        ("weekly_km", "40"),
        ("weekly_km", "42.5"),
        ("race_date", "2027-04-18"),
        ("race_name", ""),
        ("fmt", None),
    ],
)
def test_the_shortcut_gives_typers_value(name: str, value: str | None) -> None:
    param = _params()[name]
    ctx = typer.Context(get_command(plan_app))
    quick = _without_pydantic(param, ctx, value)
    assert quick is not _UNSURE
    typers = param.get_runtime_param().coerce(value, param=param, ctx=ctx)
    assert quick == typers and type(quick) is type(typers)


@pytest.mark.parametrize(
    ("name", "value"), [("distance", "hal"), ("age", "1e3"), ("weekly_km", " 4"), ("age", "+3")]
)
def test_anything_else_is_left_to_typer(name: str, value: str) -> None:
    ctx = typer.Context(get_command(plan_app))
    assert _without_pydantic(_params()[name], ctx, value) is _UNSURE


def test_a_valid_choice_is_the_enum_member() -> None:
    ctx = typer.Context(get_command(plan_app))
    assert _without_pydantic(_params()["distance"], ctx, "half") is RaceDistance.HALF
