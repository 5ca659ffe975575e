"""P2K2 attendance as an obligation record, derived set-based from the group meetings (RULES.md
"Obligations": every family attends the monthly P2K2 meeting of its group): hadir and izin are met,
alpa is not; a month without a held meeting has no record."""

from __future__ import annotations

import datetime as dt

import pytest

from harapan.audit.models import AuditEvent
from harapan.compliance.models import ObligationRecord, Sanction
from harapan.compliance.services import evaluate_households, p2k2_records_derive
from harapan.meetings.models import Meeting, MeetingStatus
from harapan.meetings.services import attendance_record
from harapan.testing import make_household

from .conftest import World, hold, m, make_group

pytestmark = pytest.mark.django_db


def p2k2(household) -> dict[dt.date, bool]:
    return dict(
        ObligationRecord.objects.filter(household=household, obligation__code="p2k2_hadir").values_list(
            "period__month", "met"
        )
    )


def test_marks_at_held_meetings_become_records_and_no_meeting_means_no_record(world: World) -> None:
    a, b, c = (
        world.family,
        make_household(desa=world.desa, pendamping=world.pendamping),
        make_household(desa=world.desa, pendamping=world.pendamping),
    )
    group = make_group(world.desa, world.pendamping, [a, b, c], dt.date(2026, 1, 1))
    user = world.pendamping.user
    hold(group, dt.date(2026, 9, 14), {a.pk: ("hadir", ""), b.pk: ("izin", "anak sakit"), c.pk: ("alpa", "")}, user)
    Meeting.objects.create(kelompok=group, scheduled_on=dt.date(2026, 10, 12))  # planned, not held
    ids = [a.pk, b.pk, c.pk]
    result = p2k2_records_derive(household_ids=ids, month=m(9), acting_user=user)
    assert result.created == 3
    assert (p2k2(a), p2k2(b), p2k2(c)) == ({m(9): True}, {m(9): True}, {m(9): False})
    assert ObligationRecord.objects.get(household=c, obligation__code="p2k2_hadir").member is None
    assert p2k2_records_derive(household_ids=ids, month=m(10), acting_user=user).created == 0
    again = p2k2_records_derive(household_ids=ids, month=m(9), acting_user=user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_corrected_attendance_corrects_the_record_and_lifts_the_warning(world: World) -> None:
    """RULES.md "Sanctions": the attendance list is the evidence; correcting it lifts what rested on it."""
    family = world.family
    group = make_group(world.desa, world.pendamping, [family], dt.date(2026, 1, 1))
    user = world.pendamping.user
    meeting = hold(group, dt.date(2026, 10, 12), {family.pk: ("alpa", "")}, user)
    p2k2_records_derive(household_ids=[family.pk], month=m(10), acting_user=user)
    evaluate_households([family.pk], month=m(10), acting_user=world.operator.user)
    warning = Sanction.objects.get(household=family)
    assert list(warning.records.values_list("obligation__code", flat=True)) == ["p2k2_hadir"]
    attendance_record(meeting=meeting, marks={family.pk: ("hadir", "")}, acting_user=user)  # the list was misread
    p2k2_records_derive(household_ids=[family.pk], month=m(10), acting_user=user)
    warning.refresh_from_db()
    assert warning.lift_reason == "koreksi"
    assert AuditEvent.objects.filter(action="obligation_corrected", household=family).exists()


def test_a_record_whose_meeting_is_no_longer_held_is_removed(world: World) -> None:
    family = world.family
    group = make_group(world.desa, world.pendamping, [family], dt.date(2026, 1, 1))
    meeting = hold(group, dt.date(2026, 10, 12), {family.pk: ("hadir", "")}, world.pendamping.user)
    p2k2_records_derive(household_ids=[family.pk], month=m(10), acting_user=world.pendamping.user)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.DIBATALKAN)
    p2k2_records_derive(household_ids=[family.pk], month=m(10), acting_user=world.pendamping.user)
    assert p2k2(family) == {}
    assert AuditEvent.objects.filter(action="obligation_record_removed", household=family).exists()
