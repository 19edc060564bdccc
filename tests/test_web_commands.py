"""`breachscope serve` and `breachscope user`: thin commands over the library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from breachscope.store import connect
from breachscope.web.accounts import AccountError, add_user, authenticate
from breachscope.web.commands import serve, user
from web_fixtures import CASE_TOML


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    (tmp_path / "case.toml").write_text(CASE_TOML, encoding="utf-8")
    return tmp_path


def test_user_add_from_stdin_and_list(case_dir: Path) -> None:
    r = CliRunner().invoke(
        user,
        ["add", str(case_dir), "Alice", "--role", "reviewer", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    assert r.exit_code == 0, r.output
    assert "user 'alice' added with role reviewer" in r.output
    r = CliRunner().invoke(user, ["list", str(case_dir)])
    assert "alice\treviewer" in r.output
    con = connect(case_dir / "case.duckdb")
    try:
        assert authenticate(con, "alice", "a long enough passphrase") is not None
        assert authenticate(con, "alice", "wrong") is None
        assert authenticate(con, "nobody", "a long enough passphrase") is None
        hashed = con.execute("SELECT password_hash FROM web_users").fetchone()
        assert hashed and str(hashed[0]).startswith("$argon2id$")
        assert con.execute("SELECT action, target FROM audit_log").fetchall() == [
            ("user_add", "alice")
        ]
    finally:
        con.close()


def test_user_add_prompts(case_dir: Path) -> None:
    r = CliRunner().invoke(
        user, ["add", str(case_dir), "bob"], input="another passphrase\nanother passphrase\n"
    )
    assert r.exit_code == 0 and "role viewer" in r.output


@pytest.mark.parametrize(
    ("name", "password", "role", "fragment"),
    [
        ("ok-name", "short", "viewer", "too short"),
        ("bad name!", "a long enough passphrase", "viewer", "invalid user name"),
        ("ok-name", "a long enough passphrase", "root", "unknown role"),
    ],
)
def test_account_rules(case_dir: Path, name: str, password: str, role: str, fragment: str) -> None:
    con = connect(case_dir / "case.duckdb")
    try:
        with pytest.raises(AccountError, match=fragment):
            add_user(con, name, password, role)
        add_user(con, "dup", "a long enough passphrase", "viewer")
        with pytest.raises(AccountError, match="already exists"):
            add_user(con, "dup", "a long enough passphrase", "viewer")
    finally:
        con.close()


def test_serve_binds_localhost_and_needs_an_account(
    case_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    r = CliRunner().invoke(serve, [str(case_dir)])
    assert r.exit_code != 0 and "no web accounts yet" in r.output
    CliRunner().invoke(
        user,
        ["add", str(case_dir), "admin", "--role", "admin", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    r = CliRunner().invoke(serve, [str(case_dir), "--port", "9999"])
    assert r.exit_code == 0, r.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 9999
    assert seen["access_log"] is False
    r = CliRunner().invoke(serve, [str(case_dir), "--host", "0.0.0.0"])
    assert "warning: listening on 0.0.0.0" in r.output


def test_commands_are_click_objects() -> None:
    assert isinstance(serve, click.Command) and isinstance(user, click.Group)
    assert set(user.commands) == {"add", "list"}
