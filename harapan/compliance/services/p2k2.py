"""P2K2 attendance as an obligation record, derived from the group meetings (RULES.md "Obligations":
every family attends the monthly P2K2 meeting of its group). For a month, each family with marks at
held meetings gets one record: met when every mark is hadir (or izin, P2K2_IZIN_MET), not met when
one is alpa. A family whose group held no meeting that month gets no record; a record whose meeting
is no longer held is removed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction

from harapan.conf import setting
from harapan.meetings.models import Attendance, Mark, MeetingStatus

from ..models import Obligation, ObligationRecord, month_start
from ..rules import month_end
from .records import RecordInput, SaveResult, periods_for, records_remove, records_save

SOURCE = "meetings"
P2K2_CODE = "p2k2_hadir"


@transaction.atomic
def p2k2_records_derive(
    *, household_ids: list[int], month: dt.date, acting_user: Any, reevaluate: bool = True
) -> SaveResult:
    """Create, correct or remove the families' P2K2 records of ``month``, set-based."""
    obligation = Obligation.objects.filter(code=P2K2_CODE, is_active=True).first()
    if obligation is None or not household_ids:
        return SaveResult()
    month = month_start(month)
    period = periods_for([month])[month]
    izin_met = bool(setting("compliance", "P2K2_IZIN_MET"))
    marks: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for hid, mark, day in (
        Attendance.objects.filter(
            household_id__in=household_ids,
            meeting__status=MeetingStatus.TERLAKSANA,
            meeting__scheduled_on__gte=month,
            meeting__scheduled_on__lte=month_end(month),
        )
        .order_by("household_id", "meeting__scheduled_on")
        .values_list("household_id", "mark", "meeting__scheduled_on")
    ):
        marks[hid].append((day, mark))
    rows = [
        RecordInput(
            household_id=hid,
            member_id=None,
            obligation_id=obligation.pk,
            period_id=period.pk,
            met=all(m == Mark.HADIR or (izin_met and m == Mark.IZIN) for _d, m in seen),
            note="; ".join(f"{m} {d:%d-%m-%Y}" for d, m in seen),
        )
        for hid, seen in marks.items()
    ]
    stale = list(
        ObligationRecord.objects.filter(
            household_id__in=household_ids, obligation=obligation, period=period, source=SOURCE
        ).exclude(household_id__in=list(marks))
    )
    removed = records_remove(stale, acting_user=acting_user, source=SOURCE)
    result = records_save(rows, source=SOURCE, acting_user=acting_user, reevaluate=False)
    result.corrected |= removed
    if reevaluate and result.corrected:
        from .ladder import reevaluate_after_correction

        reevaluate_after_correction(household_ids=sorted(result.corrected), acting_user=acting_user)
    return result
