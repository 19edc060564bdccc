"""The syslog envelope shared by Samba full_audit and OpenSSH logs.

Two stamp styles: BSD (``Jan 28 03:14:07 host tag[pid]: msg``, no year, local time) and
RFC 5424 / rsyslog high precision (``2025-01-28T03:14:07.123+00:00 host tag[pid]: msg``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from breachscope.scope.logs._base import ParseContext

_BSD = re.compile(
    r"^(?:<\d+>)?([A-Z][a-z]{2})\s+(\d{1,2}) (\d\d:\d\d:\d\d)\s+(\S+)\s+([^\s:\[]+)(?:\[(\d+)\])?:\s?(.*)$"
)
_ISO = re.compile(
    r"^(?:<\d+>1? ?)?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s+(\S+)\s+([^\s:\[]+)(?:\[(\d+)\])?:\s?(.*)$"
)


@dataclass(frozen=True, slots=True)
class SyslogLine:
    time: dt.datetime
    host: str
    tag: str
    pid: str
    message: str


def parse_syslog(line: str, ctx: ParseContext) -> SyslogLine | None:
    """The envelope of one syslog line, or None when it is not one (or its stamp is bad)."""
    m = _BSD.match(line)
    if m:
        mon, day, clock, host, tag, pid, msg = m.groups()
        try:
            when = ctx.syslog_time(mon, day, clock)
        except (KeyError, ValueError):
            return None
        return SyslogLine(when, host, tag, pid or "", msg)
    m = _ISO.match(line)
    if m:
        stamp, host, tag, pid, msg = m.groups()
        try:
            when = ctx.parse_time(stamp)
        except ValueError:
            return None
        return SyslogLine(when, host, tag, pid or "", msg)
    return None
