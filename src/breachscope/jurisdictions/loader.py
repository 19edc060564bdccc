"""Load and validate the jurisdiction data files shipped in ``jurisdictions/data/``.

Every file is checked on load against the schema (types, allowed values, element
categories, non-overlapping rule versions); a bad file raises one
:class:`JurisdictionDataError` listing every problem it has.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from breachscope.categories import ELEMENT_SET
from breachscope.errors import BreachscopeError
from breachscope.jurisdictions.model import (
    ANCHORS,
    AUDIENCES,
    CONFIDENCE,
    DAY_KINDS,
    DUTIES,
    HIPAA_EFFECTS,
    KINDS,
    TRIGGERS,
    CraNotice,
    CreditMonitoring,
    Exceptions,
    HipaaEffect,
    HipaaRule,
    HipaaRules,
    IndividualNotice,
    Jurisdiction,
    Letter,
    PIDefinition,
    Regulator,
    SubstituteNotice,
    VendorToOwner,
    Versioned,
)

# The 54 jurisdictions the package must ship: 50 states, DC, PR, GU, VI.
CODES: Final[tuple[str, ...]] = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "GU", "HI", "ID",
    "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT",
    "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "PR", "RI",
    "SC", "SD", "TN", "TX", "VI", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
)  # fmt: skip
HIPAA_ANCHORS: Final = ("discovery", "with_individual_notice", "calendar_year_end", "none")
HIPAA_KEYS: Final = (
    "presumption",
    "risk_assessment",
    "exclusions",
    "secured",
    "individuals",
    "deceased",
    "minors",
    "substitute_small",
    "substitute_large",
    "media",
    "hhs_large",
    "hhs_small",
    "ba_to_ce",
    "le_delay",
    "documentation",
)


class JurisdictionDataError(BreachscopeError):
    """A jurisdiction data file is missing or does not match the schema."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        n = len(problems)
        super().__init__(
            f"jurisdiction file {path} has {n} problem{'s' if n != 1 else ''}:\n  "
            + "\n  ".join(problems),
            hint="fix the data file (see docs/jurisdictions.md, 'Adding or amending')",
        )


def data_dir() -> Path:
    """The folder holding the shipped data files."""
    return Path(str(resources.files("breachscope.jurisdictions") / "data"))


class _Check:
    """Collects problems while reading one file's parsed TOML."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def bad(self, where: str, text: str) -> None:
        self.problems.append(f"{where}: {text}" if where else text)

    def get(
        self,
        d: dict[str, Any],
        where: str,
        key: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
    ) -> Any:
        label = f"{where}.{key}" if where else key
        if key not in d:
            if required:
                self.bad(label, "missing")
            return default
        v = d[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(v, kinds) and not (isinstance(v, bool) and bool not in kinds)
        if ok and isinstance(v, dt.datetime):
            ok = False
        if not ok:
            self.bad(
                label, f"must be {' or '.join(k.__name__ for k in kinds)}, not {type(v).__name__}"
            )
            return default
        return v

    def text(self, d: dict[str, Any], where: str, key: str, *, required: bool = False) -> str:
        v = self.get(d, where, key, str, required=required, default="")
        return str(v)

    def texts(self, d: dict[str, Any], where: str, key: str) -> tuple[str, ...]:
        v = self.get(d, where, key, list, required=False, default=[])
        if any(not isinstance(x, str) for x in v):
            self.bad(f"{where}.{key}", "must be a list of strings")
            return ()
        return tuple(v)

    def choice(
        self, d: dict[str, Any], where: str, key: str, allowed: tuple[str, ...], default: str
    ) -> str:
        v = self.get(d, where, key, str, required=False, default=default)
        if v not in allowed:
            self.bad(f"{where}.{key}", f"'{v}' is not one of {', '.join(allowed)}")
            return default
        return str(v)

    def count(
        self, d: dict[str, Any], where: str, key: str, *, required: bool = False
    ) -> int | None:
        v = self.get(d, where, key, int, required=required)
        if v is not None and v < 0:
            self.bad(f"{where}.{key}", "must not be negative")
        return None if v is None else int(v)

    def elements(self, values: Any, where: str) -> frozenset[str]:
        if not isinstance(values, list) or any(not isinstance(x, str) for x in values):
            self.bad(where, "must be a list of element categories")
            return frozenset()
        unknown = [x for x in values if x not in ELEMENT_SET]
        if unknown:
            self.bad(
                where,
                f"unknown element categor{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)}",
            )
        return frozenset(x for x in values if x in ELEMENT_SET)

    def combos(self, d: dict[str, Any], where: str, key: str) -> tuple[frozenset[str], ...]:
        raw = self.get(d, where, key, list, required=False, default=[])
        out = []
        for i, combo in enumerate(raw):
            c = self.elements(combo, f"{where}.{key}[{i}]")
            if not c:
                self.bad(f"{where}.{key}[{i}]", "an empty combination")
            else:
                out.append(c)
        return tuple(out)

    def version(self, d: dict[str, Any], where: str, default_citation: str) -> dict[str, Any]:
        frm = self.get(d, where, "in_force_from", dt.date, required=False)
        to = self.get(d, where, "in_force_to", dt.date, required=False)
        if frm and to and frm > to:
            self.bad(where, "in_force_from is after in_force_to")
        rid = self.text(d, where, "id", required=True)
        return {
            "id": rid,
            "in_force_from": frm,
            "in_force_to": to,
            "citation": self.text(d, where, "citation") or default_citation,
            "unverified": bool(
                self.get(d, where, "unverified", bool, required=False, default=False)
            ),
        }

    def unknown_keys(self, d: dict[str, Any], where: str, known: set[str]) -> None:
        for k in d:
            if k not in known:
                self.bad(f"{where}.{k}" if where else k, "unknown key")

    def sections(self, data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        raw = self.get(data, "", key, list, required=False, default=[])
        out = []
        for i, item in enumerate(raw):
            where = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.bad(where, "must be a table")
                continue
            out.append((where, item))
        return out


_VERSION_KEYS = {"id", "in_force_from", "in_force_to", "citation", "unverified"}


def _no_overlap(c: _Check, name: str, versions: list[Versioned]) -> None:
    by_id: dict[str, list[Versioned]] = {}
    for v in versions:
        by_id.setdefault(v.id, []).append(v)
    for rid, vs in by_id.items():
        lo = dt.date.min
        for v in sorted(vs, key=lambda x: x.in_force_from or dt.date.min):
            start = v.in_force_from or dt.date.min
            if start < lo:
                c.bad(name, f"versions of '{rid}' overlap")
            lo = (
                (v.in_force_to or dt.date.max) + dt.timedelta(days=1)
                if v.in_force_to
                else dt.date.max
            )
    if name != "regulators":
        ids = {v.id for v in versions}
        if len(ids) > 1:
            c.bad(name, f"all versions must share one id, found {', '.join(sorted(ids))}")


def parse_jurisdiction(data: dict[str, Any], source: str = "<data>") -> Jurisdiction:
    """Validate one parsed jurisdiction file; raise JurisdictionDataError with every problem."""
    c = _Check()
    c.unknown_keys(
        data,
        "",
        {
            "code", "name", "kind", "statute", "citation", "applies_to", "scope_limit",
            "covers_paper", "confidence", "as_of", "sources", "notes", "other_health_specific",
            "unverified", "exceptions", "hipaa", "personal_information", "individual_notice",
            "vendor_to_owner", "regulators", "cra_notice", "credit_monitoring", "letter",
            "substitute_notice",
        },
    )  # fmt: skip
    code = c.text(data, "", "code", required=True)
    if code and code not in CODES:
        c.bad("code", f"'{code}' is not one of the 54 jurisdictions")
    statute = c.text(data, "", "statute", required=True)
    citation = c.text(data, "", "citation") or statute
    sources = c.texts(data, "", "sources")
    if not sources:
        c.bad("sources", "at least one source is required")

    ex = c.get(data, "", "exceptions", dict, default={})
    c.unknown_keys(
        ex,
        "exceptions",
        {
            "encryption_safe_harbor",
            "key_compromise_voids_safe_harbor",
            "risk_of_harm",
            "risk_of_harm_notes",
        },
    )
    exceptions = Exceptions(
        encryption_safe_harbor=bool(
            c.get(ex, "exceptions", "encryption_safe_harbor", bool, default=False)
        ),
        key_compromise_voids_safe_harbor=c.get(
            ex, "exceptions", "key_compromise_voids_safe_harbor", bool, required=False
        ),
        risk_of_harm=bool(c.get(ex, "exceptions", "risk_of_harm", bool, default=False)),
        risk_of_harm_notes=c.text(ex, "exceptions", "risk_of_harm_notes"),
    )

    hp = c.get(data, "", "hipaa", dict, default={})
    c.unknown_keys(hp, "hipaa", {"deemed_compliant", "effect", "residual_duties", "notes", "basis"})
    residual = c.texts(hp, "hipaa", "residual_duties")
    for r in residual:
        if r not in DUTIES:
            c.bad("hipaa.residual_duties", f"'{r}' is not one of {', '.join(DUTIES)}")
    hipaa = HipaaEffect(
        deemed_compliant=c.get(hp, "hipaa", "deemed_compliant", bool, required=False),
        effect=c.choice(hp, "hipaa", "effect", HIPAA_EFFECTS, "none"),
        residual_duties=frozenset(r for r in residual if r in DUTIES),
        notes=c.text(hp, "hipaa", "notes"),
        basis=c.text(hp, "hipaa", "basis"),
    )

    pis: list[PIDefinition] = []
    for where, d in c.sections(data, "personal_information"):
        c.unknown_keys(
            d,
            where,
            _VERSION_KEYS
            | {
                "identifiers",
                "with_identifier",
                "standalone",
                "reference_elements",
                "reference_standalone",
                "not_mapped",
                "notes",
            },
        )
        ids = c.elements(d.get("identifiers", ["name"]), f"{where}.identifiers")
        pis.append(
            PIDefinition(
                **c.version(d, where, citation),
                identifiers=tuple(sorted(ids)),
                with_identifier=c.combos(d, where, "with_identifier"),
                standalone=c.combos(d, where, "standalone"),
                reference_elements=c.texts(d, where, "reference_elements"),
                reference_standalone=c.texts(d, where, "reference_standalone"),
                not_mapped=c.texts(d, where, "not_mapped"),
                notes=c.text(d, where, "notes"),
            )
        )
    if not pis:
        c.bad("personal_information", "at least one definition is required")

    inds: list[IndividualNotice] = []
    for where, d in c.sections(data, "individual_notice"):
        c.unknown_keys(
            d, where, _VERSION_KEYS | {"days", "day_kind", "anchor", "anchor_text", "text"}
        )
        days = c.count(d, where, "days")
        anchor = c.choice(d, where, "anchor", ANCHORS, "discovery")
        if days is not None and anchor == "none":
            c.bad(where, "a deadline in days needs an anchor other than 'none'")
        inds.append(
            IndividualNotice(
                **c.version(d, where, citation),
                days=days,
                day_kind=c.choice(d, where, "day_kind", DAY_KINDS, "calendar"),
                anchor=anchor,
                anchor_text=c.text(d, where, "anchor_text"),
                text=c.text(d, where, "text", required=True),
            )
        )
    if not inds:
        c.bad("individual_notice", "at least one version is required")

    vendors: list[VendorToOwner] = []
    for where, d in c.sections(data, "vendor_to_owner"):
        c.unknown_keys(d, where, _VERSION_KEYS | {"days", "day_kind", "text"})
        vendors.append(
            VendorToOwner(
                **c.version(d, where, citation),
                days=c.count(d, where, "days"),
                day_kind=c.choice(d, where, "day_kind", DAY_KINDS, "calendar"),
                text=c.text(d, where, "text", required=True),
            )
        )

    regs: list[Regulator] = []
    for where, d in c.sections(data, "regulators"):
        c.unknown_keys(
            d,
            where,
            _VERSION_KEYS
            | {
                "recipient",
                "agency",
                "min_residents",
                "threshold_text",
                "days",
                "day_kind",
                "anchor",
                "anchor_text",
                "deadline_text",
                "content",
                "method",
                "audience",
                "trigger",
            },
        )
        days = c.count(d, where, "days")
        anchor = c.choice(d, where, "anchor", ANCHORS, "none")
        if days is not None and anchor in (
            "none",
            "before_individual_notice",
            "with_individual_notice",
        ):
            c.bad(where, f"a deadline in days cannot count from '{anchor}'")
        if days is None and anchor in (
            "discovery",
            "determination",
            "after_individual_notice",
            "hhs_filing",
        ):
            c.bad(where, f"anchor '{anchor}' needs 'days'")
        minimum = c.count(d, where, "min_residents", required=True)
        if minimum is not None and minimum < 1:
            c.bad(f"{where}.min_residents", "must be 1 or more")
        regs.append(
            Regulator(
                **c.version(d, where, citation),
                recipient=c.choice(
                    d, where, "recipient", ("attorney_general", "regulator"), "attorney_general"
                ),
                agency=c.text(d, where, "agency", required=True),
                min_residents=minimum or 1,
                threshold_text=c.text(d, where, "threshold_text"),
                days=days,
                day_kind=c.choice(d, where, "day_kind", DAY_KINDS, "calendar"),
                anchor=anchor,
                anchor_text=c.text(d, where, "anchor_text"),
                deadline_text=c.text(d, where, "deadline_text"),
                content=c.texts(d, where, "content"),
                method=c.text(d, where, "method"),
                audience=c.choice(d, where, "audience", AUDIENCES, "all"),
                trigger=c.choice(d, where, "trigger", TRIGGERS, "state_pi"),
            )
        )

    cras: list[CraNotice] = []
    for where, d in c.sections(data, "cra_notice"):
        c.unknown_keys(
            d, where, _VERSION_KEYS | {"min_residents", "days", "day_kind", "anchor", "text"}
        )
        days = c.count(d, where, "days")
        anchor = c.choice(d, where, "anchor", ANCHORS, "none")
        if days is not None and anchor not in (
            "discovery",
            "determination",
            "after_individual_notice",
        ):
            c.bad(where, f"a deadline in days cannot count from '{anchor}'")
        cras.append(
            CraNotice(
                **c.version(d, where, citation),
                min_residents=c.count(d, where, "min_residents", required=True) or 1,
                days=days,
                day_kind=c.choice(d, where, "day_kind", DAY_KINDS, "calendar"),
                anchor=anchor,
                text=c.text(d, where, "text"),
            )
        )

    cms: list[CreditMonitoring] = []
    for where, d in c.sections(data, "credit_monitoring"):
        c.unknown_keys(d, where, _VERSION_KEYS | {"months", "trigger_elements", "trigger_text"})
        months = c.count(d, where, "months", required=True) or 0
        if months < 1:
            c.bad(f"{where}.months", "must be 1 or more")
        trig = c.elements(d.get("trigger_elements", []), f"{where}.trigger_elements")
        if not trig:
            c.bad(f"{where}.trigger_elements", "at least one element is required")
        cms.append(
            CreditMonitoring(
                **c.version(d, where, citation),
                months=months,
                trigger_elements=trig,
                trigger_text=c.text(d, where, "trigger_text"),
            )
        )

    lt = c.get(data, "", "letter", dict, required=False, default={})
    c.unknown_keys(lt, "letter", {"content", "prohibitions"})
    letter = Letter(
        content=c.texts(lt, "letter", "content"), prohibitions=c.texts(lt, "letter", "prohibitions")
    )

    sub: SubstituteNotice | None = None
    sn = c.get(data, "", "substitute_notice", dict, required=False)
    if sn is not None:
        c.unknown_keys(
            sn,
            "substitute_notice",
            {
                "cost_over_usd",
                "affected_over",
                "or_insufficient_contact_info",
                "components",
                "notes",
            },
        )
        sub = SubstituteNotice(
            cost_over_usd=c.count(sn, "substitute_notice", "cost_over_usd"),
            affected_over=c.count(sn, "substitute_notice", "affected_over"),
            or_insufficient_contact_info=bool(
                c.get(
                    sn,
                    "substitute_notice",
                    "or_insufficient_contact_info",
                    bool,
                    required=False,
                    default=True,
                )
            ),
            components=c.texts(sn, "substitute_notice", "components"),
            notes=c.text(sn, "substitute_notice", "notes"),
        )

    for name, versions in (
        ("personal_information", pis),
        ("individual_notice", inds),
        ("vendor_to_owner", vendors),
        ("regulators", regs),
        ("cra_notice", cras),
        ("credit_monitoring", cms),
    ):
        _no_overlap(c, name, list(versions))

    j = Jurisdiction(
        code=code,
        name=c.text(data, "", "name", required=True),
        kind=c.choice(data, "", "kind", KINDS, "state"),
        statute=statute,
        citation=citation,
        applies_to=c.text(data, "", "applies_to"),
        scope_limit=c.text(data, "", "scope_limit"),
        covers_paper=c.get(data, "", "covers_paper", bool, required=False),
        confidence=c.choice(data, "", "confidence", CONFIDENCE, "low"),
        as_of=c.text(data, "", "as_of"),
        sources=sources,
        notes=c.text(data, "", "notes"),
        other_health_specific=c.text(data, "", "other_health_specific"),
        unverified=c.texts(data, "", "unverified"),
        exceptions=exceptions,
        hipaa=hipaa,
        personal_information=tuple(pis),
        individual_notice=tuple(inds),
        vendor_to_owner=tuple(vendors),
        regulators=tuple(regs),
        cra_notice=tuple(cras),
        credit_monitoring=tuple(cms),
        letter=letter,
        substitute_notice=sub,
    )
    if c.problems:
        raise JurisdictionDataError(source, c.problems)
    return j


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JurisdictionDataError(path.name, ["file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise JurisdictionDataError(path.name, [f"not valid TOML: {exc}"]) from None


def load_file(path: str | Path) -> Jurisdiction:
    """Load and validate one jurisdiction file (the file name must be its code)."""
    p = Path(path)
    j = parse_jurisdiction(_read(p), p.name)
    if p.stem.upper() != j.code:
        raise JurisdictionDataError(p.name, [f"file name does not match code '{j.code}'"])
    return j


@cache
def load(code: str) -> Jurisdiction:
    """The jurisdiction with this two-letter code (validated)."""
    code = code.upper()
    if code not in CODES:
        raise JurisdictionDataError(
            f"{code}.toml", [f"'{code}' is not one of the 54 jurisdictions"]
        )
    return load_file(data_dir() / f"{code.lower()}.toml")


def load_all() -> dict[str, Jurisdiction]:
    """All 54 jurisdictions by code, each validated."""
    return {code: load(code) for code in CODES}


def parse_hipaa(data: dict[str, Any], source: str = "hipaa.toml") -> HipaaRules:
    """Validate the HIPAA rules file."""
    c = _Check()
    c.unknown_keys(
        data, "", {"name", "citation", "in_force_from", "sources", "unverified", "rules"}
    )
    raw = c.get(data, "", "rules", dict, default={})
    rules: dict[str, HipaaRule] = {}
    for key in HIPAA_KEYS:
        if key not in raw:
            c.bad(f"rules.{key}", "missing")
    for key, d in raw.items():
        where = f"rules.{key}"
        if key not in HIPAA_KEYS:
            c.bad(where, "unknown rule")
            continue
        if not isinstance(d, dict):
            c.bad(where, "must be a table")
            continue
        c.unknown_keys(
            d,
            where,
            {
                "id",
                "citation",
                "text",
                "days",
                "day_kind",
                "anchor",
                "threshold",
                "content",
                "unverified",
            },
        )
        rid = c.text(d, where, "id", required=True)
        if rid and not rid.startswith("H-"):
            c.bad(f"{where}.id", "HIPAA rule ids start with 'H-'")
        rules[key] = HipaaRule(
            id=rid,
            citation=c.text(d, where, "citation", required=True),
            text=c.text(d, where, "text", required=True),
            days=c.count(d, where, "days"),
            day_kind=c.choice(d, where, "day_kind", DAY_KINDS, "calendar"),
            anchor=c.choice(d, where, "anchor", HIPAA_ANCHORS, "none"),
            threshold=c.count(d, where, "threshold"),
            content=c.texts(d, where, "content"),
            unverified=bool(c.get(d, where, "unverified", bool, required=False, default=False)),
        )
    for key in (
        "individuals",
        "media",
        "hhs_large",
        "hhs_small",
        "ba_to_ce",
        "le_delay",
        "substitute_large",
    ):
        r = rules.get(key)
        if r is not None and r.days is None:
            c.bad(f"rules.{key}.days", "missing")
    for key in ("media", "hhs_large", "substitute_small", "substitute_large"):
        r = rules.get(key)
        if r is not None and r.threshold is None:
            c.bad(f"rules.{key}.threshold", "missing")
    frm = c.get(data, "", "in_force_from", dt.date, default=dt.date(2009, 9, 23))
    h = HipaaRules(
        name=c.text(data, "", "name", required=True),
        citation=c.text(data, "", "citation", required=True),
        in_force_from=frm,
        sources=c.texts(data, "", "sources"),
        unverified=c.texts(data, "", "unverified"),
        rules=rules,
    )
    if c.problems:
        raise JurisdictionDataError(source, c.problems)
    return h


@cache
def load_hipaa() -> HipaaRules:
    """The HIPAA Breach Notification Rule parameters (validated)."""
    return parse_hipaa(_read(data_dir() / "hipaa.toml"))
