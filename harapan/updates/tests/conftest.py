"""Fixtures of the pemutakhiran tests: a Maesan family with its pendamping, the approvers of
Bondowoso and Jawa Timur, and helpers to submit and approve."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.registry.models import Household, Member
from harapan.registry.rules import compose_nik
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_household, make_staff
from harapan.updates.models import DataUpdate
from harapan.updates.services import update_decide, update_submit

# The first bytes of a JPEG and a PNG: what the evidence check recognises a photo by.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def photo(name: str = "akta.jpg", data: bytes = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def years_ago(years: int, days: int = 0) -> dt.date:
    t = today()
    return t.replace(year=t.year - years) - dt.timedelta(days=days)


_serial = iter(range(7000, 9999))


def add_member(household: Household, name: str, sex: str, birth: dt.date, relationship: int) -> Member:
    kec = household.desa_id.rsplit(".", 1)[0]
    return Member.objects.create(
        household=household,
        nik=compose_nik(kec, birth, sex, next(_serial)),
        no_kk=household.no_kk,
        name=name,
        sex=sex,
        birth_date=birth,
        relationship=relationship,
        is_active=household.in_programme,
    )


@dataclass
class World:
    pendamping: Staff
    other_pendamping: Staff
    korkab: Staff
    korkab_2: Staff
    korkab_jember: Staff
    operator: Staff
    dinsos_prov: Staff
    ministry: Staff
    family: Household

    @property
    def wife(self) -> Member:
        return self.family.members.get(is_carer=True)

    @property
    def head(self) -> Member:
        return self.family.members.get(relationship=1)

    def child(self, n: int) -> Member:
        return self.family.members.get(name__startswith=f"Anak {n} ")

    def submit(self, kind: str, *, by: Staff | None = None, **kwargs: Any) -> DataUpdate:
        kwargs.setdefault("evidence", [photo()])
        return update_submit(household=self.family, kind=kind, acting_user=(by or self.pendamping).user, **kwargs)

    def approve(self, update: DataUpdate, *, by: Staff | None = None) -> DataUpdate:
        return update_decide(update=update, approve=True, acting_user=(by or self.korkab).user)

    def approve_all(self, update: DataUpdate) -> DataUpdate:
        """Approve every step with the world's approver of that role."""
        who: dict[str, Staff] = {
            Role.KORKAB: self.korkab,
            Role.DINSOS_PROV: self.dinsos_prov,
            Role.MINISTRY: self.ministry,
        }
        while update.is_open:
            update = self.approve(update, by=who[update.awaiting_role])
        return update


@pytest.fixture
def world(db: None) -> World:
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    family = make_household(
        desa="35.11.01.2001",
        pendamping=pendamping,
        children=[(years_ago(8), "SD"), (years_ago(3), None)],
    )
    return World(
        pendamping=pendamping,
        other_pendamping=make_staff(Role.PENDAMPING, MAESAN, full_name="Pak Budi"),
        korkab=make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab"),
        korkab_2=make_staff(Role.KORKAB, BONDOWOSO, full_name="Bu Korkab Dua"),
        korkab_jember=make_staff(Role.KORKAB, JEMBER, full_name="Korkab Jember"),
        operator=make_staff(Role.OPERATOR, BONDOWOSO, full_name="Operator Bondowoso"),
        dinsos_prov=make_staff(Role.DINSOS_PROV, "35", full_name="Dinsos Jatim"),
        ministry=make_staff(Role.MINISTRY, None, full_name="Kemensos"),
        family=family,
    )
