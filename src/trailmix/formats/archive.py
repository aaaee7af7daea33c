"""Bulk exports, read safely: a Strava export zip (or its unpacked folder), and a zip or
folder of Garmin FIT files (or any GPX / TCX / FIT, gzipped or not).

`open_archive(path)`, or `open_archive(data, name)` for a zip already in memory (an upload),
checks the whole archive before anything is read: paths escaping the target folder ("zip
slip": absolute paths, `..`), zip bombs (declared sizes, compression ratios, overlapping
members, the total) and too many members refuse it with a `FileFormatError`. Then entries are
read one at a time, activities on foot only (runs, hikes, walks: `domain.log.kinds`): what is
skipped (a ride, a swim, a manual entry without a time) and what is damaged (a CRC error, a
member too big, a file the CSV names but the zip lacks) is listed by name with the reason, and
the rest continue. Nothing is extracted to disk: each entry's bytes go to
`readers.parse_track(entry.data, entry.name)`. A row of activities.csv without a file (a
treadmill or manual run) is an entry with no bytes (`ArchiveEntry.manual`) and the CSV's
start, time and distance in its `meta`.
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import itertools
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from types import TracebackType

from trailmix.domain.log.kinds import kind_of_type
from trailmix.errors import FileFormatError, printable
from trailmix.formats.readers import sniff
from trailmix.formats.track import MAX_FILE_BYTES

MAX_MEMBER_BYTES = MAX_FILE_BYTES
"""The route-file limit (50 MB, trailmix default, formats/track.py) applies to each member."""

MAX_TOTAL_BYTES = 8 * 1024**3
"""trailmix default: 8 GB declared uncompressed in all. A Strava export of thousands of runs
with photos stays well under; a zip bomb declares (or unpacks to) far more."""

MAX_RATIO = 100.0
"""trailmix default: a member may unpack to at most 100x its compressed size. GPX and TCX
compress 5-20x, FIT 2-5x; classic zip bombs reach 1,000x (deflate's limit is about 1,032x).
Checked on members over `RATIO_MIN_BYTES`, where a small file of repeated text may be more."""

RATIO_MIN_BYTES = 1024 * 1024
"""trailmix default: the ratio is only checked on members declaring more than 1 MB."""

MAX_MEMBERS = 200_000
"""trailmix default: more members than any real export (one per activity, plus photos)."""

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
"""Files read as activities, each possibly with `.gz` after it."""

RUNNING_TYPES = frozenset(
    {
        "run",
        "trail run",
        "virtual run",
        "running",
        "trail_running",
        "treadmill_running",
        "street",
        "track",
        "trail",
    }
)
"""Activity types kept, lower-cased: Strava's `Run`, `Trail Run`, `Virtual Run`; FIT's
`running` sport; GPX `<type>running</type>`; TCX `Sport="Running"`."""

_CSV_COLUMNS = {
    "id": "Activity ID",
    "date": "Activity Date",
    "name": "Activity Name",
    "type": "Activity Type",
    "gear": "Activity Gear",
    "file": "Filename",
    "elapsed": "Elapsed Time",
    "moving": "Moving Time",
    "distance": "Distance",
    "trainer": "Trainer",
}
"""The columns read, by Strava's titles. Strava writes "Elapsed Time" and "Distance" twice:
the first Distance in kilometres, the second in metres (both times in seconds)."""

MAX_MANUAL_S = 7 * 24 * 3600.0
"""trailmix default: a manual entry longer than a week is a typing error, not a run."""
MAX_MANUAL_M = 1_000_000.0
"""trailmix default: nor is one over 1,000 km."""


@dataclass(frozen=True)
class ActivityMeta:
    """What the export says about an activity (any of it may be missing)."""

    activity_type: str | None = None
    name: str | None = None
    gear: str | None = None
    activity_id: str | None = None
    date_text: str | None = None
    start_utc: datetime | None = None
    """The start from "Activity Date" (Strava writes UTC), when it can be read."""
    elapsed_s: float | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    trainer: bool = False
    """The export's trainer flag (an indoor activity: a treadmill run)."""


@dataclass(frozen=True)
class ArchiveEntry:
    """One activity file from an archive: its name inside the archive, its bytes as stored
    (still gzip-compressed for `.gz` members: `readers.parse_track` unpacks them, with its
    own limit), and the export's metadata. A `manual` entry is a row of activities.csv with
    no file (a treadmill or manual run): no bytes, its numbers are in `meta`."""

    name: str
    data: bytes
    meta: ActivityMeta
    manual: bool = False


@dataclass(frozen=True)
class SkippedEntry:
    """An entry not read, by name, and why (not a run, damaged, missing, too big...)."""

    name: str
    reason: str


@dataclass
class Archive:
    """An opened export. Iterate it for `ArchiveEntry` values; `total` says how many
    activity files it holds (for a progress bar); after iterating, `skipped` lists what was
    left out because it is not a run, `problems` what was damaged. `name` is what messages
    call the archive: its path, or the name given with its bytes."""

    name: str
    kind: str
    total: int
    skipped: list[SkippedEntry] = field(default_factory=list)
    problems: list[SkippedEntry] = field(default_factory=list)
    _folder: Path | None = None
    _zip: zipfile.ZipFile | None = None
    _names: list[str] = field(default_factory=list)
    _meta: dict[str, ActivityMeta] = field(default_factory=dict)
    _loose: dict[str, bytes] = field(default_factory=dict)
    _manual: dict[str, ActivityMeta] = field(default_factory=dict)

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __iter__(self) -> Iterator[ArchiveEntry]:
        for name in self._names:
            if name in self._manual:
                yield ArchiveEntry(name=name, data=b"", meta=self._manual[name], manual=True)
                continue
            meta = self._meta.get(_norm(name), ActivityMeta())
            if meta.activity_type is not None and not is_running(meta.activity_type):
                self.skipped.append(SkippedEntry(name, _not_a_run(meta.activity_type)))
                continue
            try:
                data = self._read(name)
            except _EntryError as exc:
                self.problems.append(SkippedEntry(name, exc.reason))
                continue
            if meta.activity_type is None:
                found = sniff_activity_type(data)
                if found is not None and not is_running(found):
                    self.skipped.append(SkippedEntry(name, _not_a_run(found)))
                    continue
                meta = dataclasses.replace(meta, activity_type=found)
            # A non-UTF-8 file name is shown and stored with U+FFFD for its odd bytes.
            yield ArchiveEntry(name=printable(name), data=data, meta=meta)

    def _read(self, name: str) -> bytes:
        if name in self._loose:
            return self._loose[name]
        if self._folder is not None:
            return _read_file(self._folder / name, self._folder)
        if self._zip is None:
            raise _EntryError("the archive is closed")
        try:
            info = self._zip.getinfo(name)
        except KeyError as exc:
            raise _EntryError("listed in activities.csv but not in the archive") from exc
        if info.file_size > MAX_MEMBER_BYTES:
            raise _EntryError(f"unpacks to {info.file_size:,} bytes, over the limit")
        data = _read_member(self._zip, info)
        if len(data) > MAX_MEMBER_BYTES or len(data) != info.file_size:
            raise _EntryError(
                f"unpacks to {len(data):,} bytes where the archive declares "
                f"{info.file_size:,}: damaged or forged"
            )
        if not data:
            raise _EntryError("the file is empty")
        return data


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One member's bytes; each way a member can be unreadable is an `_EntryError` naming it:
    encrypted, compressed by a method trailmix cannot unpack, or damaged."""
    if info.flag_bits & 0x1:
        raise _EntryError(
            "encrypted (the zip has a password): trailmix cannot read it; export it again "
            "without a password"
        )
    if info.compress_type not in _METHODS:
        raise _EntryError(
            f"compressed with method {info.compress_type}, which trailmix cannot unpack "
            "(it reads stored, deflate, bzip2 and LZMA members); zip it again"
        )
    try:
        with zf.open(info) as fh:
            return fh.read(MAX_MEMBER_BYTES + 1)
    except Exception as exc:  # zipfile, zlib, bz2, lzma: each fails its own way on bad data
        raise _EntryError(f"damaged in the archive: {type(exc).__name__}: {exc}") from exc


_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
"""The compression methods Python's zipfile unpacks (each needs its module: always there on
CPython builds trailmix supports)."""


class _EntryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_running(activity_type: str) -> bool:
    """True for the types of activities on foot trailmix logs: runs (`RUNNING_TYPES`) and
    hikes and walks (`domain.log.kinds`), case and spacing ignored."""
    norm = " ".join(activity_type.strip().lower().split())
    return norm in RUNNING_TYPES or kind_of_type(activity_type) is not None


def _not_a_run(activity_type: str) -> str:
    return (
        f"activity type {activity_type!r}: not a run, hike or walk (trailmix logs activities "
        "on foot only)"
    )


def _norm(name: str) -> str:
    return str(PurePosixPath(name.replace("\\", "/"))).lower()


def _is_activity_name(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return lower.endswith(ACTIVITY_SUFFIXES)


# ----------------------------------------------------------------------------- opening


def open_archive(source: Path | bytes, name: str | None = None) -> Archive:
    """Open an export (Strava with its `activities.csv`, or any collection of activity files):
    a zip file or a folder given by its path, or a zip's bytes. `name` is what messages call
    the archive (default: its path; "archive" for bytes). Raises `FileFormatError` for an
    unsafe or unreadable archive; problems with single entries are reported on the `Archive`
    instead. The same checks apply to a path and to bytes."""
    if isinstance(source, bytes):
        where = name if name is not None else "archive"
        single = _single_track(source, where)
        return single if single is not None else _open_zip(io.BytesIO(source), where)
    where = name if name is not None else str(source)
    if source.is_dir():
        return _open_folder(source, where)
    if source.exists() and not _is_regular(source):
        raise FileFormatError(where, _NOT_REGULAR)
    try:
        with source.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError as exc:
        raise FileFormatError(where, f"cannot open it: {exc.strerror or exc}") from exc
    if not head.startswith(b"PK") and _looks_like_track(head):
        try:
            data = _read_file(source)
        except _EntryError as exc:
            raise FileFormatError(where, exc.reason) from exc
        single = _single_track(data, where)
        if single is not None:
            return single
    return _open_zip(source, where)


def _looks_like_track(head: bytes) -> bool:
    return head[:2] == b"\x1f\x8b" or sniff(head) is not None


def _single_track(data: bytes, where: str) -> Archive | None:
    """A GPX, TCX or FIT file (gzipped or not) whatever its name (`run.txt`), as an archive of
    one entry: the content decides, as for single files (`readers.parse_track`)."""
    if data.startswith(b"PK") or not _looks_like_track(data[:_SNIFF_BYTES]):
        return None
    member = PurePosixPath(where.replace("\\", "/")).name or "activity"
    archive = Archive(name=where, kind="file", total=1)
    archive._names = [member]
    archive._loose = {member: data}
    return archive


def _open_zip(file: Path | io.BytesIO, where: str) -> Archive:
    try:
        zf = zipfile.ZipFile(file)
    except Exception as exc:  # BadZipFile, OSError, EOFError, ValueError on forged offsets...
        raise FileFormatError(where, f"not a readable zip archive: {exc}") from exc
    try:
        infos = zf.infolist()
        check_zip_safety(infos, where)
        files = [i.filename for i in infos if not i.is_dir()]
        csv_name = _find_csv(files)
        meta: dict[str, ActivityMeta] = {}
        skipped: list[SkippedEntry] = []
        names: list[str]
        manual: dict[str, ActivityMeta] = {}
        if csv_name is not None:
            info = zf.getinfo(csv_name)
            if info.file_size > MAX_MEMBER_BYTES:
                raise FileFormatError(where, f"{csv_name} is larger than the limit")
            try:
                text = _read_member(zf, info).decode("utf-8-sig")
            except _EntryError as exc:
                raise FileFormatError(where, f"{csv_name}: {exc.reason}") from exc
            except UnicodeDecodeError as exc:
                raise FileFormatError(where, f"{csv_name} is damaged: {exc}") from exc
            base = str(PurePosixPath(csv_name).parent)
            names, meta, skipped, manual = _from_csv(text, base, files)
        else:
            names = sorted(f for f in files if _is_activity_name(f))
        archive = Archive(name=where, kind="strava" if csv_name else "zip", total=len(names))
        archive._zip = zf
        archive._names = names
        archive._meta = meta
        archive._manual = manual
        archive.skipped.extend(skipped)
        archive.skipped.extend(_nested(files))
        return archive
    except BaseException:
        zf.close()
        raise


def check_zip_safety(infos: list[zipfile.ZipInfo], where: str) -> None:
    """Refuse the archive for zip slip (absolute paths, `..`, drive letters), too many
    members, a member over `MAX_RATIO`, members whose data overlap (the non-recursive
    zip bomb), or more than `MAX_TOTAL_BYTES` declared in all."""
    if len(infos) > MAX_MEMBERS:
        raise FileFormatError(where, f"refused: {len(infos):,} members, over {MAX_MEMBERS:,}")
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise FileFormatError(
                where,
                f"refused: the member {info.filename!r} points outside the archive's folder "
                "(zip slip)",
            )
        total += info.file_size
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise FileFormatError(
                where,
                f"refused: {info.filename!r} unpacks "
                f"{info.file_size / max(info.compress_size, 1):,.0f}x its size, "
                f"over {MAX_RATIO:.0f}x (a zip bomb)",
            )
    if total > MAX_TOTAL_BYTES:
        raise FileFormatError(
            where,
            f"refused: the members unpack to {total:,} bytes, over the "
            f"{MAX_TOTAL_BYTES:,} byte limit (a zip bomb?)",
        )
    spans = sorted((i.header_offset, i.header_offset + 30 + i.compress_size) for i in infos)
    for (_, end), (nxt, _) in itertools.pairwise(spans):
        if nxt < end:
            raise FileFormatError(
                where, "refused: members share their compressed data (an overlapping zip bomb)"
            )


def _find_csv(files: list[str]) -> str | None:
    """Strava's `activities.csv`, at the root or one folder down (an export zipped in its
    folder)."""
    for f in sorted(files, key=lambda x: x.count("/")):
        p = PurePosixPath(f)
        if p.name.lower() == "activities.csv" and len(p.parts) <= 2:
            return f
    return None


def _csv_rows(text: str, skipped: list[SkippedEntry]) -> Iterator[list[str]]:
    """The rows of activities.csv; a row the csv module cannot read (a field over its size
    limit, a stray quote) ends the list with a word in `skipped`: the files after it are still
    read, by their content, without the export's names and types."""
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            skipped.append(
                SkippedEntry(
                    "activities.csv",
                    f"line {reader.line_num} cannot be read ({exc}); the activity files from "
                    "there on are read without the export's names and types",
                )
            )
            return
        yield row


def _inside(rel: str) -> bool:
    """False for a path that leaves the export's folder: absolute, a drive, or with `..`."""
    name = rel.replace("\\", "/")
    return not (
        name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in PurePosixPath(name).parts
    )


def _nested(files: list[str]) -> list[SkippedEntry]:
    """Zips inside the export, reported: trailmix does not open an archive within an archive
    (each level would need its own bomb checks); the runner can import it on its own."""
    return [
        SkippedEntry(f, "a zip inside the archive: not opened; unzip it and import it on its own")
        for f in files
        if f.lower().endswith(".zip")
    ]


def _from_csv(
    text: str, base: str, files: list[str]
) -> tuple[list[str], dict[str, ActivityMeta], list[SkippedEntry], dict[str, ActivityMeta]]:
    """Names to read, their metadata, the rows skipped and the rows without a file kept as
    manual entries (by their label, which is also in the names), from Strava's activities.csv.
    Strava repeats some headers (Distance, Elapsed Time): the first of each is used, except
    that a second Distance (in metres) is preferred to the first (in kilometres). A file
    named outside the export's folder (`../x.gpx`, `/etc/hostname`) is skipped, never read."""
    skipped: list[SkippedEntry] = []
    rows = _csv_rows(text, skipped)
    header = [h.strip() for h in next(rows, [])]
    col: dict[str, int] = {}
    for key, title in _CSV_COLUMNS.items():
        if title in header:
            col[key] = header.index(title)
    distance_scale = 1000.0  # the first Distance is in km
    if header.count("Distance") > 1:
        col["distance"] = len(header) - 1 - header[::-1].index("Distance")
        distance_scale = 1.0

    def get(row: list[str], key: str) -> str | None:
        i = col.get(key)
        value = row[i].strip() if i is not None and i < len(row) else ""
        return value or None

    by_norm = {_norm(f): f for f in files}
    names: list[str] = []
    meta: dict[str, ActivityMeta] = {}
    manual: dict[str, ActivityMeta] = {}
    listed: set[str] = set()
    for row in rows:
        if not row:
            continue
        distance = csv_number(get(row, "distance"))
        m = ActivityMeta(
            activity_type=get(row, "type"),
            name=get(row, "name"),
            gear=get(row, "gear"),
            activity_id=get(row, "id"),
            date_text=get(row, "date"),
            start_utc=strava_date(get(row, "date")),
            elapsed_s=csv_number(get(row, "elapsed")),
            moving_s=csv_number(get(row, "moving")),
            distance_m=distance * distance_scale if distance is not None else None,
            trainer=csv_flag(get(row, "trainer")),
        )
        label = printable(f"activity {m.activity_id or '?'} ({m.name or 'no name'})")
        file = get(row, "file")
        if file is None:
            why = _manual_problem(m)
            if why is not None:
                skipped.append(SkippedEntry(label, why))
                continue
            while label in manual:  # two rows with the same id and name
                label += "'"
            manual[label] = m
            names.append(label)
            continue
        if not _inside(file):
            skipped.append(
                SkippedEntry(label, f"its file {file!r} is outside the export's folder: not read")
            )
            continue
        rel = file if base in ("", ".") else f"{base}/{file}"
        key = _norm(rel)
        listed.add(key)
        name = by_norm.get(key, rel)
        meta[key] = m
        names.append(name)
    for f in sorted(files):
        if _is_activity_name(f) and _norm(f) not in listed:
            names.append(f)  # in the folder, not in the CSV: type from the content
    return names, meta, skipped, manual


def _manual_problem(m: ActivityMeta) -> str | None:
    """Why a row without a file cannot be logged (None: it can): not on foot, or no start or
    no time to count."""
    if m.activity_type is None or not is_running(m.activity_type):
        what = repr(m.activity_type) if m.activity_type else "no activity type"
        return f"no file in the export (a manual entry), {what}: not a run, hike or walk"
    if m.start_utc is None:
        return "no file in the export (a manual entry) and no date that can be read: not logged"
    seconds = m.moving_s or m.elapsed_s
    if seconds is None or not 0 < seconds <= MAX_MANUAL_S:
        return "no file in the export (a manual entry) and no time to count: not logged"
    if m.distance_m is not None and not 0 <= m.distance_m <= MAX_MANUAL_M:
        return "no file in the export (a manual entry) and a distance that cannot be: not logged"
    return None


_STRAVA_DATES = ("%b %d, %Y, %I:%M:%S %p", "%b %d, %Y, %H:%M:%S", "%Y-%m-%d %H:%M:%S")


def strava_date(text: str | None) -> datetime | None:
    """activities.csv's "Activity Date" ("Mar 3, 2027, 7:00:00 AM", in UTC as Strava writes
    it; also ISO 8601, with or without a zone) as an aware UTC datetime, or None."""
    if not text:
        return None
    text = " ".join(text.split())
    for fmt in _STRAVA_DATES:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


_NUMBER = re.compile(r"^[+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+]?\d+,\d+$")


def csv_number(text: str | None) -> float | None:
    """A number as the CSV writes it: "9.0", "10,021.5" (thousands), "9,5" (a decimal comma);
    None for anything else (empty, negative, text, not finite)."""
    if text is None:
        return None
    t = text.strip()
    if not _NUMBER.match(t):
        return None
    if "." in t:
        t = t.replace(",", "")
    elif t.count(",") == 1 and not re.match(r"^[+]?\d{1,3},\d{3}$", t):
        t = t.replace(",", ".")
    else:
        t = t.replace(",", "")
    value = float(t)
    return value if value == value and value != float("inf") else None


def csv_flag(text: str | None) -> bool:
    """A yes/no column ("true", "1", "yes"): anything else is no."""
    return text is not None and text.strip().lower() in ("true", "1", "yes", "y")


def _open_folder(path: Path, where: str) -> Archive:
    csv_path = path / "activities.csv"
    files: list[str] = []
    odd: list[SkippedEntry] = []
    for root, dirs, fnames in os.walk(path, followlinks=False):
        dirs.sort()
        for f in sorted(fnames):
            full = Path(root) / f
            rel = full.relative_to(path).as_posix()
            if full.is_symlink():
                continue
            if not _is_regular(full):
                # A FIFO named run.gpx would block the import forever on open().
                if _is_activity_name(f):
                    odd.append(SkippedEntry(rel, _NOT_REGULAR))
                continue
            files.append(rel)
    if csv_path.is_file():
        try:
            text = _read_file(csv_path).decode("utf-8-sig", errors="replace")
        except _EntryError as exc:
            raise FileFormatError(where, f"activities.csv: {exc.reason}") from exc
        names, meta, skipped, manual = _from_csv(text, "", files)
        archive = Archive(name=where, kind="strava", total=len(names), _folder=path)
        archive._names, archive._meta, archive._manual = names, meta, manual
        archive.skipped.extend(skipped)
    else:
        names = [f for f in files if _is_activity_name(f)]
        archive = Archive(name=where, kind="folder", total=len(names), _folder=path)
        archive._names = names
    archive.skipped.extend(_nested(files))
    archive.problems.extend(odd)
    return archive


_NOT_REGULAR = "not a regular file (a FIFO, socket or device): skipped"


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # gone or unreadable: reading it says what is wrong


def _read_file(path: Path, folder: Path | None = None) -> bytes:
    """A file of a folder export: only a regular file inside `folder` (when given) is opened,
    never a FIFO (which would block), a device, or a file a link leads outside to."""
    try:
        if folder is not None and not path.resolve().is_relative_to(folder.resolve()):
            raise _EntryError("outside the export's folder (a link?): not read")
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _EntryError(_NOT_REGULAR)
        if info.st_size > MAX_MEMBER_BYTES:
            raise _EntryError(f"the file is {info.st_size:,} bytes, over the limit")
        # O_NONBLOCK: should the file have become a FIFO since stat(), open() still returns.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
    except FileNotFoundError as exc:
        raise _EntryError("listed in activities.csv but not in the folder") from exc
    except OSError as exc:
        raise _EntryError(f"cannot read the file: {exc.strerror or exc}") from exc
    if not data:
        raise _EntryError("the file is empty")
    return data


# ----------------------------------------------------------------------------- activity type

_GPX_TYPE = re.compile(rb"<(?:\w+:)?type>\s*([^<]{1,40}?)\s*</(?:\w+:)?type>")
_TCX_SPORT = re.compile(rb"<(?:\w+:)?Activity\s[^>]*Sport\s*=\s*[\"']([^\"']{1,40})[\"']")
_SNIFF_BYTES = 64 * 1024


def sniff_activity_type(data: bytes) -> str | None:
    """The activity type the file itself states, or None: TCX `Sport`, GPX `<type>` (a word,
    not Strava's numeric codes), FIT `sport` (from the `sport` or `session` message)."""
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
                data = fh.read(MAX_MEMBER_BYTES)
        except (OSError, EOFError, zlib.error):
            return None  # the reader will say what is wrong
    kind = sniff(data)
    if kind == "fit":
        return _fit_sport(data)
    head = data[:_SNIFF_BYTES]
    if kind == "tcx":
        m = _TCX_SPORT.search(head)
        return m.group(1).decode("ascii", "replace") if m else None
    if kind == "gpx":
        m = _GPX_TYPE.search(head)
        if m:
            value = m.group(1).decode("utf-8", "replace")
            return None if value.isdigit() else value
    return None


def _fit_sport(data: bytes) -> str | None:
    """The FIT `sport`: the first `sport` message, else the `session`'s (at the end)."""
    import fitdecode

    try:
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name in (
                    "sport",
                    "session",
                ):
                    value = frame.get_value("sport", fallback=None)
                    if value is not None:
                        return str(value)
    except Exception:  # a damaged FIT: the reader reports it properly later
        return None
    return None


@dataclass(frozen=True)
class FitTotals:
    """What a FIT file's `session` message says of the whole activity: what a run without
    positions (a treadmill) is logged from."""

    sport: str | None
    sub_sport: str | None
    start_utc: datetime | None
    elapsed_s: float | None
    timer_s: float | None
    distance_m: float | None
    avg_hr: float | None
    max_hr: float | None
    has_positions: bool = False
    """Whether any `record` carries a position: a file with positions is a track, never a
    treadmill run, even when the track cannot be read."""


def fit_totals(data: bytes) -> FitTotals | None:
    """The first `session` message of a FIT file (gzipped or not) without positions (a
    treadmill run); None when it has no session or is not a FIT file. A file whose records
    have positions is a track: reading stops at the first, and only `has_positions` is set."""
    import fitdecode

    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
                data = fh.read(MAX_MEMBER_BYTES)
        except (OSError, EOFError, zlib.error):
            return None
    if sniff(data) != "fit":
        return None

    def num(frame: fitdecode.FitDataMessage, name: str) -> float | None:
        value = frame.get_value(name, fallback=None)
        if isinstance(value, int | float) and value == value and 0 <= value < 1e9:
            return float(value)
        return None

    found: FitTotals | None = None
    positions = False
    try:
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if (
                    frame.name == "record"
                    and frame.get_value("position_lat", fallback=None) is not None
                ):
                    positions = True
                    break
                if frame.name == "session" and found is None:
                    start = frame.get_value("start_time", fallback=None)
                    sport = frame.get_value("sport", fallback=None)
                    sub = frame.get_value("sub_sport", fallback=None)
                    found = FitTotals(
                        sport=str(sport) if sport is not None else None,
                        sub_sport=str(sub) if sub is not None else None,
                        start_utc=(
                            (start if start.tzinfo else start.replace(tzinfo=UTC)).astimezone(UTC)
                            if isinstance(start, datetime)
                            else None
                        ),
                        elapsed_s=num(frame, "total_elapsed_time"),
                        timer_s=num(frame, "total_timer_time"),
                        distance_m=num(frame, "total_distance"),
                        avg_hr=num(frame, "avg_heart_rate"),
                        max_hr=num(frame, "max_heart_rate"),
                    )
    except Exception:  # a damaged FIT: the reader reports it properly
        return None
    if positions:
        return FitTotals(None, None, None, None, None, None, None, None, has_positions=True)
    return found
