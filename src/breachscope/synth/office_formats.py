"""Mail, office, database, scan and archive files of a breach set (issue 3), with truth.

:func:`write_office_formats` regenerates the first households of the case's population
(the same people the main generator made: households are deterministic per seed), and
writes for people of one client, under that client's folder:

* ``mail/*.eml``: a coding query with a CSV attachment and a ZIP attachment holding a
  CSV (``q.eml!denials.csv``, ``q.eml!batch.zip!claims.csv``);
* ``mail/*.msg``: an Outlook message (written here as an OLE2 compound file) with a
  CSV attachment;
* ``letters/*.rtf`` referral letter; ``portal/*.html`` a portal export with a table;
* ``letters/*.doc`` referral letters and ``notes/*.doc`` a phone note, Word 97-2003
  binaries written by :mod:`breachscope.synth.msdoc` (UTF-16 and 8-bit text pieces);
* ``exports/*.json`` (records under a key) and ``*.ndjson``; ``*.parquet`` claims;
* ``db/*.sqlite`` a practice-management database; ``db/*.sql`` a mysqldump;
* ``scans/*.pdf`` one image-only page and ``fax/*.png`` one fax page (text rendered with
  Pillow at 300 dpi: these two go through OCR, ~4 s a page, so they stay few);
* ``archives/*.tar.gz`` and ``*.7z`` (libarchive) holding CSVs.

Each mention's elements are exactly the categories whose value is in that file for that
person.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sqlite3
import struct
import tarfile
import zipfile
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from breachscope.synth import msdoc, render
from breachscope.synth.clients import BY_ID, VENDOR_DOMAIN, ClientDef
from breachscope.synth.people import Person, PopulationBuilder, World
from breachscope.synth.truth import TruthRecorder

_MTIME = dt.datetime(2025, 2, 3, 14, 5, tzinfo=dt.UTC).timestamp()


def pick_people(world: World, n_people: int, want: int = 12) -> tuple[ClientDef, list[Person]]:
    """The first people of the population whose data one client holds."""
    people: list[Person] = []
    for household in PopulationBuilder(world).households(n_people):
        people.extend(household)
        if len(people) >= 4 * want:
            break
    client = BY_ID[people[0].clients[0]]
    mine = [p for p in people if client.id in p.clients]
    return client, mine[:want]


def _name(p: Person) -> str:
    return f"{p.first} {p.last}"


def _addr_elements(p: Person) -> set[str]:
    return {"address"} if p.address.street_name or p.address.zip else set()


def _ssn(p: Person) -> tuple[str, set[str]]:
    return (render.ssn(p.ssn, "dashed"), {"ssn"}) if p.ssn else ("", set())


def _dx(p: Person) -> tuple[str, set[str]]:
    return (p.conditions[0].icd10, {"diagnosis"}) if p.conditions else ("", set())


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


class _Out:
    def __init__(self, root: Path, truth: TruthRecorder, client: ClientDef) -> None:
        self.root = root
        self.truth = truth
        self.folder = client.folder
        self.client = client

    def path(self, rel: str) -> str:
        return f"{self.folder}/{rel}"

    def write(self, rel: str, data: bytes) -> str:
        path = self.path(rel)
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.truth.file(path, "processed", "")
        return path

    def mention(self, p: Person, path: str, elements: set[str], row_no: int | None = None) -> None:
        self.truth.mention(p.person_id, path, elements, row_no=row_no)


# --------------------------------------------------------------------------- tables


def _roster(people: Sequence[Person]) -> tuple[list[list[str]], list[set[str]]]:
    rows = [["Patient Name", "DOB", "SSN", "Member ID", "Dx"]]
    els: list[set[str]] = []
    for p in people:
        ssn, e_ssn = _ssn(p)
        dx, e_dx = _dx(p)
        rows.append([_name(p), render.date(p.dob, "mdy"), ssn, p.member_id, dx])
        els.append({"name", "dob", "member_id"} | e_ssn | e_dx)
    return rows, els


# --------------------------------------------------------------------------- mail


def make_eml(client: ClientDef, people: Sequence[Person]) -> tuple[bytes, dict[str, set[str]]]:
    """A coding query e-mail; returns its bytes and the elements per person_id in the body."""
    lead = people[0]
    msg = EmailMessage()
    msg["From"] = f"Coding Queue <queue@{VENDOR_DOMAIN}>"
    msg["To"] = f"HIM Department <him@{client.id}.example.org>"
    msg["Date"] = "Mon, 03 Feb 2025 09:14:00 -0500"
    msg["Subject"] = f"Coding query - {lead.last}, {lead.first}"
    msg["Message-ID"] = f"<q-{lead.person_id}@{VENDOR_DOMAIN}>"
    msg.set_content(
        f"Hello,\n\nPlease review the chart for patient {_name(lead)}, "
        f"DOB {render.date(lead.dob, 'mdy')}, {client.mrn_label} {lead.mrn(client.id)}.\n"
        "The attached lists hold this week's denials and the claims batch.\n\nThanks,\nCoding Queue\n"
    )
    rows, _ = _roster(people[1:4])
    msg.add_attachment(_csv(rows), maintype="text", subtype="csv", filename="denials.csv")
    zbuf = io.BytesIO()
    crow, _ = _roster(people[4:6])
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("claims.csv", (2025, 2, 3, 9, 0, 0)), _csv(crow))
    msg.add_attachment(zbuf.getvalue(), maintype="application", subtype="zip", filename="batch.zip")
    msg.set_boundary(f"==breachscope-{lead.person_id}==")  # reproducible bytes
    return msg.as_bytes(), {lead.person_id: {"name", "dob", "mrn"}}


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (v3, 512-byte sectors) holding ``streams``.

    Names may contain ``/`` for storages (``__attach_version1.0_#00000000/__substg1.0_...``).
    Streams under 4096 bytes go to the mini stream, as the format requires.
    """
    end, free, fatsect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    # Directory tree: storages and streams; children kept as a simple right-sibling chain
    # (each storage's first child as its child, siblings chained right). Readers walk it.
    entries: list[dict[str, object]] = [{"name": "Root Entry", "type": 5, "children": []}]
    index: dict[str, int] = {"": 0}
    for full in sorted(streams):
        parts = full.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key in index:
                continue
            parent = index["/".join(parts[: depth - 1])]
            is_stream = depth == len(parts)
            index[key] = len(entries)
            entries.append(
                {"name": parts[depth - 1], "type": 2 if is_stream else 1, "children": [],
                 "data": streams[full] if is_stream else b""}
            )  # fmt: skip
            children = entries[parent]["children"]
            assert isinstance(children, list)
            children.append(index[key])
    mini = bytearray()
    big = bytearray()
    for e in entries[1:]:
        data = e.get("data", b"")
        assert isinstance(data, bytes)
        if e["type"] != 2:
            continue
        if len(data) < 4096:
            e["start"] = len(mini) // 64
            mini += data + b"\0" * (-len(data) % 64)
        else:
            e["start"] = len(big) // 512
            big += data + b"\0" * (-len(data) % 512)
    # Mini stream lives in regular sectors after the big streams.
    mini_start_sector = len(big) // 512
    big += bytes(mini) + b"\0" * (-len(mini) % 512)
    n_dir = -(-len(entries) * 128 // 512)
    n_minifat = max(1, -(-(len(mini) // 64) * 4 // 512))
    data_sectors = len(big) // 512
    n_fat = 1
    while (data_sectors + n_dir + n_minifat + n_fat) > n_fat * 128:
        n_fat += 1
    dir_start = data_sectors
    minifat_start = dir_start + n_dir
    fat_start = minifat_start + n_minifat
    fat = [free] * (n_fat * 128)

    def chain(start: int, count: int) -> None:
        for i in range(count):
            fat[start + i] = start + i + 1 if i < count - 1 else end

    for e in entries[1:]:
        data = e.get("data", b"")
        assert isinstance(data, bytes)
        if e["type"] == 2 and len(data) >= 4096:
            chain(int(str(e["start"])), -(-len(data) // 512))
    mini_sectors = -(-len(mini) // 512)
    if mini_sectors:
        chain(mini_start_sector, mini_sectors)
    chain(dir_start, n_dir)
    chain(minifat_start, n_minifat)
    for i in range(n_fat):
        fat[fat_start + i] = fatsect
    minifat = [free] * (n_minifat * 128)
    for e in entries[1:]:
        data = e.get("data", b"")
        assert isinstance(data, bytes)
        if e["type"] == 2 and len(data) < 4096 and data:
            s = int(str(e["start"]))
            n = -(-len(data) // 64)
            for i in range(n):
                minifat[s + i] = s + i + 1 if i < n - 1 else end
    directory = bytearray(n_dir * 512)
    for i, e in enumerate(entries):
        name = str(e["name"])
        raw = (name + "\0").encode("utf-16-le")
        off = i * 128
        directory[off : off + len(raw)] = raw
        children = e["children"]
        assert isinstance(children, list)
        sib = free
        if i:
            owner = next(x for x in entries if i in x["children"])  # type: ignore[operator]
            kids = owner["children"]
            assert isinstance(kids, list)
            pos = kids.index(i)
            sib = kids[pos + 1] if pos + 1 < len(kids) else free
        child = children[0] if children else free
        data = e.get("data", b"")
        assert isinstance(data, bytes)
        if i == 0:
            start, size = (mini_start_sector, len(mini)) if mini else (end, 0)
        elif e["type"] == 2:
            start, size = (int(str(e["start"])) if data else end), len(data)
        else:
            start, size = 0, 0
        struct.pack_into("<HBB", directory, off + 64, len(raw), int(str(e["type"])), 1)
        struct.pack_into("<III", directory, off + 68, free, sib, child)
        struct.pack_into("<II", directory, off + 116, start, size)
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 0x2C, n_fat, dir_start, 0)
    struct.pack_into("<IIIII", header, 0x38, 4096, minifat_start, n_minifat, end, 0)
    difat = [fat_start + i for i in range(n_fat)] + [free] * (109 - n_fat)
    struct.pack_into("<109I", header, 0x4C, *difat)
    body = bytes(big) + bytes(directory)
    body += struct.pack(f"<{len(minifat)}I", *minifat)
    body += struct.pack(f"<{len(fat)}I", *fat)
    return bytes(header) + body


def _u(text: str) -> bytes:
    return text.encode("utf-16-le")


def make_msg(client: ClientDef, people: Sequence[Person]) -> tuple[bytes, dict[str, set[str]]]:
    """An Outlook message with a CSV attachment; elements per person in headers/body."""
    lead = people[0]
    body = (
        f"Eligibility question for member {_name(lead)} (member ID {lead.member_id}), "
        f"date of birth {render.date(lead.dob, 'mdy')}.\r\nThe roster is attached.\r\n"
    )
    rows, _ = _roster(people[1:3])
    att = "__attach_version1.0_#00000000"
    recip = "__recip_version1.0_#00000000"
    streams = {
        "__substg1.0_0037001F": _u(f"Eligibility - {lead.last}"),
        "__substg1.0_0C1A001F": _u("Eligibility Desk"),
        "__substg1.0_5D01001F": _u(f"eligibility@{VENDOR_DOMAIN}"),
        "__substg1.0_0E04001F": _u("Enrollment Team"),
        "__substg1.0_1000001F": _u(body),
        "__properties_version1.0": b"\0" * 32,
        f"{recip}/__substg1.0_3001001F": _u("Enrollment Team"),
        f"{recip}/__substg1.0_39FE001F": _u(f"enrollment@{client.id}.example.org"),
        f"{att}/__substg1.0_3707001F": _u("roster.csv"),
        f"{att}/__substg1.0_37010102": _csv(rows),
    }
    return ole_file(streams), {lead.person_id: {"name", "member_id", "dob"}}


# --------------------------------------------------------------------------- documents


def make_rtf(client: ClientDef, p: Person) -> tuple[bytes, set[str]]:
    def esc(s: str) -> str:
        return "".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in s).replace("{", "\\{")

    dx = p.conditions[0].description if p.conditions else ""
    lines = [
        f"{client.name}",
        "REFERRAL LETTER",
        f"Patient: {_name(p)}",
        f"Date of Birth: {render.date(p.dob, 'mdy')}",
        f"Address: {render.full_address(p.address, 'abbr')}",
    ]
    els = {"name", "dob"} | _addr_elements(p)
    if dx:
        lines.append(f"Reason for referral: {dx}")
        els.add("diagnosis")
    body = "\\par\n".join(esc(x) for x in lines)
    rtf = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24 "
        + body
        + "\\par}"
    )
    return rtf.encode("ascii"), els


def make_doc_letter(
    client: ClientDef, p: Person, *, compressed: bool = False
) -> tuple[bytes, set[str]]:
    """A referral letter as a Word 97-2003 ``.doc``; 8-bit text when ``compressed`` and the
    letter fits cp1252 (else UTF-16, as Word does)."""
    dx = p.conditions[0].description if p.conditions else ""
    lines = [
        client.name,
        "REFERRAL LETTER",
        "",
        f"Patient: {_name(p)}",
        f"Date of Birth: {render.date(p.dob, 'mdy')}",
        f"Address: {render.full_address(p.address, 'abbr')}",
    ]
    els = {"name", "dob"} | _addr_elements(p)
    if dx:
        lines.append(f"Reason for referral: {dx}")
        els.add("diagnosis")
    lines += ["", "Please contact our office to schedule the first visit."]
    try:
        return msdoc.word_document(lines, compressed=compressed), els
    except UnicodeEncodeError:
        return msdoc.word_document(lines), els


def make_doc_note(client: ClientDef, p: Person) -> tuple[bytes, set[str]]:
    """A telephone note as a ``.doc``: name, date of birth, phone and SSN when known."""
    ssn, e_ssn = _ssn(p)
    lines = [
        f"{client.name} - Telephone Encounter",
        f"Caller: {_name(p)}\tDOB: {render.date(p.dob, 'mdy')}",
    ]
    els = {"name", "dob"} | e_ssn
    if p.phone:
        lines.append(f"Call back number: {render.phone(p.phone, 'paren')}")
        els.add("phone")
    if ssn:
        lines.append(f"Verified identity with SSN {ssn}.")
    lines.append("Patient asked about the balance on the last statement; forwarded to billing.")
    return msdoc.word_document(lines), els


def make_html(client: ClientDef, people: Sequence[Person]) -> tuple[bytes, list[set[str]]]:
    head = "<tr><th>Patient</th><th>Date of Birth</th><th>Phone</th><th>MRN</th></tr>"
    rows = []
    els = []
    for p in people:
        phone = render.phone(p.phone, "paren") if p.phone else ""
        rows.append(
            f"<tr><td>{_name(p)}</td><td>{render.date(p.dob, 'iso')}</td>"
            f"<td>{phone}</td><td>{p.mrn(client.id)}</td></tr>"
        )
        els.append({"name", "dob", "mrn"} | ({"phone"} if phone else set()))
    doc = (
        "<!DOCTYPE html><html><head><title>Portal export</title><style>td{}</style></head>"
        f"<body><h1>{client.name} patient portal - pending registrations</h1>"
        f"<table>{head}{''.join(rows)}</table></body></html>"
    )
    return doc.encode("utf-8"), els


def _json_record(client: ClientDef, p: Person) -> tuple[dict[str, object], set[str]]:
    ssn, e_ssn = _ssn(p)
    rec: dict[str, object] = {
        "name": {"first": p.first, "last": p.last},
        "birthDate": p.dob.isoformat(),
        "ssn": ssn or None,
        "address": {
            "line": render.street(p.address, "abbr"),
            "city": p.address.city,
            "state": p.address.state,
            "zip": p.address.zip,
        },
        "mrn": p.mrn(client.id),
    }
    return rec, {"name", "dob", "mrn"} | e_ssn | _addr_elements(p)


# --------------------------------------------------------------------------- scans


def render_page(lines: Sequence[str], dpi: int = 300) -> object:
    """A letter-size page image (Pillow, grayscale) with ``lines`` typed on it."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (int(8.5 * dpi), int(11 * dpi)), 255)
    draw = ImageDraw.Draw(img)
    size = int(dpi * 12 / 72)  # 12 pt
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(
            "DejaVuSans.ttf", size
        )
    except OSError:
        font = ImageFont.load_default(size=size)
    y = dpi
    for line in lines:
        draw.text((dpi, y), line, fill=0, font=font)
        y += int(size * 1.6)
    return img


def fax_lines(client: ClientDef, p: Person) -> tuple[list[str], set[str]]:
    ssn, e_ssn = _ssn(p)
    lines = [
        f"FAX - {client.name}",
        "Prior authorization request",
        f"Patient Name: {_name(p)}",
        f"Date of Birth: {render.date(p.dob, 'mdy')}",
        f"Member ID: {p.member_id}",
    ]
    els = {"name", "dob", "member_id"}
    if ssn:
        lines.append(f"SSN: {ssn}")
        els |= e_ssn
    return lines, els


def scanned_pdf(lines: Sequence[str]) -> bytes:
    img = render_page(lines)
    buf = io.BytesIO()
    import time

    fixed = time.gmtime(_MTIME)  # reproducible bytes (Pillow stamps the time otherwise)
    img.save(buf, "PDF", resolution=300.0, creationDate=fixed, modDate=fixed)  # type: ignore[attr-defined]
    return buf.getvalue()


def fax_png(lines: Sequence[str]) -> bytes:
    img = render_page(lines)
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(300, 300), optimize=True)  # type: ignore[attr-defined]
    return buf.getvalue()


# --------------------------------------------------------------------------- archives


def tar_gz(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    import gzip

    with (
        gzip.GzipFile(fileobj=buf, mode="wb", mtime=int(_MTIME)) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tf,
    ):
        for name, data in members.items():
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = int(_MTIME)
            tf.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def seven_zip(members: dict[str, bytes], target: Path) -> None:
    import libarchive

    target.parent.mkdir(parents=True, exist_ok=True)
    with libarchive.file_writer(str(target), "7zip") as arc:
        for name, data in members.items():
            arc.add_file_from_memory(name, len(data), data, mtime=(int(_MTIME), 0))


# --------------------------------------------------------------------------- all


def write_office_formats(root: Path, truth: TruthRecorder, world: World, n_people: int) -> None:
    """Write every file family of this module under ``root`` (the evidence folder)."""
    client, people = pick_people(world, n_people)
    if not people:
        return
    out = _Out(root, truth, client)
    rng = random.Random(f"breachscope-synth/{world.seed}/office")

    def pick(k: int) -> list[Person]:
        return [people[(start + i) % len(people)] for i in range(k)]

    start = 0
    # E-mail with a CSV and a ZIP attachment.
    eml, body_els = make_eml(client, pick(6))
    path = out.write(f"mail/coding_query_{people[0].person_id[-4:]}.eml", eml)
    for pid, els in body_els.items():
        truth.mention(pid, path, els)
    _, rows_els = _roster(pick(4)[1:4])
    for i, (p, els) in enumerate(zip(pick(4)[1:4], rows_els, strict=True)):
        truth.mention(p.person_id, f"{path}!denials.csv", els, row_no=i + 2)
    truth.file(f"{path}!denials.csv")
    truth.file(f"{path}!batch.zip")
    _, rows_els = _roster(pick(6)[4:6])
    for i, (p, els) in enumerate(zip(pick(6)[4:6], rows_els, strict=True)):
        truth.mention(p.person_id, f"{path}!batch.zip!claims.csv", els, row_no=i + 2)
    truth.file(f"{path}!batch.zip!claims.csv")
    # Outlook message with a CSV attachment.
    start = 6
    msg, body_els = make_msg(client, pick(3))
    path = out.write("mail/eligibility_question.msg", msg)
    for pid, els in body_els.items():
        truth.mention(pid, path, els)
    _, rows_els = _roster(pick(3)[1:3])
    for i, (p, els) in enumerate(zip(pick(3)[1:3], rows_els, strict=True)):
        truth.mention(p.person_id, f"{path}!roster.csv", els, row_no=i + 2)
    truth.file(f"{path}!roster.csv")
    # RTF letter, HTML table.
    start = 9
    p = pick(1)[0]
    rtf, els = make_rtf(client, p)
    out.mention(p, out.write(f"letters/referral_{p.last.lower()}.rtf", rtf), els)
    # Word 97-2003 letters (UTF-16 and 8-bit text) and a telephone note.
    q1, q2, q3 = (people[(10 + k) % len(people)] for k in range(3))
    for folder, q, (data, els) in [
        ("letters/referral", q1, make_doc_letter(client, q1)),
        ("letters/referral", q2, make_doc_letter(client, q2, compressed=True)),
        ("notes/phone_note", q3, make_doc_note(client, q3)),
    ]:
        out.mention(q, out.write(f"{folder}_{q.last.lower()}_{q.person_id[-4:]}.doc", data), els)
    html_bytes, row_els = make_html(client, pick(3))
    path = out.write("portal/pending_registrations.html", html_bytes)
    for i, (q, els) in enumerate(zip(pick(3), row_els, strict=True)):
        out.mention(q, path, els, row_no=i + 2)
    # JSON (records under a key) and NDJSON.
    start = 0
    recs = [_json_record(client, q) for q in pick(4)]
    doc = {
        "exported": "2025-02-03T09:00:00",
        "source": "registration",
        "patients": [r for r, _ in recs],
    }
    path = out.write("exports/registrations.json", json.dumps(doc, indent=1).encode())
    for i, (q, (_, els)) in enumerate(zip(pick(4), recs, strict=True)):
        out.mention(q, path, els, row_no=i + 1)
    start = 4
    lines = []
    for q in pick(4):
        rec, els = _json_record(client, q)
        lines.append(json.dumps({"event": "eligibility_check", "patient": rec}))
    path = out.write("exports/eligibility_events.ndjson", ("\n".join(lines) + "\n").encode())
    for i, q in enumerate(pick(4)):
        out.mention(q, path, _json_record(client, q)[1], row_no=i + 1)
    # Parquet claims.
    import pyarrow as pa
    import pyarrow.parquet as pq

    start = 2
    qs = pick(5)
    tbl = pa.table(
        {
            "member_id": [q.member_id for q in qs],
            "patient_name": [_name(q) for q in qs],
            "dob": pa.array([q.dob for q in qs], pa.date32()),
            "dx_code": [_dx(q)[0] or None for q in qs],
            "billed": [round(rng.uniform(80, 900), 2) for _ in qs],
        }
    )
    pbuf = io.BytesIO()
    pq.write_table(tbl, pbuf)
    path = out.write("exports/claims_2025-01.parquet", pbuf.getvalue())
    for i, q in enumerate(qs):
        out.mention(q, path, {"member_id", "name", "dob"} | _dx(q)[1], row_no=i + 1)
    # SQLite practice-management database.
    start = 5
    qs = pick(4)
    db_path = "db/practice.sqlite"
    target = root / out.path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    con = sqlite3.connect(target)
    con.execute(
        "CREATE TABLE patients (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, dob TEXT, ssn TEXT, phone TEXT)"
    )
    con.execute(
        "CREATE TABLE visits (id INTEGER PRIMARY KEY, patient_id INTEGER, visit_date TEXT, note TEXT)"
    )
    for i, q in enumerate(qs, 1):
        ssn, _ = _ssn(q)
        con.execute(
            "INSERT INTO patients VALUES (?, ?, ?, ?, ?, ?)",
            (i, q.first, q.last, q.dob.isoformat(), ssn or None, q.phone or None),
        )
        con.execute("INSERT INTO visits VALUES (?, ?, '2025-01-15', 'follow-up')", (i, i))
    con.commit()
    con.close()
    truth.file(out.path(db_path), "processed", "")
    for i, q in enumerate(qs, 1):
        els = {"name", "dob"} | _ssn(q)[1] | ({"phone"} if q.phone else set())
        truth.mention(q.person_id, out.path(db_path), els, row_no=i)
    # mysqldump.
    start = 7
    qs = pick(4)
    vals = []
    for i, q in enumerate(qs, 1):
        ssn, _ = _ssn(q)
        last = q.last.replace("'", "\\'")
        vals.append(
            f"({i},'{q.first}','{last}','{q.dob.isoformat()}',{repr(ssn) if ssn else 'NULL'})"
        )
    dump = (
        "-- MySQL dump 10.13  Distrib 8.0.36\n/*!40101 SET NAMES utf8mb4 */;\n"
        "DROP TABLE IF EXISTS `members`;\n"
        "CREATE TABLE `members` (\n  `id` int NOT NULL,\n  `first_name` varchar(40),\n"
        "  `last_name` varchar(40),\n  `birth_date` date,\n  `ssn` char(11),\n"
        "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n"
        f"LOCK TABLES `members` WRITE;\nINSERT INTO `members` VALUES {','.join(vals)};\nUNLOCK TABLES;\n"
    )
    path = out.write("db/members_dump.sql", dump.encode())
    for i, q in enumerate(qs, 1):
        out.mention(q, path, {"name", "dob"} | _ssn(q)[1], row_no=i)
    # Scans: one image-only PDF page, one PNG fax (OCR'd: keep these few).
    start = 3
    p = pick(1)[0]
    lines_, els = fax_lines(client, p)
    out.mention(p, out.write("scans/prior_auth_scan.pdf", scanned_pdf(lines_)), els)
    p = pick(2)[1]
    lines_, els = fax_lines(client, p)
    out.mention(p, out.write("fax/incoming_fax_0203.png", fax_png(lines_)), els)
    # TAR.GZ and 7z archives.
    start = 1
    rows, rows_els = _roster(pick(3))
    arch = out.write("archives/weekly_export.tar.gz", tar_gz({"export/roster.csv": _csv(rows)}))
    truth.file(f"{arch}!export/roster.csv")
    for i, (q, els) in enumerate(zip(pick(3), rows_els, strict=True)):
        truth.mention(q.person_id, f"{arch}!export/roster.csv", els, row_no=i + 2)
    start = 8
    rows, rows_els = _roster(pick(3))
    arch = out.path("archives/backup_0131.7z")
    seven_zip({"roster.csv": _csv(rows)}, root / arch)
    truth.file(arch)
    truth.file(f"{arch}!roster.csv")
    for i, (q, els) in enumerate(zip(pick(3), rows_els, strict=True)):
        truth.mention(q.person_id, f"{arch}!roster.csv", els, row_no=i + 2)


# --------------------------------------------------------------------------- reading back


def member_bytes(container: bytes, member: str) -> bytes | None:
    """A member of a TAR(.gz), 7z, e-mail or Outlook message written here; None for ZIPs
    and anything else (read those with ``zipfile``). For checking the truth in tests."""
    if container.startswith(b"\x1f\x8b") or container[257:262] == b"ustar":
        with tarfile.open(fileobj=io.BytesIO(container), mode="r:*") as tf:
            f = tf.extractfile(member)
            return f.read() if f is not None else None
    if container.startswith(b"7z\xbc\xaf"):
        import libarchive

        with libarchive.memory_reader(container) as arc:
            for entry in arc:
                if entry.pathname == member:
                    return b"".join(entry.get_blocks())
        return None
    if container.startswith(b"\xd0\xcf\x11\xe0"):
        import olefile

        with olefile.OleFileIO(container) as ole:
            for entry in ole.listdir():
                if entry[-1] == "__substg1.0_3707001F":
                    name = ole.openstream(entry).read().decode("utf-16-le")
                    if name == member:
                        return bytes(ole.openstream([*entry[:-1], "__substg1.0_37010102"]).read())
        return None
    if container[:5] == b"From:" or b"\nMIME-Version:" in container[:4096]:
        from email import policy
        from email.parser import BytesParser

        msg = BytesParser(policy=policy.default).parsebytes(container)
        for part in msg.walk():
            if part.get_filename() == member:
                data = part.get_payload(decode=True)
                return data if isinstance(data, bytes) else None
    return None


def document_text(path: str, data: bytes) -> str | None:
    """The text a person's name is in, for the formats written here (None: not one of
    them, or an OCR'd scan, whose text only OCR gives). For checking the truth in tests."""
    low = path.lower()
    if low.endswith(".msg"):
        import olefile

        with olefile.OleFileIO(data) as ole:
            parts = [ole.openstream(e).read().decode("utf-16-le") for e in ole.listdir()
                     if e[-1].endswith("001F")]  # fmt: skip
        return "\n".join(parts)
    if low.endswith(".eml"):
        from email import policy
        from email.parser import BytesParser

        msg = BytesParser(policy=policy.default).parsebytes(data)
        body = msg.get_body(("plain", "html"))
        return f"{msg['Subject']}\n{body.get_content() if body is not None else ''}"
    if low.endswith(".doc"):
        return msdoc.doc_text(data)
    if low.endswith((".rtf", ".html")):
        return data.decode("utf-8", "replace")
    return None
