from __future__ import annotations

from dataclasses import dataclass

import pytest

from harapan.accounts.models import Role, Staff
from harapan.regions.models import Region
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff


@dataclass
class Area:
    desa: list[Region]
    operator: Staff
    pendamping: list[Staff]


@pytest.fixture
def maesan(db: None) -> Area:
    """Three desa of Kecamatan Maesan, an operator of Bondowoso and two pendamping of Maesan."""
    desa = list(Region.objects.filter(parent_id=MAESAN).order_by("code")[:3])
    return Area(
        desa=desa,
        operator=make_staff(Role.OPERATOR, BONDOWOSO),
        pendamping=[make_staff(Role.PENDAMPING, MAESAN), make_staff(Role.PENDAMPING, MAESAN)],
    )


def families(desa: Region, n: int) -> list[int]:
    return [make_household(desa=desa).pk for _ in range(n)]
