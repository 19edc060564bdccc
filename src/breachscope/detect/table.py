"""Reading classified table columns: one pass per column over a chunk of rows.

Each column's values go through one reader (``mode``) with a per-column memo, so a value
repeated down a column (a state, a payer, a diagnosis code) is normalised once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from breachscope.detect import normalize, validators
from breachscope.detect.address import parse_address
from breachscope.detect.columns import ColumnPlan, TablePlan
from breachscope.detect.findings import new_batch
from breachscope.detect.person_names import split_name

# A reader returns (field, value, confidence factor, note) tuples for one cell.
Read = list[tuple[str | None, str, float, str]]
Reader = Callable[[str, ColumnPlan, dt.date], Read]

_NONE: Read = []


def _r_ssn(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = validators.digits(v)
    if len(d) == 9:
        return (
            [(None, d, 1.0, "validator ssn_area_group_serial")]
            if validators.ssn_valid(d)
            else _NONE
        )
    if len(d) == 4 and c.category == "ssn":
        return [("last4", d, 1.0, "last four digits only")]  # re-routed below
    return _NONE


def _r_last4(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = validators.digits(v)
    if len(d) >= 4:
        return [(None, d[-4:], 1.0, "")]
    return _NONE


def _r_date(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = normalize.parse_date(v, order=c.date_order, today=today)
    return [(None, d.isoformat(), 1.0, "validator calendar")] if d else _NONE


def _r_dob(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = normalize.parse_date(v, order=c.date_order, past=True, today=today)
    if d is None or not validators.plausible_dob(d, today):
        return _NONE
    return [(None, d.isoformat(), 1.0, "validator calendar; not in the future")]


def _r_death(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = normalize.parse_date(v, order=c.date_order, past=True, today=today)
    if d is None or d > today:
        return _NONE
    return [(None, d.isoformat(), 1.0, "validator calendar")]


def _r_flag(v: str, c: ColumnPlan, today: dt.date) -> Read:
    return [(None, "true", 1.0, "flag set")] if normalize.flag(v) else _NONE


def _r_gender(v: str, c: ColumnPlan, today: dt.date) -> Read:
    g = normalize.gender(v)
    return [(None, g, 1.0, "")] if g else _NONE


def _r_email(v: str, c: ColumnPlan, today: dt.date) -> Read:
    e = normalize.email(v)
    return [(None, e, 1.0, "e-mail syntax")] if e else _NONE


def _r_phone(v: str, c: ColumnPlan, today: dt.date) -> Read:
    p = normalize.phone_e164(v)
    return [(None, p, 1.0, "E.164")] if p else _NONE


def _r_ident(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = normalize.ident(v)
    if t is None:
        return _NONE
    if c.category == "member_id":
        if validators.mbi_valid(t):
            return [("mbi", t, 1.0, "validator mbi_format")]
        if c.field in ("medicare", "hicn") and validators.hicn_valid(t):
            return [("hicn", t, 1.0, "validator hicn_format")]
    return [(c.field, t, 1.0, "")]


def _r_lower(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = v.strip().lower()
    return [(c.field, t, 1.0, "")] if t else _NONE


def _r_secret(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = v.strip()
    if not t:
        return _NONE
    return [
        (c.field, "sha256:" + hashlib.sha256(t.encode()).hexdigest()[:16], 1.0, "stored hashed")
    ]


def _r_aba(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = validators.digits(v)
    return [("routing", d, 1.0, "validator aba_checksum")] if validators.aba_valid(d) else _NONE


def _r_card(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = validators.digits(v)
    net = validators.card_network(d)
    return [(None, d, 1.0, f"validator luhn+iin ({net})")] if net else _NONE


def _r_npi(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = validators.digits(v)
    return [("npi", d, 1.0, "validator npi_luhn")] if validators.npi_valid(d) else _NONE


def _r_icd(v: str, c: ColumnPlan, today: dt.date) -> Read:
    out: Read = []
    for tok in v.replace(";", ",").replace("|", ",").split(","):
        tok = tok.strip().split(" ", 1)[0]
        if not tok:
            continue
        code = validators.icd10cm_code(tok)
        if code:
            out.append(("icd10", code, 1.0, "validator icd10cm_code_set"))
    if not out:
        t = normalize.text_value(v)
        if t and any(ch.isalpha() for ch in t):
            return [(None, t, 0.7, "not in the ICD-10-CM code set; kept as text")]
    return out[:1]


def _r_cpt(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = v.strip().upper().split(" ", 1)[0].split("-", 1)[0]
    if validators.cpt_like(t):
        return [("cpt", t, 1.0, "CPT shape")]
    if validators.hcpcs_like(t):
        return [("hcpcs", t, 1.0, "HCPCS shape")]
    x = normalize.text_value(v)
    return [(None, x, 0.7, "text")] if x else _NONE


def _r_ndc(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = validators.digits(v)
    if 10 <= len(d) <= 11:
        return [("ndc", d, 1.0, "NDC shape")]
    x = normalize.text_value(v)
    return [(None, x, 0.7, "text")] if x and any(ch.isalpha() for ch in x) else _NONE


def _r_text(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = normalize.text_value(v)
    return [(c.field, t, 1.0, "")] if t else _NONE


def _r_name_part(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = normalize.clean_name(v)
    if not t or len(t) > 60:
        return _NONE
    return [(c.field, t, 1.0, "")]


def _r_name_full(v: str, c: ColumnPlan, today: dt.date) -> Read:
    if len(v) > 80:
        return _NONE
    parts = split_name(v)
    if parts is None:
        return _NONE
    out: Read = []
    for fld, val in parts.items():
        if fld == "prefix":
            continue
        t = normalize.clean_name(val)
        if t:
            out.append((fld, t, 1.0, "name split into parts"))
    return out


def _r_provider_name(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = validators.digits(v)
    if len(d) == 10 and validators.npi_valid(d):
        return [("npi", d, 1.0, "validator npi_luhn")]
    parts = split_name(v)
    if parts is None:
        return _NONE
    shown = " ".join(val for f, val in parts.items() if f in ("first", "middle", "last"))
    t = normalize.clean_name(shown)
    return [("name", t, 1.0, "")] if t else _NONE


def _r_provider_part(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = normalize.clean_name(v)
    return [("name", t, 1.0, "")] if t else _NONE


def _r_street(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = normalize.text_value(v, 120)
    if not t:
        return _NONE
    if "," in t or "\n" in t:
        parts = parse_address(t)
        if parts and "state" in parts:
            return [(k, val, 1.0, "parsed (address parser)") for k, val in parts.items()]
    return [("street", t, 1.0, "")]


def _r_address_full(v: str, c: ColumnPlan, today: dt.date) -> Read:
    parts = parse_address(v)
    if not parts:
        t = normalize.text_value(v, 120)
        return [("street", t, 0.6, "unparsed address kept as street")] if t else _NONE
    return [(k, val, 1.0, "parsed (address parser)") for k, val in parts.items()]


def _r_city(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = normalize.clean_name(v)
    return [("city", t, 1.0, "")] if t else _NONE


def _r_state(v: str, c: ColumnPlan, today: dt.date) -> Read:
    s = normalize.state_code(v)
    return [("state", s, 1.0, "US state code")] if s else _NONE


def _r_zip(v: str, c: ColumnPlan, today: dt.date) -> Read:
    z = normalize.zip5(v)
    return [("zip", z, 1.0, "ZIP shape")] if z else _NONE


def _r_line2(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = normalize.text_value(v, 60)
    return [("line2", t, 1.0, "")] if t else _NONE


def _r_payer(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = normalize.text_value(v, 120)
    if not t or not any(ch.isalpha() for ch in t):
        return _NONE
    return [(None, t, 1.0, "")]


READERS: dict[str, Reader] = {
    "ssn": _r_ssn, "last4": _r_last4, "date": _r_date, "dob": _r_dob, "death_date": _r_death,
    "flag": _r_flag, "gender": _r_gender, "email": _r_email, "phone": _r_phone,
    "ident": _r_ident, "lower": _r_lower, "secret": _r_secret, "aba": _r_aba, "card": _r_card,
    "npi": _r_npi, "icd": _r_icd, "cpt": _r_cpt, "ndc": _r_ndc, "text": _r_text,
    "name_part": _r_name_part, "name_full": _r_name_full, "provider_name": _r_provider_name,
    "provider_part": _r_provider_part, "street": _r_street, "address_full": _r_address_full,
    "city": _r_city, "state": _r_state, "zip": _r_zip, "line2": _r_line2, "payer": _r_payer,
}  # fmt: skip


def read_columns(
    plan: TablePlan,
    rows: Iterable[tuple[int, list[str | None]]],
    today: dt.date,
    doc_id: str = "",
    file_id: str = "",
) -> dict[str, list[Any]]:
    """Findings for a chunk of rows, column by column, as a columnar batch."""
    b = new_batch()
    chunk = [
        (rn, cells) for rn, cells in rows if plan.header_row_no is None or rn > plan.header_row_no
    ]
    if not chunk:
        return b
    row_nos = [rn for rn, _ in chunk]
    cells_list = [cells for _, cells in chunk]
    empty = normalize.EMPTY
    out_row, out_cat, out_fld, out_val = b["row_no"], b["category"], b["field"], b["value"]
    out_conf, out_why, out_col, out_subj = (
        b["confidence"],
        b["explanation"],
        b["column_name"],
        b["subject"],
    )
    n_before = 0
    for c in plan.columns:
        reader = READERS[c.mode]
        j = c.index
        memo: dict[str, list[tuple[str, str | None, str, float, str]]] = {}
        label = (
            f"column '{_safe_header(c.header)}'"
            if c.why.startswith("heading:")
            else f"column {j + 1}"
        )
        base_why = f"{label}: {c.why}"
        col_values = [cells[j] if j < len(cells) else None for cells in cells_list]
        header, subject = c.header, c.subject
        for rn, v in zip(row_nos, col_values, strict=True):
            if not v:
                continue
            got = memo.get(v)
            if got is None:
                got = _resolve(reader, v, c, today, base_why, empty)
                if len(memo) < 100_000:
                    memo[v] = got
            for cat, fld, value, conf, why in got:
                out_row.append(rn)
                out_cat.append(cat)
                out_fld.append(fld)
                out_val.append(value)
                out_conf.append(conf)
                out_why.append(why)
                out_col.append(header)
                out_subj.append(subject)
    n = len(out_row) - n_before
    b["doc_id"] = [doc_id] * n
    b["file_id"] = [file_id] * n
    b["page"] = [None] * n
    b["start_char"] = [None] * n
    b["end_char"] = [None] * n
    b["detector"] = ["table.column"] * n
    return b


def _resolve(
    reader: Reader, v: str, c: ColumnPlan, today: dt.date, base_why: str, empty: frozenset[str]
) -> list[tuple[str, str | None, str, float, str]]:
    s = v.strip()
    if not s or s.lower() in empty:
        return []
    out: list[tuple[str, str | None, str, float, str]] = []
    for fld, value, factor, note in reader(s, c, today):
        cat = c.category
        if cat == "ssn" and fld == "last4":
            cat, fld = "ssn_last4", None
        why = base_why + (f"; {note}" if note else "")
        conf = round(c.confidence * factor, 3)
        out.append((cat, fld, value, conf, why))
        if cat == "health_plan" and fld is None:
            out.append(("organization", "payer", value, round(conf * 0.9, 3), why))
    return out


def _safe_header(h: str) -> str:
    """Headings are evidence text too; keep them short in explanations."""
    h = " ".join(h.split())
    return h[:40]
