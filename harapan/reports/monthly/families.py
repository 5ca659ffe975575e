"""The families a pendamping had in a month, and whose each family was on a given day
(``timeline``; RULES.md "People and ratios": each pendamping reports on the families they
accompanied)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from harapan.accounts.models import Staff

from ..timeline import Timeline
from .shapes import FamilyRef

Periods = dict[int, list[tuple[dt.date, dt.date | None, str]]]


class MonthFamilies:
    """The families that were the pendamping's in the month, and whose each was on a day.

    A family counts only once it is registered: its dated status history (``periods``, those
    reaching into the month) begins on or before the month's last day, and before its first day
    for the count at the start (a family imported in November is not in October's report, whatever
    its pendamping now)."""

    def __init__(
        self,
        staff: Staff,
        timelines: dict[int, Timeline],
        periods: Periods,
        start: dt.datetime,
        end: dt.datetime,
        first: dt.date,
    ):
        self.staff = staff
        self.timelines = timelines
        self.periods = periods
        self.start, self.end = start, end
        self.served = {pk for pk, t in timelines.items() if pk in periods and t.owned_during(staff.pk, start, end)}
        self.at_start = {
            pk for pk in self.served if periods[pk][0][0] < first and timelines[pk].owner_at(start) == staff.pk
        }
        self.at_end = {pk for pk in self.served if timelines[pk].owner_at(end) == staff.pk}

    def mine_on(self, household_id: int, day: dt.date) -> bool:
        t = self.timelines.get(household_id)
        return t is not None and household_id in self.served and t.owner_on(day) == self.staff.pk

    def mine_at(self, household_id: int, moment: dt.datetime) -> bool:
        t = self.timelines.get(household_id)
        return t is not None and household_id in self.served and t.owner_at(moment) == self.staff.pk

    def ref(self, household_id: int) -> FamilyRef:
        info = self.timelines[household_id].info
        return FamilyRef(household_id, info.get("pkh_id", ""), info.get("carer", ""))


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()
