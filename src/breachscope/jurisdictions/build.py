"""One-off generator: the researched reference JSON -> one TOML data file per jurisdiction.

Run once (already done; kept so the conversion is reviewable)::

    python -m breachscope.jurisdictions.build ../shared/reference/jurisdictions.json

After that **the TOML files are the source of truth**: amend them by hand (see
docs/jurisdictions.md). Re-running overwrites hand edits, so it refuses to touch existing
files unless ``--force`` is given.

The conversion maps the reference's personal-information tokens onto our element
categories (:mod:`breachscope.jurisdictions.tokens`), normalises deadline anchors, turns
"more than N" into ``min_residents = N + 1``, splits date-dependent rules into versions
with ``in_force_from`` / ``in_force_to`` where the reference dates a change, and carries
every source, note and unverified marker into the file. Per-jurisdiction adjustments that
the reference states only in prose are in ``OVERRIDES`` below, each with its reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from breachscope.jurisdictions.loader import CODES, data_dir, parse_jurisdiction
from breachscope.jurisdictions.model import DUTIES
from breachscope.jurisdictions.tokens import combos_for

Doc = dict[str, Any]

UNVERIFIED_RE = re.compile(
    r"unverified|not verified|from recollection|not re-read|statute text was not read|"
    r"text not read|not read\b|not retrieved|not reviewed|not resolved|were not visible|"
    r"sources differ|conflicts between sources|LLM-populated|not checked separately|"
    r"not settled|is unclear|was not verified",
    re.IGNORECASE,
)
SECTION_RE = re.compile(r"§§?\s?[0-9A-Za-z][0-9A-Za-z.\-:–]*(?:\([0-9A-Za-z]+\))*")

ALL_DUTIES = list(DUTIES)
AFTER_DEEMING = [
    "regulators",
    "consumer_reporting_agencies",
    "credit_monitoring",
    "vendor_to_owner",
]
RESIDUAL_BY_EFFECT: dict[str, tuple[list[str], str]] = {
    "none": (ALL_DUTIES, "no HIPAA carve-out: every state duty applies"),
    "unclear": (ALL_DUTIES, "carve-out unclear: every state duty applies (conservative)"),
    "deemed_compliant_if_greater_protection": (
        ALL_DUTIES,
        "whether HIPAA gives 'greater protection' is a legal judgement: every state duty applies (conservative)",
    ),
    "deemed_compliant_if_at_least_as_protective": (
        ALL_DUTIES,
        "whether HIPAA is 'at least as protective' is a legal judgement: every state duty applies (conservative)",
    ),
    "deemed_compliant_if_procedures_but_shorter_deadline_controls": (
        ALL_DUTIES,
        "the state's shorter deadline controls: every state duty applies",
    ),
    "statute_inapplicable": ([], "the statute does not apply to HIPAA-regulated entities"),
    "deemed_compliant": (
        ["vendor_to_owner"],
        "a HIPAA-compliant entity is deemed compliant with the statute; the vendor-to-owner clock "
        "is kept because it runs alongside § 164.410 (hipaa.md H-6.5; conservative)",
    ),
    "deemed_compliant_if_procedures": (
        AFTER_DEEMING,
        "individual notice under HIPAA procedures is deemed compliance; regulator, CRA, "
        "monitoring and vendor duties are kept (conservative default the reference recommends "
        "where it says whether they survive is unsettled)",
    ),
    "deemed_compliant_with_residual_duties": (
        AFTER_DEEMING,
        "individual notice under HIPAA is deemed compliance; the statute keeps other duties",
    ),
    "deemed_compliant_individual_notice": (
        AFTER_DEEMING,
        "only the individual-notice duty is deemed satisfied by HIPAA notice",
    ),
    "deemed_content_only": (
        [d for d in ALL_DUTIES if d != "letter_content"],
        "HIPAA (HITECH § 13402(f)) compliance satisfies only the letter-content rules",
    ),
    "deemed_compliant_conditional": (
        ["regulators", "vendor_to_owner"],
        "exempt if the federal procedures are followed and the regulator gets a copy of the notice",
    ),
}

TERRITORIES = {"PR": "territory", "GU": "territory", "VI": "territory", "DC": "district"}
DETERMINATION_WORDS = ("determin", "confirm", "awareness", "completion", "scope")


# --------------------------------------------------------------------------- helpers


def _unverified(text: str | None) -> bool:
    return bool(text and UNVERIFIED_RE.search(text))


def _cite(statute: str, *texts: str | None) -> str:
    """The statute, plus the first section reference found in the rule's own text."""
    for t in texts:
        if not t:
            continue
        m = SECTION_RE.search(t)
        if m and m.group(0).rstrip(".,;:") not in statute:
            return f"{statute}; {m.group(0).rstrip('.,;:')}"
    return statute


def _anchor(raw: str | None, days: int | None, text: str) -> str:
    """Normalise the reference's free-text deadline anchor."""
    r = (raw or "").lower()
    if not r:
        return "none"
    if "hhs" in r:
        return "hhs_filing"
    if "before" in r:
        return "before_individual_notice"
    if r in ("resident notice", "without delaying resident notice"):
        return "with_individual_notice"
    if r in (
        "consumer notice",
        "date individuals were notified",
        "distribution of notice to residents",
        "date residents were notified",
    ):
        return "after_individual_notice" if days is not None else "with_individual_notice"
    if "same as individual" in r:
        return "determination"
    if "determin" in r:
        return "determination"
    if "discovery" in r or "detection" in r:
        return "discovery"
    raise ValueError(f"unknown anchor {raw!r} ({text})")


def _recipient(agency: str) -> str:
    if re.search(r"Attorney General|Department of Legal Affairs|\bAG\b", agency):
        return "attorney_general"
    return "regulator"


def _day_kind(days: int | None, *texts: str | None) -> str:
    """Business days only where the text counts *these* days as business days."""
    pat = re.compile(rf"\b{days}\s+business\s+day", re.IGNORECASE)
    return (
        "business" if days is not None and any(t and pat.search(t) for t in texts) else "calendar"
    )


def convert(ref: Doc) -> Doc:
    """One reference entry -> the data-file document (before overrides)."""
    code = ref["code"]
    statute = ref["statute"]
    unverified: list[str] = []

    def note(section: str, text: str | None) -> bool:
        if _unverified(text):
            unverified.append(f"{section}: {text}")
            return True
        return False

    combos, unmapped = combos_for(ref["pi_elements"])
    alone, unmapped_alone = combos_for(ref["pi_standalone"])
    pi_unv = note("personal_information", ref.get("pi_notes"))
    pi = {
        "id": f"{code}-PI",
        "identifiers": ["name"],
        "with_identifier": combos,
        "standalone": alone,
        "reference_elements": ref["pi_elements"],
        "reference_standalone": ref["pi_standalone"],
        "not_mapped": sorted(set(unmapped) | set(unmapped_alone)),
        "notes": ref.get("pi_notes") or "",
        "unverified": pi_unv,
    }

    days = ref["individual_deadline_days"]
    trig = ref["individual_deadline_trigger"] or ""
    ind = {
        "id": f"{code}-IND",
        "days": days,
        "day_kind": _day_kind(days, ref["individual_deadline_text"]),
        "anchor": (
            "determination" if any(w in trig.lower() for w in DETERMINATION_WORDS) else "discovery"
        )
        if days is not None
        else "none",
        "anchor_text": trig,
        "text": ref["individual_deadline_text"],
        "citation": _cite(statute, ref["individual_deadline_text"]),
        "unverified": note("individual_notice", ref["individual_deadline_text"]),
    }

    vendors = []
    if ref.get("vendor_to_owner"):
        v = ref["vendor_to_owner"]
        vendors.append(
            {
                "id": f"{code}-VEND",
                "days": v.get("days"),
                "day_kind": "calendar",
                "text": v["text"],
                "citation": _cite(statute, v["text"]),
                "unverified": note("vendor_to_owner", v["text"]),
            }
        )

    regs = []
    for i, r in enumerate(ref.get("regulator_notice") or [], start=1):
        rdays = r.get("deadline_days")
        text = r.get("deadline_text") or ""
        reg = {
            "id": f"{code}-REG-{i}",
            "recipient": _recipient(r["agency"]),
            "agency": r["agency"],
            "min_residents": r["threshold_min_residents"],
            "threshold_text": r.get("threshold_text") or "",
            "days": rdays,
            "day_kind": _day_kind(rdays, text),
            "anchor": _anchor(r.get("deadline_anchor"), rdays, text)
            if rdays is not None or "notice" in (r.get("deadline_anchor") or "")
            else "none",
            "anchor_text": r.get("deadline_anchor") or "",
            "deadline_text": text,
            "content": r.get("content") or [],
            "method": r.get("method") or "",
            "audience": "all",
            "trigger": "state_pi",
            "citation": _cite(statute, text, r.get("threshold_text")),
            "unverified": note(f"regulators ({r['agency']})", f"{r.get('threshold_text')}; {text}"),
        }
        regs.append(reg)

    cras = []
    if ref.get("cra_notice_threshold"):
        c = ref["cra_notice_threshold"]
        cras.append(
            {
                "id": f"{code}-CRA",
                "min_residents": c["min_residents"] if c["min_residents"] is not None else 1,
                "days": None,
                "day_kind": "calendar",
                "anchor": "none",
                "text": c["text"],
                "citation": _cite(statute, c["text"]),
                "unverified": note("cra_notice", c["text"]),
            }
        )

    cms = []
    if ref.get("credit_monitoring"):
        cm = ref["credit_monitoring"]
        cms.append(
            {
                "id": f"{code}-CM",
                "months": cm["months"],
                "trigger_elements": ["ssn"],
                "trigger_text": cm["trigger"],
                "citation": _cite(statute, cm["trigger"]),
                "unverified": note("credit_monitoring", cm["trigger"]),
            }
        )

    content = [
        x
        for x in ref.get("letter_content_requirements") or []
        if not x.lower().startswith("must not")
    ]
    prohibitions = [
        re.sub(r"^must not include\s+", "", x, flags=re.IGNORECASE)
        for x in ref.get("letter_content_requirements") or []
        if x.lower().startswith("must not")
    ]

    effect = ref["hipaa_effect"]
    residual, basis = RESIDUAL_BY_EFFECT[effect]
    note("hipaa", ref.get("hipaa_notes"))
    note("exceptions.risk_of_harm", ref.get("risk_of_harm_notes"))
    note("notes", ref.get("notes"))
    note("statute", statute)

    sub = None
    if ref.get("substitute_notice"):
        s = ref["substitute_notice"]
        sub = {
            "cost_over_usd": s.get("cost_over_usd"),
            "affected_over": s.get("affected_over"),
            "or_insufficient_contact_info": s.get("or_insufficient_contact_info", True),
            "components": s.get("components") or [],
            "notes": s.get("notes") or "",
        }
        note("substitute_notice", json.dumps(s, ensure_ascii=False))

    return {
        "code": code,
        "name": ref["name"],
        "kind": TERRITORIES.get(code, "state"),
        "statute": statute,
        "citation": statute,
        "applies_to": ref.get("applies_to") or "",
        "scope_limit": "",
        "covers_paper": ref.get("covers_paper"),
        "confidence": ref["confidence"],
        "as_of": ref.get("as_of") or "",
        "sources": ref["sources"],
        "notes": ref.get("notes") or "",
        "other_health_specific": ref.get("other_health_specific") or "",
        "unverified": unverified,
        "exceptions": {
            "encryption_safe_harbor": ref["encryption_safe_harbor"],
            "key_compromise_voids_safe_harbor": ref["encryption_key_compromise_voids_safe_harbor"],
            "risk_of_harm": ref["risk_of_harm_exception"],
            "risk_of_harm_notes": ref.get("risk_of_harm_notes") or "",
        },
        "hipaa": {
            "deemed_compliant": ref["hipaa_deemed_compliant"],
            "effect": effect,
            "residual_duties": residual,
            "notes": ref.get("hipaa_notes") or "",
            "basis": basis,
        },
        "personal_information": [pi],
        "individual_notice": [ind],
        "vendor_to_owner": vendors,
        "regulators": regs,
        "cra_notice": cras,
        "credit_monitoring": cms,
        "letter": {"content": content, "prohibitions": prohibitions},
        "substitute_notice": sub,
    }


# --------------------------------------------------------------------------- overrides

D = dt.date


def _versions(item: Doc, *changes: tuple[D | None, D | None, Doc]) -> list[Doc]:
    """Split one rule into dated versions: each (from, to, changed fields)."""
    out = []
    for frm, to, fields in changes:
        v = dict(item)
        v.update(fields)
        if frm:
            v["in_force_from"] = frm
        if to:
            v["in_force_to"] = to
        out.append(v)
    return out


def _reg(doc: Doc, agency_part: str) -> Doc:
    for r in doc["regulators"]:
        if agency_part in r["agency"]:
            return dict(r)
    raise KeyError(agency_part)


def _replace_reg(doc: Doc, agency_part: str, new: list[Doc]) -> None:
    regs = doc["regulators"]
    i = next(
        n for n, r in enumerate(regs) if agency_part in r["agency"] and "in_force_from" not in r
    )
    regs[i : i + 1] = new


def _ca(doc: Doc) -> None:
    # SB 446: 30 calendar days from discovery/notification for discoveries from 2026-01-01;
    # before, "most expedient time" with no number; AG sample copy within 15 days of notice.
    ind = doc["individual_notice"][0]
    doc["individual_notice"] = _versions(
        ind,
        (
            None,
            D(2025, 12, 31),
            {
                "days": None,
                "anchor": "none",
                "text": "Before 2026-01-01: in the most expedient time possible and without unreasonable delay (no fixed number of days).",
            },
        ),
        (
            D(2026, 1, 1),
            None,
            {
                "days": 30,
                "anchor": "discovery",
                "citation": "Cal. Civ. Code § 1798.82(a) (SB 446, 2025)",
            },
        ),
    )
    ag = _reg(doc, "California Attorney General")
    _replace_reg(
        doc,
        "California Attorney General",
        _versions(
            ag,
            (
                None,
                D(2025, 12, 31),
                {
                    "days": None,
                    "anchor": "with_individual_notice",
                    "deadline_text": "Before 2026: no fixed deadline; submit the sample copy when residents are notified.",
                    "citation": "Cal. Civ. Code § 1798.82(f)",
                },
            ),
            (
                D(2026, 1, 1),
                None,
                {
                    "days": 15,
                    "anchor": "after_individual_notice",
                    "citation": "Cal. Civ. Code § 1798.82(f) (SB 446, 2025)",
                },
            ),
        ),
    )
    doc["credit_monitoring"][0]["trigger_elements"] = ["ssn", "drivers_license", "passport"]
    doc["credit_monitoring"][0]["citation"] = "Cal. Civ. Code § 1798.82(d)(2)(G)"
    doc["regulators"].append(
        {
            "id": "CA-REG-2",
            "recipient": "regulator",
            "agency": "California Department of Public Health (licensed clinics, health facilities, home health agencies, hospices)",
            "min_residents": 1,
            "threshold_text": "any unauthorized access to a patient's medical information",
            "days": 15,
            "day_kind": "business",
            "anchor": "discovery",
            "anchor_text": "detection",
            "deadline_text": "Within 15 business days after detection, to CDPH and to the affected patient (Health & Safety Code § 1280.15).",
            "content": [],
            "method": "",
            "audience": "licensed_health_facility",
            "trigger": "state_pi",
            "citation": "Cal. Health & Safety Code § 1280.15",
            "unverified": False,
        }
    )


def _ny(doc: Doc) -> None:
    ind = doc["individual_notice"][0]
    doc["individual_notice"] = _versions(
        ind,
        (
            None,
            D(2024, 12, 20),
            {
                "days": None,
                "anchor": "none",
                "text": "Before 2024-12-21: in the most expedient time possible and without unreasonable delay.",
            },
        ),
        (
            D(2024, 12, 21),
            None,
            {
                "days": 30,
                "anchor": "discovery",
                "citation": "N.Y. Gen. Bus. Law § 899-aa(2) (2024 amendment)",
            },
        ),
    )
    pi = doc["personal_information"][0]
    health = ("medical_information", "health_insurance_information")
    before = [t for t in pi["reference_elements"] if t not in health]
    combos_before, unmapped_before = combos_for(before)
    doc["personal_information"] = _versions(
        pi,
        (
            None,
            D(2025, 3, 20),
            {
                "with_identifier": combos_before,
                "reference_elements": before,
                "not_mapped": unmapped_before,
                "notes": "Before the 2025 amendment: no medical or health-insurance element.",
            },
        ),
        (
            D(2025, 3, 21),
            None,
            {
                "notes": "Medical and health-insurance information added by the 2024 amendment; sources give 2025-03-21 or 2025-03-25 as effective date, the earlier is used (the reference asks both to be treated as in scope).",
                "unverified": True,
            },
        ),
    )
    v = doc["vendor_to_owner"][0]
    doc["vendor_to_owner"] = _versions(
        v,
        (
            None,
            D(2024, 12, 20),
            {"days": None, "text": "Before 2024-12-21: immediately following discovery."},
        ),
        (D(2024, 12, 21), None, {"days": 30}),
    )
    for r in doc["regulators"]:
        if "Financial Services" in r["agency"]:
            r["audience"] = "dfs_regulated"
        if "HIPAA" in r["agency"]:
            r.update(
                audience="hipaa_entities",
                trigger="hipaa_breach",
                citation="N.Y. Gen. Bus. Law § 899-aa(9)",
            )


def _il(doc: Doc) -> None:
    for r in doc["regulators"]:
        if "HIPAA" in r["agency"]:
            r.update(audience="hipaa_entities", trigger="hipaa_breach", citation="815 ILCS 530/50")
        else:
            r.update(audience="non_hipaa_entities", citation="815 ILCS 530/10(e)")


def _wa(doc: Doc) -> None:
    ind = doc["individual_notice"][0]
    doc["individual_notice"] = _versions(
        ind,
        (
            None,
            D(2020, 2, 29),
            {
                "days": 45,
                "text": "Before 2020-03-01: no more than 45 calendar days after discovery.",
            },
        ),
        (D(2020, 3, 1), None, {"citation": "Wash. Rev. Code § 19.255.010(8) (HB 1071)"}),
    )
    ag = doc["regulators"][0]
    ag.update(audience="non_hipaa_entities")
    hipaa_ag = dict(ag)
    hipaa_ag.update(
        id="WA-REG-2",
        agency="Washington Attorney General (HIPAA covered entities)",
        audience="hipaa_entities",
        days=60,
        anchor="discovery",
        deadline_text="HIPAA covered entities: notify the AG (more than 500 residents) within the HITECH § 13402 timing: no later than 60 calendar days after discovery.",
        citation="Wash. Rev. Code § 19.255.010(10)",
    )
    doc["regulators"].append(hipaa_ag)


def _tx(doc: Doc) -> None:
    ag = doc["regulators"][0]
    _replace_reg(
        doc,
        "Texas Attorney General",
        _versions(
            ag,
            (
                None,
                D(2023, 8, 31),
                {
                    "days": 60,
                    "deadline_text": "Before 2023-09-01: not later than 60 days after determination.",
                },
            ),
            (
                D(2023, 9, 1),
                None,
                {"citation": "Tex. Bus. & Com. Code § 521.053(i) (SB 768, 2023)"},
            ),
        ),
    )


def _ok(doc: Doc) -> None:
    doc["regulators"][0]["in_force_from"] = D(2026, 1, 1)
    doc["regulators"][0]["citation"] = "Okla. Stat. tit. 24, § 163 (SB 626, 2025)"


def _pa(doc: Doc) -> None:
    # Act 33 of 2024 (SB 824), effective 2024-09-26: AG notice, CRA threshold lowered, monitoring.
    frm = D(2024, 9, 26)
    doc["regulators"][0]["in_force_from"] = frm
    cra = doc["cra_notice"][0]
    doc["cra_notice"] = _versions(
        cra,
        (
            None,
            frm - dt.timedelta(days=1),
            {
                "min_residents": 1001,
                "text": "Before 2024-09-26: more than 1,000 persons at one time.",
            },
        ),
        (frm, None, {}),
    )
    doc["credit_monitoring"][0].update(
        in_force_from=frm, trigger_elements=["ssn", "bank_account", "drivers_license"]
    )
    doc["hipaa"]["residual_duties"] = [
        "regulators",
        "consumer_reporting_agencies",
        "credit_monitoring",
        "vendor_to_owner",
    ]
    doc["hipaa"]["basis"] = (
        "Act 151 (2022) exempts HIPAA entities; whether the 2024 AG-notice, CRA and monitoring "
        "duties still apply was not verified, so they are kept (the reference's conservative default)"
    )


def _az(doc: Doc) -> None:
    for r in doc["regulators"]:
        if "Homeland Security" in r["agency"]:
            r["in_force_from"] = D(2022, 7, 22)


def _in(doc: Doc) -> None:
    ind = doc["individual_notice"][0]
    doc["individual_notice"] = _versions(
        ind,
        (
            None,
            D(2022, 6, 30),
            {
                "days": None,
                "anchor": "none",
                "text": "Before 2022-07-01: without unreasonable delay.",
            },
        ),
        (D(2022, 7, 1), None, {}),
    )


def _vt(doc: Doc) -> None:
    r = doc["regulators"][0]
    r.update(
        days=14,
        day_kind="business",
        anchor="discovery",
        citation="Vt. Stat. Ann. tit. 9, § 2435(b)(3)",
    )


def _mn(doc: Doc) -> None:
    doc["cra_notice"][0].update(
        days=2, anchor="discovery", citation="Minn. Stat. § 325E.61 subd. 2"
    )


def _id(doc: Doc) -> None:
    doc["regulators"][0]["audience"] = "public_agencies"


def _ak(doc: Doc) -> None:
    doc["regulators"][0]["audience"] = "no_harm_determination"


def _ma(doc: Doc) -> None:
    doc["letter"]["prohibitions"] = [
        "a description of the nature of the breach or unauthorized acquisition or use",
        "the number of Massachusetts residents affected",
    ]
    doc["credit_monitoring"][0]["citation"] = "Mass. Gen. Laws ch. 93H, § 3A"


def _ct(doc: Doc) -> None:
    doc["credit_monitoring"][0]["citation"] = "Conn. Gen. Stat. § 36a-701b(b)(2)(B)"


def _de(doc: Doc) -> None:
    doc["letter"]["prohibitions"] = [
        "notice by e-mail to an e-mail account whose login credentials were breached",
    ]


def _ga(doc: Doc) -> None:
    doc["scope_limit"] = (
        "Applies only to information brokers and Georgia government bodies (the reference: "
        "'include GA only if the notifier is an information broker or a Georgia government body')."
    )


def _dc(doc: Doc) -> None:
    # The identifier can be the name, the phone number or the address.
    doc["personal_information"][0]["identifiers"] = ["address", "name", "phone"]


OVERRIDES: dict[str, Callable[[Doc], None]] = {
    "AK": _ak,
    "AZ": _az,
    "CA": _ca,
    "CT": _ct,
    "DC": _dc,
    "DE": _de,
    "GA": _ga,
    "ID": _id,
    "IL": _il,
    "IN": _in,
    "MA": _ma,
    "MN": _mn,
    "NY": _ny,
    "OK": _ok,
    "PA": _pa,
    "TX": _tx,
    "VT": _vt,
    "WA": _wa,
}


# --------------------------------------------------------------------------- TOML out


def _val(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        if all(isinstance(x, list) for x in v) and v:
            return "[" + ", ".join(_val(x) for x in v) + "]"
        inner = [_val(x) for x in v]
        one = "[" + ", ".join(inner) + "]"
        if len(one) <= 90:
            return one
        return "[\n" + "".join(f"    {x},\n" for x in inner) + "]"
    raise TypeError(type(v))


def _pairs(d: Doc) -> list[str]:
    return [f"{k} = {_val(v)}" for k, v in d.items() if v is not None and not isinstance(v, dict)]


ORDER = ["code", "name", "kind", "statute", "citation", "applies_to", "scope_limit", "covers_paper",
         "confidence", "as_of", "sources", "notes", "other_health_specific", "unverified"]  # fmt: skip
VERSION_ORDER = ["id", "in_force_from", "in_force_to"]


def to_toml(doc: Doc) -> str:
    """Render a data-file document as TOML (``None`` values are left out)."""
    lines = [
        f"# {doc['name']} ({doc['code']}): breach-notification rules as data.",
        "# Generated once from ../shared/reference/jurisdictions.json by",
        "# breachscope.jurisdictions.build; this file is now the source of truth.",
        "# Absent keys mean: no number of days / not verified (see docs/jurisdictions.md).",
        "",
    ]
    top = {k: doc[k] for k in ORDER if doc.get(k) not in (None, "", [])}
    if top.get("citation") == top["statute"]:
        del top["citation"]
    lines += _pairs(top)
    for table in ("exceptions", "hipaa"):
        lines += ["", f"[{table}]", *_pairs(doc[table])]
    for arr in (
        "personal_information",
        "individual_notice",
        "vendor_to_owner",
        "regulators",
        "cra_notice",
        "credit_monitoring",
    ):
        for item in doc[arr]:
            ordered = {k: item[k] for k in VERSION_ORDER if k in item}
            ordered.update({k: v for k, v in item.items() if k not in VERSION_ORDER})
            if not ordered.get("unverified"):
                ordered.pop("unverified", None)
            if ordered.get("day_kind") == "calendar" and ordered.get("days") is None:
                ordered.pop("day_kind")
            lines += [
                "",
                f"[[{arr}]]",
                *_pairs({k: v for k, v in ordered.items() if v not in ("", [])}),
            ]
    lines += ["", "[letter]", *_pairs(doc["letter"])]
    if doc.get("substitute_notice"):
        lines += [
            "",
            "[substitute_notice]",
            *_pairs({k: v for k, v in doc["substitute_notice"].items() if v not in ("", [])}),
        ]
    return "\n".join(lines) + "\n"


def build(reference: Path, out: Path, *, force: bool = False) -> list[Path]:
    """Write one validated data file per jurisdiction; returns the paths written."""
    ref = json.loads(reference.read_text(encoding="utf-8"))
    entries = {e["code"]: e for e in ref["jurisdictions"]}
    missing = [c for c in CODES if c not in entries]
    if missing:
        raise SystemExit(f"reference lacks {', '.join(missing)}")
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for code in CODES:
        path = out / f"{code.lower()}.toml"
        if path.exists() and not force:
            continue
        doc = convert(entries[code])
        if code in OVERRIDES:
            OVERRIDES[code](doc)
        text = to_toml(doc)
        import tomllib

        parse_jurisdiction(tomllib.loads(text), path.name)  # refuse to write an invalid file
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("reference", type=Path)
    ap.add_argument("--out", type=Path, default=data_dir())
    ap.add_argument("--force", action="store_true", help="overwrite existing (hand-edited) files")
    args = ap.parse_args(argv)
    written = build(args.reference, args.out, force=args.force)
    sys.stdout.write(f"wrote {len(written)} file(s) to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
