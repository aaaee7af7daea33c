"""`trailmix shoes ...`: the runner's pairs (R10), their kilometres by surface and when to
replace them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from trailmix.cli.common import DataFormat, DbOpt, FormatOpt, console, dump_json, open_db

if TYPE_CHECKING:
    from trailmix.app.shoes import ShoeView

app = typer.Typer(
    help="Your shoes (R10): kilometres and hours per surface, and when to replace each pair."
)

ShoeArg = Annotated[str, typer.Argument(help="The shoe's id or name.")]
KindOpt = Annotated[
    str | None, typer.Option("--kind", help="road, hybrid or trail (R10's three kinds).")
]
RetireOpt = Annotated[
    float | None,
    typer.Option(
        "--retire-km",
        help="Replace the pair at this many km (default 700, a trailmix default).",
    ),
]
BrandOpt = Annotated[str | None, typer.Option("--brand", help="The maker, e.g. Hoka.")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="The model, e.g. Speedgoat 5.")]


def _line(v: ShoeView) -> str:
    r = v.record
    kind = r.kind or "kind not set"
    state = ", retired" if r.retired else ""
    return (
        f"shoe {r.id} {r.name} ({kind}{state}): {v.total_km:.0f} km of {r.retire_km:.0f} "
        f"in {v.runs} run(s)"
    )


def _print_one(v: ShoeView, fmt: DataFormat) -> None:
    from trailmix.app.shoes import shoe_json

    if fmt is DataFormat.JSON:
        typer.echo(dump_json(shoe_json(v)))
        return
    console.print(Text(_line(v)), highlight=False)
    if v.reminder:
        console.print(Text.assemble(("replace", "bold yellow"), " ", v.reminder))


@app.command("list")
def list_shoes(
    all_: Annotated[
        bool, typer.Option("--all", help="Retired pairs too.", show_default=False)
    ] = False,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Every pair in use with its km and hours per surface, its total and its replacement
    reminder (at 90 % of its distance, and past it).

    Example: trailmix shoes list --all"""
    from trailmix.app import shoes

    found = shoes.shoes(open_db(db), retired=all_)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json([shoes.shoe_json(v) for v in found]))
        return
    if not found:
        console.print(
            "No shoes yet: import an export with gear (trailmix log import) or "
            "trailmix shoes add NAME --kind trail."
        )
        return
    surfaces = sorted({u.surface for v in found for u in v.surfaces}) or ["road", "trail"]
    t = Table(title="Your shoes", box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("id", justify="right", no_wrap=True)
    t.add_column("shoe", overflow="fold")
    t.add_column("kind", no_wrap=True)
    for s in surfaces:
        t.add_column(s, justify="right", no_wrap=True)
    t.add_column("total", justify="right", no_wrap=True)
    t.add_column("replace at", justify="right", no_wrap=True)
    for v in found:
        by = {u.surface: u for u in v.surfaces}
        cells = [f"{by[s].km:.0f} km\n{by[s].hours:.1f} h" if s in by else "-" for s in surfaces]
        r = v.record
        t.add_row(
            str(r.id),
            Text(r.name),
            (r.kind or "?") + (" (retired)" if r.retired else ""),
            *cells,
            f"{v.total_km:.0f} km\n{v.total_hours:.1f} h",
            f"{r.retire_km:.0f} km",
        )
    console.print(t)
    for v in found:
        if v.reminder:
            console.print(Text.assemble(("replace", "bold yellow"), " ", v.reminder))
    if any(v.record.kind is None for v in found):
        console.print(
            "[dim]? : the name does not say the kind: trailmix shoes set ID --kind "
            "road|hybrid|trail.[/]"
        )


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="What you call the pair, e.g. 'Speedgoat'.")],
    kind: KindOpt = None,
    retire_km: RetireOpt = None,
    brand: BrandOpt = None,
    model: ModelOpt = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Add a pair; its kind is guessed from the name when clear (Speedgoat: trail).

    Example: trailmix shoes add Speedgoat --kind trail --retire-km 650"""
    from trailmix.app import shoes

    database = open_db(db)
    rec = shoes.add(database, name, kind=kind, brand=brand, model=model, retire_km=retire_km)
    _print_one(shoes.view(database, rec.id), fmt)


@app.command("set")
def set_shoe(
    shoe: ShoeArg,
    name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    kind: KindOpt = None,
    retire_km: RetireOpt = None,
    brand: BrandOpt = None,
    model: ModelOpt = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Correct a pair: its name, kind, maker, model or replacement distance.

    Example: trailmix shoes set 2 --kind hybrid --retire-km 800"""
    from trailmix.app import shoes

    database = open_db(db)
    rec = shoes.change(
        database, shoe, name=name, kind=kind, brand=brand, model=model, retire_km=retire_km
    )
    _print_one(shoes.view(database, rec.id), fmt)


@app.command("retire")
def retire(
    shoe: ShoeArg,
    undo: Annotated[bool, typer.Option("--undo", help="Back in use.", show_default=False)] = False,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Retire a pair: the plan no longer names it and its reminder stops.

    Example: trailmix shoes retire Speedgoat"""
    from trailmix.app import shoes

    database = open_db(db)
    rec = shoes.retire(database, shoe, not undo)
    _print_one(shoes.view(database, rec.id), fmt)
