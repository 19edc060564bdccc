"""Individual notices: the per-person context, HTML, PDF batches and single re-renders.

A letter is built from one :class:`~breachscope.notify.people.Recipient` (an individual as
one covered entity knows them) and the run's :class:`LetterSetup`. The context is plain
data, so batches can be rendered in worker processes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import duckdb
from markupsafe import Markup

from breachscope.case import Case
from breachscope.categories import PLAIN_WORDS
from breachscope.errors import BreachscopeError
from breachscope.notify.address import mail_address
from breachscope.notify.config import NotifyConfig, load_notify_config
from breachscope.notify.contacts import ANNUAL_CREDIT_REPORT, CREDIT_BUREAUS, FTC
from breachscope.notify.duties import Duty, load_duties
from breachscope.notify.people import UNATTRIBUTED, Recipient, iter_recipients
from breachscope.notify.render import html_to_pdf, render, render_document, stylesheet
from breachscope.notify.rules import LetterRules, law_enforcement_delay, letter_rules

_SALT_KEY = "notify.enrolment_salt"
_CROCKFORD = str.maketrans("ILOU", "1100")  # unambiguous code alphabet


@dataclass(frozen=True)
class Sender:
    client_id: str
    client_name: str
    ba: bool  # the breach happened at a business associate of the sender
    vendor_name: str
    vendor_role: str
    return_lines: tuple[str, ...]


@dataclass
class LetterSetup:
    """What every letter of a run shares."""

    cfg: NotifyConfig
    discovery: dt.date
    access_start: dt.date | None
    access_end: dt.date | None
    le_delay: bool
    senders: dict[str, Sender]
    duties: dict[str, list[Duty]]  # by client
    client_counts: dict[str, int]
    salt: bytes
    _rules: dict[tuple[str, str], LetterRules] = field(default_factory=dict)

    def rules(self, client_id: str, state: str) -> LetterRules:
        key = (client_id, state)
        if key not in self._rules:
            self._rules[key] = letter_rules(state, self.duties.get(client_id, []))
        return self._rules[key]

    def has_regulator_duties(self, client_id: str) -> bool:
        return any(
            d.recipient in ("attorney_general", "regulator") for d in self.duties.get(client_id, [])
        )


def enrolment_salt(con: duckdb.DuckDBPyConnection) -> bytes:
    """A random per-case secret kept in the (encrypted) store, so codes re-render the same."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [_SALT_KEY]).fetchone()
    if row and row[0]:
        return bytes.fromhex(str(row[0]))
    salt = secrets.token_bytes(16)
    con.execute("INSERT INTO meta VALUES (?, ?)", [_SALT_KEY, salt.hex()])
    return salt


def enrolment_code(salt: bytes, client_id: str, individual_id: str) -> str:
    """A unique, unguessable activation code, e.g. 'K7QF-3M9X-TB2C'."""
    mac = hmac.new(salt, f"{client_id}\x1f{individual_id}".encode(), hashlib.sha256).digest()
    text = base64.b32encode(mac).decode("ascii").translate(_CROCKFORD)[:12]
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


def _sender(case: Case, cfg: NotifyConfig, client_id: str) -> Sender:
    rep = case.reporting_entity
    try:
        client = case.client(client_id)
        name = client.name
    except KeyError:
        client = None
        name = rep.name
    ba = rep.role == "business_associate" and client is not None and name != rep.name
    service = f"{cfg.vendor_service} services" if cfg.vendor_service else "services"
    postal = cfg.contact.postal
    return_lines = (f"Return mail: {postal}",) if postal else ()
    return Sender(
        client_id=client_id,
        client_name=name,
        ba=ba,
        vendor_name=rep.name,
        vendor_role=f"a vendor that provides {service} to {name}",
        return_lines=return_lines,
    )


def prepare(
    case: Case, con: duckdb.DuckDBPyConnection, cfg: NotifyConfig | None = None
) -> LetterSetup:
    """Read what all letters share: config, duties per client, counts, the code secret."""
    cfg = cfg or load_notify_config(case)
    duties: dict[str, list[Duty]] = {}
    for d in load_duties(con):
        duties.setdefault(d.client_id, []).append(d)
    counts = {
        str(k): int(v)
        for k, v in con.execute(
            "SELECT coalesce(c, ?), count(*) FROM (SELECT unnest(CASE WHEN "
            "len(coalesce(client_ids, [])) = 0 THEN [NULL] ELSE client_ids END) AS c "
            "FROM individuals) GROUP BY 1",
            [UNATTRIBUTED],
        ).fetchall()
    }
    senders = {c.id: _sender(case, cfg, c.id) for c in case.clients}
    senders[UNATTRIBUTED] = _sender(case, cfg, UNATTRIBUTED)
    delayed, _start = law_enforcement_delay(case.raw)
    inc = case.incident
    return LetterSetup(
        cfg=cfg,
        discovery=inc.discovery_date,
        access_start=inc.access_start,
        access_end=inc.access_end,
        le_delay=delayed,
        senders=senders,
        duties=duties,
        client_counts=counts,
        salt=enrolment_salt(con),
    )


def _window(start: dt.date | None, end: dt.date | None, discovery: dt.date) -> str:
    from breachscope.notify.render import long_date

    if start and end and start != end:
        return f"between {long_date(start)} and {long_date(end)}"
    if start or end:
        return f"on {long_date(start or end)}"
    return f"on or before {long_date(discovery)}"


def _advice(elements: tuple[str, ...], your: str, addressee: str) -> list[str]:
    e = set(elements)
    out: list[str] = []
    if "ssn" in e:
        out.append(
            f"Because {your} Social Security number was involved, consider placing a free fraud "
            "alert or security freeze with the three credit bureaus (see the enclosure)."
        )
    if "drivers_license" in e:
        out.append(
            "Contact your state motor vehicle agency if you suspect that the driver's license "
            "or state ID number has been misused."
        )
    if "passport" in e:
        out.append(
            "Report suspected misuse of a passport number to the U.S. Department of State "
            "(travel.state.gov)."
        )
    if e & {"payment_card", "bank_account"}:
        out.append(
            "Contact the bank or card issuer, tell them about this notice, and ask whether the "
            "account should be closed or monitored."
        )
    if "username_password" in e:
        out.append(
            "Change the password and security questions or answers for the account involved, "
            "and for any other account that uses the same user name or password."
        )
    if e & {"member_id", "health_plan"}:
        out.append(
            f"Contact the health plan to ask whether a new member ID number can be issued, and "
            f"review the claims paid under {your} coverage."
        )
    if "biometric" in e:
        out.append(
            "Biometric data cannot be changed like a password. If the same biometric data (for "
            "example, a fingerprint) is used with other services, tell those services that it "
            "may have been exposed."
        )
    if "email" in e or "phone" in e:
        out.append(
            "Be cautious of unexpected e-mails, texts or calls that mention this incident or ask "
            "for personal or payment information. We will not contact you to ask for it."
        )
    return out


def letter_context(setup: LetterSetup, r: Recipient) -> dict[str, Any]:
    """Everything the letter template needs for one person (plain, picklable data)."""
    cfg = setup.cfg
    sender = setup.senders.get(r.client_id) or next(iter(setup.senders.values()))
    rules = setup.rules(r.client_id, r.state)
    addressee = r.addressee
    name = r.full_name
    if addressee == "minor":
        info_of, your, protect = "some of your child's information", "your child's", "your child"
        salutation = f"To the parent or guardian of {name}:"
        top = f"TO THE PARENT OR GUARDIAN OF {name.upper()}"
    elif addressee == "deceased":
        info_of, your = f"some information about {name}", f"{name}'s"
        protect = f"{name}'s identity"
        salutation = f"To the family or estate of {name}:"
        top = f"TO THE FAMILY OR ESTATE OF {name.upper()}"
    else:
        info_of, your, protect = "some of your information", "your", "yourself"
        salutation = f"Dear {name}:"
        top = ""
    addr = mail_address(r.street, r.city, r.state, r.zip)
    envelope = [x for x in (top, name.upper(), addr.line1, addr.line2, addr.last_line) if x]
    if not r.deliverable:
        envelope = [x for x in (top, name.upper()) if x]

    cm_owed = rules.cm_months is not None and bool(set(r.elements) & rules.cm_elements)
    cm: dict[str, Any] | None = None
    months = rules.cm_months if cm_owed else (12 if cfg.credit_monitoring.offer_all else None)
    if months:
        offer = cfg.credit_monitoring
        cm = {
            "months": max(months, rules.cm_months or 0)
            if cfg.credit_monitoring.offer_all
            else months,
            "required": cm_owed,
            "citation": rules.cm_citation if cm_owed else "",
            "vendor": offer.vendor,
            "url": offer.url,
            "phone": offer.phone,
            "enrol_by": offer.enrol_by,
            "code": enrolment_code(setup.salt, r.client_id, r.individual_id),
            "whom": {"adult": "you", "minor": "your child"}.get(addressee, f"{name}'s estate"),
        }
    variant = addressee
    if rules.state_specific:
        variant += f"-{rules.state}"
    if cm:
        variant += f"-cm{cm['months']}"
    if not r.deliverable:
        variant += "-noaddr"

    return {
        "letter_id": r.letter_id,
        "individual_id": r.individual_id,
        "client_id": r.client_id,
        "variant": variant,
        "addressee": addressee,
        "letter_date": cfg.letter_date,
        "sender": _shared(sender),
        "envelope_lines": envelope,
        "mail": asdict(addr),
        "name": name,
        "state": r.state,
        "deliverable": r.deliverable,
        "is_minor": r.is_minor,
        "is_deceased": r.is_deceased,
        "salutation": salutation,
        "info_of": info_of,
        "your": your,
        "protect_whom": protect,
        "omit_description": rules.omit_description,
        "what_happened": cfg.what_happened,
        "dates": {
            "discovery": setup.discovery,
            "window": _window(setup.access_start, setup.access_end, setup.discovery),
        },
        "count": setup.client_counts.get(r.client_id, 0) if rules.include_count else 0,
        "le_delay": setup.le_delay,
        "elements": list(r.elements),
        "element_words": [PLAIN_WORDS[e] for e in r.elements] or ["information"],
        "actions": list(cfg.actions_taken),
        "regulators": setup.has_regulator_duties(r.client_id),
        "cm": cm,
        "advice": _advice(r.elements, your, addressee),
        "contact": _shared(cfg.contact),
        "signer": {"name": cfg.signer_name, "title": cfg.signer_title},
        "rules": {
            "state": rules.state,
            "state_name": rules.state_name,
            "state_agencies": [_shared(a) for a in rules.state_agencies],
            "name_state_ag": rules.name_state_ag,
            "fcra_rights": rules.fcra_rights,
        },
        "bureaus": [_shared(b) for b in CREDIT_BUREAUS],
        "ftc": _shared(FTC),
        "annual": _shared(ANNUAL_CREDIT_REPORT),
    }


@lru_cache(maxsize=256)
def _fields_of(record: Any) -> dict[str, Any]:
    return asdict(record)


def _shared(record: Any) -> dict[str, Any]:
    """``asdict`` of a frozen record every letter of a run repeats (sender, contact,
    agencies, bureaus), built once and shared by the letters' contexts, which only read
    it (``placeholder_context`` deep-copies before it writes). ``asdict`` per letter was
    14 % of notify at 1 M people (py-spy)."""
    try:
        return _fields_of(record)
    except TypeError:  # a field that cannot be hashed
        return asdict(record)


def letter_body(ctx: dict[str, Any]) -> str:
    """The HTML of one letter (a ``<section>``), as golden files record it."""
    return render("notify/letter_body.html", **ctx)


def letters_html(bodies: Iterable[str], title: str = "Notice of Data Breach") -> str:
    """A printable HTML document holding one or more letters."""
    return render(
        "notify/letters.html",
        title=title,
        css=Markup(stylesheet("letter.css")),
        bodies=[Markup(b) for b in bodies],
    )


_GUIDE = '<div class="guide">'
_GUIDE_REF = re.compile(r'<p class="guide-ref">.*?</p>\s*', re.S)


def _split_guide(body: str) -> tuple[str, str | None]:
    """A letter's own pages, and its enclosure ("Steps you can take") as a section of its
    own without the letter's reference. The enclosure depends only on the addressee kind
    and the state's rules, so a batch renders each distinct one once."""
    i = body.find(_GUIDE)
    if i < 0:
        return body, None
    letter = body[:i] + "</section>"
    guide = '<section class="letter enclosure" id="enclosure">' + _GUIDE_REF.sub("", body[i:], 1)
    return letter, guide


def render_batch(contexts: list[dict[str, Any]]) -> tuple[bytes, list[tuple[int, int]]]:
    """One PDF for many letters, and each letter's (first, last) page, 1-based.

    WeasyPrint lays out each letter; the enclosures, identical for many letters, are laid
    out once per batch and copied in after each letter (pypdfium2), which makes a batch
    about three times faster than laying out every enclosure again."""
    import pypdfium2 as pdfium

    parts = [_split_guide(letter_body(c)) for c in contexts]
    doc = render_document(letters_html(p for p, _ in parts))
    first: dict[str, int] = {}
    for n, page in enumerate(doc.pages, start=1):
        for anchor in page.anchors:
            first.setdefault(anchor, n)
    ids = [c["letter_id"] for c in contexts]
    starts = [first[i] for i in ids]
    ends = [*(s - 1 for s in starts[1:]), len(doc.pages)]
    letters_pdf = pdfium.PdfDocument(bytes(doc.write_pdf()))
    guides: dict[str, pdfium.PdfDocument] = {}
    out = pdfium.PdfDocument.new()
    ranges: list[tuple[int, int]] = []
    for (_, guide), s0, e0 in zip(parts, starts, ends, strict=True):
        begin = len(out) + 1
        out.import_pages(letters_pdf, list(range(s0 - 1, e0)))
        if guide is not None:
            if guide not in guides:
                guides[guide] = pdfium.PdfDocument(bytes(html_to_pdf(letters_html([guide]))))
            out.import_pages(guides[guide])
        ranges.append((begin, len(out)))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue(), ranges


def recipient_contexts(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    individual_id: str,
    client_id: str | None = None,
    setup: LetterSetup | None = None,
) -> list[dict[str, Any]]:
    setup = setup or prepare(case, con)
    found = [
        r
        for r in iter_recipients(con, individual_id=individual_id)
        if client_id is None or r.client_id == client_id
    ]
    if not found:
        raise BreachscopeError(
            "no letter for that individual",
            hint="check the individual id (and client id) against out/individuals.csv",
        )
    return [letter_context(setup, r) for r in found]


def render_letter(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    individual_id: str,
    client_id: str | None = None,
) -> bytes:
    """Re-render one person's letter as PDF (all their clients' letters, unless one is named)."""
    ctxs = recipient_contexts(case, con, individual_id, client_id)
    return html_to_pdf(letters_html(letter_body(c) for c in ctxs))
