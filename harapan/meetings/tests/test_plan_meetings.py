"""Planning a year of meetings for many groups at once (RULES.md "P2K2 / FDS curriculum";
issue 3): the bulk service agrees with the single-group one, is idempotent, and the
``plan_meetings`` command enforces scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from harapan.accounts.models import Role
from harapan.groups.models import Kelompok
from harapan.meetings.models import Meeting, MeetingStatus
from harapan.meetings.services import meeting_plan_year, meetings_plan_year_bulk
from harapan.testing import JEMBER, MAESAN, make_staff

from .conftest import Setup, make_group


def _plan(kelompok_id: int) -> list[tuple[int, dt.date, int | None, str]]:
    return list(
        Meeting.objects.filter(kelompok_id=kelompok_id, scheduled_on__year=2027)
        .order_by("scheduled_on")
        .values_list("scheduled_on__month", "scheduled_on", "session_id", "status")
    )


def test_bulk_plan_equals_single_plan_on_the_same_data(setup: Setup) -> None:
    """Two pendamping with the same three groups (a fresh one, one with a held meeting, one with a
    partly planned year): planning one pendamping's groups one by one equals planning the other's
    at once, dates included (each group of a pendamping gets its own working day)."""
    user = setup.operator.user

    def groups_of(prefix: str) -> list[Kelompok]:
        staff = make_staff(Role.PENDAMPING, MAESAN)
        return [
            Kelompok.objects.create(code=f"KLP-{prefix}-{kind}", name=kind, desa=setup.desa, pendamping=staff)
            for kind in ("1fresh", "2held", "3partial")
        ]

    singles, bulks = groups_of("S"), groups_of("B")
    for group in singles[1:] + bulks[1:]:
        planned = meeting_plan_year(kelompok=group, year=2026, acting_user=user)
        Meeting.objects.filter(pk=planned[6].pk).update(status=MeetingStatus.TERLAKSANA)
    for group in (singles[2], bulks[2]):
        meeting_plan_year(kelompok=group, year=2027, acting_user=user)
        Meeting.objects.filter(kelompok=group, scheduled_on__year=2027, scheduled_on__month__in=[1, 5, 6]).delete()
    for group in singles:
        meeting_plan_year(kelompok=group, year=2027, acting_user=user)
    meetings_plan_year_bulk(kelompok_ids=[g.pk for g in bulks], year=2027, acting_user=user)
    for single, bulk in zip(singles, bulks, strict=True):
        assert len(_plan(bulk.pk)) == 12
        assert _plan(bulk.pk) == _plan(single.pk)


def test_bulk_plan_is_idempotent(setup: Setup) -> None:
    user = setup.operator.user
    other = make_group(setup.desa, setup.pendamping, [], dt.date(2025, 1, 1))
    ids = [setup.group.pk, other.pk]
    assert len(meetings_plan_year_bulk(kelompok_ids=ids, year=2026, acting_user=user)) == 24
    assert meetings_plan_year_bulk(kelompok_ids=ids, year=2026, acting_user=user) == []
    assert Meeting.objects.count() == 24


def test_bulk_plan_refused_outside_scope(setup: Setup) -> None:
    stranger = make_staff(Role.KORKAB, JEMBER)
    with pytest.raises(PermissionDenied):
        meetings_plan_year_bulk(kelompok_ids=[setup.group.pk], year=2026, acting_user=stranger.user)
    assert not Meeting.objects.exists()


def test_command_plans_a_kecamatan_twice_without_duplicates(setup: Setup) -> None:
    username = setup.operator.user.username
    call_command("plan_meetings", user=username, kecamatan=MAESAN, year=2026)
    assert Meeting.objects.filter(kelompok=setup.group).count() == 12
    call_command("plan_meetings", user=username, kecamatan=MAESAN, year=2026)
    assert Meeting.objects.filter(kelompok=setup.group).count() == 12


@pytest.mark.parametrize("who", ["pendamping", "korkab_elsewhere"])
def test_command_refused_for_pendamping_and_other_kabupaten(setup: Setup, who: str) -> None:
    staff = setup.pendamping if who == "pendamping" else make_staff(Role.KORKAB, JEMBER)
    with pytest.raises(CommandError):
        call_command("plan_meetings", user=staff.user.username, kecamatan=MAESAN, year=2026)
    assert not Meeting.objects.exists()
