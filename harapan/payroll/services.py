"""Writes of the payroll: open, compute, approve, issue and cancel a tahap; record dana sharing.
Each takes ``acting_user``, checks role and area, runs in a transaction and audits (STYLE.md).

A tahap moves dibuka → dihitung → disetujui → diterbitkan → direkonsiliasi (or dibatalkan before
approval). Its list is recomputed as often as needed before approval; approval freezes it, and
approving or issuing twice changes nothing the second time (issue 4, "approving twice issues
nothing new"). The person who opened or computed the list never approves it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role
from harapan.accounts.scope import region_in_scope, require_role, staff_of
from harapan.audit.services import snapshot
from harapan.benefits.selectors import benefit_index_on
from harapan.conf import setting
from harapan.regions.models import Level, Region

from . import events, run
from .graduation import alamiah_apply
from .models import ISSUED, DanaSharing, RunState, Tahap, TahapStatus
from .snapshot import arrears_by_household, carry_lines

log = logging.getLogger(__name__)

RECOMPUTABLE = (TahapStatus.DIBUKA, TahapStatus.DIHITUNG)


# --- Who may do what -------------------------------------------------------------------------------


def _in_area(user: Any, tahap_region: str | None) -> bool:
    """Whether the tahap's whole region lies in the user's working area."""
    staff = staff_of(user)
    if staff is None:
        return False
    if tahap_region is None:
        return staff.role == Role.MINISTRY
    return region_in_scope(user, tahap_region)


def check_may_open(user: Any, region_code: str | None) -> None:
    require_role(user, *setting("payroll", "OPEN_ROLES"))
    if not _in_area(user, region_code):
        raise PermissionDenied(_("Wilayah tahap ini di luar wilayah kerja Anda."))


def approval_refusal(user: Any, tahap: Tahap) -> str | None:
    """Why ``user`` may not approve ``tahap`` (None: they may): a Dinas Sosial role of the tahap's
    level (configurable), the tahap's region in their area, and never the person who opened or
    computed the list (issue 4: "a second person approves")."""
    staff = staff_of(user)
    roles = setting("payroll", "APPROVER_ROLES").get(tahap.level, [])
    if staff is None or staff.role not in roles:
        names = ", ".join(str(Role(r).label) for r in roles)
        return _("Persetujuan tahap ini hanya oleh %(roles)s.") % {"roles": names}
    if not _in_area(user, tahap.region_id):
        return _("Wilayah tahap ini di luar wilayah kerja Anda.")
    if user.pk in (tahap.opened_by_id, tahap.prepared_by_id):
        return _(
            "Anda yang membuka atau menghitung daftar ini tidak boleh menyetujuinya sendiri: "
            "persetujuan harus oleh orang kedua."
        )
    return None


def check_may_issue(user: Any, tahap: Tahap) -> None:
    require_role(user, *setting("payroll", "ISSUE_ROLES"))
    if not _in_area(user, tahap.region_id):
        raise PermissionDenied(_("Wilayah tahap ini di luar wilayah kerja Anda."))


# --- Open ------------------------------------------------------------------------------------------


@transaction.atomic
def tahap_open(
    *, region_code: str | None, year: int, number: int, cut_off: dt.date, acting_user: Any, source: str = "web"
) -> Tahap:
    """Open tahap ``number`` of ``year`` for a kabupaten/kota, a province or (``region_code``
    empty) the whole country, with its cut-off date and the benefit index in force on that date;
    the number runs from 1 to the index's tahap split (RULES.md: Components and amounts)."""
    region_code = region_code or None
    check_may_open(acting_user, region_code)
    if region_code is not None:
        region = Region.objects.filter(code=region_code).first()
        if region is None or region.level not in (Level.PROVINSI, Level.KABUPATEN):
            raise ValidationError({"region": _("Tahap dibuka untuk satu provinsi atau kabupaten/kota.")})
    index = benefit_index_on(cut_off)
    if index is None:
        raise ValidationError({"cut_off": _("Tidak ada indeks bantuan yang berlaku pada tanggal cut-off ini.")})
    if not 1 <= number <= index.tahap_count:
        raise ValidationError(
            {
                "number": _("Indeks %(name)s membagi setahun menjadi %(n)d tahap.")
                % {"name": index.name, "n": index.tahap_count}
            }
        )
    if cut_off.year not in (year - 1, year):
        raise ValidationError({"cut_off": _("Tanggal cut-off harus pada tahun tahap atau tahun sebelumnya.")})
    tahap = Tahap(
        year=year, number=number, region_id=region_code, cut_off=cut_off, benefit_index=index, opened_by=acting_user
    )
    try:
        with transaction.atomic():
            tahap.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("Tahap %(n)d tahun %(y)d untuk wilayah ini sudah dibuka.") % {"n": number, "y": year}
        ) from exc
    events.tahap_opened(tahap, actor=acting_user, source=source).save()
    return tahap


# --- Compute ---------------------------------------------------------------------------------------


def _check_recomputable(tahap: Tahap) -> None:
    if tahap.status not in RECOMPUTABLE:
        raise ValidationError(_("Tahap yang sudah disetujui atau dibatalkan tidak dihitung ulang: daftarnya beku."))


def tahap_compute(
    *,
    tahap: Tahap,
    acting_user: Any,
    chunk_size: int | None = None,
    after_chunk: Callable[[int], None] | None = None,
    phases: run.Phases | None = None,
    source: str = "web",
) -> Tahap:
    """Compute (or recompute) the tahap's list now; see ``run``. On any error the run is marked
    failed and the error raised again: the tahap cannot be approved until a run completes."""
    check_may_open(acting_user, tahap.region_id)
    tahap = Tahap.objects.select_related("benefit_index", "region").get(pk=tahap.pk)
    _check_recomputable(tahap)
    try:
        return run.compute(
            tahap, acting_user=acting_user, chunk_size=chunk_size, after_chunk=after_chunk, phases=phases
        )
    except BaseException as exc:
        Tahap.objects.filter(pk=tahap.pk).update(
            run_state=RunState.FAILED, run_error=f"{type(exc).__name__}: {exc}"[:5000], run_finished_at=timezone.now()
        )
        raise


def tahap_compute_queue(*, tahap: Tahap, acting_user: Any) -> Tahap:
    """Mark the tahap queued for computation; the page enqueues the task after commit."""
    check_may_open(acting_user, tahap.region_id)
    with transaction.atomic():
        tahap = Tahap.objects.select_for_update().get(pk=tahap.pk)
        _check_recomputable(tahap)
        if tahap.is_running and not _stale(tahap):
            raise ValidationError(_("Perhitungan tahap ini sedang berjalan."))
        tahap.run_state = RunState.QUEUED
        tahap.run_error = ""
        tahap.save(update_fields=["run_state", "run_error"])
    return tahap


def _stale(tahap: Tahap) -> bool:
    """A run marked running long ago whose worker died: it may be started again."""
    started = tahap.run_started_at
    return started is not None and timezone.now() - started > dt.timedelta(hours=1)


def tahap_compute_execute(*, tahap_id: int, user_id: int) -> None:
    """The task's body: compute a queued tahap; errors are recorded on the tahap, not raised."""
    user = get_user_model().objects.filter(pk=user_id).first()
    tahap = Tahap.objects.filter(pk=tahap_id).first()
    if tahap is None or user is None:
        return
    try:
        tahap_compute(tahap=tahap, acting_user=user)
    except (PermissionDenied, ValidationError) as exc:
        Tahap.objects.filter(pk=tahap_id).update(
            run_state=RunState.FAILED, run_error="; ".join(getattr(exc, "messages", [str(exc)]))
        )
    except Exception:
        log.exception("tahap %s failed", tahap_id)


# --- Approve, issue, cancel ------------------------------------------------------------------------


def _arrears_unchanged(tahap: Tahap) -> bool:
    """The arrears written into the lines are still exactly what is owed to those families (no
    bank result came in for an earlier tahap since the list was computed)."""
    owed = arrears_by_household(tahap)
    lines = tahap.lines.all()
    written = dict(lines.filter(arrears__gt=0).values_list("household_id", "arrears"))
    sources = carry_lines(before_year=tahap.year, before_number=tahap.number, region_prefix=tahap.region_prefix)
    with_line = set(
        lines.filter(household_id__in=sources.values("household_id")).values_list("household_id", flat=True)
    )
    return written == {h: a for h, a in owed.items() if h in with_line}


@transaction.atomic
def tahap_approve(*, tahap: Tahap, acting_user: Any, source: str = "web") -> Tahap:
    """Approve the computed list (a second person, of Dinas Sosial): the lines are frozen, the
    arrears they carry are marked paid into this tahap, and the families found with no component
    move to graduasi alamiah (``graduation``). Approving an approved tahap changes nothing."""
    tahap = Tahap.objects.select_for_update().get(pk=tahap.pk)
    refusal = approval_refusal(acting_user, tahap)
    if refusal:
        raise PermissionDenied(refusal)
    if tahap.status in ISSUED or tahap.status == TahapStatus.DISETUJUI:
        return tahap
    if tahap.status != TahapStatus.DIHITUNG or tahap.run_state != RunState.DONE:
        raise ValidationError(_("Hanya tahap yang selesai dihitung yang dapat disetujui."))
    if not _arrears_unchanged(tahap):
        raise ValidationError(
            _("Hasil bank tahap sebelumnya masuk setelah daftar ini dihitung: hitung ulang sebelum menyetujui.")
        )
    today = timezone.localdate()
    carry_lines(before_year=tahap.year, before_number=tahap.number, region_prefix=tahap.region_prefix).filter(
        household_id__in=tahap.lines.filter(arrears__gt=0).values("household_id")
    ).update(carried_to=tahap)
    tahap.alamiah_applied = alamiah_apply(tahap, on=today, acting_user=acting_user)
    tahap.status = TahapStatus.DISETUJUI
    tahap.approved_by = acting_user
    tahap.approved_at = timezone.now()
    tahap.save(update_fields=["status", "approved_by", "approved_at", "alamiah_applied"])
    events.tahap_approved(tahap, actor=acting_user, source=source).save()
    return tahap


@transaction.atomic
def tahap_issue(*, tahap: Tahap, acting_user: Any, source: str = "web") -> Tahap:
    """Issue the bank files of an approved tahap (the list is final: files can be downloaded from
    now on). Issuing an issued tahap changes nothing."""
    check_may_issue(acting_user, tahap)
    tahap = Tahap.objects.select_for_update().get(pk=tahap.pk)
    if tahap.status in ISSUED:
        return tahap
    if tahap.status != TahapStatus.DISETUJUI:
        raise ValidationError(_("Berkas bank hanya diterbitkan untuk tahap yang sudah disetujui."))
    tahap.status = TahapStatus.DITERBITKAN
    tahap.issued_by = acting_user
    tahap.issued_at = timezone.now()
    tahap.save(update_fields=["status", "issued_by", "issued_at"])
    events.tahap_issued(tahap, actor=acting_user, source=source).save()
    return tahap


@transaction.atomic
def tahap_cancel(*, tahap: Tahap, reason: str, acting_user: Any, source: str = "web") -> Tahap:
    """Cancel a tahap before approval: its lines stay, marked cancelled, so the same families can
    be paid by another tahap of the same number."""
    check_may_open(acting_user, tahap.region_id)
    tahap = Tahap.objects.select_for_update().get(pk=tahap.pk)
    if tahap.status == TahapStatus.DIBATALKAN:
        return tahap
    if tahap.status not in RECOMPUTABLE or tahap.is_running and not _stale(tahap):
        raise ValidationError(_("Hanya tahap yang belum disetujui dan tidak sedang dihitung yang dapat dibatalkan."))
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan pembatalan wajib diisi.")})
    tahap.lines.update(cancelled=True)
    tahap.status = TahapStatus.DIBATALKAN
    tahap.cancelled_by = acting_user
    tahap.cancelled_at = timezone.now()
    tahap.cancel_reason = reason.strip()[:300]
    tahap.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    events.tahap_cancelled(tahap, actor=acting_user, reason=tahap.cancel_reason, source=source).save()
    return tahap


# --- Dana sharing ----------------------------------------------------------------------------------

DANA_SHARING_FIELDS = ("apbd_amount", "note")


@transaction.atomic
def dana_sharing_record(
    *, kabupaten_code: str, year: int, apbd_amount: int, note: str = "", acting_user: Any
) -> DanaSharing:
    """Record (or correct) a kabupaten/kota's APBD co-funding of PKH for a year (RULES.md:
    Disbursement and data, dana sharing); by Dinas Sosial of that kabupaten/kota."""
    require_role(acting_user, *setting("payroll", "DANA_SHARING_ROLES"))
    region = Region.objects.filter(code=kabupaten_code, level=Level.KABUPATEN).first()
    if region is None:
        raise ValidationError({"kabupaten": _("Pilih satu kabupaten/kota.")})
    if not region_in_scope(acting_user, region.code):
        raise PermissionDenied(_("Kabupaten/kota ini di luar wilayah kerja Anda."))
    if apbd_amount < 0:
        raise ValidationError({"apbd_amount": _("Jumlah tidak boleh negatif.")})
    record = DanaSharing.objects.select_for_update().filter(kabupaten=region, year=year).first()
    before: dict[str, Any] = {}
    if record is None:
        record = DanaSharing(kabupaten=region, year=year, apbd_amount=apbd_amount, note=note, recorded_by=acting_user)
    else:
        before = snapshot(record, DANA_SHARING_FIELDS)
        record.apbd_amount, record.note, record.recorded_by = apbd_amount, note, acting_user
    after = snapshot(record, DANA_SHARING_FIELDS)
    if before == after:
        return record
    record.save()
    events.dana_sharing_recorded(record, actor=acting_user, before=before, after=after).save()
    return record
