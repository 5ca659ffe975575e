"""Reads of import runs, through the reader's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from harapan.accounts.models import Role
from harapan.accounts.scope import region_prefix, staff_of

from .checked import FAMILY_REJECTED
from .models import ImportReject, ImportRun


def import_run_list(*, user: Any) -> QuerySet[ImportRun]:
    """Runs the user may see: their own, and those started by staff inside their working area
    (a run belongs to its uploader's region); the ministry sees all."""
    staff = staff_of(user)
    if staff is None:
        return ImportRun.objects.none()
    area = region_prefix(staff)
    if staff.role == Role.MINISTRY or area is None:
        return ImportRun.objects.all()
    return ImportRun.objects.filter(Q(started_by=user) | Q(region_id=area) | Q(region__code__startswith=area + "."))


def import_run_get(*, user: Any, pk: int) -> ImportRun:
    """One run, or 404 when it does not exist or the user may not see it."""
    run = import_run_list(user=user).select_related("started_by", "region").filter(pk=pk).first()
    if run is None:
        raise Http404("Impor tidak ditemukan.")
    return run


def import_rejects(run: ImportRun, *, errors_only: bool = False) -> QuerySet[ImportReject]:
    """A run's rejected rows, family by family; ``errors_only`` leaves out the rows rejected only
    because another row of their family was bad."""
    rejects = run.rejects.order_by("id")
    return rejects.exclude(rule=FAMILY_REJECTED) if errors_only else rejects
