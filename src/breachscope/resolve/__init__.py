"""The resolve stage: mentions → individuals (Splink + deterministic rules + review)."""

from breachscope.resolve.stage import run_resolve

__all__ = ["run_resolve"]
