from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from harapan.accounts.models import Role, Staff
from harapan.groups.models import GroupMembership, Kelompok
from harapan.registry.models import Household
from harapan.testing import BONDOWOSO, MAESAN, first_desa, make_household, make_staff


@dataclass
class Setup:
    pendamping: Staff
    other_pendamping: Staff
    operator: Staff
    kelompok: Kelompok
    other_kelompok: Kelompok
    family: Household
    outsider: Household


@pytest.fixture
def setup(db: None) -> Setup:
    """Two groups in a desa of Maesan (Bondowoso), each with its own pendamping and one family."""
    desa = first_desa(MAESAN)
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Pendamping Rahayu")
    other_pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Pak Pendamping Lain")
    kelompok = Kelompok.objects.create(code="3511-PROD-1", name="Kelompok Melati", desa=desa, pendamping=pendamping)
    other = Kelompok.objects.create(code="3511-PROD-2", name="Kelompok Mawar", desa=desa, pendamping=other_pendamping)
    family = make_household(desa=desa, pendamping=pendamping)
    outsider = make_household(desa=desa, pendamping=other_pendamping)
    GroupMembership.objects.create(household=family, kelompok=kelompok, valid_from=dt.date(2025, 1, 1))
    GroupMembership.objects.create(household=outsider, kelompok=other, valid_from=dt.date(2025, 1, 1))
    return Setup(
        pendamping=pendamping,
        other_pendamping=other_pendamping,
        operator=make_staff(Role.OPERATOR, BONDOWOSO),
        kelompok=kelompok,
        other_kelompok=other,
        family=family,
        outsider=outsider,
    )
