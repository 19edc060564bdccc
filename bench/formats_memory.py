"""Bounded memory on one big file: ingest of a multi-GB CSV against a plain read.

Writes a synthetic CSV (default 10 GB, ``--gb`` to choose; written in 2 MiB blocks, never
held whole) into a temp folder with a case file, then in the same run:

1. reads the file with a plain Python read loop (1 MiB chunks) and with ``cat >
   /dev/null`` — the baseline: what the disk / page cache gives;
2. runs ``breachscope ingest`` on it in a subprocess (store unencrypted, 2 workers) while
   polling the RSS of the whole process tree every 0.1 s.

It prints MB/s of each, the ingest/plain ratio, the peak RSS of the largest single process
(``getrusage`` of the children) and the peak summed RSS of the ingest process tree, then
deletes everything unless ``--keep``. No PHI: names, dates and numbers are made up.

    .venv/bin/python bench/formats_memory.py --gb 2
    .venv/bin/python bench/formats_memory.py            # 10 GB: needs ~2.5x that on disk
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1e6
BLOCK = 2 << 20
FIRST = ["Ann", "Bob", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ida", "Jo", "Kai", "Lou"]
LAST = ["Lee", "Ray", "Poe", "Fox", "Kim", "Diaz", "Nash", "Ortiz", "Park", "Quinn", "Shah"]
HEADER = "patient_name,dob,ssn,member_id,address,dx_code,billed\n"


def _blocks(n: int, seed: int = 7) -> list[bytes]:
    """``n`` different blocks of whole CSV rows, each about BLOCK bytes."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        lines = []
        size = 0
        while size < BLOCK:
            line = (
                f"{rng.choice(FIRST)} {rng.choice(LAST)},"
                f"{rng.randint(1930, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},"
                f"9{rng.randint(0, 99):02d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d},"
                f"M{rng.randint(10**8, 10**9 - 1)},"
                f'"{rng.randint(1, 9999)} Oak St, Columbus, OH 43{rng.randint(100, 999)}",'
                f"E{rng.randint(10, 99)}.{rng.randint(0, 9)},{rng.randint(80, 900)}.{rng.randint(0, 99):02d}\n"
            )
            lines.append(line)
            size += len(line)
        out.append("".join(lines).encode())
    return out


def write_csv(path: Path, n_bytes: int) -> tuple[int, int]:
    """Stream a CSV of about ``n_bytes`` to ``path``; returns (size, data rows)."""
    blocks = _blocks(8)
    written = n_rows = 0
    with path.open("wb", buffering=0) as f:
        f.write(HEADER.encode())
        i = 0
        while written < n_bytes:
            b = blocks[i % len(blocks)]
            f.write(b)
            written += len(b)
            n_rows += b.count(b"\n")
            i += 1
    return path.stat().st_size, n_rows


def plain_read(path: Path) -> float:
    t = time.perf_counter()
    with path.open("rb", buffering=0) as f:
        while f.read(1 << 20):
            pass
    return time.perf_counter() - t


def cat_read(path: Path) -> float:
    t = time.perf_counter()
    with path.open("rb") as f:
        subprocess.run(["cat"], stdin=f, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def _tree_rss(pid: int) -> int:
    """Summed RSS (bytes) of ``pid`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        p = int(d)
        children.setdefault(int(fields[1]), []).append(p)
        rss[p] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, ()))
    return total


def run_ingest(case_dir: Path) -> tuple[float, float, int, int, str]:
    """(seconds, CPU seconds, peak single-process RSS, peak tree RSS, last output line)."""
    exe = Path(sys.executable).with_name("breachscope")
    env = {**os.environ, "BREACHSCOPE_KEY_DIR": str(case_dir / "keys")}
    peak_tree = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), "ingest", str(case_dir / "case.toml")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
    )  # fmt: skip
    lines: list[bytes] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True)
    reader.start()
    while proc.poll() is None:
        peak_tree = max(peak_tree, _tree_rss(proc.pid))
        time.sleep(0.1)
    secs = time.perf_counter() - t
    reader.join(5)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak_one = after.ru_maxrss * 1024
    text = b"".join(lines).decode("utf-8", "replace").strip().splitlines()
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}): {' | '.join(text[-5:])}")
    return secs, cpu, peak_one, peak_tree, text[-1] if text else ""


CASE = """evidence = "evidence"

[incident]
name = "bench"
discovery_date = 2025-02-06

[reporting_entity]
name = "Bench Coding Services"
role = "business_associate"

[[clients]]
id = "bench"
name = "Bench Health"
kind = "provider"
covered_entity = true
paths = ["bench/**"]

[settings]
workers = 2
encrypt = false
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--gb", type=float, default=10.0, help="CSV size in GB (1e9 bytes)")
    ap.add_argument("--dir", type=Path, default=None, help="where to write (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the files afterwards")
    args = ap.parse_args()
    n_bytes = int(args.gb * 1e9)
    base = Path(tempfile.mkdtemp(prefix="bs-formats-memory-", dir=args.dir))
    free = shutil.disk_usage(base).free
    if free < 2.5 * n_bytes:
        shutil.rmtree(base)
        raise SystemExit(
            f"need ~{2.5 * n_bytes / 1e9:.1f} GB free in {base.parent}, have {free / 1e9:.1f}"
        )
    try:
        ev = base / "evidence" / "bench"
        ev.mkdir(parents=True)
        (base / "case.toml").write_text(CASE, encoding="utf-8")
        csv_path = ev / "claims_export.csv"
        t = time.perf_counter()
        size, n_rows = write_csv(csv_path, n_bytes)
        w = time.perf_counter() - t
        print(f"wrote {size / 1e9:.2f} GB CSV in {w:.1f} s ({size / MB / w:.0f} MB/s)", flush=True)
        py_s = plain_read(csv_path)
        cat_s = cat_read(csv_path)
        load = os.getloadavg()[0]
        ing_s, ing_cpu, peak_one, peak_tree, summary = run_ingest(base)
        store = sum(p.stat().st_size for p in base.rglob("*") if p.is_file()) - size
        print()
        print("| what | seconds | MB/s | ratio to plain read |")
        print("|---|---|---|---|")
        print(f"| plain read (Python, 1 MiB chunks) | {py_s:.1f} | {size / MB / py_s:.0f} | 1.00 |")
        print(f"| cat > /dev/null | {cat_s:.1f} | {size / MB / cat_s:.0f} | {py_s / cat_s:.2f} |")
        print(f"| breachscope ingest (2 workers) | {ing_s:.1f} | {size / MB / ing_s:.0f} "
              f"| {py_s / ing_s:.3f} |")  # fmt: skip
        print()
        print(f"ingest CPU time (all its processes): {ing_cpu:.1f} s = {size / MB / ing_cpu:.0f} MB "
              f"per CPU-second; load average at start {load:.1f} on {os.cpu_count()} cores")  # fmt: skip
        print(f"file: {size / 1e9:.2f} GB, {n_rows / 1e6:.1f} M rows; ingest "
              f"{n_rows / ing_s / 1e3:.0f} k rows/s")  # fmt: skip
        print(f"peak RSS, largest single process: {peak_one / 2**20:.0f} MiB")
        print(f"peak RSS, ingest process tree (sum, polled 0.1 s): {peak_tree / 2**20:.0f} MiB")
        print(f"store and work files written: {store / 1e9:.2f} GB")
        print(f"ingest said: {summary}")
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
