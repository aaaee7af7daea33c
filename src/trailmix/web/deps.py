"""Dependency aliases that keep route signatures short."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from trailmix.app.store import Store
from trailmix.web.auth import SIGN_IN_FIRST, AuthError
from trailmix.web.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Store:
    """The app's one database (opened and migrated when the app was made), as the signed-in
    user sees it (`request.state.user_id`, set by web/auth.py: the local runner in
    single-user mode)."""
    user_id = getattr(request.state, "user_id", None)
    if user_id is None:  # a public route (the sign-in page) has no user: it reads no data
        raise AuthError(SIGN_IN_FIRST, 401)
    db: Store = request.app.state.db
    return db.for_user(user_id)


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def get_today() -> date:
    """Today's date (a dependency, so tests can fix it)."""
    return date.today()


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Store, Depends(get_db)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
TodayDep = Annotated[date, Depends(get_today)]
