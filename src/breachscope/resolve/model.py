"""The probabilistic model of who is who: Splink comparisons, blocking and priors.

Engine-neutral: everything here is a Splink *creator* (dialect-free until a backend asks
for SQL) or portable SQL, so the same model runs on DuckDB and Spark. The priors are the
model's fallback: a case too small to train on uses them as they are; a large case
re-estimates u by random sampling and m by EM, starting from them.

Input columns (one row per distinct identity): unique_id, first, first_keys (array),
first_init, first_inits (array), middle, last, last_sx, dob / dob_swap (ISO strings), dob_y / dob_m / dob_d, ssn, ssn4,
street, zip, phone, email, member_id, mrn, gender.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Below this many distinct identities the case's own data is too thin to train on.
MIN_TRAINING_RECORDS = 2000


def _mu(m: float, weight_bits: float) -> tuple[float, float]:
    return m, m / (2.0**weight_bits)


def _configured(level: Any, m: float, bits: float, **kw: Any) -> Any:
    mm, uu = _mu(m, bits)
    return level.configure(m_probability=mm, u_probability=min(uu, 0.999999), **kw)


@dataclass(frozen=True)
class ModelSpec:
    """What the engine needs: Splink settings plus the rules to train on."""

    settings: Any  # splink SettingsCreator
    training_rules: tuple[Any, ...]
    train: bool
    n_records: int


def prior_match_probability(n_records: int) -> float:
    """Chance two random mentions are one person: about 2 / N, floored for tiny cases.

    The floor keeps a 5-mention case from treating every pair as likely: the model's u
    values describe a real population, so its prior must too.
    """
    return min(1e-4, 2.0 / max(n_records, 1))


def comparisons(*, term_frequencies: bool, personal_member_ids: bool = False) -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def tf(col: str) -> dict[str, Any]:
        return (
            {"tf_adjustment_column": col, "tf_adjustment_weight": 1.0} if term_frequencies else {}
        )

    first = cl.CustomComparison(
        output_column_name="first",
        comparison_levels=[
            cll.NullLevel("first"),
            _configured(cll.ExactMatchLevel("first"), 0.70, 7.0, **tf("first")),
            _configured(cll.ColumnsReversedLevel("first", "last"), 0.02, 9.0),
            _configured(cll.ArrayIntersectLevel("first_keys", 1), 0.10, 6.0),
            _configured(cll.JaroWinklerLevel("first", 0.92), 0.08, 4.0),
            _configured(cll.JaroWinklerLevel("first", 0.80), 0.03, 1.5),
            _configured(
                cll.And(
                    cll.CustomLevel("length(first_l) = 1 OR length(first_r) = 1"),
                    cll.ArrayIntersectLevel("first_inits", 1),
                ),
                0.03,
                0.5,
            ),
            _configured(cll.ElseLevel(), 0.04, -4.5),
        ],
        comparison_description="first name",
    )
    last = cl.CustomComparison(
        output_column_name="last",
        comparison_levels=[
            cll.NullLevel("last"),
            _configured(cll.ExactMatchLevel("last"), 0.85, 8.5, **tf("last")),
            _configured(cll.ColumnsReversedLevel("first", "last"), 0.02, 9.0),
            _configured(cll.JaroWinklerLevel("last", 0.92), 0.07, 5.0),
            _configured(cll.JaroWinklerLevel("last", 0.80), 0.02, 1.0),
            _configured(cll.ElseLevel(), 0.04, -4.5),
        ],
        comparison_description="last name",
    )
    same_parts = (
        "(CASE WHEN dob_y_l = dob_y_r THEN 1 ELSE 0 END"
        " + CASE WHEN dob_m_l = dob_m_r THEN 1 ELSE 0 END"
        " + CASE WHEN dob_d_l = dob_d_r THEN 1 ELSE 0 END) = 2"
    )
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob"),
            _configured(cll.ExactMatchLevel("dob"), 0.90, 11.0),
            _configured(
                cll.CustomLevel("dob_l = dob_swap_r", label_for_charts="day and month swapped"),
                0.02,
                8.0,
            ),
            _configured(cll.DamerauLevenshteinLevel("dob", 1), 0.04, 5.0),
            _configured(
                cll.CustomLevel(same_parts, label_for_charts="one of year/month/day differs"),
                0.03,
                2.0,
            ),
            _configured(cll.ElseLevel(), 0.01, -6.5),
        ],
        comparison_description="date of birth",
    )
    ssn = cl.CustomComparison(
        output_column_name="ssn",
        comparison_levels=[
            cll.CustomLevel("ssn4_l IS NULL OR ssn4_r IS NULL").configure(is_null_level=True),
            _configured(cll.ExactMatchLevel("ssn"), 0.95, 14.0),
            _configured(
                cll.CustomLevel(
                    "ssn4_l = ssn4_r AND (ssn_l IS NULL OR ssn_r IS NULL)",
                    label_for_charts="last four digits match",
                ),
                0.02,
                8.0,
            ),
            _configured(cll.DamerauLevenshteinLevel("ssn", 1), 0.01, 4.0),
            _configured(cll.ElseLevel(), 0.02, -8.0),
        ],
        comparison_description="social security number",
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.CustomLevel(
                "(street_l IS NULL OR street_r IS NULL) AND (zip_l IS NULL OR zip_r IS NULL)"
            ).configure(is_null_level=True),
            _configured(
                cll.And(cll.ExactMatchLevel("street"), cll.ExactMatchLevel("zip")), 0.55, 10.0
            ),
            _configured(
                cll.And(cll.JaroWinklerLevel("street", 0.90), cll.ExactMatchLevel("zip")),
                0.08,
                8.0,
            ),
            _configured(cll.ExactMatchLevel("street"), 0.05, 7.0),
            _configured(cll.ExactMatchLevel("zip"), 0.07, 3.0),
            _configured(cll.ElseLevel(), 0.25, -1.5),
        ],
        comparison_description="address",
    )

    # A middle name is often an initial: the same initial is weak evidence, a different one
    # strong evidence against (a parent and a child named alike rarely share it).
    middle = cl.CustomComparison(
        output_column_name="middle",
        comparison_levels=[
            cll.NullLevel("middle"),
            _configured(cll.CustomLevel("middle_l = middle_r AND length(middle_l) > 1"), 0.45, 6.0),
            _configured(
                cll.CustomLevel(
                    "substr(middle_l, 1, 1) = substr(middle_r, 1, 1)",
                    label_for_charts="same initial",
                ),
                0.5,
                2.5,
            ),
            _configured(cll.ElseLevel(), 0.05, -3.5),
        ],
        comparison_description="middle name",
    )

    def exact(col: str, m: float, bits: float, else_bits: float, label: str) -> Any:
        return cl.CustomComparison(
            output_column_name=col,
            comparison_levels=[
                cll.NullLevel(col),
                _configured(cll.ExactMatchLevel(col), m, bits),
                _configured(cll.ElseLevel(), 1.0 - m, else_bits),
            ],
            comparison_description=label,
        )

    member_id = exact("member_id", 0.60, 11.0, -0.5, "member ID")
    if personal_member_ids:
        # A personal ID mistyped is still evidence; a family's IDs are not compared this
        # way, since dependants' IDs often differ from the subscriber's by a digit. The
        # priors are modest because sequential IDs put strangers a digit or two apart;
        # a trained model measures how often that happens in the case.
        member_id = cl.CustomComparison(
            output_column_name="member_id",
            comparison_levels=[
                cll.NullLevel("member_id"),
                _configured(cll.ExactMatchLevel("member_id"), 0.80, 11.0),
                _configured(cll.DamerauLevenshteinLevel("member_id", 1), 0.10, 5.0),
                _configured(cll.DamerauLevenshteinLevel("member_id", 2), 0.05, 2.0),
                _configured(cll.ElseLevel(), 0.05, -3.0),
            ],
            comparison_description="member ID (personal)",
        )
    return [
        first,
        middle,
        last,
        dob,
        ssn,
        address,
        exact("phone", 0.75, 8.0, -0.7, "phone"),
        exact("email", 0.80, 11.0, -0.7, "e-mail"),
        member_id,
        exact("mrn", 0.60, 12.0, -0.5, "medical record number"),
        exact("gender", 0.97, 1.0, -3.0, "gender"),
    ]


# A common full name, or a birth date, is shared by more people the larger the case, so
# blocks on them alone grow quadratically. Each is narrowed by a second, typo-tolerant
# piece of evidence (portable SQL, so Spark runs the same rules):
# - the same full name with a compatible DOB: one side unknown, the same year, or the same
#   month and day (a mistyped year);
_NAME_AND_DOB_CLOSE = (
    "l.last = r.last AND l.first = r.first AND (l.dob IS NULL OR r.dob IS NULL"
    " OR l.dob_y = r.dob_y OR (l.dob_m = r.dob_m AND l.dob_d = r.dob_d))"
)
# - the same DOB (or day/month swapped) and first name start, plus the first three letters
#   of the first name or the ZIP (a married name: new surname, same first name or home).
_FIRST_CLOSE = (
    "(substr(l.first, 1, 3) = substr(r.first, 1, 3) OR l.zip = r.zip OR l.street = r.street)"
)


def blocking_rules(*, noisy_source: bool = False) -> list[Any]:
    """Blocks that keep the candidate pairs near-linear in the number of mentions.

    A noisy source (``rules.family_vetoes_are_noise``) replaces first names, birth dates
    and IDs, so it also blocks on the DOB at one ZIP, the first name at one ZIP, the full
    name whatever the DOB, and an ID prefix with the surname's Soundex. These are wider
    blocks, kept out of ordinary healthcare cases."""
    from splink import block_on

    noisy = (
        [
            block_on("dob", "zip"),
            block_on("zip", "first"),
            block_on("first", "last"),
            "substr(l.member_id, 1, 5) = substr(r.member_id, 1, 5) AND l.last_sx = r.last_sx",
        ]
        if noisy_source
        else []
    )
    return [
        block_on("ssn"),
        block_on("dob", "last_sx"),
        f"l.dob = r.dob AND l.first_init = r.first_init AND {_FIRST_CLOSE}",
        block_on("zip", "last_sx"),
        block_on("street", "zip"),
        block_on("street", "first_init"),
        block_on("member_id"),
        block_on("mrn"),
        block_on("phone"),
        block_on("email"),
        _NAME_AND_DOB_CLOSE,
        block_on("ssn4", "dob"),
        block_on("ssn4", "last_sx"),
        "l.first = r.last AND l.last = r.first",
        "l.dob_swap = r.dob AND l.last_sx = r.last_sx",
        f"l.dob_swap = r.dob AND l.first_init = r.first_init AND {_FIRST_CLOSE}",
        *noisy,
    ]


def model_spec(
    n_records: int,
    *,
    train: bool | None = None,
    personal_member_ids: bool = False,
    noisy_source: bool = False,
) -> ModelSpec:
    """The model for a case with ``n_records`` distinct identities; ``personal_member_ids``
    when the case's member IDs identify a person (``rules.member_ids_are_personal``),
    ``noisy_source`` when its family patterns are noise (``rules.family_vetoes_are_noise``).
    """
    from splink import SettingsCreator, block_on

    big = n_records >= MIN_TRAINING_RECORDS
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(term_frequencies=big, personal_member_ids=personal_member_ids),
        blocking_rules_to_generate_predictions=blocking_rules(noisy_source=noisy_source),
        probability_two_random_records_match=prior_match_probability(n_records),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=20,
    )
    return ModelSpec(
        settings=settings,
        training_rules=(block_on("dob"), block_on("last", "first"), block_on("zip", "last_sx")),
        train=big if train is None else train,
        n_records=n_records,
    )
