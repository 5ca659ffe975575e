"""A small world for the dashboard tests: two pendamping of Kecamatan Maesan (Bondowoso) with
families in two of its desa, a family in Kecamatan Tamanan, one in Jember (another kabupaten of the
province), staff of the roles that change records, and helpers to read stored figures and pages."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.dashboards.models import Figure
from harapan.dashboards.services import figures_refresh_all
from harapan.groups.models import GroupMembership, Kelompok
from harapan.registry.models import Household
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, first_desa, make_household, make_staff

DESA_A = "35.11.01.2001"  # Sucolor, Maesan
DESA_B = "35.11.01.2004"
TAMANAN_DESA = "35.11.02.2001"


@dataclass
class World:
    pa: Staff
    pb: Staff
    korkab: Staff
    operator: Staff
    dinsos: Staff
    a: list[Household]  # pendamping A's families in DESA_A
    b: list[Household]  # pendamping B's families in DESA_B
    tamanan: Household
    jember: Household


@pytest.fixture
def world(db: None) -> World:
    pa = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Ani")
    pb = make_staff(Role.PENDAMPING, MAESAN, full_name="Pak Budi")
    jember_desa = first_desa(f"{JEMBER}.01")
    return World(
        pa=pa,
        pb=pb,
        korkab=make_staff(Role.KORKAB, BONDOWOSO, full_name="Korkab Bondowoso"),
        operator=make_staff(Role.OPERATOR, BONDOWOSO, full_name="Operator Bondowoso"),
        dinsos=make_staff(Role.DINSOS_KAB, BONDOWOSO, full_name="Dinsos Bondowoso"),
        a=[make_household(desa=DESA_A, pendamping=pa) for _ in range(3)],
        b=[make_household(desa=DESA_B, pendamping=pb) for _ in range(2)],
        tamanan=make_household(desa=TAMANAN_DESA),
        jember=make_household(desa=jember_desa),
    )


def refresh() -> None:
    """Every figure, as the nightly command does (factories write no audit events to mark them)."""
    figures_refresh_all()


def fig(area: str, metric: str, period: str = "") -> int:
    row = Figure.objects.filter(area=area, metric=metric, period=period).first()
    return row.value if row else 0


def client_for(staff: Any) -> Client:
    """A client logged in as a staff member (or a user)."""
    c = Client()
    c.force_login(staff.user if isinstance(staff, Staff) else staff)
    return c


def card(html: str, key: str) -> str:
    """The big number of a card on a dashboard page."""
    return html.split(f'data-testid="figure-{key}">', 1)[1].split("<", 1)[0]


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def make_group(code: str, desa: str, pendamping: Staff, households: list[Household]) -> Kelompok:
    kelompok = Kelompok.objects.create(code=code, name=f"Kelompok {code}", desa_id=desa, pendamping=pendamping)
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=kelompok, valid_from=dt.date(2020, 1, 1)) for h in households]
    )
    return kelompok


def give_accounts(*households: Household) -> None:
    for i, h in enumerate(households):
        Household.objects.filter(pk=h.pk).update(
            bank="BRI",
            account_number=f"{1000000000 + h.pk:015d}",
            account_name=f"KPM {i}",
            kks_number=f"6019{h.pk:012d}",
        )


RESULT_COLUMNS = (
    "ID_SALUR",
    "NIK_PENGURUS",
    "NO_REKENING",
    "NAMA_REKENING",
    "NOMINAL",
    "STATUS_SALUR",
    "TGL_PROSES",
    "KODE_ALASAN",
    "KETERANGAN",
    "STATUS_REKENING",
    "SALDO",
)


def bank_result(path: Path, lines: list[Any], statuses: list[str]) -> Path:
    """A bank result file (FORMATS.md §6.3) for ``lines``: SALUR, or GAGAL with a carrying reason."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=RESULT_COLUMNS, delimiter=";")
        writer.writeheader()
        for line, status in zip(lines, statuses, strict=True):
            writer.writerow(
                {
                    "ID_SALUR": line.id_salur,
                    "NIK_PENGURUS": line.carer_nik,
                    "NO_REKENING": line.account_number,
                    "NAMA_REKENING": line.account_name,
                    "NOMINAL": line.amount,
                    "STATUS_SALUR": status,
                    "TGL_PROSES": f"{timezone.localdate():%Y-%m-%d}",
                    "KODE_ALASAN": "SALDO_NOL" if status == "GAGAL" else "",
                    "KETERANGAN": "",
                    "STATUS_REKENING": "AKTIF",
                    "SALDO": "0",
                }
            )
    return path
