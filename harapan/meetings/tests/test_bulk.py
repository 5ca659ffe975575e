"""The bulk attendance writer (``meetings.bulk``) equals recording meeting by meeting through
``attendance_record`` and ``meeting_cancel``: the same marks, held meetings, absence flags and audit
events (RULES.md "Sanctions (configurable ladder)"; STYLE.md: bulk equals single)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.audit.models import AuditEvent
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.bulk import MeetingCancel, MeetingMarks, attendance_record_bulk, meetings_cancel_bulk
from harapan.meetings.models import AbsenceFlag, AbsenceFlagMeeting, Attendance, Meeting, MeetingStatus
from harapan.meetings.services import attendance_record, meeting_cancel
from harapan.regions.models import Region
from harapan.registry.models import Household
from harapan.testing import MAESAN, make_household, make_staff

_codes = itertools.count(1)
A, H = ("alpa", ""), ("hadir", "")
I = ("izin", "sakit")  # noqa: E741
CANCELLED = 5  # the sixth meeting of the year is cancelled in both groups
# One row per family, one column per month: the runs raise, lift, reach 6, and a late change of
# an old mark (below) joins two runs.
YEAR = [
    [A, A, A, H, A, None, A, A, A],
    [A, I, A, A, A, None, A, A, A],
    [H, H, I, H, H, None, H, H, H],
    [A, A, H, A, A, None, I, A, H],
]
LATE_CHANGE = (3, 0, ("izin", "  ke puskesmas "))  # meeting index, family, new mark


def _group(desa: Region, pendamping: Staff, n: int) -> tuple[Kelompok, list[Household]]:
    families = [make_household(desa=desa, pendamping=pendamping) for _ in range(n)]
    k = next(_codes)
    group = Kelompok.objects.create(code=f"KLP-BULK-{k}", name=f"Kelompok Massal {k}", desa=desa, pendamping=pendamping)
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=group, valid_from=dt.date(2026, 1, 1)) for h in families]
    )
    return group, families


def _meetings(group: Kelompok) -> list[Meeting]:
    return [Meeting.objects.create(kelompok=group, scheduled_on=dt.date(2026, month, 12)) for month in range(1, 10)]


def _marks(families: list[Household], i: int) -> dict[int, tuple[str, str]]:
    marks: dict[int, tuple[str, str]] = {}
    for f, row in zip(families, YEAR, strict=True):
        mark = row[i]
        if mark is not None:
            marks[f.pk] = mark
    return marks


def _state(group: Kelompok, families: list[Household]) -> dict[str, Any]:
    """Everything the two paths write, with ids replaced by positions (family, meeting)."""
    family = {f.pk: n for n, f in enumerate(families)}
    meetings = list(Meeting.objects.filter(kelompok=group).order_by("scheduled_on"))
    position = {m.pk: n for n, m in enumerate(meetings)}
    flags = AbsenceFlag.objects.filter(household__in=families).order_by("household_id", "kind", "pk")
    flag_meetings = {
        f.pk: sorted(
            position[m] for m in AbsenceFlagMeeting.objects.filter(flag=f).values_list("meeting_id", flat=True)
        )
        for f in flags
    }
    events = AuditEvent.objects.filter(household__in=families).order_by("household_id", "action", "pk")
    return {
        "meetings": [(m.status, m.held_by_id, m.cancel_reason) for m in meetings],
        "attendance": sorted(
            (position[a.meeting_id], family[a.household_id], a.mark, a.reason)
            for a in Attendance.objects.filter(meeting__kelompok=group)
        ),
        "flags": [(family[f.household_id], f.kind, f.raised_on, f.lifted_on, flag_meetings[f.pk]) for f in flags],
        "audit": [(family[e.household_id or 0], e.action, e.actor_id, e.before, e.after) for e in events],
        "cancel_audit": list(
            AuditEvent.objects.filter(action="meeting_cancelled", object_id__in=[str(m.pk) for m in meetings])
            .order_by("pk")
            .values_list("actor_id", "before", "after", "note")
        ),
    }


@pytest.mark.django_db
def test_bulk_recording_equals_recording_meeting_by_meeting() -> None:
    desa = Region.objects.filter(parent_id=MAESAN).order_by("code").first()
    assert desa is not None
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    user = pendamping.user
    single, single_families = _group(desa, pendamping, len(YEAR))
    bulk, bulk_families = _group(desa, pendamping, len(YEAR))
    single_meetings, bulk_meetings = _meetings(single), _meetings(bulk)

    # Meeting by meeting, as a pendamping on the phone.
    for i, meeting in enumerate(single_meetings):
        if i == CANCELLED:
            meeting_cancel(meeting=meeting, acting_user=user, note="Hujan deras")
        else:
            attendance_record(meeting=meeting, marks=_marks(single_families, i), acting_user=user)
    i, fam, mark = LATE_CHANGE
    attendance_record(meeting=single_meetings[i], marks={single_families[fam].pk: mark}, acting_user=user)

    # The same year at once, then the same late change.
    at = timezone.now()
    meetings_cancel_bulk(
        cancellations=[MeetingCancel(bulk_meetings[CANCELLED], pendamping, "Hujan deras")], acting_user=user
    )
    result = attendance_record_bulk(
        records=[
            MeetingMarks(m, _marks(bulk_families, i), pendamping, at)
            for i, m in enumerate(bulk_meetings)
            if i != CANCELLED
        ],
        acting_user=user,
        chunk_size=7,  # several chunks within one date
    )
    attendance_record_bulk(
        records=[MeetingMarks(bulk_meetings[i], {bulk_families[fam].pk: mark}, pendamping, at)], acting_user=user
    )

    expected = _state(single, single_families)
    assert _state(bulk, bulk_families) == expected
    assert result.meetings == 8 and result.dates == 8
    kinds = {(f, kind, lifted is None) for f, kind, _r, lifted, _m in expected["flags"]}
    assert (0, "penangguhan", False) in kinds  # raised, then lifted by coming again
    assert (0, "usul_non_eligible", True) in kinds  # the late izin joined two runs: 6 alpa
    assert (1, "usul_non_eligible", True) in kinds
    assert (3, "penangguhan", False) in kinds
    assert not any(f == 2 for f, *_rest in expected["flags"])


@pytest.mark.django_db
def test_bulk_refuses_dates_out_of_order_a_cancelled_meeting_and_an_outsider() -> None:
    desa = Region.objects.filter(parent_id=MAESAN).order_by("code").first()
    assert desa is not None
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    group, families = _group(desa, pendamping, 2)
    meetings = _meetings(group)
    at = timezone.now()
    marks = {families[0].pk: H}

    with pytest.raises(ValueError):
        attendance_record_bulk(
            records=[
                MeetingMarks(meetings[1], marks, pendamping, at),
                MeetingMarks(meetings[0], marks, pendamping, at),
            ],
            acting_user=pendamping.user,
        )
    outsider = make_staff(Role.PENDAMPING, MAESAN)
    with pytest.raises(PermissionDenied):
        attendance_record_bulk(records=[MeetingMarks(meetings[2], marks, outsider, at)], acting_user=outsider.user)
    with pytest.raises(PermissionDenied):  # an allowed batch cannot name an outsider as the recorder
        attendance_record_bulk(records=[MeetingMarks(meetings[2], marks, outsider, at)], acting_user=pendamping.user)
    meeting_cancel(meeting=meetings[3], acting_user=pendamping.user)
    with pytest.raises(ValidationError):
        attendance_record_bulk(records=[MeetingMarks(meetings[3], marks, pendamping, at)], acting_user=pendamping.user)
    with pytest.raises(ValidationError):
        attendance_record_bulk(
            records=[MeetingMarks(meetings[4], {families[0].pk: ("izin", " ")}, pendamping, at)],
            acting_user=pendamping.user,
        )
    # Each date is one transaction: the first call wrote its first date before meeting the earlier one.
    assert list(Attendance.objects.values_list("meeting_id", flat=True)) == [meetings[1].pk]
    assert list(Meeting.objects.filter(status=MeetingStatus.TERLAKSANA)) == [meetings[1]]
