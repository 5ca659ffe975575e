"""Factories for tests: real rows in the real database, built through the models' own rules.

Region codes used by default are real: Kabupaten Bondowoso (35.11), Kecamatan Maesan
(35.11.01) and its desa; a second kabupaten (Jember, 35.09) for crossing scope boundaries.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.regions.models import Region
from harapan.registry.models import (
    Household,
    HouseholdStatus,
    HouseholdStatusPeriod,
    Member,
    Pregnancy,
    SchoolEnrolment,
)
from harapan.registry.rules import compose_nik, compose_no_kk

PASSWORD = "rahasia-uji-123"
BONDOWOSO = "35.11"
MAESAN = "35.11.01"
JEMBER = "35.09"

_serial = itertools.count(1)


def first_desa(kecamatan: str) -> Region:
    return Region.objects.filter(parent_id=kecamatan).order_by("code").first()  # type: ignore[return-value]


def first_kecamatan(kabupaten: str) -> Region:
    return Region.objects.filter(parent_id=kabupaten).order_by("code").first()  # type: ignore[return-value]


def make_staff(role: str, region: str | None, username: str | None = None, **extra: Any) -> Staff:
    username = username or f"{role}{next(_serial)}"
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    return Staff.objects.create(
        user=user, role=role, region_id=region, full_name=extra.pop("full_name", username.title()), **extra
    )


def make_household(
    *,
    desa: Region | str | None = None,
    pendamping: Staff | None = None,
    status: str = HouseholdStatus.AKTIF,
    children: list[tuple[dt.date, str | None]] | None = None,
    pregnant_since: dt.date | None = None,
    head_birth: dt.date = dt.date(1985, 3, 14),
    wife_birth: dt.date = dt.date(1988, 7, 2),
) -> Household:
    """A family of a head (L), a wife who is the carer (P), and children given as
    (birth date, school level or None). NIKs and No KK are valid for the desa's kecamatan."""
    if desa is None:
        desa = first_desa(MAESAN)
    desa_code = desa if isinstance(desa, str) else desa.code
    kec = desa_code.rsplit(".", 1)[0]
    n = next(_serial)
    no_kk = compose_no_kk(kec, dt.date(2015, 1, 5), n % 9999 + 1)  # the serial has four digits
    today = timezone.localdate()
    household = Household.objects.create(
        pkh_id=f"PKH{n:08d}",
        no_kk=no_kk,
        desa_id=desa_code,
        address=f"Dusun Krajan No. {n}",
        rt="001",
        rw="002",
        status=status,
        status_since=dt.date(2020, 1, 1),
        pendamping=pendamping,
    )
    HouseholdStatusPeriod.objects.create(household=household, status=status, valid_from=dt.date(2020, 1, 1))
    active = status in (HouseholdStatus.CALON, HouseholdStatus.AKTIF, HouseholdStatus.DITANGGUHKAN)

    def member(name: str, sex: str, birth: dt.date, rel: int, carer: bool = False) -> Member:
        return Member.objects.create(
            household=household,
            nik=compose_nik(kec, birth, sex, next(_serial) % 9999 + 1),
            no_kk=no_kk,
            name=name,
            sex=sex,
            birth_date=birth,
            relationship=rel,
            is_carer=carer,
            is_active=active,
        )

    member(f"Sutrisno {n}", "L", head_birth, 1)
    wife = member(f"Siti Aminah {n}", "P", wife_birth, 2, carer=True)
    if pregnant_since:
        Pregnancy.objects.create(member=wife, valid_from=pregnant_since)
    for i, (birth, level) in enumerate(children or []):
        child = member(f"Anak {i + 1} {n}", "L" if i % 2 else "P", birth, 3)
        if level:
            SchoolEnrolment.objects.create(member=child, level=level, valid_from=today.replace(month=1, day=1))
    return household


ALL_ROLES = [r.value for r in Role]
