"""Scale: the whole pipeline on generated cases of growing size, stage by stage.

For each size (people) the script generates a case with ``breachscope.synth`` (skipped
when ``--keep`` already holds it), deletes any earlier case store, then runs every stage
in a fresh process and records, per stage:

- wall time; CPU time (user + system of the stage process and all its workers: the
  larger of ``RUSAGE_CHILDREN`` in this process, which counts only processes that were
  waited for, and the sum over the process tree sampled from ``/proc``);
- peak RSS of the stage process, of its largest worker, and of the whole process tree
  (sampled from ``/proc`` every 0.2 s; shared pages count once per process, so it is an
  upper bound);
- the case's files, documents, findings, mentions and individuals.

``notify`` runs with ``render_pdf=False`` over every individual (tables, mail file,
packages, reports); the letter PDFs are measured on a sample (the first
``--letters-sample`` letters, rendered in parallel batches exactly as notify renders
them) and projected to every letter from the sample's CPU time per letter. The Markdown
table says which figures are measured and which projected.

It then fits the growth exponent per stage (log-log slope of CPU time against people;
1.00 is linear) and projects a 5.4 M-person case on one 16-core machine (assumptions in
``--report`` output). Results go to ``--keep DIR/results.json``; ``--report`` prints the
tables (and writes them to ``DIR/scale-table.md`` for ``docs/scale.md``) and draws
``docs/scale.svg``.

    .venv/bin/python bench/scale.py --sizes 10000,100000 --keep /tmp/scale
    .venv/bin/python bench/scale.py --sizes 1000000 --keep /tmp/scale      # opt-in, ~hours
    .venv/bin/python bench/scale.py --keep /tmp/scale --report      # tables, docs/scale.svg
    .venv/bin/python bench/scale.py --keep /tmp/scale --sizes 100000 --profile detect
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

STAGES = ("ingest", "detect", "link", "resolve", "assess", "notify")
TARGET_PEOPLE = 5_400_000
TARGET_CORES = 16
SLOPE_LIMIT = 0.2  # linear within 20 %
ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- child side


def _rusage_mib() -> tuple[float, float]:
    """(peak RSS of this process, of its largest waited-for child) in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def _child_generate(out: Path, people: int, seed: int) -> dict[str, Any]:
    from breachscope.synth import generate_case

    generate_case(out, people=people, seed=seed)
    return {}


def _child_stage(case_path: Path, name: str, redo: bool = False) -> dict[str, Any]:
    from breachscope.case import load_case
    from breachscope.pipeline import run_stage

    case = load_case(case_path)
    if redo and name == "detect":  # detect is incremental: make every file pending again
        from breachscope.store import open_case_store

        con = open_case_store(case)
        try:
            done = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'detect_done'"
            ).fetchone()
            if done and done[0]:
                con.execute("DELETE FROM detect_done")
        finally:
            con.close()
    if name != "notify":
        return dict(run_stage(case, name))
    from breachscope.notify import run_notify
    from breachscope.store import open_case_store

    con = open_case_store(case)
    try:
        return dict(run_notify(case, con, render_pdf=False))
    finally:
        con.close()


def _child_letters(case_path: Path, sample: int) -> dict[str, Any]:
    """Render the first ``sample`` letters as notify does: batches of ``batch_size`` over
    a spawn pool, one process per core; PDFs go to a temporary folder."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from breachscope.case import load_case
    from breachscope.notify.batches import _chunks
    from breachscope.notify.config import load_notify_config
    from breachscope.notify.letters import prepare
    from breachscope.notify.people import iter_recipients
    from breachscope.store import open_case_store

    case = load_case(case_path)
    con = open_case_store(case, read_only=True)
    try:
        t0 = time.process_time()
        cfg = load_notify_config(case)
        setup = prepare(case, con, cfg)
        total = sum(1 for _ in iter_recipients(con))
        # Once per run, not per letter (notify's own setup; counting the letters is this
        # script's): kept out of the per-letter projection.
        setup_cpu = time.process_time() - t0
        batches: list[list[dict[str, Any]]] = []
        n = 0
        for _, ctxs in _chunks(setup, con, cfg.batch_size):
            ctxs = ctxs[: sample - n]
            batches.append(ctxs)
            n += len(ctxs)
            if n >= sample:
                break
    finally:
        con.close()
    workers = case.settings.workers or (os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(Path(tmp) / f"batch-{i:05d}.pdf") for i in range(len(batches))]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            pages = sum(
                b - a + 1 for result in pool.map(_render_one, batches, paths) for a, b in result
            )
    return {
        "letters_sampled": n,
        "letters_total": total,
        "pages_sampled": pages,
        "setup_cpu_s": round(setup_cpu, 2),
    }


def _render_one(contexts: list[dict[str, Any]], path: str) -> list[tuple[int, int]]:
    from breachscope.notify.batches import _render_job

    return _render_job(contexts, path)


def _child_counts(case_path: Path) -> dict[str, Any]:
    from breachscope.case import load_case
    from breachscope.store import open_case_store

    case = load_case(case_path)
    con = open_case_store(case, read_only=True)
    out: dict[str, Any] = {}
    try:
        for key, sql in (
            ("files", "SELECT count(*) FROM files"),
            ("documents", "SELECT count(*) FROM documents"),
            ("table_rows", "SELECT count(*) FROM table_rows"),
            ("text_mb", "SELECT coalesce(sum(length(text)), 0) / 1e6 FROM documents"),
            ("findings", "SELECT count(*) FROM findings"),
            ("mentions", "SELECT count(*) FROM mentions"),
            ("individuals", "SELECT count(*) FROM individuals"),
        ):
            row = con.execute(sql).fetchone()
            out[key] = row[0] if row else 0
    finally:
        con.close()
    ev = case.evidence
    out["evidence_mb"] = sum(p.stat().st_size for p in ev.rglob("*") if p.is_file()) / 1e6
    return out


def _child(args: argparse.Namespace) -> int:
    what, arg = args.child
    if args.profile_out:
        import cProfile

        prof = cProfile.Profile(time.process_time)  # CPU time: the machine may be busy
        prof.enable()
    if what == "generate":
        result = _child_generate(Path(arg), args.people, args.seed)
    elif what == "letters":
        result = _child_letters(Path(arg), args.letters_sample)
    elif what == "counts":
        result = _child_counts(Path(arg))
    else:
        result = _child_stage(Path(arg), what, redo=bool(args.profile_out) or args.redo)
    if args.profile_out:
        prof.disable()
        prof.dump_stats(args.profile_out)
    own, kids = _rusage_mib()
    me = resource.getrusage(resource.RUSAGE_SELF)
    result = {k: v for k, v in result.items() if isinstance(v, int | float)}
    print(
        json.dumps(
            {
                "result": result,
                "rss_main_mib": own,
                "rss_worker_mib": kids,
                "cpu_main_s": me.ru_utime + me.ru_stime,
            }
        )
    )
    return 0


# --------------------------------------------------------------------------- parent side


def _tree(root: int) -> tuple[float, dict[int, float]]:
    """Summed RSS (MiB) of ``root`` and its descendants, and each one's CPU seconds so far,
    from /proc (Linux)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                stat = fh.read()
            fields = stat[stat.rindex(")") + 2 :].split()
            pid = int(d)
            parent[pid] = int(fields[1])
            cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
            rss[pid] = int(fields[21])
        except (OSError, ValueError, IndexError):
            continue
    keep = {root}
    changed = True
    while changed:
        changed = False
        for pid, ppid in parent.items():
            if ppid in keep and pid not in keep:
                keep.add(pid)
                changed = True
    page = os.sysconf("SC_PAGE_SIZE")
    return sum(rss.get(p, 0) for p in keep) * page / 2**20, {p: cpu.get(p, 0.0) for p in keep}


def _child_env() -> dict[str, str]:
    """The stage's environment, with a bytecode cache even where the shell disables it
    (``PYTHONDONTWRITEBYTECODE``): an installed package has its ``.pyc`` files, and
    without them every process (each pool worker too) compiles every module again,
    about 3 CPU-seconds that would be charged to the stage at any size. The cache goes
    to its own folder, not beside the sources."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "breachscope-pycache"))
    return env


def _measure(argv: list[str], label: str, timeout: float | None) -> dict[str, Any]:
    load = os.getloadavg()[0]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_env(),
    )
    peak = [0.0]
    seen: dict[int, float] = {}  # CPU seconds last seen per process of the tree
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.2):
            rss, cpu = _tree(proc.pid)
            peak[0] = max(peak[0], rss)
            for pid, sec in cpu.items():
                seen[pid] = max(seen.get(pid, 0.0), sec)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        stop.set()
        sampler.join()
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        tail = err.decode(errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"{label} failed ({proc.returncode}): {' | '.join(tail)}")
    data = json.loads(out.decode().strip().splitlines()[-1])
    # rusage counts only descendants that were waited for; workers of a forkserver
    # are reaped by it, and may not be. The /proc samples catch those (to 0.2 s).
    cpu_rusage = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    cpu = max(cpu_rusage, sum(seen.values()))
    return {
        "stage": label,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cpu_rusage_s": round(cpu_rusage, 2),
        "cpu_sampled_s": round(sum(seen.values()), 2),
        # the stage's own process (DuckDB threads included); the rest ran in pool workers
        "cpu_main_s": round(data.get("cpu_main_s", cpu), 2),
        "rss_main_mib": round(data["rss_main_mib"], 1),
        "rss_worker_mib": round(data["rss_worker_mib"], 1),
        "rss_tree_mib": round(max(peak[0], data["rss_main_mib"]), 1),
        "load_1min": round(load, 2),
        "result": data["result"],
    }


def _fresh_store(case_path: Path) -> None:
    """Delete the case store and out/ so every stage does its full work (the key stays)."""
    from breachscope.case import load_case

    case = load_case(case_path)
    for p in (case.store_path, case.store_path.with_name(case.store_path.name + ".wal")):
        p.unlink(missing_ok=True)
    shutil.rmtree(case.out_dir, ignore_errors=True)


def _load(keep: Path) -> dict[str, Any]:
    path = keep / "results.json"
    return json.loads(path.read_text()) if path.exists() else {"runs": {}}


def _save(keep: Path, data: dict[str, Any]) -> None:
    tmp = keep / "results.json.tmp"
    tmp.write_text(json.dumps(data, indent=1))
    tmp.replace(keep / "results.json")


def _commit() -> str:
    """The code measured: HEAD, with "+dirty" when the working tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def run_size(args: argparse.Namespace, people: int) -> dict[str, Any]:
    keep: Path = args.keep
    case_dir = keep / f"people-{people}-seed-{args.seed}"
    case_path = case_dir / "case.toml"
    load1 = os.getloadavg()
    rows: list[dict[str, Any]] = []
    if (case_dir / "truth" / "people.csv").is_file() and case_path.is_file():
        print(f"[{people}] generate: kept ({case_dir})", flush=True)
    else:
        g = _measure(
            [
                "--child",
                "generate",
                str(case_dir),
                "--people",
                str(people),
                "--seed",
                str(args.seed),
            ],
            "generate",
            args.timeout,
        )
        rows.append(g)
        print(f"[{people}] generate: {g['wall_s']} s, {g['rss_tree_mib']} MiB", flush=True)
    _fresh_store(case_path)
    for name in STAGES:
        r = _measure(["--child", name, str(case_path)], name, args.timeout)
        rows.append(r)
        print(
            f"[{people}] {name}: wall {r['wall_s']} s, cpu {r['cpu_s']} s, "
            f"tree {r['rss_tree_mib']} MiB, {r['result']}",
            flush=True,
        )
    letters = _measure(
        ["--child", "letters", str(case_path), "--letters-sample", str(args.letters_sample)],
        "letters",
        args.timeout,
    )
    rows.append(letters)
    print(f"[{people}] letters sample: {letters['wall_s']} s, {letters['result']}", flush=True)
    counts = _measure(["--child", "counts", str(case_path)], "counts", args.timeout)["result"]
    return {
        "people": people,
        "seed": args.seed,
        "cores": os.cpu_count(),
        "load_before": [round(x, 2) for x in load1],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "finished": time.strftime("%Y-%m-%d %H:%M"),
        "commit": _commit(),
        "stages": rows,
        "counts": counts,
    }


def profile(args: argparse.Namespace, people: int, stage: str) -> None:
    """cProfile one stage of a kept case (earlier stages must have run), on one worker."""
    import pstats

    case_path = args.keep / f"people-{people}-seed-{args.seed}" / "case.toml"
    out = args.keep / f"profile-{stage}-{people}.prof"
    if stage == "ingest":  # ingest skips unchanged files: start from an empty store
        _fresh_store(case_path)
    # One worker, so that the work happens in the profiled process, not in a pool.
    text = case_path.read_text(encoding="utf-8")
    one = case_path.with_name("case-profile.toml")
    one.write_text(text.replace("\n[settings]\n", "\n[settings]\nworkers = 1\n", 1))
    r = _measure(["--child", stage, str(one), "--profile-out", str(out)], stage, args.timeout)
    print(json.dumps({k: v for k, v in r.items() if k != "result"}))
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)


# --------------------------------------------------------------------------- analysis


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log y on log x (1.00 = linear growth)."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(max(y, 1e-3)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    den = sum((a - mx) ** 2 for a in lx)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / den if den else 1.0


def _serial_share(stage: dict[str, Any]) -> float:
    """The share of a stage's CPU that does not spread over more cores: what its own
    process spent (pool workers are the parallel part). Taken from the CPU split rather
    than from wall time, which a busy shared machine inflates. Conservative: the DuckDB
    queries in the stage's process run multi-threaded, yet count as serial here."""
    cpu = float(stage["cpu_s"])
    if cpu <= 0:
        return 1.0
    return min(max(float(stage.get("cpu_main_s", cpu)) / cpu, 0.0), 1.0)


def _affine(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares ``y = fixed + marginal * x``."""
    if len(xs) < 2:
        return 0.0, ys[0] / xs[0] if xs else 0.0
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    marginal = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den
    return my - marginal * mx, marginal


def analyse(data: dict[str, Any]) -> dict[str, Any]:
    runs = sorted(data["runs"].values(), key=lambda r: r["people"])
    names = [*STAGES, "letters"]
    people = [r["people"] for r in runs]
    per: dict[str, dict[str, Any]] = {}
    for name in names:
        rows = [next(s for s in r["stages"] if s["stage"] == name) for r in runs]
        cpu = [_stage_cpu(r, s) for r, s in zip(runs, rows, strict=True)]
        wall = [_stage_wall(r, s) for r, s in zip(runs, rows, strict=True)]
        k = slope([float(p) for p in people], cpu) if len(runs) > 1 else 1.0
        big = rows[-1]
        serial = _serial_share(big)
        if name == "letters":  # the sample process's part is counted once (_per_letter)
            serial = min(float(big.get("cpu_main_s", 0.0)) / max(cpu[-1], 1e-9), 1.0)
        fixed, marginal = _affine([float(p) for p in people], cpu)
        # CPU at 5.4 M: fixed cost + cost per person (least squares), or, when the sizes
        # show no fixed part, the largest size scaled linearly. The upper bound scales
        # the largest size linearly, fixed costs included.
        upper = cpu[-1] * TARGET_PEOPLE / people[-1]
        cpu_target = fixed + marginal * TARGET_PEOPLE if marginal > 0 and fixed > 0 else upper
        if k > 1.0:  # growth faster than linear: follow the fitted power law
            cpu_target = upper = cpu[-1] * (TARGET_PEOPLE / people[-1]) ** k
        share = serial + (1 - serial) / TARGET_CORES
        wall_target = cpu_target * share
        per[name] = {
            # Growth between the two largest sizes: the marginal cost, fixed costs amortised.
            "slope_top": slope([float(p) for p in people[-2:]], cpu[-2:]) if len(runs) > 1 else 1.0,
            "fixed_s": fixed,
            "per_person_ms": marginal * 1000,
            "cpu_upper_h": upper / 3600,
            "wall_upper_h": upper * share / 3600,
            "cpu": cpu,
            "wall": wall,
            "slope": k,
            "serial": serial,
            "cpu_target_h": cpu_target / 3600,
            "wall_target_h": wall_target / 3600,
        }
    files = [float(r["counts"]["files"]) for r in runs]
    core_cpu = [sum(per[n]["cpu"][i] for n in STAGES) for i in range(len(runs))]
    core_wall = [sum(per[n]["wall"][i] for n in STAGES) for i in range(len(runs))]
    total_cpu = [sum(per[n]["cpu"][i] for n in names) for i in range(len(runs))]
    total_wall = [sum(per[n]["wall"][i] for n in names) for i in range(len(runs))]
    out = {
        "runs": runs,
        "per": per,
        "people": people,
        "core_cpu": core_cpu,
        "core_wall": core_wall,
        "slope_core": slope([float(p) for p in people], core_cpu) if len(runs) > 1 else 1.0,
        "slope_core_top": (
            slope([float(p) for p in people[-2:]], core_cpu[-2:]) if len(runs) > 1 else 1.0
        ),
        "slope_total_top": (
            slope([float(p) for p in people[-2:]], total_cpu[-2:]) if len(runs) > 1 else 1.0
        ),
        "core_target_wall_h": sum(per[n]["wall_target_h"] for n in STAGES),
        "core_target_cpu_h": sum(per[n]["cpu_target_h"] for n in STAGES),
        "core_upper_wall_h": sum(per[n]["wall_upper_h"] for n in STAGES),
        "slope_people": slope([float(p) for p in people], total_cpu) if len(runs) > 1 else 1.0,
        "slope_files": slope(files, total_cpu) if len(runs) > 1 else 1.0,
        "total_cpu": total_cpu,
        "total_wall": total_wall,
        "target_wall_h": sum(p["wall_target_h"] for p in per.values()),
        "target_cpu_h": sum(p["cpu_target_h"] for p in per.values()),
        "upper_wall_h": sum(p["wall_upper_h"] for p in per.values()),
        "upper_cpu_h": sum(p["cpu_upper_h"] for p in per.values()),
        "generate": data.get("generate", {}),
    }
    return out


def _stage_cpu(run: dict[str, Any], s: dict[str, Any]) -> float:
    """CPU seconds of a stage for the whole case; letters are projected from the sample
    (the run's setup once, the rest per letter)."""
    if s["stage"] != "letters":
        return float(s["cpu_s"])
    return _per_letter(s, float(s["cpu_s"]))


def _stage_wall(run: dict[str, Any], s: dict[str, Any]) -> float:
    if s["stage"] != "letters":
        return float(s["wall_s"])
    return _per_letter(s, float(s["wall_s"]))


def _per_letter(s: dict[str, Any], measured: float) -> float:
    """Letters for the whole case from the sample: the sample process's own CPU (notify's
    setup, the recipients query, the sample's contexts, which notify without PDFs already
    builds for every letter) once, the rendering in the pool workers per letter."""
    r = s["result"]
    once = min(float(s.get("cpu_main_s", r.get("setup_cpu_s", 0.0))), measured)
    return once + (measured - once) * r["letters_total"] / max(r["letters_sampled"], 1)


def _fmt_s(x: float) -> str:
    if x >= 3600:
        return f"{x / 3600:.1f} h"
    if x >= 120:
        return f"{x / 60:.1f} min"
    return f"{x:.1f} s"


def markdown(a: dict[str, Any]) -> str:
    runs = a["runs"]
    lines = [
        "| stage | "
        + " | ".join(f"{r['people']:,} people: wall / CPU / peak RSS" for r in runs)
        + " | slope (CPU vs people) | slope, two largest |",
        "|---|" + "---|" * len(runs) + "---|---|",
    ]
    for name in [*STAGES, "letters"]:
        cells = []
        for i, r in enumerate(runs):
            s = next(x for x in r["stages"] if x["stage"] == name)
            if name == "letters":
                res = s["result"]
                cells.append(
                    f"{_fmt_s(a['per'][name]['wall'][i])} / {_fmt_s(a['per'][name]['cpu'][i])}"
                    f" (projected from {res['letters_sampled']:,} of {res['letters_total']:,}:"
                    f" {s['wall_s']:.0f} s measured) / {s['rss_tree_mib']:,.0f} MiB"
                )
            else:
                cells.append(
                    f"{_fmt_s(s['wall_s'])} / {_fmt_s(s['cpu_s'])} / {s['rss_tree_mib']:,.0f} MiB"
                    f" (main {s['rss_main_mib']:,.0f})"
                )
        label = "letters (PDF)" if name == "letters" else name
        if name == "notify":
            label = "notify (no PDF)"
        p = a["per"][name]
        lines.append(
            f"| {label} | " + " | ".join(cells) + f" | {p['slope']:.2f} | {p['slope_top']:.2f} |"
        )
    gen = [
        next((x for x in r["stages"] if x["stage"] == "generate"), None)
        or a["generate"].get(str(r["people"]))
        for r in runs
    ]
    if all(gen):
        cells = [
            f"{_fmt_s(g['wall_s'])} / {_fmt_s(g['cpu_s'])} / {g['rss_tree_mib']:,.0f} MiB"
            for g in gen
            if g
        ]
        xs = [float(r["people"]) for r in runs]
        ys = [g["cpu_s"] for g in gen if g]
        k, k2 = slope(xs, ys), slope(xs[-2:], ys[-2:])
        lines.append(
            "| *generate (not in total)* | " + " | ".join(cells) + f" | {k:.2f} | {k2:.2f} |"
        )
    tot = [
        f"**{_fmt_s(a['total_wall'][i])} / {_fmt_s(a['total_cpu'][i])}**" for i in range(len(runs))
    ]
    core = [
        f"**{_fmt_s(a['core_wall'][i])} / {_fmt_s(a['core_cpu'][i])}**" for i in range(len(runs))
    ]
    lines.append(
        "| **pipeline, mail file only (no letter PDFs)** | "
        + " | ".join(core)
        + f" | **{a['slope_core']:.2f}** | **{a['slope_core_top']:.2f}** |"
    )
    lines.append(
        "| **pipeline with letter PDFs** | "
        + " | ".join(tot)
        + f" | **{a['slope_people']:.2f}** | **{a['slope_total_top']:.2f}** |"
    )
    return "\n".join(lines)


def projection_table(a: dict[str, Any]) -> str:
    m = TARGET_PEOPLE / 1e6
    lines = [
        f"| stage | fixed CPU | CPU per person | serial share | CPU at {m:.1f} M | "
        f"wall on {TARGET_CORES} cores | upper bound (linear from the largest size) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in [*STAGES, "letters"]:
        p = a["per"][name]
        lines.append(
            f"| {name} | {p['fixed_s']:.1f} s | {p['per_person_ms']:.3f} ms | {p['serial']:.2f} "
            f"| {p['cpu_target_h']:.1f} h | {p['wall_target_h']:.1f} h | {p['wall_upper_h']:.1f} h |"
        )
    lines.append(
        f"| **pipeline, no letter PDFs** | | | | **{a['core_target_cpu_h']:.1f} h** "
        f"| **{a['core_target_wall_h']:.1f} h** | **{a['core_upper_wall_h']:.1f} h** |"
    )
    lines.append(
        f"| **pipeline with letter PDFs** | | | | **{a['target_cpu_h']:.1f} h** "
        f"| **{a['target_wall_h']:.1f} h** | **{a['upper_wall_h']:.1f} h** |"
    )
    return "\n".join(lines)


_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#000")


def svg_plot(a: dict[str, Any]) -> str:
    """Log-log CPU time per stage against people, hand-written SVG (no plotting deps).
    CPU, not wall: on a shared machine wall time measures the neighbours too."""
    w, h, left, right, top, bottom = 720, 420, 70, 170, 30, 50
    people = [float(p) for p in a["people"]]
    series = {n: a["per"][n]["cpu"] for n in [*STAGES, "letters"]}
    series["pipeline (no PDFs)"] = a["core_cpu"]
    ys = [y for v in series.values() for y in v if y > 0]
    x0, x1 = math.floor(math.log10(min(people))), math.ceil(math.log10(max(people)) + 1e-9)
    x1 = max(x1, x0 + 1)
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    y1 = max(y1, y0 + 1)

    def px(x: float) -> float:
        return left + (math.log10(x) - x0) / (x1 - x0) * (w - left - right)

    def py(y: float) -> float:
        return h - bottom - (math.log10(max(y, 1e-3)) - y0) / (y1 - y0) * (h - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<text x="{left}" y="18" font-size="14">CPU time per stage (log-log; '
        f"a slope of 1 is linear)</text>",
    ]
    for e in range(x0, x1 + 1):
        x = px(10**e)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{h - bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{h - bottom + 16}" text-anchor="middle">{10**e:,}</text>')
    for e in range(y0, y1 + 1):
        y = py(10**e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt_s(10**e)}</text>')
    out.append(
        f'<text x="{(left + w - right) / 2}" y="{h - 12}" text-anchor="middle">people</text>'
    )
    for i, (name, vals) in enumerate(series.items()):
        c = _COLOURS[i % len(_COLOURS)]
        pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(people, vals, strict=True))
        width = 3 if name.startswith("pipeline") else 1.6
        out.append(f'<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="{width}"/>')
        for x, y in zip(people, vals, strict=True):
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{c}"/>')
        ly = top + 14 + i * 18
        out.append(f'<line x1="{w - right + 12}" y1="{ly - 4}" x2="{w - right + 32}" '
                   f'y2="{ly - 4}" stroke="{c}" stroke-width="{width}"/>')  # fmt: skip
        out.append(f'<text x="{w - right + 38}" y="{ly}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def report(args: argparse.Namespace) -> None:
    a = analyse(_load(args.keep))
    if not a["runs"]:
        raise SystemExit("no results yet: run some sizes first")
    print(markdown(a))
    print()
    print(projection_table(a))
    print(f"\nslope vs people {a['slope_people']:.2f}, vs files {a['slope_files']:.2f}")
    (args.keep / "scale-table.md").write_text(
        markdown(a) + "\n\n" + projection_table(a) + "\n", encoding="utf-8"
    )
    (args.docs / "scale.svg").write_text(svg_plot(a), encoding="utf-8")
    print(f"wrote {args.keep / 'scale-table.md'} (for docs/scale.md) and {args.docs / 'scale.svg'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="people per case, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "breachscope-scale")
    ap.add_argument("--letters-sample", type=int, default=2000)
    ap.add_argument("--timeout", type=float, default=None, help="seconds per step")
    ap.add_argument("--report", action="store_true", help="write the docs from results.json")
    ap.add_argument("--docs", type=Path, default=ROOT / "docs")
    ap.add_argument("--profile", metavar="STAGE", help="cProfile one stage of a kept case")
    ap.add_argument(
        "--generate-only", action="store_true", help="measure the generator alone (fresh cases)"
    )
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--people", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", help=argparse.SUPPRESS)
    ap.add_argument("--redo", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return _child(args)
    if args.report:
        report(args)
        return 0
    args.keep.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.profile:
        profile(args, sizes[0], args.profile)
        return 0
    if args.generate_only:
        for n in sizes:
            out = args.keep / "generate-only" / f"people-{n}"
            shutil.rmtree(out, ignore_errors=True)
            argv = ["--child", "generate", str(out), "--people", str(n), "--seed", str(args.seed)]
            g = _measure(argv, "generate", args.timeout)
            print(f"[{n}] generate: {json.dumps({k: v for k, v in g.items() if k != 'result'})}")
            data = _load(args.keep)
            data.setdefault("generate", {})[str(n)] = g
            _save(args.keep, data)
            shutil.rmtree(out, ignore_errors=True)
        return 0
    for n in sizes:
        result = run_size(args, n)
        data = _load(args.keep)
        data["runs"][str(n)] = result
        _save(args.keep, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
