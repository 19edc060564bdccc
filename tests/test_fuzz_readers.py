"""Hostile input for every structured reader: parse, or fail with the reader's own problem.

Each example starts from a small valid file of one format (HL7, X12, FHIR JSON and NDJSON,
C-CDA, SQL dump, CSV / pipe / tab, JSON, NDJSON, e-mail) and mangles it: bytes flipped,
inserted, deleted, truncated, a slice repeated, delimiters swapped, or plain noise. The file
then goes the way evidence goes: typed by :func:`~breachscope.ingest.sniff.sniff`, read by
the reader for the type found. A reader must finish within a few seconds and either
succeed or raise :class:`~breachscope.errors.FileProblem` (``failed``) /
:class:`~breachscope.ingest.model.FileSkipped` (``skipped``). Anything else would end in
the worker as ``corrupt: <type> reader error (<Exception>)`` — a bug, and it fails here.

Bounded for CI: 40 derandomized examples per format, no deadline (the machine is shared),
a hard alarm per example for hangs. ``BREACHSCOPE_FUZZ_EXAMPLES=N`` runs a longer campaign
with fresh random inputs.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.options import Limits
from breachscope.ingest.registry import ReadContext, Source, reader_for
from breachscope.ingest.sniff import HEAD_BYTES, sniff

HANG_SECONDS = 20  # far above any example's honest time, even on a loaded machine
# A longer campaign: BREACHSCOPE_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_readers.py
CAMPAIGN = os.environ.get("BREACHSCOPE_FUZZ_EXAMPLES")
EXAMPLES = int(CAMPAIGN or "40")

HL7 = (
    "MSH|^~\\&|ADT|NORTH|REC|VENDOR|20250203101500||ADT^A04|MSG0001|P|2.5.1\r"
    "EVN|A04|20250203101500\r"
    "PID|1||MRN555^^^NORTH^MR~512443871^^^SSA^SS||QUINTERO^MARISOL^A||19610314|F|||"
    "14 ALDER WAY^^TACOMA^WA^98402||(253)555-0101|||||ACCT1|512-44-3871\r"
    "PV1|1|O|CLINIC^1\r"
    "IN1|1|GOLD|BH1|BLUE HORIZON|||||GRP9||||||QUINTERO^MARISOL|18|19610314||||||||||||||||"
    "XZB400123401\r"
    "DG1|1||E11.9^Type 2 diabetes^I10\r"
    "MSH|^~\\&|LAB|NORTH|REC|VENDOR|20250204||ORU^R01|MSG0002|P|2.5.1\r"
    "PID|1||MRN556^^^NORTH^MR||OKAFOR^CHIDI||19900702|M\r"
    "OBX|1|NM|2345-7^GLUCOSE^LN||182|mg/dL\r"
)

_ISA = "*".join(
    ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "SENDER".ljust(15), "ZZ", "RECEIVER".ljust(15),
     "250203", "1015", "^", "00501", "000000001", "0", "P", ":"]
)  # fmt: skip
X12 = "~\n".join(
    [_ISA, "GS*HC*S*R*20250203*1015*1*X*005010X222A1", "ST*837*0001*005010X222A1",
     "HL*1**20*1", "NM1*85*2*LAKESHORE PHYSICIANS*****XX*1234567893",
     "HL*2*1*22*0", "SBR*P*18*GRP9*Gold PPO****CI",
     "NM1*IL*1*QUINTERO*MARISOL*A***MI*XZB400123401", "N3*14 ALDER WAY", "N4*TACOMA*WA*98402",
     "DMG*D8*19610314*F", "REF*SY*512443871", "NM1*PR*2*BLUE HORIZON*****PI*BH1",
     "CLM*ACCT1*125***11:B:1*Y*A*Y*Y", "HI*ABK:E119*ABF:I10", "LX*1",
     "SV1*HC:99213*125*UN*1***1", "DTP*472*D8*20250115",
     "SE*17*0001", "GE*1*1", "IEA*1*000000001"]
) + "~\n"  # fmt: skip

PATIENT = {
    "resourceType": "Patient",
    "id": "p1",
    "identifier": [
        {"system": "http://hl7.org/fhir/sid/us-ssn", "value": "512-44-3871"},
        {"type": {"coding": [{"code": "MR"}]}, "value": "MRN555"},
    ],
    "name": [{"family": "Quintero", "given": ["Marisol", "Ana"]}],
    "birthDate": "1961-03-14",
    "gender": "female",
    "address": [{"line": ["14 Alder Way"], "city": "Tacoma", "state": "WA", "postalCode": "98402"}],
    "telecom": [{"system": "phone", "value": "253-555-0101"}],
}
CONDITION = {
    "resourceType": "Condition",
    "id": "c1",
    "subject": {"reference": "Patient/p1"},
    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9"}]},
}
FHIR_BUNDLE = json.dumps(
    {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:p1", "resource": PATIENT}, {"resource": CONDITION}],
    },
    indent=1,
)
FHIR_NDJSON = json.dumps(PATIENT) + "\n" + json.dumps(CONDITION) + "\n"

CCDA = """<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
 <templateId root="2.16.840.1.113883.10.20.22.1.2"/>
 <recordTarget><patientRole>
  <id root="2.16.840.1.113883.4.1" extension="512-44-3871"/>
  <id root="1.2.3.4" extension="MRN555"/>
  <addr><streetAddressLine>14 Alder Way</streetAddressLine><city>Tacoma</city>
   <state>WA</state><postalCode>98402</postalCode></addr>
  <telecom value="tel:+1-253-555-0101"/>
  <patient><name><given>Marisol</given><family>Quintero</family></name>
   <administrativeGenderCode code="F"/><birthTime value="19610314"/></patient>
 </patientRole></recordTarget>
 <component><structuredBody><component><section>
  <code code="11450-4"/><title>Problems</title>
  <entry><observation><value code="E11.9" codeSystem="2.16.840.1.113883.6.90"/></observation></entry>
 </section></component></structuredBody></component>
</ClinicalDocument>
"""

SQL = """-- MySQL dump 10.13
CREATE TABLE `patients` (
  `id` int NOT NULL,
  `last_name` varchar(40) DEFAULT NULL,
  `first_name` varchar(40),
  `ssn` char(11),
  `dob` date,
  PRIMARY KEY (`id`)
);
INSERT INTO `patients` VALUES (1,'Quintero','Marisol','512-44-3871','1961-03-14'),(2,'O\\'Kafor','Chidi',NULL,'1990-07-02');
INSERT INTO patients (id, last_name) VALUES (3, 'Smith; DROP'), (4, 'Lee''s');
COPY public.members (member_id, name, dob) FROM stdin;
XZB400123401\tQuintero, Marisol\t1961-03-14
XZB400999901\tOkafor, Chidi\t\\N
\\.
"""

CSV = (
    "Patient Last,Patient First,Birth Date,Soc Sec #,Street,City,ST,Zip\n"
    "Quintero,Marisol,03/14/1961,512-44-3871,14 Alder Way,Tacoma,WA,98402\n"
    '"Okafor, Jr",Chidi,1990-07-02,,"77 Birch Rd\nApt 2",Boise,ID,83702\n'
    "Lee,Ann,1975-05-05,078-05-1120,1 Elm St,Salem,OR,97301\n"
)

JSON_DOC = json.dumps(
    {
        "export": {"generated": "2025-02-03"},
        "patients": [
            {"last": "Quintero", "first": "Marisol", "ssn": "512-44-3871", "dob": "1961-03-14",
             "address": {"street": "14 Alder Way", "city": "Tacoma", "state": "WA"}},
            {"last": "Okafor", "first": "Chidi", "dob": "1990-07-02", "tags": [1, None, True]},
        ],
    }
)  # fmt: skip
NDJSON = "\n".join(
    json.dumps({"member_id": f"XZB40012340{i}", "name": f"Doe, Jane{i}", "dob": "1970-01-01"})
    for i in range(4)
)

EML = (
    "From: records@clinic.example\r\nTo: billing@vendor.example\r\n"
    "Subject: =?utf-8?q?monthly_export?=\r\nMIME-Version: 1.0\r\n"
    'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
    "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "Patient Quintero, Marisol DOB 03/14/1961 SSN 512-44-3871\r\n"
    '--XX\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename="a.csv"\r\n'
    "Content-Transfer-Encoding: base64\r\n\r\n"
    "TGFzdCxGaXJzdApRdWludGVybyxNYXJpc29sCg==\r\n--XX--\r\n"
)

SEEDS: dict[str, tuple[str, bytes]] = {
    "hl7": ("adt.hl7", HL7.encode()),
    "x12": ("claims.x12", X12.encode()),
    "fhir": ("bundle.json", FHIR_BUNDLE.encode()),
    "fhir-ndjson": ("Patient.ndjson", FHIR_NDJSON.encode()),
    "ccda": ("ccd.xml", CCDA.encode()),
    "sql": ("dump.sql", SQL.encode()),
    "csv": ("patients.csv", CSV.encode()),
    "psv": ("members.txt", CSV.replace(",", "|").encode()),
    "tsv-cp1252": ("export.tsv", CSV.replace(",", "\t").replace("Lee", "Léé").encode("cp1252")),
    "utf16-csv": ("u16.csv", CSV.encode("utf-16")),
    "json": ("export.json", JSON_DOC.encode()),
    "ndjson": ("members.ndjson", NDJSON.encode()),
    "eml": ("mail.eml", EML.encode()),
}

# Bytes that matter to these formats: separators, quotes, escapes, brackets, BOMs, NUL.
SPECIAL = [*b"|^~\\&\r\n*:\t,;\"'`(){}[]<>/=-.0\x00\xff\xfe\xef\xbb\xbf", 0x80, 0xC3]


@st.composite
def mangled(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    if draw(st.integers(0, 9)) == 0:  # sometimes pure noise
        return draw(st.binary(max_size=600))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat", "swap"]))
        n = len(data)
        at = draw(st.integers(0, max(0, n - 1)))
        if op == "flip" and n:
            data[at] = draw(st.sampled_from(SPECIAL) | st.integers(0, 255))
        elif op == "insert":
            blob = draw(st.binary(max_size=8) | st.sampled_from([b"\r", b"|", b"~", b'"', b"{"]))
            data[at:at] = blob
        elif op == "delete" and n:
            data[at : at + draw(st.integers(1, 40))] = b""
        elif op == "truncate":
            del data[at:]
        elif op == "repeat" and n:
            piece = data[at : at + draw(st.integers(1, 200))]
            data[at:at] = piece * draw(st.integers(1, 20))
        elif op == "swap" and n:
            a, b = draw(st.sampled_from(SPECIAL)), draw(st.sampled_from(SPECIAL))
            data = bytearray(bytes(data).replace(bytes([a]), bytes([b])))
    return bytes(data)


class Hang(Exception):
    pass


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def fire(_sig: int, _frame: FrameType | None) -> None:
        raise Hang

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


LIMITS = Limits(spill_bytes=16 * 1024, text_segment=4 * 1024, csv_batch_bytes=4 * 1024)


def read_as_evidence(name: str, data: bytes, work: Path) -> str:
    """Type and read ``data`` as the ingest worker would; returns the detected type."""
    path = work / name
    path.write_bytes(data)
    guess = sniff(path, name, data[:HEAD_BYTES], len(data))
    if guess.status is not None:
        return guess.type
    reader = reader_for(guess.type)
    if reader is None:
        return guess.type
    out = Emitter("f", work / "spill", LIMITS.spill_bytes)
    src = Source(path, name, "f", len(data), 0, guess)
    ctx = ReadContext(LIMITS, (), work / "spill", LIMITS.max_expanded, True)
    try:
        with alarm(HANG_SECONDS):
            reader(src, ctx, out)
    except FileProblem:  # FileSkipped too: the documented outcomes
        pass
    except Hang:
        pytest.fail(f"{guess.type} reader hung on a {len(data)}-byte input")
    except Exception as exc:
        raise AssertionError(
            f"{guess.type} reader raised {type(exc).__name__} on mangled {name}: {exc!r}"[:500]
        ) from exc
    return guess.type


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_seed_reads_cleanly(fmt: str, tmp_path: Path) -> None:
    name, data = SEEDS[fmt]
    detected = read_as_evidence(name, data, tmp_path)
    expected = {"fhir-ndjson": "fhir", "tsv-cp1252": "tsv", "utf16-csv": "csv", "ndjson": "json"}
    assert detected == expected.get(fmt, fmt)


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_mangled_input_parses_or_fails_cleanly(fmt: str) -> None:
    name, seed = SEEDS[fmt]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=CAMPAIGN is None,  # CI: the same inputs every run; campaigns: fresh ones
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mangled(seed))
    def check(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as d:
            read_as_evidence(name, data, Path(d))

    check()


# Inputs the fuzzing found, kept as regressions (each raised before its fix).
FOUND = [
    # sqldump: 'INSERT INTO t ) VALUES' — a ')' with no '(' (max() of an empty sequence).
    ("dump.sql", b"INSERT INTO t ) VALUES (1,'a');\n"),
    # ccda: a recovered root tag lxml's QName refuses (ValueError "Invalid tag name ':'").
    ("ccd.xml", CCDA.replace("<?xml", "<:?xml", 1).encode()),
]


@pytest.mark.parametrize(("name", "data"), FOUND)
def test_found_inputs(name: str, data: bytes, tmp_path: Path) -> None:
    read_as_evidence(name, data, tmp_path)


def _nested_json(depth: int) -> bytes:
    return b'{"resourceType": "Bundle", "entry": ' + b"[" * depth + b"]" * depth + b"}"


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><ClinicalDocument xmlns="urn:hl7-org:v3"><templateId root="2.16.840.1.113883.10.20.22.1.2"/>'
    b"<recordTarget><patientRole><patient><name><family>&lol9;</family></name></patient>"
    b"</patientRole></recordTarget></ClinicalDocument>"
)

# Inputs shaped to hurt: deep nesting, entity expansion, endless quotes and escapes, one
# giant segment or field, a delimiter on every byte. Each must end (parsed or failed)
# well inside the alarm.
PATHOLOGICAL = [
    ("deep.json", _nested_json(200_000)),
    (
        "bundles.json",
        b'{"resourceType": "Bundle", "entry": [{"resource": ' * 400 + b"{}" + b"}]}" * 400,
    ),
    ("deep.ndjson", b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"\n"),
    ("laughs.xml", LAUGHS),
    ("deep.xml", CCDA.split("<recordTarget>")[0].encode() + b"<a>" * 100_000 + b"</a>" * 100_000),
    ("quotes.sql", b"INSERT INTO t VALUES ('" + b"\\'" * 200_000 + b");\n"),
    ("parens.sql", b"INSERT INTO t VALUES " + b"(" * 100_000 + b";\n"),
    ("copy.sql", b"COPY t (a) FROM stdin;\n" + b"\\" * 300_000 + b"\n"),
    ("wide.hl7", b"MSH|^~\\&|A|B|C|D|2025||ADT^A04|1|P|2.5\rPID|" + b"|" * 300_000 + b"\r"),
    ("reps.hl7", b"MSH|^~\\&|A|B|C|D|2025||ADT^A04|1|P|2.5\rPID|1||" + b"~" * 300_000 + b"\r"),
    ("seg.x12", X12.split("~")[0].encode() + b"~" + b"NM1*IL*1*" + b":" * 300_000 + b"~"),
    ("tiny.x12", X12.split("~")[0].encode() + b"~" * 300_000),
    ("quote.csv", b'a,b,c\n"' + b'""' * 300_000 + b"\n"),
    ("ragged.csv", b"a,b\n" + b"," * 200_000 + b"\n" + b"1\n" * 1000),
    ("nul.csv", b"a,b\n" + b"\x00" * 200_000),
]


@pytest.mark.parametrize(("name", "data"), PATHOLOGICAL, ids=[p[0] for p in PATHOLOGICAL])
def test_pathological_inputs_end(name: str, data: bytes, tmp_path: Path) -> None:
    read_as_evidence(name, data, tmp_path)
