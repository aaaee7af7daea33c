"""What people type, turned into values: dates, times, race results, weekdays, shares, zones and
the runner-profile fields, each refused with one sentence naming the flag and what is accepted.
Shared by the CLI and the web app (forms and API), so both say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trailmix.domain import limits
from trailmix.domain.rules import TRAIL_CAP_FLOOR, TRAIL_SHARE_CAP
from trailmix.domain.types import (
    Athlete,
    Plan,
    RaceDistance,
    Sex,
    TrailPreference,
    TrailShoe,
    Weekday,
)
from trailmix.domain.units import parse_duration, parse_race_result
from trailmix.errors import InputError


def parse_date(text: str, option: str) -> date:
    """A day written YYYY-MM-DD, within the accepted dates (`limits.FIRST_DAY` to
    `limits.LAST_DAY`)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date; write it as YYYY-MM-DD.", option) from None
    return check_date(day, option)


def check_date(day: date, option: str) -> date:
    if not limits.date_ok(day):
        raise InputError(limits.date_refusal(day), option)
    return day


def check_range(value: float, limit: limits.Limit, option: str) -> float:
    """`value` when `limit` accepts it; else the refusal naming the accepted range."""
    if not limit.ok(value):
        raise InputError(limit.refusal(value), option)
    return value


def parse_id(value: int, option: str = "ID") -> int:
    """A stored record's id: refused beyond SQLite's 64-bit integers (a 500 before)."""
    return int(check_range(value, limits.RECORD_ID, option))


def check_writable(path: Path, option: str) -> Path:
    """Refuse a file that cannot be written, before any work is done or stored (`plan -o
    /proc/x.json` stored the new plan and then failed). A file made to try is removed."""
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a"):
            pass
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}.", option) from None
    if not existed:
        path.unlink(missing_ok=True)
    return path


def check_folder(path: Path, option: str) -> Path:
    """A folder to write into, made when missing; refused in words when it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".trailmix-write-test"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise InputError(f"cannot write into {path}: {exc.strerror or exc}.", option) from None
    return path


def parse_port(value: int) -> int:
    return int(check_range(value, limits.PORT, "--port"))


def check_goal_time(distance: RaceDistance, seconds: float, option: str = "--goal-time") -> float:
    """A goal time for `distance` between the world record and the walking cut-off."""
    limit = limits.race_time_limit(distance)
    if not limit.ok(seconds):
        raise InputError(limits.race_refusal(limit, seconds), option)
    return seconds


def parse_weekday(text: str, option: str) -> Weekday:
    try:
        return Weekday.parse(text)
    except ValueError:
        raise InputError(
            f"{text!r} is not a weekday; use mon, tue, wed, thu, fri, sat or sun.", option
        ) from None


def parse_weekdays(text: str, option: str) -> tuple[Weekday, ...]:
    return tuple(parse_weekday(p, option) for p in text.split(",") if p.strip())


def parse_race(text: str, option: str = "--recent-race") -> Any:
    """A recent result DISTANCE=TIME, its time within `limits.result_limit` of its distance."""
    try:
        result = parse_race_result(text)
    except ValueError as exc:
        raise InputError(str(exc), option) from None
    limit = limits.result_limit(result.distance_km)
    if not limit.ok(result.time_s):
        raise InputError(limits.race_refusal(limit, result.time_s), option)
    return result


def parse_time(text: str, option: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise InputError(str(exc), option) from None


def parse_preference(text: str) -> TrailPreference:
    try:
        return TrailPreference(text.strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not a trail preference; use enjoy (up to 1/3 on trails, R1), minimum "
            "(one trail recovery run a week, R2) or off.",
            "--trail-preference",
        ) from None


def parse_shoe(text: str) -> TrailShoe:
    try:
        return TrailShoe(text.strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not accepted; say yes (you own trail shoes), no, or unsure.",
            "--trail-shoe",
        ) from None


def parse_cap(text: str) -> float:
    """'1/3', '0.25' or '25%' -> a fraction, refused above R1's third or below any trail run.
    The edge's check, naming the flag; the mixer's `check_options` guarantees R1 again."""
    t = text.strip()
    try:
        if t.endswith("%"):
            cap = float(t[:-1]) / 100
        elif "/" in t:
            num, den = t.split("/", 1)
            cap = float(num) / float(den)
        else:
            cap = float(t)
    except (ValueError, ZeroDivisionError):
        raise InputError(
            f"{text!r} is not a share; write it as 0.25, 25% or 1/4.", "--trail-cap"
        ) from None
    if not TRAIL_CAP_FLOOR <= cap <= TRAIL_SHARE_CAP + 1e-9:
        raise InputError(
            f"{cap:.2f} is not accepted; R1 allows up to one third of the training on "
            f"trails: give {TRAIL_CAP_FLOOR:.2f} to {TRAIL_SHARE_CAP:.2f}.",
            "--trail-cap",
        )
    return cap


def parse_clock(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{text!r} is not a time of day; write it as HH:MM, e.g. 07:00.", "--time"
        ) from None


def parse_zone(text: str, option: str = "--tz") -> ZoneInfo:
    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
        raise InputError(
            f"{text!r} is not a time zone; give an IANA name such as Europe/Berlin or "
            "America/New_York.",
            option,
        ) from None


def apply_athlete_flags(
    base: Athlete,
    *,
    name: str | None = None,
    age: int | None = None,
    sex: Sex | None = None,
    hr_max: int | None = None,
    hr_rest: int | None = None,
    recent_race: str | None = None,
    weekly_km: float | None = None,
    weekly_min: float | None = None,
    days: int | None = None,
    run_days: str | None = None,
    long_run_day: str | None = None,
    trail_preference: str | None = None,
    trail_cap: str | None = None,
    trail_shoe: str | None = None,
    timezone: str | None = None,
) -> Athlete:
    """The stored profile with the flags given on this command line laid over it."""
    a = base
    if name is not None:
        a = replace(a, name=name)
    if age is not None:
        a = replace(a, age=age)
    if sex is not None:
        a = replace(a, sex=sex)
    if hr_max is not None or hr_rest is not None:
        a = replace(
            a,
            hr_max=hr_max if hr_max is not None else a.hr_max,
            hr_rest=hr_rest if hr_rest is not None else a.hr_rest,
        )
    if recent_race is not None:
        a = replace(a, recent_race=parse_race(recent_race))
    if weekly_km is not None and weekly_min is not None:
        raise InputError("give your weekly volume once, in km or in minutes.", "--weekly-min")
    if days is not None and run_days is not None:
        n = len(set(parse_weekdays(run_days, "--run-days")))
        if n != days:
            raise InputError(
                f"--days {days} but --run-days names {n} day{'s' if n != 1 else ''}; give one "
                "of them.",
                "--run-days",
            )
    if weekly_km is not None:
        a = replace(a, weekly_km=weekly_km, weekly_min=None)
    if weekly_min is not None:
        a = replace(a, weekly_min=weekly_min, weekly_km=None)
    if run_days is not None:
        rd = parse_weekdays(run_days, "--run-days")
        a = replace(a, run_days=rd, days_per_week=len(set(rd)))
    if days is not None:
        a = replace(a, days_per_week=days)
        if a.run_days and len(set(a.run_days)) != days:
            a = replace(a, run_days=None)
    if long_run_day is not None:
        a = replace(a, long_run_day=parse_weekday(long_run_day, "--long-run-day"))
    if trail_preference is not None:
        a = replace(a, trail_preference=parse_preference(trail_preference))
    if trail_cap is not None:
        a = replace(a, trail_cap=parse_cap(trail_cap))
    if trail_shoe is not None:
        a = replace(a, trail_shoe=parse_shoe(trail_shoe))
    if timezone is not None:
        a = replace(a, timezone=parse_zone(timezone, "--timezone").key)
    from trailmix.domain.plan.planner import validate_athlete  # the planner: when it is used

    validate_athlete(a)
    return a


@dataclass(frozen=True)
class ProfileFlags:
    """The runner-profile answers as typed or sent (`athlete set`, `plan`, `mix`, onboarding):
    text where the answer needs parsing, so every face gets the same messages."""

    name: str | None = None
    age: int | None = None
    sex: Sex | None = None
    hr_max: int | None = None
    hr_rest: int | None = None
    recent_race: str | None = None
    weekly_km: float | None = None
    weekly_min: float | None = None
    days: int | None = None
    run_days: str | None = None
    long_run_day: str | None = None
    trail_preference: str | None = None
    trail_cap: str | None = None
    trail_shoe: str | None = None
    timezone: str | None = None

    def apply(self, base: Athlete) -> Athlete:
        """`base` with these answers laid over it, checked."""
        return apply_athlete_flags(base, **{f.name: getattr(self, f.name) for f in fields(self)})


def check_in_plan(plan: Plan, day: date, option: str) -> None:
    """Refuse a day outside the plan, naming the option that gave it."""
    if day < plan.start or day > plan.race.date:
        raise InputError(
            f"{day.isoformat()} is outside the plan ({plan.start.isoformat()} to "
            f"{plan.race.date.isoformat()}).",
            option,
        )


def parse_distance(text: str | None) -> RaceDistance:
    try:
        return RaceDistance((text or "").strip().lower())
    except ValueError:
        raise InputError(
            f"{text!r} is not a race distance; give 5k, 10k, half or marathon.", "--distance"
        ) from None
