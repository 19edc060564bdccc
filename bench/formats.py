"""Reading speed per format of issue 3 (mail, office, databases, archives, OCR).

Builds synthetic samples (no PHI) of each format in a temp folder, then, in one process,
times the ingest reader of each (type sniffing included) against a plain read of the same
bytes in the same run (``read()`` of the file; the ratio says how much of the time is
parsing). Archives count uncompressed member bytes written out; OCR reports pages/s.

    .venv/bin/python bench/formats.py [--scale 1.0] [--ocr-pages 2] [--only json,sql]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from breachscope.ingest.emit import Emitter
from breachscope.ingest.options import Limits
from breachscope.ingest.registry import ReadContext, Source, reader_for
from breachscope.ingest.sniff import HEAD_BYTES, sniff
from breachscope.synth import office_formats as of

MB = 1e6
FIRST = ["Ann", "Bob", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ida", "Jo"]
LAST = ["Lee", "Ray", "Poe", "Fox", "Kim", "Diaz", "Nash", "Ortiz", "Park", "Quinn"]


def person_rows(n: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    return [
        [
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1930, 2020)}",
            f"9{rng.randint(0, 99):02d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}",
            f"M{rng.randint(10**8, 10**9 - 1)}",
            f"{rng.randint(1, 9999)} Oak St, Columbus, OH 43{rng.randint(100, 999)}",
        ]
        for _ in range(n)
    ]


HEADER = ["name", "dob", "ssn", "member_id", "address"]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue().encode()


# --------------------------------------------------------------------------- samples


def make_samples(d: Path, scale: float) -> dict[str, list[Path]]:
    n = max(1000, int(100_000 * scale))
    rows = person_rows(n)
    out: dict[str, list[Path]] = {}

    def one(name: str, data: bytes) -> list[Path]:
        p = d / name
        p.write_bytes(data)
        return [p]

    emls = []
    for i in range(max(20, int(200 * scale))):
        m = EmailMessage()
        m["From"], m["To"], m["Subject"] = "a@example.org", "b@example.org", f"batch {i}"
        m.set_content("Please see the attached roster.\n" * 20)
        m.add_attachment(csv_bytes(rows[:300]), maintype="text", subtype="csv", filename="r.csv")
        p = d / f"m{i}.eml"
        p.write_bytes(m.as_bytes())
        emls.append(p)
    out["eml"] = emls
    msgs = []
    for i in range(max(20, int(200 * scale))):
        p = d / f"m{i}.msg"
        streams = {
            "__substg1.0_0037001F": f"batch {i}".encode("utf-16-le"),
            "__substg1.0_1000001F": ("Please see the attached roster.\r\n" * 20).encode(
                "utf-16-le"
            ),
            "__attach_version1.0_#00000000/__substg1.0_3707001F": "r.csv".encode("utf-16-le"),
            "__attach_version1.0_#00000000/__substg1.0_37010102": csv_bytes(rows[:300]),
        }
        p.write_bytes(of.ole_file(streams))
        msgs.append(p)
    out["msg"] = msgs
    k = max(200, n // 20)
    rtf_body = "\\par\n".join(f"Patient: {r[0]}  DOB: {r[1]}  SSN: {r[2]}" for r in rows[:k])
    out["rtf"] = one("big.rtf", ("{\\rtf1\\ansi\\deff0 " + rtf_body + "}").encode())
    cells = "".join(f"<tr>{''.join(f'<td>{c}</td>' for c in r)}</tr>" for r in rows[: n // 2])
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    out["html"] = one(
        "big.html", f"<html><body><table><tr>{head}</tr>{cells}</table></body></html>".encode()
    )
    recs = [dict(zip(HEADER, r, strict=True)) for r in rows]
    out["json"] = one("big.json", json.dumps({"patients": recs}).encode())
    out["ndjson"] = one("big.ndjson", "\n".join(json.dumps(r) for r in recs).encode() + b"\n")
    buf = io.BytesIO()
    pq.write_table(pa.table({h: [r[j] for r in rows * 5] for j, h in enumerate(HEADER)}), buf)
    out["parquet"] = one("big.parquet", buf.getvalue())
    db = d / "big.sqlite"
    con = sqlite3.connect(db)
    con.execute(f"CREATE TABLE p ({', '.join(HEADER)})")
    con.executemany("INSERT INTO p VALUES (?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    out["sqlite"] = [db]
    vals = ",\n".join(
        "(" + ",".join("'" + c.replace("'", "''") + "'" for c in r) + ")" for r in rows
    )
    out["sql"] = one(
        "dump.sql",
        f"CREATE TABLE p ({', '.join(HEADER)});\nINSERT INTO p VALUES {vals};\n".encode(),
    )
    big_csv = csv_bytes(rows * 3)
    out["tar.gz"] = one("a.tar.gz", of.tar_gz({f"part{i}.csv": big_csv for i in range(3)}))
    out["gz"] = one("a.csv.gz", gzip.compress(big_csv))
    seven = d / "a.7z"
    # libarchive's 7z writer (LZMA) makes ~0.4 MB/s: keep this sample small.
    of.seven_zip({"part.csv": csv_bytes(rows[: n // 4])}, seven)
    out["7z"] = [seven]
    return out


# --------------------------------------------------------------------------- timing


def plain_read(paths: list[Path]) -> float:
    t = time.perf_counter()
    for p in paths:
        with p.open("rb") as f:
            while f.read(1 << 20):
                pass
    return time.perf_counter() - t


def read_all(paths: list[Path], work: Path) -> tuple[float, int, int]:
    """Seconds, documents, member bytes written."""
    limits = Limits()
    docs = member_bytes = 0
    t = time.perf_counter()
    for p in paths:
        with p.open("rb") as f:
            head = f.read(HEADER_BYTES)
        size = p.stat().st_size
        g = sniff(p, p.name, head, size)
        reader = reader_for(g.type)
        assert reader is not None, g
        out = Emitter("b", work, limits.spill_bytes)
        reader(Source(p, p.name, "b", size, 0, g), ReadContext(limits, (), work, 0), out)
        docs += out.n_documents
        member_bytes += sum(m.size for m in out.members)
        for m in out.members:
            if m.source:
                Path(m.source).unlink(missing_ok=True)
        _, parts = out.documents()
        for part in (*parts, *(q for t_ in out.tables for q in t_.parquet)):
            Path(part).unlink(missing_ok=True)
    return time.perf_counter() - t, docs, member_bytes


HEADER_BYTES = HEAD_BYTES


def bench_ocr(d: Path, pages: int) -> None:
    if shutil.which("tesseract") is None:
        print("ocr      skipped: tesseract not installed")
        return
    lines = ["FAX - Mercy Valley Health System", "Patient Name: Ann Lee",
             "Date of Birth: 01/02/1980", "Member ID: M123456789", "SSN: 900-12-3456"]  # fmt: skip
    paths = []
    for i in range(pages):
        p = d / f"fax{i}.png"
        p.write_bytes(of.fax_png([*lines, f"Page {i + 1}"]))
        paths.append(p)
    work = d / "work"
    secs, docs, _ = read_all(paths, work)
    print(
        f"ocr      {pages / secs:8.2f} pages/s (300 dpi PNG, 1 process, OMP_THREAD_LIMIT=1); {docs} pages with text"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--ocr-pages", type=int, default=2)
    ap.add_argument("--only", default="")
    args = ap.parse_args(argv)
    only = {x for x in args.only.split(",") if x}
    with tempfile.TemporaryDirectory(prefix="bench-formats-") as tmp:
        d = Path(tmp)
        t0 = time.perf_counter()
        samples = make_samples(d, args.scale)
        print(f"samples made in {time.perf_counter() - t0:.1f} s\n")
        print(
            f"{'format':8} {'files':>5} {'MB':>8} {'reader MB/s':>12} {'plain MB/s':>11} {'ratio':>7}  note"
        )
        for kind, paths in samples.items():
            if only and kind not in only:
                continue
            size = sum(p.stat().st_size for p in paths)
            base = plain_read(paths)
            secs, docs, mbytes = read_all(paths, d / "work")
            note = f"{docs} documents"
            if mbytes:
                note += f"; members {mbytes / MB:.1f} MB = {mbytes / MB / secs:.0f} MB/s expanded"
            if kind in ("eml", "msg"):
                note += f"; {len(paths) / secs:.0f} msgs/s"
            print(
                f"{kind:8} {len(paths):5d} {size / MB:8.1f} {size / MB / secs:12.1f} "
                f"{size / MB / max(base, 1e-9):11.0f} {base / secs:7.3f}  {note}"
            )
        if args.ocr_pages and (not only or "ocr" in only):
            print()
            bench_ocr(d, args.ocr_pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
