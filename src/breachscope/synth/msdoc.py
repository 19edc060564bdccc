"""A small Word 97-2003 binary (``.doc``) writer, for synthetic evidence (no LibreOffice here).

The file is an OLE2 / Compound File Binary (MS-CFB, version 3, 512-byte sectors) written
here: header, FAT, a directory (Root Entry, ``WordDocument``, ``1Table``) and the two
streams. Both streams are padded to at least 4096 bytes, so neither belongs in the mini
stream and the file needs no mini FAT.

``WordDocument`` starts with a Word 97 FIB (MS-DOC 2.5: ``wIdent`` 0xA5EC, ``nFib`` 0x00C1,
``fWhichTblStm`` set so the table stream is ``1Table``, ``ccpText`` the text length and
``fcClx``/``lcbClx`` pointing at the piece table in ``1Table``); the text follows at
0x800 as one piece of UTF-16LE (MS-DOC 2.4.1: a Clx holding a single Pcdt / PlcPcd).
Paragraphs end in ``\\r``, as Word stores them.

What is left out (formatting runs, style sheet, fonts, section table) makes the document
plain Normal-style text: antiword, catdoc and olefile read it; Word itself may want the
formatting tables too. :func:`doc_text` reads the text back the way a Word reader does (for
the generator's own checks), through the piece table.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

SECTOR = 512
MIN_STREAM = 4096  # streams below this size would have to live in the mini stream
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# CLSID of a Word 97 document (the Root Entry's class).
WORD_CLSID = bytes.fromhex("0609020000000000c000000000000046")

W_IDENT = 0xA5EC
N_FIB = 0x00C1
N_FIB_BACK = 0x00BF
F_WHICH_TBL_STM = 0x0200
F_ENCRYPTED = 0x0100
F_EXT_CHAR = 0x1000
F_COMPRESSED = 0x40000000  # in a piece's fc: 8-bit text at fc / 2
TEXT_FC = 0x800  # where the text starts in WordDocument (Word's own fcMin)

# FIB layout for nFib 0x00C1 (MS-DOC 2.5.1): FibBase 32, csw + fibRgW 2 + 28,
# cslw + fibRgLw 2 + 88, cbRgFcLcb + fibRgFcLcbBlob 2 + 93 * 8, cswNew 2.
_CSW, _CSLW, _CB_RG_FC_LCB = 14, 22, 93
OFF_RG_LW = 32 + 2 + 2 * _CSW + 2  # 0x40
OFF_CCP_TEXT = OFF_RG_LW + 3 * 4  # 0x4C
OFF_RG_FC_LCB = OFF_RG_LW + 4 * _CSLW + 2  # 0x9A
OFF_FC_CLX = OFF_RG_FC_LCB + 33 * 8  # 0x1A2: fcClx is the 34th pair of FibRgFcLcb97
FIB_SIZE = OFF_RG_FC_LCB + 8 * _CB_RG_FC_LCB + 2


def pad_stream(data: bytes, minimum: int = MIN_STREAM) -> bytes:
    """``data`` padded with zeros to whole sectors and at least ``minimum`` bytes."""
    size = max(len(data), minimum)
    size += -size % SECTOR
    return data + b"\0" * (size - len(data))


def word_text(paragraphs: Sequence[str]) -> str:
    """The main-document text Word stores: paragraphs each ending in a paragraph mark."""
    return "".join(p.replace("\r\n", "\n").replace("\n", "\x0b") + "\r" for p in paragraphs)


def fib(n_chars: int, text_end: int, lcb_clx: int, lcb_stsh: int, *, flags: int = 0) -> bytes:
    """A Word 97 File Information Block for one piece of main-document text."""
    out = bytearray(FIB_SIZE)
    flags |= F_WHICH_TBL_STM | F_EXT_CHAR
    # wIdent, nFib, unused, lid (en-US), pnNext, flags, nFibBack, lKey, envr, flags2,
    # reserved3/4, then reserved5/6 = fcMin/fcMac of older FIBs (catdoc still reads them).
    struct.pack_into("<HHHHHHHIBBHHII", out, 0, W_IDENT, N_FIB, 0x6A62, 0x0409, 0, flags,
                     N_FIB_BACK, 0, 0, 0, 0, 0, TEXT_FC, text_end)  # fmt: skip
    struct.pack_into("<H", out, 32, _CSW)
    struct.pack_into("<H", out, 32 + 2 + 2 * _CSW, _CSLW)
    struct.pack_into("<I", out, OFF_RG_LW, text_end)  # cbMac: last byte in use
    struct.pack_into("<I", out, OFF_CCP_TEXT, n_chars)
    struct.pack_into("<H", out, OFF_RG_FC_LCB - 2, _CB_RG_FC_LCB)
    struct.pack_into("<II", out, OFF_FC_CLX, 0, lcb_clx)  # the Clx opens 1Table ...
    for pair in (0, 1):  # ... the style sheet (fcStshfOrig, fcStshf) follows it
        struct.pack_into("<II", out, OFF_RG_FC_LCB + 8 * pair, lcb_clx, lcb_stsh)
    # cswNew stays 0: nFib 0x00C1 needs no FibRgCswNew.
    return bytes(out)


def stylesheet() -> bytes:
    """An Stsh with one style, Normal (sti 0, a paragraph style with empty formatting).

    Readers look up style 0 for every paragraph; antiword reads past an empty style sheet.
    """
    name = "Normal"
    xstz = struct.pack("<H", len(name)) + name.encode("utf-16-le") + b"\0\0"
    upx_papx = struct.pack("<HH", 2, 0)  # cbUpx, istd 0, no sprms
    upx_chpx = struct.pack("<H", 0)  # cbUpx 0: no character formatting
    body = xstz + upx_papx + upx_chpx
    # Stdf: sti 0; stk 1 (paragraph), istdBase nil; cupx 2, istdNext 0; bchUpe; grfstd
    std = struct.pack("<HHHHH", 0, 1 | 0x0FFF << 4, 2 | 0 << 4, 10 + len(body), 0) + body
    # Stshi: cstd 1, cbSTDBaseInFile 10, fStdStylenamesWritten, stiMaxWhenSaved,
    # istdMaxFixedWhenSaved, nVerBuiltInNamesWhenSaved, three default font indexes.
    stshi = struct.pack("<9H", 1, 10, 1, 0x5B, 0x0F, 0, 0, 0, 0)
    return struct.pack("<H", len(stshi)) + stshi + struct.pack("<H", len(std)) + std


def clx(n_chars: int, fc: int) -> bytes:
    """A Clx with no Prc and one piece: CPs [0, n_chars), text at ``fc`` of WordDocument."""
    plc = struct.pack("<II", 0, n_chars) + struct.pack("<HIH", 0, fc, 0)
    return struct.pack("<BI", 0x02, len(plc)) + plc


def word_document(paragraphs: Sequence[str], *, compressed: bool = False) -> bytes:
    """A ``.doc`` file holding ``paragraphs`` as plain text.

    ``compressed`` stores the text as 8-bit cp1252 (Word's "compressed" pieces); characters
    outside cp1252 then raise ``UnicodeEncodeError``. The default is UTF-16LE.
    """
    text = word_text(paragraphs)
    raw = text.encode("cp1252") if compressed else text.encode("utf-16-le")
    fc = TEXT_FC * 2 | F_COMPRESSED if compressed else TEXT_FC
    piece_table = clx(len(text), fc)
    styles = stylesheet()
    table = piece_table + styles
    text_end = TEXT_FC + len(raw)
    word = fib(len(text), text_end, len(piece_table), len(styles))
    word += b"\0" * (TEXT_FC - len(word)) + raw
    return compound_file(
        {"WordDocument": pad_stream(word), "1Table": pad_stream(table)}, WORD_CLSID
    )


# --------------------------------------------------------------------------- container


def _cfb_key(name: str) -> tuple[int, str]:
    # MS-CFB 2.6.4: siblings are ordered by name length, then by upper-cased name.
    return len(name), name.upper()


def compound_file(streams: dict[str, bytes], clsid: bytes = b"\0" * 16) -> bytes:
    """An MS-CFB v3 file with ``streams`` under the root storage.

    Every stream must be a whole number of sectors and at least 4096 bytes (no mini stream).
    The directory is a red-black tree as MS-CFB requires: balanced, black root, red below
    (valid for up to three streams, which is all a DOC needs here).
    """
    names = sorted(streams, key=_cfb_key)
    if not 1 <= len(names) <= 3:
        raise ValueError("one to three streams")
    for name in names:
        data = streams[name]
        if len(data) < MIN_STREAM or len(data) % SECTOR:
            raise ValueError("streams must be whole sectors of at least 4096 bytes")
        if len(name) > 31:
            raise ValueError("stream names have at most 31 characters")
    starts: dict[str, int] = {}
    body = bytearray()
    for name in names:
        starts[name] = len(body) // SECTOR
        body += streams[name]
    n_data = len(body) // SECTOR
    n_dir = 1  # four 128-byte entries: the root and up to three streams
    dir_start = n_data
    n_fat = 1
    while n_data + n_dir + n_fat > n_fat * (SECTOR // 4):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("too large for a header-only DIFAT")
    fat_start = dir_start + n_dir
    fat = [FREESECT] * (n_fat * SECTOR // 4)
    for name in names:
        first, count = starts[name], len(streams[name]) // SECTOR
        for i in range(first, first + count):
            fat[i] = i + 1 if i < first + count - 1 else ENDOFCHAIN
    fat[dir_start] = ENDOFCHAIN
    for i in range(fat_start, fat_start + n_fat):
        fat[i] = FATSECT

    # Tree of the streams (entry ids 1..n in sorted order): the middle one is the root.
    mid = len(names) // 2
    ids = {name: i + 1 for i, name in enumerate(names)}
    directory = bytearray(n_dir * SECTOR)

    def entry(slot: int, name: str, kind: int, color: int, left: int, right: int,
              child: int, start: int, size: int, cls: bytes = b"\0" * 16) -> None:  # fmt: skip
        off = slot * 128
        raw = (name + "\0").encode("utf-16-le")
        directory[off : off + len(raw)] = raw
        struct.pack_into("<HBBIII", directory, off + 64, len(raw), kind, color, left, right, child)
        directory[off + 80 : off + 96] = cls
        struct.pack_into("<IIQ", directory, off + 116, start, size, 0)
        # (state bits and the two FILETIMEs stay zero: "not recorded")

    entry(0, "Root Entry", 5, 1, NOSTREAM, NOSTREAM, ids[names[mid]], ENDOFCHAIN, 0, clsid)
    for i, name in enumerate(names):
        left = ids[names[i - 1]] if i == mid and i > 0 else NOSTREAM
        right = ids[names[i + 1]] if i == mid and i + 1 < len(names) else NOSTREAM
        color = 1 if i == mid else 0
        entry(ids[name], name, 2, color, left, right, NOSTREAM, starts[name], len(streams[name]))
    for slot in range(len(names) + 1, SECTOR // 128):
        struct.pack_into("<III", directory, slot * 128 + 68, NOSTREAM, NOSTREAM, NOSTREAM)

    header = bytearray(SECTOR)
    header[0:8] = CFB_MAGIC
    # minor version, major version 3, byte order, sector shift 9, mini sector shift 6
    struct.pack_into("<HHHHH", header, 0x18, 0x003E, 3, 0xFFFE, 9, 6)
    # directory sectors (0 in v3), FAT sectors, first directory sector, transaction number
    struct.pack_into("<IIII", header, 0x28, 0, n_fat, dir_start, 0)
    # mini stream cutoff, first mini FAT sector, mini FAT sectors, first DIFAT sector, DIFAT sectors
    struct.pack_into("<IIIII", header, 0x38, MIN_STREAM, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    difat = [fat_start + i for i in range(n_fat)] + [FREESECT] * (109 - n_fat)
    struct.pack_into("<109I", header, 0x4C, *difat)
    return bytes(header + body + directory + struct.pack(f"<{len(fat)}I", *fat))


# --------------------------------------------------------------------------- reading back


def doc_text(data: bytes) -> str:
    """The main-document text of a ``.doc`` through its piece table, paragraphs as lines."""
    import io

    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        word = ole.openstream("WordDocument").read()
        (flags,) = struct.unpack_from("<H", word, 0x0A)
        table = ole.openstream("1Table" if flags & F_WHICH_TBL_STM else "0Table").read()
    ccp_text = struct.unpack_from("<I", word, OFF_CCP_TEXT)[0]
    fc_clx, lcb_clx = struct.unpack_from("<II", word, OFF_FC_CLX)
    pos, end = fc_clx, fc_clx + lcb_clx
    while table[pos] == 0x01:  # Prc (formatting): skip
        (cb,) = struct.unpack_from("<H", table, pos + 1)
        pos += 3 + cb
    if table[pos] != 0x02 or pos >= end:
        raise ValueError("no piece table")
    (lcb,) = struct.unpack_from("<I", table, pos + 1)
    plc = table[pos + 5 : pos + 5 + lcb]
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    parts: list[str] = []
    for i in range(n):
        _f, fc, _prm = struct.unpack_from("<HIH", plc, 4 * (n + 1) + 8 * i)
        count = cps[i + 1] - cps[i]
        if fc & F_COMPRESSED:
            at = (fc & ~F_COMPRESSED) // 2
            parts.append(word[at : at + count].decode("cp1252"))
        else:
            parts.append(word[fc : fc + 2 * count].decode("utf-16-le"))
    text = "".join(parts)[:ccp_text]
    return text.replace("\x0b", "\n").replace("\r", "\n")
