"""The server-rendered pages. Each route calls a use case of `trailmix.app` (the same ones the
CLI calls) and hands the result to a template; forms post back here and redirect (303) to the
page that shows the result. Errors are the app's one handler's: a page with the CLI's message."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trailmix.app import log as training_log
from trailmix.app import plans, profile
from trailmix.app import trails as library
from trailmix.app.inputs import parse_date, parse_id
from trailmix.app.log_json import record_json
from trailmix.web import forms, uploads, views
from trailmix.web.deps import DbDep, SettingsDep, TemplatesDep, TodayDep
from trailmix.web.forms import FormDep

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _page(templates: TemplatesDep, request: Request, name: str, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context)


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(db: DbDep) -> Response:
    """The plan when there is one, else the onboarding form."""
    return _see("/plan" if plans.current_or_none(db) else "/start")


@router.get("/start")
def start(request: Request, db: DbDep, templates: TemplatesDep, today: TodayDep) -> Response:
    defaults = views.onboarding_defaults(profile.stored(db))
    return _page(templates, request, "start.html", form=defaults, today=today)


@router.post("/start")
def start_post(form: FormDep, db: DbDep, today: TodayDep) -> Response:
    answers = forms.plan_request(form)
    plans.onboard(db, answers.goal(), answers.profile(), answers.first_day(today))
    return _see("/plan")


@router.get("/plan")
def plan(request: Request, db: DbDep, templates: TemplatesDep, today: TodayDep) -> Response:
    current = plans.current_or_none(db)
    if current is None:
        return _see("/start")
    return _page(
        templates,
        request,
        "plan.html",
        plan=current,
        weeks=views.week_views(current, today),
        today=today,
        pace_of=views.session_pace,
    )


@router.post("/plan/remake")
def plan_remake(db: DbDep, today: TodayDep) -> Response:
    plans.remake(db, today)
    return _see("/plan")


@router.post("/plan/update")
def plan_update(form: FormDep, db: DbDep, today: TodayDep) -> Response:
    day = forms.update_request(form).date
    plans.update(db, parse_date(day, "--date") if day else today)
    return _see("/plan")


@router.get("/sessions/{day}")
def session(day: str, request: Request, db: DbDep, templates: TemplatesDep) -> Response:
    found = plans.day(db, parse_date(day, "DATE"))
    return _page(
        templates,
        request,
        "session.html",
        plan=found.plan,
        day=found.date,
        sessions=views.day_sessions(db, found.plan, found.sessions),
    )


@router.get("/trails")
def trails(request: Request, db: DbDep, templates: TemplatesDep) -> Response:
    return _page(templates, request, "trails.html", trails=library.summaries(db))


@router.post("/trails")
def trails_upload(
    db: DbDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    name: Annotated[str | None, Form()] = None,
    surface: Annotated[str | None, Form()] = None,
    technical: Annotated[str | None, Form()] = None,
) -> Response:
    rec = uploads.add_trail(db, settings, file, name=name, surface=surface, technical=technical)
    return _see(f"/trails/{rec.id}")


@router.get("/trails/{trail_id}")
def trail(trail_id: int, request: Request, db: DbDep, templates: TemplatesDep) -> Response:
    parse_id(trail_id, "trail_id")
    rec = library.get(db, trail_id)
    view = views.trail_view(rec, library.summary(db, rec), mark_repeat=True)
    return _page(templates, request, "trail.html", trail=view)


@router.post("/trails/{trail_id}/hiked")
def trail_hiked(trail_id: int, form: FormDep, db: DbDep) -> Response:
    parse_id(trail_id, "trail_id")
    library.set_hiked(db, trail_id, form.get("hiked", "yes") != "no")
    return _see(f"/trails/{trail_id}")


@router.post("/trails/{trail_id}/correct")
def trail_correct(trail_id: int, form: FormDep, db: DbDep) -> Response:
    parse_id(trail_id, "trail_id")
    library.correct(db, trail_id, **forms.trail_patch(form).corrections())
    return _see(f"/trails/{trail_id}")


def _log_page(
    request: Request,
    templates: TemplatesDep,
    db: DbDep,
    today: TodayDep,
    report: dict[str, Any] | None = None,
    day: str | None = None,
) -> Response:
    stats = training_log.stats(db, 12, parse_date(day, "--date") if day else today)
    return _page(
        templates,
        request,
        "log.html",
        runs=[record_json(r) for r in reversed(training_log.runs(db, today))],
        week=views.week_or_none(db, today),
        stats=stats,
        bars=views.minutes_bars(stats),
        chart=views.stats_chart(stats),
        report=report,
        day=day or "",
    )


@router.get("/log")
def log(
    request: Request,
    db: DbDep,
    templates: TemplatesDep,
    today: TodayDep,
    day: Annotated[str | None, Query(alias="date")] = None,
) -> Response:
    """The log; `date` picks the last of the 12 weeks the charts show (default this week)."""
    return _log_page(request, templates, db, today, day=day or None)


@router.post("/log/upload")
def log_upload(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    today: TodayDep,
    files: Annotated[list[UploadFile], File()],
) -> Response:
    report = uploads.import_runs(db, settings, files)
    return _log_page(request, templates, db, today, report)


@router.post("/log/rpe/{run_id}")
def log_rpe(run_id: int, form: FormDep, db: DbDep) -> Response:
    parse_id(run_id, "run_id")
    training_log.set_rpe(db, str(run_id), forms.rpe_request(form).rpe)
    return _see(f"/log#run-{run_id}")
