"""The family page's sanctions panel (``{% load verifikasi %}{% family_sanctions household %}``): every
sanction of the family with its level, month, reason and the records behind it, and a link to this
month's verification form for a user who may record it, so the registry's page shows them without
the registry reading this app's models."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from harapan.registry.models import Household

from ..models import month_start
from ..selectors import family_sanctions as sanctions_of
from ..services import may_record

register = template.Library()

LEVEL_BADGE = {"peringatan": "s-calon", "penangguhan": "s-ditangguhkan", "pembatalan": "s-non_eligible"}


@register.filter
def sanction_badge(level: str) -> str:
    return LEVEL_BADGE.get(level, "")


@register.inclusion_tag("compliance/_family_sanctions.html", takes_context=True)
def family_sanctions(context: dict[str, Any], household: Household) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "household": household,
        "views": sanctions_of(household),
        "can_record": user is not None and household.in_programme and may_record(user, household),
        "month_key": f"{month_start(timezone.localdate()):%Y-%m}",
    }
