"""Family API: scoped lists and details (accounts.scope), components on a date (RULES.md:
Components and amounts), audit history; 401 for anonymous callers, 404 outside the scope."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.registry.models import HouseholdStatus
from harapan.registry.services import household_set_status
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, first_desa, first_kecamatan, make_household, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    today = timezone.localdate()
    family = make_household(
        pendamping=pendamping,
        pregnant_since=today - dt.timedelta(days=30),
        children=[(today.replace(year=today.year - 2), None)],
    )
    return {
        "pendamping": pendamping,
        "family": family,
        "neighbour": make_household(status=HouseholdStatus.CALON),
        "jember": make_household(desa=first_desa(first_kecamatan(JEMBER).code)),
        "korkab": make_staff(Role.KORKAB, BONDOWOSO),
    }


@pytest.mark.parametrize(
    "url", ["/api/v1/households", "/api/v1/households/1", "/api/v1/households/1/audit", "/api/v1/regions"]
)
def test_api_answers_401_to_anonymous_callers(client, url) -> None:
    assert client.get(url).status_code == 401


def test_household_list_is_scoped_and_paginated(client, world) -> None:
    client.force_login(world["pendamping"].user)
    body = client.get("/api/v1/households").json()
    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (1, 1, 1, 50)
    row = body["results"][0]
    assert row["id"] == world["family"].pk and row["member_count"] == 3
    assert row["carer_name"].startswith("Siti Aminah") and row["desa"] == first_desa(MAESAN).code

    client.force_login(world["korkab"].user)
    ids = {r["id"] for r in client.get("/api/v1/households").json()["results"]}
    assert ids == {world["family"].pk, world["neighbour"].pk}
    calon = client.get("/api/v1/households", {"status": "calon"}).json()
    assert [r["id"] for r in calon["results"]] == [world["neighbour"].pk]
    assert client.get("/api/v1/households", {"q": world["jember"].no_kk}).json()["count"] == 0
    assert client.get("/api/v1/households", {"region": "351101"}).json()["count"] == 2


def test_household_detail_has_members_components_and_status_history(client, world) -> None:
    family = world["family"]
    client.force_login(world["pendamping"].user)
    body = client.get(f"/api/v1/households/{family.pk}").json()
    assert body["pkh_id"] == family.pkh_id and body["components_on"] == timezone.localdate().isoformat()
    assert body["component_counts"] == {"ibu_hamil": 1, "anak_usia_dini": 1}
    carer = next(m for m in body["members"] if m["is_carer"])
    assert carer["components"] == ["ibu_hamil"] and carer["relationship_label"] == "Istri/suami"
    assert [p["status"] for p in body["status_history"]] == ["aktif"]
    before = (timezone.localdate() - dt.timedelta(days=60)).isoformat()
    earlier = client.get(f"/api/v1/households/{family.pk}", {"on": before}).json()
    assert earlier["component_counts"] == {"anak_usia_dini": 1}


def test_household_outside_scope_is_404(client, world) -> None:
    client.force_login(world["pendamping"].user)
    assert client.get(f"/api/v1/households/{world['neighbour'].pk}").status_code == 404
    client.force_login(world["korkab"].user)
    assert client.get(f"/api/v1/households/{world['jember'].pk}").status_code == 404
    assert client.get(f"/api/v1/households/{world['jember'].pk}/audit").status_code == 404
    assert client.get("/api/v1/households/999999").status_code == 404


def test_household_audit_lists_changes_newest_first(client, world) -> None:
    family = world["family"]
    korkab = world["korkab"]
    household_set_status(
        household=family,
        status=HouseholdStatus.DITANGGUHKAN,
        valid_from=timezone.localdate(),
        reason="Absen P2K2",
        acting_user=korkab.user,
    )
    client.force_login(korkab.user)
    body = client.get(f"/api/v1/households/{family.pk}/audit").json()
    assert body["count"] == 1
    event = body["results"][0]
    assert event["action"] == "household_status_changed"
    assert (event["before"], event["after"]) == ({"status": "aktif"}, {"status": "ditangguhkan"})
    assert event["actor"] == korkab.user.username and event["note"] == "Absen P2K2"


def test_openapi_schema_is_valid_json_with_the_paths(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/regions",
        "/api/v1/regions/{code}",
        "/api/v1/households",
        "/api/v1/households/{household_id}",
        "/api/v1/households/{household_id}/audit",
    } <= set(schema["paths"])


def test_api_docs_page_never_loads_from_a_cdn(client) -> None:
    response = client.get("/api/v1/docs")
    if response.status_code == 200:
        assert b"cdn.jsdelivr.net" not in response.content and b"unpkg.com" not in response.content
    else:
        assert response.status_code == 404
