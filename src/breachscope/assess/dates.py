"""Deadline arithmetic.

Calendar days never roll over a weekend or holiday: the statutes that say "days" mean
calendar days and give no roll-over, so a due date can fall on a Saturday. Business days
skip Saturdays and Sundays only. Federal holidays are *not* skipped by default: counting a
holiday as a business day can only make a due date earlier, which is the safe side for a
notification calendar. Pass ``holidays=True`` to skip US federal holidays (observed dates).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

ONE_DAY = dt.timedelta(days=1)


def add_days(
    start: dt.date, days: int, day_kind: str = "calendar", *, holidays: bool = False
) -> dt.date:
    """``start`` plus ``days`` calendar or business days."""
    if day_kind == "business":
        return add_business_days(start, days, holidays=holidays)
    return start + dt.timedelta(days=days)


def add_business_days(start: dt.date, days: int, *, holidays: bool = False) -> dt.date:
    """The ``days``-th business day after ``start`` (weekends, optionally holidays, skipped)."""
    d = start
    left = days
    while left > 0:
        d += ONE_DAY
        if d.weekday() < 5 and not (holidays and d in federal_holidays(d.year)):
            left -= 1
    return d


def year_end_plus(day: dt.date, days: int) -> dt.date:
    """``days`` after 31 December of ``day``'s year (HIPAA's < 500 annual report).

    60 days after 31 December is 1 March, or 29 February when the next year is a leap year.
    """
    return dt.date(day.year, 12, 31) + dt.timedelta(days=days)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(weekday - d.weekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    d = dt.date(year, month + 1, 1) - ONE_DAY if month < 12 else dt.date(year, 12, 31)
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


def _observed(d: dt.date) -> dt.date:
    if d.weekday() == 5:
        return d - ONE_DAY
    if d.weekday() == 6:
        return d + ONE_DAY
    return d


@cache
def federal_holidays(year: int) -> frozenset[dt.date]:
    """US federal holidays (5 U.S.C. § 6103) as observed in ``year``."""
    fixed = [dt.date(year, 1, 1), dt.date(year, 7, 4), dt.date(year, 11, 11), dt.date(year, 12, 25)]
    if year >= 2021:
        fixed.append(dt.date(year, 6, 19))
    days = {_observed(d) for d in fixed}
    days |= {
        _nth_weekday(year, 1, 0, 3),  # Martin Luther King Jr. Day
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        _last_weekday(year, 5, 0),  # Memorial Day
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving
    }
    # New Year's Day of the next year observed on 31 December.
    if dt.date(year + 1, 1, 1).weekday() == 5:
        days.add(dt.date(year, 12, 31))
    return frozenset(days)
