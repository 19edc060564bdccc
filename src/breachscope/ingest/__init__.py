"""Ingest: every evidence file inventoried, typed by content, and read into the case store.

With a ``[scope]`` table in the case file only the files the intruder viewed or copied are
read; the rest are inventoried as ``out_of_scope`` (``ingest.scoping``, docs/scope.md).

Public names are re-exported here; the modules behind them may move.
"""

from __future__ import annotations

from breachscope.ingest.model import Guess
from breachscope.ingest.options import IngestOptions, Limits
from breachscope.ingest.registry import ReadContext, Source, register, supported_types
from breachscope.ingest.run import run_ingest
from breachscope.ingest.sniff import register_probe, sniff

__all__ = [
    "Guess",
    "IngestOptions",
    "Limits",
    "ReadContext",
    "Source",
    "register",
    "register_probe",
    "run_ingest",
    "sniff",
    "supported_types",
]
