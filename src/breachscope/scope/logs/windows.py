"""Windows Security log: 4663 object access, 5145 share access, 4624 logon, 4688 process.

Two exports are read:

* CSV from Event Viewer ("Save as CSV": ``Keywords,Date and Time,Source,Event ID,Task
  Category`` + the message) or PowerShell ``Get-WinEvent | Export-Csv`` (``Message``,
  ``Id``, ``TimeCreated``, ``MachineName`` …). Fields come from the rendered message.
* XML from ``wevtutil qe Security /f:xml`` or an EVTX→XML conversion: ``<Event>``
  elements, with or without an ``<Events>`` root, read one event at a time so a truncated
  file loses only its last event.

4663 carries no address: it is joined to the 4624 logon with the same Logon ID (either
order in the file, since ``Get-WinEvent`` lists newest first).
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import IO

from breachscope.scope.commands import ARCHIVER_PROCESSES, copied_from_command_line, program_name
from breachscope.scope.logs._base import ParseContext, numbered_lines
from breachscope.scope.model import Access

NAME_CSV = "windows-csv"
NAME_XML = "windows-xml"
EVENT_IDS = {"4663", "5145", "4624", "4688"}
EXFIL_PROCESSES = ARCHIVER_PROCESSES | {"rclone", "winscp", "pscp", "filezilla", "megasync"}
READ_DATA = 0x1
_EVENT_START = re.compile(r"<Event[\s>]")
csv.field_size_limit(16 * 1024 * 1024)


def sniff_csv(head: str) -> int:
    first = head.lstrip("\ufeff").splitlines()[:2]
    for line in first:
        if line.startswith("#TYPE"):
            continue
        cols = {c.strip().strip('"').lower() for c in line.split(",")}
        if "message" in cols and ("id" in cols or "event id" in cols or "eventid" in cols):
            return 100
        if "event id" in cols and "date and time" in cols:
            return 100
        return 0
    return 0


def sniff_xml(head: str) -> int:
    if "schemas.microsoft.com/win/2004/08/events/event" in head or (
        "<Event" in head and "<EventID" in head
    ):
        return 100
    return 0


@dataclass
class _Event:
    """The fields of one event we use, from either export."""

    event_id: str
    time: str
    computer: str
    data: dict[str, str]
    line_no: int


def parse_csv(stream: IO[str], ctx: ParseContext) -> None:
    _emit_all(_csv_events(stream, ctx), ctx, NAME_CSV)


def parse_xml(stream: IO[str], ctx: ParseContext) -> None:
    _emit_all(_xml_events(stream, ctx), ctx, NAME_XML)


# ---------------------------------------------------------------------------- CSV


def _csv_events(stream: IO[str], ctx: ParseContext) -> Iterator[_Event]:
    first = stream.readline()
    header_line = 1
    if first.startswith("#TYPE"):
        first = stream.readline()
        header_line = 2
    header = next(csv.reader([first.lstrip("\ufeff")]), [])
    cols = [h.strip().lower() for h in header]
    reader = csv.reader(stream)
    idx = {c: i for i, c in enumerate(cols)}
    i_msg = idx.get("message", len(cols))  # Event Viewer: message is the unnamed last column
    i_id = idx.get("id", idx.get("event id", idx.get("eventid", -1)))
    i_time = idx.get("timecreated", idx.get("date and time", -1))
    i_host = idx.get("machinename", -1)
    for row in reader:
        line_no = reader.line_num + header_line
        ctx.result.n_lines = line_no
        if not row or all(not c.strip() for c in row):
            continue
        if max(i_msg, i_id, i_time) >= len(row) or i_id < 0 or i_time < 0:
            ctx.bad("csv row has too few columns", line_no)
            continue
        event_id = row[i_id].strip()
        if event_id not in EVENT_IDS:
            ctx.skip(f"event {event_id or '?'}")
            continue
        fields = _message_fields(row[i_msg])
        if not fields:
            ctx.bad("event message not readable", line_no)
            continue
        host = row[i_host].strip() if 0 <= i_host < len(row) else ""
        yield _Event(event_id, row[i_time], host, _data_from_message(event_id, fields), line_no)


_SECTION = re.compile(r"^(\S[^:\t]*):\s*$")
_FIELD = re.compile(r"^\s+([A-Za-z][\w /()-]*?):\s*(.*)$")


def _message_fields(message: str) -> dict[str, str]:
    """``Section/Label`` → value over a rendered event message (continuations joined)."""
    out: dict[str, str] = {}
    section = ""
    last = ""
    for raw in message.replace("\r\n", "\n").split("\n"):
        if not raw.strip():
            last = ""
            continue
        m = _SECTION.match(raw)
        if m:
            section, last = m.group(1).strip(), ""
            continue
        f = _FIELD.match(raw)
        if f:
            last = f"{section}/{f.group(1).strip()}"
            out.setdefault(last, f.group(2).strip())
        elif last and raw[:1].isspace():
            out[last] = (out[last] + " " + raw.strip()).strip()
    return out


def _data_from_message(event_id: str, f: dict[str, str]) -> dict[str, str]:
    def first(*keys: str) -> str:
        for k in keys:
            if f.get(k):
                return f[k]
        return ""

    subj = (
        "Creator Subject"
        if event_id == "4688" and "Creator Subject/Account Name" in f
        else "Subject"
    )
    d = {
        "SubjectUserName": f.get(f"{subj}/Account Name", ""),
        "SubjectDomainName": f.get(f"{subj}/Account Domain", ""),
        "SubjectLogonId": f.get(f"{subj}/Logon ID", ""),
        "ObjectName": f.get("Object/Object Name", ""),
        "ObjectType": first("Object/Object Type", "Network Information/Object Type"),
        "ProcessName": first(
            "Process Information/Process Name", "Process Information/New Process Name"
        ),
        "CommandLine": f.get("Process Information/Process Command Line", ""),
        "AccessList": first("Access Request Information/Accesses"),
        "AccessMask": first("Access Request Information/Access Mask"),
        "IpAddress": first(
            "Network Information/Source Address", "Network Information/Source Network Address"
        ),
        "ShareName": f.get("Share Information/Share Name", ""),
        "ShareLocalPath": f.get("Share Information/Share Path", ""),
        "RelativeTargetName": f.get("Share Information/Relative Target Name", ""),
        "TargetUserName": f.get("New Logon/Account Name", ""),
        "TargetDomainName": f.get("New Logon/Account Domain", ""),
        "TargetLogonId": f.get("New Logon/Logon ID", ""),
    }
    return d


# ---------------------------------------------------------------------------- XML


def _xml_events(stream: IO[str], ctx: ParseContext) -> Iterator[_Event]:
    buf = ""
    start_line = 0
    n = 0
    for n, line in numbered_lines(stream):
        pos = 0
        text = line + "\n"
        while pos < len(text):
            if not buf:
                m = _EVENT_START.search(text, pos)
                if not m:
                    break
                start_line = n
                pos = m.start()
                buf = ""
            end = text.find("</Event>", pos)
            if end == -1:
                buf += text[pos:]
                if len(buf) > 4 * 1024 * 1024:
                    ctx.bad("event too large", start_line)
                    buf = ""
                break
            buf += text[pos : end + len("</Event>")]
            pos = end + len("</Event>")
            ev = _xml_event(buf, start_line, ctx)
            buf = ""
            if ev:
                yield ev
    ctx.result.n_lines = n
    if buf.strip():
        ctx.bad("truncated event at end of file", start_line)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_event(chunk: str, line_no: int, ctx: ParseContext) -> _Event | None:
    try:
        root = ET.fromstring(chunk)
    except ET.ParseError:
        ctx.bad("invalid event xml", line_no)
        return None
    event_id = time = computer = ""
    data: dict[str, str] = {}
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "EventID":
            event_id = (el.text or "").strip()
        elif tag == "TimeCreated":
            time = el.get("SystemTime", "")
        elif tag == "Computer":
            computer = (el.text or "").strip()
        elif tag == "Data" and el.get("Name"):
            data[el.get("Name", "")] = (el.text or "").strip()
    if event_id not in EVENT_IDS:
        ctx.skip(f"event {event_id or '?'}")
        return None
    if not time:
        ctx.bad("event without time", line_no)
        return None
    return _Event(event_id, time, computer, data, line_no)


# ---------------------------------------------------------------------------- events


def _emit_all(events: Iterator[_Event], ctx: ParseContext, fmt: str) -> None:
    logon_ip: dict[tuple[str, str], str] = {}
    pending: list[tuple[Access, tuple[str, str]]] = []
    for ev in events:
        try:
            when = ctx.parse_time(ev.time)
        except ValueError:
            ctx.bad("unreadable time", ev.line_no)
            continue
        d = ev.data
        host = _short_host(ev.computer or ctx.options.host or "")
        if ev.event_id == "4624":
            ip = _ip(d.get("IpAddress", ""))
            if d.get("TargetLogonId") and ip:
                logon_ip[(host, d["TargetLogonId"].lower())] = ip
            continue
        account = _account(d.get("SubjectDomainName", ""), d.get("SubjectUserName", ""))
        logon = (host, d.get("SubjectLogonId", "").lower())
        base = Access(
            time=when,
            account=account,
            ip=_ip(d.get("IpAddress", "")),
            path_or_object="",
            action="viewed",
            source_file=ctx.source,
            line_no=ev.line_no,
            format=fmt,
        )
        if ev.event_id == "4688":
            tool, sources = copied_from_command_line(d.get("CommandLine", ""))
            if not tool:
                ctx.skip("process without copy")
                continue
            for src in sources:
                acc = replace(
                    base, path_or_object=src, action="copied", detail=tool, recursive=True
                )
                pending.append((acc, logon))
            continue
        if not _is_read(d.get("AccessMask", ""), d.get("AccessList", "")):
            ctx.skip("not a read")
            continue
        process = program_name(d.get("ProcessName", "")) if d.get("ProcessName") else ""
        action = "copied" if process in EXFIL_PROCESSES else "viewed"
        detail = "ReadData" + (f" by {process}" if process else "")
        if ev.event_id == "4663":
            name = d.get("ObjectName", "")
            if not name or d.get("ObjectType", "File") not in ("File", ""):
                ctx.skip("not a file object")
                continue
            acc = replace(base, path_or_object=name, action=action, detail=detail)
        else:  # 5145
            share = d.get("ShareName", "")
            if not share or share.upper().endswith("IPC$"):
                ctx.skip("not a file share")
                continue
            rel = d.get("RelativeTargetName", "").strip("\\")
            share_name = share.replace("\\\\*\\", "").strip("\\")
            unc = f"\\\\{host or '*'}\\{share_name}" + (f"\\{rel}" if rel else "")
            local = d.get("ShareLocalPath", "")
            aliases = ((local.rstrip("\\") + (f"\\{rel}" if rel else "")),) if local else ()
            acc = replace(base, path_or_object=unc, aliases=aliases, action=action, detail=detail)
        pending.append((acc, logon))
    for acc, key in pending:
        ip = logon_ip.get(key, "") if key[1] else ""
        ctx.emit(replace(acc, ip=ip) if ip and not acc.ip else acc)


def _is_read(mask: str, access_list: str) -> bool:
    m = mask.strip().lower()
    try:
        if m and int(m, 16) & READ_DATA:
            return True
    except ValueError:
        pass
    return "readdata" in access_list.lower() or "%%4416" in access_list


def _account(domain: str, user: str) -> str:
    user = user.strip()
    if not user or user == "-":
        return ""
    domain = domain.strip()
    return f"{domain}\\{user}" if domain and domain != "-" else user


def _ip(value: str) -> str:
    v = value.strip()
    if v in ("", "-", "::1", "127.0.0.1"):
        return ""
    return v[7:] if v.lower().startswith("::ffff:") else v


def _short_host(computer: str) -> str:
    return computer.split(".", 1)[0].lower()
