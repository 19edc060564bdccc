"""Build the compiled free-text detector (``breachscope.native``) with mypyc.

    python scripts/build_native.py [--out DIR] [--strict]

Compiles ``native.COMPILED`` from a copy of ``src/breachscope`` in a temporary directory
(nothing is written beside the sources), then replaces ``DIR`` (default: the virtual
environment's ``breachscope-native``) with the extensions and a manifest of the sources'
SHA-256. Needs a C compiler and the Python headers. Without them, or on any error, it
prints one line saying why and exits 0: the pure-Python modules are used, just slower.
``--strict`` makes such a failure exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

from breachscope import native  # noqa: E402

# mypy options for the build: the project's are strict for checking; the build only needs
# the types mypyc compiles by (stubless third-party imports are Any).
_MYPY_INI = """[mypy]
python_version = {ver}
ignore_missing_imports = True
follow_imports = normal
"""

_SETUP = """from setuptools import setup
from mypyc.build import mypycify

setup(
    name="breachscope-native",
    ext_modules=mypycify({paths!r}, opt_level="3", group_name="breachscope.detect._native"),
)
"""

# The candidate search against RE2 itself (``breachscope/detect/_re2scan.cc``): needs a C++
# compiler and Debian's libre2-dev (scripts/sysdeps.sh installs it). Built on its own, so
# that without them the mypyc modules are still built.
RE2SCAN = "breachscope/detect/_re2scan.cc"
_SETUP_RE2 = """from setuptools import Extension, setup

setup(
    name="breachscope-re2scan",
    ext_modules=[
        Extension(
            "breachscope.detect._re2scan",
            [{src!r}],
            language="c++",
            libraries=["re2"],
            extra_compile_args=["-std=c++17", "-O2"],
        )
    ],
)
"""


def _setup(work: Path, script: str, env: dict[str, str], jobs: str) -> str | None:
    """Runs ``script`` as setup.py in ``work``; the last lines of its output on failure."""
    (work / "setup.py").write_text(script, encoding="utf-8")
    got = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_ext", "--inplace", "-j", jobs],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    if got.returncode == 0:
        return None
    tail = [ln for ln in (got.stdout + got.stderr).splitlines() if ln.strip()][-8:]
    return "\n  ".join(tail)


def build(out: Path, need_re2scan: bool = False) -> str:
    """Compile into ``out``; returns a one-line summary. Raises on failure (and when the
    RE2 candidate search does not build, with ``need_re2scan``)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="breachscope-native-") as tmp:
        work = Path(tmp)
        shutil.copytree(
            SRC / "breachscope", work / "breachscope", ignore=shutil.ignore_patterns("__pycache__")
        )
        paths = [
            f"{pkg.replace('.', '/')}/{mod}.py"
            for pkg, mods in native.COMPILED.items()
            for mod in mods
        ]
        ver = f"{sys.version_info.major}.{sys.version_info.minor}"
        (work / "mypy.ini").write_text(_MYPY_INI.format(ver=ver), encoding="utf-8")
        jobs = str(max(1, min(4, os.cpu_count() or 1)))
        env = {**os.environ, "MYPY_CACHE_DIR": str(work / ".mypy_cache")}
        failed = _setup(work, _SETUP.format(paths=paths), env, jobs)
        if failed is not None:
            raise RuntimeError("mypyc build failed:\n  " + failed)
        re2_failed = _setup(work, _SETUP_RE2.format(src=RE2SCAN), env, jobs)
        if re2_failed is not None and need_re2scan:
            raise RuntimeError("RE2 candidate search build failed:\n  " + re2_failed)
        stage = out.with_name(out.name + ".new")
        shutil.rmtree(stage, ignore_errors=True)
        suffix = native.ext_suffix()
        manifest: dict[str, object] = {
            "ext_suffix": suffix,
            "python": sys.version.split()[0],
            "packages": {},
        }
        count = 0
        for pkg in native.COMPILED:
            rel = Path(*pkg.split("."))
            dest = stage / rel
            dest.mkdir(parents=True)
            for so in sorted((work / rel).glob(f"*{suffix}")):
                shutil.copy2(so, dest / so.name)
                count += 1
            manifest["packages"][pkg] = {  # type: ignore[index]
                "modules": list(native.COMPILED[pkg]),
                # The digests of the sources as they were when copied for this build.
                "sources": native.source_digests(work / rel),
            }
        (stage / native.MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        shutil.rmtree(out, ignore_errors=True)
        stage.rename(out)
    re2_note = (
        ""
        if re2_failed is None
        else "; the RE2 candidate search is not built (needs g++ and libre2-dev)"
    )
    return (
        f"compiled detection built: {count} extensions in {out} "
        f"({time.perf_counter() - t0:.0f} s){re2_note}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--strict", action="store_true", help="exit 1 when the build fails")
    args = ap.parse_args(argv)
    out = (args.out or native.default_dir()).resolve()
    try:
        print(build(out, need_re2scan=args.strict), flush=True)
    except Exception as exc:
        print(f"compiled detection not built; the pure-Python detector is used ({exc})")
        return 1 if args.strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
