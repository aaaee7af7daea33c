"""Coach mode (issue 19): the pages under /coach and the JSON API under /api/v1/coach.

The signed-in user is `request.state.user_id` (the auth middleware's; the local runner when it
is absent). Every runner route goes through `app.squad`, which answers 404 (NotFoundError) for
a runner the user does not coach with an active link, the same as for an id that does not
exist. Field names are documented in docs/web.md, "Coach mode"."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from trailmix.app import squad
from trailmix.app.inputs import ProfileFlags, parse_date, parse_id
from trailmix.app.squad_json import change_json, link_json, note_json, squad_row_json
from trailmix.formats.plan_json import plan_to_dict
from trailmix.web import views
from trailmix.web.deps import DbDep, TemplatesDep, TodayDep

pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
api = APIRouter(prefix="/api/v1/coach", tags=["coach"])

Text = Annotated[str, Form(max_length=squad.MAX_WHY_CHARS)]
NoteText = Annotated[str, Form(max_length=squad.MAX_NOTE_CHARS)]
Field200 = Annotated[str, Form(max_length=200)]


def current_user(request: Request) -> int:
    """The signed-in user's id (the local runner without the auth middleware)."""
    return int(getattr(request.state, "user_id", squad.LOCAL_USER_ID))


UserDep = Annotated[int, Depends(current_user)]


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _runner_id(runner_id: int) -> int:
    parse_id(runner_id, "runner_id")
    return runner_id


def _flags(
    preference: str | None, cap: str | None, days: str | None, long_day: str | None
) -> ProfileFlags:
    n = None
    if days and days.strip().isdigit():
        n = int(days)
    run_days = days if days and not days.strip().isdigit() else None
    return ProfileFlags(
        trail_preference=preference or None,
        trail_cap=cap or None,
        days=n,
        run_days=run_days,
        long_run_day=long_day or None,
    )


# --- Pages -----------------------------------------------------------------------------------


@pages.get("/coach")
def coach_home(
    request: Request, db: DbDep, user_id: UserDep, templates: TemplatesDep, today: TodayDep
) -> Response:
    """The squad table (one row per runner, with the flags), invitations and shared trails."""
    return templates.TemplateResponse(
        request,
        "coach.html",
        {
            "me": squad.user(db, user_id),
            "rows": squad.squad(db, user_id, today),
            "links": squad.links(db, user_id),
            "waiting": squad.waiting(db, user_id),
            "shared": squad.shared_trails(db, user_id),
            "today": today,
        },
    )


@pages.post("/coach/invite")
def coach_invite(request: Request, db: DbDep, user_id: UserDep, login: Field200) -> Response:
    squad.invite(db, user_id, login)
    return _see("/coach")


@pages.post("/coach/answer")
def coach_answer(
    request: Request, db: DbDep, user_id: UserDep, login: Field200, accept: Field200 = "yes"
) -> Response:
    squad.answer(db, user_id, login or None, accept != "no")
    return _see("/coach")


@pages.post("/coach/trails")
def coach_share(
    request: Request, db: DbDep, user_id: UserDep, trail_id: Field200, share: Field200 = "yes"
) -> Response:
    tid = int(trail_id) if trail_id.strip().isdigit() else 0
    parse_id(tid, "trail_id")
    squad.share_trail(db, user_id, tid, share != "no")
    return _see("/coach")


@pages.get("/coach/runners/{runner_id}")
def coach_runner(
    runner_id: int,
    request: Request,
    db: DbDep,
    user_id: UserDep,
    templates: TemplatesDep,
    today: TodayDep,
) -> Response:
    """The runner's plan and log as the runner sees them, with the forms to change them."""
    view = squad.runner_view(db, user_id, _runner_id(runner_id), today)
    plan = view.numbers.plan
    notes: dict[date, list[Any]] = {}
    for n in view.notes:
        notes.setdefault(n.day, []).append(n)
    return templates.TemplateResponse(
        request,
        "coach_runner.html",
        {
            "view": view,
            "runner": view.runner,
            "plan": plan,
            "weeks": views.week_views(plan, today) if plan else [],
            "notes": notes,
            "row": view.numbers.row,
            "stats": view.numbers.stats,
            "today": today,
            "pace_of": views.session_pace,
            "kinds": [k.value for k in squad.REPLACE_KINDS],
        },
    )


def _back(runner_id: int, anchor: str = "") -> RedirectResponse:
    return _see(f"/coach/runners/{runner_id}{anchor}")


@pages.post("/coach/runners/{runner_id}/profile")
def coach_profile(
    runner_id: int,
    request: Request,
    db: DbDep,
    user_id: UserDep,
    today: TodayDep,
    why: Text,
    preference: Field200 = "",
    cap: Field200 = "",
    days: Field200 = "",
    long_day: Field200 = "",
    trails: Field200 = "",
) -> Response:
    squad.change_profile(
        db,
        user_id,
        _runner_id(runner_id),
        _flags(preference, cap, days, long_day),
        why,
        today,
        _ids(trails),
    )
    return _back(runner_id, "#changes")


@pages.post("/coach/runners/{runner_id}/move")
def coach_move(
    runner_id: int,
    request: Request,
    db: DbDep,
    user_id: UserDep,
    day: Field200,
    to: Field200,
    why: Text,
) -> Response:
    squad.move_session(
        db, user_id, _runner_id(runner_id), parse_date(day, "day"), parse_date(to, "to"), why
    )
    return _back(runner_id, "#changes")


@pages.post("/coach/runners/{runner_id}/replace")
def coach_replace(
    runner_id: int,
    request: Request,
    db: DbDep,
    user_id: UserDep,
    day: Field200,
    kind: Field200,
    surface: Field200,
    why: Text,
    minutes: Field200 = "",
) -> Response:
    squad.replace_session(
        db,
        user_id,
        _runner_id(runner_id),
        parse_date(day, "day"),
        kind,
        surface,
        why,
        minutes=_minutes(minutes),
    )
    return _back(runner_id, "#changes")


@pages.post("/coach/runners/{runner_id}/notes")
def coach_note(
    runner_id: int, request: Request, db: DbDep, user_id: UserDep, day: Field200, text: NoteText
) -> Response:
    squad.add_note(db, user_id, _runner_id(runner_id), parse_date(day, "day"), text)
    return _back(runner_id, "#notes")


def _ids(text: str) -> list[int] | None:
    """Trail ids as typed ("3, 7"); None (the whole library) when empty."""
    from trailmix.errors import InputError

    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts:
        return None
    if not all(p.isdigit() for p in parts):
        raise InputError(f"{text!r}: give trail ids separated by commas, e.g. 3, 7.", "trails")
    return [int(p) for p in parts]


def _minutes(text: str | None) -> float | None:
    from trailmix.errors import InputError

    if not text or not text.strip():
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InputError(f"{text!r} is not a number of minutes.", "minutes") from None


# --- JSON API --------------------------------------------------------------------------------


class LoginIn(BaseModel):
    login: str = Field(max_length=200, description="The other user's login.")


class AnswerIn(BaseModel):
    login: str | None = Field(
        None, max_length=200, description="Who invited you (optional with one invitation)."
    )
    accept: bool = Field(True, description="true accepts, false declines.")


class WhyIn(BaseModel):
    why: str = Field(max_length=squad.MAX_WHY_CHARS, description="Why: the runner sees it.")


class MoveIn(WhyIn):
    date: str = Field(description="The session's day, YYYY-MM-DD.")
    slot: int = Field(0, ge=0, le=5, description="Which session of that day, from 0.")
    to: str = Field(description="The new day, YYYY-MM-DD (a day without a session).")


class ReplaceIn(WhyIn):
    date: str = Field(description="The session's day, YYYY-MM-DD.")
    slot: int = Field(0, ge=0, le=5)
    kind: str = Field(description="rest, easy, recovery or long.")
    surface: str = Field("road", description="road or trail.")
    minutes: float | None = Field(None, description="Default: the replaced session's minutes.")


class ProfileIn(WhyIn):
    trail_preference: str | None = Field(None, description="enjoy, minimum or off.")
    trail_cap: str | None = Field(None, description="0.05 to 0.3333 (R1), or e.g. 25%.")
    days: int | None = Field(None, description="Run days a week.")
    run_days: str | None = Field(None, description="e.g. tue,thu,sat,sun.")
    long_run_day: str | None = Field(None, description="e.g. sun.")
    trail_ids: list[int] | None = Field(
        None, description="The trails the plan may use (the runner's and the squad's)."
    )


class NoteIn(BaseModel):
    date: str = Field(description="The session's day, YYYY-MM-DD.")
    slot: int = Field(0, ge=0, le=5)
    text: str = Field(max_length=squad.MAX_NOTE_CHARS)


@api.get("/squad")
def api_squad(
    request: Request, db: DbDep, user_id: UserDep, today: TodayDep
) -> list[dict[str, Any]]:
    """One row per active runner: this week planned vs done, trail share and cap (R1), the R4
    window, missed weekly trail runs (R2), load, monotony and the acute:chronic trend."""
    return [squad_row_json(r) for r in squad.squad(db, user_id, today)]


@api.get("/invitations")
def api_links(request: Request, db: DbDep, user_id: UserDep) -> dict[str, Any]:
    """Every link of the signed-in user, and the invitations waiting for their answer."""
    return {
        "links": [link_json(x) for x in squad.links(db, user_id)],
        "waiting": [link_json(x) for x in squad.waiting(db, user_id)],
    }


@api.post("/invitations", status_code=status.HTTP_201_CREATED)
def api_invite(body: LoginIn, request: Request, db: DbDep, user_id: UserDep) -> dict[str, Any]:
    """A coach invites a runner, or a runner invites a coach, by login."""
    return link_json(squad.invite(db, user_id, body.login))


@api.post("/invitations/answer")
def api_answer(body: AnswerIn, request: Request, db: DbDep, user_id: UserDep) -> dict[str, Any]:
    """Accept or decline the invitation waiting for you."""
    return link_json(squad.answer(db, user_id, body.login, body.accept))


@api.get("/runners/{runner_id}/plan")
def api_plan(runner_id: int, request: Request, db: DbDep, user_id: UserDep) -> dict[str, Any]:
    """The runner's current plan in the plan contract (docs/plan-json.md)."""
    return plan_to_dict(squad.runner_plan(db, user_id, _runner_id(runner_id)))


@api.get("/runners/{runner_id}/changes")
def api_changes(
    runner_id: int, request: Request, db: DbDep, user_id: UserDep
) -> list[dict[str, Any]]:
    """The changes made to the runner's plan, latest first: who, when, what and why."""
    return [change_json(c) for c in squad.changes(db, user_id, _runner_id(runner_id))]


@api.get("/runners/{runner_id}/notes")
def api_notes(
    runner_id: int, request: Request, db: DbDep, user_id: UserDep
) -> list[dict[str, Any]]:
    return [note_json(n) for n in squad.runner_notes(db, user_id, _runner_id(runner_id))]


@api.post("/runners/{runner_id}/notes", status_code=status.HTTP_201_CREATED)
def api_add_note(
    runner_id: int, body: NoteIn, request: Request, db: DbDep, user_id: UserDep
) -> dict[str, Any]:
    day = parse_date(body.date, "date")
    return note_json(squad.add_note(db, user_id, _runner_id(runner_id), day, body.text, body.slot))


@api.post("/runners/{runner_id}/move")
def api_move(
    runner_id: int, body: MoveIn, request: Request, db: DbDep, user_id: UserDep
) -> dict[str, Any]:
    """Move a session to a free day; refused (400, naming the rule) if it breaks R1-R12."""
    plan = squad.move_session(
        db,
        user_id,
        _runner_id(runner_id),
        parse_date(body.date, "date"),
        parse_date(body.to, "to"),
        body.why,
        body.slot,
    )
    return plan_to_dict(plan)


@api.post("/runners/{runner_id}/replace")
def api_replace(
    runner_id: int, body: ReplaceIn, request: Request, db: DbDep, user_id: UserDep
) -> dict[str, Any]:
    """Replace a session by rest or an easy, recovery or long run on road or trail; refused
    (400, naming the rule) if it breaks R1-R12."""
    plan = squad.replace_session(
        db,
        user_id,
        _runner_id(runner_id),
        parse_date(body.date, "date"),
        body.kind,
        body.surface,
        body.why,
        body.slot,
        body.minutes,
    )
    return plan_to_dict(plan)


@api.post("/runners/{runner_id}/profile")
def api_profile(
    runner_id: int, body: ProfileIn, request: Request, db: DbDep, user_id: UserDep, today: TodayDep
) -> dict[str, Any]:
    """Change preference, cap, run days or trails and make the plan again by the engine."""
    flags = ProfileFlags(
        trail_preference=body.trail_preference,
        trail_cap=body.trail_cap,
        days=body.days,
        run_days=body.run_days,
        long_run_day=body.long_run_day,
    )
    plan = squad.change_profile(
        db, user_id, _runner_id(runner_id), flags, body.why, today, body.trail_ids
    )
    return plan_to_dict(plan)


@api.get("/me/changes")
def api_my_changes(db: DbDep, user_id: UserDep) -> list[dict[str, Any]]:
    """The changes your coaches made to your plan, latest first."""
    return [change_json(c) for c in squad.my_changes(db.for_user(user_id))]


@api.get("/me/notes")
def api_my_notes(db: DbDep, user_id: UserDep) -> list[dict[str, Any]]:
    """The notes your coaches left on your sessions, by day."""
    return [note_json(n) for n in squad.my_notes(db.for_user(user_id))]


@api.get("/trails")
def api_shared(request: Request, db: DbDep, user_id: UserDep) -> list[int]:
    """The ids of the coach's trails shared with the squad."""
    return squad.shared_trails(db, user_id)


@api.put("/trails/{trail_id}")
def api_share(trail_id: int, request: Request, db: DbDep, user_id: UserDep) -> list[int]:
    """Share one of your trails with the squad; the ids shared."""
    parse_id(trail_id, "trail_id")
    return squad.share_trail(db, user_id, trail_id, True)


@api.delete("/trails/{trail_id}")
def api_unshare(trail_id: int, request: Request, db: DbDep, user_id: UserDep) -> list[int]:
    parse_id(trail_id, "trail_id")
    return squad.share_trail(db, user_id, trail_id, False)
