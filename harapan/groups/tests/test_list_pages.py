"""The group list pages through a district's groups (Bondowoso has ~1,859) 50 at a time, keeps
its search in the page links, and stays inside the user's scope (accounts.scope)."""

from __future__ import annotations

import pytest
from django.test import Client

from harapan.accounts.models import Role
from harapan.groups.models import Kelompok
from harapan.testing import JEMBER, make_staff

from .conftest import Area


def login(staff: object) -> Client:
    client = Client()
    client.force_login(staff.user)  # type: ignore[attr-defined]
    return client


@pytest.fixture
def many(maesan: Area) -> list[Kelompok]:
    desa = maesan.desa[0]
    return Kelompok.objects.bulk_create(
        [Kelompok(code=f"KLP-{n:03d}", name=f"{'Mawar' if n % 2 else 'Melati'} {n}", desa=desa) for n in range(1, 121)]
    )


def test_the_group_list_shows_fifty_a_page(maesan: Area, many: list[Kelompok]) -> None:
    client = login(maesan.operator)
    first = client.get("/kelompok/").content.decode()
    assert first.count('data-testid="group-row-') == 50
    assert 'data-testid="groups-count">120 kelompok' in first
    assert "Halaman 1 dari 3" in first and 'href="?page=2"' in first
    last = client.get("/kelompok/?page=3").content.decode()
    assert last.count('data-testid="group-row-') == 20
    assert f'data-testid="group-row-{many[-1].pk}"' in last
    assert client.get("/kelompok/?page=99").status_code == 200  # past the end: the last page


def test_search_narrows_the_list_and_stays_in_the_page_links(maesan: Area, many: list[Kelompok]) -> None:
    page = login(maesan.operator).get("/kelompok/?q=mawar").content.decode()
    assert page.count('data-testid="group-row-') == 50
    assert 'data-testid="groups-count">60 kelompok' in page
    assert 'href="?q=mawar&amp;page=2"' in page
    first = many[0]
    assert f'data-testid="group-summary-{first.pk}"' in page  # the one-cell summary a phone shows


def test_the_list_stays_inside_the_scope(maesan: Area, many: list[Kelompok]) -> None:
    page = login(make_staff(Role.KORKAB, JEMBER)).get("/kelompok/").content.decode()
    assert 'data-testid="groups-empty"' in page and 'data-testid="groups-count">0 kelompok' in page
