"""Deterministic rules for strong identifiers, applied before and around the model.

``cannot_link`` says two mentions are certainly different people (and why);
``must_link`` says they are certainly the same. Reviewer decisions override both.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from breachscope.resolve.normalize import Person, metaphone, nicknames_of

# A DOB gap this large that is not a typo pattern is a parent and a child.
GENERATION_GAP_YEARS = 12
# Vetoes that describe *family members* (twins, parent and child, siblings). Strong
# identifiers that family members never share can outweigh them; SSN and Jr/Sr vetoes are
# about identifiers themselves and are never waived.
WAIVABLE_VETOES = frozenset(
    {
        "twins",
        "first_name_conflict",
        "dob_and_first_name_conflict",
        "generation_gap",
        "middle_name_conflict",
    }
)
# The model must be at least this sure before shared identifiers outweigh a family veto.
WAIVER_PROBABILITY = 0.999
# With personal member IDs (``member_ids_are_personal``) a shared ID outweighs a family
# veto when the model would join the pair anyway.
PERSONAL_ID_PROBABILITY = 0.9
# ``member_ids_are_personal``: evidence needed before member IDs count as personal.
MIN_ID_GROUPS = 50  # member IDs held by several distinct identities
MAX_DISTINCT_SHARE = 0.005  # at most this share of them shows two distinct people
# Twins on one plan are a few percent of its families at most; a source whose shared IDs
# show the twin pattern at twice that rate replaces first names.
MIN_TWIN_PATTERN_SHARE = 0.04
_MAX_ID_GROUP = 20
# ``family_vetoes_are_noise``: in real households, relatives with conflicting first names
# share a birth date only as twins (about 3 % of births, so a few percent of such pairs at
# most). A source where far more of them do is replacing first names, not listing
# families; there the family vetoes become a penalty on the model's odds.
MIN_FAMILY_PAIRS = 50
MIN_NOISE_TWIN_SHARE = 0.25
# The penalty: a family veto in a noisy source multiplies the model's odds by 0.3, so a
# vetoed pair reaches the match threshold (0.9) only at p ≥ 0.968. Chosen on FEBRL (F1 at
# 0.01 / 0.1 / 0.3 / 1: FEBRL3 0.9945–0.9977 / 0.9977 / 0.9985 / 0.9988; see people.md).
FAMILY_VETO_BAYES_FACTOR = 0.3
_MAX_HOME_GROUP = 20


def ssn_typo(a: str, b: str) -> bool:
    """One digit wrong or two adjacent digits swapped."""
    return DamerauLevenshtein.distance(a, b) <= 1


def _near_any(name: str, others: tuple[str, ...]) -> bool:
    return any(len(o) > 4 and DamerauLevenshtein.distance(name, o) <= 1 for o in others)


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
        if len(x) > 5 and len(y) > 5
    ):
        return False
    # A typo of a nickname of the other (CHIRS for CHRIS → CHRISTINE).
    if (
        len(a) > 3
        and len(b) > 3
        and (_near_any(a, nicknames_of(b)) or _near_any(b, nicknames_of(a)))
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
    from breachscope.resolve.normalize import first_keys

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


def address_close(a: Person, b: Person) -> bool:
    """One home, allowing a typo in the ZIP or the street: one ZIP (or a digit apart) and
    the street equal, a typo apart or missing a unit; with one exact ZIP, a street that is
    merely similar (a mangled suburb or street type) or missing on one side."""
    if not (a.zip and b.zip):
        return False
    if a.zip == b.zip:
        if not a.street or not b.street:
            return True
        return street_close(a.street, b.street) or JaroWinkler.similarity(a.street, b.street) >= 0.8
    return DamerauLevenshtein.distance(a.zip, b.zip) <= 1 and street_close(a.street, b.street)


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


def middles_conflict(a: Person, b: Person) -> bool:
    """Both middle names known and with different initials (ADAM C vs ADAM RODNEY), unless
    one side's middle name is the other's first name (a person who goes by it)."""
    if not (a.middle and b.middle) or a.middle[0] == b.middle[0]:
        return False
    return not (a.middle == b.first or b.middle == a.first or names_swapped(a, b))


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
    # Different genders outweigh first names that are only alike (CARL / KARA) when the
    # birth dates differ too.
    if (
        a.gender
        and b.gender
        and a.gender != b.gender
        and (
            first_conflict(a.first, b.first)
            or (a.first != b.first and a.dob is not None and b.dob is not None and a.dob != b.dob)
        )
    ):
        return "gender_conflict"
    # A middle initial is weaker than a full SSN: a shared SSN outweighs it.
    if (
        middles_conflict(a, b)
        and last_compatible(a.last, b.last)
        and not (a.ssn and a.ssn == b.ssn)
    ):
        return "middle_name_conflict"
    return None


def shared_unique_id(
    a: Person,
    b: Person,
    clients_a: frozenset[str] = frozenset(),
    clients_b: frozenset[str] = frozenset(),
) -> str | None:
    """A strong exact identifier two family members never share, or None.

    A member ID alone is not one (a plan family shares the subscriber's), nor is an
    address; the same member ID *at the same address* (``address_close``) for two known
    birth dates at most two digits apart is (a parent, a spouse or a sibling on the
    subscriber's plan has a birth date further off, or none on file). An MRN is one
    person's within one client; across clients the same digits mean nothing. The same
    last four SSN digits with the same birth date are one (twins have different SSNs).
    """
    if (
        a.dob is not None
        and b.dob is not None
        and dob_close(a.dob, b.dob)
        and a.member_id
        and a.member_id == b.member_id
        and address_close(a, b)
    ):
        return "member_id_and_address"
    if a.mrn and a.mrn == b.mrn and clients_a & clients_b:
        return "mrn_within_client"
    # Twins and siblings have different SSNs: the same last four with the same birth date
    # is one person (a chance match is one in ten thousand).
    if a.ssn4 and a.ssn4 == b.ssn4 and a.dob is not None and a.dob == b.dob:
        return "ssn_last4_and_dob"
    return None


def waive_veto(
    why: str,
    a: Person,
    b: Person,
    probability: float,
    clients_a: frozenset[str] = frozenset(),
    clients_b: frozenset[str] = frozenset(),
    *,
    personal_member_ids: bool = False,
) -> str | None:
    """Why a family veto does not hold for this pair, or None when it stands.

    It is waived only when nothing else says otherwise (different known genders) and
    either the model is very sure (p ≥ ``WAIVER_PROBABILITY``) and the pair shares an
    identifier family members never share, or the case's member IDs are personal
    (``member_ids_are_personal``), the pair shares one and the model would join it. A
    waived join always goes to the review queue.
    """
    if why not in WAIVABLE_VETOES:
        return None
    if a.gender and b.gender and a.gender != b.gender:
        return None
    if probability >= WAIVER_PROBABILITY:
        found = shared_unique_id(a, b, clients_a, clients_b)
        if found:
            return found
    if (
        personal_member_ids
        and probability >= PERSONAL_ID_PROBABILITY
        and personal_id_waives(why, a, b)
    ):
        return "personal_member_id"
    return None


def personal_id_waives(why: str, a: Person, b: Person) -> bool:
    """In a case whose member IDs are personal, the same member ID (or one a typo or two
    apart, with a compatible surname) outweighs a family veto: the first name or the birth
    date is what the source got wrong."""
    if why not in WAIVABLE_VETOES or not (a.member_id and b.member_id):
        return False
    if a.gender and b.gender and a.gender != b.gender:
        return False
    if a.member_id == b.member_id:
        return True
    typos = 2 if min(len(a.member_id), len(b.member_id)) >= 6 else 1
    return DamerauLevenshtein.distance(a.member_id, b.member_id) <= typos and last_compatible(
        a.last, b.last
    )


def personal_id_link(a: Person, b: Person) -> bool:
    """In a case whose member IDs are personal: the same ID and one more piece of agreement
    (the same known DOB, one home, or a compatible surname in either order) is one person,
    as the same SSN is. Only SSN and Jr/Sr vetoes stand against it."""
    if not (a.member_id and a.member_id == b.member_id):
        return False
    why = cannot_link(a, b)
    if why is not None and not personal_id_waives(why, a, b):
        return False
    if a.dob is not None and a.dob == b.dob:
        return True
    return (
        address_close(a, b)
        or bool(a.last and b.last and last_compatible(a.last, b.last))
        or bool(a.last and b.first and last_compatible(a.last, b.first))
    )


def member_ids_are_personal(people: list[Person]) -> bool:
    """Whether this case's member IDs identify a person rather than a plan family.

    Measured on the case itself, over member IDs held by 2 to ``_MAX_ID_GROUP`` distinct
    identities. Family IDs show *distinct people* behind one ID: two different full SSNs,
    Jr and Sr, or two known genders with conflicting first names. Personal IDs in a noisy
    source show instead the *twin pattern* (one DOB and surname, conflicting first names)
    far more often than twins could explain: the source replaces first names. Only with
    enough groups, no sign of distinct people, and that excess are the IDs personal; the
    default is family IDs, which keeps every veto.
    """
    groups: dict[str, list[Person]] = {}
    for p in people:
        if p.member_id:
            groups.setdefault(p.member_id, []).append(p)
    n = distinct = twin_like = 0
    for g in groups.values():
        if not 1 < len(g) <= _MAX_ID_GROUP:
            continue
        n += 1
        whys = {cannot_link(x, y) for i, x in enumerate(g) for y in g[i + 1 :]}
        if whys & {"ssn_conflict", "suffix_conflict"} or any(
            x.gender and y.gender and x.gender != y.gender and firsts_conflict(x, y)
            for i, x in enumerate(g)
            for y in g[i + 1 :]
        ):
            distinct += 1
        if "twins" in whys:
            twin_like += 1
    if n < MIN_ID_GROUPS:
        return False
    return distinct <= n * MAX_DISTINCT_SHARE and twin_like >= n * MIN_TWIN_PATTERN_SHARE


def twin_pattern_counts(people: list[Person]) -> tuple[int, int]:
    """Pairs that look like relatives (one home and surname, both DOBs known, conflicting
    first names), and how many of them share the birth date (the twin pattern).

    Counted within groups of 2 to ``_MAX_HOME_GROUP`` identities with one ZIP and surname,
    so the cost stays linear in the case.
    """
    homes: dict[tuple[str, str], list[Person]] = {}
    for p in people:
        if p.zip and p.last and p.dob is not None:
            homes.setdefault((p.zip, p.last), []).append(p)
    relatives = twin_like = 0
    for g in homes.values():
        if not 1 < len(g) <= _MAX_HOME_GROUP:
            continue
        for i, x in enumerate(g):
            for y in g[i + 1 :]:
                if address_close(x, y) and firsts_conflict(x, y):
                    relatives += 1
                    twin_like += x.dob == y.dob
    return relatives, twin_like


def family_vetoes_are_noise(people: list[Person]) -> bool:
    """Whether this case's family patterns are data noise rather than families.

    Measured on the case itself (``twin_pattern_counts``): with at least
    ``MIN_FAMILY_PAIRS`` relative-like pairs of which ``MIN_NOISE_TWIN_SHARE`` or more
    show the twin pattern, far beyond what twins explain, the source replaces first names
    and the family vetoes are scored as a penalty (``penalised``) instead of applied
    absolutely. The default keeps them absolute.
    """
    relatives, twin_like = twin_pattern_counts(people)
    return relatives >= MIN_FAMILY_PAIRS and twin_like >= relatives * MIN_NOISE_TWIN_SHARE


def penalised(probability: float, bayes_factor: float = FAMILY_VETO_BAYES_FACTOR) -> float:
    """The match probability after multiplying its odds by ``bayes_factor``."""
    if probability >= 1.0:
        return 1.0
    odds = probability / (1.0 - probability) * bayes_factor
    return odds / (1.0 + odds)


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
