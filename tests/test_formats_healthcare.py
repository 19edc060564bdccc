"""HL7 v2, X12, FHIR and C-CDA read by their structure: readers alone, and whole cases.

The end-to-end test writes generator files (``synth.healthcare_formats``) for a small
population and checks that ingest → detect → link → resolve finds exactly the people and
element categories the generator's truth records, row by row.
"""

from __future__ import annotations

import collections
import csv
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachscope.case import load_case
from breachscope.detect.headers import classify_header
from breachscope.ingest.emit import Emitter
from breachscope.ingest.options import Limits
from breachscope.ingest.readers import ccda, fhir, hl7, x12
from breachscope.ingest.registry import ReadContext, Source, reader_for
from breachscope.ingest.sniff import HEAD_BYTES, sniff
from breachscope.pipeline import run_all
from breachscope.store.db import open_case_store
from breachscope.synth import healthcare_formats as hf
from breachscope.synth.people import PopulationBuilder, World
from breachscope.synth.truth import TruthRecorder

CASE = """\
evidence = "evidence"

[incident]
name = "Healthcare formats"
discovery_date = 2025-02-06
access_start = 2025-01-27
access_end = 2025-02-06

[reporting_entity]
name = "Vendor LLC"
role = "business_associate"

[[clients]]
id = "all"
name = "All Clients"
kind = "provider"
covered_entity = true
paths = ["**"]

[settings]
workers = 1
"""

Row = dict[str, str]


# --------------------------------------------------------------------------- helpers


def read_rows(path: Path, name: str | None = None) -> tuple[str, list[tuple[int, Row]]]:
    """Type a file by content and read it with its reader: (type, [(row_no, cells)])."""
    head = path.read_bytes()[:HEAD_BYTES]
    size = path.stat().st_size
    guess = sniff(path, name or path.name, head, size)
    if guess.status is not None:
        return guess.type, []
    reader = reader_for(guess.type)
    assert reader is not None
    work = path.parent / ".work"
    out = Emitter("f", work, 1 << 30)
    ctx = ReadContext(Limits(), (), work, 1 << 30)
    reader(Source(path, path.name, "f", size, 0, guess), ctx, out)
    docs, _ = out.documents()
    assert docs is not None
    columns = [d["columns"] for d in docs.to_pylist() if d["kind"] == "table"]
    rows: list[tuple[int, Row]] = []
    for part, cols in zip(out.tables, columns, strict=True):
        assert part.inline is not None
        for r in part.inline.to_pylist():
            cells = {cols[i]: r[f"c{i}"] for i in range(len(cols)) if r[f"c{i}"]}
            rows.append((r["row_no"], cells))
    return guess.type, rows


def make_case(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    ev = tmp_path / "evidence"
    for rel, data in files.items():
        p = ev / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    (tmp_path / "case.toml").write_text(CASE)
    return tmp_path


def run_case(case_dir: Path) -> dict[str, list[Any]]:
    case = load_case(case_dir / "case.toml")
    run_all(case, stages=("ingest", "detect", "link", "resolve"))
    con = open_case_store(case, read_only=True)
    try:
        return {
            "files": con.execute(
                "SELECT path, status, reason, detected_type FROM files"
            ).fetchall(),
            "mentions": con.execute(
                "SELECT path, row_no, first_name, last_name, elements FROM mentions"
            ).fetchall(),
            "individuals": con.execute(
                "SELECT first_name, last_name, dob, state, elements FROM individuals"
            ).fetchall(),
        }
    finally:
        con.close()


def _key(s: str | None) -> str:
    return "".join(ch for ch in (s or "").upper() if ch.isalpha())[:5]


# --------------------------------------------------------------------------- vocabulary

_EXPECTED_KIND = {
    "Patient Last Name": "name", "Patient First Name": "name", "Patient Middle Name": "name",
    "Patient DOB": "dob", "Patient SSN": "ssn", "Patient Address": "address",
    "Patient City": "address", "Patient State": "address", "Patient ZIP": "address",
    "Patient Phone": "phone", "Patient Email": "email", "Patient MRN": "mrn",
    "Patient Account Number": "mrn", "Patient Driver License": "drivers_license",
    "Patient Gender": "gender", "Date of Death": "date_of_death", "Deceased": "deceased",
    "Insurance Plan Name": "health_plan", "Payer": "health_plan", "Member ID": "member_id",
    "Group Number": "member_id", "Subscriber Last Name": "name",
    "Subscriber First Name": "name", "Subscriber DOB": "dob", "Subscriber SSN": "ssn",
    "Subscriber Address": "address", "Subscriber ZIP": "address",
    "Subscriber Member ID": "member_id", "Attending Physician": "provider",
    "Attending NPI": "provider", "Rendering Provider": "provider",
    "Rendering Provider NPI": "provider", "Referring Physician": "provider",
    "Ordering Provider": "provider", "Diagnosis Codes": "diagnosis",
    "Diagnosis Descriptions": "diagnosis", "Procedure Codes": "procedure",
    "Procedure Descriptions": "procedure", "Medications": "medication",
    "Lab Results": "test_result", "Imaging Studies": "imaging", "Facility": "organization",
    "Source": "skip", "Patient Name Suffix": "name", "Subscriber Middle Name": "name",
    "Subscriber Name Suffix": "name", "Subscriber Gender": "gender",
    "Subscriber City": "address", "Subscriber State": "address",
    "Billing Provider NPI": "organization", "Billing Provider": "skip",
}  # fmt: skip


@pytest.mark.parametrize("header", sorted(_EXPECTED_KIND))
def test_header_vocabulary_is_understood_by_detect(header: str) -> None:
    assert classify_header(header).kind == _EXPECTED_KIND[header]


def test_every_reader_uses_the_shared_vocabulary() -> None:
    shared = set(_EXPECTED_KIND)
    for cols in (hl7.COLUMNS, x12.COLUMNS, fhir.COLUMNS, ccda.COLUMNS):
        assert {"Patient Last Name", "Patient DOB", "Source"} <= set(cols)
        assert len(set(cols)) == len(cols)
    for h in set(hl7.COLUMNS) | set(x12.COLUMNS) | set(fhir.COLUMNS) | set(ccda.COLUMNS):
        if h not in shared:  # service dates, message type, charges …: never personal data
            assert classify_header(h).kind in ("date", "skip", None), h
    assert classify_header("Subscriber Last Name").group == "subscriber"
    assert classify_header("Patient Last Name").group == "patient"


# --------------------------------------------------------------------------- end to end


def test_generated_files_give_the_truths_people_and_elements(tmp_path: Path) -> None:
    ev = tmp_path / "evidence"
    truth = TruthRecorder(tmp_path / "truth")

    def target(path: str) -> Path:
        return ev / path

    world = World.create(3)
    for household in PopulationBuilder(world).households(160):
        for p in household:
            truth.person(p)
    hf.write_healthcare_files(world, 160, target, truth, seed=3, share=0.35)
    truth.finish()
    make_case(tmp_path, {})
    got = run_case(tmp_path)
    kinds = {p.rsplit("/", 1)[-1]: t for p, _s, _r, t in got["files"]}
    assert kinds["ADT_capture_20250203.hl7"] == "hl7"
    assert kinds["ORU_batch_20250130.txt"] == "hl7"
    assert kinds["837P_20250203_batch01.x12"] == "x12"
    assert kinds["claims_20250131.837"] == "x12"
    assert kinds["Condition.ndjson"] == "fhir"
    assert any(t == "fhir" for n, t in kinds.items() if n.startswith("everything_"))
    assert any(t == "ccda" for n, t in kinds.items() if n.startswith("CCD_"))
    assert all(s == "processed" for _p, s, _r, _t in got["files"])

    people = {r["person_id"]: r for r in csv.DictReader((tmp_path / "truth/people.csv").open())}
    expected: dict[tuple[str, int], list[tuple[str, str, set[str]]]] = collections.defaultdict(list)
    for r in csv.DictReader((tmp_path / "truth/mentions.csv").open()):
        p = people[r["person_id"]]
        expected[(r["path"], int(r["row_no"]))].append(
            (_key(p["first_name"]), _key(p["last_name"]), set(r["elements"].split(";")))
        )
    found: dict[tuple[str, int], list[tuple[str, str, set[str]]]] = collections.defaultdict(list)
    for path, row_no, first, last, els in got["mentions"]:
        found[(path, row_no)].append((_key(first), _key(last), set(els)))
    assert len(expected) > 40
    formats = collections.Counter()
    for key, want in expected.items():
        have = found.get(key, [])
        assert sorted(have, key=str) == sorted(want, key=str), key
        formats[key[0].rsplit(".", 1)[-1]] += 1
    assert set(formats) >= {"hl7", "txt", "x12", "837", "ndjson", "json", "xml"}
    assert set(found) == set(expected)  # nobody extra
    # Resolve joins a person's NDJSON rows (Patient, Condition, Coverage) into one.
    assert len(got["individuals"]) == len({pid for pid in _truth_people(tmp_path)})


def _truth_people(tmp_path: Path) -> set[str]:
    return {r["person_id"] for r in csv.DictReader((tmp_path / "truth/mentions.csv").open())}


# --------------------------------------------------------------------------- HL7 v2

ADT = (
    "MSH|^~\\&|EPIC|MVHS|HIE|KCC|20250201083000||ADT^A01^ADT_A01|MSG0001|P|2.5.1\r"
    "PID|1||00482913^^^MVHS^MR~512443871^^^SSA^SS||QUINTERO\\T\\SONS^MARISOL^ANA^^^^L||19610314|F|||"
    "14 ALDER WAY\\F\\REAR^APT 2^TACOMA^WA^98402^USA^H||^PRN^PH^^^253^6021234|||||ACCT7788\r"
    "PV1|1|I|4W^401^A^MERCY VALLEY HOSPITAL||||1234567893^SMITH^JOHN^A^^^MD\r"
    "IN1|1|PPO1^Gold PPO||Blue Horizon Health Plan||||GRP123||||||||QUINTERO^JORGE|02|19590101|"
    "14 ALDER WAY^^TACOMA^WA^98402|||||||||||||||||XZB400123456\r"
    "DG1|1||E119^Type 2 diabetes mellitus^I10\r"
    "OBR|1|||80053^Comprehensive metabolic panel^C4\r"
    "OBX|1|NM|2345-7^Glucose^LN||145|mg/dL|70-99|H\r"
    "OBX|2|TX|^Comment||doing well\r"
    "RXE|1|00093104801^Metformin^NDC|500||mg\r"
)


def test_hl7_fields_components_repetitions_and_escapes(tmp_path: Path) -> None:
    f = tmp_path / "adt.txt"  # an HL7 file named .txt is typed by content
    f.write_text(ADT)
    kind, rows = read_rows(f)
    assert kind == "hl7"
    [(row_no, r)] = rows
    assert row_no == 1
    assert r["Patient Last Name"] == "QUINTERO&SONS"  # \T\ is the subcomponent separator
    assert r["Patient Address"] == "14 ALDER WAY|REAR APT 2"
    assert (r["Patient MRN"], r["Patient SSN"]) == ("00482913", "512443871")
    assert r["Patient DOB"] == "1961-03-14"
    assert r["Patient Phone"] == "(253) 602-1234"
    assert r["Attending NPI"] == "1234567893"
    assert r["Diagnosis Codes"] == "E11.9"
    assert r["Lab Results"] == "Glucose 145 mg/dL"
    assert r["Medications"] == "Metformin 500 mg"
    # The insured is the patient's spouse: the policy number is the subscriber's.
    assert (r["Subscriber Last Name"], r["Subscriber DOB"]) == ("QUINTERO", "1959-01-01")
    assert r["Subscriber Member ID"] == "XZB400123456"
    assert "Member ID" not in r


def test_hl7_mllp_batch_latin1_and_truncation(tmp_path: Path) -> None:
    msg = "MSH|^~\\&|LAB|TCL|||20250130||ORU^R01|C{n}|P|2.3\rPID|||TC{n}||MUÑOZ^JOSÉ||19800101|M\r"
    framed = b"".join(b"\x0b" + msg.format(n=n).encode("latin-1") + b"\x1c\r" for n in range(1, 4))
    f = tmp_path / "capture.dat"
    f.write_bytes(b"FHS|^~\\&|LAB\rBHS|^~\\&|LAB\r" + framed + b"\x0bMSH|^~\\&|LAB|TC")
    kind, rows = read_rows(f)
    assert kind == "hl7"
    assert [n for n, _ in rows] == [1, 2, 3, 4]  # the cut-off fourth message is kept
    assert rows[0][1]["Patient Last Name"] == "MUÑOZ"
    assert rows[2][1]["Patient MRN"] == "TC3"
    assert "Patient Last Name" not in rows[3][1]


def test_hl7_imaging_order_and_self_insured(tmp_path: Path) -> None:
    f = tmp_path / "rad.hl7"
    f.write_text(
        "MSH|^~\\&|RIS|MV|||20250130||ORU^R01|R1|P|2.4\n"
        "PID|||77^^^MV^MR||ROE^RICH||19700101|M\n"
        "IN1|1|X^Y||Aetna||||||||||||ROE^RICH|01|19700101||||||||||||||||||W123\n"
        "OBR|1|||71046^XR CHEST 2V^CPT||||||||||||||||||||RAD\n"
        "OBX|1|TX|||Impression: normal\n"
    )
    [(_, r)] = read_rows(f)[1]
    assert r["Imaging Studies"] == "XR CHEST 2V"
    assert "Lab Results" not in r
    assert r["Member ID"] == "W123"
    assert not any(k.startswith("Subscriber") for k in r)  # insured is self: one group


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="MSHPID|^~\\&\r\nFX0123.ABbr ", max_size=300))
def test_hl7_splitting_never_raises(text: str) -> None:
    data = ("MSH|^~\\&|" + text).encode()
    for n, raw in enumerate(hl7.iter_messages(iter([data[:7], data[7:]])), start=1):
        hl7.read_message(raw, n)


# --------------------------------------------------------------------------- X12


def _x12(
    body: list[str], e: str = "*", c: str = ":", t: str = "~", nl: str = "", st: str = "837"
) -> str:
    isa = e.join(["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "SENDER".ljust(15), "ZZ",
                  "RECEIVER".ljust(15), "250203", "1015", "^", "00501", "000000001", "0", "P", c])  # fmt: skip
    segs = [isa, e.join(["GS", "HC", "S", "R", "20250203", "1015", "1", "X", "005010X222A1"]),
            e.join(["ST", st, "0001", "005010X222A1"])]  # fmt: skip
    segs += [s.replace("*", e).replace(":", c) for s in body]
    segs += [e.join(["SE", str(len(body) + 2), "0001"]), e.join(["GE", "1", "1"]),
             e.join(["IEA", "1", "000000001"])]  # fmt: skip
    return (t + nl).join(segs) + t + nl


CLAIMS_837 = [
    "HL*1**20*1", "NM1*85*2*LAKESHORE PHYSICIANS*****XX*1234567893",
    "HL*2*1*22*1", "SBR*P**GRP9*Gold PPO****CI",
    "NM1*IL*1*ÅBERG*JORGE*Q***MI*XZB400123401", "N3*14 ALDER WAY", "N4*TACOMA*WA*98402",
    "DMG*D8*19590101*M", "NM1*PR*2*BLUE HORIZON HEALTH PLAN*****PI*BH1",
    "HL*3*2*23*0", "PAT*19", "NM1*QC*1*ÅBERG*LUCIA", "N3*14 ALDER WAY", "N4*TACOMA*WA*98402",
    "DMG*D8*20100505*F",
    "CLM*ACCT1*125***11:B:1*Y*A*Y*Y", "REF*EA*MRN555", "HI*ABK:E119*ABF:I10",
    "NM1*82*1*SMITH*JOHN****XX*1234567893", "LX*1", "SV1*HC:99213*125*UN*1***1",
    "DTP*472*D8*20250115",
    "HL*4*1*22*0", "SBR*P*18*GRP9*Gold PPO****CI",
    "NM1*IL*1*OKAFOR*CHIDI****MI*XZB400999901", "N3*77 BIRCH RD", "N4*BOISE*ID*83702",
    "DMG*D8*19900702*M", "REF*SY*512443871", "NM1*PR*2*BLUE HORIZON HEALTH PLAN*****PI*BH1",
    "CLM*ACCT2*80***11:B:1*Y*A*Y*Y", "HI*ABK:J45909", "LX*1", "SV1*HC:94640*80*UN*1***1",
]  # fmt: skip


@pytest.mark.parametrize(
    ("e", "c", "t", "nl"),
    [("*", ":", "~", ""), ("*", ":", "~", "\r\n"), ("|", "}", "\n", ""), ("!", ">", "'", "")],
)
def test_x12_837_any_separators_with_or_without_line_breaks(
    tmp_path: Path, e: str, c: str, t: str, nl: str
) -> None:
    f = tmp_path / "claims.edi"
    f.write_bytes(_x12(CLAIMS_837, e, c, t, nl).encode("cp1252"))
    kind, rows = read_rows(f)
    assert kind == "x12"
    assert [n for n, _ in rows] == [1, 2]
    dep, me = rows[0][1], rows[1][1]
    assert (dep["Patient Last Name"], dep["Patient First Name"]) == ("ÅBERG", "LUCIA")
    assert dep["Patient DOB"] == "2010-05-05"
    assert (dep["Subscriber First Name"], dep["Subscriber Member ID"]) == ("JORGE", "XZB400123401")
    assert dep["Subscriber DOB"] == "1959-01-01"
    assert dep["Diagnosis Codes"] == "E11.9; I10"
    assert dep["Procedure Codes"] == "99213"
    assert dep["Patient MRN"] == "MRN555"
    assert dep["Payer"] == "BLUE HORIZON HEALTH PLAN"
    assert dep["Rendering Provider NPI"] == "1234567893"
    assert "Member ID" not in dep
    # Self-insured (SBR02=18): only the Patient group, the subscriber ID is the member ID.
    assert (me["Patient Last Name"], me["Member ID"], me["Patient SSN"]) == (
        "OKAFOR",
        "XZB400999901",
        "512443871",
    )
    assert not any(k.startswith("Subscriber") for k in me)
    assert me["Diagnosis Codes"] == "J45.909"


def test_x12_835_and_834(tmp_path: Path) -> None:
    era = _x12(
        ["BPR*I*80*C", "N1*PR*BLUE HORIZON", "N1*PE*LAKESHORE*XX*1234567893",
         "CLP*ACCT2*1*125*80**12*PCN1", "NM1*QC*1*OKAFOR*CHIDI****MI*XZB400999901",
         "NM1*82*1*SMITH*JOHN****XX*1234567893", "SVC*HC:99213*125*80", "DTM*472*20250115"],
        st="835",
    )  # fmt: skip
    (tmp_path / "era.835").write_text(era)
    _, [(n, r)] = read_rows(tmp_path / "era.835")
    assert n == 1 and r["Record Type"] == "835"
    assert (r["Patient Last Name"], r["Member ID"], r["Payer"]) == (
        "OKAFOR",
        "XZB400999901",
        "BLUE HORIZON",
    )
    assert r["Procedure Codes"] == "99213" and r["Paid Amount"] == "80"
    enrol = _x12(
        ["N1*IN*BLUE HORIZON", "INS*Y*18*021*28*A", "REF*0F*XZB400777701",
         "NM1*IL*1*DOE*JANE****34*512443871", "N3*1 MAIN ST", "N4*BOISE*ID*83702",
         "DMG*D8*19800101*F", "HD*021**HLT*Gold PPO", "INS*N*19*021*28*A",
         "REF*0F*XZB400777701", "NM1*IL*1*DOE*JIM", "DMG*D8*20120101*M"],
        st="834",
    )  # fmt: skip
    (tmp_path / "enrol.txt").write_text(enrol)
    _, rows = read_rows(tmp_path / "enrol.txt")
    assert [(n, r["Patient First Name"]) for n, r in rows] == [(1, "JANE"), (2, "JIM")]
    assert rows[0][1]["Patient SSN"] == "512443871"
    assert rows[0][1]["Member ID"] == "XZB400777701"
    assert rows[0][1]["Insurance Plan Name"] == "Gold PPO"


# --------------------------------------------------------------------------- FHIR

PATIENT = {
    "resourceType": "Patient", "id": "p1",
    "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "MRN-1"},
                   {"system": "http://hl7.org/fhir/sid/us-ssn", "value": "512-44-3871"}],
    "name": [{"family": "Quintero", "given": ["Marisol", "Ana"]}],
    "birthDate": "1961-03-14", "gender": "female",
    "address": [{"line": ["14 Alder Way"], "city": "Tacoma", "state": "WA", "postalCode": "98402"}],
}  # fmt: skip
CONDITION = {
    "resourceType": "Condition", "id": "c1",
    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9",
                         "display": "Type 2 diabetes"}]},
}  # fmt: skip


def test_fhir_bundle_resolves_references(tmp_path: Path) -> None:
    bundle = {
        "resourceType": "Bundle", "type": "collection",
        "entry": [
            {"fullUrl": "http://ehr.example/fhir/Practitioner/d1",
             "resource": {"resourceType": "Practitioner", "id": "d1",
                          "name": [{"family": "Smith", "given": ["John"]}],
                          "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi",
                                          "value": "1234567893"}]}},
            {"fullUrl": "urn:uuid:aaa", "resource": PATIENT},
            {"resource": {**CONDITION, "subject": {"reference": "urn:uuid:aaa"}}},
            {"resource": {"resourceType": "Observation", "id": "o1",
                          "subject": {"reference": "http://ehr.example/fhir/Patient/p1"},
                          "code": {"text": "Glucose"},
                          "valueQuantity": {"value": 145, "unit": "mg/dL"}}},
            {"resource": {"resourceType": "Procedure", "subject": {"reference": "Patient/p1"},
                          "code": {"coding": [{"code": "45378", "display": "Colonoscopy"}]},
                          "performer": [{"actor": {"reference": "Practitioner/d1"}}]}},
            {"resource": {"resourceType": "MedicationRequest",
                          "subject": {"reference": "Patient/p1"},
                          "medicationReference": {"reference": "#m1"},
                          "contained": [{"resourceType": "Medication", "id": "m1",
                                         "code": {"text": "Metformin 500 mg"}}]}},
            {"resource": {**CONDITION, "id": "c2", "subject": {"reference": "Patient/zzz"}}},
        ],
    }  # fmt: skip
    f = tmp_path / "export"  # no extension
    f.write_text(json.dumps(bundle, indent=2))
    kind, rows = read_rows(f)
    assert kind == "fhir"
    assert [n for n, _ in rows] == [2, 7]  # the Patient's entry; the orphan's first entry
    r = rows[0][1]
    assert (r["Patient Last Name"], r["Patient Middle Name"]) == ("Quintero", "Ana")
    assert (r["Patient MRN"], r["Patient SSN"]) == ("MRN-1", "512-44-3871")
    assert r["Diagnosis Codes"] == "E11.9"
    assert r["Lab Results"] == "Glucose 145 mg/dL"
    assert (r["Procedure Codes"], r["Attending NPI"]) == ("45378", "1234567893")
    assert r["Attending Physician"] == "John Smith"
    assert r["Medications"] == "Metformin 500 mg"
    orphan = rows[1][1]
    assert "Patient Last Name" not in orphan and orphan["Diagnosis Codes"] == "E11.9"


def test_fhir_requester_performer_recorder_are_providers_not_subjects(tmp_path: Path) -> None:
    doc = {
        "resourceType": "Practitioner",
        "name": [{"family": "Haddad", "given": ["Omar"], "prefix": ["Dr."]}],
        "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}],
    }
    pat = {"reference": "urn:uuid:pat-1"}
    bundle = {
        "resourceType": "Bundle", "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:dr-1", "resource": doc},
            {"fullUrl": "urn:uuid:role-1",
             "resource": {"resourceType": "PractitionerRole",
                          "practitioner": {"reference": "Practitioner/d2"}}},
            {"resource": {"resourceType": "Practitioner", "id": "d2",
                          "name": [{"family": "Lindqvist", "given": ["Ingrid"]}]}},
            {"fullUrl": "urn:uuid:pat-1", "resource": PATIENT},
            {"resource": {"resourceType": "RelatedPerson", "id": "mom",
                          "name": [{"family": "Quintero", "given": ["Rosa"]}]}},
            # urn:uuid: fullUrl
            {"resource": {"resourceType": "MedicationRequest", "subject": pat,
                          "requester": {"reference": "urn:uuid:dr-1"},
                          "medicationCodeableConcept": {"text": "Sertraline 50 mg"}}},
            # PractitionerRole → Practitioner/id; a Patient performer is no provider
            {"resource": {"resourceType": "Observation", "subject": pat,
                          "code": {"text": "Glucose"}, "valueQuantity": {"value": 99},
                          "performer": [{"reference": "urn:uuid:role-1"}, pat]}},
            # contained
            {"resource": {"resourceType": "DiagnosticReport", "subject": pat,
                          "code": {"text": "CT head"},
                          "contained": [{"resourceType": "Practitioner", "id": "rad",
                                         "name": [{"text": "Priya Raman"}]}],
                          "performer": [{"reference": "#rad"}]}},
            # recorded by a practitioner named only in display; asserted by the patient's
            # mother (a RelatedPerson) and, unresolved, by someone of no stated type
            {"resource": {**CONDITION, "subject": pat,
                          "recorder": {"reference": "Practitioner/gone",
                                       "display": "Tomas Ferreira"},
                          "asserter": {"reference": "RelatedPerson/mom"}}},
            {"resource": {**CONDITION, "id": "c3", "subject": pat,
                          "asserter": {"display": "Rosa Quintero"}}},
            {"resource": {"resourceType": "Immunization", "patient": pat,
                          "vaccineCode": {"text": "Influenza vaccine"},
                          "performer": [{"actor": {"reference": "Patient/p1"}}]}},
        ],
    }  # fmt: skip
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))
    kind, rows = read_rows(tmp_path / "bundle.json")
    assert kind == "fhir" and [n for n, _ in rows] == [4]  # the Patient only
    r = rows[0][1]
    assert r["Attending Physician"].split("; ") == [
        "Omar Haddad", "Ingrid Lindqvist", "Priya Raman", "Tomas Ferreira"
    ]  # fmt: skip
    assert r["Attending NPI"] == "1245319599"
    assert "Marisol" not in r["Attending Physician"] and "Rosa" not in r["Attending Physician"]

    (tmp_path / "case" / "evidence" / "fhir").mkdir(parents=True)
    (tmp_path / "case" / "evidence" / "fhir" / "bundle.json").write_text(json.dumps(bundle))
    (tmp_path / "case" / "case.toml").write_text(CASE)
    got = run_case(tmp_path / "case")
    assert [(f, last) for _p, _n, f, last, _e in got["mentions"]] == [("Marisol", "Quintero")]
    ((first, last, _dob, _st, elements),) = got["individuals"]
    assert (first, last) == ("Marisol", "Quintero")
    assert {"provider", "medication", "diagnosis"} <= set(elements)


def test_fhir_single_resource_and_truncated_bundle(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(json.dumps(PATIENT))
    assert read_rows(tmp_path / "p.json")[1][0][1]["Patient ZIP"] == "98402"
    entry = {"fullUrl": "urn:uuid:aaa", "resource": PATIENT}
    text = json.dumps({"resourceType": "Bundle", "entry": [entry, entry, entry]})
    (tmp_path / "cut.json").write_text(text[: len(text) * 2 // 3])
    kind, rows = read_rows(tmp_path / "cut.json")
    assert kind == "fhir" and [n for n, _ in rows] == [1]


def test_fhir_ndjson_bulk_export_links_to_sibling_patients(tmp_path: Path) -> None:
    export = tmp_path / "bulk"
    export.mkdir()
    (export / "Patient.ndjson").write_text(json.dumps(PATIENT) + "\n")
    lines = [
        json.dumps({**CONDITION, "subject": {"reference": "Patient/p1"}}),
        "{not json",
        json.dumps({**CONDITION, "id": "c9", "subject": {"reference": "Patient/p1"}}),
    ]
    (export / "Condition.ndjson").write_text("\n".join(lines) + "\n")
    kind, rows = read_rows(export / "Condition.ndjson")
    assert kind == "fhir"
    assert [n for n, _ in rows] == [1, 3]  # line numbers; the bad line fails alone
    r = rows[0][1]
    assert (r["Patient Last Name"], r["Patient DOB"], r["Patient MRN"]) == (
        "Quintero",
        "1961-03-14",
        "MRN-1",
    )
    assert "Patient Address" not in r  # demographics stay on the Patient's own row
    assert r["Diagnosis Codes"] == "E11.9"


# --------------------------------------------------------------------------- C-CDA

CCD = """<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<title>Discharge Summary</title>
<recordTarget><patientRole><id root="2.16.840.1.113883.4.1" extension="512443871"/>
<id root="1.2.3" extension="MRN77"/>
<addr><streetAddressLine>14 Alder Way</streetAddressLine><city>Tacoma</city><state>WA</state>
<postalCode>98402</postalCode></addr><telecom value="tel:+1-253-602-1234"/>
<patient><name><given>Marisol</given><family>Quintero</family></name>
<birthTime value="19610314"/></patient></patientRole></recordTarget>
<component><structuredBody><component><section>
<templateId root="2.16.840.1.113883.10.20.22.2.5.1"/><entry><act><entryRelationship>
<observation><value xsi:type="CD" code="E11.9" codeSystem="2.16.840.1.113883.6.90"
 displayName="Type 2 diabetes"/></observation></entryRelationship></act></entry>
</section></component><component><section><code code="30954-2"/><entry><organizer><component>
<observation><code displayName="Hemoglobin A1c"/><value xsi:type="PQ" value="7.2" unit="%"/>
</observation></component></organizer></entry></section></component>
"""


def test_ccda_header_sections_and_truncation(tmp_path: Path) -> None:
    f = tmp_path / "summary.xml"
    f.write_text(CCD + "</structuredBody></component></ClinicalDocument>\n")
    kind, [(n, r)] = read_rows(f)
    assert (kind, n) == ("ccda", 1)
    assert (r["Patient SSN"], r["Patient MRN"], r["Patient DOB"]) == (
        "512443871",
        "MRN77",
        "1961-03-14",
    )
    assert r["Diagnosis Codes"] == "E11.9"
    assert r["Lab Results"] == "Hemoglobin A1c 7.2 %"
    assert r["Source"] == "Discharge Summary"
    cut = tmp_path / "cut.xml"
    cut.write_text(CCD[: CCD.index("<component>") + 40])  # cut inside the body
    kind, [(_, r2)] = read_rows(cut)
    assert kind == "ccda" and r2["Patient Last Name"] == "Quintero"
    plain = tmp_path / "other.xml"
    plain.write_text('<?xml version="1.0"?><ClinicalDocument><title>x</title></ClinicalDocument>')
    assert read_rows(plain)[0] == "xml"  # not HL7 v3: not a C-CDA


@pytest.mark.parametrize(
    ("author", "doctor"),
    [
        # The clinician who wrote the document is the patient's provider (third held-out set).
        ('<assignedAuthor><id root="2.16.840.1.113883.4.6" extension="1550662393"/>'
         "<assignedPerson><name><given>Adebayo</given><family>Oyelaran</family>"
         "<suffix>MD</suffix></name></assignedPerson></assignedAuthor>",
         "Adebayo Oyelaran, MD"),
        # A device or a system author names nobody.
        ("<assignedAuthor><assignedAuthoringDevice><softwareName>EHR 9</softwareName>"
        "</assignedAuthoringDevice></assignedAuthor>", None),
        ("<assignedAuthor><representedOrganization><name>Lakeshore Regional</name>"
         "</representedOrganization></assignedAuthor>", None),
    ],
)  # fmt: skip
def test_ccda_author_is_a_provider_only_when_a_person(
    tmp_path: Path, author: str, doctor: str | None
) -> None:
    f = tmp_path / "ccd.xml"
    doc = CCD.replace("<component>", f"<author>{author}</author><component>", 1)
    f.write_text(doc + "</structuredBody></component></ClinicalDocument>\n")
    _kind, [(_n, r)] = read_rows(f)
    assert r.get("Attending Physician") == doctor


# --------------------------------------------------------------------------- bad files


def test_bad_and_mislabelled_files_are_reported_not_fatal(tmp_path: Path) -> None:
    canary = "ZZCANARYNAME"
    case = make_case(
        tmp_path,
        {
            "a/no_transaction.x12": _x12([])[:200].split("ST*")[0],
            "a/broken.json": '{"resourceType": "Bundle", "entry": [ {"resource": {"res',
            "a/empty_ccd.xml": '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>'
            + canary
            + "</title></ClinicalDocument>",
            "a/patients.csv": ADT,  # HL7 under a .csv name
            "a/ok.hl7": ADT,
        },
    )
    got = run_case(case)
    status = {p.rsplit("/", 1)[-1]: (s, r, t) for p, s, r, t in got["files"]}
    assert status["no_transaction.x12"][:2] == (
        "failed",
        "corrupt: no X12 transaction set after the ISA header",
    )
    assert status["broken.json"][:2] == ("failed", "corrupt: no FHIR resource could be read")
    assert status["empty_ccd.xml"][:2] == (
        "failed",
        "corrupt: C-CDA document without a recordTarget",
    )
    assert status["patients.csv"] == ("processed", "", "hl7")
    assert status["ok.hl7"] == ("processed", "", "hl7")
    assert all(canary not in r for _s, r, _t in status.values())
    firsts = [m[2] for m in got["mentions"]]
    assert firsts.count("MARISOL") == 2  # the HL7 named .csv and the .hl7
