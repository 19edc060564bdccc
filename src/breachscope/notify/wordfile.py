"""DOCX for counsel's edits, made from the same HTML as the PDF (one source of wording)."""

from __future__ import annotations

import io
from typing import Any

import lxml.html
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt, RGBColor

_NAVY = RGBColor(0x1F, 0x3A, 0x5F)


def _runs(par: Any, el: Any, *, bold: bool = False, italic: bool = False) -> None:
    """Copy an element's text into ``par``, keeping bold, italics and line breaks."""
    if el.text:
        r = par.add_run(" ".join(el.text.split()) if el.tag != "td" else el.text.strip())
        r.bold, r.italic = bold or None, italic or None
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            par.add_run().add_break()
        else:
            _runs(
                par,
                child,
                bold=bold or tag in ("strong", "b", "th"),
                italic=italic or tag in ("em", "i"),
            )
        if child.tail and child.tail.strip():
            tail = " ".join(child.tail.split())
            lead = " " if child.tail[:1].isspace() else ""
            trail = " " if child.tail[-1:].isspace() else ""
            r = par.add_run(lead + tail + trail)
            r.bold, r.italic = bold or None, italic or None


def html_to_docx(html: str) -> bytes:
    """Convert letter HTML (``section.letter`` elements) to a Word document."""
    root = lxml.html.fromstring(html)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    first = True
    for section in root.iter("section"):
        if not first:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        first = False
        _block(doc, section)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _block(doc: Any, el: Any) -> None:
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        cls = child.get("class", "")
        if tag in ("header",) or "letterhead" in cls:
            for i, div in enumerate(child):
                p = doc.add_paragraph()
                _runs(p, div)
                if i == 0:
                    for r in p.runs:
                        r.font.size, r.font.small_caps, r.font.color.rgb = Pt(16), True, _NAVY
                else:
                    for r in p.runs:
                        r.font.size = Pt(8)
        elif "meta" in cls:
            for div in child:
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _runs(p, div)
        elif "address" in cls:
            p = doc.add_paragraph()
            for i, div in enumerate(child):
                if i:
                    p.add_run().add_break()
                _runs(p, div)
        elif "guide" in cls:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _block(doc, child)
        elif tag == "h1":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _runs(p, child, bold=True)
            for r in p.runs:
                r.font.color.rgb, r.font.all_caps = _NAVY, True
        elif tag in ("h2", "h3"):
            h = doc.add_heading(level=2 if tag == "h2" else 3)
            _runs(h, child)
        elif tag == "p":
            p = doc.add_paragraph()
            _runs(p, child)
        elif tag == "ul":
            for li in child.iter("li"):
                _runs(doc.add_paragraph(style="List Bullet"), li)
        elif tag == "table":
            rows = list(child.iter("tr"))
            ncols = max(len(r) for r in rows) if rows else 0
            if not ncols:
                continue
            t = doc.add_table(rows=len(rows), cols=ncols)
            t.style = "Table Grid"
            for i, tr in enumerate(rows):
                for j, cell in enumerate(tr):
                    par = t.cell(i, j).paragraphs[0]
                    _runs(par, cell, bold=cell.tag == "th")
        elif tag == "div":
            _block(doc, child)
