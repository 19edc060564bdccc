"""Value handlers for free text: identifiers, dates, phones, codes and clinical terms,
each checked by validators and by the context words before it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache

from breachscope.detect import lexicon, normalize, validators
from breachscope.detect.text_patterns import dict_group
from breachscope.detect.text_scan import _nearest, _Scan

_ID_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{1,24}")
# An ID in groups one space apart, each group after the first mostly digits, ending at a
# blank, a stop or a bracket (not "01/15/2024", "10:30").
_SPACED_ID = re.compile(
    r"([A-Za-z0-9]{1,12})(?:[ ][A-Za-z]{0,3}\d{2,12}[A-Za-z]{0,3}){1,4}(?=$|[\s,;)\]])"
)
_LOWER_WORD_NEXT = re.compile(r"[ \t]+[a-z]")
# A word between an ID's label and its value, before a value with a digit.
_LINK_WORD = re.compile(r"(?:is|was|of)[ \t]+(?=[A-Za-z\-]*(?:[ ][A-Za-z]{0,3})?\d)")
_DIGIT = re.compile(r"[0-9]")  # in an _ID_VALUE (ASCII): what str.isdigit finds there


# A driver's licence written after its issuing state ("WI D123-4567-8901-23").
# A member ID's two-digit person suffix ("W99834410 01"), not a date, a time or a count
# ("01/15/2024", "10:30", "12 visits left").
_PERSON_SUFFIX = re.compile(r"[ ]\d{2}(?=[ \t]*(?:$|[\r\n,;|)]|[ \t]{2}|[ \t]+[A-Z]))", re.M)
# A bare "ID" right after an insurance plan's or payer's name is the member's ID ("Blue
# Cross PPO  ID# H12345678", "Aetna Choice POS II  ID: W5588", "Molina\nID: 7730015562");
# a few capitalised words may come between, none a provider's, a claim's or a group's.
_BARE_ID = re.compile(
    r"(?:[ \t]+(?!(?:Provider|Prov|NPI|Tax|TIN|Claim|Group|Grp|Employer|Employee|Order|"
    r"Account|Acct|Rx|BIN|PCN|Payer|Plan|Policy|Member|Subscriber|ID|Id)\b)[A-Z0-9][\w+&]{0,12}){0,4}?"
    r"[ \t]*[,;|\-]?[ \t]*(?:\n[ \t]*)?(?:ID|Id|I\.D\.)(?![A-Za-z0-9])[ \t]*"
    r"(?:#|No\.?|Number|Nbr)?[ \t]*[:#=]?[ \t]*(?=[A-Za-z0-9\-]*\d)([A-Za-z0-9][A-Za-z0-9\-]{4,24})"
)


def bare_member_id(st: _Scan, pos: int, why: str) -> int:
    """A member ID after a plan's or payer's name ending at ``pos``; where to go on."""
    near = st.text[pos : pos + 90]
    if "ID" not in near and "Id" not in near and "I.D." not in near:
        return pos  # most plan names: no pattern tried
    m = _BARE_ID.match(st.text, pos)
    if m is None:
        return pos
    raw = m.group(1).rstrip("-")
    sfx = _PERSON_SUFFIX.match(st.text, m.start(1) + len(raw))
    end = sfx.end() if sfx is not None else m.start(1) + len(raw)
    value = normalize.ident(st.text[m.start(1) : end])
    if value is None:
        return pos
    st.add("member_id", "member", value, 0.85, "text.label", f"bare 'ID' after {why}",
           m.start(1), end)  # fmt: skip
    return end


_STATE_THEN_ID = re.compile(r"[A-Za-z]{2}[ ]*[-:]?[ ]*(?=[A-Za-z0-9]*\d)")
_SECRET_VALUE = re.compile(r"\S{3,64}")


_GENDER_VALUE = re.compile(r"(?i:male|female|m|f|x|u|unknown|other|non-binary|nonbinary)\b")


_LAB_VALUE = re.compile(
    r"[ \t]*(?:\([^)\n]{0,15}\)[ \t]*)?(?:level|value|result|results)?[ \t]*(?:was|is|of|=|:|-)?[ \t]*"
    r"(?:was|is|of|=|:)?[ \t]*(?P<cmp>[<>]=?[ \t]*)?(?P<num>-?\d+(?:,\d{3})*(?:\.\d+)?(?:/\d+)?)[ \t]*"
    r"(?P<unit>%|mg/dl|mg/l|mmol/l|meq/l|g/dl|ng/ml|pg/ml|iu/l|u/l|miu/l|uiu/ml|miu/ml|k/ul|"
    r"x10\^?\d+/[lu]l?|/ul|cells/ul|copies/ml|fl|pg|sec|seconds|mm/hr|mcg/dl|ug/dl|ng/dl|"
    r"ml/min(?:/1\.73\s*m2)?|units?)?",
    re.I,
)


_BODY = re.compile(r"\b(?:" + "|".join(re.escape(b) for b in lexicon.BODY_PARTS) + r")\b", re.I)


_IMAGING_CUE = re.compile(
    r"\b(?:scan|study|exam|imaging|images|with\s+contrast|without\s+contrast|w/o\s+contrast|"
    r"w/\s*contrast|findings|impression|radiology|ordered|"
    # what an echocardiogram reports ("Echo EF 25%", "TTE: LVEF 55%")
    r"ef|lvef|ejection\s+fraction|wall\s+motion|hypokinesis|akinesis)\b",
    re.I,
)


# Words that make a number the organisation's, not the person's ("call us", "our office",
# "Member Services", "the pharmacy"). A bare "call" or "reach me at" is not one of them.
_ORG_CUES = re.compile(
    r"\b(?:us|our|office|line|toll|hotline|helpline|center|centre|clinic|department|desk|"
    r"services?|fax|hours|visit|website|pharmacy|hospital|billing)\b",
    re.I,
)


_CONDITIONAL = re.compile(r"\b(?:if|whether|unless|or|not|in\s+case)\b[^.\n]{0,25}$", re.I)


_ROLE_EMAIL = re.compile(
    r"^(?:privacy|info|support|help|noreply|no-reply|donotreply|contact|compliance|billing|"
    r"customerservice|customer\.service|service|hipaa|security|admin|webmaster|office|team|"
    r"notices?|claims|records|hr|careers|press|media|legal|incident|breach)@",
    re.I,
)


_HEADER_LINE = re.compile(r"[ \t]*(?:from|to|cc|bcc|reply-to|sender|sent\s+by|author)\s*:", re.I)
_TOLL_FREE = ("+1800", "+1888", "+1877", "+1866", "+1855", "+1844", "+1833")


def _h_email(st: _Scan, s: int, e: int, g: str) -> int:
    v = normalize.email(g)
    ls = st.text.rfind("\n", 0, s) + 1
    if _HEADER_LINE.match(st.text, ls):
        return e  # From:/To:/Cc: lines address staff, not data subjects
    if v and not _ROLE_EMAIL.match(v):
        st.add("email", None, v, 0.95, "text.pattern", "pattern email; syntax check", s, e)
    return e


def _h_gender(st: _Scan, s: int, e: int, g: str) -> int:
    m = _GENDER_VALUE.match(st.text, e)
    if m:
        v = normalize.gender(m.group(0))
        if v:
            st.add("gender", None, v, 0.9, "text.label", "label 'sex/gender:'", m.start(), m.end())
            return m.end()
    return e


@lru_cache(maxsize=4096)  # pure; the same few labels recur in every document
def _classify_id_label(label: str) -> tuple[str, str | None] | None:
    lab = label.lower()
    if any(w in lab for w in ("encounter", "visit", "fin")):
        return None
    if any(w in lab for w in ("user", "login")):
        return "username_password", "username"
    if any(w in lab for w in ("password", "passwd", "pwd", "passcode")) or lab.startswith("pin"):
        return "username_password", "password"
    if "routing" in lab or lab.startswith("aba"):
        return "bank_account", "routing"
    if any(w in lab for w in ("bank", "checking", "savings", "iban")):
        return "bank_account", "account"
    if "passport" in lab:
        return "passport", None
    if (
        "driver" in lab
        or lab.startswith(("dl", "d.l", "cdl"))
        or "state id" in lab
        or "licen" in lab
    ):
        return "drivers_license", None
    if "medicaid" in lab or lab.startswith("cin"):
        return "member_id", "medicaid"
    if any(w in lab for w in ("medicare", "mbi", "hic")):
        return "member_id", "medicare"
    if lab.startswith(
        (
            "mrn",
            "m.r.n",
            "mr",
            "medical record",
            "med",
            "chart",
            "patient",
            "pt",
            "person",
            "empi",
            "mpi",
        )
    ):
        return "mrn", None
    if "acct" in lab or "account" in lab:
        return "mrn", "account"
    if "group" in lab or lab.startswith("grp"):
        return "member_id", "group"
    if lab.startswith(("expediente", "historia cl")) or lab.endswith("expediente"):
        return "mrn", None  # Spanish: "Expediente médico", "Número de expediente"
    if "policy" in lab or "póliza" in lab or "poliza" in lab:
        return "member_id", "policy"
    return "member_id", "member"


@lru_cache(maxsize=4096)
def _id_label(matched: str) -> tuple[str, tuple[str, str | None] | None]:
    """The label as matched, tidied, and what it labels."""
    label = " ".join(matched.lower().strip(" :#=-\t\n").split())
    return label, _classify_id_label(label)


# "Medicare" / "Medicaid" open an ID label ("Medicare #", "Medicaid ID") and name a plan
# ("She has Medicare Advantage through Humana"): the label group matches both.
_PLAN_LABEL = re.compile(r"(?i:medicare|medicaid)\b")


def _h_lbl_id(st: _Scan, s: int, e: int, g: str) -> int:
    if not _PLAN_LABEL.match(g):
        return _lbl_id_value(st, s, e, g)
    before = len(st.out)
    nxt = _lbl_id_value(st, s, e, g)
    if len(st.out) > before:
        return nxt
    # No ID after it: the plan's name, as the payer dictionary reads it at the same place.
    m = _payer_at().match(st.text, s)
    return _h_payer(st, s, m.end(), m.group(0)) if m else nxt


@lru_cache(maxsize=1)
def _payer_at() -> re.Pattern[str]:
    return re.compile(dict_group(lexicon.PAYERS))


def _lbl_id_value(st: _Scan, s: int, e: int, g: str) -> int:
    label, kind = _id_label(g)
    text = st.text
    if kind is None:
        m0 = _ID_VALUE.match(text, e)
        return m0.end() if m0 and _DIGIT.search(m0.group(0)) else e
    cat, fld = kind
    if cat == "username_password":
        m = _SECRET_VALUE.match(text, e)
        if not m or e - s > 40:
            return e
        raw = m.group(0).rstrip(".,;")
        if fld == "password":
            value = "sha256:" + hashlib.sha256(raw.encode()).hexdigest()[:16]
        else:
            value = raw.lower()
        st.add(
            cat, fld, value, 0.85, "text.label", f"label '{label}'", m.start(), m.start() + len(raw)
        )
        return m.start() + len(raw)
    link = _LINK_WORD.match(text, e)
    if link is not None:
        e = link.end()  # "member number is 44710238"
    m = _ID_VALUE.match(text, e)
    if cat == "member_id":
        # A card's ID printed in groups ("XEH 771 209 441", "W 1234 5678 01"): joined when
        # the first group alone is too short to be the ID.
        sp = _SPACED_ID.match(text, e)
        if (
            sp is not None
            and (m is None or m.end() < sp.end())
            and len(sp.group(1)) < 6
            and not sp.group(1).islower()  # a word ("is 44710238"), not a group of the ID
            and 6 <= len(sp.group(0).replace(" ", "")) <= 24
            # "W 1234 12 visits": a short last group before a word is a count.
            and not (
                len(sp.group(0)) - sp.group(0).rfind(" ") <= 3
                and _LOWER_WORD_NEXT.match(text, sp.end())
            )
        ):
            m = sp
    if not m:
        return e
    if cat == "drivers_license" and len(m.group(0)) == 2 and normalize.state_code(m.group(0)):
        # "Driver's license: WI D123-4567-8901-23": the issuing state, then the number.
        after = _STATE_THEN_ID.match(text, m.start())
        m = _ID_VALUE.match(text, after.end()) if after else None
        if not m:
            return e
    raw = m.group(0).rstrip("-")
    if not _DIGIT.search(raw):
        return e
    if cat == "member_id" and fld == "member":
        sfx = _PERSON_SUFFIX.match(text, m.start() + len(raw))
        if sfx is not None:
            raw = text[m.start() : sfx.end()]  # "W99834410 01": the person's suffix
    bare = label in ("member", "subscriber", "policy", "membership")
    if bare and (len(raw) < 6 or (not any(c.isalpha() for c in raw) and len(raw) < 8)):
        return e  # "member 2 of 3", "policy 12": not identifiers
    ident = normalize.ident(raw)
    if ident is None:
        return e
    value = ident
    vs, ve = m.start(), m.start() + len(raw)
    why = f"label '{label}'"
    conf = 0.9
    fld_out: str | None = fld
    if cat == "member_id":
        if validators.mbi_valid(value):
            fld_out, why = "mbi", why + "; validator mbi_format"
        elif validators.hicn_valid(value):
            fld_out, why = "hicn", why + "; validator hicn_format"
    elif cat == "bank_account" and fld == "routing":
        if not validators.aba_valid(value):
            return ve
        why += "; validator aba_checksum"
    elif cat == "drivers_license":
        ctx = st.context(s, 30)
        if _nearest(ctx, ("provider", "staff")):
            return ve  # a clinician's licence, not the person's
    elif cat == "passport" and not 6 <= len(value) <= 12:
        return ve
    st.add(cat, fld_out, value, conf, "text.label", why, vs, ve)
    return ve


def _h_masked(st: _Scan, s: int, e: int, g: str) -> int:
    st.add(
        "ssn_last4",
        None,
        validators.digits(g)[-4:],
        0.85,
        "text.pattern",
        "masked SSN pattern (last 4 only)",
        s,
        e,
    )
    return e


def _h_hicn(st: _Scan, s: int, e: int, g: str) -> int:
    value = normalize.ident(g) or ""
    if not validators.hicn_valid(value):
        return s + 1 if not g[:11].replace("-", "").isdigit() else e
    near = _nearest(st.context(s), ("medicare", "member", "ssn"))
    if near is None:
        return e
    st.add(
        "member_id",
        "hicn",
        value,
        0.85,
        "text.pattern",
        f"pattern hicn; validator ssn_rules+bic; context {near}",
        s,
        e,
    )
    return e


def _h_ssn(st: _Scan, s: int, e: int, g: str) -> int:
    d = validators.digits(g)
    ctx = st.context(s)
    near = _nearest(ctx, ("ssn", "member", "mrn", "account", "phone", "dob", "last4"))
    if near in ("member", "mrn", "account") and "ssn" not in ctx:
        return e
    if validators.ssn_valid(d):
        conf = 0.95 if near == "ssn" else 0.85
        st.add(
            "ssn",
            None,
            d,
            conf,
            "text.pattern",
            f"pattern ssn; validator ssn_area_group_serial; context {near or 'none'}",
            s,
            e,
        )
    return e


def _h_card(st: _Scan, s: int, e: int, g: str) -> int:
    d = validators.digits(g)
    net = validators.card_network(d)
    if net:
        near = _nearest(st.context(s), ("card",))
        st.add(
            "payment_card",
            None,
            d,
            0.95 if near else 0.85,
            "text.pattern",
            f"pattern card; validator luhn+iin ({net}); context {near or 'none'}",
            s,
            e,
        )
    return e


def _h_ndc(st: _Scan, s: int, e: int, g: str) -> int:
    near = _nearest(st.context(s), ("rx", "phone", "member", "account", "mrn"))
    if near == "rx":
        st.add(
            "medication",
            "ndc",
            validators.digits(g),
            0.9,
            "text.pattern",
            "pattern ndc; context drug/NDC words",
            s,
            e,
        )
    return e


# A speaker's turn in a transcript or chat: "[00:00:17] Caller:", "19:03:02 Bao Nguyen:".
# A timestamp, a speaker's role, or a speaker's full name: never a form's one-word label
# ("Note: 01/02/1960 visit").
_TURN_PREFIX = re.compile(
    r"[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+[A-Z][\w.,'()\- ]{0,40}|"
    r"(?i:agent|caller|customer|member|patient|rep|representative|operator)\b[\w.,'()\- ]{0,30}|"
    r"[A-Z][a-z]+(?:[ ][A-Z][a-z'\-]+)+):[ \t]*"
)


def _answered_question(st: _Scan, s: int) -> list[str]:
    """Context kinds of the question a turn answers: the value is all a speaker says
    ("Caller: June 30th, 1987.") and the line above ends with a question mark ("… your date
    of birth?"). Empty otherwise."""
    ls = st.text.rfind("\n", 0, s) + 1
    if ls == 0 or not _TURN_PREFIX.fullmatch(st.text, ls, s):
        return []
    pe = ls - 1
    ps = st.text.rfind("\n", 0, pe) + 1
    above = st.text[ps:pe].rstrip()
    if not above.endswith("?"):
        return []
    return st.context(ps + len(above))


def _h_date(st: _Scan, s: int, e: int, g: str) -> int:
    ctx = st.context(s)
    near = _nearest(ctx, ("dob", "death", "service"))
    if near is None and _nearest(_answered_question(st, s), ("dob",)):
        near = "dob"
    d = normalize.parse_date(g, past=near == "dob", today=st.today)
    if d is None:
        return e
    if near == "dob" and validators.plausible_dob(d, st.today):
        st.add(
            "dob",
            None,
            d.isoformat(),
            0.95,
            "text.pattern",
            "pattern date; context date-of-birth words; validator calendar",
            s,
            e,
        )
    elif near == "death" and d <= st.today:
        st.add(
            "date_of_death",
            None,
            d.isoformat(),
            0.9,
            "text.pattern",
            "pattern date; context death words; validator calendar",
            s,
            e,
        )
        st.add("deceased", None, "true", 0.85, "text.pattern", "date of death present", s, e)
    elif near == "service":
        st.add(
            "service_date",
            None,
            d.isoformat(),
            0.75,
            "text.pattern",
            "pattern date; context service/visit words",
            s,
            e,
        )
    else:
        st.add(
            "other_date",
            None,
            d.isoformat(),
            0.6,
            "text.pattern",
            "pattern date; no birth/death/service context",
            s,
            e,
        )
    return e


def _phone_ok(st: _Scan, s: int) -> bool:
    lo = max(0, s - 40)
    seg = st.text[lo:s]
    nl = seg.rfind("\n")
    if nl != -1:
        seg = seg[nl + 1 :]
    if _ORG_CUES.search(seg) is not None:
        return False
    # "Her nephrologist is Dr. Patel at 312-555-0144": the number right after a provider's
    # name is the provider's.
    last = st.out[-1] if st.out else None
    if last is not None and last.category == "provider" and last.field == "name":
        end = last.end or 0
        if s - 30 <= end <= s and _PROVIDERS_NUMBER.fullmatch(st.text, end, s):
            return False
    return True


# What stands between a provider's name and the provider's number: "Dr. Patel at …",
# "Dr. Patel's office, …", "Dr. Ruiz (cell) …".
_PROVIDERS_NUMBER = re.compile(
    r"(?:['\u2019]s)?[ \t]*[,:(\-]?[ \t]*(?:(?:office|cell|phone|tel|number|line|clinic)\)?[ \t]*"
    r"[,:]?[ \t]*)?(?:at|on|is)?[ \t]*",
    re.I,
)


def _h_phone(st: _Scan, s: int, e: int, g: str) -> int:
    if _IPV4.fullmatch(g):
        return e
    v = normalize.phone_e164(g)
    if v and not v.startswith(_TOLL_FREE):
        near = _nearest(st.context(s), ("phone", "fax", "ssn", "member", "mrn", "account", "npi"))
        # "Member Jane Roe, 212-867-0147": an identifier word further back is not this
        # number's label; only one attached to it ("Member ID: 212-…") is.
        if near in ("member", "mrn", "account") and not _id_label_before(st, s):
            near = None
        if near in (None, "phone") and _phone_ok(st, s):
            st.add(
                "phone",
                None,
                v,
                0.9 if near else 0.8,
                "text.pattern",
                f"pattern phone (NANP); context {near or 'none'}",
                s,
                e,
            )
    return e


# Words right after a number that say it is a phone ("0493 50 35 13 office", "… (mobile)").
_PHONE_AFTER = re.compile(
    r"[ \t]*[-(,/]?[ \t]*(?:office|mobile|cell|fax|home|work|tel|phone|landline|direct|daytime|"
    r"evening|whatsapp)\b",
    re.I,
)
# An identifier label right before a number ("Member ID: 212-867-0147", "MRN 555 1234"):
# the number is that identifier, not a phone. Anything more in between and it no longer is.
_ID_LABEL_BEFORE = re.compile(
    r"(?:\b(?:member|mbr|subscriber|policy|group|grp|account|acct|mrn|chart|record|claim|"
    r"case|order|invoice|ssn|npi|id|no|number|num|ref|reference|confirmation|tracking|"
    r"license|licence|serial|control|auth|authorization|dea|tin|ein|medicaid|medicare)"
    r"\.?|#)[ \t]*(?:id|no\.?|number|num|#)?[ \t]*[:#=]?[ \t]*$",
    re.I,
)
_EXT = re.compile(r"[ ]?(?:x|ext\.?)[ ]?\d{1,6}$", re.I)


_NANP_SHAPE = re.compile(r"(?:\+?1[ .\-]?)?(?:\(\d{3}\)|\d{3})[ .\-]?\d{3}[ .\-]\d{4}")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_DATE_SHAPE = re.compile(r"(?:19|20)\d\d[ .\-](?:0?[1-9]|1[0-2])[ .\-](?:0?[1-9]|[12]\d|3[01])")


def _id_label_before(st: _Scan, s: int) -> bool:
    return _ID_LABEL_BEFORE.search(st.text, max(0, s - 24), s) is not None


# Phrases that end right before a number and make it a phone ("stop receiving messages to",
# "not answering at", "my registered", "call me on").
_PHONE_CUE = re.compile(
    r"\b(?:messages?|texts?|sms|whatsapp|answering|reach(?:ed)?\s+(?:me|him|her|them)|call(?:ed)?\s+"
    r"(?:me|him|her|them)|text\s+(?:me|him|her|them)|ring\s+(?:me|him|her))\s+(?:to|at|on)\s*$|"
    r"\bmy\s+registered\s*$",
    re.I,
)


def _phone_word_near(st: _Scan, s: int, e: int) -> str | None:
    """'phone' / 'fax' when a phone word is just before (same line) or right after."""
    near = _nearest(st.context(s, 40), ("phone", "fax"))
    if near:
        return near
    if _PHONE_CUE.search(st.text, max(0, s - 40), s):
        return "phone"
    return "phone" if _PHONE_AFTER.match(st.text, e) else None


# The digit run a grouped-digits match starts with ("99213" of "CPT 99213-25", a code and
# its modifier): when the match is no phone, the run is read as the digits group reads it.
_LEADING_RUN = re.compile(r"\d{4,19}(?!\d)")


def _h_phone_x(st: _Scan, s: int, e: int, g: str) -> int:
    before = len(st.out)
    nxt = _phone_x(st, s, e, g)
    if len(st.out) > before or not g[:1].isdigit():
        return nxt
    run = _LEADING_RUN.match(g)
    return _h_digits(st, s, s + run.end(), run.group(0)) if run else nxt


def _phone_x(st: _Scan, s: int, e: int, g: str) -> int:
    """Phones in any national or international format. A '+' or '00' prefix is parsed by
    phonenumbers; a NANP-shaped number is checked as one; any other shape needs a phone
    word just before or right after it, so IDs, dates and amounts stay out."""
    if _IPV4.fullmatch(g) or _DATE_SHAPE.fullmatch(g):
        return e  # an IP address, a date
    core = _EXT.sub("", g)
    d = validators.digits(core[2:] if core.startswith("00") else core)
    if not 7 <= len(d) <= 15 or _id_label_before(st, s):
        return e
    if not _phone_ok(st, s):
        return e
    word = _phone_word_near(st, s, e)
    value: str | None = None
    why = ""
    if core.startswith(("+", "00")):
        value = normalize.phone_e164("+" + core[2:] if core.startswith("00") else core)
        why = "pattern international phone; phonenumbers check"
    elif len(d) == 10 or (len(d) == 11 and d[0] == "1"):
        # Ten digits grouped any other way than 3-3-4 ("60-120 33914") need a phone word.
        if not word and not _NANP_SHAPE.fullmatch(core):
            return e
        value = normalize.phone_e164(core)
        why = "pattern phone (NANP)"
        if value is None and word:
            value = d
            why = "pattern phone (national format)"
    elif word and len(set(d)) > 2:
        value = d  # national format of an unknown country: digits as written
        why = "pattern phone (national format)"
    if value is None or value.startswith(_TOLL_FREE):
        return e
    near = _nearest(st.context(s), ("phone", "fax", "ssn", "member", "mrn", "account", "npi"))
    if near in ("ssn", "npi"):
        return e
    st.add("phone", None, value, 0.85 if word else 0.75, "text.pattern",
           f"{why}; context {word or 'none'}", s, e)  # fmt: skip
    return e


def _h_intl(st: _Scan, s: int, e: int, g: str) -> int:
    v = normalize.phone_e164(g)
    if v and _phone_ok(st, s):
        st.add(
            "phone",
            None,
            v,
            0.75,
            "text.pattern",
            "pattern international phone; phonenumbers check",
            s,
            e,
        )
    return e


def _h_mbi(st: _Scan, s: int, e: int, g: str) -> int:
    v = normalize.ident(g) or ""
    if validators.mbi_valid(v):
        near = _nearest(st.context(s), ("medicare", "member"))
        st.add(
            "member_id",
            "mbi",
            v,
            0.95 if near else 0.8,
            "text.pattern",
            f"pattern mbi; validator cms_mbi_format; context {near or 'none'}",
            s,
            e,
        )
    return e


def _h_dea(st: _Scan, s: int, e: int, g: str) -> int:
    if validators.dea_valid(g):
        near = _nearest(st.context(s), ("dea", "provider"))
        st.add(
            "provider",
            "dea",
            g.upper(),
            0.9 if near else 0.7,
            "text.pattern",
            f"pattern dea; validator dea_check_digit; context {near or 'none'}",
            s,
            e,
        )
    return e


def _h_icd(st: _Scan, s: int, e: int, g: str) -> int:
    ctx = st.context(s, 64)
    near = _nearest(ctx, ("dx", "px", "rx", "member", "mrn", "account", "dl", "passport", "npi"))
    token = g.upper()
    if near == "px" and "." not in token and validators.hcpcs_like(token):
        st.add(
            "procedure",
            "hcpcs",
            token,
            0.85,
            "text.pattern",
            "pattern hcpcs; context procedure words",
            s,
            e,
        )
        return e
    if near in ("member", "mrn", "account", "dl", "passport", "npi", "rx"):
        return e
    code = validators.icd10cm_code(token)
    if code is None:
        return e
    if "." in token:
        st.add(
            "diagnosis",
            "icd10",
            code,
            0.9 if near == "dx" else 0.8,
            "text.pattern",
            f"pattern icd10; validator icd10cm_code_set; context {near or 'none'}",
            s,
            e,
        )
    elif near == "dx":
        st.add(
            "diagnosis",
            "icd10",
            code,
            0.85,
            "text.pattern",
            "pattern icd10 (undotted); validator icd10cm_code_set; context diagnosis words",
            s,
            e,
        )
    return e


def _h_cptx(st: _Scan, s: int, e: int, g: str) -> int:
    if _nearest(st.context(s), ("px",)) and validators.cpt_like(g):
        st.add(
            "procedure",
            "cpt",
            g.upper(),
            0.8,
            "text.pattern",
            "pattern cpt category II/III; context procedure words",
            s,
            e,
        )
    return e


# A bill's or an EOB's service line names the service, then its code in brackets, with no
# code word: "Office visit, est pt (99214)", "X-ray knee 3 views (73562)".
_SERVICE_WORDS = re.compile(
    r"\b(?:(?:office|clinic|e[dr]|home|follow[- ]?up|new|est(?:ablished)?|telehealth|hospital|"
    r"well|preventive|inpatient|outpatient)[ ]visit|exam|consult(?:ation)?|evaluation|views?|"
    r"injection|infusion|therapy|panel|"
    r"screening|surgery|repair|removal|biopsy|anesthesia|vaccine|immunization|"
    r"[a-z]+(?:ectomy|otomy|ostomy|plasty|scopy|graphy|centesis))\b",
    re.I,
)
_SERVICE_FINDINGS = frozenset({"procedure", "imaging", "test_result"})


def _billed_service_code(st: _Scan, s: int, e: int, g: str) -> bool:
    text = st.text
    if not (s and text[s - 1] == "(" and text[e : e + 1] == ")" and validators.cpt_like(g)):
        return False
    ls = text.rfind("\n", 0, s) + 1
    last = st.out[-1] if st.out else None
    on_line = last.category if last is not None and (last.end or 0) >= ls else None
    if on_line == "address":
        return False  # "… Springfield, IL (62704)": a ZIP
    if _SERVICE_WORDS.search(text, max(ls, s - 60), s) is not None:
        return True
    return on_line in _SERVICE_FINDINGS


_DOB_OR_ID = ("dob", "ssn", "member", "medicare", "mrn", "account", "phone", "dl", "passport")


def _compact_dob(g: str, today: dt.date) -> dt.date | None:
    """Eight digits after a birth-date cue ("DOB: 01031958", "DOB 19580103"): YYYYMMDD
    when it reads as one, else MMDDYYYY (US order); a plausible birth date or None."""
    d = normalize.parse_date(g, past=True, today=today) if g[:2] in ("19", "20") else None
    if d is None:
        d = validators.real_date(int(g[4:]), int(g[:2]), int(g[2:4]))
    return d if d is not None and validators.plausible_dob(d, today) else None


def _h_digits(st: _Scan, s: int, e: int, g: str) -> int:
    n = len(g)
    if n == 4:
        ctx = st.context(s, 40)
        if _nearest(ctx, ("last4", "ssn")) and ("last4" in ctx or "ssn" in ctx):
            near = _nearest(ctx, ("last4", "ssn", "card", "account", "phone"))
            if near in ("last4", "ssn"):
                st.add("ssn_last4", None, g, 0.8, "text.pattern", f"4 digits; context {near}", s, e)
        return e
    if n < 5:
        return e
    if n == 8 and _nearest(st.context(s, 20), _DOB_OR_ID) == "dob":
        d = _compact_dob(g, st.today)
        if d is not None:
            why = "8 digits; context date-of-birth words; validator calendar"
            st.add("dob", None, d.isoformat(), 0.85, "text.pattern", why, s, e)
            return e
    text = st.text
    # One part of a longer number ("Tax ID: 12-3456789", "4471-023-88") is no identifier;
    # a code's modifier or package part is its own ("CPT 99213-25").
    part = (s >= 2 and text[s - 1] in "-." and text[s - 2].isdigit()) or (
        e + 1 < len(text) and text[e] in "-." and text[e + 1].isdigit()
    )
    ctx = st.context(s)
    near = _nearest(
        ctx,
        (
            "ssn",
            "npi",
            "phone",
            "fax",
            "member",
            "medicare",
            "mrn",
            "account",
            "routing",
            "bank",
            "card",
            "dl",
            "passport",
            "px",
            "rx",
            "dea",
        ),
    )
    if part and near not in ("px", "rx"):
        return e
    if near is None and n == 5 and _billed_service_code(st, s, e, g):
        why = "5 digits in brackets after a service's words on its line; cpt range"
        st.add("procedure", "cpt", g, 0.75, "text.pattern", why, s, e)
        return e
    if near is None:
        if n in (10, 11) and _PHONE_AFTER.match(st.text, e) and _phone_ok(st, s):
            v = normalize.phone_e164(g)
            if v and not v.startswith(_TOLL_FREE):
                st.add("phone", None, v, 0.8, "text.pattern", "digits; phone word after", s, e)
            return e
        if n in (13, 14, 15, 16, 19) and validators.card_network(g):
            st.add("payment_card", None, g, 0.8, "text.pattern", "digits; validator luhn+iin", s, e)
        return e
    if near == "ssn" and n == 9:
        if validators.ssn_valid(g):
            st.add(
                "ssn",
                None,
                g,
                0.9,
                "text.pattern",
                "9 digits; context ssn; validator ssn_area_group_serial",
                s,
                e,
            )
    elif near == "npi" and n == 10:
        if validators.npi_valid(g):
            st.add(
                "provider",
                "npi",
                g,
                0.95,
                "text.pattern",
                "10 digits; context npi; validator npi_luhn",
                s,
                e,
            )
    elif near in ("phone",) and n in (10, 11):
        v = normalize.phone_e164(g)
        if v and not v.startswith(_TOLL_FREE) and _phone_ok(st, s):
            st.add("phone", None, v, 0.8, "text.pattern", "digits; context phone", s, e)
    elif near in ("member", "medicare") and n >= 6:
        st.add("member_id", "member", g, 0.75, "text.pattern", f"digits; context {near}", s, e)
    elif near == "mrn" and n >= 5:
        st.add("mrn", None, g, 0.8, "text.pattern", "digits; context medical record words", s, e)
    elif near == "routing" and n == 9:
        if validators.aba_valid(g):
            st.add(
                "bank_account",
                "routing",
                g,
                0.9,
                "text.pattern",
                "9 digits; context routing; validator aba_checksum",
                s,
                e,
            )
    elif near == "bank" and 6 <= n <= 17:
        st.add(
            "bank_account",
            "account",
            g,
            0.75,
            "text.pattern",
            "digits; context bank account words",
            s,
            e,
        )
    elif near == "card" and validators.card_network(g):
        st.add(
            "payment_card",
            None,
            g,
            0.95,
            "text.pattern",
            "digits; context card; validator luhn+iin",
            s,
            e,
        )
    elif near == "px" and n == 5 and validators.cpt_like(g):
        st.add(
            "procedure",
            "cpt",
            g,
            0.8,
            "text.pattern",
            "5 digits; context procedure/CPT words; cpt range",
            s,
            e,
        )
    elif near == "rx" and n in (10, 11):
        st.add(
            "medication",
            "ndc",
            g,
            0.75,
            "text.pattern",
            "digits; context ndc/medication words",
            s,
            e,
        )
    elif near == "dl" and 5 <= n <= 13 and not _nearest(st.context(s, 30), ("provider", "staff")):
        # (a licence next to a provider or staff word is a clinician's: "Provider license")
        st.add(
            "drivers_license",
            None,
            g,
            0.7,
            "text.pattern",
            "digits; context driver's licence words",
            s,
            e,
        )
    elif near == "passport" and n == 9:
        st.add("passport", None, g, 0.8, "text.pattern", "9 digits; context passport", s, e)
    return e


_CASE_SENSITIVE = frozenset(
    {"aids", "echo", "pet", "chip", "soma", "alt", "ast", "iron", "lh", "als", "ect"}
)


# Lab abbreviations as clinicians write them in mixed case ("Hgb 9.8", "Na 138").
_MIXED_CASE_OK = frozenset(
    {"Hgb", "Hct", "Plt", "Na", "Cl", "Hb", "Wbc", "Rbc", "Bun", "Inr", "Bnp", "Tsh", "Ldl",
     "Hdl", "Ggt", "Esr", "Crp", "Mcv", "Mch", "Rdw", "Ptt"}
)  # fmt: skip


def _dict_ok(term: str, matched: str) -> bool:
    if (len(term) <= 3 and term.isalpha()) or term in _CASE_SENSITIVE:
        return matched.isupper() or matched in _MIXED_CASE_OK
    return True


@lru_cache(maxsize=8192)  # pure; the same dictionary words recur in every document
def _dict_term(matched: str) -> str | None:
    """The dictionary term as matched (lower case, spaces tidied), None when its case says
    it is not the term ("Echo" the name, not an ECHO)."""
    term = " ".join(matched.lower().split())
    return term if _dict_ok(term, matched) else None


def _h_dead(st: _Scan, s: int, e: int, g: str) -> int:
    before = st.text[max(0, s - 40) : s]
    if _CONDITIONAL.search(before):
        return e
    st.add("deceased", None, "true", 0.8, "text.dictionary", "deceased phrase", s, e)
    return e


_PLAN_WORDS = re.compile(
    r"\b(?:PPO|HMO|EPO|POS|HDHP|PFFS|SNP|Medicare|Medicaid|Advantage|Health\s+Plan|Insurance|"
    r"Blue\s+Cross|Blue\s+Shield|BCBS|Tricare|Gold|Silver|Bronze|Platinum)\b",
    re.I,
)
_PAYER_SET = frozenset(lexicon.PAYERS)
_PLAN_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9&'.\-/]*(?:[ ][A-Za-z0-9&'.\-/]+){0,6}")
_PLAN_CUT = re.compile(
    r"\s{2,}|\t|;|\(|\b(?:Policy|Member|Group|ID|Subscriber|Grp|Eff|Effective|Phone)\b"
)


def _h_lbl_plan(st: _Scan, s: int, e: int, g: str) -> int:
    """``Insurance: KP Silver 70 HMO`` — the rest of the field is the plan's name."""
    le = st.text.find("\n", e)
    seg = st.text[e : len(st.text) if le == -1 else le]
    cut = _PLAN_CUT.search(seg)
    if cut:
        seg = seg[: cut.start()]
    m = _PLAN_VALUE.match(seg)
    if not m:
        return e
    v = m.group(0).strip(" .,-")
    low = v.lower()
    if len(v) < 3 or low in (
        "none",
        "n/a",
        "self pay",
        "self-pay",
        "uninsured",
        "unknown",
        "na",
        "self",
    ):
        return e
    if low.split(" ", 1)[0] in ("is", "was", "the", "of", "for", "and", "will", "has"):
        return e
    label = " ".join(g.lower().strip(" :\t").split())
    # "Plan: follow up in 2 weeks" is a care plan: only plan-like names count there.
    plan_like = _PLAN_WORDS.search(v) or low in _PAYER_SET or low.split(" ", 1)[0] in _PAYER_SET
    if label.split()[-1] in ("plan", "coverage") and label != "health plan" and not plan_like:
        return e
    st.add("health_plan", None, v, 0.85, "text.label", f"label '{label}:'", e, e + len(v))
    st.add("organization", "payer", v, 0.8, "text.label", f"label '{label}:'", e, e + len(v))
    return bare_member_id(st, e + len(v), f"the plan after '{label}:'")


def _h_plan_name(st: _Scan, s: int, e: int, g: str) -> int:
    v = " ".join(g.split())
    first = v.split(" ", 1)[0].lower()
    if first in ("the", "our", "your", "a", "this", "that", "any", "each", "no"):
        v = v.split(" ", 1)[1]
        s = e - len(v) if g.endswith(v) else s
    st.add(
        "health_plan",
        None,
        v,
        0.75,
        "text.pattern",
        "plan-name pattern (PPO/HMO/Health Plan …)",
        s,
        e,
    )
    st.add(
        "organization",
        "payer",
        v,
        0.7,
        "text.pattern",
        "plan-name pattern (PPO/HMO/Health Plan …)",
        s,
        e,
    )
    return bare_member_id(st, e, "a plan's name")


def _h_payer(st: _Scan, s: int, e: int, g: str) -> int:
    term = _dict_term(g)
    if term is None:
        return e
    v = " ".join(g.split())
    conf = 0.6 if term in ("medicare", "medicaid", "chip") else 0.75
    st.add("health_plan", None, v, conf, "text.dictionary", "payer dictionary", s, e)
    st.add("organization", "payer", v, conf, "text.dictionary", "payer dictionary", s, e)
    return bare_member_id(st, e, "a payer's name")


def _h_lab(st: _Scan, s: int, e: int, g: str) -> int:
    term = _dict_term(g)
    if term is None:
        return e
    plus = st.text.startswith("+", e)
    if plus:
        term, e = term + "+", e + 1  # "K+ 6.1", "Na+ 131"
    m = _LAB_VALUE.match(st.text, e)
    if m and term == "k" and not _POTASSIUM.fullmatch(m["num"]):
        m = None  # "Vitamin K 10 mg", "K 12 school": K alone needs a potassium-like value
    nxt = st.text[m.end("num") : m.end("num") + 1] if m else ""
    if m and not m["unit"] and (nxt.isalpha() or nxt == "/"):
        m = None  # "CL-1D", "NA 12B", "NA 12/01/2024": a code or a date, not a result
    if m and term in _SHORT_LABS and st.text.startswith("-", e):
        m = None  # "Form CL-2": a form's number
    if m and m.end() - e <= 30:
        unit = m["unit"] or ""
        num = m["num"].replace(",", "")  # "BNP 1,840"
        value = f"{term} {m['cmp'] or ''}{num}{(' ' + unit) if unit else ''}".replace("  ", " ")
        st.add(
            "test_result",
            "lab",
            value,
            0.85,
            "text.dictionary",
            "lab test dictionary followed by a numeric result",
            s,
            m.end(),
        )
        return m.end()
    if term in lexicon.DRUGS:
        st.add("medication", None, term, 0.8, "text.dictionary", "drug dictionary", s, e)
    return e


_SHORT_LABS = frozenset({"k", "k+", "na", "na+", "cl", "hb"})
_POTASSIUM = re.compile(r"[1-9]\.\d")
_ECHO_REPORT = re.compile(r"[ \t:,\-]*(?:LV)?EF\b|[ \t:,\-]*(?i:ejection\s+fraction)")


def _h_img(st: _Scan, s: int, e: int, g: str) -> int:
    term = _dict_term(g)
    if term is None:
        if g != "Echo" or not _ECHO_REPORT.match(st.text, e):
            return e
        term = "echo"  # "Echo EF 25%": the study, not the given name
    if term in lexicon.IMAGING_SPECIFIC:
        st.add("imaging", None, term, 0.85, "text.dictionary", "imaging study dictionary", s, e)
        return e
    lo, hi = max(0, s - 40), min(len(st.text), e + 40)
    window = st.text[lo:hi]
    body = _BODY.search(st.text, e, hi)
    if body or _IMAGING_CUE.search(window):
        value = term + (" " + body.group(0).lower() if body else "")
        st.add(
            "imaging",
            None,
            value,
            0.8,
            "text.dictionary",
            "imaging modality with body part / study words",
            s,
            e,
        )
    return e


def _h_proc(st: _Scan, s: int, e: int, g: str) -> int:
    term = _dict_term(g)
    if term is not None:
        st.add("procedure", None, term, 0.8, "text.dictionary", "procedure dictionary", s, e)
    return e


# A condition's name heading a test of it ("HIV-1/2 Ag/Ab Screen  Nonreactive", "Hepatitis C
# Antibody  Reactive", "COVID-19 PCR: not detected"): a lab test, whatever its result,
# and no diagnosis.
_TEST_OF = re.compile(
    r"(?:[ \t]*[-/]?[0-9/]*)?(?:[ \t]*(?i:ag|ab|ag/ab|igg|igm|rna|dna|virus|1/2)\b)*"
    r"[ \t]*(?i:antibod(?:y|ies)|antigen|screen(?:ing)?|test(?:ing)?|pcr|naat|viral[ \t]+load|"
    r"titers?|panel|serology|ag/ab|ag|ab|igg|igm|rna|dna|genotype|quant\w*)\b"
)


# What ``_TEST_OF`` needs first: past blanks, a dash or slash and digits, a letter that
# one of its words starts with (or the "1" of "1/2"). Most conditions are followed by
# none ("diabetes, …", "… and", a line end), and ``_TEST_OF`` costs some 3 µs a try.
_TEST_HEAD = re.compile(r"[ \t]*[-/]?[0-9/]*[ \t]*[AaDdGgIiNnPpQqRrSsTtVv1]")


def _h_cond(st: _Scan, s: int, e: int, g: str) -> int:
    term = _dict_term(g)
    if term is None:
        return e
    test = _TEST_OF.match(st.text, e) if _TEST_HEAD.match(st.text, e) else None
    if test is not None:
        value = " ".join(st.text[s : test.end()].split())
        why = "condition dictionary followed by test words (a test, not a diagnosis)"
        st.add("test_result", "lab", value, 0.8, "text.dictionary", why, s, test.end())
        return test.end()
    st.add("diagnosis", None, term, 0.8, "text.dictionary", "condition dictionary", s, e)
    return e


def _h_drug(st: _Scan, s: int, e: int, g: str) -> int:
    term = _dict_term(g)
    if term is not None:
        st.add("medication", None, term, 0.85, "text.dictionary", "drug dictionary", s, e)
    return e
