"""PostgreSQL csvlog rows carrying pgaudit messages.

``log_time,user_name,database_name,process_id,connection_from,…,message,…`` where the
message is ``AUDIT: SESSION|OBJECT,stmt,substmt,class,command,object_type,object_name,
statement,parameter``. With ``pgaudit.log_relation = on`` every table read gets its row;
without it the object name is empty and tables are taken from the statement's
``FROM``/``JOIN``/``COPY`` clauses (detail says so).

READ-class ``SELECT`` → viewed; ``COPY … TO`` → copied. Objects are
``pg://database/schema.table``; ``table`` is ``database.schema.table``.
"""

from __future__ import annotations

import csv
import datetime as dt
import ipaddress
import re
from typing import IO

from breachscope.scope.logs._base import ParseContext
from breachscope.scope.model import Access

NAME = "pgaudit"
_TS = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)(?: ([A-Za-z]{2,5}|[+-]\d\d(?::?\d\d)?))?$"
)
_SNIFF = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+,")
_TABLES = re.compile(r'\b(?:FROM|JOIN|COPY)\s+((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)', re.I)
ZONES = {
    "UTC": 0,
    "GMT": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}
TABLE_TYPES = {"TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "PARTITIONED TABLE", ""}
csv.field_size_limit(16 * 1024 * 1024)


def sniff(head: str) -> int:
    lines = head.splitlines()
    hits = sum(1 for line in lines if _SNIFF.match(line))
    return hits * 3 if hits and "AUDIT: " in head else 0


def _time(text: str, ctx: ParseContext) -> dt.datetime:
    m = _TS.match(text.strip())
    if not m:
        raise ValueError("time")
    stamp, zone = m.groups()
    t = dt.datetime.fromisoformat(stamp)
    if zone and zone.upper() in ZONES:
        t = t.replace(tzinfo=dt.timezone(dt.timedelta(hours=ZONES[zone.upper()])))
    elif zone and zone[0] in "+-":
        z = zone.replace(":", "")
        off = dt.timedelta(hours=int(z[1:3]), minutes=int(z[3:5] or 0))
        t = t.replace(tzinfo=dt.timezone(off if z[0] == "+" else -off))
    return ctx.localize(t)


def _client_ip(conn: str) -> str:
    host = conn.rsplit(":", 1)[0] if re.search(r":\d+$", conn) else conn
    for cand in (host.strip("[]"), conn.strip("[]")):
        try:
            ipaddress.ip_address(cand)
            return cand
        except ValueError:
            continue
    return ""


def parse(stream: IO[str], ctx: ParseContext) -> None:
    reader = csv.reader(stream)
    start = 1
    for row in reader:
        n = start
        start = reader.line_num + 1
        ctx.result.n_lines = reader.line_num
        if not row:
            continue
        if len(row) < 14:
            ctx.bad("csvlog row has too few columns", n)
            continue
        message = row[13]
        if not message.startswith("AUDIT: "):
            ctx.skip("not an audit message")
            continue
        try:
            when = _time(row[0], ctx)
        except ValueError:
            ctx.bad("unreadable time", n)
            continue
        audit = next(csv.reader([message[len("AUDIT: ") :]]), [])
        if len(audit) < 7 or audit[0] not in ("SESSION", "OBJECT"):
            ctx.bad("audit message not readable", n)
            continue
        klass, command, otype, oname = audit[3], audit[4].upper(), audit[5].upper(), audit[6]
        statement = audit[7] if len(audit) > 7 else ""
        if klass != "READ" and command != "COPY":
            ctx.skip(f"class {klass[:12]}")
            continue
        if command == "COPY" and re.search(r"\bFROM\s+(STDIN|')", statement, re.I):
            ctx.skip("copy into a table")
            continue
        if otype not in TABLE_TYPES:
            ctx.skip("not a table")
            continue
        names = [oname] if oname else [t.replace('"', "") for t in _TABLES.findall(statement)]
        detail = command if oname else f"{command} (tables from statement)"
        if not names:
            ctx.skip("no table named")
            continue
        db = row[2]
        for name in dict.fromkeys(names):
            ctx.emit(
                Access(
                    time=when,
                    account=row[1],
                    ip=_client_ip(row[4]),
                    path_or_object=f"pg://{db}/{name}",
                    action="copied" if command == "COPY" else "viewed",
                    source_file=ctx.source,
                    line_no=n,
                    table=f"{db}.{name}" if db else name,
                    format=NAME,
                    detail=detail,
                )
            )
