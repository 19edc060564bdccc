"""A small process pool with a time limit per task.

``concurrent.futures`` cannot stop one hung task, and on Python 3.11 its worker recycling
can hang (gh-115634). Here each worker has its own pipe; a worker past its task's deadline
is killed and replaced, a worker that dies (a segfault in a parser) is replaced, and the
task is reported ``lost`` with the reason. Workers are recycled after a number of tasks by
asking them to exit when idle.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing as mp
import shutil
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any

from breachscope.errors import StageError
from breachscope.ingest.model import Task
from breachscope.ingest.worker import WorkerConfig, plain_paths, worker_main
from breachscope.store import spill as sealed

log = logging.getLogger(__name__)

STARTUP_SECONDS = 120.0


@dataclass
class _Worker:
    proc: BaseProcess
    conn: Connection
    # Tasks sent and not finished, in order; the first is running. A second one waits in
    # the pipe so the worker never idles while the parent writes to the store.
    queue: deque[tuple[Task, float]] = field(default_factory=deque)
    deadline: float = 0.0  # of the running task
    done: int = 0


@dataclass(frozen=True)
class Event:
    """``kind`` is 'hash' (data = (sha256, size)), 'done' (data = Outcome), 'lost'
    (data = 'timeout' | 'crash') or 'requeue' (a waiting task whose worker was stopped)."""

    kind: str
    task: Task
    data: Any


def _sweep_stale_work(work_dir: Path) -> None:
    """Remove work folders that killed runs left beside this run's (their temp files).

    Only one process can write a case store at a time, so any other run folder under the
    store's ``.ingest-tmp`` belongs to a run that is gone; with an encrypted store what it
    holds is sealed under a key that died with it.
    """
    parent = work_dir.parent
    if not parent.name.endswith(".ingest-tmp") or not parent.is_dir():
        return
    for d in parent.iterdir():
        if d != work_dir and d.is_dir() and not d.is_symlink():
            shutil.rmtree(d, ignore_errors=True)


def _context(start_method: str) -> BaseContext:
    ctx = mp.get_context(start_method)
    if start_method == "forkserver":
        # Workers fork from a server that has the readers imported already.
        ctx.set_forkserver_preload(["breachscope.ingest.worker"])
    return ctx


class Pool:
    def __init__(
        self,
        size: int,
        cfg: WorkerConfig,
        start_method: str = "forkserver",
        recycle: int = 2000,
        depth: int = 2,
    ) -> None:
        _sweep_stale_work(Path(cfg.work_dir))
        self.ram_dir: Path | None = None
        if cfg.spill_key is None and sealed.run_key() is not None:
            # The store is encrypted: workers seal their temp files with the run's key.
            self.ram_dir = sealed.make_ram_dir()
            ram = str(self.ram_dir) if self.ram_dir else None
            cfg = dataclasses.replace(cfg, spill_key=sealed.run_key(), ram_dir=ram)
        self.cfg = cfg
        self.ctx = _context(start_method)
        self.recycle = max(1, recycle)
        self.depth = max(1, depth)
        self.workers: list[_Worker] = [self._spawn() for _ in range(max(1, size))]

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(  # type: ignore[attr-defined]
            target=worker_main, args=(child, self.cfg), daemon=True, name="breachscope-ingest"
        )
        proc.start()
        child.close()
        # A worker that cannot even start (e.g. a script without an ``if __name__ ==
        # "__main__":`` guard re-running itself) must stop the stage, not fail every file.
        try:
            ok = parent.poll(STARTUP_SECONDS) and parent.recv() == ("ready",)
        except (EOFError, OSError):
            ok = False
        if not ok:
            if proc.is_alive():
                proc.kill()
            proc.join(timeout=5)
            parent.close()
            raise StageError(
                "ingest worker processes cannot start",
                hint="a script calling run_ingest needs an 'if __name__ == \"__main__\":' guard",
            )
        return _Worker(proc, parent)

    def __enter__(self) -> Pool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(kill=exc_type is not None)

    def idle(self) -> list[_Worker]:
        """Workers that can take another task now."""
        return [w for w in self.workers if len(w.queue) < self.depth]

    @property
    def busy(self) -> bool:
        return any(w.queue for w in self.workers)

    def submit(self, worker: _Worker, task: Task, seconds: float) -> None:
        if not worker.queue and worker.done >= self.recycle:
            self._replace(worker, kill=False)
        if not worker.queue:
            worker.deadline = time.monotonic() + seconds
        worker.queue.append((task, seconds))
        with contextlib.suppress(OSError, EOFError):  # if it died, poll() reports its tasks
            worker.conn.send(task)

    def _replace(self, worker: _Worker, kill: bool) -> None:
        self._stop(worker, kill)
        fresh = self._spawn()
        worker.proc, worker.conn, worker.done = fresh.proc, fresh.conn, 0
        worker.queue.clear()

    def _stop(self, worker: _Worker, kill: bool) -> None:
        if not kill:
            try:
                worker.conn.send(None)
            except (OSError, EOFError):
                kill = True
            worker.proc.join(timeout=5)
        if worker.proc.is_alive():
            worker.proc.kill()
            worker.proc.join(timeout=5)
        worker.conn.close()

    def poll(self, max_wait: float = 1.0) -> list[Event]:
        """Wait for messages from busy workers; report finished, hung and dead tasks."""
        busy = [w for w in self.workers if w.queue]
        if not busy:
            return []
        now = time.monotonic()
        timeout = max(0.0, min(max_wait, min(w.deadline for w in busy) - now))
        waitables: list[Any] = [w.conn for w in busy] + [w.proc.sentinel for w in busy]
        ready = set(wait(waitables, timeout))
        events: list[Event] = []
        for w in busy:
            if w.conn in ready or w.proc.sentinel in ready:
                try:
                    while w.queue and w.conn.poll():
                        msg = w.conn.recv()
                        task = w.queue[0][0]
                        if msg[0] == "hash":
                            events.append(Event("hash", task, (msg[2], msg[3])))
                        else:
                            events.append(Event("done", task, msg[1]))
                            w.queue.popleft()
                            w.done += 1
                            if w.queue:
                                w.deadline = time.monotonic() + w.queue[0][1]
                except (EOFError, OSError):
                    pass
                if w.queue and not w.proc.is_alive():
                    log.warning(
                        "%s: worker died (exit code %s)", w.queue[0][0].path, w.proc.exitcode
                    )
                    events += self._lose(w, "crash")
                    continue
            if w.queue and time.monotonic() > w.deadline:
                log.warning("%s: over its time limit, worker stopped", w.queue[0][0].path)
                events += self._lose(w, "timeout")
        return events

    def _lose(self, w: _Worker, why: str) -> list[Event]:
        """Stop a worker: its running task is lost, the ones waiting go back to the queue."""
        tasks = [t for t, _s in w.queue]
        self._replace(w, kill=True)
        if self.cfg.spill_key is not None:  # a member it was reading, opened in plaintext
            for p in plain_paths(tasks[0], self.cfg):
                p.unlink(missing_ok=True)
        return [Event("lost", tasks[0], why)] + [Event("requeue", t, None) for t in tasks[1:]]

    def close(self, kill: bool = False) -> None:
        for w in self.workers:
            self._stop(w, kill or bool(w.queue))
        self.workers = []
        if self.ram_dir is not None:
            shutil.rmtree(self.ram_dir, ignore_errors=True)
            self.ram_dir = None
