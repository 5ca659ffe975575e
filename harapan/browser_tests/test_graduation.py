"""A pendamping on a phone assesses a family's readiness, proposes graduasi mandiri, downloads the
statement for the carer to sign and uploads its scan; the korkab approves; the family's page then
shows graduasi mandiri (RULES.md: Graduation; issue 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.graduation.models import GraduationProposal, ProposalStatus
from harapan.registry.models import HouseholdStatus
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff

pytestmark = pytest.mark.browser

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_pendamping_proposes_graduasi_mandiri_on_a_phone_and_the_korkab_approves(
    phone_page: Any, page: Any, login: Any, transactional_db: None
) -> None:
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Rina")
    korkab = make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab")
    family = make_household(desa="35.11.01.2001", pendamping=pendamping)
    carer = family.members.get(is_carer=True)

    # The pendamping, in the field, on a phone: the readiness assessment.
    login(phone_page, pendamping)
    phone_page.goto(f"/graduasi/kpm/{family.pk}/")
    expect(phone_page.get_by_test_id("assessment-none")).to_be_visible()
    phone_page.get_by_test_id("assess-start").click()
    phone_page.locator("#id_income_per_month").fill("3500000")
    phone_page.locator("#id_need_per_month").fill("2800000")
    phone_page.locator("#id_business_type").fill("Warung kelontong")
    phone_page.locator("#id_kpm_willing").check()
    phone_page.locator("#id_i_usaha_berjalan").check()
    phone_page.locator("#id_i_aset_produktif").fill("2")
    phone_page.locator("#id_i_rumah_layak").check()
    phone_page.locator("#id_i_anak_bersekolah").check()
    assert fits(phone_page)
    phone_page.get_by_test_id("assessment-submit").click()
    expect(phone_page.get_by_test_id("assessment-ready")).to_have_attribute("data-ready", "1")

    # The proposal, and the statement for the carer to sign.
    phone_page.locator("#id_reason_category").select_option("usaha_berkembang")
    phone_page.get_by_test_id("propose-submit").click()
    expect(phone_page.get_by_test_id("proposal-status")).to_have_attribute("data-status", ProposalStatus.DIAJUKAN)
    assert fits(phone_page)
    with phone_page.expect_download() as info:
        phone_page.get_by_test_id("statement-download").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"%PDF") and (carer.nik or "").encode() in body and carer.name.encode() in body

    # Signed in the village; the photo of the signed statement uploaded.
    phone_page.locator("#id_scan").set_input_files({"name": "surat.png", "mimeType": "image/png", "buffer": PNG})
    phone_page.get_by_test_id("upload-submit").click()
    expect(phone_page.get_by_test_id("statement-signed")).to_be_visible()
    proposal = GraduationProposal.objects.get(household=family)

    # The korkab, from the graduation queue.
    login(page, korkab)
    page.goto("/graduasi/")
    page.get_by_test_id(f"queue-link-{proposal.pk}").click()
    expect(page.get_by_test_id("proposal-family-status")).to_have_attribute("data-status", HouseholdStatus.AKTIF)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("proposal-status")).to_have_attribute("data-status", ProposalStatus.DISETUJUI)

    # The family's page shows graduasi mandiri, with its status period.
    page.get_by_test_id("proposal-family").click()
    expect(page.get_by_test_id("family-status")).to_have_attribute("data-status", HouseholdStatus.GRADUASI_MANDIRI)
    expect(page.locator("#status-history-table")).to_contain_text(f"Graduasi mandiri #{proposal.pk}")
