"""A run's time zone, so that its day is the runner's day (docs/log.md, "Local days").

Application layer: the zone at a position comes from `tzfpy` (the time zone boundaries of
timezone-boundary-builder, built from OpenStreetMap; 5 MB, offline); the runner's own zone from
their profile (`trailmix athlete set --timezone`), else this computer's zone.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trailmix.domain.types import Athlete

LOCALTIME = Path("/etc/localtime")


@dataclass(frozen=True)
class RunZone:
    """The zone a run's start is counted in: minutes east of UTC, the IANA name when known,
    and where it came from ("file", "coordinates", "athlete")."""

    utc_offset_min: int
    name: str | None
    source: str


def zone_info(name: str | None) -> ZoneInfo | None:
    """The IANA zone `name`, or None when it is not one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def machine_zone() -> str:
    """This computer's time zone as an IANA name: $TZ when it names one, else the zone
    /etc/localtime links to, else UTC."""
    tz = os.environ.get("TZ", "").removeprefix(":")
    if zone_info(tz) is not None:
        return tz
    try:
        target = str(LOCALTIME.resolve())
    except OSError:
        return "UTC"
    _, found, name = target.partition("zoneinfo/")
    return name if found and zone_info(name) is not None else "UTC"


def athlete_zone(athlete: Athlete) -> str:
    """The runner's zone: their profile's, else this computer's."""
    own = athlete.timezone
    return own if own is not None and zone_info(own) is not None else machine_zone()


def zone_at(lat: float, lon: float) -> str | None:
    """The IANA zone at a position, or None at sea (the Etc/GMT zones of the open ocean; at
    0, 0 too, a GPS fix that failed) or where no land zone is known."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    import tzfpy  # 0.1 s to load its boundaries: the import's, never a list's

    name = tzfpy.get_tz(lon, lat)
    return name if name and not name.startswith("Etc/") and zone_info(name) else None


def offset_min(name: str, at: datetime) -> int:
    """The offset of zone `name` at the instant `at`, in whole minutes east of UTC."""
    info = zone_info(name)
    offset = info.utcoffset(at.astimezone(UTC)) if info is not None else None
    return round(offset.total_seconds() / 60) if offset is not None else 0


def run_zone(
    start: datetime,
    *,
    file_offset_s: float | None,
    lat: float | None,
    lon: float | None,
    athlete_zone_name: str,
) -> RunZone:
    """Where a run's day is counted: the file's own local time when it has one (a FIT
    activity's `local_timestamp`: what the watch showed), named by the zone at the start's
    position when that zone has the same offset then; else the zone at the start's position;
    else the runner's zone."""
    here = zone_at(lat, lon) if lat is not None and lon is not None else None
    if file_offset_s is not None:
        minutes = round(file_offset_s / 60)
        name = here if here is not None and offset_min(here, start) == minutes else None
        return RunZone(minutes, name, "file")
    if here is not None:
        return RunZone(offset_min(here, start), here, "coordinates")
    return RunZone(offset_min(athlete_zone_name, start), athlete_zone_name, "athlete")
