"""Compiled free-text detection: the same modules built to C with mypyc, used only when
they were built from exactly the sources beside them.

The text detector's time is mostly its Python: one call per candidate into handlers,
validators and context lookups (docs/detection.md, "Where the time goes"). mypyc (part of
mypy, already a development tool here) compiles those typed modules to C extensions;
the detector's findings are the same (``tests/test_native.py`` compares both on a
varied corpus), it runs about a fifth faster.

- ``make setup`` runs ``scripts/build_native.py``: it compiles ``COMPILED`` into
  ``.venv/breachscope-native`` and writes a manifest there with the SHA-256 of every
  source file of the package the build read. Nothing is written beside the sources, so an
  edited ``.py`` is never shadowed by an old build.
- On import, ``breachscope.detect`` calls ``activate``: when the manifest was built for this
  Python and every source still has its recorded digest, the build's directory goes first
  on the package's ``__path__``, so its extensions are imported instead of the ``.py``
  files. Otherwise the pure-Python modules are used, and ``status()`` says why (not built,
  built for another Python, a source changed since the build, turned off).
- ``BREACHSCOPE_NATIVE=0`` turns it off; ``BREACHSCOPE_NATIVE_DIR`` points elsewhere.

The compiled and the pure modules are never mixed: either every module of ``COMPILED``
comes from the build or none does.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

ENV_SWITCH = "BREACHSCOPE_NATIVE"
ENV_DIR = "BREACHSCOPE_NATIVE_DIR"
MANIFEST = "manifest.json"

# Package → the modules of it that are compiled (the free-text detector and what it calls
# per candidate). ``findings`` stays Python: it swaps a class at import for speed, which a
# native class does not allow.
COMPILED: dict[str, tuple[str, ...]] = {
    "breachscope.detect": (
        "text",
        "text_names",
        "text_values",
        "text_patterns",
        "text_scan",
        "text_prose_names",
        "text_tables",
        "person_names",
        "normalize",
    ),
}


@dataclass(frozen=True)
class Status:
    """Whether a package's compiled modules are in use, and why (or why not)."""

    package: str
    active: bool
    reason: str
    directory: str | None = None


_STATUS: dict[str, Status] = {}


def default_dir() -> Path:
    """Where ``make setup`` builds: inside the virtual environment (the build belongs to
    its Python), unless ``BREACHSCOPE_NATIVE_DIR`` says otherwise."""
    env = os.environ.get(ENV_DIR)
    return Path(env) if env else Path(sys.prefix) / "breachscope-native"


def ext_suffix() -> str:
    """The file ending of this interpreter's extension modules (``.cpython-311-…so``)."""
    return str(sysconfig.get_config_var("EXT_SUFFIX") or "")


def source_digests(package_dir: Path) -> dict[str, str]:
    """SHA-256 of every ``.py`` and ``.cc`` file directly in ``package_dir``, by file name.
    The build records them all, not only the compiled ones: compiled code may fold in what
    it reads from its neighbours (constants, class shapes)."""
    files = sorted([*package_dir.glob("*.py"), *package_dir.glob("*.cc")])
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def activate(package: str, path: list[str], base: Path | None = None) -> Status:
    """Put the package's compiled modules first on its ``__path__`` when they are current.

    ``path``: the package's ``__path__`` (changed in place); ``base``: the build directory
    (``default_dir()``; one given, as in tests, is not recorded as the package's status).
    Never raises: any problem leaves the pure-Python modules in use, with the reason in
    ``status(package)``."""
    try:
        st = _check(package, path, base or default_dir())
    except Exception as exc:  # a broken build must never stop detection
        st = Status(package, False, f"compiled modules not used: {type(exc).__name__}")
    if st.active and st.directory is not None and st.directory not in path:
        path.insert(0, st.directory)
    if base is None:
        _STATUS[package] = st
    return st


def _check(package: str, path: list[str], base: Path) -> Status:
    if os.environ.get(ENV_SWITCH, "1").strip().lower() in ("0", "false", "no", "off"):
        return Status(package, False, f"turned off ({ENV_SWITCH}=0)")
    if package not in COMPILED:
        return Status(package, False, "no compiled modules for this package")
    manifest_path = base / MANIFEST
    if not manifest_path.is_file():
        return Status(package, False, "not built (make setup builds it)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("ext_suffix") != ext_suffix():
        return Status(package, False, "built for another Python; make setup rebuilds it")
    built = manifest.get("packages", {}).get(package)
    if not isinstance(built, dict):
        return Status(package, False, "this package is not in the build")
    here = Path(path[-1])  # the sources: the package's own directory, last once activated
    now = source_digests(here)
    changed = sorted(set(now.items()) ^ set(built.get("sources", {}).items()))
    if changed:
        first = changed[0][0]
        return Status(
            package, False, f"stale: {first} changed since the build; make setup rebuilds it"
        )
    directory = base / Path(*package.split("."))
    missing = [m for m in COMPILED[package] if not (directory / f"{m}{ext_suffix()}").is_file()]
    if missing:
        return Status(package, False, f"incomplete build: {missing[0]} is missing")
    return Status(package, True, "compiled with mypyc", str(directory))


def status(package: str = "breachscope.detect") -> Status:
    """What ``activate`` decided for ``package`` in this process (importing it first)."""
    if package not in _STATUS:
        __import__(package)
    return _STATUS.get(package, Status(package, False, "not activated"))


def module_is_compiled(module: object) -> bool:
    """Whether an imported module is a compiled extension (its file is not a ``.py``)."""
    return not str(getattr(module, "__file__", "") or "").endswith(".py")
