"""Graduasi mandiri writes: assess, propose, upload the signed statement, decide, cancel; and the
readiness indicators' edits. Each takes ``acting_user``, runs in one transaction and audits.

"Mandiri: the family declares it is able to leave, after the pendamping's assessment, with a
signed statement" (RULES.md: Graduation). A pendamping assesses and proposes their own family; the
korkab of the family's area - never the proposer - approves, and the approval moves the family to
``graduasi_mandiri`` from the effective date through ``registry.services.household_set_status``
(status period closed and opened, NIKs released, audited), so the next tahap's run leaves it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.accounts.scope import household_q, staff_of
from harapan.audit.services import diff, jsonable, snapshot
from harapan.conf import setting
from harapan.registry.models import IN_PROGRAMME, Household, HouseholdStatus
from harapan.registry.services import household_set_status

from . import events
from .models import GraduationAssessment, GraduationProposal, IndicatorKind, ProposalStatus, ReadinessIndicator
from .rules import Indicator, effective_date, readiness
from .selectors import active_indicators


def config(name: str) -> Any:
    return setting("graduation", name)


def in_scope(user: Any, household_id: int) -> bool:
    return Household.objects.filter(household_q(user), pk=household_id).exists()


def may_propose(user: Any, household: Household) -> bool:
    """A pendamping (``PROPOSE_ROLES``) for their own family, while it is in the programme."""
    staff = staff_of(user)
    return (
        staff is not None
        and staff.role in config("PROPOSE_ROLES")
        and household.status in IN_PROGRAMME
        and in_scope(user, household.pk)
    )


def may_decide(user: Any, proposal: GraduationProposal) -> bool:
    """The korkab (``DECIDE_ROLES``) with the family in their area, who did not propose it."""
    staff = staff_of(user)
    return (
        staff is not None
        and proposal.is_open
        and staff.role in config("DECIDE_ROLES")
        and proposal.proposed_by_id != staff.pk
        and in_scope(user, proposal.household_id)
    )


def may_edit_indicators(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in config("INDICATOR_ROLES")


def _proposer(acting_user: Any, household: Household) -> Staff:
    staff = staff_of(acting_user)
    if staff is None or staff.role not in config("PROPOSE_ROLES"):
        raise PermissionDenied(_("Hanya pendamping yang dapat menilai dan mengusulkan graduasi mandiri."))
    if not in_scope(acting_user, household.pk):
        raise PermissionDenied(_("KPM ini bukan dampingan Anda."))
    return staff


def _require_in_programme(household: Household) -> None:
    if household.status not in IN_PROGRAMME:
        raise ValidationError(
            _("KPM berstatus %(status)s, tidak lagi dalam program.") % {"status": household.get_status_display()},
            code="kpm_tidak_dalam_program",
        )


def as_rule(indicator: ReadinessIndicator) -> Indicator:
    return Indicator(
        code=indicator.code,
        kind=indicator.kind,
        threshold=indicator.threshold,
        weight=indicator.weight,
        required=indicator.required,
    )


def clean_answers(indicators: list[ReadinessIndicator], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of the active indicators only: yes/no as booleans, numbers as numbers (the
    income indicator is computed from the income and need, it has no answer)."""
    out: dict[str, Any] = {}
    for i in indicators:
        value = answers.get(i.code)
        if i.kind == IndicatorKind.YA_TIDAK:
            out[i.code] = bool(value)
        elif i.kind == IndicatorKind.ANGKA:
            if value in (None, ""):
                out[i.code] = None
            else:
                try:
                    number = float(value)
                except (TypeError, ValueError) as exc:
                    raise ValidationError({i.code: _("Isi dengan angka.")}) from exc
                if number < 0:
                    raise ValidationError({i.code: _("Tidak boleh negatif.")})
                out[i.code] = int(number) if number == int(number) else number
    return out


@transaction.atomic
def assessment_record(
    *,
    household: Household,
    answers: Mapping[str, Any],
    income_per_month: int,
    need_per_month: int,
    acting_user: Any,
    assessed_on: dt.date | None = None,
    business_type: str = "",
    kpm_willing: bool = False,
    notes: str = "",
) -> GraduationAssessment:
    """Record the pendamping's readiness assessment of their family; the readiness rule runs on the
    indicators active now and its result is kept with the assessment."""
    staff = _proposer(acting_user, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    _require_in_programme(household)
    today = timezone.localdate()
    assessed_on = assessed_on or today
    if assessed_on > today:
        raise ValidationError({"assessed_on": _("Tanggal penilaian tidak boleh di masa depan.")})
    if income_per_month < 0 or need_per_month < 0:
        raise ValidationError(_("Penghasilan dan kebutuhan tidak boleh negatif."))
    indicators = active_indicators()
    clean = clean_answers(indicators, answers)
    result = readiness(
        [as_rule(i) for i in indicators],
        clean,
        income=income_per_month,
        need=need_per_month,
        min_score=config("READY_MIN_SCORE"),
    )
    assessment = GraduationAssessment.objects.create(
        household=household,
        assessed_by=staff,
        assessed_on=assessed_on,
        answers=clean,
        income_per_month=income_per_month,
        need_per_month=need_per_month,
        business_type=business_type.strip(),
        kpm_willing=kpm_willing,
        notes=notes.strip(),
        score=result.score,
        min_score=result.min_score,
        met=list(result.met),
        ready=result.ready,
    )
    events.graduation_event(
        events.ASSESSMENT_RECORDED,
        assessment,
        household_id=household.pk,
        actor=acting_user,
        after={
            "tanggal": jsonable(assessed_on),
            "skor": result.score,
            "skor_minimal": result.min_score,
            "siap": result.ready,
            "bersedia": kpm_willing,
            "penghasilan": income_per_month,
            "kebutuhan": need_per_month,
        },
    ).save()
    return assessment


@transaction.atomic
def proposal_submit(
    *, household: Household, acting_user: Any, reason_category: str = "", note: str = ""
) -> GraduationProposal:
    """Propose graduasi mandiri for a family in the programme, on its latest assessment: recent,
    the KPM willing, and ready by the rule (``PROPOSE_REQUIRES_READY``). One open proposal per
    family."""
    staff = _proposer(acting_user, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    _require_in_programme(household)
    assessment = GraduationAssessment.objects.filter(household=household).order_by("-assessed_on", "-id").first()
    if assessment is None:
        raise ValidationError(_("Catat penilaian kesiapan graduasi terlebih dahulu."), code="belum_dinilai")
    age = (timezone.localdate() - assessment.assessed_on).days
    if age > config("ASSESSMENT_VALID_DAYS"):
        raise ValidationError(
            _("Penilaian terakhir sudah %(days)d hari; catat penilaian baru.") % {"days": age},
            code="penilaian_kedaluwarsa",
        )
    if not assessment.kpm_willing:
        raise ValidationError(
            _("KPM belum menyatakan bersedia graduasi mandiri; graduasi mandiri bersifat sukarela."),
            code="kpm_belum_bersedia",
        )
    if config("PROPOSE_REQUIRES_READY") and not assessment.ready:
        raise ValidationError(
            _("Penilaian terakhir belum memenuhi syarat kesiapan (skor %(score)d dari minimal %(min)d).")
            % {"score": assessment.score, "min": assessment.min_score},
            code="belum_siap",
        )
    duplicate = ValidationError(
        {
            NON_FIELD_ERRORS: ValidationError(
                _("KPM ini sudah diusulkan dan masih menunggu keputusan."), code="sudah_diajukan"
            )
        }
    )
    if GraduationProposal.objects.filter(household=household, status=ProposalStatus.DIAJUKAN).exists():
        raise duplicate
    proposal = GraduationProposal(
        household=household,
        assessment=assessment,
        reason_category=reason_category,
        note=note.strip(),
        proposed_by=staff,
    )
    proposal.full_clean(exclude=["household", "assessment", "proposed_by", "decided_by"])
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as exc:  # proposed twice at the same moment
        raise duplicate from exc
    events.graduation_event(
        events.PROPOSAL_SUBMITTED,
        proposal,
        household_id=household.pk,
        actor=acting_user,
        after={"usulan": proposal.pk, "penilaian": assessment.pk, "kategori": reason_category},
        note=note.strip(),
    ).save()
    return proposal


SCAN_TYPES = {b"%PDF": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}


def scan_type(head: bytes) -> str | None:
    """The content type of a scan by its first bytes: a PDF or a JPEG/PNG photo."""
    return next((t for magic, t in SCAN_TYPES.items() if head.startswith(magic)), None)


@transaction.atomic
def proposal_statement_upload(
    *, proposal: GraduationProposal, scan: UploadedFile, signed_on: dt.date, acting_user: Any
) -> GraduationProposal:
    """Attach the scan (photo or PDF) of the statement signed by the carer, the pendamping and the
    witness, with the date it was signed; the proposal must still await a decision."""
    proposal = GraduationProposal.objects.select_for_update().select_related("assessment").get(pk=proposal.pk)
    _proposer(acting_user, proposal.household)
    if not proposal.is_open:
        raise ValidationError(_("Usulan ini sudah diputuskan."), code="sudah_diputuskan")
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("Tanggal tanda tangan tidak boleh di masa depan.")})
    if signed_on < proposal.assessment.assessed_on:
        raise ValidationError({"signed_on": _("Tanggal tanda tangan tidak boleh sebelum tanggal penilaian.")})
    scan.seek(0)
    kind = scan_type(scan.read(8))
    scan.seek(0)
    if kind is None:
        raise ValidationError(
            {"scan": _("Unggah foto (JPEG/PNG) atau PDF surat pernyataan yang sudah ditandatangani.")}
        )
    if (scan.size or 0) > config("SCAN_MAX_BYTES"):
        raise ValidationError(
            {
                "scan": _("Berkas terlalu besar (maksimal %(mb)d MB).")
                % {"mb": config("SCAN_MAX_BYTES") // (1024 * 1024)}
            }
        )
    old = proposal.statement_scan.name if proposal.statement_scan else ""
    proposal.statement_scan.save(scan.name or "surat", scan, save=False)
    proposal.scan_content_type = kind
    proposal.statement_signed = True
    proposal.statement_signed_on = signed_on
    proposal.save(update_fields=["statement_scan", "scan_content_type", "statement_signed", "statement_signed_on"])
    if old:
        transaction.on_commit(lambda: proposal.statement_scan.storage.delete(old))
    events.graduation_event(
        events.STATEMENT_UPLOADED,
        proposal,
        household_id=proposal.household_id,
        actor=acting_user,
        after={"usulan": proposal.pk, "ditandatangani": jsonable(signed_on)},
    ).save()
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    proposal: GraduationProposal,
    approve: bool,
    acting_user: Any,
    reason: str = "",
    effective_on: dt.date | None = None,
) -> GraduationProposal:
    """The korkab of the family's area approves or rejects. A rejection needs a reason and changes
    nothing else. An approval moves the family to ``graduasi_mandiri`` from the effective date (the
    day after approval unless set later), audited by the registry with the reason "Graduasi mandiri
    #<id>"; if the family cannot move (it left the programme meanwhile), nothing is recorded."""
    staff = staff_of(acting_user)
    if staff is None or staff.role not in config("DECIDE_ROLES"):
        raise PermissionDenied(_("Hanya korkab yang dapat memutuskan usulan graduasi."))
    proposal = GraduationProposal.objects.select_for_update().get(pk=proposal.pk)
    if not in_scope(acting_user, proposal.household_id):
        raise PermissionDenied(_("KPM ini di luar wilayah kerja Anda."))
    if proposal.proposed_by_id == staff.pk:
        raise PermissionDenied(_("Anda tidak dapat memutuskan usulan yang Anda ajukan sendiri."))
    if not proposal.is_open:
        raise ValidationError(
            _("Usulan ini sudah selesai (%(status)s).") % {"status": proposal.get_status_display()},
            code="sudah_selesai",
        )
    reason = reason.strip()
    now = timezone.now()
    today = timezone.localdate()
    if not approve:
        if not reason:
            raise ValidationError({"reason": ValidationError(_("Alasan penolakan wajib diisi."), code="alasan_wajib")})
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.DITOLAK, staff, now
        proposal.decision_reason = reason
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        events.graduation_event(
            events.PROPOSAL_DECIDED,
            proposal,
            household_id=proposal.household_id,
            actor=acting_user,
            before={"status": ProposalStatus.DIAJUKAN},
            after={"status": ProposalStatus.DITOLAK},
            note=reason,
        ).save()
        return proposal
    if config("APPROVAL_REQUIRES_SIGNED_STATEMENT") and not proposal.statement_signed:
        raise ValidationError(
            _("Surat pernyataan yang sudah ditandatangani belum diunggah."), code="surat_belum_ditandatangani"
        )
    default = effective_date(today, days_after=config("EFFECTIVE_DAYS_AFTER_APPROVAL"))
    effective_on = effective_on or default
    if effective_on < today:
        raise ValidationError({"effective_on": _("Tanggal berlaku tidak boleh sebelum hari ini.")})
    household = Household.objects.select_for_update().get(pk=proposal.household_id)
    _require_in_programme(household)
    household_set_status(
        household=household,
        status=HouseholdStatus.GRADUASI_MANDIRI,
        valid_from=effective_on,
        reason=f"Graduasi mandiri #{proposal.pk}",
        acting_user=acting_user,
        source=f"graduasi:{proposal.pk}",
    )
    proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.DISETUJUI, staff, now
    proposal.effective_date = effective_on
    proposal.save(update_fields=["status", "decided_by", "decided_at", "effective_date"])
    events.graduation_event(
        events.PROPOSAL_DECIDED,
        proposal,
        household_id=proposal.household_id,
        actor=acting_user,
        before={"status": ProposalStatus.DIAJUKAN},
        after={"status": ProposalStatus.DISETUJUI, "berlaku": jsonable(effective_on)},
    ).save()
    return proposal


@transaction.atomic
def proposal_cancel(*, proposal: GraduationProposal, acting_user: Any) -> GraduationProposal:
    """The proposer withdraws a proposal still awaiting a decision (the KPM changed its mind)."""
    staff = staff_of(acting_user)
    proposal = GraduationProposal.objects.select_for_update().get(pk=proposal.pk)
    if staff is None or proposal.proposed_by_id != staff.pk:
        raise PermissionDenied(_("Hanya pengusul yang dapat membatalkan usulan ini."))
    if not proposal.is_open:
        raise ValidationError(_("Usulan ini sudah diputuskan."), code="sudah_diputuskan")
    proposal.status = ProposalStatus.DIBATALKAN
    proposal.save(update_fields=["status"])
    events.graduation_event(
        events.PROPOSAL_CANCELLED,
        proposal,
        household_id=proposal.household_id,
        actor=acting_user,
        before={"status": ProposalStatus.DIAJUKAN},
        after={"status": ProposalStatus.DIBATALKAN},
    ).save()
    return proposal


INDICATOR_FIELDS = ("label", "help_text", "threshold", "weight", "required", "is_active", "order")


@transaction.atomic
def indicator_update(*, indicator: ReadinessIndicator, data: Mapping[str, Any], acting_user: Any) -> ReadinessIndicator:
    """Change a readiness indicator (ministry or Dinas Sosial, ``INDICATOR_ROLES``). Past
    assessments keep the result they had; the change applies to assessments recorded after it."""
    if not may_edit_indicators(acting_user):
        raise PermissionDenied(_("Peran Anda tidak dapat mengubah indikator kesiapan graduasi."))
    unknown = set(data) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValidationError(_("Kolom tidak dapat diubah: %(f)s") % {"f": ", ".join(sorted(unknown))})
    indicator = ReadinessIndicator.objects.select_for_update().get(pk=indicator.pk)
    before = snapshot(indicator, data)
    for k, v in data.items():
        setattr(indicator, k, v)
    indicator.full_clean()
    b, a = diff(before, snapshot(indicator, data))
    if a:
        indicator.save()
        events.indicator_updated(indicator, actor=acting_user, before=b, after=a).save()
    return indicator
