"""How resolve talks to a linkage backend: one small protocol, one adapter per engine.

The orchestration (rules, clustering, best record) never touches a backend; an engine
only turns a table of identities and a model into scored candidate pairs.
"""

from __future__ import annotations

from typing import Protocol

import pyarrow as pa

from breachscope.errors import StageError
from breachscope.resolve.model import ModelSpec


class PairScorer(Protocol):
    """Scores candidate pairs of identities with a Splink model."""

    def score(self, identities: pa.Table, spec: ModelSpec, min_probability: float) -> pa.Table:
        """Pairs (``unique_id_l``, ``unique_id_r``, ``match_probability``) at or above
        ``min_probability``, from the model's blocking rules."""
        ...


def get_engine(name: str) -> PairScorer:
    """The scorer for ``case.settings.engine``; optional backends are imported lazily."""
    if name == "duckdb":
        from breachscope.resolve.duckdb_engine import DuckDBScorer

        return DuckDBScorer()
    if name == "spark":
        from breachscope.resolve.spark_engine import SparkScorer

        return SparkScorer()
    raise StageError(f"unknown engine '{name}'", hint="use duckdb or spark")
