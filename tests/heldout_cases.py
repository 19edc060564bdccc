"""A held-out evidence set, written by hand in styles the generator does not produce.

Every file is built in ``tmp_path`` at test time (no binary fixtures are committed) with
the truth written alongside: which invented person appears in which file, with which
exposed element categories. All names, dates and numbers are invented; SSNs pass the
area/group/serial rules but belong to no one.

``run_heldout`` runs ingest → detect → link → resolve on the set; ``score`` compares the
store with the truth (``heldout_scoring.py``, shared by every held-out set):

* a person is *found exactly* when one individual, and only one, carries their name
  (first and last, in either order) and a compatible DOB;
* element recall / precision are over (person, category) pairs of found people;
* *extra people* are individuals that are no expected person (a provider, a staff member,
  a fragment such as an SSN with no name).
"""

from __future__ import annotations

import io
import json

from heldout_scoring import (
    EvidenceFile,
    Expected,
    HeldoutSet,
    Person,
    cats,
)

CASE_TOML = """\
evidence = "evidence"

[incident]
name = "Held-out evidence"
discovery_date = 2025-02-06
access_start = 2025-01-27
access_end = 2025-02-06

[reporting_entity]
name = "Held-out Coding Services, LLC"
role = "business_associate"

[[clients]]
id = "heldout"
name = "Held-out Health"
kind = "provider"
covered_entity = true
paths = ["**"]

[settings]
workers = 1
encrypt = false
"""


PEOPLE: dict[str, Person] = {
    "alvarez": Person("Marisol", "Alvarez", "1961-04-05"),
    "okafor_d": Person("Daniel", "Okafor", "1958-11-23"),
    "okafor_g": Person("Grace", "Okafor", "1960-02-14"),
    "okafor_s": Person("Samuel", "Okafor", "2012-07-09"),
    "brennan": Person("Thomas", "Brennan", "1947-12-31"),
    "nguyen": Person("Linh", "Nguyen", "1985-01-13"),
    "holloway": Person("Patricia", "Holloway", "1972-06-18"),
    "desrosiers": Person("Jean-Paul", "Desrosiers", "1939-03-02"),
    "kowalczyk": Person("Agnieszka", "Kowalczyk", "1990-09-27"),
    "pemberton": Person("Walter", "Pemberton", "1955-08-08"),
    "fitzgerald": Person("Maeve", "Fitzgerald", "1968-10-30"),
    "santiago": Person("Rafael", "Santiago", "1979-05-21"),
}

# Names that must never become data subjects: treating providers and staff.
NOT_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("Helen", "Marchetti"),
    ("Omar", "Haddad"),
    ("Priya", "Raman"),
    ("Gregory", "Stoltz"),
    ("Karen", "Whitlock"),
)

_cats = cats


# --------------------------------------------------------------------------- the files


def payer_eligibility() -> bytes:
    """Pipe-delimited payer extract: compact headings, YYYYMMDD, relationship codes, and
    the subscriber's SSN on every dependant's row."""
    lines = [
        "MBR_LNAME|MBR_FNAME|MBR_MI|BIRTH_DT(YYYYMMDD)|SUBSCR_SSN|REL_CD|ADDR1|CITY|ST|ZIP5|MBR_ID",
        "OKAFOR|DANIEL|C|19581123|318629045|18|77 LARKSPUR LN|COLUMBUS|OH|43215|QHP4418820",
        "OKAFOR|GRACE|A|19600214|318629045|01|77 LARKSPUR LN|COLUMBUS|OH|43215|QHP4418821",
        "OKAFOR|SAMUEL||20120709|318629045|19|77 LARKSPUR LN|COLUMBUS|OH|43215|QHP4418822",
        "ALVAREZ|MARISOL|T|19610405|412583317|18|1420 BIRCHWOOD AVE|DAYTON|OH|45402|QHP5530017",
    ]
    return ("\n".join(lines) + "\n").encode()


PAYER_TRUTH: Expected = {
    "okafor_d": _cats("name dob ssn address member_id"),
    "okafor_g": _cats("name dob address member_id"),
    "okafor_s": _cats("name dob address member_id"),
    "alvarez": _cats("name dob ssn address member_id"),
}


def census_xlsx() -> bytes:
    """A census with a 4-line title block, merged group cells over the headings and a
    ``Pt Name (Last, First)`` column; dates are real date cells."""
    import datetime as dt

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Census")
    bold = wb.add_format({"bold": True, "align": "center"})
    dfmt = wb.add_format({"num_format": "mm/dd/yyyy"})
    ws.write(0, 0, "Mercy Valley Health System")
    ws.write(1, 0, "Inpatient Census - Q4 2024")
    ws.write(2, 0, "Run: 01/06/2025 07:15   User: KWHITLOCK")
    ws.write(3, 0, "CONFIDENTIAL - CONTAINS PHI")
    ws.merge_range(4, 0, 4, 2, "Patient", bold)
    ws.merge_range(4, 3, 4, 5, "Encounter", bold)
    ws.write_row(5, 0, ["Pt Name (Last, First)", "DOB", "MRN", "Adm Date", "Unit", "Attending"])
    rows = [
        ("Alvarez, Marisol T", (1961, 4, 5), "00012345", (2024, 11, 2), "4W"),
        ("Holloway, Patricia Ann", (1972, 6, 18), "00098311", (2024, 12, 28), "5E"),
        ("Fitzgerald, Maeve", (1968, 10, 30), "00077102", (2024, 12, 30), "ICU"),
        ("Brennan, Thomas J", (1947, 12, 31), "00045120", (2024, 12, 14), "4W"),
    ]
    for k, (name, dob, mrn, adm, unit) in enumerate(rows):
        r = 6 + k
        ws.write(r, 0, name)
        ws.write_datetime(r, 1, dt.datetime(*dob), dfmt)
        ws.write_string(r, 2, mrn)
        ws.write_datetime(r, 3, dt.datetime(*adm), dfmt)
        ws.write(r, 4, unit)
        ws.write(r, 5, "Marchetti, Helen MD")
    wb.close()
    return buf.getvalue()


CENSUS_TRUTH: Expected = {
    k: _cats("name dob mrn provider") for k in ("alvarez", "holloway", "fitzgerald", "brennan")
}


def intake_european() -> bytes:
    """DD/MM/YYYY dates (some days ≤ 12, so only the column as a whole says which order),
    a ``Sex`` column, British-style headings."""
    lines = [
        "Surname,Forename,Date of Birth,Sex,Telephone,E-mail,Postcode",
        "Brennan,Thomas,31/12/1947,M,(614) 727-3390,tbrennan47@example.net,43085",
        "Nguyen,Linh,13/01/1985,F,614-902-1176,linh.nguyen85@example.org,43017",
        "Fitzgerald,Maeve,30/10/1968,F,614-388-5021,maevefitz@example.com,43221",
        "Desrosiers,Jean-Paul,02/03/1939,M,401-338-2716,jpdesro@example.net,02903",
        "Kowalczyk,Agnieszka,27/09/1990,F,412-661-0394,a.kowalczyk@example.org,15213",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


INTAKE_TRUTH: Expected = {
    k: _cats("name dob phone email address")
    for k in ("brennan", "nguyen", "fitzgerald", "desrosiers", "kowalczyk")
}


def discharges_caps() -> bytes:
    """A hospital discharge list in ALL CAPS, names ``LAST, FIRST M``."""
    lines = [
        "PATIENT NAME,MED REC NO,BIRTHDATE,ADMIT DT,DISCH DT,DISCH DX,ATTENDING MD",
        '"HOLLOWAY, PATRICIA A",00098311,06/18/1972,01/02/2025,01/07/2025,J18.9,"MARCHETTI, HELEN"',
        '"DESROSIERS, JEAN-PAUL",00054321,03/02/1939,01/03/2025,01/09/2025,I50.9,"HADDAD, OMAR"',
        '"PEMBERTON, WALTER",00061877,08/08/1955,01/05/2025,01/08/2025,N39.0,"MARCHETTI, HELEN"',
        '"ALVAREZ, MARISOL T",00012345,04/05/1961,01/04/2025,01/06/2025,E11.65,"HADDAD, OMAR"',
    ]
    return ("\n".join(lines) + "\n").encode()


DISCHARGE_TRUTH: Expected = {
    k: _cats("name mrn dob diagnosis provider")
    for k in ("holloway", "desrosiers", "pemberton", "alvarez")
}


def lab_results() -> bytes:
    """A lab results CSV: one row per test, the patient repeated on each."""
    head = "Patient,DOB,Accession,Collected,Test,Result,Units,Ref Range,Flag,Ordering Provider"
    lines = [
        head,
        '"Holloway, Patricia",1972-06-18,L25-000871,2025-01-03,Hemoglobin A1c,7.9,%,4.0-5.6,H,'
        '"Marchetti, Helen"',
        '"Holloway, Patricia",1972-06-18,L25-000871,2025-01-03,Glucose,162,mg/dL,70-99,H,'
        '"Marchetti, Helen"',
        '"Nguyen, Linh",1985-01-13,L25-000872,2025-01-03,TSH,2.1,mIU/L,0.40-4.00,,"Haddad, Omar"',
        '"Nguyen, Linh",1985-01-13,L25-000872,2025-01-03,Free T4,1.2,ng/dL,0.8-1.8,,"Haddad, Omar"',
        '"Brennan, Thomas",1947-12-31,L25-000880,2025-01-04,INR,2.8,,2.0-3.0,,"Marchetti, Helen"',
    ]
    return ("\n".join(lines) + "\n").encode()


LAB_TRUTH: Expected = {
    k: _cats("name dob test_result provider") for k in ("holloway", "nguyen", "brennan")
}


def hl7_oru() -> bytes:
    r"""An ORU^R01 with ``\r`` as the only separator, a repeating PID-3 (two MRNs) and an
    escaped ``\T\`` (an ampersand) in a result comment."""
    segs = [
        r"MSH|^~\&|LIS|MVH|EHR|MVH|20250110083000||ORU^R01^ORU_R01|MSG000381|P|2.5.1",
        r"PID|1||00054321^^^MVH^MR~A7731902^^^RIH^MR||DESROSIERS^JEAN-PAUL^R||19390302|M|||"
        r"12 LAFAYETTE ST^^PROVIDENCE^RI^02903||(401)338-2716||||||"
        r"027-48-1936",
        r"PV1|1|O|LAB^^^MVH||||1234567893^MARCHETTI^HELEN^^^DR",
        r"ORC|RE|ORD5521|L25-000901",
        r"OBR|1|ORD5521|L25-000901|80048^BASIC METABOLIC PANEL^CPT|||20250109101500",
        r"OBX|1|NM|2951-2^Sodium^LN||138|mmol/L|135-145|N|||F",
        r"OBX|2|NM|2823-3^Potassium^LN||5.9|mmol/L|3.5-5.1|H|||F",
        r"NTE|1||Specimen hemolyzed \T\ redrawn per Dr. Marchetti",
    ]
    return ("\r".join(segs) + "\r").encode()


HL7_TRUTH: Expected = {
    "desrosiers": _cats("name dob mrn ssn address phone test_result provider"),
}


def fhir_bundle() -> bytes:
    """A transaction Bundle: Patient, Condition and MedicationRequest linked by
    ``urn:uuid:`` references, with the prescriber as a Practitioner."""
    pat = "urn:uuid:5b1e6a52-7c1d-4f0e-9a55-0c2f3d4e5f61"
    doc = "urn:uuid:9d3c2b1a-0f1e-4d2c-8b7a-6e5f4d3c2b1a"
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": doc,
                "resource": {
                    "resourceType": "Practitioner",
                    "name": [{"family": "Haddad", "given": ["Omar"], "prefix": ["Dr."]}],
                    "identifier": [
                        {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}
                    ],
                },
                "request": {"method": "POST", "url": "Practitioner"},
            },
            {
                "fullUrl": pat,
                "resource": {
                    "resourceType": "Patient",
                    "identifier": [
                        {
                            "type": {"coding": [{"code": "MR"}]},
                            "system": "urn:oid:2.16.840.1.113883.3.4421",
                            "value": "00066013",
                        }
                    ],
                    "name": [{"use": "official", "family": "Kowalczyk", "given": ["Agnieszka"]}],
                    "gender": "female",
                    "birthDate": "1990-09-27",
                    "telecom": [{"system": "phone", "value": "412-661-0394", "use": "mobile"}],
                    "address": [
                        {
                            "line": ["5512 Forbes Ave", "Apt 3"],
                            "city": "Pittsburgh",
                            "state": "PA",
                            "postalCode": "15213",
                        }
                    ],
                },
                "request": {"method": "POST", "url": "Patient"},
            },
            {
                "fullUrl": "urn:uuid:1a2b3c4d-0000-4000-8000-00000000c001",
                "resource": {
                    "resourceType": "Condition",
                    "subject": {"reference": pat},
                    "code": {
                        "coding": [
                            {
                                "system": "http://hl7.org/fhir/sid/icd-10-cm",
                                "code": "F32.1",
                                "display": "Major depressive disorder, single episode, moderate",
                            }
                        ]
                    },
                },
                "request": {"method": "POST", "url": "Condition"},
            },
            {
                "fullUrl": "urn:uuid:1a2b3c4d-0000-4000-8000-00000000m001",
                "resource": {
                    "resourceType": "MedicationRequest",
                    "status": "active",
                    "intent": "order",
                    "subject": {"reference": pat},
                    "requester": {"reference": doc},
                    "medicationCodeableConcept": {"text": "Sertraline 50 mg tablet"},
                },
                "request": {"method": "POST", "url": "MedicationRequest"},
            },
        ],
    }
    return json.dumps(bundle, indent=1).encode()


FHIR_TRUTH: Expected = {
    "kowalczyk": _cats("name dob mrn phone address diagnosis medication provider"),
}


def email_forward() -> bytes:
    """An e-mail forwarding a list of patients as a plain-text table in its body; the
    sender's signature names a staff member."""
    body = """\
Team,

See below - these accounts need re-billing before Friday.

Name                  DOB          Member ID       Balance
Pemberton, Walter     08/08/1955   WJP880455102    $412.10
Santiago, Rafael      05/21/1979   RSX210579331    $88.00

Thanks,
Karen Whitlock
Billing Coordinator, Mercy Valley Health
"""
    head = """\
From: Karen Whitlock <kwhitlock@mercyvalley.example>
To: Billing Team <billing@mercyvalley.example>
Subject: FW: patients for re-bill
Date: Mon, 13 Jan 2025 09:12:44 -0500
Message-ID: <20250113091244.4411@mercyvalley.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 7bit

"""
    return (head + body).replace("\n", "\r\n").encode()


EMAIL_TRUTH: Expected = {k: _cats("name dob member_id") for k in ("pemberton", "santiago")}


def coding_summary() -> bytes:
    """A coder's summary: ``Pt: LAST, FIRST  DOB m/d/yy  MRN n`` lines."""
    text = """\
CODING SUMMARY - WEEK 02 - Coder: K. Whitlock

Pt: ALVAREZ, MARISOL  DOB 4/5/61  MRN 00012345
  Dx: E11.9 Type 2 diabetes mellitus without complications; I10 Essential hypertension
  CPT: 99214
  Provider: Helen Marchetti, MD

Pt: BRENNAN, THOMAS  DOB 12/31/47  MRN 00045120
  Dx: I48.91 Unspecified atrial fibrillation
  CPT: 93000
  Provider: Helen Marchetti, MD
"""
    return text.encode()


CODING_TRUTH: Expected = {
    k: _cats("name dob mrn diagnosis procedure provider") for k in ("alvarez", "brennan")
}


def members_tsv() -> bytes:
    """Tab-separated with a UTF-8 BOM and CRLF line ends."""
    lines = [
        "Member ID\tLast\tFirst\tDOB\tGender\tStreet\tCity\tState\tZip\tHome Phone",
        "RSX210579331\tSantiago\tRafael\t05/21/1979\tM\t908 Palmetto Dr\tTampa\tFL\t33614\t"
        "813-442-9071",
        "LNX130185440\tNguyen\tLinh\t01/13/1985\tF\t61 Sawmill Rd\tDublin\tOH\t43017\t614-902-1176",
    ]
    return "\ufeff".encode() + ("\r\n".join(lines) + "\r\n").encode()


TSV_TRUTH: Expected = {k: _cats("name member_id dob address phone") for k in ("santiago", "nguyen")}


def members_json() -> bytes:
    """A JSON array of member objects with nested address and plan objects."""
    members = [
        {
            "memberId": "WJP880455102",
            "firstName": "Walter",
            "lastName": "Pemberton",
            "dateOfBirth": "1955-08-08",
            "address": {
                "line1": "3120 Beechwood Blvd",
                "city": "Pittsburgh",
                "state": "PA",
                "zip": "15217",
            },
            "phone": "412-521-7784",
            "plan": {"name": "Keystone Silver PPO", "group": "KS-2201"},
        },
        {
            "memberId": "RSX210579331",
            "firstName": "Rafael",
            "lastName": "Santiago",
            "dateOfBirth": "1979-05-21",
            "address": {
                "line1": "908 Palmetto Dr",
                "city": "Tampa",
                "state": "FL",
                "zip": "33614",
            },
            "phone": "813-442-9071",
            "plan": {"name": "Keystone Silver PPO", "group": "KS-2201"},
        },
    ]
    return json.dumps(members, indent=2).encode()


JSON_TRUTH: Expected = {
    k: _cats("name member_id dob address phone health_plan") for k in ("pemberton", "santiago")
}


def referrals_first_last() -> bytes:
    """Names written ``First Last``."""
    lines = [
        "Patient,DOB,Referred By,Referred To,Referral Dx",
        "Maeve Fitzgerald,10/30/1968,Dr. Helen Marchetti,Dr. Omar Haddad,N63.0",
        "Walter Pemberton,08/08/1955,Dr. Helen Marchetti,Dr. Omar Haddad,R07.9",
        "Linh Nguyen,01/13/1985,Dr. Omar Haddad,Dr. Helen Marchetti,E05.90",
    ]
    return ("\n".join(lines) + "\n").encode()


REFERRAL_TRUTH: Expected = {
    k: _cats("name dob provider diagnosis") for k in ("fitzgerald", "pemberton", "nguyen")
}


def appointments_last_first() -> bytes:
    """The same people written ``Last First`` with no comma, and no DOB: only the phone
    ties them to their other records."""
    lines = [
        "Patient,Phone,Appt Date,Appt Time,Provider,Visit Type",
        "Fitzgerald Maeve,614-388-5021,01/14/2025,09:30,Marchetti Helen,Follow-up",
        "Pemberton Walter,412-521-7784,01/14/2025,10:15,Haddad Omar,New patient",
        "Nguyen Linh,614-902-1176,01/15/2025,08:45,Haddad Omar,Follow-up",
        "Santiago Rafael,813-442-9071,01/15/2025,11:00,Marchetti Helen,Annual",
    ]
    return ("\n".join(lines) + "\n").encode()


APPT_TRUTH: Expected = {
    k: _cats("name phone provider") for k in ("fitzgerald", "pemberton", "nguyen", "santiago")
}


def provider_directory() -> bytes:
    """Only providers: nobody in it is a data subject."""
    lines = [
        "NPI,Provider Name,Specialty,Office Phone,Fax,Accepting New",
        '1234567893,"Marchetti, Helen MD",Internal Medicine,614-293-4100,614-293-4101,Y',
        '1245319599,"Haddad, Omar MD",Endocrinology,614-293-4200,614-293-4201,N',
        '1306849450,"Raman, Priya DO",Family Medicine,614-293-4300,614-293-4301,Y',
        '1386630242,"Stoltz, Gregory NP",Cardiology,614-293-4400,614-293-4401,Y',
    ]
    return ("\n".join(lines) + "\n").encode()


def roster_html() -> bytes:
    """An EHR report saved as HTML: one ``<table>`` with abbreviated headings."""
    rows = [
        ("Kowalczyk, Agnieszka M.", "09/27/1990", "00066013", "HPK90927114", "Highmark PPO"),
        ("Okafor, Grace A.", "02/14/1960", "00071550", "QHP4418821", "Buckeye Health Plan"),
        ("Okafor, Samuel", "07/09/2012", "00071551", "QHP4418822", "Buckeye Health Plan"),
    ]
    trs = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    html = f"""<!DOCTYPE html>
<html><head><title>Active Patient Roster</title></head>
<body>
<h2>Active Patient Roster - Westside Family Practice</h2>
<p>Printed 01/10/2025 by kwhitlock</p>
<table border="1">
<tr><th>Name</th><th>D.O.B.</th><th>Chart #</th><th>Ins. ID</th><th>Payer</th></tr>
{trs}
</table>
</body></html>
"""
    return html.encode()


ROSTER_TRUTH: Expected = {
    "kowalczyk": _cats("name dob mrn member_id health_plan"),
    "okafor_g": _cats("name dob mrn member_id health_plan"),
    "okafor_s": _cats("name dob mrn member_id health_plan"),
}


def claims_typos() -> bytes:
    """Claim lines with misspelt, abbreviated headings and the subscriber and the patient
    on one row, told apart by a relationship word."""
    lines = [
        "Claim No,Subscr Last Nm,Subscr First Nm,Subscriber SSN,Pateint Last,Pateint Frist,"
        "Pt Birth Dt,Rel to Subscr,Dx Cd 1,Proc Cd,Rendering Prov",
        "CLM-88121,OKAFOR,DANIEL,318-62-9045,OKAFOR,SAMUEL,07/09/2012,Child,J02.9,99213,"
        "MARCHETTI HELEN",
        "CLM-88122,OKAFOR,DANIEL,318-62-9045,OKAFOR,GRACE,02/14/1960,Spouse,M54.50,97110,"
        "HADDAD OMAR",
        "CLM-88123,ALVAREZ,MARISOL,412-58-3317,ALVAREZ,MARISOL,04/05/1961,Self,E11.9,83036,"
        "HADDAD OMAR",
    ]
    return ("\n".join(lines) + "\n").encode()


CLAIMS_TRUTH: Expected = {
    "okafor_d": _cats("name ssn"),
    "okafor_s": _cats("name dob diagnosis procedure provider"),
    "okafor_g": _cats("name dob diagnosis procedure provider"),
    "alvarez": _cats("name ssn dob diagnosis procedure provider"),
}


def headerless_export() -> bytes:
    """No heading row at all; two-digit birth years."""
    lines = [
        '"ALVAREZ, MARISOL T",04/05/61,412-58-3317,(937) 284-6613,1420 BIRCHWOOD AVE,DAYTON,OH,'
        "45402",
        '"HOLLOWAY, PATRICIA A",06/18/72,509-22-4187,(614) 870-3352,2290 TREMONT RD,'
        "UPPER ARLINGTON,OH,43221",
        '"PEMBERTON, WALTER",08/08/55,198-40-7726,(412) 521-7784,3120 BEECHWOOD BLVD,PITTSBURGH,'
        "PA,15217",
        '"BRENNAN, THOMAS J",12/31/47,287-31-5590,(614) 727-3390,18 CHERRY BOTTOM RD,GAHANNA,OH,'
        "43230",
    ]
    return ("\n".join(lines) + "\n").encode()


HEADERLESS_TRUTH: Expected = {
    k: _cats("name dob ssn phone address") for k in ("alvarez", "holloway", "pemberton", "brennan")
}


def recall_list_semicolon() -> bytes:
    """Semicolon-delimited, a title block above the heading, dotted DD.MM.YYYY dates."""
    lines = [
        "Westside Family Practice;;;;",
        "Recall list generated 09.01.2025;;;;",
        ";;;;",
        "Last Name;First Name;Birth Date;Phone No.;Last Visit",
        "Nguyen;Linh;13.01.1985;614-902-1176;02.12.2024",
        "Fitzgerald;Maeve;30.10.1968;614-388-5021;11.11.2024",
        "Okafor;Grace;14.02.1960;614-275-0938;05.08.2024",
        "Kowalczyk;Agnieszka;27.09.1990;412-661-0394;03.10.2024",
    ]
    return ("\n".join(lines) + "\n").encode()


RECALL_TRUTH: Expected = {
    k: _cats("name dob phone") for k in ("nguyen", "fitzgerald", "okafor_g", "kowalczyk")
}


def members_sheet_xlsx() -> bytes:
    """A member sheet: ``First MI Last`` names in one column, birth dates stored as
    YYYYMMDD numbers, sex as 1/2."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Mbrs")
    ws.write_row(0, 0, ["Mbr Name", "Birth Dt", "Sex Cd", "Mbr #", "Plan"])
    rows = [
        ("Marisol T Alvarez", 19610405, 2, "QHP5530017", "Buckeye Health Plan Gold"),
        ("Daniel C Okafor", 19581123, 1, "QHP4418820", "Buckeye Health Plan Gold"),
        ("Walter Pemberton", 19550808, 1, "WJP880455102", "Keystone Silver PPO"),
        ("Rafael Santiago", 19790521, 1, "RSX210579331", "Keystone Silver PPO"),
    ]
    for k, r in enumerate(rows):
        ws.write_row(1 + k, 0, list(r))
    wb.close()
    return buf.getvalue()


MEMBERS_XLSX_TRUTH: Expected = {
    k: _cats("name dob member_id health_plan")
    for k in ("alvarez", "okafor_d", "pemberton", "santiago")
}


def guarantor_statement() -> bytes:
    """A patient statement extract: SAS-style ``09JUL2012`` dates, ``SS#``, and a
    guarantor (the parent of a minor) on the patient's row."""
    lines = [
        "PAT_LAST,PAT_FIRST,BIRTH_DATE,SEX,SS#,GUAR_LAST,GUAR_FIRST,GUAR_REL,BAL_DUE",
        "OKAFOR,SAMUEL,09JUL2012,MALE,291-57-3380,OKAFOR,DANIEL,FATHER,125.00",
        "HOLLOWAY,PATRICIA,18JUN1972,FEMALE,509-22-4187,HOLLOWAY,PATRICIA,SELF,40.00",
        "NGUYEN,LINH,13JAN1985,FEMALE,604-18-2259,NGUYEN,LINH,SELF,0.00",
    ]
    return ("\n".join(lines) + "\n").encode()


GUARANTOR_TRUTH: Expected = {
    "okafor_s": _cats("name dob ssn"),
    "okafor_d": _cats("name"),
    "holloway": _cats("name dob ssn"),
    "nguyen": _cats("name dob ssn"),
}


def two_row_heading() -> bytes:
    """A heading over two rows: group words above, field words below."""
    lines = [
        "Patient,,,Insurance,,",
        "Last,First,Birth,Carrier,Member #,Group",
        "Holloway,Patricia,6/18/1972,Aetna,W2877120455,GRP-7710",
        "Desrosiers,Jean-Paul,3/2/1939,Medicare,1EG4TE5MK73,",
        "Brennan,Thomas,12/31/1947,Medicare,2FH7WK3NR58,",
    ]
    return ("\n".join(lines) + "\n").encode()


TWO_ROW_TRUTH: Expected = {
    k: _cats("name dob health_plan member_id") for k in ("holloway", "desrosiers", "brennan")
}


def spelled_dates() -> bytes:
    """Dates of birth spelled out, ``First Last`` names, one-cell addresses."""
    lines = [
        "Full Name,Birthday,Cell,Home Address",
        'Marisol Alvarez,"April 5, 1961",(937) 284-6613,"1420 Birchwood Ave, Dayton, OH 45402"',
        'Thomas Brennan,"Dec 31, 1947",(614) 727-3390,"18 Cherry Bottom Rd, Gahanna, OH 43230"',
        'Agnieszka Kowalczyk,"27 September 1990",412-661-0394,'
        '"5512 Forbes Ave Apt 3, Pittsburgh, PA 15213"',
    ]
    return ("\n".join(lines) + "\n").encode()


SPELLED_TRUTH: Expected = {
    k: _cats("name dob phone address") for k in ("alvarez", "brennan", "kowalczyk")
}


def day_first_heading() -> bytes:
    """Every day is 12 or less, so only the heading says the dates are day first."""
    lines = [
        "Patient Name,DOB (DD/MM/YYYY),Medication,Dose Given",
        '"Alvarez, Marisol",05/04/1961,Influenza vaccine,10/01/2025',
        '"Desrosiers, Jean-Paul",02/03/1939,Influenza vaccine,10/01/2025',
        '"Okafor, Samuel",09/07/2012,Tdap vaccine,11/01/2025',
        '"Pemberton, Walter",08/08/1955,Influenza vaccine,12/01/2025',
    ]
    return ("\n".join(lines) + "\n").encode()


DAY_FIRST_TRUTH: Expected = {
    k: _cats("name dob medication") for k in ("alvarez", "desrosiers", "okafor_s", "pemberton")
}


FILES: tuple[EvidenceFile, ...] = (
    EvidenceFile(
        "payer/ELIG_EXTRACT_20250115.txt",
        payer_eligibility,
        PAYER_TRUTH,
        "pipe, compact headings, YYYYMMDD, relationship codes",
    ),
    EvidenceFile(
        "census/Census_Q4_2024.xlsx", census_xlsx, CENSUS_TRUTH, "title block, merged cells"
    ),
    EvidenceFile(
        "clinic/intake_export.csv", intake_european, INTAKE_TRUTH, "DD/MM/YYYY, Sex, CRLF"
    ),
    EvidenceFile(
        "hospital/DISCHARGE_LIST_JAN2025.csv", discharges_caps, DISCHARGE_TRUTH, "ALL CAPS"
    ),
    EvidenceFile("lab/results_20250110.csv", lab_results, LAB_TRUTH, "lab rows per test"),
    EvidenceFile("hl7/ORU_000381.hl7", hl7_oru, HL7_TRUTH, r"HL7 ORU, \r only, escapes"),
    EvidenceFile("fhir/bundle_0117.json", fhir_bundle, FHIR_TRUTH, "FHIR urn:uuid refs"),
    EvidenceFile("mail/FW_patients_rebill.eml", email_forward, EMAIL_TRUTH, "e-mail body table"),
    EvidenceFile("coding/coding_summary_wk02.txt", coding_summary, CODING_TRUTH, "Pt: lines"),
    EvidenceFile("exports/members_2025.tsv", members_tsv, TSV_TRUTH, "TSV, BOM, CRLF"),
    EvidenceFile("exports/members_2025.json", members_json, JSON_TRUTH, "nested JSON"),
    EvidenceFile("referrals/referrals_jan.csv", referrals_first_last, REFERRAL_TRUTH, "First Last"),
    EvidenceFile(
        "scheduling/appts_0114.csv", appointments_last_first, APPT_TRUTH, "Last First, no DOB"
    ),
    EvidenceFile("directory/providers.csv", provider_directory, {}, "providers only"),
    EvidenceFile("reports/roster.html", roster_html, ROSTER_TRUTH, "HTML table"),
    EvidenceFile("claims/claims_0110.csv", claims_typos, CLAIMS_TRUTH, "heading typos, two people"),
    EvidenceFile(
        "exports/export_0002.csv", headerless_export, HEADERLESS_TRUTH, "no heading, yy years"
    ),
    EvidenceFile(
        "clinic/recall_list.csv", recall_list_semicolon, RECALL_TRUTH, "title block, DD.MM.YYYY"
    ),
    EvidenceFile(
        "payer/members_sheet.xlsx", members_sheet_xlsx, MEMBERS_XLSX_TRUTH, "First MI Last"
    ),
    EvidenceFile(
        "billing/statements.csv", guarantor_statement, GUARANTOR_TRUTH, "SAS dates, guarantor"
    ),
    EvidenceFile("payer/coverage_two_row.csv", two_row_heading, TWO_ROW_TRUTH, "two-row heading"),
    EvidenceFile("clinic/contacts.csv", spelled_dates, SPELLED_TRUTH, "spelled dates"),
    EvidenceFile(
        "clinic/vaccinations.csv", day_first_heading, DAY_FIRST_TRUTH, "DD/MM in the heading"
    ),
)


SET = HeldoutSet(CASE_TOML, PEOPLE, FILES, NOT_SUBJECTS)
