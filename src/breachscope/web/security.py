"""Sessions, CSRF tokens, login rate limiting and security headers.

Sessions live in server memory; the browser holds only a signed, random session id in an
HttpOnly, SameSite=Strict cookie. A session ends after ``idle`` without a request, after
``lifetime`` in any case, on logout, and when the server restarts.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from itsdangerous import BadSignature, Signer

SESSION_COOKIE = "bs_session"
LOGIN_COOKIE = "bs_login"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


@dataclass
class Session:
    sid: str
    username: str
    csrf: str
    created: float
    last_seen: float


@dataclass
class SessionStore:
    """In-memory sessions keyed by a random id, signed in the cookie."""

    secret: bytes
    idle: float = 30 * 60
    lifetime: float = 12 * 3600
    _sessions: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._signer = Signer(self.secret, salt="breachscope.session")

    def create(self, username: str) -> tuple[Session, str]:
        """A new session and the cookie value that names it."""
        now = time.time()
        s = Session(secrets.token_urlsafe(32), username, secrets.token_urlsafe(32), now, now)
        with self._lock:
            self._expire(now)
            self._sessions[s.sid] = s
        return s, self._signer.sign(s.sid).decode("ascii")

    def get(self, cookie: str | None) -> Session | None:
        """The live session for a cookie, touched; None when absent, forged or expired."""
        if not cookie:
            return None
        try:
            sid = self._signer.unsign(cookie).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            return None
        now = time.time()
        with self._lock:
            s = self._sessions.get(sid)
            if s is None:
                return None
            if now - s.last_seen > self.idle or now - s.created > self.lifetime:
                del self._sessions[sid]
                return None
            s.last_seen = now
            return s

    def drop(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)

    def drop_user(self, username: str) -> None:
        with self._lock:
            for sid in [k for k, v in self._sessions.items() if v.username == username]:
                del self._sessions[sid]

    def _expire(self, now: float) -> None:
        dead = [
            k
            for k, v in self._sessions.items()
            if now - v.last_seen > self.idle or now - v.created > self.lifetime
        ]
        for k in dead:
            del self._sessions[k]


class LoginTokens:
    """CSRF for the login form, before any session exists (double submit).

    The cookie holds a signed random nonce, kept while it is valid so that several login
    pages (tabs, a favicon redirect) share it; the form carries an HMAC of the nonce.
    """

    def __init__(self, secret: bytes, max_age: int = 3600) -> None:
        from itsdangerous import TimestampSigner

        self._key = secret
        self._signer = TimestampSigner(secret, salt="breachscope.login")
        self.max_age = max_age

    def _nonce(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            return self._signer.unsign(cookie, max_age=self.max_age).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            return None

    def _token(self, nonce: str) -> str:
        return hmac.new(self._key, b"login:" + nonce.encode("ascii"), "sha256").hexdigest()

    def issue(self, cookie: str | None = None) -> tuple[str, str | None]:
        """(token for the form, new cookie value or None to keep the current cookie)."""
        nonce = self._nonce(cookie)
        if nonce is not None:
            return self._token(nonce), None
        nonce = secrets.token_urlsafe(24)
        return self._token(nonce), self._signer.sign(nonce).decode("ascii")

    def check(self, cookie: str | None, submitted: str | None) -> bool:
        nonce = self._nonce(cookie)
        if nonce is None or not submitted:
            return False
        return hmac.compare_digest(self._token(nonce), submitted)


def csrf_ok(session: Session, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(session.csrf, submitted or "")


class RateLimiter:
    """Failed logins per (username, client address) in a sliding window.

    After ``max_failures`` failures within ``window`` seconds further attempts are refused
    until the oldest failure leaves the window. Also caps failures per address across all
    user names, so one address cannot spray passwords over many accounts.
    """

    def __init__(
        self, max_failures: int = 5, window: float = 15 * 60, max_per_address: int = 30
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.max_per_address = max_per_address
        self._fails: dict[tuple[str, str], deque[float]] = {}
        self._by_addr: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _trim(self, q: deque[float], now: float) -> None:
        while q and now - q[0] > self.window:
            q.popleft()

    def blocked(self, username: str, addr: str) -> bool:
        now = time.time()
        with self._lock:
            q = self._fails.get((username, addr))
            a = self._by_addr.get(addr)
            if q is not None:
                self._trim(q, now)
            if a is not None:
                self._trim(a, now)
            return (q is not None and len(q) >= self.max_failures) or (
                a is not None and len(a) >= self.max_per_address
            )

    def failure(self, username: str, addr: str) -> None:
        now = time.time()
        with self._lock:
            self._fails.setdefault((username, addr), deque()).append(now)
            self._by_addr.setdefault(addr, deque()).append(now)

    def success(self, username: str, addr: str) -> None:
        with self._lock:
            self._fails.pop((username, addr), None)


def safe_next(target: str | None) -> str:
    """A post-login redirect target inside this site only (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
