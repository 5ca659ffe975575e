"""The year-plan, edit, cancel, month and meeting-place pages (issue 3; RULES.md "P2K2 / FDS
curriculum"): whoever works the group changes it, others in scope look, out of scope is a 404."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from harapan.accounts.models import Role, Staff
from harapan.meetings.models import Meeting, MeetingStatus, Venue
from harapan.meetings.services import meeting_plan_year
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff

from .conftest import Setup, make_group, make_venue


def login(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


@pytest.fixture
def planned(setup: Setup) -> list[Meeting]:
    return meeting_plan_year(kelompok=setup.group, year=2026, acting_user=setup.pendamping.user)


def select_of(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert match is not None, name
    return match.group(0)


def plan_url(setup: Setup, year: int = 2026) -> str:
    return reverse("meetings:plan", args=[setup.group.pk, year])


def test_the_pendamping_generates_the_plan_from_the_page_once(setup: Setup) -> None:
    client = login(setup.pendamping)
    page = client.get(plan_url(setup)).content.decode()
    assert 'data-testid="plan-empty"' in page and 'data-testid="plan-generate"' in page
    response = client.post(reverse("meetings:plan_generate", args=[setup.group.pk, 2026]), follow=True)
    html = response.content.decode()
    assert "12 pertemuan direncanakan untuk tahun 2026." in html
    assert html.count('data-testid="plan-edit-') == 12
    client.post(reverse("meetings:plan_generate", args=[setup.group.pk, 2026]))
    assert Meeting.objects.filter(kelompok=setup.group).count() == 12


def test_others_in_scope_see_the_plan_without_changing_it(setup: Setup, planned: list[Meeting]) -> None:
    supervisor = login(make_staff(Role.SUPERVISOR, BONDOWOSO))
    page = supervisor.get(plan_url(setup))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-testid="plan-meeting-{planned[0].pk}"' in html
    assert "plan-generate" not in html and "plan-edit-" not in html
    assert supervisor.post(reverse("meetings:plan_generate", args=[setup.group.pk, 2027])).status_code == 403
    assert supervisor.get(reverse("meetings:edit", args=[planned[0].pk])).status_code == 403
    assert supervisor.post(reverse("meetings:cancel", args=[planned[0].pk]), {"reason": "x"}).status_code == 403
    assert not Meeting.objects.filter(scheduled_on__year=2027).exists()
    assert not Meeting.objects.filter(status=MeetingStatus.DIBATALKAN).exists()


@pytest.mark.parametrize("who", ["other_pendamping", "korkab_jember"])
def test_outside_the_scope_every_plan_page_is_a_404(setup: Setup, planned: list[Meeting], who: str) -> None:
    staff = setup.other_pendamping if who == "other_pendamping" else make_staff(Role.KORKAB, JEMBER)
    client = login(staff)
    meeting = planned[0]
    assert client.get(plan_url(setup)).status_code == 404
    assert client.post(reverse("meetings:plan_generate", args=[setup.group.pk, 2027])).status_code == 404
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("meetings:month", args=[setup.pendamping.pk, 2026, 3])).status_code == 404


def test_the_edit_form_offers_layak_places_and_the_unfit_ones_only_on_request(
    setup: Setup, planned: list[Meeting]
) -> None:
    fit = make_venue(setup.desa, name="Balai Desa Uji")
    unfit = make_venue(setup.desa, name="Rumah Pinggir Pasar", layak=False)
    client = login(setup.pendamping)
    url = reverse("meetings:edit", args=[planned[2].pk])
    html = client.get(url).content.decode()
    places = select_of(html, "venue_place")
    assert f'value="{fit.pk}"' in places and f'value="{unfit.pk}"' not in places
    assert 'data-testid="show-unfit"' in html
    places = select_of(client.get(url + "?semua=1").content.decode(), "venue_place")
    assert f'value="{unfit.pk}"' in places and "belum layak" in places
    # Posting a hidden unfit place without asking for it is refused as an unknown choice.
    data = {"scheduled_on": "2026-03-17", "start_time": "09:00", "session": "", "venue_place": str(unfit.pk)}
    assert client.post(url, data).status_code == 400
    response = client.post(url + "?semua=1", data, follow=True)
    body = response.content.decode()
    assert "tersimpan" in body and "Tempat belum layak" in body  # saved, with the warning
    planned[2].refresh_from_db()
    assert planned[2].venue_place == unfit and planned[2].scheduled_on == dt.date(2026, 3, 17)


def test_a_clash_re_renders_the_form_naming_the_other_group(setup: Setup, planned: list[Meeting]) -> None:
    other = make_group(setup.desa, setup.pendamping, [], dt.date(2025, 1, 1))
    Meeting.objects.create(kelompok=other, scheduled_on=dt.date(2026, 3, 18), start_time=dt.time(9, 0))
    url = reverse("meetings:edit", args=[planned[2].pk])
    response = login(setup.pendamping).post(
        url, {"scheduled_on": "2026-03-18", "start_time": "10:00", "session": "", "venue_place": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="edit-error-start_time"' in html and other.name in html and other.code in html
    assert 'value="2026-03-18"' in html  # what was typed stays


def test_cancel_needs_a_reason_and_shows_it_on_the_plan(setup: Setup, planned: list[Meeting]) -> None:
    client = login(setup.pendamping)
    url = reverse("meetings:cancel", args=[planned[4].pk])
    assert client.post(url, {"reason": "  "}).status_code == 400
    response = client.post(url, {"reason": "Pendamping pelatihan"}, follow=True)
    html = response.content.decode()
    assert f'data-testid="plan-cancel-reason-{planned[4].pk}"' in html and "Pendamping pelatihan" in html
    planned[4].refresh_from_db()
    assert planned[4].status == MeetingStatus.DIBATALKAN


def test_a_held_meeting_cannot_be_cancelled_or_edited_from_the_pages(setup: Setup, planned: list[Meeting]) -> None:
    Meeting.objects.filter(pk=planned[0].pk).update(status=MeetingStatus.TERLAKSANA)
    client = login(setup.pendamping)
    response = client.post(reverse("meetings:cancel", args=[planned[0].pk]), {"reason": "salah"})
    assert response.status_code == 400 and 'data-testid="cancel-error"' in response.content.decode()
    assert client.get(reverse("meetings:edit", args=[planned[0].pk])).status_code == 302
    planned[0].refresh_from_db()
    assert planned[0].status == MeetingStatus.TERLAKSANA


def test_the_pendamping_sees_a_month_of_meetings_across_groups(setup: Setup, planned: list[Meeting]) -> None:
    others = [make_group(setup.desa, setup.pendamping, [], dt.date(2025, 1, 1)) for _ in range(4)]
    for group in others:
        meeting_plan_year(kelompok=group, year=2026, acting_user=setup.pendamping.user)
    client = login(setup.pendamping)
    start = client.get(reverse("meetings:month_start"))
    assert start.status_code == 302 and f"/bulan/{setup.pendamping.pk}/" in start["Location"]
    html = client.get(reverse("meetings:month", args=[setup.pendamping.pk, 2026, 3])).content.decode()
    assert html.count('data-testid="month-meeting-') == 5
    assert 'data-testid="month-count">5 pertemuan' in html
    assert 'data-testid="meeting-month-link"' in client.get(reverse("meetings:list")).content.decode()
    korkab = login(make_staff(Role.KORKAB, BONDOWOSO))
    assert korkab.get(reverse("meetings:month", args=[setup.pendamping.pk, 2026, 3])).status_code == 200
    assert setup.pendamping.full_name in korkab.get(reverse("meetings:month_start")).content.decode()


def test_the_group_page_links_to_this_years_plan(setup: Setup) -> None:
    from django.utils import timezone

    html = login(setup.pendamping).get(reverse("groups:detail", args=[setup.group.pk])).content.decode()
    assert reverse("meetings:plan", args=[setup.group.pk, timezone.localdate().year]) in html


def test_venue_pages_add_list_and_edit_inside_scope(setup: Setup) -> None:
    client = login(setup.pendamping)
    data = {
        "desa": setup.desa.code,
        "name": "Musala Al-Ikhlas",
        "kind": "masjid_musala",
        "address": "RT 02/RW 01",
        "capacity": "35",
        "easy_to_reach": "on",
        "large_enough": "on",
        "fit_for_material": "on",
        "is_active": "on",
    }
    response = client.post(reverse("meetings:venue_create"), data, follow=True)
    html = response.content.decode()
    assert "tersimpan" in html and "belum layak" in html  # one criterion left unticked
    venue = Venue.objects.get(name="Musala Al-Ikhlas")
    assert venue.failed_criteria == ["jauh dari jalan ramai, pasar dan sekolah"]
    listing = client.get(reverse("meetings:venues") + f"?wilayah={setup.desa.code}").content.decode()
    assert f'data-testid="venue-fails-{venue.pk}"' in listing
    edit = reverse("meetings:venue_edit", args=[venue.pk])
    assert client.post(edit, {**data, "away_from_busy_places": "on"}).status_code == 302
    venue.refresh_from_db()
    assert venue.is_layak
    assert login(setup.other_pendamping).get(edit).status_code == 200  # same kecamatan: may keep it right
    assert login(make_staff(Role.KORKAB, JEMBER)).get(edit).status_code == 404
    supervisor = login(make_staff(Role.SUPERVISOR, BONDOWOSO))
    assert supervisor.get(reverse("meetings:venues")).status_code == 200
    assert supervisor.get(reverse("meetings:venue_create")).status_code == 403
    assert supervisor.get(edit).status_code == 403


def test_the_venue_form_keeps_what_was_typed_on_error(setup: Setup) -> None:
    make_venue(setup.desa, name="Balai Desa")
    data = {"desa": setup.desa.code, "name": "Balai Desa", "kind": "balai_desa", "capacity": "50"}
    response = login(setup.pendamping).post(reverse("meetings:venue_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="venue-error-name"' in html and 'value="50"' in html
    # A desa of another kecamatan is not even a choice for this pendamping.
    far = {"desa": f"{BONDOWOSO}.02.2001", "name": "Jauh", "kind": "balai_desa"}
    assert login(setup.pendamping).post(reverse("meetings:venue_create"), far).status_code == 400
    assert not Venue.objects.filter(name="Jauh").exists()
    assert MAESAN in setup.desa.code
