"""Pure rules on attendance (RULES.md "Sanctions (configurable ladder)"; issue 3), and on planning
meetings and choosing their place (RULES.md "P2K2 / FDS curriculum").

The attendance sequence is a family's own marks at *held* group meetings, ordered by meeting date across
every group it belonged to (a family that moved keeps its count). Cancelled meetings are not in
the sequence: they count for no one. ``alpa`` counts; ``izin`` neither counts nor resets;
``hadir`` resets the run to zero.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Mapping, Sequence

HADIR = "hadir"
IZIN = "izin"
ALPA = "alpa"


def consecutive_unexcused_absences(marks_in_group_order: Sequence[str]) -> int:
    """The trailing run of ``alpa`` (``izin`` skipped, ``hadir`` ends the run)."""
    run = 0
    for mark in reversed(marks_in_group_order):
        if mark == HADIR:
            break
        if mark == ALPA:
            run += 1
    return run


def trailing_alpa_positions(marks_in_group_order: Sequence[str]) -> list[int]:
    """Indexes (in order) of the ``alpa`` marks that make up the trailing run."""
    out: list[int] = []
    for i in range(len(marks_in_group_order) - 1, -1, -1):
        mark = marks_in_group_order[i]
        if mark == HADIR:
            break
        if mark == ALPA:
            out.append(i)
    return out[::-1]


def flags_due(run: int, *, absence_threshold: int, non_eligible_threshold: int) -> set[str]:
    """Flag kinds a family with ``run`` consecutive alpa should have open."""
    due: set[str] = set()
    if run >= absence_threshold:
        due.add("penangguhan")
    if run >= non_eligible_threshold:
        due.add("usul_non_eligible")
    return due


def venue_failed_criteria(criteria: Mapping[str, bool]) -> list[str]:
    """The venue criteria a place does not meet; it is layak when none fail (RULES.md "P2K2 / FDS
    curriculum", Venue: easy to reach, large enough, fit to present material, away from busy
    roads, markets, schools)."""
    return [name for name, met in criteria.items() if not met]


def venue_too_small(capacity: int | None, families: int) -> bool:
    """A place whose known capacity is below the group's family count (one carer of each family
    attends, RULES.md "P2K2 / FDS curriculum"); an unknown capacity is not judged."""
    return capacity is not None and capacity < families


def times_overlap(start_a: dt.time, minutes_a: int, start_b: dt.time, minutes_b: int) -> bool:
    """Two meetings on one day overlap when each starts before the other ends (a pendamping
    cannot lead both; a meeting lasts ~2 hours, RULES.md "P2K2 / FDS curriculum")."""
    a = start_a.hour * 60 + start_a.minute
    b = start_b.hour * 60 + start_b.minute
    return a < b + max(minutes_b, 1) and b < a + max(minutes_a, 1)


def plan_days(year: int, month: int, *, first_day: int, weekdays: Collection[int]) -> list[dt.date]:
    """The month's meeting days in the order a plan tries them: working days (``weekdays``,
    Monday = 0) from ``first_day`` to the month's end, then the earlier ones."""
    last = calendar.monthrange(year, month)[1]
    start = max(1, min(first_day, last))
    order = [*range(start, last + 1), *range(1, start)]
    return [dt.date(year, month, d) for d in order if dt.date(year, month, d).weekday() in weekdays]


def plan_day(
    year: int, month: int, *, slot: int, busy: Collection[dt.date], first_day: int, weekdays: Collection[int]
) -> dt.date:
    """The day of a group's monthly meeting: its pendamping's ``slot``-th working day from
    ``first_day`` (slot = the group's place among the pendamping's groups), moved on to the next
    working day the pendamping has no other meeting (RULES.md "P2K2 / FDS curriculum": one
    meeting a month per group; a pendamping with several groups holds several a month)."""
    days = plan_days(year, month, first_day=first_day, weekdays=weekdays)
    if not days:
        return dt.date(year, month, min(max(first_day, 1), 28))
    for i in range(len(days)):
        day = days[(slot + i) % len(days)]
        if day not in busy:
            return day
    return days[slot % len(days)]


def teaching_order_breaks(sequence: Sequence[tuple[str, tuple[int, int]] | None]) -> list[tuple[int, int]]:
    """Pairs (i, j) of meetings, in date order, where meeting j teaches a session that comes before
    meeting i's, i being the previous meeting on the same track (RULES.md "P2K2 / FDS curriculum":
    five modules, fourteen sessions, taught in order). ``sequence`` holds per meeting its
    (track, (module order, session order)), or None without a session; the national modules are one
    track, each FDS fokus or muatan lokal module its own. Teaching a session again is not a break."""
    last: dict[str, int] = {}
    breaks: list[tuple[int, int]] = []
    for j, item in enumerate(sequence):
        if item is None:
            continue
        track, position = item
        i = last.get(track)
        if i is not None:
            before = sequence[i]
            if before is not None and before[1] > position:
                breaks.append((i, j))
        last[track] = j
    return breaks
