"""`create_app(settings)`: the FastAPI app with its pages, API, static files and the one
handler that turns a `TrailmixError` into a readable answer (JSON under /api, a page else)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trailmix.app.jobs import QueueError
from trailmix.app.store import open_store
from trailmix.errors import InputError, NotFoundError, TrailmixError
from trailmix.web import api, auth, pages, views
from trailmix.web.settings import Settings
from trailmix.web.uploads import UploadTooLargeError, too_large

HERE = Path(__file__).parent
API_PREFIX = "/api/"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
FORM_OVERHEAD = 1024 * 1024
"""Room for the multipart envelope and form fields around the files themselves."""


def status_of(exc: TrailmixError) -> int:
    status = getattr(exc, "status", None)  # auth.AuthError, accounts.SignInError: 401/403/429
    if isinstance(status, int):
        return status
    if isinstance(exc, UploadTooLargeError):
        return 413
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, QueueError):
        return 503
    return 400


def field_of(exc: TrailmixError) -> str | None:
    """The API field a CLI flag name stands for (`--race-date` -> `race_date`)."""
    if isinstance(exc, auth.AuthError):
        return exc.field
    option = exc.option if isinstance(exc, InputError) else None
    if not option:
        return None
    return option.lstrip("-").replace("-", "_").lower() if option.startswith("-") else option


def error_response(request: Request, exc: TrailmixError) -> Response:
    """The one place a domain error becomes an answer: JSON for the API, a page otherwise."""
    status = status_of(exc)
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse({"detail": exc.message, "field": field_of(exc)}, status_code=status)
    return error_page(request, views.web_error(exc).text, status)


def error_page(request: Request, message: str, status: int) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"message": message, "status": status, "back": views.back_link(request)},
        status_code=status,
    )


async def _handle(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TrailmixError)
    return error_response(request, exc)


HTTP_WORDS = {
    404: "There is no page at this address.",
    405: "This address takes a form, not a visit: go back to the page the form is on.",
}


async def _handle_http(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (an unknown URL, a wrong method): JSON under /api, a page for
    people elsewhere."""
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith(API_PREFIX) or exc.status_code not in HTTP_WORDS:
        body = {"detail": exc.detail, "field": None}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
    return error_page(request, HTTP_WORDS[exc.status_code], exc.status_code)


async def _handle_invalid(request: Request, exc: Exception) -> Response:
    """A form sent without a field the page needs (a file): a page for people; the API keeps
    FastAPI's 422 with the details for programs."""
    assert isinstance(exc, RequestValidationError)
    if request.url.path.startswith(API_PREFIX):
        return await request_validation_exception_handler(request, exc)
    names = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
    return error_page(request, f"the form was sent without: {', '.join(names)}.", 400)


class HeadAsGet:
    """HEAD answered for every page as GET is, without the body (monitors and link checkers
    ask with HEAD; FastAPI routes answer only the methods they name)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class UploadLimit:
    """Refuse a request body declared larger than the upload limit before it is read;
    `uploads.read_uploads` counts the bytes too, for bodies sent without a length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            length = headers.get(b"content-length", b"")
            if length.isdigit() and int(length) > self.limit + FORM_OVERHEAD:
                request = Request(scope, receive)
                response = error_response(request, too_large(int(length), self.limit))
                response.headers["Connection"] = "close"
                await response(scope, receive, send)
                return
            await self._counted(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A body sent without a length (chunked) is counted as it arrives: past the limit the
        413 is sent and the app sees the client gone, so the multipart parser stops reading
        (it spooled a 1 GB upload to disk in full before)."""
        seen = 0
        refused = False
        limit = self.limit + FORM_OVERHEAD

        async def counted_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request" and not refused:
                seen += len(message.get("body", b""))
                if seen > limit:
                    refused = True
                    response = error_response(Request(scope), too_large(seen, self.limit))
                    response.headers["Connection"] = "close"
                    await response(scope, receive, send)
            if refused:
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:  # after the 413, whatever the app answers is dropped
                await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not refused:
                raise


class SecurityHeaders:
    """A strict Content-Security-Policy (everything from this app itself), no sniffing, and
    a refusal of cross-site form posts (besides the CSRF token of web/auth.py; docs/web.md)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and not _same_origin(headers):
            request = Request(scope, receive)
            response = error_response(
                request, InputError("refused: a form sent from another site.", "Origin")
            )
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _same_origin(headers: dict[bytes, bytes]) -> bool:
    """A browser says where a request comes from (Sec-Fetch-Site, else Origin); programs
    that say nothing (curl, httpx, the test client) are let through."""
    site = headers.get(b"sec-fetch-site")
    if site is not None:
        return site in (b"same-origin", b"none")
    origin = headers.get(b"origin")
    if origin is None:
        return True
    return origin.split(b"://", 1)[-1] == headers.get(b"host", b"")


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    views.register_filters(env)
    auth.register_globals(env)
    return Jinja2Templates(env=env)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web app on `settings` (default: from the environment, as the CLI)."""
    settings = settings or Settings.from_env()
    db = open_store(settings.db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = FastAPI(
        title="trailmix",
        summary="Mix trail running into road-race training (rules R1-R12).",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: not served (offline).
        redoc_url=None,
        lifespan=lifespan,
        # every route, the coach's and the job queue's included: no cross-site form posts
        dependencies=[Depends(auth.verify_csrf)],
    )
    app.state.settings = settings
    app.state.db = db
    app.state.templates = make_templates()
    app.add_exception_handler(TrailmixError, _handle)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    app.add_exception_handler(RequestValidationError, _handle_invalid)
    app.add_middleware(UploadLimit, limit=settings.max_upload_bytes)
    app.add_middleware(auth.Authentication)  # request.state.user_id, before any body is read
    app.add_middleware(SecurityHeaders)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    app.add_middleware(HeadAsGet)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    app.include_router(auth.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
