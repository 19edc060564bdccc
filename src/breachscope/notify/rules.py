"""What a letter must and must not say for a person's state, from the rules as data.

Two sources are merged: the triggered obligations for the client and state (content
requirements, prohibitions, credit-monitoring months) and the jurisdiction file's
``[letter]`` rules. The letter rules are applied even when HIPAA compliance is deemed to
satisfy the state's notice duty: the base letter already holds HIPAA's § 164.404(c)
elements, and a state's additions (bureau contacts, freeze instructions) only add to it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from breachscope.jurisdictions import CODES, load
from breachscope.notify.contacts import STATE_AGENCIES, Agency
from breachscope.notify.duties import Duty


@dataclass(frozen=True)
class LetterRules:
    """The state-specific switches of one letter."""

    state: str  # two-letter code, '' when unknown
    state_name: str
    omit_description: bool  # e.g. Massachusetts: no description of the nature of the breach
    include_count: bool  # e.g. Rhode Island: the number affected
    state_agencies: tuple[Agency, ...]
    name_state_ag: bool  # content asks for the state AG but no contact is on file
    fcra_rights: bool  # New Mexico: rights under the Fair Credit Reporting Act
    cm_months: int | None  # credit monitoring owed under this state's law
    cm_elements: frozenset[str]  # the exposed elements that make it owed
    cm_citation: str
    content: tuple[str, ...]
    prohibitions: tuple[str, ...]
    citations: tuple[str, ...]

    @property
    def state_specific(self) -> bool:
        """The letter text differs from the base letter because of this state's rules."""
        return bool(
            self.omit_description or self.include_count or self.state_agencies or self.fcra_rights
        )


@cache
def _jurisdiction_letter(code: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    if code not in CODES:
        return ("", (), (), "")
    j = load(code)
    return (j.name, j.letter.content, j.letter.prohibitions, j.citation)


def _has(texts: Iterable[str], *words: str) -> bool:
    low = [t.lower() for t in texts]
    return any(w in t for t in low for w in words)


_AG = re.compile(r"\b(attorney general|ag|state and federal agencies)\b", re.IGNORECASE)


def letter_rules(state: str, duties: Iterable[Duty]) -> LetterRules:
    """Rules for a letter to a resident of ``state`` from the client whose ``duties`` these are."""
    code = state.upper() if state else ""
    name, j_content, j_prohib, j_cite = _jurisdiction_letter(code)
    content: list[str] = list(j_content)
    prohib: list[str] = list(j_prohib)
    cites: list[str] = [j_cite] if (j_content or j_prohib) and j_cite else []
    cm_months: int | None = None
    cm_elements: frozenset[str] = frozenset()
    cm_cite = ""
    for d in duties:
        if d.regime != code or not d.triggered:
            continue
        if d.obligation == "individual_notice":
            content += [c for c in d.content_requirements if c not in content]
            prohib += [p for p in d.prohibitions if p not in prohib]
            if d.citation not in cites and (d.content_requirements or d.prohibitions):
                cites.append(d.citation)
        elif d.obligation == "credit_monitoring_offer" and d.credit_monitoring_months:
            if cm_months is None or d.credit_monitoring_months > cm_months:
                cm_months = d.credit_monitoring_months
                cm_cite = d.citation
            cm_elements = cm_elements | frozenset(d.triggered_elements)
    omit_description = _has(prohib, "description of the nature", "nature of the breach")
    count_prohibited = _has(prohib, "number of")
    include_count = _has(content, "number affected") and not count_prohibited
    wants_ag = any(_AG.search(c) for c in content)
    agencies = STATE_AGENCIES.get(code, ()) if wants_ag else ()
    return LetterRules(
        state=code,
        state_name=name,
        omit_description=omit_description,
        include_count=include_count,
        state_agencies=agencies,
        name_state_ag=wants_ag and not agencies,
        fcra_rights=_has(content, "fair credit reporting act"),
        cm_months=cm_months,
        cm_elements=cm_elements,
        cm_citation=cm_cite,
        content=tuple(content),
        prohibitions=tuple(prohib),
        citations=tuple(cites),
    )


def law_enforcement_delay(raw: dict[str, object]) -> tuple[bool, dt.date | None]:
    """Whether ``[assess.law_enforcement_delay]`` is set, and when it started."""
    assess = raw.get("assess")
    if not isinstance(assess, dict):
        return (False, None)
    led = assess.get("law_enforcement_delay")
    if not isinstance(led, dict):
        return (False, None)
    start = led.get("start")
    return (True, start if isinstance(start, dt.date) else None)
