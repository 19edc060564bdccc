"""Content probes for the healthcare formats: decide by structure, never by extension.

* ``hl7``: the first segment is ``MSH`` (or a batch ``FHS``/``BHS``) followed by a field
  separator, after optional whitespace and an MLLP start byte (``0x0B``).
* ``x12``: an ``ISA`` interchange header whose 16 elements parse with the separator at
  byte 3 (the fixed 106-character header, or a loosely padded one).
* ``fhir``: JSON whose first object (or first NDJSON line) has a ``resourceType``.
* ``ccda``: XML whose root is ``ClinicalDocument`` in the HL7 v3 namespace.

They run after the binary-content probe and before the generic text probe.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from breachscope.ingest.model import Guess

if TYPE_CHECKING:
    from breachscope.ingest.sniff import Sample

_HL7_START = re.compile(r"(?:MSH|FHS|BHS)[^A-Za-z0-9\s]")
_RESOURCE_TYPE = re.compile(r'"resourceType"\s*:\s*"[A-Z][A-Za-z]+"')
_CCDA_ROOT = re.compile(r"<(?:\w+:)?ClinicalDocument\b")


def _start(s: Sample) -> str:
    return s.text[:4096].lstrip("\ufeff\x0b\x1c \t\r\n")


def probe_hl7(s: Sample) -> Guess | None:
    start = _start(s)
    if _HL7_START.match(start):
        enc, bom = s.encoding
        return Guess("hl7", encoding=enc, bom=bom)
    return None


def x12_separators(text: str) -> tuple[str, str, str, str] | None:
    """(element, component, repetition, segment) separators declared by an ISA header."""
    t = text.lstrip("\ufeff \t\r\n")
    if not t.startswith("ISA") or len(t) < 16:
        return None
    elem = t[3]
    if elem.isalnum() or elem.isspace():
        return None
    # Standard: ISA is 106 characters, ISA16 at 104, the terminator at 105. Loosely
    # padded headers exist: count 16 separators instead.
    pos = -1
    for _ in range(16):
        pos = t.find(elem, pos + 1)
        if pos < 0 or pos > 400:
            return None
    if pos + 2 >= len(t):
        return None
    comp, seg = t[pos + 1], t[pos + 2]
    if seg in "\r\n":
        seg = "\n"
    parts = t[:pos].split(elem)
    rep = parts[11] if len(parts) > 11 and len(parts[11]) == 1 and parts[11] != "U" else ""
    if comp.isalnum() or seg.isalnum():
        return None
    return elem, comp, rep, seg


def probe_x12(s: Sample) -> Guess | None:
    if x12_separators(s.text[:1024]) is None:
        return None
    enc, bom = s.encoding
    return Guess("x12", encoding=enc, bom=bom)


def probe_fhir(s: Sample) -> Guess | None:
    start = _start(s)
    if start[:1] not in "{[":
        return None
    # The first object (NDJSON: the first line) names its resource type near its start.
    head = start[:4096]
    if _RESOURCE_TYPE.search(head) is None:
        return None
    enc, bom = s.encoding
    return Guess("fhir", encoding=enc, bom=bom)


def probe_ccda(s: Sample) -> Guess | None:
    start = _start(s)
    if not start.startswith("<"):
        return None
    head = s.text[:8192]
    m = _CCDA_ROOT.search(head)
    if m is None or "urn:hl7-org:v3" not in head:
        return None
    enc, bom = s.encoding
    return Guess("ccda", encoding=enc, bom=bom)
