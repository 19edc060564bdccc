"""Synthetic breach generator: evidence, case file and exact ground truth.

Public entry point: :func:`generate_case`. Ground-truth readers live in
:mod:`breachscope.synth.truth`.
"""

from __future__ import annotations

from breachscope.synth.generate import generate_case

__all__ = ["generate_case"]
