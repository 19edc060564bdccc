"""The ingest stage: evidence tree → ``files`` inventory, ``documents`` and ``table_rows``."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import shutil
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from breachscope.case import Case
from breachscope.ingest.model import FAILED, PROCESSED, Member, Outcome, Task
from breachscope.ingest.options import IngestOptions
from breachscope.ingest.pool import Event, Pool
from breachscope.ingest.scoping import (
    OUT_OF_SCOPE,
    TABLES_META,
    accessed_set,
    restrict_tables,
    store_access,
    tables_signature,
    write_reports,
)
from breachscope.ingest.walk import walk
from breachscope.ingest.worker import WorkerConfig, failed
from breachscope.ingest.writer import FileRow, IngestWriter, Known, remove_parts
from breachscope.progress import NullProgress, Progress
from breachscope.store.db import stable_id

log = logging.getLogger(__name__)

MiB = 1024 * 1024


@dataclass
class _Archive:
    """An archive whose own row waits until all its members are written."""

    task: Task
    outcome: Outcome
    pending: int


@dataclass
class _Run:
    case: Case
    writer: IngestWriter
    opts: IngestOptions
    known: dict[str, Known]
    tasks: deque[Task] = field(default_factory=deque)
    parent: dict[int, int] = field(default_factory=dict)  # task key -> archive task key
    archives: dict[int, _Archive] = field(default_factory=dict)
    hashes: dict[int, tuple[str, int]] = field(default_factory=dict)
    budget: dict[int, int] = field(default_factory=dict)  # root task key -> bytes left
    root: dict[int, int] = field(default_factory=dict)  # task key -> root task key
    stats: Counter[str] = field(default_factory=Counter)
    next_key: int = 0
    # Finished files waiting to be written together (one transaction per batch).
    batch: list[tuple[FileRow, Outcome | None, bool]] = field(default_factory=list)
    batch_bytes: int = 0
    batch_since: float = 0.0

    def key(self) -> int:
        self.next_key += 1
        return self.next_key


PASSWORDS_KEY = "ingest.passwords"


def _passwords_fingerprint(passwords: tuple[str, ...]) -> str:
    """Which passwords were tried (a salted digest, never the passwords themselves)."""
    h = hashlib.sha256(b"breachscope-ingest-passwords")
    for p in sorted(passwords):
        h.update(b"\x1f" + p.encode("utf-8"))
    return h.hexdigest()


def _workers(case: Case, opts: IngestOptions) -> int:
    n = opts.workers if opts.workers is not None else case.settings.workers
    return n if n and n > 0 else (os.cpu_count() or 1)


def _memory_share(workers: int) -> int:
    """Address space per worker (MiB): most of the RAM split between workers, 2-16 GiB.

    A parser that blows past it gets a MemoryError and fails its file instead of the
    machine swapping; address space, not RSS, is what the OS can cap.
    """
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // MiB
    except (ValueError, OSError, AttributeError):
        return 0
    return int(min(16 * 1024, max(2 * 1024, total * 0.7 / max(1, workers))))


def _time_limit(task: Task, opts: IngestOptions) -> float:
    lim = opts.limits
    return lim.time_base + lim.time_per_mib * (task.size / MiB)


def run_ingest(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    progress: Progress | None = None,
    *,
    options: IngestOptions | None = None,
) -> dict[str, int]:
    """Inventory and read every evidence file into the case store.

    Walks ``case.evidence`` (never writing to it, never following symlinks), types each
    file by content, reads it with the reader for its type in a pool of worker processes,
    and writes ``files``, ``documents`` and ``table_rows``. Re-running reads only new or
    changed files. With a ``[scope]`` table, files the intruder did not view or copy are
    inventoried as ``out_of_scope`` without being read (see ``ingest.scoping``). Returns
    the inventory's counts by status (``processed``, ``skipped``, ``failed``,
    ``out_of_scope``) plus ``ingested`` (files and members written by this run) and
    ``unchanged`` (files on disk left as they were).
    """
    opts = options or IngestOptions()
    progress = progress or NullProgress()
    writer = IngestWriter(con)
    root = case.evidence.resolve()
    store = case.store_path
    tmp_root = store.parent / f".{store.name}.ingest-tmp"
    work_dir = tmp_root / uuid.uuid4().hex
    exclude = [store, Path(f"{store}.wal"), tmp_root, case.out_dir, case.path]
    entries = walk(root, exclude)
    known = {} if opts.force else writer.known_files()
    # Files that failed as encrypted are tried again when the case's passwords change.
    secret = _passwords_fingerprint(case.settings.passwords)
    retry: set[str] = set()
    if case.settings.passwords and writer.get_meta(PASSWORDS_KEY) != secret:
        retry = writer.paths_with_encrypted_parts()
    run = _Run(case, writer, opts, known)
    # With [scope], only files the intruder viewed or copied are read (docs/scope.md).
    accessed = accessed_set(case, ((e.path, e.size) for e in entries if e.status is None))
    progress.start("ingest", len(entries))
    log.info("ingest: %d entries under the evidence root", len(entries))

    table_filters: dict[str, frozenset[str] | None] = {}
    for e in entries:
        if accessed is not None and e.status is None:
            st = accessed.status(e.path)
            if not st.in_scope:
                _out_of_scope(run, e.path, e.size, st.reason)
                progress.advance()
                continue
            table_filters[e.path] = st.tables
            # The accessed tables of a dump changed since it was read: read it again.
            if (writer.get_meta(TABLES_META + e.path) or "") != tables_signature(st.tables):
                retry.add(e.path)
        if e.status is not None:
            k = known.get(e.path)
            if k is not None and (k.status, k.reason) == (e.status, e.reason):
                run.stats["unchanged"] += 1
            else:
                kind = "symlink" if "link" in e.reason else "unknown"
                row = FileRow(
                    stable_id(e.path),
                    e.path,
                    None,
                    0,
                    None,
                    None,
                    kind,
                    e.status,
                    e.reason,
                    case.clients_for_path(e.path),
                    0,
                )
                _queue(run, row, None, replace=e.path in known)
            progress.advance()
            continue
        k = known.get(e.path)
        redo = k is None or k.sha256 is None or e.path in retry
        key = run.key()
        run.tasks.append(
            Task(
                key=key,
                path=e.path,
                source=str(e.abs),
                depth=0,
                parent_id=None,
                known_sha256=None if redo or k is None else k.sha256,
                budget=opts.limits.max_expanded,
                size=e.size,
            )
        )
        run.root[key] = key
        run.budget[key] = opts.limits.max_expanded

    n_workers = min(_workers(case, opts), max(1, len(run.tasks)))
    limits = opts.limits
    if limits.memory_mib is None:
        limits = dataclasses.replace(limits, memory_mib=_memory_share(n_workers))
    cfg = WorkerConfig(limits, tuple(case.settings.passwords), str(work_dir), opts.fast_csv)
    try:
        if run.tasks:
            with Pool(n_workers, cfg, opts.start_method, opts.tasks_per_worker) as pool:
                _drive(run, pool, progress)
        _flush(run)
        for path, tables in table_filters.items():
            restrict_tables(con, path, tables)
            writer.set_meta(TABLES_META + path, tables_signature(tables))
        writer.set_meta(PASSWORDS_KEY, secret)
        store_access(con, accessed)
        write_reports(case, accessed)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            tmp_root.rmdir()
        progress.done()
    summary: dict[str, int] = {"processed": 0, "skipped": 0, "failed": 0}
    summary.update(writer.counts())
    summary["ingested"] = run.stats["ingested"]
    summary["unchanged"] = run.stats["unchanged"]
    log.info("ingest: %s", ", ".join(f"{k} {v}" for k, v in summary.items()))
    return summary


def _out_of_scope(run: _Run, path: str, size: int, reason: str) -> None:
    """Inventory a file the intruder did not view or copy, without reading it.

    A file read by an earlier run (scope shrank) loses its documents, rows, findings and
    archive members first.
    """
    k = run.known.get(path)
    if k is not None and (k.status, k.reason) == (OUT_OF_SCOPE, reason):
        run.stats["unchanged"] += 1
        return
    if k is not None and k.status != OUT_OF_SCOPE:
        _flush(run)  # queued rows go in before anything is deleted
        run.writer.forget(path)
        k = None
    row = FileRow(
        stable_id(path),
        path,
        None,
        0,
        size,
        None,
        "unknown",
        OUT_OF_SCOPE,
        reason,
        run.case.clients_for_path(path),
        0,
    )
    _queue(run, row, None, replace=k is not None)


def _drive(run: _Run, pool: Pool, progress: Progress) -> None:
    while run.tasks or pool.busy:
        for w in pool.idle():
            if not run.tasks:
                break
            task = run.tasks.popleft()
            pool.submit(w, task, _time_limit(task, run.opts))
        for ev in pool.poll():
            _handle(run, ev, progress)
        if run.batch and time.monotonic() - run.batch_since >= BATCH_SECONDS:
            _flush(run)
    _flush(run)


def _handle(run: _Run, ev: Event, progress: Progress) -> None:
    task = ev.task
    if ev.kind == "hash":
        run.hashes[task.key] = ev.data
        return
    if ev.kind == "requeue":
        run.tasks.appendleft(task)
        return
    if ev.kind == "lost":
        sha, size = run.hashes.get(task.key, (None, None))
        outcome = failed(task, str(ev.data), sha, size)
    else:
        outcome = ev.data
    run.hashes.pop(task.key, None)
    if task.temporary:
        Path(task.source).unlink(missing_ok=True)
    if task.depth == 0:
        progress.advance()
    if outcome.unchanged:
        run.stats["unchanged"] += 1
        _finished(run, task.key)
        return
    if (outcome.detected_type == "zip" and outcome.status != FAILED) or outcome.members:
        _archive(run, task, outcome)
        return
    replace = task.depth == 0 and task.path in run.known
    if replace:
        _flush(run)
        run.writer.forget_members(task.path)  # it may have been an archive before
    _write(run, task, outcome, replace)
    _finished(run, task.key)


def _row(run: _Run, task: Task, outcome: Outcome) -> FileRow:
    return FileRow(
        file_id=outcome.file_id,
        path=task.path,
        parent_id=task.parent_id,
        depth=task.depth,
        size=outcome.size,
        sha256=outcome.sha256,
        detected_type=outcome.detected_type or "unknown",
        status=outcome.status,
        reason=outcome.reason,
        client_ids=run.case.clients_for_path(task.path),
        n_documents=outcome.n_documents,
    )


BATCH_FILES = 500
BATCH_BYTES = 64 * MiB
BATCH_SECONDS = 2.0


def _write(run: _Run, task: Task, outcome: Outcome, replace: bool) -> None:
    """Queue a finished file for writing; the batch is flushed when big or old enough."""
    _queue(run, _row(run, task, outcome), outcome, replace)
    if outcome.status != PROCESSED:
        log.info("%s: %s %s", task.path, outcome.status, outcome.reason)


def _queue(run: _Run, row: FileRow, outcome: Outcome | None, replace: bool) -> None:
    if not run.batch:
        run.batch_since = time.monotonic()
    run.batch.append((row, outcome, replace))
    run.stats["ingested"] += 1
    if outcome is not None:
        run.batch_bytes += _inline_bytes(outcome)
    if (
        len(run.batch) >= BATCH_FILES
        or run.batch_bytes >= BATCH_BYTES
        or time.monotonic() - run.batch_since >= BATCH_SECONDS
    ):
        _flush(run)


def _inline_bytes(o: Outcome) -> int:
    n = int(o.documents.nbytes) if o.documents is not None else 0
    return n + sum(int(t.inline.nbytes) for t in o.tables if t.inline is not None)


def _flush(run: _Run) -> None:
    items, run.batch, run.batch_bytes = run.batch, [], 0
    if not items:
        return
    try:
        run.writer.write_batch(items)
    except duckdb.Error:
        # One file's content the store refuses must not sink the others: write one by one.
        for row, outcome, replace in items:
            try:
                run.writer.write(row, outcome, replace)
            except duckdb.Error as exc:
                log.warning("%s: cannot store its content (%s)", row.path, type(exc).__name__)
                bad = replace_status(row, f"corrupt: content not storable ({type(exc).__name__})")
                run.writer.write(bad, None, replace)
    finally:
        for _row, outcome, _r in items:
            if outcome is not None:
                remove_parts(outcome)


def replace_status(row: FileRow, reason: str) -> FileRow:
    return dataclasses.replace(row, status=FAILED, reason=reason, n_documents=0)


def _archive(run: _Run, task: Task, outcome: Outcome) -> None:
    """Queue an archive's members; its own row is written once they all are."""
    _flush(run)  # queued rows go in before anything is deleted
    if task.depth == 0 and task.path in run.known:
        run.writer.forget(task.path)
    else:
        run.writer.forget_members(task.path)
    root = run.root[task.key]
    run.budget[root] = run.budget.get(root, 0) - outcome.expanded
    queued: list[Task] = []
    for m in outcome.members:
        if m.source is None:
            _write_member(run, task, outcome, m)
            continue
        key = run.key()
        run.parent[key] = task.key
        run.root[key] = root
        queued.append(
            Task(
                key=key,
                path=m.path,
                source=m.source,
                depth=task.depth + 1,
                parent_id=outcome.file_id,
                sha256=m.sha256,
                budget=max(1, run.budget[root]),
                temporary=True,
                size=m.size,
            )
        )
    # Members go to the front of the queue: their temp files are freed sooner.
    run.tasks.extendleft(reversed(queued))
    run.archives[task.key] = _Archive(task, outcome, len(queued))
    if not queued:
        _finished(run, task.key)


def _write_member(run: _Run, archive: Task, outcome: Outcome, m: Member) -> None:
    row = FileRow(
        file_id=stable_id(m.path),
        path=m.path,
        parent_id=outcome.file_id,
        depth=archive.depth + 1,
        size=m.size,
        sha256=m.sha256,
        detected_type=m.detected_type,
        status=m.status or FAILED,
        reason=m.reason,
        client_ids=run.case.clients_for_path(m.path),
        n_documents=0,
    )
    _queue(run, row, None, replace=False)
    log.info("%s: %s %s", m.path, row.status, row.reason)


def _finished(run: _Run, key: int) -> None:
    """A task is fully recorded: write archives whose last member this was."""
    while True:
        arch = run.archives.get(key)
        if arch is not None and arch.pending == 0:
            run.archives.pop(key)
            _write(run, arch.task, arch.outcome, replace=False)  # forgotten in _archive
        elif arch is not None:
            return
        parent = run.parent.pop(key, None)
        run.root.pop(key, None)
        if parent is None:
            run.budget.pop(key, None)
            return
        pa = run.archives[parent]
        pa.pending -= 1
        if pa.pending:
            return
        key = parent
