"""Detect stage: find exposed elements in documents (DESIGN.md §3.2).

Public names are re-exported here; the modules behind them may move.
"""

from breachscope.detect.findings import Finding
from breachscope.detect.runner import DETECT_VERSION, detect_table, run_detect
from breachscope.detect.text import detect_text

__all__ = ["DETECT_VERSION", "Finding", "detect_table", "detect_text", "run_detect"]
