"""Ingest's temp files never hold PHI in plaintext on disk when the store is encrypted.

An ingest run on a case with archives (tar.gz, gzip, an e-mail attachment, a zip) and tables
big enough to spill is watched file by file: every file removed during the run (workers'
Parquet/Arrow parts, extracted members, members opened for reading) is copied aside just
before it goes, and everything left in the case folder afterwards is read too. None may
hold a canary in plaintext. The same run on an unencrypted store finds them (the check
works), and the sealed data reads back whole.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import os
import shutil
import tarfile
import uuid
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from breachscope.case import load_case
from breachscope.ingest import run_ingest
from breachscope.ingest.options import IngestOptions, Limits
from breachscope.store import open_case_store
from breachscope.store import spill as sealed
from case_text import case_toml

SURNAME = "Vexcanarytorp"
SSN = "529-41-8876"
MRN = "VX55120934"
CANARIES = (SURNAME.encode(), SURNAME.upper().encode(), SSN.encode(), MRN.encode())

CASE = case_toml("Temp file canary", north_paths="**", tail="\n[settings]\nencrypt = {encrypt}\n")


def _csv(rows: int) -> bytes:
    lines = ["Last,First,DOB,SSN,MRN,Street,City,ST,Zip"]
    for i in range(rows):
        if i % 500 == 7:
            lines.append(f"{SURNAME},Ana,1970-01-0{1 + i % 9},{SSN},{MRN},1 Elm St,Boise,ID,83702")
        else:
            lines.append(f"Doe{i},John,1980-02-03,,A{i:06d},{i} Oak Rd,Salem,OR,97301")
    return ("\n".join(lines) + "\n").encode()


def _tgz(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _eml(attachment: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"] = "records@clinic.example"
    msg["To"] = "billing@vendor.example"
    msg["Subject"] = "monthly export"
    msg.set_content("See attached.")
    msg.add_attachment(attachment, maintype="text", subtype="csv", filename="export.csv")
    return bytes(msg)


def make_case(root: Path, *, encrypt: bool, with_zip: bool) -> Path:
    ev = root / "evidence"
    ev.mkdir(parents=True)
    (ev / "big.csv").write_bytes(_csv(3000))
    (ev / "notes.txt").write_bytes(
        b"".join(f"Visit note {i}: {SURNAME} MRN {MRN} SSN {SSN}.\n".encode() for i in range(1500))
    )
    (ev / "export.tgz").write_bytes(_tgz({"a/patients.csv": _csv(1200), "b/n.txt": b"x " * 50}))
    (ev / "single.csv.gz").write_bytes(gzip.compress(_csv(800)))
    (ev / "mail.eml").write_bytes(_eml(_csv(600)))
    if with_zip:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("z/patients.csv", _csv(900))
        (ev / "export.zip").write_bytes(buf.getvalue())
    (root / "case.toml").write_text(CASE.replace("{encrypt}", "true" if encrypt else "false"))
    return root / "case.toml"


class Watch:
    """Copies every file removed during the run to ``grave`` first (workers are forked)."""

    def __init__(self, grave: Path, evidence: Path) -> None:
        self.grave = grave
        self.evidence = evidence
        grave.mkdir()

    def keep(self, path: str | os.PathLike[str], dir_fd: int | None = None) -> None:
        p = os.fspath(path)
        if dir_fd is None and p.startswith(str(self.evidence)):
            return  # the evidence itself
        if dir_fd is None and p.startswith("/dev/shm/"):  # RAM, not disk: its name only
            (self.grave / f"{uuid.uuid4().hex}-ram!{os.path.basename(p)}").touch()
            return
        try:
            fd = os.open(p, os.O_RDONLY, dir_fd=dir_fd)
        except OSError:
            return
        with os.fdopen(fd, "rb") as fh:
            data = fh.read()
        name = os.path.basename(p)
        (self.grave / f"{uuid.uuid4().hex}-{name}").write_bytes(data)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_unlink = os.unlink
        real_rmtree = shutil.rmtree

        def unlink(path: Any, *, dir_fd: int | None = None) -> None:
            self.keep(path, dir_fd)
            real_unlink(path, dir_fd=dir_fd)

        def rmtree(path: Any, *args: Any, **kw: Any) -> None:
            for dirpath, _dirs, files in os.walk(path):
                for f in files:
                    self.keep(os.path.join(dirpath, f))
            real_rmtree(path, *args, **kw)

        monkeypatch.setattr(os, "unlink", unlink)
        monkeypatch.setattr(os, "remove", unlink)
        monkeypatch.setattr(shutil, "rmtree", rmtree)


def _run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, encrypt: bool, with_zip: bool
) -> Watch:
    case_file = make_case(tmp_path / "case", encrypt=encrypt, with_zip=with_zip)
    case = load_case(case_file)
    watch = Watch(tmp_path / "grave", case.evidence.resolve())
    watch.install(monkeypatch)
    limits = Limits(spill_bytes=32 * 1024, text_segment=8 * 1024, csv_batch_bytes=16 * 1024)
    opts = IngestOptions(limits=limits, workers=2, start_method="fork")
    con = open_case_store(case)
    try:
        summary = run_ingest(case, con, options=opts)
        assert summary["failed"] == 0, summary
        n = con.execute(
            "SELECT count(*) FROM table_rows WHERE list_contains(cells, ?)", [SSN]
        ).fetchone()
        watch.rows_with_ssn = int(n[0]) if n else 0  # type: ignore[attr-defined]
    finally:
        con.close()
    monkeypatch.undo()
    return watch


def _leaks(root: Path, skip: Path | None = None) -> dict[str, list[bytes]]:
    found: dict[str, list[bytes]] = {}
    for dirpath, _dirs, files in os.walk(root):
        if skip is not None and Path(dirpath).resolve().is_relative_to(skip):
            continue
        for f in files:
            data = (Path(dirpath) / f).read_bytes()
            hits = [c for c in CANARIES if c in data]
            if hits:
                found[f] = hits
    return found


def _names(grave: Path) -> list[str]:
    return sorted(p.name.split("-", 1)[1] for p in grave.iterdir())


def test_encrypted_store_spills_and_members_sealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = _run(tmp_path, monkeypatch, encrypt=True, with_zip=False)
    names = _names(watch.grave)
    # The run did spill and extract: sealed parts and members passed through the work dir.
    assert any(n.startswith("part-") and n.endswith(".arrows.sealed") for n in names), names
    assert sum(n.startswith("m-") and n.endswith(".sealed") for n in names) >= 3, names
    assert not any(n.endswith(".parquet") for n in names)
    # Members were opened for their readers in RAM, never in the work folder.
    assert sum(n.startswith("ram!t-") for n in names) >= 3, names
    assert not any(n.startswith("t-") for n in names), names
    assert _leaks(watch.grave) == {}
    assert _leaks(tmp_path / "case", skip=(tmp_path / "case" / "evidence").resolve()) == {}
    # Every canary row made it into the store: 3000/500 + 1200/500 + 800/500 + 600/500.
    assert watch.rows_with_ssn == 6 + 3 + 2 + 2  # type: ignore[attr-defined]
    assert not list(Path("/dev/shm").glob(f"breachscope-ingest-{os.getpid()}-*"))


def test_unencrypted_store_control_finds_plaintext(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same watch on an unencrypted store sees the canaries: the check can fail."""
    watch = _run(tmp_path, monkeypatch, encrypt=False, with_zip=False)
    names = _names(watch.grave)
    assert any(n.endswith(".parquet") for n in names)
    assert _leaks(watch.grave)
    assert watch.rows_with_ssn == 13  # type: ignore[attr-defined]


def test_zip_members_never_plaintext(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ZIP reader extracts through Emitter.member_file() too (no plaintext window)."""
    watch = _run(tmp_path, monkeypatch, encrypt=True, with_zip=True)
    assert _leaks(watch.grave) == {}
    assert _leaks(tmp_path / "case", skip=(tmp_path / "case" / "evidence").resolve()) == {}
    assert sum(n.startswith("m-") and n.endswith(".sealed") for n in _names(watch.grave)) >= 5


def test_sealed_stream_round_trip_and_tamper(tmp_path: Path) -> None:
    key = sealed.new_key()
    data = os.urandom(3 * sealed.CHUNK + 123)
    p = tmp_path / "x.sealed"
    with sealed.SealedWriter(p, key) as w:
        for i in range(0, len(data), 70_001):
            w.write(data[i : i + 70_001])
    assert (p.stat().st_mode & 0o777) == 0o600
    with sealed.SealedReader(p, key) as r:
        assert r.read() == data
    raw = p.read_bytes()
    cases: list[tuple[str, Callable[[bytes], bytes]]] = [
        ("flip", lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:]),
        ("truncate-chunk", lambda b: b[: len(b) - 50]),
        ("drop-last-chunk", lambda b: b[: len(b) - (123 + 16 + 4)]),
        ("append", lambda b: b + b"\x00" * 4),
    ]
    for label, mutate in cases:
        q = tmp_path / f"{label}.sealed"
        q.write_bytes(mutate(raw))
        with pytest.raises(sealed.SealError), sealed.SealedReader(q, key) as r:
            r.read()
    with pytest.raises(sealed.SealError), sealed.SealedReader(p, sealed.new_key()) as r:
        r.read()
    with pytest.raises(FileExistsError):
        sealed.SealedWriter(p, key)


def test_pool_draws_key_only_for_encrypted_runs() -> None:
    from breachscope.ingest.worker import WorkerConfig

    cfg = WorkerConfig(Limits(), (), "/nonexistent")
    sealed.arm(False)
    assert sealed.run_key() is None
    key = sealed.arm(True)
    assert key is not None and sealed.run_key() == key and len(key) == 32
    assert dataclasses.replace(cfg, spill_key=key).spill_key == key
    sealed.arm(False)


def test_unreadable_sealed_part_is_a_store_error(tmp_path: Path) -> None:
    """A sealed part the run cannot open fails its file (as a store error), not the stage."""
    import duckdb
    import pyarrow as pa

    from breachscope.ingest.emit import SEALED_PART, wide_schema
    from breachscope.ingest.model import TablePart
    from breachscope.ingest.writer import IngestWriter
    from breachscope.store import connect

    part = tmp_path / f"part-x{SEALED_PART}"
    with sealed.SealedWriter(part, sealed.new_key()) as w:  # a key the writer does not hold
        schema = wide_schema(1)
        with pa.ipc.new_stream(w, schema) as stream:
            stream.write_batch(pa.record_batch([pa.array([1], pa.int32()), ["x"]], schema=schema))
    con = connect(tmp_path / "s.duckdb")
    try:
        writer = IngestWriter(con)
        with pytest.raises(duckdb.Error):
            writer._insert_rows([TablePart("d:1", 1, parquet=(str(part),))])
    finally:
        con.close()
        sealed.arm(False)


def test_pool_removes_work_folders_of_killed_runs(tmp_path: Path) -> None:
    from breachscope.ingest.pool import Pool
    from breachscope.ingest.worker import WorkerConfig

    root = tmp_path / ".case.duckdb.ingest-tmp"
    stale = root / "deadbeef"
    stale.mkdir(parents=True)
    (stale / "m-1.sealed").write_bytes(b"x")
    unrelated = tmp_path / "other"
    unrelated.mkdir()
    sealed.arm(False)
    cfg = WorkerConfig(Limits(), (), str(root / "current"))
    with Pool(1, cfg, start_method="fork"):
        pass
    assert not stale.exists() and unrelated.exists()
