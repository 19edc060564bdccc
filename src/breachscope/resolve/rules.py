"""Deterministic rules for strong identifiers, applied before and around the model.

``cannot_link`` says two mentions are certainly different people (and why);
``must_link`` says they are certainly the same. Reviewer decisions override both.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from breachscope.resolve.normalize import Person, metaphone

# A DOB gap this large that is not a typo pattern is a parent and a child.
GENERATION_GAP_YEARS = 12
# Vetoes that describe *family members* (twins, parent and child, siblings). Strong
# identifiers that family members never share can outweigh them; SSN and Jr/Sr vetoes are
# about identifiers themselves and are never waived.
WAIVABLE_VETOES = frozenset(
    {"twins", "first_name_conflict", "dob_and_first_name_conflict", "generation_gap"}
)
# The model must be at least this sure before shared identifiers outweigh a family veto.
WAIVER_PROBABILITY = 0.999


def ssn_typo(a: str, b: str) -> bool:
    """One digit wrong or two adjacent digits swapped."""
    return DamerauLevenshtein.distance(a, b) <= 1


@lru_cache(maxsize=500_000)
def first_conflict(a: str, b: str) -> bool:
    """Two first names that cannot be the same person's (not a nickname, initial or typo)."""
    if not a or not b or a == b:
        return False
    if len(a) == 1 or len(b) == 1:
        initial, full = (a, b) if len(a) == 1 else (b, a)
        return initial not in initials(full)
    if a.startswith(b) or b.startswith(a):  # CHRIS / CHRISTOPHER, MARY / MARYANN
        return False
    from breachscope.resolve.normalize import first_keys

    ka, kb = first_keys(a), first_keys(b)
    if set(ka) & set(kb):
        return False
    # A misspelt formal name of a nickname (KATHRINE / KATE → KATHERINE).
    if any(
        JaroWinkler.similarity(x, y) >= 0.93 or DamerauLevenshtein.distance(x, y) <= 1
        for x in ka
        for y in kb
        if len(x) > 3 and len(y) > 3
    ):
        return False
    dist = DamerauLevenshtein.distance(a, b)
    if dist <= 1 or (dist == 2 and a[0] == b[0] and min(len(a), len(b)) >= 4):
        return False
    if JaroWinkler.similarity(a, b) >= 0.9:
        return False
    return not (len(a) > 3 and len(b) > 3 and metaphone(a) == metaphone(b))


@lru_cache(maxsize=100_000)
def initials(first: str) -> frozenset[str]:
    """Initials a person with this first name may go by (WILLIAM → W, B for Bill)."""
    from breachscope.resolve.normalize import first_keys, nicknames_of

    return frozenset(k[0] for k in (*first_keys(first), *nicknames_of(first)) if k)


@lru_cache(maxsize=500_000)
def last_compatible(a: str, b: str) -> bool:
    if not a or not b or a == b:
        return True
    if JaroWinkler.similarity(a, b) >= 0.85 or DamerauLevenshtein.distance(a, b) <= 1:
        return True
    # hyphenated / double surnames: SMITHJONES vs SMITH
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and short in long_


def names_swapped(a: Person, b: Person) -> bool:
    return bool(a.first and a.last and a.first == b.last and a.last == b.first)


def firsts_conflict(a: Person, b: Person) -> bool:
    """First names conflict, allowing for swapped order and a middle name used as first."""
    if not first_conflict(a.first, b.first):
        return False
    if names_swapped(a, b):
        return False
    if a.middle and len(a.middle) > 1 and not first_conflict(a.middle, b.first):
        return False
    return not (b.middle and len(b.middle) > 1 and not first_conflict(a.first, b.middle))


@lru_cache(maxsize=100_000)
def street_close(a: str, b: str) -> bool:
    """One street: equal, a typo apart, or one missing a part of the other (a unit)."""
    if not a or not b:
        return False
    if a == b or JaroWinkler.similarity(a, b) >= 0.9:
        return True
    ta, tb = a.split(), b.split()
    short, long_ = sorted((ta, tb), key=len)
    return len(short) >= 2 and set(short) <= set(long_)


def dob_close(x: dt.date, y: dt.date) -> bool:
    """At most two digits of YYYYMMDD wrong or transposed."""
    return DamerauLevenshtein.distance(x.strftime("%Y%m%d"), y.strftime("%Y%m%d")) <= 2


def dob_compatible(a: Person, b: Person) -> bool:
    """Equal, or different only by a transposition or a format/typing error."""
    x, y = a.dob, b.dob
    if x is None or y is None or x == y:
        return True
    if x.year == y.year and x.month == y.day and x.day == y.month:
        return True  # day and month swapped
    same = (x.year == y.year) + (x.month == y.month) + (x.day == y.day)
    if same == 2:
        if x.year != y.year:
            gap = abs(x.year - y.year)
            return gap in (1, 10, 100) or DamerauLevenshtein.distance(str(x.year), str(y.year)) <= 1
        return True  # one of month / day mistyped
    sx, sy = x.strftime("%Y%m%d"), y.strftime("%Y%m%d")
    return DamerauLevenshtein.distance(sx, sy) <= 1


def name_compatible(a: Person, b: Person) -> bool:
    if names_swapped(a, b):
        return True
    return not firsts_conflict(a, b) and last_compatible(a.last, b.last)


def cannot_link(a: Person, b: Person) -> str | None:
    """Why two mentions are certainly different people, or None."""
    if a.ssn and b.ssn and a.ssn != b.ssn:
        # A one-digit slip in an SSN of an otherwise identical person is still that person.
        typo = (
            ssn_typo(a.ssn, b.ssn)
            and a.first == b.first
            and a.last == b.last
            and a.dob is not None
            and a.dob == b.dob
        )
        if not typo:
            return "ssn_conflict"
    if a.generation and b.generation and a.generation != b.generation:
        return "suffix_conflict"
    if firsts_conflict(a, b):
        if a.dob is not None and a.dob == b.dob and last_compatible(a.last, b.last):
            return "twins"
        if not dob_compatible(a, b):
            return "dob_and_first_name_conflict"
        if last_compatible(a.last, b.last):
            return "first_name_conflict"
    if (
        a.dob
        and b.dob
        and not dob_compatible(a, b)
        and abs(a.dob.year - b.dob.year) >= GENERATION_GAP_YEARS
    ):
        return "generation_gap"
    if a.gender and b.gender and a.gender != b.gender and first_conflict(a.first, b.first):
        return "gender_conflict"
    return None


def shared_unique_id(
    a: Person,
    b: Person,
    clients_a: frozenset[str] = frozenset(),
    clients_b: frozenset[str] = frozenset(),
) -> str | None:
    """A strong exact identifier two family members never share, or None.

    A member ID alone is not one (a plan family shares the subscriber's), nor is an
    address; the same member ID *at the same address* (one ZIP, the street equal but for a
    typo or a missing unit) for two known birth dates at
    most two digits apart is (a parent, a spouse or a sibling on the subscriber's plan has
    a birth date further off, or none on file). An MRN is one person's within one client;
    across clients the same digits mean nothing.
    """
    if (
        a.dob is not None
        and b.dob is not None
        and dob_close(a.dob, b.dob)
        and a.member_id
        and a.member_id == b.member_id
        and a.zip
        and a.zip == b.zip
        and street_close(a.street, b.street)
    ):
        return "member_id_and_address"
    if a.mrn and a.mrn == b.mrn and clients_a & clients_b:
        return "mrn_within_client"
    return None


def waive_veto(
    why: str,
    a: Person,
    b: Person,
    probability: float,
    clients_a: frozenset[str] = frozenset(),
    clients_b: frozenset[str] = frozenset(),
) -> str | None:
    """Why a family veto does not hold for this pair, or None when it stands.

    It is waived only when the model is very sure (p ≥ ``WAIVER_PROBABILITY``), the pair
    shares an identifier family members never share, and nothing else says otherwise
    (different known genders). A waived join always goes to the review queue.
    """
    if why not in WAIVABLE_VETOES or probability < WAIVER_PROBABILITY:
        return None
    if a.gender and b.gender and a.gender != b.gender:
        return None
    return shared_unique_id(a, b, clients_a, clients_b)


def must_link(a: Person, b: Person) -> bool:
    """Same full SSN with a compatible name (or the same DOB) and nothing against it."""
    if not (a.ssn and a.ssn == b.ssn):
        return False
    if cannot_link(a, b) is not None:
        return False
    if name_compatible(a, b) and dob_compatible(a, b):
        return True
    return a.dob is not None and a.dob == b.dob and not firsts_conflict(a, b)


def soundex_equal(a: str, b: str) -> bool:
    return bool(a) and jellyfish.soundex(a) == jellyfish.soundex(b)
