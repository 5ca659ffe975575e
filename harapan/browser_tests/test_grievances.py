"""A pendamping on a 360 px phone lodges a complaint for a family from its page; the korkab finds
it in the list, takes it, escalates and resolves it in place (htmx), and the timeline shows every
step; a pendamping who is the subject of a conduct complaint gets a 404 for it (RULES.md:
Disbursement and data, "Field problems to record"; People and ratios; issue 5)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.grievances.models import Grievance, GrievanceCategory, GrievanceStatus
from harapan.grievances.services import grievance_lodge
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff

pytestmark = pytest.mark.browser


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_complaint_from_the_field_to_its_resolution_and_a_conduct_case_hidden_from_its_subject(
    phone_page: Any, page: Any, login: Any, transactional_db: None
) -> None:
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    korkab = make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab")
    family = make_household(desa="35.11.01.2001", pendamping=pendamping)
    carer = family.members.get(is_carer=True)

    # The pendamping, on a phone, from the family's page.
    login(phone_page, pendamping)
    phone_page.goto(f"/kpm/{family.pk}/")
    expect(phone_page.get_by_test_id("family-grievance-none")).to_be_visible()
    phone_page.get_by_test_id("family-grievance-new").click()
    expect(phone_page.get_by_test_id("lodge-family")).to_have_text(family.pkh_id)
    expect(phone_page.locator("#id_lodged_by_name")).to_have_value(carer.name)
    phone_page.locator("#id_category").select_option("pin_lupa")
    phone_page.locator("#id_channel").select_option("p2k2")
    phone_page.locator("#id_description").fill("Pengurus lupa PIN, kartu KKS terblokir di ATM.")
    assert fits(phone_page)
    phone_page.get_by_test_id("lodge-submit").click()
    expect(phone_page.get_by_test_id("case-status")).to_have_attribute("data-status", GrievanceStatus.BARU)
    assert fits(phone_page)
    g = Grievance.objects.get()
    expect(phone_page.get_by_test_id("case-number")).to_have_text(g.number)
    phone_page.goto("/pengaduan/")
    expect(phone_page.get_by_test_id(f"grievance-row-{g.pk}")).to_be_visible()
    assert fits(phone_page)

    # The korkab finds it in the list and works it in place.
    login(page, korkab)
    page.goto("/")
    page.get_by_test_id("nav-grievances").click()
    page.get_by_test_id(f"grievance-link-{g.pk}").click()
    page.get_by_test_id("step-take").click()
    expect(page.get_by_test_id("case-status")).to_have_attribute("data-status", GrievanceStatus.DITANGANI)
    page.get_by_test_id("toggle-escalate").click()
    page.get_by_test_id("escalate-note").fill("Bank belum membuka blokir; mohon koordinasi.")
    page.get_by_test_id("step-escalate").click()
    expect(page.get_by_test_id("case-escalated-to")).to_contain_text("Pak Korkab")
    page.get_by_test_id("toggle-resolve").click()
    page.get_by_test_id("resolve-text").fill("Reset PIN di kantor cabang BRI bersama pendamping.")
    page.get_by_test_id("step-resolve").click()
    expect(page.get_by_test_id("case-status")).to_have_attribute("data-status", GrievanceStatus.SELESAI)
    timeline = page.get_by_test_id("timeline").locator("li")
    expect(timeline).to_have_count(4)
    assert [timeline.nth(i).get_attribute("data-kind") for i in range(4)] == [
        "dibuat",
        "ditangani",
        "dieskalasi",
        "diselesaikan",
    ]
    expect(page.get_by_test_id("step-dieskalasi")).to_contain_text("Bank belum membuka blokir")
    g.refresh_from_db()
    assert g.status == GrievanceStatus.SELESAI and g.escalated_to_id == korkab.pk

    # A conduct complaint about the pendamping: the korkab sees it, the pendamping never does.
    conduct = grievance_lodge(
        category=GrievanceCategory.objects.get(code="perilaku_pendamping"),
        household=family,
        lodged_by_name=carer.name,
        lodged_by_kind="kpm",
        channel="telepon",
        description="Pendamping meminta uang saat pencairan.",
        acting_user=korkab.user,
    )
    assert conduct.about_pendamping_id == pendamping.pk
    page.goto(f"/pengaduan/{conduct.pk}/")
    expect(page.get_by_test_id("case-about")).to_have_text("Bu Rina")
    response = phone_page.goto(f"/pengaduan/{conduct.pk}/")
    assert response is not None and response.status == 404
    phone_page.goto(f"/kpm/{family.pk}/")
    expect(phone_page.get_by_test_id(f"family-grievance-{g.pk}")).to_be_visible()
    expect(phone_page.get_by_test_id(f"family-grievance-{conduct.pk}")).to_have_count(0)
    phone_page.goto("/pengaduan/")
    expect(phone_page.get_by_test_id(f"grievance-row-{conduct.pk}")).to_have_count(0)
