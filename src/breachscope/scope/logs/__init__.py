"""Access-log parsers, one module per format, each detected from the file's content.

``read_log(path)`` opens a log (gzip, any common encoding), picks its format(s) from the
first 256 KiB, and returns every access with the count of malformed and ignored lines.
A syslog file holding both Samba and SFTP lines is read by both parsers.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import IO, NamedTuple

from breachscope.scope.logs import auditd, cloudtrail, pgaudit, s3, samba, sftp, web, windows
from breachscope.scope.logs._base import (
    SNIFF_BYTES,
    LogOptions,
    ParseContext,
    open_log,
    was_truncated,
)
from breachscope.scope.model import LogResult


class Format(NamedTuple):
    name: str
    sniff: Callable[[str], int]
    parse: Callable[[IO[str], ParseContext], None]
    syslog: bool = False  # may share a file with other syslog formats


FORMATS: tuple[Format, ...] = (
    Format(cloudtrail.NAME, cloudtrail.sniff, cloudtrail.parse),
    Format(windows.NAME_XML, windows.sniff_xml, windows.parse_xml),
    Format(windows.NAME_CSV, windows.sniff_csv, windows.parse_csv),
    Format(pgaudit.NAME, pgaudit.sniff, pgaudit.parse),
    Format(auditd.NAME, auditd.sniff, auditd.parse),
    Format(s3.NAME, s3.sniff, s3.parse),
    Format(web.NAME, web.sniff, web.parse),
    Format(samba.NAME, samba.sniff, samba.parse, syslog=True),
    Format(sftp.NAME, sftp.sniff, sftp.parse, syslog=True),
)
FORMAT_NAMES = tuple(f.name for f in FORMATS)


def detect_formats(head: str) -> list[str]:
    """Formats of a log from its first lines; [] when none is recognised."""
    scores = [(f.sniff(head), i, f) for i, f in enumerate(FORMATS)]
    hits = [(s, i, f) for s, i, f in scores if s > 0]
    if not hits:
        return []
    best = max(hits, key=lambda h: (h[0], -h[1]))[2]
    if best.syslog:
        return [f.name for _s, _i, f in hits if f.syslog]
    return [best.name]


def read_log(
    path: Path,
    *,
    label: str | None = None,
    options: LogOptions | None = None,
    format: str | None = None,
) -> LogResult:
    """Parse one log file. Never raises for bad content: problems are counted.

    ``label`` names the file in every access (default: the path as given); ``format``
    forces a parser by name instead of detecting one. Raises OSError only when the file
    cannot be opened.
    """
    result = LogResult(source_file=label or str(path))
    opts = options or LogOptions()
    stream, encoding = open_log(path)
    result.encoding = encoding
    with stream:
        head = stream.read(SNIFF_BYTES)
    names = [format] if format else detect_formats(head)
    if not names or names == [None]:
        result.malformed["format not recognised"] += 1
        return result
    by_name = {f.name: f for f in FORMATS}
    for name in names:
        if name not in by_name:
            result.malformed["unknown format"] += 1
            continue
        result.formats.append(name)
        ctx = ParseContext(result, opts)
        stream, _ = open_log(path)
        with stream:
            try:
                by_name[name].parse(stream, ctx)
            except (csv.Error, ValueError, UnicodeError, RecursionError, IndexError, KeyError):
                # Odd content that stops a parser loses this file's remaining lines, not the run.
                result.malformed["parser stopped"] += 1
            if was_truncated(stream) and not result.malformed["compressed file truncated"]:
                result.malformed["compressed file truncated"] += 1
    return result
