"""The fixed vocabulary of exposed-element categories (DESIGN.md §3.1).

Everything that reports "what was exposed" speaks in these names. Detectors may also
emit *auxiliary* findings (a date of death, a gender, an organisation name, the last four
digits of an SSN) that help link and attribute people but are never counted as exposed
elements.
"""

from __future__ import annotations

from typing import Final

ELEMENTS: Final[tuple[str, ...]] = (
    "name",
    "address",
    "email",
    "phone",
    "dob",
    "ssn",
    "drivers_license",
    "passport",
    "health_plan",
    "member_id",
    "mrn",
    "provider",
    "diagnosis",
    "medication",
    "test_result",
    "imaging",
    "procedure",
    "payment_card",
    "bank_account",
    "username_password",
    "biometric",
)
ELEMENT_SET: Final[frozenset[str]] = frozenset(ELEMENTS)

# Auxiliary finding kinds: used to link and attribute, never reported as exposed.
AUX: Final[tuple[str, ...]] = (
    "ssn_last4",  # truncated SSN: kept apart, never a full SSN
    "date_of_death",
    "deceased",  # a flag column / "Deceased" status
    "gender",
    "organization",  # client / payer / facility name or ID seen beside a person
    "service_date",
    "other_date",
)
AUX_SET: Final[frozenset[str]] = frozenset(AUX)
ALL_KINDS: Final[frozenset[str]] = ELEMENT_SET | AUX_SET

# Fields a finding can carry within its category, so that a name or an address split
# over several columns (or parsed from one) keeps its parts.
NAME_FIELDS: Final[tuple[str, ...]] = ("full", "first", "middle", "last", "suffix", "prefix")
ADDRESS_FIELDS: Final[tuple[str, ...]] = (
    "full",
    "street",
    "line2",
    "city",
    "state",
    "zip",
    "country",
)

# HHS OCR breach portal "type of PHI" groups.
HHS_GROUPS: Final[dict[str, str]] = {
    "name": "Demographic",
    "address": "Demographic",
    "email": "Demographic",
    "phone": "Demographic",
    "dob": "Demographic",
    "ssn": "Demographic",
    "drivers_license": "Demographic",
    "passport": "Demographic",
    "health_plan": "Demographic",
    "member_id": "Demographic",
    "mrn": "Demographic",
    "provider": "Clinical",
    "diagnosis": "Clinical",
    "medication": "Clinical",
    "test_result": "Clinical",
    "imaging": "Clinical",
    "procedure": "Clinical",
    "payment_card": "Financial",
    "bank_account": "Financial",
    "username_password": "Other",
    "biometric": "Other",
}

# Plain words for letters and reports.
PLAIN_WORDS: Final[dict[str, str]] = {
    "name": "name",
    "address": "address",
    "email": "e-mail address",
    "phone": "telephone number",
    "dob": "date of birth",
    "ssn": "Social Security number",
    "drivers_license": "driver's license or state ID number",
    "passport": "passport number",
    "health_plan": "health insurance plan name",
    "member_id": "health insurance member or subscriber ID number",
    "mrn": "medical record number",
    "provider": "treating provider's name",
    "diagnosis": "diagnosis or condition information",
    "medication": "medication information",
    "test_result": "laboratory test results",
    "imaging": "imaging (radiology) information",
    "procedure": "treatment or procedure information",
    "payment_card": "payment card number",
    "bank_account": "bank account information",
    "username_password": "username and password",
    "biometric": "biometric data",
}


def is_element(kind: str) -> bool:
    """True when ``kind`` is one of the exposed-element categories."""
    return kind in ELEMENT_SET
