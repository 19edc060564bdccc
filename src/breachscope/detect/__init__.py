"""Detect stage: find exposed elements in documents (DESIGN.md §3.2).

Public names are re-exported here; the modules behind them may move.

The free-text modules are imported compiled (mypyc) when a current build exists, before
any of them is imported: see ``breachscope.native``.
"""

from breachscope import native as _native

_native.activate(__name__, __path__)

from breachscope.detect.findings import Finding  # noqa: E402
from breachscope.detect.runner import DETECT_VERSION, detect_table, run_detect  # noqa: E402
from breachscope.detect.text import detect_text  # noqa: E402

__all__ = ["DETECT_VERSION", "Finding", "detect_table", "detect_text", "run_detect"]
