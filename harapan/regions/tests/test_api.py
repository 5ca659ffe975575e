"""Region API: the Kemendagri tree as JSON (RULES.md: Identity numbers, "Region codes")."""

from __future__ import annotations

import pytest

from harapan.accounts.models import Role
from harapan.testing import BONDOWOSO, MAESAN, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    client.force_login(make_staff(Role.PENDAMPING, MAESAN).user)
    return client


def test_regions_api_needs_login(client) -> None:
    assert client.get("/api/v1/regions").status_code == 401
    assert client.get(f"/api/v1/regions/{MAESAN}").status_code == 401


def test_regions_api_lists_provinces_then_children(api) -> None:
    provinces = api.get("/api/v1/regions").json()
    assert len(provinces) == 38
    assert {(p["code"], p["level"], p["parent"]) for p in provinces if p["name"] == "Jawa Timur"} == {("35", 1, None)}
    children = api.get("/api/v1/regions", {"parent": BONDOWOSO}).json()
    assert len(children) == 23
    assert children[0] == {
        "code": MAESAN,
        "name": "Maesan",
        "level": 3,
        "kind": "kecamatan",
        "parent": BONDOWOSO,
        "postal_code": "",
    }
    assert len(api.get("/api/v1/regions", {"parent": "351101"}).json()) == 12


def test_regions_api_search_and_get(api) -> None:
    found = api.get("/api/v1/regions", {"q": "Sucolor", "parent": BONDOWOSO}).json()
    assert [r["code"] for r in found] == ["35.11.01.2001"]
    one = api.get("/api/v1/regions/35.11.01.2001").json()
    assert one["postal_code"] == "68262" and one["parent"] == MAESAN
    assert api.get("/api/v1/regions/99.99").status_code == 404
