"""Header vocabulary: what a column heading says about the values under it.

A heading is normalised to tokens (camelCase split, ``#`` → number, abbreviations
expanded: ``Soc Sec #`` → ssn number, ``BIRTH_DT`` → birth date, ``Pt Name`` → patient
name, ``Dx1`` → diagnosis 1) and then read by ordered rules. The result also says *whose*
value it is: the person group (patient, subscriber, dependent …) and the role (a data
subject, a provider, staff, an organisation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from breachscope.detect.normalize import strip_accents

# Abbreviations → canonical tokens (a value may expand to several tokens).
_ABBR: dict[str, tuple[str, ...]] = {
    "no": ("number",), "num": ("number",), "nbr": ("number",), "nmbr": ("number",),
    "nr": ("number",), "nu": ("number",), "numb": ("number",),
    "dt": ("date",), "dte": ("date",), "dat": ("date",),
    "pt": ("patient",), "pat": ("patient",), "pnt": ("patient",), "pts": ("patient",),
    "mbr": ("member",), "mem": ("member",), "membr": ("member",),
    "subscr": ("subscriber",), "subs": ("subscriber",), "sub": ("subscriber",),
    "sbscr": ("subscriber",), "insd": ("insured",), "bene": ("beneficiary",),
    "benef": ("beneficiary",), "gtor": ("guarantor",), "guar": ("guarantor",),
    "dep": ("dependent",), "depend": ("dependent",),
    "addr": ("address",), "adr": ("address",), "add": ("address",), "street1": ("address",),
    "ph": ("phone",), "tel": ("phone",), "telephone": ("phone",), "phn": ("phone",),
    "cell": ("phone",), "mobile": ("phone",), "fax": ("phone",),
    "fname": ("first", "name"), "firstname": ("first", "name"), "fn": ("first",),
    "lname": ("last", "name"), "lastname": ("last", "name"), "ln": ("last",),
    "mname": ("middle", "name"), "middlename": ("middle", "name"), "mi": ("middle",),
    "mid": ("middle",), "init": ("initial",), "given": ("first",), "forename": ("first",),
    "surname": ("last",), "family": ("last",), "sname": ("last",),
    "nm": ("name",), "nme": ("name",), "nam": ("name",), "fullname": ("full", "name"),
    "dob": ("birth", "date"), "bdate": ("birth", "date"), "birthdate": ("birth", "date"),
    "birthday": ("birth", "date"), "bday": ("birth", "date"), "birth": ("birth",),
    "born": ("birth",), "dod": ("death", "date"), "deathdate": ("death", "date"),
    "ssn": ("ssn",), "ssan": ("ssn",), "socsec": ("ssn",), "ssno": ("ssn",),
    "dx": ("diagnosis",), "diag": ("diagnosis",), "dxcode": ("diagnosis", "code"),
    "icd": ("icd",), "icd10": ("icd",), "icd9": ("icd",), "icdcm": ("icd",),
    "px": ("procedure",), "proc": ("procedure",), "cpt": ("cpt",), "cpt4": ("cpt",),
    "hcpcs": ("hcpcs",), "hcpc": ("hcpcs",), "ndc": ("ndc",), "rx": ("rx",),
    "med": ("medication",), "meds": ("medication",), "medication": ("medication",),
    "medications": ("medication",), "drug": ("drug",), "drugs": ("drug",),
    "mrn": ("mrn",), "acct": ("account",), "acc": ("account",), "accnt": ("account",),
    "dl": ("license", "driver"), "dln": ("license", "driver"), "lic": ("license",),
    "zipcode": ("zip",), "postal": ("zip",), "postcode": ("zip",), "zip5": ("zip",),
    "zip4": ("zip",), "eml": ("email",), "emailaddress": ("email",),
    "gndr": ("gender",), "sex": ("gender",), "phys": ("physician",), "prov": ("provider",),
    "dr": ("doctor",), "md": ("doctor",), "svc": ("service",), "serv": ("service",),
    "srvc": ("service",), "dos": ("service", "date"), "adm": ("admit",),
    "admission": ("admit",), "disch": ("discharge",), "dc": ("discharge",),
    "pol": ("policy",), "grp": ("group",), "pln": ("plan",), "pyr": ("payer",),
    "payor": ("payer",), "ins": ("insurance",), "insur": ("insurance",),
    "desc": ("description",), "descr": ("description",), "id": ("id",), "ident": ("id",),
    "identifier": ("id",), "cin": ("medicaid", "id"), "mbi": ("mbi",), "hicn": ("hicn",),
    "hic": ("hicn",), "npi": ("npi",), "dea": ("dea",), "tin": ("tin",), "ein": ("tin",),
    "st": ("st",), "cty": ("city",), "town": ("city",), "stat": ("status",),
    "pwd": ("password",), "passwd": ("password",), "pword": ("password",),
    "username": ("username",), "login": ("username",), "userid": ("username",),
    "emerg": ("emergency",), "ec": ("emergency", "contact"), "nok": ("kin",),
    "loc": ("location",), "fac": ("facility",), "org": ("organization",),
    "dept": ("department",), "ext": ("extension",), "exp": ("expiration",),
    "attn": ("attending",), "att": ("attending",), "ref": ("referring",),
    "rend": ("rendering",), "ord": ("ordering",), "pcp": ("pcp",),
    "lab": ("lab",), "labs": ("lab",), "rslt": ("result",), "res": ("result",),
    "val": ("value",), "obs": ("observation",), "loinc": ("loinc",), "mod": ("modality",),
    "img": ("imaging",), "rad": ("radiology",), "enc": ("encounter",), "clm": ("claim",),
    "cc": ("card",), "pan": ("card",), "aba": ("routing",), "rtn": ("routing",),
    "iban": ("bank",), "dda": ("bank", "account"), "lob": ("plan",),
    "expired": ("expired",), "deceased": ("deceased",), "decd": ("deceased",),
    "apellido": ("last",), "apellidos": ("last",), "nombre": ("name",), "nombres": ("first",),
    "direccion": ("address",), "domicilio": ("address",), "telefono": ("phone",),
    "celular": ("phone",), "ciudad": ("city",), "estado": ("state",), "sexo": ("gender",),
    "genero": ("gender",),
    "correo": ("email",), "afiliado": ("member",), "paciente": ("patient",),
    "fecha": ("date",), "numero": ("number",), "num.": ("number",), "poliza": ("policy",),
    "diagnostico": ("diagnosis",), "medicamento": ("medication",), "nss": ("ssn",),
    "sfx": ("suffix",), "referred": ("referring",), "refd": ("referring",), "dependant": ("dependent",),
    "empi": ("mrn",), "pid": ("mrn",), "cardholder": ("guarantor",), "mpi": ("mrn",), "epi": ("mrn",), "unos": ("skip",),
    # Mainframe column names drop vowels: BRTH_DT, ST_CD, GNDR_CD.
    "brth": ("birth",), "brthdt": ("birth", "date"), "cd": ("code",),
}  # fmt: skip

# Multi-word phrases collapsed before single tokens are read.
_PHRASES: tuple[tuple[str, str], ...] = (
    ("addr ln", "address line"), ("address ln", "address line"), ("addr line", "address line"),
    ("medical rec", "mrn"),
    ("d o b", "birth date"), ("d o d", "death date"), ("s s n", "ssn"),
    ("resp party", "guarantor"), ("responsible person", "guarantor"),
    ("social security", "ssn"), ("soc sec", "ssn"), ("ss number", "ssn"), ("ss #", "ssn"),
    ("date of birth", "birth date"), ("birth dt", "birth date"), ("date of death", "death date"),
    ("date of service", "service date"), ("zip code", "zip"), ("postal code", "zip"),
    ("e mail", "email"), ("e-mail", "email"), ("medical record", "mrn"), ("med rec", "mrn"),
    ("med record", "mrn"), ("chart number", "mrn"), ("chart no", "mrn"), ("chart id", "mrn"),
    ("record number", "mrn"), ("patient id", "mrn"), ("patient number", "mrn"),
    ("patient no", "mrn"), ("person id", "mrn"), ("unit number", "mrn"),
    ("drivers license", "license driver"), ("driver license", "license driver"),
    ("driver s license", "license driver"), ("state id", "license driver"),
    ("next of kin", "kin"), ("responsible party", "guarantor"), ("policy holder", "subscriber"),
    ("policyholder", "subscriber"), ("primary insured", "subscriber"), ("card holder", "guarantor"), ("account holder", "guarantor"),
    ("user name", "username"), ("user id", "username"), ("pass word", "password"),
    ("health plan", "plan"), ("line of business", "plan"), ("body part", "bodypart"),
    ("reason for visit", "diagnosis"), ("chief complaint", "diagnosis"),
    ("credit card", "card"), ("debit card", "card"), ("bank account", "bank account"),
    ("vital status", "deceased"), ("death indicator", "deceased"), ("death flag", "deceased"),
    ("tax id", "tin"), ("zip plus 4", "zip"), ("middle initial", "middle"),
    ("first name", "first"), ("last name", "last"), ("middle name", "middle"),
    ("given name", "first"), ("family name", "last"), ("name suffix", "suffix"),
    ("name prefix", "prefix"), ("address line 1", "address"), ("address line 2", "address2"),
    ("address 1", "address"), ("address 2", "address2"), ("addr 1", "address"), ("addr 2", "address2"),
    ("line 1", "address"), ("line 2", "address2"), ("street 2", "address2"),
    ("apt", "address2"), ("apartment", "address2"), ("suite", "address2"), ("unit", "address2"),
    ("last 4", "last4"), ("last four", "last4"), ("ssn 4", "last4"), ("l4", "last4"),
    ("ssn4", "last4"), ("last4", "last4"), ("id card", "card_id"), ("member card", "card_id"),
    ("insurance card", "card_id"),
    ("ref number", "reference number"), ("ref no", "reference number"), ("ref id", "reference id"),
    ("last first", "full name"), ("first last", "full name"),
    # Spanish headings (accents are folded first: "Dirección" reads "direccion")
    ("fecha de nacimiento", "birth date"), ("fecha nacimiento", "birth date"),
    ("fecha nac", "birth date"), ("f nac", "birth date"), ("fecha de defuncion", "death date"),
    ("fecha de fallecimiento", "death date"), ("fecha de servicio", "service date"),
    ("fecha de atencion", "service date"), ("numero de seguro social", "ssn"),
    ("seguro social", "ssn"), ("primer nombre", "first"), ("segundo nombre", "middle"),
    ("primer apellido", "last"), ("nombre completo", "full name"),
    ("correo electronico", "email"), ("codigo postal", "zip"), ("numero de afiliado", "member id"),
    ("num afiliado", "member id"), ("no afiliado", "member id"), ("numero de poliza", "policy"),
    ("expediente", "mrn"), ("historia clinica", "mrn"),
    ("fecha de nac", "birth date"), ("fec nac", "birth date"), ("nombre s", "first"),
    ("estado civil", "marital status"),
    # Two surnames (paternal, maternal): the second is read with the first.
    ("apellido paterno", "last"), ("apellido materno", "last2"), ("segundo apellido", "last2"),
    ("maternal surname", "last2"), ("second surname", "last2"), ("second last", "last2"),
)  # fmt: skip

PERSON_GROUPS: dict[str, str] = {
    "patient": "patient", "member": "member", "beneficiary": "member", "enrollee": "member",
    "subscriber": "subscriber", "insured": "subscriber", "employee_sub": "subscriber",
    "guarantor": "guarantor", "dependent": "dependent", "child": "dependent",
    "spouse": "spouse", "parent": "guardian", "guardian": "guardian", "mother": "guardian",
    "father": "guardian", "emergency": "contact", "kin": "contact",
}  # fmt: skip
PROVIDER_WORDS = frozenset(
    {"provider", "physician", "doctor", "attending", "rendering", "referring", "ordering",
     "prescriber", "prescribing", "pcp", "surgeon", "clinician", "practitioner", "treating",
     "servicing", "performing", "admitting", "consulting", "operating", "supervising",
     "nurse", "therapist", "dentist", "npi", "dea", "radiologist", "pathologist", "anesthesiologist"}
)  # fmt: skip
STAFF_WORDS = frozenset(
    {"employee", "staff", "author", "coder", "user", "entered", "created", "modified",
     "updated", "clerk", "agent", "rep", "representative", "analyst", "reviewer", "auditor",
     "owner", "assigned", "signed", "approver", "approved", "submitter", "submitted",
     "worker", "caseworker", "manager", "supervisor", "scribe", "transcriptionist", "actor",
     "operator"}
)  # fmt: skip
ORG_WORDS = frozenset(
    {"facility", "hospital", "clinic", "practice", "client", "organization", "site",
     "location", "entity", "employer", "pharmacy", "vendor", "company", "tin",
     "system", "network", "ipa", "department", "agency", "school"}
)  # fmt: skip
# Headings that name a non-personal thing: their values are never read as PII by shape.
NON_PII_WORDS = frozenset(
    {"claim", "invoice", "check", "batch", "line", "seq", "sequence", "count", "amount",
     "charge", "charges", "paid", "units", "unit", "qty", "quantity", "price", "fee", "total",
     "balance", "status", "type", "flag", "encounter", "visit", "order", "accession",
     "transaction", "reference", "ref", "row", "index", "version", "page", "case", "ticket",
     "specimen", "lot", "serial", "room", "bed", "revenue", "modifier", "pos", "tob", "drg",
     "copay", "coinsurance", "deductible", "allowed", "billed", "adjustment", "score",
     "rank", "duration", "minutes", "hours", "days", "los", "weight", "height", "bmi",
     "age", "years", "percent", "pct", "rate", "ratio", "icn", "dcn", "tcn", "record",
     "file", "sheet", "source", "extract", "run", "job", "priority", "category", "class",
     "language", "race", "ethnicity", "marital", "religion", "relationship", "rel",
     "taxonomy", "specialty", "credential", "credentials", "degree", "title", "position",
     "extension", "expiration", "effective", "term", "termination", "tier"}
)  # fmt: skip
GENERIC_WORDS = frozenset(
    {"", "id", "number", "value", "data", "code", "key", "field", "column", "col",
     "unnamed", "item", "identifier", "text", "info", "misc", "other", "attribute", "var",
     "ref", "x", "no"}
)  # fmt: skip
SERVICE_DATE_WORDS = frozenset(
    {"service", "admit", "discharge", "visit", "encounter", "appointment", "appt",
     "procedure", "surgery", "study", "exam", "test", "result", "collection", "collected",
     "order", "specimen", "from", "thru", "through", "claim", "billed", "paid", "received",
     "performed", "scan", "dispensed", "fill", "filled", "written", "injury", "onset"}
)  # fmt: skip


# A schedule's resource column: only these words beside "resource" (a flattened FHIR key
# such as "resource.name.family" or "resourceType" is not one).
_RESOURCE = frozenset({"resource", "appt", "appointment", "scheduled", "schedule", "sched"})


_PHONE_PLACES = frozenset({"home", "work", "business", "daytime", "evening", "night"})
_LICENSE_ATTRS = frozenset(
    {"st", "state", "issue", "issued", "issuing", "class", "type", "expiration", "date",
     "status", "restrictions", "endorsements"}
)  # fmt: skip


@dataclass(frozen=True)
class HeaderGuess:
    """What a heading says. ``kind`` is a category/AUX kind, ``'date'`` (read the values),
    ``'skip'`` (known non-PII), or ``None`` (unknown)."""

    kind: str | None
    field: str | None
    group: str | None
    role: str  # person | provider | staff | org
    confidence: float
    why: str
    generic: bool = False
    tokens: tuple[str, ...] = ()


_CAMEL1 = re.compile(r"([a-z])([A-Z])")
_CAMEL2 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_ALNUM_SPLIT = re.compile(r"([A-Za-z])(\d)")
_DIGIT_ALPHA = re.compile(r"(\d)([A-Za-z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SYNTH = re.compile(r"^(?:col|column|field|f|c|unnamed)[ _:-]?\d+$", re.I)


def is_synthetic(header: str) -> bool:
    """True for the placeholder names ingest gives headerless columns (``col_3``)."""
    return not header.strip() or _SYNTH.match(header.strip()) is not None


# HL7 v2 segment-field headings of interface extracts (``PID_5_NAME``, ``PID.7``,
# ``PV1-7 Attending``): the segment says whose field it is, the words after the position
# what it is; a bare position is read through the fields every ADT/ORU feed carries.
_HL7_FIELD = re.compile(
    r"(PID|PD1|PV1|PV2|NK1|GT1|IN1|IN2|DG1|PR1|AL1|OBX|OBR|ORC|RXE|RXO|RXA|MRG)"
    r"[ _.\-]?(\d{1,2})(?:[ _.\-]\d{1,2})*(?:[ _.\-:]+(.*))?",
    re.I,
)
_HL7_WHOSE = {"PID": "patient", "GT1": "guarantor", "IN1": "insured", "IN2": "insured",
              "NK1": "kin"}  # fmt: skip
_HL7_POSITIONS = {
    ("PID", 3): "patient mrn", ("PID", 5): "patient name", ("PID", 7): "patient birth date",
    ("PID", 8): "gender", ("PID", 11): "patient address", ("PID", 13): "home phone",
    ("PID", 14): "business phone", ("PID", 19): "ssn", ("PV1", 7): "attending doctor",
    ("PV1", 8): "referring doctor", ("PV1", 17): "admitting doctor", ("DG1", 3): "diagnosis",
    ("PR1", 3): "procedure", ("GT1", 3): "guarantor name", ("IN1", 16): "insured name",
    ("IN1", 36): "policy number", ("NK1", 2): "kin name", ("AL1", 3): "allergy",
}  # fmt: skip


def _hl7_heading(h: str) -> str:
    m = _HL7_FIELD.fullmatch(h)
    if m is None:
        return h
    seg, pos, rest = m[1].upper(), int(m[2]), (m[3] or "").strip()
    if not rest:
        return _HL7_POSITIONS.get((seg, pos), h)
    whose = _HL7_WHOSE.get(seg, "")
    return f"{whose} {rest}".strip()


@lru_cache(maxsize=8192)
def header_tokens(header: str) -> tuple[str, ...]:
    """Normalised tokens of a heading (see the module docstring)."""
    h = _hl7_heading(header.strip())
    h = strip_accents(h)  # "Dirección", "Teléfono"
    h = _CAMEL2.sub(r"\1 \2", _CAMEL1.sub(r"\1 \2", h))
    h = h.replace("#", " number ").replace("&", " and ").replace("'", "").replace("/", " ")
    h = _DIGIT_ALPHA.sub(r"\1 \2", _ALNUM_SPLIT.sub(r"\1 \2", h))
    # Slips are read before the phrases, so "Medcial Rec #" and "Birht Dt" are phrases.
    h = " " + " ".join(_typo(t) for t in _NON_ALNUM.sub(" ", h.lower()).split()) + " "
    for phrase, repl in _PHRASES:
        p = " " + _NON_ALNUM.sub(" ", phrase) + " "
        if p in h:
            h = h.replace(p, " " + repl + " ")
    out: list[str] = []
    for t in h.split():
        got = _ABBR.get(t)
        if got is None:
            fixed = _typo(t)
            got = _ABBR.get(fixed) or _compound(fixed) or (fixed,)
        out.extend(got)
    # "ss number" forms after expansion
    if "ss" in out and "number" in out:
        out = ["ssn" if t == "ss" else t for t in out]
    return tuple(out)


# Heading words worth recognising through a typo ("Pateint Frist", "Adress", "Birht Dt").
_TYPO_TARGETS = frozenset(
    {"patient", "first", "last", "middle", "address", "birth", "subscriber", "member",
     "phone", "diagnosis", "procedure", "medication", "gender", "social", "security",
     "insured", "street", "physician", "provider", "number", "beneficiary", "dependent",
     "guarantor", "license", "account", "insurance", "email", "zipcode", "surname",
     "medicare", "medicaid", "attending", "referring", "rendering", "ordering", "record",
     "medical", "telephone", "mobile", "name", "city", "state", "date"}
)  # fmt: skip
_KNOWN = _TYPO_TARGETS | frozenset(_ABBR)


@lru_cache(maxsize=4096)
def _typo(t: str) -> str:
    """The heading word ``t`` was meant to be: a key word one slip away, else ``t``.

    Only slips that keep the first letter and cannot turn one real heading word into
    another: two neighbouring letters swapped (``frist``), or, in words of six letters
    or more, one letter dropped or doubled (``adress``, ``pateints``). A wrong letter is
    not corrected: ``sender`` is not ``gender``.
    """
    if len(t) < 4 or t in _KNOWN or not t.isalpha():
        return t
    for w in _TYPO_TARGETS:
        if w[0] != t[0] or abs(len(w) - len(t)) > 1:
            continue
        if len(w) == len(t):
            diff = [i for i in range(len(t)) if t[i] != w[i]]
            if (
                len(diff) == 2
                and diff[1] == diff[0] + 1
                and t[diff[0]] == w[diff[1]]
                and (t[diff[1]] == w[diff[0]])
            ):
                return w
        elif min(len(w), len(t)) >= 6:
            short, long_ = (t, w) if len(t) < len(w) else (w, t)
            if any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_))):
                return w
    return t


# Run-together all-capitals headings (``PATNAME``, ``MBRDOB``, ``SUBSCRSSN``): whose it
# is, then what it is.
_WHOSE = ("patient", "subscr", "member", "guar", "pat", "mbr", "mem", "insd", "sub", "dep", "pt")
_WHAT = frozenset(
    {"name", "nm", "dob", "ssn", "first", "last", "fname", "lname", "mi", "addr", "address",
     "city", "state", "zip", "phone", "ph", "id", "sex", "gender", "birthdate", "lastname",
     "firstname", "middlename", "mname", "bdate", "email", "mrn", "street", "sfx", "suffix"}
)  # fmt: skip


def _compound(t: str) -> tuple[str, ...] | None:
    for who in _WHOSE:
        rest = t[len(who) :]
        if t.startswith(who) and rest in _WHAT:
            return _ABBR.get(who, (who,)) + _ABBR.get(rest, (rest,))
    return None


def _group(tokens: tuple[str, ...]) -> str | None:
    for i, t in enumerate(tokens):
        g = PERSON_GROUPS.get(t)
        if g:
            if (
                i + 1 < len(tokens)
                and tokens[i + 1].isdigit()
                and g in ("dependent", "contact", "guardian")
            ):
                return f"{g}{tokens[i + 1]}"
            return g
    return None


@lru_cache(maxsize=8192)
def classify_header(header: str) -> HeaderGuess:
    """Read one heading. Pure and cached: the same heading always reads the same way."""
    if is_synthetic(header):
        return HeaderGuess(None, None, None, "person", 0.0, "no heading", generic=True)
    toks = header_tokens(header)
    T = set(toks)
    if "resource" in T and T <= _RESOURCE:
        # A schedule's "Resource" / "Appt Resource" is who the patient is booked with.
        return HeaderGuess("provider", "name", None, "provider", 0.75,
                           "scheduling resource heading", tokens=toks)  # fmt: skip
    group = _group(toks)
    role = "person"
    if T & STAFF_WORDS and not T & {"ssn", "birth", "patient", "member", "subscriber"}:
        role = "staff"
    elif (
        "billing" in T
        and T & {"npi", "provider", "tin", "name"}
        and not T & {"address", "zip", "city", "state", "phone"}
    ):
        role = "org"
    elif T & PROVIDER_WORDS:
        role = "provider"
        if T & ORG_WORDS and not (T & PROVIDER_WORDS) - {"npi", "dea"}:
            role = "org"
    elif T & ORG_WORDS and not T & {"patient", "member", "subscriber", "guarantor"}:
        role = "org"
    g = _rules(toks, T, role)
    if g is None:
        generic = all(t in GENERIC_WORDS or t.isdigit() for t in toks)
        blocked = bool(T & NON_PII_WORDS)
        return HeaderGuess(
            "skip" if blocked else None, None, group, role, 0.0,
            "heading names a non-personal value" if blocked else "heading not recognised",
            generic=generic, tokens=toks,
        )  # fmt: skip
    kind, fld, conf, why = g
    return HeaderGuess(kind, fld, group, role, conf, why, tokens=toks)


def _rules(
    toks: tuple[str, ...], T: set[str], role: str
) -> tuple[str, str | None, float, str] | None:
    has_id = bool(T & {"id", "number", "identifier", "code"})
    # --- people in other roles -------------------------------------------------
    if role == "staff":
        return "skip", None, 0.9, "staff/employee heading"
    if role == "provider":
        if "npi" in T:
            return "provider", "npi", 0.95, "provider NPI heading"
        if "dea" in T:
            return "provider", "dea", 0.95, "provider DEA heading"
        if T & {"name", "first", "last", "full"} or (
            PROVIDER_WORDS | {"primary", "care", "by", "to", "from"} >= T
        ):
            return "provider", "name", 0.9, "provider name heading"
        if has_id:
            return "provider", "id", 0.8, "provider identifier heading"
        return "skip", None, 0.8, "provider attribute heading"
    if role == "org" and T & {"phone", "email", "address", "zip", "city", "state", "street"}:
        return "skip", None, 0.8, "organisation contact heading"
    # --- identifiers -----------------------------------------------------------
    if "last4" in T:
        return "ssn_last4", None, 0.95, "SSN last-4 heading"
    if "ssn" in T or T - {"number", "id"} == {"social"}:
        return "ssn", None, 0.95, "SSN heading"
    if T & {"birth"} and not T & {"place", "country", "city", "state", "weight", "order"}:
        return "dob", None, 0.95, "date-of-birth heading"
    if "death" in T or (T & {"deceased", "expired", "died"} and "date" in T):
        return "date_of_death", None, 0.9, "date-of-death heading"
    if T & {"deceased", "expired", "died", "dead"}:
        return "deceased", None, 0.85, "deceased flag heading"
    if (T & {"gender"} and not T & {"identity"}) or toks == ("gender", "identity"):
        return "gender", None, 0.9, "gender/sex heading"
    if "email" in T or ("mail" in T and "e" in T):
        return "email", None, 0.95, "e-mail heading"
    if "phone" in T and not T & {"type", "extension"}:
        return "phone", None, 0.9, "phone heading"
    if "number" in T and len(T) > 1 and T - {"number"} <= _PHONE_PLACES:
        # "Home #", "Work #", "Daytime No": where the phone rings, and its number.
        return "phone", None, 0.9, "phone heading"
    if "mbi" in T:
        return "member_id", "mbi", 0.95, "MBI heading"
    if "hicn" in T:
        return "member_id", "hicn", 0.95, "HICN heading"
    if "medicare" in T and (has_id or len(T) == 1 or "beneficiary" in T):
        return "member_id", "medicare", 0.9, "Medicare number heading"
    if "medicaid" in T:
        return "member_id", "medicaid", 0.9, "Medicaid number heading"
    if "mrn" in T:
        return "mrn", None, 0.95, "medical record number heading"
    if "routing" in T or ("transit" in T and has_id):
        return "bank_account", "routing", 0.95, "routing number heading"
    if "bank" in T or (T & {"checking", "savings"} and "account" in T):
        return "bank_account", "account", 0.9, "bank account heading"
    if "card" in T and (has_id or len(T) == 1) and "card_id" not in T:
        return "payment_card", None, 0.9, "card number heading"
    if "passport" in T:
        return "passport", None, 0.95, "passport heading"
    if "license" in T and T & _LICENSE_ATTRS and not T & {"number", "id"}:
        return "skip", None, 0.7, "licence attribute heading (state, class, dates)"
    if "license" in T and (
        "driver" in T or (role == "person" and not T & {"medical", "professional", "state_board"})
    ):
        return "drivers_license", None, 0.9, "driver's licence heading"
    if "username" in T:
        return "username_password", "username", 0.9, "username heading"
    if T & {"password", "pin", "passcode"}:
        return "username_password", "password", 0.9, "password heading"
    if T & {"fingerprint", "biometric", "retina", "iris", "voiceprint", "faceprint"}:
        return "biometric", None, 0.9, "biometric heading"
    if "group" in T and (has_id or len(T) == 1) and "name" not in T:
        return "member_id", "group", 0.85, "group number heading"
    if "policy" in T and not T & {"name", "type", "effective", "date", "status"}:
        return "member_id", "policy", 0.9, "policy number heading"
    if (
        T
        & {
            "member",
            "subscriber",
            "insured",
            "beneficiary",
            "card_id",
            "insurance",
            "plan",
            "enrollee",
            "contract",
        }
        and has_id
    ):
        if "plan" in T and not T & {"member", "subscriber", "insured"}:
            return "health_plan", "id", 0.8, "plan identifier heading"
        fld = "subscriber" if "subscriber" in T else "member"
        return "member_id", fld, 0.9, "member/subscriber ID heading"
    if "account" in T and not T & {"name", "type", "status", "balance", "class"}:
        return "mrn", "account", 0.8, "patient account number heading"
    # --- clinical ---------------------------------------------------------------
    if T & {"icd", "diagnosis", "condition", "problem", "complaint"}:
        if "date" in T:
            return "date", "service", 0.8, "diagnosis date heading"
        return "diagnosis", None, 0.9, "diagnosis heading"
    if "reason" in T and not T & {
        "denial",
        "adjustment",
        "void",
        "cancel",
        "cancellation",
        "status",
        "termination",
        "term",
        "change",
        "code",
        "rejection",
        "hold",
    }:
        return "diagnosis", None, 0.7, "visit-reason heading"
    if T & {"cpt", "hcpcs", "procedure", "surgery", "operation"}:
        if "date" in T:
            return "date", "service", 0.8, "procedure date heading"
        return "procedure", None, 0.9, "procedure heading"
    if "ndc" in T:
        return "medication", "ndc", 0.95, "NDC heading"
    if T & {"rx", "drug", "medication", "prescription", "generic", "brand", "dose", "sig"}:
        if has_id and "rx" in T and not T & {"drug", "medication"}:
            return "skip", None, 0.6, "prescription number heading"
        if "date" in T:
            return "date", "service", 0.8, "prescription date heading"
        if T & {"dose", "sig", "route", "frequency", "strength", "quantity"}:
            return "skip", None, 0.6, "dose/route heading (not a drug name)"
        return "medication", None, 0.9, "medication heading"
    if T & {"loinc"}:
        return "test_result", "loinc", 0.9, "LOINC heading"
    if T & {"result", "results", "observation", "analyte", "component"} and not T & {
        "date",
        "status",
        "flag",
        "units",
        "unit",
        "range",
    }:
        return "test_result", "result", 0.85, "lab result heading"
    if T & {"lab", "test"} and not T & {
        "date",
        "status",
        "units",
        "unit",
        "range",
        "location",
        "facility",
        "name_of_lab",
    }:
        return "test_result", "test", 0.8, "lab test heading"
    if T & {"modality", "imaging", "radiology", "bodypart", "study", "exam", "scan"} and not T & {
        "date",
        "id",
        "number",
        "status",
        "uid",
    }:
        return "imaging", None, 0.85, "imaging heading"
    # --- health plan / organisations ------------------------------------------
    if T & {"payer", "insurance", "insurer", "carrier", "coverage", "plan", "product"} and not T & {
        "date",
        "type",
        "status",
    }:
        return "health_plan", None, 0.85, "payer/plan heading"
    if role == "org":
        if "npi" in T:
            return "organization", "npi", 0.85, "organisation NPI heading"
        if (
            T & {"name", "description"}
            or len(
                T
                - {
                    "client",
                    "facility",
                    "hospital",
                    "clinic",
                    "practice",
                    "organization",
                    "site",
                    "location",
                    "entity",
                    "pharmacy",
                }
            )
            == 0
        ):
            return "organization", "name", 0.85, "organisation heading"
        if has_id or "tin" in T:
            return "organization", "id", 0.8, "organisation identifier heading"
        return "skip", None, 0.7, "organisation attribute heading"
    if "npi" in T:
        return "provider", "npi", 0.9, "NPI heading"
    # --- names and addresses -----------------------------------------------------
    if "last2" in T:
        return "name", "last2", 0.85, "second-surname heading"
    if {"first", "last"} <= T and not T & {"date", "visit", "service"}:
        return "name", "full", 0.85, "person-name heading (last and first)"
    if "first" in T and not T & {"date", "visit", "service"}:
        return "name", "first", 0.9, "first-name heading"
    if "last" in T and not T & {"date", "visit", "service", "updated", "modified", "login", "seen"}:
        return "name", "last", 0.9, "last-name heading"
    if ("middle" in T or ("initial" in T and "name" in T)) and "full" not in T:
        return "name", "middle", 0.85, "middle-name heading"
    if "suffix" in T:
        return "name", "suffix", 0.8, "name-suffix heading"
    if "prefix" in T or "salutation" in T:
        return "name", "prefix", 0.6, "name-prefix heading"
    if "address2" in T:
        return "address", "line2", 0.85, "address line 2 heading"
    if "city" in T:
        return "address", "city", 0.9, "city heading"
    if "zip" in T:
        return "address", "zip", 0.9, "ZIP heading"
    if ("state" in T and not T & {"statement", "status", "license"}) or T - {"code"} == {"st"}:
        return "address", "state", 0.85, "state heading"
    if "country" in T:
        return "address", "country", 0.7, "country heading"
    if T & {"address", "street", "residence", "mailing"} and not T & {"ip", "mac", "web", "url"}:
        return "address", "street", 0.85, "address heading"
    if "county" in T:
        return "skip", None, 0.5, "county heading"
    if "name" in T or "full" in T:
        objects = T - {
            "name",
            "full",
            "patient",
            "member",
            "subscriber",
            "insured",
            "guarantor",
            "dependent",
            "spouse",
            "guardian",
            "parent",
            "emergency",
            "contact",
            "kin",
            "beneficiary",
            "enrollee",
            "child",
            "mother",
            "father",
            "legal",
            "display",
            "complete",
            "person",
            "individual",
            "primary",
            "s",
            "of",
            "the",
            "middle",  # "Name (Last, First, MI)": the parts it is written in
            "initial",
            "suffix",
        }
        objects = {t for t in objects if not t.isdigit()}
        if not objects:
            return "name", "full", 0.85, "person-name heading"
        return "skip", None, 0.6, "name of a non-person thing"
    if {
        "patient",
        "member",
        "subscriber",
        "insured",
        "guarantor",
        "beneficiary",
        "enrollee",
        "dependent",
        "spouse",
    } | {t for t in T if t.isdigit()} >= T:
        return "name", "full", 0.7, "person heading"
    # --- dates -------------------------------------------------------------------
    if "expiration" in T:
        return "skip", None, 0.6, "expiration date heading"
    if "date" in T:
        if T & SERVICE_DATE_WORDS:
            return "date", "service", 0.85, "service date heading"
        return "date", "other", 0.6, "date heading"
    return None
