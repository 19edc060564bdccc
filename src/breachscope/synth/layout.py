"""What each client's evidence looks like: its tables and documents, and who lands in them.

Every client folder gets its own mix of formats and its own spelling of every header, so
no two files agree on how to write a name, a date or an SSN. A :class:`Placement` says
how likely a person of that client is to appear in a table or document; the planner in
``generate.py`` adds the forced ones (the deceased get a file that says so, movers get
an older extract with their previous address, everyone appears at least once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from breachscope.synth import tables as t
from breachscope.synth.clients import HORIZON, LAKESHORE, MERCY, SHARED_FOLDER, TRICOUNTY, ClientDef
from breachscope.synth.people import Person

OLD_PERIOD = (dt.date(2020, 3, 1), dt.date(2021, 11, 30))
MV = MERCY.folder
BH = HORIZON.folder
LP = LAKESHORE.folder
TC = TRICOUNTY.folder
MV_ZIP = f"{MV}/exports/mv_coding_export_20250203.zip"
BH_ZIP = f"{BH}/secure/member_extract_2025-01.zip"
TC_ZIP = f"{TC}/outbound/results_batch_0204.zip"

# Archives the generator encrypts: path -> password (None: a password nobody gave us).
BH_BACKUP = f"{BH}/secure/backup_2023-q2.zip"
ENCRYPTED: dict[str, str | None] = {BH_ZIP: "Horizon#2025", BH_BACKUP: None}


@dataclass(frozen=True)
class DocSpec:
    kind: str  # discharge | progress | labreport | careplan | hletter | records | intake
    #            | clinicnote | callnote | email | worklog
    path: str  # template: {mrn} {member_id} {last} {first} {n} {batch}
    batch: int = 0  # PDFs holding several patients, each from a new page
    once: bool = False  # a single file (e.g. the mislabelled one)

    @property
    def is_pair(self) -> bool:
        return self.kind == "worklog"


@dataclass(frozen=True)
class Placement:
    target: t.TableSpec | DocSpec
    p: float
    who: Callable[[Person], bool] = lambda p: True
    requires: str | None = None  # another chosen table must expose this element
    old: bool = False  # the older extract (movers' previous address)


def adult(p: Person) -> bool:
    return not p.is_minor


def has_drugs(p: Person) -> bool:
    return any(c.drugs for c in p.conditions)


def dependent(p: Person) -> bool:
    return p.relationship != "self"


def _disposition(r: t.Row) -> str:
    return (
        "Expired"
        if r.p.deceased_on
        else r.rng.choice(("Home", "Home", "SNF", "Home Health", "AMA"))
    )


def _term_reason(r: t.Row) -> str:
    return (
        "Deceased"
        if r.p.deceased_on
        else r.rng.choice(("Voluntary", "Moved out of area", "Non-payment", "Aged out"))
    )


def _rel_code(r: t.Row) -> str:
    return {"self": "18", "spouse": "01", "child": "19"}[r.p.relationship]


def _rel_word(r: t.Row) -> str:
    return {"self": "Self", "spouse": "Spouse", "child": "Child"}[r.p.relationship]


def _money(r: t.Row) -> str:
    return f"{r.rng.randint(40, 9000)}.{r.rng.randint(0, 99):02d}"


def _coder(r: t.Row) -> str:
    return r.rng.choice(("A. Whitfield", "R. Okafor", "M. Delgado", "T. Nguyen", "S. Brennan"))


def shared_queue(id_element: str) -> t.TableSpec:
    """The vendor's own work queue: patients of every client, told apart by a client column.

    Its id column holds an MRN for providers' patients, a member ID for the plan's members.
    """
    return t.TableSpec(
        path=f"{SHARED_FOLDER}/work_queue/open_queries_2025-02-05.csv",
        columns=[
            t.const("Client", lambda r: r.rng.choice(r.client.org_names)),
            t.name_lf("Patient Name", mid="none"),
            t.dob("DOB", "mdy"),
            t.col("Patient/Member #", id_element, lambda r: r.p.mrn(r.client.id) if r.client.kind == "provider" else r.p.member_id),
            t.const("Query Type", lambda r: r.rng.choice(("Specificity", "Clinical validation", "POA", "Missing signature"))),
            t.const("Assigned To", _coder),
            t.const("Opened", lambda r: f"{r.service_date:%m/%d/%Y}"),
        ],
    )  # fmt: skip


def _id_element(client: ClientDef) -> str:
    return "mrn" if client.kind == "provider" else "member_id"


def placements(client: ClientDef) -> list[Placement]:
    """The placements of one client, tables first (in the order their files are built)."""
    return {MV: _mercy, BH: _horizon, LP: _lakeshore, TC: _tricounty}[client.id]()


def shared_placement(client: ClientDef) -> Placement:
    return Placement(shared_queue(_id_element(client)), 0.05)


# --------------------------------------------------------------------------- Mercy


def _mercy() -> list[Placement]:
    adt = t.TableSpec(
        path=f"{MV}/registration/ADT_patient_export_20250131.csv",
        columns=[
            t.mrn("MRN"), t.name_lf("Patient Name"), t.dob("DOB", "mdy"), t.sex("Sex"),
            t.ssn("SSN", "dashed"), t.address("Address"), t.phone("Home Phone", "paren"),
            t.plan("Primary Insurance"), t.member_id("Policy #"), t.provider("Attending Physician"),
            t.const("Patient Status", lambda r: "Deceased" if r.p.deceased_on else "Active"),
        ],
        typo_rate=0.02, shows_death=True,
    )  # fmt: skip
    old = t.TableSpec(
        path=f"{MV}/registration/archive/patient_master_2021.txt",
        columns=[
            t.mrn("MRN"), t.last_sfx("LAST"), t.first("FIRST"), t.middle("MI"), t.dob("DOB", "ymd"),
            t.street("STREET", "upper"), t.city("CITY", upper=True), t.state("ST"), t.zipc("ZIP"),
            t.phone("PHONE", "plain"), t.updated("LAST_UPDATED", "mdy"),
        ],
        delimiter="|", encoding="cp1252", header=False, old=True, period=OLD_PERIOD, upper=True, fold=True,
    )  # fmt: skip
    inpatient = t.TableSpec(
        path=f"{MV}/him/coding/coding_summary_jan2025.xlsx",
        sheet="Inpatient",
        title=("Mercy Valley Health System", "Inpatient Coding Summary - January 2025", "Run date: 01/31/2025   Prepared by Keystone Coding"),
        columns=[
            t.record_id("Account #"), t.mrn("MRN"), t.name_lf("Patient"), t.service_date("Admit Date", "mdy"),
            t.dx("Principal Dx"), t.dx_desc("Dx Description"), t.dx2("Secondary Dx"),
            t.provider("Attending", "formal"), t.npi("Attending NPI"),
            t.const("Discharge Disposition", _disposition), t.const("Coder", _coder),
        ],
        blank_every=25, shows_death=True, kind="claim",
    )  # fmt: skip
    outpatient = t.TableSpec(
        path=f"{MV}/him/coding/coding_summary_jan2025.xlsx",
        sheet="Outpatient",
        columns=[
            t.col("Visit Date", None, lambda r: r.service_date), t.mrn("MRN"), t.last("Last Name"),
            t.first("First Name"), t.dob_cell("DOB"), t.dx("Dx Code", dot=False), t.cpt("CPT"),
            t.provider("Rendering Provider", "formal"), t.npi("NPI"),
        ],
        kind="claim",
    )  # fmt: skip
    labs = t.TableSpec(
        path=f"{MV}/lab/results_2025-01.tsv",
        columns=[
            t.mrn("MRN"), t.last("Last Name"), t.first("First Name"), t.dob("Birth Date", "iso"),
            t.service_date("Order Date", "iso"), t.lab_code("LOINC"), t.lab_name("Test Name"),
            t.lab_value("Result"), t.lab_units("Units"), t.lab_range("Ref Range"), t.lab_flag("Flag"),
            t.provider("Ordering Provider", "formal"),
        ],
        delimiter="\t", encoding="utf-8-sig", rows=(1, 4), kind="lab",
    )  # fmt: skip
    rad = t.TableSpec(
        path=f"{MV}/radiology/rad_reports_q4.csv",
        columns=[
            t.record_id("Accession"), t.name_fl("Patient Name"), t.dob("DOB", "dmon"), t.exam("Exam"),
            t.service_date("Exam Date", "mdy"), t.impression("Impression"), t.provider("Radiologist", "formal"),
        ],
        nickname_rate=0.1, kind="imaging",
    )  # fmt: skip
    ub04 = t.TableSpec(
        path=f"{MV_ZIP}!claims/ub04_extract.csv",
        columns=[
            t.record_id("PATIENT_CONTROL_NO"), t.last("PAT_LNAME"), t.first("PAT_FNAME"), t.dob("PAT_DOB", "ymd"),
            t.ssn("PAT_SSN", "plain"), t.street1("PAT_ADDR1"), t.city("PAT_CITY"), t.state("PAT_ST"),
            t.zipc("PAT_ZIP", plus4=True), t.payer("PAYER"), t.member_id("MEMBER_NO"), t.dx("ADMIT_DX", dot=False),
            t.dx2("PRIN_DX", dot=False), t.npi("ATTENDING_NPI"), t.const("TOTAL_CHARGES", _money),
        ],
        upper=True, fold=True, kind="claim",
    )  # fmt: skip
    census = t.TableSpec(
        path=f"{MV_ZIP}!archive/2024_q3_export.zip!census_2024q3.csv",
        columns=[
            t.const("Unit", lambda r: r.rng.choice(("4W", "5E", "ICU", "6N"))),
            t.const("Room", lambda r: str(r.rng.randint(401, 699))), t.name_lf("Patient", mid="none"),
            t.mrn("MRN"), t.service_date("Admit", "mdyy"), t.provider("Attending", "listing"),
        ],
        period=(dt.date(2024, 7, 1), dt.date(2024, 9, 30)), upper=True,
    )  # fmt: skip
    return [
        Placement(adt, 0.65),
        Placement(old, 0.2, old=True),
        Placement(inpatient, 0.4),
        Placement(outpatient, 0.3),
        Placement(labs, 0.3),
        Placement(rad, 0.12),
        Placement(ub04, 0.25),
        Placement(census, 0.12),
        Placement(DocSpec("discharge", f"{MV}/charts/2025/DS_{{mrn}}.pdf"), 0.07),
        Placement(
            DocSpec(
                "discharge",
                f"{MV}/charts/batch/discharge_summaries_batch_{{batch:02d}}.pdf",
                batch=10,
            ),
            0.07,
        ),
        Placement(DocSpec("discharge", f"{MV_ZIP}!charts/DS_{{mrn}}.pdf"), 0.03),
        Placement(DocSpec("records", f"{MV}/him/roi/ROI_{{mrn}}.docx"), 0.04),
        Placement(DocSpec("email", f"{MV}/coding/queries/query_{{n:04d}}.txt"), 0.05),
        Placement(DocSpec("worklog", f"{MV}/coding/worklogs/worklog_{{n:03d}}.txt"), 0.04),
        shared_placement(MERCY),
    ]


# --------------------------------------------------------------------------- Horizon


def _horizon() -> list[Placement]:
    roster = t.TableSpec(
        path=f"{BH}/eligibility/834_member_roster_2025-02.csv",
        columns=[
            t.member_id("MEMBER_ID"), t.const("SUBSCRIBER_ID", lambda r: r.p.subscriber.member_id if r.p.subscriber else r.p.member_id),
            t.const("REL_CD", _rel_code), t.last("LNAME"), t.first("FNAME"), t.middle("MNAME", full=True),
            t.suffix("SFX"), t.dob("BIRTH_DT", "ymd"), t.sex("GENDER"), t.ssn("MEMBER_SSN", "plain"),
            t.street1("ADDR1"), t.unit("ADDR2"), t.city("CITY", upper=True), t.state("STATE"),
            t.zipc("ZIP", plus4=True), t.phone("PHONE", "plain"), t.plan("PLAN_NAME"),
            t.updated("EFF_DT", "ymd"), t.const("TERM_DT", lambda r: ""),
        ],
        upper=True, fold=True,
    )  # fmt: skip
    old = t.TableSpec(
        path=f"{BH}/eligibility/archive/834_member_roster_2021-06.csv",
        columns=list(roster.columns),
        old=True, period=OLD_PERIOD, upper=True, fold=True,
    )  # fmt: skip
    deps = t.TableSpec(
        path=f"{BH}/eligibility/dependents_20250115.csv",
        columns=[
            t.member_id("member id"), t.last("last"), t.first("first"), t.middle("mi"), t.dob("dob", "mdy"),
            t.sex("sex"), t.const("relationship", _rel_word), t.address("address", "long"), t.plan("plan"),
        ],
        header=False, encoding="cp1252", nickname_rate=0.1,
    )  # fmt: skip
    terms = t.TableSpec(
        path=f"{BH}/eligibility/terminated_members_2024.xlsx",
        sheet="Terms",
        title=("Blue Horizon Health Plan", "Terminated Members - Calendar Year 2024"),
        columns=[
            t.member_id("Member ID"), t.name_lf("Member Name", mid="none"), t.dob_cell("Date of Birth"),
            t.service_date("Term Date", "mdy"), t.const("Term Reason", _term_reason), t.dod("Date of Death", "mdy"),
            t.plan("Product"),
        ],
        shows_death=True, period=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    )  # fmt: skip
    claims = t.TableSpec(
        path=f"{BH}/claims/claims_extract_Q4_2024.txt",
        columns=[
            t.record_id("CLAIM_ID"), t.sub_name_lf("SUBSCRIBER_NAME"), t.sub_id("SUBSCRIBER_ID"),
            t.name_lf("PATIENT_NAME"), t.dob("PATIENT_DOB", "mdy"), t.const("REL", _rel_word),
            t.service_date("DOS", "mdy"), t.dx("DX1"), t.dx2("DX2"), t.cpt("CPT"),
            t.provider("RENDERING_PROV", "listing"), t.npi("RENDERING_NPI"), t.const("BILLED_AMT", _money),
            t.plan("PLAN"),
        ],
        delimiter="|", rows=(1, 3), period=(dt.date(2024, 10, 1), dt.date(2024, 12, 31)), kind="claim",
    )  # fmt: skip
    rx = t.TableSpec(
        path=f"{BH}/pharmacy/rx_claims_jan2025.csv",
        columns=[
            t.member_id("Member ID"), t.last("Member Last"), t.first("Member First"), t.dob("DOB", "mdy_dash"),
            t.service_date("Fill Date", "mdy"), t.drug("Drug Name"), t.drug_strength("Strength"),
            t.const("Days Supply", lambda r: r.rng.choice(("30", "90"))), t.provider("Prescriber", "formal"),
            t.npi("Prescriber NPI"),
        ],
        nickname_rate=0.05, typo_rate=0.03, kind="rx",
    )  # fmt: skip
    high_risk = t.TableSpec(
        path=f"{BH}/care_mgmt/high_risk_members.xlsx",
        sheet="High Risk",
        title=("Blue Horizon Health Plan - Care Management", "High-Risk Member Outreach List", "CONFIDENTIAL - contains PHI"),
        columns=[
            t.member_id("Member ID"), t.last("Last Name"), t.first("First Name"), t.dob_cell("DOB"),
            t.ssn_number("SSN"), t.const("Risk Score", lambda r: round(r.rng.uniform(0.4, 6.5), 2)),
            t.dx_desc("Top Condition"), t.pcp("PCP"), t.address("Mailing Address"),
            t.phone("Phone", "dots"), t.email("Email"),
        ],
        blank_every=15,
    )  # fmt: skip
    secure = t.TableSpec(
        path=f"{BH_ZIP}!members.csv",
        columns=[
            t.col("MemberNumber", "member_id", lambda r: r.p.member_id), t.name_fl("Name"), t.dob("DOB", "iso"),
            t.ssn("Social Security Number", "dashed"), t.address("Address", plus4=True), t.phone("Phone", "intl"), t.plan("Plan"),
        ],
    )  # fmt: skip
    return [
        Placement(roster, 0.75),
        Placement(old, 0.2, old=True),
        Placement(deps, 0.3, who=dependent),
        Placement(terms, 0.06),
        Placement(claims, 0.45),
        Placement(rx, 0.3, who=has_drugs),
        Placement(high_risk, 0.15, who=adult),
        Placement(secure, 0.1, requires="name"),
        Placement(
            DocSpec("hletter", f"{BH}/member_services/letters/2025-01/{{member_id}}_letter.docx"),
            0.06,
        ),
        Placement(DocSpec("callnote", f"{BH}/member_services/call_notes/call_{{n:05d}}.txt"), 0.05),
        Placement(
            DocSpec("careplan", f"{BH}/care_mgmt/care_plans_batch_{{batch:02d}}.pdf", batch=8), 0.06
        ),
        Placement(
            DocSpec("worklog", f"{BH}/risk_adjustment/worklogs/ra_worklog_{{n:03d}}.txt"), 0.03
        ),
        shared_placement(HORIZON),
    ]


# --------------------------------------------------------------------------- Lakeshore


def _lakeshore() -> list[Placement]:
    plist = t.TableSpec(
        path=f"{LP}/pm_exports/patient_list.csv",
        columns=[
            t.mrn("Chart #"), t.name_fl("Patient Name", mid="none"), t.dob("Date of Birth", "mdyy"),
            t.ssn("Soc Sec #", "spaced"), t.phone("Home Phone", "paren"), t.phone("Cell Phone", "dash", "cell"),
            t.email("Email"), t.street("Street"), t.city("City"), t.state("State"), t.zipc("Zip"),
            t.deceased_flag("Deceased"), t.pcp("PCP"),
        ],
        encoding="utf-8-sig", upper=True, nickname_rate=0.15, typo_rate=0.03, shows_death=True,
    )  # fmt: skip
    old = t.TableSpec(
        path=f"{LP}/pm_exports/old_system/patient_demographics_2020.csv",
        columns=[
            t.mrn("ACCT"), t.last("Surname"), t.first("Given"), t.dob("Birthdate", "mdy"),
            t.ssn("SSN", "dashed"), t.street("Addr", "long"), t.city("City"), t.state("St"), t.zipc("Zip"),
            t.updated("Updated", "iso"),
        ],
        encoding="cp1252", old=True, period=OLD_PERIOD,
    )  # fmt: skip
    appts = t.TableSpec(
        path=f"{LP}/pm_exports/appointments_feb.csv",
        columns=[
            t.service_date("Appt Date", "mdy"), t.const("Appt Time", lambda r: f"{r.rng.randint(8, 16)}:{r.rng.choice(('00', '15', '30', '45'))}"),
            t.name_lf("Patient", mid="none"), t.dob("DOB", "dmon"), t.ssn("SSN Last 4", "last4"),
            t.provider("Provider", "display"), t.const("Visit Type", lambda r: r.rng.choice(("Follow-up", "New patient", "Annual", "Telehealth"))),
            t.dx_words("Reason"),
        ],
        period=(dt.date(2025, 1, 20), dt.date(2025, 2, 28)), nickname_rate=0.2, swap_rate=0.03, kind="visit",
    )  # fmt: skip
    cards = t.TableSpec(
        path=f"{LP}/billing/card_payments_jan2025.csv",
        columns=[
            t.service_date("Txn Date", "iso"), t.mrn("Patient Acct"), t.name_fl("Cardholder", mid="none"),
            t.card("Card Number"), t.const("Exp", lambda r: f"{r.rng.randint(1, 12):02d}/{r.rng.randint(26, 30)}"),
            t.zipc("Billing Zip"), t.const("Amount", _money),
        ],
        period=(dt.date(2025, 1, 1), dt.date(2025, 1, 31)),
    )  # fmt: skip
    return [
        Placement(plist, 0.7),
        Placement(old, 0.2, old=True),
        Placement(appts, 0.4),
        Placement(cards, 0.12, who=adult),
        Placement(DocSpec("progress", f"{LP}/charts/{{last}}_{{first}}_{{mrn}}.pdf"), 0.08),
        Placement(
            DocSpec("progress", f"{LP}/pm_exports/patient_statement_0131.csv", once=True), 0.5
        ),
        Placement(DocSpec("intake", f"{LP}/forms/intake_{{mrn}}.docx"), 0.05),
        Placement(DocSpec("clinicnote", f"{LP}/notes/2025-01/note_{{n:05d}}.txt"), 0.08),
        Placement(DocSpec("worklog", f"{LP}/notes/coder_worklog_{{n:03d}}.txt"), 0.04),
        shared_placement(LAKESHORE),
    ]


# --------------------------------------------------------------------------- Tri-County


def _tricounty() -> list[Placement]:
    results = t.TableSpec(
        path=f"{TC}/results/lab_results_2025-01.csv",
        columns=[
            t.record_id("Accession"), t.mrn("Patient ID"), t.last("Patient Last"), t.first("Patient First"),
            t.dob("DOB", "mdy"), t.sex("Sex"), t.zipc("Pt Zip"), t.service_date("Collected", "mdy"), t.lab_code("LOINC"),
            t.lab_name("Test"), t.lab_value("Value"), t.lab_units("Units"), t.lab_range("Range"),
            t.lab_flag("Flag"), t.provider("Ordering Physician", "listing"), t.npi("NPI"),
            t.const("Comment", lambda r: "PATIENT DECEASED - REPORT TO PHYSICIAN ONLY" if r.p.deceased_on else ""),
        ],
        rows=(1, 5), kind="lab", shows_death=True, typo_rate=0.02,
    )  # fmt: skip
    old = t.TableSpec(
        path=f"{TC}/archive/patient_index_2021.tsv",
        columns=[
            t.mrn("PatientID"), t.name_lf("PatientName"), t.dob("BirthDate", "iso"), t.ssn("ssn_num", "plain"), t.address("Address", "upper"),
            t.updated("LastVisit", "iso"),
        ],
        delimiter="\t", old=True, period=OLD_PERIOD, upper=True,
    )  # fmt: skip
    reqs = t.TableSpec(
        path=f"{TC}/requisitions/req_batch_0131.xlsx",
        sheet="Sheet1",
        columns=[
            t.mrn("Patient ID"), t.last("LAST"), t.first("FIRST"), t.dob_cell("DOB"), t.address("ADDRESS", "upper", plus4=True),
            t.phone("PHONE", "one"), t.payer("INSURANCE"), t.member_id("POLICY"), t.dx("DX"),
        ],
        header=False, upper=True,
    )  # fmt: skip
    rejected = t.TableSpec(
        path=f"{TC}/requisitions/req_batch_0131.xlsx",
        sheet="Rejected",
        columns=[
            t.mrn("Patient ID"), t.name_lf("Name"), t.dob("DOB", "mdy"),
            t.ssn("SSN", "masked"),
            t.const("Reason", lambda r: r.rng.choice(("Hemolyzed", "QNS", "Unlabeled tube", "Missing order"))),
        ],
    )  # fmt: skip
    specimens = t.TableSpec(
        path=f"{TC}/results/specimen_log_0203.csv",
        columns=[
            t.record_id("Specimen ID"), t.mrn("Patient ID"), t.dob("DOB", "iso"), t.lab_name("Test"),
            t.lab_value("Result"), t.lab_units("Units"),
        ],
        kind="lab",
    )  # fmt: skip
    batch = t.TableSpec(
        path=f"{TC_ZIP}!results.tsv",
        columns=[
            t.mrn("PID"), t.name_lf("PATIENT", mid="none"), t.dob("DOB", "ymd"), t.lab_code("LOINC"),
            t.lab_name("TEST"), t.lab_value("RESULT"), t.lab_units("UNITS"),
        ],
        delimiter="\t", rows=(1, 3), upper=True, fold=True, kind="lab",
    )  # fmt: skip
    return [
        Placement(results, 0.8),
        Placement(old, 0.2, old=True),
        Placement(reqs, 0.35),
        Placement(rejected, 0.04),
        Placement(specimens, 0.2, requires="mrn"),
        Placement(batch, 0.15),
        Placement(DocSpec("labreport", f"{TC}/reports/{{mrn}}_cumulative.pdf"), 0.08),
        Placement(DocSpec("labreport", f"{TC_ZIP}!reports/{{mrn}}.pdf"), 0.05),
        shared_placement(TRICOUNTY),
    ]
