"""What-if mode: obligations for a hypothetical breach, before the data mining is done.

A scenario file (TOML)::

    discovery_date = 2025-02-06
    role = "business_associate"      # or "covered_entity"
    hipaa = true                     # the data is PHI of a HIPAA covered entity
    elements = ["name", "ssn", "dob", "diagnosis"]
    encrypted = false
    [residents]                      # affected people per jurisdiction ("unknown" allowed)
    CA = 600
    TX = 300

Optional: ``client_name``, ``client_kind`` (provider, health_plan …), per-state tables
``[unreachable]``, ``[minors]``, ``[deceased]``, and the facts a case's ``[assess]`` table
takes (``determination_date``, ``key_compromised``, ``[law_enforcement_delay]``,
``[risk_assessment]``, ``no_harm_states`` …; see docs/jurisdictions.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Any, Final

from breachscope.assess.engine import assess
from breachscope.assess.facts import (
    OPTION_KEYS,
    ROLES,
    UNKNOWN_STATE,
    AssessInputError,
    Entity,
    Group,
    Population,
    Problems,
    parse_options,
)
from breachscope.case import CLIENT_KINDS
from breachscope.categories import ELEMENT_SET, ELEMENTS
from breachscope.jurisdictions.loader import CODES

SCENARIO_KEYS: Final = (
    frozenset(
        {
            "discovery_date",
            "role",
            "hipaa",
            "elements",
            "residents",
            "unreachable",
            "minors",
            "deceased",
            "client_name",
            "client_kind",
        }
    )
    | OPTION_KEYS
)


def _counts(raw: Any, key: str, p: Problems) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        p.add(f"'{key}' must be a table of jurisdiction = count")
        return {}
    out: dict[str, int] = {}
    for code, n in raw.items():
        c = code.upper() if code.lower() != UNKNOWN_STATE else UNKNOWN_STATE
        if c not in CODES and c != UNKNOWN_STATE:
            p.add(
                f"'{key}.{code}' is not a US jurisdiction code (50 states, DC, PR, GU, VI, or 'unknown')"
            )
            continue
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            p.add(f"'{key}.{code}' must be a whole number, 0 or more")
            continue
        out[c] = out.get(c, 0) + n
    return out


def load_scenario(source: str | os.PathLike[str] | dict[str, Any]) -> tuple[list[Population], Any]:
    """Validate a scenario; raise AssessInputError listing every problem."""
    if isinstance(source, dict):
        data, name = source, "scenario"
    else:
        path = Path(source)
        name = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise AssessInputError(name, ["scenario file not found"]) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise AssessInputError(name, [f"cannot read: {type(exc).__name__}"]) from None
        except tomllib.TOMLDecodeError as exc:
            raise AssessInputError(name, [f"not valid TOML: {exc}"]) from None
    p = Problems()
    for k in data:
        if k not in SCENARIO_KEYS:
            p.add(f"unknown key '{k}'")

    discovery = data.get("discovery_date")
    if isinstance(discovery, str):
        with contextlib.suppress(ValueError):
            discovery = dt.date.fromisoformat(discovery)
    if "discovery_date" not in data:
        p.add("missing key 'discovery_date'")
    elif isinstance(discovery, dt.datetime) or not isinstance(discovery, dt.date):
        p.add("'discovery_date' must be a date (YYYY-MM-DD)")
    if not isinstance(discovery, dt.date) or isinstance(discovery, dt.datetime):
        discovery = dt.date(1970, 1, 1)

    role = data.get("role", "covered_entity")
    if role not in ROLES:
        p.add(f"'role' must be one of {', '.join(ROLES)}; got {role!r}")
        role = "covered_entity"
    hipaa = data.get("hipaa", True)
    if not isinstance(hipaa, bool):
        p.add("'hipaa' must be true or false")
        hipaa = True

    elements = data.get("elements")
    if elements is None:
        p.add("missing key 'elements'")
        elements = []
    elif not isinstance(elements, list) or any(not isinstance(e, str) for e in elements):
        p.add("'elements' must be a list of element categories")
        elements = []
    bad = [e for e in elements if e not in ELEMENT_SET]
    if bad:
        p.add(
            f"unknown element categor{'ies' if len(bad) > 1 else 'y'} {', '.join(bad)} (use: {', '.join(ELEMENTS)})"
        )
    exposed = frozenset(e for e in elements if e in ELEMENT_SET)

    if "residents" not in data:
        p.add("missing table [residents]")
    residents = _counts(data.get("residents"), "residents", p)
    extra = {k: _counts(data.get(k), k, p) for k in ("unreachable", "minors", "deceased")}
    for k, table in extra.items():
        for code, n in table.items():
            if n > residents.get(code, 0):
                p.add(
                    f"'{k}.{code}' ({n}) is more than residents.{code} ({residents.get(code, 0)})"
                )

    kind = data.get("client_kind", "other")
    if kind not in CLIENT_KINDS:
        p.add(f"'client_kind' must be one of {', '.join(CLIENT_KINDS)}")
        kind = "other"
    client_name = data.get("client_name", "covered entity")
    if not isinstance(client_name, str):
        p.add("'client_name' must be text")
        client_name = "covered entity"

    facts = parse_options(data, p, discovery=discovery, role=str(role))
    if p.items:
        raise AssessInputError(name, p.items)
    groups = tuple(
        Group(
            state=code,
            elements=exposed,
            count=n,
            minors=extra["minors"].get(code, 0),
            deceased=extra["deceased"].get(code, 0),
            unreachable=extra["unreachable"].get(code, 0),
        )
        for code, n in sorted(residents.items())
        if n > 0
    )
    entity = Entity(client_id="scenario", name=client_name, hipaa=hipaa, kind=str(kind))
    return [Population(entity, groups)], facts


def assess_scenario(source: str | os.PathLike[str] | dict[str, Any]) -> list[dict[str, Any]]:
    """The obligation records (as JSON-ready dicts) for a scenario file or dict."""
    pops, facts = load_scenario(source)
    return [o.to_dict() for o in assess(pops, facts)]
