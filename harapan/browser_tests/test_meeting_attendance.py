"""A pendamping on a phone opens today's meeting and records attendance in a few taps; a draft
survives a reload (issue 3, "Meetings and attendance")."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Attendance, Meeting, MeetingStatus
from harapan.regions.models import Region
from harapan.testing import MAESAN, make_household, make_staff

pytestmark = pytest.mark.browser


def test_pendamping_records_a_meeting_on_a_phone(phone_page: Any, login: Any, transactional_db: None) -> None:
    desa = Region.objects.filter(parent_id=MAESAN).order_by("code").first()
    assert desa is not None
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    families = [make_household(desa=desa, pendamping=pendamping) for _ in range(3)]
    group = Kelompok.objects.create(code="KLP-PW-1", name="Mawar", desa=desa, pendamping=pendamping)
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=group, valid_from=timezone.localdate()) for h in families]
    )
    meeting = Meeting.objects.create(kelompok=group, scheduled_on=timezone.localdate())
    a, b, c = families

    login(phone_page, pendamping)
    phone_page.goto("/pertemuan/")
    phone_page.get_by_test_id(f"meeting-{meeting.pk}").get_by_role("link").click()
    phone_page.locator(f"input[name=m-{a.pk}][value=hadir]").check()
    phone_page.reload()  # a lost connection or a closed tab: the draft comes back
    expect(phone_page.locator(f"input[name=m-{a.pk}][value=hadir]")).to_be_checked()
    phone_page.locator(f"input[name=m-{b.pk}][value=izin]").check()
    phone_page.locator(f"input[name=r-{b.pk}]").fill("sakit")
    phone_page.locator(f"input[name=m-{c.pk}][value=alpa]").check()
    phone_page.get_by_test_id("absen-save").click()
    expect(phone_page.get_by_test_id("messages")).to_contain_text("1 hadir, 1 izin, 1 alpa")
    assert phone_page.evaluate(f"localStorage.getItem('absen-{meeting.pk}')") is None
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.TERLAKSANA
    assert dict(Attendance.objects.values_list("household_id", "mark")) == {a.pk: "hadir", b.pk: "izin", c.pk: "alpa"}
