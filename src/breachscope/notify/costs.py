"""Cost forecast: printing, postage, call centre and credit monitoring, from the counts.

Unit prices come from ``[notify.prices]`` (defaults in config.DEFAULT_PRICES). Every line
shows quantity × unit price so the arithmetic can be checked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CostLine:
    item: str
    quantity: float
    unit: str
    unit_price: float

    @property
    def amount(self) -> float:
        return round(self.quantity * self.unit_price, 2)


@dataclass(frozen=True)
class CostInputs:
    letters: int  # letters mailed (deliverable addresses)
    pages: int  # total printed pages of those letters (0: not rendered)
    cm_offers: int  # letters that carry a credit-monitoring offer
    cm_offer_months: int  # sum of months offered over those letters
    media_releases: int
    substitute_postings: int


def forecast(
    inputs: CostInputs, prices: dict[str, float], pages_per_letter: float = 3.0
) -> list[CostLine]:
    """The cost lines for these counts and prices."""
    pages = inputs.pages or round(inputs.letters * pages_per_letter)
    extra_pages = max(pages - inputs.letters, 0)
    calls = round(inputs.letters * prices["call_rate"])
    enrolled = inputs.cm_offers * prices["cm_enrolment_rate"]
    avg_months = inputs.cm_offer_months / inputs.cm_offers if inputs.cm_offers else 0.0
    return [
        CostLine(
            "Letters printed and inserted", inputs.letters, "letter", prices["print_per_letter"]
        ),
        CostLine("Additional printed pages", extra_pages, "page", prices["print_per_extra_page"]),
        CostLine("First-class postage", inputs.letters, "letter", prices["postage_per_letter"]),
        CostLine("Call-center calls (expected)", calls, "call", prices["cost_per_call"]),
        CostLine(
            "Credit monitoring (expected enrolments x months)",
            round(enrolled * avg_months, 1),
            "enrolee-month",
            prices["cm_cost_per_month"],
        ),
        CostLine(
            "Media notices (press releases)",
            inputs.media_releases,
            "release",
            prices["media_release_each"],
        ),
        CostLine(
            "Substitute notice postings",
            inputs.substitute_postings,
            "posting",
            prices["substitute_posting_each"],
        ),
    ]


def total(lines: list[CostLine]) -> float:
    return round(sum(line.amount for line in lines), 2)
