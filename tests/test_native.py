"""The compiled free-text detector (``breachscope.native``): used only when current, and
it finds exactly what the pure-Python modules find."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from breachscope import native
from breachscope.detect import text as text_mod
from test_detect_hyperscan import _documents

IN_CI = os.environ.get("CI", "").lower() == "true"
T = dt.date(2025, 3, 1)


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    pkg = tmp_path / "src" / "pkg"
    pkg.mkdir(parents=True)
    for name, body in files.items():
        (pkg / name).write_text(body, encoding="utf-8")
    return pkg


def _build(base: Path, pkg: Path, *, suffix: str | None = None, so: bool = True) -> None:
    """A fake build of ``breachscope.detect`` from the sources in ``pkg``."""
    out = base / "breachscope" / "detect"
    out.mkdir(parents=True, exist_ok=True)
    if so:
        for mod in native.COMPILED["breachscope.detect"]:
            (out / f"{mod}{native.ext_suffix()}").write_bytes(b"")
    manifest = {
        "ext_suffix": suffix if suffix is not None else native.ext_suffix(),
        "packages": {"breachscope.detect": {"sources": native.source_digests(pkg)}},
    }
    (base / native.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_a_current_build_goes_first_on_the_package_path(tmp_path: Path) -> None:
    pkg = _package(tmp_path, {"text.py": "x = 1\n", "findings.py": "y = 2\n"})
    base = tmp_path / "native"
    _build(base, pkg)
    path = [str(pkg)]
    st = native.activate("breachscope.detect", path, base)
    assert st.active and st.reason == "compiled with mypyc"
    assert path == [str(base / "breachscope" / "detect"), str(pkg)]
    # Activated twice (a second import in the same process): the path is not doubled.
    native.activate("breachscope.detect", path, base)
    assert path.count(str(base / "breachscope" / "detect")) == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("none", "not built"),
        ("edit", "stale: text.py changed since the build"),
        ("add", "stale: new.py changed since the build"),
        ("remove", "stale: findings.py changed since the build"),
        ("python", "built for another Python"),
        ("missing_so", "incomplete build"),
        ("off", "turned off"),
        ("garbage", "compiled modules not used: JSONDecodeError"),
    ],
)
def test_anything_not_current_leaves_the_pure_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str, reason: str
) -> None:
    pkg = _package(tmp_path, {"text.py": "x = 1\n", "findings.py": "y = 2\n"})
    base = tmp_path / "native"
    if change != "none":
        _build(base, pkg, suffix=".other.so" if change == "python" else None,
               so=change != "missing_so")  # fmt: skip
    if change == "edit":
        (pkg / "text.py").write_text("x = 2\n", encoding="utf-8")
    elif change == "add":
        (pkg / "new.py").write_text("z = 3\n", encoding="utf-8")
    elif change == "remove":
        (pkg / "findings.py").unlink()
    elif change == "off":
        monkeypatch.setenv(native.ENV_SWITCH, "0")
    elif change == "garbage":
        (base / native.MANIFEST).write_text("{not json", encoding="utf-8")
    path = [str(pkg)]
    st = native.activate("breachscope.detect", path, base)
    assert not st.active
    assert reason in st.reason
    assert path == [str(pkg)]


def test_the_build_is_used_when_current() -> None:
    """After ``make setup`` the detector runs compiled; CI requires it (``--strict``)."""
    st = native.status()
    if not st.active:
        if IN_CI:
            pytest.fail(f"compiled detection not in use in CI: {st.reason}")
        pytest.skip(f"compiled detection not in use: {st.reason}")
    assert native.module_is_compiled(text_mod)
    assert text_mod.__file__ is not None
    assert text_mod.__file__.endswith(native.ext_suffix())
    # Only ``COMPILED`` is: the rest of the package stays Python.
    from breachscope.detect import findings

    assert not native.module_is_compiled(findings)


_CHILD = """
import dataclasses, datetime as dt, json, sys
from breachscope import native
from breachscope.detect.text import detect_text
texts = json.load(open(sys.argv[1], encoding="utf-8"))
out = [[dataclasses.astuple(f) for f in detect_text(t, today=dt.date(2025, 3, 1))] for t in texts]
json.dump({"active": native.status().active, "findings": out}, sys.stdout)
"""


def _findings_in_child(texts_path: Path, switch: str) -> dict[str, object]:
    env = {**os.environ, native.ENV_SWITCH: switch}
    got = subprocess.run(
        [sys.executable, "-c", _CHILD, str(texts_path)],
        env=env, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    return json.loads(got.stdout)  # type: ignore[no-any-return]


def _generated_texts(root: Path) -> list[str]:
    """The text documents of a small generated case, as ingest stored them."""
    from breachscope.case import load_case
    from breachscope.pipeline import run_all
    from breachscope.store import open_case_store
    from breachscope.synth import generate_case

    case = load_case(generate_case(root, people=40, seed=17))
    run_all(case, stages=("ingest",))
    con = open_case_store(case)
    try:
        rows = con.execute(
            "SELECT text FROM documents WHERE kind = 'text' AND text IS NOT NULL ORDER BY doc_id"
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows if r[0].strip()]


@pytest.mark.slow
def test_compiled_and_pure_find_the_same(tmp_path: Path) -> None:
    if not native.status().active:
        if IN_CI:
            pytest.fail(f"compiled detection not in use in CI: {native.status().reason}")
        pytest.skip(f"compiled detection not in use: {native.status().reason}")
    texts = list(_documents()) + _generated_texts(tmp_path / "case")
    texts += [t.upper() for t in texts[:60]] + [t.lower() for t in texts[:60]]
    path = tmp_path / "texts.json"
    path.write_text(json.dumps(texts), encoding="utf-8")
    compiled = _findings_in_child(path, "1")
    pure = _findings_in_child(path, "0")
    assert compiled["active"] is True and pure["active"] is False
    assert compiled["findings"] == pure["findings"]
    found = defaultdict(int)
    for doc in pure["findings"]:  # type: ignore[attr-defined]
        for f in doc:
            found[f[0]] += 1
    # The corpus is a real test: many documents, and findings of many kinds.
    assert len(texts) > 150
    assert len(found) >= 15 and sum(found.values()) > 2000
