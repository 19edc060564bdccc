"""Fast paths of the free-text value detectors give what the paths they shortcut give."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import itertools
import pickle
import random
import re

import pytest

from breachscope.detect import normalize, text_tables, validators
from breachscope.detect.findings import Finding, new_finding

TODAY = dt.date(2026, 1, 15)


def test_new_finding_is_a_finding() -> None:
    args = ("ssn", None, "123456789", 0.9, "text.pattern", "why", 3, 14, None, None, "s1")
    fast, plain = new_finding(*args), Finding(*args)
    assert type(fast) is Finding
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert pickle.loads(pickle.dumps(fast)) == plain
    assert dataclasses.replace(fast, value="x") == dataclasses.replace(plain, value="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.value = "y"  # type: ignore[misc]
    assert new_finding("a", None, "v", 0.5, "d", "e") == Finding("a", None, "v", 0.5, "d", "e")


_NUM_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})")


def test_parse_date_numeric_fast_path() -> None:
    rng = random.Random(7)
    for _ in range(20_000):
        a, b, y = rng.randint(0, 99), rng.randint(0, 99), rng.randint(1700, 2300)
        s = f"{a:02d}{rng.choice('-/.')}{b:02d}{rng.choice('-/.')}{y}"
        for order in ("MDY", "DMY"):
            m = _NUM_DATE.fullmatch(s)
            assert m
            x, z = int(m[1]), int(m[2])
            if order == "DMY" or (x > 12 and z <= 12):
                x, z = z, x
            want = validators.real_date(int(m[3]), x, z)
            assert normalize.parse_date(s, order=order, today=TODAY) == want, s
    assert normalize.parse_date("1\uff12/31/1999", today=TODAY) == dt.date(1999, 12, 31)
    assert normalize.parse_date(" 02/03/2004 ", today=TODAY) == dt.date(2004, 2, 3)


def _clean_name_reference(s: str) -> str | None:
    t = normalize._NAME_JUNK.sub(" ", s)
    t = normalize._SPACES.sub(" ", t).strip(" .,-'")
    if not t or not any(c.isalpha() for c in t) or any(c.isdigit() for c in t):
        return None
    return t


def test_clean_name_ascii_path() -> None:
    rng = random.Random(3)
    alphabet = "abXY .,-'09_\t#é²ſ½"
    for _ in range(20_000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert normalize._clean_name.__wrapped__(s) == _clean_name_reference(s), repr(s)
        # The letters-only shortcut before the cache gives the same.
        assert normalize.clean_name(s) == _clean_name_reference(s), repr(s)


def test_ident_alnum_path() -> None:
    for s in ("abc123", "A-1 2", "00000", "ab", "Ab\u00e9c1", "null", ""):
        t = re.sub(r"[^0-9A-Za-z]+", "", s).upper()
        want = None if len(t) < 3 or set(t) <= {"0"} or t in {"NULL", "NONE"} else t
        assert normalize.ident(s) == want


_RULER = re.compile(r"[ \-=_+|]*[-=_]{3,}[ \-=_+|]*")


def test_is_ruler_matches_the_pattern() -> None:
    for n in range(7):
        for chars in itertools.product(" -=_+|a", repeat=n):
            line = "".join(chars)
            assert text_tables._is_ruler(line) == bool(_RULER.fullmatch(line)), repr(line)


def test_first_line_precheck() -> None:
    assert text_tables._first_line("\n  \nab|c|d\nx") == "ab|c|d"
    assert text_tables._first_line("x" * 300) is None  # may go on past the head
    assert text_tables._first_line("  \n\t") is None
    assert text_tables.find_delimited("Dear Ms. Roe,\na|b|c\nd|e|f") is None
    table = "name|dob|mrn\nAnn Lee|01/02/1960|12345\nBo Kim|03/04/1970|23456\n"
    assert text_tables.find_delimited(table) is not None


def test_fixed_width_bound_keeps_regions() -> None:
    text = (
        "Report run 01/05/2026\n\n"
        "Patient Name      DOB          MRN\n"
        "----------------  -----------  --------\n"
        "Ann Lee           01/02/1960   1234567\n"
        "Bo Kim            03/04/1970   2345678\n\n"
        "Last Name: Roe   First Name: Jo   MI: Q\n"
        "Thank you.\n"
    )
    regions = text_tables.find_fixed_width(text)
    assert len(regions) == 1
    assert [c for c, _s, _e in regions[0].rows[1][1]] == ["Bo Kim", "03/04/1970", "2345678"]


def test_icd10_code_set_is_not_tracked() -> None:
    codes = validators._icd10cm_codes()
    assert "E119" in codes and not gc.is_tracked(codes)
    assert validators.icd10cm_code("e11.9") == "E11.9"
