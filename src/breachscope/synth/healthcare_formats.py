"""Synthetic healthcare-format evidence: HL7 v2, X12 837, FHIR R4 JSON / NDJSON, C-CDA.

Some of the case's people (``share`` of them; the population is re-made from the world's
seed, so nothing is held in memory) land in the interface captures, claim batches and
exports a coding vendor holds for its clients:

* Mercy Valley: an MLLP-framed ADT capture (UTF-8, CR segments) and C-CDA documents.
* Tri-County Labs: an ORU results batch file (``FHS``/``BHS``, LF segments, Windows-1252).
* Blue Horizon: an 837P claims batch on one line (``*``/``:``/``~``) and a FHIR bulk
  export (``Patient.ndjson``, ``Condition.ndjson``, ``Coverage.ndjson``).
* Lakeshore: an 837P with line breaks and unusual separators (``|``/``}``/newline) and
  FHIR ``$everything`` Bundles.

Truth follows the readers' ``row_no`` conventions: the message number (HL7), the claim
number (X12), the Patient's entry number (Bundle), the line number (NDJSON), 1 (C-CDA);
elements are the categories whose values are written for that person there.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from breachscope.synth import clinical
from breachscope.synth.clients import BY_ID, HORIZON, LAKESHORE, MERCY, TRICOUNTY, ClientDef
from breachscope.synth.people import Person, PopulationBuilder, Provider, World
from breachscope.synth.truth import TruthRecorder

ADT_PATH = f"{MERCY.folder}/interfaces/adt/ADT_capture_20250203.hl7"
ORU_PATH = f"{TRICOUNTY.folder}/interfaces/results/ORU_batch_20250130.txt"
X12_BH_PATH = f"{HORIZON.folder}/edi/inbound/837P_20250203_batch01.x12"
X12_LP_PATH = f"{LAKESHORE.folder}/billing/edi/claims_20250131.837"
NDJSON_DIR = f"{HORIZON.folder}/fhir_bulk_export_20250129"
BUNDLE_PATH = LAKESHORE.folder + "/fhir/everything_{mrn}.json"
CCDA_PATH = MERCY.folder + "/hie/ccda/CCD_{mrn}.xml"
MAX_DOCS = 40  # one-file-per-patient formats stop here

_NOW = "20250203101500"


def _d(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _provider(p: Person, client: ClientDef, world: World, rng: random.Random) -> Provider:
    return p.pcp.get(client.id) or rng.choice(world.providers[client.id])


def _conditions(p: Person) -> list[clinical.Condition]:
    return list(p.conditions[:3]) or [clinical.CONDITIONS[-1]]


def _labs(rng: random.Random, k: int = 3) -> list[tuple[clinical.LabTest, str]]:
    return [(t, t.value(rng)) for t in rng.sample(clinical.LABS, k)]


def _drugs(p: Person) -> list[str]:
    return [d[0] for c in p.conditions for d in c.drugs[:1]][:3]


# --------------------------------------------------------------------------- HL7 v2


def _hl7_escape(v: str) -> str:
    return (
        v.replace("\\", "\\E\\").replace("|", "\\F\\").replace("^", "\\S\\").replace("&", "\\T\\")
    )


def hl7_adt(
    p: Person, client: ClientDef, world: World, rng: random.Random, n: int
) -> tuple[str, set[str], set[str]]:
    """An ADT^A08 message: (text with CR segments, patient elements, subscriber elements)."""
    a = p.address
    els = {"name", "dob", "mrn", "address", "provider"}
    doc = _provider(p, client, world, rng)
    pid3 = f"{p.mrn(client.id)}^^^MVHS^MR"
    if p.ssn and rng.random() < 0.5:
        pid3 += f"~{p.ssn}^^^SSA^SS"
        els.add("ssn")
    phone = ""
    if p.phone:
        phone = f"^PRN^PH^^^{p.phone[:3]}^{p.phone[3:]}"
        els.add("phone")
    death = ("", "")
    if p.deceased_on:
        death = (_d(p.deceased_on), "Y")
    name = f"{_hl7_escape(p.last.upper())}^{_hl7_escape(p.first.upper())}^{p.middle.upper()}^{p.suffix}^^^L"
    pid = ["PID", "1", "", pid3, "", name, "", _d(p.dob), p.sex, "", "",
           f"{a.street}^^{a.city}^{a.state}^{a.zip}^USA^H", "", phone, "", "", "", "", "", "", "",
           "", "", "", "", "", "", "", "", death[0], death[1]]  # fmt: skip
    pv1 = ["PV1", "1", rng.choice("IOE"), "4W^401^A^MERCY VALLEY HOSPITAL", "", "", "",
           f"{doc.npi}^{doc.last.upper()}^{doc.first.upper()}^^^^{doc.credential}"]  # fmt: skip
    segs = [
        f"MSH|^~\\&|EPIC|MVHS|HIE|KEYSTONE|{_NOW}||ADT^A08^ADT_A01|MV{n:06d}|P|2.5.1",
        f"EVN|A08|{_NOW}",
        "|".join(pid),
        "|".join(pv1),
    ]
    for i, c in enumerate(_conditions(p), start=1):
        segs.append(f"DG1|{i}||{c.icd10}^{_hl7_escape(c.description)}^I10||{_NOW[:8]}|A")
    els.add("diagnosis")
    sub_els: set[str] = set()
    if p.payer:
        in1 = ["IN1", "1", f"{p.payer.prefix}^{p.plan}", "", p.payer.payer] + [""] * 32
        in1[36] = (p.subscriber or p).member_id
        els |= {"health_plan"}
        if p.subscriber is not None:
            s = p.subscriber
            in1[16] = f"{s.last.upper()}^{s.first.upper()}"
            in1[17] = "02" if p.relationship == "spouse" else "03"
            in1[18] = _d(s.dob)
            sub_els = {"name", "dob", "member_id", "health_plan"}
        else:
            in1[17] = "01"
            els.add("member_id")
        segs.append("|".join(in1))
    return "\r".join(segs) + "\r", els, sub_els


def hl7_oru(
    p: Person, client: ClientDef, world: World, rng: random.Random, n: int
) -> tuple[str, set[str]]:
    """An ORU^R01 lab result (LF segments)."""
    doc = _provider(p, client, world, rng)
    els = {"name", "dob", "mrn", "provider", "test_result"}
    addr = ""
    if rng.random() < 0.5:
        a = p.address
        addr = f"{a.street}^^{a.city}^{a.state}^{a.zip}"
        els.add("address")
    segs = [
        f"MSH|^~\\&|LIS|TCCL|KEYSTONE|KEYSTONE|{_NOW}||ORU^R01|TC{n:06d}|P|2.3",
        f"PID|1||{p.mrn(client.id)}^^^TCCL^MR||{p.last}^{p.first}^{p.middle[:1]}||{_d(p.dob)}|{p.sex}|||{addr}",
        f"OBR|1|ORD{n:07d}||80053^Comprehensive metabolic panel^C4|||{_NOW}|||||||||"
        f"{doc.npi}^{doc.last}^{doc.first}^^^^{doc.credential}",
    ]
    for i, (t, v) in enumerate(_labs(rng), start=1):
        segs.append(f"OBX|{i}|NM|{t.loinc}^{t.name}^LN||{v}|{t.units}|{t.ref_range}||||F")
    segs.append("NTE|1||Specimen received ambient\\.br\\verified by tech")
    return "\n".join(segs) + "\n", els


# --------------------------------------------------------------------------- X12 837P


@dataclass(frozen=True)
class X12Style:
    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    terminator: str = "~"
    newline: str = ""


def x12_envelope(transactions: list[list[list[str]]], style: X12Style, control: int = 1) -> str:
    """An interchange (ISA/GS … GE/IEA) around 837P transaction sets (segments as lists)."""
    e, t = style.element, style.terminator + style.newline
    isa = e.join(["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "KEYSTONE".ljust(15), "ZZ",
                  "BHHP".ljust(15), "250203", "1015", style.repetition, "00501",
                  f"{control:09d}", "0", "P", style.component])  # fmt: skip
    out = [isa, e.join(["GS", "HC", "KEYSTONE", "BHHP", "20250203", "1015", str(control), "X",
                        "005010X222A1"])]  # fmt: skip
    for k, segs in enumerate(transactions, start=1):
        body = [["ST", "837", f"{k:04d}", "005010X222A1"], *segs]
        out += [e.join(s) for s in body]
        out.append(e.join(["SE", str(len(body) + 1), f"{k:04d}"]))
    out += [
        e.join(["GE", str(len(transactions)), str(control)]),
        e.join(["IEA", "1", f"{control:09d}"]),
    ]
    return t.join(out) + t


def x12_claim(
    p: Person, client: ClientDef, world: World, rng: random.Random, style: X12Style, n: int
) -> tuple[list[list[str]], set[str], set[str]]:
    """The billing-provider, subscriber (and patient) loops and one claim for a person."""
    c = style.component
    doc = _provider(p, client, world, rng)
    payer = p.payer.payer if p.payer else HORIZON.name
    sub = p.subscriber or p
    self_ins = p.subscriber is None
    segs: list[list[str]] = [
        ["BHT", "0019", "00", f"B{n:06d}", "20250203", "1015", "CH"],
        ["NM1", "41", "2", "KEYSTONE CLINICAL CODING", "", "", "", "", "46", "KCCS01"],
        ["NM1", "40", "2", payer.upper(), "", "", "", "", "46", "BHHP"],
        ["HL", "1", "", "20", "1"],
        ["NM1", "85", "2", client.name.upper(), "", "", "", "", "XX", clinical.make_npi(rng)],
        ["N3", "100 MEDICAL PLAZA"],
        ["N4", "SPRINGFIELD", "IL", "62701"],
        ["HL", "2", "1", "22", "0" if self_ins else "1"],
        ["SBR", "P", "18" if self_ins else "", f"GRP{n:05d}" if self_ins else "", p.plan or "",
         "", "", "", "", "CI"],
        ["NM1", "IL", "1", sub.last.upper(), sub.first.upper(), sub.middle[:1], "",
         sub.suffix, "MI", sub.member_id],
        ["N3", sub.address.street.upper()],
        ["N4", sub.address.city.upper(), sub.address.state, sub.address.zip],
        ["DMG", "D8", _d(sub.dob), sub.sex],
        ["NM1", "PR", "2", payer.upper(), "", "", "", "", "PI", "BHHP1"],
    ]  # fmt: skip
    els = {"name", "address", "dob", "mrn", "diagnosis", "procedure", "provider", "health_plan"}
    sub_els: set[str] = set()
    if self_ins:
        els.add("member_id")
    else:
        rel = "01" if p.relationship == "spouse" else "19"
        segs += [
            ["HL", "3", "2", "23", "0"],
            ["PAT", rel],
            ["NM1", "QC", "1", p.last.upper(), p.first.upper(), p.middle[:1]],
            ["N3", p.address.street.upper()],
            ["N4", p.address.city.upper(), p.address.state, p.address.zip],
            ["DMG", "D8", _d(p.dob), p.sex],
        ]
        sub_els = {"name", "address", "dob", "member_id", "health_plan"}
    conds = _conditions(p)
    hi = ["HI"] + [
        f"{'ABK' if i == 0 else 'ABF'}{c}{cond.icd10.replace('.', '')}"
        for i, cond in enumerate(conds)
    ]
    cpt = rng.choice(clinical.CPT)[0]
    segs += [
        ["CLM", f"A{p.mrn(client.id).replace('-', '')}{n:03d}", "125", "", "",
         f"11{c}B{c}1", "Y", "A", "Y", "Y"],
        ["DTP", "431", "D8", "20250115"],
        hi,
        ["NM1", "82", "1", doc.last.upper(), doc.first.upper(), "", "", "", "XX", doc.npi],
        ["LX", "1"],
        ["SV1", f"HC{c}{cpt}", "125", "UN", "1", "", "", "1"],
        ["DTP", "472", "D8", "20250115"],
    ]  # fmt: skip
    return segs, els, sub_els


# --------------------------------------------------------------------------- FHIR


def fhir_patient(p: Person, client: ClientDef, pid: str) -> dict[str, object]:
    a = p.address
    ident: list[dict[str, object]] = []
    if client.kind == "health_plan":
        ident.append({"type": {"coding": [{"code": "MB"}]}, "system": "urn:bhhp:member",
                      "value": p.member_id})  # fmt: skip
    else:
        ident.append({"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                      "code": "MR"}]}, "value": p.mrn(client.id)})  # fmt: skip
    res: dict[str, object] = {
        "resourceType": "Patient",
        "id": pid,
        "identifier": ident,
        "name": [
            {"use": "official", "family": p.last, "given": [g for g in (p.first, p.middle) if g]}
        ],
        "gender": {"F": "female", "M": "male"}.get(p.sex, "unknown"),
        "birthDate": p.dob.isoformat(),
        "address": [
            {
                "use": "home",
                "line": [a.street],
                "city": a.city,
                "state": a.state,
                "postalCode": a.zip,
            }
        ],
    }
    if p.phone:
        res["telecom"] = [{"system": "phone", "value": p.phone, "use": "home"}]
    if p.deceased_on:
        res["deceasedDateTime"] = p.deceased_on.isoformat()
    return res


def _condition(cond: clinical.Condition, ref: str, k: str) -> dict[str, object]:
    return {
        "resourceType": "Condition",
        "id": k,
        "subject": {"reference": ref},
        "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm",
                             "code": cond.icd10, "display": cond.description}]},
    }  # fmt: skip


def fhir_bundle(
    p: Person, client: ClientDef, world: World, rng: random.Random
) -> tuple[dict[str, object], int, set[str]]:
    """A Patient/$everything Bundle: (bundle, the Patient's entry number, elements)."""
    doc = _provider(p, client, world, rng)
    pid = f"pt-{p.person_id}"
    pat_url = f"urn:uuid:{pid}"
    els = {"name", "dob", "address", "mrn", "provider", "diagnosis", "test_result"}
    if p.phone:
        els.add("phone")
    entries: list[dict[str, object]] = [
        {"fullUrl": "urn:uuid:org-lpg", "resource": {"resourceType": "Organization",
         "id": "org-lpg", "name": client.name}},
        {"fullUrl": pat_url, "resource": fhir_patient(p, client, pid)},
        {"fullUrl": "urn:uuid:dr-1", "resource": {"resourceType": "Practitioner", "id": "dr-1",
         "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": doc.npi}],
         "name": [{"family": doc.last, "given": [doc.first]}]}},
        {"fullUrl": "urn:uuid:enc-1", "resource": {"resourceType": "Encounter", "id": "enc-1",
         "status": "finished", "subject": {"reference": pat_url},
         "participant": [{"individual": {"reference": "urn:uuid:dr-1"}}],
         "period": {"start": "2025-01-14T09:30:00-06:00"},
         "serviceProvider": {"reference": "urn:uuid:org-lpg"}}},
    ]  # fmt: skip
    for i, cond in enumerate(_conditions(p)):
        entries.append({"fullUrl": f"urn:uuid:cond-{i}",
                        "resource": _condition(cond, pat_url, f"cond-{i}")})  # fmt: skip
    drugs = _drugs(p)
    for i, drug in enumerate(drugs):
        entries.append({"fullUrl": f"urn:uuid:med-{i}", "resource": {
            "resourceType": "MedicationRequest", "id": f"med-{i}", "status": "active",
            "intent": "order", "subject": {"reference": f"Patient/{pid}"},
            "medicationCodeableConcept": {"text": drug}}})  # fmt: skip
    if drugs:
        els.add("medication")
    for i, (t, v) in enumerate(_labs(rng, 2)):
        entries.append({"fullUrl": f"urn:uuid:obs-{i}", "resource": {
            "resourceType": "Observation", "id": f"obs-{i}", "status": "final",
            "category": [{"coding": [{"code": "laboratory"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": t.loinc,
                                 "display": t.name}]},
            "subject": {"reference": pat_url},
            "valueQuantity": {"value": float(v), "unit": t.units}}})  # fmt: skip
    if p.payer:
        entries.append({"fullUrl": "urn:uuid:cov-1", "resource": {
            "resourceType": "Coverage", "id": "cov-1", "status": "active",
            "beneficiary": {"reference": pat_url}, "subscriberId": p.member_id,
            "relationship": {"coding": [{"code": "self"}]},
            "payor": [{"display": p.payer.payer}],
            "class": [{"type": {"coding": [{"code": "plan"}]}, "value": "PLAN1",
                       "name": p.plan}]}})  # fmt: skip
        els |= {"health_plan", "member_id"}
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": len(entries),
              "entry": entries}  # fmt: skip
    return bundle, 2, els


# --------------------------------------------------------------------------- C-CDA


def _x(v: str) -> str:
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def ccda_document(
    p: Person, client: ClientDef, world: World, rng: random.Random
) -> tuple[str, set[str]]:
    """A Continuity of Care Document with problems, medications and results."""
    doc = _provider(p, client, world, rng)
    a = p.address
    els = {"name", "dob", "address", "mrn", "provider", "diagnosis", "test_result"}
    ids = f'<id root="2.16.840.1.113883.19.5.99999.2" extension="{p.mrn(client.id)}"/>'
    if p.ssn and rng.random() < 0.3:
        ids += (
            f'<id root="2.16.840.1.113883.4.1" extension="{p.ssn[:3]}-{p.ssn[3:5]}-{p.ssn[5:]}"/>'
        )
        els.add("ssn")
    tel = ""
    if p.phone:
        tel = f'<telecom use="HP" value="tel:+1({p.phone[:3]}){p.phone[3:6]}-{p.phone[6:]}"/>'
        els.add("phone")
    middle = f"<given>{_x(p.middle)}</given>" if p.middle else ""
    problems = "".join(
        f"""<entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
<observation classCode="OBS" moodCode="EVN"><code code="55607006"/>
<value xsi:type="CD" code="{c.icd10}" codeSystem="2.16.840.1.113883.6.90"
 displayName="{_x(c.description)}"/></observation></entryRelationship></act></entry>"""
        for c in _conditions(p)
    )
    drugs = _drugs(p)
    if drugs:
        els.add("medication")
    meds = "".join(
        f"""<entry><substanceAdministration classCode="SBADM" moodCode="INT"><consumable>
<manufacturedProduct><manufacturedMaterial><code code="0" displayName="{_x(d)}"/>
</manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration></entry>"""
        for d in drugs
    )
    results = "".join(
        f"""<entry><organizer classCode="BATTERY" moodCode="EVN"><component>
<observation classCode="OBS" moodCode="EVN"><code code="{t.loinc}" codeSystem="2.16.840.1.113883.6.1"
 displayName="{_x(t.name)}"/><value xsi:type="PQ" value="{v}" unit="{_x(t.units)}"/>
</observation></component></organizer></entry>"""
        for t, v in _labs(rng, 3)
    )
    deceased = ""
    if p.deceased_on:
        deceased = (
            f'<sdtc:deceasedInd value="true"/><sdtc:deceasedTime value="{_d(p.deceased_on)}"/>'
        )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<realmCode code="US"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
<templateId root="2.16.840.1.113883.10.20.22.1.2"/>
<code code="34133-9" codeSystem="2.16.840.1.113883.6.1"/>
<title>Continuity of Care Document</title><effectiveTime value="{_NOW}-0500"/>
<recordTarget><patientRole>{ids}
<addr use="HP"><streetAddressLine>{_x(a.street)}</streetAddressLine><city>{_x(a.city)}</city>
<state>{a.state}</state><postalCode>{a.zip}</postalCode></addr>{tel}
<patient><name use="L"><given>{_x(p.first)}</given>{middle}<family>{_x(p.last)}</family></name>
<administrativeGenderCode code="{p.sex}" codeSystem="2.16.840.1.113883.5.1"/>
<birthTime value="{_d(p.dob)}"/>{deceased}</patient>
<providerOrganization><name>{_x(client.name)}</name></providerOrganization>
</patientRole></recordTarget>
<documentationOf><serviceEvent classCode="PCPR"><performer typeCode="PRF"><assignedEntity>
<id root="2.16.840.1.113883.4.6" extension="{doc.npi}"/><assignedPerson><name>
<given>{_x(doc.first)}</given><family>{_x(doc.last)}</family><suffix>{doc.credential}</suffix>
</name></assignedPerson></assignedEntity></performer></serviceEvent></documentationOf>
<component><structuredBody>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
<code code="11450-4"/><title>Problems</title><text>See entries.</text>{problems}</section></component>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.1.1"/>
<code code="10160-0"/><title>Medications</title>{meds}</section></component>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/>
<code code="30954-2"/><title>Results</title>{results}</section></component>
</structuredBody></component></ClinicalDocument>
"""
    return text, els


# --------------------------------------------------------------------------- the files


@dataclass
class _Out:
    adt: list[str] = field(default_factory=list)
    oru: list[str] = field(default_factory=list)
    claims_bh: list[list[list[str]]] = field(default_factory=list)
    claims_lp: list[list[list[str]]] = field(default_factory=list)
    nd_patient: list[str] = field(default_factory=list)
    nd_condition: list[str] = field(default_factory=list)
    nd_coverage: list[str] = field(default_factory=list)
    n_bundles: int = 0
    n_ccda: int = 0


LAKESHORE_STYLE = X12Style(element="|", component="}", repetition="^", terminator="\n")


def write_healthcare_files(
    world: World,
    n_people: int,
    target: Callable[[str], Path],
    truth: TruthRecorder,
    seed: int,
    share: float = 0.12,
) -> None:
    """Put ``share`` of the case's people into healthcare-format files (module docstring).

    ``target`` maps an evidence path to where its bytes go (and registers the file).
    """
    rng = random.Random(f"breachscope-synth/{seed}/healthcare")
    o = _Out()
    for household in PopulationBuilder(world).households(n_people):
        for p in household:
            if rng.random() >= share:
                continue
            client = BY_ID[p.clients[0]]
            _place(p, client, world, rng, o, target, truth)
    if o.adt:
        data = b"".join(b"\x0b" + m.encode("utf-8") + b"\x1c\r" for m in o.adt)
        _write(target, ADT_PATH, data)
    if o.oru:
        head = f"FHS|^~\\&|LIS|TCCL|||{_NOW}\nBHS|^~\\&|LIS|TCCL|||{_NOW}\n"
        tail = f"BTS|{len(o.oru)}\nFTS|1\n"
        text = head + "".join(o.oru) + tail
        _write(target, ORU_PATH, text.encode("cp1252", errors="replace"))
    if o.claims_bh:
        text = x12_envelope(o.claims_bh, X12Style())
        _write(target, X12_BH_PATH, text.encode("utf-8"))
    if o.claims_lp:
        text = x12_envelope(o.claims_lp, LAKESHORE_STYLE, control=7)
        _write(target, X12_LP_PATH, text.encode("latin-1", errors="replace"))
    for name, lines in (
        ("Patient.ndjson", o.nd_patient),
        ("Condition.ndjson", o.nd_condition),
        ("Coverage.ndjson", o.nd_coverage),
    ):
        if lines:
            _write(target, f"{NDJSON_DIR}/{name}", "".join(lines).encode("utf-8"))


def _place(
    p: Person,
    client: ClientDef,
    world: World,
    rng: random.Random,
    o: _Out,
    target: Callable[[str], Path],
    truth: TruthRecorder,
) -> None:
    pick = rng.random()
    if client is MERCY:
        if pick < 0.6 or o.n_ccda >= MAX_DOCS:
            text, els, sub_els = hl7_adt(p, client, world, rng, len(o.adt) + 1)
            o.adt.append(text)
            _mention(truth, p, ADT_PATH, els, sub_els, len(o.adt))
        else:
            o.n_ccda += 1
            path = CCDA_PATH.format(mrn=p.mrn(client.id))
            xml, els = ccda_document(p, client, world, rng)
            _write(target, path, xml.encode("utf-8"))
            truth.mention(p.person_id, path, els, row_no=1)
    elif client is TRICOUNTY:
        text, els = hl7_oru(p, client, world, rng, len(o.oru) + 1)
        o.oru.append(text)
        truth.mention(p.person_id, ORU_PATH, els, row_no=len(o.oru))
    elif client is HORIZON:
        if pick < 0.5:
            n = len(o.claims_bh) + 1
            segs, els, sub_els = x12_claim(p, client, world, rng, X12Style(), n)
            o.claims_bh.append(segs)
            _mention(truth, p, X12_BH_PATH, els, sub_els, n)
        else:
            _ndjson(p, client, o, truth)
    else:  # Lakeshore
        if pick < 0.5 or o.n_bundles >= MAX_DOCS:
            n = len(o.claims_lp) + 1
            segs, els, sub_els = x12_claim(p, client, world, rng, LAKESHORE_STYLE, n)
            o.claims_lp.append(segs)
            _mention(truth, p, X12_LP_PATH, els, sub_els, n)
        else:
            o.n_bundles += 1
            bundle, row_no, els = fhir_bundle(p, client, world, rng)
            path = BUNDLE_PATH.format(mrn=p.mrn(client.id))
            _write(target, path, json.dumps(bundle, indent=1).encode("utf-8"))
            truth.mention(p.person_id, path, els, row_no=row_no)


def _write(target: Callable[[str], Path], path: str, data: bytes) -> None:
    out = target(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)


def _mention(
    truth: TruthRecorder, p: Person, path: str, els: set[str], sub_els: set[str], row_no: int
) -> None:
    truth.mention(p.person_id, path, els, row_no=row_no)
    if sub_els and p.subscriber is not None:
        truth.mention(p.subscriber.person_id, path, sub_els, row_no=row_no)


def _ndjson(p: Person, client: ClientDef, o: _Out, truth: TruthRecorder) -> None:
    pid = f"bh-{p.person_id}"
    ref = f"Patient/{pid}"
    o.nd_patient.append(json.dumps(fhir_patient(p, client, pid)) + "\n")
    els = {"name", "dob", "address", "member_id"}
    if p.phone:
        els.add("phone")
    truth.mention(p.person_id, f"{NDJSON_DIR}/Patient.ndjson", els, row_no=len(o.nd_patient))
    # Clinical lines carry the patient's name and DOB (from Patient.ndjson) on their rows.
    for i, cond in enumerate(_conditions(p)[:2]):
        o.nd_condition.append(json.dumps(_condition(cond, ref, f"c-{p.person_id}-{i}")) + "\n")
        truth.mention(
            p.person_id,
            f"{NDJSON_DIR}/Condition.ndjson",
            {"name", "dob", "diagnosis"},
            row_no=len(o.nd_condition),
        )
    if p.payer:
        cov = {"resourceType": "Coverage", "id": f"cov-{p.person_id}", "status": "active",
               "beneficiary": {"reference": ref}, "subscriberId": p.member_id,
               "payor": [{"reference": "Organization/bhhp", "display": p.payer.payer}],
               "class": [{"type": {"coding": [{"code": "plan"}]}, "value": "P",
                          "name": p.plan}]}  # fmt: skip
        o.nd_coverage.append(json.dumps(cov) + "\n")
        truth.mention(
            p.person_id,
            f"{NDJSON_DIR}/Coverage.ndjson",
            {"name", "dob", "health_plan", "member_id"},
            row_no=len(o.nd_coverage),
        )
