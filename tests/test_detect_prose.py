"""Names, phones and addresses in unlabelled prose: tables of inputs with expected values,
and at least as many look-alikes that must not be found."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect import detect_text
from breachscope.detect.text_prose_names import name_shape

T = dt.date(2025, 3, 1)


def _found(text: str, category: str) -> set[tuple[str | None, str]]:
    return {(f.field, f.value) for f in detect_text(text, today=T) if f.category == category}


# (text, category, field, value): the value must be found.
POSITIVES = [
    ("I met John Smith yesterday.", "name", "last", "Smith"),
    ("Dr. Adams examined Peter Parker today.", "name", "first", "Peter"),
    ("Dr. Adams examined Peter Parker today.", "name", "last", "Parker"),
    ("Kathryn is a very sympathetic person.", "name", "first", "Kathryn"),
    ("I'm so jealous! said Edda to Kristina", "name", "first", "Kristina"),
    ("Sometimes people call me Matilde", "name", "first", "Matilde"),
    ("My son Peter broke his arm.", "name", "first", "Peter"),
    ("José Núñez was admitted on Monday.", "name", "last", "Núñez"),
    ("Jørgen Egede explained the delay.", "name", "first", "Jørgen"),
    ("Notes: SMITH, JOHN seen in clinic.", "name", "first", "JOHN"),
    ("Please call me on +44 20 7946 0958 after noon.", "phone", None, "+442079460958"),
    ("Tel 0049 30 1234567", "phone", None, "+49301234567"),
    ("Member Jane Roe, 212-867-0147", "phone", None, "+12128670147"),
    ("Can someone call me on 077 5149 6820?", "phone", None, "07751496820"),
    ("0493 50 35 13 office", "phone", None, "0493503513"),
    ("9329229780 mobile", "phone", None, "+19329229780"),
    ("reach me at (847)915-6194x8218", "phone", None, "+18479156194"),
    ("Margaret lives at 12 Oak St, Springfield.", "address", "city", "Springfield"),
    ("Margaret lives at 12 Oak St, Springfield.", "address", "street", "12 Oak St"),
    ("Send it to 99 Main Street, Suite 4 please", "address", "line2", "Suite 4"),
    ("She lives in Dayton, Ohio with her aunt.", "address", "city", "Dayton"),
    ("She lives in Dayton, Ohio with her aunt.", "address", "state", "OH"),
    ("moved to Springfield, Illinois in 2019", "address", "state", "IL"),
    ("My address is 6710 Lindenweg 26.", "address", "street", "6710 Lindenweg 26"),
    ("Ship to 14 Kastanienallee 9, Suite 12 today", "address", "line2", "Suite 12"),
    ("Ship it to PSC 4410, Box 2210 APO AE 09021", "address", "zip", "09021"),
    ("Ship it to PSC 4410, Box 2210 APO AE 09021", "address", "state", "AE"),
    ("Aune Lindqvist\n\n1217 Heiligenweg 58\n Suite 890", "name", "last", "Lindqvist"),
    ("Mr. Þórðarson called back.", "name", "last", "Þórðarson"),
    ("Patient: María T Higgins", "name", "first", "María"),
    ("What's your last name? Halvorsen", "name", "last", "Halvorsen"),
    ("Please stop sending messages to 0612 44 83 05", "phone", None, "0612448305"),
    ("Nobody is answering at 0643-6220971", "phone", None, "06436220971"),
]


@pytest.mark.parametrize(("text", "category", "field", "value"), POSITIVES)
def test_found(text: str, category: str, field: str | None, value: str) -> None:
    assert (field, value) in _found(text, category)


# (text, category, value or None): that value (None: anything) must not be found.
NEGATIVES = [
    ("Dr. Adams examined Peter Parker today.", "name", "Adams"),  # the provider
    ("Dr. Adams examined Peter Parker today.", "provider", "Peter Parker"),
    ("Seen by Dr. Sarah Connor, MD today", "name", None),
    ("Metformin was started last week.", "name", None),  # drug, capitalised
    ("Lisinopril is taken daily.", "name", None),
    ("Blood Pressure was taken", "name", None),
    ("Please log in to the Patient Portal to see results.", "name", None),
    ("Dear Valued Member,", "name", None),
    ("In March we moved the clinic.", "name", None),  # month
    ("April was a busy month.", "name", None),
    ("She moved here from France", "name", None),  # place
    ("Our offices are at the corner of Vambola 6 and Kruse Route", "name", None),
    ("Medicare is the primary payer.", "name", None),  # payer
    ("This is Internal Medicine calling.", "name", None),
    ("Blue Cross Blue Shield has approved the claim.", "name", None),
    ("The Emergency Department was busy.", "name", None),
    ("Coder: Linda Jones reviewed it", "name", None),  # staff
    ("MRN 555 123 4567", "phone", None),  # identifier label attached
    ("Member ID: 212-867-0147", "phone", None),
    ("Policy # 0049 30 1234567", "phone", None),
    ("keep getting address 86.146.93.221 blocked", "phone", None),  # IP address
    ("eGFR 91 mL/min/1.73m2 60-120 33914-3", "phone", None),  # lab range and LOINC
    ("Visit on 2024-03-05 and 2024 03 05", "phone", None),  # dates
    ("Invoice 2024 0315 7788 paid", "phone", None),  # grouped digits without a phone word
    ("Claim 123 456 789 was denied", "phone", None),
    ("ZIP 62704-1234 on file", "phone", None),
    ("Call us at 1-800-555-0199", "phone", None),  # the organisation's toll-free line
    ("SSN 219-45-6780", "phone", None),
    ("The patient walked 12 blocks, Springfield was cold.", "address", None),
    ("Thanks, Virginia", "address", None),  # a closing, no place word before
    ("I spoke to Dr. Smith, MD today", "address", None),  # a credential, not Maryland
    ("Back to Normal, Ohio was fine", "address", None),  # 'Normal': an ordinary word
    ("Take 2 Tablets 3 times daily", "address", None),  # numbered things, not streets
    ("The meeting is at 10 Conference Room 4", "address", None),
    ("Lot 12 Block 4 Suite 3", "address", None),
    ("Kastanienallee 9 Suite 12", "address", None),  # no house number first
    ("Ship to FPO AA 123", "address", None),  # military code without a ZIP
    ("Call me on 61 54 78", "phone", None),  # too short for a phone
    ("Invoice 0643-6220971 paid", "phone", None),  # trunk-0 number, no phone word
    ("Messages to 2024 03 05 were lost", "phone", None),  # a date after the cue
    ("What's your name? I forgot", "name", None),
    ("Mr. Þórðarson called back.", "provider", None),
    ("I used to work for Phoenix Global Mining Ltd as a checker.", "name", None),  # a firm
    ("The Limited Orchestra was founded in 1985.", "name", None),
]


@pytest.mark.parametrize(("text", "category", "value"), NEGATIVES)
def test_not_found(text: str, category: str, value: str | None) -> None:
    got = {v for _f, v in _found(text, category)}
    if value is None:
        assert not got, got
    else:
        assert value not in got


def test_more_negatives_than_positives() -> None:
    assert len(NEGATIVES) >= len(POSITIVES)


def test_escaped_line_breaks_are_breaks() -> None:
    text = r"Name: Oliver Karlsen\nPhone:\n819-570-4173\nE-mail:\nok@example.org"
    found = detect_text(text, today=T)
    assert ("phone", "+18195704173") in {(f.category, f.value) for f in found}
    for f in found:  # spans index the text as given
        assert f.start is not None and f.end is not None and f.end <= len(text)


def test_prose_name_spans_point_at_the_name() -> None:
    text = "Yesterday Kathryn is said to have called."
    for f in detect_text(text, today=T):
        if f.category == "name":
            assert text[f.start or 0 : f.end or 0] == f.value


# (text, how many times the surname must be found): a full name found in prose is found
# again where it is written in full; its surname alone is not (a street, a firm).
PROPAGATION = [
    ("Jørgen Egede explained the delay. Later the nurse phoned Jørgen Egede again.", 2),
    ("Jørgen Egede explained the delay. Egede Street is closed.", 1),
    ("Jørgen Egede explained the delay. The Egede Group sent flowers.", 1),
    ("Dr. Egede examined Jørgen Olsen. Jørgen Egede is his cousin.", 0),  # a provider's name
]


@pytest.mark.parametrize(("text", "times"), PROPAGATION)
def test_prose_names_propagate_in_full_only(text: str, times: int) -> None:
    found = [f for f in detect_text(text, today=T) if f.category == "name" and f.value == "Egede"]
    assert len(found) == times, found


# Round 3 of issue 4: names that only the sentence marks (``text_prose_names``). Hand-written
# cases: (text, a name value that must be found among the name findings).
SENTENCE_NAMES = [
    ("Kowalski and Jennings were both at the meeting.", "Kowalski"),  # coordination
    ("Kowalski and Jennings were both at the meeting.", "Jennings"),
    ("Our founders: Lopez, Valdez and Wheeler.", "Valdez"),  # a list of three names
    ("Delfina shouted at Lisa when the bus left.", "Lisa"),  # a given name alone
    ("Delfina shouted at Lisa when the bus left.", "Delfina"),  # a person's verb
    ("Anyway, Rebecca said no.", "Rebecca"),
    ("Thanks for coming, Matthew!", "Matthew"),  # vocative
    ("Henrik, can you sign the consent form?", "Henrik"),
    ("Teresa: Where is the pharmacy?", "Teresa"),  # speaker
    ("Kowalski: I disagree with the plan.", "Kowalski"),  # a surname as speaker
    ("It was Halina's son who called the clinic.", "Halina"),  # possessive + kin
    ("Dorota Wiśniewska's husband called twice.", "Wiśniewska"),
    ("Demidov began treatment in May.", "Demidov"),  # surname ending + person verb
    ("Petrenko lives with her daughter.", "Petrenko"),
    ("The nurse spoke with Takahashi Nakamura about it.", "Nakamura"),  # kana shape
    ("We invited Ingrid Halvorsen to the review.", "Halvorsen"),
    ("The complaint came from a Bożena Kowal relative.", "Kowal"),  # letters beyond ASCII
    ("Ryszard Nowakowski from Contoso Inc. will attend.", "Nowakowski"),
    ("She named him Bartosz", "Bartosz"),  # strong cue
    ("It is under my husband's name Radomir Kovačević.", "Kovačević"),
    ("Wojciech Zieliński\nNorthwind Traders Ltd\n12 Harbour Road", "Zieliński"),  # contact
    ("}} Wojciech Zieliński\n}} Northwind Traders Ltd", "Wojciech"),  # decorated lines
    ("Billing address: Greta Lindqvist\n 14 Elm Street\n Springfield", "Lindqvist"),
]

# Look-alikes: no name may be found in any of these.
SENTENCE_LOOKALIKES = [
    "We flew to Austin last spring.",  # a place that is a census given name
    "The referral went to Kyoto University Hospital.",
    "Return the forms to Fukuoka office by Monday.",  # kana shape, a place
    "Dosage is 10 mg daily.",  # kana-shaped English word
    "Smith and Wesson makes firearms.",
    "Results were reviewed with Cardiology, then sent.",
    "Everyone, please log in to the Patient Portal.",  # vocative look-alike
    "Thank you, Team!",
    "Note: Please bring your insurance card.",  # label, not a speaker
    "Plan: Continue current medications.",
    "Bell's palsy resolved after steroids.",  # possessive eponym
    "Apple's phone app was updated.",  # a firm's possessive
    "Medicare's coverage rules changed.",
    "Aspirin, Tylenol and Advil were given.",  # a list of drugs
    "Metformin and Lisinopril were started.",
    "Ask for Pharmacy, Radiology and Cardiology.",
    "She moved from Warsaw to Krakow in 2010.",  # places after place words
    "Our office is at Grace and 5th Avenue.",  # a corner
    "Meet me at Alice and 43 Rue Gafsa.",
    "The letter arrived at Harold this morning.",
    "Discharge Summary\nAcme Health Inc.\n12 Main St",  # headings above a firm
    "Progress Notes\nNorthwind Ltd\n12 Main St",
    "Alaska Airlines lost the bag.",  # surname endings in place names
    "Geneva Convention rules apply.",
    "Send it to the Rostov office.",
    "I love Dostoevsky novels.",
    "The Moscow Ballet performed on Sunday.",
    "Tokyo Olympics tickets were refunded.",
    "Victoria Station was closed.",  # place words after a given name
    "He was seen at Jordan Valley Medical Center.",
    "Seattle lives up to its reputation.",
    "Kaiser Permanente denied the claim.",
    "The Kaplan Meier curve shows survival.",
    "Grant, can you approve this?",  # a given name that is an ordinary word
    "The claim was filed under Sunday Health Plan.",
    "Lots 12 and 14 were sold, per Parker.",
    "Brand name Tylenol.",
    "The Nordic Mining ASA office moved.",
    "We met at the Mayo Clinic, in Rochester.",
    "The Princess Royal arrived at Hvalsø this morning.",
    # Roles heading the turns of a call log or a transcript (some are census surnames).
    "Caller: asked about the letter.\nAgent: explained the credit monitoring.",
    "Dispatcher: unit 4 respond.\nDriver: on my way.",
    "Interviewer: how old are you?\nRespondent: forty.",
    "Member: I lost my card.\nRep: I can help with that.",
    "Pharmacist: refill sent.\nTechnician: label printed.",
]


@pytest.mark.parametrize(("text", "value"), SENTENCE_NAMES)
def test_sentence_marks_a_name(text: str, value: str) -> None:
    got = {f.value for f in detect_text(text, today=T) if f.category == "name"}
    assert value in got, got


@pytest.mark.parametrize("text", SENTENCE_LOOKALIKES)
def test_sentence_lookalike_is_no_name(text: str) -> None:
    got = [(f.field, f.value) for f in detect_text(text, today=T) if f.category == "name"]
    assert not got, got


def test_more_lookalikes_than_sentence_names() -> None:
    assert len(SENTENCE_LOOKALIKES) >= len(SENTENCE_NAMES)


@pytest.mark.parametrize(
    ("word", "shaped"),
    [
        ("Demidov", True), ("Kowalski", True), ("Halvorsen", True), ("Karlsson", True),
        ("Petrenko", True), ("Virtanen", True), ("Nakahara", True), ("Ootsuki", True),
        ("Dosage", False), ("Lesson", False), ("Alaska", False), ("Geneva", False),
        ("Christian", False), ("Linen", False), ("Tomato", True), ("Smith", False),
    ],
)  # fmt: skip
def test_name_shape(word: str, shaped: bool) -> None:
    # "Tomato" has the kana shape: the shape is evidence only, never enough alone.
    assert name_shape(word) is shaped
