"""ZIP archives, unpacked safely. Members become files of their own (``a.zip!b/c.csv``).

Limits (see :class:`~breachscope.ingest.options.Limits`): nesting depth, member count,
expanded size per archive tree (declared sizes checked before anything is unpacked, actual
bytes counted while unpacking), size per member and compression ratio. Zip bombs end as
``failed`` ``bomb``; ``../`` or absolute member names as ``unsafe_path`` (never written
anywhere but a temp file of our own naming, sealed when the store is encrypted: see
:meth:`~breachscope.ingest.emit.Emitter.member_file`); encrypted members are tried with
the case's passwords and otherwise end as ``encrypted``.
"""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
import zlib
from collections import Counter
from pathlib import Path

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FAILED, SKIPPED, Member
from breachscope.ingest.registry import ReadContext, Source

CHUNK = 1 << 20
SUPPORTED_COMPRESSION = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}
AES_COMPRESSION = 99  # WinZip AES: the real method hides in an extra field
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """Absolute paths, drive letters and ``..`` parts would escape any folder they land in."""
    n = name.replace("\\", "/")
    return n.startswith("/") or bool(_DRIVE.match(n)) or ".." in n.split("/")


class _Locked(Exception):
    """No password opened the member."""


def _extract(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, pwd: bytes | None, out: Emitter, limit: int
) -> tuple[Path, int, str]:
    """Copy one member to a new member file, counting real bytes; returns (path, size, sha256).

    The file comes from :meth:`Emitter.member_file`: sealed when the run seals its temp
    files, so a member never sits in plaintext in the work folder.
    """
    h = hashlib.sha256()
    n = 0
    dest, fh = out.member_file()
    try:
        with zf.open(info, pwd=pwd) as src:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                n += len(chunk)
                if n > limit:
                    raise FileProblem("bomb", "member expands past its declared size or the limit")
                h.update(chunk)
                fh.write(chunk)
        fh.close()
    except BaseException:
        abort = getattr(fh, "abort", None) or fh.close
        abort()
        dest.unlink(missing_ok=True)
        raise
    return dest, n, h.hexdigest()


def _open_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, passwords: tuple[str, ...], out: Emitter, limit: int
) -> tuple[Path, int, str]:
    encrypted = bool(info.flag_bits & 0x1)
    if not encrypted:
        return _extract(zf, info, None, out, limit)
    for password in passwords:
        try:
            return _extract(zf, info, password.encode("utf-8"), out, limit)
        except (RuntimeError, zipfile.BadZipFile, zlib.error, EOFError, ValueError):
            continue
    raise _Locked


def read_zip(src: Source, ctx: ReadContext, out: Emitter) -> None:
    lim = ctx.limits
    try:
        zf = zipfile.ZipFile(src.path)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError):
        raise FileProblem("corrupt", "not a readable zip archive") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > lim.max_members:
            raise FileProblem("bomb", f"{len(infos)} members (limit {lim.max_members})")
        budget = min(lim.max_expanded, ctx.budget) if ctx.budget > 0 else lim.max_expanded
        declared = sum(i.file_size for i in infos)
        if declared > budget:
            raise FileProblem("bomb", f"declares {declared} bytes expanded (limit {budget})")
        if sum(i.compress_size for i in infos) > src.size:
            raise FileProblem("bomb", "members overlap in the archive")
        depth = src.depth + 1
        used: Counter[str] = Counter()
        ctx.work_dir.mkdir(parents=True, exist_ok=True)
        locked = 0
        for info in infos:
            name = info.filename.replace("\\", "/")
            used[name] += 1
            if used[name] > 1:  # the same name twice in one archive
                name = f"{name} ({used[name]})"
            path = f"{src.logical}!{name}"

            def decided(
                status: str, reason: str, path: str = path, info: zipfile.ZipInfo = info
            ) -> None:
                out.member(Member(path, info.file_size, status=status, reason=reason))

            if unsafe_name(info.filename):
                decided(FAILED, "unsafe_path")
                continue
            if depth > lim.max_depth:
                decided(FAILED, "depth")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                decided(SKIPPED, "symlink")
                continue
            if info.compress_type == AES_COMPRESSION:
                locked += 1
                decided(FAILED, "encrypted")
                continue
            if info.compress_type not in SUPPORTED_COMPRESSION:
                decided(SKIPPED, f"unsupported:compression-{info.compress_type}")
                continue
            if info.file_size > lim.max_member_size:
                decided(FAILED, "too_large")
                continue
            if info.file_size > lim.ratio_floor and info.file_size > lim.max_ratio * max(
                1, info.compress_size
            ):
                decided(FAILED, "bomb")
                continue
            if info.file_size == 0:
                out.member(
                    Member(
                        path,
                        0,
                        sha256=EMPTY_SHA256,
                        status=SKIPPED,
                        reason="empty",
                        detected_type="empty",
                    )
                )
                continue
            limit = min(info.file_size, lim.max_member_size, budget - out.expanded)
            try:
                dest, size, sha = _open_member(zf, info, ctx.passwords, out, limit)
            except _Locked:
                locked += 1
                decided(FAILED, "encrypted")
                continue
            except FileProblem as exc:
                decided(FAILED, exc.reason if not exc.detail else f"{exc.reason}: {exc.detail}")
                continue
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError):
                decided(FAILED, "corrupt: member cannot be decompressed")
                continue
            except NotImplementedError:
                decided(SKIPPED, "unsupported:compression")
                continue
            out.expanded += size
            out.member(Member(path, size, source=str(dest), sha256=sha))
        if infos and locked == len(infos):
            out.status = (FAILED, "encrypted")
