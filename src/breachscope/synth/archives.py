"""ZIP archives: members are written to a staging folder, then packed (nested ones first).

Evidence paths name archive members as ``outer.zip!inner/file.csv`` (nested:
``a.zip!b.zip!c.csv``). :class:`EvidenceTree` maps such a path to where the member is
staged, remembers every archive, and packs them at the end with fixed timestamps so the
bytes are reproducible. Encrypted archives use traditional PKWARE (ZipCrypto) encryption,
which Python's ``zipfile`` can read with a password but cannot write.
"""

from __future__ import annotations

import random
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

_FIXED = (2025, 2, 3, 14, 5, 0)


class EvidenceTree:
    def __init__(self, root: Path, staging: Path) -> None:
        self.root = root
        self.staging = staging
        self.archives: set[str] = set()

    def target(self, path: str) -> Path:
        """Where to write the file that the evidence path ``path`` names."""
        parts = path.split("!")
        for i in range(1, len(parts)):
            self.archives.add("!".join(parts[:i]))
        if len(parts) == 1:
            return self.root / path
        base = self.staging / (parts[0] + ".d")
        for mid in parts[1:-1]:
            base = base / (mid + ".d")
        return base / parts[-1]

    def pack(self, passwords: dict[str, str | None], seed: int) -> list[str]:
        """Pack every archive, innermost first. Returns the archive paths."""
        done = []
        for arch in sorted(self.archives, key=lambda a: (-a.count("!"), a)):
            src = self.target(arch + "!x").parent
            out = self.target(arch)
            members = sorted(p for p in src.rglob("*") if p.is_file() and not p.name.endswith(".d"))
            items = [(m.relative_to(src).as_posix(), m.read_bytes()) for m in members]
            out.parent.mkdir(parents=True, exist_ok=True)
            if arch in passwords:
                pw = passwords[arch]
                rng = random.Random(f"breachscope-synth/{seed}/zip/{arch}")
                secret = pw if pw is not None else f"unknown-{rng.random()}"
                write_encrypted_zip(out, items, secret.encode(), rng)
            else:
                write_zip(out, items)
            shutil.rmtree(src)
            done.append(arch)
        return done


def write_zip(out: Path, items: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            info = zipfile.ZipInfo(name, _FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


# --------------------------------------------------------------------------- ZipCrypto


def _crc_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc_table()


class _Keys:
    def __init__(self, password: bytes) -> None:
        self.k = [0x12345678, 0x23456789, 0x34567890]
        for b in password:
            self.update(b)

    def update(self, b: int) -> None:
        k0, k1, k2 = self.k
        k0 = (k0 >> 8) ^ _CRC_TABLE[(k0 ^ b) & 0xFF]
        k1 = (k1 + (k0 & 0xFF)) & 0xFFFFFFFF
        k1 = (k1 * 134775813 + 1) & 0xFFFFFFFF
        k2 = (k2 >> 8) ^ _CRC_TABLE[(k2 ^ (k1 >> 24)) & 0xFF]
        self.k = [k0, k1, k2]

    def encrypt(self, data: bytes) -> bytes:
        out = bytearray()
        for b in data:
            t = (self.k[2] | 2) & 0xFFFF
            out.append(b ^ (((t * (t ^ 1)) >> 8) & 0xFF))
            self.update(b)
        return bytes(out)


def _dos_time() -> tuple[int, int]:
    y, mo, d, h, mi, s = _FIXED
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def write_encrypted_zip(
    out: Path, items: list[tuple[str, bytes]], password: bytes, rng: random.Random
) -> None:
    """A ZIP whose members are deflated and ZipCrypto-encrypted with ``password``."""
    t, d = _dos_time()
    local = bytearray()
    central = bytearray()
    for name, data in items:
        crc = zlib.crc32(data) & 0xFFFFFFFF
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        comp = co.compress(data) + co.flush()
        header = bytes(rng.randrange(256) for _ in range(11)) + bytes([crc >> 24])
        enc = _Keys(password).encrypt(header + comp)
        fname = name.encode()
        offset = len(local)
        local += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 1, 8, t, d, crc, len(enc), len(data), len(fname), 0
        )
        local += fname + enc
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 1, 8, t, d, crc, len(enc), len(data),
            len(fname), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += fname
    eocd = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(items), len(items), len(central), len(local), 0
    )
    out.write_bytes(bytes(local + central + eocd))
