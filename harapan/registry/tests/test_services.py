"""Writes to the registry: status history, the one-NIK-one-active-household invariant, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.registry.models import Household, HouseholdStatus, HouseholdStatusPeriod, Member
from harapan.registry.rules import Komponen
from harapan.registry.selectors import household_components_on
from harapan.registry.services import household_assign_pendamping, household_set_status, household_update
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, first_desa, first_kecamatan, make_household, make_staff

pytestmark = pytest.mark.django_db


def test_status_change_closes_the_open_period_and_is_audited_with_before_and_after():
    operator = make_staff(Role.OPERATOR, BONDOWOSO)
    household = make_household()
    household_set_status(
        household=household,
        status=HouseholdStatus.GRADUASI_MANDIRI,
        valid_from=dt.date(2026, 10, 1),
        reason="Usaha warung berjalan",
        acting_user=operator.user,
    )
    periods = list(
        HouseholdStatusPeriod.objects.filter(household=household).values_list("status", "valid_from", "valid_to")
    )
    assert periods == [
        ("aktif", dt.date(2020, 1, 1), dt.date(2026, 9, 30)),
        ("graduasi_mandiri", dt.date(2026, 10, 1), None),
    ]
    event = AuditEvent.objects.get(household=household)
    assert (event.actor_id, event.before, event.after, event.note) == (
        operator.user.pk,
        {"status": "aktif"},
        {"status": "graduasi_mandiri"},
        "Usaha warung berjalan",
    )


def test_leaving_the_programme_releases_the_niks_for_another_household():
    """RULES.md / STYLE.md invariant: one active household per NIK."""
    operator = make_staff(Role.OPERATOR, BONDOWOSO)
    household = make_household()
    wife = household.members.get(is_carer=True)
    other = make_household()
    moved = Member(
        household=other,
        nik=wife.nik,
        no_kk=other.no_kk,
        name=wife.name,
        sex="P",
        birth_date=wife.birth_date,
        relationship=8,
        is_active=True,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        moved.save()
    household_set_status(
        household=household,
        status=HouseholdStatus.NON_ELIGIBLE,
        valid_from=dt.date(2026, 11, 1),
        reason="Tidak memenuhi komitmen",
        acting_user=operator.user,
    )
    moved.save()
    assert not household.members.filter(is_active=True).exists()
    # Coming back into the programme would make the NIK active twice: refused, nothing changed.
    with pytest.raises(ValidationError):
        household_set_status(
            household=household,
            status=HouseholdStatus.AKTIF,
            valid_from=dt.date(2026, 11, 15),
            reason="Aktif kembali",
            acting_user=operator.user,
        )
    household.refresh_from_db()
    assert household.status == HouseholdStatus.NON_ELIGIBLE


def test_status_change_needs_a_reason_and_a_role_that_may_change_status():
    household = make_household()
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    household.pendamping = pendamping
    household.save()
    with pytest.raises(PermissionDenied):
        household_set_status(
            household=household,
            status="non_eligible",
            valid_from=dt.date(2026, 11, 1),
            reason="x",
            acting_user=pendamping.user,
        )
    operator = make_staff(Role.OPERATOR, BONDOWOSO)
    with pytest.raises(ValidationError):
        household_set_status(
            household=household,
            status="non_eligible",
            valid_from=dt.date(2026, 11, 1),
            reason=" ",
            acting_user=operator.user,
        )
    assert not AuditEvent.objects.exists()


def test_operator_of_another_kabupaten_cannot_change_a_family():
    household = make_household()
    stranger = make_staff(Role.OPERATOR, JEMBER)
    with pytest.raises(PermissionDenied):
        household_update(household=household, data={"rt": "009"}, acting_user=stranger.user)
    household.refresh_from_db()
    assert household.rt == "001"


def test_update_records_only_changed_fields():
    pendamping = make_staff(Role.PENDAMPING, MAESAN)
    household = make_household(pendamping=pendamping)
    household_update(household=household, data={"rt": "003", "rw": "002"}, acting_user=pendamping.user)
    event = AuditEvent.objects.get(household=household)
    assert (event.before, event.after) == ({"rt": "001"}, {"rt": "003"})
    household_update(household=household, data={"rt": "003"}, acting_user=pendamping.user)
    assert AuditEvent.objects.filter(household=household).count() == 1


def test_pendamping_must_work_in_the_familys_kecamatan():
    korkab = make_staff(Role.KORKAB, BONDOWOSO)
    household = make_household()
    elsewhere = make_staff(Role.PENDAMPING, "35.11.02")
    with pytest.raises(ValidationError):
        household_assign_pendamping(household=household, pendamping=elsewhere, acting_user=korkab.user)
    here = make_staff(Role.PENDAMPING, MAESAN)
    household_assign_pendamping(household=household, pendamping=here, acting_user=korkab.user)
    assert Household.objects.get(pk=household.pk).pendamping == here
    event = AuditEvent.objects.get(household=household)
    assert (event.before, event.after) == ({"pendamping": None}, {"pendamping": here.pk})


def test_components_of_a_stored_family_on_a_reference_date():
    household = make_household(
        pregnant_since=dt.date(2026, 6, 1),
        children=[(dt.date(2023, 5, 5), None), (dt.date(2017, 2, 2), "SD"), (dt.date(2008, 1, 1), None)],
    )
    result = household_components_on(household, dt.date(2026, 11, 29))
    assert result.counts() == {Komponen.IBU_HAMIL: 1, Komponen.ANAK_USIA_DINI: 1, Komponen.ANAK_SD: 1}


def test_test_regions_are_real():
    assert first_desa(MAESAN).code.startswith("35.11.01.")
    assert first_kecamatan(JEMBER).parent_id == JEMBER
