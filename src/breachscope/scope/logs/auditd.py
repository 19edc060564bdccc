"""Linux auditd (``/var/log/audit/audit.log``, raw or ENRICHED format).

Records of one event share ``msg=audit(<epoch>:<serial>)`` and are joined by serial:
``SYSCALL`` (who: ``auid``/``AUID``, ``comm``, ``exe``, ``ses``; open flags), ``CWD``,
``PATH`` (``name``, ``mode``, ``nametype``) and ``EXECVE`` (the arguments). The address
comes from the session's ``USER_LOGIN``/``USER_START`` record (``addr=``), joined by ``ses``.

* open/openat read-only or read-write → viewed (a directory → listed);
* opened by an archiver or transfer tool (tar, zip, 7z, scp, rsync, curl, rclone,
  sftp-server) → copied;
* execve of an archive or transfer command → copied for each source argument.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import IO

from breachscope.scope.commands import ARCHIVERS, TRANSFERS, copied_sources, program_name
from breachscope.scope.logs._base import UTC, ParseContext, numbered_lines
from breachscope.scope.model import Access

NAME = "auditd"
OPEN_SYSCALLS = {"2": "open", "257": "openat", "437": "openat2", "59": "execve"}
COPY_COMMS = ARCHIVERS | TRANSFERS | {"sftp-server", "internal-sftp", "rclone", "smbclient"}
UNSET_ID = "4294967295"
O_ACCMODE, O_WRONLY, O_DIRECTORY = 0o3, 0o1, 0o200000
_RECORD = re.compile(r"^(?:node=(\S+) )?type=(\w+) msg=audit\((\d+(?:\.\d+)?):(\d+)\):\s?(.*)$")
_KV = re.compile(r"""([\w\[\]]+)=("(?:[^"]*)"|'[^']*'|\S+)""")
_HEX = re.compile(r"^(?:[0-9A-F]{2})+$")


def sniff(head: str) -> int:
    return sum(1 for line in head.splitlines() if _RECORD.match(line)) * 2


def _fields(body: str) -> dict[str, str]:
    # ENRICHED logs append '\x1dUID="jdoe" AUID="jdoe" ...' — upper-case keys, kept apart.
    out: dict[str, str] = {}
    for part in body.split("\x1d"):
        for k, v in _KV.findall(part):
            out.setdefault(k, v)
    return out


def _value(raw: str | None) -> str:
    """A field value: quoted text, or hex-encoded bytes when it held special characters."""
    if raw is None or raw in ("(null)", "?"):
        return ""
    if raw[:1] in ('"', "'"):
        return raw[1:-1]
    if _HEX.match(raw):
        return bytes.fromhex(raw).decode("utf-8", errors="replace")
    return raw


def parse(stream: IO[str], ctx: ParseContext) -> None:
    events: dict[str, list[tuple[str, dict[str, str], int]]] = {}
    times: dict[str, dt.datetime] = {}
    ses_ip: dict[str, str] = {}
    pending: list[tuple[Access, str]] = []

    def flush(serial: str) -> None:
        recs = events.pop(serial, [])
        when = times.pop(serial)
        pending.extend(_event(recs, when, ctx))

    for n, line in numbered_lines(stream):
        ctx.result.n_lines = n
        if not line.strip():
            continue
        m = _RECORD.match(line)
        if not m:
            if "msg=audit(" in line:
                ctx.bad("record not readable", n)
            else:
                ctx.skip("not an audit record")
            continue
        _node, rtype, stamp, serial, body = m.groups()
        f = _fields(body)
        if rtype in ("USER_LOGIN", "USER_START", "USER_AUTH", "CRED_ACQ", "USER_ACCT"):
            inner = dict(_KV.findall(_value(f.get("msg")))) if "msg" in f else {}
            addr = _value(inner.get("addr") or f.get("addr"))
            ses = f.get("ses", "")
            if addr and ses and ses != UNSET_ID:
                ses_ip[ses] = addr
            continue
        if rtype == "EOE":
            if serial in events:
                flush(serial)
            continue
        if rtype not in ("SYSCALL", "CWD", "PATH", "EXECVE"):
            ctx.skip(f"record {rtype}")
            continue
        key = f"{stamp}:{serial}"
        if key not in events:
            times[key] = dt.datetime.fromtimestamp(float(stamp), UTC)
            events[key] = []
            if len(events) > 10_000:  # no EOE records: flush the oldest
                flush(next(iter(events)))
        events[key].append((rtype, f, n))
    for key in list(events):
        flush(key)
    for acc, ses in pending:
        ip = ses_ip.get(ses, "")
        ctx.emit(replace(acc, ip=ip) if ip else acc)


def _event(
    recs: list[tuple[str, dict[str, str], int]], when: dt.datetime, ctx: ParseContext
) -> list[tuple[Access, str]]:
    sysc = next((f for t, f, _ in recs if t == "SYSCALL"), None)
    line_no = recs[0][2] if recs else 0
    if sysc is None:
        if recs:
            ctx.bad("event without SYSCALL record", line_no)
        return []
    if sysc.get("success", "yes") != "yes":
        ctx.skip("failed syscall")
        return []
    syscall = sysc.get("SYSCALL") or OPEN_SYSCALLS.get(sysc.get("syscall", ""), "")
    if syscall not in ("open", "openat", "openat2", "execve"):
        ctx.skip("other syscall")
        return []
    account = _value(sysc.get("AUID"))
    if not account or account == "unset":
        auid = sysc.get("auid", "")
        account = auid if auid and auid != UNSET_ID else _value(sysc.get("UID") or sysc.get("uid"))
    comm = program_name(_value(sysc.get("comm")) or _value(sysc.get("exe")))
    cwd = next((_value(f.get("cwd")) for t, f, _ in recs if t == "CWD"), "")
    base = Access(
        time=when,
        account=account,
        ip="",
        path_or_object="",
        action="viewed",
        source_file=ctx.source,
        line_no=line_no,
        format=NAME,
        detail=comm,
    )
    ses = sysc.get("ses", "")
    out: list[tuple[Access, str]] = []
    if syscall == "execve":
        ex: dict[str, str] = {}
        for t, f, _ in recs:
            if t == "EXECVE":
                ex.update(f)  # long argument lists span several EXECVE records
        if not ex:
            return []
        try:
            argc = int(ex.get("argc", "0"))
        except ValueError:
            ctx.bad("execve arguments not readable", line_no)
            return []
        argv = [_arg(ex, i) for i in range(argc)]
        tool, sources = copied_sources(argv)
        for src in sources:
            path = _join(cwd, src)
            out.append(
                (
                    replace(
                        base, path_or_object=path, action="copied", detail=tool, recursive=True
                    ),
                    ses,
                )
            )
        if not sources:
            ctx.skip("command without copy")
        return out
    flags = _open_flags(syscall, sysc)
    if flags is not None and flags & O_ACCMODE == O_WRONLY:
        ctx.skip("not a read")
        return []
    for t, f, _ in recs:
        if t != "PATH" or _value(f.get("nametype")) not in ("NORMAL", ""):
            continue
        name = _value(f.get("name"))
        if not name:
            continue
        is_dir = _value(f.get("mode")).startswith("040") or bool(
            flags is not None and flags & O_DIRECTORY
        )
        action = "listed" if is_dir else ("copied" if comm in COPY_COMMS else "viewed")
        out.append((replace(base, path_or_object=_join(cwd, name), action=action), ses))
    return out


def _arg(ex: dict[str, str], i: int) -> str:
    if f"a{i}" in ex:
        return _value(ex[f"a{i}"])
    # An argument too long for one record: a5_len=… a5[0]=… a5[1]=…
    parts: list[str] = []
    k = 0
    while f"a{i}[{k}]" in ex:
        parts.append(ex[f"a{i}[{k}]"])
        k += 1
    joined = "".join(p[1:-1] if p[:1] == '"' else p for p in parts)
    return _value(joined) if joined and not (parts and parts[0][:1] == '"') else joined


def _open_flags(syscall: str, sysc: dict[str, str]) -> int | None:
    arg = sysc.get("a1") if syscall == "open" else sysc.get("a2")
    try:
        return int(arg, 16) if arg else None
    except ValueError:
        return None


def _join(cwd: str, name: str) -> str:
    if name.startswith("/") or not cwd:
        return name
    return cwd.rstrip("/") + "/" + name
