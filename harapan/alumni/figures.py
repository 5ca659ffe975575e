"""The figures each alumnus's field work shows in Harapan, to set beside what they reported (issue 7:
"sets each self-reported figure beside the same figure computed from what the pendamping actually
recorded"; seed 003 figures a-e; RULES.md "People and ratios", "P2K2 / FDS curriculum",
"Graduation").

- caseload: families in the programme (calon, aktif, ditangguhkan) whose pendamping is the alumnus,
  today;
- graduasi_mandiri: their families whose status became graduasi mandiri in the reference period
  (the status history, which approval of a proposal writes);
- p2k2_meetings_per_month: held (terlaksana) meetings in the period led by the alumnus - the
  meeting's ``held_by``, or the group's pendamping when nobody is named - per month of the period;
- attendance_rate: hadir marks over all marks of those meetings;
- modules_in_order: the share of the alumnus's groups whose held inti sessions (up to the end of
  the period) follow the curriculum order (``harapan.p2k2``'s rule).

Every figure is one aggregate query over all the alumni at once, whatever their number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from harapan.meetings.models import Attendance, Mark, Meeting, MeetingStatus
from harapan.p2k2 import rules as p2k2_rules
from harapan.p2k2.models import ModuleKind
from harapan.p2k2.progress import HELD
from harapan.p2k2.selectors import curriculum_sessions
from harapan.registry.models import IN_PROGRAMME, Household, HouseholdStatus, HouseholdStatusPeriod

from . import rules

TWO = Decimal("0.01")


@dataclass
class Recorded:
    """One alumnus's recorded figures (the counts behind each, too)."""

    staff_id: int
    caseload: int = 0
    graduasi_mandiri: int = 0
    meetings: int = 0
    months: Decimal = Decimal(0)
    present: int = 0
    marked: int = 0
    groups: int = 0
    groups_in_order: int = 0
    modules_done: set[int] = field(default_factory=set)

    @property
    def p2k2_meetings_per_month(self) -> Decimal | None:
        if not self.months:
            return None
        return (Decimal(self.meetings) / self.months).quantize(TWO)

    @property
    def attendance_rate(self) -> Decimal | None:
        return rules.percent(self.present, self.marked)

    @property
    def modules_in_order(self) -> Decimal | None:
        """Percent of the alumnus's groups (with an inti session held) taught in order."""
        return rules.percent(self.groups_in_order, self.groups)

    def value(self, figure: str) -> Decimal | None:
        """The recorded value of ``figure`` (models.Figure), None where Harapan holds no twin."""
        if figure == "caseload":
            return Decimal(self.caseload)
        if figure == "graduasi_mandiri":
            return Decimal(self.graduasi_mandiri)
        if figure == "p2k2_meetings_per_month":
            return self.p2k2_meetings_per_month
        if figure == "attendance_rate":
            return self.attendance_rate
        if figure == "modules_in_order":
            return self.modules_in_order
        return None


def _led_by() -> Coalesce:
    return Coalesce("held_by_id", "kelompok__pendamping_id")


def recorded_figures(staff_ids: Collection[int], *, period_start: dt.date, period_end: dt.date) -> dict[int, Recorded]:
    """The recorded figures of every alumnus in ``staff_ids``, in five aggregate queries (plus one
    for the curriculum)."""
    ids = list(staff_ids)
    out = {sid: Recorded(staff_id=sid, months=rules.period_months(period_start, period_end)) for sid in ids}
    if not ids:
        return out
    in_period = Q(scheduled_on__gte=period_start, scheduled_on__lte=period_end)

    for sid, n in (
        Household.objects.filter(pendamping_id__in=ids, status__in=IN_PROGRAMME)
        .values("pendamping_id")
        .annotate(n=Count("pk"))
        .values_list("pendamping_id", "n")
        .order_by()
    ):
        out[sid].caseload = n

    for sid, n in (
        HouseholdStatusPeriod.objects.filter(
            status=HouseholdStatus.GRADUASI_MANDIRI,
            valid_from__gte=period_start,
            valid_from__lte=period_end,
            household__pendamping_id__in=ids,
        )
        .values("household__pendamping_id")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("household__pendamping_id", "n")
        .order_by()
    ):
        out[sid].graduasi_mandiri = n

    held = Meeting.objects.filter(in_period, status=MeetingStatus.TERLAKSANA).annotate(led_by=_led_by())
    for sid, n in (
        held.filter(led_by__in=ids).values("led_by").annotate(n=Count("pk")).values_list("led_by", "n").order_by()
    ):
        out[sid].meetings = n

    for sid, present, marked in (
        Attendance.objects.filter(
            meeting__status=MeetingStatus.TERLAKSANA,
            meeting__scheduled_on__gte=period_start,
            meeting__scheduled_on__lte=period_end,
        )
        .annotate(led_by=Coalesce("meeting__held_by_id", "meeting__kelompok__pendamping_id"))
        .filter(led_by__in=ids)
        .values("led_by")
        .annotate(present=Count("pk", filter=Q(mark=Mark.HADIR)), marked=Count("pk"))
        .values_list("led_by", "present", "marked")
        .order_by()
    ):
        out[sid].present, out[sid].marked = present, marked

    _modules_in_order(out, ids, period_end)
    return out


def _modules_in_order(out: dict[int, Recorded], ids: list[int], period_end: dt.date) -> None:
    """Per alumnus: their groups with an inti session held up to ``period_end``, how many of them
    held the sessions in the curriculum's order (``p2k2.rules.sessions_out_of_order``), and the inti
    modules some group of theirs completed."""
    sessions = [s for s in curriculum_sessions(None) if s.module.kind == ModuleKind.INTI]
    teaching = [s.pk for s in sessions]
    modules: dict[int, list[int]] = defaultdict(list)
    for s in sessions:
        modules[s.module.number].append(s.pk)
    first_held: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for position, (sid, kid, session_id) in enumerate(
        Meeting.objects.filter(HELD, kelompok__pendamping_id__in=ids, session_id__in=teaching)
        .filter(scheduled_on__lte=period_end)
        .order_by("kelompok_id", "scheduled_on", "pk")
        .values_list("kelompok__pendamping_id", "kelompok_id", "session_id")
    ):
        first_held[(sid, kid)].setdefault(session_id, position)
    for (sid, _kid), first in first_held.items():
        r = out[sid]
        r.groups += 1
        r.groups_in_order += int(not p2k2_rules.sessions_out_of_order(teaching, first))
        r.modules_done.update(p2k2_rules.modules_completed(modules, first))
