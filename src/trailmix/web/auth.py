"""Who a request is from, and whether a form really comes from this app's own pages.

- `Authentication` (ASGI middleware) sets `request.state.user_id` and `request.state.role` for
  every request. Single-user mode (the default `trailmix serve`): the local runner, no login.
  Multi-user mode (`--multi-user`): a server-side session cookie or `Authorization: Bearer
  <token>` (a personal API token); without one, pages redirect to `/login?next=...` and the API
  answers 401 with a JSON message.
- `verify_csrf` (a dependency of every route) refuses a state-changing request (POST, PUT,
  PATCH, DELETE) sent by a browser without this app's form token: the hidden `csrf_token`
  field every form carries (`csrf_field()` in the templates) or the `X-CSRF-Token` header the
  app's scripts send. In multi-user mode the token is the session's (stored with it); before
  signing in, and in single-user mode, it is a random cookie (`trailmix_csrf`) the form must
  repeat. Requests with a personal API token are exempt (a browser cannot add that header to
  another site's request), and so, in single-user mode only, are programs that send no cookie
  and none of a browser's Origin / Sec-Fetch headers (curl, scripts): a page on another site
  cannot make a browser send such a request.
- The routes `/login`, `/logout` and `/account` (the user's password and API tokens).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, pass_context
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trailmix.app import accounts
from trailmix.app.accounts import LOCAL_USER_ID, SignedIn, SignInError
from trailmix.app.store import Store
from trailmix.errors import NotFoundError, TrailmixError
from trailmix.web.settings import Settings

SESSION_COOKIE = "trailmix_session"
CSRF_COOKIE = "trailmix_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = ("/login", "/favicon.ico")
PUBLIC_PREFIXES = ("/static/",)
API_PREFIX = "/api/"
LOCAL = SignedIn(LOCAL_USER_ID, "local", "Local runner", "runner", "local")

SIGN_IN_FIRST = (
    "sign in first: this trailmix is a multi-user server (send a session cookie from /login, "
    "or Authorization: Bearer <token> with a personal API token)."
)
BAD_TOKEN = "this API token is unknown or revoked: make a new one (trailmix users token)."
CSRF_REFUSED = (
    "refused: this form was sent without the security token of this page (CSRF protection). "
    "Reload the page and send the form again."
)


class AuthError(TrailmixError):
    """A request refused for who sent it: 401 (not signed in) or 403 (no CSRF token)."""

    def __init__(self, message: str, status: int, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.field = field


# --- who the request is from ------------------------------------------------------------------


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _bearer(headers: dict[bytes, bytes]) -> str | None:
    value = headers.get(b"authorization", b"").decode("latin-1").strip()
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _secure(scope: Scope, settings: Settings) -> bool:
    return settings.behind_https or scope.get("scheme") == "https"


def cookie_header(name: str, value: str, *, secure: bool, max_age: int | None = None) -> bytes:
    """A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS."""
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


class Authentication:
    """Sets `request.state.user_id`, `.role`, `.login`, `.display_name`, `.auth_via`
    ("local" | "session" | "token" | None) and `.csrf_token` for every HTTP request; refuses
    (multi-user mode) a request nobody signed in for. Sets the pre-login CSRF cookie when a
    page used a new one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        web = scope["app"]
        settings: Settings = web.state.settings
        db: Store = web.state.db
        headers = dict(scope.get("headers") or [])
        request = Request(scope)
        path: str = scope["path"]
        state: dict[str, Any] = scope.setdefault("state", {})
        state["multi_user"] = settings.multi_user

        who: SignedIn | None = LOCAL
        if settings.multi_user:
            token = _bearer(headers)
            if token is not None:
                who = await run_in_threadpool(accounts.token_user, db, token)
                if who is None:
                    await self._refuse(scope, receive, send, BAD_TOKEN, api=True)
                    return
            else:
                cookie = request.cookies.get(SESSION_COOKIE, "")
                who = await run_in_threadpool(accounts.session_user, db, cookie) if cookie else None
            if who is None and not _is_public(path):
                await self._refuse(scope, receive, send, SIGN_IN_FIRST)
                return
        if who is not None:
            state.update(
                user_id=who.user_id,
                role=who.role,
                login=who.login,
                display_name=who.display_name,
                auth_via=who.via,
            )
        else:
            state["auth_via"] = None
        csrf = who.csrf_token if who is not None and who.csrf_token else None
        new_cookie = False
        if csrf is None:
            csrf = request.cookies.get(CSRF_COOKIE) or ""
            if not 20 <= len(csrf) <= 100:
                csrf, new_cookie = secrets.token_hex(32), True
        state["csrf_token"] = csrf
        if not new_cookie:
            await self.app(scope, receive, send)
            return

        secure = _secure(scope, settings)

        async def send_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and state.get("csrf_used"):
                cookie = cookie_header(CSRF_COOKIE, csrf, secure=secure)
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
            await send(message)

        await self.app(scope, receive, send_cookie)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, message: str, api: bool = False
    ) -> None:
        """401 JSON for the API (and any request with a bad token); a page visit is sent to
        the sign-in page, with the way back."""
        path: str = scope["path"]
        if api or path.startswith(API_PREFIX):
            response: Response = JSONResponse(
                {"detail": message, "field": None},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="trailmix"'},
            )
        else:
            query = scope.get("query_string", b"").decode("latin-1")
            back = path + (f"?{query}" if query else "")
            target = "/login"
            if scope["method"] == "GET" and back not in ("/", ""):
                target += "?next=" + quote(back, safe="")
            response = RedirectResponse(target, status_code=303)
        await response(scope, receive, send)


def signed_in(request: Request) -> SignedIn | None:
    """The signed-in user of a multi-user server (None in single-user mode or signed out)."""
    state = request.state
    if getattr(state, "auth_via", None) not in ("session", "token"):
        return None
    return SignedIn(state.user_id, state.login, state.display_name, state.role, state.auth_via)


# --- CSRF -------------------------------------------------------------------------------------


def _from_a_browser(request: Request) -> bool:
    """A browser says where a request comes from (Origin, Sec-Fetch-*) or sends this app's
    cookies; programs (curl, scripts) do neither."""
    h = request.headers
    return bool(
        h.get("origin")
        or h.get("sec-fetch-site")
        or h.get("sec-fetch-mode")
        or request.cookies.get(CSRF_COOKIE)
        or request.cookies.get(SESSION_COOKIE)
    )


async def verify_csrf(request: Request) -> None:
    """Refuse (403) a state-changing request from a browser without this page's token."""
    if request.method in SAFE_METHODS:
        return
    state = request.state
    via = getattr(state, "auth_via", None)
    if via == "token":
        return
    if not getattr(state, "multi_user", False) and not _from_a_browser(request):
        return
    if via == "session":
        expected = getattr(state, "csrf_token", "")
    else:
        expected = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    kind = request.headers.get("content-type", "")
    if not sent and kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    if not expected or not sent or not secrets.compare_digest(sent, expected):
        raise AuthError(CSRF_REFUSED, 403, CSRF_FIELD)


@pass_context
def csrf_field(context: Any) -> Markup:
    """The hidden form field with this page's CSRF token (`{{ csrf_field() }}` in every
    form that posts)."""
    return Markup(
        f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(csrf_token(context))}">'
    )


@pass_context
def csrf_token(context: Any) -> str:
    """This page's CSRF token (for the `csrf-token` meta tag the scripts read)."""
    request: Request = context["request"]
    state = request.state
    state.csrf_used = True
    token: str = getattr(state, "csrf_token", "")
    return token


@pass_context
def current_user(context: Any) -> SignedIn | None:
    return signed_in(context["request"])


def register_globals(env: Environment) -> None:
    env.globals["csrf_field"] = csrf_field
    env.globals["csrf_token"] = csrf_token
    env.globals["current_user"] = current_user


# --- the sign-in page, signing out, the account page --------------------------------------------


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another site: an open
    redirect would let a link to /login send people anywhere)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith(("/login", "/logout")):
        return "/"
    return value


router = APIRouter(include_in_schema=False)


def _templates(request: Request) -> Any:
    return request.app.state.templates


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _db(request: Request) -> Store:
    db: Store = request.app.state.db
    return db


def _login_page(
    request: Request, next_url: str, error: str | None = None, status: int = 200, login: str = ""
) -> HTMLResponse:
    response: HTMLResponse = _templates(request).TemplateResponse(
        request,
        "login.html",
        {"next": safe_next(next_url), "error": error, "login": login},
        status_code=status,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    if not _settings(request).multi_user or signed_in(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next)


@router.post("/login")
def login(
    request: Request,
    login: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    settings = _settings(request)
    if not settings.multi_user:
        return RedirectResponse("/", status_code=303)
    address = request.client.host if request.client else "unknown"
    try:
        account = accounts.sign_in(_db(request), login, password, address)
    except SignInError as exc:
        return _login_page(request, next, exc.message, exc.status, login)
    session = accounts.open_session(_db(request), account.id)
    response = RedirectResponse(safe_next(next), status_code=303)
    _set_session_cookie(request, response, session)
    return response


def _set_session_cookie(request: Request, response: Response, session: Any) -> None:
    lifetime = int(accounts.SESSION_LIFETIME.total_seconds())
    secure = _secure(request.scope, _settings(request))
    response.raw_headers.append(
        (
            b"set-cookie",
            cookie_header(SESSION_COOKIE, session.cookie, secure=secure, max_age=lifetime),
        )
    )
    # the pre-login token is not needed any more: the session has its own
    response.raw_headers.append(
        (b"set-cookie", cookie_header(CSRF_COOKIE, "", secure=secure, max_age=0))
    )


@router.post("/logout")
def logout(request: Request) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    if cookie:
        accounts.close_session(_db(request), cookie)
    response = RedirectResponse("/login" if _settings(request).multi_user else "/", 303)
    secure = _secure(request.scope, _settings(request))
    response.raw_headers.append(
        (b"set-cookie", cookie_header(SESSION_COOKIE, "", secure=secure, max_age=0))
    )
    return response


def _me(request: Request) -> SignedIn:
    who = signed_in(request)
    if who is None:
        raise NotFoundError(
            "accounts exist on a multi-user server only (trailmix serve --multi-user); this "
            "trailmix has one local runner and no login."
        )
    return who


def _account_page(
    request: Request,
    *,
    new_token: str | None = None,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    who = signed_in(request)
    db = _db(request)
    context: dict[str, Any] = {
        "who": who,
        "account": accounts.get_account(db, who.user_id) if who else None,
        "tokens": accounts.tokens_of(db, who.user_id) if who else [],
        "new_token": new_token,
        "message": message,
        "error": error,
        "min_length": accounts.MIN_PASSWORD_LENGTH,
    }
    response: HTMLResponse = _templates(request).TemplateResponse(
        request, "account.html", context, status_code=status
    )
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, changed: bool = False) -> HTMLResponse:
    return _account_page(request, message="Your password was changed." if changed else None)


@router.post("/account/tokens", response_class=HTMLResponse)
def account_token(request: Request, name: Annotated[str, Form(max_length=200)] = "") -> Response:
    who = _me(request)
    try:
        _made, token = accounts.create_token(_db(request), who.user_id, name)
    except TrailmixError as exc:
        return _account_page(request, error=exc.message, status=400)
    return _account_page(request, new_token=token, status=201)


@router.post("/account/tokens/{token_id}/revoke")
def account_revoke(request: Request, token_id: int) -> Response:
    who = _me(request)
    accounts.revoke_token(_db(request), who.user_id, token_id=token_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password", response_class=HTMLResponse)
def account_password(
    request: Request,
    current: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)] = "",
    new: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)] = "",
    again: Annotated[str, Form(max_length=accounts.MAX_PASSWORD_LENGTH)] = "",
) -> Response:
    who = _me(request)
    if new != again:
        return _account_page(request, error="the two new passwords differ.", status=400)
    try:
        accounts.change_password(_db(request), who.user_id, current, new)
    except TrailmixError as exc:
        return _account_page(request, error=exc.message, status=400)
    # every session of this user ended (a stolen cookie too): this browser signs in afresh
    session = accounts.open_session(_db(request), who.user_id)
    response = RedirectResponse("/account?changed=1", status_code=303)
    _set_session_cookie(request, response, session)
    return response
