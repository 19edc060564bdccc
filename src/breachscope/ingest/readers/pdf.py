"""PDF text layer with pypdfium2: one ``text`` document per page that has text.

Pages without a text layer that hold an image (scans, faxes) are rendered at 300 dpi and
OCR'd (:mod:`breachscope.ingest.ocr`); a PDF with no text anywhere, even after OCR, is
``skipped`` with ``no_text_layer``. PDFium is not thread-safe: this runs in the worker processes, one document at a
time per process.
"""

from __future__ import annotations

import logging

import pypdfium2 as pdfium

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.readers.scan import has_image, ocr_pdf
from breachscope.ingest.readers.text import clean_text
from breachscope.ingest.registry import ReadContext, Source

log = logging.getLogger(__name__)

FPDF_ERR_PASSWORD = 4


def _is_password_error(exc: Exception) -> bool:
    code = getattr(exc, "err_code", None)
    return code == FPDF_ERR_PASSWORD or "password" in str(exc).lower()


def _open(src: Source, passwords: tuple[str, ...]) -> pdfium.PdfDocument:
    for password in (None, *passwords):
        try:
            return pdfium.PdfDocument(str(src.path), password=password)
        except pdfium.PdfiumError as exc:
            if not _is_password_error(exc):
                raise FileProblem("corrupt", "PDF cannot be opened") from None
    raise FileProblem("encrypted")


def read_pdf(src: Source, ctx: ReadContext, out: Emitter) -> None:
    doc = _open(src, ctx.passwords)
    try:
        n_pages = len(doc)
        if n_pages == 0:
            raise FileProblem("corrupt", "PDF has no pages")
        with_text = bad = 0
        scanned: list[int] = []
        for i in range(n_pages):
            try:
                page = doc[i]
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                if not text.strip() and has_image(page):
                    scanned.append(i)
                page.close()
            except pdfium.PdfiumError:
                bad += 1
                continue
            text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))
            if text.strip():
                with_text += 1
                out.text(f"page {i + 1}", text, page=i + 1)
        if bad:
            log.info("%s: %d of %d pages unreadable", src.logical, bad, n_pages)
        if bad == n_pages:
            raise FileProblem("corrupt", "no readable page")
        if scanned:
            with_text += ocr_pdf(doc, scanned, src, ctx, out)
        if not with_text and out.status is None:  # (an OCR budget stop keeps its reason)
            raise FileSkipped("no_text_layer", "OCR found no text" if scanned else "")
    finally:
        doc.close()
