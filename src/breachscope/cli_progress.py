"""A progress bar per stage on the terminal (rich). Shows stage names and counts only."""

from __future__ import annotations

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class RichProgress:
    """Implements breachscope.progress.Progress with one bar per stage."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def start(self, stage: str, total: int | None) -> None:
        self.done()
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        )
        self._bar.start()
        self._task = self._bar.add_task(stage, total=total)

    def advance(self, n: int = 1) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, n)

    def done(self) -> None:
        if self._bar is not None:
            if self._task is not None:
                t = self._bar.tasks[0]
                if t.total is not None:
                    self._bar.update(self._task, completed=t.total)
            self._bar.stop()
        self._bar = None
        self._task = None
