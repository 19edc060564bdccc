"""Resolving mentions into individuals: the hard pairs, best record, review, decisions."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import duckdb
import pytest

from breachscope.resolve import run_resolve
from breachscope.store import connect, fetch_dicts
from resolve_helpers import add, make_case


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return connect(tmp_path / "case.duckdb")


def people(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return fetch_dicts(con, "SELECT * FROM individuals ORDER BY last_name, first_name")


def groups(con: duckdb.DuckDBPyConnection) -> list[set[str]]:
    rows = con.execute("SELECT individual_id, mention_id FROM individual_mentions").fetchall()
    out: dict[str, set[str]] = {}
    for pid, mid in rows:
        out.setdefault(pid, set()).add(mid)
    return list(out.values())


def together(con: duckdb.DuckDBPyConnection, a: str, b: str) -> bool:
    return any(a in g and b in g for g in groups(con))


def test_nickname_typo_and_move_is_one_person(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    a = add(con, first_name="Robert", last_name="Smith", dob="1960-01-02",
            street="12 Oak Street", city="Springfield", state="IL", zip="62704")  # fmt: skip
    b = add(con, first_name="Bob", last_name="Smtih", dob="1960-01-02",
            street="9 Pine Ave", city="Austin", state="TX", zip="78701", phone="+15125550100")  # fmt: skip
    c = add(con, first_name="ROBERT", last_name="SMITH", dob="1960-02-01",
            street="9 Pine Avenue", zip="78701", phone="+15125550100")  # fmt: skip
    run_resolve(make_case(tmp_path), con)
    assert together(con, a, b) and together(con, a, c)
    ps = people(con)
    assert len(ps) == 1
    assert ps[0]["first_name"] == "Robert" and ps[0]["last_name"] == "Smith"
    assert ps[0]["dob"] == dt.date(1960, 1, 2)


def test_twins_are_two_people(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    addr = {"last_name": "Nguyen", "dob": "2010-05-05", "street": "4 Elm St", "zip": "62704"}
    a = add(con, first_name="Emma", **addr)
    b = add(con, first_name="Olivia", **addr)
    c = add(con, first_name="Emma", **addr, phone="+12175550123")
    run_resolve(make_case(tmp_path), con)
    assert not together(con, a, b)
    assert together(con, a, c)
    assert len(people(con)) == 2


def test_jr_and_sr_at_one_address(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    base = {"first_name": "John", "last_name": "Carter", "street": "7 Main St", "zip": "60601",
            "phone": "+13125550199"}  # fmt: skip
    sr = add(con, suffix="Sr", dob="1950-03-03", **base)
    jr = add(con, suffix="Jr.", dob="1978-03-03", **base)
    jr2 = add(con, suffix="JR", **base)
    run_resolve(make_case(tmp_path), con)
    assert not together(con, sr, jr)
    assert together(con, jr, jr2)
    assert len(people(con)) == 2


def test_conflicting_ssns_are_different(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    a = add(con, first_name="Maria", last_name="Garcia", dob="1985-07-07", ssn="219099999")
    b = add(con, first_name="Maria", last_name="Garcia", dob="1985-07-07", ssn="372554321")
    run_resolve(make_case(tmp_path), con)
    assert not together(con, a, b)


def test_same_ssn_with_name_typo_is_same(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    a = add(con, first_name="Katherine", last_name="Oconnor", ssn="219099999")
    b = add(con, first_name="Kathrine", last_name="O'Connor", ssn="219-09-9999", dob="1971-01-01")
    c = add(con, first_name="Kate", last_name="Oconor", ssn="219099999", zip="10001")
    run_resolve(make_case(tmp_path), con)
    assert together(con, a, b) and together(con, a, c)


def test_shared_family_address_is_different_people(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    home = {"last_name": "Okafor", "street": "22 Birch Rd", "zip": "30301", "phone": "+14045550111",
            "member_id": "ABC123456"}  # fmt: skip
    dad = add(con, first_name="Chidi", dob="1970-01-15", **home)
    mom = add(con, first_name="Ada", dob="1972-09-30", **home)
    kid = add(con, first_name="Nneka", dob="2012-04-01", **home)
    kid_no_dob = add(con, first_name="Nneka", **home)
    run_resolve(make_case(tmp_path), con)
    assert not together(con, dad, mom) and not together(con, mom, kid)
    assert not together(con, dad, kid)
    assert together(con, kid, kid_no_dob)
    assert len(people(con)) == 3


def test_person_under_two_clients(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    add(con, first_name="Li", last_name="Wei", dob="1990-12-12", clients=["mercy"],
        elements=["name", "dob", "diagnosis"])  # fmt: skip
    add(con, first_name="Li", last_name="Wei", dob="1990-12-12", clients=["acme"],
        member_id="ZZ123456", elements=["name", "dob", "member_id"])  # fmt: skip
    run_resolve(make_case(tmp_path), con)
    ps = people(con)
    assert len(ps) == 1
    assert ps[0]["client_ids"] == ["acme", "mercy"]
    assert ps[0]["elements"] == ["diagnosis", "dob", "member_id", "name"]
    assert ps[0]["n_mentions"] == 2 and ps[0]["n_documents"] == 2


def test_minor_deceased_and_state(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    add(con, first_name="Tim", last_name="Young", dob="2010-02-07", zip="62704")
    add(con, first_name="Tom", last_name="Old", dob="1930-01-01", street="1 A St", state="Texas",
        zip="62704", deceased=True)  # fmt: skip
    add(con, first_name="Teo", last_name="Eighteen", dob="2007-02-06")
    add(con, first_name="Ann", last_name="Nowhere", dob="1980-01-01")
    run_resolve(make_case(tmp_path), con)
    ps = {p["last_name"]: p for p in people(con)}
    assert ps["Young"]["is_minor"] and not ps["Young"]["is_deceased"]
    assert ps["Young"]["state"] == "IL" and ps["Young"]["state_source"] == "zip"
    assert ps["Old"]["is_deceased"] and not ps["Old"]["is_minor"]
    assert ps["Old"]["state"] == "TX" and ps["Old"]["state_source"] == "address"
    assert not ps["Eighteen"]["is_minor"]  # 18 on the discovery date
    assert ps["Nowhere"]["state"] is None and ps["Nowhere"]["state_source"] == "none"


def test_decisions_are_reapplied(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    a = add(con, first_name="Sam", last_name="Lee", dob="1999-09-09", zip="10001")
    b = add(
        con, first_name="Sam", last_name="Lee", dob="1999-09-09", zip="10001", phone="+12125550100"
    )
    c = add(con, first_name="Pat", last_name="Kim", dob="1960-06-06")
    d = add(con, first_name="P", last_name="Kim-Smith", zip="94105")
    case = make_case(tmp_path)
    run_resolve(case, con)
    assert together(con, a, b) and not together(con, c, d)
    con.execute(
        "INSERT INTO decisions (decision_id, kind, mention_a, mention_b) VALUES ('x1', 'split', ?, ?)",
        [a, b],
    )
    con.execute(
        "INSERT INTO decisions (decision_id, kind, mention_a, mention_b) VALUES ('x2', 'merge', ?, ?)",
        [c, d],
    )
    for _ in range(2):
        run_resolve(case, con)
        assert not together(con, a, b) and together(con, c, d)
    assert len(people(con)) == 3


def test_ids_stable_across_reruns(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    for i in range(5):
        add(con, first_name=f"Name{chr(65 + i)}x", last_name="Diaz", dob=f"19{50 + i}-01-01")
    case = make_case(tmp_path)
    run_resolve(case, con)
    first = sorted(p["individual_id"] for p in people(con))
    run_resolve(case, con)
    assert sorted(p["individual_id"] for p in people(con)) == first
    assert len(first) == 5


@pytest.mark.parametrize("n", [0, 1, 5])
def test_tiny_inputs(tmp_path: Path, con: duckdb.DuckDBPyConnection, n: int) -> None:
    names = ["Ana", "Ben", "Cy", "Dee", "Eve"]
    for i in range(n):
        add(con, first_name=names[i], last_name="Tiny", dob=f"19{70 + i}-0{i + 1}-1{i}")
    stats = run_resolve(make_case(tmp_path), con)
    assert stats["individuals"] == n
    assert len(people(con)) == n


def test_uncertain_pairs_go_to_review(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    a = add(con, first_name="Jordan", last_name="Miller")
    b = add(con, first_name="Jordan", last_name="Miller", elements=["name"])
    run_resolve(make_case(tmp_path), con)
    q = fetch_dicts(con, "SELECT * FROM review_queue")
    # Two bare names: either joined with doubt or kept apart with doubt, but reviewed.
    assert any({r["mention_a"], r["mention_b"]} == {a, b} for r in q)


def test_chain_through_a_bridge_respects_ssn_conflict(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    base = {"first_name": "Alex", "last_name": "Rivera", "dob": "1988-08-08", "zip": "33101"}
    a = add(con, ssn="219091111", **base)
    bridge = add(con, street="5 Palm Way", **base)
    c = add(con, ssn="372552222", **base)
    run_resolve(make_case(tmp_path), con)
    assert not together(con, a, c)
    assert together(con, a, bridge) or together(con, c, bridge)


def test_training_path_runs(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    import breachscope.resolve.model as model

    monkeypatch.setattr(model, "MIN_TRAINING_RECORDS", 0)
    firsts = ["Ana", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon"]
    lasts = ["Stone", "Moss", "Reed", "Park", "Hale"]
    for i, (f, ln) in enumerate(itertools.product(firsts, lasts)):
        dob = f"19{50 + i % 40}-0{1 + i % 9}-1{i % 9}"
        add(con, first_name=f, last_name=ln, dob=dob, zip=f"6{i:04d}")
        add(con, first_name=f.upper(), last_name=ln, dob=dob, phone=f"+1312555{i:04d}")
    stats = run_resolve(make_case(tmp_path), con)
    assert stats["trained"] == 1
    # This population repeats every name ten times, so the trained model is cautious:
    # it may keep pairs apart, but it never joins two different people.
    assert 50 <= stats["individuals"] <= 100
    for pid_mentions in groups(con):
        assert len(pid_mentions) <= 2


def test_sane_model_guard() -> None:
    from breachscope.resolve.duckdb_engine import sane_model

    def comp(m1: float, u1: float, m2: float, u2: float) -> dict[str, Any]:
        return {
            "comparison_levels": [
                {"is_null_level": True},
                {"m_probability": m1, "u_probability": u1},
                {"m_probability": m2, "u_probability": u2},
            ]
        }

    assert sane_model({"comparisons": [comp(0.9, 0.01, 0.1, 0.99)]})
    assert not sane_model({"comparisons": [comp(0.01, 0.9, 0.1, 0.99)]})
    assert not sane_model({"comparisons": [comp(0.9, 0.01, 0.99, 0.1)]})


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("02119", "02119"),
        ("2119", "02119"),  # a ZIP stored as a number lost its leading zero
        ("02119-1234", "02119"),
        ("21191234", "02119"),
        ("98402", "98402"),
        ("984", ""),
        (None, ""),
        ("", ""),
    ],
)
def test_zip5(raw: str | None, want: str) -> None:
    from breachscope.resolve.normalize import zip5

    assert zip5(raw) == want


# --------------------------------------------------------------------------- veto waivers


def _p(**f: Any) -> Any:
    from breachscope.resolve.normalize import person_from_mention

    dob = f.pop("dob", None)
    return person_from_mention({**f, "dob": dt.date.fromisoformat(dob) if dob else None})


_FEBRL = {"last_name": "Shepherd", "street": "12 Stirling Pl", "zip": "02119",
          "member_id": "4801337"}  # fmt: skip


@pytest.mark.parametrize(
    ("label", "a", "b", "p", "clients", "veto", "waiver"),
    [
        # FEBRL: replaced first name, one DOB, one id and one address → same person.
        (
            "replaced first name",
            {"first_name": "Connor", "dob": "1980-03-04", **_FEBRL},
            {"first_name": "Olivia", "dob": "1980-03-04", **_FEBRL},
            0.9999,
            ("x", "x"),
            "twins",
            "member_id_and_address",
        ),
        (
            "first name and two DOB digits",
            {"first_name": "Connor", "dob": "1980-03-04", **_FEBRL},
            {"first_name": "Olivia", "dob": "1986-08-04", **_FEBRL},
            0.9999,
            ("x", "x"),
            "dob_and_first_name_conflict",
            "member_id_and_address",
        ),
        (
            "DOB gap of two digits",
            {"first_name": "Connor", "dob": "1980-03-04", **_FEBRL},
            {"first_name": "Connor", "dob": "1958-03-04", **_FEBRL},
            0.9999,
            ("x", "x"),
            "generation_gap",
            "member_id_and_address",
        ),
        (
            "model not sure enough",
            {"first_name": "Connor", "dob": "1980-03-04", **_FEBRL},
            {"first_name": "Olivia", "dob": "1980-03-04", **_FEBRL},
            0.99,
            ("x", "x"),
            "twins",
            None,
        ),
        # Twins at one address with no shared unique id stay apart.
        (
            "twins, no id",
            {
                "first_name": "Emma",
                "last_name": "Nguyen",
                "dob": "2010-05-05",
                "street": "4 Elm St",
                "zip": "62704",
            },
            {
                "first_name": "Olivia",
                "last_name": "Nguyen",
                "dob": "2010-05-05",
                "street": "4 Elm St",
                "zip": "62704",
            },
            0.99999,
            ("x", "x"),
            "twins",
            None,
        ),
        (
            "twins, member id at another address",
            {"first_name": "Emma", "dob": "2010-05-05", **_FEBRL},
            {"first_name": "Olivia", "dob": "2010-05-05", **{**_FEBRL, "street": "9 Oak St"}},
            0.99999,
            ("x", "x"),
            "twins",
            None,
        ),
        (
            "twins of different gender",
            {"first_name": "Emma", "dob": "2010-05-05", "gender": "F", **_FEBRL},
            {"first_name": "Liam", "dob": "2010-05-05", "gender": "M", **_FEBRL},
            0.99999,
            ("x", "x"),
            "twins",
            None,
        ),
        # A plan family shares the subscriber's member ID and the address.
        (
            "parent and child on one plan",
            {"first_name": "Chidi", "dob": "1970-01-15", **_FEBRL},
            {"first_name": "Nneka", "dob": "2012-04-01", **_FEBRL},
            0.99999,
            ("x", "x"),
            "dob_and_first_name_conflict",
            None,
        ),
        (
            "spouses on one plan",
            {"first_name": "Chidi", "dob": "1970-01-15", **_FEBRL},
            {"first_name": "Ada", "dob": "1972-09-30", **_FEBRL},
            0.99999,
            ("x", "x"),
            "dob_and_first_name_conflict",
            None,
        ),
        (
            "dependant without a DOB",
            {"first_name": "Chidi", "dob": "1970-01-15", **_FEBRL},
            {"first_name": "Nneka", **_FEBRL},
            0.99999,
            ("x", "x"),
            "first_name_conflict",
            None,
        ),
        (
            "namesake father and son",
            {"first_name": "John", "dob": "1950-03-03", **_FEBRL},
            {"first_name": "John", "dob": "1978-11-23", **_FEBRL},
            0.99999,
            ("x", "x"),
            "generation_gap",
            None,
        ),
        # An MRN is one patient's within one client.
        (
            "one MRN, one client",
            {"first_name": "Ann", "last_name": "Ray", "dob": "1990-01-01", "mrn": "MRN00123"},
            {"first_name": "Zoe", "last_name": "Ray", "dob": "1990-01-01", "mrn": "MRN00123"},
            0.9995,
            ("mercy", "mercy"),
            "twins",
            "mrn_within_client",
        ),
        (
            "one MRN, two clients",
            {"first_name": "Ann", "last_name": "Ray", "dob": "1990-01-01", "mrn": "MRN00123"},
            {"first_name": "Zoe", "last_name": "Ray", "dob": "1990-01-01", "mrn": "MRN00123"},
            0.9995,
            ("mercy", "acme"),
            "twins",
            None,
        ),
        # Identifier vetoes are never waived.
        (
            "two SSNs",
            {"first_name": "Ann", "dob": "1990-01-01", "ssn": "219099999", **_FEBRL},
            {"first_name": "Ann", "dob": "1990-01-01", "ssn": "372554321", **_FEBRL},
            0.99999,
            ("x", "x"),
            "ssn_conflict",
            None,
        ),
        (
            "Jr and Sr",
            {"first_name": "John", "suffix": "Jr", "dob": "1990-01-01", **_FEBRL},
            {"first_name": "John", "suffix": "Sr", "dob": "1990-01-01", **_FEBRL},
            0.99999,
            ("x", "x"),
            "suffix_conflict",
            None,
        ),
    ],
)
def test_veto_waivers(
    label: str,
    a: dict[str, Any],
    b: dict[str, Any],
    p: float,
    clients: tuple[str, str],
    veto: str,
    waiver: str | None,
) -> None:
    from breachscope.resolve.rules import cannot_link, waive_veto

    pa_, pb_ = _p(**a), _p(**b)
    why = cannot_link(pa_, pb_)
    assert why == veto, label
    got = waive_veto(why, pa_, pb_, p, frozenset({clients[0]}), frozenset({clients[1]}))
    assert got == waiver, label


def test_waived_join_is_made_and_reviewed(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    common = {**_FEBRL, "phone": "+16175550100", "email": "c.shepherd@example.com"}
    a = add(con, first_name="Connor", dob="1980-03-04", **common)
    b = add(con, first_name="Olivia", dob="1980-03-04", **common)
    # A plan family member at the same address with the same member ID stays apart.
    kid = add(con, first_name="Nneka", dob="2012-04-01", **common)
    run_resolve(make_case(tmp_path), con)
    assert together(con, a, b)
    assert not together(con, a, kid) and not together(con, b, kid)
    q = fetch_dicts(con, "SELECT * FROM review_queue WHERE kind = 'pair'")
    assert any({r["mention_a"], r["mention_b"]} == {a, b} and "waived" in r["reason"] for r in q)


def test_cluster_honours_waived_pairs_only() -> None:
    from breachscope.resolve.cluster import ConstrainedClusters

    x = _p(first_name="Connor", dob="1980-03-04", **_FEBRL)
    y = _p(first_name="Olivia", dob="1980-03-04", **_FEBRL)
    z = _p(first_name="Nneka", dob="2012-04-01", **_FEBRL)
    cc = ConstrainedClusters([x, y, z], set(), {(0, 1)})
    used = cc.add_edges([(0.9999, 0, 1), (0.9999, 1, 2)])
    assert used == {(0, 1): 0.9999}
    assert sorted(cc.groups()) == [[0, 1], [2]]
    assert cc.refused == {(1, 2): "dob_and_first_name_conflict"}
    plain = ConstrainedClusters([x, y, z], set())
    assert plain.add_edges([(0.9999, 0, 1)]) == {}


# --------------------------------------------------------------------------- blocking


@pytest.mark.parametrize(
    ("a", "b", "blocked"),
    [
        # same full name: one DOB unknown, same year, or a mistyped year → compared
        (
            {"first": "JOHN", "last": "SMITH", "dob": None},
            {"first": "JOHN", "last": "SMITH", "dob": "1970-01-02"},
            True,
        ),
        (
            {"first": "JOHN", "last": "SMITH", "dob": "1970-05-06"},
            {"first": "JOHN", "last": "SMITH", "dob": "1970-01-02"},
            True,
        ),
        (
            {"first": "JOHN", "last": "SMITH", "dob": "1907-01-02"},
            {"first": "JOHN", "last": "SMITH", "dob": "1970-01-02"},
            True,
        ),
        # two John Smiths born in different years on different days, nothing else shared
        (
            {"first": "JOHN", "last": "SMITH", "dob": "1955-03-09", "zip": "10001"},
            {"first": "JOHN", "last": "SMITH", "dob": "1970-01-02", "zip": "94105"},
            False,
        ),
        # one birth date, new surname: the same first name, or the same ZIP → compared
        (
            {"first": "MARY", "last": "JONES", "dob": "1970-01-02"},
            {"first": "MARY", "last": "KOWALSKI", "dob": "1970-01-02"},
            True,
        ),
        (
            {"first": "MARY", "last": "JONES", "dob": "1970-01-02", "zip": "10001"},
            {"first": "MAE", "last": "KOWALSKI", "dob": "1970-01-02", "zip": "10001"},
            True,
        ),
        # one birth date and initial, nothing else: two strangers → not compared
        (
            {"first": "MARY", "last": "JONES", "dob": "1970-01-02", "zip": "10001"},
            {"first": "MELISSA", "last": "KOWALSKI", "dob": "1970-01-02", "zip": "94105"},
            False,
        ),
        # day and month swapped, new surname, same first name → compared
        (
            {"first": "MARY", "last": "JONES", "dob": "1970-02-01"},
            {"first": "MARY", "last": "KOWALSKI", "dob": "1970-01-02"},
            True,
        ),
    ],
)
def test_blocking_rules(a: dict[str, Any], b: dict[str, Any], blocked: bool) -> None:
    assert _blocked(a, b) is blocked


def test_noisy_source_blocks_wider() -> None:
    """A FEBRL duplicate with a mangled surname and DOB at one ZIP: compared only when the
    case is a noisy source; the ordinary rules stay as they are."""
    from breachscope.resolve.model import blocking_rules

    a = {"first": "BENJAMIN", "last": "CAMENS", "dob": "1975-07-06", "zip": "04505",
         "member_id": "3523836"}  # fmt: skip
    b = {"first": "BENJAMIN", "last": "CAMES", "dob": "1975-06-06", "zip": "04505",
         "member_id": "3523853"}  # fmt: skip
    assert not _blocked(a, b)
    assert _blocked(a, b, noisy_source=True)

    def sql(rules: list[Any]) -> list[str]:
        return [
            r if isinstance(r, str) else r.get_blocking_rule("duckdb").blocking_rule_sql
            for r in rules
        ]

    ordinary = sql(blocking_rules())
    assert sql(blocking_rules(noisy_source=True))[: len(ordinary)] == ordinary


def _blocked(a: dict[str, Any], b: dict[str, Any], *, noisy_source: bool = False) -> bool:
    from breachscope.resolve.model import blocking_rules
    from breachscope.resolve.normalize import soundex

    def row(uid: int, f: dict[str, Any]) -> dict[str, Any]:
        d = dt.date.fromisoformat(f["dob"]) if f.get("dob") else None
        swap = f"{d.year:04d}-{d.day:02d}-{d.month:02d}" if d and d.day <= 12 else None
        return {
            "unique_id": uid, "first": f["first"], "first_init": f["first"][:1],
            "last": f["last"], "last_sx": soundex(f["last"]), "dob": d.isoformat() if d else None,
            "dob_swap": swap, "dob_y": d.year if d else None, "dob_m": d.month if d else None,
            "dob_d": d.day if d else None, "zip": f.get("zip"), "street": None, "ssn": None,
            "ssn4": None, "member_id": f.get("member_id"), "mrn": None, "phone": None, "email": None,
        }  # fmt: skip

    db = duckdb.connect()
    rows = [row(1, a), row(2, b)]
    cols = list(rows[0])
    db.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES "
        + ", ".join("(" + ", ".join("?" for _ in cols) + ")" for _ in rows)
        + f") v({', '.join(cols)})",
        [r[c] for r in rows for c in cols],
    )
    hits = 0
    for rule in blocking_rules(noisy_source=noisy_source):
        sql = rule if isinstance(rule, str) else rule.get_blocking_rule("duckdb").blocking_rule_sql
        hits += db.execute(
            f"SELECT count(*) FROM t l JOIN t r ON l.unique_id < r.unique_id AND ({sql})"
        ).fetchone()[0]  # type: ignore[index]
    return hits > 0
