"""Line renderers for synthetic access logs, one per format (used by ``synth_logs``).

They write what the real tools write, close enough that the parsers cannot tell: the
rendered Windows event messages, wevtutil XML, syslog envelopes, audit records, CLF.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

UTC = dt.UTC


# ----------------------------------------------------------------------------- Windows


@dataclass
class WinEvent:
    event_id: int
    time: dt.datetime
    computer: str
    data: dict[str, str] = field(default_factory=dict)


def win_read(
    t: dt.datetime,
    computer: str,
    user: str,
    domain: str,
    logon: str,
    path: str,
    process: str,
    mask: str = "0x1",
) -> WinEvent:
    return WinEvent(4663, t, computer, {
        "SubjectUserSid": "S-1-5-21-1004336348-1177238915-682003330-1107",
        "SubjectUserName": user, "SubjectDomainName": domain, "SubjectLogonId": logon,
        "ObjectServer": "Security", "ObjectType": "File", "ObjectName": path,
        "HandleId": "0x1b4", "AccessList": "%%4416" if mask == "0x1" else "%%4417",
        "AccessMask": mask, "ProcessId": "0x1a2c", "ProcessName": process,
        "ResourceAttributes": "S:AI",
    })  # fmt: skip


def win_share(
    t: dt.datetime,
    computer: str,
    user: str,
    domain: str,
    logon: str,
    ip: str,
    share: str,
    local: str,
    rel: str,
) -> WinEvent:
    return WinEvent(5145, t, computer, {
        "SubjectUserSid": "S-1-5-21-1004336348-1177238915-682003330-1107",
        "SubjectUserName": user, "SubjectDomainName": domain, "SubjectLogonId": logon,
        "ObjectType": "File", "IpAddress": ip or "-", "IpPort": "49832",
        "ShareName": f"\\\\*\\{share}", "ShareLocalPath": f"\\??\\{local}",
        "RelativeTargetName": rel, "AccessMask": "0x1", "AccessList": "%%4416",
        "AccessReason": "-",
    })  # fmt: skip


def win_logon(
    t: dt.datetime, computer: str, user: str, domain: str, logon: str, ip: str
) -> WinEvent:
    return WinEvent(4624, t, computer, {
        "SubjectUserSid": "S-1-0-0", "SubjectUserName": "-", "SubjectDomainName": "-",
        "SubjectLogonId": "0x0", "TargetUserSid": "S-1-5-21-1004336348-1177238915-682003330-1107",
        "TargetUserName": user, "TargetDomainName": domain, "TargetLogonId": logon,
        "LogonType": "3", "WorkstationName": "WS-7731", "IpAddress": ip, "IpPort": "51234",
    })  # fmt: skip


def win_process(
    t: dt.datetime, computer: str, user: str, domain: str, logon: str, image: str, cmd: str
) -> WinEvent:
    return WinEvent(4688, t, computer, {
        "SubjectUserSid": "S-1-5-21-1004336348-1177238915-682003330-1107",
        "SubjectUserName": user, "SubjectDomainName": domain, "SubjectLogonId": logon,
        "NewProcessId": "0x2f10", "NewProcessName": image, "TokenElevationType": "%%1938",
        "ProcessId": "0x1c04", "CommandLine": cmd, "ParentProcessName": "C:\\Windows\\System32\\cmd.exe",
    })  # fmt: skip


def _message(ev: WinEvent) -> str:
    d = ev.data
    subj = (
        f"\tSecurity ID:\t\t{d.get('SubjectUserSid', '')}\r\n\tAccount Name:\t\t{d['SubjectUserName']}\r\n"
        f"\tAccount Domain:\t\t{d['SubjectDomainName']}\r\n\tLogon ID:\t\t{d['SubjectLogonId']}\r\n"
    )
    if ev.event_id == 4663:
        return (
            "An attempt was made to access an object.\r\n\r\nSubject:\r\n"
            + subj
            + "\r\nObject:\r\n"
            f"\tObject Server:\t\tSecurity\r\n\tObject Type:\t\tFile\r\n\tObject Name:\t\t{d['ObjectName']}\r\n"
            f"\tHandle ID:\t\t{d['HandleId']}\r\n\tResource Attributes:\tS:AI\r\n\r\n"
            f"Process Information:\r\n\tProcess ID:\t\t{d['ProcessId']}\r\n\tProcess Name:\t\t{d['ProcessName']}\r\n\r\n"
            "Access Request Information:\r\n\tAccesses:\t\t"
            + (
                "ReadData (or ListDirectory)"
                if d["AccessMask"] == "0x1"
                else "WriteData (or AddFile)"
            )
            + f"\r\n\t\t\t\t\r\n\tAccess Mask:\t\t{d['AccessMask']}"
        )
    if ev.event_id == 5145:
        return (
            "A network share object was checked to see whether client can be granted desired access.\r\n\r\n"
            "Subject:\r\n" + subj + "\r\nNetwork Information:\t\r\n\tObject Type:\t\tFile\r\n"
            f"\tSource Address:\t\t{d['IpAddress']}\r\n\tSource Port:\t\t{d['IpPort']}\r\n\t\r\n"
            f"Share Information:\r\n\tShare Name:\t\t{d['ShareName']}\r\n\tShare Path:\t\t{d['ShareLocalPath']}\r\n"
            f"\tRelative Target Name:\t{d['RelativeTargetName']}\r\n\r\n"
            f"Access Request Information:\r\n\tAccess Mask:\t\t{d['AccessMask']}\r\n"
            "\tAccesses:\t\tReadData (or ListDirectory)\r\n\t\t\t\t\r\nAccess Check Results:\r\n\t-"
        )
    if ev.event_id == 4624:
        return (
            "An account was successfully logged on.\r\n\r\nSubject:\r\n"
            + subj
            + "\r\nLogon Information:\r\n\tLogon Type:\t\t3\r\n\tRestricted Admin Mode:\t-\r\n\r\n"
            f"New Logon:\r\n\tSecurity ID:\t\t{d['TargetUserSid']}\r\n\tAccount Name:\t\t{d['TargetUserName']}\r\n"
            f"\tAccount Domain:\t\t{d['TargetDomainName']}\r\n\tLogon ID:\t\t{d['TargetLogonId']}\r\n\r\n"
            f"Network Information:\r\n\tWorkstation Name:\t{d['WorkstationName']}\r\n"
            f"\tSource Network Address:\t{d['IpAddress']}\r\n\tSource Port:\t\t{d['IpPort']}"
        )
    return (
        "A new process has been created.\r\n\r\nCreator Subject:\r\n"
        + subj
        + "\r\nTarget Subject:\r\n\tSecurity ID:\t\tS-1-0-0\r\n\tAccount Name:\t\t-\r\n"
        "\tAccount Domain:\t\t-\r\n\tLogon ID:\t\t0x0\r\n\r\nProcess Information:\r\n"
        f"\tNew Process ID:\t\t{d['NewProcessId']}\r\n\tNew Process Name:\t{d['NewProcessName']}\r\n"
        f"\tToken Elevation Type:\t{d['TokenElevationType']}\r\n\tCreator Process ID:\t{d['ProcessId']}\r\n"
        f"\tCreator Process Name:\t{d['ParentProcessName']}\r\n\tProcess Command Line:\t{d['CommandLine']}"
    )


def win_csv(events: list[WinEvent], tz: dt.tzinfo) -> str:
    """``Get-WinEvent … | Export-Csv`` output: newest first, local 12-hour times."""
    cols = ["Message", "Id", "Version", "Qualifiers", "Level", "Task", "Opcode", "Keywords",
            "RecordId", "ProviderName", "ProviderId", "LogName", "ProcessId", "ThreadId",
            "MachineName", "UserId", "TimeCreated", "LevelDisplayName", "TaskDisplayName"]  # fmt: skip
    buf = io.StringIO()
    buf.write("#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n")
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(cols)
    for rid, ev in sorted(enumerate(events, start=1000), key=lambda x: x[1].time, reverse=True):
        local = ev.time.astimezone(tz)
        stamp = (
            f"{local.month}/{local.day}/{local.year} {local.strftime('%I:%M:%S %p').lstrip('0')}"
        )
        w.writerow([_message(ev), ev.event_id, "1", "", "0", "12800", "0", "-9214364837600034816",
                    rid, "Microsoft-Windows-Security-Auditing", "54849625-5478-4994-a5ba-3e3b0328c30d",
                    "Security", "4", "5012", ev.computer, "", stamp, "Information", "File System"])  # fmt: skip
    return buf.getvalue()


def win_xml(events: list[WinEvent], *, truncate_tail: bool) -> str:
    """``wevtutil qe Security /f:xml`` (wrapped in ``<Events>``), oldest first."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<Events>\n']
    ordered = sorted(events, key=lambda e: e.time)
    for rid, ev in enumerate(ordered, start=5000):
        stamp = ev.time.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"
        data = "".join(f"<Data Name={quoteattr(k)}>{escape(v)}</Data>" for k, v in ev.data.items())
        parts.append(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
            "<Provider Name='Microsoft-Windows-Security-Auditing' "
            "Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/>"
            f"<EventID>{ev.event_id}</EventID><Version>1</Version><Level>0</Level>"
            f"<Task>12800</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords>"
            f"<TimeCreated SystemTime='{stamp}'/><EventRecordID>{rid}</EventRecordID><Correlation/>"
            "<Execution ProcessID='4' ThreadID='5012'/><Channel>Security</Channel>"
            f"<Computer>{escape(ev.computer)}</Computer><Security/></System>"
            f"\n  <EventData>{data}</EventData></Event>\n"
        )
    if truncate_tail and ordered:
        # The export was cut off mid-event (a copy interrupted by the containment).
        last = parts[-1]
        parts[-1] = last[: len(last) // 2]
    else:
        parts.append("</Events>\n")
    return "".join(parts)


# ----------------------------------------------------------------------------- syslog


def bsd_stamp(t: dt.datetime) -> str:
    return f"{t:%b} {t.day:>2} {t:%H:%M:%S}"


def samba_line(t: dt.datetime, host: str, user: str, ip: str, machine: str, share: str, op: str,
               ok: str, args: list[str]) -> str:  # fmt: skip
    return f"{bsd_stamp(t)} {host} smbd_audit: " + "|".join(
        [user, ip, machine, share, op, ok, *args]
    )


# ----------------------------------------------------------------------------- auditd


def _audit_value(s: str) -> str:
    if any(c in s for c in " \"'\\") or not s.isascii() or any(ord(c) < 0x21 for c in s):
        return s.encode("utf-8").hex().upper()
    return f'"{s}"'


def audit_records(
    t: dt.datetime,
    serial: int,
    *,
    syscall: str,
    user: str,
    uid: int,
    ses: int,
    comm: str,
    exe: str,
    cwd: str,
    paths: list[tuple[str, str]],
    argv: list[str] | None = None,
    flags: int = 0,
    success: bool = True,
) -> list[str]:
    stamp = f"audit({t.timestamp():.3f}:{serial})"
    nums = {"openat": 257, "execve": 59}
    a2 = format(flags, "x")
    sysc = (
        f"type=SYSCALL msg={stamp}: arch=c000003e syscall={nums[syscall]} "
        f"success={'yes' if success else 'no'} exit={3 if success else -13} a0=ffffff9c a1=7ffd2c1e3a40 "
        f"a2={a2} a3=0 items={len(paths)} ppid=2211 pid=2345 auid={uid} uid={uid} gid={uid} "
        f"euid={uid} suid={uid} fsuid={uid} egid={uid} sgid={uid} fsgid={uid} tty=pts0 ses={ses} "
        f'comm="{comm}" exe="{exe}" subj=unconfined key="phi-watch"'
        f'\x1dARCH=x86_64 SYSCALL={syscall} AUID="{user}" UID="{user}" GID="{user}" EUID="{user}"'
    )
    out = [sysc]
    if argv is not None:
        args = " ".join(f"a{i}={_audit_value(a)}" for i, a in enumerate(argv))
        out.append(f"type=EXECVE msg={stamp}: argc={len(argv)} {args}")
    out.append(f"type=CWD msg={stamp}: cwd={_audit_value(cwd)}")
    for i, (name, mode) in enumerate(paths):
        out.append(
            f"type=PATH msg={stamp}: item={i} name={_audit_value(name)} inode={40000 + serial} "
            f"dev=fd:00 mode={mode} ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 "
            "cap_fe=0 cap_fver=0 cap_frootid=0"
        )
    out.append(f"type=PROCTITLE msg={stamp}: proctitle={comm.encode().hex().upper()}")
    out.append(f"type=EOE msg={stamp}: ")
    return out


def audit_login(t: dt.datetime, serial: int, user: str, uid: int, ses: int, ip: str) -> list[str]:
    stamp = f"audit({t.timestamp():.3f}:{serial})"
    return [
        f"type=USER_LOGIN msg={stamp}: pid=2200 uid=0 auid={uid} ses={ses} subj=unconfined "
        f'msg=\'op=login id={uid} exe="/usr/sbin/sshd" hostname={ip} addr={ip} terminal=sshd '
        f'res=success\'\x1dUID="root" AUID="{user}" ID="{user}"'
    ]


# ----------------------------------------------------------------------------- web, S3


def clf_stamp(t: dt.datetime) -> str:
    return t.astimezone(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")


def web_line(t: dt.datetime, ip: str, user: str, url: str, status: int, size: int,
             method: str = "GET") -> str:  # fmt: skip
    return (
        f'{ip} - {user or "-"} [{clf_stamp(t)}] "{method} {quote(url)} HTTP/1.1" {status} {size} '
        '"-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"'
    )


def s3_line(t: dt.datetime, bucket: str, ip: str, requester: str, op: str, key: str,
            status: int, sent: int | None, size: int | None, query: str = "") -> str:  # fmt: skip
    key_enc = quote(key, safe="/") if key else "-"
    uri = f"/{bucket}/{key_enc}" if key else f"/{bucket}?{query}"
    method = "GET"
    err = "-" if status < 400 else "AccessDenied"
    return (
        f"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be {bucket} "
        f"[{clf_stamp(t)}] {ip} {requester} 3E57427F3EXAMPLE {op} {key_enc} "
        f'"{method} {uri} HTTP/1.1" {status} {err} {sent if sent is not None else "-"} '
        f'{size if size is not None else "-"} 70 10 "-" "aws-cli/2.15.10 Python/3.11" - '
        "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 "
        f"ECDHE-RSA-AES128-GCM-SHA256 AuthHeader {bucket}.s3.us-east-1.amazonaws.com TLSv1.2 - -"
    )


def cloudtrail_record(t: dt.datetime, user_arn: str, ip: str, name: str, bucket: str,
                      params: dict[str, Any], error: str | None = None,
                      sent: int | None = None) -> dict[str, Any]:  # fmt: skip
    rec: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser", "principalId": "AIDA6ON6E4XEGITEXAMPLE", "arn": user_arn,
            "accountId": "111122223333", "userName": user_arn.rsplit("/", 1)[-1],
        },
        "eventTime": t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "s3.amazonaws.com",
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": ip,
        "userAgent": "[aws-cli/2.15.10 Python/3.11.6]",
        "requestParameters": {"bucketName": bucket, "Host": f"{bucket}.s3.us-east-1.amazonaws.com", **params},
        "responseElements": None,
        "requestID": "8E2C1A6B7F0D4E21",
        "eventID": "c2b7f1e8-9a0d-4c5e-8f1a-2b3c4d5e6f70",
        "readOnly": True,
        "eventType": "AwsApiCall",
        "managementEvent": False,
        "recipientAccountId": "111122223333",
        "eventCategory": "Data",
    }  # fmt: skip
    if sent is not None:
        rec["additionalEventData"] = {"bytesTransferredOut": float(sent), "x-amz-id-2": "EXAMPLE"}
    if error:
        rec["errorCode"] = error
        rec["errorMessage"] = "Access Denied"
    return rec


def cloudtrail_file(records: list[dict[str, Any]]) -> str:
    return json.dumps({"Records": records}, indent=1)


# ----------------------------------------------------------------------------- pgaudit


def pg_row(t: dt.datetime, user: str, db: str, ip: str, n: int, command: str, table: str,
           statement: str) -> str:  # fmt: skip
    stamp = t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d} UTC"
    klass = "READ"
    msg = f"AUDIT: SESSION,{n},1,{klass},{command},TABLE,{table},{_csvq(statement)},<not logged>"
    row = [stamp, user, db, "24511", f"{ip}:51234", "65a1b2c3.5fbf", str(n), command,
           stamp, "3/42", "0", "LOG", "00000", msg, "", "", "", "", "", "", "", "", "psql",
           "client backend", "", "0"]  # fmt: skip
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    return buf.getvalue().rstrip("\n")


def _csvq(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'
