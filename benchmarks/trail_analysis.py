"""Time trailmix's read + analyse against gpxpy's parse + get_uphill_downhill().

Run: .venv/bin/python benchmarks/trail_analysis.py [--repeat N]

For each GPX/FIT/TCX file in ../shared/data/activities: trailmix is timed from the file on disk
to a finished `TrailAnalysis` (read_track + analyse_track: profile, hills, category). gpxpy is
timed on GPX files as gpxpy.parse of the (unzipped) text + get_uphill_downhill(); gpxpy cannot
read FIT or TCX, so for those the points trailmix read are copied into an in-memory gpxpy GPX
first (not timed) and only get_uphill_downhill() is timed: that column is marked "updown only".
The ratio column compares like for like: read + analyse against parse + updown for GPX, and
trailmix's analyse_track alone against get_uphill_downhill() alone for FIT/TCX. Each figure is
the median of --repeat runs.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import gpxpy
import gpxpy.gpx
from rich.console import Console
from rich.table import Table

from trailmix.domain.trail.classify import analyse_track
from trailmix.formats.gpx import track_to_gpx
from trailmix.formats.readers import read_track

ACTIVITIES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "activities"


def _median_s(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per file (median taken)")
    args = parser.parse_args()

    table = Table(title=f"trail analysis: median of {args.repeat} runs per file")
    for column in (
        "file",
        "fmt",
        "points",
        "trailmix ms",
        "of which analyse ms",
        "ms / 10k pts",
        "gpxpy ms",
        "gpxpy ms / 10k",
        "trailmix / gpxpy (like for like)",
        "gpxpy timed",
    ):
        table.add_column(
            column, justify="left" if column in ("file", "fmt", "gpxpy timed") else "right"
        )

    totals = {"points": 0, "trailmix": 0.0, "gpxpy_gpx": 0.0, "trailmix_gpx": 0.0}
    for path in sorted(p for p in ACTIVITIES.glob("*/*") if p.is_file()):
        track = read_track(path)
        n = len(track)

        def ours(path: Path = path) -> None:
            t = read_track(path)
            analyse_track(t, name=t.name)

        t_ours = _median_s(ours, args.repeat)
        t_analyse = _median_s(lambda track=track: analyse_track(track, name="x"), args.repeat)
        if track.source_format == "gpx":
            data = path.read_bytes()
            text = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode()
            t_gpxpy = _median_s(
                lambda text=text: gpxpy.parse(text).get_uphill_downhill(), args.repeat
            )
            how = "parse + updown"
            totals["gpxpy_gpx"] += t_gpxpy
            totals["trailmix_gpx"] += t_ours
        else:
            doc = track_to_gpx(track)
            t_gpxpy = _median_s(doc.get_uphill_downhill, args.repeat)
            how = "updown only"
        totals["points"] += n
        totals["trailmix"] += t_ours
        table.add_row(
            path.name[:38],
            track.source_format,
            f"{n:,}",
            f"{t_ours * 1000:.1f}",
            f"{t_analyse * 1000:.1f}",
            f"{t_ours * 1000 * 10_000 / n:.1f}",
            f"{t_gpxpy * 1000:.1f}",
            f"{t_gpxpy * 1000 * 10_000 / n:.1f}",
            f"{(t_ours if track.source_format == 'gpx' else t_analyse) / t_gpxpy:.1f}x",
            how,
        )
    console = Console(width=170)
    console.print(table)
    console.print(
        f"all files: {totals['points']:,} points, trailmix {totals['trailmix']:.2f} s "
        f"({totals['trailmix'] * 1000 * 10_000 / totals['points']:.1f} ms per 10k points); "
        f"GPX files only: trailmix / gpxpy (parse + updown) = "
        f"{totals['trailmix_gpx'] / totals['gpxpy_gpx']:.2f}x"
    )


if __name__ == "__main__":
    main()
