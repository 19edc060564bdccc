"""Evidence-weighted rules: what outweighs a family veto, what a case's own data says about
its member IDs, and how the best record picks an address. Synthetic data only."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from breachscope.resolve import run_resolve
from breachscope.resolve.normalize import Person, name_token, person_from_mention
from breachscope.resolve.rules import (
    address_close,
    cannot_link,
    family_vetoes_are_noise,
    first_conflict,
    member_ids_are_personal,
    penalised,
    personal_id_link,
    personal_id_waives,
    waive_veto,
)
from breachscope.store import connect, fetch_dicts
from resolve_helpers import add, make_case


def _p(**f: Any) -> Person:
    dob = f.pop("dob", None)
    return person_from_mention({**f, "dob": dt.date.fromisoformat(dob) if dob else None})


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return connect(tmp_path / "case.duckdb")


def together(con: duckdb.DuckDBPyConnection, a: str, b: str) -> bool:
    rows = con.execute("SELECT individual_id, mention_id FROM individual_mentions").fetchall()
    of = dict((m, i) for i, m in rows)
    return of[a] == of[b]


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("raw", "want"),
    [("Núñez", "NUNEZ"), ("Martínez", "MARTINEZ"), ("O'Brien", "OBRIEN"), ("Łukasz", "LUKASZ"),
     ("Søren", "SOREN"), ("Dr.", ""), (None, "")],
)  # fmt: skip
def test_name_token_folds_accents(raw: str | None, want: str) -> None:
    assert name_token(raw) == want


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("CHIRS", "CHRISTINE", False),  # a typo of a nickname
        ("KATHRINE", "KATE", False),  # a misspelt formal name of a nickname
        ("CARL", "KARA", True),  # one edit from CAROL is not enough for short names
        ("JON", "JOHN", False),
        ("CONNOR", "OLIVIA", True),
    ],
)
def test_first_conflict(a: str, b: str, conflict: bool) -> None:
    assert first_conflict(a, b) is conflict


# --------------------------------------------------------------------------- vetoes


def test_middle_initials_conflict_unless_the_ssn_is_shared() -> None:
    home = {"first_name": "Adam", "last_name": "Burge", "member_id": "BHP657646395"}
    father = _p(middle_name="C", **home)
    son = _p(middle_name="Rodney", dob="2020-10-03", **home)
    assert cannot_link(father, son) == "middle_name_conflict"
    same = {**home, "ssn": "219398202"}
    assert cannot_link(_p(middle_name="C", **same), _p(middle_name="Rodney", **same)) is None
    # the middle name used as a first name elsewhere is the same person
    assert cannot_link(_p(middle_name="Lee", **home), _p(middle_name="Adam", **home)) is None


def test_different_genders_with_alike_names_and_dobs() -> None:
    home = {"last_name": "Fucci", "street": "966 N Ninth Pl", "zip": "60428"}
    francis = _p(first_name="Francis", dob="1940-08-22", gender="M", **home)
    frances = _p(first_name="Frances", dob="1940-09-23", gender="F", **home)
    assert not first_conflict("FRANCIS", "FRANCES")
    assert cannot_link(francis, frances) == "gender_conflict"
    # one person, gender mistyped, same DOB: no veto
    same = _p(first_name="Frances", dob="1940-08-22", gender="F", **home)
    assert cannot_link(francis, same) is None


def test_last_four_and_dob_outweigh_a_twin_veto() -> None:
    a = _p(first_name="Ronda", last_name="Campbell", dob="1952-12-14", ssn="670665748")
    b = _p(first_name="Glenda", last_name="Campbell", dob="1952-12-14", ssn_last4="5748")
    twin = _p(first_name="Ruth", last_name="Campbell", dob="1952-12-14", ssn_last4="1234")
    assert cannot_link(a, b) == "twins"
    assert waive_veto("twins", a, b, 0.9999) == "ssn_last4_and_dob"
    assert waive_veto("twins", a, b, 0.99) is None  # the model must be near-certain
    assert waive_veto("twins", a, twin, 0.9999) is None


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ({"street": "39 Burnage Pl Rowethorpe", "zip": "03183"},
         {"street": "Burnage Pl Rowetho Rpe", "zip": "03183"}, True),
        ({"street": "12 Oak St", "zip": "62704"}, {"street": "12 Oak St", "zip": "62740"}, True),
        ({"street": "12 Oak St", "zip": "62704"}, {"zip": "62704"}, True),
        ({"street": "12 Oak St", "zip": "62704"}, {"street": "9 Elm Ave", "zip": "62704"}, False),
        ({"street": "12 Oak St", "zip": "62704"}, {"street": "12 Oak St", "zip": "10001"}, False),
    ],
)  # fmt: skip
def test_address_close(a: dict[str, str], b: dict[str, str], close: bool) -> None:
    assert address_close(_p(**a), _p(**b)) is close


# --------------------------------------------------------------------------- member IDs


def _household(i: int) -> dict[str, str]:
    """A made-up household per number: surname, birth date, street and ZIP, all distinct."""
    rng = random.Random(i)
    last = "".join(rng.choice("BCDFGKLMNPRSTVZ") + rng.choice("AEIOU") for _ in range(3))
    dob = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(25_000))
    return {"last_name": last.title(), "dob": dob.isoformat(),
            "street": f"{rng.randrange(1, 9999)} {rng.choice(('Oak', 'Elm', 'Birch', 'Cedar'))}"
                      f" {rng.choice(('St', 'Ave', 'Rd', 'Way'))}",
            "zip": f"{rng.randrange(10000, 99999)}"}  # fmt: skip


def _febrl_like(n: int, *, ssn_conflicts: bool = False, twins_every: int = 5) -> list[Person]:
    """n member IDs with two identities each; every ``twins_every``-th has its first name
    replaced (the FEBRL pattern). With ``ssn_conflicts`` the two hold different SSNs."""
    out: list[Person] = []
    for i in range(n):
        h = _household(i)
        base = {"last_name": h["last_name"], "dob": h["dob"], "member_id": f"ID{i:07d}"}
        firsts = ("Connor", "Olivia") if i % twins_every == 0 else ("Connor", "Connor")
        for k, first in enumerate(firsts):
            ssn = {"ssn": f"31{i + 10:02d}{k + 1}{i + 1000:04d}"} if ssn_conflicts else {}
            out.append(_p(first_name=first, **base, **ssn))
    return out


def test_member_ids_are_personal_from_the_case_itself() -> None:
    assert member_ids_are_personal(_febrl_like(60))
    # a plan family: distinct SSNs under one ID
    assert not member_ids_are_personal(_febrl_like(60, ssn_conflicts=True))
    # too few groups to tell
    assert not member_ids_are_personal(_febrl_like(20))
    # no excess of the twin pattern: nothing says first names are noise
    assert not member_ids_are_personal(_febrl_like(60, twins_every=100))


def test_personal_id_link_and_waiver() -> None:
    a = _p(first_name="Kylie", last_name="Dixon", dob="1900-04-04", member_id="7161189",
           street="4 Sanford Pl", zip="05047")  # fmt: skip
    b = _p(first_name="Madison", last_name="Dixon", dob="1922-06-09", member_id="7161189",
           street="37 Sanford Pl", zip="05047")  # fmt: skip
    assert cannot_link(a, b) == "dob_and_first_name_conflict"
    assert personal_id_waives("dob_and_first_name_conflict", a, b)
    assert personal_id_link(a, b)
    assert waive_veto("twins", a, b, 0.95) is None
    assert waive_veto("twins", a, b, 0.95, personal_member_ids=True) == "personal_member_id"
    # a typo in the ID itself, with a compatible surname
    c = _p(first_name="Madison", last_name="Dixson", member_id="7161198")
    assert personal_id_waives("twins", a, c)
    assert not personal_id_link(a, c)  # linking needs the exact ID
    # SSN and Jr/Sr vetoes are never waived
    jr = _p(first_name="Kylie", last_name="Dixon", suffix="Jr", member_id="7161189")
    sr = _p(first_name="Kylie", last_name="Dixon", suffix="Sr", member_id="7161189")
    assert not personal_id_waives("suffix_conflict", jr, sr)
    assert not personal_id_link(jr, sr)


def test_personal_member_ids_end_to_end(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    """A FEBRL-like source: personal IDs, replaced first names. The replaced-name duplicate
    joins its person; a family with its own IDs at another address stays apart."""
    for i in range(60):
        base = {**_household(i), "member_id": f"ID{i:07d}"}
        add(con, first_name="Connor", **base)
        add(con, first_name="Olivia" if i % 4 == 0 else "Conor", **base)
    counts = run_resolve(make_case(tmp_path), con)
    assert counts["personal_member_ids"] == 1
    ids = fetch_dicts(con, "SELECT count(*) AS n FROM individuals")[0]["n"]
    assert ids == 60
    q = fetch_dicts(con, "SELECT reason FROM review_queue WHERE kind = 'pair'")
    assert any("personal_member_id" in r["reason"] for r in q)


# --------------------------------------------------------------------------- noisy sources


def _homes(n: int, *, replaced_every: int) -> list[Person]:
    """n homes of two identities with one surname, ZIP and street: every
    ``replaced_every``-th is the FEBRL pattern (one DOB, a replaced first name), the rest
    a parent and a child (conflicting first names, DOBs a generation apart)."""
    out: list[Person] = []
    for i in range(n):
        h = _household(i)
        out.append(_p(first_name="Connor", **h))
        child = dict(h, dob=h["dob"]) if i % replaced_every == 0 else dict(h, dob="2015-05-05")
        out.append(_p(first_name="Olivia", **child))
    return out


def test_family_vetoes_are_noise_from_the_case_itself() -> None:
    # first names replaced in far more homes than twins explain: noise
    assert family_vetoes_are_noise(_homes(60, replaced_every=2))
    # one home in thirty with two names and one birth date: twins, families
    assert not family_vetoes_are_noise(_homes(60, replaced_every=30))
    # too few relative-like pairs to tell
    assert not family_vetoes_are_noise(_homes(20, replaced_every=1))


def test_penalised_divides_the_odds() -> None:
    assert penalised(0.5, 0.1) == pytest.approx(1 / 11)
    # the default (odds × 0.3) needs p ≥ 0.968 to reach the match threshold
    assert penalised(0.97) >= 0.9 > penalised(0.96)
    assert penalised(1.0) == 1.0


def _noisy_case(con: duckdb.DuckDBPyConnection) -> None:
    """60 homes whose second record replaced the first name and the ID (FEBRL3's misses)."""
    for i in range(60):
        h = _household(i)
        add(con, first_name="Connor", phone=f"555{i:07d}", member_id=f"A{i:06d}", **h)
        add(con, first_name="Olivia", phone=f"555{i:07d}", member_id=f"B{i:06d}", **h)


def test_noisy_source_softens_family_vetoes(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    _noisy_case(con)
    # Jr and Sr at one home stay apart even in a noisy source
    home = {"last_name": "Quill", "dob": "1950-02-02", "street": "9 Quay Rd", "zip": "33333"}
    jr = add(con, first_name="Peter", suffix="Jr", phone="5559990000", **home)
    sr = add(con, first_name="Peter", suffix="Sr", phone="5559990000", **home)
    counts = run_resolve(make_case(tmp_path), con)
    assert counts["soft_family_vetoes"] == 1
    assert counts["softened_veto_joins"] >= 50
    assert not together(con, jr, sr)
    q = fetch_dicts(con, "SELECT reason FROM review_queue WHERE kind = 'pair'")
    assert any("outweighed (noisy source)" in r["reason"] for r in q)


def test_family_case_keeps_family_vetoes_absolute(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    """Families at one address (a parent and a child each) with one pair of twins: the
    vetoes stay absolute, so twins, Jr/Sr and the family members all stay apart."""
    homes = []
    for i in range(60):
        h = _household(i)
        parent = add(con, first_name="Connor", phone=f"555{i:07d}", **h)
        child = add(con, first_name="Olivia", phone=f"555{i:07d}", **dict(h, dob="2015-05-05"))
        homes.append((parent, child))
    home = {"last_name": "Quill", "dob": "2001-02-02", "street": "9 Quay Rd", "zip": "33333",
            "phone": "5559990000"}  # fmt: skip
    twin_a = add(con, first_name="Jacob", **home)
    twin_b = add(con, first_name="Esau", **home)
    jr = add(con, first_name="Peter", suffix="Jr", **dict(home, dob="1975-03-03"))
    sr = add(con, first_name="Peter", suffix="Sr", **dict(home, dob="1975-03-03"))
    counts = run_resolve(make_case(tmp_path), con)
    assert counts["soft_family_vetoes"] == 0
    assert counts["softened_veto_joins"] == 0
    assert not together(con, twin_a, twin_b)
    assert not together(con, jr, sr)
    assert not any(together(con, parent, child) for parent, child in homes)


# --------------------------------------------------------------------------- end to end


def test_middle_initial_attaches_a_claim_to_the_right_namesake(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    home = {"last_name": "Hunt", "member_id": "BHP711670792", "clients": ["acme"]}
    mother = add(con, first_name="Judith", middle_name="Rachael", dob="1971-04-01",
                 street="657 Willow Way", zip="48109", **home)  # fmt: skip
    daughter = add(con, first_name="Judith", dob="2012-07-09", street="657 Willow Way",
                   zip="48109", **home)  # fmt: skip
    claim = add(con, first_name="Judith", middle_name="R", **home)
    run_resolve(make_case(tmp_path), con)
    assert together(con, mother, claim)
    assert not together(con, daughter, claim)


def test_surname_first_note_joins_the_same_name(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    note = add(con, first_name="Harris", last_name="Patricia", dob="1983-09-23", mrn="91645980")
    appt = add(con, first_name="Patricia", last_name="Harris", dob="1983-09-23",
               ssn_last4="7432")  # fmt: skip
    run_resolve(make_case(tmp_path), con)
    assert together(con, note, appt)


def test_zip_only_mentions_pick_the_current_address(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    person = {"first_name": "Katherine", "last_name": "Hanley", "dob": "1993-02-03",
              "mrn": "15549912"}  # fmt: skip
    add(con, street="9737 E Quail Run Boulevard", city="Summerville", state="GA",
        zip="30747", **person)  # fmt: skip
    add(con, street="327 Liberty Ct", city="Hamilton", state="IL", zip="62341", **person)
    add(con, zip="62341", **person)  # a card payment with the billing ZIP only
    run_resolve(make_case(tmp_path), con)
    rows = fetch_dicts(con, "SELECT state, street FROM individuals")
    assert rows == [{"state": "IL", "street": "327 Liberty Ct"}]


def test_name_alone_on_dependants_rows_joins_the_subscriber(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    """An eligibility extract writes the subscriber's name on each dependant's row: two
    name-only mentions and his own row with his DOB are one person (found with the second
    held-out set)."""
    own = add(con, first_name="Ricardo", last_name="Delacruz", dob="1969-03-14",
              ssn="531448207", clients=["acme"])  # fmt: skip
    on_child = add(con, first_name="Ricardo", last_name="Delacruz", clients=["acme"],
                   elements=["name"])  # fmt: skip
    on_spouse = add(con, first_name="Ricardo", last_name="Delacruz", clients=["acme"],
                    elements=["name"])  # fmt: skip
    run_resolve(make_case(tmp_path), con)
    assert together(con, own, on_child)
    assert together(con, own, on_spouse)


def test_namesakes_with_two_birth_dates_keep_name_only_mentions_apart(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    """The same name with two different DOBs is two people: a mention with the name alone
    could be either, so it joins neither."""
    one = add(con, first_name="Maria", last_name="Garcia", dob="1961-05-02", clients=["acme"])
    two = add(con, first_name="Maria", last_name="Garcia", dob="1988-11-30", clients=["acme"])
    bare = add(con, first_name="Maria", last_name="Garcia", clients=["acme"], elements=["name"])
    run_resolve(make_case(tmp_path), con)
    assert not together(con, one, two)
    assert not together(con, one, bare)
    assert not together(con, two, bare)
