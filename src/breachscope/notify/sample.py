"""A small synthetic population for notify's examples, benchmark and tests.

Every person is made up. Fills ``individuals``, ``mentions``, ``individual_mentions`` and
``files`` directly, so the notices can be rendered without running the earlier stages;
``obligations`` come from the assess stage (or from tests, by hand).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import tomllib
from pathlib import Path

import duckdb

from breachscope.case import Case, load_case
from breachscope.store.schema import TABLES

FIRST = [
    "Maria",
    "James",
    "Robert",
    "Linda",
    "Michael",
    "Patricia",
    "David",
    "Jennifer",
    "William",
    "Elizabeth",
    "Joseph",
    "Susan",
    "Thomas",
    "Jessica",
    "Charles",
    "Sarah",
    "Daniel",
    "Karen",
    "Matthew",
    "Nancy",
    "Anthony",
    "Lisa",
    "Mark",
    "Betty",
    "Paul",
    "Sandra",
    "Steven",
    "Ashley",
    "Andrew",
    "Kimberly",
    "Joshua",
    "Emily",
    "Kevin",
    "Donna",
    "Brian",
    "Michelle",
    "Aaron",
    "Carol",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
]
STREETS = [
    "Maple Avenue",
    "Oak Street",
    "Washington Boulevard",
    "Lake View Drive",
    "North Main Street",
    "Elm Court",
    "Cedar Lane",
    "Park Place",
    "Highland Road",
    "Sunset Terrace",
    "Ridge Parkway",
    "Mill Creek Road",
]
CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "CA": (("Sacramento", "95814"), ("Fresno", "93721"), ("San Diego", "92101")),
    "PA": (("Harrisburg", "17101"), ("Pittsburgh", "15222"), ("Allentown", "18101")),
    "MA": (("Worcester", "01608"), ("Springfield", "01103")),
    "CT": (("Hartford", "06103"), ("New Haven", "06510")),
    "MD": (("Baltimore", "21201"), ("Rockville", "20850")),
    "NY": (("Albany", "12207"), ("Buffalo", "14202")),
    "TX": (("Austin", "78701"), ("El Paso", "79901")),
    "RI": (("Providence", "02903"),),
    "NM": (("Santa Fe", "87501"),),
}
STATE_WEIGHTS = {"CA": 40, "PA": 25, "MA": 6, "CT": 5, "MD": 6, "NY": 8, "TX": 6, "RI": 2, "NM": 2}
PROFILES: tuple[tuple[str, ...], ...] = (
    ("name", "address", "dob", "member_id", "health_plan"),
    ("name", "address", "dob", "ssn", "member_id", "diagnosis"),
    ("name", "dob", "mrn", "diagnosis", "medication", "provider"),
    ("name", "address", "phone", "dob", "test_result", "provider"),
    ("name", "address", "dob", "ssn", "bank_account"),
    ("name", "email", "username_password"),
)
CLIENTS = (
    ("mercy-valley-health", "Mercy Valley Health System", "provider"),
    ("blue-horizon-health-plan", "Blue Horizon Health Plan, Inc.", "health_plan"),
)

CASE_TOML = """\
# Synthetic case for notify examples. Every person is made up.
evidence = "evidence"

[incident]
name = "Unauthorized access to the coding file servers"
discovery_date = 2025-02-06
access_start = 2025-01-27
access_end = 2025-02-06

[reporting_entity]
name = "Keystone Clinical Coding Services, LLC"
role = "business_associate"
address = "2100 Market Street, Suite 400, Harrisburg, PA 17103"
phone = "1-877-555-0190"
website = "www.keystonecoding.example/notice"
email = "privacy@keystonecoding.example"

[[clients]]
id = "mercy-valley-health"
name = "Mercy Valley Health System"
kind = "provider"
covered_entity = true
paths = ["mercy-valley-health/**"]

[[clients]]
id = "blue-horizon-health-plan"
name = "Blue Horizon Health Plan, Inc."
kind = "health_plan"
covered_entity = true
paths = ["blue-horizon-health-plan/**"]

[settings]
encrypt = false
"""

NOTIFY_TOML = """\
[notify]
letter_date = 2025-03-24
signer_name = "Dana Whitfield"
signer_title = "Chief Privacy Officer"
vendor_service = "medical coding"

[notify.contact]
phone = "1-888-555-0142"
name = "Dana Whitfield"
title = "Chief Privacy Officer"

[notify.credit_monitoring]
vendor = "Experian IdentityWorks"
url = "www.experianidworks.example/3bcredit"
phone = "1-877-555-0177"
"""


def write_case_dir(root: Path, *, with_notify: bool = False) -> Path:
    """A case folder (``case.toml`` + evidence tree) for the sample population.

    ``with_notify`` adds the ``[notify]`` table to the file itself (needs a case loader
    that knows the key); :func:`load_sample_case` merges it in either way.
    """
    for cid, _n, _k in CLIENTS:
        (root / "evidence" / cid).mkdir(parents=True, exist_ok=True)
        (root / "evidence" / cid / "placeholder.txt").write_text("synthetic\n")
    path = root / "case.toml"
    path.write_text(CASE_TOML + ("\n" + NOTIFY_TOML if with_notify else ""))
    return path


def load_sample_case(root: Path) -> Case:
    """Write and load the sample case, with the sample ``[notify]`` settings."""
    path = write_case_dir(root)
    case = load_case(path)
    raw = dict(case.raw)
    raw["notify"] = tomllib.loads(NOTIFY_TOML)["notify"]
    return dataclasses.replace(case, raw=raw)


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in TABLES.values():
        con.execute(ddl)


def fill_population(con: duckdb.DuckDBPyConnection, n: int, seed: int = 7) -> None:
    """``n`` made-up individuals with mentions and the files they were found in."""
    rnd = random.Random(seed)
    states = list(STATE_WEIGHTS)
    weights = list(STATE_WEIGHTS.values())
    files: list[tuple[object, ...]] = []
    for cid, _name, _kind in CLIENTS:
        for j, (kind, status, reason) in enumerate(
            (
                ("csv", "processed", ""),
                ("xlsx", "processed", ""),
                ("pdf", "processed", ""),
                ("eml", "processed", ""),
                ("pdf", "failed", "encrypted: password not supplied"),
                ("zip", "skipped", "bomb: expansion ratio over limit"),
            )
        ):
            path = f"{cid}/share/file_{j:02d}.{kind}"
            files.append(
                (
                    f"{cid}-{j}",
                    path,
                    None,
                    0,
                    1000 + j,
                    "0" * 64,
                    kind,
                    status,
                    reason,
                    [cid],
                    1 if status == "processed" else 0,
                    10 if status == "processed" else 0,
                    None,
                )
            )
    con.executemany(f"INSERT INTO files VALUES ({', '.join('?' * 13)})", files)

    people: list[tuple[object, ...]] = []
    mentions: list[tuple[object, ...]] = []
    links: list[tuple[object, ...]] = []
    for i in range(n):
        pid = f"P{i:07d}"
        state = rnd.choices(states, weights)[0]
        city, zip5 = rnd.choice(CITIES[state])
        age_pick = rnd.random()
        if age_pick < 0.12:
            dob = dt.date(2010 + rnd.randrange(12), 1 + rnd.randrange(12), 1 + rnd.randrange(28))
        else:
            dob = dt.date(1935 + rnd.randrange(70), 1 + rnd.randrange(12), 1 + rnd.randrange(28))
        minor = dob > dt.date(2007, 2, 6)
        deceased = (not minor) and rnd.random() < 0.03
        no_address = rnd.random() < 0.02
        clients = [CLIENTS[0][0]] if rnd.random() < 0.6 else [CLIENTS[1][0]]
        if rnd.random() < 0.05:
            clients = [CLIENTS[0][0], CLIENTS[1][0]]
        profile = list(rnd.choice(PROFILES))
        street = "" if no_address else f"{100 + rnd.randrange(9800)} {rnd.choice(STREETS)}"
        zip_code = (
            ""
            if no_address
            else (zip5 + (f"-{rnd.randrange(10000):04d}" if rnd.random() < 0.4 else ""))
        )
        people.append(
            (
                pid,
                rnd.choice(FIRST),
                None,
                rnd.choice(LAST),
                None,
                dob,
                street,
                "" if no_address else city,
                state,
                zip_code,
                "address",
                minor,
                deceased,
                clients,
                profile,
                len(clients),
                len(clients),
                False,
            )
        )
        for k, cid in enumerate(clients):
            mid = f"{pid}-m{k}"
            j = rnd.randrange(4)
            row = rnd.randrange(2, 5000)
            mentions.append(
                (
                    mid,
                    f"{cid}-{j}:0",
                    f"{cid}-{j}",
                    f"{cid}/share/file_{j:02d}",
                    f"row {row}",
                    row,
                    None,
                    [cid],
                    profile,
                )
            )
            links.append((pid, mid, 1.0))
    con.executemany(f"INSERT INTO individuals VALUES ({', '.join('?' * 18)})", people)
    con.executemany(
        "INSERT INTO mentions (mention_id, doc_id, file_id, path, locator, row_no, page, "
        "client_ids, elements) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        mentions,
    )
    con.executemany("INSERT INTO individual_mentions VALUES (?, ?, ?)", links)
