"""HTML pages and exports with lxml: the text, and each ``<table>`` as a table document.

``body`` is the page's visible text (scripts, styles and comments left out; block elements
end lines; table cells separated by tabs, so a table is also in the text for the text
detectors). Every table with at least two rows becomes ``table N``: the header is its
``<th>`` row (or the first row), row numbers are the table's own 1-based row numbers
(header row included, as a spreadsheet would show it). Nested tables are read on their
own. Entities are never resolved from outside and nothing is fetched.
"""

from __future__ import annotations

from lxml import etree, html

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.readers.text import clean_text
from breachscope.ingest.registry import ReadContext, Source
from breachscope.ingest.textcodec import decode, detect_encoding

MAX_HTML = 256 * 1024 * 1024
_DROP = frozenset({"script", "style", "noscript", "template", "head", "svg", "object"})
_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "tr",
        "li",
        "ul",
        "ol",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "blockquote",
        "dt",
        "dd",
        "dl",
        "form",
        "fieldset",
        "address",
        "hr",
        "title",
        "caption",
        "thead",
        "tbody",
        "tfoot",
    ]
)
_CELL = frozenset({"td", "th"})


def parse(text: str) -> html.HtmlElement | None:
    if not text.strip():
        return None
    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True
    )
    try:
        return html.document_fromstring(text, parser=parser)
    except ValueError:  # a str with an XML encoding declaration: lxml wants bytes
        try:
            return html.document_fromstring(text.encode("utf-8"), parser=parser)
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None


def element_text(root: html.HtmlElement) -> str:
    """Visible text with line breaks at block elements and tabs between table cells."""
    parts: list[str] = []

    def walk(el: html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP:
            if el.tail:
                parts.append(el.tail)
            return
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
        if tag in _CELL:
            parts.append("\t")
        elif tag in _BLOCK:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    out: list[str] = []
    for line in "".join(parts).split("\n"):
        cells = (" ".join(c.split()) for c in line.split("\t"))
        text = "\t".join(c for c in cells if c)
        if text:
            out.append(text)
    return clean_text("\n".join(out))


def html_to_text(text: str) -> str:
    root = parse(text)
    return element_text(root) if root is not None else ""


def _cell_text(cell: html.HtmlElement) -> str:
    return " ".join(cell.text_content().split())


def _own_rows(table: html.HtmlElement) -> list[html.HtmlElement]:
    """Rows of this table, not of tables nested in its cells."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _tables(root: html.HtmlElement, out: Emitter) -> None:
    for n, table in enumerate(root.iter("table"), 1):
        rows = _own_rows(table)
        grid = [[_cell_text(c) for c in tr if c.tag in _CELL] for tr in rows]
        if len(grid) < 2 or not any(grid):
            continue
        header_at = next((i for i, tr in enumerate(rows) if tr.find("th") is not None), 0)
        if header_at > 5:
            header_at = 0
        header = grid[header_at]
        width = max(len(r) for r in grid)
        columns = [h.strip() or f"col_{j + 1}" for j, h in enumerate(header)]
        columns += [f"col_{j + 1}" for j in range(len(columns), width)]
        seen: dict[str, int] = {}
        for j, c in enumerate(columns):  # duplicate header cells get a suffix
            seen[c] = seen.get(c, 0) + 1
            if seen[c] > 1:
                columns[j] = f"{c}_{seen[c]}"
        tw = out.table(f"table {n}")
        tw.start(columns, header_at + 1)
        row_nos: list[int] = []
        cells: list[list[str | None]] = []
        for i, r in enumerate(grid):
            if i <= header_at or not any(c.strip() for c in r):
                continue
            row_nos.append(i + 1)
            cells.append([*r, *([None] * (width - len(r)))])
        tw.add_rows(row_nos, list(zip(*cells, strict=True)) if cells else [])
        tw.close()


def read_html(src: Source, ctx: ReadContext, out: Emitter) -> None:
    if src.size > MAX_HTML:
        raise FileProblem("too_large", "HTML page past the parser's limit")
    raw = src.path.read_bytes()
    enc, bom = (src.guess.encoding, src.guess.bom)
    if enc is None:
        enc, bom = detect_encoding(raw[:65536], len(raw) <= 65536)
    root = parse(decode(raw[bom:], enc))
    if root is None:
        raise FileSkipped("empty")
    text = element_text(root)
    if text.strip():
        out.text("body", text)
    _tables(root, out)
    if out.n_documents == 0:
        raise FileSkipped("empty")
