"""The server-rendered pages. Each route calls `web.service` (the library) and hands the
result to a template; forms post back here and redirect (303) to the page that shows the
result. Errors are the app's one handler's: a page with the CLI's message."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trailmix.web import forms, service, views
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
    return _see("/plan" if service.plan_or_none(db) else "/start")


@router.get("/start")
def start(request: Request, db: DbDep, templates: TemplatesDep, today: TodayDep) -> Response:
    defaults = views.onboarding_defaults(service.stored_athlete(db))
    return _page(templates, request, "start.html", form=defaults, today=today)


@router.post("/start")
def start_post(form: FormDep, db: DbDep, today: TodayDep) -> Response:
    service.make_plan(db, forms.plan_request(form), today)
    return _see("/plan")


@router.get("/plan")
def plan(request: Request, db: DbDep, templates: TemplatesDep, today: TodayDep) -> Response:
    current = service.plan_or_none(db)
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
    service.remake_plan(db, today)
    return _see("/plan")


@router.post("/plan/update")
def plan_update(form: FormDep, db: DbDep, today: TodayDep) -> Response:
    service.replan(db, forms.update_request(form).date, today)
    return _see("/plan")


@router.get("/sessions/{day}")
def session(day: str, request: Request, db: DbDep, templates: TemplatesDep) -> Response:
    current = service.current_plan(db)
    when, sessions = service.sessions_on(current, day)
    return _page(
        templates,
        request,
        "session.html",
        plan=current,
        day=when,
        sessions=views.day_sessions(db, current, sessions),
    )


@router.get("/trails")
def trails(request: Request, db: DbDep, templates: TemplatesDep) -> Response:
    return _page(templates, request, "trails.html", trails=service.trail_list(db))


@router.post("/trails")
def trails_upload(
    db: DbDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    name: Annotated[str | None, Form()] = None,
    surface: Annotated[str | None, Form()] = None,
    technical: Annotated[str | None, Form()] = None,
) -> Response:
    rec = service.add_trail(db, settings, file, name=name, surface=surface, technical=technical)
    return _see(f"/trails/{rec.id}")


@router.get("/trails/{trail_id}")
def trail(trail_id: int, request: Request, db: DbDep, templates: TemplatesDep) -> Response:
    rec = service.trail_record(db, trail_id)
    view = views.trail_view(rec, service.trail_list_item(db, rec), mark_repeat=True)
    return _page(templates, request, "trail.html", trail=view)


@router.post("/trails/{trail_id}/hiked")
def trail_hiked(trail_id: int, form: FormDep, db: DbDep) -> Response:
    service.mark_hiked(db, trail_id, form.get("hiked", "yes") != "no")
    return _see(f"/trails/{trail_id}")


@router.post("/trails/{trail_id}/correct")
def trail_correct(trail_id: int, form: FormDep, db: DbDep) -> Response:
    service.correct_trail(db, trail_id, forms.trail_patch(form))
    return _see(f"/trails/{trail_id}")


def _log_page(
    request: Request,
    templates: TemplatesDep,
    db: DbDep,
    today: TodayDep,
    report: dict[str, Any] | None = None,
    day: str | None = None,
) -> Response:
    stats = service.stats_report(db, 12, day, today)
    return _page(
        templates,
        request,
        "log.html",
        runs=list(reversed(service.run_list(db, None, None, today))),
        week=service.week_or_none(db, today),
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
    report = service.import_runs(db, settings, files)
    return _log_page(request, templates, db, today, report)


@router.post("/log/rpe/{run_id}")
def log_rpe(run_id: int, form: FormDep, db: DbDep) -> Response:
    service.rate_run(db, run_id, forms.rpe_request(form).rpe)
    return _see(f"/log#run-{run_id}")
