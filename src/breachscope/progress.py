"""How stages report progress without printing: the CLI passes a callback, tests pass none."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Called by a stage as work advances. Messages never carry PHI."""

    def start(self, stage: str, total: int | None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def done(self) -> None: ...


class NullProgress:
    """The default: reports nothing."""

    def start(self, stage: str, total: int | None) -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None

    def done(self) -> None:
        return None
