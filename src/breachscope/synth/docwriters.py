"""Writers for document formats: PDF (reportlab), DOCX, plain text.

Output is byte-for-byte reproducible: reportlab runs in ``invariant`` mode; DOCX packages
are written directly (a minimal WordprocessingML package, much faster than python-docx's
template) with fixed timestamps.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

# A document is a list of (style, text) lines. Styles: "title", "h", "b" (bold), "p"
# (paragraph, wrapped), "page" (force a new page), "" (blank line).
Line = tuple[str, str]

_FONTS = {"title": ("Helvetica-Bold", 14), "h": ("Helvetica-Bold", 11), "b": ("Helvetica-Bold", 10),
          "p": ("Helvetica", 10), "": ("Helvetica", 10), "mono": ("Courier", 9)}  # fmt: skip
_TOP, _BOTTOM, _LEFT, _WIDTH = 740.0, 60.0, 60.0, 490.0


class PdfWriter:
    """Writes one PDF; each ``add`` starts on a new page and returns that page number."""

    def __init__(self, target: Path, title: str = "") -> None:
        from reportlab.lib.pagesizes import letter
        from reportlab.pdfgen import canvas

        target.parent.mkdir(parents=True, exist_ok=True)
        self.c: Any = canvas.Canvas(str(target), pagesize=letter, invariant=1, pageCompression=1)
        self.c.setTitle(title)
        self.c.setCreator("report server")
        self.page = 1
        self.y = _TOP
        self.dirty = False
        self.footer = ""

    def _new_page(self) -> None:
        self._draw_footer()
        self.c.showPage()
        self.page += 1
        self.y = _TOP
        self.dirty = False

    def _draw_footer(self) -> None:
        if self.footer:
            self.c.setFont("Helvetica", 8)
            self.c.drawString(_LEFT, 40, f"{self.footer}    Page {self.page}")

    def add(self, lines: Sequence[Line], footer: str = "") -> int:
        from reportlab.lib.utils import simpleSplit

        if self.dirty:
            self._new_page()
        self.footer = footer
        start = self.page
        for style, text in lines:
            if style == "page":
                self._new_page()
                continue
            font, size = _FONTS.get(style, _FONTS["p"])
            wrapped = simpleSplit(text, font, size, _WIDTH) if text else [""]
            for piece in wrapped:
                if self.y < _BOTTOM:
                    self._new_page()
                self.c.setFont(font, size)
                self.c.drawString(_LEFT, self.y, piece)
                self.y -= size + 4
                self.dirty = True
        return start

    def close(self) -> None:
        self._draw_footer()
        self.c.save()


def write_pdf(target: Path, lines: Sequence[Line], title: str = "") -> None:
    w = PdfWriter(target, title)
    w.add(lines)
    w.close()


_FIXED = (2025, 2, 3, 9, 30, 0)


def normalize_zip(target: Path) -> None:
    """Rewrite an OOXML package with fixed member timestamps (reproducible bytes)."""
    with zipfile.ZipFile(target) as z:
        members = [(i.filename, z.read(i)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members:
            info = zipfile.ZipInfo(name, _FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)
    target.write_bytes(buf.getvalue())


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>Keystone Coding</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-15T10:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-15T10:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SIZES = {"title": 32, "h": 26, "b": 22}  # half-points


def _docx_paragraph(style: str, text: str) -> str:
    if style == "page":
        return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    props = ""
    if style in _SIZES:
        props = f'<w:rPr><w:b/><w:sz w:val="{_SIZES[style]}"/></w:rPr>'
    body = escape(text)
    return f'<w:p><w:r>{props}<w:t xml:space="preserve">{body}</w:t></w:r></w:p>'


def write_docx(target: Path, lines: Sequence[Line], title: str = "") -> None:
    """A minimal WordprocessingML package: one paragraph per line (no tables)."""
    body = "".join(_docx_paragraph(style, text) for style, text in lines)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{_W}"><w:body>{body}'
        '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>'
        '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>'
        "</w:body></w:document>"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    parts = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _RELS),
        ("docProps/core.xml", _CORE.format(title=escape(title))),
        ("word/document.xml", document),
    ]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, _FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


def write_text(target: Path, text: str, encoding: str = "utf-8") -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.replace("\n", "\r\n").encode(encoding, errors="replace"))
