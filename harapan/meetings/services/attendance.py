"""Recording attendance and raising/lifting absence flags (issue 3; RULES.md "Sanctions
(configurable ladder)")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event, audit_events_save
from harapan.conf import setting

from .. import events, rules
from ..models import AbsenceFlag, AbsenceFlagMeeting, Attendance, Mark, Meeting, MeetingStatus
from .meetings import may_record


def validate_marks(marks: dict[int, tuple[str, str]]) -> dict[str, list[str]]:
    """Errors per household id (as text) for marks that cannot be saved."""
    errors: dict[str, list[str]] = {}
    valid = set(Mark.values)
    for hid, (mark, reason) in marks.items():
        if mark not in valid:
            errors[str(hid)] = [_("Pilih H, I atau A.")]
        elif mark == Mark.IZIN and not reason.strip():
            errors[str(hid)] = [_("Alasan izin wajib diisi.")]
    return errors


@transaction.atomic
def attendance_record(*, meeting: Meeting, marks: dict[int, tuple[str, str]], acting_user: Any) -> dict[str, int]:
    """Save the marks of ``meeting`` (create or update), mark it held, and re-evaluate the flags
    of its families. Returns counts per mark."""
    staff = may_record(acting_user, meeting.kelompok)
    if meeting.status == MeetingStatus.DIBATALKAN:
        raise ValidationError(_("Pertemuan ini dibatalkan; kehadiran tidak dapat dicatat."))
    errors = validate_marks(marks)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    existing = {a.household_id: a for a in Attendance.objects.filter(meeting=meeting)}
    create: list[Attendance] = []
    update: list[Attendance] = []
    for hid, (mark, reason) in marks.items():
        reason = reason.strip() if mark == Mark.IZIN else ""
        row = existing.get(hid)
        if row is None:
            create.append(Attendance(meeting=meeting, household_id=hid, mark=mark, reason=reason))
        elif (row.mark, row.reason) != (mark, reason):
            row.mark, row.reason = mark, reason
            update.append(row)
    Attendance.objects.bulk_create(create)
    Attendance.objects.bulk_update(update, ["mark", "reason"])
    audit_events_save(
        [
            audit_event(
                action=events.ATTENDANCE_RECORDED,
                obj=meeting,
                actor=acting_user,
                source=events.SOURCE,
                household_id=row.household_id,
                after={"meeting": meeting.scheduled_on.isoformat(), "mark": row.mark, "reason": row.reason},
                at=now,
            )
            for row in [*create, *update]
        ]
    )
    meeting.status = MeetingStatus.TERLAKSANA
    meeting.held_by = staff
    meeting.recorded_at = now
    meeting.save(update_fields=["status", "held_by", "recorded_at"])
    flags_evaluate(household_ids=list(marks), acting_user=acting_user)
    counts = {m: 0 for m in Mark.values}
    for mark, _reason in marks.values():
        counts[mark] += 1
    return counts


def flags_evaluate(*, household_ids: list[int], acting_user: Any) -> tuple[int, int]:
    """Raise and lift absence flags of the families, set-based: one query for their marks at held
    meetings (across every group), one for their open flags. Returns (raised, lifted)."""
    low = int(setting("meetings", "ABSENCE_THRESHOLD"))
    high = int(setting("meetings", "NON_ELIGIBLE_THRESHOLD"))
    rows = (
        Attendance.objects.filter(household_id__in=household_ids, meeting__status=MeetingStatus.TERLAKSANA)
        .order_by("household_id", "meeting__scheduled_on", "meeting_id")
        .values_list("household_id", "mark", "meeting_id", "meeting__scheduled_on")
    )
    history: dict[int, list[tuple[str, int, dt.date]]] = defaultdict(list)
    for hid, mark, meeting_id, day in rows:
        history[hid].append((mark, meeting_id, day))
    open_flags: dict[int, dict[str, AbsenceFlag]] = defaultdict(dict)
    for flag in AbsenceFlag.objects.filter(household_id__in=household_ids, lifted_on__isnull=True):
        open_flags[flag.household_id][flag.kind] = flag
    today = timezone.localdate()
    raised: list[tuple[AbsenceFlag, list[tuple[int, dt.date]]]] = []
    lifted: list[AbsenceFlag] = []
    for hid in household_ids:
        seq = history.get(hid, [])
        marks = [m for m, _i, _d in seq]
        behind = [(seq[i][1], seq[i][2]) for i in rules.trailing_alpa_positions(marks)]
        due = rules.flags_due(len(behind), absence_threshold=low, non_eligible_threshold=high)
        have = open_flags.get(hid, {})
        for kind in sorted(due - set(have)):
            raised.append((AbsenceFlag(household_id=hid, kind=kind, raised_on=today), behind))
        for kind in sorted(set(have) - due):
            flag = have[kind]
            flag.lifted_on = today
            lifted.append(flag)
    AbsenceFlag.objects.bulk_create([f for f, _b in raised])
    AbsenceFlagMeeting.objects.bulk_create(
        [AbsenceFlagMeeting(flag=f, meeting_id=mid) for f, behind in raised for mid, _d in behind]
    )
    AbsenceFlag.objects.bulk_update(lifted, ["lifted_on"])
    lifted_dates: dict[int, list[str]] = defaultdict(list)
    for flag_id, day in (
        AbsenceFlagMeeting.objects.filter(flag__in=[f.pk for f in lifted])
        .order_by("meeting__scheduled_on")
        .values_list("flag_id", "meeting__scheduled_on")
    ):
        lifted_dates[flag_id].append(day.isoformat())
    audit: list[AuditEvent] = [
        audit_event(
            action=events.ABSENCE_FLAG_RAISED,
            obj=f,
            actor=acting_user,
            source=events.SOURCE,
            household_id=f.household_id,
            after={"kind": f.kind, "meetings": [d.isoformat() for _m, d in behind]},
        )
        for f, behind in raised
    ]
    audit += [
        audit_event(
            action=events.ABSENCE_FLAG_LIFTED,
            obj=f,
            actor=acting_user,
            source=events.SOURCE,
            household_id=f.household_id,
            before={"kind": f.kind, "raised_on": f.raised_on.isoformat()},
            after={"lifted_on": today.isoformat(), "meetings": lifted_dates.get(f.pk, [])},
        )
        for f in lifted
    ]
    audit_events_save(audit)
    return len(raised), len(lifted)
