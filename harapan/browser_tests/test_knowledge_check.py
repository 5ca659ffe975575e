"""A pendamping on a phone enters the before/after knowledge-check scores of a held meeting and
finds them on the group's progress page (issue 3; RULES.md "P2K2 / FDS curriculum")."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Meeting
from harapan.meetings.services import attendance_record
from harapan.p2k2.models import KnowledgeCheck, Session
from harapan.regions.models import Region
from harapan.testing import MAESAN, make_household, make_staff

pytestmark = pytest.mark.browser


def test_pendamping_enters_scores_on_a_phone_and_sees_them_on_the_group_progress(
    phone_page: Any, login: Any, transactional_db: None
) -> None:
    from harapan.p2k2.catalogue import load_catalogue
    from harapan.p2k2.models import KnowledgeChoice, KnowledgeQuestion, Module

    if not Module.objects.filter(kind="inti").exists():  # a flush by an earlier transactional test
        load_catalogue(Module, Session, KnowledgeQuestion, KnowledgeChoice)
    desa = Region.objects.filter(parent_id=MAESAN).order_by("code").first()
    assert desa is not None
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    families = [make_household(desa=desa, pendamping=pendamping) for _ in range(3)]
    group = Kelompok.objects.create(code="KLP-PW-TES", name="Kenanga", desa=desa, pendamping=pendamping)
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=group, valid_from=timezone.localdate()) for h in families]
    )
    session = Session.objects.get(number=1)
    meeting = Meeting.objects.create(kelompok=group, session=session, scheduled_on=timezone.localdate())
    a, b, c = families
    attendance_record(
        meeting=meeting,
        marks={a.pk: ("hadir", ""), b.pk: ("hadir", ""), c.pk: ("alpa", "")},
        acting_user=pendamping.user,
    )

    login(phone_page, pendamping)
    phone_page.goto(f"/p2k2/pertemuan/{meeting.pk}/tes/")
    expect(phone_page.get_by_test_id(f"tes-row-{c.pk}")).to_have_count(0)  # absent: no check
    # A slip of the thumb: 5 out of 2 is refused, naming the row; what was typed stays.
    phone_page.get_by_test_id(f"tes-pre-{a.pk}").fill("0")
    phone_page.get_by_test_id(f"tes-post-{a.pk}").fill("5")
    phone_page.get_by_test_id(f"tes-pre-{b.pk}").fill("1")
    phone_page.get_by_test_id(f"tes-post-{b.pk}").fill("2")
    phone_page.get_by_test_id("tes-save").click()
    expect(phone_page.get_by_test_id("tes-error")).to_contain_text("Nilai paling besar 2")
    expect(phone_page.get_by_test_id(f"tes-row-error-{a.pk}")).to_be_visible()
    expect(phone_page.get_by_test_id(f"tes-pre-{b.pk}")).to_have_value("1")
    phone_page.get_by_test_id(f"tes-post-{a.pk}").fill("2")
    phone_page.get_by_test_id("tes-save").click()
    expect(phone_page.get_by_test_id("messages")).to_contain_text("2 KPM")
    assert KnowledgeCheck.objects.filter(meeting=meeting).count() == 2
    # The page fits a 360 px phone: no sideways scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360

    phone_page.get_by_test_id("tes-progress").click()
    expect(phone_page.get_by_test_id(f"kemajuan-pre-{meeting.pk}")).to_have_text("25%")  # (0% + 50%) / 2
    expect(phone_page.get_by_test_id(f"kemajuan-post-{meeting.pk}")).to_have_text("100%")
    expect(phone_page.get_by_test_id(f"kemajuan-gain-{meeting.pk}")).to_contain_text("+75")
    expect(phone_page.get_by_test_id("kemajuan-sessions")).to_have_text("1/14")
