"""Approval by a second person of Dinas Sosial, never the preparer (issue 4), and graduasi alamiah
applied on approval (RULES.md: Graduation, "alamiah: no eligible component remains")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.payroll.models import TahapStatus
from harapan.payroll.services import tahap_approve, tahap_cancel, tahap_issue, tahap_open
from harapan.registry.models import HouseholdStatus, HouseholdStatusPeriod, Member
from harapan.registry.services import household_set_status
from harapan.testing import BONDOWOSO, JEMBER, make_household, make_staff

from .conftest import CUT_OFF, YEAR, give_accounts


def test_the_preparer_cannot_approve_even_with_an_approving_role(run_tahap, dinsos, settings) -> None:
    """A second person approves: the Dinas Sosial user who computed the list is refused with a
    clear message; another Dinas Sosial user of the kabupaten approves."""
    settings.HARAPAN = {"payroll": {"OPEN_ROLES": ["operator", "dinsos_kab"]}}
    make_household(children=[(dt.date(2023, 1, 1), None)])
    tahap = run_tahap(acting_user=dinsos.user)
    with pytest.raises(PermissionDenied, match="persetujuan harus oleh orang kedua"):
        tahap_approve(tahap=tahap, acting_user=dinsos.user)
    second = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    assert tahap_approve(tahap=tahap, acting_user=second.user).status == TahapStatus.DISETUJUI


def test_only_dinas_sosial_of_the_area_approves(run_tahap, operator) -> None:
    """The approver role is configurable per level (dinsos_kab for a kabupaten tahap); the
    operator, a korkab and Dinas Sosial of another kabupaten are refused."""
    tahap = run_tahap()
    for who in (operator, make_staff(Role.KORKAB, BONDOWOSO), make_staff(Role.DINSOS_KAB, JEMBER)):
        with pytest.raises(PermissionDenied):
            tahap_approve(tahap=tahap, acting_user=who.user)
    assert tahap.status == TahapStatus.DIHITUNG


def test_an_uncomputed_tahap_cannot_be_approved_or_issued(operator, dinsos) -> None:
    tahap = tahap_open(region_code=BONDOWOSO, year=YEAR, number=2, cut_off=CUT_OFF, acting_user=operator.user)
    with pytest.raises(ValidationError):
        tahap_approve(tahap=tahap, acting_user=dinsos.user)
    with pytest.raises(ValidationError):
        tahap_issue(tahap=tahap, acting_user=dinsos.user)


def test_opening_checks_the_index_split_region_and_uniqueness(operator) -> None:
    """Components and amounts: the tahap number runs 1..4 under the seed indexes."""
    with pytest.raises(ValidationError):
        tahap_open(region_code=BONDOWOSO, year=YEAR, number=5, cut_off=CUT_OFF, acting_user=operator.user)
    with pytest.raises(PermissionDenied):
        tahap_open(region_code=JEMBER, year=YEAR, number=1, cut_off=CUT_OFF, acting_user=operator.user)
    with pytest.raises(ValidationError):
        tahap_open(region_code="35.11.01", year=YEAR, number=1, cut_off=CUT_OFF, acting_user=operator.user)
    tahap_open(region_code=BONDOWOSO, year=YEAR, number=1, cut_off=CUT_OFF, acting_user=operator.user)
    with pytest.raises(ValidationError):
        tahap_open(region_code=BONDOWOSO, year=YEAR, number=1, cut_off=CUT_OFF, acting_user=operator.user)


def test_cancelled_tahap_frees_its_number_and_its_families(run_tahap, operator) -> None:
    h = make_household(children=[(dt.date(2023, 1, 1), None)])
    give_accounts(h)
    tahap = tahap_cancel(tahap=run_tahap(), reason="Cut-off salah", acting_user=operator.user)
    assert tahap.status == TahapStatus.DIBATALKAN
    assert tahap.lines.get().cancelled
    again = run_tahap()
    assert again.pk != tahap.pk and again.lines.get().household == h


def test_alamiah_families_graduate_when_the_tahap_is_approved(run_tahap, operator, dinsos) -> None:
    """Graduation: the family found with no component at the cut-off moves to graduasi_alamiah on
    approval, as household_set_status would move it (period, NIKs released, registry event with
    the tahap as source); a suspended family with none graduates too; a calon does not."""
    alamiah = make_household()
    suspended = make_household()
    household_set_status(
        household=suspended,
        status=HouseholdStatus.DITANGGUHKAN,
        valid_from=dt.date(2026, 2, 1),
        reason="Sanksi",
        acting_user=operator.user,
    )
    calon = make_household(status=HouseholdStatus.CALON)
    paid = make_household(children=[(dt.date(2022, 1, 1), None)])
    give_accounts(alamiah, suspended, calon, paid)
    tahap = run_tahap()
    assert tahap.alamiah_count == 3
    tahap = tahap_approve(tahap=tahap, acting_user=dinsos.user)
    today = timezone.localdate()
    assert tahap.alamiah_applied == 2
    for h in (alamiah, suspended):
        h.refresh_from_db()
        assert (h.status, h.status_since) == (HouseholdStatus.GRADUASI_ALAMIAH, today)
        period = HouseholdStatusPeriod.objects.get(household=h, valid_to=None)
        assert period.status == HouseholdStatus.GRADUASI_ALAMIAH and "cut-off 01-03-2026" in period.reason
        assert not Member.objects.filter(household=h, is_active=True).exists()
        event = AuditEvent.objects.get(household=h, action="household_status_changed", source=tahap.source)
        assert event.after == {"status": HouseholdStatus.GRADUASI_ALAMIAH} and event.actor == dinsos.user
    assert HouseholdStatusPeriod.objects.get(household=suspended, status=HouseholdStatus.DITANGGUHKAN).valid_to == (
        today - dt.timedelta(days=1)
    )
    calon.refresh_from_db()
    paid.refresh_from_db()
    assert (calon.status, paid.status) == (HouseholdStatus.CALON, HouseholdStatus.AKTIF)
    assert AuditEvent.objects.filter(action="tahap_approved", object_id=str(tahap.pk)).count() == 1
