"""The minimal case file the CLI, security and fuzz tests start from."""

from __future__ import annotations

_BASE = """\
evidence = "evidence"

[incident]
name = "{name}"
discovery_date = 2025-02-06
access_start = 2025-01-27
access_end = 2025-02-06

[reporting_entity]
name = "Vendor LLC"
role = "business_associate"

[[clients]]
id = "north"
name = "North Clinic"
kind = "provider"
covered_entity = true
paths = ["{north_paths}"]
"""

_PLAN = """
[[clients]]
id = "plan"
name = "Blue Lake Health Plan"
kind = "health_plan"
covered_entity = true
paths = ["plan/**"]
"""


def case_toml(
    name: str, *, north_paths: str = "north/**", plan: bool = False, tail: str = ""
) -> str:
    """A valid case file: one provider client (``north``), optionally a health plan
    (``plan``), then ``tail`` verbatim (e.g. a ``[settings]`` table)."""
    text = _BASE.format(name=name, north_paths=north_paths)
    if plan:
        text += _PLAN
    return text + tail
