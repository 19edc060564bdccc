"""The deadlines calendar: one all-day event per triggered obligation with a due date."""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from breachscope.case import Case
from breachscope.notify.duties import Duty


def deadlines_ics(case: Case, duties: list[Duty], *, stamp: dt.datetime | None = None) -> bytes:
    """An iCalendar file of every triggered obligation's deadline, with its citation."""
    cal = Calendar()
    cal.add("prodid", "-//breachscope//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Breach deadlines: {case.incident.name}"[:120])
    names = {c.id: c.name for c in case.clients}
    now = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    for d in duties:
        if not d.triggered or d.due is None:
            continue
        ev = Event()
        who = names.get(d.client_id, d.client_id)
        ev.add("uid", f"{d.obligation_id}@breachscope")
        ev.add("dtstamp", now)
        ev.add("dtstart", d.due)
        ev.add("dtend", d.due + dt.timedelta(days=1))
        ev.add("summary", f"DUE: {d.label} - {who}")
        lines = [
            f"Obligation: {d.obligation.replace('_', ' ')} ({d.duty_holder.replace('_', ' ')})",
            f"Recipient: {d.agency or d.recipient}",
            f"Covered entity: {who}",
            f"Deadline: {d.due_text}",
            f"Citation: {d.citation} [{d.rule_id}]",
            f"Triggered: {d.triggered_by}",
        ]
        if d.earliest_binding:
            lines.append("Earliest binding deadline for this recipient.")
        ev.add("description", "\n".join(lines))
        ev.add("categories", [d.regime, d.obligation])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"7 days left: {d.label}")
        alarm.add("trigger", dt.timedelta(days=-7))
        ev.add_component(alarm)
        cal.add_component(ev)
    return bytes(cal.to_ical())
