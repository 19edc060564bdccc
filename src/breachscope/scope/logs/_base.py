"""Opening log files (gzip, BOMs, UTF-16, legacy code pages) and the parse context.

Raw lines are never logged or put in exceptions: they may hold PHI. Problems are counted
by a short reason code, with the line numbers of the first few occurrences.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from breachscope.scope.model import Access, LogResult

UTC = dt.UTC
MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
MAX_LINE_NOS = 5
SNIFF_BYTES = 256 * 1024


@dataclass
class LogOptions:
    """Per-log settings for what the log itself does not say."""

    timezone: str = "UTC"  # for timestamps written without an offset
    year: int | None = None  # for syslog stamps without a year
    around: dt.datetime | None = None  # window midpoint: picks the year of a syslog stamp
    date_order: str = "mdy"  # for 1/2/2025-style dates: 'mdy' or 'dmy'
    samba_prefix: str | None = None  # full_audit:prefix, e.g. '%u|%I|%m|%S'
    host: str | None = None  # server name when the log does not carry it


@dataclass
class ParseContext:
    """Carries options and counts problems for one log file."""

    result: LogResult
    options: LogOptions = field(default_factory=LogOptions)

    def __post_init__(self) -> None:
        try:
            self.tz: dt.tzinfo = ZoneInfo(self.options.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            self.tz = UTC

    @property
    def source(self) -> str:
        return self.result.source_file

    def bad(self, reason: str, line_no: int) -> None:
        self.result.malformed[reason] += 1
        nos = self.result.malformed_lines.setdefault(reason, [])
        if len(nos) < MAX_LINE_NOS:
            nos.append(line_no)

    def skip(self, reason: str) -> None:
        self.result.ignored[reason] += 1

    def emit(self, access: Access) -> None:
        self.result.accesses.append(access)

    # ------------------------------------------------------------------ time
    def localize(self, naive: dt.datetime) -> dt.datetime:
        if naive.tzinfo is None:
            naive = naive.replace(tzinfo=self.tz)
        return naive.astimezone(UTC)

    def syslog_time(self, month: str, day: str, clock: str) -> dt.datetime:
        """A ``Jan 28 03:14:07`` stamp: the year comes from the options or the window."""
        mon = MONTHS[month.lower()[:3]]
        h, m, s = (int(x) for x in clock.split(":"))
        if self.options.year:
            years = [self.options.year]
        else:
            base = (self.options.around or dt.datetime.now(UTC)).year
            years = [base - 1, base, base + 1]
        best: dt.datetime | None = None
        for y in years:
            try:
                t = self.localize(dt.datetime(y, mon, int(day), h, m, s))
            except ValueError:  # Feb 29 in a common year
                continue
            ref = self.options.around
            if best is None or (ref and abs(t - ref) < abs(best - ref)):
                best = t
        if best is None:
            raise ValueError("no valid year")
        return best

    def parse_time(self, text: str) -> dt.datetime:
        """ISO 8601 (with or without offset) or ``1/28/2025 3:14:07 AM`` style stamps."""
        s = text.strip()
        try:
            t = dt.datetime.fromisoformat(_trim_fraction(s.replace("Z", "+00:00")))
            return self.localize(t)
        except ValueError:
            pass
        m = _US_TIME.match(s)
        if not m:
            raise ValueError("unknown time format")
        a, b, y, hh, mm, ss, frac, ampm = m.groups()
        mon, day = (int(a), int(b)) if self.options.date_order == "mdy" else (int(b), int(a))
        hour = int(hh)
        if ampm:
            hour = hour % 12 + (12 if ampm.upper() == "PM" else 0)
        t = dt.datetime(
            int(y), mon, day, hour, int(mm), int(ss), int((frac or "0")[:6].ljust(6, "0"))
        )
        return self.localize(t)


_US_TIME = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})[ T,]+(\d{1,2}):(\d\d):(\d\d)(?:\.(\d+))?\s*([AaPp][Mm])?$"
)
_FRACTION = re.compile(r"(\.\d{6})\d+")


def _trim_fraction(s: str) -> str:
    # Windows writes 7 fractional digits; fromisoformat takes at most 6.
    return _FRACTION.sub(r"\1", s)


def parse_clf_time(text: str) -> dt.datetime:
    """``28/Jan/2025:03:14:07 +0000`` (Common Log Format, S3 access logs)."""
    return dt.datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z").astimezone(UTC)


class _TolerantGzip(io.RawIOBase):
    """A gzip stream that ends quietly where a truncated or corrupt file stops."""

    def __init__(self, path: Path) -> None:
        self._gz = gzip.open(path, "rb")  # noqa: SIM115 - closed by close()
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._gz.read1(min(len(buffer), 64 * 1024))
        except (EOFError, OSError, zlib.error):
            self.truncated = True
            return 0
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._gz.close()
        super().close()


def _open_bytes(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return cast(IO[bytes], io.BufferedReader(_TolerantGzip(path)))
    return path.open("rb")


def open_log(path: Path) -> tuple[IO[str], str]:
    """Open a log as text: gunzips, honours BOMs, spots BOM-less UTF-16, falls back to cp1252.

    Undecodable bytes become U+FFFD rather than failing the file; a truncated gzip ends
    where it breaks (see :func:`was_truncated`).
    """
    with _open_bytes(path) as probe:
        encoding = sniff_encoding(probe.read(SNIFF_BYTES))
    raw = _open_bytes(path)
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=""), encoding


def was_truncated(stream: IO[str]) -> bool:
    """True when the gzip under a stream from :func:`open_log` ended early."""
    raw = getattr(getattr(stream, "buffer", None), "raw", None)
    return bool(getattr(raw, "truncated", False))


def sniff_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(sample) >= 4:
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        half = len(sample) // 2
        if odd > half * 0.3 and even < half * 0.05:
            return "utf-16-le"
        if even > half * 0.3 and odd < half * 0.05:
            return "utf-16-be"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly valid UTF-8 with a few bad bytes stays UTF-8 (they become U+FFFD); text whose
    # high bytes are mostly not UTF-8 sequences is a legacy Windows code page.
    high = sum(1 for b in sample if b >= 0x80)
    bad = sample.decode("utf-8", errors="replace").count("\ufffd")
    return "utf-8" if bad * 4 < high else "cp1252"


def numbered_lines(stream: IO[str]) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without its end) over a text stream."""
    for n, line in enumerate(stream, start=1):
        yield n, line.rstrip("\r\n")
