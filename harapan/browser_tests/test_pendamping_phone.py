"""A pendamping on a phone (360 px wide) sees only their own families, and another family's page
is a 404 page that does not show it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from harapan.registry.models import Household

pytestmark = pytest.mark.browser


def test_pendamping_on_a_phone_sees_only_their_own_families(phone_page: Any, login: Any, scope_world: Any) -> None:
    pendamping = scope_world.staff["pendamping"]
    login(phone_page, pendamping)
    phone_page.goto("/")  # log-in lands on the dashboard; the home page counts the families
    expect(phone_page.get_by_test_id("home-total")).to_have_text(
        str(Household.objects.filter(pendamping=pendamping).count())
    )
    phone_page.get_by_test_id("nav-families").click()
    own = Household.objects.filter(pendamping=pendamping)
    expect(phone_page.locator("#family-table tbody tr")).to_have_count(own.count())
    for household in own:
        expect(phone_page.get_by_test_id(f"family-row-{household.pk}")).to_be_visible()
    other = scope_world.household("maesan_b1")  # same kecamatan, the other pendamping's family
    expect(phone_page.get_by_test_id(f"family-row-{other.pk}")).to_have_count(0)

    first = own.order_by("pk")[0]
    phone_page.get_by_test_id(f"family-link-{first.pk}").click()
    expect(phone_page.get_by_test_id("family-pkh-id")).to_have_text(first.pkh_id)


@pytest.mark.parametrize("other", ["maesan_b1", "tamanan_1", "jember_1"])
def test_pendamping_opening_another_familys_url_gets_the_404_page(
    phone_page: Any, login: Any, scope_world: Any, other: str
) -> None:
    login(phone_page, scope_world.staff["pendamping"])
    household = scope_world.household(other)
    response = phone_page.goto(f"/kpm/{household.pk}/")
    assert response is not None and response.status == 404
    expect(phone_page.get_by_test_id("error-404")).to_be_visible()
    content = phone_page.content()
    assert household.pkh_id not in content
    assert household.members.get(is_carer=True).nik not in content


def test_pendamping_pages_fit_a_360px_screen(phone_page: Any, login: Any, scope_world: Any) -> None:
    """No sideways scrolling on the pages a pendamping uses in the field."""
    login(phone_page, scope_world.staff["pendamping"])
    own = scope_world.household("maesan_a1")
    for url in ("/", "/kpm/", f"/kpm/{own.pk}/"):
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (url, width)
