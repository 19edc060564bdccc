"""State / territory breach-law obligations for one covered entity's residents of one jurisdiction."""

from __future__ import annotations

import datetime as dt

from breachscope.assess.dates import add_days
from breachscope.assess.facts import Facts, Group, Population
from breachscope.assess.hipaa import HipaaOutcome
from breachscope.assess.record import Obligation
from breachscope.jurisdictions.model import Jurisdiction, Versioned

_DAYS = {"calendar": "calendar days", "business": "business days"}


class _StateOut:
    def __init__(self, pop: Population, jur: Jurisdiction) -> None:
        self.pop = pop
        self.jur = jur
        self.records: list[Obligation] = []

    def add(
        self,
        rule: Versioned,
        *,
        obligation: str,
        recipient: str,
        triggered: bool,
        count: int,
        elements: frozenset[str] | set[str],
        why: str,
        due: dt.date | None = None,
        due_text: str = "",
        day_kind: str = "",
        anchor: str = "",
        agency: str = "",
        threshold: str = "",
        duty_holder: str = "covered_entity",
        months: int | None = None,
        content: tuple[str, ...] = (),
        prohibitions: tuple[str, ...] = (),
        notes: str = "",
    ) -> None:
        self.records.append(
            Obligation(
                client_id=self.pop.entity.client_id,
                regime=self.jur.code,
                jurisdiction=self.jur.code,
                duty_holder=duty_holder,
                obligation=obligation,
                recipient=recipient,
                agency=agency,
                triggered=triggered,
                triggered_count=count,
                triggered_elements=tuple(sorted(elements)),
                triggered_by=why,
                threshold=threshold,
                due=due if triggered else None,
                due_text=due_text,
                day_kind=day_kind,
                anchor=anchor,
                citation=rule.citation,
                rule_id=rule.rule_id,
                sources=self.jur.sources,
                confidence=self.jur.confidence,
                unverified=rule.unverified,
                credit_monitoring_months=months,
                content_requirements=content,
                prohibitions=prohibitions,
                notes=notes,
            )
        )


def _threshold(n: int) -> str:
    return "any affected resident" if n <= 1 else f"{n} or more residents"


def assess_state(
    pop: Population,
    groups: list[Group],
    jur: Jurisdiction,
    facts: Facts,
    hipaa: HipaaOutcome | None,
    shift: int,
) -> list[Obligation]:
    """Every duty ``jur``'s law puts on the covered entity (and its vendor) for these residents."""
    out = _StateOut(pop, jur)
    day = facts.discovery_date
    pi = jur.pi_at(day)
    ind = jur.individual_notice_at(day)
    if pi is None or ind is None:  # the data files always cover today; old dates may not
        return out.records
    residents = sum(g.count for g in groups)
    pi_groups = [(g, pi.matched(g.elements)) for g in groups]
    pi_groups = [(g, m) for g, m in pi_groups if m]
    n_pi = sum(g.count for g, _ in pi_groups)
    pi_elements: set[str] = set().union(*(m for _, m in pi_groups)) if pi_groups else set()
    is_hipaa = pop.entity.hipaa
    residual = jur.hipaa.residual_duties if is_hipaa else None

    def keeps(duty: str) -> bool:
        return residual is None or duty in residual

    def blocked(why: str) -> list[Obligation]:
        out.add(
            ind,
            obligation="individual_notice",
            recipient="individuals",
            triggered=False,
            count=n_pi,
            elements=pi_elements,
            why=why,
            due_text="not required",
            content=jur.letter.content,
            prohibitions=jur.letter.prohibitions,
        )
        return out.records

    if jur.scope_limit:
        return blocked(f"not applicable: {jur.scope_limit}")
    if is_hipaa and jur.hipaa.effect == "statute_inapplicable":
        return blocked(
            f"the statute does not apply to HIPAA-regulated entities ({jur.hipaa.notes})"
        )
    if n_pi == 0:
        _hipaa_regulators(out, jur, groups, hipaa, facts, residents)
        return blocked(
            f"{residents} residents affected, none with elements meeting {jur.code}'s personal-information definition"
            + (f" (not testable here: {', '.join(pi.not_mapped)})" if pi.not_mapped else "")
        )
    enc_note = ""
    if facts.encrypted and jur.exceptions.encryption_safe_harbor:
        if not facts.key_compromised:
            return blocked(
                "encryption safe harbor: the data was encrypted and the key was not compromised"
            )
        voids = jur.exceptions.key_compromise_voids_safe_harbor
        enc_note = (
            "encrypted, but the key was also compromised: the safe harbor is lost"
            if voids
            else "encrypted, but the key was compromised; the statute's key-compromise rule is not verified and the safe harbor is treated as lost (conservative)"
        )
    if jur.code in facts.no_harm_states and jur.exceptions.risk_of_harm:
        for reg in jur.regulators_at(day):
            if reg.audience == "no_harm_determination":
                out.add(
                    reg,
                    obligation="regulator_notice",
                    recipient=reg.recipient,
                    agency=reg.agency,
                    triggered=True,
                    count=n_pi,
                    elements=pi_elements,
                    why="relying on a documented no-harm determination",
                    due_text=reg.deadline_text,
                    content=reg.content,
                )
        return blocked(
            f"risk-of-harm exception relied on (documented determination): {jur.exceptions.risk_of_harm_notes}"
        )

    why_pi = f"{n_pi} of {residents} residents have personal information under {jur.code} law ({', '.join(sorted(pi_elements))})"
    if enc_note:
        why_pi += f"; {enc_note}"

    # ---- individual notice
    owner_disc = facts.owner_discovery
    owner_det = facts.owner_determination

    def base(anchor: str) -> dt.date | None:
        return {"discovery": owner_disc, "determination": owner_det}.get(anchor)

    state_due: dt.date | None = None
    if ind.days is not None and (b := base(ind.anchor)) is not None:
        state_due = add_days(b, ind.days, ind.day_kind) + dt.timedelta(days=shift)
    ind_applies = keeps("individual_notice")
    content = jur.letter.content
    content_note = ""
    if is_hipaa and not keeps("letter_content"):
        content_note = "HIPAA-compliant letter content is deemed to satisfy the state's content rules; listed for reference."
    anchor_word = "determination of the breach" if ind.anchor == "determination" else "discovery"
    if ind_applies:
        due_text = (
            f"{ind.text} Due {ind.days} {_DAYS[ind.day_kind]} after {anchor_word} ({(base(ind.anchor) or owner_disc).isoformat()})"
            + (f", moved {shift} days for the law-enforcement delay" if shift else "")
            if state_due
            else ind.text
        )
        out.add(
            ind,
            obligation="individual_notice",
            recipient="individuals",
            triggered=True,
            count=n_pi,
            elements=pi_elements,
            why=why_pi,
            due=state_due,
            due_text=due_text,
            day_kind=ind.day_kind if ind.days is not None else "",
            anchor=ind.anchor,
            content=content,
            prohibitions=jur.letter.prohibitions,
            notes=" ".join(
                x
                for x in (
                    content_note,
                    f"Risk-of-harm exception available: {jur.exceptions.risk_of_harm_notes}"
                    if jur.exceptions.risk_of_harm
                    else "",
                )
                if x
            ),
        )
    else:
        out.add(
            ind,
            obligation="individual_notice",
            recipient="individuals",
            triggered=False,
            count=n_pi,
            elements=pi_elements,
            why=f"deemed satisfied by notice under HIPAA ({jur.hipaa.effect}): {jur.hipaa.basis}"
            + (
                ""
                if hipaa is not None and hipaa.breach
                else "; no HIPAA notice is owed (not a breach of unsecured PHI)"
            ),
            due_text="satisfied by the HIPAA individual notice",
            content=content,
            prohibitions=jur.letter.prohibitions,
            notes=jur.hipaa.notes,
        )

    # The date residents will be notified at the latest: what "with / before / after
    # notice" anchors count from.
    candidates = [
        d
        for d in (state_due if ind_applies else None, hipaa.individual_due if hipaa else None)
        if d
    ]
    binding = facts.individual_notice_date or (min(candidates) if candidates else None)
    hhs_due = hipaa.hhs_due if hipaa else None

    def due_for(
        anchor: str, days: int | None, day_kind: str, vendor: bool = False
    ) -> tuple[dt.date | None, str]:
        kind = _DAYS.get(day_kind, "days")
        if anchor in ("discovery", "determination") and days is not None:
            start = facts.discovery_date if vendor else base(anchor)
            assert start is not None
            d = add_days(start, days, day_kind) + dt.timedelta(days=shift)
            word = (
                "the vendor's discovery"
                if vendor
                else "determination of the breach"
                if anchor == "determination"
                else "discovery"
            )
            return d, f"{days} {kind} after {word} ({start.isoformat()})" + (
                f", moved {shift} days for the law-enforcement delay" if shift else ""
            )
        if anchor in ("with_individual_notice", "before_individual_notice"):
            when = "before" if anchor.startswith("before") else "no later than"
            return binding, f"{when} notice to individuals" + (
                f" (individual notice due {binding.isoformat()})"
                if binding
                else " (no fixed date for individual notice)"
            )
        if anchor == "after_individual_notice" and days is not None:
            if binding is None:
                return (
                    None,
                    f"within {days} {kind} after notice to individuals (no fixed date for individual notice)",
                )
            return (
                add_days(binding, days, day_kind),
                f"within {days} {kind} after notice to individuals (individual notice due {binding.isoformat()})",
            )
        if anchor == "hhs_filing" and days is not None:
            if hhs_due is None:
                return None, f"within {days} {kind} after the HHS breach report"
            return (
                add_days(hhs_due, days, day_kind),
                f"within {days} {kind} after the HHS breach report (HHS report due {hhs_due.isoformat()})",
            )
        return None, "no fixed day"

    # ---- regulators
    if keeps("regulators") or is_hipaa:
        for reg in jur.regulators_at(day):
            aud = reg.audience
            if aud == "all" and not keeps("regulators"):
                continue
            if aud == "hipaa_entities" and not (is_hipaa and hipaa is not None and hipaa.breach):
                continue
            if aud == "non_hipaa_entities" and is_hipaa:
                continue
            if aud in ("public_agencies", "dfs_regulated", "no_harm_determination"):
                continue
            count = residents if reg.trigger == "hipaa_breach" else n_pi
            els = (
                set().union(*(g.elements for g in groups))
                if reg.trigger == "hipaa_breach"
                else pi_elements
            )
            hit = count >= reg.min_residents
            note = ""
            if aud == "licensed_health_facility":
                if pop.entity.kind != "provider":
                    continue
                hit = False
                note = "Applies only if this client is a licensed clinic, health facility, home health agency or hospice: confirm, and if so this duty is owed."
            due, text = due_for(reg.anchor, reg.days, reg.day_kind)
            out.add(
                reg,
                obligation="regulator_notice",
                recipient=reg.recipient,
                agency=reg.agency,
                triggered=hit,
                count=count,
                elements=els,
                why=f"{count} {'residents in a breach reported to HHS' if reg.trigger == 'hipaa_breach' else 'residents with personal information'}; threshold {reg.threshold_text or _threshold(reg.min_residents)}",
                threshold=_threshold(reg.min_residents),
                due=due,
                due_text=f"{reg.deadline_text} [{text}]" if hit else "not required",
                day_kind=reg.day_kind if reg.days is not None else "",
                anchor=reg.anchor,
                content=reg.content,
                notes=" ".join(x for x in (note, reg.method) if x),
            )

    # ---- consumer reporting agencies
    cra = jur.cra_notice_at(day)
    if cra is not None and keeps("consumer_reporting_agencies"):
        hit = n_pi >= cra.min_residents
        due, text = due_for(cra.anchor, cra.days, cra.day_kind)
        out.add(
            cra,
            obligation="cra_notice",
            recipient="consumer_reporting_agencies",
            agency="nationwide consumer reporting agencies (Equifax, Experian, TransUnion)",
            triggered=hit,
            count=n_pi,
            elements=pi_elements,
            why=f"{n_pi} residents with personal information; threshold {_threshold(cra.min_residents)}",
            threshold=_threshold(cra.min_residents),
            due=due,
            due_text=f"{cra.text} [{text if cra.days is not None else 'without unreasonable delay'}]"
            if hit
            else "not required",
            day_kind=cra.day_kind if cra.days is not None else "",
            anchor=cra.anchor,
        )

    # ---- credit monitoring
    cm = jur.credit_monitoring_at(day)
    if cm is not None and keeps("credit_monitoring"):
        cm_groups = [(g, m) for g, m in pi_groups if g.elements & cm.trigger_elements]
        n_cm = sum(g.count for g, _ in cm_groups)
        cm_elements: set[str] = (
            set().union(*(g.elements & cm.trigger_elements for g, _ in cm_groups))
            if cm_groups
            else set()
        )
        out.add(
            cm,
            obligation="credit_monitoring_offer",
            recipient="individuals",
            agency=f"{cm.months} months of credit monitoring / identity-theft protection at no cost",
            triggered=n_cm > 0,
            count=n_cm,
            elements=cm_elements,
            why=f"{n_cm} residents had {' or '.join(sorted(cm.trigger_elements))} exposed"
            if n_cm
            else f"no resident had {' or '.join(sorted(cm.trigger_elements))} exposed",
            threshold=f"exposure of {' or '.join(sorted(cm.trigger_elements))}",
            due=binding,
            due_text="offer it in the notice to individuals"
            + (f" (due {binding.isoformat()})" if binding else ""),
            months=cm.months,
            content=(
                f"offer of {cm.months} months of credit monitoring at no cost and how to enrol",
            ),
            notes=cm.trigger_text,
        )

    # ---- vendor (business associate) -> owner
    vend = jur.vendor_to_owner_at(day)
    if facts.role == "business_associate" and vend is not None and keeps("vendor_to_owner"):
        due, text = (
            due_for("discovery", vend.days, vend.day_kind, vendor=True)
            if vend.days is not None
            else (None, "")
        )
        out.add(
            vend,
            obligation="notice_to_covered_entity",
            recipient="covered_entity",
            duty_holder="business_associate",
            agency=pop.entity.name,
            triggered=True,
            count=n_pi,
            elements=pi_elements,
            why=f"the reporting entity maintains the data of {n_pi} {jur.code} residents for the owner",
            due=due,
            due_text=f"{vend.text} [{text}]" if text else vend.text,
            day_kind=vend.day_kind if vend.days is not None else "",
            anchor="discovery" if vend.days is not None else "none",
        )

    # ---- substitute notice for residents who cannot be reached by mail
    unreachable = sum(g.unreachable for g, _ in pi_groups)
    sub = jur.substitute_notice
    if unreachable and sub is not None and ind_applies:
        out.add(
            ind,
            obligation="substitute_notice",
            recipient="individuals",
            agency="; ".join(sub.components),
            triggered=sub.or_insufficient_contact_info,
            count=unreachable,
            elements=pi_elements,
            why=f"{unreachable} residents with personal information have no deliverable address",
            threshold=f"insufficient contact information (also allowed when cost exceeds ${sub.cost_over_usd or 0:,} or more than {sub.affected_over or 0:,} are affected)",
            due=state_due,
            due_text="with the individual notice",
            content=sub.components,
            notes=sub.notes,
        )
    return out.records


def _hipaa_regulators(
    out: _StateOut,
    jur: Jurisdiction,
    groups: list[Group],
    hipaa: HipaaOutcome | None,
    facts: Facts,
    residents: int,
) -> None:
    """Regulator notices owed for any HIPAA breach, PI or not (e.g. IL, NY: after HHS)."""
    if hipaa is None or not hipaa.breach or hipaa.hhs_due is None:
        return
    for reg in jur.regulators_at(facts.discovery_date):
        if (
            reg.audience != "hipaa_entities"
            or reg.trigger != "hipaa_breach"
            or reg.anchor != "hhs_filing"
        ):
            continue
        hit = residents >= reg.min_residents
        days = reg.days or 0
        due = add_days(hipaa.hhs_due, days, reg.day_kind)
        out.add(
            reg,
            obligation="regulator_notice",
            recipient=reg.recipient,
            agency=reg.agency,
            triggered=hit,
            count=residents,
            elements=set().union(*(g.elements for g in groups)),
            why=f"{residents} residents in a breach reported to HHS; threshold {reg.threshold_text or _threshold(reg.min_residents)}",
            threshold=_threshold(reg.min_residents),
            due=due,
            due_text=f"{reg.deadline_text} [within {days} {_DAYS[reg.day_kind]} after the HHS breach report (HHS report due {hipaa.hhs_due.isoformat()})]",
            day_kind=reg.day_kind,
            anchor=reg.anchor,
            content=reg.content,
        )
