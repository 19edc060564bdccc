"""Files a breach corpus always has and no pipeline may choke on.

Each writer returns ``(expected_status, expected_reason)`` for ``files.csv``; none of
these files holds a person the ground truth counts.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

from breachscope.synth.docwriters import write_pdf


def truncated_pdf(target: Path, rng: random.Random) -> tuple[str, str]:
    """A PDF cut off after its first few hundred bytes (an interrupted copy)."""
    tmp = target.with_suffix(".tmp")
    write_pdf(tmp, [("title", "DISCHARGE SUMMARY"), ("p", "Transfer interrupted " * 200)])
    data = tmp.read_bytes()
    tmp.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data[:240] + bytes(rng.randrange(256) for _ in range(64)))
    return "failed", "corrupt"


def junk_xlsx(target: Path, rng: random.Random) -> tuple[str, str]:
    """A ZIP signature followed by garbage: what a half-written workbook looks like."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(4096)))
    return "failed", "corrupt"


def empty(target: Path) -> tuple[str, str]:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"")
    return "skipped", "empty"


def executable(target: Path, rng: random.Random) -> tuple[str, str]:
    """A Windows executable header over random bytes (an installer left on the share)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    head = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 44
        + struct.pack("<I", 0x80)
    )
    body = b"This program cannot be run in DOS mode.\r\r\n$" + bytes(
        rng.randrange(256) for _ in range(6000)
    )
    target.write_bytes(head + b"\x00" * (0x80 - len(head)) + b"PE\x00\x00" + body)
    return "skipped", "unsupported"


def png_logo(target: Path) -> tuple[str, str]:
    """A small PNG image (a logo: no text to read without OCR, no person in it)."""
    width, height = 48, 16
    line = b"\x00" + b"".join(bytes((20, 60 + x * 3 % 120, 140)) for x in range(width))
    raw = line * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    buf = io.BytesIO()
    buf.write(b"\x89PNG\r\n\x1a\n")
    buf.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
    buf.write(chunk(b"IDAT", zlib.compress(raw)))
    buf.write(chunk(b"IEND", b""))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buf.getvalue())
    return "skipped", "unsupported"
