"""Web-server access logs in Combined (or Common) Log Format, optionally vhost-prefixed.

``203.0.113.5 - jdoe [28/Jan/2025:03:14:07 +0000] "GET /files/a%20b.csv HTTP/1.1" 200 5120 …``

GET 200 → copied (the whole body was sent; compressed bodies make the byte count useless
against the file size, so it is not compared); 206 → viewed (a range); a URL ending in
``/`` with 200 → listed (an index page). HEAD, 304 and errors are not accesses. The path is
URL-decoded and the query string dropped.
"""

from __future__ import annotations

import re
from typing import IO
from urllib.parse import unquote

from breachscope.scope.logs._base import ParseContext, numbered_lines, parse_clf_time
from breachscope.scope.model import Access

NAME = "web"
_LINE = re.compile(
    r'^(?:\S+:\d+ )?(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: |$)'
)
_SNIFF = re.compile(r'^(?:\S+:\d+ )?\S+ \S+ \S+ \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "')


def sniff(head: str) -> int:
    return sum(1 for line in head.splitlines() if _SNIFF.match(line))


def parse(stream: IO[str], ctx: ParseContext) -> None:
    for n, line in numbered_lines(stream):
        ctx.result.n_lines = n
        if not line.strip():
            continue
        m = _LINE.match(line)
        if not m:
            ctx.bad("not a combined-format line", n)
            continue
        ip, _ident, user, stamp, request, status, size = m.groups()
        try:
            when = parse_clf_time(stamp)
        except ValueError:
            ctx.bad("unreadable time", n)
            continue
        parts = request.split(" ")
        if len(parts) < 2:
            ctx.bad("request not readable", n)
            continue
        method, target = parts[0].upper(), parts[1]
        if method != "GET":
            ctx.skip(f"method {method[:10]}")
            continue
        if status not in ("200", "206"):
            ctx.skip("not a successful transfer")
            continue
        path = unquote(target.split("?", 1)[0].split("#", 1)[0])
        if status == "206":
            action = "viewed"
        elif path.endswith("/"):
            action = "listed"
        else:
            action = "copied"
        ctx.emit(
            Access(
                time=when,
                account="" if user == "-" else unquote(user),
                ip=ip,
                path_or_object=path,
                action=action,
                source_file=ctx.source,
                line_no=n,
                format=NAME,
                detail=f"GET {status}",
                bytes_read=int(size) if size.isdigit() and status == "206" else None,
            )
        )
