"""Progress of groups and families through the curriculum (RULES.md "P2K2 / FDS curriculum":
five modules, fourteen sessions, taught in order; measures of success: attendance rate, modules
delivered in order, share of KPM applying the material)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from harapan.accounts.models import Role
from harapan.groups.models import GroupMembership
from harapan.meetings.models import Attendance, Meeting
from harapan.meetings.services import meeting_cancel
from harapan.p2k2 import rules
from harapan.p2k2.models import KnowledgeCheck, Session
from harapan.p2k2.progress import area_progress, family_counts, household_progress, kelompok_progress
from harapan.p2k2.services import knowledge_scores_record
from harapan.regions.models import Region
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, first_desa, make_household, make_staff

from .conftest import IZ, A, Group, H, client_for, hold, make_group, month, new_group

pytestmark = pytest.mark.django_db

MODULE_1 = (1, 2, 3, 4)


def session_row(progress: Any, number: int) -> Any:
    return next(r for m in progress.modules for r in m.sessions if r.session.number == number)


def module_row(progress: Any, code: str) -> Any:
    return next(m for m in progress.modules if m.module.code == code)


def all_present(group: Group) -> dict[int, tuple[str, str]]:
    return {f.pk: H for f in group.families}


# --- Pure rules ------------------------------------------------------------------------------


def test_sessions_out_of_order_are_those_held_before_an_earlier_one() -> None:
    teaching = [1, 2, 3, 4, 5]
    assert rules.sessions_out_of_order(teaching, {1: 0, 2: 1, 3: 2}) == []
    assert rules.sessions_out_of_order(teaching, {1: 0, 2: 1, 4: 2}) == [4]  # 3 skipped
    assert rules.sessions_out_of_order(teaching, {1: 0, 2: 1, 4: 2, 3: 3}) == [4]  # 3 caught up later
    assert rules.sessions_out_of_order(teaching, {2: 0, 1: 1}) == [2]


def test_a_module_is_completed_only_when_every_session_is_done() -> None:
    modules = {"M1": [1, 2, 3, 4], "M2": [5, 6, 7], "empty": []}
    assert rules.modules_completed(modules, {1, 2, 3, 4, 5}) == ["M1"]
    assert rules.modules_completed(modules, {1, 2, 3}) == []


def test_attendance_rate_counts_izin_as_not_present() -> None:
    assert rules.attendance_rate(3, 4) == 75.0
    assert rules.attendance_rate(0, 0) is None


# --- A group ---------------------------------------------------------------------------------


def test_a_cancelled_meeting_does_not_count_for_the_group_or_its_families(group: Group) -> None:
    user = group.pendamping.user
    hold(group.kelompok, 1, month(1), all_present(group), user)
    cancelled = Meeting.objects.create(
        kelompok=group.kelompok, session=Session.objects.get(number=2), scheduled_on=month(2)
    )
    # A stray mark on a meeting later cancelled must not count.
    Attendance.objects.create(meeting=cancelled, household=group.families[0], mark="hadir")
    meeting_cancel(meeting=cancelled, acting_user=user)
    planned = Meeting.objects.create(
        kelompok=group.kelompok, session=Session.objects.get(number=3), scheduled_on=month(3)
    )
    progress = kelompok_progress(group.kelompok)
    assert session_row(progress, 1).held
    assert not session_row(progress, 2).held and not session_row(progress, 3).held
    assert progress.inti_held == 1 and progress.inti_sessions == 14 and progress.inti_modules == 5
    family = household_progress(group.families[0])
    assert session_row(family, 2).status == "belum"
    assert planned.pk not in {r.meeting_id for m in progress.modules for s in m.sessions for r in s.meetings}


def test_attendance_rate_and_average_scores_per_held_meeting(group: Group) -> None:
    a, b, c = group.families
    user = group.pendamping.user
    meeting = hold(group.kelompok, 1, month(1), {a.pk: H, b.pk: H, c.pk: IZ}, user)
    knowledge_scores_record(meeting=meeting, scores={a.pk: (0, 2), b.pk: (1, None)}, acting_user=user)
    result = session_row(kelompok_progress(group.kelompok), 1).meetings[0]
    assert (result.present, result.marked) == (2, 3)
    assert round(result.rate or 0) == 67
    assert result.pre == pytest.approx(25.0)  # (0% + 50%) / 2
    assert result.post == pytest.approx(100.0)
    assert result.gain == pytest.approx(100.0) and result.paired == 1  # only a has both scores


def test_a_score_left_over_from_a_family_later_marked_absent_is_not_averaged(group: Group) -> None:
    a, b, _c = group.families
    user = group.pendamping.user
    meeting = hold(group.kelompok, 1, month(1), {a.pk: H, b.pk: H}, user)
    knowledge_scores_record(meeting=meeting, scores={a.pk: (2, 2), b.pk: (0, 0)}, acting_user=user)
    Attendance.objects.filter(meeting=meeting, household=b).update(mark="alpa")
    result = session_row(kelompok_progress(group.kelompok), 1).meetings[0]
    assert result.checks == 1 and result.pre == pytest.approx(100.0)


def test_a_module_is_done_only_when_all_its_sessions_are_held(group: Group) -> None:
    user = group.pendamping.user
    for i, number in enumerate((1, 2, 3)):
        hold(group.kelompok, number, month(i + 1), all_present(group), user)
    progress = kelompok_progress(group.kelompok)
    assert not module_row(progress, "P2K2-1").done
    hold(group.kelompok, 4, month(4), all_present(group), user)
    progress = kelompok_progress(group.kelompok)
    assert module_row(progress, "P2K2-1").done and not module_row(progress, "P2K2-2").done
    assert progress.inti_done == 1 and progress.in_order


def test_sessions_delivered_out_of_order_are_named(group: Group) -> None:
    user = group.pendamping.user
    for i, number in enumerate((1, 2, 4, 3)):
        hold(group.kelompok, number, month(i + 1), all_present(group), user)
    progress = kelompok_progress(group.kelompok)
    assert not progress.in_order
    assert [s.number for s in progress.out_of_order] == [4]
    assert module_row(progress, "P2K2-1").done  # all four held, if not in order


def test_a_repeated_session_lists_both_meetings(group: Group) -> None:
    user = group.pendamping.user
    hold(group.kelompok, 1, month(1), all_present(group), user)
    hold(group.kelompok, 1, month(2), all_present(group), user)
    assert [r.on for r in session_row(kelompok_progress(group.kelompok), 1).meetings] == [month(1), month(2)]


# --- A family --------------------------------------------------------------------------------


def test_izin_is_not_attended(group: Group) -> None:
    a = group.families[0]
    user = group.pendamping.user
    for i, number in enumerate(MODULE_1):
        hold(group.kelompok, number, month(i + 1), {a.pk: IZ if number == 2 else H}, user)
    progress = household_progress(a)
    assert session_row(progress, 2).status == "izin" and not session_row(progress, 2).attended
    assert not module_row(progress, "P2K2-1").done
    assert (progress.inti_attended, progress.inti_completed) == (3, 0)


def test_a_family_completes_a_module_by_attending_every_session(group: Group) -> None:
    a, b, _c = group.families
    user = group.pendamping.user
    for i, number in enumerate(MODULE_1):
        meeting = hold(group.kelompok, number, month(i + 1), {a.pk: H, b.pk: A if number == 4 else H}, user)
    knowledge_scores_record(meeting=meeting, scores={a.pk: (1, 2)}, acting_user=user)
    done = household_progress(a)
    assert module_row(done, "P2K2-1").done and done.inti_completed == 1 and done.inti_attended == 4
    row = session_row(done, 4)
    assert (row.status, row.pre, row.post, row.total, row.on) == ("hadir", 1, 2, 2, month(4))
    missing = household_progress(b)
    assert session_row(missing, 4).status == "alpa" and missing.inti_completed == 0


def test_a_later_hadir_makes_up_for_an_earlier_alpa(group: Group) -> None:
    a = group.families[0]
    user = group.pendamping.user
    hold(group.kelompok, 1, month(1), {a.pk: A}, user)
    hold(group.kelompok, 1, month(2), {a.pk: H}, user)
    hold(group.kelompok, 1, month(3), {a.pk: A}, user)
    row = session_row(household_progress(a), 1)
    assert (row.status, row.on) == ("hadir", month(2))


def test_a_family_that_moved_group_keeps_the_sessions_attended_in_the_old_group(group: Group) -> None:
    mover = group.families[0]
    user = group.pendamping.user
    for i, number in enumerate((1, 2)):
        hold(group.kelompok, number, month(i + 1), all_present(group), user)
    GroupMembership.objects.filter(household=mover, valid_to__isnull=True).update(valid_to=month(2))
    new = make_group(group.desa, group.pendamping, [mover], month(2) + dt.timedelta(days=1))
    for i, number in enumerate((3, 4)):
        hold(new, number, month(i + 3), {mover.pk: H}, user)
    progress = household_progress(mover)
    assert progress.kelompok == new
    assert module_row(progress, "P2K2-1").done and progress.inti_attended == 4
    assert {session_row(progress, n).kelompok_name for n in MODULE_1} == {group.kelompok.name, new.name}
    # The new group's page counts the family's earlier sessions in its summary line.
    families = {f["household_id"]: f for f in kelompok_progress(new).families}
    assert (families[mover.pk]["sessions"], families[mover.pk]["modules"]) == (4, 1)
    # ... and the old group's page no longer lists it.
    assert mover.pk not in {f["household_id"] for f in kelompok_progress(group.kelompok).families}


def test_the_family_summary_in_bulk_equals_the_family_page(group: Group) -> None:
    a, b, c = group.families
    user = group.pendamping.user
    for i, number in enumerate((1, 2, 3, 4, 5)):
        hold(group.kelompok, number, month(i + 1), {a.pk: H, b.pk: IZ if number == 3 else H, c.pk: A}, user)
    bulk = family_counts([a.pk, b.pk, c.pk])
    for family in group.families:
        single = household_progress(family)
        assert (bulk[family.pk].sessions, bulk[family.pk].modules) == (single.inti_attended, single.inti_completed)
    assert (bulk[a.pk].sessions, bulk[a.pk].modules) == (5, 1)


# --- An area ---------------------------------------------------------------------------------


def test_area_counts_groups_by_modules_completed(group: Group) -> None:
    user = group.pendamping.user
    for i, number in enumerate(MODULE_1):
        hold(group.kelompok, number, month(i + 1), all_present(group), user)
    idle = make_group(group.desa, group.pendamping, [], month(1))
    korkab = make_staff(Role.KORKAB, BONDOWOSO)
    kabupaten = area_progress(korkab.user, Region.objects.get(pk=BONDOWOSO))
    assert kabupaten.total.groups == 2 and kabupaten.total.by_modules[:2] == [1, 1]
    assert [k.region.code for k in kabupaten.kecamatan] == [MAESAN]
    kecamatan = area_progress(korkab.user, Region.objects.get(pk=MAESAN))
    rows = {g.kelompok.pk: g for g in kecamatan.groups}
    assert (rows[group.kelompok.pk].modules_done, rows[group.kelompok.pk].sessions_held) == (1, 4)
    assert rows[idle.pk].modules_done == 0
    # Another pendamping of the kecamatan sees none of these groups.
    other = make_staff(Role.PENDAMPING, MAESAN)
    assert area_progress(other.user, Region.objects.get(pk=MAESAN)).total.groups == 0


# --- Pages and scope -------------------------------------------------------------------------


def test_group_and_family_pages_render_for_the_pendamping(group: Group) -> None:
    a = group.families[0]
    user = group.pendamping.user
    meeting = hold(group.kelompok, 1, month(1), all_present(group), user)
    knowledge_scores_record(meeting=meeting, scores={a.pk: (1, 2)}, acting_user=user)
    client = client_for(group.pendamping)
    html = client.get(reverse("p2k2:progress_kelompok", args=[group.kelompok.pk])).content.decode()
    assert f'data-testid="kemajuan-meeting-{meeting.pk}"' in html
    assert f'data-testid="kemajuan-post-{meeting.pk}">100%' in html
    assert reverse("p2k2:knowledge_check", args=[meeting.pk]) in html
    page = client.get(reverse("p2k2:progress_household", args=[a.pk])).content.decode()
    assert "1 dari 14 sesi, 0 dari 5 modul" in page


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [
        (Role.PENDAMPING, MAESAN, 404),  # another pendamping
        (Role.KORKAB, BONDOWOSO, 200),
        (Role.DINSOS_KAB, BONDOWOSO, 200),
        (Role.OPERATOR, JEMBER, 404),
        (Role.DINSOS_KAB, JEMBER, 404),
    ],
)
def test_progress_pages_follow_the_access_rule(group: Group, role: str, region: str, status: int) -> None:
    client = client_for(make_staff(role, region))
    assert client.get(reverse("p2k2:progress_kelompok", args=[group.kelompok.pk])).status_code == status
    assert client.get(reverse("p2k2:progress_household", args=[group.families[0].pk])).status_code == status


def test_area_page_is_404_outside_the_users_area(group: Group) -> None:
    url = reverse("p2k2:progress_area", args=[BONDOWOSO])
    assert client_for(make_staff(Role.KORKAB, BONDOWOSO)).get(url).status_code == 200
    assert client_for(make_staff(Role.KORKAB, JEMBER)).get(url).status_code == 404
    assert client_for(make_staff(Role.PENDAMPING, MAESAN)).get(url).status_code == 404
    assert client_for(group.pendamping).get(reverse("p2k2:progress_area", args=[MAESAN])).status_code == 200
    assert client_for(group.pendamping).get(reverse("p2k2:progress_area", args=["35"])).status_code == 404


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_progress_pages_take_a_handful_of_queries_whatever_the_size() -> None:
    """35 families and all 14 sessions held with scores cost what 3 families and one session do."""
    small = new_group(3)
    big = new_group(35)
    for g, numbers in ((small, [1]), (big, list(range(1, 15)))):
        for i, number in enumerate(numbers):
            meeting = hold(g.kelompok, number, month(i + 1), all_present(g), g.pendamping.user)
            knowledge_scores_record(
                meeting=meeting, scores={f.pk: (1, 2) for f in g.families}, acting_user=g.pendamping.user
            )
    sizes = {}
    for g in (small, big):
        client = client_for(g.pendamping)
        client.get("/")  # session and language settle
        sizes[g is big] = (
            _count(client, reverse("p2k2:progress_kelompok", args=[g.kelompok.pk])),
            _count(client, reverse("p2k2:progress_household", args=[g.families[0].pk])),
            _count(client, reverse("p2k2:progress_area", args=[MAESAN])),
        )
    assert sizes[True] == sizes[False]
    group_page, family_page, area_page = sizes[True]
    assert group_page <= 12 and family_page <= 10 and area_page <= 10
    assert KnowledgeCheck.objects.count() == 3 + 35 * 14


def test_family_in_a_desa_without_a_group_still_has_a_page() -> None:
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    family = make_household(desa=first_desa(MAESAN), pendamping=pendamping)
    page = client_for(pendamping).get(reverse("p2k2:progress_household", args=[family.pk])).content.decode()
    assert "0 dari 14 sesi, 0 dari 5 modul" in page
