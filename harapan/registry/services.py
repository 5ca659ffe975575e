"""Writes to the registry. Each takes ``acting_user``, runs in one transaction and audits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import region_in_scope, staff_of
from harapan.audit.services import diff, snapshot

from . import events
from .models import IN_PROGRAMME, Household, HouseholdStatus, HouseholdStatusPeriod, Member

EDITABLE_HOUSEHOLD_FIELDS = (
    "address",
    "dusun",
    "rt",
    "rw",
    "bank",
    "account_number",
    "account_name",
    "kks_number",
)
STATUS_ROLES = (Role.OPERATOR, Role.KORKAB, Role.DINSOS_KAB)


def _check_scope(household: Household, acting_user: Any) -> None:
    staff = staff_of(acting_user)
    if staff is None:
        raise PermissionDenied(_("Tidak berwenang."))
    if staff.role == Role.PENDAMPING:
        if household.pendamping_id != staff.pk:
            raise PermissionDenied(_("KPM ini bukan dampingan Anda."))
    elif not region_in_scope(acting_user, household.desa_id):
        raise PermissionDenied(_("KPM ini di luar wilayah kerja Anda."))


@transaction.atomic
def household_update(*, household: Household, data: dict[str, Any], acting_user: Any, source: str = "web") -> Household:
    """Change a family's address, RT/RW and account data; audited with before/after."""
    _check_scope(household, acting_user)
    household = Household.objects.select_for_update().get(pk=household.pk)
    unknown = set(data) - set(EDITABLE_HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationError(
            _("Kolom tidak dapat diubah di sini: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    before = snapshot(household, data)
    for k, v in data.items():
        setattr(household, k, v)
    household.full_clean(exclude=["pendamping", "desa"])
    b, a = diff(before, snapshot(household, data))
    if a:
        household.save(update_fields=[*a, "updated_at"])
        events.household_updated(household, actor=acting_user, source=source, before=b, after=a).save()
    return household


@transaction.atomic
def household_set_status(
    *,
    household: Household,
    status: str,
    valid_from: dt.date,
    reason: str,
    acting_user: Any,
    source: str = "web",
) -> Household:
    """Move a family to a new status from ``valid_from``, closing the open status period.

    Members' NIKs stay held only while the family is in the programme (calon, aktif,
    ditangguhkan): leaving releases them for another household (one NIK, one active household).
    """
    staff = staff_of(acting_user)
    if staff is None or staff.role not in STATUS_ROLES:
        raise PermissionDenied(_("Hanya operator, korkab atau Dinas Sosial yang dapat mengubah status KPM."))
    _check_scope(household, acting_user)
    if status not in HouseholdStatus.values:
        raise ValidationError({"status": _("Status tidak dikenal: %(status)s") % {"status": status}})
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan perubahan status wajib diisi.")})
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status == status:
        return household
    if valid_from < household.status_since:
        raise ValidationError({"valid_from": _("Tanggal berlaku tidak boleh sebelum status saat ini dimulai.")})
    old = household.status
    HouseholdStatusPeriod.objects.filter(household=household, valid_to__isnull=True).update(
        valid_to=valid_from - dt.timedelta(days=1) if valid_from > household.status_since else valid_from
    )
    HouseholdStatusPeriod.objects.create(household=household, status=status, valid_from=valid_from, reason=reason)
    household.status = status
    household.status_since = valid_from
    household.save(update_fields=["status", "status_since", "updated_at"])
    was_in, now_in = old in IN_PROGRAMME, status in IN_PROGRAMME
    if was_in != now_in:
        members = Member.objects.filter(household=household, presence__in=(1, 4))
        if now_in:
            clash = [
                nik
                for nik in Member.objects.filter(is_active=True, nik__in=members.exclude(nik=None).values("nik"))
                .exclude(household=household)
                .values_list("nik", flat=True)
                if nik
            ]
            if clash:
                raise ValidationError(
                    {"status": _("NIK %(niks)s sudah terdaftar aktif di keluarga lain.") % {"niks": ", ".join(clash)}}
                )
        members.update(is_active=now_in)
    events.household_status_changed(
        household, actor=acting_user, source=source, before=old, after=status, reason=reason
    ).save()
    return household


@transaction.atomic
def household_assign_pendamping(
    *, household: Household, pendamping: Staff | None, acting_user: Any, source: str = "web"
) -> Household:
    """Assign a family to a pendamping who works in the family's kecamatan; audited."""
    staff = staff_of(acting_user)
    if staff is None or staff.role not in (Role.OPERATOR, Role.KORKAB):
        raise PermissionDenied(_("Hanya operator atau korkab yang dapat menetapkan pendamping."))
    _check_scope(household, acting_user)
    if pendamping is not None:
        if pendamping.role != Role.PENDAMPING:
            raise ValidationError({"pendamping": _("Petugas ini bukan pendamping.")})
        kec = household.desa_id.rsplit(".", 1)[0]
        if pendamping.region_id != kec:
            raise ValidationError({"pendamping": _("Pendamping tidak bertugas di kecamatan KPM ini.")})
    old = household.pendamping_id
    if old == (pendamping.pk if pendamping else None):
        return household
    household.pendamping = pendamping
    household.save(update_fields=["pendamping", "updated_at"])
    events.household_pendamping_assigned(
        household, actor=acting_user, source=source, before=old, after=household.pendamping_id
    ).save()
    return household
