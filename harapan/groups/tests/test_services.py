"""Forming groups and moving families/groups (issue 3 "Groups and caseloads"; RULES.md
"P2K2 / FDS curriculum": group size)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.test import override_settings

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.groups import rules
from harapan.groups.models import GroupMembership, Kelompok
from harapan.groups.selectors import caseload_by_pendamping
from harapan.groups.services import household_move_group, kelompok_assign_pendamping, kelompok_form_for_kecamatan
from harapan.registry.models import Household, HouseholdStatus, Member
from harapan.testing import JEMBER, MAESAN, first_kecamatan, make_household, make_staff

from .conftest import Area, families

DAY = dt.date(2026, 1, 1)
CASELOAD = {"groups": {"CASELOAD_MIN": 40, "CASELOAD_MAX": 80}}


@override_settings(HARAPAN=CASELOAD)
def test_formation_keeps_desa_together_sizes_in_band_and_balances_loads(maesan: Area) -> None:
    small, mid, big = maesan.desa
    families(small, 5)
    mid_ids = families(mid, 40)
    families(big, 71)
    # Neighbours: half the families of the middle desa live in RW 001; they must share a group.
    rw1 = mid_ids[1::2]
    Household.objects.filter(pk__in=rw1).update(rw="001")
    left_out = make_household(desa=big, status=HouseholdStatus.GRADUASI_MANDIRI)

    result = kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=maesan.operator.user, valid_from=DAY)

    assert result.groups == 6 and result.families == 116
    groups = list(Kelompok.objects.annotate(n=Count("memberships")).order_by("code"))
    sizes = {g.desa_id: sorted(x.n for x in groups if x.desa_id == g.desa_id) for g in groups}
    assert sizes == {small.code: [5], mid.code: [20, 20], big.code: [23, 24, 24]}
    assert result.small_groups == [f"{small.code}-K01"]
    # Every group lies inside one desa.
    assert not GroupMembership.objects.exclude(household__desa_id=F("kelompok__desa_id")).exists()
    # RW order kept: the RW 001 families form the first group of their desa.
    first_mid = Kelompok.objects.get(code=f"{mid.code}-K01")
    assert set(first_mid.memberships.values_list("household_id", flat=True)) == set(rw1)
    # Exactly one open membership per in-programme family; the family that left has none.
    assert GroupMembership.objects.filter(valid_to__isnull=True).count() == 116
    assert not GroupMembership.objects.filter(household=left_out).exists()
    # Families follow their group's pendamping; loads balanced within the band.
    assert not GroupMembership.objects.exclude(household__pendamping_id=F("kelompok__pendamping_id")).exists()
    loads = sorted(result.loads.values())
    assert sum(loads) == 116 and loads[1] - loads[0] <= 35
    assert set(result.statuses.values()) == {rules.WITHIN}
    rows = caseload_by_pendamping(MAESAN)
    assert sorted(r.families for r in rows) == loads
    assert sum(r.groups for r in rows) == 6
    # Ketua: the carer of each group's first family.
    for g in groups:
        assert g.ketua is not None and g.ketua.is_carer
        assert g.ketua.household_id in {m.household_id for m in g.memberships.all()}
    # Audited, one event per family.
    events = AuditEvent.objects.filter(action="household_group_assigned")
    assert events.count() == 116
    one = events.get(household_id=rw1[0])
    assert one.after == {"kelompok": first_mid.code, "pendamping": first_mid.pendamping_id}
    assert one.before == {"kelompok": None, "pendamping": None}


def test_formation_is_idempotent_and_adds_only_new_families(maesan: Area) -> None:
    families(maesan.desa[0], 12)
    user = maesan.operator.user
    kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=user, valid_from=DAY)
    again = kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=user, valid_from=DAY)
    assert again.groups == 0 and again.families == 0
    assert Kelompok.objects.count() == 1
    families(maesan.desa[0], 3)
    third = kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=user, valid_from=DAY)
    assert third.groups == 1 and third.families == 3
    assert sorted(Kelompok.objects.values_list("code", flat=True)) == [
        f"{maesan.desa[0].code}-K01",
        f"{maesan.desa[0].code}-K02",
    ]
    assert GroupMembership.objects.filter(valid_to__isnull=True).count() == 15
    assert AuditEvent.objects.filter(action="household_group_assigned").count() == 15


def test_formation_without_pendamping_is_refused(db: None) -> None:
    operator = make_staff(Role.OPERATOR, "35.11")
    kec = "35.11.02"
    with pytest.raises(ValidationError):
        kelompok_form_for_kecamatan(kecamatan_code=kec, acting_user=operator.user, valid_from=DAY)


def test_korkab_of_jember_is_refused_on_bondowoso(maesan: Area) -> None:
    korkab = make_staff(Role.KORKAB, JEMBER)
    with pytest.raises(PermissionDenied):
        kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=korkab.user, valid_from=DAY)
    pendamping = maesan.pendamping[0]
    with pytest.raises(PermissionDenied):
        kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=pendamping.user, valid_from=DAY)


def _two_groups(maesan: Area) -> tuple[Kelompok, Kelompok]:
    families(maesan.desa[0], 12)
    families(maesan.desa[1], 12)
    kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=maesan.operator.user, valid_from=DAY)
    a, b = Kelompok.objects.order_by("code")
    assert a.pendamping_id != b.pendamping_id
    return a, b


def test_moving_a_family_keeps_history_and_is_audited(maesan: Area) -> None:
    a, b = _two_groups(maesan)
    household = Household.objects.get(pk=a.memberships.values_list("household_id", flat=True)[0])
    moved_on = dt.date(2026, 3, 1)
    household_move_group(household=household, kelompok=b, valid_from=moved_on, acting_user=maesan.operator.user)

    history = list(GroupMembership.objects.filter(household=household).order_by("valid_from"))
    assert [(m.kelompok_id, m.valid_from, m.valid_to) for m in history] == [
        (a.pk, DAY, dt.date(2026, 2, 28)),
        (b.pk, moved_on, None),
    ]
    household.refresh_from_db()
    assert household.pendamping_id == b.pendamping_id
    event = AuditEvent.objects.filter(action="household_group_assigned", household=household).order_by("-pk")[0]
    assert event.before == {"kelompok": a.code, "pendamping": a.pendamping_id}
    assert event.after == {"kelompok": b.code, "pendamping": b.pendamping_id}
    # A move dated on or before the current membership's start is refused.
    with pytest.raises(ValidationError):
        household_move_group(household=household, kelompok=a, valid_from=moved_on, acting_user=maesan.operator.user)


def test_moving_a_group_moves_all_its_families(maesan: Area) -> None:
    a, b = _two_groups(maesan)
    new = b.pendamping
    assert new is not None
    moved = kelompok_assign_pendamping(kelompok=a, pendamping=new, acting_user=maesan.operator.user)
    assert moved == 12
    ids = list(a.memberships.values_list("household_id", flat=True))
    assert set(Household.objects.filter(pk__in=ids).values_list("pendamping_id", flat=True)) == {new.pk}
    assert AuditEvent.objects.filter(action="kelompok_pendamping_assigned", object_id=str(a.pk)).count() == 1
    assert (
        AuditEvent.objects.filter(action="household_group_assigned", household_id__in=ids, after__pendamping=new.pk)
        .values("household_id")
        .distinct()
        .count()
        == 12
    )
    rows = {r.pendamping.pk: r for r in caseload_by_pendamping(MAESAN)}
    assert rows[new.pk].families == 24 and rows[new.pk].groups == 2


def test_group_goes_only_to_a_pendamping_of_its_kecamatan(maesan: Area) -> None:
    a, _b = _two_groups(maesan)
    elsewhere = make_staff(Role.PENDAMPING, first_kecamatan(JEMBER).code)
    with pytest.raises(ValidationError):
        kelompok_assign_pendamping(kelompok=a, pendamping=elsewhere, acting_user=maesan.operator.user)
    with pytest.raises(PermissionDenied):
        kelompok_assign_pendamping(kelompok=a, pendamping=maesan.pendamping[1], acting_user=maesan.pendamping[0].user)


def test_ketua_is_the_carer(maesan: Area) -> None:
    families(maesan.desa[0], 10)
    kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=maesan.operator.user, valid_from=DAY)
    group = Kelompok.objects.get()
    assert group.ketua is not None
    assert Member.objects.get(pk=group.ketua.pk).is_carer


def test_existing_assignments_are_kept_and_only_unassigned_families_balanced(maesan: Area) -> None:
    p1, p2 = maesan.pendamping
    desa = maesan.desa[0]
    assigned = [make_household(desa=desa, pendamping=p1).pk for _ in range(12)]
    unassigned = families(desa, 12)
    result = kelompok_form_for_kecamatan(kecamatan_code=MAESAN, acting_user=maesan.operator.user, valid_from=DAY)
    assert result.groups == 2
    kept = Kelompok.objects.get(memberships__household_id=assigned[0])
    assert kept.pendamping_id == p1.pk
    assert set(kept.memberships.values_list("household_id", flat=True)) == set(assigned)
    balanced = Kelompok.objects.get(memberships__household_id=unassigned[0])
    assert balanced.pendamping_id == p2.pk  # p1 already carries 12 families
    assert result.loads == {p1.pk: 12, p2.pk: 12}


def test_rebalance_reassigns_families_without_a_group(maesan: Area) -> None:
    p1, _p2 = maesan.pendamping
    for desa in maesan.desa[:2]:
        for _ in range(12):
            make_household(desa=desa, pendamping=p1)
    result = kelompok_form_for_kecamatan(
        kecamatan_code=MAESAN, acting_user=maesan.operator.user, valid_from=DAY, keep_pendamping=False
    )
    assert sorted(result.loads.values()) == [12, 12]
    moved = AuditEvent.objects.filter(action="household_group_assigned", before__pendamping=p1.pk).exclude(
        after__pendamping=p1.pk
    )
    assert moved.count() == 12
