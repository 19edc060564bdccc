"""The synthetic breach generator: reproducible, and its ground truth matches its evidence."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from breachscope.case import load_case, walk_evidence
from breachscope.categories import ELEMENT_SET
from breachscope.synth import generate_case
from breachscope.synth.clinical import CONDITIONS, CPT, PEDIATRIC, npi_valid, ssn_valid
from breachscope.synth.office_formats import document_text, member_bytes
from breachscope.synth.truth import Truth, TruthMention, TruthPerson, load_truth

PEOPLE = 200
SEED = 7


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "case"
    generate_case(out, people=PEOPLE, seed=SEED)
    return out


@pytest.fixture(scope="module")
def truth(case_dir: Path) -> Truth:
    return load_truth(case_dir)


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).upper()


# Files whose row numbers count messages, claims, resources or records, not text lines.
_STRUCTURED = (
    ".hl7",
    ".txt.hl7",
    ".x12",
    ".837",
    ".835",
    ".edi",
    ".json",
    ".ndjson",
    ".xml",
    ".parquet",
    ".sqlite",
    ".db",
    ".sql",
    ".html",
    ".htm",
    ".eml",
    ".msg",
    ".mllp",
    ".dat",
)


class Evidence:
    """Reads evidence files and archive members (``a.zip!b.zip!c.csv``) as bytes."""

    def __init__(self, root: Path, passwords: tuple[str, ...]) -> None:
        self.root = root
        self.passwords = [p.encode() for p in passwords]

    def read(self, path: str) -> bytes:
        parts = path.split("!")
        data = (self.root / parts[0]).read_bytes()
        for member in parts[1:]:
            other = member_bytes(data, member)  # TAR, 7z, e-mail attachments
            if other is not None:
                data = other
                continue
            z = zipfile.ZipFile(io.BytesIO(data))
            info = z.getinfo(member)
            pwd = self.passwords[0] if info.flag_bits & 1 else None
            data = z.read(member, pwd=pwd)
        return data

    def table_rows(self, path: str, sheet: str | None) -> list[list[str]]:
        data = self.read(path)
        if sheet is not None:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            return [
                [_cell(v) for v in r]
                for r in wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            ]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        first = text.split("\n", 1)[0]
        delim = max(("\t", "|", ","), key=first.count)
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]


def _cell(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


@pytest.fixture(scope="module")
def evidence(case_dir: Path) -> Evidence:
    case = load_case(case_dir / "case.toml")
    return Evidence(case.evidence, case.settings.passwords)


# --------------------------------------------------------------------------- case file


def test_case_file_loads_and_globs_cover_client_files(case_dir: Path) -> None:
    case = load_case(case_dir / "case.toml")
    assert case.incident.discovery_date == dt.date(2025, 2, 6)
    assert case.incident.access_start == dt.date(2025, 1, 27)
    assert case.reporting_entity.role == "business_associate"
    kinds = {c.kind for c in case.clients}
    assert {"provider", "health_plan"} <= kinds and len(case.clients) >= 3
    assert all(c.org_names for c in case.clients)
    files = walk_evidence(case.evidence)
    for c in case.clients:
        assert any(c.matches(f) for f in files), c.id
    assert all(len(case.clients_for_path(f)) <= 1 for f in files)


def test_same_seed_same_case(tmp_path: Path, case_dir: Path) -> None:
    again = tmp_path / "again"
    generate_case(again, people=PEOPLE, seed=SEED)
    for name in ("people.csv", "mentions.csv", "files.csv"):
        assert (again / "truth" / name).read_bytes() == (case_dir / "truth" / name).read_bytes(), (
            name
        )
    assert (again / "case.toml").read_text() == (case_dir / "case.toml").read_text()
    for rel in walk_evidence(case_dir / "evidence"):
        assert (again / "evidence" / rel).read_bytes() == (
            case_dir / "evidence" / rel
        ).read_bytes(), rel


def test_other_seed_other_people(tmp_path: Path, truth: Truth) -> None:
    generate_case(tmp_path / "other", people=50, seed=SEED + 1)
    other = load_truth(tmp_path / "other")
    assert len(other.people) == 50
    names = {(p.first_name, p.last_name, p.dob) for p in truth.people.values()}
    assert len(names & {(p.first_name, p.last_name, p.dob) for p in other.people.values()}) < 5


def test_regenerating_into_a_foreign_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "mine.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        generate_case(tmp_path, people=5)
    assert (tmp_path / "evidence" / "mine.txt").exists()


# --------------------------------------------------------------------------- people


def test_people_and_special_cases(truth: Truth) -> None:
    people = list(truth.people.values())
    assert len(people) == PEOPLE
    assert any(p.is_minor for p in people)
    assert any(p.is_deceased for p in people)
    assert any(len(p.clients) == 2 for p in people)
    assert any(not p.ssn for p in people)
    assert len({p.state for p in people}) >= 15
    for p in people:
        assert p.elements <= ELEMENT_SET and "name" in p.elements
        assert not p.ssn or ssn_valid(p.ssn)
        if "address" in p.elements:
            assert re.fullmatch(r"\d{5}", p.zip) and re.fullmatch(r"[A-Z]{2}", p.state)
        else:  # no address of theirs in the evidence: their state is unknowable from it
            assert p.zip == p.state == p.street == ""
        born = dt.date.fromisoformat(p.dob)
        age = 2025 - born.year - ((born.month, born.day) > (2, 6))
        assert p.is_minor == (age < 18)
    # The edge of majority: 18 on the discovery date is not a minor, a day younger is.
    dobs = {p.dob: p.is_minor for p in people}
    assert dobs.get("2007-02-06") is False and dobs.get("2007-02-07") is True


def test_households_jr_sr_and_twins(truth: Truth) -> None:
    people = list(truth.people.values())
    by_addr: dict[tuple[str, str], list[TruthPerson]] = defaultdict(list)
    for p in people:
        by_addr[(p.street, p.zip)].append(p)
    jr_sr = twins = 0
    for group in by_addr.values():
        sfx = {(p.first_name, p.last_name, p.suffix) for p in group}
        if any((f, la, "Jr") in sfx and (f, la, "Sr") in sfx for f, la, _ in sfx):
            jr_sr += 1
        seen: dict[tuple[str, str], set[str]] = defaultdict(set)
        for p in group:
            seen[(p.last_name, p.dob)].add(p.first_name)
        twins += any(len(v) >= 2 for v in seen.values())
    assert jr_sr >= 1 and twins >= 1


def test_every_person_mentioned_and_elements_are_the_union(
    truth: Truth, evidence: Evidence, case_dir: Path
) -> None:
    """Each person is mentioned under each of their clients: by path, or by an org name."""
    case = load_case(case_dir / "case.toml")
    by_org = {n: c.id for c in case.clients for n in c.org_names}
    union: dict[str, set[str]] = defaultdict(set)
    clients_seen: dict[str, set[str]] = defaultdict(set)
    for m in truth.mentions:
        assert m.elements <= ELEMENT_SET
        union[m.person_id] |= m.elements
        owners = case.clients_for_path(m.path)
        if not owners:
            assert m.row_no is not None
            owners = [by_org[evidence.table_rows(m.path, None)[m.row_no - 1][0]]]
        clients_seen[m.person_id].update(owners)
    for pid, p in truth.people.items():
        assert union[pid] == set(p.elements), pid
        assert clients_seen[pid] == set(p.clients), pid


def test_movers_have_an_old_address_and_two_current_ones(truth: Truth, evidence: Evidence) -> None:
    old_files = [
        f.path
        for f in truth.files
        if ("/archive/" in f.path or "/old_system/" in f.path) and "!" not in f.path
    ]
    assert old_files
    movers = 0
    by_person: dict[str, list[TruthMention]] = defaultdict(list)
    for m in truth.mentions:
        by_person[m.person_id].append(m)
    for path in old_files:
        rows = evidence.table_rows(path, None)
        for m in (m for m in truth.mentions if m.path == path):
            p = truth.people[m.person_id]
            assert m.row_no is not None
            if p.zip not in " ".join(rows[m.row_no - 1]):
                movers += 1
                current = [
                    x
                    for x in by_person[p.person_id]
                    if "address" in x.elements and x.path not in old_files
                ]
                assert len({x.path for x in current}) >= 2, p.person_id
    assert movers >= 1


# --------------------------------------------------------------------------- locators


def test_mention_rows_point_at_the_person(truth: Truth, evidence: Evidence) -> None:
    cache: dict[tuple[str, str | None], list[list[str]]] = {}
    checked = 0
    for m in truth.mentions:
        if m.row_no is None or m.path.lower().endswith(_STRUCTURED):
            continue  # structured formats number messages / records: their own tests check them
        key = (m.path, m.sheet)
        if key not in cache:
            cache[key] = evidence.table_rows(m.path, m.sheet)
        row = _fold(" ".join(cache[key][m.row_no - 1]))
        p = truth.people[m.person_id]
        born = dt.date.fromisoformat(p.dob)
        clues = [_fold(p.last_name), _fold(p.first_name), p.ssn, born.isoformat(), born.strftime("%Y%m%d"),
                 born.strftime("%m/%d/%Y")]  # fmt: skip
        assert any((c and c in row) or (c and c in row.replace(" ", "")) for c in clues), (
            m.path,
            m.row_no,
        )
        checked += 1
        if m.path.endswith(("834_member_roster_2025-02.csv", "lab_results_2025-01.csv")):
            assert _fold(p.last_name) in row
    assert checked > PEOPLE


def test_text_mentions_name_the_person(truth: Truth, evidence: Evidence) -> None:
    import docx
    import pypdfium2 as pdfium

    for m in truth.mentions:
        if m.row_no is not None:
            continue
        data = evidence.read(m.path)
        other = document_text(m.path, data)
        if other is not None:
            text = other
        elif data.startswith(b"%PDF"):
            pdf = pdfium.PdfDocument(data)
            pages = [m.page - 1] if m.page is not None else range(len(pdf))
            text = "\n".join(pdf[i].get_textpage().get_text_range() for i in pages)
            if not text.strip():
                continue  # an image-only (scanned) page: only OCR reads it
            assert m.page is not None
        elif m.path.lower().endswith((".png", ".tif", ".tiff", ".jpg", ".jpeg")):
            continue  # a fax image: only OCR reads it
        elif data.startswith(b"PK"):
            text = "\n".join(par.text for par in docx.Document(io.BytesIO(data)).paragraphs)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
        p = truth.people[m.person_id]
        folded = _fold(text)
        assert _fold(p.last_name) in folded or _fold(p.first_name) in folded, (m.path, p.person_id)


def test_last_four_ssn_is_not_ssn(truth: Truth) -> None:
    appts = [m for m in truth.mentions if m.path.endswith("appointments_feb.csv")]
    assert appts and all("ssn" not in m.elements for m in appts)


def test_mislabelled_pdf_is_processed_with_a_person(truth: Truth, evidence: Evidence) -> None:
    f = next(f for f in truth.files if f.path.endswith("patient_statement_0131.csv"))
    assert evidence.read(f.path).startswith(b"%PDF")
    assert f.expected_status == "processed" and f.n_people == 1


# --------------------------------------------------------------------------- files


def test_files_truth_covers_the_evidence(truth: Truth, evidence: Evidence, case_dir: Path) -> None:
    listed = {f.path: f for f in truth.files}
    on_disk = set(walk_evidence(case_dir / "evidence"))
    assert on_disk <= set(listed)
    for path in listed:
        if "!" in path:
            evidence.read(path)  # member exists and decrypts with the case's password
        else:
            assert path in on_disk
    for m in truth.mentions:
        assert listed[m.path].expected_status == "processed", m.path
    assert any(p.count("!") >= 2 for p in listed), "a zip nested in a zip"
    got = {(f.expected_status, f.expected_reason) for f in truth.files}
    for want in [
        ("failed", "corrupt"),
        ("failed", "encrypted"),
        ("skipped", "empty"),
        ("skipped", "unsupported"),
    ]:
        assert want in got
    people_per_path: dict[str, set[str]] = defaultdict(set)
    for m in truth.mentions:
        people_per_path[m.path].add(m.person_id)
    for f in truth.files:
        assert f.n_people == len(people_per_path.get(f.path, ())), f.path
    noise = [
        f
        for f in truth.files
        if f.expected_status == "processed" and f.n_people == 0 and "!" not in f.path
    ]
    assert any(f.path.endswith("staff_directory.xlsx") for f in noise)


def test_encrypted_archive_without_password_hides_its_members(
    truth: Truth, evidence: Evidence
) -> None:
    enc = next(f for f in truth.files if f.expected_reason == "encrypted")
    z = zipfile.ZipFile(io.BytesIO(evidence.read(enc.path)))
    with pytest.raises(RuntimeError):
        z.read(z.namelist()[0], pwd=evidence.passwords[0])
    assert not any(f.path.startswith(enc.path + "!") for f in truth.files)


# --------------------------------------------------------------------------- codes


def test_clinical_codes_are_valid() -> None:
    import simple_icd_10_cm as icd

    for c in CONDITIONS + PEDIATRIC:
        assert icd.is_valid_item(c.icd10) and icd.is_leaf(c.icd10), c.icd10
    assert all(re.fullmatch(r"\d{5}|G\d{4}", code) for code, _ in CPT)


def test_npis_in_claims_are_valid(truth: Truth, evidence: Evidence) -> None:
    rows = evidence.table_rows("blue-horizon-health-plan/claims/claims_extract_Q4_2024.txt", None)
    col = rows[0].index("RENDERING_NPI")
    npis = [r[col] for r in rows[1:] if r]
    assert npis and all(npi_valid(n) for n in npis)
    ssns = [
        r[9]
        for r in evidence.table_rows(
            "blue-horizon-health-plan/eligibility/834_member_roster_2025-02.csv", None
        )[1:]
        if r[9]
    ]
    assert ssns and all(ssn_valid(s) for s in ssns)


def test_deceased_people_are_marked_somewhere(truth: Truth, evidence: Evidence) -> None:
    """Each deceased person has a mention whose row or text says so (status, flag, date)."""
    dead = {pid for pid, p in truth.people.items() if p.is_deceased}
    assert dead
    marked: set[str] = set()
    for m in truth.mentions:
        if m.person_id not in dead or m.row_no is None:
            continue
        rows = evidence.table_rows(m.path, m.sheet)
        row = rows[m.row_no - 1]
        header = next((r for r in rows if any(c in ("Deceased", "Date of Death") for c in r)), [])
        text = _fold(" ".join(row))
        flagged = header and "Deceased" in header and row[header.index("Deceased")] == "Y"
        dated = header and "Date of Death" in header and row[header.index("Date of Death")]
        if flagged or dated or "DECEASED" in text or "EXPIRED" in text:
            marked.add(m.person_id)
    assert marked == dead
