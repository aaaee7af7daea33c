"""`trailmix trails discover`: trails near home from OpenStreetMap and SRTM (docs/discover.md)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
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
    parse_time,
)
from trailmix.domain.types import TrailShoe
from trailmix.errors import InputError

if TYPE_CHECKING:  # the discovery code (scipy, osmium) is imported when a command runs
    from trailmix.domain.osm.routes import Purpose


class For(StrEnum):
    RECOVERY = "recovery"
    HILLS = "hills"
    TECHNICAL = "technical"
    ANY = "any"


def _purposes(f: For) -> tuple[Purpose, ...]:
    from trailmix.app import discover as discovery
    from trailmix.domain.osm.routes import Purpose

    return discovery.ALL_PURPOSES if f is For.ANY else (Purpose(f.value),)


def _flat_speed(text: str) -> float:
    pace = parse_time(text, "--flat-pace")
    if not 120 <= pace <= 1800:
        raise InputError(
            f"{text} per km is not a running or walking pace (2:00 to 30:00 per km).",
            "--flat-pace",
        )
    return 1000.0 / pace


def _surface_text(km: dict[str, float]) -> str:
    total = sum(km.values()) or 1.0
    return ", ".join(f"{k} {v / total * 100:.0f}%" for k, v in km.items() if v > 0.005)


def discover(
    osm: Annotated[
        Path,
        typer.Option("--osm", help="OpenStreetMap extract: .osm.pbf, .osm, .osm.gz, .osm.bz2."),
    ],
    near: Annotated[str, typer.Option("--near", help="Your start (home), LAT,LON in degrees.")],
    radius: Annotated[
        float, typer.Option("--radius", help="How far from the start to read ways, km.")
    ] = 6.0,
    dem: Annotated[
        str | None,
        typer.Option(
            "--dem",
            help="Folder of SRTM .hgt/.hgt.zip tiles (without: a flat network).",
            envvar="TRAILMIX_DEM",
            show_envvar=True,
        ),
    ] = None,
    purpose: Annotated[
        For, typer.Option("--for", help="recovery loops, hills for repeats, technical, or any.")
    ] = For.ANY,
    minutes: Annotated[
        float, typer.Option("--minutes", help="Length of the recovery run, minutes (R5).")
    ] = 40.0,
    effort: Annotated[
        float, typer.Option("--effort", help="Effort, RPE 1-10 (R5): 3 is easy.")
    ] = 3.0,
    flat_pace: Annotated[
        str, typer.Option("--flat-pace", help="Your pace on flat road at this effort, mm:ss/km.")
    ] = "5:30",
    add: Annotated[
        list[int] | None,
        typer.Option("--add", help="Add candidate N to your trail library (repeatable)."),
    ] = None,
    add_all: Annotated[
        bool, typer.Option("--add-all", help="Add every candidate to your trail library.")
    ] = False,
    gpx_dir: Annotated[
        Path | None, typer.Option("--gpx-dir", help="Also keep the added trails' GPX files here.")
    ] = None,
    why: Annotated[
        bool,
        typer.Option("--why", help="Under the table: each route's reasons, shoe and notes."),
    ] = False,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Find trails near a start in an OpenStreetMap extract: flat loops for recovery, hills
    for repeats, technical trails to hike first; add chosen ones to your trail library."""
    from trailmix.app import discover as discovery
    from trailmix.app import trails as library

    start = discovery.parse_near(near)
    speed = _flat_speed(flat_pace)
    folder, notes = discovery.dem_for(dem)
    notes += discovery.dem_coverage_note(folder, *start)
    result = discovery.discover(
        osm,
        start,
        radius,
        dem=folder,
        purposes=_purposes(purpose),
        minutes=minutes,
        effort=effort,
        flat_speed_ms=speed,
    )
    notes += list(result.notes)
    chosen = list(range(1, len(result.candidates) + 1)) if add_all else sorted(set(add or []))
    bad = [n for n in chosen if not 1 <= n <= len(result.candidates)]
    if bad:
        raise InputError(
            f"there is no candidate {bad[0]}; this search found {len(result.candidates)}.",
            "--add",
        )
    database = open_db(db) if chosen else None
    owns = library.owns_trail_shoe(database) if database is not None else TrailShoe.YES
    added = []
    if database is not None:
        for n in chosen:
            got = discovery.add_or_find(
                database, result.candidates[n - 1], dem=folder, gpx_dir=gpx_dir
            )
            rec = got.record
            added.append(
                {
                    "candidate": n,
                    "id": rec.id,
                    "name": rec.name,
                    "category": rec.category,
                    "already": got.already,
                }
            )
    doc = discovery.discovery_to_dict(result, owns)
    doc["notes"] = notes
    doc["added"] = added
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(doc))
        return
    _print_table(doc, why)
    for note in notes:
        err_console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
    for a in added:
        if a["already"]:
            console.print(
                f"candidate {a['candidate']} is already in your trails: {a['id']}: "
                f"{escape(str(a['name']))} ({a['category']}); not added again",
                highlight=False,
            )
        else:
            console.print(
                f"[green]added[/] {a['id']}: {escape(str(a['name']))} ({a['category']}) "
                "to your trails",
                highlight=False,
            )


def _print_table(doc: dict[str, object], why: bool) -> None:
    """One line per candidate (short labels: the fit says how it falls short, if it does);
    with `--why`, each candidate's reasons, shoe and notes in full below the table."""
    from trailmix.app import discover as discovery

    cands = doc["candidates"]
    assert isinstance(cands, list)
    if not cands:
        console.print("No candidates found (see the notes).")
        console.print(f"[dim]{discovery.ATTRIBUTION}[/]")
        return
    start = doc["start"]
    assert isinstance(start, dict)
    t = Table(
        box=box.SIMPLE_HEAD,
        expand=True,
        pad_edge=False,
        title=f"Trails near {start['lat']:.5f},{start['lon']:.5f} "
        f"(minutes at effort {doc['effort']:g})",
    )
    # at 80 columns: no "for" when one purpose was asked, no "type" (it is in --why and JSON)
    purposes = {c["purpose"] for c in cands}
    wide = console.width >= 100
    columns = [
        col
        for col in ("#", "for", "route", "min", "km", "up m", "unpaved", "type", "fit")
        if (col != "for" or len(purposes) > 1) and (col != "type" or wide)
    ]
    flexible = ("route", "fit")
    for col in columns:
        # the short columns never squash; route and fit wrap (two lines at most at 80 columns)
        t.add_column(
            col,
            justify="left" if col in ("for", "route", "type", "fit") else "right",
            no_wrap=col not in flexible,
            min_width=None if col in flexible else len(col),
            ratio=1 if col in flexible else None,
        )
    for c in cands:
        gain = "-" if c["gain_m"] is None else f"{c['gain_m']:.0f}"
        cells: dict[str, str | Text] = {
            "#": str(c["rank"]),
            "for": c["purpose"],
            "route": Text(str(c["name"])),  # from OpenStreetMap: text, never markup
            "min": f"{c['minutes']:.0f}",
            "km": f"{c['length_km']:.1f}",
            "up m": gain,
            "unpaved": f"{c['unpaved_share'] * 100:.0f}%",
            "type": c["category"],
            "fit": c["fit"],
        }
        t.add_row(*(cells[col] for col in columns))
    console.print(t)
    if why:
        for c in cands:
            console.print(
                f"[bold]{c['rank']}. {escape(str(c['name']))}[/] ({c['category']}; "
                f"shoe: {c['shoe']}"
                f"{'; hike it first (R9)' if c['hike_first'] else ''}; "
                f"{_surface_text(c['surface_km'])})",
                highlight=False,
            )
            for r in c["reasons"]:
                console.print(f"   {r['rule']}: {escape(str(r['text']))}", highlight=False)
            for n in c["notes"]:
                console.print(f"   note: {escape(str(n))}", highlight=False)
    console.print(
        f"[dim]Map data {discovery.ATTRIBUTION}. {discovery.SRTM_CREDIT}. Add one with --add N"
        f"{'' if why else '; --why for the reasons'}.[/]"
    )
