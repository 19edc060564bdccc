"""Column classification: heading + a sample of values + neighbouring columns → a plan.

The plan says, for each column worth reading, which category/field its values are, whose
they are (``subject``), how to read them (``mode``) and why. Columns are then read
column-wise by :mod:`breachscope.detect.table`.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from breachscope.detect import lexicon, normalize, validators
from breachscope.detect.address import parse_address
from breachscope.detect.headers import HeaderGuess, classify_header, header_tokens, is_synthetic
from breachscope.detect.person_names import first_rank, is_org_name, last_rank, looks_like_person

# Rows a caller hands to plan_table (callers slice ``rows[: SAMPLE + 12]``): whole tables
# up to the detect stage's chunk of 20,000 rows, the first 20,000 rows of bigger ones.
SAMPLE = 20_000
PROFILE = 200  # values profiled per column: its first HEAD non-empty values, then a stride
HEAD = 50

_SSN_FMT = re.compile(r"\d{3}-\d{2}-\d{4}")
_PHONE_FMT = re.compile(
    r"(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[.\- ])\d{3}[.\- ]\d{4}(?:\s*(?:x|ext\.?)\s*\d+)?", re.I
)
_MASKED = re.compile(r"(?:[Xx*#]{3}[- ]?[Xx*#]{2}[- ]?)?\d{4}")
_NDC_DASHED = re.compile(r"\d{4,5}-\d{3,4}-\d{1,2}")
# Letters of any script (``Østergaard``, ``يوسف``); digits and ``_`` are not letters.
_NAME_VALUE = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019.\- ,])*")
_DMY_HINT = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}")
# SAS / mainframe dates with nothing between the parts: 09JUL2012 (DATE9), 09JUL12 (DATE7).
_SAS_DATE = re.compile(r"(\d{1,2})([A-Za-z]{3})(\d{4}|\d{2})(?::\d\d:\d\d:\d\d(?:\.\d+)?)?")
# Eight digits with the year last (MMDDYYYY, or DDMMYYYY in a day-first column): pharmacy,
# payer and mainframe files. Read only when the digits are not a YYYYMMDD date, and only
# with a year of 1800-2099 (so no value reads both ways).
_COMPACT_YEAR_LAST = re.compile(r"(\d{2})(\d{2})((?:18|19|20)\d{2})")
_PLAN_NAME = re.compile(
    r"\b(?:PPO|HMO|EPO|POS|HDHP|PFFS|D-?SNP|Medicare|Medicaid|Medi-Cal|Advantage|Health\s+Plan|"
    r"Insurance|Blue\s+Cross|Blue\s+Shield|BCBS|Tricare|CHIP|Marketplace|Exchange)\b",
    re.I,
)
_ID_SHAPE = re.compile(r"(?=.*\d)[A-Z0-9][A-Z0-9\-]{4,19}", re.I)
_ICD_SHAPE = re.compile(r"[A-TV-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?", re.I)
_ID_WORDS = frozenset({"id", "number", "identifier", "code", "no", "key", "ref"})
_DRUGS = frozenset(lexicon.DRUGS)
_CONDS = frozenset(lexicon.CONDITIONS)
_PAYERS = frozenset(lexicon.PAYERS)
_GROUP_PRIORITY = (
    "patient",
    None,
    "member",
    "subscriber",
    "guarantor",
    "dependent",
    "spouse",
    "guardian",
    "contact",
)
_IDENTITY = frozenset(
    {"name", "ssn", "member_id", "mrn", "address", "phone", "email", "drivers_license"}
)
_PATIENT_SIGNALS = frozenset(
    {"dob", "ssn", "ssn_last4", "member_id", "mrn", "diagnosis", "procedure", "medication",
     "test_result", "imaging", "health_plan", "date_of_death", "deceased", "payment_card",
     "bank_account", "drivers_license", "passport"}
)  # fmt: skip
_STAFF_TABLE_WORDS = frozenset(
    {"department", "title", "position", "extension", "hire", "manager", "supervisor", "badge",
     "employee", "staff", "role", "job", "office", "shift"}
)  # fmt: skip
_PROVIDER_TABLE_WORDS = frozenset(
    {
        "npi",
        "specialty",
        "taxonomy",
        "credential",
        "credentials",
        "license",
        "dea",
        "accepting",
        "board",
    }
)


@dataclass(frozen=True)
class ColumnPlan:
    """How to read one column."""

    index: int
    header: str
    category: str
    field: str | None
    mode: str
    confidence: float
    why: str
    subject: str | None = None
    group: str | None = None
    date_order: str = "MDY"
    # The subscriber's value on a member's row (``SUBSCR_SSN`` beside ``MBR_NAME``): whose
    # it is follows the row's relationship code (see ``TablePlan.relation``).
    by_relation: bool = False


@dataclass(frozen=True)
class TablePlan:
    columns: tuple[ColumnPlan, ...]
    headers: tuple[str, ...]
    header_row_no: int | None = None  # rows at or above this row_no are not data
    role: str = "person"
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Column of the member's relationship to the subscriber, and its values that mean
    # "the member is the subscriber" (lower-cased); other values mean a dependant.
    relation: int | None = None
    relation_self: frozenset[str] = frozenset()


@dataclass
class Profile:
    """Fractions of sampled non-empty values that pass each shape/validator."""

    n: int = 0
    distinct: int = 0
    f: dict[str, float] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    date_order: str = "MDY"
    date_order_seen: bool = False  # a value proved the order (a day above 12)
    mean_len: float = 0.0

    def __getitem__(self, k: str) -> float:
        return self.f.get(k, 0.0)


def parse_date(
    s: str, *, order: str = "MDY", past: bool = False, today: dt.date | None = None
) -> dt.date | None:
    """:func:`normalize.parse_date`, plus SAS-style ``09JUL2012`` / ``09JUL12`` dates (and
    ``09JUL2012:00:00:00`` datetimes) that payer and statement extracts write with nothing
    between the parts, and ``MMDDYYYY`` (see ``_COMPACT_YEAR_LAST``)."""
    d = normalize.parse_date(s, order=order, past=past, today=today)
    if d is None and (m := _SAS_DATE.fullmatch(s.strip())):
        d = normalize.parse_date(f"{m[1]} {m[2]} {m[3]}", order=order, past=past, today=today)
    if d is None and (m := _COMPACT_YEAR_LAST.fullmatch(s.strip())):
        a, b = int(m[1]), int(m[2])
        if order == "DMY" or (a > 12 and b <= 12):
            a, b = b, a
        d = validators.real_date(int(m[3]), a, b)
    return d


def profile_values(values: list[str | None], today: dt.date) -> Profile:
    vals = [v.strip() for v in values if v is not None and not normalize.is_empty(v)][:PROFILE]
    p = Profile(n=len(vals), distinct=len(set(vals)))
    if not vals:
        return p
    p.mean_len = sum(len(v) for v in vals) / len(vals)
    # Each distinct value is classified once per process: the same names, dates and codes
    # recur across the columns and tables of a case (see value_shape).
    shapes = [value_shape(v) for v in vals]
    dmy = any(s.dmy for s in shapes)
    mdy = any(s.mdy for s in shapes)
    p.date_order = "DMY" if dmy and not mdy else "MDY"
    p.date_order_seen = dmy != mdy
    c = Counter(k for s in shapes for k in s.hits)
    for v, s in zip(vals, shapes, strict=True):
        if s.maybe_date and (year := _date_year(v, p.date_order, today)) is not None:
            c["date"] += 1
            p.years.append(year)
    p.f = {k: n / len(vals) for k, n in c.items()}
    tens = [s.ten6 for s in shapes if s.ten6 is not None]
    # Phone numbers vary in area code and exchange; record numbers count up from a prefix.
    p.f["ten_spread"] = len(set(tens)) / len(tens) if tens else 0.0
    return p


@dataclass(frozen=True, slots=True)
class ValueShape:
    """What one (stripped) value looks like to :func:`profile_values`: the shape and
    validator keys it passes (each at most once), apart from being a date, which depends
    on the column's date order."""

    hits: tuple[str, ...]
    dmy: bool  # a numeric date whose first part is a day above 12
    mdy: bool  # ... whose second part is
    maybe_date: bool  # worth a date parse
    ten6: str | None  # first six of exactly ten digits


_PAYER_PREFIXES = tuple(
    pp + " "
    for pp in (
        "aetna",
        "cigna",
        "humana",
        "anthem",
        "blue cross",
        "unitedhealthcare",
        "medicare",
        "medicaid",
        "kaiser",
        "molina",
    )
)


_HL7_NAME = re.compile(r"([^\W\d_][^^\d]*)\^([^^\d]+)(?:\^([^^\d]*))?(?:\^[^^\d]*)*")


def _name_view(v: str) -> str:
    """A value as the name lists read it: accents folded (``Ramírez, José`` is ``Ramirez,
    Jose`` to them) and an HL7 XPN name (``LAST^FIRST^MIDDLE^^``) as ``LAST, FIRST
    MIDDLE``. Only for classifying: the values read are the cells as written."""
    v = normalize.strip_accents(v)
    if "^" in v and (m := _HL7_NAME.fullmatch(v)):
        v = f"{m[1]}, {m[2]} {m[3] or ''}".strip()
    return v


@lru_cache(maxsize=1 << 16)
def value_shape(v: str) -> ValueShape:
    """The shape of one value; pure, so cached on the value (bounded)."""
    out: list[str] = []
    hit = out.append
    d = validators.digits(v)
    nd = len(d)
    compact = v.replace("-", "").replace(" ", "")
    # Most shapes need digits, and words (names, places, drugs) have none: those checks
    # are skipped for them. Each skip is exact: the check cannot pass without digits.
    if nd and _SSN_FMT.fullmatch(v) and validators.ssn_valid(d):
        hit("ssn_fmt")
    # Not gated on ``nd``: str.isdigit() also takes superscripts, which are not \d.
    numeric = compact.isdigit()
    if numeric:
        hit("numeric")
        if len(compact) == 9:
            hit("nine")
            if validators.ssn_valid(compact):
                hit("ssn9")
            if validators.aba_valid(compact):
                hit("aba")
        if len(compact) == 10:
            hit("ten")
            if validators.npi_valid(compact):
                hit("npi")
        if 12 <= len(compact) <= 19 and validators.card_network(compact):
            hit("card")
        if len(compact) == 5 and validators.cpt_like(compact):
            hit("cpt")
        if len(compact) == 5 and compact == v:
            hit("serial5")  # an Excel day number from 1927-05-18 on
    if nd == 4 and _MASKED.fullmatch(v):
        hit("last4")
    if "@" in v and normalize.email(v):
        hit("email")
    if nd >= 10 and _PHONE_FMT.fullmatch(v):
        hit("phone_fmt")
    # "+" numbers go to phonenumbers, which also reads letters (vanity numbers).
    if (nd >= 10 or v[:1] == "+") and normalize.phone_e164(v):
        hit("phone")
    if nd:
        if validators.mbi_valid(v):
            hit("mbi")
        if nd >= 9 and validators.hicn_valid(v):
            hit("hicn")
        head = v.split(" ", 1)[0]
        if _ICD_SHAPE.fullmatch(head) and validators.icd10cm_code(head):
            hit("icd")
        if validators.hcpcs_like(v) or validators.cpt_like(v):
            hit("cpt_or_hcpcs")
        if nd in (5, 9) and normalize.zip5(v):
            hit("zip")
    else:
        if normalize.state_code(v):  # state names and codes have no digits
            hit("state")
        if normalize.gender(v):
            hit("gender")
    if nd and _NDC_DASHED.fullmatch(v):
        hit("ndc_dashed")
        hit("ndc")
    elif numeric and len(compact) == 11:
        hit("ndc")
    if normalize.flag(v) is not None:
        hit("flag")
    nv = _name_view(v)
    if _NAME_VALUE.fullmatch(nv):
        hit("alpha")
        toks = nv.replace(",", " ").split()
        if len(toks) == 1:
            if first_rank(nv):
                hit("first_tok")
            if last_rank(nv):
                hit("last_tok")
            if len(nv.strip(".")) == 1:
                hit("initial")
        elif len(toks) <= 5 and looks_like_person(nv) >= 0.5:
            hit("person")
        if is_org_name(nv):
            hit("org")
    low = v.lower()
    if low in _DRUGS or low.split(" ", 1)[0] in _DRUGS:
        hit("drug")
    if low in _CONDS:
        hit("cond")
    if _PLAN_NAME.search(v) and not v[:1].isdigit():
        hit("plan_name")
    hint = _DMY_HINT.fullmatch(v) if nd else None
    if hint is None and nd == 8 and normalize.parse_date(v) is None and parse_date(v):
        hint = _COMPACT_YEAR_LAST.fullmatch(v)  # MMDDYYYY / DDMMYYYY: the order as above
    if nd and _ID_SHAPE.fullmatch(v) and not _SSN_FMT.fullmatch(v) and not hint:
        hit("id_shape")
    if low in _PAYERS or low.startswith(_PAYER_PREFIXES):
        hit("payer")
    if v[:1].isdigit() and any(ch.isalpha() for ch in v):
        a = parse_address(v)
        if a and "street" in a:
            hit("street")
            if "state" in a and "zip" in a:
                hit("full_addr")
    return ValueShape(
        tuple(out),
        dmy=bool(hint and int(hint[1]) > 12 and int(hint[2]) <= 12),
        mdy=bool(hint and int(hint[2]) > 12 and int(hint[1]) <= 12),
        # Every date parse_date reads has a digit in it.
        maybe_date=bool(nd),
        ten6=d[:6] if nd == 10 else None,
    )


@lru_cache(maxsize=1 << 16)
def _date_year(v: str, order: str, today: dt.date) -> int | None:
    d = parse_date(v, order=order, today=today)
    return None if d is None else d.year


# --------------------------------------------------------------------------- per column


def _known(i: int, h: str, g: HeaderGuess, p: Profile) -> ColumnPlan | None:
    """A column whose heading was recognised; the values confirm or redirect it."""
    kind, fld, conf = g.kind, g.field, g.confidence
    why = f"heading: {g.why}"

    def plan(cat: str, f: str | None, mode: str, c: float = conf, extra: str = "") -> ColumnPlan:
        return ColumnPlan(
            i,
            h,
            cat,
            f,
            mode,
            c,
            why + (f"; values: {extra}" if extra else ""),
            group=g.group,
            date_order=p.date_order,
        )

    if kind == "ssn":
        if p["ssn9"] >= 0.25 or (p["nine"] >= 0.5 and p["ssn9"] > 0):
            return plan(
                "ssn", None, "ssn", extra=f"{p['ssn9']:.0%} pass SSN area/group/serial rules"
            )
        if p["last4"] >= 0.8:
            return plan("ssn_last4", None, "last4", extra="last four digits only")
        return None
    if kind == "ssn_last4":
        return plan("ssn_last4", None, "last4") if p["last4"] >= 0.5 or p["ssn9"] >= 0.5 else None
    if kind == "dob":
        if p["date"] >= 0.25:
            return plan("dob", None, "dob", extra="dates")
        if p["serial5"] >= 0.8:
            # A sheet's date cells saved as numbers ("General"): 21188 is 1958-01-03.
            return plan("dob", None, "dob_serial", extra="Excel serial day numbers")
        return None
    if kind == "date_of_death":
        if p["date"] >= 0.3:
            return plan("date_of_death", None, "death_date", extra="dates")
        return plan("deceased", None, "flag", extra="yes/no flags") if p["flag"] >= 0.8 else None
    if kind == "deceased":
        if p["date"] >= 0.5:
            return plan("date_of_death", None, "death_date", extra="dates")
        return plan("deceased", None, "flag", extra="yes/no flags") if p["flag"] >= 0.6 else None
    if kind == "gender":
        return plan("gender", None, "gender") if p["gender"] >= 0.5 else None
    if kind == "email":
        return plan("email", None, "email") if p["email"] >= 0.3 else None
    if kind == "phone":
        return plan("phone", None, "phone") if p["phone"] >= 0.3 else None
    if kind == "date":
        if p["date"] < 0.5:
            return None
        cat = "service_date" if fld == "service" else "other_date"
        return plan(cat, None, "date", extra="dates")
    if kind in ("member_id", "mrn", "drivers_license", "passport"):
        if p["alpha"] >= 0.8 and p["numeric"] == 0 and kind != "drivers_license":
            return None  # words under an ID heading ("N/A", plan names): not an identifier
        return plan(kind, fld, "ident")
    if kind == "bank_account":
        if fld == "routing":
            return plan(kind, fld, "aba", extra="ABA checksum") if p["aba"] >= 0.5 else None
        return plan(kind, fld, "ident")
    if kind == "payment_card":
        return plan(kind, None, "card", extra="Luhn + IIN") if p["card"] >= 0.5 else None
    if kind == "username_password":
        return plan(kind, fld, "secret" if fld == "password" else "lower")
    if kind == "biometric":
        return plan(kind, None, "text")
    if kind == "diagnosis":
        if p["icd"] >= 0.5:
            return plan(kind, "icd10", "icd", extra="ICD-10-CM code set")
        return plan(kind, None, "text")
    if kind == "procedure":
        if p["cpt_or_hcpcs"] >= 0.5:
            return plan(kind, "cpt", "cpt", extra="CPT/HCPCS shape")
        return plan(kind, None, "text")
    if kind == "medication":
        if fld == "ndc" or p["ndc"] >= 0.8:
            return plan(kind, "ndc", "ndc")
        return plan(kind, None, "text")
    if kind in ("test_result", "imaging", "biometric"):
        return plan(kind, fld, "text")
    if kind == "health_plan":
        if fld == "id":
            return plan(kind, "id", "ident")
        return plan(kind, None, "payer")
    if kind == "organization":
        return plan(kind, fld, "ident" if fld in ("id", "npi") else "text")
    if kind == "provider":
        if fld == "npi" or p["npi"] >= 0.8:
            return plan(kind, "npi", "npi", extra="NPI Luhn") if p["npi"] >= 0.5 else None
        if fld == "name":
            if p["numeric"] >= 0.8:
                return plan(kind, "npi", "npi") if p["npi"] >= 0.5 else plan(kind, "id", "ident")
            return plan(kind, "name", "provider_name")
        return plan(kind, fld, "ident")
    if kind == "name":
        if p["alpha"] < 0.5:
            return None
        if p["org"] >= 0.5:
            return plan("organization", "name", "text", conf * 0.8, "organisation names")
        if fld == "full":
            return plan("name", "full", "name_full")
        return plan("name", fld, "name_part")
    if kind == "address":
        if fld == "street":
            if p["full_addr"] >= 0.5:
                return plan("address", "full", "address_full", extra="parsed as full addresses")
            return plan("address", "street", "street")
        if fld == "state":
            if p["state"] >= 0.5:
                return plan("address", "state", "state")
            if p["street"] >= 0.5:
                return plan("address", "street", "street")
            return None
        if fld == "zip":
            return plan("address", "zip", "zip") if p["zip"] >= 0.5 else None
        if fld == "city":
            return plan("address", "city", "city") if p["alpha"] >= 0.5 else None
        if fld == "line2":
            return plan("address", "line2", "line2")
        return None
    return None


def _by_values(i: int, h: str, g: HeaderGuess, p: Profile) -> ColumnPlan | None:
    """A column with no (or an unknown) heading: classified from its values alone."""
    if p.n < 2:
        return None
    generic = g.generic
    pre = (
        "no heading"
        if is_synthetic(h)
        else ("generic heading" if generic else "unrecognised heading")
    )

    def plan(cat: str, f: str | None, mode: str, c: float, extra: str) -> ColumnPlan:
        return ColumnPlan(
            i, h, cat, f, mode, c, f"{pre}; values: {extra}", group=g.group, date_order=p.date_order
        )

    if p["email"] >= 0.8:
        return plan("email", None, "email", 0.9, "e-mail syntax")
    if p["ssn_fmt"] >= 0.8:
        return plan("ssn", None, "ssn", 0.85, "formatted SSNs passing area/group/serial rules")
    if p["mbi"] >= 0.8:
        return plan("member_id", "mbi", "ident", 0.85, "CMS MBI format")
    if p["hicn"] >= 0.8 and p["nine"] == 0:
        return plan("member_id", "hicn", "ident", 0.75, "HICN format")
    if p["card"] >= 0.8:
        return plan("payment_card", None, "card", 0.85, "Luhn + IIN")
    if p["ten"] >= 0.9 and p["npi"] >= 0.9:
        return plan("provider", "npi", "npi", 0.7, "NPI Luhn (80840)")
    if p["phone_fmt"] >= 0.8:
        return plan("phone", None, "phone", 0.8, "formatted phone numbers")
    if p["date"] >= 0.8:
        return plan("other_date", None, "date", 0.5, "dates")
    if p["icd"] >= 0.8 and p["numeric"] == 0:
        return plan("diagnosis", "icd10", "icd", 0.75, "ICD-10-CM code set")
    if p["ndc_dashed"] >= 0.9:
        return plan("medication", "ndc", "ndc", 0.7, "NDC shape")
    if not (generic or is_synthetic(h)):
        if p["person"] >= 0.8 and p["org"] < 0.1:
            return plan("name", "full", "name_full", 0.6, "census name lists")
        return None
    # Shapes that need a generic heading to be trusted.
    if p["nine"] >= 0.95 and p["ssn9"] == 1.0 and p.n >= 10 and p["npi"] < 0.5:
        if p["aba"] >= 0.9:
            return plan("bank_account", "routing", "aba", 0.6, "ABA checksum on every value")
        return plan("ssn", None, "ssn", 0.6, "9-digit values all passing SSN rules")
    if p["state"] >= 0.9 and p.mean_len <= 3 and p["numeric"] == 0:
        return plan("address", "state", "state", 0.75, "US state codes")
    if p["gender"] >= 0.95 and 2 <= p.distinct <= 6:
        return plan("gender", None, "gender", 0.75, "sex/gender codes")
    if p["full_addr"] >= 0.6:
        return plan("address", "full", "address_full", 0.8, "parsed as full addresses")
    if p["street"] >= 0.7:
        return plan("address", "street", "street", 0.7, "street addresses")
    if p["drug"] >= 0.5:
        return plan("medication", None, "text", 0.7, "drug dictionary")
    if p["cond"] >= 0.5:
        return plan("diagnosis", None, "text", 0.7, "condition dictionary")
    if p["payer"] >= 0.5 or p["plan_name"] >= 0.6:
        return plan("health_plan", None, "payer", 0.7, "payer dictionary / plan-name words")
    if p["person"] >= 0.6 and p["org"] < 0.3:
        return plan("name", "full", "name_full", 0.7, "census name lists")
    if p["alpha"] >= 0.9 and p["org"] < 0.2:
        if p["first_tok"] >= 0.6 or p["last_tok"] >= 0.6:
            fld = "first" if p["first_tok"] > p["last_tok"] else "last"
            return plan("name", fld, "name_part", 0.55, "census name lists (single tokens)")
        if p["initial"] >= 0.8:
            return plan("name", "middle?", "name_part", 0.4, "single letters")
    # A heading that says "ID" / "Number" names an identifier: 10-digit numbers under it
    # are record numbers, not phone numbers (5-digit ones: see _neighbours).
    id_heading = bool(set(g.tokens) & _ID_WORDS)
    if p["zip"] >= 0.9 and p["numeric"] >= 0.9:  # a ZIP only beside a state/city column
        return plan("address", "zip?", "zip", 0.5, "5-digit ZIP shape")
    if (
        p["ten"] >= 0.95
        and p["phone"] >= 0.95
        and p["npi"] < 0.5
        and p.n >= 5
        and p["ten_spread"] >= 0.3
        and not id_heading
    ):
        return plan("phone", None, "phone", 0.6, "10-digit NANP numbers, varied exchanges")
    if p["id_shape"] >= 0.95 and p["date"] < 0.2 and p.distinct >= 0.8 * p.n and p.n >= 5:
        return plan("mrn", "id?", "ident", 0.5, "distinct identifier-shaped values")
    return None


# --------------------------------------------------------------------------- table level


def _heading_like(cells: list[str | None], least: int = 2) -> bool:
    """A row that reads as a heading row: at least half of its cells (and at least
    ``least``) headings the vocabulary knows, none with more than two digits."""
    filled = [c for c in cells if c is not None and c.strip()]
    if len(filled) < least or any(_THREE_DIGITS.search(c) for c in filled):
        return False
    known = sum(
        1 for g in map(classify_header, filled) if g.kind is not None and g.confidence >= 0.6
    )
    return known >= least and known * 2 >= len(filled)


_THREE_DIGITS = re.compile(r"\d\D*\d\D*\d")


def find_header_row(rows: list[tuple[int, list[str | None]]]) -> int | None:
    """Index in ``rows`` of a heading row under a title block (headerless tables only)."""
    for k, (_row_no, cells) in enumerate(rows[:12]):
        if _heading_like(cells):
            return k
    return None


Rows = list[tuple[int, list[str | None]]]


def _cells_key(cells: list[str] | list[str | None]) -> tuple[str, ...]:
    return tuple(" ".join((c or "").split()).lower() for c in cells if c and c.strip())


def table_segments(headers: list[str], rows: Rows) -> list[tuple[list[str], Rows]]:
    """A table as the tables in it: a report saved whole repeats its heading on every page
    (those rows are dropped), and a sheet may hold tables one under another, each under a
    heading row of its own (each is planned on its own heading and rows). A heading row
    is one only after a data row (a title block above the first heading, in the first
    12 rows, is the plan's to read); a new table's heading comes after a blank row or a
    one-cell title and has three or more known headings (a data row may hold two words
    the vocabulary knows: ``Patient``, ``Guardian``). Rows keep their row numbers.

    Cheap per row: a row is compared with the heading only when its first heading cell
    matches, and read as a heading only after a gap."""
    segments: list[tuple[list[str], Rows]] = []
    cur_head: list[str] = list(headers)
    cur_rows: Rows = []
    seen_data = after_gap = False
    started = any(not is_synthetic(h) and classify_header(h).kind is not None for h in headers)

    def lead_of(cells: list[str] | list[str | None]) -> tuple[int, str, tuple[str, ...]]:
        j = next((k for k, c in enumerate(cells) if c and c.strip()), 0)
        return j, " ".join((cells[j] or "").split()).lower() if cells else "", _cells_key(cells)

    lead, lead_val, cur_key = lead_of(headers)
    for k, (rn, cells) in enumerate(rows):
        n_filled = len(cells) - cells.count(None) - cells.count("")
        if seen_data and n_filled >= 2:
            cell = cells[lead] if lead < len(cells) else None
            if cell and " ".join(cell.split()).lower() == lead_val and _cells_key(cells) == cur_key:
                continue  # the heading again (next page)
            if after_gap and n_filled >= 3 and _heading_like(cells, 3):
                segments.append((cur_head, cur_rows))
                cur_head = [c if c and c.strip() else f"col_{j + 1}" for j, c in enumerate(cells)]
                cur_rows, seen_data, after_gap = [], False, False
                lead, lead_val, cur_key = lead_of(cells)
                continue
        cur_rows.append((rn, cells))
        after_gap = n_filled <= 1
        if not started:
            if k < 12 and _heading_like(cells):
                started = True  # the heading under a title block
                lead, lead_val, cur_key = lead_of(cells)
        elif not after_gap:
            seen_data = True
    segments.append((cur_head, cur_rows))
    return [(h, r) for h, r in segments if r]


def column_samples(cells: list[list[str | None]], ncols: int) -> list[list[str | None]]:
    """Per column, non-empty values from across all ``cells`` (rows): the column's first
    ``HEAD`` non-empty values, then values at an even stride over the rows, up to
    ``PROFILE``. A column blank in the first rows but filled further down (a date of
    death, a mostly blank SSN column) is sampled where its values are."""
    n = len(cells)
    if n <= PROFILE:
        return [[r[j] if j < len(r) else None for r in cells] for j in range(ncols)]
    step = n / PROFILE
    picks = [cells[int(k * step)] for k in range(PROFILE)]
    out: list[list[str | None]] = []
    for j in range(ncols):
        head = _filled(cells[:HEAD], j)
        rest = _filled(picks, j)
        if len(head) + len(rest) < PROFILE // 2:  # sparse here: look at every row
            filled = _filled(cells, j)
            if len(filled) > PROFILE:
                stride = (len(filled) - HEAD) / (PROFILE - HEAD)
                tail = filled[HEAD:]
                filled = filled[:HEAD] + [tail[int(k * stride)] for k in range(PROFILE - HEAD)]
            out.append(list(filled))
        else:
            out.append(head + rest)
    return out


def _filled(rows: list[list[str | None]], j: int) -> list[str | None]:
    return [r[j] for r in rows if len(r) > j and r[j] and not normalize.is_empty(r[j])]


DEFER = "defer"  # mode of a column planned when it is read (empty where the plan looked)


def plan_deferred(
    plan: TablePlan, c: ColumnPlan, values: list[str], today: dt.date
) -> ColumnPlan | None:
    """The plan of a deferred column from the non-empty ``values`` of the rows being read,
    by the same heading + values rules as :func:`plan_table` (and the table's role)."""
    g = classify_header(c.header)
    got = _known(c.index, c.header, g, profile_values(list(values[:PROFILE]), today))
    if got is None:
        return None
    kept = _apply_role([got], plan.role)
    if not kept:
        return None
    why = kept[0].why + "; planned on later rows (blank in the rows sampled)"
    return replace(kept[0], subject=c.subject, why=why)


def plan_table(
    headers: list[str], sample: list[tuple[int, list[str | None]]], today: dt.date
) -> TablePlan:
    """Classify every column of one table from its headings and a sample of its rows."""
    header_row_no: int | None = None
    hdrs = list(headers)
    rows = sample
    # Headerless, or a title line taken as the heading ("Member Roster - Jan 2025"): look
    # for the heading row under the title block.
    if all(is_synthetic(h) or classify_header(h).kind is None for h in hdrs):
        k = find_header_row(sample)
        if k is not None:
            header_row_no = sample[k][0]
            found = [c or "" for c in sample[k][1]]
            hdrs = [
                found[j]
                if j < len(found) and found[j].strip()
                else hdrs[j]
                if j < len(hdrs)
                else f"col_{j + 1}"
                for j in range(max(len(hdrs), len(found)))
            ]
            rows = sample[k + 1 :]
    ncols = len(hdrs)
    columns = column_samples([cells for _rn, cells in rows], ncols)
    plans: list[ColumnPlan | None] = []
    profiles: list[Profile] = []
    guesses: list[HeaderGuess] = []
    for j, h in enumerate(hdrs):
        g = classify_header(h)
        p = profile_values(columns[j], today)
        if not p.date_order_seen and (hint := _date_order_hint(h)):
            p.date_order = hint  # "DOB (DD/MM/YYYY)" over days that are all 12 or less
        guesses.append(g)
        profiles.append(p)
        if p.n == 0 and g.kind not in (None, "skip") and g.confidence >= 0.6:
            # A recognised heading over cells empty in every row seen: decided on the
            # rows that have values, when the column is read (see plan_deferred).
            plans.append(
                ColumnPlan(j, h, g.kind, g.field, DEFER, g.confidence, f"heading: {g.why}",
                           group=g.group)
            )  # fmt: skip
        elif p.n == 0 or g.kind == "skip":
            plans.append(None)
        elif g.kind is not None:
            plans.append(_known(j, h, g, p))
        else:
            plans.append(_by_values(j, h, g, p))
    _neighbours(plans, profiles, guesses, hdrs)
    _dob_from_values(plans, profiles, today)
    _orphan_line2(plans)
    role = _table_role(plans, hdrs)
    final = [c for c in plans if c is not None]
    final = _apply_role(final, role)
    final = _subjects(final)
    final = _second_surnames(final)
    final = _given_beside_surname(final, rows)
    relation = _relation_column(hdrs, columns) if role == "person" else None
    selfs: frozenset[str] = frozenset()
    if relation is not None:
        final, selfs = _by_relation(final, relation[1])
        if not selfs:
            relation = None
    return TablePlan(
        tuple(final),
        tuple(hdrs),
        header_row_no,
        role,
        relation=relation[0] if relation else None,
        relation_self=selfs,
    )


_FORMAT_HINT = re.compile(
    r"\b(?:(dd|d|jj|tt)[/.\-]?(?:mm|m)|(?:mm|m)[/.\-]?(?:dd|d))[/.\-]?(?:yyyy|yy|aaaa|aa|jjjj)\b",
    re.I,
)


def _date_order_hint(header: str) -> str | None:
    """The order a heading spells out (``DOB (DD/MM/YYYY)``, ``Birth Date mm-dd-yy``)."""
    m = _FORMAT_HINT.search(header)
    if m is None:
        return None
    return "DMY" if m[1] else "MDY"


def _orphan_line2(plans: list[ColumnPlan | None]) -> None:
    """An address line 2 needs a street beside it: a lone ``Unit`` / ``Suite`` column is a
    hospital unit, a ward or an office suite, not part of a person's address."""
    streets = {
        c.group
        for c in plans
        if c is not None and c.category == "address" and c.field in ("street", "full")
    }
    for j, c in enumerate(plans):
        if (
            c is not None
            and c.category == "address"
            and c.field == "line2"
            and (c.group not in streets)
        ):
            plans[j] = None


# Relationship to the subscriber: X12 INS02 / 2000C PAT01 codes and the words payers use.
# A code means "self" only when the column speaks that code set (18 with 01/19 …).
_REL_SELF_WORDS = frozenset(
    {"self", "subscriber", "employee", "insured", "ee", "emp", "sub", "subscr", "primary"}
)
_REL_DEP_WORDS = frozenset(
    {"spouse", "child", "dependent", "dependant", "dep", "sp", "ch", "son", "daughter",
     "wife", "husband", "domestic partner", "partner", "life partner", "stepchild",
     "other", "student", "disabled dependent", "ward", "grandchild", "foster child"}
)  # fmt: skip
_X12_SELF = frozenset({"18", "20"})
_X12_DEP = frozenset(
    {"01", "19", "21", "39", "40", "53", "G8", "g8", "04", "05", "07", "09", "10", "15",
     "17", "23", "24", "29", "32", "33", "36", "41", "43"}
)  # fmt: skip
_REL_HEAD = frozenset({"relationship", "relation", "rel"})
# The subscriber's own values on a member's row; a member ID, an address or a phone is
# the household's and stays with the member.
_SUBSCRIBER_OWN = frozenset({"ssn", "ssn_last4", "dob", "gender", "drivers_license"})


def _relation_column(
    hdrs: list[str], columns: list[list[str | None]]
) -> tuple[int, list[str]] | None:
    """The relationship-to-subscriber column: a ``REL_CD`` / ``Relationship`` heading over
    values of a relationship code set."""
    for j, h in enumerate(hdrs):
        if is_synthetic(h):
            continue
        toks = set(header_tokens(h))
        if not toks & _REL_HEAD or toks & {"date", "name", "phone", "address"}:
            continue
        vals = [v.strip().lower() for v in columns[j] if v and v.strip()]
        if not vals:
            continue
        known = _REL_SELF_WORDS | _REL_DEP_WORDS | _X12_SELF | _X12_DEP
        if sum(v in known for v in vals) >= 0.9 * len(vals):
            return j, vals
    return None


def _by_relation(
    cols: list[ColumnPlan], vals: list[str]
) -> tuple[list[ColumnPlan], frozenset[str]]:
    """Mark the subscriber's columns on a table whose rows are members (the names are not
    the subscriber's): whose value each is follows the row's relationship code."""
    seen = set(vals)
    if seen & _X12_SELF and not seen & (_REL_SELF_WORDS | _REL_DEP_WORDS):
        selfs = _X12_SELF
    elif seen & (_REL_SELF_WORDS | _REL_DEP_WORDS):
        selfs = _REL_SELF_WORDS
    else:
        return cols, frozenset()
    named = {c.group for c in cols if c.category == "name"}
    if "subscriber" in named:  # the subscriber has their own name columns: tagged already
        return cols, frozenset()
    out = []
    for c in cols:
        if c.group == "subscriber" and c.category in _SUBSCRIBER_OWN:
            c = replace(c, by_relation=True, why=c.why + "; the subscriber's unless the "
                        "row's relationship code says self")  # fmt: skip
        out.append(c)
    if not any(c.by_relation for c in out):
        return cols, frozenset()
    return out, frozenset(selfs)


def _neighbours(
    plans: list[ColumnPlan | None],
    profiles: list[Profile],
    guesses: list[HeaderGuess],
    hdrs: list[str],
) -> None:
    n = len(plans)
    # A claim line: ICD-10 diagnosis codes in a column of their own.
    coded_dx = any(q is not None and q.category == "diagnosis" and q.mode == "icd" for q in plans)
    for j in range(n):
        c = plans[j]
        if c is None:
            # A bare "Description" right of a code column describes that code.
            toks = set(header_tokens(hdrs[j])) if not is_synthetic(hdrs[j]) else set()
            if (
                j > 0
                and plans[j - 1] is not None
                and toks & {"description", "desc", "text", "name"}
                and len(toks) <= 2
            ):
                left = plans[j - 1]
                assert left is not None
                if left.category in ("diagnosis", "procedure", "medication") and profiles[j].n:
                    plans[j] = ColumnPlan(
                        j,
                        hdrs[j],
                        left.category,
                        None,
                        "text",
                        0.8,
                        f"heading: description next to a {left.category} code column",
                        group=left.group,
                    )
                    continue
            # An unlabelled text column between a street and a state is the city.
            if 0 < j < n - 1 and profiles[j]["alpha"] >= 0.8:
                lft, rgt = plans[j - 1], plans[j + 1]
                if (
                    lft
                    and rgt
                    and lft.category == "address"
                    and lft.field in ("street", "line2")
                    and rgt.field == "state"
                ):
                    plans[j] = ColumnPlan(
                        j,
                        hdrs[j],
                        "address",
                        "city",
                        "city",
                        0.7,
                        "between street and state columns",
                        group=lft.group,
                    )
            continue
        if c.field == "zip?":
            near = [plans[k] for k in (j - 1, j - 2, j + 1) if 0 <= k < n]
            if set(header_tokens(hdrs[j])) & _ID_WORDS:
                plans[j] = None  # "ID" / "Number" over 5-digit values: record numbers
            elif any(
                q is not None and q.category == "address" and q.field in ("state", "city")
                for q in near
            ):
                plans[j] = replace(
                    c, field="zip", confidence=0.75, why=c.why + "; next to state/city columns"
                )
            elif coded_dx and profiles[j]["cpt"] >= 0.9:
                # Unlabelled 5-digit codes on lines with ICD-10 codes and no address
                # beside them: the procedure codes of a claim line.
                plans[j] = replace(
                    c, category="procedure", field="cpt", mode="cpt", confidence=0.6,
                    why=c.why.replace("5-digit ZIP shape", "CPT shape")
                    + "; beside ICD-10 diagnosis codes, no state/city column",
                )  # fmt: skip
            else:
                plans[j] = None
        elif c.field == "middle?":
            left = plans[j - 1] if j > 0 else None
            if left is not None and left.category == "name" and left.field == "first":
                plans[j] = replace(
                    c, field="middle", confidence=0.6, why=c.why + "; right of a first-name column"
                )
            else:
                plans[j] = None
    # Unlabelled identifiers: a member ID sits beside the plan; otherwise a record number.
    has_plan = any(q is not None and q.category == "health_plan" for q in plans)
    id_cols = [j for j, q in enumerate(plans) if q is not None and q.field == "id?"]
    for j in id_cols:
        q = plans[j]
        assert q is not None
        left = plans[j - 1] if j > 0 else None
        beside_plan = left is not None and left.category == "health_plan"
        if beside_plan or (has_plan and len(id_cols) == 1):
            plans[j] = replace(
                q, category="member_id", field="member", why=q.why + "; beside a health-plan column"
            )
        else:
            plans[j] = replace(q, field=None)
    # Two single-token name columns side by side: order them by the census lists.
    for j in range(n - 1):
        a, b = plans[j], plans[j + 1]
        if a is None or b is None or a.category != "name" or b.category != "name":
            continue
        if (
            a.mode != "name_part"
            or b.mode != "name_part"
            or "census" not in a.why
            or "census" not in b.why
        ):
            continue
        pa, pb = profiles[j], profiles[j + 1]
        first_left = pa["first_tok"] - pa["last_tok"] + pb["last_tok"] - pb["first_tok"]
        fa, fb = ("first", "last") if first_left >= 0 else ("last", "first")
        plans[j] = replace(a, field=fa)
        plans[j + 1] = replace(b, field=fb)


def _dob_from_values(
    plans: list[ColumnPlan | None], profiles: list[Profile], today: dt.date
) -> None:
    """An unlabelled date column whose values read as ages 0–110 is a birth date."""
    identity = any(c is not None and c.category in _IDENTITY for c in plans)
    if any(c is not None and c.category == "dob" for c in plans) or not identity:
        return
    best: tuple[float, int] | None = None
    for j, c in enumerate(plans):
        if c is None or c.mode != "date" or c.category != "other_date" or "values" not in c.why:
            continue
        if "heading:" in c.why:
            continue
        ys = profiles[j].years
        if len(ys) < 3:
            continue
        ages = [today.year - y for y in ys]
        ok = sum(1 for a in ages if 0 <= a <= 110) / len(ages)
        spread = max(ys) - min(ys)
        med = statistics.median(ages)
        if (
            ok >= 0.95
            and med >= 2
            and (spread >= 10 or len(ys) < 10)
            and (best is None or med > best[0])
        ):
            best = (med, j)
    if best is not None:
        j = best[1]
        c = plans[j]
        assert c is not None
        plans[j] = replace(
            c,
            category="dob",
            mode="dob",
            confidence=0.6,
            why=c.why + "; ages 0-110 spread over years beside identity columns",
        )


def _table_role(plans: list[ColumnPlan | None], hdrs: list[str]) -> str:
    cats = {c.category for c in plans if c is not None}
    if cats & _PATIENT_SIGNALS or any(
        c is not None and c.group in ("patient", "member", "subscriber") for c in plans
    ):
        return "person"
    toks: set[str] = set()
    for h in hdrs:
        if not is_synthetic(h):
            toks.update(header_tokens(h))
    if toks & _PROVIDER_TABLE_WORDS or "provider" in cats:
        return "provider_directory"
    if toks & _STAFF_TABLE_WORDS:
        return "staff_directory"
    return "person"


def _apply_role(cols: list[ColumnPlan], role: str) -> list[ColumnPlan]:
    if role == "person":
        return cols
    out: list[ColumnPlan] = []
    for c in cols:
        if c.category in ("name", "address", "phone", "email", "gender"):
            if role == "provider_directory" and c.category == "name":
                out.append(
                    replace(
                        c,
                        category="provider",
                        field="name",
                        mode="provider_name" if c.mode == "name_full" else "name_part",
                        why=c.why + "; provider directory (NPI/specialty columns, no patient data)",
                    )
                )
            continue
        out.append(c)
    if role == "provider_directory":
        # First/last name parts of providers are merged per row by the reader.
        out = [
            replace(c, mode="provider_part")
            if c.category == "provider" and c.mode == "name_part"
            else c
            for c in out
        ]
    return out


def _subjects(cols: list[ColumnPlan]) -> list[ColumnPlan]:
    """Tag columns of a second person in the row (subscriber, dependent …)."""
    named = {c.group for c in cols if c.category == "name"}
    if len(named) <= 1 or named <= {None, "patient"}:
        return [replace(c, subject=None) for c in cols]
    main = next((g for g in _GROUP_PRIORITY if g in named), None)
    if main is None:
        main = sorted(g or "" for g in named)[0] or None
    main_set = {None, "patient"} if main in (None, "patient") else {main, None}
    out = []
    for c in cols:
        subject = None if c.group in main_set or c.group not in named else c.group
        out.append(replace(c, subject=subject))
    return out


def second_surname_columns(
    cols: Sequence[ColumnPlan],
) -> dict[tuple[str | None, str | None], int]:
    """Per person (group, subject) with a first-surname column: the index of its second
    (maternal) surname column, read with the first (``Ortiz Vega``)."""
    lasts = {(c.group, c.subject) for c in cols if c.category == "name" and c.field == "last"}
    return {
        (c.group, c.subject): c.index
        for c in cols
        if c.category == "name" and c.field == "last2" and (c.group, c.subject) in lasts
    }


def _given_beside_surname(
    cols: list[ColumnPlan], rows: list[tuple[int, list[str | None]]]
) -> list[ColumnPlan]:
    """A whole-name column beside a surname column of the same person, with no given-name
    column ("Apellido | Nombre", "Last Name | Name"), holds the given names: read whole,
    "Ana" was a surname and "José Luis" gave the surname "Luis". Not when its values hold
    the surname too ("José Ramírez" beside "Ramírez"): then it is the whole name."""
    fields: dict[tuple[str | None, str | None], list[str | None]] = {}
    for c in cols:
        if c.category == "name":
            fields.setdefault((c.group, c.subject), []).append(c.field)
    out = []
    for c in cols:
        have = fields.get((c.group, c.subject), [])
        if (
            c.mode == "name_full"
            and have.count("full") == 1
            and "last" in have
            and "first" not in have
        ):
            last = next(x for x in cols if x.category == "name" and x.field == "last"
                        and (x.group, x.subject) == (c.group, c.subject))  # fmt: skip
            pairs = [
                (full, sur)
                for _rn, cells in rows[:500]
                if len(cells) > max(c.index, last.index)
                and (full := cells[c.index])
                and (sur := cells[last.index])
            ]
            holds = sum(1 for full, sur in pairs if sur.strip().casefold() in full.casefold())
            if pairs and holds * 5 <= len(pairs):
                c = replace(c, field="first", mode="name_part",
                            why=f"{c.why}; beside a surname column: the given names")  # fmt: skip
        out.append(c)
    return out


def _second_surnames(cols: list[ColumnPlan]) -> list[ColumnPlan]:
    """A second surname column with no first-surname column beside it is the surname
    (:func:`breachscope.detect.table.read_columns` joins the others to the first)."""
    paired = second_surname_columns(cols)
    out = []
    for c in cols:
        if c.category == "name" and c.field == "last2" and (c.group, c.subject) not in paired:
            c = replace(c, field="last")
        out.append(c)
    return out
