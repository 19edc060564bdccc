"""Generate a synthetic breach case: evidence files, ``case.toml`` and exact ground truth.

The vendor is a medical-coding business associate holding data for four clients: a
hospital system and a physician group (providers), a health plan, and a reference lab.
People are made household by household and dispatched, as they are made, to the tables
and documents of their client(s); rows are appended to open writers, so row numbers and
PDF pages are known the moment a mention is written to the truth.

Expected file status (``truth/files.csv``):

* **processed**: any file of a supported type *by content* that opens — CSV/TSV/pipe
  text, XLSX, PDF, DOCX, TXT, ZIP — including files with no person in them (policies,
  code lists, staff directory, README), archives and their members (an archive itself
  has ``n_people`` 0; its members carry the people), the archive whose password the case
  file lists under ``[settings] passwords``, and a PDF saved with a ``.csv`` name
  (mislabelled: typed by content it is a PDF).
* **skipped** ``empty``: a zero-byte file. **skipped** ``unsupported``: a type the
  pipeline does not read (a Windows executable; a PNG image — no OCR for now).
* **failed** ``corrupt``: a file of a supported type that cannot be read (a PDF cut off
  after 240 bytes; a ``.xlsx`` that is a ZIP signature followed by garbage).
  **failed** ``encrypted``: an encrypted archive whose password nobody supplied. Its
  content is not counted: data the intruder could not read is not a breach of it
  (encryption safe harbour), so its members are not listed and its people are not in
  the truth.

What a mention exposes (``truth/mentions.csv``): only categories whose value is present
for that person there — an empty SSN or phone cell exposes nothing; ``SSN Last 4`` and
``XXX-XX-1234`` are not ``ssn``; an address counts when a street or ZIP is present (city
and state alone do not); a provider name or NPI on the person's row or chart is
``provider``; a plan or payer name is ``health_plan``; a dependent's claim row also
mentions the subscriber (name + subscriber ID). Organisation names, service dates,
death dates and last-four SSNs are never elements.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from breachscope.synth import badfiles, documents, healthcare_formats, layout, noise, office_formats
from breachscope.synth import tables as t
from breachscope.synth.archives import EvidenceTree
from breachscope.synth.casefile import write_case_toml
from breachscope.synth.clients import BY_ID, CLIENTS, MERCY, SHARED_FOLDER, ClientDef
from breachscope.synth.docwriters import PdfWriter, write_docx, write_pdf, write_text
from breachscope.synth.people import Person, PopulationBuilder, World, ascii_fold
from breachscope.synth.truth import TruthRecorder

PDF_KINDS = {"discharge", "progress", "labreport", "careplan"}
DOCX_KINDS = {"hletter", "records", "intake"}
ADDRESS_DOCS = {"hletter", "intake"}

_NEW = dt.datetime(2025, 2, 3, 18, 0, tzinfo=dt.UTC).timestamp()
_OLD = dt.datetime(2021, 12, 15, 9, 0, tzinfo=dt.UTC).timestamp()


def generate_case(out_dir: Path, people: int = 2000, seed: int = 0, *, scope: bool = False) -> Path:
    """Write a synthetic breach case under ``out_dir``; return the path of its case.toml.

    ``out_dir`` gets ``case.toml``, ``evidence/`` and ``truth/``. The same ``people`` and
    ``seed`` give the same files. An earlier generated case in ``out_dir`` is replaced;
    a folder holding anything else is refused. With ``scope``, the intruder touched only
    part of the evidence: ``logs/`` holds the access logs, ``case.toml`` a ``[scope]``
    table, and the truth is that of a scoped run (``truth/accessed.csv``; see
    ``synth.scoped``).
    """
    out = Path(out_dir)
    if people < 1:
        raise ValueError("people must be at least 1")
    evidence = out / "evidence"
    truth_dir = out / "truth"
    if evidence.exists():
        if not (truth_dir / "people.csv").is_file():
            raise FileExistsError(f"{evidence} exists and is not a generated case; not overwriting")
        shutil.rmtree(evidence)
        shutil.rmtree(truth_dir)
    evidence.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix=".synth-staging-", dir=out) as staging:
        gen = _Generator(
            World.create(seed),
            EvidenceTree(evidence, Path(staging)),
            TruthRecorder(truth_dir),
            seed,
        )
        gen.run(people)
    path = write_case_toml(out, layout.ENCRYPTED)
    if scope:
        from breachscope.synth.scoped import add_scope

        add_scope(out, seed)
    return path


@dataclass
class _DocState:
    n: int = 0
    batch_no: int = 0
    batch_count: int = 0
    writer: PdfWriter | None = None
    writer_path: str = ""
    used: bool = False
    pending: tuple[Person, ClientDef] | None = None


@dataclass
class _Generator:
    world: World
    tree: EvidenceTree
    truth: TruthRecorder
    seed: int
    writers: dict[tuple[str, str | None], t.TableWriter] = field(default_factory=dict)
    workbooks: dict[str, t.Workbook] = field(default_factory=dict)
    docs: dict[layout.DocSpec, _DocState] = field(default_factory=dict)
    placements: dict[str, list[layout.Placement]] = field(default_factory=dict)
    old_paths: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rows = {c.id: t.RowFactory(self.world.providers[c.id]) for c in CLIENTS}
        for c in CLIENTS:
            self.placements[c.id] = layout.placements(c)
            for pl in self.placements[c.id]:
                if isinstance(pl.target, t.TableSpec):
                    self._open_table(pl.target)
                    if pl.old:
                        self.old_paths.add(pl.target.path)
        # Sheets without people, after the data sheets.
        self.workbooks[f"{MERCY.folder}/him/coding/coding_summary_jan2025.xlsx"].static_sheet(
            "Summary",
            [["Metric", "Value"], ["Charts coded", 0], ["Average turnaround (days)", 2.4],
             ["Queries opened", 0], ["Prepared by", "Keystone Coding"]],
        )  # fmt: skip
        self.workbooks[f"{layout.BH}/eligibility/terminated_members_2024.xlsx"].static_sheet(
            "Notes",
            [
                ["Terminations are effective the last day of the month."],
                ["Source: enrollment system"],
            ],
        )

    # ------------------------------------------------------------------ files

    def _target(self, path: str) -> Path:
        if path not in self.truth.files:
            self.truth.file(path, "processed", "")
        return self.tree.target(path)

    def _open_table(self, spec: t.TableSpec) -> None:
        key = (spec.path, spec.sheet)
        if key in self.writers:
            return
        target = self._target(spec.path)
        if spec.is_xlsx:
            book = self.workbooks.get(spec.path)
            if book is None:
                book = self.workbooks[spec.path] = t.Workbook(target)
            self.writers[key] = t.XlsxWriter(spec, book)
        else:
            self.writers[key] = t.CsvWriter(spec, target)

    # ------------------------------------------------------------------ run

    def run(self, n_people: int) -> None:
        builder = PopulationBuilder(self.world)
        for household in builder.households(n_people):
            rng = random.Random(f"breachscope-synth/{self.seed}/place/{household[0].household}")
            for p in household:
                self.truth.person(p)
                for i, cid in enumerate(p.clients):
                    self._place(p, BY_ID[cid], rng, primary=i == 0)
        healthcare_formats.write_healthcare_files(
            self.world, n_people, self._target, self.truth, self.seed
        )
        office_formats.write_office_formats(self.tree.root, self.truth, self.world, n_people)
        self._finish()
        self.truth.finish()

    def _place(self, p: Person, client: ClientDef, rng: random.Random, primary: bool) -> None:
        options = self.placements[client.id]

        def ok(pl: layout.Placement) -> bool:
            if isinstance(pl.target, layout.DocSpec) and pl.target.once:
                return not self.docs.get(pl.target, _DocState()).used
            return pl.who(p)

        chosen = [
            pl
            for pl in options
            if not pl.old and pl.requires is None and ok(pl) and rng.random() < pl.p
        ]
        tables = [
            pl
            for pl in options
            if isinstance(pl.target, t.TableSpec) and not pl.old and pl.requires is None
        ]
        if not chosen:
            chosen.append(next(pl for pl in tables if ok(pl)))
        if primary and p.deceased_on and not any(_shows_death(pl) for pl in chosen):
            chosen.append(next(pl for pl in tables if _shows_death(pl) and ok(pl)))
        if primary and p.old_address is not None:
            chosen.append(next(pl for pl in options if pl.old))
            for pl in tables + options:
                if sum(_shows_address(c) for c in chosen if not c.old) >= 2:
                    break
                if pl not in chosen and _shows_address(pl) and ok(pl):
                    chosen.append(pl)
        for pl in options:
            if pl.requires and ok(pl) and rng.random() < pl.p:
                have = any(
                    isinstance(c.target, t.TableSpec)
                    and any(col.element == pl.requires for col in c.target.columns)
                    for c in chosen
                )
                if have:
                    chosen.append(pl)
        for pl in sorted(chosen, key=options.index):
            if isinstance(pl.target, t.TableSpec):
                self._emit_rows(pl.target, p, client, rng)
            else:
                self._emit_doc(pl.target, p, client, rng)

    # ------------------------------------------------------------------ tables

    def _emit_rows(
        self, spec: t.TableSpec, p: Person, client: ClientDef, rng: random.Random
    ) -> None:
        writer = self.writers[(spec.path, spec.sheet)]
        for _ in range(rng.randint(*spec.rows)):
            row = self.rows[client.id].row(spec, p, client, rng)
            values, mine, subscriber = spec.cells(row)
            row_no = writer.add(values)
            if p.subscriber is not None and subscriber:
                self.truth.mention(
                    p.subscriber.person_id, spec.path, subscriber, row_no=row_no, sheet=spec.sheet
                )
            else:
                mine |= subscriber
            self.truth.mention(p.person_id, spec.path, mine, row_no=row_no, sheet=spec.sheet)

    # ------------------------------------------------------------------ documents

    def _emit_doc(
        self, ds: layout.DocSpec, p: Person, client: ClientDef, rng: random.Random
    ) -> None:
        st = self.docs.setdefault(ds, _DocState())
        st.used = True
        if ds.is_pair:
            if st.pending is None:
                st.pending = (p, client)
                return
            first, _ = st.pending
            st.pending = None
            self._write_log(ds, st, [first, p], client, rng)
            return
        prov = (
            p.pcp[client.id] if rng.random() < 0.6 else rng.choice(self.world.providers[client.id])
        )
        kind = ds.kind
        if kind == "discharge":
            doc = documents.discharge_summary(p, client, rng, prov)
        elif kind == "progress":
            doc = documents.progress_note(p, client, rng, prov)
        elif kind == "labreport":
            doc = documents.lab_report(p, client, rng, prov)
        elif kind == "careplan":
            doc = documents.care_plan(p, client, rng, prov)
        elif kind == "hletter":
            doc = documents.horizon_letter(p, rng)
        elif kind == "records":
            doc = documents.records_request(p, client, rng)
        elif kind == "intake":
            doc = documents.intake_form(p, client, rng)
        elif kind == "clinicnote":
            doc = documents.clinic_note(p, client, rng, prov)
        elif kind == "callnote":
            doc = documents.call_note(p, rng)
        elif kind == "email":
            doc = documents.query_email(p, client, rng)
        else:
            raise ValueError(kind)
        st.n += 1
        page: int | None = None
        if ds.batch:
            if st.writer is None or st.batch_count >= ds.batch:
                self._close_batch(st)
                st.batch_no += 1
                st.writer_path = ds.path.format(batch=st.batch_no)
                st.writer = PdfWriter(self._target(st.writer_path), title="Batch export")
            page = st.writer.add(doc.lines, footer=f"{client.name} - CONFIDENTIAL")
            st.batch_count += 1
            path = st.writer_path
        else:
            path = ds.path.format(
                mrn=p.mrn(client.id), member_id=p.member_id, n=st.n,
                last=ascii_fold(p.last).replace("'", "").replace(" ", ""), first=ascii_fold(p.first),
            )  # fmt: skip
            target = self._target(path)
            if kind in PDF_KINDS:
                write_pdf(target, doc.lines, title=documents.__name__)
                page = 1
            elif kind in DOCX_KINDS:
                write_docx(target, doc.lines, title="Letter")
            else:
                write_text(target, doc.text, encoding="cp1252" if st.n % 3 == 0 else "utf-8")
        self.truth.mention(p.person_id, path, doc.elements, page=page)

    def _write_log(
        self,
        ds: layout.DocSpec,
        st: _DocState,
        who: Sequence[Person],
        client: ClientDef,
        rng: random.Random,
    ) -> None:
        st.n += 1
        path = ds.path.format(n=st.n)
        text, per_person = documents.worklog(list(who), client, rng)
        write_text(self._target(path), text)
        for p, els in zip(who, per_person, strict=True):
            self.truth.mention(p.person_id, path, els)

    @staticmethod
    def _close_batch(st: _DocState) -> None:
        if st.writer is not None:
            st.writer.close()
            st.writer = None
            st.batch_count = 0

    # ------------------------------------------------------------------ finish

    def _finish(self) -> None:
        rng = random.Random(f"breachscope-synth/{self.seed}/finish")
        for ds, st in self.docs.items():
            if st.pending is not None:
                p, client = st.pending
                st.pending = None
                self._write_log(ds, st, [p], client, rng)
            self._close_batch(st)
        for w in self.writers.values():
            w.close()
        for book in self.workbooks.values():
            book.close()
        self._noise(rng)
        self._bad_files(rng)
        for arch in self.tree.pack(layout.ENCRYPTED, self.seed):
            if layout.ENCRYPTED.get(arch, "") is None:
                self.truth.file(arch, "failed", "encrypted")
            else:
                self.truth.file(arch, "processed", "")
        for path in self.truth.files:
            if "!" in path:
                continue
            full = self.tree.root / path
            stamp = _OLD if path in self.old_paths else _NEW
            os.utime(full, (stamp, stamp))

    def _noise(self, rng: random.Random) -> None:
        s = SHARED_FOLDER
        noise.readme(self._target(f"{s}/README.txt"))
        noise.policy(self._target(f"{s}/policies/Information_Security_Policy_v3.docx"))
        provs = [pr for c in CLIENTS for pr in self.world.providers[c.id][:8]]
        noise.code_reference(self._target(f"{s}/reference/icd10_provider_reference.csv"), provs)
        noise.staff_directory(self._target(f"{s}/hr/staff_directory.xlsx"), rng)

    def _bad(self, path: str, result: tuple[str, str]) -> None:
        self.truth.file(path, *result)

    def _bad_files(self, rng: random.Random) -> None:
        tree = self.tree
        p = f"{layout.MV}/charts/2025/DS_scan_0112.pdf"
        self._bad(p, badfiles.truncated_pdf(tree.target(p), rng))
        p = f"{layout.TC}/results/qc_summary_jan.xlsx"
        self._bad(p, badfiles.junk_xlsx(tree.target(p), rng))
        p = f"{layout.LP}/pm_exports/recall_list_feb.csv"
        self._bad(p, badfiles.empty(tree.target(p)))
        p = f"{SHARED_FOLDER}/it/tools/KeystoneSyncAgent.exe"
        self._bad(p, badfiles.executable(tree.target(p), rng))
        p = f"{SHARED_FOLDER}/it/keystone_logo.png"
        self._bad(p, badfiles.png_logo(tree.target(p)))
        # An encrypted backup nobody has the password for: members are not listed.
        arch = layout.BH_BACKUP
        lines = ["member_id,last_name,first_name,dob"] + [
            f"BHP{rng.randint(10**8, 10**9 - 1)}01,{ascii_fold(n).upper()},X,01/01/1970"
            for n in ("Doe", "Roe", "Poe")
        ]
        write_text(tree.target(f"{arch}!members_backup.csv"), "\n".join(lines) + "\n")


def _shows_death(pl: layout.Placement) -> bool:
    return isinstance(pl.target, t.TableSpec) and pl.target.shows_death


def _shows_address(pl: layout.Placement) -> bool:
    if isinstance(pl.target, t.TableSpec):
        return pl.target.shows_address
    return pl.target.kind in ADDRESS_DOCS
