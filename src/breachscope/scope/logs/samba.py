"""Samba ``vfs_full_audit`` lines sent to syslog.

``smbd_audit: <prefix fields>|<operation>|ok|<arguments>``; the prefix is whatever
``full_audit:prefix`` says (default ``%u|%I``; commonly ``%u|%I|%m|%S``). Give the prefix
as the log's ``samba_prefix`` option, or let the parser guess: the user is the first field,
the address the first field that is an IP, the share the field before the operation.

Paths are relative to the share and become ``\\\\host\\share\\path`` (``\\\\host\\path``
when the prefix has no share); absolute paths are kept as they are.
"""

from __future__ import annotations

import ipaddress
import re
from typing import IO

from breachscope.scope.logs._base import ParseContext, numbered_lines
from breachscope.scope.logs.syslog import parse_syslog
from breachscope.scope.model import Access

NAME = "samba"
TAG = "smbd_audit"
READ_OPS = {"pread", "pread_send", "pread_recv", "read", "sendfile", "recvfile"}
OPEN_OPS = {"open", "openat", "openat2"}
LIST_OPS = {"opendir", "fdopendir", "readdir", "readdir_attr"}
_SNIFF = re.compile(r"\bsmbd_audit(?:\[\d+\])?:\s*[^|]*\|")


def sniff(head: str) -> int:
    return sum(1 for line in head.splitlines() if _SNIFF.search(line))


def parse(stream: IO[str], ctx: ParseContext) -> None:
    spec = _prefix_spec(ctx.options.samba_prefix)
    for n, line in numbered_lines(stream):
        ctx.result.n_lines = n
        if TAG not in line:
            if line.strip():
                ctx.skip("other program")
            continue
        sl = parse_syslog(line, ctx)
        if sl is None or not sl.tag.startswith(TAG):
            ctx.bad("syslog envelope not readable", n)
            continue
        fields = sl.message.split("|")
        op_i = next(
            (
                i
                for i in range(len(fields) - 1)
                if fields[i + 1] == "ok" or fields[i + 1].startswith("fail")
            ),
            -1,
        )
        if op_i < 1:
            ctx.bad("audit fields not readable", n)
            continue
        if fields[op_i + 1] != "ok":
            ctx.skip("failed operation")
            continue
        prefix, op, args = fields[:op_i], fields[op_i].lower(), fields[op_i + 2 :]
        user, ip, share = _prefix(prefix, spec)
        action, target = _operation(op, args)
        if not action:
            ctx.skip("not a read")
            continue
        if not target:
            ctx.bad("operation without path", n)
            continue
        host = ctx.options.host or sl.host.split(".", 1)[0]
        if target.startswith("/"):
            path = target
        else:
            rel = target.replace("/", "\\").lstrip(".\\")
            parts = [p for p in (host, share, rel) if p]
            path = "\\\\" + "\\".join(parts)
        ctx.emit(
            Access(
                time=sl.time,
                account=user,
                ip=ip,
                path_or_object=path,
                action=action,
                source_file=ctx.source,
                line_no=n,
                format=NAME,
                detail=op,
            )
        )


def _operation(op: str, args: list[str]) -> tuple[str, str]:
    if op in OPEN_OPS:
        # 'openat|ok|r|path' ; older 'open|ok|r|path' ; some builds omit the flag
        if len(args) >= 2 and args[0] in ("r", "w"):
            return ("viewed", args[1]) if args[0] == "r" else ("", "")
        return ("viewed", args[0]) if args else ("viewed", "")
    if op in READ_OPS:
        return "viewed", args[-1] if args else ""
    if op in LIST_OPS:
        return "listed", args[-1] if args else ""
    if op == "create_file":
        # create_file|ok|0x120089|file|open|path  (access mask, kind, disposition, path)
        try:
            mask = int(args[0], 16)
        except (ValueError, IndexError):
            return "", ""
        if not mask & 0x1:
            return "", ""
        return ("listed" if len(args) > 1 and args[1] == "dir" else "viewed"), args[-1]
    return "", ""


def _prefix_spec(spec: str | None) -> list[str] | None:
    if not spec:
        return None
    return [s.strip() for s in spec.split("|")]


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


def _prefix(prefix: list[str], spec: list[str] | None) -> tuple[str, str, str]:
    if spec and len(spec) == len(prefix):
        got = dict(zip(spec, prefix, strict=True))
        user = got.get("%u") or got.get("%U") or ""
        domain = got.get("%D", "")
        if domain and "\\" not in user:
            user = f"{domain}\\{user}"
        ip = got.get("%I", "")
        share = got.get("%S") or got.get("%P", "").rstrip("/").rsplit("/", 1)[-1]
        return user, ip, share
    user = prefix[0]
    ips = [p for p in prefix[1:] if _is_ip(p)]
    ip = ips[0].strip("[]") if ips else ""
    rest = [p for p in prefix[1:] if not _is_ip(p)]
    share = rest[-1] if len(prefix) >= 4 and rest else ""
    return user, ip, share
