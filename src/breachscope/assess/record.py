"""The obligation record: one duty, for one covered entity, under one regime."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from breachscope.store.db import stable_id

# Kinds of obligation (the ``obligation`` column).
OBLIGATIONS: Final = (
    "breach_determination",  # HIPAA presumption / risk assessment, recorded
    "individual_notice",
    "notice_to_parent_or_guardian",
    "notice_to_next_of_kin",
    "substitute_notice",
    "media_notice",
    "hhs_notice",
    "notice_to_covered_entity",  # BA -> CE (HIPAA) and vendor -> owner (state law)
    "regulator_notice",
    "cra_notice",
    "credit_monitoring_offer",
    "state_unknown",
)


@dataclass(frozen=True)
class Obligation:
    client_id: str
    regime: str  # "HIPAA" or a jurisdiction code ("unknown" when no state is known)
    jurisdiction: str  # the state/territory concerned; "" for a national duty
    duty_holder: str  # covered_entity | business_associate
    obligation: str
    recipient: str
    agency: str
    triggered: bool
    triggered_count: int
    triggered_elements: tuple[str, ...]
    triggered_by: str  # why, in words
    threshold: str
    due: dt.date | None
    due_text: str
    day_kind: str
    anchor: str
    citation: str
    rule_id: str
    sources: tuple[str, ...]
    confidence: str
    unverified: bool
    credit_monitoring_months: int | None = None
    content_requirements: tuple[str, ...] = ()
    prohibitions: tuple[str, ...] = ()
    notes: str = ""
    earliest_binding: bool = False

    @property
    def obligation_id(self) -> str:
        return stable_id(
            self.client_id,
            self.regime,
            self.jurisdiction,
            self.obligation,
            self.rule_id,
            self.agency,
        )

    def with_earliest(self, flag: bool) -> Obligation:
        return dataclasses.replace(self, earliest_binding=flag)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings (empty when none), tuples as lists."""
        out: dict[str, Any] = {"obligation_id": self.obligation_id}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, dt.date):
                v = v.isoformat()
            elif v is None and f.name == "due":
                v = ""
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        return out


COLUMNS: Final[tuple[str, ...]] = (
    "obligation_id",
    *(f.name for f in dataclasses.fields(Obligation)),
)
