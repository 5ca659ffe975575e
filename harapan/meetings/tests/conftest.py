from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from harapan.accounts.models import Role, Staff
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Meeting, Venue
from harapan.meetings.services import attendance_record
from harapan.regions.models import Region
from harapan.registry.models import Household
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff

_codes = itertools.count(1)


@dataclass
class Setup:
    desa: Region
    pendamping: Staff
    other_pendamping: Staff
    operator: Staff
    group: Kelompok
    families: list[Household]


def make_group(desa: Region, pendamping: Staff, families: list[Household], since: dt.date) -> Kelompok:
    n = next(_codes)
    group = Kelompok.objects.create(code=f"KLP-UJI-{n}", name=f"Kelompok Uji {n}", desa=desa, pendamping=pendamping)
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=group, valid_from=since) for h in families]
    )
    return group


@pytest.fixture
def setup(db: None) -> Setup:
    desa = Region.objects.filter(parent_id=MAESAN).order_by("code").first()
    assert desa is not None
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    families = [make_household(desa=desa, pendamping=pendamping) for _ in range(3)]
    return Setup(
        desa=desa,
        pendamping=pendamping,
        other_pendamping=make_staff(Role.PENDAMPING, MAESAN),
        operator=make_staff(Role.OPERATOR, BONDOWOSO),
        group=make_group(desa, pendamping, families, dt.date(2025, 1, 1)),
        families=families,
    )


def hold(group: Kelompok, day: dt.date, marks: dict[int, tuple[str, str]], user: Any) -> Meeting:
    meeting = Meeting.objects.create(kelompok=group, scheduled_on=day)
    attendance_record(meeting=meeting, marks=marks, acting_user=user)
    return meeting


def month(n: int) -> dt.date:
    return dt.date(2026, n, 10)


_venues = itertools.count(1)


def make_venue(desa: Region | str, *, layak: bool = True, capacity: int | None = 40, **extra: Any) -> Venue:
    """A meeting place written straight to the table (the venue services have their own tests)."""
    criteria = {
        "easy_to_reach": True,
        "large_enough": True,
        "fit_for_material": True,
        "away_from_busy_places": layak,
    }
    return Venue.objects.create(
        desa_id=desa if isinstance(desa, str) else desa.code,
        name=extra.pop("name", f"Balai Uji {next(_venues)}"),
        kind=extra.pop("kind", "balai_desa"),
        capacity=capacity,
        **{**criteria, **extra},
    )
