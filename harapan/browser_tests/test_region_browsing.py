"""A korkab browses the region tree Jawa Timur -> Bondowoso -> a kecamatan -> a desa and sees, at
each level, the number of families in their scope, checked against the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q
from playwright.sync_api import expect

from harapan.registry.models import Household, HouseholdStatus
from harapan.testing import make_household

pytestmark = pytest.mark.browser

BONDOWOSO = "35.11"


def families_in_scope_under(code: str) -> int:
    """Families in or under ``code`` that a Bondowoso korkab may see (those in Kabupaten Bondowoso)."""
    in_scope = Household.objects.filter(desa__code__startswith=BONDOWOSO + ".")
    return in_scope.filter(Q(desa__code=code) | Q(desa__code__startswith=code + ".")).count()


def test_korkab_browses_regions_down_to_a_desa_with_family_counts(page: Any, login: Any, scope_world: Any) -> None:
    # More families in other Maesan desa and statuses, so counts differ from level to level.
    make_household(desa="35.11.01.2004", status=HouseholdStatus.DITANGGUHKAN)
    make_household(desa="35.11.01.2004")
    make_household(desa="35.11.01.2005", status=HouseholdStatus.GRADUASI_MANDIRI)
    login(page, scope_world.staff["korkab"])

    page.get_by_test_id("nav-regions").click()
    expect(page.get_by_test_id("region-name")).to_have_text("Indonesia")
    expect(page.get_by_test_id("region-families-35")).to_have_text(str(families_in_scope_under("35")))
    expect(page.get_by_test_id("region-families-33")).to_have_text("0")  # Cilacap's family is not theirs

    path = [
        ("35", "Jawa Timur"),
        ("35.11", "Kabupaten Bondowoso"),
        ("35.11.01", "Maesan"),
        ("35.11.01.2001", "Sucolor"),
    ]
    for code, name in path:
        page.get_by_test_id(f"region-row-{code}").get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_test_id("region-code")).to_have_text(code)
        expect(page.get_by_test_id("region-name")).to_contain_text(name)
        expect(page.get_by_test_id("region-total")).to_have_text(str(families_in_scope_under(code)))
        expect(page.get_by_test_id(f"crumb-{code}")).to_have_text(name)
        if code == "35":
            # Jember is in Jawa Timur but outside a Bondowoso korkab's scope.
            expect(page.get_by_test_id("region-families-35.09")).to_have_text("0")
            expect(page.get_by_test_id("region-families-35.11")).to_have_text(str(families_in_scope_under("35.11")))
        if code == "35.11":
            for kecamatan in ("35.11.01", "35.11.02", "35.11.03"):
                expect(page.get_by_test_id(f"region-families-{kecamatan}")).to_have_text(
                    str(families_in_scope_under(kecamatan))
                )
        if code == "35.11.01":
            for desa in ("35.11.01.2001", "35.11.01.2004", "35.11.01.2005", "35.11.01.2002"):
                expect(page.get_by_test_id(f"region-families-{desa}")).to_have_text(str(families_in_scope_under(desa)))
    assert families_in_scope_under("35.11.01.2001") == 3
    expect(page.get_by_test_id("region-status-aktif")).to_contain_text("3")

    # From the desa to its families: the list shows exactly the desa's families.
    page.get_by_test_id("region-families-link").click()
    expect(page.locator("#family-table tbody tr")).to_have_count(3)
