"""Linking a space-aligned table inside a text: the name cells of one row are one name,
columns apart; the next row's name is another person (found with the second held-out set:
a LAST NAME column wider than three characters split each person in two)."""

from __future__ import annotations

from breachscope.link.model import Finding, Subject
from breachscope.link.text import stream_subjects


def _f(i: int, start: int, end: int, category: str, field: str | None, value: str,
       detector: str = "text.table") -> Finding:  # fmt: skip
    return Finding(
        f"f{i}", "d1", "file1", 0, None, None, start, end, category, field, value, None, 0.9,
        detector,
    )  # fmt: skip


def _names(subjects: list[Subject]) -> list[tuple[str | None, ...]]:
    out = []
    for s in subjects:
        parts = s.names[0] if s.names else {}
        out.append((parts.get("first"), parts.get("last")))
    return out


# LAST NAME   FIRST NAME  DOB
# ORTIZ VEGA  GUADALUPE   12/12/1979
# FUENTES     HECTOR      03/27/1990
ROWS = [
    _f(1, 40, 50, "name", "last", "ORTIZ VEGA"),
    _f(2, 52, 61, "name", "first", "GUADALUPE"),
    _f(3, 64, 74, "dob", None, "1979-12-12"),
    _f(4, 75, 82, "name", "last", "FUENTES"),
    _f(5, 87, 93, "name", "first", "HECTOR"),
    _f(6, 99, 109, "dob", None, "1990-03-27"),
]


def test_row_cells_columns_apart_are_one_name() -> None:
    subs = stream_subjects(ROWS)
    assert _names(subs) == [("GUADALUPE", "ORTIZ VEGA"), ("HECTOR", "FUENTES")]
    dobs = [[f.value for f in s.own if f.category == "dob"] for s in subs]
    assert dobs == [["1979-12-12"], ["1990-03-27"]]


def test_prose_name_parts_columns_apart_stay_apart() -> None:
    # In prose the same distance separates two people ("Smith ... and later John").
    prose = [
        _f(1, 40, 45, "name", "last", "Smith", "text.label"),
        _f(2, 60, 64, "name", "first", "John", "text.dictionary"),
    ]
    assert len(stream_subjects(prose)) == 2
