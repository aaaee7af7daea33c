"""The HTTP API under /api/v1: plans, sessions, trails, activities, exports.

Every route parses its request, calls one use case of `trailmix.app` (the same ones the CLI
calls) and returns what it returns in the CLI's JSON shapes; errors are domain exceptions
answered by the app's one handler.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, Response, UploadFile, status

from trailmix.app import exports, jobs, plans, shoes
from trailmix.app import log as training_log
from trailmix.app import trails as library
from trailmix.app.corrections import correct_run
from trailmix.app.exports import ExportFile, ExportKind
from trailmix.app.inputs import parse_date, parse_id
from trailmix.app.log_json import adherence_json, record_json, stats_json
from trailmix.app.replan_json import judgement_json
from trailmix.app.trails import TrailSummary
from trailmix.formats.plan_json import plan_to_dict, session_to_dict
from trailmix.web import uploads
from trailmix.web.deps import DbDep, SettingsDep, TodayDep
from trailmix.web.schemas import (
    PLAN_DOC,
    DaySessions,
    ErrorOut,
    Hiked,
    ImportJobOut,
    ImportReport,
    PlanCreate,
    PlanUpdate,
    RpeIn,
    RunPatch,
    ShoeIn,
    TrailPatch,
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


def _day(text: str | None, option: str, today: date) -> date:
    """A day sent as YYYY-MM-DD, or today."""
    return parse_date(text, option) if text else today


# --- Plans -------------------------------------------------------------------------------------


@router.post(
    "/plans", status_code=status.HTTP_201_CREATED, tags=["plans"], response_description=PLAN_DOC
)
def create_plan(body: PlanCreate, db: DbDep, today: TodayDep) -> PlanDoc:
    """Make the plan from the onboarding answers (`trailmix plan`), store it as current."""
    saved = plans.make(
        db, body.goal(), body.profile(), body.first_day(today), remember_profile=True
    )
    return plan_to_dict(saved.plan)


@router.get("/plans/current", tags=["plans"], response_description=PLAN_DOC)
def get_plan(db: DbDep) -> PlanDoc:
    """The current plan (`trailmix plan show --format json`)."""
    return plan_to_dict(plans.current(db))


@router.post("/plans/current/update", tags=["plans"], response_description=PLAN_DOC)
def update_plan(body: PlanUpdate, db: DbDep, today: TodayDep) -> PlanDoc:
    """Rebuild the rest of the plan from a day after missed or extra runs
    (`trailmix plan update`)."""
    return plan_to_dict(plans.update(db, _day(body.date, "--date", today)).plan)


@router.get("/plans/current/assessment", tags=["plans"])
def plan_assessment(
    db: DbDep,
    today: TodayDep,
    day: Annotated[str | None, Query(alias="date", description="YYYY-MM-DD, default today")] = None,
) -> dict[str, Any]:
    """What a re-plan (`POST /plans/current/update`) would judge on a day of the plan, nothing
    stored: on track, ahead, behind or back from a break, the minutes behind it, the return,
    the goal's choices and the load flags (docs/web.md)."""
    return judgement_json(plans.assessment(db, _day(day, "date", today)))


@router.post("/plans/current/remake", tags=["plans"], response_description=PLAN_DOC)
def remake_plan(db: DbDep, today: TodayDep) -> PlanDoc:
    """Make the current plan again, same runner and race, with the trail library as it is
    now (e.g. after uploading a trail)."""
    return plan_to_dict(plans.remake(db, today).plan)


# --- Sessions ----------------------------------------------------------------------------------


@router.get("/sessions", tags=["sessions"])
def list_sessions(
    db: DbDep,
    first: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    last: Annotated[str | None, Query(alias="to", description="YYYY-MM-DD")] = None,
) -> list[dict[str, Any]]:
    """The current plan's sessions, in date order, each as in the plan contract."""
    lo = parse_date(first, "from") if first else None
    hi = parse_date(last, "to") if last else None
    return [session_to_dict(s) for s in plans.sessions_between(plans.current(db), lo, hi)]


@router.get("/sessions/{day}", tags=["sessions"])
def day_sessions(day: str, db: DbDep) -> DaySessions:
    """One day's sessions with every reason (`trailmix explain DATE --format json`)."""
    found = plans.day(db, parse_date(day, "DATE"))
    return DaySessions(
        date=found.date.isoformat(), sessions=[session_to_dict(s) for s in found.sessions]
    )


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
    rec = uploads.add_trail(db, settings, file, name=name, surface=surface, technical=technical)
    return library.summary(db, rec)


@router.get("/trails", tags=["trails"])
def list_trails(db: DbDep) -> list[TrailSummary]:
    """Every trail with its numbers, category, shoe (R10) and hike status (R9)."""
    return library.summaries(db)


@router.get("/trails/{trail_id}", tags=["trails"])
def get_trail(trail_id: int, db: DbDep) -> dict[str, Any]:
    """Every number, the hills and the profile grid (`trailmix trails show --format json`)."""
    parse_id(trail_id, "trail_id")
    return library.detail(db, library.get(db, trail_id))


@router.post("/trails/{trail_id}/hiked", tags=["trails"])
def mark_hiked(trail_id: int, body: Hiked, db: DbDep) -> TrailSummary:
    """R9: mark a technical trail as hiked, so plans may put runs on it."""
    parse_id(trail_id, "trail_id")
    rec = library.set_hiked(db, trail_id, body.hiked)
    return library.summary(db, rec)


@router.patch("/trails/{trail_id}", tags=["trails"])
def correct_trail(trail_id: int, body: TrailPatch, db: DbDep) -> TrailSummary:
    """Correct the category (kept through re-analysis), the surface or the name."""
    parse_id(trail_id, "trail_id")
    rec = library.correct(db, trail_id, **body.corrections())
    return library.summary(db, rec)


# --- Activities --------------------------------------------------------------------------------


@router.post(
    "/activities",
    tags=["activities"],
    responses={
        **UPLOAD_ERRORS,
        202: {"model": ImportJobOut, "description": "Queued for an import worker."},
        503: {"model": ErrorOut, "description": "The import queue cannot be reached."},
    },
)
def import_activities(
    request: Request,
    response: Response,
    db: DbDep,
    settings: SettingsDep,
    files: Annotated[
        list[UploadFile], File(description="GPX/TCX/FIT runs, or a Strava/Garmin export zip.")
    ],
) -> ImportReport | ImportJobOut:
    """Import runs (`trailmix log import`): duplicates skipped, each bad file reported. With an
    import queue (`trailmix serve --queue`) the answer is 202 with the queued job at once (its
    progress at `GET /api/v1/imports/{id}`, the `Location` header); else the report."""
    job = uploads.import_runs(uploads.user_db(request, db), settings, files)
    if job.finished and job.report is not None:
        return ImportReport.model_validate({**job.report, "id": job.key})
    response.status_code = status.HTTP_202_ACCEPTED
    response.headers["Location"] = f"/api/v1/imports/{job.key}"
    return ImportJobOut.model_validate(job.json())


@router.get("/imports/{job_id}", tags=["activities"])
def import_status(
    job_id: Annotated[str, Path(max_length=64)], request: Request, db: DbDep
) -> ImportJobOut:
    """An import job's status and progress (`done` of `total` run files), and its report once
    finished; another runner's job is 404."""
    return ImportJobOut.model_validate(jobs.job(uploads.user_db(request, db), job_id).json())


@router.get("/activities", tags=["activities"])
def list_activities(
    db: DbDep,
    today: TodayDep,
    request: Request,
    response: Response,
    weeks: Annotated[int | None, Query(description="Only the last N weeks.")] = None,
    since: Annotated[str | None, Query(description="Only runs from this day on.")] = None,
    limit: Annotated[
        int, Query(description="At most the latest N runs (0: all).")
    ] = training_log.LIST_LIMIT,
    before: Annotated[
        int | None, Query(description="Only runs older than this run id (the next page).")
    ] = None,
) -> list[dict[str, Any]]:
    """The latest logged runs, oldest first (`trailmix log list --format json`), a page at a
    time: when older runs are left out, the `Link` header's rel="next" URL is the page before."""
    first = parse_date(since, "--since") if since else None
    page = training_log.runs_page(db, today, weeks=weeks, since=first, limit=limit, before=before)
    if page.older is not None:
        older = request.url.include_query_params(before=page.older)
        response.headers["Link"] = f'<{older}>; rel="next"'
    return [record_json(r) for r in page.runs]


@router.post("/activities/{run_id}/rpe", tags=["activities"])
def set_rpe(run_id: int, body: RpeIn, db: DbDep) -> dict[str, Any]:
    """How hard the run felt, 1-10; it sets the run's load (`trailmix log rpe`)."""
    parse_id(run_id, "run_id")
    return record_json(training_log.set_rpe(db, str(run_id), body.rpe))


@router.patch("/activities/{run_id}", tags=["activities"])
def correct_activity(run_id: int, body: RunPatch, db: DbDep) -> dict[str, Any]:
    """Correct a run: its surface (`trailmix log surface`) and its pair (`trailmix log
    set-shoe`; `shoe_id` null: no pair). Fields left out stay as they are."""
    parse_id(run_id, "run_id")
    return record_json(correct_run(db, str(run_id), **body.corrections()))


# --- Shoes (R10) ---------------------------------------------------------------------------------


@router.get("/shoes", tags=["shoes"])
def list_shoes(
    db: DbDep,
    retired: Annotated[bool, Query(description="Retired pairs too.")] = False,
) -> list[dict[str, Any]]:
    """Your pairs with km and hours per surface and their reminders (`trailmix shoes list
    --format json`, fields in docs/log.md)."""
    return [shoes.shoe_json(v) for v in shoes.shoes(db, retired=retired)]


@router.post("/shoes", tags=["shoes"], status_code=status.HTTP_201_CREATED)
def add_shoe(body: ShoeIn, db: DbDep) -> dict[str, Any]:
    """A new pair (`trailmix shoes add`)."""
    rec = shoes.add(
        db, body.name, kind=body.kind, brand=body.brand, model=body.model, retire_km=body.retire_km
    )
    return shoes.shoe_json(shoes.view(db, rec.id))


@router.get("/log/week", tags=["activities"])
def log_week(
    db: DbDep,
    today: TodayDep,
    day: Annotated[str | None, Query(alias="date", description="A day of the week.")] = None,
) -> dict[str, Any]:
    """A week against the plan (`trailmix log week --format json`)."""
    report = training_log.week(db, _day(day, "--date", today), today)
    return adherence_json(report.adherence, report.index)


@router.get("/log/stats", tags=["activities"])
def log_stats(
    db: DbDep,
    today: TodayDep,
    weeks: int = 12,
    day: Annotated[str | None, Query(alias="date", description="The last week's day.")] = None,
) -> dict[str, Any]:
    """Weekly minutes, load, monotony, strain and the ACWR trend (`trailmix log stats`)."""
    return stats_json(training_log.stats(db, weeks, _day(day, "--date", today)))


# --- Exports -----------------------------------------------------------------------------------


def _download(file: ExportFile) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.file_name}"'},
    )


@router.get("/exports/plan.ics", tags=["exports"], response_class=Response)
def export_ics(
    db: DbDep,
    at: Annotated[str | None, Query(alias="time", description="HH:MM (else all-day).")] = None,
    tz: Annotated[str | None, Query(description="e.g. Europe/Berlin.")] = None,
) -> Response:
    """The plan as an iCalendar file, stable UIDs (`trailmix export ics`)."""
    return _download(exports.export(db, ExportKind.ICS, exports.calendar_times(at, tz)))


@router.get("/calendar.ics", tags=["exports"], response_class=Response)
def calendar_feed(
    db: DbDep,
    at: Annotated[str | None, Query(alias="time", description="HH:MM (else all-day).")] = None,
    tz: Annotated[str | None, Query(description="e.g. Europe/Berlin.")] = None,
) -> Response:
    """The plan as a calendar subscription (webcal): a calendar app that follows this URL sees
    every change of the plan without importing a file again."""
    feed = exports.export(db, ExportKind.ICS, exports.calendar_times(at, tz))
    return Response(feed.content, media_type="text/calendar; charset=utf-8")


@router.get("/exports/workouts.zip", tags=["exports"], response_class=Response)
def export_fit(db: DbDep) -> Response:
    """One FIT workout per running session, zipped (`trailmix export fit`)."""
    return _download(exports.export(db, ExportKind.FIT))


@router.get("/exports/plan.html", tags=["exports"], response_class=Response)
def export_html(db: DbDep) -> Response:
    """The printable plan (`trailmix export html`)."""
    page = exports.export(db, ExportKind.HTML)
    return Response(page.content, media_type=page.media_type)


@router.get("/exports/plan.json", tags=["exports"], response_class=Response)
def export_json(db: DbDep) -> Response:
    """The plan's JSON contract as a file (`trailmix export json`)."""
    return _download(exports.export(db, ExportKind.JSON))


@router.get("/exports/plan.csv", tags=["exports"], response_class=Response)
def export_csv(db: DbDep) -> Response:
    """One row per session (`trailmix export csv`)."""
    return _download(exports.export(db, ExportKind.CSV))
