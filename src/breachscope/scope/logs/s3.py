"""Amazon S3 server access logs (space-separated, bracketed time, quoted strings).

Fields used: bucket, time, remote IP, requester (IAM ARN or canonical ID), operation,
key (URL-encoded), request URI, HTTP status, bytes sent, object size.

``REST.GET.OBJECT`` / ``WEBSITE.GET.OBJECT`` 200 → copied (viewed when fewer bytes than
the object were sent, or 206); ``REST.COPY.OBJECT_GET`` → copied (the source of a copy);
``REST.GET.BUCKET`` 200 → listed (the ``prefix`` of the request; recursive without a
``delimiter``). Objects are named ``s3://bucket/key``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import IO
from urllib.parse import parse_qs, unquote, urlsplit

from breachscope.scope.logs._base import ParseContext, numbered_lines, parse_clf_time
from breachscope.scope.model import Access

NAME = "s3"
_TOKEN = re.compile(r'\[[^\]]*\]|"(?:[^"\\]|\\.)*"|\S+')
_SNIFF = re.compile(
    r"^\S+ \S+ \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] \S+ \S+ \S+ (?:REST|WEBSITE|BATCH|S3)\.\S+ "
)
GET_OPS = {"REST.GET.OBJECT", "WEBSITE.GET.OBJECT"}


def sniff(head: str) -> int:
    return sum(1 for line in head.splitlines() if _SNIFF.match(line)) * 2


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def parse(stream: IO[str], ctx: ParseContext) -> None:
    for n, line in numbered_lines(stream):
        ctx.result.n_lines = n
        if not line.strip():
            continue
        tok = _TOKEN.findall(line)
        if len(tok) < 13 or not tok[2].startswith("["):
            ctx.bad("too few fields", n)
            continue
        bucket, stamp, ip, requester, op, key, uri, status = (
            tok[1],
            tok[2][1:-1],
            tok[3],
            tok[4],
            tok[6],
            tok[7],
            tok[8].strip('"'),
            tok[9],
        )
        try:
            when = parse_clf_time(stamp)
        except ValueError:
            ctx.bad("unreadable time", n)
            continue
        sent, size = _int(tok[11]), _int(tok[12])
        account = "" if requester == "-" else requester
        base = Access(
            time=when,
            account=account,
            ip="" if ip == "-" else ip,
            path_or_object="",
            action="viewed",
            source_file=ctx.source,
            line_no=n,
            format=NAME,
            detail=op,
        )
        if status not in ("200", "206"):
            ctx.skip("not a successful request")
            continue
        if op in GET_OPS or op == "REST.COPY.OBJECT_GET":
            if key == "-":
                ctx.bad("object request without key", n)
                continue
            action = "copied"
            if status == "206" or (sent is not None and size is not None and sent < size):
                action = "viewed"
            ctx.emit(
                replace(
                    base,
                    path_or_object=f"s3://{bucket}/{unquote(key)}",
                    action=action,
                    bytes_read=sent,
                    object_size=size,
                )
            )
        elif op == "REST.GET.BUCKET":
            target = uri.split(" ", 1)[1] if " " in uri else uri
            target = target.rsplit(" HTTP/", 1)[0]
            query = parse_qs(urlsplit(target).query)
            prefix = query.get("prefix", [""])[0]
            ctx.emit(
                replace(
                    base,
                    path_or_object=f"s3://{bucket}/{prefix}",
                    action="listed",
                    recursive="delimiter" not in query,
                )
            )
        else:
            ctx.skip("other operation")
