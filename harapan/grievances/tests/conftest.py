"""A small world for complaint tests: a pendamping of Maesan with a family, another pendamping of
Maesan with theirs, the korkab, supervisor and operator of Bondowoso, and a korkab of Jember (out of
scope). The cross-boundary matrix uses the project-wide ``scope_world``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from harapan.accounts.models import Role, Staff
from harapan.grievances.models import Grievance, GrievanceCategory
from harapan.grievances.services import grievance_lodge
from harapan.registry.models import Household
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_household, make_staff

MAESAN_DESA = "35.11.01.2001"
TAMANAN_DESA = "35.11.02.2001"


@dataclass
class World:
    pendamping: Staff
    other_pendamping: Staff
    korkab: Staff
    supervisor: Staff
    operator: Staff
    dinsos_kab: Staff
    korkab_jember: Staff
    family: Household
    other_family: Household


@pytest.fixture
def world(db: None) -> World:
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    other = make_staff(Role.PENDAMPING, MAESAN, full_name="Pak Budi")
    return World(
        pendamping=pendamping,
        other_pendamping=other,
        korkab=make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab"),
        supervisor=make_staff(Role.SUPERVISOR, BONDOWOSO, full_name="Bu Supervisor"),
        operator=make_staff(Role.OPERATOR, BONDOWOSO, full_name="Mas Operator"),
        dinsos_kab=make_staff(Role.DINSOS_KAB, BONDOWOSO, full_name="Dinsos Bondowoso"),
        korkab_jember=make_staff(Role.KORKAB, JEMBER, full_name="Korkab Jember"),
        family=make_household(desa=MAESAN_DESA, pendamping=pendamping),
        other_family=make_household(desa=MAESAN_DESA, pendamping=other),
    )


def category(code: str) -> GrievanceCategory:
    return GrievanceCategory.objects.get(code=code)


def lodge(
    who: Staff | Any,
    household: Household | None = None,
    *,
    code: str = "pin_lupa",
    desa: str | None = None,
    about: Staff | None = None,
    opened_at: dt.datetime | None = None,
    description: str = "Pengurus lupa PIN kartu KKS, kartu terblokir.",
    name: str = "Ibu Siti",
) -> Grievance:
    user = getattr(who, "user", who)
    return grievance_lodge(
        category=category(code),
        household=household,
        desa=desa,
        about_pendamping=about,
        lodged_by_name=name,
        lodged_by_kind="kpm",
        channel="langsung",
        description=description,
        acting_user=user,
        opened_at=opened_at,
    )


def client_of(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client
