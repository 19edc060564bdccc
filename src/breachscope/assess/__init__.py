"""The assess stage: what the law requires, per covered entity and regime.

Public names only; the logic lives in the submodules.
"""

from breachscope.assess.engine import assess, mark_earliest, run_assess, write_obligations
from breachscope.assess.facts import AssessInputError, Entity, Facts, Group, Population
from breachscope.assess.record import COLUMNS, OBLIGATIONS, Obligation
from breachscope.assess.scenario import assess_scenario, load_scenario

__all__ = [
    "COLUMNS",
    "OBLIGATIONS",
    "AssessInputError",
    "Entity",
    "Facts",
    "Group",
    "Obligation",
    "Population",
    "assess",
    "assess_scenario",
    "load_scenario",
    "mark_earliest",
    "run_assess",
    "write_obligations",
]
