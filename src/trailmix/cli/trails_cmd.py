"""`trailmix trails ...`: the runner's own routes, analysed (R6, R8, R9, R10)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from trailmix.cli.common import (
    DataFormat,
    DbOpt,
    FormatOpt,
    console,
    dump_json,
    err_console,
    open_db,
)
from trailmix.domain.trail.model import TrailCategory

app = typer.Typer(help="Your trails: add route files, see their hills, category and shoe.")

DemOpt = Annotated[
    str | None,
    typer.Option(
        "--dem",
        help="Folder of SRTM .hgt/.hgt.zip tiles for files without good altitude.",
        envvar="TRAILMIX_DEM",  # trailmix.app.trails.DEM_ENV (not imported: --help starts fast)
        show_envvar=True,
    ),
]
NameArg = Annotated[str, typer.Argument(help="The trail's name or id.")]


def _fmt_grade(g: float | None) -> str:
    return "-" if g is None else f"{g * 100:.0f}%"


def _num(x: Any, unit: str = "", nd: int = 0) -> str:
    return "-" if x is None else f"{x:.{nd}f}{unit}"


@app.command("add")
def add(
    paths: Annotated[
        list[Path], typer.Argument(help="GPX, TCX or FIT files (gzip too), or folders.")
    ],
    name: Annotated[str | None, typer.Option(help="The trail's name (one file only).")] = None,
    surface: Annotated[
        str | None,
        typer.Option(help="What it is underfoot: dirt, gravel, paved, woodchips, rail trail..."),
    ] = None,
    technical: Annotated[
        str | None, typer.Option(help="Technical footing, e.g. rocky,steep,roots,slick.")
    ] = None,
    dem: DemOpt = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Analyse route files and store them as trails. Bad files are reported, good ones kept.

    Example: trailmix trails add forest-loop.gpx --name "Forest loop"
    """
    from trailmix.app import trails as library

    files = list(library.route_files(paths))
    database = open_db(db)
    dem_folder = library.dem_folder(dem)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
        disable=len(files) < 3,
    ) as progress:
        task = progress.add_task("analysing routes", total=len(files))
        added, failed = library.add_files(
            database,
            files,
            name=name,
            surface=surface,
            technical=library.split_tags(technical),
            dem=dem_folder,
            progress=lambda: progress.advance(task),
        )
    shown = library.summaries(database, added)
    if fmt is DataFormat.JSON:
        typer.echo(
            dump_json(
                {
                    "added": [s.to_json() for s in shown],
                    "failed": [{"path": f.path, "problem": f.problem} for f in failed],
                }
            )
        )
    else:
        for r, s in zip(added, shown, strict=True):
            hike = " - hike it first (R9)" if s.hike_first and not r.hiked else ""
            console.print(
                f"[green]added[/] {r.id}: {escape(r.name)}: {s.length_km} km, "
                f"{_num(s.gain_m, ' m')} up, {r.category}, shoe {s.shoe}{hike}",
                highlight=False,
            )
    for f in failed:
        err_console.print(f"[bold red]error:[/] {escape(f.problem)}", highlight=False)
    if failed:
        raise typer.Exit(2)


@app.command("list")
def list_trails(fmt: FormatOpt = DataFormat.TABLE, db: DbOpt = None) -> None:
    """Every stored trail with its numbers, category, shoe and hike status.

    Example: trailmix trails list"""
    from trailmix.app import trails as library

    rows = library.summaries(open_db(db))
    if fmt is DataFormat.JSON:
        typer.echo(dump_json([s.to_json() for s in rows]))
        return
    if not rows:
        console.print("No trails yet: add one with 'trailmix trails add FILE'.")
        return
    t = Table(title="Your trails")
    for col in ("id", "name", "km", "up m", "hills", "category", "shoe", "hike first"):
        t.add_column(col, justify="right" if col in ("id", "km", "up m", "hills") else "left")
    for s in rows:
        hike = ("hiked" if s.hiked else "yes (R9)") if s.hike_first else "-"
        t.add_row(
            str(s.id),
            Text(s.name),
            f"{s.length_km:.1f}",
            _num(s.gain_m),
            f"{s.hills} ({s.repeat_hills} for repeats)",
            s.category + (" (yours)" if s.category_source == "runner" else ""),
            Text(s.shoe),
            hike,
        )
    console.print(t)


@app.command("show")
def show(
    key: NameArg,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also write the profile as .png or .svg.")
    ] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """A trail's numbers, hills, category and shoe, with its elevation profile.

    Example: trailmix trails show "Forest loop" --plot profile.png
    """
    from trailmix.app import trails as library
    from trailmix.charts.images import write_elevation_plot
    from trailmix.charts.terminal import elevation_chart

    database = open_db(db)
    rec = library.get(database, key)
    detail = library.detail(database, rec)
    d, e = library.profile_arrays(rec)
    hills = library.as_trail(rec).hills
    if plot is not None:
        write_elevation_plot(plot, d, e, hills, title=rec.name)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(detail))
        return
    a = rec.analysis
    console.print(
        f"[bold]{escape(rec.name)}[/] (id {rec.id}): {detail['length_km']} km, "
        f"{_num(a.gain_m, ' m')} up, {_num(a.loss_m, ' m')} down "
        f"(elevation from {a.elevation_source}); steepest 200 m "
        f"{_fmt_grade(a.max_sustained_grade_200m)} up, "
        f"{_fmt_grade(a.max_sustained_descent_200m)} down",
        highlight=False,
    )
    gain = f", +{a.gain_m:.0f} m" if a.gain_m is not None else ""
    console.print(
        elevation_chart(
            d,
            e,
            hills,
            width=min(console.width, 100),
            title=Text(f"{rec.name} ({detail['length_km']} km{gain})"),
        )
    )
    if a.hills:
        t = Table(title="Hills")
        for col in ("#", "from km", "length m", "up m", "avg", "max", "good for"):
            t.add_column(col)
        for h in a.hills:
            use = [
                w for w, ok in (("repeats", h.suits_repeats), ("sprints", h.suits_sprints)) if ok
            ]
            t.add_row(
                str(h.index),
                f"{h.start_km:.2f}",
                f"{h.length_m:.0f}",
                f"{h.gain_m:.0f}",
                _fmt_grade(h.avg_grade),
                _fmt_grade(h.max_grade),
                ", ".join(use) or "-",
            )
        console.print(t)
    cat = rec.category + (" (your correction)" if rec.category_source == "runner" else "")
    console.print(f"Category: [bold]{cat}[/]. Shoe: [bold]{detail['shoe']}[/] (R10).")
    if detail["hike_first"]:
        console.print(
            "Hiked: yes, you may run it."
            if rec.hiked
            else Text(
                f"Hike it once before you run it (R9); then: trailmix trails hiked {rec.name!r}."
            )
        )
    for rule, text in a.reasons:
        console.print(Text.assemble("  ", (rule, "cyan"), " ", text))
    for n in a.notes:
        console.print(Text(f"  note: {n}", "dim"))


@app.command("hiked")
def hiked(
    key: NameArg,
    undo: Annotated[bool, typer.Option(help="Take the mark back.")] = False,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Mark a trail as hiked once (R9): plans may now put runs on it.

    Example: trailmix trails hiked "Forest loop"
    """
    from trailmix.app import trails as library

    rec = library.set_hiked(open_db(db), key, not undo)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json({"id": rec.id, "name": rec.name, "hiked": rec.hiked}))
        return
    console.print(
        Text(
            f"{rec.name}: "
            + (
                "hiked. Runs may use it from now on; make the plan again to use it."
                if rec.hiked
                else "marked as not hiked."
            )
        )
    )


@app.command("set")
def correct(
    key: NameArg,
    category: Annotated[
        TrailCategory | None, typer.Option(help="Your category: smooth, dirt, hilly, technical.")
    ] = None,
    surface: Annotated[str | None, typer.Option(help="What it is underfoot.")] = None,
    rename: Annotated[str | None, typer.Option(help="A new name.")] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Correct what the analysis decided; your category wins from now on.

    Example: trailmix trails set "Forest loop" --category hilly
    """
    from trailmix.app import trails as library

    database = open_db(db)
    rec = library.correct(database, key, category=category, surface=surface, rename=rename)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(library.summary(database, rec).to_json()))
        return
    console.print(
        Text(f"{rec.name}: category {rec.category}, surface {rec.declared_surface or '-'}.")
    )


@app.command("reanalyse")
def reanalyse(
    key: Annotated[str | None, typer.Argument(help="One trail (default: all).")] = None,
    dem: DemOpt = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Analyse stored trails again from their original files (after an upgrade, or with a DEM).

    Example: trailmix trails reanalyse --dem ~/srtm"""
    from trailmix.app import trails as library

    database = open_db(db)
    done = library.reanalyse_all(database, key, library.dem_folder(dem))
    if fmt is DataFormat.JSON:
        typer.echo(dump_json([s.to_json() for s in library.summaries(database, done)]))
        return
    for rec in done:
        console.print(
            Text(f"{rec.name}: {rec.category}, {rec.length_km:.2f} km, {rec.gain_m:.0f} m up")
        )
