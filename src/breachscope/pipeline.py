"""Runs the stages in order. Stages talk only through the store; this module only sequences.

Each stage is looked up lazily by name, so ``import breachscope`` stays light and a stage
can be run alone (``breachscope detect CASE``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from breachscope.case import Case
from breachscope.errors import BreachscopeError, StageError
from breachscope.progress import NullProgress, Progress
from breachscope.store import open_case_store, record_stage

log = logging.getLogger(__name__)

StageFn = Callable[[Case, duckdb.DuckDBPyConnection, Progress | None], dict[str, int]]


@dataclass(frozen=True)
class Stage:
    name: str
    module: str
    function: str
    summary: str

    def load(self) -> StageFn:
        mod = importlib.import_module(self.module)
        fn: StageFn = getattr(mod, self.function)
        return fn


STAGES: tuple[Stage, ...] = (
    Stage(
        "ingest",
        "breachscope.ingest",
        "run_ingest",
        "inventory the evidence and extract text and tables",
    ),
    Stage("detect", "breachscope.detect", "run_detect", "find personal and health information"),
    Stage("link", "breachscope.link", "run_link", "group findings into person mentions"),
    Stage(
        "resolve", "breachscope.resolve", "run_resolve", "de-duplicate mentions into individuals"
    ),
    Stage("assess", "breachscope.assess", "run_assess", "work out what the law requires"),
    Stage("notify", "breachscope.notify", "run_notify", "write the deliverables to out/"),
)
STAGE_NAMES = tuple(s.name for s in STAGES)


def stage(name: str) -> Stage:
    for s in STAGES:
        if s.name == name:
            return s
    raise StageError(f"unknown stage '{name}'", hint=f"use one of {', '.join(STAGE_NAMES)}")


def run_stage(
    case: Case,
    name: str,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Run one stage against the case store and record the run."""
    own = con is None
    c = con if con is not None else open_case_store(case)
    started = dt.datetime.now()
    try:
        fn = stage(name).load()
        log.info("stage %s: start", name)
        result = fn(case, c, progress or NullProgress())
        record_stage(c, name, started, "ok", _summary_text(result))
        log.info("stage %s: done %s", name, _summary_text(result))
        return result
    except BreachscopeError as exc:
        record_stage(c, name, started, "error", exc.message[:500])
        raise
    except Exception as exc:
        # Never the exception's message: it may quote evidence content.
        record_stage(c, name, started, "error", type(exc).__name__)
        raise
    finally:
        if own:
            c.close()


def run_all(
    case: Case,
    *,
    stages: tuple[str, ...] = STAGE_NAMES,
    progress: Progress | None = None,
) -> dict[str, dict[str, int]]:
    """Run the stages in order on one connection; each is idempotent and incremental."""
    results: dict[str, dict[str, int]] = {}
    con = open_case_store(case)
    try:
        for name in stages:
            results[name] = run_stage(case, name, con=con, progress=progress)
    finally:
        con.close()
    return results


def _summary_text(result: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in result.items())
