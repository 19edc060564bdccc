"""Plain text (and structured text not yet read by its own reader): decoded, streamed.

Small files become one ``body`` document; big ones are cut on line boundaries into
``part N`` documents of about ``limits.text_segment`` characters.
"""

from __future__ import annotations

import codecs

from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.registry import ReadContext, Source
from breachscope.ingest.textcodec import detect_encoding

CHUNK = 1 << 20


def clean_text(text: str) -> str:
    return text.replace("\x00", "") if "\x00" in text else text


def read_text(src: Source, ctx: ReadContext, out: Emitter) -> None:
    enc, bom = src.guess.encoding, src.guess.bom
    if enc is None:
        with src.path.open("rb") as f:
            head = f.read(65536)
        enc, bom = detect_encoding(head, len(head) >= src.size)
    segment = max(1024, ctx.limits.text_segment)
    decoder = codecs.getincrementaldecoder(enc)(errors="replace")
    parts: list[str] = []  # held back until we know whether there is more than one
    n_parts = 0
    buf = ""
    any_text = False

    def emit(piece: str) -> None:
        nonlocal n_parts, any_text
        piece = clean_text(piece)
        if not piece.strip():
            return
        any_text = True
        n_parts += 1
        if n_parts == 1:
            parts.append(piece)
            return
        if parts:
            out.text("part 1", parts.pop())
        out.text(f"part {n_parts}", piece)

    with src.path.open("rb") as f:
        f.seek(bom)
        while True:
            raw = f.read(CHUNK)
            buf += decoder.decode(raw, final=not raw)
            while len(buf) >= segment:
                cut = buf.rfind("\n", 0, segment)
                cut = segment if cut <= 0 else cut + 1
                emit(buf[:cut])
                buf = buf[cut:]
            if not raw:
                break
    emit(buf)
    if not any_text:
        raise FileSkipped("empty")
    if parts:
        out.text("body", parts.pop())
