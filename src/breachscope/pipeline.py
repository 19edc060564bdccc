"""Runs the stages in order. Stages talk only through the store; this module only sequences.

Each stage is looked up lazily by name, so ``import breachscope`` stays light and a stage
can be run alone (``breachscope detect CASE``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import signal
import threading
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
        _arm_test_kill(name)
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
    """Run the stages in order on one connection; each is idempotent and incremental.

    A run that ends with notify also snapshots its result and writes ``out/changes.json``
    (what changed since the previous run); its counts come back under ``"changes"``.
    """
    results: dict[str, dict[str, int]] = {}
    con = open_case_store(case)
    try:
        for name in stages:
            results[name] = run_stage(case, name, con=con, progress=progress)
        if "notify" in stages:
            results["changes"] = _report_changes(case, con)
    finally:
        con.close()
    return results


def _report_changes(case: Case, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Snapshot this run's result and write out/changes.json against the previous run."""
    from breachscope.changes import change_report, take_snapshot, write_change_report

    report = change_report(con, take_snapshot(con))
    write_change_report(case.out_dir, report)
    log.info("changes since the previous run: %s", _summary_text(report.counts()))
    return {**report.counts(), "first_run": int(report.first_run)}


KILL_ENV = "BREACHSCOPE_TEST_KILL_AT"


def _arm_test_kill(name: str) -> None:
    """Crash-safety tests: ``BREACHSCOPE_TEST_KILL_AT=stage:seconds`` SIGKILLs the process
    that many seconds into that stage, as a power cut would (tests/test_crash_safety.py)."""
    spec = os.environ.get(KILL_ENV, "")
    target, _, delay = spec.partition(":")
    if target != name:
        return
    timer = threading.Timer(float(delay or 0), os.kill, (os.getpid(), signal.SIGKILL))
    timer.daemon = True
    timer.start()


def _summary_text(result: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in result.items())
