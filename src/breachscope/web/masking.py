"""How PHI is shown until someone with the right role reveals it, one field at a time."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# Fields a reviewer can reveal; everything else is shown as stored (names, city, state, ZIP).
REVEALABLE = ("ssn", "dob", "street", "phone", "email", "member_id", "mrn")
FIELD_LABELS: dict[str, str] = {
    "ssn": "SSN",
    "dob": "Date of birth",
    "street": "Street",
    "phone": "Phone",
    "email": "E-mail",
    "member_id": "Member ID",
    "mrn": "MRN",
}
DOT = "\u2022"


def mask_ssn(value: str | None) -> str:
    digits = re.sub(r"\D", "", value or "")
    return f"***-**-{digits[-4:]}" if len(digits) >= 4 else ""


def mask_dob(value: dt.date | str | None) -> str:
    if value is None or value == "":
        return ""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return f"{text[:4]}-**-**" if len(text) >= 4 else "****"


def mask_street(value: str | None) -> str:
    return f"{DOT * 6} (masked)" if value else ""


def mask_tail(value: str | None, keep: int = 4) -> str:
    """Identifiers: only the last few characters stay (member IDs, MRNs, phones)."""
    v = (value or "").strip()
    if not v:
        return ""
    if len(v) <= keep + 2:
        return DOT * len(v)
    return DOT * 4 + v[-keep:]


def mask_email(value: str | None) -> str:
    v = (value or "").strip()
    if "@" not in v:
        return mask_tail(v)
    local, _, domain = v.partition("@")
    tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
    return f"{local[:1]}{DOT * 3}@{DOT * 3}.{tld}"


def mask(field: str, value: Any) -> str:
    """The masked form of one revealable field."""
    if field == "ssn":
        return mask_ssn(value)
    if field == "dob":
        return mask_dob(value)
    if field == "street":
        return mask_street(value)
    if field == "email":
        return mask_email(value)
    return mask_tail(None if value is None else str(value))


def plain(value: Any) -> str:
    """The revealed form: dates as ISO, SSNs with dashes."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if re.fullmatch(r"\d{9}", text):
        return f"{text[:3]}-{text[3:5]}-{text[5:]}"
    return text
