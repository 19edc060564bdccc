"""How the reference's "personal information" tokens map onto our element categories.

The reference (``jurisdictions.json``) names statutory elements in its own tokens
(``drivers_license_or_state_id``, ``financial_account_with_code`` …). Each token becomes a
list of *combinations*: sets of element categories (DESIGN.md §3.1) that must all have been
exposed. A token with no category in our vocabulary (``military_id``, ``genetic`` …) maps to
no combination and is listed as ``not_mapped`` in the jurisdiction file, so a reader sees
what the engine cannot test.

Choices worth knowing (documented in docs/jurisdictions.md):

* "with code" financial elements need an account number *and* an access credential. Our
  only credential category is ``username_password``, so ``payment_card`` alone does not
  meet ``financial_account_with_code``; it does meet ``payment_card_without_code``.
* "medical information" = history, condition, treatment or diagnosis by a health-care
  professional: ``diagnosis, medication, test_result, imaging, procedure, provider``.
* "health insurance information" = policy / subscriber number or insurer's unique
  identifier: ``member_id`` (a plan *name* alone is not a number).
"""

from __future__ import annotations

from typing import Final

MEDICAL: Final[tuple[str, ...]] = (
    "diagnosis",
    "medication",
    "test_result",
    "imaging",
    "procedure",
    "provider",
)

# token -> combinations (each a tuple of categories that must all be exposed)
TOKEN_COMBOS: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "ssn": (("ssn",),),
    "drivers_license_or_state_id": (("drivers_license",),),
    "passport": (("passport",),),
    "military_id": (),
    "student_id": (),
    "taxpayer_id": (),
    "irs_ip_pin": (),
    "other_government_id": (),
    "tribal_id": (),
    "financial_account_with_code": (
        ("bank_account", "username_password"),
        ("payment_card", "username_password"),
    ),
    "payment_card_without_code": (("payment_card",),),
    "financial_account_without_code": (("bank_account",), ("payment_card",)),
    "account_access_codes": (("username_password",),),
    "routing_code_with_code": (("bank_account", "username_password"),),
    "medical_information": tuple((m,) for m in MEDICAL),
    "medical_information_hipaa_definition": (*((m,) for m in MEDICAL), ("mrn",)),
    "medical_information_state_agency_only": (),
    "medical_id_or_health_insurance_id": (("member_id",), ("mrn",)),
    "health_insurance_information": (("member_id",),),
    "health_information_identifying": (
        *((m,) for m in MEDICAL),
        ("member_id",),
        ("health_plan",),
        ("mrn",),
    ),
    "biometric": (("biometric",),),
    "genetic": (),
    "dob": (("dob",),),
    "mothers_maiden_name": (),
    "employer_id_with_code": (),
    "digital_signature": (),
    "private_key_esignature": (),
    "alpr_data": (),
    "shared_secrets_tokens": (("username_password",),),
    "birth_or_marriage_certificate": (),
    "tax_information": (),
    "work_evaluations": (),
    "username_email_with_password": (("username_password",),),
    "email_with_password_any_account": (("username_password",),),
}


def combos_for(tokens: list[str] | tuple[str, ...]) -> tuple[list[list[str]], list[str]]:
    """Combinations for a list of tokens (deduplicated, in order) and the unmapped tokens."""
    combos: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    unmapped: list[str] = []
    for tok in tokens:
        if tok not in TOKEN_COMBOS:
            raise KeyError(f"unknown personal-information token '{tok}'")
        mapped = TOKEN_COMBOS[tok]
        if not mapped:
            unmapped.append(tok)
        for combo in mapped:
            key = tuple(sorted(combo))
            if key not in seen:
                seen.add(key)
                combos.append(list(key))
    return combos, unmapped
