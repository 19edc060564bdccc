"""JSON and NDJSON (non-FHIR: FHIR has its own reader): records as tables, the rest as text.

An array of objects anywhere in a JSON document (``[...]``, ``{"patients": [...]}``)
becomes a table document located by its JSON path (``$``, ``$.data.patients``); each
object is a row (``row_no`` = its 1-based index in the array) and its keys, flattened
with dots (``address.city``, ``phones.0.number``; arrays of plain values joined with
``; ``), are the columns. Everything outside such arrays is one ``body`` text document of
``path: value`` lines, so labels stay next to their values for the text detectors.

NDJSON (one JSON value a line; ``.ndjson``/``.jsonl``, or content that is) is streamed:
objects are rows of one ``lines`` table (``row_no`` = line number); columns come from
the first records and widen as new keys appear, up to ``MAX_COLUMNS`` (further keys land
in ``_extra``). A JSON document bigger than ``MAX_JSON`` is read as plain text, streamed.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import Any

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter, TableWriter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.readers.text import clean_text, read_text
from breachscope.ingest.registry import ReadContext, Source
from breachscope.ingest.textcodec import decode, detect_encoding

MAX_JSON = 256 * 1024 * 1024
MAX_COLUMNS = 512
BATCH = 20_000
EXTRA = "_extra"
_NDJSON_EXT = ("ndjson", "jsonl", "ldjson")


def render(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e17:
        return str(int(v))
    if isinstance(v, str):
        return clean_text(v)
    return str(v)


def flatten(
    obj: Any, prefix: str = "", into: dict[str, str | None] | None = None
) -> dict[str, str | None]:
    """``{"a": {"b": 1}, "c": [1, 2], "d": [{"e": 3}]}`` → ``a.b``, ``c`` (``1; 2``), ``d.0.e``."""
    flat: dict[str, str | None] = {} if into is None else into
    if isinstance(obj, dict):
        if not obj and prefix:
            flat[prefix] = None
        for k, v in obj.items():
            flatten(v, f"{prefix}.{k}" if prefix else str(k), flat)
    elif isinstance(obj, list):
        if all(not isinstance(x, dict | list) for x in obj):
            vals = [r for r in (render(x) for x in obj) if r is not None]
            flat[prefix or "value"] = "; ".join(vals) if vals else None
        else:
            for i, x in enumerate(obj):
                flatten(x, f"{prefix}.{i}" if prefix else str(i), flat)
    else:
        flat[prefix or "value"] = render(obj)
    return flat


def _is_records(v: Any) -> bool:
    if not isinstance(v, list) or not v:
        return False
    dicts = sum(1 for x in v if isinstance(x, dict))
    return dicts >= 1 and dicts >= 0.8 * len(v)


class _Rows:
    """Rows of one table whose columns grow as new keys appear."""

    def __init__(self, out: Emitter, locator: str, first: list[dict[str, str | None]]) -> None:
        cols: list[str] = []
        seen: set[str] = set()
        for rec in first:
            for k in rec:
                if k not in seen and len(cols) < MAX_COLUMNS:
                    seen.add(k)
                    cols.append(k)
        self.extra = any(k not in seen for rec in first for k in rec)
        self.columns = cols + ([EXTRA] if self.extra else [])
        self.index = {c: j for j, c in enumerate(cols)}
        self.table: TableWriter = out.table(locator)
        self.table.start(self.columns, 0)
        self.row_nos: list[int] = []
        self.rows: list[list[str | None]] = []

    def add(self, row_no: int, rec: dict[str, str | None]) -> None:
        cells: list[str | None] = [None] * len(self.columns)
        spill: list[str] = []
        for k, v in rec.items():
            j = self.index.get(k)
            if j is None:
                if len(self.index) < MAX_COLUMNS:
                    j = self._widen(k)
                    cells.append(None)
                else:
                    spill.append(f"{k}={v}")
                    continue
            cells[j] = v
        if spill:
            if not self.extra:
                self.flush()
                self.table.widen(EXTRA)
                self.columns.append(EXTRA)
                self.extra = True
                cells.append(None)
            cells[self.columns.index(EXTRA)] = "; ".join(spill)
        self.row_nos.append(row_no)
        self.rows.append(cells)
        if len(self.rows) >= BATCH:
            self.flush()

    def _widen(self, key: str) -> int:
        # New columns go last; an existing '_extra' column keeps its place by moving the
        # key there would reorder cells, so new keys always follow whatever is there.
        self.flush()
        self.table.widen(key)
        self.columns.append(key)
        self.index[key] = len(self.columns) - 1
        return self.index[key]

    def flush(self) -> None:
        if self.rows:
            width = len(self.columns)
            padded = [r + [None] * (width - len(r)) for r in self.rows]
            self.table.add_rows(self.row_nos, list(zip(*padded, strict=True)))
            self.row_nos, self.rows = [], []

    def close(self) -> None:
        self.flush()
        self.table.close()


def _emit_records(out: Emitter, locator: str, records: list[Any]) -> None:
    flat = [flatten(r) if isinstance(r, dict) else {"value": render(r)} for r in records]
    rows = _Rows(out, locator, flat[:1000])
    for i, rec in enumerate(flat, 1):
        rows.add(i, rec)
    rows.close()


def _walk(v: Any, path: str, out: Emitter, lines: list[str]) -> None:
    if _is_records(v):
        _emit_records(out, path, v)
    elif isinstance(v, dict):
        for k, x in v.items():
            _walk(x, f"{path}.{k}", out, lines)
    elif isinstance(v, list):
        if all(not isinstance(x, dict | list) for x in v):
            vals = [r for r in (render(x) for x in v) if r is not None]
            if vals:
                lines.append(f"{path[2:] or 'value'}: {'; '.join(vals)}")
        else:
            for i, x in enumerate(v):
                _walk(x, f"{path}.{i}", out, lines)
    else:
        r = render(v)
        if r is not None and r.strip():
            lines.append(f"{path[2:] or 'value'}: {r}")


def _lines(src: Source, enc: str, bom: int) -> Iterator[tuple[int, str]]:
    decoder = codecs.getincrementaldecoder(enc)(errors="replace")
    buf = ""
    n = 0
    with src.path.open("rb") as fh:
        fh.seek(bom)
        while True:
            raw = fh.read(1 << 20)
            buf += decoder.decode(raw, final=not raw)
            *done, buf = buf.split("\n")
            for line in done:
                n += 1
                yield n, line
            if not raw:
                break
    if buf:
        yield n + 1, buf


def _looks_ndjson(text: str) -> bool:
    lines = [x for x in text.splitlines()[:3] if x.strip()]
    if len(lines) < 2:
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except (ValueError, RecursionError):
        return False


def read_ndjson(src: Source, enc: str, bom: int, out: Emitter) -> None:
    first: list[tuple[int, dict[str, str | None]]] = []
    rows: _Rows | None = None
    bad = good = 0
    for n, line in _lines(src, enc, bom):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            rec = flatten(obj) if isinstance(obj, dict) else {"value": render(obj)}
        except (ValueError, RecursionError):  # a bad or absurdly nested line fails alone
            bad += 1
            continue
        good += 1
        if rows is None:
            first.append((n, rec))
            if len(first) >= 1000:
                rows = _Rows(out, "lines", [r for _, r in first])
                for k, r in first:
                    rows.add(k, r)
            continue
        rows.add(n, rec)
    if rows is None and first:
        rows = _Rows(out, "lines", [r for _, r in first])
        for k, r in first:
            rows.add(k, r)
    if rows is not None:
        rows.close()
    if not good:
        raise FileProblem("corrupt", "no line is valid JSON") if bad else FileSkipped("empty")


def read_json(src: Source, ctx: ReadContext, out: Emitter) -> None:
    enc, bom = src.guess.encoding, src.guess.bom
    with src.path.open("rb") as fh:
        head = fh.read(65536)
    if enc is None:
        enc, bom = detect_encoding(head, len(head) >= src.size)
    ext = src.name.rsplit(".", 1)[-1].lower() if "." in src.name else ""
    if ext in _NDJSON_EXT or _looks_ndjson(decode(head[bom:], enc, len(head) >= src.size)):
        read_ndjson(src, enc, bom, out)
        return
    if src.size > MAX_JSON:
        read_text(src, ctx, out)
        return
    text = decode(src.path.read_bytes()[bom:], enc)
    try:
        value = json.loads(text)
    except RecursionError:
        raise FileProblem("corrupt", "JSON nested too deeply") from None
    except ValueError as exc:
        if "Extra data" in str(exc):  # several values, one a line: NDJSON after all
            read_ndjson(src, enc, bom, out)
            return
        raise FileProblem("corrupt", "malformed or truncated JSON") from None
    lines: list[str] = []
    try:
        _walk(value, "$", out, lines)
    except RecursionError:
        raise FileProblem("corrupt", "JSON nested too deeply") from None
    if lines:
        out.text("body", "\n".join(lines))
    if out.n_documents == 0:
        raise FileSkipped("empty")
