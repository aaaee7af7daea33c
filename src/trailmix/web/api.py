"""The HTTP API under /api/v1: plans, sessions, trails, activities, exports.

Every route parses its request, calls one function of `web.service` (the library) and returns
what it returns; errors are domain exceptions answered by the app's one handler.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from trailmix.formats.plan_json import plan_to_dict, session_to_dict
from trailmix.web import service
from trailmix.web.deps import DbDep, SettingsDep, TodayDep
from trailmix.web.schemas import (
    PLAN_DOC,
    DaySessions,
    ErrorOut,
    Hiked,
    ImportReport,
    PlanCreate,
    PlanUpdate,
    RpeIn,
    TrailPatch,
    TrailSummary,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Input trailmix cannot use (the CLI's message)."},
    404: {"model": ErrorOut, "description": "Not stored (no plan yet, unknown id)."},
}
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    413: {"model": ErrorOut, "description": "The upload is over the size limit."},
}
PlanDoc = dict[str, Any]

router = APIRouter(prefix="/api/v1", responses=ERRORS)


# --- Plans -------------------------------------------------------------------------------------


@router.post(
    "/plans", status_code=status.HTTP_201_CREATED, tags=["plans"], response_description=PLAN_DOC
)
def create_plan(body: PlanCreate, db: DbDep, today: TodayDep) -> PlanDoc:
    """Make the plan from the onboarding answers (`trailmix plan`), store it as current."""
    return plan_to_dict(service.make_plan(db, body, today))


@router.get("/plans/current", tags=["plans"], response_description=PLAN_DOC)
def get_plan(db: DbDep) -> PlanDoc:
    """The current plan (`trailmix plan show --format json`)."""
    return plan_to_dict(service.current_plan(db))


@router.post("/plans/current/update", tags=["plans"], response_description=PLAN_DOC)
def update_plan(body: PlanUpdate, db: DbDep, today: TodayDep) -> PlanDoc:
    """Rebuild the rest of the plan from a day after missed or extra runs
    (`trailmix plan update`)."""
    return plan_to_dict(service.replan(db, body.date, today))


@router.post("/plans/current/remake", tags=["plans"], response_description=PLAN_DOC)
def remake_plan(db: DbDep, today: TodayDep) -> PlanDoc:
    """Make the current plan again, same runner and race, with the trail library as it is
    now (e.g. after uploading a trail)."""
    return plan_to_dict(service.remake_plan(db, today))


# --- Sessions ----------------------------------------------------------------------------------


@router.get("/sessions", tags=["sessions"])
def list_sessions(
    db: DbDep,
    first: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    last: Annotated[str | None, Query(alias="to", description="YYYY-MM-DD")] = None,
) -> list[dict[str, Any]]:
    """The current plan's sessions, in date order, each as in the plan contract."""
    plan = service.current_plan(db)
    return [session_to_dict(s) for s in service.sessions_between(plan, first, last)]


@router.get("/sessions/{day}", tags=["sessions"])
def day_sessions(day: str, db: DbDep) -> DaySessions:
    """One day's sessions with every reason (`trailmix explain DATE --format json`)."""
    when, sessions = service.sessions_on(service.current_plan(db), day)
    return DaySessions(date=when.isoformat(), sessions=[session_to_dict(s) for s in sessions])


# --- Trails ------------------------------------------------------------------------------------


@router.post(
    "/trails",
    status_code=status.HTTP_201_CREATED,
    tags=["trails"],
    responses=UPLOAD_ERRORS,
)
def add_trail(
    db: DbDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A GPX, TCX or FIT file (gzip too).")],
    name: Annotated[str | None, Form()] = None,
    surface: Annotated[str | None, Form(description="dirt, gravel, paved...")] = None,
    technical: Annotated[str | None, Form(description="e.g. rocky,steep")] = None,
) -> TrailSummary:
    """Analyse a route file and store it as a trail (`trailmix trails add`)."""
    rec = service.add_trail(db, settings, file, name=name, surface=surface, technical=technical)
    return TrailSummary.model_validate(service.trail_list_item(db, rec))


@router.get("/trails", tags=["trails"])
def list_trails(db: DbDep) -> list[TrailSummary]:
    """Every trail with its numbers, category, shoe (R10) and hike status (R9)."""
    return [TrailSummary.model_validate(t) for t in service.trail_list(db)]


@router.get("/trails/{trail_id}", tags=["trails"])
def get_trail(trail_id: int, db: DbDep) -> dict[str, Any]:
    """Every number, the hills and the profile grid (`trailmix trails show --format json`)."""
    return service.trail_detail(db, trail_id)


@router.post("/trails/{trail_id}/hiked", tags=["trails"])
def mark_hiked(trail_id: int, body: Hiked, db: DbDep) -> TrailSummary:
    """R9: mark a technical trail as hiked, so plans may put runs on it."""
    return TrailSummary.model_validate(service.mark_hiked(db, trail_id, body.hiked))


@router.patch("/trails/{trail_id}", tags=["trails"])
def correct_trail(trail_id: int, body: TrailPatch, db: DbDep) -> TrailSummary:
    """Correct the category (kept through re-analysis), the surface or the name."""
    return TrailSummary.model_validate(service.correct_trail(db, trail_id, body))


# --- Activities --------------------------------------------------------------------------------


@router.post("/activities", tags=["activities"], responses=UPLOAD_ERRORS)
def import_activities(
    db: DbDep,
    settings: SettingsDep,
    files: Annotated[
        list[UploadFile], File(description="GPX/TCX/FIT runs, or a Strava/Garmin export zip.")
    ],
) -> ImportReport:
    """Import runs (`trailmix log import`): duplicates skipped, each bad file reported."""
    return ImportReport.model_validate(service.import_runs(db, settings, files))


@router.get("/activities", tags=["activities"])
def list_activities(
    db: DbDep,
    today: TodayDep,
    weeks: Annotated[int | None, Query(description="Only the last N weeks.")] = None,
    since: Annotated[str | None, Query(description="Only runs from this day on.")] = None,
) -> list[dict[str, Any]]:
    """Every logged run (`trailmix log list --format json`)."""
    return service.run_list(db, weeks, since, today)


@router.post("/activities/{run_id}/rpe", tags=["activities"])
def set_rpe(run_id: int, body: RpeIn, db: DbDep) -> dict[str, Any]:
    """How hard the run felt, 1-10; it sets the run's load (`trailmix log rpe`)."""
    return service.rate_run(db, run_id, body.rpe)


@router.get("/log/week", tags=["activities"])
def log_week(
    db: DbDep,
    today: TodayDep,
    day: Annotated[str | None, Query(alias="date", description="A day of the week.")] = None,
) -> dict[str, Any]:
    """A week against the plan (`trailmix log week --format json`)."""
    return service.week_report(db, day, today)


@router.get("/log/stats", tags=["activities"])
def log_stats(
    db: DbDep,
    today: TodayDep,
    weeks: int = 12,
    day: Annotated[str | None, Query(alias="date", description="The last week's day.")] = None,
) -> dict[str, Any]:
    """Weekly minutes, load, monotony, strain and the ACWR trend (`trailmix log stats`)."""
    return service.stats_report(db, weeks, day, today)


# --- Exports -----------------------------------------------------------------------------------


def _download(content: bytes | str, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/exports/plan.ics", tags=["exports"], response_class=Response)
def export_ics(
    db: DbDep,
    at: Annotated[str | None, Query(alias="time", description="HH:MM (else all-day).")] = None,
    tz: Annotated[str | None, Query(description="e.g. Europe/Berlin.")] = None,
) -> Response:
    """The plan as an iCalendar file, stable UIDs (`trailmix export ics`)."""
    return _download(service.export_ics(db, at, tz), "text/calendar", "trailmix-plan.ics")


@router.get("/exports/workouts.zip", tags=["exports"], response_class=Response)
def export_fit(db: DbDep) -> Response:
    """One FIT workout per running session, zipped (`trailmix export fit`)."""
    return _download(service.export_fit_zip(db), "application/zip", "trailmix-workouts.zip")


@router.get("/exports/plan.html", tags=["exports"], response_class=Response)
def export_html(db: DbDep) -> Response:
    """The printable plan (`trailmix export html`)."""
    return Response(service.export_text(db, "html"), media_type="text/html")


@router.get("/exports/plan.json", tags=["exports"], response_class=Response)
def export_json(db: DbDep) -> Response:
    """The plan's JSON contract as a file (`trailmix export json`)."""
    return _download(service.export_text(db, "json"), "application/json", "trailmix-plan.json")


@router.get("/exports/plan.csv", tags=["exports"], response_class=Response)
def export_csv(db: DbDep) -> Response:
    """One row per session (`trailmix export csv`)."""
    return _download(service.export_text(db, "csv"), "text/csv", "trailmix-plan.csv")
