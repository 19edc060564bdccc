"""Records inside the link stage: a finding as link reads it, and a data subject being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# Row-level findings that describe the encounter rather than a person's identity: on a
# claim with a subscriber and a dependant they belong to the patient.
CLINICAL: frozenset[str] = frozenset(
    {"diagnosis", "medication", "test_result", "imaging", "procedure", "provider"}
)
# Row- or file-level context every subject of the row / file shares.
CONTEXT: frozenset[str] = frozenset({"health_plan", "organization", "service_date", "other_date"})
# Identifiers strong enough that one subject cannot hold two different values.
STRONG_IDS: tuple[str, ...] = ("ssn", "dob", "member_id", "mrn")

# Subject tags that mean "the person this record is about".
PATIENT_TAGS: frozenset[str] = frozenset({"patient", "member", "person", "main", "self", "client"})
# Subject tags of the account holder on a claim / eligibility row.
PRIMARY_TAGS: tuple[str, ...] = (
    "subscriber",
    "insured",
    "policyholder",
    "policy_holder",
    "primary",
    "member",
    "guarantor",
    "employee",
    "patient",
)


class Finding(NamedTuple):
    """One row of ``findings`` with the position of its document in its file.

    A named tuple, not a frozen dataclass: link builds one per finding (38 M at 1 M
    people), and a frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field)
    was 13 % of the stage's time there (py-spy on the 1 M scale run)."""

    finding_id: str
    doc_id: str
    file_id: str
    seq: int
    row_no: int | None
    page: int | None
    start_char: int | None
    end_char: int | None
    category: str
    field: str | None
    value: str | None
    subject: str | None
    confidence: float
    detector: str


@dataclass(slots=True)
class Subject:
    """One data subject within a document (or a text file's stream), being assembled."""

    key: str
    doc_id: str
    file_id: str
    row_no: int | None = None
    page: int | None = None
    own: list[Finding] = field(default_factory=list)
    shared: list[Finding] = field(default_factory=list)
    # Name instances (parts dicts) seen for this subject, in order.
    names: list[dict[str, str]] = field(default_factory=list)
    reentered: bool = False

    def strong_value(self, category: str) -> str | None:
        for f in self.own:
            if f.category == category and f.value:
                return f.value
        return None


def norm_tag(tag: str | None) -> str:
    """A subject tag as a group key: '' for the row's main person."""
    if tag is None:
        return ""
    t = tag.strip().lower().replace(" ", "_").replace("-", "_")
    return "" if t in {"", "none", "null"} else t
