"""Assembling a ``mentions`` row from a finished subject."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from breachscope.case import Case
from breachscope.link.fields import (
    address_parts,
    elements_of,
    first_value,
    has_identity,
    name_from_findings,
    name_size,
    parse_date,
    truthy,
)
from breachscope.link.model import Subject
from breachscope.store import stable_id

MENTION_COLUMNS: tuple[str, ...] = (
    "mention_id",
    "doc_id",
    "file_id",
    "path",
    "locator",
    "row_no",
    "page",
    "client_ids",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "dob",
    "ssn",
    "ssn_last4",
    "street",
    "city",
    "state",
    "zip",
    "phone",
    "email",
    "member_id",
    "mrn",
    "gender",
    "deceased",
    "date_of_death",
    "organization",
    "elements",
    "n_findings",
)

_ORG_NORM = re.compile(r"[^a-z0-9]+")


def _org_key(text: str) -> str:
    return _ORG_NORM.sub(" ", text.lower()).strip()


@dataclass(frozen=True)
class OrgMatcher:
    """Finds the clients an organisation name or ID seen beside a person points to."""

    names: tuple[tuple[str, str], ...]  # (normalised name, client id)
    ids: tuple[tuple[str, str], ...]  # (normalised id, client id)

    @classmethod
    def for_case(cls, case: Case) -> OrgMatcher:
        names = tuple((_org_key(n), c.id) for c in case.clients for n in (c.name, *c.org_names))
        ids = tuple((_ORG_NORM.sub("", i.lower()), c.id) for c in case.clients for i in c.org_ids)
        return cls(names=tuple((n, c) for n, c in names if n), ids=tuple(x for x in ids if x[0]))

    def clients(self, org_value: str) -> set[str]:
        key = _org_key(org_value)
        compact = key.replace(" ", "")
        found: set[str] = set()
        for n, cid in self.names:
            if key == n or (len(n) >= 6 and f" {n} " in f" {key} "):
                found.add(cid)
        for i, cid in self.ids:
            if compact == i:
                found.add(cid)
        return found


@dataclass(frozen=True)
class DocInfo:
    file_id: str
    path: str
    locator: str
    page: int | None
    client_ids: tuple[str, ...]


def _gender(value: str | None) -> str | None:
    if not value:
        return None
    v = value.strip().upper()
    if v in {"M", "MALE", "MAN", "BOY"}:
        return "M"
    if v in {"F", "FEMALE", "WOMAN", "GIRL"}:
        return "F"
    return v[:1] if v[:1] in {"U", "X", "O"} else None


def build_mention(subject: Subject, doc: DocInfo, orgs: OrgMatcher) -> dict[str, Any] | None:
    """The mention row for a subject, or None when its findings identify nobody."""
    own = subject.own
    name = max(subject.names, key=name_size) if subject.names else name_from_findings(own)
    if not has_identity(own, name):
        return None
    every = own + subject.shared
    addr = address_parts(own)
    deceased_vals = [truthy(f.value) for f in own if f.category == "deceased"]
    dod = parse_date(first_value(own, "date_of_death"))
    deceased: bool | None = None
    if any(v is True for v in deceased_vals) or dod is not None:
        deceased = True
    elif any(v is False for v in deceased_vals):
        deceased = False
    orgs_seen = [f.value for f in every if f.category == "organization" and f.value]
    clients = set(doc.client_ids)
    for o in orgs_seen:
        clients |= orgs.clients(o)
    email = first_value(own, "email")
    ssn = first_value(own, "ssn")
    ssn_digits = re.sub(r"\D", "", ssn) if ssn else None
    last4 = first_value(own, "ssn_last4")
    last4_digits = re.sub(r"\D", "", last4)[-4:] if last4 else None
    member_id = first_value(own, "member_id")
    mrn = first_value(own, "mrn")
    return {
        "mention_id": stable_id(subject.doc_id, subject.key),
        "doc_id": subject.doc_id,
        "file_id": subject.file_id,
        "path": doc.path,
        "locator": doc.locator,
        "row_no": subject.row_no,
        "page": subject.page if subject.page is not None else doc.page,
        "client_ids": sorted(clients),
        "first_name": name.get("first"),
        "middle_name": name.get("middle"),
        "last_name": name.get("last"),
        "suffix": name.get("suffix"),
        "dob": parse_date(first_value(own, "dob")),
        "ssn": ssn_digits if ssn_digits and len(ssn_digits) == 9 else None,
        "ssn_last4": last4_digits or None,
        "street": addr.get("street"),
        "city": addr.get("city"),
        "state": addr.get("state"),
        "zip": addr.get("zip"),
        "phone": first_value(own, "phone"),
        "email": email.lower() if email else None,
        "member_id": member_id.upper() if member_id else None,
        "mrn": mrn.upper() if mrn else None,
        "gender": _gender(first_value(own, "gender")),
        "deceased": deceased,
        "date_of_death": dod,
        "organization": orgs_seen[0] if orgs_seen else None,
        "elements": elements_of(every),
        "n_findings": len({f.finding_id for f in every}),
    }
