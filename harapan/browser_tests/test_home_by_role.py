"""Every role logs in through the real form and lands on its own home page: its name, role, the
name of its working area, and the number of families in its scope (accounts.scope)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.registry.models import Household

pytestmark = pytest.mark.browser

AREA_LABEL = {
    "pendamping": "Kecamatan Maesan",
    "korkab": "Kabupaten Bondowoso",
    "supervisor": "Kabupaten Bondowoso",
    "operator": "Kabupaten Bondowoso",
    "dinsos_kab": "Kabupaten Bondowoso",
    "dinsos_prov": "Provinsi Jawa Timur",
    "ministry": "Seluruh Indonesia",
    # Training roles: the province they work in, with no family in it for them (0).
    "balai_diklat": "Provinsi Jawa Timur",
    "fasilitator": "Provinsi Jawa Timur",
}


def test_every_role_is_covered_by_the_home_page_test() -> None:
    assert set(AREA_LABEL) == set(Role.values)


@pytest.mark.parametrize("persona", list(AREA_LABEL))
def test_staff_logs_in_and_sees_their_role_area_and_family_count(
    page: Any, login: Any, scope_world: Any, persona: str
) -> None:
    staff = scope_world.staff[persona]
    login(page, staff)
    # Each role lands on its own dashboard; a role with none (training) on the home page.
    landing = "/" if persona in ("balai_diklat", "fasilitator") else "/dasbor/"
    assert urlparse(page.url).path == landing
    page.goto("/")
    expect(page.get_by_test_id("home-greeting")).to_contain_text(staff.full_name)
    expect(page.get_by_test_id("home-role")).to_have_text(str(Role(staff.role).label))
    expect(page.get_by_test_id("home-area")).to_contain_text(AREA_LABEL[persona])
    expect(page.get_by_test_id("user-area")).to_contain_text(AREA_LABEL[persona])
    visible = [scope_world.household(k).pk for k in scope_world.visible[persona]]
    in_db = Household.objects.filter(pk__in=visible).count()
    assert in_db == len(scope_world.visible[persona])
    expect(page.get_by_test_id("home-total")).to_have_text(str(in_db))


@pytest.mark.parametrize("persona", ["no_staff", "inactive"])
def test_user_without_an_active_staff_record_sees_a_home_without_families(
    page: Any, login: Any, scope_world: Any, persona: str
) -> None:
    login(page, scope_world.users[persona])
    expect(page.get_by_test_id("home-no-staff")).to_be_visible()
    expect(page.get_by_test_id("home-total")).to_have_count(0)


def test_wrong_password_keeps_the_user_on_the_login_page(page: Any, scope_world: Any) -> None:
    page.goto("/akun/masuk/")
    page.get_by_test_id("login-username").fill("u_korkab")
    page.get_by_test_id("login-password").fill("salah-sekali")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_be_visible()
    assert "/akun/masuk/" in page.url
