"""OCR of scanned pages with Tesseract (Debian's ``tesseract-ocr`` + ``tesseract-ocr-eng``).

Tesseract runs as a separate program (one process per page, ``OMP_THREAD_LIMIT=1``: with
OpenMP's threads a page took ten times longer on two cores), inside the ingest worker that
reads the file, so OCR is spread over the ingest process pool like any other parsing.
About 4 s a page at 300 dpi on one core. Page images reach Tesseract through a pipe
(``tesseract stdin stdout``), so no scanned page is ever written to disk.

The mean word confidence of each page (0-100, Tesseract's own) is kept in the document's
locator: ``page 3 (OCR, confidence 91%)``, ``image (OCR, confidence 88%)``;
:func:`ocr_confidence` reads it back. A file whose OCR would outlast its time limit keeps
the pages read so far and ends ``skipped`` ``ocr_budget`` with the count of pages left.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from breachscope.errors import FileProblem
from breachscope.ingest.model import SKIPPED
from breachscope.ingest.options import Limits, MiB

if TYPE_CHECKING:
    from PIL import Image

    from breachscope.ingest.emit import Emitter

DPI = 300
PAGE_TIMEOUT = 180.0
BUDGET_SHARE = 0.8  # of the file's time limit; the rest is for everything else
_LOCATOR = re.compile(r"\(OCR, confidence (\d+(?:\.\d+)?)%\)$")


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float | None  # mean word confidence 0-100; None when no word was read
    words: int


def tesseract() -> str | None:
    return shutil.which("tesseract")


def locator(where: str, confidence: float | None) -> str:
    if confidence is None:
        return f"{where} (OCR)"
    return f"{where} (OCR, confidence {confidence:.0f}%)"


def ocr_confidence(loc: str) -> float | None:
    """The OCR confidence (0-100) recorded in a document locator, or None (not OCR'd)."""
    m = _LOCATOR.search(loc)
    return float(m.group(1)) if m else None


def parse_tsv(tsv: str) -> OcrPage:
    """Text (lines and paragraphs kept) and mean word confidence from Tesseract's TSV."""
    lines: list[str] = []
    current: list[str] = []
    key: tuple[str, str, str] | None = None
    para: tuple[str, str] | None = None
    confs: list[float] = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if row.get("level") != "5":
            continue
        word = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            conf = -1.0
        if not word or conf < 0:
            continue
        k = (row.get("block_num", ""), row.get("par_num", ""), row.get("line_num", ""))
        if k != key:
            if current:
                lines.append(" ".join(current))
            if para is not None and k[:2] != para:
                lines.append("")
            current, key, para = [], k, k[:2]
        current.append(word)
        confs.append(conf)
    if current:
        lines.append(" ".join(current))
    mean = sum(confs) / len(confs) if confs else None
    return OcrPage("\n".join(lines).strip(), mean, len(confs))


def ocr_image(img: Image.Image, dpi: int = DPI) -> OcrPage:
    """OCR one page image. Raises FileProblem when Tesseract is missing or fails.

    The page goes to Tesseract through its stdin as an in-memory PGM, never through a
    file: a scanned page is PHI, and the work folder is on disk.
    """
    exe = tesseract()
    if exe is None:
        raise FileProblem("tool_missing", "OCR needs Debian's tesseract-ocr")
    buf = io.BytesIO()
    img.convert("L").save(buf, format="PPM")
    page = buf.getvalue()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "LC_ALL": "C"}
    cmd = [exe, "stdin", "stdout", "-l", "eng", "--psm", "3", "--dpi", str(dpi), "tsv"]
    try:
        res = subprocess.run(
            cmd,
            input=page,
            capture_output=True,
            timeout=PAGE_TIMEOUT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise FileProblem("timeout", "OCR of a page took too long") from None
    if res.returncode != 0:
        raise FileProblem("corrupt", "OCR failed on a page image")
    return parse_tsv(res.stdout.decode("utf-8", "replace"))


def deadline(limits: Limits, size: int) -> float:
    """When OCR must stop for this file: a share of the time limit the pool gives it."""
    return time.monotonic() + BUDGET_SHARE * (limits.time_base + limits.time_per_mib * size / MiB)


def ocr_pages(
    pages: Iterable[tuple[int | None, str, Image.Image, int]],
    total: int,
    out: Emitter,
    stop_at: float,
) -> int:
    """OCR ``(page, where, image, dpi)`` items into text documents; returns pages with text.

    Stops at ``stop_at`` (monotonic time): the file then ends ``skipped`` ``ocr_budget``
    with what was read kept.
    """
    with_text = 0
    for done, (page, where, img, dpi) in enumerate(pages):
        if time.monotonic() > stop_at:
            out.status = (SKIPPED, f"ocr_budget: {total - done} of {total} scanned pages not read")
            break
        result = ocr_image(img, dpi)
        if result.text:
            with_text += 1
            out.text(locator(where, result.confidence), result.text, page=page)
    return with_text
