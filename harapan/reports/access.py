"""Who may read which report (accounts.scope is the rule): a pendamping reads their own monthly report
and no one else's; the korkab, supervisor and Dinas Sosial read those of the pendamping in their
area, and the profile of a kabupaten/kota in their area. Anything outside the reader's area is a
404, as if it did not exist; a role with no reports at all is refused (403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import region_in_scope, region_prefix, staff_of
from harapan.conf import setting
from harapan.regions.models import Level, Region


def reader(user: Any) -> Staff:
    """The reader's staff record, or 403 when their role reads no reports."""
    staff = staff_of(user)
    roles = {Role.PENDAMPING, *setting("reports", "MONTHLY_READER_ROLES"), *setting("reports", "PROFILE_ROLES")}
    if staff is None or staff.role not in roles:
        raise PermissionDenied(_("Laporan untuk pendamping, korkab, supervisor dan Dinas Sosial."))
    return staff


def may_read_area(staff: Staff) -> bool:
    return staff.role in setting("reports", "MONTHLY_READER_ROLES")


def may_read_profile(staff: Staff) -> bool:
    return staff.role in setting("reports", "PROFILE_ROLES")


def report_staff(user: Any, staff_id: int) -> Staff:
    """The pendamping whose monthly report the user may read: themselves, or a pendamping whose
    kecamatan lies in a reader's area; 404 otherwise (RULES.md "People and ratios": the pendamping
    reports to the korkab and Dinas Sosial)."""
    viewer = reader(user)
    target = Staff.objects.filter(pk=staff_id, role=Role.PENDAMPING).select_related("region", "user").first()
    if target is None:
        raise Http404(_("Pendamping tidak ditemukan."))
    if viewer.role == Role.PENDAMPING:
        if viewer.pk != target.pk:
            raise Http404(_("Pendamping tidak ditemukan."))
        return target
    if not may_read_area(viewer) or target.region_id is None or not region_in_scope(user, str(target.region_id)):
        raise Http404(_("Pendamping tidak ditemukan."))
    return target


def area_region(user: Any, code: str | None) -> Region | None:
    """The region an area reader browses (None: the whole country, for the ministry); 404 when it
    is outside their area or below the kabupaten/kota level."""
    viewer = reader(user)
    if viewer.role == Role.PENDAMPING or not (may_read_area(viewer) or may_read_profile(viewer)):
        raise Http404(_("Wilayah tidak ditemukan."))
    if not code:
        if region_prefix(viewer) is None:
            return None
        code = str(viewer.region_id)
    region = Region.objects.filter(code=code, level__lte=Level.KABUPATEN).first()
    if region is None or not region_in_scope(user, region.code):
        raise Http404(_("Wilayah tidak ditemukan."))
    return region


def profile_region(user: Any, code: str) -> Region:
    """A kabupaten/kota whose profile the user may read; 404 outside their area."""
    viewer = reader(user)
    if not may_read_profile(viewer):
        raise Http404(_("Wilayah tidak ditemukan."))
    region = Region.objects.filter(code=code, level=Level.KABUPATEN).first()
    if region is None or not region_in_scope(user, region.code):
        raise Http404(_("Wilayah tidak ditemukan."))
    return region


def home_region(staff: Staff) -> str | None:
    """Where an area reader starts: their kabupaten/kota or province; None for the ministry."""
    area = region_prefix(staff)
    if area is None:
        return None
    return area if len(area) <= 5 else area[:5]
