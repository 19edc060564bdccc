"""A second held-out evidence set, independent of ``heldout_cases.py`` and the generator.

The breach: a medical-coding vendor's file share, holding work for a Texas payer and a
hospital. Every file is built in ``tmp_path`` at test time with its truth beside it. The
styles were chosen before reading how detection works: a payer eligibility extract with
compact mainframe headings, ``CCYYMMDD`` births, 9-digit ZIP+4 and a trailer record; a
pipe-delimited claims file with no heading row and a provider tax ID in every row; a
coding worklist workbook with a merged title block and its heading in row 4; a TSV
whose names are ``FIRST MI LAST`` and whose dates are ``3-Jan-1958``; a deeply nested
JSON export with ``1958.01.03`` dates; a JSON-lines audit log with dotted keys; a
fixed-width roster with ``MMDDYYYY`` births; an abstract whose headings are misspelt; a
remittance detail whose ``ID``, ``Tax ID``, ``Claim Number`` and ``Provider Name`` are
all look-alikes; a pharmacy fill list with DEA and NPI numbers; a coder's query memo.
Then six more: Excel's UTF-16 "Unicode Text" with Spanish headings and two surnames; an
interface extract with HL7 segment-field headings and ``LAST^FIRST`` names; a report
saved as CSV with its heading repeated on every page; a web-form export with a two-line
address in one quoted cell; a Windows-1252 referral log with Oracle ``DD-MON-YY``
births; and a sheet with two tables stacked one under the other.

Names carry particles, apostrophes, hyphens and accents (``de la Cruz``, ``O'Neil``,
``Nguyen-Tran``, ``Al-Masri``, ``Ramírez``). All names, dates and numbers are invented;
SSNs pass the area/group/serial rules but belong to no one; NPIs pass the Luhn check.

Scoring is ``heldout_scoring.py``'s, with names compared without accents, case, spaces
or punctuation (``DE LA CRUZ`` is ``de la Cruz``; ``RAMIREZ`` is ``Ramírez``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

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
name = "Held-out evidence 2"
discovery_date = 2025-02-06
access_start = 2025-01-27
access_end = 2025-02-06

[reporting_entity]
name = "Acme Coding Partners, LLC"
role = "business_associate"

[[clients]]
id = "heldout2"
name = "St. Brigid Medical Center"
kind = "provider"
covered_entity = true
paths = ["**"]

[settings]
workers = 1
encrypt = false
"""


PEOPLE: dict[str, Person] = {
    "delacruz_r": Person("Ricardo", "de la Cruz", "1964-08-30"),
    "delacruz_m": Person("Maria", "de la Cruz", "1966-03-14"),
    "delacruz_t": Person("Mateo", "de la Cruz", "2009-10-02"),
    "oneil": Person("Siobhan", "O'Neil", "1958-01-03"),
    "nguyentran": Person("Thao", "Nguyen-Tran", "1983-07-22"),
    "pham": Person("Lan", "Pham", "1949-11-05"),
    "almasri": Person("Yousef", "Al-Masri", "1971-02-09"),
    "abdullah": Person("Fatima", "Abdullah", "1995-12-01"),
    "ramirez": Person("José", "Ramírez", "1952-06-17"),
    "mcallister": Person("Douglas", "McAllister", "1944-09-28"),
    "mensah": Person("Kwame", "Mensah", "1988-04-19"),
    "whitfield": Person("Eleanor", "Whitfield-Burke", "1937-05-06"),
    "dangelo": Person("Anthony", "D'Angelo", "1976-10-11"),
    "ortiz": Person("Guadalupe", "Ortiz Vega", "1979-12-12"),
    "medina": Person("Rosario", "Medina Soto", "1961-07-04"),
    "fuentes": Person("Héctor", "Fuentes Ibarra", "1990-03-27"),
    "munoz": Person("Sofía", "Muñoz", "2001-05-30"),
}

# Providers and the vendor's own staff: never data subjects.
NOT_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("Samir", "Khoury"),
    ("Ana", "Beltran"),
    ("Victor", "Osei"),
    ("Ingrid", "Lindqvist"),
    ("Nadia", "Brightwater"),
    ("Helga", "Sorensen"),
)

_cats = cats


# --------------------------------------------------------------------------- the files


def payer_eligibility() -> bytes:
    """A payer's eligibility extract: mainframe headings, the subscriber's name on every
    row, ``CCYYMMDD`` births, 9-digit ZIP+4 with no dash, 10-digit phones, E/S/D
    relationship codes, a ``99991231`` open end date and a trailer record."""
    head = (
        "SUBSCR_LNAME,SUBSCR_FNAME,MBR_NBR,MBR_LNAME,MBR_FNAME,MBR_MI,BRTH_DT,GNDR_CD,"
        "MBR_SSN,REL_CD,ADDR_LN_1,ADDR_LN_2,CITY_NM,ST_CD,ZIP_CD,PHN_NBR,EFF_DT,TERM_DT"
    )
    rows = [
        "DE LA CRUZ,RICARDO,TXB771203401,DE LA CRUZ,RICARDO,A,19640830,M,645217793,E,"
        "2207 MESQUITE TRL,,EL PASO,TX,799361123,9158724410,20240101,99991231",
        "DE LA CRUZ,RICARDO,TXB771203402,DE LA CRUZ,MARIA,L,19660314,F,645218804,S,"
        "2207 MESQUITE TRL,,EL PASO,TX,799361123,9158724410,20240101,99991231",
        "DE LA CRUZ,RICARDO,TXB771203403,DE LA CRUZ,MATEO,,20091002,M,,D,"
        "2207 MESQUITE TRL,,EL PASO,TX,799361123,9158724410,20240101,99991231",
        "O'NEIL,SIOBHAN,TXB880145520,O'NEIL,SIOBHAN,M,19580103,F,531448207,E,"
        "41 KILBOURN ST,APT 2,WORCESTER,MA,016042219,5087923318,20230701,20251231",
    ]
    return ("\n".join([head, *rows, "TRAILER,RECORD COUNT=0000004"]) + "\n").encode()


PAYER_TRUTH: Expected = {
    "delacruz_r": _cats("name dob ssn address member_id phone"),
    "delacruz_m": _cats("name dob ssn address member_id phone"),
    "delacruz_t": _cats("name dob address member_id phone"),
    "oneil": _cats("name dob ssn address member_id phone"),
}


def claims_headerless() -> bytes:
    """Claim lines from an 837P flattening job: pipe-delimited, no heading row, a trailing
    pipe; the billing provider's tax ID (a 9-digit number) repeats across patients and
    the rendering NPI is a 10-digit number; neither is the patient's."""
    rows = [
        "25010800412|1|RAMIREZ|JOSE|19520617|M|LAC30918876|E11.65|I10|99214|25|1|185.00|"
        "20250108|1657382903|842917365|",
        "25010800412|2|RAMIREZ|JOSE|19520617|M|LAC30918876|E11.65||83036||1|42.00|"
        "20250108|1657382903|842917365|",
        "25010800413|1|AL-MASRI|YOUSEF|19710209|M|BCN88301264|M54.50||97110|GP|4|220.00|"
        "20250107|1342987769|842917365|",
        "25010800414|1|WHITFIELD-BURKE|ELEANOR|19370506|F|ANT77019224|I48.91|Z79.01|93000||1|"
        "65.00|20250106|1920045816|271048336|",
        "25010800415|1|D'ANGELO|ANTHONY|19761011|M|HZN60327741|F41.1||90837||1|160.00|"
        "20250109|1488231071|271048336|",
    ]
    return ("\n".join(rows) + "\n").encode()


# The rendering NPI is the treating provider's public identifier (NPPES): provider.
CLAIMS_TRUTH: Expected = {
    k: _cats("name dob member_id diagnosis procedure provider")
    for k in ("ramirez", "almasri", "whitfield", "dangelo")
}


def coding_worklist_xlsx() -> bytes:
    """The vendor's own worklist: a merged two-line title, a blank row, the heading in
    row 4 with punctuated abbreviations, real date cells, the last four of the SSN (not
    an SSN), the treating provider and the coder (staff) on every row."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Worklist")
    title = wb.add_format({"bold": True, "font_size": 14})
    dfmt = wb.add_format({"num_format": "m/d/yyyy"})
    ws.merge_range(0, 0, 0, 9, "Acme Coding Partners - Client: St. Brigid Medical Center", title)
    ws.merge_range(1, 0, 1, 9, "Coding Worklist  01/06/2025 - 01/10/2025")
    ws.write_row(
        3,
        0,
        [
            "Pt. Name (Last, First)",
            "D.O.B",
            "SSN (last 4)",
            "Ins. ID #",
            "DOS",
            "Dx Code(s)",
            "CPT/HCPCS",
            "Provider Name",
            "Coder",
            "Status",
        ],
    )
    rows = [
        ("O'Neil, Siobhan", (1958, 1, 3), "8207", "TXB880145520", (2025, 1, 6), "E11.9, I10",
         "99214", "Khoury, Samir MD"),
        ("Nguyen-Tran, Thao", (1983, 7, 22), "6630", "HCS660412907", (2025, 1, 7), "O24.410",
         "59025", "Beltran, Ana CNM"),
        ("de la Cruz, Maria", (1966, 3, 14), "8804", "TXB771203402", (2025, 1, 8), "N92.0",
         "58558", "Khoury, Samir MD"),
        ("Mensah, Kwame", (1988, 4, 19), "", "CFD20448817", (2025, 1, 9), "J45.40", "94010",
         "Osei, Victor DO"),
    ]  # fmt: skip
    for k, (name, dob, last4, ins, dos, dx, cpt, prov) in enumerate(rows):
        r = 4 + k
        ws.write_string(r, 0, name)
        ws.write_datetime(r, 1, dt.datetime(*dob), dfmt)
        ws.write_string(r, 2, last4)
        ws.write_string(r, 3, ins)
        ws.write_datetime(r, 4, dt.datetime(*dos), dfmt)
        ws.write_string(r, 5, dx)
        ws.write_string(r, 6, cpt)
        ws.write_string(r, 7, prov)
        ws.write_string(r, 8, "Lindqvist, Ingrid")
        ws.write_string(r, 9, "Coded")
    wb.close()
    return buf.getvalue()


WORKLIST_TRUTH: Expected = {
    k: _cats("name dob member_id diagnosis procedure provider")
    for k in ("oneil", "nguyentran", "delacruz_m", "mensah")
}


def daily_appts_tsv() -> bytes:
    """A front-desk day sheet: ``FIRST MI LAST`` in one column, ``3-Jan-1958`` births,
    home and cell phones, a driver's licence and its state, the resource (provider)."""
    head = [
        "Appt Time",
        "Patient (First MI Last)",
        "DOB",
        "Home Ph",
        "Cell Ph",
        "E-Mail Addr",
        "Drivers Lic #",
        "Lic St",
        "Resource",
        "Visit Type",
    ]
    rows = [
        ["08:30", "SIOBHAN M O'NEIL", "3-Jan-1958", "508-792-3318", "",
         "siobhan.oneil58@example.com", "S48213977", "MA", "KHOURY, SAMIR", "F/U"],
        ["09:00", "THAO NGUYEN-TRAN", "22-Jul-1983", "", "713-981-2267", "thao.nt@example.net",
         "31840276", "TX", "BELTRAN, ANA", "OB"],
        ["09:30", "LAN T PHAM", "5-Nov-1949", "408-274-9931", "", "", "", "", "OSEI, VICTOR",
         "NEW"],
        ["10:00", "KWAME MENSAH", "19-Apr-1988", "", "202-986-3304", "mensah.kwame@example.com",
         "3817264", "DC", "OSEI, VICTOR", "F/U"],
        ["10:30", "ANTHONY J D'ANGELO", "11-Oct-1976", "973-622-8840", "", "",
         "D21456789012345", "NJ", "KHOURY, SAMIR", "NEW"],
    ]  # fmt: skip
    lines = ["\t".join(head)] + ["\t".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


APPTS_TRUTH: Expected = {
    "oneil": _cats("name dob phone email drivers_license provider"),
    "nguyentran": _cats("name dob phone email drivers_license provider"),
    "pham": _cats("name dob phone provider"),
    "mensah": _cats("name dob phone email drivers_license provider"),
    "dangelo": _cats("name dob phone drivers_license provider"),
}


def portal_export_json() -> bytes:
    """A member-portal export: a wrapper object, records nested three deep
    (``member.demographics.dob``), ``1971.02.09`` dates, the primary care provider as a
    nested object with an NPI."""

    def rec(
        mid: str, first: str, last: str, dob: str, email: str, mobile: str,
        addr: tuple[str, str, str, str], plan: str, pcp: tuple[str, str],
    ) -> dict[str, Any]:  # fmt: skip
        return {
            "member": {
                "id": mid,
                "demographics": {
                    "name": {"first": first, "last": last},
                    "dob": dob,
                    "gender": "U",
                },
                "contact": {"email": email, "phone": {"mobile": mobile}},
                "residence": {
                    "street": addr[0],
                    "city": addr[1],
                    "state": addr[2],
                    "postal": addr[3],
                },
            },
            "coverage": {"planName": plan, "status": "active"},
            "pcp": {"displayName": pcp[0], "npi": pcp[1]},
        }

    doc = {
        "exportedAt": "2025-01-11T04:00:12Z",
        "source": "member-portal",
        "count": 3,
        "records": [
            rec("BCN88301264", "Yousef", "Al-Masri", "1971.02.09", "y.almasri@example.net",
                "313-584-0917", ("2214 Warren Ave", "Dearborn", "MI", "48126"),
                "Great Lakes Choice HMO", ("Victor Osei, DO", "1342987769")),
            rec("EMP55190032", "Fatima", "Abdullah", "1995.12.01",
                "fatima.abdullah95@example.org", "718-643-2250",
                ("77 Atlantic Ave Apt 5C", "Brooklyn", "NY", "11201"),
                "Empire Essential EPO", ("Samir Khoury, MD", "1657382903")),
            rec("BNC11782309", "Douglas", "McAllister", "1944.09.28", "dmcallister@example.com",
                "910-295-6612", ("19 Glen Eagle Ct", "Pinehurst", "NC", "28374"),
                "Carolina Medicare Advantage", ("Victor Osei, DO", "1342987769")),
        ],
    }  # fmt: skip
    return json.dumps(doc, indent=2, ensure_ascii=False).encode()


PORTAL_TRUTH: Expected = {
    k: _cats("name dob member_id email phone address health_plan provider")
    for k in ("almasri", "abdullah", "mcallister")
}


def audit_jsonl() -> bytes:
    """A JSON-lines audit log with flattened dotted keys: who viewed which member. The
    actor is the vendor's staff member, with her own e-mail."""
    recs = [
        ("2025-01-11T14:02:09Z", "ANT77019224", "Eleanor", "Whitfield-Burke", "05061937"),
        ("2025-01-11T14:05:41Z", "LAC30918876", "José", "Ramírez", "06171952"),
        ("2025-01-11T14:09:13Z", "HZN60327741", "Anthony", "D'Angelo", "10111976"),
    ]
    lines = [
        json.dumps(
            {
                "ts": ts,
                "event": "member.view",
                "actor.name": "Nadia Brightwater",
                "actor.email": "nbrightwater@acmecoding.example",
                "member.id": mid,
                "member.demographics.firstName": first,
                "member.demographics.lastName": last,
                "member.demographics.dob": dob,
            },
            ensure_ascii=False,
        )
        for ts, mid, first, last, dob in recs
    ]
    return ("\n".join(lines) + "\n").encode()


AUDIT_TRUTH: Expected = {
    k: _cats("name dob member_id") for k in ("whitfield", "ramirez", "dangelo")
}


def fixed_width_roster() -> bytes:
    """A mainframe print of a roster: a page heading, a heading line over dashes,
    ``MMDDYYYY`` births, SSNs with no dashes, 5-digit ZIPs."""
    lines = [
        "ST BRIGID MEDICAL CENTER                   PATIENT ROSTER                  PAGE    1",
        "RUN DATE 01/10/25",
        "",
        "LAST NAME           FIRST NAME   MI  DOB       SSN        ZIP    MRN",
        "------------------- ------------ --  --------  ---------  -----  --------",
        "MCALLISTER          DOUGLAS      R   09281944  149652203  28374  M0431187",
        "WHITFIELD-BURKE     ELEANOR          05061937  402779185  04609  M0431190",
        "PHAM                LAN          T   11051949  611304478  95122  M0431202",
        "AL-MASRI            YOUSEF           02091971  356821147  48126  M0431215",
        "",
        "TOTAL PATIENTS:     4",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


ROSTER_TRUTH: Expected = {
    k: _cats("name dob ssn address mrn") for k in ("mcallister", "whitfield", "pham", "almasri")
}


def abstract_typos() -> bytes:
    """A hospital abstract with misspelt headings and ``1944.09.28`` dates; ICD-10-PCS
    procedure codes."""
    lines = [
        "Patinet Name,Medcial Rec #,Birth Dte,Admision Date,Prinicpal Dx,Secondry Dx,"
        "Proceedure,Attending Physican,Discharge Dispostion",
        '"MCALLISTER, DOUGLAS R",M0431187,1944.09.28,2024.12.02,I21.4,E78.5,02703ZZ,'
        '"KHOURY, SAMIR",Home',
        '"WHITFIELD-BURKE, ELEANOR",M0431190,1937.05.06,2024.12.05,S72.001A,I48.91,0SR9019,'
        '"OSEI, VICTOR",SNF',
        '"RAMIREZ, JOSE L",M0431198,1952.06.17,2024.12.09,E11.52,I70.262,0Y6N0Z0,'
        '"KHOURY, SAMIR",Home',
        '"PHAM, LAN T",M0431202,1949.11.05,2024.12.14,J44.1,J96.01,5A09357,"OSEI, VICTOR",Home',
    ]
    return ("\n".join(lines) + "\n").encode()


ABSTRACT_TRUTH: Expected = {
    k: _cats("name mrn dob diagnosis procedure provider")
    for k in ("mcallister", "whitfield", "ramirez", "pham")
}


def remittance_lookalikes() -> bytes:
    """An 835 remittance detail as CSV: the provider's NPI under ``ID``, the provider's
    tax ID as 9 bare digits, a 13-digit claim number, a check number; only ``Patient``
    and ``Patient DOB`` are about the data subject."""
    lines = [
        "ID,Provider Name,Tax ID,Claim Number,Patient,Patient DOB,CPT,Billed,Paid,Check #",
        '1342987769,"Osei, Victor DO",842917365,2501070041301,"Al-Masri, Yousef",02/09/1971,'
        "97110,220.00,131.40,0004471822",
        '1488231071,"Khoury, Samir MD",271048336,2501090041501,"D\'Angelo, Anthony",10/11/1976,'
        "90837,160.00,112.00,0004471822",
        '1920045816,"Osei, Victor DO",271048336,2501060041401,"Whitfield-Burke, Eleanor",'
        "05/06/1937,93000,65.00,17.22,0004471830",
        '1657382903,"Khoury, Samir MD",842917365,2501080041201,"Ramírez, José",06/17/1952,'
        "99214,185.00,121.09,0004471830",
    ]
    return ("\n".join(lines) + "\n").encode()


REMIT_TRUTH: Expected = {
    k: _cats("name dob procedure provider") for k in ("almasri", "dangelo", "whitfield", "ramirez")
}


def pharmacy_fills() -> bytes:
    """Pharmacy fills: ``MMDDYYYY`` dates without separators, an Rx number, NDC codes, the
    prescriber's DEA and NPI numbers."""
    lines = [
        "Rx #,Fill Dt,Pt Last,Pt First,Pt DOB,NDC,Drug Desc,Qty,Days Supply,Prescriber,"
        "Prescriber DEA,Prescriber NPI",
        "6604418,01092025,Abdullah,Fatima,12011995,00093-1048-01,Metformin HCl 500 mg tab,60,30,"
        '"Khoury, Samir",BK4429315,1657382903',
        "6604419,01092025,O'Neil,Siobhan,01031958,00378-0018-01,Lisinopril 10 mg tab,30,30,"
        '"Khoury, Samir",BK4429315,1657382903',
        "6604425,01092025,Mensah,Kwame,04191988,00173-0682-20,Albuterol HFA 90 mcg inhaler,1,30,"
        '"Osei, Victor",BO7731220,1342987769',
    ]
    return ("\n".join(lines) + "\n").encode()


PHARMACY_TRUTH: Expected = {
    k: _cats("name dob medication provider") for k in ("abdullah", "oneil", "mensah")
}


def coder_query_memo() -> bytes:
    """A coder's query to a physician, in prose."""
    text = """\
PHYSICIAN QUERY - Acme Coding Partners
To: Samir Khoury, MD
From: Ingrid Lindqvist, CCS
Date: 01/08/2025

Re: Thao Nguyen-Tran, DOB 07/22/1983, MRN M0431233

Dr. Khoury, the record for this admission documents "gestational diabetes, on insulin"
(O24.414) but the medication list shows metformin only. Please clarify whether the
patient's gestational diabetes is insulin-controlled or controlled by oral agents.

Thank you,
Ingrid Lindqvist
"""
    return text.encode()


MEMO_TRUTH: Expected = {
    "nguyentran": _cats("name dob mrn diagnosis medication provider"),
}


def excel_unicode_text() -> bytes:
    """Excel's "Unicode Text" export: UTF-16LE with a BOM, tab-separated, CRLF; Spanish
    headings with two surnames (paternal, maternal), day-first dates."""
    lines = [
        "Apellido Paterno\tApellido Materno\tNombre(s)\tFecha de Nac.\tTeléfono\tCorreo",
        "Ortiz\tVega\tGuadalupe\t12/12/1979\t(915) 433-2087\tlupita.ortiz@example.com",
        "Medina\tSoto\tRosario\t04/07/1961\t915-771-3054\trmedina61@example.net",
        "Fuentes\tIbarra\tHéctor\t27/03/1990\t915 858 6120\thfuentes@example.org",
    ]
    return "\ufeff".encode("utf-16-le") + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


UNICODE_TRUTH: Expected = {k: _cats("name dob phone email") for k in ("ortiz", "medina", "fuentes")}


def interface_extract() -> bytes:
    """An interface-engine extract: HL7 segment-field headings, names and providers as
    ``^``-separated components, ``CCYYMMDD`` births."""
    lines = [
        "MSG_DTTM,PID_3_MRN,PID_5_NAME,PID_7_DOB,PID_8_SEX,PV1_7_ATTENDING,DG1_3_DX",
        "20250107093011,M0431233,NGUYEN-TRAN^THAO^^^,19830722,F,1920045816^BELTRAN^ANA^^^CNM,"
        "O24.410",
        "20250107101544,M0431260,MENSAH^KWAME^^^,19880419,M,1342987769^OSEI^VICTOR^^^DO,J45.40",
    ]
    return ("\n".join(lines) + "\n").encode()


INTERFACE_TRUTH: Expected = {
    k: _cats("name dob mrn provider diagnosis") for k in ("nguyentran", "mensah")
}


def statement_report() -> bytes:
    """A report saved as CSV: a title, the heading repeated on each page, page footers,
    a totals line; a guarantor beside each patient."""
    head = "Guarantor Name,Patient Name,Acct #,DOB,Last Pmt Dt,Balance"
    lines = [
        "St. Brigid Medical Center - Aged Balances,,,,,",
        head,
        '"DE LA CRUZ, RICARDO","DE LA CRUZ, MATEO",A20011873,10/02/2009,11/15/2024,245.00',
        '"ABDULLAH, FATIMA","ABDULLAH, FATIMA",A20011902,12/01/1995,12/02/2024,80.00',
        "Page 1 of 2,,,,,",
        head,
        '"D\'ANGELO, ANTHONY","D\'ANGELO, ANTHONY",A20012055,10/11/1976,10/30/2024,1310.55',
        "Page 2 of 2,,,,,",
        "Total,,,,,1635.55",
    ]
    return ("\n".join(lines) + "\n").encode()


STATEMENT_TRUTH: Expected = {
    "delacruz_t": _cats("name mrn dob"),
    "delacruz_r": _cats("name"),
    "abdullah": _cats("name mrn dob"),
    "dangelo": _cats("name mrn dob"),
}


def intake_multiline() -> bytes:
    """A web form export: ``First Last`` names, a mailing address over two lines inside
    one quoted cell, carrier and policy number."""
    lines = [
        "Submitted,Patient Name (First Last),Date of Birth,Mailing Address,Preferred Phone,"
        "Insurance Carrier,Policy #",
        '2025-01-04 18:22,Kwame Mensah,04/19/1988,"2650 Georgia Ave NW\nWashington, DC 20001",'
        "202-986-3304,CareFirst BlueChoice,CFD20448817",
        '2025-01-05 09:10,Eleanor Whitfield-Burke,05/06/1937,"12 Hawthorne Ln\nBar Harbor, ME '
        '04609",207-288-4417,Anthem Medicare Advantage,ANT77019224',
        '2025-01-05 11:47,Lan T. Pham,11/05/1949,"1530 Tully Rd\nSan Jose, CA 95122",'
        "408-274-9931,Medicare,1EG4TE5MK73",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


INTAKE_TRUTH: Expected = {
    k: _cats("name dob address phone health_plan member_id")
    for k in ("mensah", "whitfield", "pham")
}


def referral_log_cp1252() -> bytes:
    """A referral log saved in Windows-1252, Oracle ``DD-MON-YY`` births."""
    lines = [
        "Pt Name,Pt DOB,Referring Dr,Referred To,Dx",
        '"Ramírez, José",17-JUN-52,"Khoury, Samir","Osei, Victor",I70.262',
        '"Muñoz, Sofía",30-MAY-01,"Beltran, Ana","Khoury, Samir",N83.201',
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


REFERRAL_TRUTH: Expected = {k: _cats("name dob provider diagnosis") for k in ("ramirez", "munoz")}


def stacked_tables_xlsx() -> bytes:
    """One sheet, two tables one under the other, each with its own heading row."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Jan")
    ws.write(0, 0, "INPATIENT")
    ws.write_row(1, 0, ["Name", "MRN", "Adm Dt", "DOB"])
    ws.write_row(2, 0, ["Al-Masri, Yousef", "M0431215", "01/02/2025", "02/09/1971"])
    ws.write_row(3, 0, ["McAllister, Douglas", "M0431187", "01/03/2025", "09/28/1944"])
    ws.write(5, 0, "OUTPATIENT")
    ws.write_row(6, 0, ["Patient", "DOB", "Visit Dt", "CPT"])
    ws.write_row(7, 0, ["O'Neil, Siobhan", "01/03/1958", "01/06/2025", "99214"])
    ws.write_row(8, 0, ["Abdullah, Fatima", "12/01/1995", "01/07/2025", "99203"])
    wb.close()
    return buf.getvalue()


STACKED_TRUTH: Expected = {
    "almasri": _cats("name mrn dob"),
    "mcallister": _cats("name mrn dob"),
    "oneil": _cats("name dob procedure"),
    "abdullah": _cats("name dob procedure"),
}


FILES: tuple[EvidenceFile, ...] = (
    EvidenceFile(
        "txblue/EligExtract_20250112.csv",
        payer_eligibility,
        PAYER_TRUTH,
        "mainframe headings, CCYYMMDD, ZIP+4 no dash, trailer",
    ),
    EvidenceFile(
        "txblue/claims/837P_FLAT_20250110.dat",
        claims_headerless,
        CLAIMS_TRUTH,
        "pipe, no heading, tax ID and NPI columns",
    ),
    EvidenceFile(
        "worklists/Coding_Worklist_Jan2025.xlsx",
        coding_worklist_xlsx,
        WORKLIST_TRUTH,
        "merged title, heading in row 4, SSN last 4",
    ),
    EvidenceFile(
        "stbrigid/Daily_Appts_0113.tsv",
        daily_appts_tsv,
        APPTS_TRUTH,
        "FIRST MI LAST, d-Mon-yyyy, driver's licence",
    ),
    EvidenceFile(
        "portal/member_export.json",
        portal_export_json,
        PORTAL_TRUTH,
        "nested JSON, yyyy.mm.dd",
    ),
    EvidenceFile(
        "portal/audit_20250111.jsonl", audit_jsonl, AUDIT_TRUTH, "JSON lines, dotted keys"
    ),
    EvidenceFile(
        "stbrigid/HOSP_ROSTER.TXT", fixed_width_roster, ROSTER_TRUTH, "fixed width, MMDDYYYY"
    ),
    EvidenceFile(
        "stbrigid/Abstract_Dec2024.csv", abstract_typos, ABSTRACT_TRUTH, "misspelt headings"
    ),
    EvidenceFile(
        "txblue/ERA_835_detail.csv",
        remittance_lookalikes,
        REMIT_TRUTH,
        "ID=NPI, Tax ID, claim number",
    ),
    EvidenceFile(
        "stbrigid/rx_fills_0109.csv", pharmacy_fills, PHARMACY_TRUTH, "MMDDYYYY, DEA, Rx #"
    ),
    EvidenceFile("worklists/query_0108.txt", coder_query_memo, MEMO_TRUTH, "prose memo"),
    EvidenceFile(
        "clinica/pacientes_unicode.txt",
        excel_unicode_text,
        UNICODE_TRUTH,
        "UTF-16LE tab text, two surnames, DD/MM",
    ),
    EvidenceFile(
        "interfaces/adt_extract.csv",
        interface_extract,
        INTERFACE_TRUTH,
        "HL7 field headings, ^ components",
    ),
    EvidenceFile(
        "stbrigid/aged_balances.csv",
        statement_report,
        STATEMENT_TRUTH,
        "report: repeated heading, page footers, guarantor",
    ),
    EvidenceFile(
        "intake/web_forms.csv", intake_multiline, INTAKE_TRUTH, "multi-line quoted address"
    ),
    EvidenceFile(
        "stbrigid/referral_log.csv", referral_log_cp1252, REFERRAL_TRUTH, "cp1252, DD-MON-YY"
    ),
    EvidenceFile(
        "worklists/Jan_by_setting.xlsx", stacked_tables_xlsx, STACKED_TRUTH, "stacked tables"
    ),
)


SET = HeldoutSet(CASE_TOML, PEOPLE, FILES, NOT_SUBJECTS, fold_accents=True)
