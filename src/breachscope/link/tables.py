"""Linking in tables: one subject per row, or one per subject group when a row holds two people."""

from __future__ import annotations

from breachscope.link.fields import has_identity, name_from_findings
from breachscope.link.model import CLINICAL, CONTEXT, PRIMARY_TAGS, Finding, Subject, norm_tag


def _pick(tags: list[str], prefer: tuple[str, ...]) -> str:
    for p in prefer:
        for t in tags:
            if t == p or t.startswith(p + "_"):
                return t
    return sorted(tags)[0]


def row_subjects(row: list[Finding], doc_context: list[Finding]) -> list[Subject]:
    """The subjects of one table row.

    Untagged findings belong to the row's main person. When the row also carries tagged
    groups (``subscriber``, ``dependent`` …) each group is its own person; if the untagged
    findings identify nobody on their own they are row-level: clinical ones go to the
    patient, context (plan, organisation, dates) to everyone, the rest to the account
    holder.
    """
    first = row[0]
    groups: dict[str, list[Finding]] = {}
    for f in row:
        groups.setdefault(norm_tag(f.subject), []).append(f)
    main = groups.pop("", [])
    tagged = sorted(groups)
    context = [f for f in main if f.category in CONTEXT] + doc_context
    subjects: list[Subject] = []

    def make(tag: str, own: list[Finding], shared: list[Finding]) -> Subject:
        return Subject(
            key=f"row:{first.row_no}:{tag}",
            doc_id=first.doc_id,
            file_id=first.file_id,
            row_no=first.row_no,
            page=first.page,
            own=own,
            shared=shared,
        )

    if not tagged:
        return [make("", main, doc_context)]
    if main and has_identity(main, name_from_findings(main)):
        subjects.append(make("", main, doc_context))
        for t in tagged:
            subjects.append(make(t, groups[t], context))
        return _merge_same_person(subjects)
    patient = _pick(tagged, ("patient", "dependent", "dependant", "child", "spouse", *PRIMARY_TAGS))
    primary = _pick(tagged, PRIMARY_TAGS)
    clinical = [f for f in main if f.category in CLINICAL]
    rest = [f for f in main if f.category not in CLINICAL and f.category not in CONTEXT]
    for t in tagged:
        own = list(groups[t])
        if t == patient:
            own += clinical
        if t == primary:
            own += rest
        subjects.append(make(t, own, context))
    return _merge_same_person(subjects)


def _name_key(findings: list[Finding]) -> tuple[str, str] | None:
    parts = name_from_findings(findings)
    first = "".join(ch for ch in parts.get("first", "").upper() if ch.isalpha())
    last = "".join(ch for ch in parts.get("last", "").upper() if ch.isalpha())
    return (first, last) if first and last else None


def _conflict(a: list[Finding], b: list[Finding]) -> bool:
    for cat in ("ssn", "dob"):
        va = {f.value for f in a if f.category == cat and f.value}
        vb = {f.value for f in b if f.category == cat and f.value}
        if va and vb and not va & vb:
            return True
    return False


def _merge_same_person(subjects: list[Subject]) -> list[Subject]:
    """A self-insured patient is named twice on a claim (as subscriber and as patient):
    groups of one row with the same full name and no conflicting SSN or DOB are one person."""
    if len(subjects) < 2:
        return subjects
    merged: list[Subject] = []
    for s in subjects:
        key = _name_key(s.own)
        for m in merged:
            if key is not None and key == _name_key(m.own) and not _conflict(m.own, s.own):
                m.own.extend(s.own)
                m.shared.extend(f for f in s.shared if f not in m.shared)
                break
        else:
            merged.append(s)
    return merged
