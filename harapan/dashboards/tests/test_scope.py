"""Each role sees its own dashboard after log-in and nothing outside its region (issue 5, "Done
when"; accounts.scope): a pendamping only their own dashboard, kabupaten roles their kabupaten and
below, Dinas Sosial provinsi its province, the ministry the nation; a page outside is a 404, and so
is its export."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from harapan.conftest import ScopeWorld
from harapan.dashboards.services import figures_refresh_all
from harapan.testing import PASSWORD

pytestmark = pytest.mark.django_db

OWN_AREA = {
    "pendamping": "p:pendamping",
    "pendamping_b": "p:pendamping_b",
    "pendamping_jember": "p:pendamping_jember",
    "korkab": "35.11",
    "supervisor": "35.11",
    "operator": "35.11",
    "dinsos_kab": "35.11",
    "dinsos_prov": "35",
    "dinsos_prov_other": "33",
    "ministry": "",
    "korkab_jember": "35.09",
    "operator_jember": "35.09",
}
NO_DASHBOARD = ("no_staff", "inactive", "balai_diklat", "fasilitator")
REGIONS = ["", "33", "35", "35.11", "35.11.01", "35.11.01.2001", "35.11.02", "35.09"]


def _client(world: ScopeWorld, persona: str) -> Client:
    c = Client()
    c.force_login(world.users[persona])
    return c


def _url(code: str) -> str:
    return reverse("dashboards:national") if code == "" else reverse("dashboards:region", args=[code])


def _expected_area(world: ScopeWorld, persona: str) -> str:
    area = OWN_AREA[persona]
    return f"p:{world.staff[area[2:]].pk}" if area.startswith("p:") else area


@pytest.mark.parametrize("persona", [*OWN_AREA, *NO_DASHBOARD])
def test_every_role_lands_on_its_own_dashboard_after_log_in(scope_world: ScopeWorld, persona: str) -> None:
    if persona not in scope_world.users:
        pytest.skip(f"no {persona} in this scope world")
    figures_refresh_all()
    c = Client()
    response = c.post(
        reverse("accounts:login"), {"username": scope_world.users[persona].get_username(), "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboards:own")
    page = c.get(reverse("dashboards:own"))
    if persona in NO_DASHBOARD:
        assert page.status_code == 302 and page["Location"] == reverse("home")
        return
    assert page.status_code == 200
    assert page.context["d"].key == _expected_area(scope_world, persona)
    assert 'data-testid="nav-dashboard"' in page.content.decode()


def _may_see(persona: str, code: str) -> bool:
    if persona.startswith("pendamping") or persona in NO_DASHBOARD:
        return False
    area = OWN_AREA[persona]
    if area == "":
        return True
    return code == area or code.startswith(area + ".")


@pytest.mark.parametrize("persona", [*OWN_AREA, *NO_DASHBOARD])
def test_region_dashboards_and_exports_outside_the_area_are_404(scope_world: ScopeWorld, persona: str) -> None:
    if persona not in scope_world.users:
        pytest.skip(f"no {persona} in this scope world")
    c = _client(scope_world, persona)
    for code in REGIONS:
        expected = 200 if _may_see(persona, code) else 404
        assert c.get(_url(code)).status_code == expected, (persona, code)
        assert c.get(_url(code) + "?unduh=csv").status_code == expected, (persona, code)


PENDAMPING_VISIBLE = {
    "pendamping": {"pendamping"},
    "pendamping_b": {"pendamping_b"},
    "pendamping_jember": {"pendamping_jember"},
    "korkab": {"pendamping", "pendamping_b"},
    "supervisor": {"pendamping", "pendamping_b"},
    "operator": {"pendamping", "pendamping_b"},
    "dinsos_kab": {"pendamping", "pendamping_b"},
    "dinsos_prov": {"pendamping", "pendamping_b", "pendamping_jember"},
    "dinsos_prov_other": set(),
    "ministry": {"pendamping", "pendamping_b", "pendamping_jember"},
    "korkab_jember": {"pendamping_jember"},
    "operator_jember": {"pendamping_jember"},
}


@pytest.mark.parametrize("persona", list(PENDAMPING_VISIBLE))
def test_pendamping_dashboards_in_scope_only(scope_world: ScopeWorld, persona: str) -> None:
    c = _client(scope_world, persona)
    for target in ("pendamping", "pendamping_b", "pendamping_jember", "korkab"):
        url = reverse("dashboards:pendamping", args=[scope_world.staff[target].pk])
        expected = 200 if target in PENDAMPING_VISIBLE[persona] else 404
        assert c.get(url).status_code == expected, (persona, target)


def test_a_pendamping_sees_only_their_own_families_and_their_desas(scope_world: ScopeWorld) -> None:
    figures_refresh_all()
    page = _client(scope_world, "pendamping").get(reverse("dashboards:own"))
    d = page.context["d"]
    html = page.content.decode()
    assert html.split('data-testid="figure-kpm">', 1)[1].startswith("2<")  # maesan_a1, maesan_a2
    assert [child.code for child in d.children] == ["35.11.01.2001"]
    # Their desa links to the family list (the desa's dashboard counts other pendamping's families).
    assert "/kpm/?region=35.11.01.2001" in html and "/dasbor/wilayah/" not in html


def test_children_of_a_kabupaten_are_its_kecamatan_with_data(scope_world: ScopeWorld) -> None:
    figures_refresh_all()
    page = _client(scope_world, "korkab").get(reverse("dashboards:own"))
    codes = [child.code for child in page.context["d"].children]
    assert codes == ["35.11.01", "35.11.02"]
    csv_text = _client(scope_world, "korkab").get(reverse("dashboards:own") + "?unduh=csv").content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert [line.split(";", 1)[0] for line in lines[1:]] == ["35.11", "35.11.01", "35.11.02"]
    assert "35.09" not in csv_text and "33." not in csv_text


def test_a_kecamatan_drills_down_to_its_desas_and_its_pendamping(scope_world: ScopeWorld) -> None:
    figures_refresh_all()
    page = _client(scope_world, "korkab").get(_url("35.11.01"))
    d: Any = page.context["d"]
    kinds = sorted((child.kind, child.name) for child in d.children)
    assert kinds == [(4, "Sucolor"), (5, "Pendamping Maesan A"), (5, "Pendamping Maesan B")]
    html = page.content.decode()
    assert reverse("dashboards:pendamping", args=[scope_world.staff["pendamping"].pk]) in html
    assert reverse("dashboards:region", args=["35.11.01.2001"]) in html
    desa = _client(scope_world, "korkab").get(_url("35.11.01.2001")).context["d"]
    assert sorted(child.name for child in desa.children) == ["Pendamping Maesan A", "Pendamping Maesan B"]
