"""TAR (plain, gz, bz2, xz), single-file GZ/BZ2/XZ and 7z: unpacked safely, every member
accounted for, every hostile variant (traversal, links, bombs, truncation, encryption,
depth, member count) reported and never fatal. ZIP behaviour is covered in test_ingest.
"""

from __future__ import annotations

import bz2
import gzip
import io
import logging
import lzma
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest

from breachscope.ingest.options import Limits
from breachscope.ingest.readers.tarball import member_name
from breachscope.store.db import connect
from breachscope.synth.office_formats import seven_zip, tar_gz
from test_ingest import CANARY_SSN, file_row, ingest, make_case, make_zip, put, rows, table_of

ROSTER = f"Name,SSN\nAnn Lee,{CANARY_SSN}\n".encode()


def make_tar(entries: list[tarfile.TarInfo | tuple[str, bytes]], mode: str = "w") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:  # type: ignore[call-overload]
        for e in entries:
            if isinstance(e, tarfile.TarInfo):
                tf.addfile(e)
            else:
                ti = tarfile.TarInfo(e[0])
                ti.size = len(e[1])
                tf.addfile(ti, io.BytesIO(e[1]))
    return buf.getvalue()


def link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.linkname = target
    return ti


def seven(tmp: Path, members: dict[str, bytes]) -> bytes:
    p = tmp / "x.7z"
    seven_zip(members, p)
    data = p.read_bytes()
    p.unlink()
    return data


def encrypted_7z(tmp: Path, header: bool) -> bytes | None:
    exe = shutil.which("7zz") or shutil.which("7z")
    if exe is None:
        return None
    src = tmp / "src7"
    src.mkdir(exist_ok=True)
    (src / "roster.csv").write_bytes(ROSTER)
    out = tmp / f"enc{header}.7z"
    subprocess.run(
        [exe, "a", "-pS3cret", f"-mhe={'on' if header else 'off'}", str(out), "roster.csv"],
        cwd=src, check=True, capture_output=True,
    )  # fmt: skip
    return out.read_bytes()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("archives")
    case = make_case(root)
    nested = make_tar([("inner.tar.gz", tar_gz({"deep/roster.csv": ROSTER}))])
    fifo = tarfile.TarInfo("pipe")
    fifo.type = tarfile.FIFOTYPE
    good_tgz = tar_gz({"export/roster.csv": ROSTER, "export/readme.txt": b"weekly export"})
    files: dict[str, bytes | str] = {
        "plan/export.tar.gz": good_tgz,
        "plan/export.tgz.bin": good_tgz,  # wrong extension: typed by content
        "plan/export.tar.bz2": make_tar([("roster.csv", ROSTER)], "w:bz2"),
        "plan/export.tar.xz": make_tar([("roster.csv", ROSTER)], "w:xz"),
        "plan/plain.tar": make_tar([("a/roster.csv", ROSTER), ("a/empty.txt", b"")]),
        "plan/nested.tar": nested,
        "plan/roster.csv.gz": gzip.compress(ROSTER),
        "plan/roster.csv.bz2": bz2.compress(ROSTER),
        "plan/roster.csv.xz": lzma.compress(ROSTER),
        "plan/backup.7z": seven(root, {"db/roster.csv": ROSTER, "notes.txt": b"backup notes"}),
        "plan/mixed.zip": make_zip({"in.tgz": good_tgz}),
        "bad/hostile.tar": make_tar(
            [
                ("../../etc/evil.csv", ROSTER),
                ("/abs/path.csv", ROSTER),
                link("link_out", "/etc/passwd"),
                link("hard", "a/roster.csv", tarfile.LNKTYPE),
                fifo,
                ("ok.csv", ROSTER),
            ]
        ),
        "bad/truncated.tar.gz": good_tgz[: len(good_tgz) // 2],
        "bad/cut.tar": make_tar([("a.csv", ROSTER), ("b.csv", ROSTER * 400)])[:1800],
        "bad/truncated.gz": gzip.compress(ROSTER * 50)[:40],
        "bad/junk.7z": b"7z\xbc\xaf\x27\x1c" + b"\x00\x04" + b"\x17" * 200,
        "bad/gzbomb.gz": gzip.compress(b"\0" * (3 << 20)),
        "bad/tarbomb.tar.gz": tar_gz({"zeros.bin": b"\0" * (3 << 20)}),
    }
    for header in (False, True):
        enc = encrypted_7z(root, header)
        if enc is not None:
            files[f"bad/encrypted_header{header}.7z"] = enc
    put(case, files)
    con = connect(case.store_path)
    summary = ingest(case, con, limits=Limits(ratio_floor=1 << 20, max_ratio=100.0))
    return case, con, summary


def test_every_file_and_member_accounted_for(ingested: Any) -> None:
    case, con, summary = ingested
    paths = {r[0] for r in con.execute("SELECT path FROM files").fetchall()}
    on_disk = {p.relative_to(case.evidence).as_posix() for p in case.evidence.rglob("*")
               if p.is_file()}  # fmt: skip
    assert on_disk <= paths
    assert {
        "plan/export.tar.gz!export/roster.csv",
        "plan/export.tar.gz!export/readme.txt",
        "plan/plain.tar!a/empty.txt",
        "plan/nested.tar!inner.tar.gz!deep/roster.csv",
        "plan/roster.csv.gz!roster.csv",
        "plan/backup.7z!db/roster.csv",
        "plan/mixed.zip!in.tgz!export/roster.csv",
        "bad/hostile.tar!../../etc/evil.csv",
        "bad/hostile.tar!link_out",
        "bad/hostile.tar!pipe",
    } <= paths
    assert summary["processed"] + summary["skipped"] + summary["failed"] == len(paths)


@pytest.mark.parametrize(
    ("path", "status", "reason", "detected"),
    [
        ("plan/export.tar.gz", "processed", "", "tar"),
        ("plan/export.tgz.bin", "processed", "", "tar"),
        ("plan/export.tar.bz2", "processed", "", "tar"),
        ("plan/export.tar.xz", "processed", "", "tar"),
        ("plan/plain.tar", "processed", "", "tar"),
        ("plan/plain.tar!a/empty.txt", "skipped", "empty", None),
        ("plan/nested.tar!inner.tar.gz", "processed", "", "tar"),
        ("plan/roster.csv.gz", "processed", "", "gz"),
        ("plan/roster.csv.bz2", "processed", "", "bz2"),
        ("plan/roster.csv.xz", "processed", "", "xz"),
        ("plan/backup.7z", "processed", "", "7z"),
        ("plan/backup.7z!notes.txt", "processed", "", "txt"),
        ("bad/hostile.tar", "processed", "", "tar"),
        ("bad/hostile.tar!../../etc/evil.csv", "failed", "unsafe_path", None),
        ("bad/hostile.tar!/abs/path.csv", "failed", "unsafe_path", None),
        ("bad/hostile.tar!link_out", "skipped", "symlink", None),
        ("bad/hostile.tar!hard", "skipped", "symlink", None),
        ("bad/hostile.tar!pipe", "skipped", "unsupported", None),
        ("bad/hostile.tar!ok.csv", "processed", "", "csv"),
        ("bad/truncated.tar.gz", "failed", "corrupt", "tar"),
        ("bad/cut.tar", "failed", "corrupt", "tar"),
        ("bad/cut.tar!a.csv", "processed", "", "csv"),
        ("bad/cut.tar!b.csv", "failed", "corrupt", None),
        ("bad/truncated.gz", "failed", "corrupt", "gz"),
        ("bad/junk.7z", "failed", "corrupt", "7z"),
        ("bad/gzbomb.gz", "processed", "", "gz"),
        ("bad/gzbomb.gz!gzbomb", "failed", "bomb", None),
        ("bad/tarbomb.tar.gz", "failed", "bomb", "tar"),
    ],
)
def test_status_and_type(
    ingested: Any, path: str, status: str, reason: str, detected: str | None
) -> None:
    _case, con, _ = ingested
    r = file_row(con, path)
    assert (r["status"], r["reason"].split(":")[0]) == (status, reason)
    if detected is not None:
        assert r["detected_type"] == detected


def test_members_are_read_as_files(ingested: Any) -> None:
    _case, con, _ = ingested
    for path in (
        "plan/export.tar.gz!export/roster.csv",
        "plan/export.tar.bz2!roster.csv",
        "plan/export.tar.xz!roster.csv",
        "plan/nested.tar!inner.tar.gz!deep/roster.csv",
        "plan/roster.csv.xz!roster.csv",
        "plan/backup.7z!db/roster.csv",
        "plan/mixed.zip!in.tgz!export/roster.csv",
    ):
        assert rows(con, table_of(con, path)["doc_id"]) == [(2, ["Ann Lee", CANARY_SSN])], path
    leaf = file_row(con, "plan/nested.tar!inner.tar.gz!deep/roster.csv")
    assert leaf["depth"] == 2 and leaf["client_ids"] == ["plan"] and len(leaf["sha256"]) == 64


def test_encrypted_7z(ingested: Any) -> None:
    _case, con, _ = ingested
    if not shutil.which("7zz") and not shutil.which("7z"):
        pytest.skip("no 7z program to make an encrypted 7z")
    assert file_row(con, "bad/encrypted_headerTrue.7z")["reason"] == "encrypted"
    r = file_row(con, "bad/encrypted_headerFalse.7z")
    assert (r["status"], r["reason"]) == ("failed", "encrypted")
    assert file_row(con, "bad/encrypted_headerFalse.7z!roster.csv")["reason"] == "encrypted"


def test_limits_depth_members_and_budget(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    deep = make_tar([("leaf.csv", ROSTER)])
    for i in range(3):
        deep = make_tar([(f"level{i}.tar", deep)])
    put(
        case,
        {
            "plan/deep.tar": deep,
            "plan/many.tar.gz": tar_gz({f"f{i}.txt": b"x" for i in range(30)}),
            "plan/big.tar": make_tar([("a.txt", b"a" * 300_000), ("b.txt", b"b" * 10)]),
        },
    )
    con = connect(case.store_path)
    ingest(case, con, limits=Limits(max_depth=2, max_members=20, max_expanded=200_000))
    assert file_row(con, "plan/deep.tar!level2.tar!level1.tar")["status"] == "processed"
    assert file_row(con, "plan/deep.tar!level2.tar!level1.tar!level0.tar")["reason"] == "depth"
    assert file_row(con, "plan/many.tar.gz")["reason"].startswith("bomb")
    assert file_row(con, "plan/big.tar!a.txt")["reason"] == "bomb"
    assert file_row(con, "plan/big.tar!b.txt")["status"] == "processed"


def test_member_names_and_no_phi_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert member_name("notes.txt.gz") == "notes.txt"
    assert member_name("x.tgz") == "x.tar"
    assert member_name("blob") == "blob.out"
    case = make_case(tmp_path)
    put(case, {"bad/t.tar.gz": tar_gz({f"{CANARY_SSN}.csv": ROSTER})[:300]})
    with caplog.at_level(logging.DEBUG, logger="breachscope"):
        ingest(case, connect(case.store_path))
    assert CANARY_SSN not in caplog.text
