"""HL7 v2 messages (ADT, ORU, ORM, SIU, DFT, VXU, MDM …), read by their structure.

A file may hold one message, many (an interface-engine capture, CR, LF or CRLF between
segments), MLLP-framed messages (``0x0B … 0x1C 0x0D``) or a batch (``FHS``/``BHS`` …
``BTS``/``FTS``). It is streamed in 1 MiB chunks and cut into messages at each ``MSH``
segment, so a 1 GB capture never sits in memory. Each message is split on the separators
its own ``MSH`` declares (plain splitting: ~50× faster than python-hl7), escape sequences
(``\\F\\ \\S\\ \\T\\ \\R\\ \\E\\ \\Xhh\\ \\.br\\``) are undone, and a message that is not UTF-8 is
read as Windows-1252.

Each message becomes one row of one table document (columns: see
:mod:`~breachscope.ingest.readers.healthrows`): PID name / DOB / sex / SSN / address /
phone / e-mail / MRN (PID-3 by identifier type) / account / driver's licence / death; IN1
plan, member (policy) number, group number and — when the insured is not the patient
(IN1-17 other than self) — the insured as ``Subscriber …``; PV1 attending / referring
doctors, facility, admit and discharge dates; DG1 diagnoses; PR1 and FT1 procedures (FT1
diagnoses too); OBR/OBX results (``Glucose 145 mg/dL``; imaging orders by diagnostic
service section to ``Imaging Studies``); RXE/RXO/RXA/RXD/RXG medications; AIP/AIG
appointment providers; SCH appointment date.

``row_no`` is the 1-based number of the message in the file (batch header segments do not
count). ``Source`` says ``message N`` and the message control ID (MSH-10). A truncated last
message keeps what parsed; a file in which no message parses fails as ``corrupt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from breachscope.ingest.emit import Emitter
from breachscope.ingest.readers import healthrows as H
from breachscope.ingest.registry import ReadContext, Source

CHUNK = 1 << 20
MAX_MESSAGE = 64 << 20  # a "message" longer than this is not HL7: stop collecting it

COLUMNS = (
    H.SOURCE, "Message Type", "Message Date", H.FACILITY, *H.PATIENT_COLUMNS, H.PLAN,
    H.MEMBER_ID, H.GROUP_NO, *H.SUBSCRIBER_COLUMNS, H.ATTENDING, H.ATTENDING_NPI, H.REFERRING,
    H.ORDERING, *H.CLINICAL_COLUMNS, H.ADMIT_DATE, H.DISCHARGE_DATE,
)  # fmt: skip

_SEG_SPLIT = re.compile(rb"\r\n|\r|\n|\x0b|\x1c")
_BATCH = frozenset({"FHS", "BHS", "BTS", "FTS"})
_SELF = frozenset({"01", "SEL", "SELF", "18", "1", "S"})
# OBR-24 diagnostic service sections that are imaging.
_IMAGING_SECTIONS = frozenset(
    {"RAD", "RX", "CT", "MR", "MRI", "US", "NMR", "NM", "XRC", "VUS", "CUS", "RT", "IMG", "MG"}
)
_IMAGING_WORDS = re.compile(
    r"\b(?:X-?RAY|XR|CT|MRI|MR|ULTRASOUND|US|MAMMO\w*|PET|DEXA|FLUORO\w*|ANGIO\w*|ECHO\w*)\b",
    re.I,
)
_NUMERIC_OBX = frozenset({"NM", "SN", "ST", "CE", "CWE", "TX", "FT", "CNE", "NA"})


# --------------------------------------------------------------------------- splitting


def iter_messages(path_bytes: Iterator[bytes]) -> Iterator[list[bytes]]:
    """Messages as lists of raw segments, from a stream of chunks.

    A message starts at each ``MSH`` segment; batch/file header and trailer segments and
    anything before the first ``MSH`` are dropped.
    """
    current: list[bytes] = []
    size = 0
    tail = b""
    for chunk in path_bytes:
        data = tail + chunk
        parts = _SEG_SPLIT.split(data)
        tail = parts.pop()  # may be an incomplete segment
        for seg in parts:
            if not seg:
                continue
            seg = seg.lstrip(b" \t")
            head = seg[:3]
            if head == b"MSH":
                if current:
                    yield current
                current, size = [seg], len(seg)
            elif head in (b"FHS", b"BHS", b"BTS", b"FTS"):
                if current:
                    yield current
                current, size = [], 0
            elif current and size < MAX_MESSAGE:
                current.append(seg)
                size += len(seg)
        if len(tail) > MAX_MESSAGE:
            tail = b""  # a giant run without separators: not HL7 text
    if tail.strip():
        seg = tail.lstrip(b" \t")
        if seg[:3] == b"MSH":
            if current:
                yield current
            current = [seg]
        elif current and seg[:3] not in (b"BTS", b"FTS"):
            current.append(seg)
    if current:
        yield current


def _chunks(src: Source) -> Iterator[bytes]:
    with src.path.open("rb") as f:
        if src.guess.bom:
            f.seek(src.guess.bom)
        while chunk := f.read(CHUNK):
            yield chunk


# --------------------------------------------------------------------------- one message


class _Seps:
    __slots__ = ("comp", "esc", "field", "rep", "sub")

    def __init__(self, msh: str) -> None:
        self.field = msh[3] if len(msh) > 3 else "|"
        enc = msh[4:8] if len(msh) > 4 else "^~\\&"
        enc = enc.split(self.field, 1)[0]
        self.comp = enc[0] if len(enc) > 0 else "^"
        self.rep = enc[1] if len(enc) > 1 else "~"
        self.esc = enc[2] if len(enc) > 2 else "\\"
        self.sub = enc[3] if len(enc) > 3 else "&"


_HEX = re.compile(r"X([0-9A-Fa-f]{2,})")


def _unescape(value: str, s: _Seps) -> str:
    if s.esc not in value:
        return value
    parts = value.split(s.esc)
    out = [parts[0]]
    i = 1
    while i < len(parts):
        if i + 1 < len(parts):  # parts[i] sits between two escape chars: a code
            rep = _escape_code(parts[i], s)
            if rep is not None:
                out += (rep, parts[i + 1])
                i += 2
                continue
        out.append(s.esc + parts[i])  # an unpaired or unknown escape is kept as it is
        i += 1
    return "".join(out)


def _escape_code(code: str, s: _Seps) -> str | None:
    if code == "F":
        return s.field
    if code == "S":
        return s.comp
    if code == "T":
        return s.sub
    if code == "R":
        return s.rep
    if code == "E":
        return s.esc
    if code in (".br", ".sp"):
        return " "
    if code.startswith(("H", "N")) and len(code) == 1:
        return ""  # highlight on/off
    m = _HEX.fullmatch(code)
    if m:
        try:
            return bytes.fromhex(m.group(1)).decode("latin-1")
        except ValueError:
            return ""
    return None


class _Segment:
    """One segment split into fields; components are split on demand."""

    __slots__ = ("fields", "name", "s")

    def __init__(self, text: str, s: _Seps) -> None:
        self.s = s
        self.name = text[:3]
        if self.name == "MSH":
            # MSH-1 is the field separator itself: shift so that fields[n] is MSH-n.
            rest = text[4:].split(s.field) if len(text) > 4 else []
            self.fields = ["MSH", s.field, *rest]
        else:
            self.fields = text.split(s.field)

    def reps(self, n: int) -> list[str]:
        """Repetitions of field n (raw, still with components)."""
        if n >= len(self.fields) or not self.fields[n]:
            return []
        return [r for r in self.fields[n].split(self.s.rep) if r]

    def _split(self, raw: str) -> list[str]:
        s = self.s
        parts = raw.split(s.comp)
        if s.esc in raw or s.sub in raw:
            parts = [_unescape(c.split(s.sub, 1)[0], s) for c in parts]
        return parts

    def comps(self, n: int, rep: int = 0) -> list[str]:
        """Components of one repetition of field n, subcomponents dropped, unescaped."""
        if n >= len(self.fields):
            return []
        raw = self.fields[n]
        if not raw:
            return []
        if self.s.rep in raw:
            reps = [r for r in raw.split(self.s.rep) if r]
            if rep >= len(reps):
                return []
            raw = reps[rep]
        elif rep:
            return []
        return self._split(raw)

    def comp(self, n: int, c: int = 1, rep: int = 0) -> str:
        cs = self.comps(n, rep)
        return cs[c - 1].strip() if c - 1 < len(cs) else ""

    def all_comps(self, n: int) -> list[list[str]]:
        return [self._split(r) for r in self.reps(n)]


def _c(cs: list[str], i: int) -> str:
    return cs[i - 1].strip() if i - 1 < len(cs) else ""


def _xcn(cs: list[str]) -> tuple[str, str]:
    """A doctor (XCN: id^family^given^middle^suffix^prefix^degree) as (name, NPI or '')."""
    if not cs:
        return "", ""
    name = H.join_name(_c(cs, 6), _c(cs, 3), _c(cs, 4), _c(cs, 2), _c(cs, 5))
    deg = _c(cs, 7)
    if name and deg:
        name = f"{name}, {deg}"
    ident = _c(cs, 1)
    npi = ident if len(ident) == 10 and ident.isdigit() else ""
    return name, npi


def _code_text(cs: list[str]) -> tuple[str, str, str]:
    """A coded element (CE/CWE: code^text^system^alt code^alt text^alt system)."""
    return _c(cs, 1), _c(cs, 2) or _c(cs, 5), _c(cs, 3).upper()


def _is_icd10(code: str, system: str) -> bool:
    if system:
        return "I10" in system or "ICD10" in system.replace("-", "") or system == "ICD-10-CM"
    return bool(re.fullmatch(r"[A-TV-Z]\d[0-9A-Z]\.?[0-9A-Z]{0,4}", code.upper()))


def _phone(cs: list[str]) -> tuple[str, str]:
    """XTN → (phone, e-mail)."""
    email = _c(cs, 4) if "@" in _c(cs, 4) else ""
    if _c(cs, 1) and "@" in _c(cs, 1):
        return "", _c(cs, 1)
    area, local = _c(cs, 6), _c(cs, 7)
    if local:
        num = f"({area}) {local[:3]}-{local[3:]}" if area and len(local) == 7 else f"{area} {local}"
        return num.strip(), email
    return _c(cs, 1), email


def read_message(raw: list[bytes], msg_no: int) -> H.Record:
    """One message as a row (``raw`` segments start with MSH)."""
    texts = H.decode_bytes(b"\r".join(raw)).split("\r")
    s = _Seps(texts[0])
    rec = H.Record()
    segs = [_Segment(t, s) for t in texts]
    m = segs[0]
    control = m.comp(10)
    mtype = "^".join(x for x in (m.comp(9, 1), m.comp(9, 2)) if x)
    rec.set(H.SOURCE, f"message {msg_no}" + (f", MSH-10={control}" if control else ""))
    rec.set("Message Type", mtype)
    rec.set("Message Date", H.iso_date(m.comp(7)))
    seen_pid = False
    other_insured = False
    n_in1 = 0
    obr_imaging = False
    obr_name = ""
    for seg in segs[1:]:
        n = seg.name
        if n == "PID":
            if seen_pid:
                break  # a second patient (A17 swap …): this row is the first one's
            seen_pid = True
            _pid(seg, rec)
        elif n == "PV1":
            _pv1(seg, rec)
        elif n == "IN1":
            n_in1 += 1
            other_insured = _in1(seg, rec, n_in1 == 1) or other_insured
        elif n == "DG1":
            _dx(seg.comps(3), seg.comp(4), rec)
        elif n == "PR1":
            code, text, _ = _code_text(seg.comps(3))
            rec.add(H.PX_CODES, code)
            rec.add(H.PX_TEXT, text or seg.comp(4))
            name, npi = _xcn(seg.comps(12))
            rec.add(H.ATTENDING, name)
        elif n == "FT1":
            rec.set(H.SERVICE_DATE, H.iso_date(seg.comp(4)))
            for cs in seg.all_comps(19):
                _dx(cs, "", rec)
            code, text, _ = _code_text(seg.comps(25))
            rec.add(H.PX_CODES, code)
            rec.add(H.PX_TEXT, text)
            for k in (20, 21):
                name, npi = _xcn(seg.comps(k))
                rec.add(H.ATTENDING, name)
                rec.add(H.ATTENDING_NPI, npi)
        elif n == "OBR":
            code, text, _ = _code_text(seg.comps(4))
            section = seg.comp(24).upper()
            obr_name = text or code
            obr_imaging = section in _IMAGING_SECTIONS or (
                not section and bool(_IMAGING_WORDS.search(obr_name))
            )
            if obr_imaging:
                rec.add(H.IMAGING, obr_name)
            name, npi = _xcn(seg.comps(16))
            rec.add(H.ORDERING, name)
        elif n == "OBX":
            if not obr_imaging:
                _obx(seg, rec)
        elif n in ("RXE", "RXO", "RXA", "RXD", "RXG"):
            _rx(seg, rec)
        elif n in ("AIP", "AIG"):
            name, npi = _xcn(seg.comps(3))
            rec.add(H.ATTENDING, name)
            rec.add(H.ATTENDING_NPI, npi)
        elif n == "SCH":
            rec.set(H.SERVICE_DATE, H.iso_date(seg.comp(11, 4)))
    if not other_insured:
        rec.fold_subscriber_into_patient()
    return rec


def _pid(seg: _Segment, rec: H.Record) -> None:
    for cs in seg.all_comps(3):
        ident, kind = _c(cs, 1), _c(cs, 5).upper()
        if not ident:
            continue
        if kind in ("SS", "SSN"):
            rec.set(H.P_SSN, ident)
        elif kind in ("DL", "DLN"):
            rec.set(H.P_DL, ident)
        elif kind in ("MB", "MI", "MA", "MC", "SN", "MCD", "MCR"):
            rec.set(H.MEMBER_ID, ident)
        elif kind in ("AN", "VN"):
            rec.set(H.P_ACCOUNT, ident)
        else:  # MR, PI, PT, PN, unlabelled: the facility's patient number
            rec.set(H.P_MRN, ident)
    rec.set(H.P_MRN, seg.comp(2))
    rec.set(H.P_MRN, seg.comp(4))
    names = seg.all_comps(5)
    pick = next((cs for cs in names if _c(cs, 7).upper() in ("L", "")), names[0] if names else [])
    if pick:
        rec.set(H.P_LAST, _c(pick, 1))
        rec.set(H.P_FIRST, _c(pick, 2))
        rec.set(H.P_MIDDLE, _c(pick, 3))
        rec.set(H.P_SUFFIX, _c(pick, 4))
    rec.set(H.P_DOB, H.iso_date(seg.comp(7)))
    rec.set(H.P_GENDER, seg.comp(8))
    _address(seg.all_comps(11), rec, H.P_STREET, H.P_CITY, H.P_STATE, H.P_ZIP)
    for k in (13, 14):
        for cs in seg.all_comps(k):
            phone, email = _phone(cs)
            rec.set(H.P_PHONE, phone)
            rec.set(H.P_EMAIL, email)
    rec.set(H.P_ACCOUNT, seg.comp(18))
    rec.set(H.P_SSN, seg.comp(19))
    rec.set(H.P_DL, seg.comp(20))
    rec.set(H.DEATH_DATE, H.iso_date(seg.comp(29)))
    if seg.comp(30).upper() in ("Y", "YES"):
        rec.set(H.DECEASED, "Y")


def _address(
    reps: list[list[str]], rec: H.Record, street: str, city: str, state: str, zipc: str
) -> None:
    if not reps:
        return
    cs = next((r for r in reps if _c(r, 7).upper() in ("H", "M", "P")), reps[0])
    rec.set(street, H.join_name(_c(cs, 1), _c(cs, 2)))
    rec.set(city, _c(cs, 3))
    rec.set(state, _c(cs, 4))
    rec.set(zipc, _c(cs, 5))


def _pv1(seg: _Segment, rec: H.Record) -> None:
    rec.set(H.FACILITY, seg.comp(3, 4))
    for k, col in ((7, H.ATTENDING), (8, H.REFERRING), (17, H.ATTENDING)):
        for cs in seg.all_comps(k):
            name, npi = _xcn(cs)
            rec.add(col, name)
            if col == H.ATTENDING:
                rec.add(H.ATTENDING_NPI, npi)
    rec.set(H.ADMIT_DATE, H.iso_date(seg.comp(44)))
    rec.set(H.DISCHARGE_DATE, H.iso_date(seg.comp(45)))


def _in1(seg: _Segment, rec: H.Record, first: bool) -> bool:
    """Read an IN1; True when it names an insured who is not the patient."""
    plan = seg.comp(4) or seg.comp(2, 2) or seg.comp(9)
    rec.add(H.PLAN, plan)
    if not first:
        return False  # secondary coverage: its plan is listed, its insured is not
    rec.set(H.MEMBER_ID, seg.comp(36) or seg.comp(49))
    rec.set(H.GROUP_NO, seg.comp(8))
    rel = seg.comp(17).upper()
    names = seg.all_comps(16)
    if names:
        cs = names[0]
        rec.set(H.S_LAST, _c(cs, 1))
        rec.set(H.S_FIRST, _c(cs, 2))
        rec.set(H.S_MIDDLE, _c(cs, 3))
        rec.set(H.S_SUFFIX, _c(cs, 4))
    rec.set(H.S_DOB, H.iso_date(seg.comp(18)))
    rec.set(H.S_GENDER, seg.comp(43))
    _address(seg.all_comps(19), rec, H.S_STREET, H.S_CITY, H.S_STATE, H.S_ZIP)
    if rel and rel not in _SELF and names:
        # The policy number is the subscriber's: it moves to their group.
        member = rec.cells.pop(H.MEMBER_ID, None)
        if member:
            rec.cells[H.S_MEMBER_ID] = member
        return True
    return False


def _dx(cs: list[str], desc: str, rec: H.Record) -> None:
    code, text, system = _code_text(cs)
    if code and _is_icd10(code, system):
        rec.add(H.DX_CODES, H.format_icd10(code))
    elif code and not text:
        text = code
    rec.add(H.DX_TEXT, text or desc)


def _obx(seg: _Segment, rec: H.Record) -> None:
    vtype = seg.comp(2).upper()
    if vtype in ("ED", "RP", "TX", "FT") or (vtype and vtype not in _NUMERIC_OBX):
        return  # narrative report text and embedded data are not a result line
    code, text, _ = _code_text(seg.comps(3))
    name = text or code
    values = seg.reps(5)
    if not name or not values:
        return
    value = seg.comp(5)
    if vtype in ("CE", "CWE", "CNE"):
        value = seg.comp(5, 2) or value
    elif vtype == "SN":
        value = "".join(seg.comps(5)).strip()
    units = seg.comp(6, 2) or seg.comp(6, 1)
    if not value:
        return
    rec.add(H.LAB_RESULTS, H.join_name(name, value, units))


def _rx(seg: _Segment, rec: H.Record) -> None:
    k = {"RXE": 2, "RXO": 1, "RXA": 5, "RXD": 2, "RXG": 4}[seg.name]
    code, text, _ = _code_text(seg.comps(k))
    drug = text or code
    if not drug:
        return
    if seg.name == "RXE":
        amount, units = seg.comp(3), seg.comp(5, 2) or seg.comp(5, 1)
        drug = (
            H.join_name(drug, amount, units)
            if amount and not any(ch.isdigit() for ch in drug)
            else drug
        )
    rec.add(H.MEDICATIONS, drug)


# --------------------------------------------------------------------------- reader


def read_hl7(src: Source, ctx: ReadContext, out: Emitter) -> None:
    """Read an HL7 v2 file (see the module docstring)."""
    sink = H.RowSink(out, COLUMNS, "HL7 v2 messages")
    n = bad = 0
    for raw in iter_messages(_chunks(src)):
        n += 1
        try:
            rec = read_message(raw, n)
        except (IndexError, ValueError, UnicodeError):
            bad += 1  # a mangled message fails alone; the rest of the file is read
            continue
        sink.add(n, rec)
    if n == 0 or bad == n:
        raise H.corrupt("no readable HL7 v2 message (no MSH segment)")
    sink.close()
