"""A pendamping on a phone (360 px) records a month's commitment verification for a family: from the
month's sheet to the family's form, Ya for enrolment, the attendance percentage, saved; the sheet
then shows the family complete (issue 4, "Commitment verification"; RULES.md "Obligations")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.compliance.catalogue import load_obligations
from harapan.compliance.models import Obligation, ObligationRecord
from harapan.regions.models import Region
from harapan.registry.models import SchoolEnrolment
from harapan.testing import MAESAN, make_household, make_staff

pytestmark = pytest.mark.browser


def test_pendamping_records_a_months_verification_on_a_phone(
    phone_page: Any, login: Any, transactional_db: None
) -> None:
    load_obligations(Obligation)  # a flush by an earlier transactional test empties the catalogue
    desa = Region.objects.filter(parent_id=MAESAN).order_by("code").first()
    assert desa is not None
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    family = make_household(desa=desa, pendamping=pendamping, children=[(dt.date(2016, 5, 5), None)])
    pupil = family.members.get(relationship=3)
    SchoolEnrolment.objects.create(member=pupil, level="SD", grade=4, npsn="20523456", valid_from=dt.date(2026, 1, 1))
    month = f"{timezone.localdate():%Y-%m}"

    login(phone_page, pendamping)
    phone_page.goto("/verifikasi/")
    expect(phone_page.get_by_test_id(f"sheet-row-{family.pk}")).to_have_attribute("data-complete", "0")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.get_by_test_id(f"sheet-open-{family.pk}").click()
    expect(phone_page.get_by_test_id("form-title")).to_contain_text(family.pkh_id)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360

    phone_page.get_by_test_id(f"yes-{pupil.pk}-sekolah_terdaftar").check()
    phone_page.get_by_test_id(f"value-{pupil.pk}-sekolah_kehadiran").fill("80")
    phone_page.get_by_test_id(f"yes-{pupil.pk}-sekolah_kehadiran").check()  # contradicts 80%
    phone_page.get_by_test_id("form-save").click()
    expect(phone_page.get_by_test_id(f"error-{pupil.pk}-sekolah_kehadiran")).to_be_visible()
    expect(phone_page.get_by_test_id(f"value-{pupil.pk}-sekolah_kehadiran")).to_have_value("80")
    assert not ObligationRecord.objects.exists()

    phone_page.get_by_test_id(f"value-{pupil.pk}-sekolah_kehadiran").fill("92.5")
    phone_page.get_by_test_id("form-save").click()
    expect(phone_page.get_by_test_id("messages")).to_contain_text("2 baru")
    expect(phone_page.get_by_test_id(f"sheet-row-{family.pk}")).to_have_attribute("data-complete", "1")
    records = {r.obligation.code: r for r in ObligationRecord.objects.select_related("obligation")}
    assert records["sekolah_terdaftar"].met is True
    assert (records["sekolah_kehadiran"].met, records["sekolah_kehadiran"].value) == (True, Decimal("92.50"))
    assert records["sekolah_kehadiran"].period.key == month
