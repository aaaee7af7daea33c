"""Small activity files for the log-kinds tests: FIT files made with fit-tool (a treadmill run
without positions; a hike or run with a sport and the points of a real recording) and
Strava-style activities.csv rows for manual runs, hikes and walks."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport

STRAVA_HEADER = [
    "Activity ID",
    "Activity Date",
    "Activity Name",
    "Activity Type",
    "Elapsed Time",
    "Distance",
    "Activity Gear",
    "Filename",
    "Elapsed Time",
    "Moving Time",
    "Distance",
]


def strava_row(
    activity_id: str,
    start: datetime,
    name: str,
    kind: str,
    seconds: float,
    metres: float,
    file: str = "",
    gear: str = "",
) -> list[str]:
    """One activities.csv row as Strava writes it: the date in UTC, the first Distance in
    km and the second in metres."""
    when = start.astimezone(UTC).strftime("%b %-d, %Y, %-I:%M:%S %p")
    return [
        activity_id,
        when,
        name,
        kind,
        f"{seconds:.0f}",
        f"{metres / 1000:.2f}",
        gear,
        file,
        f"{seconds:.1f}",
        f"{seconds:.1f}",
        f"{metres:.1f}",
    ]


def csv_text(rows: Sequence[Sequence[str]], header: Sequence[str] = STRAVA_HEADER) -> str:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def strava_zip(rows: Sequence[Sequence[str]], files: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("activities.csv", csv_text(rows))
        for name, data in (files or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def fit_activity(
    start: datetime,
    seconds: float,
    metres: float,
    sport: Sport = Sport.RUNNING,
    sub_sport: SubSport = SubSport.GENERIC,
    points: Sequence[tuple[float, float, float]] = (),
    heart_rate: int | None = 130,
) -> bytes:
    """A FIT activity: records every 10 s (with `points` as (t offset s, lat, lon) when given,
    else without positions, as a treadmill writes them) and a session with the totals."""
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    fid = FileIdMessage()
    fid.type = FileType.ACTIVITY
    fid.manufacturer = Manufacturer.DEVELOPMENT.value
    fid.product = 1
    fid.serial_number = 1234
    fid.time_created = round(start.timestamp() * 1000)
    builder.add(fid)
    t0 = round(start.timestamp() * 1000)
    if points:
        for dt, lat, lon in points:
            rec = RecordMessage()
            rec.timestamp = t0 + round(dt * 1000)
            rec.position_lat = lat
            rec.position_long = lon
            if heart_rate:
                rec.heart_rate = heart_rate
            builder.add(rec)
    else:
        n = max(int(seconds // 10), 2)
        for k in range(n + 1):
            rec = RecordMessage()
            rec.timestamp = t0 + round(k * seconds / n * 1000)
            rec.distance = metres * k / n
            if heart_rate:
                rec.heart_rate = heart_rate
            builder.add(rec)
    ses = SessionMessage()
    ses.timestamp = t0 + round(seconds * 1000)
    ses.start_time = t0
    ses.sport = sport
    ses.sub_sport = sub_sport
    ses.total_elapsed_time = seconds
    ses.total_timer_time = seconds
    ses.total_distance = metres
    if heart_rate:
        ses.avg_heart_rate = heart_rate
        ses.max_heart_rate = heart_rate + 10
    builder.add(ses)
    return bytes(builder.build().to_bytes())
