"""A pendamping on a phone records a birth with a photo of the birth certificate; the korkab
approves it; the family page then shows the newborn and the anak usia dini component (issue 3,
pemutakhiran; RULES.md: Disbursement and data, Components and amounts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.registry.models import Pregnancy
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff
from harapan.updates.models import DataUpdate, UpdateStatus

pytestmark = pytest.mark.browser

# A 1x1 PNG: a real image the evidence check accepts.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_pendamping_records_a_birth_on_a_phone_and_the_korkab_approves_it(
    phone_page: Any, page: Any, login: Any, transactional_db: None
) -> None:
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    korkab = make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab")
    family = make_household(desa="35.11.01.2001", pendamping=pendamping)
    mother = family.members.get(is_carer=True)
    Pregnancy.objects.create(member=mother, valid_from=timezone.localdate() - dt.timedelta(days=250))
    born = timezone.localdate() - dt.timedelta(days=4)

    # The pendamping, in the field, on a phone.
    login(phone_page, pendamping)
    phone_page.goto(f"/kpm/{family.pk}/")
    phone_page.get_by_test_id("update-start").click()
    phone_page.get_by_test_id("kind-kelahiran").click()
    phone_page.locator("#u_effective_date").fill(born.isoformat())
    phone_page.locator("#u_name").fill("Bayi Ayu Lestari")
    phone_page.locator("input[name=sex][value=P]").check()
    phone_page.locator("#u_birth_place").fill("Puskesmas Maesan")
    phone_page.locator("#u_mother").select_option(str(mother.pk))
    phone_page.locator("#u_evidence").set_input_files({"name": "akta.png", "mimeType": "image/png", "buffer": PNG})
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.get_by_test_id("update-submit").click()
    expect(phone_page.get_by_test_id("messages")).to_contain_text("menunggu persetujuan")
    expect(phone_page.get_by_test_id("update-status")).to_have_attribute("data-status", UpdateStatus.DIAJUKAN)
    update = DataUpdate.objects.get(household=family)
    assert update.evidence.count() == 1
    assert not family.members.filter(name="Bayi Ayu Lestari").exists()

    # The korkab, from the queue.
    login(page, korkab)
    page.get_by_test_id("nav-updates").click()
    page.get_by_test_id(f"queue-link-{update.pk}").click()
    expect(page.locator("#change-table")).to_contain_text("Bayi Ayu Lestari")
    expect(page.get_by_test_id("component-change-anak_usia_dini")).to_contain_text("0 → 1")
    evidence = update.evidence.get()
    photo = page.get_by_test_id(f"evidence-{evidence.pk}").locator("img")
    photo.scroll_into_view_if_needed()
    # The photo is served to the korkab (a 1x1 image once loaded).
    expect(photo).to_have_js_property("naturalWidth", 1)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("update-status")).to_have_attribute("data-status", UpdateStatus.DITERAPKAN)

    # The family page shows the newborn with the anak usia dini component, and the update applied.
    page.get_by_test_id("update-family").click()
    baby = family.members.get(name="Bayi Ayu Lestari")
    expect(page.get_by_test_id(f"member-row-{baby.pk}")).to_contain_text("Bayi Ayu Lestari")
    expect(page.get_by_test_id(f"member-components-{baby.pk}")).to_contain_text("Anak usia dini (0-6)")
    expect(page.get_by_test_id(f"update-row-{update.pk}")).to_have_attribute("data-status", UpdateStatus.DITERAPKAN)
    expect(page.locator("#audit-list")).to_contain_text(f"Pemutakhiran #{update.pk}")

    # The pendamping sees the same on the phone.
    phone_page.goto(f"/kpm/{family.pk}/")
    expect(phone_page.get_by_test_id(f"member-components-{baby.pk}")).to_contain_text("Anak usia dini (0-6)")
