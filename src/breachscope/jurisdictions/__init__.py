"""The law as data: HIPAA and the 54 US jurisdictions' breach-notification rules.

One validated TOML file per jurisdiction (``data/<code>.toml``) plus ``data/hipaa.toml``.
"""

from breachscope.jurisdictions.loader import (
    CODES,
    JurisdictionDataError,
    data_dir,
    load,
    load_all,
    load_file,
    load_hipaa,
    parse_hipaa,
    parse_jurisdiction,
)
from breachscope.jurisdictions.model import HipaaRule, HipaaRules, Jurisdiction

__all__ = [
    "CODES",
    "HipaaRule",
    "HipaaRules",
    "Jurisdiction",
    "JurisdictionDataError",
    "data_dir",
    "load",
    "load_all",
    "load_file",
    "load_hipaa",
    "parse_hipaa",
    "parse_jurisdiction",
]
