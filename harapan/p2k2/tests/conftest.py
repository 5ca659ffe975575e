from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from harapan.accounts.models import Role, Staff
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Meeting
from harapan.meetings.services import attendance_record
from harapan.regions.models import Region
from harapan.registry.models import Household
from harapan.testing import MAESAN, PASSWORD, first_desa, make_household, make_staff


@pytest.fixture(autouse=True)
def national_catalogue(db: None) -> None:
    """The catalogue comes from data migration p2k2.0002; a transactional test elsewhere in the
    session ends with a flush that empties it, so load it again when it is missing."""
    from harapan.p2k2.catalogue import load_catalogue
    from harapan.p2k2.models import KnowledgeChoice, KnowledgeQuestion, Module, Session

    if not Module.objects.filter(kind="inti").exists():
        load_catalogue(Module, Session, KnowledgeQuestion, KnowledgeChoice)


# --- Groups, held meetings and knowledge checks ----------------------------------------------

_codes = itertools.count(1)
H, IZ, A = ("hadir", ""), ("izin", "sakit"), ("alpa", "")


@dataclass
class Group:
    desa: Region
    pendamping: Staff
    kelompok: Kelompok
    families: list[Household]


def make_group(desa: Region, pendamping: Staff, families: list[Household], since: dt.date) -> Kelompok:
    n = next(_codes)
    kelompok = Kelompok.objects.create(code=f"KLP-P2K2-{n}", name=f"Melati {n}", desa=desa, pendamping=pendamping)
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=kelompok, valid_from=since) for h in families]
    )
    return kelompok


def new_group(families: int = 3, pendamping: Staff | None = None) -> Group:
    desa = first_desa(MAESAN)
    pendamping = pendamping or make_staff(Role.PENDAMPING, MAESAN)
    members = [make_household(desa=desa, pendamping=pendamping) for _ in range(families)]
    return Group(desa, pendamping, make_group(desa, pendamping, members, dt.date(2025, 1, 1)), members)


@pytest.fixture
def group(db: None) -> Group:
    """A Maesan group of three families with its pendamping."""
    return new_group()


def hold(
    kelompok: Kelompok, session_number: int | Any, day: dt.date, marks: dict[int, tuple[str, str]], user: Any
) -> Meeting:
    """A meeting of ``kelompok`` on session ``session_number`` (a national number or a Session),
    held through the real attendance service."""
    from harapan.p2k2.models import Session

    session = session_number if isinstance(session_number, Session) else Session.objects.get(number=session_number)
    meeting = Meeting.objects.create(kelompok=kelompok, session=session, scheduled_on=day)
    attendance_record(meeting=meeting, marks=marks, acting_user=user)
    return meeting


def month(n: int, year: int = 2026) -> dt.date:
    return dt.date(year + (n - 1) // 12, (n - 1) % 12 + 1, 10)


def client_for(staff: Staff) -> Client:
    client = Client()
    assert client.login(username=staff.user.username, password=PASSWORD)
    return client
