"""Records passed between the ingest parent and its worker processes (all picklable)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from breachscope.errors import FileProblem

PROCESSED = "processed"
SKIPPED = "skipped"
FAILED = "failed"


class FileSkipped(FileProblem):
    """A file that is fine but holds nothing we read (yet): recorded as ``skipped``."""


@dataclass(frozen=True)
class Guess:
    """What a file is, decided from its content (extension only breaks ties)."""

    type: str  # detected_type: csv, tsv, psv, txt, pdf, xlsx, docx, zip, ... or 'unknown'
    encoding: str | None = None  # text formats: Python codec name
    bom: int = 0  # bytes of byte-order mark to skip
    delimiter: str | None = None  # delimited formats
    status: str | None = None  # set when the type alone decides (unsupported, encrypted ...)
    reason: str = ""


@dataclass(frozen=True)
class Task:
    """One file (or extracted archive member) for a worker to read."""

    key: int
    path: str  # evidence path: 'dir/a.csv', 'dir/a.zip!b/c.csv'
    source: str  # absolute path of the bytes on disk (evidence file or extracted member)
    depth: int
    parent_id: str | None
    known_sha256: str | None = None  # when it matches, the file is not read again
    sha256: str | None = None  # already known (members are hashed while extracted)
    budget: int = 0  # expanded bytes left for the archive tree this file belongs to
    temporary: bool = False  # source is an extracted member: delete it when done
    size: int = 0  # bytes on disk (sets the time limit)


@dataclass(frozen=True)
class Member:
    """An archive member: either extracted (``source``) or decided without reading."""

    path: str
    size: int
    source: str | None = None
    sha256: str | None = None
    status: str | None = None
    reason: str = ""
    detected_type: str = "unknown"


@dataclass(frozen=True)
class TablePart:
    """Rows of one table document, in wide form: doc_id, row_no, c0..c{width-1}."""

    doc_id: str
    width: int
    inline: pa.Table | None = None
    parquet: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What a worker made of one task."""

    key: int
    path: str
    file_id: str
    status: str
    reason: str
    detected_type: str
    size: int | None
    sha256: str | None
    unchanged: bool = False
    documents: pa.Table | None = None
    documents_parquet: tuple[str, ...] = ()
    tables: tuple[TablePart, ...] = ()
    n_documents: int = 0
    members: tuple[Member, ...] = field(default_factory=tuple)
    expanded: int = 0  # bytes extracted from an archive
