"""`trailmix trails discover`: trails near home from OpenStreetMap and SRTM (docs/discover.md)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
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
            rec = discovery.add_candidate(
                database, result.candidates[n - 1], dem=folder, gpx_dir=gpx_dir
            )
            added.append({"candidate": n, "id": rec.id, "name": rec.name, "category": rec.category})
    doc = discovery.discovery_to_dict(result, owns)
    doc["notes"] = notes
    doc["added"] = added
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(doc))
        return
    _print_table(doc)
    for note in notes:
        err_console.print(f"[yellow]note:[/] {note}", highlight=False)
    for a in added:
        console.print(
            f"[green]added[/] {a['id']}: {escape(str(a['name']))} ({a['category']}) to your trails",
            highlight=False,
        )


def _print_table(doc: dict[str, object]) -> None:
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
        title=f"Trails near {start['lat']:.5f},{start['lon']:.5f} "
        f"(minutes at effort {doc['effort']:g})"
    )
    for col in (
        "#",
        "for",
        "route",
        "category",
        "km",
        "up m",
        "min",
        "surface",
        "shoe",
        "hike first",
        "why",
    ):
        t.add_column(col, justify="right" if col in ("#", "km", "up m", "min") else "left")
    for c in cands:
        why = " ".join(f"{r['rule']}: {r['text']}" for r in c["reasons"][:2])
        if c["hill"]:
            h = c["hill"]
            why = (
                f"{h['length_m']:.0f} m at {h['avg_grade'] * 100:.0f} %, "
                f"{h['climb_minutes']:.1f} min per rep, {h['approach_minutes']:.0f} min "
                f"warm-up to its foot (R8). " + why
            )
        gain = "-" if c["gain_m"] is None else f"{c['gain_m']:.0f}"
        t.add_row(
            str(c["rank"]),
            c["purpose"],
            Text(str(c["name"])),  # from OpenStreetMap: text, never markup
            c["category"],
            f"{c['length_km']:.1f}",
            gain,
            f"{c['minutes']:.0f}",
            _surface_text(c["surface_km"]),
            c["shoe"],
            "yes (R9)" if c["hike_first"] else "-",
            why,
        )
    console.print(t)
    console.print(
        f"[dim]Map data {discovery.ATTRIBUTION}. {discovery.SRTM_CREDIT}. Add one with --add N.[/]"
    )
