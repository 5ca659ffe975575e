"""The registry writes that an approved pemutakhiran applies: members, dated facts, the carer and
the address. Each re-checks the family's data and the database invariants (one active household
per NIK, one carer, facts that do not overlap) and audits with before and after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.registry.models import DisabilityAssessment, Household, Member, Pregnancy, Presence, SchoolEnrolment
from harapan.registry.rules import compose_nik
from harapan.registry.services import (
    carer_change,
    disability_open,
    enrolment_close,
    enrolment_open,
    household_move,
    member_add,
    member_leave,
    pregnancy_close,
    pregnancy_open,
)
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, first_desa, first_kecamatan, make_household, make_staff

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def code(error: ValidationError) -> list[str]:
    return [e.code or "" for errors in error.error_dict.values() for e in errors]


@pytest.fixture
def korkab():
    return make_staff(Role.KORKAB, BONDOWOSO).user


def test_a_new_member_may_not_take_a_nik_active_in_another_family(korkab) -> None:
    """RULES.md: Identity numbers; STYLE.md invariant: one active household per NIK."""
    family, other = make_household(), make_household()
    held = other.members.get(is_carer=True)
    with pytest.raises(ValidationError) as e:
        member_add(
            household=family,
            name="Bayi",
            sex=held.sex,
            birth_date=held.birth_date,
            relationship=3,
            nik=held.nik,
            acting_user=korkab,
        )
    assert code(e.value) == ["nik_sudah_aktif"]
    baby = member_add(
        household=family, name="Bayi", sex="P", birth_date=TODAY - 3 * DAY, relationship=3, acting_user=korkab
    )
    assert (baby.presence, baby.is_active, baby.no_kk, baby.nik) == (Presence.BARU, True, family.no_kk, None)
    assert AuditEvent.objects.get(household=family).action == "member_created"


def test_a_new_members_nik_is_checked_against_birth_date_and_sex(korkab) -> None:
    born = TODAY - 3 * DAY
    with pytest.raises(ValidationError) as e:
        member_add(
            household=make_household(),
            name="Bayi",
            sex="P",
            birth_date=born,
            relationship=3,
            nik=compose_nik(MAESAN, born, "L", 55),
            acting_user=korkab,
        )
    assert code(e.value) == ["nik_jenis_kelamin"]


def test_leaving_releases_the_nik_and_ends_open_facts_the_day_before(korkab) -> None:
    family = make_household(children=[(TODAY.replace(year=TODAY.year - 9), "SD")])
    child = family.members.get(relationship=3)
    SchoolEnrolment.objects.filter(member=child).update(valid_from=TODAY - 200 * DAY)
    DisabilityAssessment.objects.create(member=child, valid_from=TODAY - DAY)  # began the day they left
    member_leave(member=child, presence=Presence.PINDAH, left_on=TODAY - DAY, acting_user=korkab)
    child.refresh_from_db()
    assert (child.presence, child.left_on, child.is_active) == (Presence.PINDAH, TODAY - DAY, False)
    assert SchoolEnrolment.objects.get(member=child).valid_to == TODAY - 2 * DAY
    assert not DisabilityAssessment.objects.filter(member=child).exists()  # it never held: removed
    assert list(AuditEvent.objects.filter(household=family).values_list("action", flat=True).order_by("id")) == [
        "member_left",
        "member_fact_recorded",
        "member_fact_recorded",
    ]
    with pytest.raises(ValidationError) as e:
        member_leave(member=child, presence=Presence.MENINGGAL, left_on=TODAY, acting_user=korkab)
    assert code(e.value) == ["anggota_tidak_ada"]


def test_the_carer_cannot_leave_before_another_member_is_carer(korkab) -> None:
    """RULES.md: Disbursement and data — the payment goes to the carer."""
    family = make_household()
    wife, head = family.members.get(is_carer=True), family.members.get(relationship=1)
    with pytest.raises(ValidationError) as e:
        member_leave(member=wife, presence=Presence.MENINGGAL, left_on=TODAY, acting_user=korkab)
    assert code(e.value) == ["pengurus_harus_diganti"]
    carer_change(household=family, new_carer=head, acting_user=korkab)
    member_leave(member=wife, presence=Presence.MENINGGAL, left_on=TODAY, acting_user=korkab)
    assert list(family.members.filter(is_carer=True)) == [head]


def test_carer_change_moves_the_one_carer_and_audits_both_members(korkab) -> None:
    family = make_household()
    wife, head = family.members.get(is_carer=True), family.members.get(relationship=1)
    carer_change(household=family, new_carer=head, acting_user=korkab)
    assert list(Member.objects.filter(household=family, is_carer=True)) == [head]
    events = AuditEvent.objects.filter(household=family).order_by("id")
    assert [(e.object_id, e.before, e.after) for e in events] == [
        (str(wife.pk), {"is_carer": True}, {"is_carer": False}),
        (str(head.pk), {"is_carer": False}, {"is_carer": True}),
    ]
    with pytest.raises(ValidationError):
        carer_change(household=family, new_carer=make_household().members.first(), acting_user=korkab)  # type: ignore[arg-type]


def test_enrolments_never_overlap_and_close_after_they_start(korkab) -> None:
    family = make_household(children=[(TODAY.replace(year=TODAY.year - 9), "SD")])
    child = family.members.get(relationship=3)
    with pytest.raises(ValidationError) as e:
        enrolment_open(member=child, level="SMP", valid_from=TODAY, acting_user=korkab)
    assert code(e.value) == ["sekolah_tumpang_tindih"]
    start = SchoolEnrolment.objects.get(member=child).valid_from
    with pytest.raises(ValidationError) as e:
        enrolment_close(member=child, valid_to=start - DAY, acting_user=korkab)
    assert code(e.value) == ["tanggal_sebelum_mulai"]
    enrolment_close(member=child, valid_to=start, acting_user=korkab)
    enrolment_open(member=child, level="SMP", grade=7, valid_from=start + DAY, acting_user=korkab)
    assert SchoolEnrolment.objects.filter(member=child).count() == 2
    event = AuditEvent.objects.filter(household=family).order_by("id").last()
    assert event is not None and event.after == {
        "sekolah": {"sejak": (start + DAY).isoformat(), "jenjang": "SMP", "grade": 7}
    }


def test_pregnancies_do_not_overlap_and_a_stale_open_one_ends_at_its_natural_end(korkab) -> None:
    """RULES.md: Components and amounts — a pregnancy with no recorded end lasts PREGNANCY_DAYS."""
    family = make_household()
    wife, head = family.members.get(is_carer=True), family.members.get(relationship=1)
    with pytest.raises(ValidationError):
        pregnancy_open(member=head, valid_from=TODAY, acting_user=korkab)
    old = Pregnancy.objects.create(member=wife, valid_from=TODAY - 400 * DAY)
    with pytest.raises(ValidationError) as e:
        pregnancy_open(member=wife, valid_from=TODAY - 300 * DAY, acting_user=korkab)
    assert code(e.value) == ["hamil_tumpang_tindih"]
    pregnancy_open(member=wife, valid_from=TODAY - 10 * DAY, acting_user=korkab)
    old.refresh_from_db()
    assert old.valid_to == TODAY - 120 * DAY  # 400 - 280 days
    pregnancy_close(member=wife, valid_to=TODAY, acting_user=korkab)
    assert Pregnancy.objects.filter(member=wife, valid_to__isnull=True).count() == 0
    with pytest.raises(ValidationError) as e:
        pregnancy_close(member=wife, valid_to=TODAY, acting_user=korkab)
    assert code(e.value) == ["tidak_hamil"]


def test_disability_is_recorded_once(korkab) -> None:
    head = make_household().members.get(relationship=1)
    disability_open(member=head, valid_from=TODAY - DAY, acting_user=korkab)
    with pytest.raises(ValidationError) as e:
        disability_open(member=head, valid_from=TODAY, acting_user=korkab)
    assert code(e.value) == ["disabilitas_sudah_ada"]


def test_a_move_out_of_the_kecamatan_releases_the_pendamping(korkab) -> None:
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    family = make_household(pendamping=pendamping)
    near = first_desa("35.11.02")
    with pytest.raises(ValidationError) as e:
        household_move(household=family, desa="35.11.02.9999", address="x", acting_user=korkab)
    assert code(e.value) == ["desa_tidak_dikenal"]
    household_move(household=family, desa=near.code, address="Jl. Baru 1", rt="001", acting_user=korkab)
    family = Household.objects.get(pk=family.pk)
    assert (family.desa_id, family.address, family.pendamping_id) == (near.code, "Jl. Baru 1", None)
    moved, released = AuditEvent.objects.filter(household=family).order_by("id")
    assert moved.action == "household_moved" and moved.after["desa"] == near.code
    assert (released.before, released.after) == ({"pendamping": pendamping.pk}, {"pendamping": None})


def test_member_writes_keep_to_the_writers_scope() -> None:
    family = make_household(pendamping=make_staff(Role.PENDAMPING, MAESAN))
    head = family.members.get(relationship=1)
    for stranger in (make_staff(Role.PENDAMPING, MAESAN), make_staff(Role.KORKAB, first_kecamatan(JEMBER).parent_id)):
        with pytest.raises(PermissionDenied):
            disability_open(member=head, valid_from=TODAY, acting_user=stranger.user)
        with pytest.raises(PermissionDenied):
            member_add(household=family, name="X", sex="L", birth_date=TODAY, relationship=3, acting_user=stranger.user)
    assert not AuditEvent.objects.exists()
