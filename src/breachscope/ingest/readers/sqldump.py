"""SQL dump files (mysqldump, pg_dump, SQLite ``.dump``, SQL Server scripts), streamed.

No database is needed and nothing is executed: a regex tokenizer walks the dump once, in
1 MiB chunks, and a small state machine picks out

* ``INSERT INTO t [(cols)] VALUES (...), (...);`` rows (one statement may hold millions
  of rows: it is never held whole),
* ``CREATE TABLE t (...)`` column names, used when an INSERT has no column list,
* ``COPY t (cols) FROM stdin;`` blocks (pg_dump's default), tab-separated up to ``\\.``.

Each table becomes a table document ``locator='table NAME'`` (``sheet`` = the name);
``row_no`` is the row's 1-based position among that table's rows in the dump; header_row
0. Rows whose width does not match the known columns go to a second document of
``col_N`` columns rather than being cut. MySQL dumps (backticks, ``/*!`` or ``ENGINE=``
near the top) take backslash escapes in strings; others standard SQL ``''`` only.
Everything else (DDL, SET, comments) is skipped. About 30 k rows/s.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter, TableWriter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.readers.text import clean_text
from breachscope.ingest.registry import ReadContext, Source
from breachscope.ingest.textcodec import detect_encoding

CHUNK = 1 << 20
FLUSH_ROWS = 5_000
_MYSQL_ESC = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "Z": "\x1a", "b": "\b"}


def _token_re(mysql: bool) -> re.Pattern[str]:
    string = r"'(?:[^'\\]|\\.|'')*'" if mysql else r"'(?:[^']|'')*'"
    return re.compile(
        rf"""(?P<ws>\s+)
        |(?P<str>[NnEe]?{string})
        |(?P<qid>"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]\n]*\])
        |(?P<com>--[^\n]*\n|/\*.*?\*/|\#[^\n]*\n)
        |(?P<p>[(),;])
        |(?P<word>[^\s'"`\[(),;]+)""",
        re.S | re.X,
    )


_STR_BACKSLASH = re.compile(r"\\(.)", re.S)


def _unquote_str(tok: str, mysql: bool) -> str:
    if tok[0] in "NnEe":
        tok = tok[1:]
    body = tok[1:-1].replace("''", "'")
    if mysql and "\\" in body:
        body = _STR_BACKSLASH.sub(lambda m: _MYSQL_ESC.get(m.group(1), m.group(1)), body)
    return body


def _ident(tok: str) -> str:
    if tok[:1] in ('"', "`") and len(tok) >= 2:
        return tok[1:-1].replace(tok[0] * 2, tok[0])
    if tok[:1] == "[":
        return tok[1:-1]
    return tok


def _name(parts: list[str]) -> str:
    """``schema.table`` from tokens like ``public``, ``.``, ``"Patients"`` (last part kept)."""
    joined = [_ident(p) for p in parts if p != "."]
    name = joined[-1] if joined else "unnamed"
    return (
        name.rsplit(".", 1)[-1]
        if "." in name and not parts[-1].startswith(('"', "`", "["))
        else name
    )


_COPY_ESC = re.compile(r"\\(.)")
_COPY_MAP = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\", "b": "\b", "f": "\f", "v": "\v"}
_CONSTRAINT = frozenset(
    [
        "primary",
        "key",
        "unique",
        "constraint",
        "index",
        "foreign",
        "check",
        "fulltext",
        "spatial",
        "exclude",
        "like",
        "period",
    ]
)


@dataclass
class _Table:
    writer: TableWriter
    rows: int = 0
    pending_nos: list[int] = field(default_factory=list)
    pending: list[list[str | None]] = field(default_factory=list)


class _Dump:
    def __init__(self, out: Emitter) -> None:
        self.out = out
        self.created: dict[str, list[str]] = {}
        self.tables: dict[tuple[str, tuple[str, ...]], _Table] = {}
        self.n_rows = 0

    def row(self, name: str, cols: list[str] | None, values: list[str | None]) -> None:
        if cols is None or len(cols) != len(values):
            known = self.created.get(name.lower())
            if cols is None and known is not None and len(known) == len(values):
                cols = known
            else:
                cols = [f"col_{i + 1}" for i in range(len(values))]
        key = (name, tuple(cols))
        t = self.tables.get(key)
        if t is None:
            w = self.out.table(f"table {name}", sheet=name)
            w.start(cols, 0)
            t = self.tables[key] = _Table(w)
        t.rows += 1
        self.n_rows += 1
        t.pending_nos.append(t.rows)
        t.pending.append(values)
        if len(t.pending) >= FLUSH_ROWS:
            self._flush(t)

    @staticmethod
    def _flush(t: _Table) -> None:
        if t.pending:
            t.writer.add_rows(t.pending_nos, list(zip(*t.pending, strict=True)))
            t.pending_nos, t.pending = [], []

    def close(self) -> None:
        for t in self.tables.values():
            self._flush(t)
            t.writer.close()


def _chunks(src: Source, enc: str, bom: int) -> Iterator[str]:
    dec = codecs.getincrementaldecoder(enc)(errors="replace")
    with src.path.open("rb") as fh:
        fh.seek(bom)
        while raw := fh.read(CHUNK):
            yield dec.decode(raw)
        tail = dec.decode(b"", final=True)
        if tail:
            yield tail


class _Scanner:
    """Tokens from a chunked text stream; COPY data lines on request."""

    def __init__(self, chunks: Iterator[str], mysql: bool) -> None:
        self.chunks = chunks
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.re = _token_re(mysql)

    def _more(self) -> bool:
        if self.eof:
            return False
        nxt = next(self.chunks, None)
        if nxt is None:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + nxt
        self.pos = 0
        return True

    def tokens(self) -> Iterator[tuple[str, str]]:
        """(kind, text) for every token except whitespace and comments; ('copy', '') hooks."""
        while True:
            if self.pos >= len(self.buf) and not self._more():
                return
            m = self.re.match(self.buf, self.pos)
            if m is None or (m.end() == len(self.buf) and not self.eof):
                if self._more():
                    continue
                if m is None:
                    return  # an unterminated string or comment at the end: truncated
            assert m is not None
            self.pos = m.end()
            kind = m.lastgroup or ""
            if kind in ("ws", "com"):
                continue
            yield kind, m.group()

    def line(self) -> str | None:
        """The next raw line (for COPY data), or None at the end of the text."""
        while True:
            nl = self.buf.find("\n", self.pos)
            if nl >= 0:
                line = self.buf[self.pos : nl]
                self.pos = nl + 1
                return line.rstrip("\r")
            if not self._more():
                if self.pos < len(self.buf):
                    line = self.buf[self.pos :]
                    self.pos = len(self.buf)
                    return line
                return None


def _copy_cell(v: str) -> str | None:
    if v == "\\N":
        return None
    return _COPY_ESC.sub(lambda m: _COPY_MAP.get(m.group(1), m.group(1)), v) if "\\" in v else v


_READ = frozenset({"INSERT", "REPLACE", "CREATE", "COPY"})
_SKIP = ("skip", "")


def _parse(sc: _Scanner, dump: _Dump, mysql: bool) -> None:
    toks = sc.tokens()
    stmt: list[tuple[str, str]] = []
    for kind, tok in toks:
        if kind == "p" and tok == ";":
            stmt = []
            continue
        if stmt and stmt[0] is _SKIP:
            continue  # a statement we do not read: up to its ';'
        if not stmt and (kind != "word" or tok.upper() not in _READ):
            stmt = [_SKIP]
            continue
        stmt.append((kind, tok))
        first = stmt[0][1].upper()
        up = tok.upper() if kind == "word" else ""
        if up == "VALUES" and first in ("INSERT", "REPLACE"):
            name, cols = _insert_target(stmt[:-1])
            _values(toks, dump, name, cols, mysql)
            stmt = []
        elif kind == "p" and tok == "(" and first == "CREATE":
            words = [t.upper() for k, t in stmt if k == "word"]
            if "TABLE" in words:
                name = _name([t for k, t in stmt[:-1] if k in ("word", "qid")][-1:])
                dump.created[name.lower()] = _create_columns(toks)
            stmt = [_SKIP]
        elif up == "STDIN" and first == "COPY":
            name, cols = _insert_target(stmt[:-2])
            _skip_to_semicolon(toks)
            sc.line()  # the rest of the COPY line
            while (line := sc.line()) is not None and line != "\\.":
                if line:
                    dump.row(name, cols, [_copy_cell(v) for v in line.split("\t")])
            stmt = []
        elif len(stmt) > 100_000:
            stmt = [_SKIP]  # INSERT ... SELECT and other forms we do not read


def _insert_target(stmt: list[tuple[str, str]]) -> tuple[str, list[str] | None]:
    """Table name and column list from ``INSERT [IGNORE] INTO name [(cols)]`` tokens."""
    cols: list[str] | None = None
    # A ')' without its '(' (a damaged dump) is no column list.
    start = max((i for i, t in enumerate(stmt) if t == ("p", "(")), default=None)
    if stmt and stmt[-1] == ("p", ")") and start is not None:
        cols = [_ident(t) for k, t in stmt[start + 1 : -1] if k in ("word", "qid")]
        stmt = stmt[:start]
    skip = {"INSERT", "INTO", "IGNORE", "REPLACE", "LOW_PRIORITY", "DELAYED", "COPY", "ONLY"}
    parts = [t for k, t in stmt if k in ("word", "qid") and t.upper() not in skip]
    return (_name(parts[-1:]) if parts else "unnamed"), cols


def _create_columns(toks: Iterator[tuple[str, str]]) -> list[str]:
    cols: list[str] = []
    depth = 1
    first = True
    for kind, tok in toks:
        if kind == "p" and tok == "(":
            depth += 1
        elif kind == "p" and tok == ")":
            depth -= 1
            if depth == 0:
                break
        elif kind == "p" and tok == "," and depth == 1:
            first = True
        elif first and depth == 1 and kind in ("word", "qid"):
            first = False
            if kind == "qid" or tok.lower() not in _CONSTRAINT:
                cols.append(_ident(tok))
    return cols


def _values(
    toks: Iterator[tuple[str, str]], dump: _Dump, name: str, cols: list[str] | None, mysql: bool
) -> None:
    row: list[str | None] = []
    depth = 0
    raw: list[str] = []  # a value made of several tokens (a function call, a cast)
    for kind, tok in toks:
        if kind == "p":
            if tok == "(":
                depth += 1
                if depth == 1:
                    row, raw = [], []
                    continue
            elif tok == ")":
                depth -= 1
                if depth == 0:
                    row.append(_value(raw, mysql))
                    dump.row(name, cols, row)
                    continue
            elif tok == "," and depth == 1:
                row.append(_value(raw, mysql))
                raw = []
                continue
            elif tok == ";" and depth == 0:
                return
            if depth >= 1:
                raw.append(tok)
            continue
        if depth >= 1:
            raw.append(tok)
        elif kind == "word" and tok.upper() in ("ON", "RETURNING"):
            _skip_to_semicolon(toks)
            return


def _skip_to_semicolon(toks: Iterator[tuple[str, str]]) -> None:
    for kind, tok in toks:
        if kind == "p" and tok == ";":
            return


def _value(raw: list[str], mysql: bool) -> str | None:
    if len(raw) == 1:
        tok = raw[0]
        if tok[:1] == "'" or (tok[:2].upper() in ("N'", "E'")):
            return clean_text(_unquote_str(tok, mysql))
        if tok.upper() == "NULL":
            return None
        return tok
    strings = [_unquote_str(t, mysql) for t in raw if t[:1] == "'" or t[:2].upper() in ("N'", "E'")]
    if len(strings) == 1:  # CAST('1980-01-02' AS DATE), to_date('...'), N'...'
        return clean_text(strings[0])
    return clean_text(" ".join(raw)) if raw else None


def _is_mysql(head: str) -> bool:
    return "/*!" in head or "`" in head or "ENGINE=" in head.upper()


def read_sql_dump(src: Source, ctx: ReadContext, out: Emitter) -> None:
    enc, bom = src.guess.encoding, src.guess.bom
    with src.path.open("rb") as fh:
        head_bytes = fh.read(65536)
    if enc is None:
        enc, bom = detect_encoding(head_bytes, len(head_bytes) >= src.size)
    head = head_bytes[bom:].decode(enc, "replace")
    mysql = _is_mysql(head)
    dump = _Dump(out)
    try:
        _parse(_Scanner(_chunks(src, enc, bom), mysql), dump, mysql)
    except RecursionError:
        raise FileProblem("corrupt", "SQL nested too deeply") from None
    dump.close()
    if dump.n_rows == 0:
        raise FileSkipped("no_rows", "the dump holds no INSERT or COPY rows")
