"""HIPAA Breach Notification Rule (45 CFR §§ 164.400–414) obligations for one covered entity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from breachscope.assess.dates import add_days, year_end_plus
from breachscope.assess.facts import UNKNOWN_STATE, Facts, Population
from breachscope.assess.record import Obligation
from breachscope.jurisdictions.model import HipaaRule, HipaaRules


@dataclass(frozen=True)
class HipaaOutcome:
    """What state rules need to know about the HIPAA side."""

    breach: bool  # a breach of unsecured PHI (notices owed)
    individual_due: dt.date | None
    hhs_due: dt.date | None


def le_shift(facts: Facts, rules: HipaaRules) -> int:
    """Days every deadline moves under a law-enforcement delay (H-8.4, interpretive)."""
    if facts.le_delay is None:
        return 0
    return facts.le_delay.days(rules.rule("le_delay").days or 30)


def _shift_text(shift: int) -> str:
    return f"; moved {shift} days later for the law-enforcement delay (§ 164.412)" if shift else ""


def _sorted(elements: set[str] | frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(elements))


class _Out:
    """Builds HIPAA records with the shared fields filled in."""

    def __init__(self, pop: Population, rules: HipaaRules) -> None:
        self.pop = pop
        self.rules = rules
        self.records: list[Obligation] = []

    def add(
        self,
        rule: HipaaRule,
        *,
        obligation: str,
        recipient: str,
        triggered: bool,
        count: int,
        elements: set[str] | frozenset[str],
        why: str,
        due: dt.date | None,
        due_text: str,
        jurisdiction: str = "",
        duty_holder: str = "covered_entity",
        agency: str = "",
        threshold: str = "",
        content: tuple[str, ...] = (),
        notes: str = "",
    ) -> None:
        self.records.append(
            Obligation(
                client_id=self.pop.entity.client_id,
                regime="HIPAA",
                jurisdiction=jurisdiction,
                duty_holder=duty_holder,
                obligation=obligation,
                recipient=recipient,
                agency=agency,
                triggered=triggered,
                triggered_count=count,
                triggered_elements=_sorted(elements),
                triggered_by=why,
                threshold=threshold,
                due=due if triggered else None,
                due_text=due_text,
                day_kind=rule.day_kind if rule.days is not None else "",
                anchor=rule.anchor,
                citation=rule.citation,
                rule_id=rule.id,
                sources=self.rules.sources,
                confidence="low" if rule.unverified else "high",
                unverified=rule.unverified,
                content_requirements=content or rule.content,
                notes=notes,
            )
        )


def determine_breach(facts: Facts, rules: HipaaRules) -> tuple[bool, HipaaRule, str]:
    """Is this a breach of unsecured PHI? (H-2.2 presumption, H-2.3, H-2.4, H-2.7)."""
    if facts.encrypted and not facts.key_compromised:
        return (
            False,
            rules.rule("secured"),
            "PHI was encrypted per HHS guidance and the key was not compromised: not unsecured PHI",
        )
    if facts.exclusion:
        return (
            False,
            rules.rule("exclusions"),
            f"statutory exclusion applies: {facts.exclusion.replace('_', ' ')}",
        )
    ra = facts.risk_assessment
    if ra is None:
        return (
            True,
            rules.rule("presumption"),
            "presumed breach: no four-factor risk assessment supplied",
        )
    if ra.low_probability():
        return (
            False,
            rules.rule("risk_assessment"),
            "four-factor risk assessment documents a low probability of compromise",
        )
    missing = [
        f
        for f in ("nature_and_extent", "unauthorized_person", "acquired_or_viewed", "mitigation")
        if not ra.factors.get(f, "").strip()
    ]
    if ra.outcome == "low_probability" and missing:
        return (
            True,
            rules.rule("risk_assessment"),
            f"breach: the assessment concludes low probability but leaves {', '.join(missing)} unknown",
        )
    return (
        True,
        rules.rule("risk_assessment"),
        "breach: the four-factor risk assessment does not show a low probability of compromise",
    )


def assess_hipaa(
    pop: Population, facts: Facts, rules: HipaaRules
) -> tuple[list[Obligation], HipaaOutcome]:
    """Every HIPAA duty for one covered entity's affected individuals."""
    out = _Out(pop, rules)
    total = pop.total
    all_elements: set[str] = set().union(*(g.elements for g in pop.groups)) if pop.groups else set()
    shift = le_shift(facts, rules)
    breach, basis, why = determine_breach(facts, rules)
    ra = facts.risk_assessment
    factors = "" if ra is None else "; ".join(f"{k}: {v}" for k, v in sorted(ra.factors.items()))
    out.add(
        basis,
        obligation="breach_determination",
        recipient="covered_entity",
        triggered=breach,
        count=total,
        elements=all_elements,
        why=why,
        due=None,
        due_text="document the determination and keep it 6 years (burden of proof, § 164.414(b); H-9.3)",
        content=rules.rule("risk_assessment").content if ra is None else (),
        notes=factors,
    )
    if not breach or total == 0:
        return out.records, HipaaOutcome(False, None, None)

    owner_start = facts.owner_discovery
    ind_rule = rules.rule("individuals")
    ind_due = add_days(owner_start, (ind_rule.days or 60) + shift)
    if facts.individual_notice_date is not None:
        ind_due = min(ind_due, facts.individual_notice_date)
    ind_text = f"without unreasonable delay, no later than {ind_rule.days} calendar days after discovery ({owner_start.isoformat()}){_shift_text(shift)}"

    if facts.role == "business_associate":
        ba = rules.rule("ba_to_ce")
        days = ba.days or 60
        contract = ""
        if facts.baa_days is not None and facts.baa_days < days:
            days = facts.baa_days
            contract = f" (business associate agreement: {days} days)"
        out.add(
            ba,
            obligation="notice_to_covered_entity",
            recipient="covered_entity",
            duty_holder="business_associate",
            agency=pop.entity.name,
            triggered=True,
            count=total,
            elements=all_elements,
            why=f"{total} individuals of this covered entity in a breach of unsecured PHI discovered by the business associate",
            due=add_days(facts.discovery_date, days + shift),
            due_text=f"without unreasonable delay, no later than {days} calendar days after the business associate's discovery{contract}{_shift_text(shift)}",
            notes="The covered entity's own clocks start at the business associate's discovery when the BA is its agent (H-2.9); it may delegate mailing to the BA but keeps the duty (H-1.2).",
        )

    for state in pop.states():
        groups = pop.in_state(state)
        n = sum(g.count for g in groups)
        elements: set[str] = set().union(*(g.elements for g in groups))
        out.add(
            ind_rule,
            obligation="individual_notice",
            recipient="individuals",
            jurisdiction=state,
            triggered=True,
            count=n,
            elements=elements,
            why=f"{n} individuals{' of unknown state' if state == UNKNOWN_STATE else f' resident in {state}'} whose unsecured PHI was acquired",
            due=ind_due,
            due_text=ind_text,
        )

    minors = sum(g.minors for g in pop.groups)
    if minors:
        r = rules.rule("minors")
        out.add(
            r,
            obligation="notice_to_parent_or_guardian",
            recipient="individuals",
            agency="parent or guardian",
            triggered=True,
            count=minors,
            elements=all_elements,
            why=f"{minors} affected individuals are minors: address the notice to the parent or guardian",
            due=ind_due,
            due_text=ind_text,
            content=ind_rule.content,
        )
    deceased = sum(g.deceased for g in pop.groups)
    if deceased:
        r = rules.rule("deceased")
        no_addr = sum(g.deceased_no_address for g in pop.groups)
        out.add(
            r,
            obligation="notice_to_next_of_kin",
            recipient="individuals",
            agency="next of kin or personal representative",
            triggered=deceased > no_addr,
            count=deceased - no_addr,
            elements=all_elements,
            why=f"{deceased} affected individuals are deceased; {deceased - no_addr} with a known address (notify next of kin or personal representative), {no_addr} without (no substitute notice required)",
            due=ind_due,
            due_text=ind_text,
            content=ind_rule.content,
        )

    unreachable = sum(g.unreachable for g in pop.groups)
    if unreachable:
        small = rules.rule("substitute_small")
        large = rules.rule("substitute_large")
        if unreachable < (small.threshold or 10):
            out.add(
                small,
                obligation="substitute_notice",
                recipient="individuals",
                agency="alternative written notice, telephone or other means",
                triggered=True,
                count=unreachable,
                elements=all_elements,
                why=f"{unreachable} individuals have no deliverable address (fewer than {small.threshold})",
                threshold=f"fewer than {small.threshold} unreachable",
                due=ind_due,
                due_text=ind_text,
                content=(small.text,),
            )
        else:
            out.add(
                large,
                obligation="substitute_notice",
                recipient="individuals",
                agency="web-site home-page posting or major print/broadcast media, with a toll-free number",
                triggered=True,
                count=unreachable,
                elements=all_elements,
                why=f"{unreachable} individuals have no deliverable address ({large.threshold} or more)",
                threshold=f"{large.threshold} or more unreachable",
                due=ind_due,
                due_text=f"{ind_text}; keep the posting and the toll-free number for {large.days} days",
            )

    media = rules.rule("media")
    media_min = media.threshold or 501
    for state in pop.states():
        if state == UNKNOWN_STATE:
            continue
        n = sum(g.count for g in pop.in_state(state))
        hit = n >= media_min
        out.add(
            media,
            obligation="media_notice",
            recipient="media",
            jurisdiction=state,
            agency=f"prominent media outlets serving {state}",
            triggered=hit,
            count=n,
            elements=set().union(*(g.elements for g in pop.in_state(state))),
            why=f"{n} residents of {state} {'exceed' if hit else 'do not exceed'} 500 (more than 500 residents of a State or jurisdiction)",
            threshold=f"more than {media_min - 1} residents of one state ({media_min} or more)",
            due=add_days(owner_start, (media.days or 60) + shift),
            due_text=f"without unreasonable delay, no later than {media.days} calendar days after discovery{_shift_text(shift)}"
            if hit
            else "not required",
            content=ind_rule.content[:5],
        )

    large = rules.rule("hhs_large")
    small_hhs = rules.rule("hhs_small")
    if total >= (large.threshold or 500):
        hhs_due = ind_due
        out.add(
            large,
            obligation="hhs_notice",
            recipient="hhs",
            agency="Secretary of HHS (OCR breach portal)",
            triggered=True,
            count=total,
            elements=all_elements,
            why=f"{total} individuals: {large.threshold} or more",
            threshold=f"{large.threshold} or more individuals",
            due=hhs_due,
            due_text=f"contemporaneously with the individual notices, no later than {large.days} calendar days after discovery{_shift_text(shift)}",
        )
    else:
        hhs_due = year_end_plus(owner_start, (small_hhs.days or 60) + shift)
        out.add(
            small_hhs,
            obligation="hhs_notice",
            recipient="hhs",
            agency="Secretary of HHS (OCR breach portal, annual log)",
            triggered=True,
            count=total,
            elements=all_elements,
            why=f"{total} individuals: fewer than {large.threshold}",
            threshold=f"fewer than {large.threshold} individuals",
            due=hhs_due,
            due_text=f"no later than {small_hhs.days} days after the end of calendar year {owner_start.year}{_shift_text(shift)}; may be filed earlier",
        )
    if facts.hhs_filing_date is not None:
        hhs_due = facts.hhs_filing_date
    return out.records, HipaaOutcome(True, ind_due, hhs_due)
