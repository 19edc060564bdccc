"""The ``[notify]`` table of the case file: contacts, credit monitoring, prices, letter facts.

Every key is optional; the defaults give a complete set of deliverables that counsel then
reviews. The table is validated here (case.py keeps only the top-level key) and every
problem is reported at once as a :class:`~breachscope.errors.CaseFileError`.

```toml
[notify]
letter_date = 2025-03-20          # date printed on letters (default: the day of the run)
signer_name = "Jane Roe"
signer_title = "Chief Privacy Officer"
vendor_service = "medical coding" # how the letter describes the business associate's work
what_happened = ""                # replaces the standard "What Happened" paragraph
actions_taken = ["..."]           # what the entities did (letters, HHS report, AG notices)
safeguards = ["..."]              # HHS "safeguards in place prior to the breach"
breach_type = "Hacking/IT Incident"
locations = ["Network Server"]    # HHS "location of breached information" (default: derived)
batch_size = 500                  # letters per PDF batch
docx_per_letter = false           # also write one DOCX per letter (big cases: leave false)

[notify.contact]                  # the call centre and other contact procedures
phone = "1-888-555-0100"          # toll-free (default: reporting_entity.phone)
hours = "Monday through Friday, 9:00 a.m. to 9:00 p.m. Eastern Time, excluding holidays"
email = ""; website = ""; postal = ""   # defaults: reporting_entity's
name = ""; title = ""             # HHS point of contact

[notify.credit_monitoring]
vendor = "Experian IdentityWorks"
url = "https://www.experianidworks.com/credit"
phone = "1-877-555-0199"
enrol_by = 2025-06-30             # default: 90 days after the letter date
offer_all = false                 # offer everyone, not only those a state law requires

[notify.prices]                   # unit prices in US dollars for the cost forecast
print_per_letter = 0.45
print_per_extra_page = 0.10
postage_per_letter = 0.73
call_rate = 0.10                  # share of letters that lead to a call
cost_per_call = 6.50
cm_enrolment_rate = 0.15          # share of offered people who enrol
cm_cost_per_month = 1.25          # per enrolled person per month
media_release_each = 450.0
substitute_posting_each = 0.0
```
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from breachscope.case import Case
from breachscope.errors import CaseFileError

DEFAULT_ACTIONS: tuple[str, ...] = (
    "took the affected systems offline and secured its network",
    "engaged independent cybersecurity experts to investigate",
    "reported the incident to law enforcement",
    "reset credentials and added multi-factor authentication and enhanced monitoring",
    "reviewed the files involved to identify the people and information affected",
)

DEFAULT_PRICES: dict[str, float] = {
    "print_per_letter": 0.45,
    "print_per_extra_page": 0.10,
    "postage_per_letter": 0.73,
    "call_rate": 0.10,
    "cost_per_call": 6.50,
    "cm_enrolment_rate": 0.15,
    "cm_cost_per_month": 1.25,
    "media_release_each": 450.0,
    "substitute_posting_each": 0.0,
}
_RATES = ("call_rate", "cm_enrolment_rate")

_TOP_KEYS = {
    "letter_date",
    "signer_name",
    "signer_title",
    "vendor_service",
    "what_happened",
    "actions_taken",
    "safeguards",
    "breach_type",
    "locations",
    "batch_size",
    "docx_per_letter",
    "contact",
    "credit_monitoring",
    "prices",
}
_CONTACT_KEYS = {"phone", "hours", "email", "website", "postal", "name", "title"}
_CM_KEYS = {"vendor", "url", "phone", "enrol_by", "offer_all"}

BREACH_TYPES = (
    "Hacking/IT Incident",
    "Unauthorized Access/Disclosure",
    "Theft",
    "Loss",
    "Improper Disposal",
    "Other",
)
LOCATIONS = (
    "Desktop Computer",
    "Electronic Medical Record",
    "Email",
    "Laptop",
    "Network Server",
    "Other Portable Electronic Device",
    "Paper/Films",
    "Other",
)


@dataclass(frozen=True)
class Contact:
    phone: str
    hours: str
    email: str
    website: str
    postal: str
    name: str
    title: str


@dataclass(frozen=True)
class CreditMonitoringOffer:
    vendor: str
    url: str
    phone: str
    enrol_by: dt.date
    offer_all: bool


@dataclass(frozen=True)
class NotifyConfig:
    letter_date: dt.date
    signer_name: str
    signer_title: str
    vendor_service: str
    what_happened: str
    actions_taken: tuple[str, ...]
    safeguards: tuple[str, ...]
    breach_type: str
    locations: tuple[str, ...]
    batch_size: int
    docx_per_letter: bool
    contact: Contact
    credit_monitoring: CreditMonitoringOffer
    prices: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # what to fix before mailing (not fatal)


class _Check:
    def __init__(self) -> None:
        self.problems: list[tuple[int | None, str]] = []

    def get(self, d: dict[str, Any], where: str, key: str, kind: type, default: Any) -> Any:
        if key not in d:
            return default
        v = d[key]
        ok = isinstance(v, kind) and not (isinstance(v, bool) and kind is not bool)
        if kind is dt.date and isinstance(v, dt.datetime):
            ok = False
        if kind is float and isinstance(v, int) and not isinstance(v, bool):
            return float(v)
        if not ok:
            self.problems.append((None, f"'{where}.{key}' must be {_kind_name(kind)}"))
            return default
        return v

    def texts(self, d: dict[str, Any], where: str, key: str, default: tuple[str, ...]) -> Any:
        v = self.get(d, where, key, list, None)
        if v is None:
            return default
        if not all(isinstance(x, str) and x.strip() for x in v):
            self.problems.append((None, f"'{where}.{key}' must be a list of non-empty strings"))
            return default
        return tuple(v)

    def table(self, d: dict[str, Any], where: str, key: str, known: set[str]) -> dict[str, Any]:
        t = self.get(d, where, key, dict, {})
        for k in t:
            if k not in known:
                self.problems.append((None, f"unknown key '{where}.{key}.{k}'"))
        return dict(t)


def _kind_name(kind: type) -> str:
    return {
        str: "a string",
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a table",
        dt.date: "a date (YYYY-MM-DD)",
    }.get(kind, kind.__name__)


def load_notify_config(case: Case, *, today: dt.date | None = None) -> NotifyConfig:
    """Read and validate ``[notify]`` from the case file (absent table = all defaults)."""
    c = _Check()
    raw = case.raw.get("notify", {})
    if not isinstance(raw, dict):
        raise CaseFileError(str(case.path), [(None, "'notify' must be a table")])
    for k in raw:
        if k not in _TOP_KEYS:
            c.problems.append((None, f"unknown key 'notify.{k}'"))
    rep = case.reporting_entity
    signer_name = c.get(raw, "notify", "signer_name", str, "")
    letter_date = c.get(raw, "notify", "letter_date", dt.date, today or dt.date.today())

    ct = c.table(raw, "notify", "contact", _CONTACT_KEYS)
    contact = Contact(
        phone=c.get(ct, "notify.contact", "phone", str, rep.phone),
        hours=c.get(
            ct,
            "notify.contact",
            "hours",
            str,
            "Monday through Friday, 9:00 a.m. to 6:00 p.m. Eastern Time, excluding major U.S. holidays",
        ),
        email=c.get(ct, "notify.contact", "email", str, rep.email),
        website=c.get(ct, "notify.contact", "website", str, rep.website),
        postal=c.get(ct, "notify.contact", "postal", str, rep.address),
        name=c.get(ct, "notify.contact", "name", str, ""),
        title=c.get(ct, "notify.contact", "title", str, ""),
    )
    warnings: list[str] = []
    if not (contact.phone or contact.email or contact.website or contact.postal):
        # Not fatal (a first run only needs counts), but no letter may be mailed like this.
        warnings.append(
            "letters need a contact procedure (§ 164.404(c)(1)(E)): set "
            "'notify.contact.phone' (toll-free), email, website or postal address"
        )
        contact = dataclasses.replace(contact, phone="[TOLL-FREE NUMBER]")
    if not contact.phone:
        warnings.append("no toll-free number: set 'notify.contact.phone'")
    if not signer_name:
        warnings.append("letters are unsigned: set 'notify.signer_name' and 'signer_title'")

    cmt = c.table(raw, "notify", "credit_monitoring", _CM_KEYS)
    cm = CreditMonitoringOffer(
        vendor=c.get(
            cmt, "notify.credit_monitoring", "vendor", str, "our identity-protection provider"
        ),
        url=c.get(cmt, "notify.credit_monitoring", "url", str, contact.website),
        phone=c.get(cmt, "notify.credit_monitoring", "phone", str, contact.phone),
        enrol_by=c.get(
            cmt,
            "notify.credit_monitoring",
            "enrol_by",
            dt.date,
            letter_date + dt.timedelta(days=90),
        ),
        offer_all=c.get(cmt, "notify.credit_monitoring", "offer_all", bool, False),
    )

    pt = c.table(raw, "notify", "prices", set(DEFAULT_PRICES))
    prices = dict(DEFAULT_PRICES)
    for k in DEFAULT_PRICES:
        v = c.get(pt, "notify.prices", k, float, DEFAULT_PRICES[k])
        if v < 0 or (k in _RATES and v > 1):
            rng = "between 0 and 1" if k in _RATES else "0 or more"
            c.problems.append((None, f"'notify.prices.{k}' must be {rng}"))
            v = DEFAULT_PRICES[k]
        prices[k] = float(v)

    breach_type = c.get(raw, "notify", "breach_type", str, "Hacking/IT Incident")
    if breach_type not in BREACH_TYPES:
        c.problems.append((None, f"'notify.breach_type' must be one of: {', '.join(BREACH_TYPES)}"))
    locations = c.texts(raw, "notify", "locations", ())
    for loc in locations:
        if loc not in LOCATIONS:
            c.problems.append(
                (None, f"'notify.locations' entry '{loc}' is not one of: {', '.join(LOCATIONS)}")
            )
    batch_size = c.get(raw, "notify", "batch_size", int, 500)
    if batch_size < 1:
        c.problems.append((None, "'notify.batch_size' must be 1 or more"))
        batch_size = 500

    if c.problems:
        raise CaseFileError(str(case.path), c.problems)
    return NotifyConfig(
        letter_date=letter_date,
        signer_name=signer_name,
        signer_title=c.get(raw, "notify", "signer_title", str, ""),
        vendor_service=c.get(raw, "notify", "vendor_service", str, ""),
        what_happened=c.get(raw, "notify", "what_happened", str, ""),
        actions_taken=c.texts(raw, "notify", "actions_taken", DEFAULT_ACTIONS),
        safeguards=c.texts(raw, "notify", "safeguards", ()),
        breach_type=breach_type,
        locations=locations,
        batch_size=batch_size,
        docx_per_letter=c.get(raw, "notify", "docx_per_letter", bool, False),
        contact=contact,
        credit_monitoring=cm,
        prices=prices,
        warnings=tuple(warnings),
    )
