"""notify: write the deliverables to the case's ``out/`` folder."""

from breachscope.notify.stage import run_notify

__all__ = ["run_notify"]
