"""A group's year plan and its edits (issue 3; RULES.md "P2K2 / FDS curriculum": one meeting a
month per group, ~2 hours, modules taught in order, at an agreed place and time; a pendamping
with several groups holds several meetings a month): each group of a pendamping on its own
day, edits validated (year, one a day, the pendamping's clashes, curriculum, place), warnings for
out-of-order sessions and unfit places, cancellation with a reason, audit and scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.meetings.models import Meeting, MeetingStatus
from harapan.meetings.selectors import meeting_warnings, month_clashes, pendamping_month_meetings
from harapan.meetings.services import meeting_cancel, meeting_plan_year, meeting_update
from harapan.p2k2.models import Module, ModuleKind, Session
from harapan.regions.models import Region
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff

from .conftest import Setup, hold, make_group, make_venue, month


def _sessions() -> list[Session]:
    return list(
        Session.objects.filter(module__kind=ModuleKind.INTI).select_related("module").order_by("module__order", "order")
    )


def _edit(meeting: Meeting, user: object, **changes: object) -> Meeting:
    values: dict[str, object] = {
        "scheduled_on": meeting.scheduled_on,
        "start_time": meeting.start_time,
        "session": meeting.session,
        "venue_place": meeting.venue_place,
        "venue": meeting.venue,
    }
    values.update(changes)
    return meeting_update(meeting=meeting, acting_user=user, **values)  # type: ignore[arg-type]


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.fixture
def planned(setup: Setup) -> list[Meeting]:
    return meeting_plan_year(kelompok=setup.group, year=2026, acting_user=setup.pendamping.user)


def test_each_group_of_a_pendamping_meets_on_its_own_working_day(setup: Setup) -> None:
    groups = [setup.group, *[make_group(setup.desa, setup.pendamping, [], dt.date(2025, 1, 1)) for _ in range(4)]]
    for group in groups:
        meeting_plan_year(kelompok=group, year=2026, acting_user=setup.pendamping.user)
    days: dict[int, list[dt.date]] = defaultdict(list)
    for m in Meeting.objects.filter(kelompok__pendamping=setup.pendamping):
        days[m.scheduled_on.month].append(m.scheduled_on)
        assert m.scheduled_on.weekday() < 5
        assert m.start_time == dt.time(9, 0)
    assert sorted(days) == list(range(1, 13))
    for month_days in days.values():
        assert len(month_days) == 5 == len(set(month_days))  # ≈ 5 meetings a month, never two a day
    assert len(pendamping_month_meetings(setup.pendamping, 2026, 3)) == 5


@override_settings(HARAPAN={"meetings": {"DEFAULT_START_TIME": "14:30", "DEFAULT_DAY": 1}})
def test_the_plans_start_time_and_first_day_come_from_configuration(setup: Setup) -> None:
    planned = meeting_plan_year(kelompok=setup.group, year=2026, acting_user=setup.pendamping.user)
    assert {m.start_time for m in planned} == {dt.time(14, 30)}
    assert planned[2].scheduled_on == dt.date(2026, 3, 2)  # Sunday 1 March: the Monday after


def test_planning_writes_one_audit_event_per_group(setup: Setup, planned: list[Meeting]) -> None:
    event = AuditEvent.objects.get(action="meetings_planned")
    assert event.object_id == str(setup.group.pk) and event.after["year"] == 2026
    assert event.after["dates"] == [m.scheduled_on.isoformat() for m in planned]
    meeting_plan_year(kelompok=setup.group, year=2026, acting_user=setup.pendamping.user)
    assert AuditEvent.objects.filter(action="meetings_planned").count() == 1  # nothing new, nothing written


def test_a_cancelled_months_session_is_taught_in_the_next_planned_month(setup: Setup) -> None:
    user = setup.pendamping.user
    s1, s2 = _sessions()[:2]
    Meeting.objects.create(
        kelompok=setup.group, scheduled_on=dt.date(2026, 1, 12), session=s1, status=MeetingStatus.TERLAKSANA
    )
    Meeting.objects.create(
        kelompok=setup.group, scheduled_on=dt.date(2026, 2, 10), session=s2, status=MeetingStatus.DIBATALKAN
    )
    created = meeting_plan_year(kelompok=setup.group, year=2026, acting_user=user)
    assert [m.scheduled_on.month for m in created] == list(range(3, 13))  # February stays cancelled
    assert created[0].session == s2


def test_moving_a_meeting_changes_date_time_session_and_place_with_an_audit_event(
    setup: Setup, planned: list[Meeting]
) -> None:
    venue = make_venue(setup.desa)
    meeting = planned[2]
    old_day = meeting.scheduled_on
    sessions = _sessions()
    _edit(
        meeting,
        setup.pendamping.user,
        scheduled_on=dt.date(2026, 3, 17),
        start_time=dt.time(13, 0),
        session=sessions[2],
        venue_place=venue,
    )
    meeting.refresh_from_db()
    assert (meeting.scheduled_on, meeting.start_time, meeting.session, meeting.venue_place) == (
        dt.date(2026, 3, 17),
        dt.time(13, 0),
        sessions[2],
        venue,
    )
    event = AuditEvent.objects.get(action="meeting_updated", object_id=str(meeting.pk))
    assert event.before["scheduled_on"] == old_day.isoformat() and event.after["scheduled_on"] == "2026-03-17"
    assert event.before["start_time"] == "09:00" and event.after["start_time"] == "13:00"
    assert event.after["venue_place"] == venue.pk and "venue" not in event.after
    # Saving the same values again changes nothing and writes nothing.
    _edit(meeting, setup.pendamping.user)
    assert AuditEvent.objects.filter(action="meeting_updated").count() == 1


def test_a_meeting_stays_inside_its_plans_year(setup: Setup, planned: list[Meeting]) -> None:
    with pytest.raises(ValidationError) as exc:
        _edit(planned[11], setup.pendamping.user, scheduled_on=dt.date(2027, 1, 5))
    assert "scheduled_on" in _errors(exc)
    planned[11].refresh_from_db()
    assert planned[11].scheduled_on.year == 2026


def test_a_group_meets_at_most_once_a_day(setup: Setup, planned: list[Meeting]) -> None:
    with pytest.raises(ValidationError) as exc:
        _edit(planned[3], setup.pendamping.user, scheduled_on=planned[2].scheduled_on, start_time=dt.time(15, 0))
    assert "sudah punya pertemuan" in " ".join(_errors(exc)["scheduled_on"])
    # The database refuses it too, whatever path writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(kelompok=setup.group, scheduled_on=planned[2].scheduled_on)
    # A cancelled meeting does not hold its day.
    meeting_cancel(meeting=planned[2], acting_user=setup.pendamping.user, note="banjir")
    _edit(planned[3], setup.pendamping.user, scheduled_on=planned[2].scheduled_on)


def test_a_pendamping_cannot_lead_two_groups_at_once_and_the_error_names_the_other(
    setup: Setup, planned: list[Meeting]
) -> None:
    other = make_group(setup.desa, setup.pendamping, [], dt.date(2025, 1, 1))
    other_march = Meeting.objects.create(kelompok=other, scheduled_on=dt.date(2026, 3, 17), start_time=dt.time(9, 0))
    march = planned[2]
    with pytest.raises(ValidationError) as exc:
        _edit(march, setup.pendamping.user, scheduled_on=dt.date(2026, 3, 17), start_time=dt.time(10, 0))
    text = " ".join(_errors(exc)["start_time"])
    assert other.name in text and other.code in text and "09:00–11:00" in text
    # After the other meeting ends (~2 hours), or when it is cancelled, the time is free.
    _edit(march, setup.pendamping.user, scheduled_on=dt.date(2026, 3, 17), start_time=dt.time(11, 0))
    meeting_cancel(meeting=other_march, acting_user=setup.pendamping.user, note="pindah")
    _edit(march, setup.pendamping.user, start_time=dt.time(9, 0))
    # Another pendamping's group at the same hour is no clash.
    theirs = make_group(setup.desa, setup.other_pendamping, [], dt.date(2025, 1, 1))
    Meeting.objects.create(kelompok=theirs, scheduled_on=dt.date(2026, 3, 18), start_time=dt.time(9, 0))
    _edit(march, setup.pendamping.user, scheduled_on=dt.date(2026, 3, 18))


def test_month_clashes_point_at_the_earlier_meeting(setup: Setup) -> None:
    other = make_group(setup.desa, setup.pendamping, [], dt.date(2025, 1, 1))
    a = Meeting.objects.create(kelompok=setup.group, scheduled_on=month(3), start_time=dt.time(9, 0))
    b = Meeting.objects.create(kelompok=other, scheduled_on=month(3), start_time=dt.time(10, 30))
    clashes = month_clashes(list(pendamping_month_meetings(setup.pendamping, 2026, 3)))
    assert clashes == {b.pk: a}


def test_the_session_comes_from_the_districts_curriculum(setup: Setup, planned: list[Meeting]) -> None:
    own = Module.objects.create(
        code="LOKAL-BDW-UJI",
        number=1,
        title="Geopark Ijen",
        order=1,
        kind=ModuleKind.MUATAN_LOKAL,
        owner_region_id=BONDOWOSO,
    )
    elsewhere = Module.objects.create(
        code="LOKAL-JBR-UJI",
        number=1,
        title="Tembakau",
        order=1,
        kind=ModuleKind.MUATAN_LOKAL,
        owner_region_id=JEMBER,
    )
    local = Session.objects.create(module=own, title="Mengenal geopark", order=1)
    foreign = Session.objects.create(module=elsewhere, title="Kebun tembakau", order=1)
    with pytest.raises(ValidationError) as exc:
        _edit(planned[4], setup.pendamping.user, session=foreign)
    assert "session" in _errors(exc)
    _edit(planned[4], setup.pendamping.user, session=local)
    planned[4].refresh_from_db()
    assert planned[4].session == local


def test_the_place_must_be_an_active_place_of_the_groups_kecamatan(setup: Setup, planned: list[Meeting]) -> None:
    kecamatan = Region.objects.filter(parent_id=BONDOWOSO).exclude(code=MAESAN).order_by("code").first()
    assert kecamatan is not None
    far = make_venue(Region.objects.filter(parent=kecamatan).order_by("code")[0])
    closed = make_venue(setup.desa, is_active=False)
    neighbour = make_venue(Region.objects.filter(parent_id=MAESAN).exclude(code=setup.desa.code).order_by("code")[0])
    for venue in (far, closed):
        with pytest.raises(ValidationError) as exc:
            _edit(planned[5], setup.pendamping.user, venue_place=venue)
        assert "venue_place" in _errors(exc)
    _edit(planned[5], setup.pendamping.user, venue_place=neighbour)


def test_out_of_order_sessions_and_unfit_places_are_allowed_but_warned(setup: Setup, planned: list[Meeting]) -> None:
    sessions = _sessions()
    unfit = make_venue(setup.desa, layak=False, capacity=2)  # the group has 3 families
    _edit(planned[1], setup.pendamping.user, session=sessions[6], venue_place=unfit)
    meetings = list(Meeting.objects.filter(kelompok=setup.group).select_related("session__module", "venue_place"))
    warnings = meeting_warnings(meetings, families=3)
    february, march = planned[1].pk, planned[2].pk
    text = " ".join(warnings[february])
    assert "belum layak" in text and "jauh dari jalan ramai" in text
    assert "Kapasitas tempat 2 orang, kurang dari 3 KPM" in text
    assert "Tidak urut" in " ".join(warnings[march])  # March's session now comes after February's
    assert "Tidak urut" not in text


def test_only_a_planned_meeting_can_be_edited_and_a_held_one_cannot_be_cancelled(setup: Setup) -> None:
    fam = setup.families[0]
    held = hold(setup.group, month(1), {fam.pk: ("hadir", "")}, setup.pendamping.user)
    with pytest.raises(ValidationError):
        _edit(held, setup.pendamping.user, start_time=dt.time(10, 0))
    with pytest.raises(ValidationError):
        meeting_cancel(meeting=held, acting_user=setup.pendamping.user, note="salah")
    held.refresh_from_db()
    assert held.status == MeetingStatus.TERLAKSANA and held.start_time == dt.time(9, 0)
    assert not AuditEvent.objects.filter(action__in=["meeting_updated", "meeting_cancelled"]).exists()


def test_cancelling_keeps_the_reason_and_audits_it(setup: Setup, planned: list[Meeting]) -> None:
    meeting = planned[6]
    meeting_cancel(meeting=meeting, acting_user=setup.pendamping.user, note="Jalan desa tertutup banjir")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DIBATALKAN and meeting.cancel_reason == "Jalan desa tertutup banjir"
    event = AuditEvent.objects.get(action="meeting_cancelled", object_id=str(meeting.pk))
    assert event.note == "Jalan desa tertutup banjir" and event.after == {"status": "dibatalkan"}
    with pytest.raises(ValidationError):
        _edit(meeting, setup.pendamping.user, start_time=dt.time(10, 0))


def test_only_who_works_the_group_may_plan_edit_or_cancel(setup: Setup, planned: list[Meeting]) -> None:
    for outsider in (
        setup.other_pendamping,
        make_staff(Role.KORKAB, JEMBER),
        make_staff(Role.SUPERVISOR, BONDOWOSO),
    ):
        with pytest.raises(PermissionDenied):
            meeting_plan_year(kelompok=setup.group, year=2027, acting_user=outsider.user)
        with pytest.raises(PermissionDenied):
            _edit(planned[0], outsider.user, start_time=dt.time(10, 0))
        with pytest.raises(PermissionDenied):
            meeting_cancel(meeting=planned[0], acting_user=outsider.user, note="x")
    _edit(planned[0], setup.operator.user, start_time=dt.time(10, 0))
    planned[0].refresh_from_db()
    assert planned[0].start_time == dt.time(10, 0) and planned[0].status == MeetingStatus.DIRENCANAKAN
