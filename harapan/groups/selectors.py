"""Reading groups and caseloads, always inside the user's scope (accounts.scope)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import household_q, region_in_scope, staff_of
from harapan.conf import setting
from harapan.registry.models import IN_PROGRAMME, Household

from . import rules
from .models import GroupMembership, Kelompok

OPEN = Q(memberships__valid_to__isnull=True)


@dataclass
class CaseloadRow:
    pendamping: Staff
    groups: int
    families: int
    status: str  # rules.UNDER / WITHIN / OVER


def caseload_band() -> tuple[int, int]:
    return setting("groups", "CASELOAD_MIN"), setting("groups", "CASELOAD_MAX")


def group_band() -> tuple[int, int]:
    return setting("groups", "GROUP_MIN"), setting("groups", "GROUP_MAX")


def caseload_rows(pendamping: list[Staff]) -> list[CaseloadRow]:
    """Groups and in-programme families of each pendamping (two aggregate queries)."""
    ids = [p.pk for p in pendamping]
    families = dict(
        Household.objects.filter(pendamping_id__in=ids, status__in=IN_PROGRAMME)
        .values("pendamping_id")
        .annotate(n=Count("pk"))
        .values_list("pendamping_id", "n")
    )
    groups = dict(
        Kelompok.objects.filter(pendamping_id__in=ids, is_active=True)
        .values("pendamping_id")
        .annotate(n=Count("pk"))
        .values_list("pendamping_id", "n")
    )
    low, high = caseload_band()
    return [
        CaseloadRow(
            pendamping=p,
            groups=groups.get(p.pk, 0),
            families=families.get(p.pk, 0),
            status=rules.load_status(families.get(p.pk, 0), min_load=low, max_load=high),
        )
        for p in pendamping
    ]


def caseload_by_pendamping(kecamatan_code: str) -> list[CaseloadRow]:
    staff = list(
        Staff.objects.filter(role=Role.PENDAMPING, region_id=kecamatan_code, is_active=True).order_by("full_name")
    )
    return caseload_rows(staff)


def kelompok_list(user: Any) -> QuerySet[Kelompok]:
    """Groups the user may see, with their current family count (``families``)."""
    return (
        Kelompok.objects.filter(household_q(user))
        .select_related("desa", "pendamping")
        .annotate(families=Count("memberships", filter=OPEN))
    )


def kelompok_get(user: Any, pk: int) -> Kelompok:
    try:
        return kelompok_list(user).select_related("ketua").get(pk=pk)
    except Kelompok.DoesNotExist:
        raise Http404(_("Kelompok tidak ditemukan.")) from None


def kelompok_members(kelompok: Kelompok) -> QuerySet[GroupMembership]:
    """The families in the group now, with their carer's name (``carer_name``)."""
    from django.db.models import OuterRef, Subquery

    from harapan.registry.models import Member

    carer = Member.objects.filter(household_id=OuterRef("household_id"), is_carer=True).values("name")[:1]
    return (
        kelompok.memberships.filter(valid_to__isnull=True)
        .select_related("household")
        .annotate(carer_name=Subquery(carer))
        .order_by("household__rw", "household__rt", "household__pkh_id")
    )


def kelompok_history(kelompok: Kelompok) -> QuerySet[GroupMembership]:
    """Moves in and out of the group: every membership, closed ones included, latest first."""
    return kelompok.memberships.select_related("household").order_by("-valid_from", "-pk")


def kecamatan_kelompok(kecamatan_code: str) -> QuerySet[Kelompok]:
    return Kelompok.objects.filter(desa__code__startswith=kecamatan_code + ".", is_active=True).order_by("code")


def pendamping_get(user: Any, staff_id: int) -> Staff:
    """A pendamping the user may see the caseload of: themselves, or one inside a non-pendamping
    user's area; 404 otherwise."""
    viewer = staff_of(user)
    target = Staff.objects.filter(pk=staff_id, role=Role.PENDAMPING).select_related("region").first()
    if viewer is None or target is None:
        raise Http404(_("Pendamping tidak ditemukan."))
    if viewer.role == Role.PENDAMPING:
        if viewer.pk != target.pk:
            raise Http404(_("Pendamping tidak ditemukan."))
    elif target.region_id is None or not region_in_scope(user, str(target.region_id)):
        raise Http404(_("Pendamping tidak ditemukan."))
    return target


def pendamping_kelompok(staff: Staff) -> QuerySet[Kelompok]:
    return (
        Kelompok.objects.filter(pendamping=staff, is_active=True)
        .select_related("desa")
        .annotate(families=Count("memberships", filter=OPEN))
        .order_by("code")
    )


# Who works a group's business (records its meetings, manages its products): its own pendamping,
# or an operator/korkab whose area holds the group's desa.
GROUP_AREA_ROLES = (Role.OPERATOR, Role.KORKAB)


def kelompok_worker(user: Any, kelompok: Kelompok) -> Staff | None:
    """The user's staff record when they may act for ``kelompok``; None otherwise."""
    staff = staff_of(user)
    if staff is None:
        return None
    if staff.role == Role.PENDAMPING:
        return staff if kelompok.pendamping_id == staff.pk else None
    if staff.role in GROUP_AREA_ROLES and region_in_scope(user, str(kelompok.desa_id)):
        return staff
    return None
