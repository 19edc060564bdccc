"""The app factory, its middleware, the one error handler, and login/logout."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import FastAPI, Form, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from breachscope.case import Case
from breachscope.web import routes_main, routes_review
from breachscope.web.accounts import authenticate, get_user
from breachscope.web.deps import (
    CsrfDep,
    CsrfFailed,
    DbDep,
    Forbidden,
    NotLoggedIn,
    SessionDep,
    Web,
    audit_event,
    client_ip,
    get_web,
    is_htmx,
    make_templates,
    render,
)
from breachscope.web.queries import LetterIndex
from breachscope.web.security import (
    LOGIN_COOKIE,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    LoginTokens,
    RateLimiter,
    SessionStore,
    safe_next,
)
from breachscope.web.store import StoreAccess, StoreBusy

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
DEFAULT_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]", "testserver")

# The only words an error page says: fixed per status, never the exception's text.
ERROR_TEXT: dict[int, tuple[str, str]] = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "Your role does not allow this, or the form was out of date."),
    404: ("Not found", "There is nothing at this address."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    422: ("Bad request", "Some of the values sent were not valid."),
    429: ("Too many attempts", "Too many failed logins. Wait a few minutes and try again."),
    500: ("Something went wrong", "The error has been logged without any data values."),
    503: ("Busy", "A pipeline stage is using the case store. This page will retry shortly."),
}


def create_app(
    case: Case,
    *,
    secret: bytes | None = None,
    idle_minutes: float = 30,
    secure_cookies: bool = False,
    allowed_hosts: Sequence[str] = DEFAULT_HOSTS,
    rate_limiter: RateLimiter | None = None,
    store_wait_seconds: float = 1.5,
) -> FastAPI:
    """The review web app for one case.

    ``secret`` signs session and login cookies; by default a fresh random one per process
    (sessions do not survive a restart, which is what a tool holding PHI wants).
    """
    key = secret or secrets.token_bytes(32)
    web = Web(
        case=case,
        store=StoreAccess.for_case(case, wait_seconds=store_wait_seconds),
        sessions=SessionStore(key, idle=idle_minutes * 60),
        login_tokens=LoginTokens(key),
        limiter=rate_limiter or RateLimiter(),
        templates=make_templates(),
        letters=LetterIndex(case.out_dir),
        secure_cookies=secure_cookies,
        client_names={c.id: c.name for c in case.clients},
    )
    app = FastAPI(
        title="breachscope",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.web = web

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception as exc:
            # Type only: the message may quote a data value.
            log.error("error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
            response = error_page(request, 500)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        log.info(
            "%s %s %s %.0fms",
            request.method,
            request.url.path,  # never the query string: searches hold names
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response

    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    async def on_http(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
        # No route ran (unknown address): logged-out users still see only the login page.
        if getattr(request.state, "user", None) is None and not _attach_user(request):
            return await on_login(request, NotLoggedIn())
        return error_page(request, code)

    async def on_validation(request: Request, exc: Exception) -> Response:
        # Validation errors echo the input, which may be PHI: say only that it was bad.
        return error_page(request, 422)

    async def on_login(request: Request, exc: Exception) -> Response:
        expired = isinstance(exc, NotLoggedIn) and exc.expired
        target = "/login" + ("?expired=1" if expired else "")
        if request.method == "GET":
            nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            if nxt != "/":
                target += ("&" if "?" in target else "?") + "next=" + quote(nxt, safe="")
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target})
        resp = RedirectResponse(target, status_code=303)
        if expired:
            resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    async def on_forbidden(request: Request, exc: Exception) -> Response:
        return error_page(request, 403)

    async def on_busy(request: Request, exc: Exception) -> Response:
        return error_page(request, 503)

    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(NotLoggedIn, on_login)
    app.add_exception_handler(Forbidden, on_forbidden)
    app.add_exception_handler(CsrfFailed, on_forbidden)
    app.add_exception_handler(StoreBusy, on_busy)

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    _login_routes(app)
    app.include_router(routes_main.router)
    app.include_router(routes_review.router)
    return app


def error_page(request: Request, status: int) -> HTMLResponse:
    """The one error page: a fixed title and sentence per status; no traceback, no data."""
    title, text = ERROR_TEXT.get(status, ERROR_TEXT[500] if status >= 500 else ERROR_TEXT[400])
    try:
        resp = render(
            request,
            "error.html",
            {"status": status, "title": title, "text": text, "nav": ""},
            status_code=status,
        )
    except Exception as exc:  # the template itself failed: fall back to plain text
        log.error("error page failed: %s", type(exc).__name__)
        resp = HTMLResponse(f"<h1>{status} {title}</h1><p>{text}</p>", status_code=status)
    if status == 503:
        resp.headers["Retry-After"] = "5"
    return resp


def _attach_user(request: Request) -> bool:
    """Find the user behind a request that no route handled; False when logged out."""
    web = get_web(request)
    session = web.sessions.get(request.cookies.get(SESSION_COOKIE))
    if session is None:
        return False
    try:
        with web.store.open() as con:
            user = get_user(con, session.username)
    except StoreBusy:
        return False
    if user is None:
        return False
    request.state.user = user
    request.state.csrf = session.csrf
    return True


def _login_routes(app: FastAPI) -> None:
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/", expired: str = "") -> Response:
        web = get_web(request)
        if web.sessions.get(request.cookies.get(SESSION_COOKIE)) is not None:
            return RedirectResponse(safe_next(next), status_code=303)
        return _login_page(
            request, next, "Your session ended. Please log in again." if expired else ""
        )

    @app.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        con: DbDep,
        username: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=1024)] = "",
        login_token: Annotated[str, Form(max_length=128)] = "",
        next: Annotated[str, Form(max_length=2048)] = "/",
    ) -> Response:
        web = get_web(request)
        if not web.login_tokens.check(request.cookies.get(LOGIN_COOKIE), login_token):
            return _login_page(request, next, "The form expired. Please try again.", 403)
        name = username.strip().lower()
        addr = client_ip(request)
        if web.limiter.blocked(name, addr):
            audit_event(request, con, name or "-", "login_blocked", name, "rate limit")
            return _login_page(request, next, ERROR_TEXT[429][1], 429)
        user = authenticate(con, name, password)
        if user is None:
            web.limiter.failure(name, addr)
            audit_event(request, con, name or "-", "login_failed", name)
            return _login_page(request, next, "Wrong user name or password.", 401)
        web.limiter.success(name, addr)
        _session, cookie = web.sessions.create(user.username)
        audit_event(request, con, user, "login", user.username, f"role={user.role}")
        resp = RedirectResponse(safe_next(next), status_code=303)
        resp.set_cookie(
            SESSION_COOKIE,
            cookie,
            httponly=True,
            samesite="strict",
            secure=web.secure_cookies,
            path="/",
        )
        resp.delete_cookie(LOGIN_COOKIE, path="/login")
        return resp

    @app.post("/logout", dependencies=[CsrfDep])
    def logout(request: Request, session: SessionDep, con: DbDep) -> Response:
        web = get_web(request)
        web.sessions.drop(session.sid)
        audit_event(request, con, session.username, "logout", session.username)
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp


def _login_page(request: Request, nxt: str, message: str, status: int = 200) -> Response:
    web = get_web(request)
    token, cookie = web.login_tokens.issue(request.cookies.get(LOGIN_COOKIE))
    resp = render(
        request,
        "login.html",
        {"login_token": token, "next": safe_next(nxt), "message": message, "user": None},
        status_code=status,
    )
    if cookie is not None:
        resp.set_cookie(
            LOGIN_COOKIE,
            cookie,
            httponly=True,
            samesite="strict",
            secure=web.secure_cookies,
            path="/login",
            max_age=3600,
        )
    return resp
