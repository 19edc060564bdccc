"""Vectorised column readers: the common clean shapes of a column, read with Arrow and numpy.

Each function takes the distinct values of a column chunk (an Arrow string array) and
returns a :class:`Fast` result: which values it *decided* and, for those, the finding's
value (null when the value is decided to be no finding). A value is decided only when it
has a strict ASCII shape for which the answer is known to equal the per-cell reader in
:mod:`breachscope.detect.table` (``tests/test_detect_tables_vector.py`` checks that on
varied values). Everything else — odd spacing, non-ASCII digits, two-digit years, text
around the value — is left undecided and goes to the per-cell reader, so the findings do
not change, only the speed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from breachscope.detect import normalize, validators


@dataclass(frozen=True)
class Fast:
    """Per distinct value: decided by the fast path, and the finding's value (or null)."""

    decided: np.ndarray  # bool, one per distinct value
    value: pa.Array  # string; null = decided: no finding
    field: pa.Array | None = None  # string per value, when it varies (MBI vs member ID)
    note: str = ""
    notes: pa.Array | None = None  # string per value, when the note varies


def mask(a: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)


def match(values: pa.Array, pattern: str) -> np.ndarray:
    return mask(pc.match_substring_regex(values, pattern))


def _digit_matrix(values: pa.Array, width: int) -> np.ndarray:
    """An (n, width) matrix of digits of strings that are exactly ``width`` ASCII digits."""
    arr = pa.array(values, pa.string()) if not isinstance(values, pa.StringArray) else values
    n = len(arr)
    if n == 0:
        return np.zeros((0, width), dtype=np.int16)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    start = int(offsets[0])
    return data[start : start + n * width].reshape(n, width).astype(np.int16) - 48


def _scatter(n: int, sel: np.ndarray, out: pa.Array) -> pa.Array:
    """``out`` (one value per selected row) spread back over ``n`` rows, null elsewhere."""
    pos = np.zeros(n, dtype=np.int64)
    pos[sel] = np.arange(int(sel.sum()))
    if len(out) == 0:
        return pa.nulls(n, pa.string())
    return pc.if_else(pa.array(sel), out.take(pa.array(pos)), pa.nulls(n, pa.string()))


# --------------------------------------------------------------------------- SSN


_SSN_SHAPE = r"^\d{3}-?\d{2}-?\d{4}$"
_REPDIGITS = pa.array([str(k) * 9 for k in range(10)])
_SSN_BAD = pa.array(sorted(validators._SSN_PLACEHOLDERS))


def ssn(values: pa.Array) -> Fast:
    """Nine digits, dashed or not: ``validators.ssn_valid`` over the digits."""
    n = len(values)
    dec = match(values, _SSN_SHAPE)
    m = _last_digits(values.filter(pa.array(dec)), 9)
    d = _strings_from_digits("", m)
    area = m[:, 0] * 100 + m[:, 1] * 10 + m[:, 2]
    group = m[:, 3] * 10 + m[:, 4]
    serial = m[:, 5] * 1000 + m[:, 6] * 100 + m[:, 7] * 10 + m[:, 8]
    ok = (area != 0) & (area != 666) & (m[:, 0] != 9) & (group != 0) & (serial != 0)
    ok &= ~mask(pc.is_in(d, _REPDIGITS)) & ~mask(pc.is_in(d, _SSN_BAD))
    out = pc.if_else(pa.array(ok), d, pa.nulls(len(d), pa.string()))
    return Fast(dec, _scatter(n, dec, out), note="validator ssn_area_group_serial")


def last4(values: pa.Array) -> Fast:
    """A value ending in four digits after masking characters: those four digits."""
    n = len(values)
    dec = match(values, r"^(?:[0-9Xx*#][0-9Xx*# .-]*)?[0-9]{4}$")
    sub = values.filter(pa.array(dec))
    out = pc.utf8_slice_codeunits(sub, -4)
    return Fast(dec, _scatter(n, dec, out))


# --------------------------------------------------------------------------- dates

_NUM_DATE = r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"
_ISO_DATE = r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"


def _ints(s: pa.Array, key: str) -> np.ndarray:
    return np.asarray(pc.cast(pc.struct_field(s, key), pa.int32()).to_numpy(), dtype=np.int64)


def dates(values: pa.Array, order: str, today: dt.date, kind: str) -> Fast:
    """``m/d/yyyy`` (or ``d/m/yyyy``) and ISO dates: ``normalize.parse_date`` plus the
    reader's check (``kind``: ``date``; ``dob`` — 1900 to today; ``death`` — not after
    today)."""
    n = len(values)
    num = match(values, _NUM_DATE)
    iso = match(values, _ISO_DATE) & ~num
    dec = num | iso
    y = np.zeros(n, dtype=np.int64)
    mo = np.zeros(n, dtype=np.int64)
    dd = np.zeros(n, dtype=np.int64)
    if num.any():
        s = pc.extract_regex(
            values.filter(pa.array(num)), r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})$"
        )
        a, b, yy = _ints(s, "a"), _ints(s, "b"), _ints(s, "y")
        swap = np.full(len(a), order == "DMY") | ((a > 12) & (b <= 12))
        mo[num], dd[num], y[num] = np.where(swap, b, a), np.where(swap, a, b), yy
    if iso.any():
        s = pc.extract_regex(
            values.filter(pa.array(iso)), r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$"
        )
        y[iso], mo[iso], dd[iso] = _ints(s, "y"), _ints(s, "m"), _ints(s, "d")
    ok = dec & (mo >= 1) & (mo <= 12) & (dd >= 1) & (dd <= 31) & (y >= 1800) & (y <= 2200)
    yc, mc, dc = np.where(ok, y, 1970), np.where(ok, mo, 1), np.where(ok, dd, 1)
    month = (yc - 1970) * 12 + (mc - 1)
    days = month.astype("datetime64[M]").astype("datetime64[D]") + (dc - 1)
    ok &= days.astype("datetime64[M]").astype(np.int64) == month  # Feb 30 rolls into March
    t = np.datetime64(today.isoformat(), "D")
    if kind == "dob":
        ok &= (days >= np.datetime64("1900-01-01", "D")) & (days <= t)
    elif kind == "death":
        ok &= days <= t
    iso_s = pc.cast(pa.array(days.astype("datetime64[D]"), pa.date32()), pa.string())
    out = pc.if_else(pa.array(ok), iso_s, pa.nulls(n, pa.string()))
    note = {"date": "validator calendar", "dob": "validator calendar; not in the future"}
    return Fast(dec, out, note=note.get(kind, "validator calendar"))


# --------------------------------------------------------------------------- contact


_PHONE_SHAPE = r"^(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}$"


def _last_digits(values: pa.Array, k: int) -> np.ndarray:
    """An (n, k) matrix of the last ``k`` ASCII digits of each value (each has at least k)."""
    n = len(values)
    if n == 0:
        return np.zeros((0, k), dtype=np.int16)
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[
        values.offset : values.offset + n + 1
    ]
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    is_digit = (data >= 48) & (data <= 57)
    row = np.repeat(np.arange(n), np.diff(offsets))[is_digit]
    digs = data[is_digit].astype(np.int16) - 48
    ends = np.cumsum(np.bincount(row, minlength=n))
    out: np.ndarray = digs[ends[:, None] - k + np.arange(k)]
    return out


def _strings_from_digits(prefix: str, m: np.ndarray) -> pa.Array:
    """Strings ``prefix`` + the digits of each row of ``m``."""
    n, k = m.shape
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    width = len(head) + k
    buf = np.empty((n, width), dtype=np.uint8)
    buf[:, : len(head)] = head
    buf[:, len(head) :] = m + 48
    offsets = np.arange(0, width * (n + 1), width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buf.tobytes()))


def phone(values: pa.Array) -> Fast:
    """NANP numbers without an extension: ``normalize.phone_e164``."""
    n = len(values)
    dec = match(values, _PHONE_SHAPE)
    # The shape allows 10 digits, or 11 with the leading 1 that phone_e164 drops.
    m = _last_digits(values.filter(pa.array(dec)), 10)
    ok = (m[:, 0] > 1) & (m[:, 3] > 1) & ~((m[:, 1] == 1) & (m[:, 2] == 1))
    ok &= (m != m[:, :1]).any(axis=1)
    out = pc.if_else(pa.array(ok), _strings_from_digits("+1", m), pa.nulls(len(m), pa.string()))
    return Fast(dec, _scatter(n, dec, out), note="E.164")


_EMAIL_SHAPE = "^" + validators._EMAIL_RE.pattern + "$"


def email(values: pa.Array) -> Fast:
    """Plain addresses (no brackets, no ``mailto:``): ``normalize.email``."""
    n = len(values)
    dec = match(values, _EMAIL_SHAPE)
    out = pc.utf8_lower(values.filter(pa.array(dec)))
    return Fast(dec, _scatter(n, dec, out), note="e-mail syntax")


# --------------------------------------------------------------------------- identifiers

_IDENT_JUNK = pa.array(["NULL", "NONE", "UNKNOWN", "NA", "TBD"])
_MBI_SHAPE = "^" + validators._MBI_RE.pattern + "$"


def ident(values: pa.Array, category: str, fld: str | None) -> Fast | None:
    """``normalize.ident`` (upper case, ASCII letters and digits only); member IDs in the
    MBI format get the ``mbi`` field. Medicare/HICN columns are left to the per-cell
    reader (the HICN check needs the SSN rules on part of the value)."""
    if category == "member_id" and fld in ("medicare", "hicn"):
        return None
    n = len(values)
    t = pc.ascii_upper(pc.replace_substring_regex(values, r"[^0-9A-Za-z]+", ""))
    ok = mask(pc.greater_equal(pc.utf8_length(t), 3)) & ~match(t, r"^0+$")
    ok &= ~mask(pc.is_in(t, _IDENT_JUNK))
    out = pc.if_else(pa.array(ok), t, pa.nulls(n, pa.string()))
    field_arr = None
    if category == "member_id":
        mbi = match(t, _MBI_SHAPE)
        field_arr = pc.if_else(pa.array(mbi), "mbi", pa.scalar(fld, pa.string()))
        notes = pc.if_else(pa.array(mbi), "validator mbi_format", "")
        return Fast(np.ones(n, dtype=bool), out, field_arr, notes=notes)
    return Fast(np.ones(n, dtype=bool), out)


def npi(values: pa.Array) -> Fast:
    """Ten digits: ``validators.npi_valid`` (Luhn over 80840 + the number)."""
    n = len(values)
    dec = match(values, r"^\d{10}$")
    sub = values.filter(pa.array(dec))
    m = _digit_matrix(sub, 10)
    dbl = m[:, 8::-2] * 2  # every second digit from the right, starting at the second
    dbl = np.where(dbl > 9, dbl - 9, dbl)
    total = 24 + m[:, 9::-2].sum(axis=1) + dbl.sum(axis=1)
    ok = (total % 10 == 0) & ((m[:, 0] == 1) | (m[:, 0] == 2))
    out = pc.if_else(pa.array(ok), sub, pa.nulls(len(sub), pa.string()))
    return Fast(dec, _scatter(n, dec, out), note="validator npi_luhn")


# --------------------------------------------------------------------------- places, text


def zip5(values: pa.Array) -> Fast:
    n = len(values)
    full = match(values, r"^\d{5}(?:[- ]?\d{4})?$")
    short = match(values, r"^\d{3,4}$")
    dec = full | short
    z = pc.utf8_slice_codeunits(pc.utf8_lpad(values, 5, "0"), 0, 5)
    ok = dec & ~mask(pc.equal(z, "00000"))
    out = pc.if_else(pa.array(ok), z, pa.nulls(n, pa.string()))
    return Fast(dec, out, note="ZIP shape")


_STATES = pa.array(sorted(normalize.US_STATES))


def state(values: pa.Array) -> Fast:
    n = len(values)
    dec = match(values, r"^[A-Za-z]{2}$")
    up = pc.ascii_upper(values)
    ok = dec & mask(pc.is_in(up, _STATES))
    return Fast(dec, pc.if_else(pa.array(ok), up, pa.nulls(n, pa.string())), note="US state code")


# Printable ASCII words separated by single spaces: their own tidy form (no comma/newline).
_PLAIN = r"^[!-+\--~]+(?: [!-+\--~]+)*$"


def text(values: pa.Array, limit: int, need_alpha: bool = False) -> Fast:
    """``normalize.text_value`` for plain one-line values (cut to ``limit`` characters)."""
    n = len(values)
    dec = match(values, _PLAIN)
    ok = dec & match(values, "[A-Za-z]") if need_alpha else dec
    out = pc.utf8_slice_codeunits(values, 0, limit)
    return Fast(dec, pc.if_else(pa.array(ok), out, pa.nulls(n, pa.string())))


def name(values: pa.Array, limit: int | None = None) -> Fast:
    """``normalize.clean_name`` for plain names (letters, single inner space/'/-)."""
    n = len(values)
    dec = match(values, r"^[A-Za-z]+(?:[' -][A-Za-z]+)*$")
    ok = dec
    if limit is not None:
        ok = ok & mask(pc.less_equal(pc.utf8_length(values), limit))
    return Fast(dec, pc.if_else(pa.array(ok), values, pa.nulls(n, pa.string())))


FastReader = Callable[[pa.Array, str, str | None, str, dt.date], Fast | None]

FAST: dict[str, FastReader] = {
    "ssn": lambda v, cat, f, o, t: ssn(v),
    "last4": lambda v, cat, f, o, t: last4(v),
    "date": lambda v, cat, f, o, t: dates(v, o, t, "date"),
    "dob": lambda v, cat, f, o, t: dates(v, o, t, "dob"),
    "death_date": lambda v, cat, f, o, t: dates(v, o, t, "death"),
    "phone": lambda v, cat, f, o, t: phone(v),
    "email": lambda v, cat, f, o, t: email(v),
    "ident": lambda v, cat, f, o, t: ident(v, cat, f),
    "npi": lambda v, cat, f, o, t: npi(v),
    "zip": lambda v, cat, f, o, t: zip5(v),
    "state": lambda v, cat, f, o, t: state(v),
    "street": lambda v, cat, f, o, t: text(v, 120),
    "text": lambda v, cat, f, o, t: text(v, 200),
    "payer": lambda v, cat, f, o, t: text(v, 120, need_alpha=True),
    "line2": lambda v, cat, f, o, t: text(v, 60),
    "name_part": lambda v, cat, f, o, t: name(v, 60),
    "provider_part": lambda v, cat, f, o, t: name(v),
    "city": lambda v, cat, f, o, t: name(v),
}
# The field a fast reader's findings carry, where the per-cell reader names it itself
# (other modes carry the plan's field).
FIELDS: dict[str, str | None] = {
    "street": "street", "line2": "line2", "city": "city", "state": "state", "zip": "zip",
    "npi": "npi", "provider_part": "name", "payer": None, "ssn": None, "last4": None,
    "date": None, "dob": None, "death_date": None, "phone": None, "email": None,
}  # fmt: skip

# Modes whose fast shapes match no blank token (``normalize.EMPTY``) and no value with
# space at either end, so the caller need not screen for those first.
SAFE_SHAPES = frozenset(
    {"ssn", "last4", "date", "dob", "death_date", "phone", "email", "npi", "zip", "state"}
)
