"""What the engine reasons from: the breach facts and the affected population.

``Facts`` are the incident's dates and the answers counsel supplies (risk assessment,
law-enforcement delay, encryption …). ``Group``s are the affected people of one covered
entity, counted per state and exposure profile: the engine never needs a person, only how
many people in a state had which elements exposed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final

from breachscope.errors import BreachscopeError

ROLES: Final = ("business_associate", "covered_entity")
LE_KINDS: Final = ("written", "oral")
RISK_FACTORS: Final = (
    "nature_and_extent",
    "unauthorized_person",
    "acquired_or_viewed",
    "mitigation",
)
RISK_OUTCOMES: Final = ("breach", "low_probability")
EXCLUSIONS: Final = (
    "unintentional_workforce_access",
    "inadvertent_authorized_disclosure",
    "recipient_could_not_retain",
)
UNKNOWN_STATE: Final = "unknown"


class AssessInputError(BreachscopeError):
    """A scenario file or ``[assess]`` table is unusable; lists every problem at once."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        n = len(problems)
        super().__init__(
            f"{source} has {n} problem{'s' if n != 1 else ''}:\n  " + "\n  ".join(problems),
            hint="fix every listed problem, then run again",
        )


@dataclass(frozen=True)
class LawEnforcementDelay:
    """A § 164.412 delay: deadlines move later by ``days``."""

    kind: str  # written | oral
    start: dt.date
    until: dt.date

    def days(self, oral_max: int) -> int:
        end = self.until
        if self.kind == "oral":
            end = min(end, self.start + dt.timedelta(days=oral_max))
        return max(0, (end - self.start).days)


@dataclass(frozen=True)
class RiskAssessment:
    """The four-factor assessment of § 164.402(2), as the case records it."""

    factors: dict[str, str]
    outcome: str  # breach | low_probability

    def low_probability(self) -> bool:
        """Only a complete assessment concluding 'low probability' rebuts the presumption."""
        return self.outcome == "low_probability" and all(
            self.factors.get(f, "").strip() for f in RISK_FACTORS
        )


@dataclass(frozen=True)
class Facts:
    discovery_date: dt.date  # the reporting entity's discovery
    role: str = "covered_entity"
    determination_date: dt.date | None = None  # defaults to the covered entity's discovery
    ce_discovery_date: dt.date | None = None  # BA role: when the CE learned (default: agent rule)
    encrypted: bool = False
    key_compromised: bool = False
    le_delay: LawEnforcementDelay | None = None
    risk_assessment: RiskAssessment | None = None
    exclusion: str = ""
    no_harm_states: frozenset[str] = frozenset()
    baa_days: int | None = None  # BA role: contract deadline to notify the CE
    individual_notice_date: dt.date | None = None  # when the letters actually went out
    hhs_filing_date: dt.date | None = None  # when the HHS report was actually filed

    @property
    def owner_discovery(self) -> dt.date:
        """The covered entity's (data owner's) discovery date.

        Under § 164.404(a)(2) a BA that is the CE's agent has its discovery imputed to the
        CE (H-2.9), so by default the CE's clock starts with the BA's.
        """
        return self.ce_discovery_date or self.discovery_date

    @property
    def owner_determination(self) -> dt.date:
        return self.determination_date or self.owner_discovery


@dataclass(frozen=True)
class Entity:
    """The covered entity (client) whose data it is."""

    client_id: str
    name: str
    hipaa: bool  # a HIPAA covered entity: the data is PHI
    kind: str = "other"


@dataclass(frozen=True)
class Group:
    """Affected people of one entity in one state with the same exposed elements."""

    state: str  # two-letter code, or "unknown"
    elements: frozenset[str]
    count: int
    minors: int = 0
    deceased: int = 0
    unreachable: int = 0  # living, no deliverable address
    deceased_no_address: int = 0


@dataclass(frozen=True)
class Population:
    entity: Entity
    groups: tuple[Group, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    def states(self) -> list[str]:
        return sorted({g.state for g in self.groups})

    def in_state(self, state: str) -> list[Group]:
        return [g for g in self.groups if g.state == state]


# --------------------------------------------------------------------------- parsing


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, text: str) -> None:
        self.items.append(text)


def _date(d: dict[str, Any], key: str, p: Problems, where: str) -> dt.date | None:
    if key not in d:
        return None
    v = d[key]
    if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                pass
        p.add(f"'{where}{key}' must be a date (YYYY-MM-DD)")
        return None
    return v


def _bool(d: dict[str, Any], key: str, p: Problems, where: str, default: bool = False) -> bool:
    v = d.get(key, default)
    if not isinstance(v, bool):
        p.add(f"'{where}{key}' must be true or false")
        return default
    return v


def parse_options(
    d: dict[str, Any], p: Problems, *, discovery: dt.date, role: str, where: str = ""
) -> Facts:
    """The optional facts shared by scenario files and a case's ``[assess]`` table."""
    le: LawEnforcementDelay | None = None
    raw_le = d.get("law_enforcement_delay")
    if raw_le is not None:
        if not isinstance(raw_le, dict):
            p.add(f"'{where}law_enforcement_delay' must be a table (kind, start, until)")
        else:
            kind = raw_le.get("kind", "written")
            if kind not in LE_KINDS:
                p.add(f"'{where}law_enforcement_delay.kind' must be written or oral")
            start = _date(raw_le, "start", p, f"{where}law_enforcement_delay.") or discovery
            until = _date(raw_le, "until", p, f"{where}law_enforcement_delay.")
            if until is None and "until" not in raw_le:
                p.add(f"'{where}law_enforcement_delay.until' is required")
            elif until is not None and until < start:
                p.add(f"'{where}law_enforcement_delay.until' is before its start")
            elif until is not None and kind in LE_KINDS:
                le = LawEnforcementDelay(kind=str(kind), start=start, until=until)
            for k in raw_le:
                if k not in ("kind", "start", "until"):
                    p.add(f"unknown key '{where}law_enforcement_delay.{k}'")

    ra: RiskAssessment | None = None
    raw_ra = d.get("risk_assessment")
    if raw_ra is not None:
        if not isinstance(raw_ra, dict):
            p.add(f"'{where}risk_assessment' must be a table")
        else:
            outcome = raw_ra.get("outcome", "breach")
            if outcome not in RISK_OUTCOMES:
                p.add(f"'{where}risk_assessment.outcome' must be one of {', '.join(RISK_OUTCOMES)}")
            factors: dict[str, str] = {}
            for k, v in raw_ra.items():
                if k == "outcome":
                    continue
                if k not in RISK_FACTORS:
                    p.add(
                        f"unknown key '{where}risk_assessment.{k}' (factors: {', '.join(RISK_FACTORS)})"
                    )
                elif not isinstance(v, str):
                    p.add(f"'{where}risk_assessment.{k}' must be text")
                else:
                    factors[k] = v
            ra = RiskAssessment(factors=factors, outcome=str(outcome))

    exclusion = d.get("exclusion", "")
    if exclusion and exclusion not in EXCLUSIONS:
        p.add(f"'{where}exclusion' must be one of {', '.join(EXCLUSIONS)}")
        exclusion = ""

    no_harm = d.get("no_harm_states", [])
    if not isinstance(no_harm, list) or any(not isinstance(s, str) for s in no_harm):
        p.add(f"'{where}no_harm_states' must be a list of state codes")
        no_harm = []

    baa = d.get("baa_days")
    if baa is not None and (isinstance(baa, bool) or not isinstance(baa, int) or baa < 1):
        p.add(f"'{where}baa_days' must be a whole number of days (1 or more)")
        baa = None

    facts = Facts(
        discovery_date=discovery,
        role=role,
        determination_date=_date(d, "determination_date", p, where),
        ce_discovery_date=_date(d, "ce_discovery_date", p, where),
        encrypted=_bool(d, "encrypted", p, where),
        key_compromised=_bool(d, "key_compromised", p, where),
        le_delay=le,
        risk_assessment=ra,
        exclusion=str(exclusion),
        no_harm_states=frozenset(s.upper() for s in no_harm),
        baa_days=baa,
        individual_notice_date=_date(d, "individual_notice_date", p, where),
        hhs_filing_date=_date(d, "hhs_filing_date", p, where),
    )
    for key in ("determination_date", "ce_discovery_date"):
        v = getattr(facts, key)
        if v is not None and v < discovery and key == "ce_discovery_date":
            p.add(f"'{where}{key}' is before the discovery date")
    return facts


OPTION_KEYS: Final = frozenset(
    {
        "determination_date",
        "ce_discovery_date",
        "encrypted",
        "key_compromised",
        "law_enforcement_delay",
        "risk_assessment",
        "exclusion",
        "no_harm_states",
        "baa_days",
        "individual_notice_date",
        "hhs_filing_date",
    }
)
