"""The store key and the PHI-holding outputs: permissions, refusals, and where the key is not.

Key files are created 0600 in a 0700 folder, refused when group or others can read them,
and the key's text never appears in the case folder, the case file, logs, console output
or deliverables. Deliverables are 0600 files in 0700 folders even under a permissive umask
and when the folders or files already existed with looser modes.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from breachscope.cli import cli
from breachscope.errors import StoreError
from breachscope.notify.files import private_dir, write_csv, write_private
from breachscope.store.keys import (
    ENV_KEY,
    ENV_KEY_FILE,
    create_key_file,
    default_key_path,
    read_key_file,
    resolve_key,
)
from case_text import case_toml

CASE = case_toml("Key test")


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_new_key_file_is_0600_in_0700_folder(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "keys" / "nested" / "case.key"
    key = create_key_file(path)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert len(key) == 64 and read_key_file(path) == key
    with pytest.raises(FileExistsError):  # never overwrites a key (the store would be lost)
        create_key_file(path)


@pytest.mark.parametrize("bits", [0o640, 0o604, 0o644, 0o660, 0o606, 0o610, 0o601])
def test_key_file_readable_by_others_is_refused(tmp_path: Path, bits: int) -> None:
    path = tmp_path / "case.key"
    key = create_key_file(path)
    os.chmod(path, bits)
    with pytest.raises(StoreError) as err:
        read_key_file(path)
    assert "readable by others" in str(err.value)
    assert key not in str(err.value) and key not in (err.value.hint or "")
    # Through the environment variable too.
    env = {ENV_KEY_FILE: str(path)}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        mp.delenv(ENV_KEY, raising=False)
        with pytest.raises(StoreError):
            resolve_key(tmp_path / "case.duckdb")


def test_short_or_missing_key_file_refused_without_echo(tmp_path: Path) -> None:
    path = tmp_path / "short.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"tooshort\n")
    os.close(fd)
    with pytest.raises(StoreError) as err:
        read_key_file(path)
    assert "tooshort" not in str(err.value)
    with pytest.raises(StoreError):
        read_key_file(tmp_path / "absent.key")


def _case(root: Path) -> Path:
    ev = root / "evidence" / "north"
    ev.mkdir(parents=True)
    (ev / "patients.csv").write_text(
        "Last,First,DOB,SSN,City,ST\nQuintero,Marisol,03/14/1961,512-44-3871,Tacoma,WA\n"
    )
    (root / "case.toml").write_text(CASE)
    return root


def _files_holding(root: Path, needle: bytes) -> list[str]:
    hits = []
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            if needle in (Path(dirpath) / f).read_bytes():
                hits.append(os.path.join(dirpath, f))
    return hits


def test_init_key_file_outside_case_and_key_never_leaks(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _case(tmp_path / "case")
    monkeypatch.setenv("BREACHSCOPE_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv(ENV_KEY, raising=False)
    monkeypatch.delenv(ENV_KEY_FILE, raising=False)
    caplog.set_level(logging.DEBUG)
    r = CliRunner().invoke(cli, ["--debug", "init", str(root)])
    assert r.exit_code == 0, r.output
    key_path = default_key_path(root / "case.duckdb")
    assert key_path.exists() and not key_path.is_relative_to(root)
    assert mode(key_path) == 0o600 and mode(key_path.parent) == 0o700
    key = read_key_file(key_path)
    r2 = CliRunner().invoke(cli, ["--debug", "ingest", str(root)])
    assert r2.exit_code == 0, r2.output
    for text in (r.output, r2.output, caplog.text):
        assert key not in text
    assert _files_holding(root, key.encode()) == []
    assert _files_holding(root, b"Quintero") == [str(root / "evidence/north/patients.csv")]
    # A key file loosened after init stops the next command with one clear line.
    os.chmod(key_path, 0o644)
    r3 = CliRunner().invoke(cli, ["ingest", str(root)])
    assert r3.exit_code == 2
    assert "readable by others" in r3.output and key not in r3.output
    assert "Traceback" not in r3.output


def test_env_key_never_echoed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _case(tmp_path / "case")
    secret = "envkey-" + "9f3a" * 10
    monkeypatch.setenv(ENV_KEY, secret)
    caplog.set_level(logging.DEBUG)
    r = CliRunner().invoke(cli, ["--debug", "init", str(root)])
    assert r.exit_code == 0, r.output
    assert "$BREACHSCOPE_KEY" in r.output and secret not in r.output
    assert secret not in caplog.text
    assert _files_holding(root, secret.encode()) == []
    # The wrong key: a clear refusal that does not quote either key.
    monkeypatch.setenv(ENV_KEY, "wrong-" + "0" * 30)
    r = CliRunner().invoke(cli, ["ingest", str(root)])
    assert r.exit_code == 2 and "cannot decrypt" in r.output
    assert secret not in r.output and "wrong-" not in r.output


def test_deliverables_private_under_loose_umask(tmp_path: Path, loose_umask: None) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    (out / "letters").mkdir()
    os.chmod(out / "letters", 0o777)
    old = out / "letters" / "batch-001.pdf"
    old.write_bytes(b"old")
    os.chmod(old, 0o644)
    private_dir(out)
    write_private(old, b"%PDF- letters")
    write_private(out / "clients" / "north" / "package" / "list.csv", "a,b\n")
    write_csv(out / "mail" / "mail_file.csv", ["name"], [["Quintero"]])
    assert mode(out) == 0o700
    for dirpath, dirs, files in os.walk(out):
        for d in dirs:
            assert mode(Path(dirpath) / d) == 0o700, d
        for f in files:
            assert mode(Path(dirpath) / f) == 0o600, f
    assert not [p for p in out.rglob("*.tmp")]  # no temp file left by the atomic replace


def test_streamed_csv_private_under_loose_umask(tmp_path: Path, loose_umask: None) -> None:
    from breachscope.notify import files

    private_csv = getattr(files, "PrivateCsv", None)
    if private_csv is None:
        pytest.skip("no streamed CSV writer in this tree")
    path = tmp_path / "out" / "mail" / "mail_file.csv"
    with private_csv(path, ["name"]) as w:
        w.write(["Quintero"])
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    with pytest.raises(RuntimeError), private_csv(path.with_name("b.csv"), ["x"]) as w:
        raise RuntimeError
    assert sorted(p.name for p in path.parent.iterdir()) == ["mail_file.csv"]
