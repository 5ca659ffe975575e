"""Pemutakhiran writes: submit, decide up the chain, apply, cancel.

"Changes to family data (births, school changes, moves, deaths) are updated monthly and approved
up the chain (korkab -> province -> ministry)" (RULES.md: Disbursement and data). A submission
changes no family data; the last approval applies the change in the same transaction, through
the registry services that audit it (source ``pemutakhiran:<id>``). When the family has changed
since submission so that the change no longer fits, the approval is refused whole: the update
stays undecided, nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import household_q, staff_of
from harapan.conf import setting
from harapan.registry.models import Household, Member

from .forms import FORMS
from .kinds import KINDS, Change, violations_error
from .models import OPEN, DataUpdate, DataUpdateDecision, DataUpdateEvidence, UpdateKind, UpdateStatus
from .rules import EvidenceFile, approval_chain, effective_date_violations, evidence_violations, image_type


def config(name: str) -> Any:
    return setting("updates", name)


def chain_for(kind: str, household: Household, payload: Mapping[str, Any]) -> list[str]:
    """The approval chain of an update (RULES.md: Disbursement and data), from configuration."""
    move = kind == UpdateKind.PINDAH_ALAMAT
    chain = approval_chain(
        kind,
        chains=config("APPROVAL_CHAINS"),
        from_desa=household.desa_id if move else "",
        to_desa=str(payload.get("desa", "")) if move else "",
        other_kabupaten_chain=config("MOVE_OTHER_KABUPATEN_CHAIN"),
        other_province_chain=config("MOVE_OTHER_PROVINCE_CHAIN"),
    )
    if not chain or set(chain) - set(Role.values):
        raise ImproperlyConfigured(f"updates: approval chain of {kind} must be a list of roles, got {chain!r}")
    return chain


def in_scope(user: Any, household_id: int) -> bool:
    return Household.objects.filter(household_q(user), pk=household_id).exists()


def may_submit(user: Any, household: Household) -> bool:
    """A pendamping for their own families, operator and korkab in their area (``SUBMIT_ROLES``),
    for a family still in the programme."""
    staff = staff_of(user)
    return (
        staff is not None
        and staff.role in config("SUBMIT_ROLES")
        and household.in_programme
        and in_scope(user, household.pk)
    )


def may_decide(user: Any, update: DataUpdate) -> bool:
    """Whether ``user`` decides the step the update awaits: the step's role, the family in their
    scope, not their own submission, not a step they already decided."""
    staff = staff_of(user)
    return (
        staff is not None
        and update.is_open
        and staff.role == update.awaiting_role
        and update.submitted_by_id != staff.pk
        and not update.decisions.filter(decided_by=staff).exists()
        and in_scope(user, update.household_id)
    )


def _validated(
    *,
    household: Household,
    kind: str,
    member: Member | None,
    effective_date: Any,
    payload: Mapping[str, Any],
    note: str,
) -> tuple[Member | None, dt.date, dict[str, Any], str]:
    """The kind's form run on the data: shapes checked, members resolved within the family."""
    data = {
        **payload,
        "member": member.pk if member is not None else None,
        "effective_date": effective_date,
        "note": note,
    }
    form = FORMS[kind](data=data, household=household)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cd = form.cleaned_data
    return cd.get("member"), cd["effective_date"], form.payload(), cd.get("note", "")


def _evidence(files: Sequence[UploadedFile]) -> list[EvidenceFile]:
    out = []
    for f in files:
        f.seek(0)
        head = f.read(16)
        f.seek(0)
        out.append(EvidenceFile(name=f.name or "", size=f.size or 0, head=head))
    return out


@transaction.atomic
def update_submit(
    *,
    household: Household,
    kind: str,
    effective_date: dt.date,
    evidence: Sequence[UploadedFile],
    acting_user: Any,
    member: Member | None = None,
    payload: Mapping[str, Any] | None = None,
    note: str = "",
) -> DataUpdate:
    """Record a change in a family for approval. The data is checked against the family as it is
    now (the kind's form and rules, the date, the evidence); a second open update of the same kind
    for the same member (or family, or newborn) is refused. No family data changes here."""
    staff = staff_of(acting_user)
    if staff is None or staff.role not in config("SUBMIT_ROLES"):
        raise PermissionDenied(_("Peran Anda tidak dapat mengajukan pemutakhiran."))
    if not in_scope(acting_user, household.pk):
        raise PermissionDenied(_("KPM ini di luar wilayah atau dampingan Anda."))
    if kind not in KINDS:
        raise ValidationError(
            {"kind": ValidationError(_("Jenis pemutakhiran tidak dikenal."), code="jenis_tidak_dikenal")}
        )
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not household.in_programme:
        raise ValidationError(
            _("KPM berstatus %(status)s, tidak lagi dalam program.") % {"status": household.get_status_display()},
            code="kpm_tidak_dalam_program",
        )
    member, effective_date, clean_payload, note = _validated(
        household=household, kind=kind, member=member, effective_date=effective_date, payload=payload or {}, note=note
    )
    spec = KINDS[kind]
    change = Change.of(
        household=household, kind=kind, member=member, effective_date=effective_date, payload=clean_payload
    )
    violations = effective_date_violations(
        effective_date,
        today=timezone.localdate(),
        max_past_days=config("MAX_PAST_DAYS"),
        not_before=member.birth_date if member is not None else None,
    )
    violations += spec.check(change)
    violations += evidence_violations(
        _evidence(evidence),
        minimum=config("EVIDENCE_MIN"),
        maximum=config("EVIDENCE_MAX"),
        max_bytes=config("EVIDENCE_MAX_BYTES"),
    )
    if violations:
        raise ValidationError(violations_error(violations))
    chain = chain_for(kind, household, clean_payload)
    update = DataUpdate(
        household=household,
        member=member,
        kind=kind,
        effective_date=effective_date,
        payload=clean_payload,
        before=spec.before(change),
        note=note,
        chain=chain,
        step=1,
        awaiting_role=chain[0],
        open_key=spec.open_key(change),
        submitted_by=staff,
    )
    duplicate = ValidationError(
        {
            NON_FIELD_ERRORS: ValidationError(
                _("Pemutakhiran %(kind)s untuk %(who)s sudah diajukan dan masih menunggu persetujuan.")
                % {"kind": UpdateKind(kind).label, "who": spec.subject(change) or household.pkh_id},
                code="sudah_diajukan",
            )
        }
    )
    if DataUpdate.objects.filter(household=household, kind=kind, open_key=update.open_key, status__in=OPEN).exists():
        raise duplicate
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError as exc:  # the same change submitted at the same moment
        raise duplicate from exc
    for f in evidence:
        f.seek(0)
        DataUpdateEvidence.objects.create(
            update=update, file=f, content_type=image_type(f.read(16)) or "", size=f.size or 0
        )
    return update


@transaction.atomic
def update_decide(*, update: DataUpdate, approve: bool, acting_user: Any, reason: str = "") -> DataUpdate:
    """Approve or reject the step the update awaits. The approver holds the step's role, has the
    family in scope and did not submit it; a rejection needs a reason, which stays with the update.
    The last approval applies the change in this same transaction (``update_apply``); if it cannot
    be applied, nothing is recorded, not even the approval."""
    staff = staff_of(acting_user)
    if staff is None:
        raise PermissionDenied(_("Tidak berwenang."))
    update = DataUpdate.objects.select_for_update().get(pk=update.pk)
    if not in_scope(acting_user, update.household_id):
        raise PermissionDenied(_("KPM ini di luar wilayah kerja Anda."))
    if not update.is_open:
        raise ValidationError(
            _("Pemutakhiran ini sudah selesai (%(status)s).") % {"status": update.get_status_display()},
            code="sudah_selesai",
        )
    role = update.chain[update.step - 1]
    if staff.role != role:
        raise PermissionDenied(
            _("Tahap %(step)d diputuskan oleh %(role)s.") % {"step": update.step, "role": Role(role).label}
        )
    if update.submitted_by_id == staff.pk:
        raise PermissionDenied(_("Anda tidak dapat memutuskan pemutakhiran yang Anda ajukan sendiri."))
    if update.decisions.filter(decided_by=staff).exists():
        raise PermissionDenied(_("Anda sudah memutuskan tahap sebelumnya; tahap ini diputuskan petugas lain."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": ValidationError(_("Alasan penolakan wajib diisi."), code="alasan_wajib")})
    DataUpdateDecision.objects.create(
        update=update, step=update.step, role=role, decided_by=staff, approved=approve, reason=reason
    )
    if not approve:
        update.status, update.awaiting_role, update.closed_at = UpdateStatus.DITOLAK, "", timezone.now()
        update.save(update_fields=["status", "awaiting_role", "closed_at"])
        return update
    if update.step < len(update.chain):
        update.step += 1
        update.status, update.awaiting_role = UpdateStatus.MENUNGGU_LANJUT, update.chain[update.step - 1]
        update.save(update_fields=["step", "status", "awaiting_role"])
        return update
    return update_apply(update=update, acting_user=acting_user)


@transaction.atomic
def update_apply(*, update: DataUpdate, acting_user: Any) -> DataUpdate:
    """Write an update approved at every step into the registry, from its effective date (the
    dated facts make the components change from that day, RULES.md: Components and amounts). The
    kind's form and rules run again on the family as it is now; every write is audited with
    source ``pemutakhiran:<id>``."""
    update = DataUpdate.objects.select_for_update().get(pk=update.pk)
    approved = sorted(update.decisions.filter(approved=True).values_list("step", flat=True))
    if not update.is_open or approved != list(range(1, len(update.chain) + 1)):
        raise ValidationError(_("Pemutakhiran ini belum disetujui sampai tingkat terakhir."), code="belum_disetujui")
    household = Household.objects.select_for_update().get(pk=update.household_id)
    if not household.in_programme:
        raise ValidationError(
            _("KPM berstatus %(status)s, tidak lagi dalam program.") % {"status": household.get_status_display()},
            code="kpm_tidak_dalam_program",
        )
    member, effective_date, payload, _note = _validated(
        household=household,
        kind=update.kind,
        member=update.member,
        effective_date=update.effective_date,
        payload=update.payload,
        note=update.note,
    )
    spec = KINDS[update.kind]
    change = Change.of(
        household=household, kind=update.kind, member=member, effective_date=effective_date, payload=payload
    )
    violations = spec.check(change)
    if violations:
        raise ValidationError(violations_error(violations))
    created = spec.apply(change, acting_user=acting_user, source=f"pemutakhiran:{update.pk}")
    now = timezone.now()
    update.status, update.awaiting_role, update.applied_at, update.closed_at = UpdateStatus.DITERAPKAN, "", now, now
    fields = ["status", "awaiting_role", "applied_at", "closed_at"]
    if created is not None:
        update.member = created
        fields.append("member")
    update.save(update_fields=fields)
    return update


@transaction.atomic
def update_cancel(*, update: DataUpdate, acting_user: Any) -> DataUpdate:
    """The submitter withdraws an update that still awaits a decision."""
    staff: Staff | None = staff_of(acting_user)
    update = DataUpdate.objects.select_for_update().get(pk=update.pk)
    if staff is None or update.submitted_by_id != staff.pk:
        raise PermissionDenied(_("Hanya pengaju yang dapat membatalkan pemutakhiran ini."))
    if not update.is_open:
        raise ValidationError(
            _("Pemutakhiran ini sudah selesai (%(status)s).") % {"status": update.get_status_display()},
            code="sudah_selesai",
        )
    update.status, update.awaiting_role, update.closed_at = UpdateStatus.DIBATALKAN, "", timezone.now()
    update.save(update_fields=["status", "awaiting_role", "closed_at"])
    return update
