"""Space-aligned (fixed-width) tables inside a text: read as tables, never prose or forms.

Every name, date and number here is invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect import Finding, detect_text
from breachscope.detect.text_tables import find_fixed_width

T = dt.date(2025, 3, 1)

MAIL = """From: Dana Okoro <dokoro@clinic.example>
Subject: FW: list for the auditors

Hi all,

Pasted below are the patients from last week's batch.  Please check them, and call me
at (312) 555-0182 with any question.

Patient Name          Birth Date   Member ID       Amount
Quill, Harriet        02/17/1962   QHX440217881    $120.00
Brannigan, Otis       11/30/1948   BOT301148220    $0.00
Velasco, Inés         07/04/1990   VIX040790553

Regards,
Dana Okoro
"""

REPORT = """\f
MERCY VALLEY HEALTH PLAN              ELIGIBILITY REPORT ELG-220               PAGE    1
RUN DATE: 01/15/2025

MEMBER ID      LAST NAME        FIRST NAME     DOB          PLAN       EFF DT
-------------  ---------------  -------------  ----------   --------   ----------
ZKT0011223344  HOLLOWAY         MARGUERITE     03/09/1951   GOLD PPO   01/01/2024
ZKT0011223351  HOLLOWAY         DESMOND        12/22/1984   GOLD PPO   01/01/2024
ZKT0011223369  ABERNATHY        CLEO           06/14/1973   SILVER
                                                            CONFIDENTIAL - PAGE 1 OF 2
\f
MERCY VALLEY HEALTH PLAN              ELIGIBILITY REPORT ELG-220               PAGE    2

MEMBER ID      LAST NAME        FIRST NAME     DOB          PLAN       EFF DT
=============  ===============  =============  ==========   ========   ==========
ZKT0011223377  PRZYBYLSKI       TOMASZ         08/30/1966   BRONZE     02/01/2024
ZKT0011223385  OYELARAN         FUNMI          01/05/2001   BRONZE     02/01/2024

*** END OF REPORT ***   TOTAL MEMBERS:     5
"""

RIGHT_ALIGNED = """Claims listing, batch 0117

  MRN        Patient              Svc Date     Charge
  00481122   Ferraro, Lucia       01/03/2025   1,204.50
  00481139   Nakamura, Ken        01/04/2025     88.00
  00481147   Adeyemi, Grace       01/06/2025
"""


def _table(fs: list[Finding], cat: str) -> list[str]:
    return [f.value for f in fs if f.category == cat and f.detector == "text.table"]


def _spans_are_cells(text: str, fs: list[Finding]) -> None:
    for f in fs:
        if f.detector == "text.table":
            assert f.start is not None and f.end is not None
            cell = text[f.start : f.end]
            assert cell and cell == cell.strip() and "\n" not in cell


def test_a_list_pasted_in_an_e_mail_is_read_as_a_table() -> None:
    fs = detect_text(MAIL, today=T)
    assert sorted(_table(fs, "dob")) == ["1948-11-30", "1962-02-17", "1990-07-04"]
    assert sorted(_table(fs, "member_id")) == ["BOT301148220", "QHX440217881", "VIX040790553"]
    assert "other_date" not in {f.category for f in fs}
    _spans_are_cells(MAIL, fs)
    (dob,) = [f for f in fs if f.value == "1962-02-17"]
    assert MAIL[dob.start or 0 : dob.end] == "02/17/1962"
    # Prose above and below is still read as prose.
    assert [f.value for f in fs if f.category == "phone"] == ["+13125550182"]


def test_a_mainframe_report_with_page_headers_and_rulers_is_read_page_by_page() -> None:
    regions = find_fixed_width(REPORT)
    assert [len(r.rows) for r in regions] == [3, 2]
    assert regions[0].headers == ["MEMBER ID", "LAST NAME", "FIRST NAME", "DOB", "PLAN", "EFF DT"]
    fs = detect_text(REPORT, today=T)
    assert len(_table(fs, "dob")) == 5
    assert len(_table(fs, "member_id")) == 5
    lasts = sorted(f.value for f in fs if f.category == "name" and f.field == "last")
    assert "ABERNATHY" in lasts and "OYELARAN" in lasts
    # The run date and the page footers are outside the regions and no birth date.
    assert not [f for f in fs if f.category == "dob" and f.value == "2025-01-15"]
    _spans_are_cells(REPORT, fs)


def test_right_aligned_numbers_and_a_blank_trailing_cell_keep_their_columns() -> None:
    (region,) = find_fixed_width(RIGHT_ALIGNED)
    assert [cells[3][0] for _off, cells in region.rows] == ["1,204.50", "88.00", ""]
    fs = detect_text(RIGHT_ALIGNED, today=T)
    assert sorted(_table(fs, "mrn")) == ["00481122", "00481139", "00481147"]
    _spans_are_cells(RIGHT_ALIGNED, fs)


PROSE = """The patient was seen today for follow up.  She reports less pain.  Vitals stable.
Plan: continue metformin.  Return in two weeks.  Call the clinic if worse.
Her daughter  Mary  drove her.  Insurance  and  billing  were discussed.
No new medications.  Labs next visit.  Diet reviewed with the patient.
"""

FORM = """PATIENT REGISTRATION
Name:        Lorna Vickery          DOB:        04/12/1977
MRN:         00937718               Phone:      (312) 555-0147
Member ID:   LVK120477339           Plan:       Silver HMO
"""

FORM_NO_COLONS = """Name         Lorna Vickery          Sex         F
MRN          00937718               Phone       (312) 555-0147
Member ID    LVK120477339           Plan        Silver HMO
City         Dayton                 State       OH
"""

ADDRESS_BLOCK = """Northgate Billing Services
   500 Commerce Drive,  Suite 200
   Dallas,  TX  75201

   Mr. Anton Szabo
   42 Wallaby Way   Apt 3
   Springfield,  IL  62704

Dear Mr. Szabo:
"""

POEM = """Name   the   river
Date   of    the   flood
Plan   for   the   dry   year
Phone  the   ones  you  love
"""

SIGNATURE = """Thanks,

Karen Whitlock      Billing Coordinator      Mercy Valley Health
Phone  (555) 201-3344      Fax  (555) 201-3345
Member Services     Claims Office            Records Desk
"""

TWO_COLUMN_FORM = """Name          Lorna Vickery
DOB           04/12/1977
Member ID     LVK120477339
Phone         (312) 555-0147
"""

HEADING_THEN_PROSE = """Name            DOB          Member ID
We could not find the list you asked for.  It was sent to the old address
and returned.  I will forward it again tomorrow morning.
"""


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(PROSE, id="prose-double-spaces"),
        pytest.param(FORM, id="label-colon-value-form"),
        pytest.param(FORM_NO_COLONS, id="aligned-label-value-form"),
        pytest.param(ADDRESS_BLOCK, id="address-block"),
        pytest.param(POEM, id="short-lines"),
        pytest.param(SIGNATURE, id="signature-block"),
        pytest.param(TWO_COLUMN_FORM, id="two-column-label-value"),
        pytest.param(HEADING_THEN_PROSE, id="heading-then-prose"),
    ],
)
def test_prose_forms_addresses_and_signatures_are_not_tables(text: str) -> None:
    assert find_fixed_width(text) == []
    assert not [f for f in detect_text(text, today=T) if f.detector == "text.table"]


def test_a_form_is_still_read_by_the_prose_path() -> None:
    fs = detect_text(FORM, today=T)
    assert [f.value for f in fs if f.category == "dob"] == ["1977-04-12"]
    assert "LVK120477339" in [f.value for f in fs if f.category == "member_id"]


def test_a_heading_with_one_row_is_not_a_table() -> None:
    text = "Name            DOB          MRN\nHolt, Vera      03/03/1960   00112233\n\nBye.\n"
    assert find_fixed_width(text) == []
