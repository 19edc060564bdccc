"""The third held-out evidence set (``tests/heldout_cases3.py``) through ingest → resolve.

Text documents this time: notes, letters, e-mails, a fax, transcripts, lab and imaging
reports, HL7, C-CDA and FHIR, for a hospital client and a health-plan client. The
assertions are the truth written beside the files, not a snapshot of what the code
returns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from heldout_cases3 import (
    CLIENT,
    FILES,
    NOT_SUBJECTS,
    PEOPLE,
    STATE,
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
KNOWN_PEOPLE: dict[str, pytest.MarkDecorator] = {}


@pytest.fixture(scope="module")
def res(tmp_path_factory: pytest.TempPathFactory) -> Results:
    root: Path = tmp_path_factory.mktemp("heldout3")
    return run_heldout(root)


def test_every_file_is_read(res: Results) -> None:
    status = {f["path"]: f["status"] for f in res.files}
    assert status == {f.path: "processed" for f in FILES}


@pytest.mark.parametrize(
    "key", [pytest.param(k, marks=KNOWN_PEOPLE.get(k, ())) for k in sorted(expected_people())]
)
def test_each_person_is_exactly_one_individual(res: Results, key: str) -> None:
    p = PEOPLE[key]
    found = [i for i in res.individuals if is_person(i, p)]
    assert len(found) == 1
    # Two people's birth dates are in no file (a plan's letter, a coding summary).
    want = p.dob if "dob" in expected_people()[key] else "None"
    assert str(found[0]["dob"]) == want


@pytest.mark.parametrize(
    "key", [pytest.param(k, marks=KNOWN_PEOPLE.get(k, ())) for k in sorted(expected_people())]
)
def test_each_person_has_exactly_their_categories(res: Results, key: str) -> None:
    want = expected_people()[key]
    (ind,) = [i for i in res.individuals if is_person(i, PEOPLE[key])]
    assert set(ind["elements"]) == want


@pytest.mark.parametrize("key", sorted(CLIENT))
def test_each_person_has_their_client_and_state(res: Results, key: str) -> None:
    (ind,) = [i for i in res.individuals if is_person(i, PEOPLE[key])]
    assert list(ind["client_ids"]) == [CLIENT[key]]
    if key in STATE:
        assert ind["state"] == STATE[key]


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


def test_the_on_call_schedule_has_no_data_subject(res: Results) -> None:
    assert not [m for m in res.mentions if m["path"] == "lakeshore/admin/oncall_0113.txt"]


def test_ssn_last_four_is_not_an_ssn(res: Results) -> None:
    """The caller gives the last four of his SSN only."""
    got = mention_elements(res, "prairie/calls/CallTranscript_20250113_0932.txt", PEOPLE["okonkwo"])
    assert got is not None and "ssn" not in got


def test_letterhead_and_signature_numbers_are_nobodys(res: Results) -> None:
    """The clinic's, the lab's and the staff's phones and e-mails are not the patient's."""
    for path, key in (
        ("lakeshore/notes/ProgressNote_20250114_00731942.txt", "oneil"),
        ("lakeshore/lab/LabReport_LR25-5531.pdf", "oneil"),
        ("lakeshore/mail/RE RE Denied claim - Mendez.eml", "mendez"),
    ):
        got = mention_elements(res, path, PEOPLE[key]) or set()
        assert not {"phone", "email"} & got, path


def test_scores(res: Results) -> None:
    """The whole set: every person once, nothing extra; per file, every person read with
    every category and no category that is not there."""
    s = score(res)
    assert (s.found_exactly, s.split, s.missing, s.extra) == (s.people, [], [], [])
    assert (s.recall, s.precision) == (1.0, 1.0)
    fs = file_score(res)
    assert (fs.found, fs.unexpected, fs.fp) == (fs.pairs, 0, 0)
    assert fs.recall == 1.0
