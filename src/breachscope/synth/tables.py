"""Tabular evidence: column definitions, table specs, and CSV/XLSX writers.

A :class:`TableSpec` says what one table looks like (path, sheet, delimiter, encoding,
title block, header row or none, columns). Each :class:`Column` knows its header text, how
to render a value for a person's row, and which element category a non-empty value
exposes (``None`` for columns that expose nothing by themselves: city, state, last four of
an SSN, claim amounts …). The writers return the 1-based spreadsheet row number of each
row they write, which is what the ground truth records.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from breachscope.synth import clinical, render
from breachscope.synth.clients import ClientDef
from breachscope.synth.people import Address, Person, Provider

Value = str | int | float | dt.date | None


@dataclass
class Row:
    """Everything a column may need to render one row about one person."""

    p: Person
    client: ClientDef
    rng: random.Random
    name: render.NameForm
    addr: Address
    service_date: dt.date
    condition: clinical.Condition
    condition2: clinical.Condition | None
    provider: Provider
    cpt: tuple[str, str]
    lab: clinical.LabTest
    lab_value: str
    drug: tuple[str, str, str] | None
    imaging: tuple[str, str]
    record_id: str  # claim / accession / account number
    updated: dt.date  # "last updated" / effective date of a roster row
    sub_name: render.NameForm | None = None  # the subscriber, on a dependent's claim


@dataclass(frozen=True)
class Column:
    header: str
    element: str | None
    render: Callable[[Row], Value]
    subject: str = "patient"  # "subscriber" columns describe the policy holder


def col(header: str, element: str | None, fn: Callable[[Row], Value]) -> Column:
    return Column(header, element, fn)


# --- names -------------------------------------------------------------------------


def last(h: str) -> Column:
    return col(h, "name", lambda r: r.name.last)


def last_sfx(h: str) -> Column:
    return col(h, "name", lambda r: f"{r.name.last} {r.name.suffix}".strip())


def first(h: str) -> Column:
    return col(h, "name", lambda r: r.name.first)


def middle(h: str, full: bool = False) -> Column:
    return col(h, "name", lambda r: r.name.middle if full else r.name.mi)


def suffix(h: str) -> Column:
    return col(h, "name", lambda r: r.name.suffix)


def name_lf(h: str, mid: str = "initial") -> Column:
    return col(h, "name", lambda r: r.name.last_first(mid))


def name_fl(h: str, mid: str = "initial") -> Column:
    return col(h, "name", lambda r: r.name.first_last(mid))


def sub_name_lf(h: str) -> Column:
    return Column(h, "name", lambda r: r.sub_name.last_first() if r.sub_name else "", "subscriber")


def sub_id(h: str) -> Column:
    return Column(
        h, "member_id", lambda r: r.p.subscriber.member_id if r.p.subscriber else r.p.member_id,
        "subscriber",
    )  # fmt: skip


# --- demographics ------------------------------------------------------------------


def dob(h: str, style: str) -> Column:
    return col(h, "dob", lambda r: render.date(r.p.dob, style))


def dob_cell(h: str) -> Column:
    """A real date cell (workbooks)."""
    return col(h, "dob", lambda r: r.p.dob)


def sex(h: str, long: bool = False) -> Column:
    return col(h, None, lambda r: ("Female" if r.p.sex == "F" else "Male") if long else r.p.sex)


def ssn(h: str, style: str) -> Column:
    element = None if style in ("last4", "masked") else "ssn"
    return col(h, element, lambda r: render.ssn(r.p.ssn, style))


def ssn_number(h: str) -> Column:
    """An SSN typed into a spreadsheet as a number: leading zeros are lost."""
    return col(h, "ssn", lambda r: int(r.p.ssn) if r.p.ssn else None)


def street(h: str, style: str = "abbr") -> Column:
    return col(h, "address", lambda r: render.street(r.addr, style))


def street1(h: str) -> Column:
    """Street line without the unit (the unit goes to an ADDR2 column)."""
    return col(
        h, "address",
        lambda r: " ".join(x for x in (r.addr.number, r.addr.predir, r.addr.street_name, r.addr.suffix_abbr) if x),
    )  # fmt: skip


def unit(h: str) -> Column:
    return col(h, None, lambda r: r.addr.unit)


def city(h: str, upper: bool = False) -> Column:
    return col(h, None, lambda r: r.addr.city.upper() if upper else r.addr.city)


def state(h: str) -> Column:
    return col(h, None, lambda r: r.addr.state)


def zipc(h: str, plus4: bool = False) -> Column:
    return col(h, "address", lambda r: render.zip_code(r.addr, plus4))


def address(h: str, style: str = "abbr", plus4: bool = False) -> Column:
    return col(h, "address", lambda r: render.full_address(r.addr, style, plus4))


def phone(h: str, style: str, which: str = "phone") -> Column:
    return col(h, "phone", lambda r: render.phone(getattr(r.p, which), style))


def email(h: str) -> Column:
    return col(h, "email", lambda r: r.p.email)


def deceased_flag(h: str, yes: str = "Y", no: str = "N") -> Column:
    return col(h, None, lambda r: yes if r.p.deceased_on else no)


def dod(h: str, style: str) -> Column:
    return col(h, None, lambda r: render.date(r.p.deceased_on, style))


# --- identifiers, coverage ---------------------------------------------------------


def mrn(h: str) -> Column:
    return col(h, "mrn", lambda r: r.p.mrn(r.client.id))


def member_id(h: str) -> Column:
    return col(h, "member_id", lambda r: r.p.member_id)


def plan(h: str) -> Column:
    return col(h, "health_plan", lambda r: r.p.plan)


def payer(h: str) -> Column:
    return col(h, "health_plan", lambda r: r.p.payer.payer)


def record_id(h: str) -> Column:
    return col(h, None, lambda r: r.record_id)


def updated(h: str, style: str) -> Column:
    return col(h, None, lambda r: render.date(r.updated, style))


# --- clinical ----------------------------------------------------------------------


def service_date(h: str, style: str) -> Column:
    return col(h, None, lambda r: render.date(r.service_date, style))


def dx(h: str, dot: bool = True) -> Column:
    return col(
        h, "diagnosis", lambda r: r.condition.icd10 if dot else r.condition.icd10.replace(".", "")
    )


def dx_desc(h: str) -> Column:
    return col(h, "diagnosis", lambda r: r.condition.description)


def dx_words(h: str) -> Column:
    return col(h, "diagnosis", lambda r: r.condition.words.capitalize())


def dx2(h: str, dot: bool = True) -> Column:
    def f(r: Row) -> Value:
        if r.condition2 is None:
            return ""
        return r.condition2.icd10 if dot else r.condition2.icd10.replace(".", "")

    return col(h, "diagnosis", f)


def cpt(h: str) -> Column:
    return col(h, "procedure", lambda r: r.cpt[0])


def cpt_desc(h: str) -> Column:
    return col(h, "procedure", lambda r: r.cpt[1])


def provider(h: str, style: str = "listing") -> Column:
    return col(h, "provider", lambda r: getattr(r.provider, style))


def npi(h: str) -> Column:
    return col(h, "provider", lambda r: r.provider.npi)


def pcp(h: str) -> Column:
    return col(h, "provider", lambda r: r.p.pcp[r.client.id].formal)


def lab_code(h: str) -> Column:
    return col(h, None, lambda r: r.lab.loinc)


def lab_name(h: str) -> Column:
    return col(h, "test_result", lambda r: r.lab.name)


def lab_value(h: str) -> Column:
    return col(h, "test_result", lambda r: r.lab_value)


def lab_units(h: str) -> Column:
    return col(h, None, lambda r: r.lab.units)


def lab_range(h: str) -> Column:
    return col(h, None, lambda r: r.lab.ref_range)


def lab_flag(h: str) -> Column:
    def f(r: Row) -> Value:
        v = float(r.lab_value)
        return "H" if v > r.lab.high else "L" if v < r.lab.low else ""

    return col(h, None, f)


def drug(h: str) -> Column:
    return col(h, "medication", lambda r: r.drug[0] if r.drug else "")


def drug_strength(h: str) -> Column:
    return col(h, "medication", lambda r: r.drug[1] if r.drug else "")


def drug_sig(h: str) -> Column:
    return col(h, "medication", lambda r: r.drug[2] if r.drug else "")


def exam(h: str) -> Column:
    return col(h, "imaging", lambda r: r.imaging[0])


def impression(h: str) -> Column:
    return col(h, "imaging", lambda r: r.imaging[1])


def card(h: str) -> Column:
    return col(h, "payment_card", lambda r: r.p.card)


def const(h: str, fn: Callable[[Row], Value]) -> Column:
    """A column that exposes no category (amounts, statuses, coder names …)."""
    return col(h, None, fn)


# --------------------------------------------------------------------------- specs


@dataclass
class TableSpec:
    path: str  # evidence path; archive members "a.zip!b.csv"
    columns: Sequence[Column]
    sheet: str | None = None  # workbooks
    delimiter: str = ","
    encoding: str = "utf-8"
    header: bool = True
    title: Sequence[str] = ()  # lines above the header (a blank row follows them)
    footer: bool = False  # a "Total records: N" line after the data
    blank_every: int = 0  # a blank row after every N data rows
    rows: tuple[int, int] = (1, 1)  # rows per person (lab results, claims …)
    old: bool = False  # shows the person's *previous* address (an older extract)
    period: tuple[dt.date, dt.date] = (dt.date(2024, 7, 1), dt.date(2025, 2, 4))
    nickname_rate: float = 0.0
    typo_rate: float = 0.0
    fold: bool = False  # diacritics dropped
    upper: bool = False  # names in capitals
    swap_rate: float = 0.0  # first and last name keyed into each other's fields
    kind: str = "member"  # member | claim | lab | rx | imaging | visit
    shows_death: bool = False

    @property
    def is_xlsx(self) -> bool:
        return self.path.split("!")[-1].lower().endswith(".xlsx")

    @property
    def shows_address(self) -> bool:
        return any(c.element == "address" for c in self.columns)

    def cells(self, row: Row) -> tuple[list[Value], set[str], set[str]]:
        """The row's values, and the categories exposed for the patient / the subscriber."""
        values: list[Value] = []
        patient: set[str] = set()
        sub: set[str] = set()
        for c in self.columns:
            v = c.render(row)
            values.append(v)
            if c.element and v not in (None, ""):
                (sub if c.subject == "subscriber" else patient).add(c.element)
        return values, patient, sub


# --------------------------------------------------------------------------- writers


class TableWriter:
    """Appends rows to one table; knows the spreadsheet row number of every row."""

    def __init__(self, spec: TableSpec) -> None:
        self.spec = spec
        self.data_rows = 0
        self.next_row = 1  # 1-based spreadsheet row of the next line

    def _before_data(self) -> list[list[Value]]:
        lines: list[list[Value]] = [[t] for t in self.spec.title]
        if self.spec.title:
            lines.append([])
        if self.spec.header:
            lines.append([c.header for c in self.spec.columns])
        return lines

    def add(self, values: list[Value]) -> int:
        s = self.spec
        if s.blank_every and self.data_rows and self.data_rows % s.blank_every == 0:
            self._write([])
        row_no = self.next_row
        self._write(values)
        self.data_rows += 1
        return row_no

    def _write(self, values: list[Value]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        if self.spec.footer:
            self._write([f"Total records: {self.data_rows}"])


def _text(v: Value) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return f"{v.month:02d}/{v.day:02d}/{v.year}"
    return str(v)


class CsvWriter(TableWriter):
    def __init__(self, spec: TableSpec, target: Path) -> None:
        super().__init__(spec)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.fh: IO[str] = target.open("w", newline="", encoding=spec.encoding, errors="replace")
        self.w = csv.writer(self.fh, delimiter=spec.delimiter, lineterminator="\r\n")
        for line in self._before_data():
            self._write(line)

    def _write(self, values: list[Value]) -> None:
        self.w.writerow([_text(v) for v in values])
        self.next_row += 1

    def close(self) -> None:
        super().close()
        self.fh.close()


class Workbook:
    """One XLSX file; sheets are added in the order their specs are registered."""

    def __init__(self, target: Path) -> None:
        import xlsxwriter

        target.parent.mkdir(parents=True, exist_ok=True)
        self.book: Any = xlsxwriter.Workbook(str(target), {"constant_memory": True})
        self.book.set_properties({"created": dt.datetime(2025, 2, 3, 9, 30), "author": "export"})
        self.date_fmt = self.book.add_format({"num_format": "mm/dd/yyyy"})
        self.bold = self.book.add_format({"bold": True})

    def static_sheet(self, name: str, lines: Sequence[Sequence[Value]]) -> None:
        ws = self.book.add_worksheet(name)
        for i, line in enumerate(lines):
            for j, v in enumerate(line):
                ws.write(i, j, v)

    def close(self) -> None:
        self.book.close()


class XlsxWriter(TableWriter):
    def __init__(self, spec: TableSpec, book: Workbook) -> None:
        super().__init__(spec)
        self.book = book
        self.ws: Any = book.book.add_worksheet(spec.sheet)
        lines = self._before_data()
        for i, line in enumerate(lines):
            is_header = spec.header and i == len(lines) - 1
            self._write(line, self.book.bold if is_header or i == 0 else None)

    def _write(self, values: list[Value], fmt: Any = None) -> None:
        r = self.next_row - 1
        for j, v in enumerate(values):
            if v is None or v == "":
                continue
            if isinstance(v, dt.date):
                self.ws.write_datetime(
                    r, j, dt.datetime(v.year, v.month, v.day), self.book.date_fmt
                )
            elif isinstance(v, int | float):
                self.ws.write_number(r, j, v)
            else:
                self.ws.write_string(r, j, v, fmt) if fmt else self.ws.write_string(r, j, v)
        self.next_row += 1


@dataclass
class RowFactory:
    """Draws the per-row details (dates, codes, providers) for a person's row."""

    providers: Sequence[Provider]
    counter: list[int] = field(default_factory=lambda: [0])

    def row(self, spec: TableSpec, p: Person, client: ClientDef, rng: random.Random) -> Row:
        self.counter[0] += 1
        lo, hi = spec.period
        day = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
        conds = p.conditions
        cond = rng.choice(conds)
        cond2 = rng.choice([c for c in conds if c is not cond] or [None])
        drugs = [d for c in conds for d in c.drugs]
        name = render.NameForm(
            p, rng, nickname_rate=spec.nickname_rate, typo_rate=spec.typo_rate,
            fold=spec.fold, upper=spec.upper, swap_rate=spec.swap_rate,
        )  # fmt: skip
        lab = rng.choice(clinical.LABS)
        addr = p.old_address if (spec.old and p.old_address) else p.address
        sub = p.subscriber
        sub_name = (
            render.NameForm(sub, rng, fold=spec.fold, upper=spec.upper) if sub is not None else name
        )
        return Row(
            p=p,
            client=client,
            rng=rng,
            name=name,
            addr=addr,
            service_date=day,
            condition=cond,
            condition2=cond2,
            provider=p.pcp[client.id] if rng.random() < 0.5 else rng.choice(self.providers),
            cpt=rng.choice(clinical.CPT),
            lab=lab,
            lab_value=lab.value(rng),
            drug=rng.choice(drugs) if drugs else None,
            imaging=rng.choice(clinical.IMAGING),
            record_id=f"{client.id[:2].upper()}{rng.randint(10**8, 10**9 - 1)}",
            updated=day,
            sub_name=sub_name,
        )
