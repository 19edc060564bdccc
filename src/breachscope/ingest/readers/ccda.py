"""C-CDA (HL7 v3 Clinical Document Architecture) XML: the patient header and the coded
entries of the problem, medication, result, procedure, encounter and payer sections.

Parsed with lxml in a hardened mode (no DTDs, no entity expansion, no network) with
``recover=True``, so a truncated document keeps what parsed before the cut. Sections are
recognised by their templateId (2.16.840.1.113883.10.20.22.2.*) or their LOINC code.

One row per ``recordTarget/patientRole`` (nearly always one): name, DOB, sex, address,
phone / e-mail, IDs (SSN by its OID 2.16.840.1.113883.4.1, else MRN), deceased indicator
and time, provider organisation (``Facility``), the documentationOf performers, the
encounter's responsible / attending doctors and the document's author (with NPIs, OID
2.16.840.1.113883.4.6), payer name and member ID (payers section), ICD-10 problem codes
(from the value or its translations) and problem names, medication names, results
(``Hemoglobin A1c 7.2 %``), procedures, and imaging results (a results section whose LOINC
is a diagnostic-imaging report, or an imaging-study observation). Narrative blocks are not
read separately: they repeat the coded entries.

``row_no`` is the 1-based number of the patient in the document (so 1 for an ordinary
C-CDA); ``Source`` names the document title.
"""

from __future__ import annotations

from lxml import etree

from breachscope.ingest.emit import Emitter
from breachscope.ingest.readers import healthrows as H
from breachscope.ingest.registry import ReadContext, Source

NS = {
    "v3": "urn:hl7-org:v3",
    "sdtc": "urn:hl7-org:sdtc",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
V3 = "{urn:hl7-org:v3}"
SSN_OID = "2.16.840.1.113883.4.1"
NPI_OID = "2.16.840.1.113883.4.6"
ICD10_OIDS = frozenset({"2.16.840.1.113883.6.90", "2.16.840.1.113883.6.3"})
MAX_BYTES = 512 << 20

COLUMNS = (
    H.SOURCE, H.RECORD_TYPE, H.FACILITY, *H.PATIENT_COLUMNS, H.PAYER, H.MEMBER_ID,
    H.ATTENDING, H.ATTENDING_NPI, *H.CLINICAL_COLUMNS, H.SERVICE_DATE,
)  # fmt: skip

_T = "2.16.840.1.113883.10.20.22.2."
_SECTIONS = {
    _T + "5": "problems", _T + "5.1": "problems", "11450-4": "problems",
    _T + "1": "medications", _T + "1.1": "medications", "10160-0": "medications",
    _T + "3": "results", _T + "3.1": "results", "30954-2": "results",
    _T + "7": "procedures", _T + "7.1": "procedures", "47519-4": "procedures",
    _T + "22": "encounters", _T + "22.1": "encounters", "46240-8": "encounters",
    _T + "18": "payers", "48768-6": "payers",
    "18748-4": "imaging", "18782-3": "imaging", _T + "60": "imaging",
}  # fmt: skip


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return " ".join("".join(el.itertext()).split())


def _find(el: etree._Element, path: str) -> etree._Element | None:
    found: etree._Element | None = el.find(path, NS)
    return found


def _person_name(el: etree._Element | None) -> dict[str, str]:
    if el is None:
        return {}
    given = [_text(g) for g in el.findall("v3:given", NS) if _text(g)]
    out = {
        "last": _text(_find(el, "v3:family")),
        "first": given[0] if given else "",
        "middle": " ".join(given[1:]),
        "suffix": _text(_find(el, "v3:suffix")),
    }
    if not out["last"] and not given:
        out["full"] = _text(el)
    return out


def _doctor(entity: etree._Element | None) -> tuple[str, str]:
    """(name, NPI) of an assignedEntity / associatedEntity."""
    if entity is None:
        return "", ""
    npi = ""
    for i in entity.findall("v3:id", NS):
        if i.get("root") == NPI_OID and i.get("extension"):
            npi = i.get("extension") or ""
    n = _person_name(_find(entity, "v3:assignedPerson/v3:name"))
    name = n.get("full") or H.join_name(n.get("first"), n.get("middle"), n.get("last"))
    if name and n.get("suffix"):
        name = f"{name}, {n['suffix']}"
    return name, npi


def _code_name(code: etree._Element | None) -> str:
    if code is None:
        return ""
    return (
        code.get("displayName") or _text(_find(code, "v3:originalText")) or code.get("code") or ""
    ).strip()


def _section_kind(sec: etree._Element) -> str:
    for t in sec.findall("v3:templateId", NS):
        kind = _SECTIONS.get(t.get("root") or "")
        if kind:
            return kind
    code = _find(sec, "v3:code")
    return _SECTIONS.get(code.get("code") or "", "") if code is not None else ""


def _patient(role: etree._Element, rec: H.Record) -> None:
    for i in role.findall("v3:id", NS):
        ext = i.get("extension") or ""
        if not ext:
            continue
        rec.set(H.P_SSN if i.get("root") == SSN_OID else H.P_MRN, ext)
    addr = _find(role, "v3:addr")
    if addr is not None:
        lines = [_text(x) for x in addr.findall("v3:streetAddressLine", NS)]
        rec.set(H.P_STREET, " ".join(x for x in lines if x))
        rec.set(H.P_CITY, _text(_find(addr, "v3:city")))
        rec.set(H.P_STATE, _text(_find(addr, "v3:state")))
        rec.set(H.P_ZIP, _text(_find(addr, "v3:postalCode")))
    for t in role.findall("v3:telecom", NS):
        v = (t.get("value") or "").strip()
        if v.lower().startswith("mailto:"):
            rec.set(H.P_EMAIL, v[7:])
        elif v.lower().startswith("tel:"):
            rec.set(H.P_PHONE, v[4:])
    pat = _find(role, "v3:patient")
    if pat is not None:
        n = _person_name(_find(pat, "v3:name"))
        rec.set(H.P_LAST, n.get("last"))
        rec.set(H.P_FIRST, n.get("first"))
        rec.set(H.P_MIDDLE, n.get("middle"))
        rec.set(H.P_SUFFIX, n.get("suffix"))
        g = _find(pat, "v3:administrativeGenderCode")
        rec.set(H.P_GENDER, g.get("code") if g is not None else "")
        b = _find(pat, "v3:birthTime")
        rec.set(H.P_DOB, H.iso_date(b.get("value") if b is not None else ""))
        dec = _find(pat, "sdtc:deceasedInd")
        if dec is not None and (dec.get("value") or "").lower() == "true":
            rec.set(H.DECEASED, "Y")
        dt = _find(pat, "sdtc:deceasedTime")
        if dt is not None and dt.get("value"):
            rec.set(H.DECEASED, "Y")
            rec.set(H.DEATH_DATE, H.iso_date(dt.get("value")))
    org = _find(role, "v3:providerOrganization/v3:name")
    rec.set(H.FACILITY, _text(org))


def _problem(obs: etree._Element, rec: H.Record) -> None:
    value = _find(obs, "v3:value")
    if value is None:
        return
    codes = [value, *value.findall("v3:translation", NS)]
    for c in codes:
        if c.get("codeSystem") in ICD10_OIDS and c.get("code"):
            rec.add(H.DX_CODES, H.format_icd10(c.get("code") or ""))
    rec.add(H.DX_TEXT, _code_name(value))


def _result(obs: etree._Element, rec: H.Record, imaging: bool) -> None:
    name = _code_name(_find(obs, "v3:code"))
    if imaging:
        rec.add(H.IMAGING, name)
        return
    value = _find(obs, "v3:value")
    if value is None or not name:
        return
    v = value.get("value")
    if v is not None:
        shown = H.join_name(v, value.get("unit") if value.get("unit") != "1" else "")
    else:
        shown = value.get("displayName") or _text(value)
    if shown:
        rec.add(H.LAB_RESULTS, H.join_name(name, shown))


def _sections(doc: etree._Element, rec: H.Record) -> None:
    for sec in doc.iter(V3 + "section"):
        kind = _section_kind(sec)
        if not kind:
            continue
        for entry in sec.findall("v3:entry", NS):
            if kind == "problems":
                for obs in entry.iter(V3 + "observation"):
                    _problem(obs, rec)
            elif kind == "medications":
                for mat in entry.iter(V3 + "manufacturedMaterial"):
                    rec.add(
                        H.MEDICATIONS,
                        _code_name(_find(mat, "v3:code")) or _text(_find(mat, "v3:name")),
                    )
            elif kind in ("results", "imaging"):
                for obs in entry.iter(V3 + "observation"):
                    _result(obs, rec, imaging=kind == "imaging")
            elif kind == "procedures":
                for el in entry:
                    if el.tag in (V3 + "procedure", V3 + "act", V3 + "observation"):
                        code = _find(el, "v3:code")
                        if code is not None and code.get("code"):
                            rec.add(H.PX_CODES, code.get("code"))
                        rec.add(H.PX_TEXT, _code_name(code))
            elif kind == "encounters":
                for obs in entry.iter(V3 + "observation"):
                    _problem(obs, rec)
            elif kind == "payers":
                for org in entry.iter(V3 + "representedOrganization"):
                    rec.add(H.PAYER, _text(_find(org, "v3:name")))
                for prole in entry.iter(V3 + "participantRole"):
                    ident = _find(prole, "v3:id")
                    if ident is not None and ident.get("extension"):
                        rec.set(H.MEMBER_ID, ident.get("extension"))


def read_ccda(src: Source, ctx: ReadContext, out: Emitter) -> None:
    """Read a C-CDA document (see the module docstring)."""
    if src.size > MAX_BYTES:
        raise H.corrupt("C-CDA document larger than the XML limit")
    try:
        tree = etree.parse(str(src.path), _parser())
    except (etree.XMLSyntaxError, OSError, ValueError) as exc:
        raise H.corrupt(f"XML does not parse ({type(exc).__name__})") from None
    doc = tree.getroot()
    # Not etree.QName: a recovered document can have a root tag lxml calls invalid (':').
    tag = doc.tag if doc is not None and isinstance(doc.tag, str) else ""
    if doc is None or tag.rsplit("}", 1)[-1] != "ClinicalDocument":
        raise H.corrupt("no ClinicalDocument root element")
    title = _text(_find(doc, "v3:title")) or "C-CDA document"
    roles = doc.findall("v3:recordTarget/v3:patientRole", NS)
    if not roles:
        raise H.corrupt("C-CDA document without a recordTarget")
    sink = H.RowSink(out, COLUMNS, "C-CDA patients")
    for n, role in enumerate(roles, start=1):
        rec = H.Record()
        rec.set(H.SOURCE, f"{title}, recordTarget {n}" if len(roles) > 1 else title)
        rec.set(H.RECORD_TYPE, "C-CDA")
        _patient(role, rec)
        eff = _find(doc, "v3:effectiveTime")
        rec.set(H.SERVICE_DATE, H.iso_date(eff.get("value") if eff is not None else ""))
        for perf in doc.iterfind("v3:documentationOf/v3:serviceEvent/v3:performer", NS):
            name, npi = _doctor(_find(perf, "v3:assignedEntity"))
            rec.add(H.ATTENDING, name)
            rec.add(H.ATTENDING_NPI, npi)
        for path in (
            "v3:componentOf/v3:encompassingEncounter/v3:responsibleParty/v3:assignedEntity",
            "v3:componentOf/v3:encompassingEncounter/v3:encounterParticipant/v3:assignedEntity",
            # The clinician who wrote the document (a device or a system author has no
            # assignedPerson and gives no name).
            "v3:author/v3:assignedAuthor",
        ):
            for ent in doc.iterfind(path, NS):
                name, npi = _doctor(ent)
                rec.add(H.ATTENDING, name)
                rec.add(H.ATTENDING_NPI, npi)
        _sections(doc, rec)
        sink.add(n, rec)
    sink.close()
