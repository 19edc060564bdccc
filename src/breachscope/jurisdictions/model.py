"""The jurisdiction rules as frozen records, as loaded (and validated) from the data files.

Every rule that can change over time is a *version* with ``in_force_from`` /
``in_force_to`` (inclusive, either open); the engine picks the version in force on the
discovery date. ``rule_id`` is what every obligation cites.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, TypeVar

KINDS: Final = ("state", "district", "territory")
CONFIDENCE: Final = ("high", "medium", "low")
DAY_KINDS: Final = ("calendar", "business")
# What a deadline counts from.
ANCHORS: Final = (
    "discovery",  # the entity discovered (or was notified of) the breach
    "determination",  # the entity determined a breach occurred (defaults to discovery)
    "before_individual_notice",  # must precede notice to individuals
    "with_individual_notice",  # no later than notice to individuals
    "after_individual_notice",  # N days after individuals are notified
    "hhs_filing",  # N days after the HHS breach report
    "none",  # no fixed day ("without unreasonable delay")
)
RECIPIENTS: Final = (
    "individuals",
    "covered_entity",
    "hhs",
    "media",
    "attorney_general",
    "regulator",
    "consumer_reporting_agencies",
)
# Who a regulator notice is for.
AUDIENCES: Final = (
    "all",
    "hipaa_entities",  # only HIPAA covered entities / business associates
    "non_hipaa_entities",
    "public_agencies",  # government bodies only: never our reporting entity
    "no_harm_determination",  # only when relying on a no-harm determination
    "licensed_health_facility",  # e.g. California-licensed clinics and hospitals
    "dfs_regulated",  # e.g. New York DFS licensees
)
TRIGGERS: Final = (
    "state_pi",  # residents whose exposed elements meet the state's PI definition
    "hipaa_breach",  # residents in a breach reported to HHS (PHI, whatever the elements)
)
HIPAA_EFFECTS: Final = (
    "statute_inapplicable",
    "deemed_compliant",
    "deemed_compliant_with_residual_duties",
    "deemed_compliant_individual_notice",
    "deemed_content_only",
    "deemed_compliant_if_procedures",
    "deemed_compliant_conditional",
    "deemed_compliant_if_greater_protection",
    "deemed_compliant_if_at_least_as_protective",
    "deemed_compliant_if_procedures_but_shorter_deadline_controls",
    "none",
    "unclear",
)
# State duties that can survive HIPAA-deemed compliance.
DUTIES: Final = (
    "individual_notice",
    "letter_content",
    "regulators",
    "consumer_reporting_agencies",
    "credit_monitoring",
    "vendor_to_owner",
)


@dataclass(frozen=True)
class Versioned:
    """A rule version: its id and the dates (inclusive) it is in force."""

    id: str
    in_force_from: dt.date | None
    in_force_to: dt.date | None
    citation: str
    unverified: bool

    def in_force(self, day: dt.date) -> bool:
        if self.in_force_from is not None and day < self.in_force_from:
            return False
        return not (self.in_force_to is not None and day > self.in_force_to)

    @property
    def rule_id(self) -> str:
        """The id obligations cite: ``CA-IND@2026-01-01`` for a dated version."""
        return f"{self.id}@{self.in_force_from.isoformat()}" if self.in_force_from else self.id


@dataclass(frozen=True)
class PIDefinition(Versioned):
    identifiers: tuple[str, ...]  # usually ("name",); DC also counts phone or address
    with_identifier: tuple[frozenset[str], ...]
    standalone: tuple[frozenset[str], ...]
    reference_elements: tuple[str, ...]
    reference_standalone: tuple[str, ...]
    not_mapped: tuple[str, ...]
    notes: str

    def matched(self, elements: frozenset[str]) -> frozenset[str]:
        """The exposed elements that make this person's data PI here (empty: not PI)."""
        hit: set[str] = set()
        for combo in self.standalone:
            if combo <= elements:
                hit |= combo
        if any(i in elements for i in self.identifiers):
            for combo in self.with_identifier:
                if combo <= elements:
                    hit |= combo
            if hit:
                hit |= {i for i in self.identifiers if i in elements}
        return frozenset(hit)


@dataclass(frozen=True)
class IndividualNotice(Versioned):
    days: int | None
    day_kind: str
    anchor: str
    anchor_text: str
    text: str


@dataclass(frozen=True)
class VendorToOwner(Versioned):
    days: int | None
    day_kind: str
    text: str


@dataclass(frozen=True)
class Regulator(Versioned):
    recipient: str
    agency: str
    min_residents: int
    threshold_text: str
    days: int | None
    day_kind: str
    anchor: str
    anchor_text: str
    deadline_text: str
    content: tuple[str, ...]
    method: str
    audience: str
    trigger: str


@dataclass(frozen=True)
class CraNotice(Versioned):
    min_residents: int
    days: int | None
    day_kind: str
    anchor: str
    text: str


@dataclass(frozen=True)
class CreditMonitoring(Versioned):
    months: int
    trigger_elements: frozenset[str]
    trigger_text: str


@dataclass(frozen=True)
class Exceptions:
    encryption_safe_harbor: bool
    key_compromise_voids_safe_harbor: bool | None  # None: not verified
    risk_of_harm: bool
    risk_of_harm_notes: str


@dataclass(frozen=True)
class HipaaEffect:
    deemed_compliant: bool | None  # None: unclear / a legal judgement
    effect: str
    residual_duties: frozenset[str]
    notes: str
    basis: str


@dataclass(frozen=True)
class Letter:
    content: tuple[str, ...]
    prohibitions: tuple[str, ...]


@dataclass(frozen=True)
class SubstituteNotice:
    cost_over_usd: int | None
    affected_over: int | None
    or_insufficient_contact_info: bool
    components: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class Jurisdiction:
    """One state, district or territory's breach-notification law."""

    code: str
    name: str
    kind: str
    statute: str
    citation: str
    applies_to: str
    scope_limit: str  # non-empty: the law reaches only the entities described here
    covers_paper: bool | None
    confidence: str
    as_of: str
    sources: tuple[str, ...]
    notes: str
    other_health_specific: str
    unverified: tuple[str, ...]
    exceptions: Exceptions
    hipaa: HipaaEffect
    personal_information: tuple[PIDefinition, ...]
    individual_notice: tuple[IndividualNotice, ...]
    vendor_to_owner: tuple[VendorToOwner, ...]
    regulators: tuple[Regulator, ...]
    cra_notice: tuple[CraNotice, ...]
    credit_monitoring: tuple[CreditMonitoring, ...]
    letter: Letter
    substitute_notice: SubstituteNotice | None

    def pi_at(self, day: dt.date) -> PIDefinition | None:
        return _one(self.personal_information, day)

    def individual_notice_at(self, day: dt.date) -> IndividualNotice | None:
        return _one(self.individual_notice, day)

    def vendor_to_owner_at(self, day: dt.date) -> VendorToOwner | None:
        return _one(self.vendor_to_owner, day)

    def cra_notice_at(self, day: dt.date) -> CraNotice | None:
        return _one(self.cra_notice, day)

    def credit_monitoring_at(self, day: dt.date) -> CreditMonitoring | None:
        return _one(self.credit_monitoring, day)

    def regulators_at(self, day: dt.date) -> tuple[Regulator, ...]:
        return tuple(r for r in self.regulators if r.in_force(day))


_V = TypeVar("_V", bound=Versioned)


def _one(versions: tuple[_V, ...], day: dt.date) -> _V | None:
    for v in versions:
        if v.in_force(day):
            return v
    return None


# --------------------------------------------------------------------------- HIPAA


@dataclass(frozen=True)
class HipaaRule:
    """One HIPAA rule (an ``H-…`` id from the reference) with its parameters."""

    id: str
    citation: str
    text: str
    days: int | None
    day_kind: str
    anchor: str
    threshold: int | None  # meaning depends on the rule; see hipaa.toml
    content: tuple[str, ...]
    unverified: bool


@dataclass(frozen=True)
class HipaaRules:
    name: str
    citation: str
    in_force_from: dt.date
    sources: tuple[str, ...]
    unverified: tuple[str, ...]
    rules: dict[str, HipaaRule]

    def rule(self, key: str) -> HipaaRule:
        return self.rules[key]
