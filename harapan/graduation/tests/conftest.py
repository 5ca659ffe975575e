"""A small world for graduation tests: a pendamping of Maesan with a family, another pendamping,
the korkab of Bondowoso and a korkab of Jember (out of scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from harapan.accounts.models import Role, Staff
from harapan.graduation.models import GraduationAssessment
from harapan.graduation.services import assessment_record
from harapan.registry.models import Household
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_household, make_staff

# A scan of the signed statement: a 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

READY_ANSWERS: dict[str, Any] = {
    "usaha_berjalan": True,
    "aset_produktif": 2,
    "rumah_layak": True,
    "anak_bersekolah": True,
    "tanpa_komponen": False,
}


@dataclass
class World:
    pendamping: Staff
    other_pendamping: Staff
    korkab: Staff
    korkab_jember: Staff
    family: Household


@pytest.fixture
def world(db: None) -> World:
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    return World(
        pendamping=pendamping,
        other_pendamping=make_staff(Role.PENDAMPING, MAESAN, full_name="Pak Budi"),
        korkab=make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab"),
        korkab_jember=make_staff(Role.KORKAB, JEMBER, full_name="Korkab Jember"),
        family=make_household(desa="35.11.01.2001", pendamping=pendamping),
    )


def assess(world: World, household: Household | None = None, **extra: Any) -> GraduationAssessment:
    data: dict[str, Any] = {
        "answers": READY_ANSWERS,
        "income_per_month": 3_500_000,
        "need_per_month": 2_800_000,
        "business_type": "Warung kelontong",
        "kpm_willing": True,
        **extra,
    }
    return assessment_record(household=household or world.family, acting_user=world.pendamping.user, **data)


def client_of(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def days_ago(n: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=n)
