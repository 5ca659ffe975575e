"""Recording attendance and the absence flags it raises and lifts (RULES.md "Sanctions
(configurable ladder)"; issue 3), and planning a group's year of meetings ("P2K2 / FDS curriculum")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.groups.models import GroupMembership
from harapan.meetings.models import AbsenceFlag, Attendance, Meeting, MeetingStatus
from harapan.meetings.services import attendance_record, meeting_cancel, meeting_plan_year
from harapan.p2k2.selectors import next_session_after
from harapan.testing import JEMBER, make_staff

from .conftest import Setup, hold, make_group, month

A, H, IZ = ("alpa", ""), ("hadir", ""), ("izin", "sakit")


def test_three_consecutive_alpa_raise_a_suspension_flag_with_its_meetings(setup: Setup) -> None:
    fam = setup.families[0]
    user = setup.pendamping.user
    for n in (1, 2):
        hold(setup.group, month(n), {fam.pk: A}, user)
    assert not AbsenceFlag.objects.exists()
    hold(setup.group, month(3), {fam.pk: A}, user)
    flag = AbsenceFlag.objects.get(household=fam)
    assert flag.kind == "penangguhan" and flag.lifted_on is None
    assert sorted(m.scheduled_on for m in flag.meetings.all()) == [month(1), month(2), month(3)]
    event = AuditEvent.objects.get(action="absence_flag_raised", household_id=fam.pk)
    assert event.after["meetings"] == [month(n).isoformat() for n in (1, 2, 3)]


def test_izin_does_not_count(setup: Setup) -> None:
    fam = setup.families[0]
    user = setup.pendamping.user
    for n, mark in enumerate([A, IZ, A, IZ], start=1):
        hold(setup.group, month(n), {fam.pk: mark}, user)
    assert not AbsenceFlag.objects.exists()
    hold(setup.group, month(5), {fam.pk: A}, user)
    assert AbsenceFlag.objects.filter(household=fam, kind="penangguhan").count() == 1


def test_hadir_resets_and_lifts_the_flag(setup: Setup) -> None:
    fam = setup.families[0]
    user = setup.pendamping.user
    for n in (1, 2, 3):
        hold(setup.group, month(n), {fam.pk: A}, user)
    hold(setup.group, month(4), {fam.pk: H}, user)
    flag = AbsenceFlag.objects.get(household=fam)
    assert flag.lifted_on is not None
    lifted = AuditEvent.objects.get(action="absence_flag_lifted", household_id=fam.pk)
    assert lifted.after["meetings"] == [month(n).isoformat() for n in (1, 2, 3)]
    for n in (5, 6):
        hold(setup.group, month(n), {fam.pk: A}, user)
    assert not AbsenceFlag.objects.filter(household=fam, lifted_on__isnull=True).exists()


def test_a_cancelled_meeting_counts_for_no_one(setup: Setup) -> None:
    fam = setup.families[0]
    user = setup.pendamping.user
    hold(setup.group, month(1), {fam.pk: A}, user)
    hold(setup.group, month(2), {fam.pk: A}, user)
    cancelled = Meeting.objects.create(kelompok=setup.group, scheduled_on=month(3))
    # A stray mark on a meeting later cancelled must not reset the run.
    Attendance.objects.create(meeting=cancelled, household=fam, mark="hadir")
    meeting_cancel(meeting=cancelled, acting_user=user)
    with pytest.raises(ValidationError):
        attendance_record(meeting=cancelled, marks={fam.pk: H}, acting_user=user)
    hold(setup.group, month(4), {fam.pk: A}, user)
    assert AbsenceFlag.objects.filter(household=fam, kind="penangguhan").count() == 1


def test_a_family_that_moves_group_keeps_its_count(setup: Setup) -> None:
    fam = setup.families[0]
    user = setup.pendamping.user
    hold(setup.group, month(1), {fam.pk: A}, user)
    hold(setup.group, month(2), {fam.pk: A}, user)
    GroupMembership.objects.filter(household=fam).update(valid_to=dt.date(2026, 2, 28))
    second = make_group(setup.desa, setup.pendamping, [fam], dt.date(2026, 3, 1))
    hold(second, month(3), {fam.pk: A}, user)
    assert AbsenceFlag.objects.filter(household=fam, kind="penangguhan").count() == 1


@override_settings(HARAPAN={"meetings": {"ABSENCE_THRESHOLD": 2, "NON_ELIGIBLE_THRESHOLD": 3}})
def test_thresholds_come_from_configuration(setup: Setup) -> None:
    fam = setup.families[0]
    user = setup.pendamping.user
    hold(setup.group, month(1), {fam.pk: A}, user)
    hold(setup.group, month(2), {fam.pk: A}, user)
    assert set(AbsenceFlag.objects.values_list("kind", flat=True)) == {"penangguhan"}
    hold(setup.group, month(3), {fam.pk: A}, user)
    assert set(AbsenceFlag.objects.values_list("kind", flat=True)) == {"penangguhan", "usul_non_eligible"}


def test_recording_twice_updates_marks_without_duplicate_flags(setup: Setup) -> None:
    a, b, _c = setup.families
    user = setup.pendamping.user
    hold(setup.group, month(1), {a.pk: A, b.pk: A}, user)
    hold(setup.group, month(2), {a.pk: A, b.pk: A}, user)
    third = hold(setup.group, month(3), {a.pk: A, b.pk: H}, user)
    attendance_record(meeting=third, marks={a.pk: A, b.pk: A}, acting_user=user)
    attendance_record(meeting=third, marks={a.pk: A, b.pk: A}, acting_user=user)
    assert Attendance.objects.filter(meeting=third).count() == 2
    assert set(Attendance.objects.filter(meeting=third).values_list("mark", flat=True)) == {"alpa"}
    assert AbsenceFlag.objects.filter(kind="penangguhan").count() == 2
    assert AuditEvent.objects.filter(action="absence_flag_raised").count() == 2


def test_izin_without_reason_is_refused(setup: Setup) -> None:
    meeting = Meeting.objects.create(kelompok=setup.group, scheduled_on=month(1))
    with pytest.raises(ValidationError):
        attendance_record(
            meeting=meeting, marks={setup.families[0].pk: ("izin", " ")}, acting_user=setup.pendamping.user
        )
    assert not Attendance.objects.exists()


def test_only_the_groups_pendamping_or_area_operator_may_record(setup: Setup) -> None:
    meeting = Meeting.objects.create(kelompok=setup.group, scheduled_on=month(1))
    marks = {setup.families[0].pk: H}
    for outsider in (setup.other_pendamping, make_staff(Role.KORKAB, JEMBER)):
        with pytest.raises(PermissionDenied):
            attendance_record(meeting=meeting, marks=marks, acting_user=outsider.user)
    attendance_record(meeting=meeting, marks=marks, acting_user=setup.operator.user)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.TERLAKSANA and meeting.held_by == setup.operator


def test_plan_year_makes_twelve_meetings_in_teaching_order_once(setup: Setup) -> None:
    user = setup.pendamping.user
    first = meeting_plan_year(kelompok=setup.group, year=2026, acting_user=user)
    assert [m.scheduled_on.month for m in first] == list(range(1, 13))
    sessions = [m.session for m in first]
    assert sessions[0] is not None
    for before, after in zip(sessions, sessions[1:], strict=False):
        if before is not None:
            assert after == next_session_after(before)
    assert meeting_plan_year(kelompok=setup.group, year=2026, acting_user=user) == []
    assert Meeting.objects.filter(kelompok=setup.group).count() == 12


def test_plan_year_continues_from_the_last_held_session(setup: Setup) -> None:
    user = setup.pendamping.user
    planned = meeting_plan_year(kelompok=setup.group, year=2026, acting_user=user)
    last = planned[4]
    Meeting.objects.filter(kelompok=setup.group).exclude(pk=last.pk).delete()
    Meeting.objects.filter(pk=last.pk).update(status=MeetingStatus.TERLAKSANA)
    nxt = meeting_plan_year(kelompok=setup.group, year=2027, acting_user=user)
    assert last.session is not None
    assert nxt[0].session == next_session_after(last.session)
