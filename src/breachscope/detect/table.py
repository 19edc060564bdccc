"""Reading classified table columns: one pass per column over a chunk of rows.

Each column's values go through one reader (``mode``) with a per-column memo, so a value
repeated down a column (a state, a payer, a diagnosis code) is normalised once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from itertools import pairwise, zip_longest
from operator import itemgetter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from breachscope.detect import normalize, validators, vector
from breachscope.detect.address import parse_address
from breachscope.detect.columns import (
    DEFER,
    ColumnPlan,
    TablePlan,
    parse_date,
    plan_deferred,
    second_surname_columns,
)
from breachscope.detect.findings import ARROW_PARTS, ARROW_SCHEMA, new_batch
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
    d = parse_date(v, order=c.date_order, today=today)
    return [(None, d.isoformat(), 1.0, "validator calendar")] if d else _NONE


def _r_dob(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = parse_date(v, order=c.date_order, past=True, today=today)
    if d is None or not validators.plausible_dob(d, today):
        return _NONE
    return [(None, d.isoformat(), 1.0, "validator calendar; not in the future")]


def _r_dob_serial(v: str, c: ColumnPlan, today: dt.date) -> Read:
    t = v.strip()
    if not (t.isascii() and t.isdigit() and len(t) == 5):
        return _NONE
    d = normalize.excel_serial(t)
    if d is None or not validators.plausible_dob(d, today):
        return _NONE
    return [(None, d.isoformat(), 1.0, "Excel serial day number; not in the future")]


def _r_death(v: str, c: ColumnPlan, today: dt.date) -> Read:
    d = parse_date(v, order=c.date_order, past=True, today=today)
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
    "dob_serial": _r_dob_serial,
    "flag": _r_flag, "gender": _r_gender, "email": _r_email, "phone": _r_phone,
    "ident": _r_ident, "lower": _r_lower, "secret": _r_secret, "aba": _r_aba, "card": _r_card,
    "npi": _r_npi, "icd": _r_icd, "cpt": _r_cpt, "ndc": _r_ndc, "text": _r_text,
    "name_part": _r_name_part, "name_full": _r_name_full, "provider_name": _r_provider_name,
    "provider_part": _r_provider_part, "street": _r_street, "address_full": _r_address_full,
    "city": _r_city, "state": _r_state, "zip": _r_zip, "line2": _r_line2, "payer": _r_payer,
}  # fmt: skip


def read_columns(
    plan: TablePlan,
    rows: Iterable[tuple[int, list[str | None]]] | pa.Table | pa.RecordBatch,
    today: dt.date,
    doc_id: str = "",
    file_id: str = "",
) -> dict[str, list[Any]]:
    """Findings for a chunk of rows, column by column, as a columnar batch.

    ``rows`` are ``(row_no, cells)`` pairs, or an Arrow table / record batch with columns
    ``row_no`` and ``cells`` (a list of strings) as the store returns them — the faster
    form, with no Python objects per cell. Each column is dictionary-encoded; its distinct
    values are read once — in bulk by :mod:`breachscope.detect.vector` where a value has a
    clean shape, else by the per-cell reader of the column's mode — and the results are
    spread back over the rows in Arrow.
    """
    b = new_batch()
    if not plan.columns:
        return b
    if not isinstance(rows, (pa.Table, pa.RecordBatch, list)):
        rows = list(rows)
    n = rows.num_rows if isinstance(rows, (pa.Table, pa.RecordBatch)) else len(rows)
    # Slices that stay in cache (2-3x faster than one pass over 100k rows). A stage chunk
    # (ROW_CHUNK rows) is one block: a block of two slices costs half the per-call overhead
    # of reading them one by one. A table with a relationship column is read slice by
    # slice, as its dependants are found per slice.
    block = SLICE if plan.relation is not None else BLOCK
    if n > block:
        for k in range(0, n, block):
            part = rows[k : k + block]
            b[ARROW_PARTS].extend(read_columns(plan, part, today, doc_id, file_id)[ARROW_PARTS])
        return b
    wanted = sorted({c.index for c in plan.columns} | _relation_index(plan))
    if isinstance(rows, (pa.Table, pa.RecordBatch)):
        cols = _arrow_rows(rows, plan.header_row_no, wanted)
    else:
        cols = _python_rows(rows, plan.header_row_no, wanted)
    if cols is None:
        return b
    row_nos, by_col = cols
    dependants = _dependant_rows(plan, by_col, row_nos)
    second = second_surname_columns(plan.columns)
    cuts: list[int] | None = None
    parts: list[pa.Table] = []
    for c in plan.columns:
        values = by_col[c.index]
        if c.category == "name" and c.field == "last2":
            if (c.group, c.subject) in second:
                continue  # read with the first surname
            c = replace(c, field="last")
        elif c.category == "name" and c.field == "last" and (c.group, c.subject) in second:
            values = _join_surnames(values, by_col[second[(c.group, c.subject)]])
        if c.mode == DEFER:
            # Planned on each slice's own values, as when slices were read one by one.
            if cuts is None:
                cuts = _slice_cuts(rows, plan.header_row_no, n)
            for lo, hi in pairwise(cuts):
                if hi > lo:
                    parts.extend(
                        _read_deferred(plan, c, values[lo:hi], row_nos[lo:hi], dependants, today)
                    )
            continue
        got_parts = _read_column(c, values, row_nos, today)
        if c.by_relation and dependants is not None:
            got_parts = [_subscriber_on(t, dependants) for t in got_parts]
        parts.extend(got_parts)
    parts = [t for t in parts if t.num_rows]
    if not parts:
        return b
    table = pa.concat_tables(parts)
    n = table.num_rows
    b[ARROW_PARTS].append(
        pa.table(
            {
                "doc_id": pa.repeat(pa.scalar(doc_id, pa.string()), n),
                "file_id": pa.repeat(pa.scalar(file_id, pa.string()), n),
                "row_no": table.column("row_no"),
                "column_name": table.column("column_name"),
                "page": pa.nulls(n, pa.int32()),
                "start_char": pa.nulls(n, pa.int32()),
                "end_char": pa.nulls(n, pa.int32()),
                "category": table.column("category"),
                "field": table.column("field"),
                "value": table.column("value"),
                "subject": table.column("subject"),
                "confidence": table.column("confidence"),
                "detector": pa.repeat(pa.scalar("table.column", pa.string()), n),
                "explanation": table.column("explanation"),
            },
            schema=ARROW_SCHEMA,
        )
    )
    return b


def _join_surnames(first: pa.Array, second: pa.Array) -> pa.Array:
    """``Ortiz`` and ``Vega`` → ``Ortiz Vega`` row by row; either alone when the other is
    blank."""
    a = pc.utf8_trim_whitespace(first)
    b = pc.utf8_trim_whitespace(second)
    joined = pc.binary_join_element_wise(a, b, " ", null_handling="skip")
    joined = pc.utf8_trim_whitespace(joined)
    return pc.if_else(pc.equal(joined, ""), pa.nulls(len(joined), pa.string()), joined)


def _read_deferred(
    plan: TablePlan,
    c: ColumnPlan,
    values: pa.Array,
    row_nos: pa.Array,
    dependants: pa.Array | None,
    today: dt.date,
) -> list[pa.Table]:
    """A deferred column's findings in one slice, planned on the slice's non-empty values."""
    present = pc.drop_null(values).to_pylist()
    filled = [v for v in present if v and not normalize.is_empty(v)]
    got = plan_deferred(plan, c, filled, today) if filled else None
    if got is None:
        return []
    got_parts = _read_column(got, values, row_nos, today)
    if got.by_relation and dependants is not None:
        got_parts = [_subscriber_on(t, dependants) for t in got_parts]
    return got_parts


def _slice_cuts(
    rows: Sequence[tuple[int, list[str | None]]] | pa.Table | pa.RecordBatch,
    hdr: int | None,
    n: int,
) -> list[int]:
    """Where the ``SLICE``-row slices of a block start and end, counted in the rows kept
    once the heading row and those above it are dropped."""
    raw = [*range(0, n, SLICE), n]
    if hdr is None:
        return raw
    if isinstance(rows, (pa.Table, pa.RecordBatch)):
        kept = np.asarray(
            pc.greater(rows.column("row_no"), hdr).to_numpy(zero_copy_only=False), dtype=bool
        )
    else:
        kept = np.fromiter((r[0] > hdr for r in rows), dtype=bool, count=n)
    before = np.concatenate(([0], np.cumsum(kept)))
    return [int(before[k]) for k in raw]


def _relation_index(plan: TablePlan) -> set[int]:
    return {plan.relation} if plan.relation is not None else set()


def _dependant_rows(
    plan: TablePlan, by_col: dict[int, pa.Array], row_nos: pa.Array
) -> pa.Array | None:
    """Row numbers whose relationship code names a dependant (not the subscriber)."""
    if plan.relation is None or plan.relation not in by_col:
        return None
    rel = pc.utf8_lower(pc.utf8_trim_whitespace(by_col[plan.relation]))
    is_self = pc.is_in(rel, pa.array(sorted(plan.relation_self), pa.string()))
    blank = pc.or_(pc.is_null(rel), pc.equal(rel, ""))
    dep = pc.and_(pc.invert(pc.fill_null(is_self, False)), pc.invert(pc.fill_null(blank, True)))
    return row_nos.filter(dep)


def _subscriber_on(t: pa.Table, dependants: pa.Array) -> pa.Table:
    """The subscriber's value on a dependant's row is the subscriber's, not the row's."""
    on_dep = pc.is_in(t.column("row_no"), dependants)
    subject = pc.if_else(on_dep, pa.scalar("subscriber"), t.column("subject"))
    return t.set_column(t.schema.get_field_index("subject"), "subject", subject)


SLICE = 16_384  # rows a deferred column is planned on, and relationship tables read by
BLOCK = 2 * SLICE  # rows read at a time (a whole stage chunk)
Columns = tuple[pa.Array, dict[int, pa.Array]]  # row numbers; string array per column


def _python_rows(
    rows: Iterable[tuple[int, list[str | None]]], hdr: int | None, wanted: list[int]
) -> Columns | None:
    chunk = rows if isinstance(rows, list) else list(rows)
    if hdr is not None:
        chunk = [r for r in chunk if r[0] > hdr]
    if not chunk:
        return None
    row_nos = pa.array([r[0] for r in chunk], pa.int32())
    cells = [r[1] for r in chunk]
    if min(map(len, cells)) > wanted[-1]:  # the usual case: no short rows
        return row_nos, {j: _strings(list(map(itemgetter(j), cells))) for j in wanted}
    padded = list(zip_longest(*cells))
    none = (None,) * len(cells)
    return row_nos, {j: _strings(padded[j] if j < len(padded) else none) for j in wanted}


def _arrow_rows(
    rows: pa.Table | pa.RecordBatch, hdr: int | None, wanted: list[int]
) -> Columns | None:
    if hdr is not None:
        rows = rows.filter(pc.greater(rows.column("row_no"), hdr))
    n = rows.num_rows
    if not n:
        return None
    row_nos = pc.cast(rows.column("row_no"), pa.int32())
    cells = rows.column("cells")
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    row_nos = row_nos.combine_chunks() if isinstance(row_nos, pa.ChunkedArray) else row_nos
    offsets = np.asarray(cells.offsets.to_numpy(), dtype=np.int64)
    starts, lengths = offsets[:-1], np.diff(offsets)
    flat = pc.cast(cells.values, pa.string())
    out: dict[int, pa.Array] = {}
    for j in wanted:
        ok = lengths > j
        col = (
            flat.take(pa.array(np.where(ok, starts + j, 0)))
            if len(flat)
            else pa.nulls(n, pa.string())
        )
        if not ok.all():
            col = pc.if_else(pa.array(ok), col, pa.nulls(n, pa.string()))
        out[j] = col
    return row_nos, out


# Leading or trailing characters that str.strip() removes (Python's whitespace).
_EDGE = r"^[\pZ\t-\r\x1c-\x1f\x{85}]|[\pZ\t-\r\x1c-\x1f\x{85}]$"
_EMPTY = pa.array(sorted(normalize.EMPTY))

# One finding per distinct value: (distinct-value index, category, field, value, conf, why).
_Entry = tuple[int, str, str | None, str, float, str]


def _strings(values: Sequence[str | None]) -> pa.Array:
    try:
        return pa.array(values, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return pa.array([None if v is None else str(v) for v in values], pa.string())


def _read_column(
    c: ColumnPlan, values: pa.Array, row_nos: pa.Array, today: dt.date
) -> list[pa.Table]:
    """One column's findings, as tables of (row_no, category, field, value, …)."""
    enc = pc.dictionary_encode(values)
    uniq: pa.StringArray = enc.dictionary
    n_uniq = len(uniq)
    if not n_uniq:
        return []
    label = (
        f"column '{_safe_header(c.header)}'"
        if c.why.startswith("heading:")
        else f"column {c.index + 1}"
    )
    base_why = f"{label}: {c.why}"
    conf = round(c.confidence * 1.0, 3)
    if c.mode in vector.SAFE_SHAPES:  # their shapes hold no blank token nor edge space
        edge, decided = np.zeros(n_uniq, dtype=bool), np.zeros(n_uniq, dtype=bool)
    else:
        edge = vector.match(uniq, _EDGE)
        decided = ~edge & vector.mask(pc.is_in(pc.utf8_lower(uniq), _EMPTY))  # blank: none
    slots: list[_Slot] = []
    fast_reader = vector.FAST.get(c.mode)
    fast = fast_reader(uniq, c.category, c.field, c.date_order, today) if fast_reader else None
    if fast is not None:
        take = fast.decided & ~edge & ~decided
        decided |= take
        u = np.flatnonzero(take & vector.mask(pc.is_valid(fast.value)))
        ui = pa.array(u)
        fld = vector.FIELDS.get(c.mode, c.field)
        varying: dict[str, pa.Array] = {"value": fast.value.take(ui)}
        const: dict[str, Any] = {"category": c.category, "confidence": conf, "field": fld}
        const["explanation"] = base_why + (f"; {fast.note}" if fast.note else "")
        if fast.field is not None:
            varying["field"] = fast.field.take(ui)
        if fast.notes is not None:
            notes = fast.notes.take(ui)
            varying["explanation"] = pc.if_else(
                pc.equal(notes, ""), base_why, pc.binary_join_element_wise(base_why, notes, "; ")
            )
        slots.append((u, varying, const))
        if c.category == "health_plan" and fast.field is None and fld is None:
            org = {**const, "category": "organization", "field": "payer"}
            slots.append((u, varying, {**org, "confidence": round(conf * 0.9, 3)}))
    rest = np.flatnonzero(~decided)
    if len(rest):
        reader = READERS[c.mode]
        per_slot: list[list[_Entry]] = []
        for k, v in zip(rest.tolist(), uniq.take(pa.array(rest)).to_pylist(), strict=True):
            for j, (cat, fld_, value, cf, why_) in enumerate(
                _resolve(reader, v, c, today, base_why, normalize.EMPTY)
            ):
                while len(per_slot) <= j:
                    per_slot.append([])
                per_slot[j].append((k, cat, fld_, value, cf, why_))
        slots.extend(_slot_py(entries) for entries in per_slot)
    idx = np.asarray(
        pc.fill_null(enc.indices, n_uniq).to_numpy(zero_copy_only=False), dtype=np.int64
    )
    out: list[pa.Table] = []
    const_cols = {"column_name": c.header, "subject": c.subject}
    for u, varying, const in slots:
        if not len(u):
            continue
        pos = np.full(n_uniq + 1, -1, dtype=np.int64)
        pos[u] = np.arange(len(u))
        p = pos[idx]
        hit = p >= 0
        n = int(hit.sum())
        if not n:
            continue
        at = pa.array(p[hit])
        cols: dict[str, pa.Array] = {"row_no": row_nos.filter(pa.array(hit))}
        for name in _SLOT_COLUMNS:
            if name in varying:
                cols[name] = varying[name].take(at)
            else:
                v = const[name] if name in const else const_cols[name]
                cols[name] = pa.repeat(pa.scalar(v, _SLOT_TYPES.get(name, pa.string())), n)
        out.append(pa.table(cols))
    return out


# A slot: distinct-value indices, per-value columns and constant columns of their findings.
_Slot = tuple[np.ndarray, dict[str, pa.Array], dict[str, Any]]
_SLOT_COLUMNS = (
    "category", "field", "value", "confidence", "explanation", "column_name", "subject",
)  # fmt: skip
_SLOT_TYPES = {"confidence": pa.float64()}


def _slot_py(entries: list[_Entry]) -> _Slot:
    cols = list(zip(*entries, strict=True))
    varying = {
        "category": pa.array(cols[1], pa.string()),
        "field": pa.array(cols[2], pa.string()),
        "value": pa.array(cols[3], pa.string()),
        "confidence": pa.array(cols[4], pa.float64()),
        "explanation": pa.array(cols[5], pa.string()),
    }
    return np.asarray(cols[0], dtype=np.int64), varying, {}


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
