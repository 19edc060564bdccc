"""Limits and knobs of the ingest stage. Defaults suit a 2-core laptop and real breach sets."""

from __future__ import annotations

from dataclasses import dataclass, field

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclass(frozen=True)
class Limits:
    """Safety limits for archives and parsers (DESIGN §4).

    The archive limits stopped every zip bomb of a test set (see shared/reference/formats.md):
    depth 6, 100 k members, 8 GiB expanded per archive tree, and a compression-ratio check
    against both the declared and the actual sizes.
    """

    max_depth: int = 6
    max_members: int = 100_000
    max_expanded: int = 8 * GiB  # per top-level archive, nested archives included
    max_member_size: int = 4 * GiB
    max_ratio: float = 200.0  # expanded / compressed, checked on members bigger than ...
    ratio_floor: int = 8 * MiB  # ... this (tiny members compress absurdly well, harmlessly)
    max_xml_part: int = 512 * MiB  # one XML part of a DOCX
    text_segment: int = 1 * MiB  # split plain text into documents of about this size
    spill_bytes: int = 32 * MiB  # worker keeps this much output in memory, then writes Parquet
    csv_batch_bytes: int = 4 * MiB  # pyarrow block size when streaming delimited files
    time_base: float = 300.0  # seconds every file gets ...
    time_per_mib: float = 1.0  # ... plus this many seconds per MiB of its size
    memory_mib: int | None = None  # address space per worker: None = a share of RAM, 0 = none


@dataclass(frozen=True)
class IngestOptions:
    """How :func:`~breachscope.ingest.run_ingest` runs. Tests shrink the limits."""

    limits: Limits = field(default_factory=Limits)
    workers: int | None = None  # None: the case's settings.workers (0 = one per core)
    start_method: str = "forkserver"  # tests that monkeypatch readers use "fork"
    tasks_per_worker: int = 2_000  # recycle a worker after this many files
    force: bool = False  # re-read every file even when its content is unchanged
    fast_csv: bool = True  # pyarrow streaming for delimited files (False: stdlib csv only)
