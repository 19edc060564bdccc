"""Linking in text: one stream per file, name anchors open subject regions.

All text documents of a file (pages, body, parts) are read in order as one stream, so a
chart's header on page 1 covers the pages after it. A name finding (a labelled patient
name, an addressee, a salutation) is an *anchor*: it opens or re-opens the region of its
subject, and each following finding belongs to the subject whose region it is in. A name
seen again re-opens the same subject; a salutation with a surname only ("Dear Ms. Smith")
joins the subject with that surname.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from breachscope.given_names import nicknamer
from breachscope.link.fields import name_from_findings
from breachscope.link.model import PATIENT_TAGS, STRONG_IDS, Finding, Subject, norm_tag

# Name-part findings closer than this (in characters) form one name ("Smith, John A").
_NAME_GAP = 3
# In a space-aligned table inside a text, the name parts are cells of one row, columns
# apart ("ORTIZ VEGA  GUADALUPE"); two cells of one field never join (see ``_items``), so
# the next row's name starts a new anchor.
_TABLE_NAME_GAP = 40
_TEXT_TABLE = "text.table"


@dataclass
class _Anchor:
    findings: list[Finding]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def end(self) -> int:
        return max((f.end_char or 0) for f in self.findings)


def _items(findings: list[Finding]) -> list[Finding | _Anchor]:
    """Findings in stream order with adjacent name parts grouped into anchors."""
    out: list[Finding | _Anchor] = []
    for f in findings:
        if f.category == "name":
            prev = out[-1] if out else None
            if (
                isinstance(prev, _Anchor)
                and prev.first.doc_id == f.doc_id
                and f.start_char is not None
                and f.start_char <= prev.end + _gap(prev.findings[-1], f)
                and norm_tag(prev.first.subject) == norm_tag(f.subject)
                and (f.field or "full") not in {(g.field or "full") for g in prev.findings}
            ):
                prev.findings.append(f)
                continue
            out.append(_Anchor([f]))
        else:
            out.append(f)
    return out


def _gap(a: Finding, b: Finding) -> int:
    return _TABLE_NAME_GAP if a.detector == b.detector == _TEXT_TABLE else _NAME_GAP


def _up(s: str | None) -> str:
    return "".join(ch for ch in (s or "").upper() if ch.isalpha())


@lru_cache(maxsize=65536)
def same_given_name(a: str, b: str) -> bool:
    """BOB and ROBERT: one given name is a nickname of the other (``nicknames`` tables)."""
    if len(a) < 2 or len(b) < 2:
        return False
    try:
        nn = nicknamer()
        return b.lower() in nn.nicknames_of(a.lower()) or a.lower() in nn.nicknames_of(b.lower())
    except Exception:  # the nickname table is a helper, never a reason to fail
        return False


def _first_compatible(a: str, b: str) -> bool:
    if not a or not b:
        return True
    return a == b or (a[0] == b[0] and (len(a) == 1 or len(b) == 1)) or same_given_name(a, b)


# Written before anybody is named, an organisation or a health plan is the file's: a payer
# report's "Client: PRAIRIE HEALTH PLAN" is the plan of every member listed under it.
_FILE_CONTEXT = frozenset({"organization", "health_plan"})
# Detect's tag for a plan or organisation in the sender's signature: the whole file's.
_DOCUMENT_TAG = "document"


class _Stream:
    def __init__(self) -> None:
        self.subjects: list[Subject] = []
        self.current: Subject | None = None
        self.tagged: dict[str, Subject] = {}
        self.pending: list[Finding] = []
        self.file_context: list[Finding] = []
        self.forks = 0

    def _find(self, first: str, last: str) -> Subject | None:
        for s in reversed(self.subjects):
            for n in s.names:
                sf, sl = _up(n.get("first")), _up(n.get("last"))
                if last and sl and last == sl and _first_compatible(first, sf):
                    return s
                if not last and first and sf == first:
                    return s
                if last and not sl and first and sf == first:
                    return s
        return None

    def anchor(self, a: _Anchor) -> None:
        parts = name_from_findings(a.findings)
        first, last = _up(parts.get("first")), _up(parts.get("last"))
        if not first and not last:
            return
        tag = norm_tag(a.first.subject)
        subject = self._find(first, last)
        if subject is None:
            f0 = a.first
            subject = Subject(
                key=f"text:{last}|{first}",
                doc_id=f0.doc_id,
                file_id=f0.file_id,
                page=f0.page,
            )
            if any(s.key == subject.key for s in self.subjects):
                self.forks += 1
                subject.key += f"#{self.forks}"
            self.subjects.append(subject)
        else:
            subject.reentered = True
        subject.names.append(parts)
        subject.own.extend(a.findings)
        if tag and tag not in PATIENT_TAGS:
            self.tagged[tag] = subject
            return
        if self.current is None and self.pending:
            subject.own.extend(self.pending)
            self.pending = []
        self.current = subject

    def add(self, f: Finding) -> None:
        tag = norm_tag(f.subject)
        if tag == _DOCUMENT_TAG:
            self.file_context.append(f)
            return
        target = self.tagged.get(tag) if tag and tag not in PATIENT_TAGS else None
        if target is None:
            target = self.current
        if target is None:
            (self.file_context if f.category in _FILE_CONTEXT else self.pending).append(f)
            return
        if f.category in STRONG_IDS and f.value and target.reentered:
            have = target.strong_value(f.category)
            if have is not None and have != f.value:
                # The same name again with a different SSN / DOB: a namesake, not a repeat.
                target = self._fork(target)
        target.own.append(f)

    def _fork(self, old: Subject) -> Subject:
        self.forks += 1
        new = Subject(
            key=f"{old.key.split('#')[0]}#{self.forks}",
            doc_id=old.doc_id,
            file_id=old.file_id,
            page=old.page,
            names=[old.names[-1]] if old.names else [],
        )
        self.subjects.append(new)
        if self.current is old:
            self.current = new
        for t, s in list(self.tagged.items()):
            if s is old:
                self.tagged[t] = new
        return new

    def anonymous(self) -> None:
        """Findings in a file without any name: split into subjects at each new identifier."""
        cur: Subject | None = None
        for f in self.pending:
            if f.category in STRONG_IDS and f.value and cur is not None:
                have = cur.strong_value(f.category)
                if have is not None and have != f.value:
                    cur = None
            if cur is None:
                self.forks += 1
                cur = Subject(
                    key=f"text:anon#{self.forks}", doc_id=f.doc_id, file_id=f.file_id, page=f.page
                )
                self.subjects.append(cur)
            cur.own.append(f)
        self.pending = []


def stream_subjects(findings: list[Finding]) -> list[Subject]:
    """The subjects of one file's text stream (findings in stream order)."""
    st = _Stream()
    for item in _items(findings):
        if isinstance(item, _Anchor):
            st.anchor(item)
        else:
            st.add(item)
    if st.pending:
        if st.subjects:
            st.subjects[0].own.extend(st.pending)
            st.pending = []
        else:
            st.anonymous()
    for s in st.subjects:
        s.shared.extend(st.file_context)
    return st.subjects
