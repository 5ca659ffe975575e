"""Group and caseload pages, and their scope (issue 3; accounts.scope: a pendamping sees only
their own families and groups)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from harapan.accounts.models import Role
from harapan.groups.models import GroupMembership, Kelompok
from harapan.groups.services import kelompok_form_for_kecamatan
from harapan.registry.models import Household
from harapan.testing import JEMBER, MAESAN, make_staff

from .conftest import Area, families

DAY = dt.date(2026, 1, 1)


@pytest.fixture
def formed(maesan: Area) -> tuple[Kelompok, Kelompok]:
    families(maesan.desa[0], 12)
    families(maesan.desa[1], 11)
    kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=maesan.operator.user, valid_from=DAY)
    a, b = Kelompok.objects.order_by("code")
    return a, b


def login(staff: object) -> Client:
    client = Client()
    client.force_login(staff.user)  # type: ignore[attr-defined]
    return client


def test_pendamping_sees_only_own_groups(maesan: Area, formed: tuple[Kelompok, Kelompok]) -> None:
    a, b = formed
    owner = a.pendamping
    assert owner is not None and owner.pk != b.pendamping_id
    client = login(owner)
    page = client.get("/kelompok/")
    assert page.status_code == 200
    assert f'data-testid="group-row-{a.pk}"' in page.content.decode()
    assert f'data-testid="group-row-{b.pk}"' not in page.content.decode()
    assert client.get(f"/kelompok/{a.pk}/").status_code == 200
    assert client.get(f"/kelompok/{b.pk}/").status_code == 404
    assert client.get(f"/kelompok/beban/pendamping/{b.pendamping_id}/").status_code == 404
    assert client.get(f"/kelompok/beban/pendamping/{owner.pk}/").status_code == 200
    # No hand moves for a pendamping.
    assert client.post(f"/kelompok/{a.pk}/pendamping/", {"pendamping": b.pendamping_id}).status_code == 403


def test_group_page_shows_families_ketua_and_history(maesan: Area, formed: tuple[Kelompok, Kelompok]) -> None:
    a, _b = formed
    body = login(maesan.operator).get(f"/kelompok/{a.pk}/").content.decode()
    assert 'data-testid="group-members"' in body and "Siti Aminah" in body
    assert a.ketua is not None and a.ketua.name in body
    assert "Riwayat keanggotaan" in body and 'data-testid="group-assign-form"' in body


def test_caseload_page_of_another_kecamatan_is_hidden(maesan: Area, formed: tuple[Kelompok, Kelompok]) -> None:
    client = login(maesan.pendamping[0])
    assert client.get(f"/kelompok/beban/{MAESAN}/").status_code == 200
    assert client.get("/kelompok/beban/35.11.02/").status_code == 404
    korkab = make_staff(Role.KORKAB, JEMBER)
    assert login(korkab).get(f"/kelompok/beban/{MAESAN}/").status_code == 404
    assert login(korkab).get(f"/kelompok/{formed[0].pk}/").status_code == 404


@override_settings(HARAPAN={"groups": {"CASELOAD_MIN": 12, "CASELOAD_MAX": 11}})
def test_caseload_page_marks_over_and_under(maesan: Area, formed: tuple[Kelompok, Kelompok]) -> None:
    body = login(maesan.operator).get(f"/kelompok/beban/{MAESAN}/").content.decode()
    a, b = formed
    assert f'data-testid="caseload-row-{a.pendamping_id}" data-status="over"' in body  # 12 > 11
    assert f'data-testid="caseload-row-{b.pendamping_id}" data-status="under"' in body  # 11 < 12


def test_operator_moves_a_group_and_a_family_through_the_pages(maesan: Area, formed: tuple[Kelompok, Kelompok]) -> None:
    a, b = formed
    client = login(maesan.operator)
    response = client.post(f"/kelompok/{a.pk}/pendamping/", {"pendamping": b.pendamping_id})
    assert response.status_code == 302
    assert set(Household.objects.filter(group_memberships__kelompok=a).values_list("pendamping_id", flat=True)) == {
        b.pendamping_id
    }
    household_id = a.memberships.values_list("household_id", flat=True)[0]
    response = client.post(
        f"/kelompok/{a.pk}/pindah-kpm/", {"household": household_id, "kelompok": b.pk, "valid_from": "2026-02-01"}
    )
    assert response.status_code == 302
    assert GroupMembership.objects.filter(household_id=household_id).count() == 2
    bad = client.post(
        f"/kelompok/{a.pk}/pindah-kpm/", {"household": household_id, "kelompok": b.pk, "valid_from": "2026-02-01"}
    )
    assert bad.status_code == 400


def test_form_groups_command(maesan: Area) -> None:
    families(maesan.desa[0], 12)
    out = StringIO()
    call_command(
        "form_groups", "--user", maesan.operator.user.username, "--kabupaten", "35.11", stdout=out, stderr=StringIO()
    )
    assert f"{MAESAN}: 1 kelompok, 12 KPM" in out.getvalue()
    assert Kelompok.objects.count() == 1
    korkab = make_staff(Role.KORKAB, JEMBER)
    with pytest.raises(CommandError):
        call_command("form_groups", "--user", korkab.user.username, "--kecamatan", MAESAN, stdout=StringIO())
