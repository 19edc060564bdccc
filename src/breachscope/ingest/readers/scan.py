"""Scans: image-only PDF pages and TIFF / PNG / JPEG faxes, read through OCR.

PDF pages with no text layer that hold an image are rendered at 300 dpi with pypdfium2
and OCR'd (called from :mod:`breachscope.ingest.readers.pdf`). Images are opened with
Pillow; every frame of a multi-page TIFF fax is a page (``page N``), a single image is
``image``. Fax resolution (204×98 dpi) is stretched to square pixels first. Images
smaller than a document page could be (logos, icons: under ``MIN_SIDE`` pixels on a
side, or under 1 KiB) are ``skipped`` ``unsupported:<type>``, as before OCR existed; images that do not
decode are ``failed`` ``corrupt``; decompression bombs ``failed`` ``bomb``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from breachscope.errors import FileProblem
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.ocr import DPI, deadline, ocr_pages
from breachscope.ingest.registry import ReadContext, Source

if TYPE_CHECKING:
    from PIL import Image

    from breachscope.ingest.emit import Emitter

MIN_SIDE = 300  # pixels: a page at even 100 dpi is 850 wide
MIN_BYTES = 1024  # no readable page fits in less, even as a fax (G4 pages are 20-80 KiB)
MAX_FRAMES = 1000
MAX_PIXELS = 200_000_000  # per frame: a letter page at 600 dpi is 34 M


def has_image(page: Any) -> bool:
    """Does a PDF page hold an image object (a scan), at any nesting depth?"""
    import pypdfium2.raw as pdfium_c

    try:
        return any(o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for o in page.get_objects(max_depth=3))
    except Exception:  # PDFium errors on odd pages must not lose the text pages
        return False


def ocr_pdf(doc: Any, indexes: list[int], src: Source, ctx: ReadContext, out: Emitter) -> int:
    """OCR these 0-based pages of an open PDF; returns how many gave text."""

    def pages() -> Iterator[tuple[int | None, str, Image.Image, int]]:
        for i in indexes:
            page = doc[i]
            try:
                bitmap = page.render(scale=DPI / 72, grayscale=True)
                img = bitmap.to_pil()
            finally:
                page.close()
            yield i + 1, f"page {i + 1}", img, DPI

    return ocr_pages(pages(), len(indexes), out, deadline(ctx.limits, src.size))


def _square(img: Image.Image) -> tuple[Image.Image, int]:
    """Stretch fax images with non-square pixels; the dpi Tesseract should assume."""
    dpi = img.info.get("dpi")
    try:
        xd, yd = (float(dpi[0]), float(dpi[1])) if dpi else (0.0, 0.0)
    except (TypeError, ValueError, IndexError):
        xd, yd = 0.0, 0.0
    if xd > 0 and yd > 0 and abs(xd - yd) / max(xd, yd) > 0.2:
        w, h = img.size
        img = (
            img.resize((w, round(h * xd / yd))) if xd > yd else img.resize((round(w * yd / xd), h))
        )
        xd = yd = max(xd, yd)
    use = int(xd) if 70 <= xd <= 1200 else DPI
    return img, use


def read_image(src: Source, ctx: ReadContext, out: Emitter) -> None:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    kind = src.guess.type
    if src.size < MIN_BYTES:
        raise FileSkipped(f"unsupported:{kind}")  # too small to be a scanned page
    try:
        img = Image.open(src.path)
        w, h = img.size
    except Image.DecompressionBombError:
        raise FileProblem("bomb", "image too large to decode") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise FileProblem("corrupt", f"unreadable {kind} image") from None
    with img:
        if min(w, h) < MIN_SIDE:
            raise FileSkipped(f"unsupported:{kind}")  # too small to be a scanned page
        n = getattr(img, "n_frames", 1)
        if n > MAX_FRAMES:
            raise FileProblem("too_large", f"{n} frames (limit {MAX_FRAMES})")

        def frames() -> Iterator[tuple[int | None, str, Image.Image, int]]:
            for i, frame in enumerate(ImageSequence.Iterator(img), 1):
                try:
                    frame.load()
                    page, dpi = _square(frame.copy())
                except Image.DecompressionBombError:
                    raise FileProblem("bomb", "image too large to decode") from None
                except (OSError, ValueError, SyntaxError):
                    raise FileProblem("corrupt", f"damaged {kind} image") from None
                yield (i if n > 1 else None), (f"page {i}" if n > 1 else "image"), page, dpi

        with_text = ocr_pages(frames(), n, out, deadline(ctx.limits, src.size))
    if not with_text and out.status is None:  # (an OCR budget stop keeps its own reason)
        raise FileSkipped("no_text", "OCR found no text")
