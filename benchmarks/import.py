"""Time `trailmix log import` on a generated Strava-style export of N runs.

Run: .venv/bin/python benchmarks/import.py [--n 1000] [--keep DIR]

The archive holds copies of the running files in ../shared/data/activities (road/ and
trail_hill/: FIT, TCX and a gzipped GPX; the two hikes are left out, a Strava export would type
them Hike and the importer would skip them). Copy k of a file has every timestamp shifted by
k x (1 day + 320 s), so no copy is a duplicate of another (same bytes, or a start within 60 s):
GPX / TCX by rewriting the ISO times in the text, FIT by rewriting every `date_time` field in
the binary records (the fields fitdecode's profile types as date_time, field 253 in every
message) and recomputing the CRC. 320 s is a multiple of 32 s, so FIT's compressed timestamp
headers (the low 5 bits of the time) stay right.

The zip (activities.csv + activities/) is imported into a fresh SQLite database with
`trailmix.app.log_import.import_paths`; each file's share of the time comes from the progress
callback. The same member bytes are parsed only, in that callback, right before trailmix
imports them (so both run on the machine as it is at that moment; the callback's time is left
out of the import's): fitdecode (every frame) for FIT, gpxpy for GPX, lxml for TCX, gunzip
included where the member is gzipped (reading the member out of the zip is not timed;
trailmix's import time includes it). Ratio = trailmix's import time / the parse-only time, per
format, on the wall clock and on the process's CPU time.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import fitdecode
import fitdecode.profile
import fitdecode.utils
import gpxpy
from lxml import etree
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from trailmix.app.log_import import import_paths
from trailmix.formats.readers import parse_track, read_track
from trailmix.storage.db import Database

ACTIVITIES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "activities"
SOURCES = sorted(p for folder in ("road", "trail_hill") for p in (ACTIVITIES / folder).iterdir())
STEP_S = 86_400 + 320
"""Copy k is shifted by k x STEP_S: a day and 320 s (a multiple of 32 s, see the docstring)."""

_ISO = re.compile(rb"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})")
_DATE_TIME_TYPES = frozenset({"date_time", "local_date_time"})
_FIT_TIMESTAMP = 253
_FIT_INVALID = 0xFFFFFFFF
_FIT_SYSTEM_TIME = 0x10000000
"""FIT date_time values below this are seconds since the device powered up, not dates."""


# ----------------------------------------------------------------------------- shifted copies


def _gunzip(data: bytes) -> tuple[bytes, bool]:
    return (gzip.decompress(data), True) if data[:2] == b"\x1f\x8b" else (data, False)


def shift_xml(data: bytes, seconds: int) -> bytes:
    """GPX / TCX bytes (gzipped or not) with every ISO date-time shifted by `seconds`."""
    raw, zipped = _gunzip(data)

    def move(m: re.Match[bytes]) -> bytes:
        y, mo, d, h, mi, s = (int(g) for g in m.groups())
        moved = datetime(y, mo, d, h, mi, s) + timedelta(seconds=seconds)
        return moved.strftime("%Y-%m-%dT%H:%M:%S").encode()

    out = _ISO.sub(move, raw)
    return gzip.compress(out, mtime=0) if zipped else out


def _is_date_time(global_num: int, field_num: int) -> bool:
    if field_num == _FIT_TIMESTAMP:
        return True
    message = fitdecode.profile.MESSAGE_TYPES.get(global_num)
    field = message.fields.get(field_num) if message is not None else None
    return field is not None and field.type.name in _DATE_TIME_TYPES


def shift_fit(data: bytes, seconds: int) -> bytes:
    """FIT bytes with every date_time field shifted by `seconds` (a multiple of 32) and the
    file CRC recomputed; chained FIT files are handled one after another."""
    if seconds % 32:
        raise ValueError("FIT shifts must be a multiple of 32 s (compressed timestamps)")
    out = bytearray(data)
    pos = 0
    while pos + 12 <= len(out):
        header_size = out[pos]
        if out[pos + 8 : pos + 12] != b".FIT":
            raise ValueError(f"no FIT header at byte {pos}")
        start = pos + header_size
        end = start + int.from_bytes(out[pos + 4 : pos + 8], "little")
        # local message type -> (byte order, offsets of the date_time fields, data size)
        layouts: dict[int, tuple[bool, list[int], int]] = {}
        p = start
        while p < end:
            header = out[p]
            p += 1
            if header & 0x80:  # compressed timestamp header: a data message of type 0-3
                local = (header >> 5) & 0x03
            elif header & 0x40:  # definition message
                big = out[p + 1] == 1
                global_num = int.from_bytes(out[p + 2 : p + 4], "big" if big else "little")
                count = out[p + 4]
                p += 5
                offsets: list[int] = []
                size = 0
                for _ in range(count):
                    field_num, field_size = out[p], out[p + 1]
                    if field_size == 4 and _is_date_time(global_num, field_num):
                        offsets.append(size)
                    size += field_size
                    p += 3
                if header & 0x20:  # developer fields
                    dev_count = out[p]
                    p += 1
                    for _ in range(dev_count):
                        size += out[p + 1]
                        p += 3
                layouts[header & 0x0F] = (big, offsets, size)
                continue
            else:
                local = header & 0x0F
            big, offsets, size = layouts[local]
            order: Literal["big", "little"] = "big" if big else "little"
            for offset in offsets:
                at = p + offset
                value = int.from_bytes(out[at : at + 4], order)
                if value != _FIT_INVALID and value >= _FIT_SYSTEM_TIME:
                    out[at : at + 4] = (value + seconds).to_bytes(4, order)
            p += size
        crc = fitdecode.utils.compute_crc(out, start=pos, end=end)
        out[end : end + 2] = crc.to_bytes(2, "little")
        pos = end + 2
    return bytes(out)


def shifted(path: Path, seconds: int) -> bytes:
    data = path.read_bytes()
    if seconds == 0:
        return data
    return shift_fit(data, seconds) if _kind(path.name) == "fit" else shift_xml(data, seconds)


def _kind(name: str) -> str:
    return name.removesuffix(".gz").rsplit(".", 1)[-1].lower()


def _check_shift(path: Path) -> None:
    """A shifted copy reads (FIT CRC checked) and starts exactly STEP_S later."""
    copy = shifted(path, STEP_S)
    if _kind(path.name) == "fit":
        with fitdecode.FitReader(io.BytesIO(copy), check_crc=True) as reader:
            for _ in reader:
                pass
    a, b = read_track(path).time_s, parse_track(copy, f"check_{path.name}").time_s
    if not (abs(float(b[0]) - float(a[0]) - STEP_S) < 1e-6 and (b - a == STEP_S).all()):
        raise AssertionError(f"shifting {path.name} did not move every point by {STEP_S} s")


CSV_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
    "Elapsed Time,Distance,Activity Gear,Filename\n"
)


def build_archive(zip_path: Path, n: int) -> None:
    """Write the Strava-style export of `n` shifted copies to `zip_path`."""
    rows: list[str] = []
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(n):
            src = SOURCES[i % len(SOURCES)]
            k = i // len(SOURCES)
            name = f"activities/{1000 + i}.{src.name.split('.', 1)[1]}"
            zf.writestr(name, shifted(src, k * STEP_S))
            kind = "Trail Run" if src.parent.name == "trail_hill" else "Run"
            day = datetime(2020, 1, 1, 7, tzinfo=UTC) + timedelta(seconds=k * STEP_S)
            when = day.strftime('"%b %d, %Y, %I:%M:%S %p"')
            rows.append(f"{1000 + i},{when},{src.stem} #{k},{kind},,3000,9.0,Pegasus,{name}\n")
        zf.writestr("activities.csv", CSV_HEADER + "".join(rows))


# ----------------------------------------------------------------------------- parse only


def _parse_fit(data: bytes) -> None:
    with fitdecode.FitReader(io.BytesIO(_gunzip(data)[0])) as reader:
        for _ in reader:
            pass


def _parse_gpx(data: bytes) -> None:
    gpxpy.parse(_gunzip(data)[0].decode("utf-8"))


_TCX_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _parse_tcx(data: bytes) -> None:
    etree.fromstring(_gunzip(data)[0], _TCX_PARSER)


PARSERS: dict[str, tuple[str, Callable[[bytes], None]]] = {
    "fit": ("fitdecode", _parse_fit),
    "gpx": ("gpxpy", _parse_gpx),
    "tcx": ("lxml", _parse_tcx),
}


# ----------------------------------------------------------------------------- run


@dataclass
class FormatTimes:
    files: int = 0
    megabytes: float = 0.0
    import_s: float = 0.0
    parse_s: float = 0.0
    import_cpu_s: float = 0.0
    parse_cpu_s: float = 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="activities in the archive")
    parser.add_argument("--keep", type=Path, help="keep the archive and database in this folder")
    args = parser.parse_args()
    console = Console(width=130)

    with tempfile.TemporaryDirectory() as tmp_name:
        work = args.keep or Path(tmp_name)
        work.mkdir(parents=True, exist_ok=True)
        for src in SOURCES:
            _check_shift(src)
        t0 = time.perf_counter()
        zip_path = work / "export_benchmark.zip"
        build_archive(zip_path, args.n)
        build_s = time.perf_counter() - t0
        console.print(
            f"archive: {args.n} runs from {len(SOURCES)} files, "
            f"{zip_path.stat().st_size / 1e6:.1f} MB zipped, built in {build_s:.1f} s"
        )

        db_path = work / "benchmark.db"
        db_path.unlink(missing_ok=True)
        db = Database(f"sqlite:///{db_path}")
        # Each member is parsed by the reference library right where its import starts (in
        # the progress callback, whose own time is left out of the import's): both are
        # measured within milliseconds of each other, on the machine as it is then.
        per_format: dict[str, FormatTimes] = defaultdict(FormatTimes)
        marks: list[tuple[float, float, float, float, str]] = []  # wall, CPU in / out, name
        with (
            Progress(
                "import", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
            ) as bar,
            zipfile.ZipFile(zip_path) as reference_zip,
        ):
            task = bar.add_task("import", total=args.n)

            def progress(total: int, name: str) -> None:
                wall_in, cpu_in = time.perf_counter(), time.process_time()
                bar.update(task, total=total, completed=len(marks))
                data = reference_zip.read(name)  # unzipping is not timed: parse only
                times = per_format[_kind(name)]
                _, parse = PARSERS[_kind(name)]
                t, t_cpu = time.perf_counter(), time.process_time()
                parse(data)
                times.parse_s += time.perf_counter() - t
                times.parse_cpu_s += time.process_time() - t_cpu
                times.megabytes += len(_gunzip(data)[0]) / 1e6
                marks.append((wall_in, cpu_in, time.perf_counter(), time.process_time(), name))

            start, start_cpu = time.perf_counter(), time.process_time()
            report = import_paths(db, [zip_path], progress)
            end, end_cpu = time.perf_counter(), time.process_time()
            bar.update(task, completed=len(marks))
        db.dispose()
        # the import's own time: from leaving one callback to entering the next
        callbacks = [(w_out - w_in, c_out - c_in) for w_in, c_in, w_out, c_out, _ in marks]
        wall_s = end - start - sum(w for w, _ in callbacks)
        cpu_s = end_cpu - start_cpu - sum(c for _, c in callbacks)
        for i, (_, _, out, out_cpu, name) in enumerate(marks):
            done, done_cpu = marks[i + 1][:2] if i + 1 < len(marks) else (end, end_cpu)
            per_format[_kind(name)].files += 1
            per_format[_kind(name)].import_s += done - out
            per_format[_kind(name)].import_cpu_s += done_cpu - out_cpu

    table = Table(title=f"trailmix log import: {args.n} runs in a Strava-style zip, fresh SQLite")
    columns = (
        "format",
        "files",
        "MB",
        "trailmix files/s",
        "parse-only",
        "files/s",
        "ratio",
        "CPU ratio",
    )
    for column in columns:
        table.add_column(column, justify="left" if column in ("format", "parse-only") else "right")
    for kind in sorted(per_format):
        f = per_format[kind]
        table.add_row(
            kind.upper(),
            f"{f.files:,}",
            f"{f.megabytes:,.0f}",
            f"{f.files / f.import_s:,.1f}",
            PARSERS[kind][0],
            f"{f.files / f.parse_s:,.1f}",
            f"{f.import_s / f.parse_s:,.2f}x",
            f"{f.import_cpu_s / f.parse_cpu_s:,.2f}x",
        )
    parse_total = sum(f.parse_s for f in per_format.values())
    parse_cpu = sum(f.parse_cpu_s for f in per_format.values())
    table.add_row(
        "all",
        f"{len(marks):,}",
        f"{sum(f.megabytes for f in per_format.values()):,.0f}",
        f"{len(marks) / wall_s:,.1f}",
        "the three",
        f"{len(marks) / parse_total:,.1f}",
        f"{wall_s / parse_total:,.2f}x",
        f"{cpu_s / parse_cpu:,.2f}x",
        end_section=True,
    )
    console.print(table)
    console.print(
        f"import: {wall_s:.1f} s wall ({len(report.imported)} imported, "
        f"{len(report.duplicates)} duplicates, {len(report.skipped)} skipped, "
        f"{len(report.problems)} problems); parse only: {parse_total:.1f} s. "
        "Ratio = import time / parse-only time on the same member bytes (MB unzipped), on "
        "the wall clock; CPU ratio: the same on the process's CPU time."
    )
    if len(report.imported) != args.n:
        console.print("[red]not every copy was imported: see the counts above[/]")


if __name__ == "__main__":
    main()
