"""The complaint pages: the list with its filters, search and pagination; a new case from the list
and from a family page; a case's page with its timeline and steps (htmx in place, or a plain
post); the family page's block and the nav (RULES.md: Disbursement and data, People and ratios)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from harapan.grievances.models import ActionKind, Grievance, GrievanceStatus
from harapan.grievances.services import grievance_escalate, grievance_take

from .conftest import MAESAN_DESA, World, client_of, lodge

pytestmark = pytest.mark.django_db


def rows(client: Client, **params: Any) -> list[str]:
    page = client.get("/pengaduan/", params).content.decode()
    return re.findall(r'data-number="([^"]+)"', page)


def test_the_list_filters_by_status_category_overdue_and_escalation(world: World) -> None:
    old = lodge(world.pendamping, world.family, code="pin_lupa", opened_at=timezone.now() - dt.timedelta(days=20))
    fresh = lodge(world.pendamping, world.family, code="kks_hilang")
    taken = lodge(world.pendamping, world.family, code="saldo_nol")
    grievance_take(grievance=taken, acting_user=world.pendamping.user)
    grievance_escalate(grievance=taken, acting_user=world.pendamping.user)
    client = client_of(world.korkab)
    assert rows(client) == [taken.number, fresh.number, old.number]  # newest first
    assert rows(client, status="ditangani") == [taken.number]
    assert rows(client, status="terbuka") == [taken.number, fresh.number, old.number]
    assert rows(client, kategori="kks_hilang") == [fresh.number]
    assert rows(client, terlambat="on") == [old.number]
    assert rows(client, eskalasi="on") == [taken.number]
    assert rows(client, q=str(int(old.number.rsplit("-", 1)[1]))) == [old.number]  # "1" finds ADU-YYYY-000001
    assert rows(client, q=old.number) == [old.number]
    page = client.get("/pengaduan/").content.decode()
    assert f'data-testid="overdue-badge-{old.pk}"' in page and f'data-testid="overdue-badge-{fresh.pk}"' not in page
    assert 'data-testid="count-overdue"' in page


def test_the_list_is_paginated(world: World) -> None:
    for _ in range(3):
        lodge(world.pendamping, world.family)
    client = client_of(world.pendamping)
    with override_settings(HARAPAN={"grievances": {"PAGE_SIZE": 2}}):
        assert len(rows(client)) == 2 and len(rows(client, page=2)) == 1
        assert 'data-testid="page-next"' in client.get("/pengaduan/").content.decode()


def test_search_by_nik_name_and_lodger(world: World) -> None:
    mine = lodge(world.pendamping, world.family, name="Pak Kepala Dusun")
    other = lodge(world.korkab, world.other_family)
    carer = world.family.members.get(is_carer=True)
    client = client_of(world.korkab)
    assert rows(client, q=carer.nik) == [mine.number]
    assert rows(client, q=carer.name) == [mine.number]
    assert rows(client, q="kepala dusun") == [mine.number]
    assert rows(client, q=world.other_family.pkh_id) == [other.number]
    assert rows(client, q=world.family.no_kk) == [mine.number]


def test_a_pendamping_lodges_from_the_family_page_with_the_family_preselected(world: World) -> None:
    client = client_of(world.pendamping)
    family_page = client.get(f"/kpm/{world.family.pk}/").content.decode()
    assert 'data-testid="family-grievance-none"' in family_page
    assert f'href="/pengaduan/baru/?kpm={world.family.pk}"' in family_page
    form = client.get(f"/pengaduan/baru/?kpm={world.family.pk}").content.decode()
    carer = world.family.members.get(is_carer=True)
    assert 'data-testid="lodge-family"' in form and 'name="kpm"' not in form and 'name="desa"' not in form
    assert f'value="{carer.name}"' in form  # the carer lodges by default
    response = client.post(
        "/pengaduan/baru/",
        {
            "household": world.family.pk,
            "category": "kartu_tertelan",
            "lodged_by_name": carer.name,
            "lodged_by_kind": "kpm",
            "channel": "p2k2",
            "description": "Kartu tertelan di ATM kecamatan.",
        },
    )
    g = Grievance.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pengaduan/{g.pk}/"
    assert (g.household_id, g.desa_id, g.channel, g.category.code) == (
        world.family.pk,
        MAESAN_DESA,
        "p2k2",
        "kartu_tertelan",
    )
    family_page = client.get(f"/kpm/{world.family.pk}/").content.decode()
    assert f'data-testid="family-grievance-{g.pk}"' in family_page


def test_a_family_out_of_scope_cannot_be_preselected(world: World) -> None:
    assert client_of(world.pendamping).get(f"/pengaduan/baru/?kpm={world.other_family.pk}").status_code == 404
    response = client_of(world.pendamping).post(
        "/pengaduan/baru/",
        {
            "household": world.other_family.pk,
            "category": "pin_lupa",
            "lodged_by_name": "X",
            "lodged_by_kind": "kpm",
            "channel": "telepon",
            "description": "x",
        },
    )
    assert response.status_code == 404 and not Grievance.objects.exists()


def test_the_list_form_finds_the_family_by_nik_or_takes_a_desa(world: World) -> None:
    client = client_of(world.korkab)
    form = client.get("/pengaduan/baru/").content.decode()
    assert 'name="kpm"' in form and f'<option value="{MAESAN_DESA}"' in form and '<option value="35.09.' not in form
    nik = world.other_family.members.get(is_carer=True).nik
    data = {
        "category": "data_salah",
        "lodged_by_name": "Ibu",
        "lodged_by_kind": "kpm",
        "channel": "whatsapp",
        "description": "Nama salah.",
    }
    assert client.post("/pengaduan/baru/", {**data, "kpm": nik}).status_code == 302
    assert Grievance.objects.get().household_id == world.other_family.pk
    response = client.post("/pengaduan/baru/", {**data, "kpm": "9999999999999999"})
    assert response.status_code == 400 and 'data-testid="error-lodge-kpm"' in response.content.decode()
    response = client.post("/pengaduan/baru/", {**data, "category": "belum_terdaftar", "desa": MAESAN_DESA})
    assert response.status_code == 302 and Grievance.objects.filter(household=None, desa_id=MAESAN_DESA).exists()
    response = client.post("/pengaduan/baru/", {**data, "category": "kks_hilang"})
    assert response.status_code == 400 and "harus menyebut KPM" in response.content.decode()


def test_a_pendamping_chooses_among_the_desa_of_their_kecamatan(world: World) -> None:
    form = client_of(world.pendamping).get("/pengaduan/baru/").content.decode()
    assert f'<option value="{MAESAN_DESA}"' in form and '<option value="35.11.02.' not in form


def test_a_step_with_htmx_answers_the_case_block_in_place(world: World) -> None:
    g = lodge(world.pendamping, world.family)
    client = client_of(world.pendamping)
    page = client.get(f"/pengaduan/{g.pk}/").content.decode()
    assert 'data-testid="step-take"' in page and 'data-testid="step-resolve"' not in page
    response = client.post(f"/pengaduan/{g.pk}/tangani/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="case"' in body
    assert 'data-status="ditangani"' in body and 'data-testid="case-done"' in body
    assert 'data-testid="step-resolve"' in body and 'data-testid="step-ditangani"' in body
    # A refused step shows its problem in place (htmx swaps only a 200).
    response = client.post(f"/pengaduan/{g.pk}/selesaikan/", {"resolution": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-testid="case-problem"' in response.content.decode()
    g.refresh_from_db()
    assert g.status == GrievanceStatus.DITANGANI


def test_a_plain_post_redirects_or_shows_the_problem(world: World) -> None:
    g = lodge(world.korkab, world.family)
    client = client_of(world.korkab)
    response = client.post(f"/pengaduan/{g.pk}/selesaikan/", {"resolution": "Beres."})
    assert response.status_code == 409 and "tangani pengaduan ini terlebih dahulu" in response.content.decode()
    assert client.post(f"/pengaduan/{g.pk}/eskalasi/", {"note": "Mohon dibantu."}).status_code == 302
    assert client.post(f"/pengaduan/{g.pk}/catatan/", {"note": "Dihubungi."}).status_code == 302
    assert client.post(f"/pengaduan/{g.pk}/tutup/", {"reason": "Bukan urusan PKH."}).status_code == 302
    assert client.post(f"/pengaduan/{g.pk}/buka-kembali/", {"reason": "Ternyata urusan PKH."}).status_code == 302
    assert client.post(f"/pengaduan/{g.pk}/hapus/").status_code == 404
    assert client_of(world.operator).post(f"/pengaduan/{g.pk}/tutup/", {"reason": "x"}).status_code == 403
    page = client.get(f"/pengaduan/{g.pk}/").content.decode()
    for kind in (
        ActionKind.DIBUAT,
        ActionKind.DIESKALASI,
        ActionKind.CATATAN,
        ActionKind.DITUTUP,
        ActionKind.DIBUKA_KEMBALI,
    ):
        assert f'data-testid="step-{kind}"' in page
    assert 'data-testid="case-escalated-to">Pak Korkab' in page


def test_the_nav_links_the_complaints(world: World) -> None:
    page = client_of(world.pendamping).get("/pengaduan/").content.decode()
    assert 'data-testid="nav-grievances"' in page and 'aria-current="page">Pengaduan' in page


def test_the_export_is_an_xlsx_of_the_filtered_list(world: World) -> None:
    lodge(world.pendamping, world.family, code="pin_lupa")
    lodge(world.pendamping, world.family, code="kks_hilang")
    import io

    from openpyxl import load_workbook

    response = client_of(world.korkab).get("/pengaduan/unduh.xlsx", {"kategori": "kks_hilang"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    table = list(ws.iter_rows(values_only=True))
    assert table[0][0] == "Nomor" and len(table) == 2 and table[1][3] == "Kartu KKS hilang"
