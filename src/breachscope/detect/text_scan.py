"""State of one free-text scan: the text, findings so far, and the context-word lookup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from breachscope.detect.findings import Finding, new_finding
from breachscope.detect.person_names import (
    NameParts,
)
from breachscope.detect.text_patterns import context_kinds

CTX_WINDOW = 48


# Context kinds per segment, across documents: the same few dozen characters before a
# value recur (labels of one form, lines of one template); about half the lookups on the
# generated corpus. Handlers only read the lists.
_KINDS_SEEN: dict[str, list[str]] = {}
_KINDS_SEEN_MAX = 20_000

_SUBJECT_DETECTORS = frozenset({"text.label", "text.salutation", "text.addressee", "text.title"})


@dataclass
class _Scan:
    text: str
    today: dt.date
    out: list[Finding] = field(default_factory=list)
    subject_names: list[NameParts] = field(default_factory=list)
    provider_lasts: set[str] = field(default_factory=set)
    staff_names: set[tuple[str, str]] = field(default_factory=set)
    part_runs: list[list[Finding]] = field(default_factory=list)
    name_spans: list[tuple[int, int]] = field(default_factory=list)
    dictionary_groups: list[tuple[NameParts, list[Finding]]] = field(default_factory=list)
    # Spans of an organisation's address block (its name line to its contact line): the
    # phone and e-mail written there are the organisation's.
    org_blocks: list[tuple[int, int]] = field(default_factory=list)
    closings: list[int] = field(default_factory=list)  # ends of "Thanks," / "Sincerely,"
    # The names of message headers' "From:" (start, end, as written): staff, unless the
    # message is about the sender's own data (``text_names._self_writing_senders``).
    senders: list[tuple[int, int, str]] = field(default_factory=list)

    def add(
        self,
        category: str,
        fld: str | None,
        value: str,
        conf: float,
        detector: str,
        why: str,
        start: int,
        end: int,
        subject: str | None = None,
    ) -> None:
        self.out.append(
            new_finding(category, fld, value, conf, detector, why, start, end, None, None, subject)
        )

    def context(self, start: int, window: int = CTX_WINDOW) -> list[str]:
        """Context kinds in the words before ``start``, nearest last (same line first)."""
        # No per-position cache: handlers ask for one position with different windows (a
        # phone: 40 and 48), so it never hit; the per-segment one below does.
        lo = start - window if start > window else 0
        seg = self.text[lo:start]
        nl = seg.rfind("\n")
        # A value alone at the start of its line may be labelled on the line above.
        if nl != -1 and seg[nl + 1 :].strip():
            seg = seg[nl + 1 :]
        got = _KINDS_SEEN.get(seg)
        if got is None:
            if len(_KINDS_SEEN) >= _KINDS_SEEN_MAX:
                _KINDS_SEEN.clear()
            got = _KINDS_SEEN[seg] = context_kinds(seg)
        return got


def _nearest(kinds: list[str], wanted: tuple[str, ...]) -> str | None:
    for k in reversed(kinds):
        if k in wanted:
            return k
    return None


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    return ls, len(text) if le == -1 else le
