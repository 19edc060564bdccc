"""OpenSSH SFTP server logs (``sftp-server -l INFO`` or ``internal-sftp -l INFO``).

The session's user and address come from ``session opened for local user U from [IP]``
(logged by the SFTP process itself) or ``Accepted <method> for U from IP`` (sshd), joined
by PID. ``open "/p" flags READ`` + ``close "/p" bytes read N written M`` → the file was
transferred out (copied; viewed when fewer bytes than its size were read); ``opendir`` →
listed. An ``open`` never closed counts as viewed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import IO

from breachscope.scope.logs._base import ParseContext, numbered_lines
from breachscope.scope.logs.syslog import parse_syslog
from breachscope.scope.model import Access

NAME = "sftp"
TAGS = ("sftp-server", "internal-sftp", "sshd")
_ACCEPTED = re.compile(r"^Accepted \S+ for (\S+) from (\S+) port \d+")
_SESSION = re.compile(r"^session opened for local user (\S+) from \[([^\]]+)\]")
_OPEN = re.compile(r'^open "(.*)" flags (\S+)(?: mode \d+)?$')
_CLOSE = re.compile(r'^close "(.*)" bytes read (\d+) written (\d+)$')
_OPENDIR = re.compile(r'^opendir "(.*)"$')
_SNIFF = re.compile(r"(?:sftp-server|internal-sftp)\[\d+\]: |sshd\[\d+\]: Accepted ")


def sniff(head: str) -> int:
    return sum(1 for line in head.splitlines() if _SNIFF.search(line))


def parse(stream: IO[str], ctx: ParseContext) -> None:
    sessions: dict[str, tuple[str, str]] = {}
    opened: dict[tuple[str, str], Access] = {}
    for n, line in numbered_lines(stream):
        ctx.result.n_lines = n
        if not any(t in line for t in TAGS):
            if line.strip():
                ctx.skip("other program")
            continue
        sl = parse_syslog(line, ctx)
        if sl is None:
            ctx.bad("syslog envelope not readable", n)
            continue
        if sl.tag not in TAGS:
            ctx.skip("other program")
            continue
        msg = sl.message.strip()
        m = _ACCEPTED.match(msg) or _SESSION.match(msg)
        if m:
            sessions[sl.pid] = (m.group(1), m.group(2))
            continue
        if sl.tag == "sshd":
            ctx.skip("sshd message")
            continue
        user, ip = sessions.get(sl.pid, ("", ""))

        base = Access(
            time=sl.time,
            account=user,
            ip=ip,
            path_or_object="",
            action="viewed",
            source_file=ctx.source,
            line_no=n,
            format=NAME,
        )
        if m := _OPEN.match(msg):
            path, flags = m.groups()
            if "READ" in flags.split(","):
                opened[(sl.pid, path)] = base
            else:
                ctx.skip("not a read")
            continue
        if m := _CLOSE.match(msg):
            path, nread = m.group(1), int(m.group(2))
            start = opened.pop((sl.pid, path), None)
            if start is None:
                ctx.skip("close without open")
                continue
            if nread == 0:
                ctx.skip("nothing read")
                continue
            ctx.emit(
                replace(
                    start,
                    path_or_object=path,
                    action="copied",
                    detail="sftp read",
                    bytes_read=nread,
                )
            )
            continue
        if m := _OPENDIR.match(msg):
            ctx.emit(
                replace(base, path_or_object=m.group(1), action="listed", detail="sftp opendir")
            )
            continue
        if msg.startswith(("open ", "close ", "opendir ")):
            ctx.bad("sftp request not readable", n)
        else:
            ctx.skip("other sftp message")
    for (_pid, path), start in opened.items():
        ctx.emit(replace(start, path_or_object=path, detail="sftp open without close"))
