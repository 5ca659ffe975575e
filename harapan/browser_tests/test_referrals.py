"""A pendamping on a phone opens a family, sees that its pupil has no KIP, and refers the child to
KIP; the korkab records the referral accepted and then completed with the card number; the family's
page then shows the KIP coverage (RULES.md: People and ratios, "ensure complementary programmes
(BPNT, KIS, KIP)"; issue 5 "Referrals")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.referrals.models import Coverage, Referral, ReferralStatus
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff

pytestmark = pytest.mark.browser


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_pendamping_refers_a_pupil_to_kip_on_a_phone_and_the_korkab_completes_it(
    phone_page: Any, page: Any, login: Any, transactional_db: None
) -> None:
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    korkab = make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab")
    today = timezone.localdate()
    family = make_household(
        desa="35.11.01.2001",
        pendamping=pendamping,
        children=[(today.replace(year=today.year - 10) - dt.timedelta(days=30), "SD")],
    )
    pupil = family.members.order_by("birth_date").last()
    assert pupil is not None

    # The pendamping, in the field, on a phone: the family page suggests KIP for the pupil.
    login(phone_page, pendamping)
    phone_page.goto(f"/kpm/{family.pk}/")
    expect(phone_page.get_by_test_id(f"gap-kip-{pupil.pk}")).to_be_visible()
    expect(phone_page.get_by_test_id("coverage-none")).to_be_visible()
    assert fits(phone_page)
    phone_page.get_by_test_id(f"gap-refer-kip-{pupil.pk}").click()
    expect(phone_page.locator("#id_programme")).to_have_value("kip")
    expect(phone_page.locator("#id_member")).to_have_value(str(pupil.pk))
    phone_page.locator("#id_note").fill("Berkas KIP diantar ke SD")
    assert fits(phone_page)
    phone_page.get_by_test_id("referral-submit").click()
    expect(phone_page.get_by_test_id("referral-status")).to_have_attribute("data-status", ReferralStatus.DIRUJUK)
    expect(phone_page.get_by_test_id("referral-member")).to_contain_text(pupil.name)
    assert fits(phone_page)
    referral = Referral.objects.get(household=family)

    # The korkab, from the referral list: accepted, then completed, each in place (htmx).
    login(page, korkab)
    page.goto("/rujukan/?status=dirujuk")
    page.get_by_test_id(f"referral-link-{referral.pk}").click()
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("referral-status")).to_have_attribute("data-status", ReferralStatus.DITERIMA)
    page.locator("#id_complete-outcome").fill("KIP terbit, dana PIP cair")
    page.locator("#id_complete-card_number").fill("Q4NP7Z")
    page.get_by_test_id("complete").click()
    expect(page.get_by_test_id("referral-status")).to_have_attribute("data-status", ReferralStatus.SELESAI)
    expect(page.get_by_test_id("referral-coverage")).to_contain_text("Q4NP7Z")
    coverage = Coverage.objects.get(referral=referral)
    assert (coverage.member_id, coverage.programme.code, coverage.until) == (pupil.pk, "kip", None)

    # The family page shows the coverage, and the gap is gone.
    page.get_by_test_id("referral-family").click()
    expect(page.get_by_test_id(f"coverage-kip-{pupil.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"gap-kip-{pupil.pk}")).to_have_count(0)
    expect(page.get_by_test_id(f"family-referral-{referral.pk}")).to_have_attribute(
        "data-status", ReferralStatus.SELESAI
    )

    # And on the pendamping's phone as well.
    phone_page.goto(f"/kpm/{family.pk}/")
    expect(phone_page.get_by_test_id(f"coverage-kip-{pupil.pk}")).to_be_visible()
    assert fits(phone_page)
