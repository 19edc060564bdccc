"""Workbooks (XLSX/XLSM/XLSB, XLS, ODS) with python-calamine: every sheet, hidden ones too.

Each sheet is one table document (``locator='sheet NAME'``). The header row is found even
under a title block; blank rows are skipped but counted in ``row_no`` (the sheet's own row
number). Cells are rendered as a person reads them: dates ISO, whole numbers without a
spurious ``.0`` (an SSN or ZIP stored as a number comes out as its digits). A
password-protected XLS is tried with the case's passwords (msoffcrypto-tool).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterator
from typing import Any

import python_calamine as calamine

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.header import find_layout
from breachscope.ingest.readers.text import clean_text
from breachscope.ingest.registry import ReadContext, Source

BATCH = 20_000
LAYOUT_ROWS = 60


def render(value: Any) -> str:
    """A cell value as text, the way the spreadsheet shows it (ISO dates, no '.0')."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _locked(exc: Exception) -> bool:
    msg = str(exc).lower()
    return isinstance(exc, calamine.PasswordError) or "password" in msg or "encrypt" in msg


def _open(src: Source, ctx: ReadContext) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_path(str(src.path))
    except calamine.CalamineError as exc:
        if not _locked(exc):
            raise FileProblem("corrupt", f"unreadable {src.guess.type} workbook") from None
    # A password-protected XLS (RC4): try the case's passwords. (Encrypted XLSX files are
    # OLE containers, typed 'ooxml-encrypted' and read by officecrypt.)
    from breachscope.ingest.readers.officecrypt import decrypt_office

    data = decrypt_office(src.path, ctx.passwords, ctx.limits.max_xml_part)
    return _from_bytes(data, src.guess.type)


def _from_bytes(data: bytes, kind: str) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.CalamineError:
        raise FileProblem("corrupt", f"unreadable decrypted {kind} workbook") from None


def _rows(sheet: Any) -> Iterator[list[str]]:
    for row in sheet.iter_rows():
        yield [render(v) for v in row]


def read_workbook(src: Source, ctx: ReadContext, out: Emitter) -> None:
    _read_book(_open(src, ctx), src.guess.type, out)


def read_workbook_bytes(data: bytes, kind: str, out: Emitter) -> None:
    """Read a workbook held in memory (a decrypted one)."""
    _read_book(_from_bytes(data, kind), kind, out)


def _read_book(wb: calamine.CalamineWorkbook, kind: str, out: Emitter) -> None:
    try:
        if not wb.sheets_metadata:  # every real workbook has a sheet
            raise FileProblem("corrupt", f"{kind} workbook without sheets")
        for meta in wb.sheets_metadata:
            if str(meta.typ).rsplit(".", 1)[-1] not in ("WorkSheet", "Worksheet"):
                continue  # chart and dialog sheets hold no cells
            try:
                sheet = wb.get_sheet_by_name(meta.name)
            except calamine.PasswordError:
                raise FileProblem("encrypted") from None
            except calamine.CalamineError:
                raise FileProblem("corrupt", f"unreadable sheet in {kind} workbook") from None
            _read_sheet(meta.name, _rows(sheet), out)
    finally:
        wb.close()


def _read_sheet(name: str, rows: Iterator[list[str]], out: Emitter) -> None:
    # iter_rows starts at the sheet's first row (leading blank rows included), so the
    # position of a row in it is the spreadsheet's row number minus one.
    head = list(itertools.islice(rows, LAYOUT_ROWS))
    layout = find_layout(head)
    if not layout.columns:
        return  # an empty sheet
    if layout.header_index:
        title = [" ".join(c.strip() for c in r if c.strip()) for r in head[: layout.header_index]]
        if any(title):
            out.text(f"sheet {name} rows 1-{layout.header_index}", "\n".join(title), sheet=name)
    width = len(layout.columns)
    table = out.table(f"sheet {name}", sheet=name)
    table.start(layout.columns, layout.header_index + 1 if layout.header_index is not None else 0)
    row_nos: list[int] = []
    batch: list[list[str | None]] = []
    for idx, row in enumerate(itertools.chain(head, rows)):
        if idx < layout.data_start or not any(c.strip() for c in row):
            continue
        cells: list[str | None] = list(row[:width])
        if len(cells) < width:
            cells += [None] * (width - len(cells))
        row_nos.append(idx + 1)
        batch.append(cells)
        if len(batch) >= BATCH:
            table.add_rows(row_nos, list(zip(*batch, strict=True)))
            row_nos, batch = [], []
    if batch:
        table.add_rows(row_nos, list(zip(*batch, strict=True)))
    table.close()
