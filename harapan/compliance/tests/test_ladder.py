"""The sanction ladder, step by step and back (RULES.md "Sanctions (configurable ladder)"): a
warning at the first month not met, a suspension after 3 consecutive months (status ditangguhkan,
payment held), a cancellation after 6 (non-eligible once a korkab/Dinas Sosial confirms), each
lifted when the family is compliant again or a record behind it is corrected; P2K2 absence flags
feed it; evaluating twice changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from harapan.audit.models import AuditEvent
from harapan.compliance.models import Confirmation, FamilyLadder, LiftReason, Sanction
from harapan.compliance.selectors import family_sanctions, payment_holds
from harapan.compliance.services import (
    FormEntry,
    compliance_evaluate,
    sanction_confirm,
    sanction_reject,
    verification_form_save,
)
from harapan.meetings.models import AbsenceFlag
from harapan.registry.models import HouseholdStatus, HouseholdStatusPeriod, Member
from harapan.registry.services import household_set_status

from .conftest import World, attendance, evaluate, get_record, hold, m, make_group

pytestmark = pytest.mark.django_db


def levels_open(world: World) -> set[str]:
    return set(Sanction.objects.filter(household=world.family, lifted_on__isnull=True).values_list("level", flat=True))


def months_not_met(world: World, months: range) -> None:
    for n in months:
        attendance(world, m(n), False)
        evaluate(world, m(n))


def test_first_month_not_met_raises_a_warning_that_does_not_touch_payment(world: World) -> None:
    """RULES.md "Sanctions": warning -> ...; Brazil's warning does not touch payment."""
    attendance(world, m(8), True)
    evaluate(world, m(8))
    assert levels_open(world) == set()
    attendance(world, m(9), False)
    result = evaluate(world, m(9))
    assert result.raised == 1
    warning = Sanction.objects.get(household=world.family)
    assert (warning.level, warning.streak, warning.period.month) == ("peringatan", 1, m(9))
    assert list(warning.records.all()) == [get_record(world.family, "sekolah_kehadiran", m(9))]
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.AKTIF
    raised = AuditEvent.objects.get(action="sanction_raised", household=world.family)
    assert raised.after["level"] == "peringatan"
    assert "2026-09 sekolah_kehadiran" in raised.after["records"][0]


def test_three_months_not_met_suspend_the_family_with_a_status_period_naming_the_sanction(world: World) -> None:
    """RULES.md "Sanctions": suspension after 3 months (payment held): status ditangguhkan."""
    months_not_met(world, range(8, 11))
    assert levels_open(world) == {"peringatan", "penangguhan"}
    suspension = Sanction.objects.get(household=world.family, level="penangguhan")
    assert suspension.streak == 3
    assert suspension.records.count() == 3  # August, September, October
    assert suspension.release_by == dt.date(2026, 12, 31)
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.DITANGGUHKAN
    period = HouseholdStatusPeriod.objects.get(household=world.family, valid_to__isnull=True)
    assert period.status == "ditangguhkan"
    assert period.reason.startswith(f"Sanksi komitmen #{suspension.pk}: penangguhan")
    assert "3 bulan berturut-turut" in period.reason
    previous = HouseholdStatusPeriod.objects.get(household=world.family, status="aktif")
    assert previous.valid_to == timezone.localdate() - dt.timedelta(days=1)
    change = AuditEvent.objects.get(action="household_status_changed", household=world.family)
    assert (change.before, change.after) == ({"status": "aktif"}, {"status": "ditangguhkan"})


def test_compliant_again_within_the_quarter_lifts_every_step_and_releases_the_held_payment(world: World) -> None:
    """RULES.md "Sanctions": suspension, released when compliant again within the period."""
    months_not_met(world, range(8, 11))
    attendance(world, m(11), True)
    result = evaluate(world, m(11))
    assert (result.lifted, result.status_changes) == (2, 1)
    assert levels_open(world) == set()
    suspension = Sanction.objects.get(household=world.family, level="penangguhan")
    assert suspension.lift_reason == LiftReason.PATUH_KEMBALI
    assert suspension.lifted_period is not None and suspension.lifted_period.month == m(11)
    assert suspension.payment_released is True
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.AKTIF
    history = list(HouseholdStatusPeriod.objects.filter(household=world.family).values_list("status", flat=True))
    assert history == ["aktif", "ditangguhkan", "aktif"]
    holds = payment_holds([world.family.pk], start=m(10), end=m(12))
    assert [(h.sanction_id, h.released) for h in holds] == [(suspension.pk, True)]


def test_compliant_again_after_the_quarter_lifts_without_releasing_the_held_payment(world: World) -> None:
    months_not_met(world, range(7, 10))  # suspended in September: window ends 30 September
    attendance(world, m(10), True)
    evaluate(world, m(10))
    suspension = Sanction.objects.get(household=world.family, level="penangguhan")
    assert suspension.lift_reason == LiftReason.PATUH_KEMBALI
    assert suspension.payment_released is False


def test_six_months_propose_cancellation_which_a_korkab_confirms_making_the_family_non_eligible(world: World) -> None:
    """RULES.md "Sanctions": cancellation (non-eligible) after 6 months; confirmed by korkab/Dinas Sosial."""
    for n in range(5, 11):
        attendance(world, m(n), False)
    for n in range(5, 11):
        evaluate(world, m(n))
    cancellation = Sanction.objects.get(household=world.family, level="pembatalan")
    assert cancellation.confirmation == Confirmation.MENUNGGU
    assert cancellation.records.count() == 6
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.DITANGGUHKAN  # not yet cancelled
    with pytest.raises(PermissionDenied):
        sanction_confirm(sanction=cancellation, acting_user=world.operator.user)
    sanction_confirm(sanction=cancellation, acting_user=world.korkab.user, note="Sudah dikunjungi tiga kali")
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.NON_ELIGIBLE
    assert not Member.objects.filter(household=world.family, is_active=True).exists()  # NIKs released
    period = HouseholdStatusPeriod.objects.get(household=world.family, valid_to__isnull=True)
    assert period.reason.startswith(f"Sanksi komitmen #{cancellation.pk}: pembatalan")
    with pytest.raises(ValidationError):
        sanction_confirm(sanction=cancellation, acting_user=world.dinsos.user)


def test_a_refused_cancellation_stays_without_effect_until_the_family_is_compliant(world: World) -> None:
    for n in range(5, 11):
        attendance(world, m(n), False)
        evaluate(world, m(n))
    cancellation = Sanction.objects.get(household=world.family, level="pembatalan")
    with pytest.raises(ValidationError):
        sanction_reject(sanction=cancellation, acting_user=world.dinsos.user, note=" ")
    sanction_reject(sanction=cancellation, acting_user=world.dinsos.user, note="Anak sakit lama, ada surat dokter")
    evaluate(world, m(10))  # evaluating again neither re-proposes nor cancels
    assert Sanction.objects.filter(household=world.family, level="pembatalan").count() == 1
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.DITANGGUHKAN
    attendance(world, m(11), True)
    evaluate(world, m(11))
    cancellation.refresh_from_db()
    assert cancellation.lift_reason == LiftReason.PATUH_KEMBALI
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.AKTIF


def test_cancellation_without_confirmation_makes_the_family_non_eligible_at_once(world: World, settings) -> None:
    settings.HARAPAN = {"compliance": {"CANCELLATION_NEEDS_CONFIRMATION": False}}
    months_not_met(world, range(5, 11))
    cancellation = Sanction.objects.get(household=world.family, level="pembatalan")
    assert cancellation.confirmation == Confirmation.TIDAK_PERLU
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.NON_ELIGIBLE
    # The configurable ladder: with a warning only after 2 months, one month raises nothing.
    settings.HARAPAN = {"compliance": {"WARNING_AFTER": 2}}
    attendance(world, m(9), False, family=world.other)
    evaluate(world, m(9), world.other)
    assert not Sanction.objects.filter(household=world.other).exists()


def test_correcting_a_record_to_met_lifts_the_sanction_that_depended_on_it(world: World) -> None:
    """RULES.md "Sanctions": a sanction carries the records behind it and is lifted when a record
    is corrected; the family returns to aktif when nothing else holds it."""
    months_not_met(world, range(8, 11))
    suspension = Sanction.objects.get(household=world.family, level="penangguhan")
    september = get_record(world.family, "sekolah_kehadiran", m(9))
    # The pendamping corrects September on the form: the school's register had been misread.
    verification_form_save(
        household=world.family,
        month=m(9),
        entries={(world.pupil.pk, "sekolah_kehadiran"): FormEntry(met=None, value=Decimal("90"))},
        acting_user=world.pendamping.user,
    )
    september.refresh_from_db()
    assert september.met is True and september.value == 90
    corrected = AuditEvent.objects.get(action="obligation_corrected", object_id=str(september.pk))
    assert corrected.before["met"] is False and corrected.after["met"] is True
    suspension.refresh_from_db()
    assert suspension.lift_reason == LiftReason.KOREKSI and suspension.payment_released is True
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.AKTIF
    # October alone is still not met: the warning stands, resting on October only now.
    warning = Sanction.objects.get(household=world.family, level="peringatan", lifted_on__isnull=True)
    assert list(warning.records.all()) == [get_record(world.family, "sekolah_kehadiran", m(10))]
    lifted = AuditEvent.objects.get(action="sanction_lifted", object_id=str(suspension.pk))
    assert lifted.after["lift_reason"] == "koreksi"
    reason = HouseholdStatusPeriod.objects.get(household=world.family, valid_to__isnull=True).reason
    assert reason.startswith("Sanksi komitmen dicabut: catatan dikoreksi")
    views = family_sanctions(world.family)
    assert {v.sanction.level for v in views} == {"peringatan", "penangguhan"}


def test_correcting_the_only_record_behind_a_warning_lifts_it(world: World) -> None:
    attendance(world, m(9), False)
    evaluate(world, m(9))
    attendance(world, m(9), True)  # corrected: re-evaluated at once
    warning = Sanction.objects.get(household=world.family)
    assert warning.lift_reason == LiftReason.KOREKSI
    assert FamilyLadder.objects.get(household=world.family).streak == 0


def test_a_month_nobody_verified_neither_raises_nor_lifts(world: World) -> None:
    months_not_met(world, range(8, 11))
    result = evaluate(world, m(11))  # no record for November
    assert (result.raised, result.lifted, result.status_changes) == (0, 0, 0)
    assert levels_open(world) == {"peringatan", "penangguhan"}
    attendance(world, m(12), False)  # December not met after an unverified November: a new run
    evaluate(world, m(12))
    assert levels_open(world) == {"peringatan", "penangguhan"}
    assert Sanction.objects.filter(household=world.family).count() == 2


def test_evaluating_twice_changes_nothing(world: World) -> None:
    """Idempotence: the same records give the same ladder; no sanction, status period or audit event is added."""
    months_not_met(world, range(8, 11))
    counts = (Sanction.objects.count(), HouseholdStatusPeriod.objects.count(), AuditEvent.objects.count())
    again = evaluate(world, m(10))
    assert (again.raised, again.lifted, again.status_changes) == (0, 0, 0)
    assert (Sanction.objects.count(), HouseholdStatusPeriod.objects.count(), AuditEvent.objects.count()) == counts


def test_an_earlier_month_evaluated_late_does_not_undo_a_later_decision(world: World) -> None:
    months_not_met(world, range(8, 11))
    attendance(world, m(11), True)
    evaluate(world, m(11))
    result = evaluate(world, m(10))
    assert (result.skipped, result.raised) == (1, 0)
    assert levels_open(world) == set()


def test_a_status_the_ladder_did_not_set_is_not_returned_to_aktif(world: World) -> None:
    household_set_status(
        household=world.family,
        status=HouseholdStatus.DITANGGUHKAN,
        valid_from=timezone.localdate(),
        reason="Rekening diblokir bank",
        acting_user=world.operator.user,
    )
    attendance(world, m(9), False)
    evaluate(world, m(9))
    attendance(world, m(10), True)
    evaluate(world, m(10))
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.DITANGGUHKAN


def test_p2k2_flags_feed_the_ladder_as_suspension_and_cancellation_proposal(world: World) -> None:
    """RULES.md "Sanctions": P2K2 absence from 3 consecutive meetings delays aid (penundaan) up to
    non-eligible; the meetings app's penangguhan flag counts as suspension, usul_non_eligible as a
    proposal of cancellation."""
    group = make_group(world.desa, world.pendamping, [world.family], dt.date(2026, 1, 1))
    user = world.pendamping.user
    meetings = [hold(group, dt.date(2026, n, 12), {world.family.pk: ("alpa", "")}, user) for n in range(5, 11)]
    flags = AbsenceFlag.objects.filter(household=world.family, lifted_on__isnull=True)
    assert set(flags.values_list("kind", flat=True)) == {"penangguhan", "usul_non_eligible"}
    attendance(world, m(10), True)  # school fine: only P2K2 is behind
    result = compliance_evaluate(region="35.11", month=m(10), acting_user=world.operator.user)
    assert result.p2k2_records >= 1
    open_levels = {s.level: s for s in Sanction.objects.filter(household=world.family, lifted_on__isnull=True)}
    assert set(open_levels) == {"peringatan", "penangguhan", "pembatalan"}
    assert set(open_levels["penangguhan"].flags.values_list("kind", flat=True)) == {"penangguhan"}
    assert set(open_levels["pembatalan"].flags.values_list("kind", flat=True)) == {"usul_non_eligible"}
    assert open_levels["pembatalan"].confirmation == Confirmation.MENUNGGU
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.DITANGGUHKAN
    # The family comes to November's meeting: the flags lift, and so does the ladder.
    meetings.append(hold(group, dt.date(2026, 11, 12), {world.family.pk: ("hadir", "")}, user))
    attendance(world, m(11), True)
    compliance_evaluate(region="35.11", month=m(11), acting_user=world.operator.user)
    assert levels_open(world) == set()
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.AKTIF


def test_evaluation_is_scoped_and_for_evaluating_roles_only(world: World) -> None:
    with pytest.raises(PermissionDenied):
        compliance_evaluate(region="35.11", month=m(10), acting_user=world.pendamping.user)
    from harapan.accounts.models import Role
    from harapan.testing import JEMBER, make_staff

    jember = make_staff(Role.OPERATOR, JEMBER)
    with pytest.raises(PermissionDenied):
        compliance_evaluate(region="35.11", month=m(10), acting_user=jember.user)


def test_evaluate_compliance_command_runs_an_area_set_based(world: World, capsys) -> None:
    for n in range(8, 11):
        attendance(world, m(n), False)
    for n in range(8, 11):
        call_command("evaluate_compliance", user=world.operator.user.username, region="35.11", period=f"2026-{n:02d}")
    out = capsys.readouterr().out
    assert "35.11 2026-10" in out
    assert levels_open(world) == {"peringatan", "penangguhan"}
    with pytest.raises(CommandError):
        call_command("evaluate_compliance", user=world.pendamping.user.username, region="35.11", period="2026-10")
    with pytest.raises(CommandError):
        call_command("evaluate_compliance", user=world.operator.user.username, region="35.11", period="2026-13")


def test_a_graduated_family_keeps_its_status_when_a_correction_lifts_a_step(world: World) -> None:
    months_not_met(world, range(8, 11))
    household_set_status(
        household=world.family,
        status=HouseholdStatus.GRADUASI_MANDIRI,
        valid_from=timezone.localdate(),
        reason="Graduasi mandiri",
        acting_user=world.operator.user,
    )
    attendance(world, m(10), True)  # October corrected: the suspension no longer stands
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.GRADUASI_MANDIRI
    assert Sanction.objects.get(household=world.family, level="penangguhan").lift_reason == LiftReason.KOREKSI
