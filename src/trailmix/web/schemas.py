"""The API's public shapes. The plan itself is the documented JSON contract
(`trailmix.plan/1`, docs/plan-json.md), returned as `plan_to_dict` writes it."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from trailmix.app.inputs import ProfileFlags, parse_date, parse_distance
from trailmix.app.plans import RaceGoal, race_goal
from trailmix.app.trails import parse_category
from trailmix.domain.types import Sex
from trailmix.errors import InputError

PLAN_DOC = (
    "The plan in the `trailmix.plan/1` JSON contract (docs/plan-json.md; JSON Schema in "
    "trailmix/schemas/plan.schema.json)."
)


class PlanCreate(BaseModel):
    """The onboarding answers; the same meaning and checks as `trailmix plan`'s flags.

    Dates are YYYY-MM-DD text and times h:mm:ss text, checked by the CLI's parsers so that a
    bad value gets the CLI's message. Fields left out come from the stored profile.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "distance": "half",
                    "race_date": "2027-04-18",
                    "recent_race": "10k=48:30",
                    "weekly_km": 40,
                    "days": 5,
                    "long_run_day": "sun",
                    "trail_preference": "enjoy",
                    "trail_shoe": "yes",
                }
            ]
        },
    )

    distance: str | None = Field(default=None, description="5k, 10k, half or marathon.")
    race_date: str | None = Field(default=None, description="Race day, YYYY-MM-DD.")
    race_name: str = Field(default="", max_length=200, description="The race's name.")
    goal_time: str | None = Field(default=None, description="Goal time h:mm:ss.")
    start: str | None = Field(default=None, description="First day, YYYY-MM-DD (today).")
    recent_race: str | None = Field(default=None, description="DISTANCE=TIME, e.g. 10k=48:30.")
    weekly_km: float | None = Field(default=None, description="Current weekly km.")
    weekly_min: float | None = Field(default=None, description="Or weekly minutes.")
    days: int | None = Field(default=None, description="Run days a week, 3-7.")
    run_days: str | None = Field(default=None, description="e.g. tue,wed,thu,sat,sun.")
    long_run_day: str | None = Field(default=None, description="e.g. sun.")
    age: int | None = None
    sex: Sex | None = None
    hr_max: int | None = None
    hr_rest: int | None = None
    trail_preference: str | None = Field(default=None, description="enjoy, minimum or off.")
    trail_cap: str | None = Field(default=None, description="A lower cap: 0.25, 25% or 1/4.")
    trail_shoe: str | None = Field(default=None, description="yes, no or unsure (R10).")

    def goal(self) -> RaceGoal:
        """The race, checked in the order the form asks for it."""
        distance = parse_distance(self.distance)
        if not self.race_date:
            raise InputError("when is the race? give the date as YYYY-MM-DD.", "--race-date")
        return race_goal(distance, self.race_date, self.race_name, self.goal_time or None)

    def profile(self) -> ProfileFlags:
        return ProfileFlags(
            age=self.age,
            sex=self.sex,
            hr_max=self.hr_max,
            hr_rest=self.hr_rest,
            recent_race=self.recent_race or None,
            weekly_km=self.weekly_km,
            weekly_min=self.weekly_min,
            days=self.days,
            run_days=self.run_days or None,
            long_run_day=self.long_run_day or None,
            trail_preference=self.trail_preference or None,
            trail_cap=self.trail_cap or None,
            trail_shoe=self.trail_shoe or None,
        )

    def first_day(self, today: date) -> date:
        return parse_date(self.start, "--start") if self.start else today


class PlanUpdate(BaseModel):
    """`trailmix plan update`: re-plan from this day (default today)."""

    model_config = ConfigDict(extra="forbid")
    date: str | None = Field(default=None, description="YYYY-MM-DD.")


class DaySessions(BaseModel):
    """`trailmix explain DATE --format json`: the day's sessions with their reasons."""

    date: str
    sessions: list[dict[str, Any]] = Field(description="Sessions as in the plan contract.")


class TrailPatch(BaseModel):
    """`trailmix trails set`: the runner's corrections (the category wins from now on)."""

    model_config = ConfigDict(extra="forbid")
    category: str | None = Field(default=None, description="smooth, dirt, hilly or technical.")
    name: str | None = Field(default=None, max_length=200)
    surface: str | None = Field(default=None, max_length=100)

    def corrections(self) -> dict[str, Any]:
        """The keyword arguments of `trailmix.app.trails.correct`."""
        return {
            "category": parse_category(self.category) if self.category else None,
            "surface": self.surface,
            "rename": self.name,
        }


class Hiked(BaseModel):
    """R9: the trail was hiked once (false takes the mark back)."""

    model_config = ConfigDict(extra="forbid")
    hiked: bool = True


class RpeIn(BaseModel):
    """How hard the run felt: 1 (very easy) to 10 (maximal), Foster's CR10."""

    model_config = ConfigDict(extra="forbid")
    rpe: float


class RunPatch(BaseModel):
    """The runner's corrections to a run: where it was run and in which pair (R10). A field
    left out is left as it is; `shoe_id` null takes the run's pair off."""

    model_config = ConfigDict(extra="forbid")
    surface: str | None = Field(default=None, description="road or trail.", max_length=20)
    shoe_id: int | None = Field(default=None, description="A shoe's id (GET /api/v1/shoes).")

    def corrections(self) -> dict[str, Any]:
        """The keyword arguments of `trailmix.app.corrections.correct_run`."""
        out: dict[str, Any] = {"surface": self.surface}
        if "shoe_id" in self.model_fields_set:
            out["shoe"] = self.shoe_id
        return out


class ShoeIn(BaseModel):
    """`trailmix shoes add`: a new pair (kind guessed from the name when not given)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    kind: str | None = Field(default=None, description="road, hybrid or trail.")
    retire_km: float | None = Field(
        default=None, description="Replace at this many km (default 700, a trailmix default)."
    )
    brand: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=100)


class FileNote(BaseModel):
    file: str
    reason: str


class ImportReport(BaseModel):
    """`trailmix log import --format json`, and `id`, the import job's id."""

    imported: list[dict[str, Any]]
    duplicates: list[FileNote]
    skipped: list[FileNote]
    problems: list[FileNote]
    id: str | None = Field(default=None, description="The import job (GET /api/v1/imports/ID).")


class ImportJobOut(BaseModel):
    """An import job: queued, running, done or failed; `done` of `total` run files; the report
    once finished (docs/web.md)."""

    id: str
    status: str = Field(description="queued | running | done | failed")
    done: int = Field(description="Run files processed so far.")
    total: int = Field(description="Run files in the upload (an export's own count).")
    report: ImportReport | None = Field(description="`trailmix log import --format json`.")
    error: str | None = Field(description="Why the import failed, in one line.")
    created_at: str
    started_at: str | None
    finished_at: str | None


class ErrorOut(BaseModel):
    """Every 4xx answer: one readable line, and the field it is about when known."""

    detail: str
    field: str | None = None
