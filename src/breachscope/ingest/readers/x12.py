"""X12 EDI: 837P / 837I claims, 835 remittances, 834 enrolment, read by their loops.

The separators are the ones the ``ISA`` header declares (element at byte 3, component in
ISA16, the segment terminator after it; repetition in ISA11), so ``*``/``:``/``~`` files
and ``|``/``^``/``\\n`` files read alike, with or without line breaks between segments. The
file is streamed in 1 MiB chunks and split on the terminator (plain splitting: ~1,000
files/s; pyx12 crashes on non-ASCII names). A later ``ISA`` with other separators is
followed.

Rows (columns: :mod:`~breachscope.ingest.readers.healthrows`):

* **837**: one row per claim (``CLM``). The subscriber loop (2000B/2010BA: ``SBR``,
  ``NM1*IL``, ``N3``/``N4``, ``DMG``, ``REF*SY``) and the patient loop (2000C/2010CA:
  ``NM1*QC`` …) go in one row: ``Patient …`` columns for the patient and ``Subscriber …``
  columns for a subscriber who is someone else; when the patient is the subscriber
  (``SBR02=18``, no patient loop) only the ``Patient …`` group is filled and the
  subscriber's ID is the ``Member ID``. Payer (``NM1*PR``), plan (``SBR04``), group
  (``SBR03``), ``HI`` diagnoses (ICD-10 with the dot put back), ``HI`` ICD-10-PCS
  procedures, ``SV1``/``SV2`` procedure codes, attending / rendering / referring
  providers with NPIs, service facility, service dates, ``REF*EA`` medical record number,
  ``CLM01`` patient account number.
* **835**: one row per claim payment (``CLP``): ``NM1*QC`` patient, ``NM1*IL`` insured,
  ``NM1*82`` rendering provider, ``SVC`` procedure codes, payer (``N1*PR``).
* **834**: one row per member (``INS``): name, address, DOB, SSN / member IDs, plan.
* Other transaction sets (270/271, 276/277, 278 …): one row per person named in an
  ``NM1*IL``/``QC``/``03`` with the ``N3``/``N4``/``DMG`` after it.

``row_no`` is the 1-based number of that record (claim, claim payment, member, person) in
the file, counted across every interchange and transaction set in it. ``Source`` says
``claim N`` with ``CLM01``/``CLP01``.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field

from breachscope.ingest.emit import Emitter
from breachscope.ingest.readers import healthrows as H
from breachscope.ingest.readers.healthprobe import x12_separators
from breachscope.ingest.registry import ReadContext, Source

CHUNK = 1 << 20
MAX_SEGMENT = 1 << 20

BILLING, BILLING_NPI = "Billing Provider", "Billing Provider NPI"
TOTAL_CHARGE, PAID = "Total Charge", "Paid Amount"
COLUMNS = (
    H.SOURCE, H.RECORD_TYPE, H.PAYER, H.PLAN, H.GROUP_NO, BILLING, BILLING_NPI, H.FACILITY,
    *H.PATIENT_COLUMNS, H.MEMBER_ID, *H.SUBSCRIBER_COLUMNS, H.ATTENDING, H.ATTENDING_NPI,
    H.RENDERING, H.RENDERING_NPI, H.REFERRING, H.DX_CODES, H.PX_CODES, H.SERVICE_DATE,
    TOTAL_CHARGE, PAID,
)  # fmt: skip

_DX_QUALIFIERS = frozenset(
    {"ABK", "ABF", "ABJ", "ABN", "APR", "BK", "BF", "BJ", "BN", "PR", "DR", "ABU"}
)
_PX_QUALIFIERS = frozenset({"BBR", "BBQ", "BR", "BQ", "CAH", "BP", "BO"})
_PROVIDERS = {
    "71": (H.ATTENDING, H.ATTENDING_NPI),
    "72": (H.ATTENDING, H.ATTENDING_NPI),
    "82": (H.RENDERING, H.RENDERING_NPI),
    "DN": (H.REFERRING, ""),
    "P3": (H.REFERRING, ""),
    "DK": (H.REFERRING, ""),
}
# Person fields, keyed by the Patient column; a subscriber's are moved to Subscriber ones.
_PATIENT_TO_SUBSCRIBER = {p: s for s, p in H.SUBSCRIBER_TO_PATIENT.items()}


# --------------------------------------------------------------------------- segments


def iter_segments(src: Source) -> Iterator[list[str]]:
    """Segments as element lists, streamed; separators follow each ISA header."""
    enc = src.guess.encoding or "utf-8"
    decoder = codecs.getincrementaldecoder(enc)(errors="replace")
    buf = ""
    seps: tuple[str, str, str, str] | None = None
    with src.path.open("rb") as f:
        if src.guess.bom:
            f.seek(src.guess.bom)
        while True:
            raw = f.read(CHUNK)
            buf += decoder.decode(raw, final=not raw)
            if seps is None:
                seps = x12_separators(buf[:1024])
                if seps is None:
                    if len(buf) > 4096 or not raw:
                        return
                    continue
            elem, _comp, _rep, term = seps
            pieces = _split(buf, term)
            buf = pieces.pop() if raw else ""
            for seg in pieces:
                seg = seg.strip(" \t\r\n\x00")
                if not seg:
                    continue
                if seg.startswith("ISA") and len(seg) > 3 and seg[3] != elem:
                    new = x12_separators(seg + term + "X")
                    if new is not None:
                        seps = new
                        elem, _comp, _rep, term = seps
                yield seg.split(elem)
                # A new ISA's terminator only takes effect for what follows it.
            if not raw:
                if buf.strip():
                    yield buf.strip().split(elem)
                return
            if len(buf) > MAX_SEGMENT:
                buf = ""  # a runaway "segment": not X12 any more


def _split(text: str, term: str) -> list[str]:
    if term == "\n":
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return text.split(term)


# --------------------------------------------------------------------------- parsing


def _e(seg: list[str], i: int) -> str:
    return seg[i].strip() if i < len(seg) else ""


@dataclass
class _Person:
    cells: dict[str, str] = field(default_factory=dict)
    ident: str = ""  # NM109
    ident_kind: str = ""  # NM108

    def put(self, column: str, value: str) -> None:
        if value and column not in self.cells:
            self.cells[column] = value

    def named(self) -> bool:
        return bool(self.cells.get(H.P_LAST) or self.cells.get(H.P_FIRST))


class _Parser:
    """A state machine over segments; finished rows go to ``sink``."""

    def __init__(self, sink: H.RowSink) -> None:
        self.sink = sink
        self.n = 0
        self.n_st = 0
        self.st = ""
        self.kind = ""
        self.version = ""
        self.comp = ":"
        self._reset_st()

    def _reset_st(self) -> None:
        self.payer = ""
        self.payee = ""
        self.billing = ("", "")
        self.sbr: tuple[str, str, str] = ("", "", "")  # relationship, group no, plan name
        self.sub: _Person | None = None
        self.pat: _Person | None = None
        self.ctx: _Person | None = None  # whose N3/N4/DMG/REF follow
        self.ctx_entity = ""
        self.claim: H.Record | None = None

    # ---- rows

    def _emit(self) -> None:
        if self.claim is not None:
            self.sink.add(self.n, self.claim)
            self.claim = None

    def _start_row(self, label: str, key: str) -> H.Record:
        self._emit()
        self.n += 1
        rec = H.Record()
        rec.set(H.SOURCE, f"{label} {self.n}" + (f", {key}" if key.split("=", 1)[-1] else ""))
        rec.set(H.RECORD_TYPE, self.kind)
        rec.set(H.PAYER, self.payer)
        self.claim = rec
        return rec

    def _people_into(self, rec: H.Record) -> None:
        sub, pat = self.sub, self.pat
        if pat is not None and pat.named():
            for col, v in pat.cells.items():
                rec.set(col, v)
            if pat.ident and pat.ident_kind != "34":
                rec.set(H.MEMBER_ID, pat.ident)
            if sub is not None:
                for col, v in sub.cells.items():
                    rec.set(_PATIENT_TO_SUBSCRIBER.get(col, col), v)
                if sub.ident and sub.ident_kind == "34":
                    rec.set(H.S_SSN, sub.ident)
                elif sub.ident:
                    rec.set(H.S_MEMBER_ID, sub.ident)
        elif sub is not None:
            for col, v in sub.cells.items():
                rec.set(col, v)
            if sub.ident and sub.ident_kind == "34":
                rec.set(H.P_SSN, sub.ident)
            elif sub.ident:
                rec.set(H.MEMBER_ID, sub.ident)

    # ---- segments

    def segment(self, seg: list[str]) -> None:
        tag = seg[0].upper()
        if tag == "ISA":
            if len(seg) > 16 and seg[16]:
                self.comp = seg[16][:1]
        elif tag == "GS":
            self.version = _e(seg, 8)
        elif tag == "ST":
            self._emit()
            self.n_st += 1
            self.st = _e(seg, 1)
            self.version = _e(seg, 3) or self.version
            self.kind = self._kind()
            self._reset_st()
        elif tag in ("SE", "GE", "IEA"):
            self._emit()
            if tag == "SE":
                self._reset_st()
        elif self.st == "837":
            self._seg_837(tag, seg)
        elif self.st == "835":
            self._seg_835(tag, seg)
        elif self.st == "834":
            self._seg_834(tag, seg)
        else:
            self._seg_other(tag, seg)

    def _kind(self) -> str:
        if self.st == "837":
            v = self.version.upper()
            return "837I" if "X223" in v else "837D" if "X224" in v else "837P"
        return self.st

    def _composite(self, value: str) -> list[str]:
        return value.split(self.comp) if self.comp else [value]

    def _nm1(self, seg: list[str]) -> _Person:
        p = _Person()
        if _e(seg, 2) == "2":  # an organisation
            p.put(H.P_LAST, _e(seg, 3))
        else:
            p.put(H.P_LAST, _e(seg, 3))
            p.put(H.P_FIRST, _e(seg, 4))
            p.put(H.P_MIDDLE, _e(seg, 5))
            p.put(H.P_SUFFIX, _e(seg, 7))
        p.ident_kind, p.ident = _e(seg, 8), _e(seg, 9)
        return p

    def _person_detail(self, tag: str, seg: list[str]) -> bool:
        """N3 / N4 / DMG / REF*SY for the person whose NM1 came last. True when used."""
        p = self.ctx
        if p is None:
            return False
        if tag == "N3":
            p.put(H.P_STREET, H.join_name(_e(seg, 1), _e(seg, 2)))
        elif tag == "N4":
            p.put(H.P_CITY, _e(seg, 1))
            p.put(H.P_STATE, _e(seg, 2))
            p.put(H.P_ZIP, _e(seg, 3))
        elif tag == "DMG":
            p.put(H.P_DOB, H.iso_date(_e(seg, 2)))
            p.put(H.P_GENDER, _e(seg, 3))
        elif tag == "REF" and _e(seg, 1) == "SY":
            p.put(H.P_SSN, _e(seg, 2))
        elif tag == "PER":
            for i in (4, 6, 8):
                if _e(seg, i - 1) in ("HP", "TE", "CP", "WP"):
                    p.put(H.P_PHONE, _e(seg, i))
                elif _e(seg, i - 1) == "EM":
                    p.put(H.P_EMAIL, _e(seg, i))
        else:
            return False
        return True

    def _provider(self, rec: H.Record | None, seg: list[str]) -> None:
        entity = _e(seg, 1)
        name_col, npi_col = _PROVIDERS[entity]
        name = (
            _e(seg, 3)
            if _e(seg, 2) == "2"
            else H.join_name(_e(seg, 4), _e(seg, 5), _e(seg, 3), _e(seg, 7))
        )
        npi = _e(seg, 9) if _e(seg, 8) == "XX" else ""
        if rec is not None:
            rec.add(name_col, name)
            if npi_col:
                rec.add(npi_col, npi)

    def _dates(self, rec: H.Record | None, seg: list[str], date_at: int = 3) -> None:
        if rec is not None and _e(seg, 1) in ("472", "434", "435", "232", "150", "151"):
            rec.set(H.SERVICE_DATE, H.iso_date(_e(seg, date_at).split("-", 1)[0]))

    # ---- 837

    def _seg_837(self, tag: str, seg: list[str]) -> None:
        if tag == "HL":
            self._emit()
            level = _e(seg, 3)
            if level == "20":
                self.billing, self.sub, self.pat, self.ctx = ("", ""), None, None, None
            elif level == "22":
                self.sub, self.pat, self.ctx = None, None, None
                self.sbr = ("", "", "")
            elif level == "23":
                self.pat, self.ctx = None, None
            return
        if tag == "SBR":
            self.sbr = (_e(seg, 2), _e(seg, 3), _e(seg, 4))
            return
        if tag == "NM1":
            entity = _e(seg, 1)
            self.ctx = None
            if entity == "85":
                name = _e(seg, 3) if _e(seg, 2) == "2" else H.join_name(_e(seg, 4), _e(seg, 3))
                self.billing = (name, _e(seg, 9) if _e(seg, 8) == "XX" else "")
            elif entity == "IL":
                self.sub = self.ctx = self._nm1(seg)
            elif entity == "QC":
                self.pat = self.ctx = self._nm1(seg)
            elif entity == "PR":
                self.payer = _e(seg, 3)
            elif entity in _PROVIDERS:
                self._provider(self.claim, seg)
            elif entity in ("77", "FA") and self.claim is not None:
                self.claim.set(H.FACILITY, _e(seg, 3))
            return
        if self._person_detail(tag, seg):
            return
        if tag == "CLM":
            row = self._start_row("claim", f"CLM01={_e(seg, 1)}")
            self._people_into(row)
            row.set(H.PAYER, self.payer)
            _rel, group_no, plan = self.sbr
            row.set(H.GROUP_NO, group_no)
            row.set(H.PLAN, plan)
            row.set(BILLING, self.billing[0])
            row.set(BILLING_NPI, self.billing[1])
            row.set(H.P_ACCOUNT, _e(seg, 1))
            row.set(TOTAL_CHARGE, _e(seg, 2))
            return
        rec = self.claim
        if rec is None:
            return
        if tag == "HI":
            for el in seg[1:]:
                parts = self._composite(el.strip())
                if len(parts) < 2 or not parts[1]:
                    continue
                q, code = parts[0].upper(), parts[1].strip()
                if q in _DX_QUALIFIERS:
                    rec.add(H.DX_CODES, H.format_icd10(code))
                elif q in _PX_QUALIFIERS:
                    rec.add(H.PX_CODES, code)
        elif tag == "SV1" or tag == "SV3":
            parts = self._composite(_e(seg, 1))
            if len(parts) > 1:
                rec.add(H.PX_CODES, parts[1].strip())
        elif tag == "SV2":
            parts = self._composite(_e(seg, 2))
            if len(parts) > 1:
                rec.add(H.PX_CODES, parts[1].strip())
        elif tag == "DTP":
            self._dates(rec, seg)
        elif tag == "REF" and _e(seg, 1) == "EA":
            rec.set(H.P_MRN, _e(seg, 2))

    # ---- 835

    def _seg_835(self, tag: str, seg: list[str]) -> None:
        if tag == "N1":
            if _e(seg, 1) == "PR":
                self.payer = _e(seg, 2)
            elif _e(seg, 1) == "PE":
                self.payee = _e(seg, 2)
            return
        if tag == "CLP":
            row = self._start_row("claim", f"CLP01={_e(seg, 1)}")
            row.set(H.P_ACCOUNT, _e(seg, 1))
            row.set(TOTAL_CHARGE, _e(seg, 3))
            row.set(PAID, _e(seg, 4))
            row.set(H.FACILITY, self.payee)
            self.sub = self.pat = None
            return
        rec = self.claim
        if rec is None:
            return
        if tag == "NM1":
            entity = _e(seg, 1)
            if entity in ("QC", "74"):
                p = self._nm1(seg)
                if entity == "QC" or self.pat is None:
                    self.pat = p
                self._refresh_835(rec)
            elif entity == "IL":
                self.sub = self._nm1(seg)
                self._refresh_835(rec)
            elif entity in _PROVIDERS:
                self._provider(rec, seg)
        elif tag == "SVC":
            parts = self._composite(_e(seg, 1))
            if len(parts) > 1:
                rec.add(H.PX_CODES, parts[1].strip())
        elif tag == "DTM":
            self._dates(rec, seg, 2)
        elif tag == "REF" and _e(seg, 1) == "EA":
            rec.set(H.P_MRN, _e(seg, 2))

    def _refresh_835(self, rec: H.Record) -> None:
        for col in (*H.PATIENT_COLUMNS, *H.SUBSCRIBER_COLUMNS, H.MEMBER_ID):
            if col not in (H.P_ACCOUNT, H.P_MRN):
                rec.cells.pop(col, None)
        sub, pat = self.sub, self.pat
        if sub is not None and pat is not None and _same(sub, pat):
            self.sub = None
        self._people_into(rec)

    # ---- 834

    def _seg_834(self, tag: str, seg: list[str]) -> None:
        if tag == "N1":
            if _e(seg, 1) == "IN":
                self.payer = _e(seg, 2)
            elif _e(seg, 1) == "P5":
                self.payee = _e(seg, 2)
            return
        if tag == "INS":
            row = self._start_row("member", "")
            row.set(H.FACILITY, self.payee)
            self.sub, self.pat = _Person(), None
            self.ctx = self.sub
            return
        rec = self.claim
        if rec is None:
            return
        if tag == "REF" and _e(seg, 1) in ("0F", "23", "1L", "3H", "ZZ"):
            if _e(seg, 1) == "1L":
                rec.set(H.GROUP_NO, _e(seg, 2))
            else:
                rec.set(H.MEMBER_ID, _e(seg, 2))
        elif tag == "NM1":
            if _e(seg, 1) == "IL":
                p = self._nm1(seg)
                self.sub = self.ctx = p
                self._refresh_834(rec)
            else:
                self.ctx = None  # a custodial parent, a responsible person …: not the member
        elif self._person_detail(tag, seg):
            if self.ctx is self.sub:
                self._refresh_834(rec)
        elif tag == "HD":
            rec.add(H.PLAN, _e(seg, 4) or _e(seg, 3))

    def _refresh_834(self, rec: H.Record) -> None:
        p = self.sub
        if p is None:
            return
        for col, v in p.cells.items():
            rec.set(col, v)
        if p.ident_kind == "34":
            rec.set(H.P_SSN, p.ident)
        elif p.ident:
            rec.set(H.MEMBER_ID, p.ident)

    # ---- other transaction sets

    def _seg_other(self, tag: str, seg: list[str]) -> None:
        if tag == "NM1":
            entity = _e(seg, 1)
            if entity in ("IL", "QC", "03"):
                rec = self._start_row("person", "")
                p = self._nm1(seg)
                self.sub, self.pat, self.ctx = p, None, p
                self._people_into(rec)
            elif entity == "PR":
                self.payer = _e(seg, 3)
                self.ctx = None
            else:
                self.ctx = None
            return
        if self._person_detail(tag, seg) and self.claim is not None:
            self._people_into(self.claim)
        elif tag == "DTP" and self.claim is not None:
            self._dates(self.claim, seg)

    def finish(self) -> None:
        self._emit()


def _same(a: _Person, b: _Person) -> bool:
    return (a.cells.get(H.P_LAST), a.cells.get(H.P_FIRST)) == (
        b.cells.get(H.P_LAST),
        b.cells.get(H.P_FIRST),
    )


# --------------------------------------------------------------------------- reader


def read_x12(src: Source, ctx: ReadContext, out: Emitter) -> None:
    """Read an X12 file (see the module docstring)."""
    sink = H.RowSink(out, COLUMNS, "X12 records")
    parser = _Parser(sink)
    n_segments = 0
    for seg in iter_segments(src):
        n_segments += 1
        try:
            parser.segment(seg)
        except (IndexError, ValueError):
            continue  # one malformed segment does not lose the claim around it
    parser.finish()
    if n_segments == 0 or (parser.n_st == 0 and parser.n == 0):
        raise H.corrupt("no X12 transaction set after the ISA header")
    sink.close()
