"""Synthetic people, generated household by household.

A household (a single person, a couple, a family with children, a Jr/Sr father and son,
twins) shares a surname, an address and a primary client. Each household is drawn from
its own random stream (``seed`` and household number), so households can be produced
lazily and re-produced without holding the population in memory. Identifiers that must be
unique across the case (SSN, MRN, member number) come from affine permutations of a
running counter, so they never collide however many people are made.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from math import gcd
from typing import cast

from breachscope.synth import clinical, pools
from breachscope.synth.clients import BY_ID, CLIENTS, DISCOVERY, HORIZON, ClientDef


@dataclass(frozen=True)
class Address:
    number: str
    predir: str  # N, S, E, W or ""
    street_name: str
    suffix_abbr: str
    suffix_full: str
    unit: str  # "Apt 4B" or ""
    city: str
    state: str
    zip: str
    zip4: str
    area_codes: tuple[str, ...]

    @property
    def street(self) -> str:
        """Canonical first line: ``123 N Oak St Apt 4B``."""
        parts = [self.number, self.predir, self.street_name, self.suffix_abbr, self.unit]
        return " ".join(p for p in parts if p)

    def street_long(self) -> str:
        parts = [self.number, self.predir, self.street_name, self.suffix_full, self.unit]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Provider:
    first: str
    last: str
    credential: str  # MD, DO, NP, PA-C
    specialty: str
    npi: str

    @property
    def display(self) -> str:
        if self.credential in ("MD", "DO"):
            return f"Dr. {self.first} {self.last}"
        return f"{self.first} {self.last}, {self.credential}"

    @property
    def formal(self) -> str:
        return f"{self.first} {self.last}, {self.credential}"

    @property
    def listing(self) -> str:
        return f"{self.last.upper()}, {self.first.upper()} {self.credential}"


@dataclass(frozen=True)
class Person:
    person_id: str
    index: int
    household: int
    relationship: str  # self | spouse | child
    first: str
    middle: str
    last: str
    suffix: str
    sex: str
    dob: dt.date
    ssn: str | None
    address: Address
    old_address: Address | None  # movers: where they lived before
    phone: str  # 10 digits or ""
    cell: str
    email: str
    clients: tuple[str, ...]  # primary first
    deceased_on: dt.date | None
    payer: clinical.Payer
    plan: str  # product name
    member_id: str  # insurance member / subscriber / MBI number
    subscriber: Person | None  # household head holding the coverage, None when self
    mrns: dict[str, str] = field(compare=False, hash=False)
    conditions: tuple[clinical.Condition, ...] = ()
    pcp: dict[str, Provider] = field(default_factory=dict, compare=False, hash=False)
    drivers_license: str = ""
    card: str = ""
    tags: frozenset[str] = frozenset()

    @property
    def age(self) -> int:
        return age_on(self.dob, DISCOVERY)

    @property
    def is_minor(self) -> bool:
        return self.age < 18

    @property
    def is_deceased(self) -> bool:
        return self.deceased_on is not None

    def mrn(self, client_id: str) -> str:
        return self.mrns[client_id]


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class _Permutation:
    """k -> (a*k + b) mod m: a bijection on range(m), so distinct k give distinct values."""

    def __init__(self, m: int, salt: int) -> None:
        self.m = m
        a = 2654435761 % m
        while gcd(a, m) != 1:
            a += 1
        self.a = a
        self.b = (salt * 40503 + 12345) % m

    def __call__(self, k: int) -> int:
        return (self.a * k + self.b) % self.m


_SSN_AREAS = [a for a in range(1, 900) if a != 666]


class IdMint:
    """Unique identifiers for a case: SSNs, MRNs per client, plan subscriber numbers."""

    def __init__(self, seed: int) -> None:
        self._ssn = _Permutation(len(_SSN_AREAS) * 99 * 9999, seed)
        self._mrn = {c.id: _Permutation(10**8, seed * 7 + i) for i, c in enumerate(CLIENTS)}
        self._sub = _Permutation(10**9, seed * 13 + 5)

    def ssn(self, k: int) -> str:
        v = self._ssn(k)
        v, serial = divmod(v, 9999)
        area_i, group = divmod(v, 99)
        return f"{_SSN_AREAS[area_i]:03d}{group + 1:02d}{serial + 1:04d}"

    def mrn(self, client_id: str, k: int) -> str:
        v = self._mrn[client_id](k)
        if client_id == "tri-county-labs":
            return f"TC{v:08d}"
        if client_id == "lakeshore-physicians":
            return f"{v % 10**6:06d}-{v // 10**6 % 100:02d}"
        return f"{v:08d}"

    def subscriber_number(self, k: int) -> str:
        return f"{self._sub(k):09d}"


SPECIALTIES = (
    "Internal Medicine", "Family Medicine", "Cardiology", "Endocrinology", "Pulmonology",
    "Orthopedic Surgery", "Pediatrics", "Obstetrics and Gynecology", "Nephrology",
    "Psychiatry", "Oncology", "Radiology", "Pathology", "Gastroenterology",
)  # fmt: skip


def make_providers(rng: random.Random, n: int) -> tuple[Provider, ...]:
    out = []
    for _ in range(n):
        sex = rng.choice("FM")
        cred = rng.choices(("MD", "DO", "NP", "PA-C"), weights=(6, 2, 2, 1))[0]
        out.append(
            Provider(
                pools.first_names(sex).draw(rng),
                pools.last_names().draw(rng),
                cred,
                rng.choice(SPECIALTIES),
                clinical.make_npi(rng),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class World:
    """Per-case context shared by all households: providers per client, the id mint."""

    seed: int
    mint: IdMint
    providers: dict[str, tuple[Provider, ...]]

    @classmethod
    def create(cls, seed: int) -> World:
        rng = random.Random(f"breachscope-synth/{seed}/providers")
        providers = {c.id: make_providers(rng, 24) for c in CLIENTS}
        return cls(seed, IdMint(seed), providers)


# Households whose kind is fixed so that even a small case holds every special case.
_FORCED = {0: "single", 1: "couple2", 2: "elderly_dead", 3: "jr_sr", 4: "mover", 5: "edge_minor",
           6: "single", 7: "twins", 8: "noss", 9: "edge_adult"}  # fmt: skip


def _address(rng: random.Random, state: str) -> Address:
    z = rng.choice(pools.zips_by_state()[state])
    sfx = rng.choice(pools.STREET_SUFFIXES)
    unit = ""
    if rng.random() < 0.18:
        unit = (
            rng.choice(("Apt", "Unit", "Apt", "Ste"))
            + " "
            + rng.choice((str(rng.randint(1, 40)), f"{rng.randint(1, 9)}{rng.choice('ABCD')}"))
        )
    return Address(
        number=str(rng.choice((rng.randint(1, 999), rng.randint(100, 29999)))),
        predir=rng.choice(("", "", "", "", "N", "S", "E", "W")),
        street_name=rng.choice(pools.STREET_NAMES),
        suffix_abbr=sfx[0],
        suffix_full=sfx[1],
        unit=unit,
        city=z.city,
        state=z.state,
        zip=z.zip,
        zip4=f"{rng.randint(1, 9999):04d}",
        area_codes=z.area_codes,
    )


def _phone(rng: random.Random, addr: Address) -> str:
    area = rng.choice(addr.area_codes) if addr.area_codes else str(rng.randint(201, 989))
    exch = rng.randint(201, 989)
    while exch in (555, 911, 411):
        exch = rng.randint(201, 989)
    return f"{area}{exch}{rng.randint(0, 9999):04d}"


def _dob_for_age(rng: random.Random, lo: int, hi: int) -> dt.date:
    age = rng.randint(lo, hi)
    end = DISCOVERY.replace(year=DISCOVERY.year - age)
    return end - dt.timedelta(days=rng.randint(1, 364))


def _adult_age(rng: random.Random) -> tuple[int, int]:
    band = rng.choices(((18, 34), (35, 54), (55, 74), (75, 97)), weights=(25, 32, 30, 13))[0]
    return band


class PopulationBuilder:
    """Turns household numbers into people. Deterministic for (seed, household)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.next_index = 0

    def households(self, people: int) -> Iterator[list[Person]]:
        """Yield households until exactly ``people`` people have been made."""
        h = 0
        made = 0
        while made < people:
            members = self.household(h, people - made)
            made += len(members)
            h += 1
            yield members

    # ------------------------------------------------------------------ one household

    def household(self, h: int, room: int) -> list[Person]:
        rng = random.Random(f"breachscope-synth/{self.world.seed}/household/{h}")
        kind = (
            _FORCED.get(h)
            or rng.choices(
                ("single", "couple", "family", "jr_sr", "twins", "elderly", "mover", "noss"),
                weights=(50, 14, 20, 3, 3, 5, 4, 1),
            )[0]
        )
        primary = (
            _FORCED_CLIENT.get(h) or rng.choices(CLIENTS, weights=[c.weight for c in CLIENTS])[0]
        )
        home = rng.random() < 0.7
        state = rng.choice(primary.home_states) if home else rng.choice(pools.STATES)
        addr = _address(rng, state)
        moved = kind == "mover" or rng.random() < 0.04
        old = None
        if moved:
            old_state = state if rng.random() < 0.5 else rng.choice(pools.STATES)
            old = _address(rng, old_state)
        last = pools.last_names().draw(rng)
        if rng.random() < 0.04:
            last = f"{last}-{pools.last_names().draw(rng)}"
        specs = self._member_specs(rng, kind, last)[:room]
        out: list[Person] = []
        head: Person | None = None
        for i, spec in enumerate(specs):
            p = self._person(rng, h, i, spec, primary, addr, old, head, kind)
            if head is None:
                head = p
            out.append(p)
        return out

    def _member_specs(self, rng: random.Random, kind: str, last: str) -> list[dict[str, object]]:
        """Who lives in the household: sex, age band, relationship, fixed names."""
        adult = _adult_age(rng)
        m: list[dict[str, object]] = []
        if kind in ("single", "mover", "noss"):
            m.append({"rel": "self", "age": adult, "last": last})
        elif kind in ("couple", "couple2", "elderly", "elderly_dead"):
            band = (68, 92) if kind.startswith("elderly") else adult
            sex = rng.choice("FM")
            m.append({"rel": "self", "age": band, "sex": sex, "last": last})
            m.append({"rel": "spouse", "age": band, "sex": "M" if sex == "F" else "F", "last": last,
                      "dead": kind == "elderly_dead"})  # fmt: skip
        elif kind in ("family", "edge_minor", "edge_adult"):
            m.append({"rel": "self", "age": (28, 55), "last": last})
            if rng.random() < 0.7:
                m.append({"rel": "spouse", "age": (28, 55), "last": last})
            for k in range(rng.randint(1, 3)):
                spec: dict[str, object] = {"rel": "child", "age": (0, 17), "last": last}
                if k == 0 and kind == "edge_minor":
                    spec["dob"] = DISCOVERY.replace(year=DISCOVERY.year - 18) + dt.timedelta(days=1)
                if k == 0 and kind == "edge_adult":
                    spec["dob"] = DISCOVERY.replace(year=DISCOVERY.year - 18)
                m.append(spec)
        elif kind == "jr_sr":
            first = pools.first_names("M").draw(rng)
            middle = pools.first_names("M").draw(rng)
            m.append({"rel": "self", "age": (58, 84), "sex": "M", "first": first, "middle": middle,
                      "suffix": "Sr", "last": last, "tag": "sr"})  # fmt: skip
            m.append({"rel": "child", "age": (24, 44), "sex": "M", "first": first, "middle": middle,
                      "suffix": "Jr", "last": last, "tag": "jr"})  # fmt: skip
            if rng.random() < 0.5:
                m.append({"rel": "spouse", "age": (55, 82), "sex": "F", "last": last})
        elif kind == "twins":
            m.append({"rel": "self", "age": (30, 55), "last": last})
            twin_dob = _dob_for_age(rng, *rng.choice(((3, 17), (18, 30))))
            sexes = rng.choice(("FF", "MM", "FM"))
            firsts: list[str] = []
            for s in sexes:
                f = pools.first_names(s).draw(rng)
                while f in firsts or f[:3] == (firsts[0][:3] if firsts else ""):
                    f = pools.first_names(s).draw(rng)
                firsts.append(f)
            for s, f in zip(sexes, firsts, strict=True):
                m.append({"rel": "child", "dob": twin_dob, "sex": s, "first": f, "last": last,
                          "tag": "twin"})  # fmt: skip
        if kind == "noss":
            m[0]["no_ssn"] = True
        if kind == "mover":
            m[0]["tag"] = "mover"
        return m

    def _person(
        self,
        rng: random.Random,
        h: int,
        i: int,
        spec: dict[str, object],
        primary: ClientDef,
        addr: Address,
        old: Address | None,
        head: Person | None,
        kind: str,
    ) -> Person:
        world = self.world
        k = self.next_index
        self.next_index += 1
        sex = str(spec.get("sex") or rng.choice("FM"))
        first = str(spec.get("first") or pools.first_names(sex).draw(rng))
        last = str(spec["last"])
        if spec.get("rel") == "spouse" and rng.random() < 0.15:
            last = pools.last_names().draw(rng)  # kept her/his own name
        middle = str(spec.get("middle") or "")
        if not middle and rng.random() < 0.72:
            middle = pools.first_names(sex).draw(rng)
        suffix = str(spec.get("suffix") or "")
        if not suffix and rng.random() < 0.01 and sex == "M":
            suffix = rng.choice(("III", "II"))
        # Diacritics: some people's names carry them (old systems drop them again).
        if rng.random() < 0.5:
            first = pools.ACCENTED.get(first, first)
            last = pools.ACCENTED.get(last, last)
        dob_v = spec.get("dob")
        if isinstance(dob_v, dt.date):
            dob = dob_v
        else:
            lo, hi = cast(tuple[int, int], spec["age"])
            dob = _dob_for_age(rng, lo, hi)
        age = age_on(dob, DISCOVERY)
        tags = set()
        if spec.get("tag"):
            tags.add(str(spec["tag"]))
        no_ssn = bool(spec.get("no_ssn")) or rng.random() < (0.5 if age < 2 else 0.08)
        ssn = None if no_ssn else world.mint.ssn(k)
        deceased_on = None
        if spec.get("dead") or (
            age >= 18 and rng.random() < (0.09 if age >= 75 else 0.02 if age >= 60 else 0.004)
        ):
            deceased_on = dt.date(2025, 1, 20) - dt.timedelta(days=rng.randint(10, 1800))
        clients = [primary.id]
        if (h == 1 and i == 0) or (spec.get("rel") != "child" and rng.random() < 0.09):
            other = [c for c in CLIENTS if c.id != primary.id]
            clients.append(rng.choice(other).id)
        # Coverage: plan members are on the household head's contract when the head is a member.
        on_horizon = HORIZON.id in clients
        # A dependent is covered on the head's contract: a spouse, or a child under 26, and
        # never on a Medicare product (those are individual).
        covered_by_head = (
            head is not None
            and HORIZON.id in head.clients
            and head.plan != HORIZON.products[2]
            and age < 65
            and (spec.get("rel") == "spouse" or age < 26)
        )
        subscriber = head if (on_horizon and covered_by_head) else None
        if on_horizon:
            payer = clinical.Payer("Blue Horizon Health Plan", "", "BHP")
            if age >= 65:
                plan = HORIZON.products[2]
            elif subscriber is not None:
                plan = subscriber.plan
            else:
                plan = rng.choice(HORIZON.products[:2] + HORIZON.products[3:])
            base = (
                subscriber.member_id[:-2] if subscriber else "BHP" + world.mint.subscriber_number(k)
            )
            member_id = f"{base}{i + 1 if subscriber else 1:02d}"
        elif age >= 65:
            payer, plan = clinical.MEDICARE, clinical.MEDICARE.plan
            member_id = clinical.make_mbi(rng)
        elif head is not None and head.payer.payer not in ("Medicare", "Blue Horizon Health Plan"):
            payer, plan = head.payer, head.plan
            member_id = head.member_id[:-2] + f"{i + 1:02d}"
        else:
            payer = rng.choice((*clinical.EXTERNAL_PAYERS, clinical.MEDICAID))
            plan = payer.plan
            member_id = payer.prefix + "".join(rng.choice("0123456789") for _ in range(9)) + "01"
        conds_pool = clinical.PEDIATRIC if age < 18 else tuple(
            c for c in clinical.CONDITIONS
            if not (c.icd10 in ("C50.911", "O09.90") and sex == "M")
            and not (c.icd10 == "C61" and sex == "F")
            and not (c.icd10 == "O09.90" and not 18 <= age <= 45)
        )  # fmt: skip
        conditions = tuple(rng.sample(conds_pool, k=rng.randint(1, 2 if age < 18 else 4)))
        mrns = {c.id: world.mint.mrn(c.id, k) for c in CLIENTS}
        pcp = {c.id: rng.choice(world.providers[c.id]) for c in CLIENTS}
        email = ""
        if age >= 14 and rng.random() < 0.65:
            local = (
                _ascii(first).lower()
                + rng.choice((".", "_", ""))
                + _ascii(last).lower().replace("'", "")
            )
            if rng.random() < 0.6:
                local += str(rng.randint(1, 99))
            email = f"{local}@{rng.choice(('example.com', 'example.net', 'example.org'))}"
        phone = _phone(rng, addr) if rng.random() < 0.9 else ""
        if head is not None and rng.random() < 0.7:
            phone = head.phone  # a household landline
        cell = _phone(rng, addr) if age >= 13 and rng.random() < 0.5 else ""
        if deceased_on is not None:
            tags.add("deceased")
        if old is not None:
            tags.add("mover")
        if len(clients) > 1:
            tags.add("two_clients")
        if ssn is None:
            tags.add("no_ssn")
        return Person(
            person_id=f"P{k + 1:07d}",
            index=k,
            household=h,
            relationship=str(spec["rel"]),
            first=first,
            middle=middle,
            last=last,
            suffix=suffix,
            sex=sex,
            dob=dob,
            ssn=ssn,
            address=addr,
            old_address=old,
            phone=phone,
            cell=cell,
            email=email,
            clients=tuple(clients),
            deceased_on=deceased_on,
            payer=payer,
            plan=plan,
            member_id=member_id,
            subscriber=subscriber,
            mrns=mrns,
            conditions=conditions,
            pcp=pcp,
            drivers_license=(rng.choice("ABDFGHJKLMNPRSTW") + f"{rng.randint(0, 99999999):08d}")
            if age >= 16
            else "",
            card=clinical.make_card(rng) if age >= 18 else "",
            tags=frozenset(tags),
        )


# Household 1 starts on the plan so that its head (forced onto two clients) is a member.
_FORCED_CLIENT: dict[int, ClientDef] = {
    1: BY_ID["blue-horizon-health-plan"],
    3: BY_ID["mercy-valley-health"],
}


def _ascii(s: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def ascii_fold(s: str) -> str:
    """Drop diacritics (``Peña`` → ``Pena``), as many older systems do."""
    return _ascii(s)
