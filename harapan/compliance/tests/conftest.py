from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from harapan.accounts.models import Role, Staff
from harapan.compliance.catalogue import load_obligations
from harapan.compliance.models import Obligation, ObligationRecord
from harapan.compliance.services import RecordInput, evaluate_households, periods_for, records_save
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Meeting
from harapan.meetings.services import attendance_record
from harapan.regions.models import Region
from harapan.registry.models import Household, Member, SchoolEnrolment
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff

_codes = itertools.count(1)


@pytest.fixture(autouse=True)
def obligations(db: None) -> None:
    """The obligation catalogue (loaded by a migration; a transactional test's flush empties it)."""
    load_obligations(Obligation)


@dataclass
class World:
    desa: Region
    pendamping: Staff
    other_pendamping: Staff
    operator: Staff
    korkab: Staff
    dinsos: Staff
    family: Household  # a pupil (SD), enrolled from January
    pupil: Member
    other: Household  # another pendamping's family


def school_family(
    desa: Region | str, pendamping: Staff, *, npsn: str = "20523456", nisn: str = "0012345678"
) -> Household:
    """A family with one SD pupil (10 years old) enrolled at a school from 1 January 2026."""
    household = make_household(desa=desa, pendamping=pendamping, children=[(dt.date(2016, 5, 5), None)])
    child = household.members.get(relationship=3)
    SchoolEnrolment.objects.create(
        member=child,
        level="SD",
        grade=4,
        npsn=npsn,
        nisn=nisn,
        school_name="SDN SUCOLOR 1",
        valid_from=dt.date(2026, 1, 1),
    )
    return household


@pytest.fixture
def world(db: None) -> World:
    desa = Region.objects.filter(parent_id=MAESAN).order_by("code").first()
    assert desa is not None
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Pendamping Maesan")
    other_pendamping = make_staff(Role.PENDAMPING, MAESAN)
    family = school_family(desa, pendamping)
    return World(
        desa=desa,
        pendamping=pendamping,
        other_pendamping=other_pendamping,
        operator=make_staff(Role.OPERATOR, BONDOWOSO),
        korkab=make_staff(Role.KORKAB, BONDOWOSO),
        dinsos=make_staff(Role.DINSOS_KAB, BONDOWOSO),
        family=family,
        pupil=family.members.get(relationship=3),
        other=school_family(desa, other_pendamping, npsn="20523999", nisn="0099999999"),
    )


def obligation(code: str) -> Obligation:
    return Obligation.objects.get(code=code)


def m(n: int, year: int = 2026) -> dt.date:
    return dt.date(year, n, 1)


def record(
    household: Household,
    member: Member | None,
    code: str,
    month: dt.date,
    met: bool,
    *,
    user: Any,
    value: str | None = None,
) -> None:
    """Write one record through the save path (a correction when it exists)."""
    period = periods_for([month])[month]
    records_save(
        [
            RecordInput(
                household.pk,
                member.pk if member else None,
                obligation(code).pk,
                period.pk,
                met,
                value=Decimal(value) if value is not None else None,
            )
        ],
        source="form",
        acting_user=user,
    )


def attendance(world: World, month: dt.date, met: bool, *, family: Household | None = None) -> None:
    """The pupil's school attendance for a month: 95% or 70% of effective days."""
    household = family or world.family
    pupil = household.members.get(relationship=3)
    record(household, pupil, "sekolah_kehadiran", month, met, user=world.pendamping.user, value="95" if met else "70")


def evaluate(world: World, month: dt.date, *families: Household) -> Any:
    ids = [h.pk for h in (families or (world.family,))]
    return evaluate_households(ids, month=month, acting_user=world.operator.user)


def get_record(household: Household, code: str, month: dt.date) -> ObligationRecord:
    return ObligationRecord.objects.get(household=household, obligation__code=code, period__month=month)


def make_group(desa: Region, pendamping: Staff, families: list[Household], since: dt.date) -> Kelompok:
    n = next(_codes)
    group = Kelompok.objects.create(
        code=f"KLP-VK-{n}", name=f"Kelompok Verifikasi {n}", desa=desa, pendamping=pendamping
    )
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=group, valid_from=since) for h in families]
    )
    return group


def hold(group: Kelompok, day: dt.date, marks: dict[int, tuple[str, str]], user: Any) -> Meeting:
    meeting = Meeting.objects.create(kelompok=group, scheduled_on=day)
    attendance_record(meeting=meeting, marks=marks, acting_user=user)
    return meeting
