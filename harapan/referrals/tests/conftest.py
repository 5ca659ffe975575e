"""A small world for referral tests: a pendamping of Maesan with a family of two parents, a pupil of
ten and a toddler; another pendamping; the korkab of Bondowoso; a korkab of Jember (out of scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.referrals.models import Programme
from harapan.referrals.seeds import load_programmes
from harapan.registry.models import Household, Member
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_household, make_staff

MAESAN_DESA = "35.11.01.2001"


@dataclass
class World:
    pendamping: Staff
    other_pendamping: Staff
    korkab: Staff
    korkab_jember: Staff
    family: Household
    pupil: Member  # ten years old, at SD
    toddler: Member  # two years old
    mother: Member


def years_ago(n: int, *, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - n) - dt.timedelta(days=days)


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def programmes(db: None) -> None:
    """The programmes (loaded by a migration; a transactional test's flush empties them)."""
    load_programmes(Programme)


def programme(code: str) -> Programme:
    return Programme.objects.get(code=code)


@pytest.fixture
def world(db: None) -> World:
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    family = make_household(
        desa=MAESAN_DESA,
        pendamping=pendamping,
        children=[(years_ago(10, days=40), "SD"), (years_ago(2, days=10), None)],
    )
    members = list(family.members.order_by("birth_date"))
    return World(
        pendamping=pendamping,
        other_pendamping=make_staff(Role.PENDAMPING, MAESAN, full_name="Pak Budi"),
        korkab=make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab"),
        korkab_jember=make_staff(Role.KORKAB, JEMBER, full_name="Korkab Jember"),
        family=family,
        pupil=members[2],
        toddler=members[3],
        mother=family.members.get(is_carer=True),
    )


def client_of(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client
