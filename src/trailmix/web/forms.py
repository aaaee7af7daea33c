"""Form text from the pages into the API's request models, with the CLI's messages for
numbers that are not numbers (everything else is checked by the library)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Request

from trailmix.domain.types import Sex
from trailmix.errors import InputError
from trailmix.web.schemas import PlanCreate, PlanUpdate, RpeIn, RunPatch, ShoeIn, TrailPatch

MAX_FIELD_CHARS = 200


async def form_fields(request: Request) -> dict[str, str]:
    """A url-encoded form's text fields (files are taken by the upload routes)."""
    form = await request.form()
    return {k: v.strip()[:MAX_FIELD_CHARS] for k, v in form.items() if isinstance(v, str)}


FormDep = Annotated[dict[str, str], Depends(form_fields)]


def _text(form: Mapping[str, str], key: str) -> str | None:
    return form.get(key) or None


def _int(form: Mapping[str, str], key: str, option: str) -> int | None:
    text = form.get(key)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InputError(f"{text!r} is not a whole number.", option) from None


def _float(form: Mapping[str, str], key: str, option: str) -> float | None:
    text = form.get(key)
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InputError(f"{text!r} is not a number.", option) from None


def plan_request(form: Mapping[str, str]) -> PlanCreate:
    """The onboarding form: the recent race comes as a distance and a time."""
    race_dist, race_time = form.get("recent_distance"), form.get("recent_time")
    recent = f"{race_dist}={race_time}" if race_dist and race_time else None
    if race_time and not race_dist:
        raise InputError("which distance was your recent race?", "--recent-race")
    race_day, first = form.get("race_date"), form.get("start")
    if race_day and first and first >= race_day:  # both ISO dates from date inputs
        raise InputError(
            f"the plan's first day ({first}) is not before race day ({race_day}); start earlier.",
            "--start",
        )
    volume = _float(form, "weekly", "--weekly-km")
    per_minutes = form.get("weekly_unit") == "min"
    sex = form.get("sex")
    return PlanCreate(
        distance=_text(form, "distance"),
        race_date=_text(form, "race_date"),
        race_name=form.get("race_name", ""),
        goal_time=_text(form, "goal_time"),
        start=_text(form, "start"),
        recent_race=recent,
        weekly_km=None if per_minutes else volume,
        weekly_min=volume if per_minutes else None,
        days=_int(form, "days", "--days"),
        long_run_day=_text(form, "long_run_day"),
        age=_int(form, "age", "--age"),
        sex=Sex(sex) if sex in ("female", "male") else None,
        hr_max=_int(form, "hr_max", "--hr-max"),
        hr_rest=_int(form, "hr_rest", "--hr-rest"),
        trail_preference=_text(form, "trail_preference"),
        trail_shoe=_text(form, "trail_shoe"),
    )


def update_request(form: Mapping[str, str]) -> PlanUpdate:
    return PlanUpdate(date=_text(form, "date"))


def rpe_request(form: Mapping[str, str]) -> RpeIn:
    value = _float(form, "rpe", "RPE")
    if value is None:
        raise InputError("give how hard it felt, 1 (very easy) to 10 (maximal).", "RPE")
    return RpeIn(rpe=value)


def trail_patch(form: Mapping[str, str]) -> TrailPatch:
    """The category only when one was picked (the form's first choice keeps the analysed one);
    the surface as typed, so emptying the field clears it."""
    return TrailPatch(
        category=_text(form, "category"), name=_text(form, "name"), surface=form.get("surface")
    )


def run_patch(form: Mapping[str, str]) -> RunPatch:
    """The log page's per-run form: the surface and the shoe selects ("none": no pair). A
    field the form does not send is left as it is."""
    shoe = form.get("shoe")
    if shoe is None:
        return RunPatch(surface=_text(form, "surface"))
    shoe_id = None if shoe in ("", "none") else _int(form, "shoe", "--shoe")
    return RunPatch(surface=_text(form, "surface"), shoe_id=shoe_id)


def shoe_request(form: Mapping[str, str]) -> ShoeIn:
    name = form.get("name", "")
    if not name:
        raise InputError("give the pair a name, e.g. Speedgoat.", "NAME")
    return ShoeIn(
        name=name,
        kind=_text(form, "kind"),
        retire_km=_float(form, "retire_km", "--retire-km"),
    )
