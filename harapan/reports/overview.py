"""The korkab's list of the pendamping of a kabupaten/kota, with the state of each month's meetings
(RULES.md "People and ratios": monthly P2K2 reports to the korkab and Dinas Sosial; "P2K2 / FDS
curriculum": one meeting a month per group). A fixed handful of queries whatever the number of
pendamping and groups: meetings are counted per pendamping and month in SQL; only the groups that
changed pendamping in the year are read meeting by meeting, to count each meeting for the
pendamping the group had on its day (``timeline``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from harapan.accounts.models import Role, Staff
from harapan.groups.models import Kelompok
from harapan.groups.selectors import caseload_rows
from harapan.meetings.models import Meeting, MeetingStatus

from . import rules
from .timeline import Timeline, kelompok_changes, local_midnight


@dataclass
class MonthCell:
    year: int
    month: int
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    pending: int = 0
    status: str = rules.TANPA_PERTEMUAN

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


@dataclass
class PendampingRow:
    staff: Staff
    kecamatan: str
    families: int
    groups: int
    months: list[MonthCell] = field(default_factory=list)


def overview_months(year: int, today: dt.date) -> list[int]:
    """The months of ``year`` a list shows: all of a past year, up to this month of this year."""
    if year < today.year:
        return list(range(1, 13))
    if year == today.year:
        return list(range(1, today.month + 1))
    return []


def pendamping_overview(kabupaten_code: str, year: int, today: dt.date) -> list[PendampingRow]:
    """The active pendamping of a kabupaten/kota, their families and groups now, and for each month
    of ``year`` so far their meetings planned, held, cancelled and never recorded, with the month's
    status (``rules.month_status``)."""
    months = overview_months(year, today)
    staff = list(
        Staff.objects.filter(role=Role.PENDAMPING, is_active=True, region__code__startswith=kabupaten_code + ".")
        .select_related("region")
        .order_by("region_id", "full_name", "pk")
    )
    counts: dict[tuple[int | None, int, str], int] = defaultdict(int)
    groups = Kelompok.objects.filter(desa__code__startswith=kabupaten_code + ".")
    changed = kelompok_changes(groups, local_midnight(dt.date(year, 1, 1)))
    meetings = Meeting.objects.filter(kelompok__in=groups.values("pk"), scheduled_on__year=year)
    for agg in (
        meetings.exclude(kelompok_id__in=list(changed))
        .values("kelompok__pendamping_id", "status")
        .annotate(month=ExtractMonth("scheduled_on"), n=Count("pk"))
        .order_by()
    ):
        counts[(agg["kelompok__pendamping_id"], agg["month"], agg["status"])] += agg["n"]
    if changed:
        for kelompok_id, pendamping_id, on, status in meetings.filter(kelompok_id__in=list(changed)).values_list(
            "kelompok_id", "kelompok__pendamping_id", "scheduled_on", "status"
        ):
            owner = Timeline(kelompok_id, pendamping_id, changed[kelompok_id]).owner_on(on)
            counts[(owner, on.month, status)] += 1
    loads = {row.pendamping.pk: row for row in caseload_rows(staff)}
    out: list[PendampingRow] = []
    for s in staff:
        row = PendampingRow(s, s.region.name if s.region else "", loads[s.pk].families, loads[s.pk].groups)
        for month in months:
            cell = MonthCell(year, month)
            cell.held = counts.get((s.pk, month, MeetingStatus.TERLAKSANA), 0)
            cell.cancelled = counts.get((s.pk, month, MeetingStatus.DIBATALKAN), 0)
            cell.pending = counts.get((s.pk, month, MeetingStatus.DIRENCANAKAN), 0)
            cell.planned = cell.held + cell.cancelled + cell.pending
            last = rules.month_first_last(year, month)[1]
            cell.status = rules.month_status(planned=cell.planned, pending=cell.pending, finished=last < today)
            row.months.append(cell)
        out.append(row)
    return out
