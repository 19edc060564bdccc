"""A third held-out evidence set: text documents, written before reading the detectors.

The breach: Meridian Revenue Cycle Partners, a coding and billing vendor, loses a file
share holding work for two clients: Lakeshore Regional Hospital (Michigan) and Prairie
Health Plan (Iowa). Almost every file is prose or a document a person or a clinical
system wrote, not a table: a SOAP progress note (``Pt:``, ``75 y/o F``, a problem list
with ICD-10 codes, ``Electronically signed by: …, MD``); a paediatric note in DOCX
(``Patient Name:``); a discharge summary PDF whose header is one line (``NAME: VAN DER
BERG, PIETER J   MRN: …   DOB: …   ADM: …   DIS: …``); an HL7 v2 ADT^A04 with a suffix in
PID-5 and an IN1 segment; a radiology RTF with two reports; a two-page lab report PDF
(``HbA1c 8.2 %``, ``K+ 5.9``, ``eGFR 48``, LOINC codes); an HTML coding summary with CPT
and HCPCS codes and diagnoses in words; an e-mail reply chain (``>`` quoting, signature
blocks, ``MENDEZ, ROBERT, DOB 3/7/58``); a fax cover sheet and referral with OCR-like
spacing (``RE :``, ``D.O.B.``, ``Member #``); a C-CDA document; a plan's denial letter
(DOCX, address block with a PO Box and ZIP+4, claim number, dates of service); a
member's appeal letter (PDF, ``NW`` directional, ``Apt``, suffix ``III``); a call-centre
transcript (spelled surname, SSN last four only, a callback number); a secure-chat
export; a FHIR searchset with Patient, Coverage and Condition; a prior-authorisation
e-mail; a payer coding summary with HCPCS lines; and an on-call schedule naming only
providers. Three more files were added after the detectors were read and fixed, to probe
the fixes: a multipart HTML e-mail listing members with the plan only in the signature, a
nursing note, and a letter to a minor's parent.

Names carry particles (``van der Berg``, ``St. John``, ``De Leon``, ``DuBois``), a
hyphen (``Kowalski-Reyes``), an apostrophe (``O'Neil``), suffixes (``Jr.``, ``III``), a
nickname (``Robert "Bob" Mendez``) and capitals (``MACAULAY``). Addresses: PO Box, rural
route, apartment, unit, lot, directionals, ZIP+4.

What counts as exposed: a health plan named in a document that gives the person's member
ID (a letter to or from the plan, its call centre, its chat, its coding batch) is their
``health_plan``; the clinic named as a claim's provider is their ``provider``; an ECG named
in a referral is a ``procedure``; the medical director who signs a denial is not.

All names, dates and numbers are invented; SSNs pass the area/group/serial rules but
belong to no one; NPIs pass the Luhn check. Scoring is ``heldout_scoring.py``'s, with
accents folded.
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
name = "Held-out evidence 3"
discovery_date = 2025-01-24
access_start = 2025-01-17
access_end = 2025-01-23

[reporting_entity]
name = "Meridian Revenue Cycle Partners, LLC"
role = "business_associate"

[[clients]]
id = "lakeshore"
name = "Lakeshore Regional Hospital"
kind = "provider"
covered_entity = true
paths = ["lakeshore/**"]

[[clients]]
id = "prairie"
name = "Prairie Health Plan"
kind = "health_plan"
covered_entity = true
paths = ["prairie/**"]

[settings]
workers = 1
encrypt = false
"""

PEOPLE: dict[str, Person] = {
    "oneil": Person("Kathleen", "O'Neil", "1949-11-20"),
    "hernandez": Person("Luis", "Hernandez", "2015-10-09"),
    "vanderberg": Person("Pieter", "van der Berg", "1941-06-02"),
    "washington": Person("Darnell", "Washington", "1972-09-14"),
    "deleon": Person("Maribel", "De Leon", "1975-04-04"),
    "mendez": Person("Robert", "Mendez", "1958-03-07"),
    "stjohn": Person("Everett", "St. John", "1947-03-22"),
    "kowalski": Person("Teresa", "Kowalski-Reyes", "1966-01-25"),
    "yazzie": Person("Lorraine", "Yazzie", "1961-05-16"),
    "hartley": Person("Margaret", "Hartley", "1938-04-30"),
    "abernathy": Person("James", "Abernathy", "1955-07-19"),
    "okonkwo": Person("Chidi", "Okonkwo", "1987-06-30"),
    "nguyen": Person("Bao", "Nguyen", "1990-12-03"),
    "patel": Person("Anjali", "Patel", "1979-08-08"),
    "dubois": Person("Claire", "DuBois", "1983-02-11"),
    "bergstrom": Person("Nils", "Bergstrom", "1952-12-29"),
    "macaulay": Person("Fergus", "MacAulay", "1944-05-02"),
    # In the three files added after the code was read (see below).
    "fontaine": Person("Delia", "Fontaine-Roy", "1950-07-04"),
    "park": Person("Ethan", "Park", "2011-02-14"),
    "mcallister": Person("Fiona", "McAllister-Grey", "1933-09-09"),
}

# Each person's client, and their state where some file gives their address.
CLIENT: dict[str, str] = {
    **{
        k: "lakeshore"
        for k in (
            "oneil",
            "hernandez",
            "vanderberg",
            "washington",
            "deleon",
            "mendez",
            "stjohn",
            "kowalski",
            "yazzie",
            "mcallister",
        )
    },
    **{
        k: "prairie"
        for k in (
            "hartley",
            "abernathy",
            "okonkwo",
            "nguyen",
            "patel",
            "dubois",
            "bergstrom",
            "macaulay",
            "fontaine",
            "park",
        )
    },
}
STATE: dict[str, str] = {
    "washington": "MI",
    "kowalski": "MI",
    "yazzie": "MI",
    "hartley": "IA",
    "abernathy": "IA",
    "patel": "NE",
    "park": "IA",
}

# Clinicians and the staff of the vendor, the hospital, the plan and a referring office.
NOT_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("Harold", "Brandt"),
    ("Tamsin", "Acheson"),
    ("Vikram", "Sethi"),
    ("Colleen", "Fairbanks"),
    ("Adebayo", "Oyelaran"),
    ("Rebecca", "Thornquist"),
    ("Gordon", "Fairweather"),
    ("Dana", "Whitcombe"),
    ("Marcus", "Tillery"),
    ("Jenna", "Lindahl"),
    ("Priscilla", "Onyango"),
    ("Shelby", "Marquardt"),
    ("Lena", "Brooks"),
    ("Tobias", "Okafor"),
)

NPI_BRANDT = "1483029173"
NPI_ACHESON = "1629558036"
NPI_SETHI = "1377401926"
NPI_FAIRBANKS = "1192850463"
NPI_THORNQUIST = "1703345813"
NPI_OYELARAN = "1550662393"

_cats = cats


def _pdf(pages: list[list[str]], font: str = "Helvetica", size: int = 9) -> bytes:
    """A PDF with a real text layer: one line of text per entry, pages in order."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    for lines in pages:
        c.setFont(font, size)
        y = 750
        for line in lines:
            c.drawString(40, y, line)
            y -= size + 4
        c.showPage()
    c.save()
    return buf.getvalue()


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- Lakeshore


def soap_note() -> bytes:
    """A SOAP progress note: ``Pt: Last, First M``, ``75 y/o F``, labs inline, meds
    with doses and routes, a problem list with ICD-10 codes, electronic signatures."""
    text = f"""\
LAKESHORE REGIONAL HOSPITAL - INTERNAL MEDICINE CLINIC
1450 Harbor View Dr, Muskegon MI 49440   Ph (231) 728-4100   Fax (231) 728-4177

PROGRESS NOTE
Pt: O'Neil, Kathleen M            MRN: 00731942
DOS: 01/14/2025                   Visit type: Follow-up
DOB: 11/20/1949 (75 y/o F)

S: 75 y/o F here for f/u of DM2 and HTN. Reports polyuria x 2 wks. Denies CP/SOB.
   Taking meds as prescribed, occasionally misses evening dose.

O: BP 148/92  HR 78  Wt 81.2 kg  BMI 31.4
   Labs 01/10: HbA1c 8.2 %, K+ 5.9 (H), eGFR 48

A/P:
1. Type 2 diabetes mellitus with hyperglycemia (E11.65) - uncontrolled. Increase
   metformin 1000 mg PO BID; start empagliflozin 10 mg PO daily.
2. Essential hypertension (I10) - lisinopril 20 mg PO daily, hold for K+ > 5.5.
   Recheck BMP in 1 wk.
3. CKD stage 3a (N18.31) - renal dosing reviewed.

Problem List:
  E11.65  Type 2 DM w hyperglycemia
  I10     Essential (primary) hypertension
  N18.31  Chronic kidney disease, stage 3a
  Z79.84  Long term (current) use of oral hypoglycemic drugs

RTC 4 wks. Pt verbalized understanding of plan.

Electronically signed by: Harold Brandt, MD  01/14/2025 16:02
NPI {NPI_BRANDT}
Cosigned: Tamsin Acheson, NP-C  01/14/2025 16:40
"""
    return text.encode()


SOAP_TRUTH: Expected = {
    "oneil": _cats("name dob mrn diagnosis medication test_result provider"),
}


def peds_note_docx() -> bytes:
    """A paediatric note in Word: ``Patient Name:`` and DOB on one tabbed line, ``9 y/o M``."""
    paras = [
        "Lakeshore Regional Pediatrics",
        "Patient Name: Luis A. Hernandez\tDOB: 10/09/2015\tMRN: 00812564",
        "Date of Service: 01/13/2025\tProvider: Adebayo Oyelaran, MD",
        "Chief Complaint: cough and wheezing x 3 days",
        "HPI: 9 y/o M with hx of asthma, accompanied by mother. Using albuterol q3-4h "
        "since Saturday. No fever.",
        "Exam: RR 28, SpO2 94% RA, diffuse expiratory wheeze.",
        "Assessment: Moderate persistent asthma with (acute) exacerbation (J45.41).",
        "Plan: Albuterol HFA 90 mcg 2 puffs q4h PRN. Prednisolone 15 mg/5 mL, 30 mg PO "
        "daily x 5 days. Continue fluticasone 44 mcg 2 puffs BID. Return if worse.",
        "Electronically signed by: Adebayo Oyelaran, MD on 01/13/2025 at 11:20",
    ]
    return _docx(paras)


PEDS_TRUTH: Expected = {
    "hernandez": _cats("name dob mrn diagnosis medication provider"),
}


def discharge_summary_pdf() -> bytes:
    """A discharge summary whose patient header is a single line of label: value pairs."""
    lines = [
        "LAKESHORE REGIONAL HOSPITAL                       DISCHARGE SUMMARY",
        "NAME: VAN DER BERG, PIETER J   MRN: 00418822   DOB: 06/02/1941   "
        "ADM: 01/03/2025   DIS: 01/09/2025",
        "ATTENDING: Harold Brandt, MD          PCP: Adebayo Oyelaran, MD",
        "",
        "DISCHARGE DIAGNOSES:",
        "1. Acute on chronic systolic (congestive) heart failure (I50.23)",
        "2. Persistent atrial fibrillation (I48.19)",
        "3. Chronic kidney disease, stage 3b (N18.32)",
        "",
        "PROCEDURES: Right heart catheterization 01/05/2025 (CPT 93451).",
        "",
        "HOSPITAL COURSE: 83 yo M admitted with worsening dyspnea and 6 kg weight gain.",
        "Diuresed with IV furosemide. Rate controlled. Discharged home in stable condition.",
        "",
        "DISCHARGE MEDICATIONS:",
        "  furosemide 40 mg PO BID",
        "  apixaban 5 mg PO BID",
        "  metoprolol succinate 50 mg PO daily",
        "",
        "FOLLOW-UP: Dr. Oyelaran in 1 week. Clinic (231) 728-4100.",
        "Dictated by: Harold Brandt, MD   D: 01/09/2025 14:10   T: 01/10/2025 08:02",
    ]
    return _pdf([lines])


DISCHARGE_TRUTH: Expected = {
    "vanderberg": _cats("name dob mrn diagnosis procedure medication provider"),
}


def hl7_adt() -> bytes:
    """ADT^A04 with ``JR`` in PID-5, an apartment in PID-11, an SSN in PID-19, a DG1
    and an IN1 (the insurer's own address and phone are not the patient's)."""
    in1 = [""] * 37
    in1[0] = "IN1"
    in1[1] = "1"
    in1[2] = "BCBSMI01"
    in1[3] = "00210"
    in1[4] = "BLUE CROSS BLUE SHIELD OF MICHIGAN"
    in1[5] = "600 E LAFAYETTE BLVD^^DETROIT^MI^48226"
    in1[7] = "(800)662-6667"
    in1[8] = "MI77120"
    in1[16] = "WASHINGTON^DARNELL^L"
    in1[17] = "01"
    in1[18] = "19720914"
    in1[36] = "XYP882041177"
    segs = [
        r"MSH|^~\&|EPIC|LRH|MERIDIAN|MRCP|20250115101522||ADT^A04^ADT_A01|LRH0115101522|P|2.5.1",
        "EVN|A04|20250115101500",
        "PID|1||00865120^^^LRH^MR||WASHINGTON^DARNELL^LAMAR^JR^^^L||19720914|M||2106-3|"
        "2471 W SHERMAN BLVD^APT 3C^MUSKEGON^MI^49441^USA^H||^PRN^PH^^1^231^7734519|||M||"
        "40022871^^^LRH^AN|374-52-8816",
        f"PV1|1|E|ED^^^LRH||||{NPI_BRANDT}^BRANDT^HAROLD^^^MD^^^NPI||||||||||||40022871",
        "DG1|1||R10.9^Abdominal pain, unspecified^I10||20250115|A",
        "|".join(in1),
    ]
    return ("\r".join(segs) + "\r").encode()


HL7_TRUTH: Expected = {
    "washington": _cats("name dob ssn address phone mrn diagnosis provider health_plan member_id"),
}


def _rtf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")


def radiology_rtf() -> bytes:
    """Two radiology reports in one RTF, split by a page break; the exam titles are the
    imaging, the indications carry ICD-10 codes, the radiologist signs."""
    first = [
        "LAKESHORE REGIONAL HOSPITAL - DEPARTMENT OF RADIOLOGY",
        "Patient: Darnell L. Washington, Jr.     MRN: 00865120     DOB: 09/14/1972",
        "Exam: CT ABDOMEN AND PELVIS W/O CONTRAST     Exam Date: 01/15/2025 11:42",
        "Accession: RAD25-0011873     Ordering: Harold Brandt, MD",
        "Indication: R10.9 Abdominal pain, unspecified; r/o nephrolithiasis",
        "Technique: Axial images from the diaphragm to the pubic symphysis without IV "
        "contrast. DLP 612 mGy-cm.",
        "Findings: 4 mm nonobstructing calculus in the left lower pole. No hydronephrosis.",
        "Impression: Nonobstructing left nephrolithiasis (N20.0).",
        "Read by: Vikram Sethi, MD   Signed 01/15/2025 13:05",
    ]
    second = [
        "LAKESHORE REGIONAL HOSPITAL - DEPARTMENT OF RADIOLOGY",
        "Patient: DE LEON, MARIBEL     MRN: 00559013     DOB: 04/04/1975",
        "Exam: MRI BRAIN WITHOUT AND WITH CONTRAST     Exam Date: 01/16/2025 08:15",
        "Accession: RAD25-0011950     Ordering: Adebayo Oyelaran, MD",
        "Indication: G43.909 Migraine, unspecified, not intractable",
        "Findings: No acute infarct, hemorrhage or mass. Ventricles normal in size.",
        "Impression: No acute intracranial abnormality.",
        "Read by: Vikram Sethi, MD   Signed 01/16/2025 09:40",
    ]
    body = "\\par\n".join(_rtf_escape(x) for x in first)
    body += "\\par\n\\page\n"
    body += "\\par\n".join(_rtf_escape(x) for x in second)
    rtf = "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs20\n" + body + "\\par\n}\n"
    return rtf.encode("ascii")


RADIOLOGY_TRUTH: Expected = {
    "washington": _cats("name dob mrn imaging diagnosis provider"),
    "deleon": _cats("name dob mrn imaging diagnosis provider"),
}


def lab_report_pdf() -> bytes:
    """A two-page lab report, one patient a page, results in a space-aligned grid with
    LOINC codes and the lab's CLIA number."""

    def page(name: str, dob: str, sex: str, mrn: str, acc: str, doc: str, rows: list[str]) -> list[str]:  # fmt: skip
        return [
            "LAKESHORE REGIONAL LABORATORY SERVICES        CLIA 23D0654321",
            "1450 Harbor View Dr, Muskegon MI 49440   (231) 728-4300",
            f"PATIENT: {name}        DOB: {dob}   SEX: {sex}",
            f"MRN: {mrn}      ACCESSION: {acc}     COLLECTED: 01/10/2025 07:45",
            f"ORDERING: {doc}",
            "",
            "TEST                  RESULT   FLAG  UNITS            REF RANGE     LOINC",
            *rows,
            "",
            "Verified by: MLS(ASCP) 01/10/2025 11:02",
        ]

    p1 = page(
        "O'NEIL, KATHLEEN M",
        "11/20/1949",
        "F",
        "00731942",
        "LR25-5531",
        f"BRANDT, HAROLD MD (NPI {NPI_BRANDT})",
        [
            "HbA1c                 8.2      H     %                4.0-5.6       4548-4",
            "Glucose, fasting      188      H     mg/dL            70-99         1558-6",
            "Sodium                137            mmol/L           135-145       2951-2",
            "K+                    5.9      H     mmol/L           3.5-5.1       2823-3",
            "Creatinine            1.21     H     mg/dL            0.57-1.00     2160-0",
            "eGFR                  48       L     mL/min/1.73m2    >59           62238-1",
        ],
    )
    p2 = page(
        "MENDEZ, ROBERT A",
        "03/07/1958",
        "M",
        "00642207",
        "LR25-5532",
        "OYELARAN, ADEBAYO MD",
        [
            "Cholesterol, total    242      H     mg/dL            100-199       2093-3",
            "Triglycerides         215      H     mg/dL            0-149         2571-8",
            "HDL cholesterol       38       L     mg/dL            >39           2085-9",
            "LDL chol calc         161      H     mg/dL            0-99          13457-7",
            "PSA                   1.2            ng/mL            0.0-4.0       2857-1",
        ],
    )
    return _pdf([p1, p2], font="Courier", size=8)


LAB_TRUTH: Expected = {
    "oneil": _cats("name dob mrn test_result provider"),
    "mendez": _cats("name dob mrn test_result provider"),
}


def coding_summary_html() -> bytes:
    """A vendor's HTML coding summary: one block per encounter, CPT/HCPCS codes with
    their descriptions, diagnoses in words only, the client's tax ID and the coder."""

    def enc(n: int, who: str, mrn: str, dos: str, procs: str, dx: str, prov: str) -> str:
        return (
            f'<div class="enc"><h3>Encounter {n} of 3</h3>\n'
            f"<p><b>Patient:</b> {who} &nbsp; <b>MRN:</b> {mrn} &nbsp; <b>DOS:</b> {dos}</p>\n"
            f"<p><b>Procedures:</b> {procs}</p>\n"
            f"<p><b>Diagnoses:</b> {dx}</p>\n"
            f"<p><b>Rendering:</b> {prov}</p></div>\n"
        )

    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Coding Summary</title>"
        "</head><body>\n"
        "<h2>Meridian Revenue Cycle Partners &mdash; Coding Summary</h2>\n"
        "<p>Client: Lakeshore Regional Hospital (Tax ID 38-2214687) &middot; Coder: "
        "Priscilla Onyango, CPC &middot; Batch 2025-01-B</p>\n"
        + enc(
            1,
            "Everett St. John",
            "00377410",
            "01/08/2025",
            "45385 Colonoscopy, flexible; with removal of polyp by snare technique; "
            "88305 Surgical pathology, level IV",
            "Personal history of colonic polyps; benign neoplasm of ascending colon",
            f"Colleen Fairbanks, MD (NPI {NPI_FAIRBANKS})",
        )
        + enc(
            2,
            "Pieter van der Berg",
            "00418822",
            "01/05/2025",
            "93451 Right heart catheterization",
            "Acute on chronic systolic heart failure",
            f"Harold Brandt, MD (NPI {NPI_BRANDT})",
        )
        + enc(
            3,
            'Robert "Bob" Mendez',
            "00642207",
            "01/13/2025",
            "99214 Office or other outpatient visit, established patient, moderate; "
            "G0439 Annual wellness visit, subsequent",
            "Mixed hyperlipidemia; prediabetes",
            "Adebayo Oyelaran, MD",
        )
        + "</body></html>\n"
    )
    return html.encode()


CODING_HTML_TRUTH: Expected = {
    k: _cats("name mrn procedure diagnosis provider") for k in ("stjohn", "vanderberg", "mendez")
}


def email_thread() -> bytes:
    """A reply chain: Outlook ``-----Original Message-----``, ``>`` and ``>>`` quoting,
    signature blocks with direct and fax numbers, the patient as ``MENDEZ, ROBERT``,
    ``DOB 3/7/58``, and by nickname in the oldest message."""
    body = """\
Marcus,

Resubmitted today with the corrected dx. Let me know if PHP kicks it back again.

Dana

Dana Whitcombe, CCS
Senior Coding Specialist | Meridian Revenue Cycle Partners
D: (616) 949-3382 | F: (616) 949-3390
dwhitcombe@meridianrcp.example

-----Original Message-----
From: Marcus Tillery <mtillery@lakeshoreregional.example>
Sent: Thursday, January 16, 2025 9:05 AM
To: Dana Whitcombe <dwhitcombe@meridianrcp.example>
Subject: RE: Denied claim - Mendez

Dana - it's MENDEZ, ROBERT, DOB 3/7/58, MRN 00642207. Claim 25011300412, DOS 1/13/25.
Denied CO-11 (dx inconsistent w/ procedure). He was in for the CHF f/u, not just the
wellness visit; primary should be I50.22, not Z00.00.

Marcus Tillery
Patient Financial Services | Lakeshore Regional Hospital
(231) 728-4190

> Which patient is this? I have two Mendez accounts on the 1/13 batch.
>
> Dana Whitcombe, CCS
> Senior Coding Specialist | Meridian Revenue Cycle Partners
>
>> From: Marcus Tillery
>> Sent: Wednesday, January 15, 2025 4:47 PM
>> Bob Mendez's claim from 1/13 came back denied. Can you take a look?
>> Marcus
"""
    head = """\
From: Dana Whitcombe <dwhitcombe@meridianrcp.example>
To: Marcus Tillery <mtillery@lakeshoreregional.example>
Subject: RE: RE: Denied claim - Mendez
Date: Thu, 16 Jan 2025 14:22:10 -0500
Message-ID: <20250116142210.7731@meridianrcp.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

"""
    return (head + body).replace("\n", "\r\n").encode()


EMAIL_TRUTH: Expected = {"mendez": _cats("name dob mrn diagnosis")}


def fax_referral_pdf() -> bytes:
    """A fax cover sheet and a referral, in Courier with the doubled spaces and spaced
    punctuation that OCR'd faxes carry; the clinic's and the hospital's fax numbers,
    the referring doctor's NPI and tax ID are look-alikes."""
    cover = [
        "F A X    C O V E R    S H E E T",
        "",
        "To :   Lakeshore Regional Hospital - Cardiology     Fax :  (231) 728-4177",
        "From : Fairbanks Family Medicine                    Fax :  (269) 465-2210",
        f"       Colleen Fairbanks, MD   NPI {NPI_FAIRBANKS}        Ph :   (269) 465-2200",
        "Date : 01/10/2025          Pages :  2  (incl. cover)",
        "",
        "RE :  KOWALSKI-REYES,  TERESA          D.O.B.   01/25/1966",
        "",
        "CONFIDENTIALITY NOTICE: This facsimile contains protected health information.",
        "If you received it in error, call the sender and destroy all copies.",
    ]
    referral = [
        "REFERRAL  FOR  SPECIALTY  CONSULTATION",
        "",
        "Patient  Name :  Teresa  Kowalski-Reyes          D.O.B. :  01 / 25 / 1966",
        "Address :  5170  Red  Arrow  Hwy ,  Lot  22",
        "           Stevensville ,  MI   49127",
        "Home  Ph :  (269) 408-7713          SSN :  311-48-2290",
        "Insurance :  Priority Health HMO        Member # :  884120973-01",
        "",
        "Reason for referral :  Palpitations ,  abnormal ECG .   Dx :  R00.2 ,  I49.3",
        "Requested :  Cardiology consult",
        "Current meds :  Propranolol  10 mg  PO  TID ,  Sertraline  50 mg  daily",
        "",
        "Referring provider :  Colleen Fairbanks, MD     Tax ID :  38-1776542",
    ]
    return _pdf([cover, referral], font="Courier", size=9)


FAX_TRUTH: Expected = {
    "kowalski": _cats(
        "name dob address phone ssn member_id health_plan diagnosis procedure medication provider"
    ),
}


def ccda_document() -> bytes:
    """A C-CDA CCD: recordTarget with a rural-route address, a problem and a medication
    entry, and an author who is the patient's doctor."""
    xml = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc">
  <realmCode code="US"/>
  <templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>
  <id root="2.16.840.1.113883.19.5.99999.1" extension="CCD-20250117-0042"/>
  <code code="34133-9" codeSystem="2.16.840.1.113883.6.1" displayName="Summary of episode note"/>
  <title>Continuity of Care Document</title>
  <effectiveTime value="20250117093000-0500"/>
  <recordTarget>
    <patientRole>
      <id root="2.16.840.1.113883.19.5.4471" extension="00982216"/>
      <addr use="HP">
        <streetAddressLine>RR 2 Box 118</streetAddressLine>
        <city>Hart</city><state>MI</state><postalCode>49420</postalCode><country>US</country>
      </addr>
      <telecom value="tel:+1-231-873-5520" use="HP"/>
      <patient>
        <name use="L"><given>Lorraine</given><family>Yazzie</family></name>
        <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/>
        <birthTime value="19610516"/>
      </patient>
    </patientRole>
  </recordTarget>
  <author>
    <time value="20250117093000-0500"/>
    <assignedAuthor>
      <id root="2.16.840.1.113883.4.6" extension="{NPI_OYELARAN}"/>
      <assignedPerson><name><prefix>Dr.</prefix><given>Adebayo</given>
        <family>Oyelaran</family><suffix>MD</suffix></name></assignedPerson>
    </assignedAuthor>
  </author>
  <component><structuredBody>
    <component><section>
      <code code="11450-4" codeSystem="2.16.840.1.113883.6.1" displayName="Problem list"/>
      <title>Problems</title>
      <text>Hypothyroidism, unspecified (E03.9)</text>
      <entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
        <observation classCode="OBS" moodCode="EVN">
          <value xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CD"
            code="E03.9" codeSystem="2.16.840.1.113883.6.90"
            displayName="Hypothyroidism, unspecified"/>
        </observation></entryRelationship></act></entry>
    </section></component>
    <component><section>
      <code code="10160-0" codeSystem="2.16.840.1.113883.6.1" displayName="Medications"/>
      <title>Medications</title>
      <text>Levothyroxine 75 mcg tablet, 1 tab PO daily</text>
      <entry><substanceAdministration classCode="SBADM" moodCode="INT">
        <consumable><manufacturedProduct><manufacturedMaterial>
          <code code="966222" codeSystem="2.16.840.1.113883.6.88"
            displayName="levothyroxine sodium 0.075 MG Oral Tablet"/>
        </manufacturedMaterial></manufacturedProduct></consumable>
      </substanceAdministration></entry>
    </section></component>
  </structuredBody></component>
</ClinicalDocument>
"""
    return xml.encode()


CCDA_TRUTH: Expected = {
    "yazzie": _cats("name dob mrn address phone diagnosis medication provider"),
}


def oncall_schedule() -> bytes:
    """Providers, pagers and the hospital's numbers only: nobody here is a data subject."""
    text = f"""\
LAKESHORE REGIONAL HOSPITAL - ON-CALL SCHEDULE, WEEK OF 01/13/2025
Operator: (231) 728-4000   Bed board fax: (231) 728-4077

Mon 01/13  Cardiology      Harold Brandt, MD        pager (231) 728-9911  NPI {NPI_BRANDT}
Tue 01/14  Radiology       Vikram Sethi, MD         pager (231) 728-9934  NPI {NPI_SETHI}
Wed 01/15  Hospitalist     Tamsin Acheson, NP-C     pager (231) 728-9950  NPI {NPI_ACHESON}
Thu 01/16  Pediatrics      Adebayo Oyelaran, MD     pager (231) 728-9962
Fri 01/17  GI              Colleen Fairbanks, MD    cell  (269) 465-2200

Escalation: House supervisor ext. 4410. Updated 01/10/2025 by M. Tillery.
"""
    return text.encode()


# --------------------------------------------------------------------------- Prairie


def denial_letter_docx() -> bytes:
    """A plan's adverse determination letter: return address, an address block with a
    PO Box and ZIP+4, a reference block (member ID, plan, claim, dates of service),
    ``Dear Ms. Hartley:`` and the medical director's signature."""
    paras = [
        "Prairie Health Plan",
        "Utilization Management",
        "PO Box 9120, Des Moines, IA 50306-9120   1-888-414-7700   Fax 515-247-7710",
        "",
        "January 17, 2025",
        "",
        "MARGARET HARTLEY\nPO BOX 412\nAMES IA 50010-0412",
        "",
        "RE: Notice of Adverse Benefit Determination",
        "Member: Margaret E. Hartley\nMember ID: PHP20338817\n"
        "Plan: Prairie Health Plan Medicare Advantage (HMO)\nClaim #: 25010900331\n"
        "Date(s) of service: 12/30/2024 - 01/06/2025\n"
        "Provider: Northside Physical Therapy (Tax ID 42-1587734)",
        "",
        "Dear Ms. Hartley:",
        "We reviewed the claim for outpatient physical therapy (CPT 97110 therapeutic "
        "exercise, 97140 manual therapy) on the dates above. These services are not "
        "covered because the visit limit for the benefit year was reached on 12/19/2024.",
        "You may appeal within 60 days of this notice by writing to the address above.",
        "",
        "Sincerely,",
        "Gordon Fairweather, MD\nMedical Director, Prairie Health Plan",
    ]
    return _docx(paras)


DENIAL_TRUTH: Expected = {
    "hartley": _cats("name address member_id health_plan procedure provider"),
}


def appeal_letter_pdf() -> bytes:
    """A member's own appeal letter: his address block on top (``NW``, ``Apt``,
    ZIP+4), the plan's below, a spelled-out DOB in the body, a suffix ``III``."""
    lines = [
        "James R. Abernathy III",
        "2207 NW 86th St, Apt 14B",
        "Urbandale, IA 50322-1834",
        "(515) 276-0918",
        "",
        "January 20, 2025",
        "",
        "Prairie Health Plan",
        "Attn: Appeals and Grievances",
        "PO Box 9120",
        "Des Moines, IA 50306-9120",
        "",
        "Re: Appeal of denied claim 25011000977, Member ID PHP10447251",
        "",
        "To whom it may concern:",
        "",
        "I am writing to appeal the denial of my prescription for Ozempic 1 mg weekly.",
        "My doctor, Dr. Rebecca Thornquist, diagnosed me with type 2 diabetes (E11.9) in",
        "2023 and the metformin alone did not bring my sugar down. My date of birth is",
        "July 19, 1955, in case you need it to find my file. The pharmacy filled it on",
        "01/02/2025 and I paid $935.40 myself.",
        "",
        "Sincerely,",
        "James R. Abernathy III",
    ]
    return _pdf([lines], size=10)


APPEAL_TRUTH: Expected = {
    "abernathy": _cats(
        "name address phone dob member_id health_plan diagnosis medication provider"
    ),
}


def call_transcript() -> bytes:
    """A call-centre transcript with timestamps: the caller spells his surname, gives
    his SSN's last four only and a callback number; the plan's number is read out too."""
    text = """\
Call ID: 7731-20250113-093214   Queue: Member Services   Agent: Jenna Lindahl (ID 40412)
Duration: 00:07:41   Recording: yes   Transcribed: automatic

[00:00:02] Agent: Thank you for calling Prairie Health Plan, this is Jenna. Can I have your name please?
[00:00:06] Caller: Yeah, it's Chidi Okonkwo.
[00:00:09] Agent: Could you spell your last name for me?
[00:00:11] Caller: O-K-O-N-K-W-O.
[00:00:15] Agent: Thank you. And your date of birth?
[00:00:17] Caller: June 30th, 1987.
[00:00:21] Agent: And to verify, the last four of your social?
[00:00:24] Caller: 6623.
[00:00:27] Agent: Thank you, Mr. Okonkwo. I see member ID PHP30918562. How can I help today?
[00:00:33] Caller: I got a bill from Mercy for my MRI, the knee one, and I thought it was covered.
[00:00:41] Agent: I see a claim from 12/19/2024 for an MRI of the right knee without contrast. It was applied to your deductible.
[00:02:10] Caller: So I owe the whole thing?
[00:02:15] Agent: You owe $612.00 of it. I can set up a payment plan.
[00:06:58] Agent: What is the best callback number?
[00:07:01] Caller: 515-288-4419.
[00:07:05] Agent: I have 515-288-4419. Our number is 1-888-414-7700 if you need us.
[00:07:39] Caller: Thanks, bye.
"""
    return text.encode()


CALL_TRUTH: Expected = {"okonkwo": _cats("name dob member_id health_plan phone imaging")}


def chat_export() -> bytes:
    """A secure-chat export: a header naming the member ``LAST, FIRST (member ID)``,
    turns prefixed by time and speaker, the staff speaker as ``Last, First (Prairie)``,
    a two-digit-year DOB and a new e-mail address typed by the member."""
    text = """\
Prairie Health Plan - Secure Member Chat Transcript
Session: 9f31c2   Started: 2025-01-14 19:02:11 CST   Channel: web
Member: NGUYEN, BAO  (PHP40271936)
Email on file: bao.nguyen90@example.com

19:02:11 Bao Nguyen: hi, my pharmacy said my metformin ER 500 mg isn't covered anymore?
19:02:40 Lindahl, Jenna (Prairie): Hi Bao! I can help with that. Can you confirm your date of birth?
19:03:02 Bao Nguyen: 12/3/90
19:03:30 Lindahl, Jenna (Prairie): Thanks. Metformin ER moved to tier 2 on 1/1, so your copay is now $10.
19:04:12 Bao Nguyen: ok. also can you send the EOB to my new email bnguyen.dsm@example.net
19:04:40 Lindahl, Jenna (Prairie): Done, your email is updated. Anything else?
19:05:01 Bao Nguyen: no thats it thanks
-- Session closed by agent 19:05:20 --
"""
    return text.encode()


CHAT_TRUTH: Expected = {"nguyen": _cats("name dob member_id health_plan email medication")}


def fhir_searchset() -> bytes:
    """A FHIR searchset Bundle: Patient, Coverage (subscriber ID and payor) and a
    Condition, the latter two pointing at the patient by ``Patient/id``."""
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "entry": [
            {
                "fullUrl": "https://fhir.prairiehp.example/Patient/pt-50663104",
                "resource": {
                    "resourceType": "Patient",
                    "id": "pt-50663104",
                    "name": [{"use": "official", "family": "Patel", "given": ["Anjali", "R"]}],
                    "gender": "female",
                    "birthDate": "1979-08-08",
                    "telecom": [
                        {"system": "phone", "value": "(402) 551-3087", "use": "home"},
                        {"system": "email", "value": "anjali.patel79@example.org"},
                    ],
                    "address": [
                        {
                            "use": "home",
                            "line": ["4711 Farnam St", "Unit 2"],
                            "city": "Omaha",
                            "state": "NE",
                            "postalCode": "68132",
                        }
                    ],
                },
                "search": {"mode": "match"},
            },
            {
                "fullUrl": "https://fhir.prairiehp.example/Coverage/cov-88120",
                "resource": {
                    "resourceType": "Coverage",
                    "id": "cov-88120",
                    "status": "active",
                    "subscriberId": "PHP50663104",
                    "beneficiary": {"reference": "Patient/pt-50663104"},
                    "relationship": {"coding": [{"code": "self"}]},
                    "payor": [{"display": "Prairie Health Plan"}],
                    "class": [
                        {
                            "type": {"coding": [{"code": "plan"}]},
                            "value": "PHP-GOLD-PPO",
                            "name": "Prairie Gold PPO",
                        }
                    ],
                },
                "search": {"mode": "include"},
            },
            {
                "fullUrl": "https://fhir.prairiehp.example/Condition/cond-1",
                "resource": {
                    "resourceType": "Condition",
                    "id": "cond-1",
                    "subject": {"reference": "Patient/pt-50663104"},
                    "code": {
                        "coding": [
                            {
                                "system": "http://hl7.org/fhir/sid/icd-10-cm",
                                "code": "K50.90",
                                "display": "Crohn's disease, unspecified, without complications",
                            }
                        ]
                    },
                },
                "search": {"mode": "include"},
            },
        ],
    }
    return json.dumps(bundle, indent=2).encode()


FHIR_TRUTH: Expected = {
    "patel": _cats("name dob address phone email member_id health_plan diagnosis"),
}


def prior_auth_email() -> bytes:
    """A prior-authorisation request e-mailed by a clinic: ``Member name:`` and
    ``DOB: 02-11-1983``, an MRI, its CPT code, conservative treatment with drug doses,
    and the clinic's staff, phone, fax, NPI and tax ID."""
    head = """\
From: Referral Coordinator <referrals@cedarvalleyortho.example>
To: um-intake@prairiehp.example
Subject: Prior auth request - MRI L-spine - DuBois, Claire
Date: Tue, 14 Jan 2025 11:08:51 -0600
Message-ID: <a81f2c@cedarvalleyortho.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

"""
    body = f"""\
Please see prior authorization request below.

Member name: Claire DuBois
DOB: 02-11-1983
Member ID: PHP60218844
Requested service: MRI LUMBAR SPINE W/O CONTRAST (CPT 72148)
Dx: M54.16 Radiculopathy, lumbar region; M51.26 Other intervertebral disc displacement
Ordering: Rebecca Thornquist, DO  NPI {NPI_THORNQUIST}
Servicing facility: Cedar Valley Imaging, Waterloo IA, Tax ID 42-1290557
Conservative tx: PT x 6 wks (97110), naproxen 500 mg BID, gabapentin 300 mg TID

Office phone 319-235-8800, fax 319-235-8810.

Thank you,
Shelby Marquardt
Referral Coordinator, Cedar Valley Orthopedics
"""
    return (head + body).encode()


PRIOR_AUTH_TRUTH: Expected = {
    "dubois": _cats("name dob member_id imaging procedure diagnosis medication provider"),
}


def payer_coding_summary() -> bytes:
    """A payer's coding summary: dotted leaders (``Member ......:``), HCPCS and CPT
    lines with descriptions, diagnoses in words only, a payer ID and claim numbers."""
    text = """\
MERIDIAN REVENUE CYCLE PARTNERS            PROFESSIONAL CODING SUMMARY
Client: PRAIRIE HEALTH PLAN (Payer ID 42-PHP)    Batch: 07    Coder: P. Onyango, CPC
--------------------------------------------------------------------------------
Member ......: BERGSTROM, NILS E            Member ID: PHP70155290   DOB: 12/29/1952
Claim .......: 25011400218    DOS: 01/06/2025 - 01/06/2025    POS 12 (Home)
Lines:
  E0601   Continuous positive airway pressure (CPAP) device           1 unit
  A7030   Full face mask used with positive airway pressure device    1 unit
Diagnoses: Obstructive sleep apnea (adult) (pediatric); morbid obesity due to excess calories
Ordering ....: Thornquist, Rebecca DO
--------------------------------------------------------------------------------
Member ......: MACAULAY, FERGUS             Member ID: PHP70188321   DOB: 05/02/1944
Claim .......: 25011400219    DOS: 01/07/2025    POS 11 (Office)
Lines:
  20610   Arthrocentesis, aspiration and/or injection, major joint    1 unit
  J1100   Injection, dexamethasone sodium phosphate, 1 mg             10 units
Diagnoses: Primary osteoarthritis, right knee
Ordering ....: Thornquist, Rebecca DO
--------------------------------------------------------------------------------
"""
    return text.encode()


PAYER_CODING_TRUTH: Expected = {
    "bergstrom": _cats("name dob member_id health_plan procedure diagnosis provider"),
    "macaulay": _cats("name dob member_id health_plan procedure diagnosis medication provider"),
}


# --------------------------------------------------------------------------- probes
# Three files written after the first run and after reading the detectors, to probe the
# fixes with forms they were not made on.


def html_mail_list() -> bytes:
    """A multipart e-mail whose HTML part lists members in a bulleted list, the plan named
    only in the sender's signature at the end."""
    html = (
        "<html><body><p>Hi team,</p><p>Please terminate coverage for the following "
        "members effective 2/1:</p><ul>"
        "<li>FONTAINE-ROY, DELIA M. &ndash; DOB 07-04-1950 &ndash; Member ID PHP80015522</li>"
        "<li>Ethan J. Park (dependent), DOB 2/14/2011, Member ID PHP80015523</li></ul>"
        "<p>Thanks,<br>Lena Brooks<br>Enrollment Specialist, Prairie Health Plan<br>"
        "515-247-7000</p></body></html>"
    )
    text = (
        "Hi team,\n\nPlease terminate coverage for the following members effective 2/1:\n\n"
        "* FONTAINE-ROY, DELIA M. - DOB 07-04-1950 - Member ID PHP80015522\n"
        "* Ethan J. Park (dependent), DOB 2/14/2011, Member ID PHP80015523\n\n"
        "Thanks,\nLena Brooks\nEnrollment Specialist, Prairie Health Plan\n515-247-7000\n"
    )
    msg = f"""\
From: Lena Brooks <lbrooks@prairiehp.example>
To: Meridian Eligibility <elig@meridianrcp.example>
Subject: Terms eff 2/1
Date: Mon, 20 Jan 2025 08:15:02 -0600
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset="utf-8"

{text}
--b1
Content-Type: text/html; charset="utf-8"

{html}
--b1--
"""
    return msg.replace("\n", "\r\n").encode()


HTML_MAIL_TRUTH: Expected = {
    "fontaine": _cats("name dob member_id health_plan"),
    "park": _cats("name dob member_id health_plan"),
}


def nursing_note() -> bytes:
    """A nursing note: ``RE: LAST, FIRST (MRN n)``, ``Pt is a 91 y/o F``, a drug given
    per a doctor, and the nurse's initial-and-surname signature."""
    text = """\
Lakeshore Regional Hospital - 4 West Nursing
Date/Time: 01/17/2025 03:40
RE: MCALLISTER-GREY, FIONA (MRN 00990417)   DOB: 9/9/1933

Pt is a 91 y/o F admitted for CHF exacerbation. Pt c/o SOB overnight, O2 sat 88% on RA,
placed on 2L NC. Daughter updated at bedside and agrees w/ plan. Furosemide 40 mg IV
given per Dr. Brandt at 03:15.

T. Okafor, RN
"""
    return text.encode()


NURSING_TRUTH: Expected = {
    "mcallister": _cats("name dob mrn diagnosis medication provider"),
}


def guardian_letter_docx() -> bytes:
    """A plan's letter to the parent of a minor: ``To the Parent or Guardian of`` above the
    child's name and address, a dental procedure code, the member ID."""
    paras = [
        "Prairie Health Plan\nPO Box 9120, Des Moines, IA 50306-9120",
        "January 21, 2025",
        "To the Parent or Guardian of\nETHAN J PARK\n1188 SE Delaware Ave Apt 2\nAnkeny, IA 50021",
        "Dear Parent or Guardian of Ethan Park:",
        "The request for comprehensive orthodontic treatment (D8080) for your child has "
        "been approved for the 2025 benefit year.",
        "Member ID: PHP80015523",
        "Sincerely,\nGordon Fairweather, MD\nMedical Director",
    ]
    return _docx(paras)


GUARDIAN_TRUTH: Expected = {
    "park": _cats("name address member_id health_plan procedure"),
}


FILES: tuple[EvidenceFile, ...] = (
    EvidenceFile(
        "lakeshore/notes/ProgressNote_20250114_00731942.txt",
        soap_note,
        SOAP_TRUTH,
        "SOAP note, Pt:, y/o F, problem list, e-signature",
    ),
    EvidenceFile(
        "lakeshore/notes/peds_visit_0113.docx", peds_note_docx, PEDS_TRUTH, "DOCX, Patient Name:"
    ),
    EvidenceFile(
        "lakeshore/discharge/DS_0109_00418822.pdf",
        discharge_summary_pdf,
        DISCHARGE_TRUTH,
        "PDF, one-line NAME/MRN/DOB/ADM/DIS header",
    ),
    EvidenceFile(
        "lakeshore/interfaces/ADT_A04_20250115.hl7", hl7_adt, HL7_TRUTH, "HL7 ADT, JR, IN1"
    ),
    EvidenceFile(
        "lakeshore/radiology/RAD_reports_0116.rtf",
        radiology_rtf,
        RADIOLOGY_TRUTH,
        "RTF, two imaging reports",
    ),
    EvidenceFile(
        "lakeshore/lab/LabReport_LR25-5531.pdf",
        lab_report_pdf,
        LAB_TRUTH,
        "PDF, two pages, result grid, LOINC",
    ),
    EvidenceFile(
        "lakeshore/coding/CodingSummary_Jan2025.html",
        coding_summary_html,
        CODING_HTML_TRUTH,
        "HTML blocks, CPT/HCPCS, diagnoses in words",
    ),
    EvidenceFile(
        "lakeshore/mail/RE RE Denied claim - Mendez.eml",
        email_thread,
        EMAIL_TRUTH,
        "reply chain, > quoting, signatures",
    ),
    EvidenceFile(
        "lakeshore/fax/Referral_Fax_0110.pdf",
        fax_referral_pdf,
        FAX_TRUTH,
        "fax cover + referral, OCR-like spacing",
    ),
    EvidenceFile(
        "lakeshore/ccda/CCD_00982216.xml", ccda_document, CCDA_TRUTH, "C-CDA, rural route"
    ),
    EvidenceFile("lakeshore/admin/oncall_0113.txt", oncall_schedule, {}, "providers only"),
    EvidenceFile(
        "prairie/um/Denial_UM-25-00318.docx",
        denial_letter_docx,
        DENIAL_TRUTH,
        "DOCX letter, PO Box, ZIP+4, dates of service",
    ),
    EvidenceFile(
        "prairie/appeals/Appeal_PHP10447251.pdf",
        appeal_letter_pdf,
        APPEAL_TRUTH,
        "member's letter, NW, Apt, III, spelled DOB",
    ),
    EvidenceFile(
        "prairie/calls/CallTranscript_20250113_0932.txt",
        call_transcript,
        CALL_TRUTH,
        "Agent/Caller transcript, SSN last 4",
    ),
    EvidenceFile("prairie/chat/chat_9f31c2.txt", chat_export, CHAT_TRUTH, "secure chat export"),
    EvidenceFile(
        "prairie/fhir/Patient_search_50663104.json",
        fhir_searchset,
        FHIR_TRUTH,
        "FHIR searchset, Coverage, Patient/id refs",
    ),
    EvidenceFile(
        "prairie/um/PA request - DuBois.eml", prior_auth_email, PRIOR_AUTH_TRUTH, "prior auth"
    ),
    EvidenceFile(
        "prairie/claims/CodingSummary_batch07.txt",
        payer_coding_summary,
        PAYER_CODING_TRUTH,
        "dotted leaders, HCPCS lines",
    ),
    EvidenceFile(
        "prairie/mail/Terms eff 0201.eml",
        html_mail_list,
        HTML_MAIL_TRUTH,
        "probe: multipart HTML list, plan in the signature",
    ),
    EvidenceFile(
        "lakeshore/notes/NursingNote_0117.txt",
        nursing_note,
        NURSING_TRUTH,
        "probe: RE: LAST, FIRST (MRN), nurse's signature",
    ),
    EvidenceFile(
        "prairie/letters/Approval_PHP80015523.docx",
        guardian_letter_docx,
        GUARDIAN_TRUTH,
        "probe: letter to a minor's parent, CDT code",
    ),
)

SET = HeldoutSet(CASE_TOML, PEOPLE, FILES, NOT_SUBJECTS, fold_accents=True)
