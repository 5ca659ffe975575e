"""Graduasi mandiri: assessment, proposal, signed statement and the korkab's decision (RULES.md:
Graduation: "Mandiri: the family declares it is able to leave, after the pendamping's assessment,
with a signed statement"; issue 4: a korkab approves; the family leaves the payroll from the next
tahap)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.graduation.models import GraduationProposal, ProposalStatus, ReadinessIndicator
from harapan.graduation.services import (
    indicator_update,
    proposal_cancel,
    proposal_decide,
    proposal_statement_upload,
    proposal_submit,
)
from harapan.registry.models import HouseholdStatus, HouseholdStatusPeriod
from harapan.testing import BONDOWOSO, make_household, make_staff

from .conftest import PNG, World, assess

pytestmark = pytest.mark.django_db


def signed(world: World, proposal: GraduationProposal) -> GraduationProposal:
    scan = SimpleUploadedFile("surat.png", PNG, content_type="image/png")
    return proposal_statement_upload(
        proposal=proposal, scan=scan, signed_on=timezone.localdate(), acting_user=world.pendamping.user
    )


def proposed(world: World) -> GraduationProposal:
    assess(world)
    return proposal_submit(
        household=world.family, reason_category="usaha_berkembang", acting_user=world.pendamping.user
    )


def test_the_assessment_keeps_the_rules_result_from_the_seeded_indicators(world: World) -> None:
    a = assess(world)
    # Income above need (weight 2) + business + assets + house + school = 6 of minimum 4.
    assert a.score == 6 and a.min_score == 4 and a.ready
    assert "penghasilan_di_atas_kebutuhan" in a.met and "tanpa_komponen" not in a.met
    assert AuditEvent.objects.filter(household=world.family, action="graduation_assessment_recorded").exists()


def test_income_below_need_is_not_ready_even_with_every_other_indicator(world: World) -> None:
    a = assess(world, income_per_month=2_000_000, need_per_month=2_800_000)
    assert a.score == 4 and not a.ready


def test_a_pendamping_proposes_only_their_own_family(world: World) -> None:
    assess(world)
    with pytest.raises(PermissionDenied):
        proposal_submit(household=world.family, acting_user=world.other_pendamping.user)
    with pytest.raises(PermissionDenied):
        proposal_submit(household=world.family, acting_user=world.korkab.user)
    proposal = proposal_submit(household=world.family, acting_user=world.pendamping.user)
    assert proposal.status == ProposalStatus.DIAJUKAN and proposal.proposed_by == world.pendamping
    assert AuditEvent.objects.filter(household=world.family, action="graduation_proposal_submitted").exists()


def test_a_family_not_ready_or_not_willing_cannot_be_proposed(world: World) -> None:
    with pytest.raises(ValidationError) as e:
        proposal_submit(household=world.family, acting_user=world.pendamping.user)
    assert e.value.code == "belum_dinilai"
    assess(world, kpm_willing=False)
    with pytest.raises(ValidationError) as e:
        proposal_submit(household=world.family, acting_user=world.pendamping.user)
    assert e.value.code == "kpm_belum_bersedia"
    assess(world, income_per_month=1_000_000)
    with pytest.raises(ValidationError) as e:
        proposal_submit(household=world.family, acting_user=world.pendamping.user)
    assert e.value.code == "belum_siap"


def test_a_family_not_in_the_programme_cannot_be_proposed(world: World) -> None:
    family = make_household(pendamping=world.pendamping, status=HouseholdStatus.NON_ELIGIBLE)
    with pytest.raises(ValidationError) as e:
        assess(world, household=family)
    assert e.value.code == "kpm_tidak_dalam_program"
    assert not GraduationProposal.objects.filter(household=family).exists()


def test_one_open_proposal_per_family(world: World) -> None:
    first = proposed(world)
    with pytest.raises(ValidationError):
        proposal_submit(household=world.family, acting_user=world.pendamping.user)
    # The database holds it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        GraduationProposal.objects.create(
            household=world.family, assessment=first.assessment, proposed_by=world.pendamping
        )
    proposal_cancel(proposal=first, acting_user=world.pendamping.user)
    assert proposal_submit(household=world.family, acting_user=world.pendamping.user).is_open


def test_korkab_approval_moves_the_family_to_graduasi_mandiri_from_the_next_day(world: World) -> None:
    proposal = signed(world, proposed(world))
    today = timezone.localdate()
    proposal = proposal_decide(proposal=proposal, approve=True, acting_user=world.korkab.user)
    assert proposal.status == ProposalStatus.DISETUJUI and proposal.decided_by == world.korkab
    tomorrow = today + dt.timedelta(days=1)
    assert proposal.effective_date == tomorrow
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.GRADUASI_MANDIRI and world.family.status_since == tomorrow
    periods = list(HouseholdStatusPeriod.objects.filter(household=world.family).order_by("valid_from"))
    assert [(p.status, p.valid_to) for p in periods] == [
        (HouseholdStatus.AKTIF, today),
        (HouseholdStatus.GRADUASI_MANDIRI, None),
    ]
    assert periods[-1].reason == f"Graduasi mandiri #{proposal.pk}"
    # Leaving the programme releases the members' NIKs.
    assert not world.family.members.filter(is_active=True).exists()
    change = AuditEvent.objects.get(household=world.family, action="household_status_changed")
    assert change.after == {"status": "graduasi_mandiri"} and change.source == f"graduasi:{proposal.pk}"
    assert change.actor_id == world.korkab.user_id
    assert AuditEvent.objects.filter(household=world.family, action="graduation_proposal_decided").exists()


def test_approval_needs_the_signed_statement(world: World) -> None:
    proposal = proposed(world)
    with pytest.raises(ValidationError) as e:
        proposal_decide(proposal=proposal, approve=True, acting_user=world.korkab.user)
    assert e.value.code == "surat_belum_ditandatangani"
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.AKTIF


def test_the_proposer_cannot_decide_and_neither_can_a_korkab_elsewhere(world: World) -> None:
    proposal = signed(world, proposed(world))
    with pytest.raises(PermissionDenied):
        proposal_decide(proposal=proposal, approve=True, acting_user=world.pendamping.user)
    with pytest.raises(PermissionDenied):
        proposal_decide(proposal=proposal, approve=True, acting_user=world.korkab_jember.user)
    # A korkab who somehow proposed is still not their own approver (database check).
    proposal.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic():
        GraduationProposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.DITOLAK, decided_by=world.pendamping, decision_reason="x"
        )


def test_a_korkab_who_proposed_cannot_approve_their_own_proposal(world: World, settings) -> None:
    settings.HARAPAN = {"graduation": {"PROPOSE_ROLES": ["pendamping", "korkab"]}}
    assess(world)
    proposal = proposal_submit(household=world.family, acting_user=world.korkab.user)
    with pytest.raises(PermissionDenied):
        proposal_decide(proposal=proposal, approve=True, acting_user=world.korkab.user)


def test_rejection_keeps_the_reason_and_changes_nothing_else(world: World) -> None:
    proposal = proposed(world)
    with pytest.raises(ValidationError):
        proposal_decide(proposal=proposal, approve=False, acting_user=world.korkab.user)
    proposal = proposal_decide(
        proposal=proposal, approve=False, reason="Usaha baru berjalan dua bulan.", acting_user=world.korkab.user
    )
    assert proposal.status == ProposalStatus.DITOLAK and proposal.decision_reason == "Usaha baru berjalan dua bulan."
    world.family.refresh_from_db()
    assert world.family.status == HouseholdStatus.AKTIF
    assert HouseholdStatusPeriod.objects.filter(household=world.family).count() == 1
    assert world.family.members.filter(is_active=True).count() == 2
    with pytest.raises(ValidationError):
        proposal_decide(proposal=proposal, approve=True, acting_user=world.korkab.user)
    # A new proposal may follow a rejection.
    assert proposal_submit(household=world.family, acting_user=world.pendamping.user).is_open


def test_a_family_that_left_the_programme_meanwhile_is_not_approved(world: World) -> None:
    from harapan.registry.services import household_set_status

    proposal = signed(world, proposed(world))
    operator = make_staff(Role.OPERATOR, BONDOWOSO)
    household_set_status(
        household=world.family,
        status=HouseholdStatus.NON_ELIGIBLE,
        valid_from=timezone.localdate(),
        reason="Pindah ke luar daerah",
        acting_user=operator.user,
    )
    with pytest.raises(ValidationError):
        proposal_decide(proposal=proposal, approve=True, acting_user=world.korkab.user)
    proposal.refresh_from_db()
    assert proposal.is_open


def test_the_scan_must_be_a_photo_or_pdf(world: World) -> None:
    proposal = proposed(world)
    bad = SimpleUploadedFile("surat.txt", b"hello", content_type="text/plain")
    with pytest.raises(ValidationError):
        proposal_statement_upload(
            proposal=proposal, scan=bad, signed_on=timezone.localdate(), acting_user=world.pendamping.user
        )
    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    proposal = proposal_statement_upload(
        proposal=proposal, scan=pdf, signed_on=timezone.localdate(), acting_user=world.pendamping.user
    )
    assert proposal.statement_signed and proposal.scan_content_type == "application/pdf"


def test_indicators_are_data_edited_by_dinas_sosial_and_apply_to_later_assessments(world: World) -> None:
    first = assess(world)
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    income = ReadinessIndicator.objects.get(code="penghasilan_di_atas_kebutuhan")
    with pytest.raises(PermissionDenied):
        indicator_update(indicator=income, data={"threshold": 150}, acting_user=world.korkab.user)
    indicator_update(indicator=income, data={"threshold": 150}, acting_user=dinsos.user)
    later = assess(world)  # 3.5 M is not above 150% of 2.8 M
    assert "penghasilan_di_atas_kebutuhan" not in later.met and not later.ready
    first.refresh_from_db()
    assert first.ready
    assert AuditEvent.objects.filter(action="graduation_indicator_updated").exists()
