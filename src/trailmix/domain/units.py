"""Parsing and formatting times, paces and race results the way runners write them."""

from __future__ import annotations

import re

from trailmix.domain.types import RaceResult

# Standard race distances a runner may give as a recent result, in km.
STANDARD_DISTANCES: dict[str, float] = {
    "1500": 1.5,
    "1500m": 1.5,
    "mile": 1.609344,
    "1mi": 1.609344,
    "3k": 3.0,
    "3000": 3.0,
    "2mi": 3.218688,
    "5k": 5.0,
    "8k": 8.0,
    "10k": 10.0,
    "12k": 12.0,
    "15k": 15.0,
    "10mi": 16.09344,
    "20k": 20.0,
    "half": 21.0975,
    "hm": 21.0975,
    "halfmarathon": 21.0975,
    "25k": 25.0,
    "30k": 30.0,
    "marathon": 42.195,
    "m": 42.195,
}

_TIME = re.compile(r"^\s*(?:(\d+):)?(\d{1,3}):(\d{1,2}(?:\.\d+)?)\s*$")


def parse_duration(text: str) -> float:
    """'48:30' or '1:45:00' or '2:59:59.5' -> seconds. Raises ValueError on anything else."""
    m = _TIME.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a time; write it as mm:ss or h:mm:ss")
    h, mi, s = m.groups()
    seconds = float(s)
    minutes = int(mi)
    if seconds >= 60 or (h is not None and minutes >= 60):
        raise ValueError(f"{text!r} is not a time; minutes and seconds must be under 60")
    total = (int(h) if h else 0) * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ValueError(f"{text!r} is not a time; it must be longer than zero")
    return total


def parse_distance(text: str) -> float:
    """'10k', 'half', 'marathon', '10mi', '7.5km' or '5000m' -> km."""
    key = text.strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    if key in STANDARD_DISTANCES:
        return STANDARD_DISTANCES[key]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(km|k|mi|m)", key)
    if m:
        value, unit = float(m.group(1)), m.group(2)
        km = {"km": value, "k": value, "mi": value * 1.609344, "m": value / 1000}[unit]
        if km > 0:
            return km
    names = ", ".join(["5k", "10k", "15k", "10mi", "half", "marathon", "mile", "3k"])
    raise ValueError(f"{text!r} is not a race distance; use one of {names} or e.g. 7.5km")


def parse_race_result(text: str) -> RaceResult:
    """'10k=48:30' -> RaceResult(10.0, 2910.0, '10k')."""
    if "=" not in text:
        raise ValueError(f"{text!r} is not a race result; write DISTANCE=TIME, e.g. 10k=48:30")
    dist, time = text.split("=", 1)
    return RaceResult(
        distance_km=parse_distance(dist), time_s=parse_duration(time), label=dist.strip()
    )


def parse_pace(text: str) -> float:
    """'5:30' (per km) -> 330 s/km; also accepts '5:30/km' and '8:51/mi'."""
    t = text.strip().lower()
    per_mile = t.endswith("/mi")
    t = t.removesuffix("/km").removesuffix("/mi")
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", t)
    if not m or int(m.group(2)) >= 60:
        raise ValueError(f"{text!r} is not a pace; write it as m:ss per km, e.g. 5:30")
    seconds = int(m.group(1)) * 60 + int(m.group(2))
    if seconds <= 0:
        raise ValueError(f"{text!r} is not a pace; it must be longer than zero")
    return seconds / 1.609344 if per_mile else float(seconds)


def format_duration(seconds: float) -> str:
    s = round(seconds)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def format_pace(s_per_km: float) -> str:
    s = round(s_per_km)
    return f"{s // 60}:{s % 60:02d}"


def format_pace_range(pace: tuple[float, float] | None) -> str:
    if pace is None:
        return ""
    return f"{format_pace(pace[0])}-{format_pace(pace[1])}/km"


SECONDS_BELOW_MIN = 10.0
"""trailmix default: durations under 10 minutes are written to the second (m:ss), so a repeat
of 83 s, a 4.5-minute recovery and a 9.2-minute rep read the same in titles, steps, the CLI,
the calendar and the watch; longer ones to the minute."""


def format_minutes(minutes: float) -> str:
    """The one way trailmix writes a length of time: '1:23' and '4:30' (m:ss) under 10 min,
    '46 min' up to an hour, '2h51' from an hour on; nothing at all as '0 min'."""
    seconds = round(minutes * 60)
    if 0 < seconds < SECONDS_BELOW_MIN * 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    m = round(minutes)
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m} min"
