"""Access-log parsers: realistic samples per format, malformed lines, odd encodings."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachscope.scope import FORMAT_NAMES, detect_formats, read_log
from breachscope.scope.logs._base import LogOptions
from breachscope.scope.model import Access, LogResult

UTC = dt.UTC
CANARY = "ZZCANARY-Q7"  # appears only in malformed lines: must never be echoed


def _t(*a: int) -> dt.datetime:
    return dt.datetime(*a, tzinfo=UTC)


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _echo_free(res: LogResult) -> None:
    assert CANARY not in repr(res.malformed) + repr(res.ignored) + repr(res.malformed_lines)


def _by_path(res: LogResult) -> dict[str, Access]:
    return {a.path_or_object: a for a in res.accesses}


# ----------------------------------------------------------------------------- Windows CSV

MSG_4663 = (
    "An attempt was made to access an object.\r\n\r\nSubject:\r\n"
    "\tSecurity ID:\t\tS-1-5-21-1-2-3-1107\r\n\tAccount Name:\t\t{user}\r\n"
    "\tAccount Domain:\t\tCORP\r\n\tLogon ID:\t\t{logon}\r\n\r\nObject:\r\n"
    "\tObject Server:\t\tSecurity\r\n\tObject Type:\t\tFile\r\n\tObject Name:\t\t{path}\r\n"
    "\tHandle ID:\t\t0x1b4\r\n\tResource Attributes:\tS:AI\r\n\r\nProcess Information:\r\n"
    "\tProcess ID:\t\t0x1a2c\r\n\tProcess Name:\t\t{proc}\r\n\r\n"
    "Access Request Information:\r\n\tAccesses:\t\t{accesses}\r\n\t\t\t\t\r\n"
    "\tAccess Mask:\t\t{mask}"
)
MSG_4624 = (
    "An account was successfully logged on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-0-0\r\n"
    "\tAccount Name:\t\t-\r\n\tAccount Domain:\t\t-\r\n\tLogon ID:\t\t0x0\r\n\r\n"
    "Logon Information:\r\n\tLogon Type:\t\t3\r\n\r\nNew Logon:\r\n\tSecurity ID:\t\tS-1-5-21-1\r\n"
    "\tAccount Name:\t\tjdoe-adm\r\n\tAccount Domain:\t\tCORP\r\n\tLogon ID:\t\t0x5F3A21\r\n\r\n"
    "Network Information:\r\n\tWorkstation Name:\tKALI\r\n"
    "\tSource Network Address:\t203.0.113.45\r\n\tSource Port:\t\t51234"
)
MSG_5145 = (
    "A network share object was checked to see whether client can be granted desired access.\r\n\r\n"
    "Subject:\r\n\tSecurity ID:\t\tS-1-5-21-1\r\n\tAccount Name:\t\tsvc_scan\r\n"
    "\tAccount Domain:\t\tCORP\r\n\tLogon ID:\t\t0x77\r\n\r\nNetwork Information:\t\r\n"
    "\tObject Type:\t\tFile\r\n\tSource Address:\t\t198.51.100.7\r\n\tSource Port:\t\t49832\r\n\t\r\n"
    "Share Information:\r\n\tShare Name:\t\t{share}\r\n\tShare Path:\t\t\\??\\D:\\Shares\\Clients\r\n"
    "\tRelative Target Name:\t{rel}\r\n\r\nAccess Request Information:\r\n"
    "\tAccess Mask:\t\t0x1\r\n\tAccesses:\t\tReadData (or ListDirectory)\r\n"
)
MSG_4688 = (
    "A new process has been created.\r\n\r\nCreator Subject:\r\n\tSecurity ID:\t\tS-1-5-21-1\r\n"
    "\tAccount Name:\t\tjdoe-adm\r\n\tAccount Domain:\t\tCORP\r\n\tLogon ID:\t\t0x5F3A21\r\n\r\n"
    "Target Subject:\r\n\tSecurity ID:\t\tS-1-0-0\r\n\tAccount Name:\t\t-\r\n"
    "\tAccount Domain:\t\t-\r\n\tLogon ID:\t\t0x0\r\n\r\nProcess Information:\r\n"
    "\tNew Process ID:\t\t0x2f10\r\n\tNew Process Name:\tC:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\r\n"
    "\tProcess Command Line:\tpowershell.exe -NoProfile -Command Compress-Archive -Path "
    "'D:\\Shares\\Clients\\mercy\\claims 2024','D:\\Shares\\Clients\\mercy\\roster.csv' "
    "-DestinationPath C:\\Users\\Public\\p.zip"
)


def _ps_row(msg: str, event_id: int, when: str, host: str = "FS01.corp.example") -> str:
    q = msg.replace('"', '""')
    return (
        f'"{q}","{event_id}","1","","0","12800","0","-9214364837600034816","1","Microsoft-Windows-Security-Auditing",'
        f'"54849625","Security","4","5012","{host}","","{when}"\r\n'
    )


PS_HEADER = (
    "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
    '"Message","Id","Version","Qualifiers","Level","Task","Opcode","Keywords","RecordId",'
    '"ProviderName","ProviderId","LogName","ProcessId","ThreadId","MachineName","UserId","TimeCreated"\r\n'
)


def _powershell_csv() -> str:
    read = MSG_4663.format(user="jdoe-adm", logon="0x5F3A21", path="D:\\Shares\\Clients\\mercy\\roster.csv",
                           proc="C:\\Windows\\System32\\notepad.exe", accesses="ReadData (or ListDirectory)", mask="0x1")  # fmt: skip
    zipped = MSG_4663.format(user="jdoe-adm", logon="0x5F3A21", path="D:\\Shares\\Clients\\mercy\\claims.xlsx",
                             proc="C:\\Program Files\\7-Zip\\7z.exe", accesses="ReadData (or ListDirectory)", mask="0x1")  # fmt: skip
    write = MSG_4663.format(user="jdoe-adm", logon="0x5F3A21", path="C:\\Users\\Public\\p.zip",
                            proc="C:\\Windows\\explorer.exe", accesses="WriteData (or AddFile)", mask="0x2")  # fmt: skip
    # Newest first, as Get-WinEvent lists them: the logon comes after the reads in the file.
    return (
        PS_HEADER
        + _ps_row(MSG_4688, 4688, "1/28/2025 10:15:00 PM")
        + _ps_row(write, 4663, "1/28/2025 10:14:09 PM")
        + _ps_row(zipped, 4663, "1/28/2025 10:14:08 PM")
        + _ps_row(read, 4663, "1/28/2025 10:14:07 PM")
        + _ps_row(
            MSG_5145.format(share="\\\\*\\clients", rel="mercy\\notes.docx"),
            5145,
            "1/28/2025 10:14:05 PM",
        )
        + _ps_row(MSG_5145.format(share="\\\\*\\IPC$", rel="srvsvc"), 5145, "1/28/2025 10:14:04 PM")
        + _ps_row(MSG_4624, 4624, "1/28/2025 10:14:00 PM")
        + _ps_row("A handle to an object was requested.", 4656, "1/28/2025 10:13:00 PM")
        + f'"{CANARY} short row","4663"\r\n'
    )


def test_powershell_csv_utf16(tmp_path: Path) -> None:
    p = _write(tmp_path, "fs01.csv", "\ufeff" + _powershell_csv(), "utf-16-le")
    res = read_log(p, options=LogOptions(timezone="America/New_York"))
    assert res.formats == ["windows-csv"]
    assert res.encoding == "utf-16"
    got = _by_path(res)
    read = got["D:\\Shares\\Clients\\mercy\\roster.csv"]
    # 10:14:07 PM New York = 03:14:07 UTC next day; the IP comes from the 4624 with the same Logon ID.
    assert read.time == _t(2025, 1, 29, 3, 14, 7)
    assert (read.account, read.ip, read.action) == ("CORP\\jdoe-adm", "203.0.113.45", "viewed")
    assert got["D:\\Shares\\Clients\\mercy\\claims.xlsx"].action == "copied"  # read by 7z.exe
    share = got["\\\\fs01\\clients\\mercy\\notes.docx"]
    assert (share.account, share.ip) == ("CORP\\svc_scan", "198.51.100.7")
    assert share.aliases == ("\\??\\D:\\Shares\\Clients\\mercy\\notes.docx",)
    archived = [a for a in res.accesses if a.detail == "Compress-Archive"]
    assert {a.path_or_object for a in archived} == {
        "D:\\Shares\\Clients\\mercy\\claims 2024",
        "D:\\Shares\\Clients\\mercy\\roster.csv",
    }
    assert all(a.action == "copied" and a.recursive for a in archived)
    assert "C:\\Users\\Public\\p.zip" not in got  # a write is not an access
    assert res.ignored["not a read"] == 1 and res.ignored["not a file share"] == 1
    assert res.ignored["event 4656"] == 1
    assert res.malformed["csv row has too few columns"] == 1
    _echo_free(res)


def test_event_viewer_csv_in_a_legacy_code_page(tmp_path: Path) -> None:
    msg = MSG_4663.format(user="jdoe-adm", logon="0x1", path="D:\\Shares\\Clients\\Résumé\\a.csv",
                          proc="C:\\Windows\\explorer.exe", accesses="ReadData (or ListDirectory)", mask="0x1")  # fmt: skip
    text = (
        "Keywords,Date and Time,Source,Event ID,Task Category\r\n"
        f'Audit Success,28/01/2025 03:14:07,Microsoft-Windows-Security-Auditing,4663,File System,"{msg}"\r\n'
    )
    p = _write(tmp_path, "export.csv", text, "cp1252")
    res = read_log(p, options=LogOptions(date_order="dmy"))
    assert res.formats == ["windows-csv"] and res.encoding == "cp1252"
    (acc,) = res.accesses
    assert acc.path_or_object == "D:\\Shares\\Clients\\Résumé\\a.csv"
    assert acc.time == _t(2025, 1, 28, 3, 14, 7)


# ----------------------------------------------------------------------------- Windows XML


def _xml_event(
    event_id: int, when: str, data: dict[str, str], computer: str = "FS03.corp.example"
) -> str:
    fields = "".join(f"<Data Name='{k}'>{v}</Data>" for k, v in data.items())
    return (
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
        "<Provider Name='Microsoft-Windows-Security-Auditing'/>"
        f"<EventID>{event_id}</EventID><TimeCreated SystemTime='{when}'/>"
        f"<Computer>{computer}</Computer></System><EventData>{fields}</EventData></Event>"
    )


def test_wevtutil_xml_without_root_and_truncated(tmp_path: Path) -> None:
    read = _xml_event(4663, "2025-01-28T03:14:07.1234567Z", {
        "SubjectUserName": "jdoe-adm", "SubjectDomainName": "CORP", "SubjectLogonId": "0x9",
        "ObjectType": "File", "ObjectName": "E:\\Data\\Clients\\mercy\\a&amp;b.csv",
        "AccessList": "%%4416\n\t\t\t\t", "AccessMask": "0x1", "ProcessName": "C:\\ProgramData\\rc\\rclone.exe",
    })  # fmt: skip
    logon = _xml_event(4624, "2025-01-28T03:14:00.0000000Z", {
        "TargetUserName": "jdoe-adm", "TargetDomainName": "CORP", "TargetLogonId": "0x9",
        "IpAddress": "::ffff:203.0.113.9",
    })  # fmt: skip
    share = _xml_event(5145, "2025-01-28T03:15:00.5000000Z", {
        "SubjectUserName": "svc_scan", "SubjectDomainName": "CORP", "SubjectLogonId": "0x7",
        "ObjectType": "File", "IpAddress": "198.51.100.7", "ShareName": "\\\\*\\clients",
        "ShareLocalPath": "\\??\\E:\\Data\\Clients", "RelativeTargetName": "mercy",
        "AccessMask": "0x1", "AccessList": "%%4416",
    })  # fmt: skip
    broken = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>4663</Event>"
    tail = read[: len(read) // 2] + CANARY
    text = logon + "\n" + read + "\n" + broken + "\n" + share + "\n" + tail
    res = read_log(_write(tmp_path, "sec.xml", text))
    assert res.formats == ["windows-xml"]
    got = _by_path(res)
    acc = got["E:\\Data\\Clients\\mercy\\a&b.csv"]
    assert (acc.action, acc.ip, acc.time) == (
        "copied",
        "203.0.113.9",
        _t(2025, 1, 28, 3, 14, 7, 123456),
    )
    assert got["\\\\fs03\\clients\\mercy"].time == _t(2025, 1, 28, 3, 15, 0, 500000)
    assert res.malformed == {"invalid event xml": 1, "truncated event at end of file": 1}
    assert res.malformed_lines["truncated event at end of file"] == [6]  # AccessList spans 2 lines
    _echo_free(res)


# ----------------------------------------------------------------------------- Samba

SAMBA = f"""\
Jan 28 03:14:07 fs02 smbd_audit: svc_scan|198.51.100.7|WS-9|clients|openat|ok|r|mercy/roster.csv
Jan 28 03:14:07 fs02 smbd_audit: svc_scan|198.51.100.7|WS-9|clients|pread_recv|ok|mercy/roster.csv
Jan 28 03:14:08 fs02 smbd_audit: svc_scan|198.51.100.7|WS-9|clients|opendir|ok|mercy
Jan 28 03:14:09 fs02 smbd_audit: svc_scan|198.51.100.7|WS-9|clients|openat|fail (Permission denied)|r|hr/pay.csv
Jan 28 03:14:10 fs02 smbd_audit: svc_scan|198.51.100.7|WS-9|clients|openat|ok|w|mercy/new.txt
Jan 28 03:14:11 fs02 smbd_audit: svc_scan|198.51.100.7|WS-9|clients|create_file|ok|0x120089|file|open|mercy/b.pdf
2025-01-28T03:14:12.250000+00:00 fs02 smbd_audit[811]: CORP\\jdoe-adm|203.0.113.5|WS-1|clients|openat|ok|r|mercy/c.pdf
Jan 28 03:14:13 fs02 CRON[99]: (root) CMD (true)
Jan 28 03:1 fs02 smbd_audit: {CANARY}|broken
Jan 28 03:14:14 fs02 smbd_audit: {CANARY} no fields at all
"""


def test_samba_full_audit(tmp_path: Path) -> None:
    res = read_log(_write(tmp_path, "messages", SAMBA), options=LogOptions(year=2025))
    assert res.formats == ["samba"]
    got = [(a.path_or_object, a.action, a.account, a.ip) for a in res.accesses]
    assert got == [
        ("\\\\fs02\\clients\\mercy\\roster.csv", "viewed", "svc_scan", "198.51.100.7"),
        ("\\\\fs02\\clients\\mercy\\roster.csv", "viewed", "svc_scan", "198.51.100.7"),
        ("\\\\fs02\\clients\\mercy", "listed", "svc_scan", "198.51.100.7"),
        ("\\\\fs02\\clients\\mercy\\b.pdf", "viewed", "svc_scan", "198.51.100.7"),
        ("\\\\fs02\\clients\\mercy\\c.pdf", "viewed", "CORP\\jdoe-adm", "203.0.113.5"),
    ]
    assert res.accesses[0].time == _t(2025, 1, 28, 3, 14, 7)
    assert res.accesses[-1].time == _t(2025, 1, 28, 3, 14, 12, 250000)
    assert res.ignored["failed operation"] == 1 and res.ignored["not a read"] == 1
    assert res.malformed == {"syslog envelope not readable": 1, "audit fields not readable": 1}
    _echo_free(res)


def test_samba_configured_prefix_and_syslog_year(tmp_path: Path) -> None:
    text = "Dec 31 23:59:00 fs02 smbd_audit: jdoe|CORP|203.0.113.5|openat|ok|r|a.csv\n"
    around = _t(2025, 1, 2)  # a window spanning new year: December is last year's
    res = read_log(
        _write(tmp_path, "m", text),
        options=LogOptions(samba_prefix="%u|%D|%I", around=around, host="FS02"),
    )
    (acc,) = res.accesses
    assert (acc.account, acc.ip, acc.path_or_object) == (
        "CORP\\jdoe",
        "203.0.113.5",
        "\\\\FS02\\a.csv",
    )
    assert acc.time == _t(2024, 12, 31, 23, 59)


# ----------------------------------------------------------------------------- auditd

AUDIT = f"""\
type=USER_LOGIN msg=audit(1738033900.000:4400): pid=2300 uid=0 auid=1001 ses=3 msg='op=login id=1001 exe="/usr/sbin/sshd" hostname=203.0.113.5 addr=203.0.113.5 terminal=sshd res=success'
type=SYSCALL msg=audit(1738034047.123:4521): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=55d1 a2=0 a3=0 items=1 ppid=1 pid=2345 auid=1001 uid=1001 gid=1001 euid=1001 ses=3 comm="less" exe="/usr/bin/less" key="phi"\x1dARCH=x86_64 SYSCALL=openat AUID="jdoe" UID="jdoe"
type=CWD msg=audit(1738034047.123:4521): cwd="/srv/clients/mercy"
type=PATH msg=audit(1738034047.123:4521): item=0 name="roster.csv" inode=1234 dev=08:01 mode=0100640 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL
type=PROCTITLE msg=audit(1738034047.123:4521): proctitle=6C657373
type=SYSCALL msg=audit(1738034050.000:4522): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=55d1 a2=0 a3=0 items=1 ppid=1 pid=2346 auid=1001 uid=1001 gid=1001 euid=1001 ses=3 comm="cat" exe="/usr/bin/cat" key="phi"
type=PATH msg=audit(1738034050.000:4522): item=0 name=2F7372762F636C69656E74732F6D657263792F6A616E6520646F652E706466 inode=1 dev=08:01 mode=0100640 nametype=NORMAL
type=SYSCALL msg=audit(1738034060.000:4523): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=2347 auid=1001 uid=1001 gid=1001 euid=1001 ses=3 comm="tar" exe="/usr/bin/tar" key="exec"
type=EXECVE msg=audit(1738034060.000:4523): argc=6 a0="tar" a1="czf" a2="/tmp/.c.tgz" a3="-C" a4="/srv/clients"
type=EXECVE msg=audit(1738034060.000:4523): a5_len=8 a5[0]=6C616B65 a5[1]=73696465
type=CWD msg=audit(1738034060.000:4523): cwd="/tmp"
type=SYSCALL msg=audit(1738034070.000:4524): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=55d1 a2=241 a3=0 items=1 ppid=1 pid=2348 auid=1001 uid=1001 gid=1001 euid=1001 ses=3 comm="vi" exe="/usr/bin/vi"
type=PATH msg=audit(1738034070.000:4524): item=0 name="/srv/clients/mercy/w.txt" inode=1 dev=08:01 mode=0100640 nametype=NORMAL
type=SYSCALL msg=audit(1738034080.000:4525): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=55d1 a2=0 a3=0 items=1 ppid=1 pid=2349 auid=1001 uid=1001 gid=1001 euid=1001 ses=3 comm="cat" exe="/usr/bin/cat"
type=PATH msg=audit(1738034080.000:4525): item=0 name="/srv/clients/hr/pay.csv" inode=1 dev=08:01 mode=0100640 nametype=NORMAL
type=SYSCALL msg=audit(1738034090.000:4526): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=55d1 a2=90800 a3=0 items=1 ppid=1 pid=2350 auid=4294967295 uid=0 gid=0 euid=0 ses=4294967295 comm="ls" exe="/usr/bin/ls"
type=PATH msg=audit(1738034090.000:4526): item=0 name="/srv/clients/mercy" inode=1 dev=08:01 mode=040755 nametype=NORMAL
type=SYSCALL msg=audit({CANARY}
"""


def test_auditd_records_joined_by_serial(tmp_path: Path) -> None:
    res = read_log(_write(tmp_path, "audit.log", AUDIT))
    assert res.formats == ["auditd"]
    got = [(a.path_or_object, a.action, a.account, a.ip) for a in res.accesses]
    assert got == [
        (
            "/srv/clients/mercy/roster.csv",
            "viewed",
            "jdoe",
            "203.0.113.5",
        ),  # CWD-relative, ENRICHED AUID
        ("/srv/clients/mercy/jane doe.pdf", "viewed", "1001", "203.0.113.5"),  # hex-encoded name
        ("/srv/clients/lakeside", "copied", "1001", "203.0.113.5"),  # tar -C /srv/clients lakeside
        ("/srv/clients/mercy", "listed", "0", ""),  # directory; auid unset -> uid
    ]
    assert res.accesses[0].time == _t(2025, 1, 28, 3, 14, 7, 123000)
    assert res.accesses[2].recursive
    assert res.ignored["not a read"] == 1 and res.ignored["failed syscall"] == 1
    assert res.malformed["record not readable"] == 1
    _echo_free(res)


# ----------------------------------------------------------------------------- SFTP

SFTP = f"""\
Jan 28 03:14:00 xfer01 sshd[2301]: Accepted publickey for svc_scan from 198.51.100.7 port 51234 ssh2: RSA SHA256:abc
Jan 28 03:14:01 xfer01 sshd[2301]: pam_unix(sshd:session): session opened for user svc_scan(uid=1002) by (uid=0)
Jan 28 03:14:01 xfer01 sftp-server[2303]: session opened for local user svc_scan from [198.51.100.7]
Jan 28 03:14:02 xfer01 sftp-server[2303]: opendir "/srv/clients/mercy"
Jan 28 03:14:02 xfer01 sftp-server[2303]: closedir "/srv/clients/mercy"
Jan 28 03:14:03 xfer01 sftp-server[2303]: open "/srv/clients/mercy/roster.csv" flags READ mode 0666
Jan 28 03:14:09 xfer01 sftp-server[2303]: close "/srv/clients/mercy/roster.csv" bytes read 52344 written 0
Jan 28 03:14:10 xfer01 sftp-server[2303]: open "/srv/clients/mercy/up.txt" flags WRITE,CREATE,TRUNCATE mode 0644
Jan 28 03:14:11 xfer01 sftp-server[2303]: close "/srv/clients/mercy/up.txt" bytes read 0 written 77
Jan 28 03:14:12 xfer01 sftp-server[2303]: open "/srv/clients/mercy/{CANARY}
Jan 28 03:14:13 xfer01 internal-sftp[2400]: open "/srv/clients/mercy/b.pdf" flags READ mode 0666
Jan 28 03:14:14 xfer01 sftp-server[2303]: open "/srv/clients/mercy/c.pdf" flags READ mode 0666
Jan 28 03:14:15 xfer01 sftp-server[2303]: session closed for local user svc_scan from [198.51.100.7]
"""


def test_sftp_sessions_joined_by_pid(tmp_path: Path) -> None:
    res = read_log(_write(tmp_path, "auth.log", SFTP), options=LogOptions(year=2025))
    assert res.formats == ["sftp"]
    got = [(a.path_or_object, a.action, a.account, a.ip, a.bytes_read) for a in res.accesses]
    assert got == [
        ("/srv/clients/mercy", "listed", "svc_scan", "198.51.100.7", None),
        ("/srv/clients/mercy/roster.csv", "copied", "svc_scan", "198.51.100.7", 52344),
        ("/srv/clients/mercy/b.pdf", "viewed", "", "", None),  # never closed, no session seen
        ("/srv/clients/mercy/c.pdf", "viewed", "svc_scan", "198.51.100.7", None),
    ]
    assert res.accesses[1].time == _t(2025, 1, 28, 3, 14, 3)  # the open, not the close
    assert res.ignored["not a read"] == 1
    assert res.malformed == {"sftp request not readable": 1}
    _echo_free(res)


# ----------------------------------------------------------------------------- web

WEB = f"""\
203.0.113.5 - jdoe [28/Jan/2025:03:14:07 +0000] "GET /files/mercy/Jane%20Doe%20chart.pdf?dl=1 HTTP/1.1" 200 52344 "-" "curl/8.5.0"
203.0.113.5 - - [28/Jan/2025:03:14:08 +0000] "GET /files/mercy/big.csv HTTP/1.1" 206 1024 "-" "curl/8.5.0"
203.0.113.5 - - [28/Jan/2025:03:14:09 +0000] "GET /files/mercy/ HTTP/1.1" 200 1811 "-" "Mozilla/5.0"
203.0.113.5 - - [28/Jan/2025:03:14:10 +0000] "GET /files/hr/pay.csv HTTP/1.1" 403 153 "-" "curl/8.5.0"
203.0.113.5 - - [28/Jan/2025:03:14:11 +0000] "HEAD /files/mercy/a.csv HTTP/1.1" 200 0 "-" "curl/8.5.0"
203.0.113.5 - - [28/Jan/2025:04:14:12 +0100] "GET /files/mercy/old.csv HTTP/1.1" 304 0 "-" "curl/8.5.0"
portal.example:443 198.51.100.7 - - [28/Jan/2025:03:14:13 +0000] "GET /files/a.csv HTTP/2.0" 200 10 "-" "x"
{CANARY} garbage
203.0.113.5 - - [99/Jan/2025:03:14:07 +0000] "GET /{CANARY} HTTP/1.1" 200 1 "-" "-"
"""


def test_web_combined_log(tmp_path: Path) -> None:
    res = read_log(_write(tmp_path, "access.log", WEB))
    assert res.formats == ["web"]
    got = [(a.path_or_object, a.action, a.account, a.ip) for a in res.accesses]
    assert got == [
        ("/files/mercy/Jane Doe chart.pdf", "copied", "jdoe", "203.0.113.5"),
        ("/files/mercy/big.csv", "viewed", "", "203.0.113.5"),
        ("/files/mercy/", "listed", "", "203.0.113.5"),
        ("/files/a.csv", "copied", "", "198.51.100.7"),
    ]
    assert res.ignored["not a successful transfer"] == 2 and res.ignored["method HEAD"] == 1
    assert res.malformed == {"not a combined-format line": 1, "unreadable time": 1}
    _echo_free(res)


# ----------------------------------------------------------------------------- S3 access

OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
S3 = f"""\
{OWNER} acme-clients [28/Jan/2025:03:14:07 +0000] 203.0.113.5 arn:aws:iam::111122223333:user/svc_scan 3E57427F3EXAMPLE REST.GET.OBJECT mercy/Jane%2BDoe%20chart.pdf "GET /acme-clients/mercy/Jane%2BDoe%20chart.pdf HTTP/1.1" 200 - 52344 52344 70 10 "-" "aws-cli/2.15" - host= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader acme-clients.s3.us-east-1.amazonaws.com TLSv1.2 - -
{OWNER} acme-clients [28/Jan/2025:03:14:08 +0000] 203.0.113.5 arn:aws:iam::111122223333:user/svc_scan 3E57427F3EXAMPLE REST.GET.OBJECT mercy/big.csv "GET /acme-clients/mercy/big.csv HTTP/1.1" 200 - 1000 90000 70 10 "-" "aws-cli/2.15" - host= SigV4 x AuthHeader h TLSv1.2 - -
{OWNER} acme-clients [28/Jan/2025:03:14:09 +0000] 203.0.113.5 arn:aws:iam::111122223333:user/svc_scan 3E57427F3EXAMPLE REST.GET.BUCKET - "GET /acme-clients?list-type=2&prefix=mercy%2F&delimiter=%2F HTTP/1.1" 200 - 4096 - 70 10 "-" "aws-cli/2.15" - host= SigV4 x AuthHeader h TLSv1.2 - -
{OWNER} acme-clients [28/Jan/2025:03:14:10 +0000] 203.0.113.5 arn:aws:iam::111122223333:user/svc_scan 3E57427F3EXAMPLE REST.GET.BUCKET - "GET /acme-clients?list-type=2&prefix=lakeside%2F HTTP/1.1" 200 - 4096 - 70 10 "-" "aws-cli/2.15" - host= SigV4 x AuthHeader h TLSv1.2 - -
{OWNER} acme-clients [28/Jan/2025:03:14:11 +0000] 203.0.113.5 - 3E57427F3EXAMPLE REST.GET.OBJECT hr/pay.csv "GET /acme-clients/hr/pay.csv HTTP/1.1" 403 AccessDenied 243 - 7 - "-" "curl" - host= - - - h - - -
{OWNER} acme-clients [28/Jan/2025:03:14:12 +0000] 203.0.113.5 - 3E57427F3EXAMPLE REST.HEAD.OBJECT a.csv "HEAD /acme-clients/a.csv HTTP/1.1" 200 - - 10 7 - "-" "curl" - host= - - - h - - -
{OWNER} acme-clients [28/Jan/2025:03:14:13 +0000] 203.0.113.5 {CANARY}
"""


def test_s3_server_access_log_gzipped(tmp_path: Path) -> None:
    p = tmp_path / "s3.log.gz"
    p.write_bytes(gzip.compress(S3.encode()))
    res = read_log(p)
    assert res.formats == ["s3"]
    got = [(a.path_or_object, a.action, a.recursive) for a in res.accesses]
    assert got == [
        ("s3://acme-clients/mercy/Jane+Doe chart.pdf", "copied", False),
        ("s3://acme-clients/mercy/big.csv", "viewed", False),  # 1000 of 90000 bytes
        ("s3://acme-clients/mercy/", "listed", False),
        ("s3://acme-clients/lakeside/", "listed", True),  # no delimiter: everything below
    ]
    assert res.accesses[0].account == "arn:aws:iam::111122223333:user/svc_scan"
    assert res.ignored["not a successful request"] == 1 and res.ignored["other operation"] == 1
    assert res.malformed == {"too few fields": 1}
    _echo_free(res)


# ----------------------------------------------------------------------------- CloudTrail


def _ct(name: str, params: dict[str, object], **extra: object) -> dict[str, object]:
    return {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "arn": "arn:aws:iam::111122223333:user/svc_scan",
            "userName": "svc_scan",
        },
        "eventTime": "2025-01-28T03:14:07Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": name,
        "sourceIPAddress": "203.0.113.5",
        "requestParameters": {"bucketName": "acme-clients", **params},
        **extra,
    }


CT_RECORDS = [
    _ct(
        "GetObject",
        {"key": "mercy/roster.csv"},
        additionalEventData={"bytesTransferredOut": 52344.0},
    ),
    _ct("ListObjectsV2", {"prefix": "mercy/", "delimiter": "/"}),
    _ct("GetObject", {"key": "hr/pay.csv"}, errorCode="AccessDenied"),
    _ct("CopyObject", {"key": "loot/x", "x-amz-copy-source": "acme-clients/mercy/b%20c.pdf"}),
    _ct("PutObject", {"key": "up.txt"}),
    {**_ct("GetObject", {"key": "x"}), "eventSource": "ec2.amazonaws.com"},
    {**_ct("GetObject", {"key": "mercy/via-service.csv"}), "sourceIPAddress": "s3.amazonaws.com"},
]


def test_cloudtrail_records_file(tmp_path: Path) -> None:
    p = tmp_path / "ct.json.gz"
    p.write_bytes(gzip.compress(json.dumps({"Records": CT_RECORDS}, indent=1).encode()))
    res = read_log(p)
    assert res.formats == ["cloudtrail"]
    got = [(a.path_or_object, a.action, a.ip, a.bytes_read) for a in res.accesses]
    assert got == [
        ("s3://acme-clients/mercy/roster.csv", "copied", "203.0.113.5", 52344),
        ("s3://acme-clients/mercy/", "listed", "203.0.113.5", None),
        ("s3://acme-clients/mercy/b c.pdf", "copied", "203.0.113.5", None),
        ("s3://acme-clients/mercy/via-service.csv", "copied", "", None),
    ]
    assert res.ignored["failed request"] == 1 and res.ignored["other S3 operation"] == 1
    assert res.ignored["not an S3 event"] == 1


def test_cloudtrail_truncated_file_keeps_complete_records(tmp_path: Path) -> None:
    text = json.dumps({"Records": [*CT_RECORDS[:2], _ct("GetObject", {"key": CANARY})]}, indent=1)
    res = read_log(_write(tmp_path, "ct.json", text[: len(text) - 80]))
    assert [a.path_or_object for a in res.accesses] == [
        "s3://acme-clients/mercy/roster.csv",
        "s3://acme-clients/mercy/",
    ]
    assert res.malformed == {"truncated or invalid record": 1}
    _echo_free(res)


def test_cloudtrail_json_lines(tmp_path: Path) -> None:
    text = json.dumps(CT_RECORDS[0]) + "\n" + "{" + CANARY + "\n" + json.dumps(CT_RECORDS[1]) + "\n"
    res = read_log(_write(tmp_path, "ct.jsonl", text))
    assert res.formats == ["cloudtrail"] and len(res.accesses) == 2
    assert res.malformed == {"invalid json line": 1}
    _echo_free(res)


# ----------------------------------------------------------------------------- pgaudit

PG = f"""\
2025-01-28 03:14:07.123 UTC,"svc_scan","claimsdb",24511,"203.0.113.5:51234",65a1b2c3.5fbf,3,"SELECT",2025-01-28 03:14:00 UTC,3/42,0,LOG,00000,"AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.members,""SELECT m.*
  FROM public.members m JOIN public.claims c ON c.member_id = m.id"",<not logged>",,,,,,,,,"psql","client backend",,0
2025-01-28 03:14:07.123 UTC,"svc_scan","claimsdb",24511,"203.0.113.5:51234",65a1b2c3.5fbf,4,"SELECT",2025-01-28 03:14:00 UTC,3/42,0,LOG,00000,"AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.claims,""SELECT m.* FROM …"",<not logged>",,,,,,,,,"psql","client backend",,0
2025-01-28 03:15:00.000 UTC,"svc_scan","claimsdb",24511,"203.0.113.5:51234",65a1b2c3.5fbf,5,"COPY",2025-01-28 03:14:00 UTC,3/43,0,LOG,00000,"AUDIT: SESSION,2,1,READ,COPY,TABLE,public.labs,""COPY public.labs TO STDOUT WITH CSV"",<not logged>",,,,,,,,,"psql","client backend",,0
2025-01-28 03:16:00.000 UTC,"svc_scan","claimsdb",24511,"203.0.113.5:51234",65a1b2c3.5fbf,6,"UPDATE",2025-01-28 03:14:00 UTC,3/44,0,LOG,00000,"AUDIT: SESSION,3,1,WRITE,UPDATE,TABLE,public.members,""UPDATE public.members SET x=1"",<not logged>",,,,,,,,,"psql","client backend",,0
2025-01-28 03:17:00.000 EST,"etl","claimsdb",24600,"[local]",65a1b2c3.6000,1,"SELECT",2025-01-28 03:14:00 UTC,3/45,0,LOG,00000,"AUDIT: SESSION,1,1,READ,SELECT,,,""select * from billing.invoices i join public.members m on true"",<not logged>",,,,,,,,,"psql","client backend",,0
2025-01-28 03:18:00.000 UTC,"svc_scan","claimsdb",24511,"203.0.113.5:51234",65a1b2c3.5fbf,7,"idle",2025-01-28 03:14:00 UTC,,0,LOG,00000,"disconnection: session time: 0:04:00.000",,,,,,,,,"psql","client backend",,0
2025-01-28 03:19:00.000 UTC,"{CANARY}
"""


def test_pgaudit_csvlog(tmp_path: Path) -> None:
    res = read_log(_write(tmp_path, "postgresql.csv", PG))
    assert res.formats == ["pgaudit"]
    got = [(a.table, a.action, a.account, a.ip, a.line_no) for a in res.accesses]
    assert got == [
        ("claimsdb.public.members", "viewed", "svc_scan", "203.0.113.5", 1),
        ("claimsdb.public.claims", "viewed", "svc_scan", "203.0.113.5", 3),
        ("claimsdb.public.labs", "copied", "svc_scan", "203.0.113.5", 4),
        ("claimsdb.billing.invoices", "viewed", "etl", "", 6),
        ("claimsdb.public.members", "viewed", "etl", "", 6),
    ]
    assert res.accesses[0].path_or_object == "pg://claimsdb/public.members"
    assert res.accesses[3].time == _t(2025, 1, 28, 8, 17)  # EST
    assert "tables from statement" in res.accesses[3].detail
    assert res.ignored["class WRITE"] == 1 and res.ignored["not an audit message"] == 1
    assert res.malformed == {"csvlog row has too few columns": 1}
    _echo_free(res)


# ----------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_powershell_csv(), ["windows-csv"]),
        ("<Events>" + _xml_event(4663, "2025-01-28T03:14:07Z", {}) + "</Events>", ["windows-xml"]),
        (SAMBA, ["samba"]),
        (AUDIT, ["auditd"]),
        (SFTP, ["sftp"]),
        (WEB, ["web"]),
        (S3, ["s3"]),
        (json.dumps({"Records": CT_RECORDS}), ["cloudtrail"]),
        (PG, ["pgaudit"]),
        (SAMBA + SFTP, ["samba", "sftp"]),  # one syslog file, two sources
        ("hello world\nnothing to see\n", []),
    ],
)
def test_format_is_detected_from_content(text: str, expected: list[str]) -> None:
    assert detect_formats(text) == expected


def test_unknown_content_is_reported_not_raised(tmp_path: Path) -> None:
    res = read_log(_write(tmp_path, "notes.txt", "just some text\n"))
    assert res.formats == [] and res.malformed == {"format not recognised": 1}


def test_a_syslog_file_with_samba_and_sftp_is_read_by_both(tmp_path: Path) -> None:
    res = read_log(_write(tmp_path, "messages", SAMBA + SFTP), options=LogOptions(year=2025))
    assert res.formats == ["samba", "sftp"]
    assert {a.format for a in res.accesses} == {"samba", "sftp"}


def test_bom_less_utf16_is_recognised(tmp_path: Path) -> None:
    res = read_log(_write(tmp_path, "access.log", WEB, "utf-16-le"))
    assert res.encoding == "utf-16-le" and len(res.accesses) == 4


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(
        st.one_of(
            st.text(max_size=200),
            st.sampled_from(
                [*SAMBA.splitlines(), *AUDIT.splitlines(), *WEB.splitlines(), *PG.splitlines()]
            ),
        ),
        max_size=20,
    ),
    fmt=st.sampled_from(FORMAT_NAMES),
)
def test_parsers_never_raise_on_arbitrary_content(
    tmp_path: Path, data: list[str], fmt: str
) -> None:
    p = tmp_path / "fuzz.log"
    p.write_text("\n".join(data), encoding="utf-8", errors="replace")
    res = read_log(p, format=fmt)
    assert res.formats == [fmt]
    assert "parser stopped" not in res.malformed


def test_truncated_gzip_keeps_what_came_before(tmp_path: Path) -> None:
    body = gzip.compress((WEB * 200).encode())
    p = tmp_path / "access.log.gz"
    p.write_bytes(body[: len(body) * 2 // 3])
    res = read_log(p)
    assert res.formats == ["web"]
    assert len(res.accesses) > 100
    assert res.malformed["compressed file truncated"] == 1
