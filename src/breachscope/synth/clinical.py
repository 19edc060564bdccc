"""Clinical vocabularies: real ICD-10-CM and CPT codes, LOINC lab tests, drugs, imaging.

Codes are real and valid (tests check the ICD-10-CM ones against ``simple_icd_10_cm``);
the people they are attached to are not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    icd10: str  # with the dot, as coders write it
    description: str  # the official short-ish description
    words: str  # how a clinician writes it in a narrative
    drugs: tuple[tuple[str, str, str], ...]  # (drug, strength, sig)


CONDITIONS: tuple[Condition, ...] = (
    Condition("E11.9", "Type 2 diabetes mellitus without complications", "type 2 diabetes",
              (("Metformin", "500 mg", "by mouth twice daily"), ("Glipizide", "5 mg", "once daily before breakfast"))),
    Condition("E11.65", "Type 2 diabetes mellitus with hyperglycemia", "poorly controlled type 2 diabetes with hyperglycemia",
              (("Insulin glargine", "20 units", "subcutaneously at bedtime"), ("Metformin", "1000 mg", "twice daily"))),
    Condition("I10", "Essential (primary) hypertension", "essential hypertension",
              (("Lisinopril", "10 mg", "once daily"), ("Amlodipine", "5 mg", "once daily"))),
    Condition("E78.5", "Hyperlipidemia, unspecified", "hyperlipidemia",
              (("Atorvastatin", "40 mg", "at bedtime"), ("Simvastatin", "20 mg", "nightly"))),
    Condition("J44.9", "Chronic obstructive pulmonary disease, unspecified", "COPD",
              (("Tiotropium", "18 mcg", "inhaled once daily"), ("Albuterol HFA", "90 mcg", "2 puffs every 4-6 hours as needed"))),
    Condition("J45.909", "Unspecified asthma, uncomplicated", "asthma",
              (("Fluticasone HFA", "110 mcg", "2 puffs twice daily"), ("Albuterol HFA", "90 mcg", "2 puffs as needed"))),
    Condition("I48.91", "Unspecified atrial fibrillation", "atrial fibrillation",
              (("Apixaban", "5 mg", "twice daily"), ("Metoprolol succinate", "50 mg", "once daily"))),
    Condition("I50.9", "Heart failure, unspecified", "congestive heart failure",
              (("Furosemide", "40 mg", "once daily"), ("Carvedilol", "12.5 mg", "twice daily"))),
    Condition("N18.30", "Chronic kidney disease, stage 3 unspecified", "chronic kidney disease stage 3",
              (("Losartan", "50 mg", "once daily"),)),
    Condition("F32.9", "Major depressive disorder, single episode, unspecified", "major depressive disorder",
              (("Sertraline", "50 mg", "once daily"), ("Escitalopram", "10 mg", "once daily"))),
    Condition("F41.1", "Generalized anxiety disorder", "generalized anxiety disorder",
              (("Buspirone", "10 mg", "twice daily"),)),
    Condition("K21.9", "Gastro-esophageal reflux disease without esophagitis", "GERD",
              (("Omeprazole", "20 mg", "once daily before breakfast"), ("Pantoprazole", "40 mg", "once daily"))),
    Condition("E03.9", "Hypothyroidism, unspecified", "hypothyroidism",
              (("Levothyroxine", "75 mcg", "once daily on an empty stomach"),)),
    Condition("M17.11", "Unilateral primary osteoarthritis, right knee", "osteoarthritis of the right knee",
              (("Meloxicam", "15 mg", "once daily"),)),
    Condition("M54.50", "Low back pain, unspecified", "low back pain",
              (("Cyclobenzaprine", "10 mg", "at bedtime as needed"), ("Ibuprofen", "600 mg", "every 8 hours as needed"))),
    Condition("G47.33", "Obstructive sleep apnea (adult) (pediatric)", "obstructive sleep apnea", ()),
    Condition("E66.9", "Obesity, unspecified", "obesity", ()),
    Condition("D64.9", "Anemia, unspecified", "anemia",
              (("Ferrous sulfate", "325 mg", "once daily"),)),
    Condition("G43.909", "Migraine, unspecified, not intractable, without status migrainosus", "migraine headaches",
              (("Sumatriptan", "50 mg", "at onset, may repeat once"),)),
    Condition("M81.0", "Age-related osteoporosis without current pathological fracture", "osteoporosis",
              (("Alendronate", "70 mg", "once weekly"),)),
    Condition("C50.911", "Malignant neoplasm of unspecified site of right female breast", "right breast cancer",
              (("Anastrozole", "1 mg", "once daily"),)),
    Condition("C61", "Malignant neoplasm of prostate", "prostate cancer",
              (("Leuprolide", "22.5 mg", "IM every 3 months"),)),
    Condition("B20", "Human immunodeficiency virus [HIV] disease", "HIV disease",
              (("Bictegravir/emtricitabine/tenofovir alafenamide", "50/200/25 mg", "once daily"),)),
    Condition("F10.20", "Alcohol dependence, uncomplicated", "alcohol use disorder",
              (("Naltrexone", "50 mg", "once daily"),)),
    Condition("O09.90", "Supervision of high risk pregnancy, unspecified, unspecified trimester", "high-risk pregnancy",
              (("Prenatal vitamin", "1 tablet", "once daily"),)),
    Condition("Z00.00", "Encounter for general adult medical examination without abnormal findings", "annual wellness examination", ()),
)  # fmt: skip

PEDIATRIC: tuple[Condition, ...] = (
    Condition("J06.9", "Acute upper respiratory infection, unspecified", "upper respiratory infection",
              (("Acetaminophen", "160 mg/5 mL", "every 6 hours as needed"),)),
    Condition("H66.90", "Otitis media, unspecified, unspecified ear", "ear infection (otitis media)",
              (("Amoxicillin", "400 mg/5 mL", "twice daily for 10 days"),)),
    Condition("J45.909", "Unspecified asthma, uncomplicated", "asthma",
              (("Albuterol HFA", "90 mcg", "2 puffs as needed"),)),
    Condition("F90.9", "Attention-deficit hyperactivity disorder, unspecified type", "ADHD",
              (("Methylphenidate ER", "18 mg", "every morning"),)),
    Condition("L20.9", "Atopic dermatitis, unspecified", "eczema",
              (("Hydrocortisone 2.5% cream", "thin layer", "twice daily"),)),
    Condition("Z00.129", "Encounter for routine child health examination without abnormal findings", "well-child visit", ()),
)  # fmt: skip

# CPT codes that are procedures/services (not imaging), with descriptions.
CPT: tuple[tuple[str, str], ...] = (
    ("99213", "Office/outpatient visit, established patient, low MDM"),
    ("99214", "Office/outpatient visit, established patient, moderate MDM"),
    ("99215", "Office/outpatient visit, established patient, high MDM"),
    ("99203", "Office/outpatient visit, new patient, low MDM"),
    ("99204", "Office/outpatient visit, new patient, moderate MDM"),
    ("99223", "Initial hospital inpatient care, high MDM"),
    ("99232", "Subsequent hospital inpatient care, moderate MDM"),
    ("99283", "Emergency department visit, moderate MDM"),
    ("36415", "Collection of venous blood by venipuncture"),
    ("80053", "Comprehensive metabolic panel"),
    ("85025", "Complete blood count with automated differential"),
    ("83036", "Hemoglobin A1c"),
    ("93000", "Electrocardiogram, routine, with interpretation and report"),
    ("90471", "Immunization administration"),
    ("96372", "Therapeutic injection, subcutaneous or intramuscular"),
    ("97110", "Therapeutic exercises, each 15 minutes"),
    ("G0439", "Annual wellness visit, subsequent"),
    ("29881", "Arthroscopy, knee, surgical; with meniscectomy"),
    ("45378", "Colonoscopy, flexible; diagnostic"),
)

IMAGING: tuple[tuple[str, str], ...] = (
    ("Chest X-ray, 2 views", "No acute cardiopulmonary process."),
    ("CT abdomen and pelvis with contrast", "No acute abnormality. Small hepatic cyst."),
    (
        "MRI lumbar spine without contrast",
        "Mild degenerative disc disease at L4-L5 without stenosis.",
    ),
    ("Screening mammogram, bilateral", "BI-RADS 1: negative."),
    ("CT head without contrast", "No acute intracranial abnormality."),
    ("Ultrasound, right upper quadrant", "Cholelithiasis without cholecystitis."),
    ("X-ray right knee, 3 views", "Moderate medial joint space narrowing."),
    ("Echocardiogram, transthoracic", "LVEF 55-60%. No significant valvular disease."),
)


@dataclass(frozen=True)
class LabTest:
    loinc: str
    name: str
    units: str
    low: float
    high: float
    decimals: int

    @property
    def ref_range(self) -> str:
        return f"{self.low:.{self.decimals}f}-{self.high:.{self.decimals}f}"

    def value(self, rng: random.Random) -> str:
        span = self.high - self.low
        v = rng.uniform(self.low - 0.25 * span, self.high + 0.4 * span)
        return f"{max(v, 0):.{self.decimals}f}"


LABS: tuple[LabTest, ...] = (
    LabTest("4548-4", "Hemoglobin A1c", "%", 4.0, 5.6, 1),
    LabTest("2345-7", "Glucose", "mg/dL", 70, 99, 0),
    LabTest("2160-0", "Creatinine", "mg/dL", 0.6, 1.3, 2),
    LabTest("33914-3", "eGFR", "mL/min/1.73m2", 60, 120, 0),
    LabTest("718-7", "Hemoglobin", "g/dL", 12.0, 17.5, 1),
    LabTest("6690-2", "WBC", "10*3/uL", 4.0, 11.0, 1),
    LabTest("777-3", "Platelets", "10*3/uL", 150, 400, 0),
    LabTest("2093-3", "Cholesterol, total", "mg/dL", 125, 200, 0),
    LabTest("13457-7", "LDL cholesterol (calc)", "mg/dL", 40, 100, 0),
    LabTest("2085-9", "HDL cholesterol", "mg/dL", 40, 90, 0),
    LabTest("2571-8", "Triglycerides", "mg/dL", 40, 150, 0),
    LabTest("3016-3", "TSH", "mIU/L", 0.45, 4.5, 2),
    LabTest("2951-2", "Sodium", "mmol/L", 135, 145, 0),
    LabTest("2823-3", "Potassium", "mmol/L", 3.5, 5.1, 1),
    LabTest("1742-6", "ALT", "U/L", 7, 56, 0),
)


@dataclass(frozen=True)
class Payer:
    payer: str  # the insurer
    plan: str  # the product a member is enrolled in
    prefix: str  # member-ID prefix; "MBI" = Medicare Beneficiary Identifier


EXTERNAL_PAYERS: tuple[Payer, ...] = (
    Payer("Aetna", "Aetna Choice POS II", "W"),
    Payer("UnitedHealthcare", "UnitedHealthcare Choice Plus", "9"),
    Payer("Cigna", "Cigna Open Access Plus", "U"),
    Payer("Humana", "Humana Gold Plus HMO", "H"),
    Payer("Anthem", "Anthem Blue Access PPO", "XAE"),
    Payer("Kaiser Permanente", "KP Silver 70 HMO", "KP"),
    Payer("Tricare", "TRICARE Select", "T"),
)
MEDICARE = Payer("Medicare", "Medicare Part B", "MBI")
MEDICAID = Payer("Medicaid", "State Medicaid", "MCD")


def npi_check_digit(first9: str) -> str:
    """NPI check digit: Luhn over the 9 digits prefixed with the card-issuer code 80840."""
    return luhn_check_digit("80840" + first9)


def luhn_check_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def npi_valid(npi: str) -> bool:
    return len(npi) == 10 and npi[0] in "12" and luhn_valid("80840" + npi)


def make_npi(rng: random.Random) -> str:
    body = rng.choice("12") + "".join(rng.choice("0123456789") for _ in range(8))
    return body + npi_check_digit(body)


def make_card(rng: random.Random) -> str:
    """A Luhn-valid 16-digit Visa-range number (never issued: synthetic)."""
    body = "4" + "".join(rng.choice("0123456789") for _ in range(14))
    return body + luhn_check_digit(body)


_MBI_ALPHA = "ACDEFGHJKMNPQRTUVWXY"  # MBI letters exclude S, L, O, I, B, Z


def make_mbi(rng: random.Random) -> str:
    """A Medicare Beneficiary Identifier in CMS format (C A AN N A AN N A A N N)."""
    an = _MBI_ALPHA + "0123456789"
    d = "0123456789"
    parts = [
        rng.choice("123456789"), rng.choice(_MBI_ALPHA), rng.choice(an), rng.choice(d),
        rng.choice(_MBI_ALPHA), rng.choice(an), rng.choice(d),
        rng.choice(_MBI_ALPHA), rng.choice(_MBI_ALPHA), rng.choice(d), rng.choice(d),
    ]  # fmt: skip
    return "".join(parts)


def ssn_valid(ssn: str) -> bool:
    """SSA rules: area not 000/666/9xx, group not 00, serial not 0000."""
    if len(ssn) != 9 or not ssn.isdigit():
        return False
    area, group, serial = ssn[:3], ssn[3:5], ssn[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
