"""A pendamping on a phone (360 px) plans a group's year, moves a meeting to another day and a
layak place, cancels another with a reason and sees the result; the group list pages and fits a
360 px screen (issue 3, "Meetings and attendance"; RULES.md "P2K2 / FDS curriculum")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Meeting, MeetingStatus, Venue
from harapan.regions.models import Region
from harapan.testing import MAESAN, make_household, make_staff

pytestmark = pytest.mark.browser

CRITERIA = {"easy_to_reach": True, "large_enough": True, "fit_for_material": True}


def fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, (page.url, width)


def test_pendamping_plans_moves_and_cancels_meetings_on_a_phone(
    phone_page: Any, login: Any, transactional_db: None
) -> None:
    desa = Region.objects.filter(parent_id=MAESAN).order_by("code").first()
    assert desa is not None
    year = timezone.localdate().year
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    families = [make_household(desa=desa, pendamping=pendamping) for _ in range(3)]
    group = Kelompok.objects.create(code="KLP-PLAN-1", name="Kenanga", desa=desa, pendamping=pendamping)
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=group, valid_from=dt.date(year, 1, 1)) for h in families]
    )
    hall = Venue.objects.create(
        desa=desa, name="Balai Desa Sucolor", kind="balai_desa", capacity=60, away_from_busy_places=True, **CRITERIA
    )
    market = Venue.objects.create(
        desa=desa, name="Warung dekat pasar", kind="lainnya", capacity=20, away_from_busy_places=False, **CRITERIA
    )

    login(phone_page, pendamping)
    phone_page.get_by_test_id("nav-groups").click()
    phone_page.get_by_test_id(f"group-row-{group.pk}").get_by_role("link").click()
    phone_page.get_by_test_id("group-plan-link").click()
    expect(phone_page.get_by_test_id("plan-empty")).to_be_visible()
    phone_page.get_by_test_id("plan-generate").click()
    expect(phone_page.get_by_test_id("messages")).to_contain_text(f"12 pertemuan direncanakan untuk tahun {year}")
    expect(phone_page.locator("[data-testid^=plan-meeting-]")).to_have_count(12)
    fits(phone_page)

    march, april = Meeting.objects.filter(kelompok=group).order_by("scheduled_on")[2:4]
    phone_page.get_by_test_id(f"plan-edit-{march.pk}").click()
    places = phone_page.locator("select[name=venue_place] option")
    expect(places).to_have_count(2)  # "not chosen" and the layak hall; the market stall is not offered
    expect(phone_page.locator(f"select[name=venue_place] option[value='{market.pk}']")).to_have_count(0)
    fits(phone_page)
    phone_page.locator("input[name=scheduled_on]").fill(f"{year}-03-20")
    phone_page.locator("input[name=start_time]").fill("13:30")
    phone_page.locator("select[name=venue_place]").select_option(str(hall.pk))
    phone_page.get_by_test_id("meeting-save").click()
    expect(phone_page.get_by_test_id("messages")).to_contain_text(f"20-03-{year} pukul 13:30 tersimpan")
    expect(phone_page.get_by_test_id(f"plan-date-{march.pk}")).to_contain_text(f"20-03-{year}")
    expect(phone_page.get_by_test_id(f"plan-time-{march.pk}")).to_have_text("13:30")
    expect(phone_page.get_by_test_id(f"plan-venue-{march.pk}")).to_contain_text("Balai Desa Sucolor")

    phone_page.get_by_test_id(f"plan-cancel-{april.pk}").click()
    # The reason is required: the phone will not send the form without it.
    expect(phone_page.locator("textarea[name=reason]")).to_have_attribute("required", "")
    phone_page.locator("textarea[name=reason]").fill("Jalan ke balai desa tertutup banjir")
    phone_page.get_by_test_id("meeting-cancel-confirm").click()
    expect(phone_page.get_by_test_id(f"plan-status-{april.pk}")).to_have_text("Dibatalkan")
    expect(phone_page.get_by_test_id(f"plan-cancel-reason-{april.pk}")).to_contain_text("tertutup banjir")
    expect(phone_page.get_by_test_id(f"plan-edit-{april.pk}")).to_have_count(0)
    fits(phone_page)

    march.refresh_from_db()
    april.refresh_from_db()
    assert (march.scheduled_on, march.start_time, march.venue_place_id) == (
        dt.date(year, 3, 20),
        dt.time(13, 30),
        hall.pk,
    )
    assert april.status == MeetingStatus.DIBATALKAN and april.cancel_reason == "Jalan ke balai desa tertutup banjir"
    assert set(AuditEvent.objects.filter(source="meetings").values_list("action", flat=True)) == {
        "meetings_planned",
        "meeting_updated",
        "meeting_cancelled",
    }


def test_the_group_list_pages_and_fits_a_phone(phone_page: Any, login: Any, transactional_db: None) -> None:
    desa = Region.objects.filter(parent_id=MAESAN).order_by("code").first()
    assert desa is not None
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Nur Hasanah Wulandari Kusumaningtyas")
    Kelompok.objects.bulk_create(
        [
            Kelompok(
                code=f"KLP-35.11.01.2001-{n:03d}",
                name=f"Kelompok Sejahtera Bersama {n}",
                desa=desa,
                pendamping=pendamping,
            )
            for n in range(1, 61)
        ]
    )
    login(phone_page, pendamping)
    phone_page.get_by_test_id("nav-groups").click()
    expect(phone_page.locator("[data-testid^=group-row-]")).to_have_count(50)
    expect(phone_page.get_by_test_id("groups-count")).to_have_text("60 kelompok")
    fits(phone_page)
    phone_page.get_by_test_id("page-next").click()
    expect(phone_page.locator("[data-testid^=group-row-]")).to_have_count(10)
    expect(phone_page.get_by_test_id("page-current")).to_contain_text("2")
    fits(phone_page)
