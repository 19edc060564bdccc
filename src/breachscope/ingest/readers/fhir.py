"""FHIR R4 JSON: Bundles, single resources, JSON arrays and NDJSON bulk exports.

Read tolerantly with the stdlib ``json`` module into plain dicts (``fhir.resources``
rejects the bundles real servers export): unknown elements are ignored, missing ones are
simply absent. A truncated or oversized Bundle is read entry by entry with
``JSONDecoder.raw_decode`` (what parsed is kept); NDJSON is streamed line by line, a bad
line failing alone.

**Bundle / array / single resource** — one row per ``Patient`` resource, holding what
every resource in the file that refers to that patient says (``subject``, ``patient``,
``beneficiary`` references, resolved through ``fullUrl``, ``Type/id``, absolute URLs and
``urn:uuid:`` ids): Coverage (payer, plan, group, member ID; a subscriber other than the
patient as ``Subscriber …``), Condition (ICD-10 codes, descriptions), Observation (``Lab
Results``: ``Glucose 145 mg/dL``; imaging category → ``Imaging Studies``),
MedicationRequest / Statement / Administration / Dispense and Immunization
(``Medications``; ``medicationReference`` resolved), Procedure, DiagnosticReport (imaging),
ImagingStudy, Encounter (practitioners, facility, date, reasons), Claim and
ExplanationOfBenefit (diagnoses, procedures, insurer). Who ordered, performed, recorded or
asserted (``requester``, ``performer``, ``recorder``, ``asserter``, ``informationSource``,
``resultsInterpreter``; Encounter participants, Claim provider, ``generalPractitioner``) goes
to ``Attending Physician`` / ``Attending NPI`` when it is a Practitioner (directly or
through a PractitionerRole; contained, ``urn:uuid:`` or ``Type/id``); a Patient,
RelatedPerson or Organization there gives nothing. Practitioner, Organization, Medication
and RelatedPerson resources are only used to resolve names: never a row of their own. ``row_no`` is the
1-based entry number of the Patient (the resource's position in the array); resources
about a patient who is not in the file are grouped by their reference into one row whose
``row_no`` is the first such entry.

**NDJSON** (bulk data export: usually one resource type per file) — one row per line that
is a Patient or refers to one; ``row_no`` is the 1-based line number. A clinical line
carries its patient's name, DOB and MRN (from a Patient line of the same file, or from a
``*Patient*.ndjson`` file beside it, so that a ``Condition.ndjson`` still counts for its
patients); other demographics stay on the Patient's own row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from breachscope.ingest.emit import Emitter
from breachscope.ingest.readers import healthrows as H
from breachscope.ingest.registry import ReadContext, Source

WHOLE_LIMIT = 256 << 20  # bigger Bundles are streamed entry by entry
CHUNK = 1 << 20

COLUMNS = (
    H.SOURCE, H.RECORD_TYPE, H.FACILITY, *H.PATIENT_COLUMNS, H.PAYER, H.PLAN, H.MEMBER_ID,
    H.GROUP_NO, *H.SUBSCRIBER_COLUMNS, H.ATTENDING, H.ATTENDING_NPI, *H.CLINICAL_COLUMNS,
    H.SERVICE_DATE,
)  # fmt: skip

Res = dict[str, Any]
_ABS_REF = re.compile(r"([A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")
_ENTRY_ARRAY = re.compile(r'"entry"\s*:\s*\[')
_PATIENT_LINE = re.compile(rb'"resourceType"\s*:\s*"(Patient|Practitioner|Organization|'
                           rb'Medication|RelatedPerson|PractitionerRole)"')  # fmt: skip
_PATIENT_REFS = ("subject", "patient", "beneficiary")
_NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
_PRACTITIONER_TYPES = ("Practitioner", "PractitionerRole")
# Elements naming who ordered, performed, recorded or asserted, by resource type: a
# Reference, a list of them, or backbone elements holding one in ``actor``.
_PROVIDER_REFS: dict[str, tuple[str, ...]] = {
    "MedicationRequest": ("requester", "performer"),
    "MedicationStatement": ("informationSource",),
    "MedicationAdministration": ("performer",),
    "MedicationDispense": ("performer",),
    "Immunization": ("performer",),
    "Procedure": ("performer",),
    "Observation": ("performer",),
    "DiagnosticReport": ("performer", "resultsInterpreter"),
    "Condition": ("recorder", "asserter"),
}
_LINK_COLUMNS = (H.P_LAST, H.P_FIRST, H.P_MIDDLE, H.P_SUFFIX, H.P_DOB, H.P_MRN)


# --------------------------------------------------------------------------- small readers


def _list(v: Any) -> list[Any]:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _s(v: Any) -> str:
    return v.strip() if isinstance(v, str) else str(v) if isinstance(v, int | float) else ""


def _cc_text(cc: Any) -> str:
    """Text of a CodeableConcept (or of a Coding): text, else the first display, else code."""
    if not isinstance(cc, dict):
        return _s(cc)
    if _s(cc.get("text")):
        return _s(cc["text"])
    if _s(cc.get("display")):
        return _s(cc["display"])
    for c in _list(cc.get("coding")):
        if isinstance(c, dict) and _s(c.get("display")):
            return _s(c["display"])
    for c in _list(cc.get("coding")):
        if isinstance(c, dict) and _s(c.get("code")):
            return _s(c["code"])
    return _s(cc.get("code"))


def _codings(cc: Any) -> list[tuple[str, str, str]]:
    """(system, code, display) of each coding of a CodeableConcept."""
    if not isinstance(cc, dict):
        return []
    out = []
    for c in _list(cc.get("coding")):
        if isinstance(c, dict):
            out.append((_s(c.get("system")).lower(), _s(c.get("code")), _s(c.get("display"))))
    return out


def _human_name(names: Any) -> dict[str, str]:
    picked: Any = None
    for n in _list(names):
        if isinstance(n, dict) and n.get("use") in ("official", "usual"):
            picked = n
            break
    if picked is None:
        picked = next((n for n in _list(names) if isinstance(n, dict)), None)
    if picked is None:
        return {}
    given = [_s(g) for g in _list(picked.get("given")) if _s(g)]
    family = picked.get("family")
    family = " ".join(_s(f) for f in family) if isinstance(family, list) else _s(family)
    out = {"last": family, "first": given[0] if given else "", "middle": " ".join(given[1:])}
    out["suffix"] = " ".join(_s(x) for x in _list(picked.get("suffix")))
    if not family and not given and _s(picked.get("text")):
        out["full"] = _s(picked["text"])
    return out


def _display_name(names: Any) -> str:
    n = _human_name(names)
    return n.get("full") or H.join_name(n.get("first"), n.get("middle"), n.get("last"))


def _address(addrs: Any) -> dict[str, str]:
    picked = next(
        (a for a in _list(addrs) if isinstance(a, dict) and a.get("use") in ("home", None)),
        next((a for a in _list(addrs) if isinstance(a, dict)), None),
    )
    if picked is None:
        return {}
    return {
        "street": " ".join(_s(x) for x in _list(picked.get("line")) if _s(x)),
        "city": _s(picked.get("city")),
        "state": _s(picked.get("state")),
        "zip": _s(picked.get("postalCode")),
    }


def _ident_kind(ident: Res) -> str:
    system = _s(ident.get("system")).lower()
    codes = {c for _, c, _ in _codings(ident.get("type"))}
    if "SS" in codes or "us-ssn" in system or system.endswith("2.16.840.1.113883.4.1"):
        return "ssn"
    if "DL" in codes or "driver" in system or "us-dl" in system:
        return "dl"
    if codes & {"MB", "MC", "MA", "SN"} or "us-mbi" in system or "member" in system:
        return "member"
    if "AN" in codes or "account" in system:
        return "account"
    if "NPI" in codes or system == _NPI_SYSTEM:
        return "npi"
    return "mrn"


def _date(v: Any) -> str:
    return H.iso_date(_s(v))


# --------------------------------------------------------------------------- index


class _Index:
    """Resources by every name a reference may use."""

    def __init__(self) -> None:
        self.by_ref: dict[str, Res] = {}

    def add(self, res: Res, full_url: str = "") -> None:
        rtype, rid = _s(res.get("resourceType")), _s(res.get("id"))
        if rtype and rid:
            self.by_ref[f"{rtype}/{rid}"] = res
        if full_url:
            self.by_ref[full_url] = res
            m = _ABS_REF.search(full_url)
            if m:
                self.by_ref.setdefault(m.group(1), res)
        for c in _list(res.get("contained")):
            if isinstance(c, dict) and _s(c.get("id")):
                self.by_ref[f"#{_s(c['id'])}"] = c

    def get(self, ref: Any) -> Res | None:
        key = norm_ref(ref)
        return self.by_ref.get(key) if key else None


def norm_ref(ref: Any) -> str:
    """A Reference (or its string) as the key the index uses."""
    r = ref.get("reference") if isinstance(ref, dict) else ref
    if not isinstance(r, str) or not r:
        return ""
    if r.startswith(("urn:", "#")):
        return r
    m = _ABS_REF.search(r)
    return m.group(1) if m else r


def patient_ref(res: Res) -> str:
    """The key of the patient a resource is about, or ''."""
    for k in _PATIENT_REFS:
        key = norm_ref(res.get(k))
        if key and not key.startswith(("Group/", "Location/", "Device/")):
            return key
    return ""


# --------------------------------------------------------------------------- resources


def _ref_type(ref: Any) -> str:
    """The resource type a Reference names (its ``type``, else its ``Type/id``), or ''."""
    if not isinstance(ref, dict):
        return ""
    if _s(ref.get("type")):
        return _s(ref["type"]).rsplit("/", 1)[-1]
    key = norm_ref(ref)
    return key.split("/", 1)[0] if "/" in key and not key.startswith(("urn:", "#")) else ""


def _practitioner(ref: Any, idx: _Index, untyped_display: bool = True) -> tuple[str, str]:
    """Name and NPI of the Practitioner a reference points to (through a PractitionerRole).

    Anything else (a Patient recording their own Condition, a RelatedPerson, an
    Organization, a Device) gives nothing: the patient must never become their own
    provider. An unresolved reference's ``display`` counts when the reference says it is a
    practitioner, or (``untyped_display``) when it says nothing, for elements whose targets
    are practitioners or organizations only.
    """
    res = idx.get(ref)
    if res is not None and res.get("resourceType") == "PractitionerRole":
        inner = res.get("practitioner")
        res = idx.get(inner)
        if res is None and isinstance(inner, dict) and _s(inner.get("display")):
            ref, untyped_display = inner, True  # always a Practitioner
        elif res is None:
            ref = {**ref, "type": "PractitionerRole"} if isinstance(ref, dict) else ref
    if res is None:
        kind = _ref_type(ref)
        if kind in _PRACTITIONER_TYPES or (not kind and untyped_display):
            return (_s(ref.get("display")) if isinstance(ref, dict) else ""), ""
        return "", ""
    if res.get("resourceType") != "Practitioner":
        return "", ""
    npi = next(
        (
            _s(i.get("value"))
            for i in _list(res.get("identifier"))
            if isinstance(i, dict) and _ident_kind(i) == "npi"
        ),
        "",
    )
    name = _display_name(res.get("name"))
    creds = [
        _cc_text(q.get("code")) for q in _list(res.get("qualification")) if isinstance(q, dict)
    ]
    if name and creds and creds[0] and len(creds[0]) <= 6:
        name = f"{name}, {creds[0]}"
    return name, npi


def _org_name(ref: Any, idx: _Index) -> str:
    res = idx.get(ref)
    if res is not None:
        return _s(res.get("name"))
    return _s(ref.get("display")) if isinstance(ref, dict) else ""


def read_patient(res: Res, rec: H.Record, idx: _Index) -> None:
    n = _human_name(res.get("name"))
    if n.get("full"):
        parts = n["full"].split()
        n = {"first": parts[0], "last": parts[-1] if len(parts) > 1 else ""}
    rec.set(H.P_LAST, n.get("last"))
    rec.set(H.P_FIRST, n.get("first"))
    rec.set(H.P_MIDDLE, n.get("middle"))
    rec.set(H.P_SUFFIX, n.get("suffix"))
    rec.set(H.P_DOB, _date(res.get("birthDate")))
    rec.set(H.P_GENDER, _s(res.get("gender")))
    a = _address(res.get("address"))
    rec.set(H.P_STREET, a.get("street"))
    rec.set(H.P_CITY, a.get("city"))
    rec.set(H.P_STATE, a.get("state"))
    rec.set(H.P_ZIP, a.get("zip"))
    for t in _list(res.get("telecom")):
        if not isinstance(t, dict):
            continue
        if t.get("system") == "phone":
            rec.set(H.P_PHONE, _s(t.get("value")))
        elif t.get("system") == "email":
            rec.set(H.P_EMAIL, _s(t.get("value")))
    col = {"ssn": H.P_SSN, "dl": H.P_DL, "member": H.MEMBER_ID, "account": H.P_ACCOUNT}
    for ident in _list(res.get("identifier")):
        if isinstance(ident, dict) and _s(ident.get("value")):
            kind = _ident_kind(ident)
            rec.set(col.get(kind, H.P_MRN), _s(ident["value"]))
    if res.get("deceasedBoolean") is True:
        rec.set(H.DECEASED, "Y")
    if _s(res.get("deceasedDateTime")):
        rec.set(H.DECEASED, "Y")
        rec.set(H.DEATH_DATE, _date(res["deceasedDateTime"]))
    for gp in _list(res.get("generalPractitioner")):
        name, npi = _practitioner(gp, idx)
        rec.add(H.ATTENDING, name)
        rec.add(H.ATTENDING_NPI, npi)
    rec.set(H.FACILITY, _org_name(res.get("managingOrganization"), idx))


def _coverage(res: Res, rec: H.Record, idx: _Index) -> None:
    for p in _list(res.get("payor")):
        target = idx.get(p)
        if target is None or target.get("resourceType") == "Organization":
            rec.add(H.PAYER, _org_name(p, idx))
    for c in _list(res.get("class")):
        if not isinstance(c, dict):
            continue
        kinds = {code for _, code, _ in _codings(c.get("type"))}
        if "plan" in kinds:
            rec.add(H.PLAN, _s(c.get("name")) or _s(c.get("value")))
        elif "group" in kinds:
            rec.set(H.GROUP_NO, _s(c.get("value")))
    rel = {code for _, code, _ in _codings(res.get("relationship"))}
    member = _s(res.get("subscriberId")) or next(
        (_s(i.get("value")) for i in _list(res.get("identifier")) if isinstance(i, dict)), ""
    )
    sub = idx.get(res.get("subscriber"))
    ben = norm_ref(res.get("beneficiary"))
    same = not rel or "self" in rel or norm_ref(res.get("subscriber")) in ("", ben)
    if same or sub is None:
        rec.set(H.MEMBER_ID, member)
        return
    n = _human_name(sub.get("name"))
    rec.set(H.S_LAST, n.get("last"))
    rec.set(H.S_FIRST, n.get("first"))
    rec.set(H.S_MIDDLE, n.get("middle"))
    rec.set(H.S_DOB, _date(sub.get("birthDate")))
    rec.set(H.S_GENDER, _s(sub.get("gender")))
    a = _address(sub.get("address"))
    rec.set(H.S_STREET, a.get("street"))
    rec.set(H.S_CITY, a.get("city"))
    rec.set(H.S_STATE, a.get("state"))
    rec.set(H.S_ZIP, a.get("zip"))
    rec.set(H.S_MEMBER_ID, member)


def _dx(cc: Any, rec: H.Record) -> None:
    text = _cc_text(cc)
    for system, code, _display in _codings(cc):
        if code and ("icd-10" in system or "icd10" in system or "2.16.840.1.113883.6.90" in system):
            rec.add(H.DX_CODES, H.format_icd10(code))
    rec.add(H.DX_TEXT, text)


def _px(cc: Any, rec: H.Record) -> None:
    codes = _codings(cc)
    if codes and codes[0][1]:
        rec.add(H.PX_CODES, codes[0][1])
    rec.add(H.PX_TEXT, _cc_text(cc))


def _is_imaging(res: Res) -> bool:
    for cat in _list(res.get("category")):
        for _, code, display in _codings(cat):
            if code.lower() in ("imaging", "rad", "lp29684-5") or "imaging" in display.lower():
                return True
    return False


def _value(res: Res) -> str:
    q = res.get("valueQuantity")
    if isinstance(q, dict) and q.get("value") is not None:
        return H.join_name(_s(q.get("comparator")) + _s(q.get("value")), _s(q.get("unit")))
    for k in ("valueString", "valueInteger", "valueDateTime"):
        if _s(res.get(k)):
            return _s(res[k])
    if isinstance(res.get("valueBoolean"), bool):
        return "positive" if res["valueBoolean"] else "negative"
    if isinstance(res.get("valueCodeableConcept"), dict):
        return _cc_text(res["valueCodeableConcept"])
    parts = []
    for c in _list(res.get("component")):
        if isinstance(c, dict):
            v = _value(c)
            if v:
                parts.append(H.join_name(_cc_text(c.get("code")), v))
    return ", ".join(parts)


def _medication(res: Res, idx: _Index) -> str:
    cc = res.get("medicationCodeableConcept")
    if cc is None and isinstance(res.get("medication"), dict):  # R5: CodeableReference
        cc = res["medication"].get("concept")
        ref = res["medication"].get("reference")
    else:
        ref = res.get("medicationReference")
    if cc is not None:
        return _cc_text(cc)
    med = idx.get(ref)
    if med is not None:
        return _cc_text(med.get("code"))
    return _s(ref.get("display")) if isinstance(ref, dict) else ""


def read_clinical(res: Res, rec: H.Record, idx: _Index) -> None:
    """Add what a resource about a patient says to the patient's row."""
    rtype = res.get("resourceType")
    if rtype == "Coverage":
        _coverage(res, rec, idx)
    elif rtype == "Condition":
        _dx(res.get("code"), rec)
    elif rtype == "Observation":
        name = _cc_text(res.get("code"))
        if _is_imaging(res):
            rec.add(H.IMAGING, name)
        else:
            v = _value(res)
            if name and v:
                rec.add(H.LAB_RESULTS, H.join_name(name, v))
    elif rtype in (
        "MedicationRequest",
        "MedicationStatement",
        "MedicationAdministration",
        "MedicationDispense",
    ):
        rec.add(H.MEDICATIONS, _medication(res, idx))
    elif rtype == "Immunization":
        rec.add(H.MEDICATIONS, _cc_text(res.get("vaccineCode")))
    elif rtype == "Procedure":
        _px(res.get("code"), rec)
    elif rtype == "DiagnosticReport":
        if _is_imaging(res):
            rec.add(H.IMAGING, _cc_text(res.get("code")))
    elif rtype == "ImagingStudy":
        mods = [_s(m.get("code")) for m in _list(res.get("modality")) if isinstance(m, dict)]
        for s in _list(res.get("series")):
            if isinstance(s, dict) and isinstance(s.get("modality"), dict):
                mods.append(_s(s["modality"].get("code")))
        what = _s(res.get("description")) or next(
            (_cc_text(p) for p in _list(res.get("procedureCode"))), ""
        )
        rec.add(H.IMAGING, H.join_name(" ".join(dict.fromkeys(m for m in mods if m)), what))
    elif rtype == "Encounter":
        for p in _list(res.get("participant")):
            if isinstance(p, dict):
                _doctor(p.get("individual") or p.get("actor"), rec, idx)
        rec.set(H.FACILITY, _org_name(res.get("serviceProvider"), idx))
        period = res.get("period")
        if isinstance(period, dict):
            rec.set(H.SERVICE_DATE, _date(period.get("start")))
        for r in _list(res.get("reasonCode")):
            _dx(r, rec)
    elif rtype in ("Claim", "ExplanationOfBenefit"):
        for d in _list(res.get("diagnosis")):
            if isinstance(d, dict):
                _dx(d.get("diagnosisCodeableConcept"), rec)
        for p in _list(res.get("procedure")):
            if isinstance(p, dict):
                _px(p.get("procedureCodeableConcept"), rec)
        for item in _list(res.get("item")):
            if isinstance(item, dict):
                _px(item.get("productOrService"), rec)
        rec.add(H.PAYER, _org_name(res.get("insurer"), idx))
        _doctor(res.get("provider"), rec, idx)
        period = res.get("billablePeriod")
        if isinstance(period, dict):
            rec.set(H.SERVICE_DATE, _date(period.get("start")))

    for key in _PROVIDER_REFS.get(_s(rtype), ()):
        for ref in _list(res.get(key)):
            if isinstance(ref, dict) and "actor" in ref:  # a performer backbone element
                ref = ref["actor"]
            _doctor(ref, rec, idx, untyped_display=False)


def _doctor(ref: Any, rec: H.Record, idx: _Index, untyped_display: bool = True) -> None:
    if not ref:
        return
    name, npi = _practitioner(ref, idx, untyped_display)
    rec.add(H.ATTENDING, name)
    rec.add(H.ATTENDING_NPI, npi)


# --------------------------------------------------------------------------- file shapes


def _flatten(node: Any, number: int, out: list[tuple[int, Res, str]]) -> None:
    """Resources of a Bundle (nested Bundles flattened) as (entry number, resource, fullUrl)."""
    if not isinstance(node, dict):
        return
    if node.get("resourceType") == "Bundle":
        for i, e in enumerate(_list(node.get("entry")), start=1):
            if isinstance(e, dict) and isinstance(e.get("resource"), dict):
                res = e["resource"]
                if res.get("resourceType") == "Bundle":
                    _flatten(res, number or i, out)
                else:
                    out.append((number or i, res, _s(e.get("fullUrl"))))
        return
    if node.get("resourceType"):
        out.append((number or 1, node, ""))


def _load_text(src: Source) -> str | bytes:
    data = src.path.read_bytes()[src.guess.bom :]
    enc = (src.guess.encoding or "utf-8").lower().replace("_", "-")
    if enc in ("utf-8", "ascii"):
        return data
    return data.decode(enc, errors="replace")


def _salvage_entries(text: str) -> Iterator[tuple[int, Res, str]]:
    """Entries of a truncated or oversized Bundle, decoded one by one."""
    m = _ENTRY_ARRAY.search(text)
    if m is None:
        return
    dec = json.JSONDecoder()
    pos, n = m.end(), 0
    while pos < len(text):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return
        try:
            obj, pos = dec.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError):
            return  # truncated (or absurdly nested) here: what came before is kept
        n += 1
        if isinstance(obj, dict) and isinstance(obj.get("resource"), dict):
            yield n, obj["resource"], _s(obj.get("fullUrl"))


def _stream_entries(src: Source) -> Iterator[tuple[int, Res, str]]:
    """A Bundle too big to load: entries decoded from a rolling buffer."""
    enc = src.guess.encoding or "utf-8"
    dec = json.JSONDecoder()
    with src.path.open("r", encoding=enc, errors="replace") as f:
        buf = f.read(CHUNK)
        m = _ENTRY_ARRAY.search(buf)
        if m is None:
            return
        pos, n = m.end(), 0
        eof = False
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n,\ufeff":
                pos += 1
            if pos < len(buf) and buf[pos] == "]":
                return
            try:
                if pos >= len(buf):
                    raise json.JSONDecodeError("need more", buf, pos)
                obj, end = dec.raw_decode(buf, pos)
            except RecursionError:
                return
            except json.JSONDecodeError:
                if eof:
                    return
                more = f.read(CHUNK)
                eof = not more
                buf = buf[pos:] + more
                pos = 0
                continue
            n += 1
            pos = end
            if pos > CHUNK:
                buf, pos = buf[pos:], 0
            if isinstance(obj, dict) and isinstance(obj.get("resource"), dict):
                yield n, obj["resource"], _s(obj.get("fullUrl"))


def _is_ndjson(src: Source) -> bool:
    with src.path.open("rb") as f:
        f.seek(src.guess.bom)
        first = b""
        for line in f:
            if line.strip():
                first = line
                break
        if not first:
            return False
        try:
            obj = json.loads(first)
        except (ValueError, RecursionError):
            return False
        if not isinstance(obj, dict):
            return False
        return any(line.strip() for line in f)


# --------------------------------------------------------------------------- reader


def read_fhir(src: Source, ctx: ReadContext, out: Emitter) -> None:
    """Read a FHIR JSON / NDJSON file (see the module docstring)."""
    if _is_ndjson(src):
        _read_ndjson(src, out)
        return
    entries: list[tuple[int, Res, str]] = []
    if src.size <= WHOLE_LIMIT:
        text = _load_text(src)
        try:
            doc = json.loads(text)
        except RecursionError:
            raise H.corrupt("JSON nested too deeply") from None
        except ValueError:
            doc = None
            s = text.decode("utf-8", errors="replace") if isinstance(text, bytes) else text
            entries = list(_salvage_entries(s))
        try:
            if isinstance(doc, list):
                for i, item in enumerate(doc, start=1):
                    _flatten(item, i, entries)
            elif doc is not None:
                _flatten(doc, 0, entries)
        except RecursionError:  # Bundles nested in Bundles, hundreds deep
            raise H.corrupt("Bundles nested too deeply") from None
    else:
        entries = list(_stream_entries(src))
    if not entries:
        raise H.corrupt("no FHIR resource could be read")
    _write_grouped(entries, out)


def _write_grouped(entries: list[tuple[int, Res, str]], out: Emitter) -> None:
    idx = _Index()
    for _n, res, full_url in entries:
        idx.add(res, full_url)
    rows: dict[int, H.Record] = {}
    row_of: dict[int, int] = {}  # id(patient resource) → row_no
    orphan_rows: dict[str, int] = {}
    for n, res, _url in entries:
        if res.get("resourceType") == "Patient" and id(res) not in row_of:
            rec = H.Record()
            rec.set(H.SOURCE, f"Bundle entry {n}, Patient")
            rec.set(H.RECORD_TYPE, "Patient")
            read_patient(res, rec, idx)
            row_of[id(res)] = n
            rows[n] = rec
    for n, res, _url in entries:
        rtype = _s(res.get("resourceType"))
        if rtype == "Patient":
            continue
        key = patient_ref(res)
        if not key:
            continue
        target = idx.get(key)
        if target is not None and target.get("resourceType") == "Patient":
            row_no = row_of[id(target)]
        else:
            if target is not None:
                continue  # about a Group, a Device …: no person
            row_no = orphan_rows.setdefault(key, n)
            if row_no not in rows:
                rec = H.Record()
                rec.set(H.SOURCE, f"Bundle entry {n}, {rtype} (patient not in file)")
                rec.set(H.RECORD_TYPE, rtype)
                rows[row_no] = rec
        rec = rows[row_no]
        rec.add(H.RECORD_TYPE, rtype)
        read_clinical(res, rec, idx)
    sink = H.RowSink(out, COLUMNS, "FHIR resources")
    for row_no in sorted(rows):
        sink.add(row_no, rows[row_no])
    sink.close()


def _read_ndjson(src: Source, out: Emitter) -> None:
    idx = _Index()
    links: dict[str, H.Record] = {}
    _index_patients(src.path, idx, links, src.guess.bom)
    sink = H.RowSink(out, COLUMNS, "FHIR NDJSON")
    wanted: dict[str, list[int]] = {}
    siblings: set[Path] = set()
    pending: list[tuple[int, Res, H.Record]] = []
    n = good = 0
    with src.path.open("rb") as f:
        f.seek(src.guess.bom)
        for line in f:
            n += 1
            if not line.strip():
                continue
            try:
                res = json.loads(line)
            except (ValueError, RecursionError):
                continue  # a cut or mangled line fails alone
            if not isinstance(res, dict):
                continue
            good += 1
            rtype = _s(res.get("resourceType"))
            rec = H.Record()
            rec.set(H.RECORD_TYPE, rtype)
            if rtype == "Patient":
                rec.set(H.SOURCE, f"line {n}, Patient")
                read_patient(res, rec, idx)
                sink.add(n, rec)
                continue
            key = patient_ref(res)
            if not key or key.startswith(("Group/", "Location/", "Device/")):
                continue
            rec.set(H.SOURCE, f"line {n}, {rtype}")
            read_clinical(res, rec, idx)
            link = links.get(key)
            if link is None:
                wanted.setdefault(key, []).append(n)
                pending.append((n, res, rec))
                if len(pending) < 50_000:
                    continue
                _resolve_siblings(src, idx, links, wanted, siblings)
                _flush_pending(pending, links, sink)
                continue
            _copy_link(link, rec)
            sink.add(n, rec)
    if pending:
        _resolve_siblings(src, idx, links, wanted, siblings)
        _flush_pending(pending, links, sink)
    if good == 0:
        raise H.corrupt("no FHIR NDJSON line could be read")
    sink.close()


def _copy_link(link: H.Record, rec: H.Record) -> None:
    for col in _LINK_COLUMNS:
        rec.set(col, link.get(col))


def _flush_pending(
    pending: list[tuple[int, Res, H.Record]], links: dict[str, H.Record], sink: H.RowSink
) -> None:
    for n, res, rec in pending:
        link = links.get(patient_ref(res))
        if link is not None:
            _copy_link(link, rec)
        sink.add(n, rec)
    pending.clear()


def _index_patients(path: Path, idx: _Index, links: dict[str, H.Record], bom: int = 0) -> None:
    """First pass: Patients (identity only) and the resources names are resolved through."""
    with path.open("rb") as f:
        f.seek(bom)
        for line in f:
            m = _PATIENT_LINE.search(line[:4096])
            if m is None:
                continue
            try:
                res = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if not isinstance(res, dict):
                continue
            if res.get("resourceType") == "Patient":
                rec = H.Record()
                read_patient(res, rec, _Index())
                slim = H.Record()
                _copy_link(rec, slim)
                links[f"Patient/{_s(res.get('id'))}"] = slim
            else:
                idx.add(res)


def _resolve_siblings(
    src: Source,
    idx: _Index,
    links: dict[str, H.Record],
    wanted: dict[str, list[int]],
    done: set[Path],
) -> None:
    """Look for the referenced Patients in ``*Patient*.ndjson`` files beside this one."""
    if src.depth > 0 or not wanted:
        return
    missing = [k for k in wanted if k not in links]
    if not missing:
        return
    for sib in sorted(src.path.parent.glob("*.ndjson")):
        if sib == src.path or "patient" not in sib.name.lower() or sib in done:
            continue
        done.add(sib)
        try:
            _index_patients(sib, idx, links)
        except OSError:
            continue
