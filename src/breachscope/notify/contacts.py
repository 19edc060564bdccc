"""Agencies a letter must point people to: the credit bureaus, the FTC, some state AGs.

These are public agency contacts as printed in breach letters; counsel checks them before
each mailing (docs/notices.md). A case can add or correct a state AG under
``[notify]`` later without code changes by extending this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    name: str
    lines: tuple[str, ...]  # postal address lines
    phone: str
    website: str
    note: str = ""


CREDIT_BUREAUS: tuple[Agency, ...] = (
    Agency(
        "Equifax",
        ("P.O. Box 105788", "Atlanta, GA 30348-5788"),
        "1-888-298-0045",
        "www.equifax.com/personal/credit-report-services",
    ),
    Agency(
        "Experian",
        ("P.O. Box 9554", "Allen, TX 75013"),
        "1-888-397-3742",
        "www.experian.com/help",
    ),
    Agency(
        "TransUnion",
        ("P.O. Box 2000", "Chester, PA 19016"),
        "1-800-916-8800",
        "www.transunion.com/credit-help",
    ),
)

FTC = Agency(
    "Federal Trade Commission",
    ("600 Pennsylvania Avenue NW", "Washington, DC 20580"),
    "1-877-438-4338",
    "www.identitytheft.gov",
)

ANNUAL_CREDIT_REPORT = Agency(
    "Annual Credit Report Request Service",
    ("P.O. Box 105281", "Atlanta, GA 30348-5281"),
    "1-877-322-8228",
    "www.annualcreditreport.com",
)

# State offices that some states require letters to name (content rules mentioning the
# Attorney General or "state agencies").
STATE_AGENCIES: dict[str, tuple[Agency, ...]] = {
    "DC": (
        Agency(
            "Office of the Attorney General for the District of Columbia",
            ("400 6th Street NW", "Washington, DC 20001"),
            "(202) 442-9828",
            "oag.dc.gov",
        ),
    ),
    "IA": (
        Agency(
            "Office of the Attorney General of Iowa, Consumer Protection Division",
            ("1305 E. Walnut Street", "Des Moines, IA 50319"),
            "(515) 281-5926",
            "www.iowaattorneygeneral.gov",
        ),
    ),
    "MD": (
        Agency(
            "Maryland Office of the Attorney General, Identity Theft Unit",
            ("200 St. Paul Place", "Baltimore, MD 21202"),
            "1-888-743-0023",
            "www.marylandattorneygeneral.gov",
        ),
    ),
    "NC": (
        Agency(
            "North Carolina Department of Justice, Consumer Protection Division",
            ("9001 Mail Service Center", "Raleigh, NC 27699-9001"),
            "1-877-566-7226",
            "www.ncdoj.gov",
        ),
    ),
    "NY": (
        Agency(
            "New York Attorney General",
            ("The Capitol", "Albany, NY 12224-0341"),
            "1-800-771-7755",
            "ag.ny.gov",
        ),
        Agency(
            "New York Department of State, Division of Consumer Protection",
            ("One Commerce Plaza, 99 Washington Avenue", "Albany, NY 12231-0001"),
            "1-800-697-1220",
            "dos.ny.gov/consumer-protection",
        ),
    ),
    "OR": (
        Agency(
            "Oregon Department of Justice",
            ("1162 Court Street NE", "Salem, OR 97301-4096"),
            "1-877-877-9392",
            "www.doj.state.or.us",
        ),
    ),
    "RI": (
        Agency(
            "Rhode Island Office of the Attorney General",
            ("150 South Main Street", "Providence, RI 02903"),
            "(401) 274-4400",
            "www.riag.ri.gov",
        ),
    ),
}
