"""The ``serve`` command and the ``user`` group, for the lead to register on the CLI.

Both are thin: they load the case, call the library, and print one line.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import click

from breachscope.case import Case


def _load(case_path: Path) -> Case:
    from breachscope.case import load_case

    # The app reads the store, not the evidence: it may have moved since the run.
    return load_case(case_path, check_evidence=False)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.argument("case_path", metavar="CASE", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--idle-minutes",
    default=30,
    show_default=True,
    type=float,
    help="Log a session out after this long without a request.",
)
@click.option(
    "--secure-cookies",
    is_flag=True,
    help="Mark cookies Secure (use when a TLS proxy sits in front of the app).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    help="Extra Host header value to accept (the name a proxy forwards). Repeatable.",
)
def serve(
    case_path: Path,
    host: str,
    port: int,
    idle_minutes: float,
    secure_cookies: bool,
    allow_hosts: tuple[str, ...],
) -> None:
    """Run the review web app for a case (localhost only unless --host says otherwise)."""
    import uvicorn

    from breachscope.web.accounts import list_users
    from breachscope.web.app import DEFAULT_HOSTS, create_app
    from breachscope.web.store import StoreAccess

    case = _load(case_path)
    with StoreAccess.for_case(case, linger=0).open() as con:
        if not list_users(con):
            raise click.ClickException(
                "no web accounts yet: create one with "
                f"'breachscope user add {case_path} NAME --role admin'"
            )
    if not _is_loopback(host):
        click.secho(
            f"warning: listening on {host}: anyone who can reach this address sees the login "
            "page. Put TLS in front and use --secure-cookies.",
            fg="yellow",
            err=True,
        )
    hosts = (*DEFAULT_HOSTS, host, *allow_hosts)
    app = create_app(
        case, idle_minutes=idle_minutes, secure_cookies=secure_cookies, allowed_hosts=hosts
    )
    click.echo(f"breachscope web app on http://{host}:{port}/  (Ctrl+C to stop)")
    # No access log: request lines carry search terms, which can be names.
    uvicorn.run(
        app, host=host, port=port, access_log=False, server_header=False, log_level="warning"
    )


@click.group()
def user() -> None:
    """Web app accounts: admin, reviewer, viewer."""


@user.command("add")
@click.argument("case_path", metavar="CASE", type=click.Path(path_type=Path))
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["admin", "reviewer", "viewer"]),
    default="viewer",
    show_default=True,
    help="admin: everything; reviewer: reveal, decide, QC; viewer: read masked.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(case_path: Path, username: str, role: str, password_stdin: bool) -> None:
    """Create a web account (the password is prompted for, or read from stdin)."""
    from breachscope.web.accounts import add_user
    from breachscope.web.audit import record
    from breachscope.web.store import StoreAccess

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    case = _load(case_path)
    with StoreAccess.for_case(case, linger=0).open() as con:
        u = add_user(con, username, password, role)
        record(con, "cli", "user_add", u.username, f"role={u.role}")
    click.echo(f"user '{u.username}' added with role {u.role}")


@user.command("list")
@click.argument("case_path", metavar="CASE", type=click.Path(path_type=Path))
def user_list(case_path: Path) -> None:
    """List web accounts and their roles."""
    from breachscope.web.accounts import list_users
    from breachscope.web.store import StoreAccess

    case = _load(case_path)
    with StoreAccess.for_case(case, linger=0).open() as con:
        for u in list_users(con):
            click.echo(f"{u.username}\t{u.role}")
