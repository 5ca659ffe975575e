"""A complaint category's SLA: data, changed by ``SLA_EDIT_ROLES`` and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import events
from ..models import GrievanceCategory
from .access import may_edit_sla

SLA_MAX_DAYS = 365


@transaction.atomic
def category_sla_update(*, category: GrievanceCategory, sla_days: int, acting_user: Any) -> GrievanceCategory:
    """Change a category's SLA (``SLA_EDIT_ROLES``). Cases already lodged keep their due time;
    the new SLA applies to cases lodged (or reopened) after the change."""
    if not may_edit_sla(acting_user):
        raise PermissionDenied(_("Peran Anda tidak dapat mengubah batas waktu pengaduan."))
    if not 1 <= sla_days <= SLA_MAX_DAYS:
        raise ValidationError(
            {"sla_days": _("Batas waktu antara 1 dan %(max)d hari.") % {"max": SLA_MAX_DAYS}}, code="sla_di_luar_batas"
        )
    category = GrievanceCategory.objects.select_for_update().get(pk=category.pk)
    if category.sla_days != sla_days:
        before = category.sla_days
        category.sla_days = sla_days
        category.save(update_fields=["sla_days", "updated_at"])
        events.category_updated(
            category, actor=acting_user, before={"sla_days": before}, after={"sla_days": sla_days}
        ).save()
    return category
