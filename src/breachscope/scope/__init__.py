"""Scope: what did the intruder actually touch?

Access logs in, an accessed set out. The public names live here; the modules behind them
may move.
"""

from __future__ import annotations

from breachscope.scope.accessed import (
    AccessedSet,
    FileAccess,
    FileScope,
    ScopeReport,
    compute_accessed_set,
    read_logs,
)
from breachscope.scope.config import ScopeConfig, parse_scope
from breachscope.scope.logs import FORMAT_NAMES, detect_formats, read_log
from breachscope.scope.model import ACTIONS, Access, LogResult

__all__ = [
    "ACTIONS",
    "FORMAT_NAMES",
    "Access",
    "AccessedSet",
    "FileAccess",
    "FileScope",
    "LogResult",
    "ScopeConfig",
    "ScopeReport",
    "compute_accessed_set",
    "detect_formats",
    "parse_scope",
    "read_log",
    "read_logs",
]
