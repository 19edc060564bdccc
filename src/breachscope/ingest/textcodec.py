"""Text encodings: byte-order marks, UTF-8 first, charset-normalizer, cp1252 as the fallback.

US healthcare exports are UTF-8 or Windows-1252 almost always; charset-normalizer is asked
only when UTF-8 fails, and its answer is kept only when it names a clearly different family
(UTF-16/32, CJK ...): between the single-byte Western code pages cp1252 is the safe choice.
"""

from __future__ import annotations

import codecs

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Encodings for which charset-normalizer's guess is replaced by cp1252.
_WESTERN = {
    "ascii",
    "latin_1",
    "iso8859_1",
    "iso8859_15",
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp1258",
    "cp437",
    "cp850",
    "cp858",
    "mac_roman",
    "mac_latin2",
    "iso8859_2",
    "iso8859_9",
    "iso8859_10",
    "iso8859_13",
    "iso8859_14",
    "iso8859_16",
    "hp_roman8",
    "kz1048",
    "ptcp154",
}


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte (for Latin text)."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def is_utf8(data: bytes, complete: bool) -> bool:
    """True when ``data`` decodes as UTF-8 (a character cut at the end of a sample is fine)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes, complete: bool) -> tuple[str, int]:
    """Best codec for a text sample, and how many BOM bytes to skip."""
    found = bom_encoding(data)
    if found:
        return found
    utf16 = utf16_without_bom(data)
    if utf16:
        return utf16, 0
    if is_utf8(data, complete):
        return "utf-8", 0
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data[:65536]).best()
    except Exception:  # a guessing library must not fail the file
        best = None
    if best is None or best.encoding in _WESTERN:
        return "cp1252", 0
    return str(best.encoding), 0


def decode(data: bytes, encoding: str, complete: bool = True) -> str:
    """Decode leniently (bad bytes become U+FFFD), tolerating a cut character at the end."""
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=complete)
