"""The link stage: findings → mentions, one per data subject per document."""

from breachscope.link.stage import run_link

__all__ = ["run_link"]
