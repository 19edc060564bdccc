"""AWS CloudTrail S3 data events: ``{"Records": [...]}`` files (optionally gzipped) or
one event per line (exports from CloudTrail Lake / Athena).

``GetObject`` → copied; ``SelectObjectContent`` → viewed; ``CopyObject`` → copied (its
source); ``ListObjects``/``ListObjectsV2`` → listed (the ``prefix``; recursive without a
``delimiter``). Events with an ``errorCode`` are not accesses. The account is the
``userIdentity`` ARN (or user name); ``sourceIPAddress`` is kept when it is an address
(not an AWS service name). A truncated file keeps every complete record before the cut.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import unquote

from breachscope.scope.logs._base import ParseContext
from breachscope.scope.model import Access

NAME = "cloudtrail"
_DECODER = json.JSONDecoder()


def sniff(head: str) -> int:
    s = head.lstrip("\ufeff \t\r\n")
    if (
        s[:1] in ("{", "[")
        and ('"Records"' in head or '"eventName"' in head)
        and ('"eventSource"' in head or '"eventTime"' in head)
    ):
        return 1000
    return 0


def parse(stream: IO[str], ctx: ParseContext) -> None:
    text = stream.read()
    ctx.result.n_lines = text.count("\n") + 1
    for line_no, record in _records(text, ctx):
        if not isinstance(record, dict):
            ctx.bad("record is not an object", line_no)
            continue
        _event(record, line_no, ctx)


def _records(text: str, ctx: ParseContext) -> Iterator[tuple[int, Any]]:
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict) and isinstance(whole.get("Records"), list):
        # Line numbers need positions: re-scan records with the raw decoder below.
        pass
    elif whole is not None:
        yield 1, whole
        return
    key = text.find('"Records"')
    if key == -1:
        yield from _json_lines(text, ctx)
        return
    pos = text.find("[", key)
    line = text.count("\n", 0, pos) + 1
    while pos != -1:
        pos += 1
        while pos < len(text) and text[pos] in " \t\r\n,":
            if text[pos] == "\n":
                line += 1
            pos += 1
        if pos >= len(text):
            ctx.bad("truncated file", line)
            return
        if text[pos] == "]":
            return
        try:
            record, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError:
            ctx.bad("truncated or invalid record", line)
            return
        yield line, record
        line += text.count("\n", pos, end)
        pos = end


def _json_lines(text: str, ctx: ParseContext) -> Iterator[tuple[int, Any]]:
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError:
            ctx.bad("invalid json line", n)
            continue
        if isinstance(obj, dict) and isinstance(obj.get("Records"), list):
            for rec in obj["Records"]:
                yield n, rec
        else:
            yield n, obj


def _event(rec: dict[str, Any], line_no: int, ctx: ParseContext) -> None:
    name = rec.get("eventName")
    if rec.get("eventSource") not in ("s3.amazonaws.com", None) or not isinstance(name, str):
        ctx.skip("not an S3 event")
        return
    if rec.get("errorCode"):
        ctx.skip("failed request")
        return
    try:
        when = ctx.parse_time(str(rec["eventTime"]))
    except (KeyError, ValueError):
        ctx.bad("unreadable time", line_no)
        return
    params = rec.get("requestParameters") or {}
    if not isinstance(params, dict):
        ctx.bad("requestParameters not an object", line_no)
        return
    ident = rec.get("userIdentity") or {}
    account = ""
    if isinstance(ident, dict):
        account = str(ident.get("arn") or ident.get("userName") or ident.get("principalId") or "")
    ip = str(rec.get("sourceIPAddress") or "")
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        ip = ""
    bucket = str(params.get("bucketName") or "")
    extra = rec.get("additionalEventData") or {}
    sent = extra.get("bytesTransferredOut") if isinstance(extra, dict) else None

    def emit(path: str, action: str, recursive: bool = False) -> None:
        ctx.emit(
            Access(
                time=when,
                account=account,
                ip=ip,
                path_or_object=path,
                action=action,
                source_file=ctx.source,
                line_no=line_no,
                format=NAME,
                detail=name,
                bytes_read=int(sent)
                if isinstance(sent, (int, float)) and action != "listed"
                else None,
                recursive=recursive,
            )
        )

    if name in ("GetObject", "SelectObjectContent"):
        key = params.get("key")
        if not bucket or not isinstance(key, str):
            ctx.bad("object event without bucket or key", line_no)
            return
        emit(f"s3://{bucket}/{key}", "copied" if name == "GetObject" else "viewed")
    elif name == "CopyObject":
        src = str(params.get("x-amz-copy-source") or "")
        if "/" not in src:
            ctx.bad("copy without source", line_no)
            return
        emit("s3://" + unquote(src.lstrip("/").split("?", 1)[0]), "copied")
    elif name in ("ListObjects", "ListObjectsV2", "ListObjectVersions"):
        if not bucket:
            ctx.bad("list event without bucket", line_no)
            return
        prefix = str(params.get("prefix") or "")
        emit(f"s3://{bucket}/{prefix}", "listed", recursive=not params.get("delimiter"))
    else:
        ctx.skip("other S3 operation")
