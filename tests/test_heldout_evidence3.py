"""The third held-out evidence set (``tests/heldout_cases3.py``) through ingest → resolve.

Text documents this time: notes, letters, e-mails, a fax, transcripts, lab and imaging
reports, HL7, C-CDA and FHIR, for a hospital client and a health-plan client. The
assertions are the truth written beside the files, not a snapshot of what the code
returns.
"""

from __future__ import annotations

import pytest

from heldout_cases3 import CLIENT, PEOPLE, SET, STATE
from heldout_scoring import Results

KNOWN: dict[str, pytest.MarkDecorator] = {}
KNOWN_PEOPLE: dict[str, pytest.MarkDecorator] = {}


@pytest.fixture(scope="module")
def res(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return SET.run(tmp_path_factory.mktemp("heldout3"))


def test_every_file_is_read(res: Results) -> None:
    SET.check_every_file_read(res)


@pytest.mark.parametrize("key", SET.person_params(KNOWN_PEOPLE))
def test_each_person_is_exactly_one_individual(res: Results, key: str) -> None:
    # Two people's birth dates are in no file (a plan's letter, a coding summary).
    dob = None if "dob" in SET.expected_people()[key] else "None"
    SET.check_one_individual(res, key, dob)


@pytest.mark.parametrize("key", SET.person_params(KNOWN_PEOPLE))
def test_each_person_has_exactly_their_categories(res: Results, key: str) -> None:
    SET.check_categories(res, key)


@pytest.mark.parametrize("key", sorted(CLIENT))
def test_each_person_has_their_client_and_state(res: Results, key: str) -> None:
    (ind,) = [i for i in res.individuals if SET.is_person(i, PEOPLE[key])]
    assert list(ind["client_ids"]) == [CLIENT[key]]
    if key in STATE:
        assert ind["state"] == STATE[key]


def test_no_extra_people_and_no_provider_or_staff_as_subject(res: Results) -> None:
    SET.check_no_extra_and_no_staff(res)


@pytest.mark.parametrize("path", SET.file_params(KNOWN))
def test_each_file_gives_its_people_with_their_categories(res: Results, path: str) -> None:
    SET.check_file(res, path)


def test_the_on_call_schedule_has_no_data_subject(res: Results) -> None:
    assert not [m for m in res.mentions if m["path"] == "lakeshore/admin/oncall_0113.txt"]


def test_ssn_last_four_is_not_an_ssn(res: Results) -> None:
    """The caller gives the last four of his SSN only."""
    got = SET.mention_elements(
        res, "prairie/calls/CallTranscript_20250113_0932.txt", PEOPLE["okonkwo"]
    )
    assert got is not None and "ssn" not in got


def test_letterhead_and_signature_numbers_are_nobodys(res: Results) -> None:
    """The clinic's, the lab's and the staff's phones and e-mails are not the patient's."""
    for path, key in (
        ("lakeshore/notes/ProgressNote_20250114_00731942.txt", "oneil"),
        ("lakeshore/lab/LabReport_LR25-5531.pdf", "oneil"),
        ("lakeshore/mail/RE RE Denied claim - Mendez.eml", "mendez"),
    ):
        got = SET.mention_elements(res, path, PEOPLE[key]) or set()
        assert not {"phone", "email"} & got, path


def test_scores(res: Results) -> None:
    """The whole set: every person once, nothing extra; per file, every person read with
    every category and no category that is not there."""
    s = SET.score(res)
    assert (s.found_exactly, s.split, s.missing, s.extra) == (s.people, [], [], [])
    assert (s.recall, s.precision) == (1.0, 1.0)
    fs = SET.file_score(res)
    assert (fs.found, fs.unexpected, fs.fp) == (fs.pairs, 0, 0)
    assert fs.recall == 1.0
