"""Local accounts: argon2id-hashed passwords and three roles."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from dataclasses import dataclass

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from breachscope.errors import BreachscopeError
from breachscope.web.store import StoreBusy, ensure_web_schema

ROLES = ("admin", "reviewer", "viewer")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.@-]{1,63}$")
MIN_PASSWORD = 12

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as long as a wrong
# password and response times do not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("breachscope-no-such-user")

# Each verification takes 64 MiB and several threads for a fraction of a second. A burst of
# logins (50 reviewers at nine, or someone hammering the form) would run them all at once:
# gigabytes of memory and every login late. A few at a time, the rest wait their turn.
VERIFY_SLOTS = max(1, (os.cpu_count() or 2) // 2)
VERIFY_WAIT_SECONDS = 60.0
_verify_slots = threading.BoundedSemaphore(VERIFY_SLOTS)


class AccountError(BreachscopeError):
    """A user cannot be added (bad name, weak password, unknown role, already exists)."""


@dataclass(frozen=True)
class User:
    username: str
    role: str

    @property
    def can_reveal(self) -> bool:
        """Reviewers and admins may reveal masked fields and download deliverables."""
        return self.role in ("admin", "reviewer")

    @property
    def can_decide(self) -> bool:
        return self.role in ("admin", "reviewer")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def add_user(con: duckdb.DuckDBPyConnection, username: str, password: str, role: str) -> User:
    """Create an account. Raises AccountError with a user message on any problem."""
    ensure_web_schema(con)
    name = username.strip().lower()
    if not USERNAME_RE.match(name):
        raise AccountError(
            f"invalid user name '{username}'",
            hint="2-64 characters: lower-case letters, digits, '.', '_', '-', '@'",
        )
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}'", hint=f"use one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            "password too short", hint=f"use at least {MIN_PASSWORD} characters (a passphrase)"
        )
    if get_user(con, name) is not None:
        raise AccountError(f"user '{name}' already exists")
    con.execute(
        "INSERT INTO web_users VALUES (?, ?, ?, ?)",
        [name, _hasher.hash(password), role, dt.datetime.now()],
    )
    return User(name, role)


def get_user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    row = con.execute(
        "SELECT username, role FROM web_users WHERE username = ?", [username]
    ).fetchone()
    return User(str(row[0]), str(row[1])) if row else None


def list_users(con: duckdb.DuckDBPyConnection) -> list[User]:
    rows = con.execute("SELECT username, role FROM web_users ORDER BY username").fetchall()
    return [User(str(r[0]), str(r[1])) for r in rows]


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str) -> User | None:
    """The user when the password is right, else None (same cost either way)."""
    name = username.strip().lower()
    row = con.execute(
        "SELECT username, role, password_hash FROM web_users WHERE username = ?", [name]
    ).fetchone()
    stored = str(row[2]) if row else _DUMMY_HASH
    if not _verify_slots.acquire(timeout=VERIFY_WAIT_SECONDS):
        raise StoreBusy("too many logins at once", hint="try again in a minute")
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    finally:
        _verify_slots.release()
    if row is None:
        return None
    if _hasher.check_needs_rehash(stored):
        con.execute(
            "UPDATE web_users SET password_hash = ? WHERE username = ?",
            [_hasher.hash(password), name],
        )
    return User(str(row[0]), str(row[1]))
