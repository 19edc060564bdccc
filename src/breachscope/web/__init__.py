"""The review web app (``breachscope serve CASE``): see docs/web.md."""

from __future__ import annotations

from breachscope.web.app import create_app

__all__ = ["create_app"]
