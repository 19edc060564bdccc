"""What every route needs: the app's state, a store connection, the user, CSRF, rendering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import duckdb
import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from breachscope.case import Case
from breachscope.categories import ELEMENTS, PLAIN_WORDS
from breachscope.web import audit, masking
from breachscope.web.accounts import User, get_user
from breachscope.web.queries import LetterIndex
from breachscope.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    LoginTokens,
    RateLimiter,
    Session,
    SessionStore,
    csrf_ok,
)
from breachscope.web.store import StoreAccess

TEMPLATES = Path(__file__).parent / "templates"


class NotLoggedIn(Exception):
    """No live session: the handler sends the browser to the login page."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("login required")
        self.expired = expired


class Forbidden(Exception):
    """The user's role does not allow this."""


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


@dataclass
class Web:
    """Everything the routes share; one per app."""

    case: Case
    store: StoreAccess
    sessions: SessionStore
    login_tokens: LoginTokens
    limiter: RateLimiter
    templates: Jinja2Templates
    letters: LetterIndex
    secure_cookies: bool = False
    client_names: dict[str, str] = field(default_factory=dict)

    def client_name(self, client_id: str | None) -> str:
        if not client_id:
            return "(no client)"
        return self.client_names.get(client_id, client_id)


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(("html", "svg")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        mask=masking.mask,
        plain=masking.plain,
        PLAIN_WORDS=PLAIN_WORDS,
        ELEMENTS=ELEMENTS,
        FIELD_LABELS=masking.FIELD_LABELS,
    )
    env.filters["num"] = lambda n: f"{int(n or 0):,}"
    env.filters["pct"] = lambda x: f"{float(x) * 100:.1f} %"
    env.filters["when"] = _when
    env.filters["size"] = _size
    env.filters["fullname"] = full_name
    return Jinja2Templates(env=env)


def _when(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _size(n: Any) -> str:
    v = float(n or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if v < 1024 or unit == "GB":
            return f"{v:.0f} {unit}" if unit == "B" else f"{v:.1f} {unit}"
        v /= 1024
    return f"{v:.1f} GB"


def full_name(row: dict[str, Any]) -> str:
    """``Last, First M. Suffix`` from a record's name parts."""
    last = (row.get("last_name") or "").strip()
    first = " ".join(
        p for p in ((row.get("first_name") or ""), (row.get("middle_name") or "")) if p
    ).strip()
    suffix = (row.get("suffix") or "").strip()
    name = f"{last}, {first}" if last and first else last or first or "(no name)"
    return f"{name} {suffix}".strip()


def get_web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def get_db(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    with get_web(request).store.open() as con:
        yield con


WebDep = Annotated[Web, Depends(get_web)]
DbDep = Annotated[duckdb.DuckDBPyConnection, Depends(get_db)]


def get_session(request: Request) -> Session:
    web = get_web(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    s = web.sessions.get(cookie)
    if s is None:
        raise NotLoggedIn(expired=bool(cookie))
    return s


SessionDep = Annotated[Session, Depends(get_session)]


def get_user_dep(request: Request, session: SessionDep, con: DbDep) -> User:
    user = get_user(con, session.username)
    if user is None:  # removed since login
        get_web(request).sessions.drop(session.sid)
        raise NotLoggedIn()
    request.state.user = user
    request.state.csrf = session.csrf
    return user


UserDep = Annotated[User, Depends(get_user_dep)]


def require_reviewer(user: UserDep) -> User:
    if not user.can_decide:
        raise Forbidden()
    return user


def require_admin(user: UserDep) -> User:
    if not user.is_admin:
        raise Forbidden()
    return user


ReviewerDep = Annotated[User, Depends(require_reviewer)]
AdminDep = Annotated[User, Depends(require_admin)]


async def check_csrf(request: Request, session: SessionDep) -> None:
    """Every state-changing request carries the session's token (form field or header)."""
    token = request.headers.get(CSRF_HEADER)
    if not token:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
    if not csrf_ok(session, token):
        raise CsrfFailed()


CsrfDep = Depends(check_csrf)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    web = get_web(request)
    user: User | None = getattr(request.state, "user", None)
    ctx = {
        "user": user,
        "csrf": getattr(request.state, "csrf", ""),
        "case_name": web.case.incident.name or "breachscope case",
        "client_name": web.client_name,
        "nav": "",
        "flash": "",
        **context,
    }
    return web.templates.TemplateResponse(request, name, ctx, status_code=status_code)


def audit_event(
    request: Request,
    con: duckdb.DuckDBPyConnection,
    user: User | str,
    action: str,
    target: str = "",
    detail: str = "",
) -> None:
    name = user.username if isinstance(user, User) else user
    audit.record(con, name, action, target, detail, client_ip(request))
