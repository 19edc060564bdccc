"""Content of per-person documents: charts (PDF), letters and forms (DOCX), notes and
e-mails (TXT). Each builder returns the document and the element categories it exposes
for each person in it, so the ground truth follows the text exactly.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from breachscope.synth import clinical, render
from breachscope.synth.clients import DISCOVERY, HORIZON, VENDOR_DOMAIN, ClientDef
from breachscope.synth.docwriters import Line
from breachscope.synth.people import Person, Provider

PERIOD = (dt.date(2024, 9, 1), dt.date(2025, 2, 4))


@dataclass
class Doc:
    lines: list[Line] = field(default_factory=list)
    elements: set[str] = field(default_factory=set)

    def add(self, style: str, text: str, *elements: str) -> None:
        self.lines.append((style, text))
        self.elements.update(elements)

    @property
    def text(self) -> str:
        return "\n".join(t for s, t in self.lines if s != "page") + "\n"


def _day(rng: random.Random, p: Person) -> dt.date:
    lo, hi = PERIOD
    d = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
    if p.deceased_on and d >= p.deceased_on:
        d = p.deceased_on - dt.timedelta(days=rng.randint(2, 9))
    return d


def _meds(p: Person) -> list[tuple[str, str, str]]:
    return [d for c in p.conditions for d in c.drugs]


def _staff(rng: random.Random) -> str:
    from breachscope.synth import pools

    sex = rng.choice("FM")
    return f"{pools.first_names(sex).draw(rng)} {pools.last_names().draw(rng)}"


def _he(p: Person) -> str:
    return "She" if p.sex == "F" else "He"


def _narrative(p: Person, rng: random.Random) -> str:
    age = p.age
    who = "female" if p.sex == "F" else "male"
    conds = [c for c in p.conditions if not c.icd10.startswith("Z")]
    hist = (
        f"a history of {', '.join(c.words for c in conds)}" if conds else "no significant history"
    )
    aged = f"{age}-year-old" if age >= 1 else f"{max((DISCOVERY - p.dob).days // 30, 1)}-month-old"
    return (
        f"{p.first} is a {aged} {who} with {hist} who presents for "
        f"{rng.choice(('follow-up', 'evaluation of worsening symptoms', 'scheduled care', 'a routine visit'))}. "
        f"{_he(p)} reports {rng.choice(('good adherence to medications', 'intermittent fatigue', 'no new complaints', 'shortness of breath on exertion', 'poor sleep'))}. "
        f"Vital signs were stable; BP {rng.randint(104, 168)}/{rng.randint(60, 98)}, "
        f"HR {rng.randint(58, 104)}."
    )


# --------------------------------------------------------------------------- PDF charts


def discharge_summary(
    p: Person, client: ClientDef, rng: random.Random, doc_provider: Provider
) -> Doc:
    """Hospital discharge summary: ``Patient: SMITH, JOHN A`` header, narrative, meds, labs."""
    d = Doc()
    nf = render.NameForm(p, rng, upper=True)
    admit = _day(rng, p)
    disch = admit + dt.timedelta(days=rng.randint(1, 6))
    dead = p.deceased_on is not None and rng.random() < 0.5
    if dead and p.deceased_on:
        disch = p.deceased_on
        admit = disch - dt.timedelta(days=rng.randint(1, 6))
    d.add("title", client.name.upper())
    d.add("h", "DISCHARGE SUMMARY")
    d.add("b", f"Patient: {nf.last_first()}        MRN: {p.mrn(client.id)}", "name", "mrn")
    d.add(
        "p",
        f"DOB: {render.date(p.dob, 'mdy')}    Sex: {'Female' if p.sex == 'F' else 'Male'}",
        "dob",
    )
    d.add(
        "p",
        f"Admission Date: {render.date(admit, 'mdy')}    Discharge Date: {render.date(disch, 'mdy')}",
    )
    d.add("p", f"Attending Physician: {doc_provider.formal}", "provider")
    if rng.random() < 0.4:
        d.add("p", f"Address: {render.full_address(p.address, 'abbr')}", "address")
    d.add("", "")
    d.add("h", "HISTORY OF PRESENT ILLNESS")
    d.add("p", _narrative(p, rng), "diagnosis")
    d.add("h", "DISCHARGE DIAGNOSES")
    with_codes = rng.random() < 0.5
    for i, c in enumerate(p.conditions, 1):
        d.add("p", f"{i}. {c.description}" + (f" ({c.icd10})" if with_codes else ""), "diagnosis")
    meds = _meds(p)
    if meds:
        d.add("h", "DISCHARGE MEDICATIONS")
        for name, strength, sig in meds:
            d.add("p", f"- {name} {strength} {sig}", "medication")
    if rng.random() < 0.7:
        d.add("h", "PERTINENT RESULTS")
        for lab in rng.sample(clinical.LABS, k=3):
            d.add(
                "p",
                f"{lab.name}: {lab.value(rng)} {lab.units} (ref {lab.ref_range})",
                "test_result",
            )
    if rng.random() < 0.35:
        exam, imp = rng.choice(clinical.IMAGING)
        d.add("h", "IMAGING")
        d.add("p", f"{exam} ({render.date(admit, 'mdy')}): {imp}", "imaging")
    if rng.random() < 0.3:
        d.add("page", "")
        d.add("b", f"{nf.last_first()} - MRN {p.mrn(client.id)} (continued)")
        d.add("h", "HOSPITAL COURSE")
        for _ in range(3):
            d.add("p", _narrative(p, rng))
    d.add("h", "DISPOSITION")
    if dead and p.deceased_on:
        d.add("p", f"Patient expired on {render.date(p.deceased_on, 'mdy')}. Family notified.")
    else:
        d.add("p", rng.choice(("Discharged home in stable condition.", "Discharged to skilled nursing facility.",
                               "Discharged home with home health services.")))  # fmt: skip
    d.add("p", f"Electronically signed by {doc_provider.display} on {render.date(disch, 'mdy')}")
    return d


def progress_note(p: Person, client: ClientDef, rng: random.Random, doc_provider: Provider) -> Doc:
    """Clinic progress note: ``Name: John Smith``, Date of Birth in words, SOAP sections."""
    d = Doc()
    nf = render.NameForm(p, rng, nickname_rate=0.0)
    visit = _day(rng, p)
    d.add("title", client.name)
    d.add("h", "Office Visit - Progress Note")
    d.add("b", f"Name: {nf.first_last()}", "name")
    d.add("p", f"Date of Birth: {render.date(p.dob, 'long')}", "dob")
    d.add("p", f"Chart #: {p.mrn(client.id)}    Visit Date: {render.date(visit, 'mdy')}", "mrn")
    d.add("p", f"Provider: {doc_provider.formal}", "provider")
    if p.phone and rng.random() < 0.5:
        d.add("p", f"Phone: {render.phone(p.phone, 'paren')}", "phone")
    d.add("h", "Subjective")
    d.add("p", _narrative(p, rng), "diagnosis")
    d.add("h", "Assessment and Plan")
    meds = {c.icd10: c.drugs for c in p.conditions}
    for c in p.conditions:
        line = f"{c.words.capitalize()}"
        if rng.random() < 0.5:
            line += f" - {c.icd10}"
        if meds[c.icd10]:
            name, strength, sig = meds[c.icd10][0]
            line += f". Continue {name} {strength} {sig}."
            d.elements.add("medication")
        d.add("p", line, "diagnosis")
    if rng.random() < 0.4:
        lab = rng.choice(clinical.LABS)
        d.add("p", f"Labs reviewed: {lab.name} {lab.value(rng)} {lab.units}.", "test_result")
    return d


def lab_report(p: Person, client: ClientDef, rng: random.Random, doc_provider: Provider) -> Doc:
    d = Doc()
    nf = render.NameForm(p, rng, upper=True, fold=True)
    coll = _day(rng, p)
    d.add("title", client.name)
    d.add("h", "CUMULATIVE LABORATORY REPORT")
    d.add("b", f"PATIENT: {nf.last_first(middle='none')}", "name")
    d.add(
        "p",
        f"DOB: {render.date(p.dob, 'iso')}   SEX: {p.sex}   PATIENT ID: {p.mrn(client.id)}",
        "dob",
        "mrn",
    )
    d.add("p", f"ORDERING PHYSICIAN: {doc_provider.listing}   NPI: {doc_provider.npi}", "provider")
    d.add("p", f"COLLECTED: {render.date(coll, 'mdy')} 07:{rng.randint(10, 59)}")
    d.add("", "")
    d.add("mono", f"{'TEST':<28}{'RESULT':>10}  {'UNITS':<14}{'REFERENCE':<14}LOINC")
    for lab in rng.sample(clinical.LABS, k=rng.randint(3, 6)):
        d.add(
            "mono",
            f"{lab.name:<28}{lab.value(rng):>10}  {lab.units:<14}{lab.ref_range:<14}{lab.loinc}",
            "test_result",
        )
    d.add("", "")
    d.add(
        "p",
        f"Clinical indication: {p.conditions[0].icd10} {p.conditions[0].description}",
        "diagnosis",
    )
    return d


def care_plan(p: Person, client: ClientDef, rng: random.Random, doc_provider: Provider) -> Doc:
    d = Doc()
    nf = render.NameForm(p, rng)
    d.add("title", f"{HORIZON.org_names[0]} - Care Management")
    d.add("h", "Individualized Care Plan")
    d.add("b", f"Member Name: {nf.first_last(middle='none')}", "name")
    d.add("p", f"Member ID: {p.member_id}    Plan: {p.plan}", "member_id", "health_plan")
    d.add("p", f"Date of Birth: {render.date(p.dob, 'mdy')}", "dob")
    d.add("p", f"Primary Care Provider: {doc_provider.display}", "provider")
    d.add("p", f"Care Manager: {_staff(rng)}, RN")
    if p.deceased_on:
        d.add("p", f"Member status: Deceased (date of death {render.date(p.deceased_on, 'mdy')})")
    d.add("h", "Active Problems")
    for c in p.conditions:
        d.add("p", f"- {c.words.capitalize()} ({c.icd10})", "diagnosis")
    meds = _meds(p)
    if meds:
        d.add("h", "Medication List")
        for name, strength, sig in meds:
            d.add("p", f"- {name} {strength}, {sig}", "medication")
    d.add("h", "Goals")
    d.add("p", "Reduce avoidable ED visits; medication adherence above 80%; annual wellness visit.")
    return d


# --------------------------------------------------------------------------- DOCX


def horizon_letter(p: Person, rng: random.Random) -> Doc:
    d = Doc()
    nf = render.NameForm(p, rng)
    a = p.address
    when = _day(rng, p)
    d.add("b", "Blue Horizon Health Plan")
    d.add("p", "P.O. Box 3300, Grand Rapids, MI 49501")
    d.add("p", render.date(when, "long"))
    if p.is_minor:
        d.add("p", f"To the Parent or Guardian of {nf.first_last(middle='none')}", "name")
    elif p.deceased_on:
        d.add("p", f"To the Estate of {nf.first_last()}", "name")
    else:
        d.add("p", nf.first_last(), "name")
    d.add("p", a.street, "address")
    d.add("p", f"{a.city}, {a.state} {render.zip_code(a, rng.random() < 0.4)}", "address")
    code, desc = rng.choice(clinical.CPT)
    kind = rng.choice(("auth", "welcome"))
    d.add(
        "b",
        "RE: Prior Authorization Determination" if kind == "auth" else "RE: Your Member ID Card",
    )
    d.add("p", f"Member ID: {p.member_id}", "member_id")
    d.add("p", render.salutation(p, nf.last))
    if kind == "auth":
        d.add(
            "p",
            f"We have approved the request from your provider for {desc[0].lower() + desc[1:]} (CPT {code}) under your "
            f"{p.plan} coverage. This approval is valid for 90 days.",
            "procedure", "health_plan",
        )  # fmt: skip
    else:
        d.add("p", f"Welcome to {p.plan}. Your new member ID card is enclosed.", "health_plan")
    if p.deceased_on:
        d.add("p", "Please accept our condolences. Coverage ended on the date of death.")
    d.add("p", "If you have questions, call Member Services at 1-800-555-0142 (TTY 711).")
    d.add("p", "Sincerely,")
    d.add("p", "Member Services, Blue Horizon Health Plan")
    return d


def records_request(p: Person, client: ClientDef, rng: random.Random) -> Doc:
    d = Doc()
    nf = render.NameForm(p, rng)
    d.add("title", client.name)
    d.add("p", "Health Information Management - Release of Information")
    d.add("p", render.date(_day(rng, p), "long"))
    d.add("b", "RE: Request for medical records")
    d.add(
        "p",
        f"Patient: {nf.first_last()}    Date of Birth: {render.date(p.dob, 'mdy')}",
        "name",
        "dob",
    )
    d.add("p", f"Medical Record Number: {p.mrn(client.id)}", "mrn")
    d.add("p", "To Whom It May Concern:")
    d.add(
        "p",
        f"Enclosed are the records requested for the above patient, including the discharge summary "
        f"for {p.conditions[0].description.lower()} and the medication list.",
        "diagnosis",
    )
    d.add("p", f"Release coordinator: {_staff(rng)}")
    return d


def intake_form(p: Person, client: ClientDef, rng: random.Random) -> Doc:
    d = Doc()
    nf = render.NameForm(p, rng)
    a = p.address
    d.add("title", f"{client.name} - New Patient Registration")
    d.add("p", f"Last Name: {nf.last}    First Name: {nf.first}    MI: {nf.mi}", "name")
    d.add("p", f"Date of Birth: {render.date(p.dob, 'mdy')}    Sex: {p.sex}", "dob")
    if p.ssn and rng.random() < 0.6:
        d.add("p", f"Social Security No.: {render.ssn(p.ssn, 'dashed')}", "ssn")
    d.add("p", f"Home Address: {a.street}, {a.city}, {a.state} {a.zip}", "address")
    if p.phone:
        d.add("p", f"Home Phone: {render.phone(p.phone, 'dash')}", "phone")
    if p.email:
        d.add("p", f"E-mail: {p.email}", "email")
    if p.drivers_license:
        d.add("p", f"Driver's License #: {p.drivers_license} (State: {a.state})", "drivers_license")
    d.add("p", f"Insurance: {p.plan}    Policy #: {p.member_id}", "health_plan", "member_id")
    d.add("p", f"Reason for visit: {p.conditions[0].words}", "diagnosis")
    d.add("p", "Patient signature on file.")
    return d


# --------------------------------------------------------------------------- TXT


def clinic_note(p: Person, client: ClientDef, rng: random.Random, doc_provider: Provider) -> Doc:
    d = Doc()
    nf = render.NameForm(p, rng, nickname_rate=0.3, typo_rate=0.15, swap_rate=0.05)
    visit = _day(rng, p)
    d.add("", f"{client.org_names[1].upper()} - CLINIC NOTE")
    d.add(
        "",
        f"Pt: {nf.first_last(middle='none')}   DOB {render.date(p.dob, 'mdyy')}   Chart# {p.mrn(client.id)}",
        "name",
        "dob",
        "mrn",
    )
    d.add("", f"DOS: {render.date(visit, 'mdy')}")
    d.add("", "")
    d.add("", "S: " + _narrative(p, rng), "diagnosis")
    d.add("", "O: Exam unremarkable except as noted.")
    c = p.conditions[0]
    d.add("", f"A: {c.words} ({c.icd10.replace('.', '')})", "diagnosis")
    if c.drugs:
        name, strength, sig = c.drugs[0]
        d.add("", f"P: continue {name.lower()} {strength} {sig}; f/u 3 months", "medication")
    else:
        d.add("", "P: f/u 3 months")
    d.add("", f"-- {doc_provider.formal}", "provider")
    return d


def call_note(p: Person, rng: random.Random) -> Doc:
    d = Doc()
    nf = render.NameForm(p, rng, nickname_rate=0.25, typo_rate=0.1)
    d.add("", f"Call date: {render.date(_day(rng, p), 'iso')}    Agent: {_staff(rng)}")
    d.add("", f"Caller: {nf.first_last(middle='none')}, member {p.member_id}", "name", "member_id")
    d.add("", f"Verified identity with DOB {render.date(p.dob, 'mdy')} and address on file.", "dob")
    reason = rng.choice(("claim status", "ID card replacement", "pharmacy coverage", "PCP change"))
    d.add("", f"Reason: {reason}.")
    meds = _meds(p)
    if reason == "pharmacy coverage" and meds:
        d.add(
            "",
            f"Member asked whether {meds[0][0]} {meds[0][1]} is covered on the formulary.",
            "medication",
        )
    if p.deceased_on:
        d.add("", "Caller is the member's daughter; member is deceased. Sent bereavement packet.")
    d.add("", "Resolved on first contact.")
    return d


def query_email(p: Person, client: ClientDef, rng: random.Random) -> Doc:
    d = Doc()
    nf = render.NameForm(p, rng, nickname_rate=0.2, upper=rng.random() < 0.5)
    coder = _staff(rng)
    cdi = _staff(rng)
    c = p.conditions[0]
    d.add(
        "",
        f"From: {coder} <{coder.split()[0].lower()}.{coder.split()[-1].lower()}@{VENDOR_DOMAIN}>",
    )
    d.add("", f"To: {cdi} <cdi@{client.id}.example.org>")
    d.add("", f"Date: {render.date(_day(rng, p), 'long')}")
    d.add("", f"Subject: Coding query - MRN {p.mrn(client.id)}", "mrn")
    d.add("", "")
    d.add("", "Hi,")
    d.add("", "")
    d.add(
        "",
        f"For patient {nf.last_first(middle='none')} (DOB {render.date(p.dob, 'mdy')}), the record documents "
        f"{c.words} but the specificity needed for {c.icd10} is missing. Can the provider clarify?",
        "name", "dob", "diagnosis",
    )  # fmt: skip
    d.add("", "")
    d.add("", f"Thanks,\n{coder}\n{client.org_names[0]} coding team, Keystone Coding")
    return d


def worklog(who: list[Person], client: ClientDef, rng: random.Random) -> tuple[str, list[set[str]]]:
    """A coder's worklog naming one or two patients; the text and each one's categories."""
    coder = _staff(rng)
    lines = [f"Worklog - {coder} - {render.date(_day(rng, who[0]), 'mdy')}", ""]
    out: list[set[str]] = []
    ident_el = "mrn" if client.kind == "provider" else "member_id"
    for i, p in enumerate(who, 1):
        nf = render.NameForm(p, rng, nickname_rate=0.2)
        c = p.conditions[0]
        ident = f"MRN {p.mrn(client.id)}" if ident_el == "mrn" else f"member ID {p.member_id}"
        lines.append(
            f"{i}) {nf.first_last(middle='none')}, DOB {render.date(p.dob, 'mdy')}, {ident}: "
            f"abstracted {c.words} ({c.icd10}); awaiting physician signature."
        )
        lines.append("")
        out.append({"name", "dob", ident_el, "diagnosis"})
    lines.append("No other open items.")
    return "\n".join(lines) + "\n", out
