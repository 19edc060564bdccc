"""What runs in a worker process: hash, type, read one file; report an :class:`Outcome`.

Workers talk to the parent over a pipe: ``("hash", key, sha256, size)`` as soon as the file
is hashed (so a file that later hangs still has its hash recorded), then
``("done", outcome)``. Exceptions carry no file content out of here: an unexpected one
fails the file with its exception class name only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FAILED, PROCESSED, SKIPPED, FileSkipped, Outcome, Task
from breachscope.ingest.options import Limits
from breachscope.ingest.registry import ReadContext, Source, reader_for
from breachscope.ingest.sniff import HEAD_BYTES, sniff
from breachscope.store import spill as sealed
from breachscope.store.db import stable_id

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerConfig:
    limits: Limits
    passwords: tuple[str, ...]
    work_dir: str
    fast_csv: bool = True
    # The run seals its temp files (encrypted store): key in memory only, never on disk.
    spill_key: bytes | None = None
    ram_dir: str | None = None  # where sealed members are opened for reading (RAM)


def _reason(exc: FileProblem) -> str:
    return f"{exc.reason}: {exc.detail}" if exc.detail else exc.reason


def failed(task: Task, reason: str, sha256: str | None = None, size: int | None = None) -> Outcome:
    """An outcome for a task that produced nothing."""
    return Outcome(
        key=task.key,
        path=task.path,
        file_id=stable_id(task.path),
        status=FAILED,
        reason=reason,
        detected_type="unknown",
        size=size if size is not None else (task.size or None),
        sha256=sha256 or task.sha256,
    )


def _hash(path: Path) -> tuple[str, bytes]:
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
        h = hashlib.sha256(head)
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest(), head


# A sealed member is opened in plaintext for its reader: in RAM up to this size (and half
# the RAM folder's free space), beyond it in the work folder (see docs/security.md).
MEMBER_RAM_BYTES = 1024 * 1024 * 1024


def plain_path(task: Task, cfg: WorkerConfig) -> Path:
    """Where a sealed member of this task is opened (the pool removes it if the task is lost)."""
    if cfg.ram_dir is not None:
        ram = Path(cfg.ram_dir)
        if task.size <= MEMBER_RAM_BYTES and task.size * 2 < sealed.ram_free(ram):
            return ram / f"t-{task.key}"
    return Path(cfg.work_dir) / f"t-{task.key}"


def plain_paths(task: Task, cfg: WorkerConfig) -> list[Path]:
    """Every place :func:`plain_path` may have chosen."""
    dirs = [cfg.work_dir] + ([cfg.ram_dir] if cfg.ram_dir else [])
    return [Path(d) / f"t-{task.key}" for d in dirs]


def _unseal(task: Task, cfg: WorkerConfig) -> Path:
    assert cfg.spill_key is not None
    dest = plain_path(task, cfg)
    if dest.parent == Path(cfg.work_dir):
        log.info("%s: member too big for RAM, opened in the work folder", task.path)
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, sealed.SealedReader(task.source, cfg.spill_key) as src:
            while block := src.read(sealed.CHUNK):
                out.write(block)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return dest


def process(task: Task, cfg: WorkerConfig, on_hash: Callable[[str, int], None]) -> Outcome:
    """Read one file; never raises for a bad file."""
    if cfg.spill_key is None or not task.temporary or not sealed.is_sealed(task.source):
        return _process(task, cfg, on_hash)
    try:
        plain = _unseal(task, cfg)
    except (sealed.SealError, OSError) as exc:
        return failed(task, f"unreadable: {type(exc).__name__}")
    try:
        return _process(dataclasses.replace(task, source=str(plain)), cfg, on_hash)
    finally:
        plain.unlink(missing_ok=True)


def _process(task: Task, cfg: WorkerConfig, on_hash: Callable[[str, int], None]) -> Outcome:
    file_id = stable_id(task.path)
    path = Path(task.source)
    try:
        size = path.stat().st_size
        if task.sha256 is not None:
            sha = task.sha256
            with path.open("rb") as f:
                head = f.read(HEAD_BYTES)
        else:
            sha, head = _hash(path)
    except OSError as exc:
        return failed(task, f"unreadable: {type(exc).__name__}")
    on_hash(sha, size)

    def outcome(status: str, reason: str, detected: str, **kw: object) -> Outcome:
        return Outcome(
            key=task.key,
            path=task.path,
            file_id=file_id,
            status=status,
            reason=reason,
            detected_type=detected,
            size=size,
            sha256=sha,
            **kw,  # type: ignore[arg-type]
        )

    if task.known_sha256 is not None and task.known_sha256 == sha:
        return outcome(PROCESSED, "", "", unchanged=True)
    name = task.path.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    try:
        guess = sniff(path, name, head, size)
    except Exception as exc:  # a probe must not take the run down
        log.debug("%s: type sniffing failed (%s)", task.path, type(exc).__name__)
        return outcome(FAILED, "corrupt: cannot determine type", "unknown")
    if guess.status is not None:
        return outcome(guess.status, guess.reason, guess.type)
    reader = reader_for(guess.type)
    if reader is None:
        return outcome(SKIPPED, f"unsupported:{guess.type}", guess.type)
    work_dir = Path(cfg.work_dir)
    out = Emitter(file_id, work_dir, cfg.limits.spill_bytes, cfg.spill_key)
    ctx = ReadContext(cfg.limits, cfg.passwords, work_dir, task.budget, cfg.fast_csv)
    src = Source(path, task.path, file_id, size, task.depth, guess)
    try:
        reader(src, ctx, out)
    except FileSkipped as exc:
        _discard(out)
        return outcome(SKIPPED, _reason(exc), guess.type)
    except FileProblem as exc:
        _discard(out)
        return outcome(FAILED, _reason(exc), guess.type)
    except MemoryError:
        _discard(out)
        return outcome(FAILED, "too_large: out of memory", guess.type)
    except RecursionError:
        _discard(out)
        return outcome(FAILED, "corrupt: nested too deeply", guess.type)
    except Exception as exc:
        _discard(out)
        log.debug("%s: %s reader failed (%s)", task.path, guess.type, type(exc).__name__)
        return outcome(
            FAILED, f"corrupt: {guess.type} reader error ({type(exc).__name__})", guess.type
        )
    docs, doc_parts = out.documents()
    status, reason = out.status or (PROCESSED, "")
    return outcome(
        status,
        reason,
        guess.type,
        documents=docs,
        documents_parquet=doc_parts,
        tables=tuple(out.tables),
        n_documents=out.n_documents,
        members=tuple(out.members),
        expanded=out.expanded,
    )


def _discard(out: Emitter) -> None:
    """Remove what a failed reader left in the work folder."""
    _docs, parts = out.documents()
    paths = [*parts, *(p for t in out.tables for p in t.parquet)]
    paths += [m.source for m in out.members if m.source]
    for p in paths:
        Path(p).unlink(missing_ok=True)


def _limit_memory(mib: int | None) -> None:
    if not mib or mib <= 0:
        return
    try:
        import resource

        limit = mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        log.info("cannot set a memory limit on this platform")


def worker_main(conn: Connection, cfg: WorkerConfig) -> None:
    """Worker process loop: tasks in, outcomes out, until told to stop (None) or EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    _limit_memory(cfg.limits.memory_mib)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        conn.send(("ready",))
    except (OSError, EOFError):  # the run was killed before this worker started
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return

        def on_hash(sha: str, size: int, key: int = task.key) -> None:
            conn.send(("hash", key, sha, size))

        try:
            result = process(task, cfg, on_hash)
        except BaseException as exc:  # a worker reports, never dies silently
            result = failed(task, f"crash: {type(exc).__name__}")
        try:
            conn.send(("done", result))
        except (OSError, EOFError):
            return
        except Exception as exc:  # e.g. an unpicklable result
            conn.send(
                ("done", failed(task, f"crash: {type(exc).__name__}", result.sha256, result.size))
            )
