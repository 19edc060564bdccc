"""Delimited text (CSV, TSV, pipe, semicolon), streamed in batches, never loaded whole.

The first 256 KiB are parsed with the stdlib ``csv`` module to find the title block, the
header row (or none) and the width. The rest is streamed by pyarrow's CSV reader from the
byte just after the header (≈ 250 MB/s); rows with another number of fields come back
through pyarrow's invalid-row handler with their record number and are padded, or their
extra cells kept in a last ``_extra`` column. If pyarrow gives up (bad bytes for the codec,
an odd file), the file is read again from the start with the stdlib ``csv`` module on a
leniently decoded stream, which accepts anything.

``row_no`` is the 1-based record number a spreadsheet shows: title and header rows count,
blank rows count but are not stored, a quoted newline does not start a new record.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from breachscope.ingest.dialect import records_with_offsets
from breachscope.ingest.emit import Emitter, TableWriter, wide_schema
from breachscope.ingest.header import Layout, find_layout
from breachscope.ingest.readers.text import clean_text, read_text
from breachscope.ingest.registry import ReadContext, Source
from breachscope.ingest.sniff import HEAD_BYTES
from breachscope.ingest.textcodec import decode, detect_encoding

log = logging.getLogger(__name__)

EXTRA = "_extra"
SLOW_BATCH = 20_000


class _GiveUp(Exception):
    """The fast path cannot go on; the slow path takes over."""


def read_delimited(src: Source, ctx: ReadContext, out: Emitter) -> None:
    g = src.guess
    with src.path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    enc, bom = (g.encoding, g.bom) if g.encoding else detect_encoding(head, len(head) >= src.size)
    delimiter = g.delimiter or ","
    raw = head[bom:]
    complete = len(head) >= src.size
    text = decode(raw, enc, complete)
    recs = records_with_offsets(text, delimiter, complete, limit=200)
    rows = [r for r, _ in recs]
    layout = find_layout(rows[:60])
    if not layout.columns:
        # Not one whole record in the sample (giant rows) or only blank ones: read as text,
        # so nothing in it is lost.
        read_text(src, ctx, out)
        return
    if layout.header_index:
        title = [" ".join(c.strip() for c in r if c.strip()) for r in rows[: layout.header_index]]
        if any(title):
            out.text(f"rows 1-{layout.header_index}", clean_text("\n".join(title)))
    sample_wider = any(len(r) > len(layout.columns) for r in rows[layout.data_start :])
    columns = (*layout.columns, EXTRA) if sample_wider else layout.columns
    table = out.table("table")
    header_row = layout.header_index + 1 if layout.header_index is not None else 0

    offset = _byte_offset(raw, text, recs, layout, enc)
    if ctx.fast_csv and offset is not None:
        table.start(columns, header_row)
        try:
            _fast(src, ctx, table, layout, delimiter, enc, bom + offset, columns)
        except (_GiveUp, pa.ArrowException, UnicodeError, LookupError, csv.Error) as exc:
            log.debug(
                "fast CSV path gave up on %s (%s); reading with csv",
                src.logical,
                type(exc).__name__,
            )
            table.discard()
        else:
            table.close()
            return
    table.start(columns, header_row)
    _slow(src, table, layout, delimiter, enc, bom, len(layout.columns))
    table.close()


def _byte_offset(
    raw: bytes, text: str, recs: Sequence[tuple[list[str], int]], layout: Layout, enc: str
) -> int | None:
    """Byte offset (after any BOM) where data records start, if it can be trusted."""
    if layout.data_start == 0:
        return 0
    if layout.data_start > len(recs):
        return None
    chars = recs[layout.data_start - 1][1]
    try:
        n = len(text[:chars].encode(enc))
    except UnicodeError:
        return None
    # Bad bytes decoded as U+FFFD do not re-encode to the same length: check.
    return n if decode(raw[:n], enc, True) == text[:chars] else None


def _pad(cells: list[str], width: int, delimiter: str) -> tuple[list[str | None], str | None]:
    if len(cells) > width:
        return list(cells[:width]), delimiter.join(cells[width:])
    return [*cells, *([None] * (width - len(cells)))], None


def _fast(
    src: Source,
    ctx: ReadContext,
    table: TableWriter,
    layout: Layout,
    delimiter: str,
    enc: str,
    offset: int,
    columns: tuple[str, ...],
) -> None:
    width = len(layout.columns)
    names = [f"c{j}" for j in range(width)]
    invalid: dict[int, list[str]] = {}

    def on_invalid(row: pacsv.InvalidRow) -> str:
        if row.number is None:
            return "error"
        invalid[row.number] = next(
            csv.reader(io.StringIO(row.text), delimiter=delimiter, strict=False), []
        )
        return "skip"

    stream = pa.OSFile(str(src.path), "r")
    try:
        stream.seek(offset)
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=names,
                use_threads=False,
                block_size=max(1 << 16, ctx.limits.csv_batch_bytes),
                encoding="utf8" if enc in ("utf-8", "utf_8", "ascii") else enc,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        first = layout.data_start  # row_no = first + relative record number (1-based)
        next_rel = 1
        has_extra = len(columns) > width
        for batch in reader:
            n = batch.num_rows
            window = [k for k in invalid if k >= next_rel]
            if not window or min(window) >= next_rel + n:
                rels: list[int] | range = range(next_rel, next_rel + n)
                next_rel += n
            else:
                numbers: list[int] = []
                while len(numbers) < n:
                    if next_rel not in invalid:
                        numbers.append(next_rel)
                    next_rel += 1
                rels = numbers
            while next_rel in invalid:
                next_rel += 1
            cols = [batch.column(j) for j in range(width)]
            mask = _nonblank(cols)
            row_nos = pa.array([first + r for r in rels], pa.int32())
            if has_extra:
                cols.append(pa.nulls(n, pa.string()))
            wide = pa.RecordBatch.from_arrays([row_nos, *cols], schema=wide_schema(len(cols)))
            if mask is not None:
                wide = wide.filter(mask)
            table.add_batch(wide)
            # Ragged rows seen while parsing this batch: pad, or keep extras in '_extra'.
            done = [k for k in invalid if k < next_rel]
            if done:
                has_extra = _add_ragged(table, invalid, done, first, width, delimiter, has_extra)
        leftover = sorted(invalid)
        if leftover:
            _add_ragged(table, invalid, leftover, first, width, delimiter, has_extra)
    finally:
        stream.close()


def _add_ragged(
    table: TableWriter,
    invalid: dict[int, list[str]],
    numbers: list[int],
    first: int,
    width: int,
    delimiter: str,
    has_extra: bool,
) -> bool:
    row_nos: list[int] = []
    rows: list[list[str | None]] = []
    for k in sorted(numbers):
        cells = invalid.pop(k)
        if not any(c.strip() for c in cells):
            continue
        padded, extra = _pad(cells, width, delimiter)
        if extra is not None and not has_extra:
            if rows:
                table.add_rows(row_nos, list(zip(*rows, strict=True)))
                row_nos, rows = [], []
            table.widen(EXTRA)
            has_extra = True
        if has_extra:
            padded.append(extra)
        row_nos.append(first + k)
        rows.append(padded)
    if rows:
        table.add_rows(row_nos, list(zip(*rows, strict=True)))
    return has_extra


def _nonblank(cols: Sequence[pa.Array]) -> pa.Array | None:
    """Mask of rows with any non-blank cell, or None when every row has one."""
    mask: pa.Array | None = None
    for c in cols:
        m = pc.not_equal(pc.utf8_trim_whitespace(c), "")
        mask = m if mask is None else pc.or_(mask, m)
    if mask is None or pc.all(mask).as_py():
        return None
    return mask


def _slow(
    src: Source, table: TableWriter, layout: Layout, delimiter: str, enc: str, bom: int, width: int
) -> None:
    has_extra = len(table.columns) > width
    row_nos: list[int] = []
    rows: list[list[str | None]] = []

    def flush() -> None:
        if rows:
            table.add_rows(row_nos, list(zip(*rows, strict=True)))
            row_nos.clear()
            rows.clear()

    with src.path.open("rb") as fb:
        fb.seek(bom)
        ft = io.TextIOWrapper(fb, encoding=enc, errors="replace", newline="")
        reader = csv.reader(ft, delimiter=delimiter, quotechar='"', strict=False)
        for idx, rec in enumerate(reader):
            if idx < layout.data_start or not any(c.strip() for c in rec):
                continue
            cells, extra = _pad([clean_text(c) for c in rec], width, delimiter)
            if extra is not None and not has_extra:
                flush()
                table.widen(EXTRA)
                has_extra = True
            if has_extra:
                cells.append(extra)
            row_nos.append(idx + 1)
            rows.append(cells)
            if len(rows) >= SLOW_BATCH:
                flush()
    flush()
