"""The synthetic vendor and its clients (the covered entities whose data it held)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DISCOVERY = dt.date(2025, 2, 6)
ACCESS_START = dt.date(2025, 1, 27)
ACCESS_END = dt.date(2025, 2, 6)

VENDOR = "Keystone Clinical Coding Services, LLC"
VENDOR_SHORT = "Keystone Coding"
VENDOR_DOMAIN = "keystonecoding.example.com"

# The password of the one encrypted archive the case file lists under [settings].
KNOWN_ZIP_PASSWORD = "Horizon#2025"


@dataclass(frozen=True)
class ClientDef:
    id: str
    name: str
    kind: str  # provider | health_plan
    org_names: tuple[str, ...]
    home_states: tuple[str, ...]
    weight: float  # share of households whose primary client this is
    mrn_label: str  # what this client calls its patient / member number
    products: tuple[str, ...] = ()  # health plans: products members are enrolled in

    @property
    def folder(self) -> str:
        return self.id


MERCY = ClientDef(
    id="mercy-valley-health",
    name="Mercy Valley Health System",
    kind="provider",
    org_names=("Mercy Valley Health System", "Mercy Valley Health", "MVHS"),
    home_states=("OH", "PA", "WV", "KY"),
    weight=0.34,
    mrn_label="MRN",
)
HORIZON = ClientDef(
    id="blue-horizon-health-plan",
    name="Blue Horizon Health Plan, Inc.",
    kind="health_plan",
    org_names=("Blue Horizon Health Plan", "Blue Horizon", "BHHP"),
    home_states=("MI", "IN", "IL", "WI"),
    weight=0.34,
    mrn_label="Member ID",
    products=(
        "Blue Horizon PPO Gold",
        "Blue Horizon HMO Silver",
        "Blue Horizon Medicare Advantage HMO",
        "Blue Horizon Medicaid Managed Care",
    ),
)
LAKESHORE = ClientDef(
    id="lakeshore-physicians",
    name="Lakeshore Physicians Group, P.C.",
    kind="provider",
    org_names=("Lakeshore Physicians Group", "Lakeshore Physicians", "LPG"),
    home_states=("WI", "IL", "MN"),
    weight=0.2,
    mrn_label="Chart #",
)
TRICOUNTY = ClientDef(
    id="tri-county-labs",
    name="Tri-County Clinical Laboratories",
    kind="provider",
    org_names=("Tri-County Clinical Laboratories", "Tri-County Labs", "TCCL"),
    home_states=("TX", "OK", "AR", "LA"),
    weight=0.12,
    mrn_label="Patient ID",
)

CLIENTS: tuple[ClientDef, ...] = (MERCY, HORIZON, LAKESHORE, TRICOUNTY)
BY_ID: dict[str, ClientDef] = {c.id: c for c in CLIENTS}
SHARED_FOLDER = "_keystone-shared"
