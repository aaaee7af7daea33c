"""The server-rendered pages. Each route calls a use case of `trailmix.app` (the same ones the
CLI calls) and hands the result to a template; forms post back here and redirect (303) to the
page that shows the result, so a reload never posts again. The onboarding form comes back with
the error next to its field and every answer kept; other errors are the app's one handler's: a
page with the message in the web's words (views.web_error)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trailmix.app import jobs, plans, profile, shoes, squad
from trailmix.app import log as training_log
from trailmix.app import trails as library
from trailmix.app.corrections import correct_run
from trailmix.app.inputs import parse_date, parse_id
from trailmix.app.jobs import ImportJob
from trailmix.app.log_json import record_json
from trailmix.errors import NotFoundError, TrailmixError
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
    return _start_page(templates, request, today, defaults)


def _start_page(
    templates: TemplatesDep,
    request: Request,
    today: date,
    form: dict[str, Any],
    error: views.WebError | None = None,
) -> Response:
    limits = views.form_limits()
    return templates.TemplateResponse(
        request,
        "start.html",
        {
            "form": form,
            "today": today,
            "error": error,
            "limits": limits,
            "race_min": today + timedelta(days=limits["race_min_days"]),
            "race_max": today + timedelta(days=limits["race_max_days"]),
        },
        status_code=400 if error else 200,
    )


@router.post("/start")
def start_post(
    request: Request, form: FormDep, db: DbDep, templates: TemplatesDep, today: TodayDep
) -> Response:
    """Make the plan; on a mistake, the form again with the message next to its field."""
    try:
        answers = forms.plan_request(form)
        plans.onboard(db, answers.goal(), answers.profile(), answers.first_day(today))
    except TrailmixError as exc:
        return _start_page(templates, request, today, dict(form), views.web_error(exc))
    return _see("/plan")


@router.get("/plan")
def plan(
    request: Request,
    db: DbDep,
    templates: TemplatesDep,
    today: TodayDep,
    replanned: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """The plan; `replanned` (a day, set by the log page's re-plan) opens the reasons of the
    sessions that re-plan changed."""
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
        shoe_advice=views.shoe_advice(db),
        replanned=f"Re-planned on {parse_date(replanned, 'replanned')}" if replanned else "",
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
        shoe_advice=views.shoe_advice(db),
        notes=squad.notes_on(db, found.date),
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
    """The form's corrections: the category only when one was chosen (a new name alone
    leaves the analysed category as it is); an emptied surface clears it."""
    parse_id(trail_id, "trail_id")
    library.correct(db, trail_id, **forms.trail_patch(form).corrections())
    return _see(f"/trails/{trail_id}")


def _log_page(
    request: Request,
    templates: TemplatesDep,
    db: DbDep,
    today: TodayDep,
    job: ImportJob | None = None,
    day: str | None = None,
    before: int | None = None,
) -> Response:
    page = training_log.runs_page(db, today, before=before)
    runs = [record_json(r) for r in reversed(page.runs)]
    last = parse_date(day, "--date") if day else today
    stats = training_log.stats(db, 12, last)
    moved_to = None
    if not day and runs and not any(m > 0 for m in (*stats.road_min, *stats.trail_min)):
        # Old runs only (an imported archive): show the 12 weeks up to the latest of them.
        moved_to = max(date.fromisoformat(r["date"]) for r in runs)
        stats = training_log.stats(db, 12, moved_to)
    return _page(
        templates,
        request,
        "log.html",
        runs=runs,
        older=request.url.include_query_params(before=page.older) if page.older else None,
        moved_to=moved_to,
        week=views.week_or_none(db, today),
        stats=stats,
        bars=views.minutes_bars(stats),
        chart=views.stats_chart(stats),
        job=job,
        report=job.report if job else None,
        day=day or "",
        shoes=views.shoes_panel(db),
        replan=views.replan_card(db, today),
    )


@router.get("/log")
def log(
    request: Request,
    db: DbDep,
    templates: TemplatesDep,
    today: TodayDep,
    day: Annotated[str | None, Query(alias="date")] = None,
    before: Annotated[int | None, Query()] = None,
    report: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The log; `date` picks the last of the 12 weeks the charts show (default this week, or
    the latest week with runs when there are none in the last 12); the latest runs are listed,
    `before` (a run id) pages back to older ones; `report` shows an upload's import report
    (the upload redirects here), or its progress while a queue worker imports it."""
    shown = None
    if report:
        try:
            shown = jobs.job(uploads.user_db(request, db), report)
        except NotFoundError:
            shown = None  # not this runner's, or too old to be kept: the log without it
    return _log_page(request, templates, db, today, shown, day=day or None, before=before)


@router.post("/log/upload")
def log_upload(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File()],
) -> Response:
    """Import (or queue the import), and redirect to the log showing its report or progress,
    read from the database by any app worker (so a reload does not post the files again)."""
    job = uploads.import_runs(uploads.user_db(request, db), settings, files)
    return _see(f"/log?report={job.key}#import-report")


@router.post("/log/rpe/{run_id}")
def log_rpe(run_id: int, form: FormDep, db: DbDep) -> Response:
    parse_id(run_id, "run_id")
    training_log.set_rpe(db, str(run_id), forms.rpe_request(form).rpe)
    return _see(f"/log#run-{run_id}")


@router.post("/log/runs/{run_id}")
def log_correct(run_id: int, form: FormDep, db: DbDep) -> Response:
    """A run's corrections from the log page: its surface and its pair (R10)."""
    parse_id(run_id, "run_id")
    fix = forms.run_patch(form)
    correct_run(db, str(run_id), **fix.corrections())
    return _see(f"/log#run-{run_id}")


@router.post("/log/replan")
def log_replan(db: DbDep, today: TodayDep) -> Response:
    """The card's "Re-plan from today": `trailmix plan update`'s use case, then the plan at
    this week with the reasons of the sessions it changed open."""
    saved = plans.update(db, today)
    week = next((w.index for w in saved.plan.weeks if w.start <= today <= w.end), 1)
    return _see(f"/plan?replanned={today.isoformat()}#week-{week}")


@router.post("/log/shoes")
def log_shoe_add(form: FormDep, db: DbDep) -> Response:
    """A new pair from the log page's shoes panel."""
    new = forms.shoe_request(form)
    shoes.add(db, new.name, kind=new.kind, retire_km=new.retire_km)
    return _see("/log#shoes")


@router.post("/log/shoes/{shoe_id}/retire")
def log_shoe_retire(shoe_id: int, form: FormDep, db: DbDep) -> Response:
    parse_id(shoe_id, "shoe_id")
    shoes.retire(db, shoe_id, form.get("retired", "yes") != "no")
    return _see("/log#shoes")
