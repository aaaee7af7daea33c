"""`trailmix log ...`: what was actually run, and what it is building (R2, R4, R12)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich import box
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
    parse_date,
)
from trailmix.domain.types import Surface
from trailmix.domain.units import format_duration, format_minutes, format_pace
from trailmix.errors import InputError

app = typer.Typer(help="Your training log: import runs, rate them, see what they build.")

WIDE = 100
"""trailmix default: below this many columns `log list` leaves out its least needed columns
(climb, GAP, HR) and says so, instead of cutting dates and names."""
_LOG_COLUMNS = ("id", "date", "name", "moving", "km", "up m", "pace", "GAP", "HR", "surface", "RPE")
_NARROW_COLUMNS = ("id", "date", "name", "time, km", "pace", "surface", "RPE")

DayArg = Annotated[str, typer.Argument(help="The run's date (YYYY-MM-DD) or its id.")]


class _SourceCount:
    """One progress total over every path given: the import reports each file with the count
    of its own folder or archive, so the totals of the sources are added up as they start."""

    def __init__(self) -> None:
        self.total = 0
        self._source_total = 0
        self._seen = 0

    def add(self, source_total: int) -> int:
        """Count one file of a source with `source_total` files; the total of all so far."""
        if self._seen >= self._source_total or source_total != self._source_total:
            self.total += source_total  # the next folder or archive
            self._source_total, self._seen = source_total, 0
        self._seen += 1
        return self.total


@app.command("import")
def import_runs(
    paths: Annotated[
        list[Path],
        typer.Argument(help="GPX/TCX/FIT files (gzip too), folders, Strava or Garmin export zips."),
    ],
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Import runs; duplicates are skipped, each bad file is reported and the rest imported.

    Exit code 1 when anything was skipped or could not be read, 0 otherwise.

    Example: trailmix log import ~/Downloads/export_12345.zip runs/"""
    for p in paths:
        if not p.exists():
            raise InputError(f"{p} does not exist.", "PATHS")
    from trailmix.app import log_import as tlog
    from trailmix.app.log_json import record_json

    database = open_db(db)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("importing runs", total=None)
        counted = _SourceCount()

        def progress(total: int, name: str) -> None:
            bar.update(
                task,
                total=counted.add(total),
                advance=1,
                description=f"importing {Path(name).name}",
            )

        report = tlog.import_paths(database, paths, progress)
    if fmt is DataFormat.JSON:
        typer.echo(
            dump_json(
                {
                    "imported": [record_json(r) for r in report.imported],
                    "duplicates": [{"file": f, "reason": m} for f, m in report.duplicates],
                    "skipped": [{"file": f, "reason": m} for f, m in report.skipped],
                    "problems": [{"file": f, "reason": m} for f, m in report.problems],
                }
            )
        )
    else:
        console.print(
            f"imported {len(report.imported)} run(s); {len(report.duplicates)} already in the "
            f"log, {len(report.skipped)} skipped, {len(report.problems)} could not be read."
        )
        for f, m in report.duplicates:
            console.print(f"  [dim]duplicate[/] {escape(f)}: {escape(m)}", highlight=False)
        for f, m in report.skipped:
            err_console.print(Text(f"skipped: {f}: {m}"), highlight=False)
        for f, m in report.problems:
            err_console.print(f"[bold red]error:[/] {escape(f)}: {escape(m)}", highlight=False)
    if report.anything_skipped:
        raise typer.Exit(1)


@app.command("list")
def list_runs(
    weeks: Annotated[int | None, typer.Option(help="Only the last N weeks.")] = None,
    since: Annotated[str | None, typer.Option(help="Only runs from this date on.")] = None,
    limit: Annotated[
        int | None,
        typer.Option(help="At most the latest N runs (default 50; 0: all)."),
    ] = None,
    before: Annotated[
        int | None,
        typer.Option(help="Only runs older than the run with this id (the next page back)."),
    ] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """The latest logged runs, oldest first: time, distance, climb, pace and grade-adjusted
    pace, surface, RPE. A page at a time: the latest --limit runs (of the last --weeks weeks,
    or --since a day); --before ID shows the page before run ID.

    Example: trailmix log list --weeks 4"""
    from trailmix.app import log as tlog
    from trailmix.app.log_json import record_json

    first = parse_date(since, "--since") if since else None
    page = tlog.runs_page(
        tlog.reader_at(db),
        date.today(),
        weeks=weeks,
        since=first,
        limit=tlog.LIST_LIMIT if limit is None else limit,
        before=before,
    )
    records = page.runs
    if fmt is DataFormat.JSON:
        typer.echo(dump_json([record_json(r) for r in records]))
        return
    if not records:
        console.print("No runs in the log yet: trailmix log import FILES...")
        return
    narrow = console.width < WIDE
    columns = _NARROW_COLUMNS if narrow else _LOG_COLUMNS
    t = Table(title="Training log", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in columns:
        t.add_column(
            col,
            justify="right" if col in ("id", "km", "up m", "HR", "time, km") else "left",
            no_wrap=col not in ("name", "surface"),  # a date or a number is never cut
            overflow="fold",  # only a name longer than its column is folded, never cut
        )
    for r in records:
        s = r.summary
        rpe = "-" if r.rpe is None else f"{r.rpe:g}" + (" est." if r.rpe_estimated else "")
        how_sure = f"{r.surface_source} {r.surface_confidence:.0%}"
        if r.kind != "run":  # a hike or a walk: shown as one (docs/log.md, Hikes)
            how_sure = f"{r.kind}, {how_sure}"
        if not r.has_track:
            how_sure += ", no GPS"
        cells: dict[str, str | Text] = {
            "id": str(r.id),
            "date": tlog.local_day(r).isoformat(),
            "name": Text(r.name or ""),  # from the file or the runner: text, never markup
            "moving": format_duration(r.moving_s),
            "km": f"{r.distance_km:.2f}",
            "time, km": f"{format_duration(r.moving_s)}\n{r.distance_km:.2f} km",
            "up m": "-" if r.gain_m is None else f"{r.gain_m:.0f}",
            "pace": format_pace(s.avg_pace_s_per_km) if s.avg_pace_s_per_km else "-",
            "GAP": format_pace(s.gap_s_per_km) if s.gap_s_per_km else "-",
            "HR": "-" if r.avg_hr is None else f"{r.avg_hr:.0f}",
            "surface": f"{r.surface}\n{how_sure}" if narrow else f"{r.surface} ({how_sure})",
            "RPE": rpe,
        }
        t.add_row(*(cells[c] for c in columns))
    console.print(t)
    if narrow:
        console.print(
            f"[dim]climb, GAP and HR: at {WIDE} columns or more, or with --format json.[/]"
        )
    if page.older is not None:
        console.print(
            f"{page.left_out} older run(s) not shown: --before {page.older} shows the page "
            "before these, --limit 0 shows every run.",
            highlight=False,
        )


@app.command("rpe")
def rate(
    day: DayArg,
    rpe: Annotated[float, typer.Argument(help="How hard it felt, 1 (very easy) to 10.")],
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Record how hard a run felt (RPE 1-10, Foster's CR10); it sets the run's load.

    Example: trailmix log rpe 2026-12-01 6"""
    from trailmix.app import log as tlog
    from trailmix.app.log_json import record_json

    rec = tlog.set_rpe(open_db(db), day, rpe)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(record_json(rec)))
        return
    console.print(
        f"run {rec.id} on {tlog.local_day(rec).isoformat()}: RPE {rpe:g}, load "
        f"{tlog.load_of(rec):.0f} AU (RPE x minutes, Foster 2001)."
    )


@app.command("surface")
def correct_surface(
    day: DayArg,
    surface: Annotated[Surface, typer.Argument(help="road or trail.")],
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Correct where a run was: road or trail.

    Example: trailmix log surface 2026-12-01 trail"""
    from trailmix.app import log as tlog
    from trailmix.app.log_json import record_json

    rec = tlog.set_surface(open_db(db), day, surface)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(record_json(rec)))
        return
    console.print(f"run {rec.id} on {tlog.local_day(rec).isoformat()}: {rec.surface}.")


@app.command("set-shoe")
def set_shoe(
    day: DayArg,
    shoe: Annotated[str, typer.Argument(help="The shoe's id or name (none: no pair).")],
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Say which pair a run was run in (R10: its km count for that pair).

    Example: trailmix log set-shoe 2026-12-01 Speedgoat"""
    from trailmix.app import log as tlog
    from trailmix.app import shoes
    from trailmix.app.corrections import correct_run
    from trailmix.app.log_json import record_json

    database = open_db(db)
    rec = correct_run(database, day, shoe=shoe)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(record_json(rec)))
        return
    pair = shoes.find(database, rec.shoe_id).name if rec.shoe_id is not None else "no pair"
    console.print(Text(f"run {rec.id} on {tlog.local_day(rec).isoformat()}: {pair}."))


@app.command("week")
def week(
    day: Annotated[
        str | None, typer.Option("--date", help="A day of the week (default today).")
    ] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """This week (or the week of --date) against the plan, as of today: done, partial, moved,
    missed; road and trail minutes; the weekly trail run (R2); weeks of trail running (R4).

    Example: trailmix log week --date 2026-12-01"""
    from trailmix.app import log as tlog
    from trailmix.app.log_json import adherence_json

    shown = parse_date(day, "--date") if day else date.today()
    # Judged as of today (a finished week gets its R2 verdict); --date only picks the week.
    report = tlog.week(tlog.reader_at(db), shown, date.today())
    data = adherence_json(report.adherence, report.index)
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(data))
        return
    t = Table(title=f"Week {data['week']} ({data['phase']}) from {data['start']}")
    for col in ("day", "planned", "where", "min", "status", "ran", "why"):
        t.add_column(col)
    for m in data["sessions"]:
        colour = {"done": "green", "partial": "yellow", "missed": "red", "moved": "cyan"}.get(
            m["status"], ""
        )
        t.add_row(
            m["date"],
            Text(m["title"]),
            m["surface"],
            f"{m['planned_min']:.0f}",
            f"[{colour}]{m['status']}[/]" if colour else m["status"],
            "-" if m["run_min"] is None else f"{m['run_min']:.0f} min",
            Text(f"{m['reason']['rule']}: {m['reason']['text']}"),
        )
    console.print(t)
    console.print(
        f"road {format_minutes(data['road_min'])} of {format_minutes(data['planned_road_min'])}"
        f" planned, trail {format_minutes(data['trail_min'])} of "
        f"{format_minutes(data['planned_trail_min'])}: trail share {data['trail_share']:.0%} "
        f"(target {data['target_share']:.0%}, cap {data['trail_cap']:.0%})",
        highlight=False,
    )
    for r in data["reasons"]:
        console.print(Text.assemble("  ", (r["rule"], "cyan"), " ", r["text"]))
    tw = data["trail_weeks"]
    console.print(Text.assemble("  ", (tw["reason"]["rule"], "cyan"), " ", tw["reason"]["text"]))


@app.command("stats")
def stats(
    weeks: Annotated[int, typer.Option(help="How many weeks back.")] = 12,
    day: Annotated[
        str | None,
        typer.Option("--date", help="The last week shown holds this day (default today)."),
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also write the charts as .png or .svg.")
    ] = None,
    fmt: FormatOpt = DataFormat.TABLE,
    db: DbOpt = None,
) -> None:
    """Weekly road and trail minutes, load, monotony and strain (Foster), the ACWR trend.

    Example: trailmix log stats --weeks 8 --plot log.png"""
    from trailmix.app import log as tlog
    from trailmix.app.log_json import stats_json
    from trailmix.charts.log_charts import weekly_bars, write_log_plot

    today = parse_date(day, "--date") if day else date.today()
    st = tlog.stats(tlog.reader_at(db), weeks, today)
    if plot is not None:
        write_log_plot(plot, st, today=today)
        err_console.print(f"[green]wrote[/] {escape(str(plot))}")
    if fmt is DataFormat.JSON:
        typer.echo(dump_json(stats_json(st)))
        return
    # The bars take what the other columns leave (about 62 characters), 40 at most.
    bar_width = max(10, min(40, console.width - 62))
    console.print(weekly_bars(st, today=today, width=bar_width))
    if st.runs_without_rpe:
        console.print(
            f"{st.runs_without_rpe} run(s) have no RPE and count no load: "
            "trailmix log rpe DATE RPE (or set your heart-rate data to have it estimated)."
        )
