"""The ``obligations`` table as notify reads it (assess writes it; see docs/obligations.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

_COLS = (
    "obligation_id",
    "client_id",
    "regime",
    "jurisdiction",
    "duty_holder",
    "obligation",
    "recipient",
    "agency",
    "triggered",
    "triggered_count",
    "triggered_elements",
    "triggered_by",
    "threshold",
    "due",
    "due_text",
    "day_kind",
    "anchor",
    "citation",
    "rule_id",
    "credit_monitoring_months",
    "content_requirements",
    "prohibitions",
    "notes",
    "earliest_binding",
)


@dataclass(frozen=True)
class Duty:
    """One obligation record."""

    obligation_id: str
    client_id: str
    regime: str
    jurisdiction: str
    duty_holder: str
    obligation: str
    recipient: str
    agency: str
    triggered: bool
    triggered_count: int
    triggered_elements: tuple[str, ...]
    triggered_by: str
    threshold: str
    due: dt.date | None
    due_text: str
    day_kind: str
    anchor: str
    citation: str
    rule_id: str
    credit_monitoring_months: int | None
    content_requirements: tuple[str, ...]
    prohibitions: tuple[str, ...]
    notes: str
    earliest_binding: bool

    @property
    def label(self) -> str:
        """A short human title: 'HIPAA individual notice (CA)'."""
        what = self.obligation.replace("_", " ")
        where = f" ({self.jurisdiction})" if self.jurisdiction else ""
        return f"{self.regime} {what}{where}"


def load_duties(con: duckdb.DuckDBPyConnection, *, triggered_only: bool = True) -> list[Duty]:
    """Obligation records in the engine's order (empty when assess has not run)."""
    where = "WHERE triggered" if triggered_only else ""
    rows = con.execute(
        f"SELECT {', '.join(_COLS)} FROM obligations {where} ORDER BY seq"
    ).fetchall()
    out: list[Duty] = []
    for r in rows:
        d = dict(zip(_COLS, r, strict=True))
        out.append(
            Duty(
                obligation_id=str(d["obligation_id"]),
                client_id=str(d["client_id"]),
                regime=str(d["regime"]),
                jurisdiction=str(d["jurisdiction"] or ""),
                duty_holder=str(d["duty_holder"]),
                obligation=str(d["obligation"]),
                recipient=str(d["recipient"]),
                agency=str(d["agency"] or ""),
                triggered=bool(d["triggered"]),
                triggered_count=int(d["triggered_count"] or 0),
                triggered_elements=tuple(d["triggered_elements"] or ()),
                triggered_by=str(d["triggered_by"] or ""),
                threshold=str(d["threshold"] or ""),
                due=d["due"] if isinstance(d["due"], dt.date) else None,
                due_text=str(d["due_text"] or ""),
                day_kind=str(d["day_kind"] or ""),
                anchor=str(d["anchor"] or ""),
                citation=str(d["citation"]),
                rule_id=str(d["rule_id"]),
                credit_monitoring_months=(
                    int(d["credit_monitoring_months"])
                    if d["credit_monitoring_months"] is not None
                    else None
                ),
                content_requirements=tuple(d["content_requirements"] or ()),
                prohibitions=tuple(d["prohibitions"] or ()),
                notes=str(d["notes"] or ""),
                earliest_binding=bool(d["earliest_binding"]),
            )
        )
    return out
