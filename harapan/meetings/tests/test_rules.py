"""RULES.md "Sanctions (configurable ladder)" (issue 3): the trailing run of unexcused absences;
RULES.md "P2K2 / FDS curriculum": meeting places, days and teaching order."""

from __future__ import annotations

import datetime as dt

from harapan.meetings.rules import (
    consecutive_unexcused_absences,
    flags_due,
    plan_day,
    plan_days,
    teaching_order_breaks,
    times_overlap,
    trailing_alpa_positions,
    venue_failed_criteria,
    venue_too_small,
)


def test_trailing_alpa_are_counted() -> None:
    assert consecutive_unexcused_absences(["hadir", "alpa", "alpa", "alpa"]) == 3
    assert consecutive_unexcused_absences([]) == 0


def test_izin_neither_counts_nor_resets() -> None:
    assert consecutive_unexcused_absences(["alpa", "izin", "alpa", "izin"]) == 2
    assert trailing_alpa_positions(["hadir", "alpa", "izin", "alpa"]) == [1, 3]


def test_hadir_resets_the_run() -> None:
    assert consecutive_unexcused_absences(["alpa", "alpa", "alpa", "hadir"]) == 0
    assert consecutive_unexcused_absences(["alpa", "alpa", "hadir", "alpa"]) == 1


def test_flags_due_at_each_threshold() -> None:
    assert flags_due(2, absence_threshold=3, non_eligible_threshold=6) == set()
    assert flags_due(3, absence_threshold=3, non_eligible_threshold=6) == {"penangguhan"}
    assert flags_due(6, absence_threshold=3, non_eligible_threshold=6) == {"penangguhan", "usul_non_eligible"}


# RULES.md "P2K2 / FDS curriculum": venue criteria, meeting length, one meeting a month per group,
# a pendamping with several groups holding several meetings a month, modules taught in order.

WEEKDAYS = {0, 1, 2, 3, 4}


def test_a_venue_is_layak_only_when_every_criterion_holds() -> None:
    assert venue_failed_criteria({"easy_to_reach": True, "large_enough": True}) == []
    assert venue_failed_criteria({"easy_to_reach": True, "large_enough": False, "quiet": False}) == [
        "large_enough",
        "quiet",
    ]


def test_a_venue_smaller_than_the_group_is_flagged_and_unknown_capacity_is_not() -> None:
    assert venue_too_small(20, 32)
    assert not venue_too_small(32, 32)
    assert not venue_too_small(None, 32)


def test_meetings_overlap_while_one_has_not_ended() -> None:
    nine, ten, eleven = dt.time(9), dt.time(10), dt.time(11)
    assert times_overlap(nine, 120, ten, 120)
    assert times_overlap(ten, 120, nine, 120)
    assert not times_overlap(nine, 120, eleven, 120)
    assert times_overlap(nine, 120, nine, 120)


def test_plan_days_are_working_days_from_the_default_day_then_the_earlier_ones() -> None:
    days = plan_days(2026, 3, first_day=10, weekdays=WEEKDAYS)
    assert days[0] == dt.date(2026, 3, 10)  # a Tuesday
    assert all(d.weekday() < 5 for d in days)
    assert days.index(dt.date(2026, 3, 31)) < days.index(dt.date(2026, 3, 2))
    assert len(days) == 22
    # Day 31 of February is its last day, the 28th, a Saturday: the plan wraps to Monday the 2nd.
    assert plan_days(2026, 2, first_day=31, weekdays=WEEKDAYS)[0] == dt.date(2026, 2, 2)


def test_each_group_of_a_pendamping_gets_its_own_free_day() -> None:
    first = plan_day(2026, 3, slot=0, busy=set(), first_day=10, weekdays=WEEKDAYS)
    assert first == dt.date(2026, 3, 10)
    assert plan_day(2026, 3, slot=4, busy=set(), first_day=10, weekdays=WEEKDAYS) == dt.date(2026, 3, 16)
    # The slot's day is taken (a meeting moved there): the next free working day.
    busy = {dt.date(2026, 3, 10), dt.date(2026, 3, 11)}
    assert plan_day(2026, 3, slot=0, busy=busy, first_day=10, weekdays=WEEKDAYS) == dt.date(2026, 3, 12)


def test_teaching_order_breaks_are_found_per_track() -> None:
    inti = "inti"
    seq = [(inti, (1, 1)), (inti, (1, 2)), ("lokal", (0, 2)), (inti, (2, 1)), ("lokal", (0, 1)), None, (inti, (1, 4))]
    # Module 1 session 4 after module 2 session 1; the local module's 1 after its 2.
    assert teaching_order_breaks(seq) == [(2, 4), (3, 6)]
    assert teaching_order_breaks([(inti, (1, 1)), (inti, (1, 1)), (inti, (1, 2))]) == []
