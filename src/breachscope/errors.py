"""One error hierarchy. Messages never carry PHI: they name files, keys and counts only."""

from __future__ import annotations


class BreachscopeError(Exception):
    """Base of every error the library raises on purpose.

    ``message`` is one clear line for the user; ``hint`` says what to do about it.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} (hint: {self.hint})"


class CaseFileError(BreachscopeError):
    """The case file is unusable. Carries every problem found, each with its line."""

    def __init__(self, path: str, problems: list[tuple[int | None, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [f"{path}:{line}: {text}" if line else f"{path}: {text}" for line, text in problems]
        n = len(problems)
        super().__init__(
            f"case file has {n} problem{'s' if n != 1 else ''}:\n  " + "\n  ".join(lines),
            hint="fix every listed problem, then run again",
        )


class StoreError(BreachscopeError):
    """The case store is missing, locked, or from an incompatible version."""


class StageError(BreachscopeError):
    """A stage cannot run (e.g. its input tables are missing: run the earlier stage)."""


class FileProblem(BreachscopeError):
    """One evidence file cannot be read. It is recorded as failed; the run goes on.

    ``reason`` is a short machine-friendly code (``encrypted``, ``corrupt``, ``empty``,
    ``too_large``, ``bomb``, ``unsupported`` …) and ``detail`` a PHI-free explanation.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class TruthError(BreachscopeError):
    """Ground truth for evaluation is missing or malformed."""
