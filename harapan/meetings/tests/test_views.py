"""The pendamping's attendance page (issue 3): phone-sized, scoped (accounts.scope), keeps what
was typed when a save fails."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from harapan.accounts.models import Role, Staff
from harapan.groups.models import GroupMembership
from harapan.meetings.models import Attendance, Meeting, MeetingStatus
from harapan.p2k2.models import Session
from harapan.registry.models import Household
from harapan.testing import JEMBER, make_household, make_staff

from .conftest import Setup, hold, month


def login(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


@pytest.fixture
def meeting(setup: Setup) -> Meeting:
    return Meeting.objects.create(kelompok=setup.group, scheduled_on=month(1))


def test_the_list_shows_the_pendampings_meetings(setup: Setup) -> None:
    from django.utils import timezone

    today = Meeting.objects.create(kelompok=setup.group, scheduled_on=timezone.localdate())
    page = login(setup.pendamping).get(reverse("meetings:list")).content.decode()
    assert f'data-testid="meeting-{today.pk}"' in page
    other = login(setup.other_pendamping).get(reverse("meetings:list")).content.decode()
    assert f'data-testid="meeting-{today.pk}"' not in other


def test_page_is_small_with_one_row_per_family(setup: Setup, meeting: Meeting) -> None:
    more = [make_household(desa=setup.desa, pendamping=setup.pendamping) for _ in range(32)]
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=setup.group, valid_from=month(1)) for h in more]
    )
    response = login(setup.pendamping).get(reverse("meetings:attendance", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < 30_000
    for h in Household.objects.filter(group_memberships__kelompok=setup.group):
        assert html.count(f'name="m-{h.pk}"') == 3
        assert f'name="r-{h.pk}"' in html
    assert 'name="foto"' in html and "localStorage" in html


@pytest.mark.parametrize("who", ["other_pendamping", "korkab_jember"])
def test_outsiders_get_404(setup: Setup, meeting: Meeting, who: str) -> None:
    staff = setup.other_pendamping if who == "other_pendamping" else make_staff(Role.KORKAB, JEMBER)
    client = login(staff)
    url = reverse("meetings:attendance", args=[meeting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {f"m-{setup.families[0].pk}": "hadir"}).status_code == 404
    assert not Attendance.objects.exists()


def test_izin_without_reason_re_renders_with_typed_values_and_saves_nothing(setup: Setup, meeting: Meeting) -> None:
    a, b, c = setup.families
    url = reverse("meetings:attendance", args=[meeting.pk])
    data = {f"m-{a.pk}": "hadir", f"m-{b.pk}": "izin", f"r-{b.pk}": "", f"m-{c.pk}": "izin", f"r-{c.pk}": "ke pasar"}
    response = login(setup.pendamping).post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Alasan izin wajib diisi." in html and 'data-testid="absen-error"' in html
    assert f'name="m-{a.pk}" value="hadir" checked' in html
    assert f'name="m-{b.pk}" value="izin" checked' in html
    assert f'name="r-{c.pk}" value="ke pasar"' in html
    assert not Attendance.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DIRENCANAKAN


def test_a_save_confirms_with_counts(setup: Setup, meeting: Meeting) -> None:
    a, b, c = setup.families
    url = reverse("meetings:attendance", args=[meeting.pk])
    data = {f"m-{a.pk}": "hadir", f"m-{b.pk}": "izin", f"r-{b.pk}": "sakit", f"m-{c.pk}": "alpa"}
    response = login(setup.pendamping).post(url, data, follow=True)
    html = response.content.decode()
    assert "Kehadiran tersimpan: 1 hadir, 1 izin, 1 alpa." in html
    assert "removeItem" in html
    assert dict(Attendance.objects.values_list("household_id", "mark")) == {a.pk: "hadir", b.pk: "izin", c.pk: "alpa"}


def test_a_held_meeting_with_a_session_leads_to_its_knowledge_check(setup: Setup, meeting: Meeting) -> None:
    """After recording, the pendamping goes on to the before/after scores (issue 3: Progress)."""
    meeting.session = Session.objects.order_by("module__order", "order").first()
    meeting.save(update_fields=["session"])
    url = reverse("meetings:attendance", args=[meeting.pk])
    client = login(setup.pendamping)
    assert 'data-testid="knowledge-check-link"' not in client.get(url).content.decode()
    data = {f"m-{h.pk}": "hadir" for h in setup.families}
    html = client.post(url, data, follow=True).content.decode()
    assert reverse("p2k2:knowledge_check", args=[meeting.pk]) in html


def test_the_familys_history_names_attendance_and_flags_in_words(setup: Setup) -> None:
    """Every flag shows in the family's history with the meetings behind it (issue 3; RULES.md:
    Sanctions), labelled in words rather than event codes."""
    a = setup.families[0]
    for n in range(1, 4):
        hold(setup.group, month(n), {a.pk: ("alpa", "")}, setup.pendamping.user)
    html = login(setup.pendamping).get(reverse("registry:detail", args=[a.pk])).content.decode()
    assert "Kehadiran P2K2 dicatat" in html
    assert "Ditandai karena tidak hadir P2K2" in html
    assert "Penangguhan" in html
    assert month(1).isoformat() in html and month(3).isoformat() in html
    assert "absence_flag_raised</b>" not in html and "attendance_recorded</b>" not in html


def test_the_family_page_shows_its_group_attendance_and_open_flag(setup: Setup) -> None:
    """The family page names the family's kelompok, counts its marks at held meetings and shows an
    open penangguhan with the dates of the meetings behind it (RULES.md: Sanctions)."""
    a = setup.families[0]
    for n in range(1, 4):
        hold(setup.group, month(n), {a.pk: ("alpa", "")}, setup.pendamping.user)
    html = login(setup.pendamping).get(reverse("registry:detail", args=[a.pk])).content.decode()
    assert setup.group.name in html
    assert "0 hadir, 0 izin, 3 alpa dari 3 pertemuan terlaksana" in html
    assert 'data-testid="family-flag-penangguhan"' in html
    assert month(1).strftime("%d-%m-%Y") in html and month(3).strftime("%d-%m-%Y") in html
    assert reverse("p2k2:progress_household", args=[a.pk]) in html
    assert reverse("benefits:entitlement", args=[a.pk]) in html
