"""The review web app (``breachscope serve CASE``): see docs/web.md.

``create_app`` is imported on first use: the CLI registers ``serve`` and ``user`` from
:mod:`breachscope.web.commands`, and every spawned pool worker re-imports the CLI, so
loading FastAPI and the routes here would cost each worker seconds for nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from breachscope.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from breachscope.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
