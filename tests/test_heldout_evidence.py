"""The held-out evidence set (``tests/heldout_cases.py``) through ingest → resolve.

The files are written by hand in layouts the generator never produces. The assertions
are the truth written beside them, not a snapshot of what the code returns: where a
stage owned elsewhere still misses, the test is ``xfail(strict=True)`` with the cause.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from heldout_cases import (
    FILES,
    NOT_SUBJECTS,
    PEOPLE,
    Results,
    expected_people,
    file_score,
    is_person,
    mention_elements,
    name_matches,
    run_heldout,
    score,
)

KNOWN: dict[str, pytest.MarkDecorator] = {}


@pytest.fixture(scope="module")
def res(tmp_path_factory: pytest.TempPathFactory) -> Results:
    root: Path = tmp_path_factory.mktemp("heldout")
    return run_heldout(root)


def test_every_file_is_read(res: Results) -> None:
    status = {f["path"]: f["status"] for f in res.files}
    assert status == {f.path: "processed" for f in FILES}


@pytest.mark.parametrize("key", sorted(expected_people()))
def test_each_person_is_exactly_one_individual(res: Results, key: str) -> None:
    p = PEOPLE[key]
    found = [i for i in res.individuals if is_person(i, p)]
    assert len(found) == 1
    assert str(found[0]["dob"]) == p.dob


@pytest.mark.parametrize("key", sorted(expected_people()))
def test_each_person_has_exactly_their_categories(res: Results, key: str) -> None:
    want = expected_people()[key]
    (ind,) = [i for i in res.individuals if is_person(i, PEOPLE[key])]
    assert set(ind["elements"]) == want


def test_no_extra_people_and_no_provider_or_staff_as_subject(res: Results) -> None:
    s = score(res)
    assert s.extra == []
    for first, last in NOT_SUBJECTS:
        assert not [m for m in res.mentions if name_matches(m, first, last)], last


@pytest.mark.parametrize(
    "path", [pytest.param(f.path, marks=KNOWN.get(f.path, ())) for f in FILES if f.truth]
)
def test_each_file_gives_its_people_with_their_categories(res: Results, path: str) -> None:
    (f,) = [f for f in FILES if f.path == path]
    got = {k: mention_elements(res, path, PEOPLE[k]) for k in f.truth}
    assert got == {k: set(v) for k, v in f.truth.items()}
    named = [m for m in res.mentions if m["path"] == path and (m["first_name"] or m["last_name"])]
    assert all(any(is_person(m, PEOPLE[k]) for k in f.truth) for m in named)


def test_the_provider_directory_has_no_data_subject(res: Results) -> None:
    assert not [m for m in res.mentions if m["path"] == "directory/providers.csv"]


def test_subscriber_ssn_on_a_dependants_row_is_the_subscribers(res: Results) -> None:
    path = "payer/ELIG_EXTRACT_20250115.txt"
    for k in ("okafor_g", "okafor_s"):
        assert "ssn" not in (mention_elements(res, path, PEOPLE[k]) or {"missing"})
    (daniel,) = [i for i in res.individuals if is_person(i, PEOPLE["okafor_d"])]
    assert "ssn" in daniel["elements"]


def test_scores(res: Results) -> None:
    """The whole set: every person once, nothing extra; per file, every person read with
    every category and no category that is not there."""
    s = score(res)
    assert (s.found_exactly, s.split, s.missing, s.extra) == (s.people, [], [], [])
    assert s.precision == 1.0
    assert s.recall == 1.0
    fs = file_score(res)
    assert (fs.found, fs.unexpected, fs.fp) == (fs.pairs, 0, 0)
    assert fs.recall == 1.0
