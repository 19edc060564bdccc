"""Readers by detected type. One module per format family; later formats plug in here.

A reader is ``read(src, ctx, out) -> None``: it reads ``src.path`` and puts text documents,
table rows or archive members into ``out`` (an :class:`~breachscope.ingest.emit.Emitter`).
It raises :class:`~breachscope.errors.FileProblem` for a file it cannot read (recorded as
``failed``) or :class:`~breachscope.ingest.model.FileSkipped` for one that holds nothing to
read (``skipped``). Any other exception fails the file with its exception class only.

Built-in readers are named here as ``module:function`` and imported on first use, so a
reader whose optional dependency is missing fails only its own files.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from breachscope.ingest.model import Guess
from breachscope.ingest.options import Limits

if TYPE_CHECKING:
    from breachscope.ingest.emit import Emitter


@dataclass(frozen=True)
class Source:
    """The file a reader is handed."""

    path: Path  # bytes on disk (the evidence file, or an extracted member)
    logical: str  # evidence path, 'a.zip!b.csv' for members
    file_id: str
    size: int
    depth: int
    guess: Guess

    @property
    def name(self) -> str:
        return self.logical.rsplit("!", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ReadContext:
    """Settings every reader may need."""

    limits: Limits
    passwords: tuple[str, ...]
    work_dir: Path  # temp folder inside the case dir: extracted members, Parquet parts
    budget: int  # expanded bytes left for the archive tree
    fast_csv: bool = True


Reader = Callable[[Source, ReadContext, "Emitter"], None]

_P = "breachscope.ingest.readers."
_BUILTIN: dict[str, str] = {
    "csv": _P + "delimited:read_delimited",
    "tsv": _P + "delimited:read_delimited",
    "psv": _P + "delimited:read_delimited",
    "txt": _P + "text:read_text",
    # Structured text read as plain text until their own readers arrive (issue 3).
    "xml": _P + "text:read_text",
    "pdf": _P + "pdf:read_pdf",
    "docx": _P + "docx:read_docx",
    "xlsx": _P + "workbook:read_workbook",
    "xlsm": _P + "workbook:read_workbook",
    "xlsb": _P + "workbook:read_workbook",
    "xls": _P + "workbook:read_workbook",
    "ods": _P + "workbook:read_workbook",
    "ooxml-encrypted": _P + "officecrypt:read_encrypted_ooxml",  # tried with case passwords
    "zip": _P + "archive:read_zip",
    # Healthcare formats read by their structure (issue 3).
    "hl7": _P + "hl7:read_hl7",
    "x12": _P + "x12:read_x12",
    "fhir": _P + "fhir:read_fhir",
    "ccda": _P + "ccda:read_ccda",
    # Mail, office documents, databases, scans and archives (issue 3).
    "eml": _P + "mail:read_eml",
    "msg": _P + "outlook:read_msg",
    "doc": _P + "worddoc:read_doc",
    "rtf": _P + "rtf:read_rtf",
    "html": _P + "html:read_html",
    "json": _P + "jsondoc:read_json",
    "parquet": _P + "parquet:read_parquet",
    "sqlite": _P + "sqlite:read_sqlite",
    "sql": _P + "sqldump:read_sql_dump",
    "png": _P + "scan:read_image",
    "jpeg": _P + "scan:read_image",
    "tiff": _P + "scan:read_image",
    "tar": _P + "tarball:read_tar",
    "gz": _P + "tarball:read_compressed",
    "bz2": _P + "tarball:read_compressed",
    "xz": _P + "tarball:read_compressed",
    "7z": _P + "sevenzip:read_7z",
}
_REGISTERED: dict[str, Reader] = {}


def register(*types: str) -> Callable[[Reader], Reader]:
    """Decorator: make a function the reader of these detected types (overrides built-ins)."""

    def deco(fn: Reader) -> Reader:
        for t in types:
            _REGISTERED[t] = fn
        return fn

    return deco


def reader_for(detected_type: str) -> Reader | None:
    """The reader of a detected type, or None when the type is not read (yet)."""
    if detected_type in _REGISTERED:
        return _REGISTERED[detected_type]
    target = _BUILTIN.get(detected_type)
    if target is None:
        return None
    module, _, name = target.partition(":")
    fn: Reader = getattr(importlib.import_module(module), name)
    _REGISTERED[detected_type] = fn
    return fn


def supported_types() -> list[str]:
    return sorted(set(_BUILTIN) | set(_REGISTERED))
