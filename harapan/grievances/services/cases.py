"""Writes of a complaint case: lodge it, then take, note, escalate, resolve, close, reopen it. Each
takes ``acting_user``, runs in one transaction, adds a step to the case's timeline and writes its
audit event (RULES.md: Disbursement and data; People and ratios)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import household_q, region_in_scope, staff_of
from harapan.regions.models import Region
from harapan.registry.models import Household

from .. import events, rules
from ..models import ActionKind, Grievance, GrievanceAction, GrievanceCategory, GrievanceStatus
from ..selectors import escalation_target
from .access import CLOSE, ESCALATE, NOTE, REOPEN, RESOLVE, TAKE, config, require

DESA_LEVEL = 4


def _kabupaten(code: str) -> str:
    return ".".join(code.split(".")[:2])


def _transition(grievance: Grievance, action: str) -> str:
    """The status ``action`` leads to, or a ValidationError naming the rule broken."""
    target = rules.transition_target(action, grievance.status)
    if target is None:
        raise ValidationError(
            _("Pengaduan %(number)s berstatus %(status)s: %(rule)s.")
            % {
                "number": grievance.number,
                "status": grievance.get_status_display(),
                "rule": rules.TRANSITION_RULES[action],
            },
            code="transisi_tidak_sah",
        )
    return target


def _locked(grievance: Grievance) -> Grievance:
    return (
        Grievance.objects.select_for_update(of=("self",))
        .select_related("household", "category", "escalated_to", "handler")
        .get(pk=grievance.pk)
    )


def _record(
    grievance: Grievance,
    *,
    kind: str,
    acting_user: Any,
    note: str = "",
    status_before: str = "",
    after: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    step_at: dt.datetime | None = None,
) -> GrievanceAction:
    """Add the step to the timeline (at ``step_at``, by default when it is recorded) and write its
    audit event (always when it is recorded)."""
    at = at or timezone.now()
    step = GrievanceAction.objects.create(
        grievance=grievance,
        at=step_at or at,
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        kind=kind,
        note=note,
        status_before=status_before,
        status_after=grievance.status,
    )
    changed = status_before and status_before != grievance.status
    events.grievance_event(
        kind,
        grievance,
        actor=acting_user,
        before={"status_pengaduan": status_before} if changed else None,
        after={**({"status_pengaduan": grievance.status} if changed else {}), **(after or {})},
        note=note,
        at=at,
    ).save()
    return step


def _when(moment: dt.datetime) -> str:
    """A time in an audit event: local, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _required_text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: ValidationError(message, code="wajib")})
    return text


# --- Lodging -----------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = config("NUMBER_PREFIX")
    last = (
        Grievance.objects.filter(number__startswith=f"{prefix}-{year}-")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return rules.grievance_number(prefix, year, rules.number_serial(last or "") + 1)


def _subject(
    *, category: GrievanceCategory, about_pendamping: Staff | None, household: Household | None, staff: Staff, desa: str
) -> Staff | None:
    """The pendamping a conduct case is about: the one named, or the family's own pendamping."""
    if not category.about_pendamping:
        if about_pendamping is not None:
            raise ValidationError(
                {
                    "about_pendamping": _("Pendamping yang diadukan hanya diisi untuk kategori %(c)s.")
                    % {"c": _("perilaku pendamping")}
                }
            )
        return None
    subject = about_pendamping or (household.pendamping if household is not None else None)
    if subject is None:
        raise ValidationError({"about_pendamping": _("Sebutkan pendamping yang diadukan.")})
    if subject.role != Role.PENDAMPING:
        raise ValidationError({"about_pendamping": _("Yang diadukan harus seorang pendamping.")})
    if subject.pk == staff.pk:
        raise ValidationError(
            {
                "about_pendamping": _(
                    "Anda tidak dapat mencatat pengaduan tentang diri Anda sendiri; minta korkab mencatatnya."
                )
            }
        )
    if subject.region_id is None or _kabupaten(subject.region_id) != _kabupaten(desa):
        raise ValidationError({"about_pendamping": _("Pendamping yang diadukan tidak bertugas di kabupaten/kota ini.")})
    return subject


@transaction.atomic
def grievance_lodge(
    *,
    category: GrievanceCategory,
    description: str,
    lodged_by_name: str,
    lodged_by_kind: str,
    channel: str,
    acting_user: Any,
    household: Household | None = None,
    desa: str | None = None,
    about_pendamping: Staff | None = None,
    opened_at: dt.datetime | None = None,
) -> Grievance:
    """Record a complaint as a new case (status baru), due the category's SLA days after it was
    lodged. A case names its family when the category needs one; its desa is the family's, or for
    a case without a family the place given, within the lodger's area."""
    staff = staff_of(acting_user)
    if staff is None or staff.role not in config("LODGE_ROLES"):
        raise PermissionDenied(_("Peran Anda tidak dapat mencatat pengaduan."))
    category = GrievanceCategory.objects.get(pk=category.pk)
    if not category.active:
        raise ValidationError({"category": _("Kategori ini tidak aktif lagi.")})
    if household is not None:
        household = (
            Household.objects.filter(household_q(acting_user), pk=household.pk).select_related("pendamping").first()
        )
        if household is None:
            message = (
                _("KPM ini bukan dampingan Anda.")
                if staff.role == Role.PENDAMPING
                else _("KPM ini di luar wilayah kerja Anda.")
            )
            raise PermissionDenied(message)
        desa = household.desa_id
    else:
        if category.needs_household:
            raise ValidationError(
                {"household": _("Pengaduan kategori %(c)s harus menyebut KPM-nya.") % {"c": category.name}}
            )
        if not desa:
            raise ValidationError({"desa": _("Pilih desa/kelurahan tempat pengaduan ini.")})
        if not Region.objects.filter(code=desa, level=DESA_LEVEL).exists():
            raise ValidationError({"desa": _("Kode desa/kelurahan tidak dikenal.")})
        if not region_in_scope(acting_user, desa):
            raise ValidationError({"desa": _("Desa/kelurahan ini di luar wilayah kerja Anda.")})
    assert desa is not None
    subject = _subject(
        category=category, about_pendamping=about_pendamping, household=household, staff=staff, desa=desa
    )
    now = timezone.now()
    opened_at = opened_at or now
    if opened_at > now:
        raise ValidationError({"opened_at": _("Waktu pengaduan tidak boleh di masa depan.")})
    grievance = Grievance(
        category=category,
        household=household,
        desa_id=desa,
        lodged_by_name=_required_text(lodged_by_name, "lodged_by_name", _("Nama pelapor wajib diisi.")),
        lodged_by_kind=lodged_by_kind,
        channel=channel,
        description=_required_text(description, "description", _("Uraian pengaduan wajib diisi.")),
        status=GrievanceStatus.BARU,
        opened_at=opened_at,
        due_at=rules.due_at(opened_at, category.sla_days),
        about_pendamping=subject,
        created_by=acting_user,
        number="-",
    )
    grievance.full_clean(
        exclude=["number", "category", "household", "desa", "about_pendamping", "created_by", "handler", "escalated_to"]
    )
    year = timezone.localtime(opened_at).year
    for attempt in range(5):
        grievance.number = _next_number(year)
        try:
            with transaction.atomic():
                grievance.save()
            break
        except IntegrityError:  # two cases lodged at the same moment took the same number
            if attempt == 4 or not Grievance.objects.filter(number=grievance.number).exists():
                raise
    _record(
        grievance,
        kind=ActionKind.DIBUAT,
        acting_user=acting_user,
        note=grievance.description[:500],
        after={
            "kategori_pengaduan": category.code,
            "status_pengaduan": grievance.status,
            "batas_waktu": _when(grievance.due_at),
        },
        at=now,
        step_at=opened_at,  # the timeline starts when the complaint was received
    )
    return grievance


# --- Steps of a case ---------------------------------------------------------------------------


@transaction.atomic
def grievance_take(*, grievance: Grievance, acting_user: Any, note: str = "") -> Grievance:
    """Start handling a new case (baru → ditangani); the acting staff member becomes its handler."""
    staff = require(acting_user, grievance, TAKE)
    grievance = _locked(grievance)
    before = grievance.status
    grievance.status = _transition(grievance, TAKE)
    grievance.handler = staff
    grievance.save(update_fields=["status", "handler"])
    _record(
        grievance,
        kind=ActionKind.DITANGANI,
        acting_user=acting_user,
        note=note.strip(),
        status_before=before,
        after={"penanganan": staff.full_name},
    )
    return grievance


@transaction.atomic
def grievance_note(*, grievance: Grievance, acting_user: Any, note: str) -> GrievanceAction:
    """Add a note to the case's timeline (any status)."""
    require(acting_user, grievance, NOTE)
    text = _required_text(note, "note", _("Catatan wajib diisi."))
    grievance = _locked(grievance)
    return _record(
        grievance, kind=ActionKind.CATATAN, acting_user=acting_user, note=text, status_before=grievance.status
    )


@transaction.atomic
def grievance_escalate(*, grievance: Grievance, acting_user: Any, note: str = "") -> Grievance:
    """Escalate an open case to the korkab (``ESCALATION_ROLE``) of its kabupaten/kota, once."""
    staff = require(acting_user, grievance, ESCALATE)
    grievance = _locked(grievance)
    if not grievance.is_open:
        raise ValidationError(
            _("Pengaduan %(number)s berstatus %(status)s: %(rule)s.")
            % {
                "number": grievance.number,
                "status": grievance.get_status_display(),
                "rule": rules.TRANSITION_RULES["escalate"],
            },
            code="transisi_tidak_sah",
        )
    if grievance.escalated_at is not None:
        raise ValidationError(
            _("Pengaduan %(number)s sudah dieskalasi ke %(to)s pada %(at)s; eskalasi hanya sekali.")
            % {
                "number": grievance.number,
                "to": grievance.escalated_to.full_name if grievance.escalated_to else "—",
                "at": timezone.localtime(grievance.escalated_at).strftime("%d-%m-%Y %H:%M"),
            },
            code="sudah_dieskalasi",
        )
    target = escalation_target(grievance.desa_id, role=config("ESCALATION_ROLE"), prefer=staff)
    if target is None:
        raise ValidationError(
            _("Belum ada korkab aktif di kabupaten/kota %(kab)s untuk menerima eskalasi.")
            % {"kab": _kabupaten(grievance.desa_id)},
            code="tanpa_korkab",
        )
    grievance.escalated_at = timezone.now()
    grievance.escalated_to = target
    grievance.save(update_fields=["escalated_at", "escalated_to"])
    _record(
        grievance,
        kind=ActionKind.DIESKALASI,
        acting_user=acting_user,
        note=note.strip(),
        status_before=grievance.status,
        after={"dieskalasi_ke": target.full_name},
        at=grievance.escalated_at,
    )
    return grievance


@transaction.atomic
def grievance_resolve(*, grievance: Grievance, acting_user: Any, resolution: str) -> Grievance:
    """Resolve a case being handled (ditangani → selesai), saying how."""
    staff = require(acting_user, grievance, RESOLVE)
    grievance = _locked(grievance)
    before = grievance.status
    target = _transition(grievance, RESOLVE)
    text = _required_text(resolution, "resolution", _("Tuliskan penyelesaiannya."))
    grievance.status, grievance.resolution, grievance.resolved_at = target, text, timezone.now()
    grievance.handler = grievance.handler or staff
    grievance.save(update_fields=["status", "resolution", "resolved_at", "handler"])
    _record(
        grievance,
        kind=ActionKind.DISELESAIKAN,
        acting_user=acting_user,
        note=text,
        status_before=before,
        at=grievance.resolved_at,
    )
    return grievance


@transaction.atomic
def grievance_close(*, grievance: Grievance, acting_user: Any, reason: str) -> Grievance:
    """Close an open case without resolving it (baru/ditangani → ditutup): not a PKH matter, a
    duplicate, withdrawn; the reason is required."""
    require(acting_user, grievance, CLOSE)
    grievance = _locked(grievance)
    before = grievance.status
    target = _transition(grievance, CLOSE)
    text = _required_text(reason, "reason", _("Tuliskan alasan penutupan."))
    grievance.status, grievance.resolution, grievance.closed_at = target, text, timezone.now()
    grievance.save(update_fields=["status", "resolution", "closed_at"])
    _record(
        grievance,
        kind=ActionKind.DITUTUP,
        acting_user=acting_user,
        note=text,
        status_before=before,
        at=grievance.closed_at,
    )
    return grievance


@transaction.atomic
def grievance_reopen(*, grievance: Grievance, acting_user: Any, reason: str) -> Grievance:
    """Reopen a finished case (selesai/ditutup → ditangani), with the reason; the acting staff member
    handles it, and with ``REOPEN_RESTARTS_SLA`` it is due the category's SLA days from now."""
    staff = require(acting_user, grievance, REOPEN)
    grievance = _locked(grievance)
    before = grievance.status
    target = _transition(grievance, REOPEN)
    text = _required_text(reason, "reason", _("Tuliskan alasan membuka kembali."))
    now = timezone.now()
    grievance.status, grievance.handler = target, staff
    grievance.resolved_at = grievance.closed_at = None
    grievance.resolution = ""
    after: dict[str, Any] = {"penanganan": staff.full_name}
    if config("REOPEN_RESTARTS_SLA"):
        grievance.due_at = rules.due_at(now, grievance.category.sla_days)
        after["batas_waktu"] = _when(grievance.due_at)
    grievance.save(update_fields=["status", "handler", "resolved_at", "closed_at", "resolution", "due_at"])
    _record(
        grievance,
        kind=ActionKind.DIBUKA_KEMBALI,
        acting_user=acting_user,
        note=text,
        status_before=before,
        after=after,
        at=now,
    )
    return grievance
