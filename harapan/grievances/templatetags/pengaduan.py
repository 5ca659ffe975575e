"""The family page's complaints block (``{% family_grievances household %}``) and the status badge,
so the registry's page shows a family's cases without the registry reading this app. The block
reads through ``grievances_visible``: a case about the reader never appears in it."""

from __future__ import annotations

from typing import Any

from django import template

from harapan.conf import setting
from harapan.registry.models import Household

from ..selectors import household_grievances
from ..services import may_lodge_for

register = template.Library()

# Badge colours borrowed from the family statuses: new blue, handled amber, resolved green, closed grey.
STATUS_BADGE = {"baru": "s-calon", "ditangani": "s-ditangguhkan", "selesai": "s-aktif", "ditutup": ""}


@register.filter
def grievance_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "")


@register.inclusion_tag("grievances/_family_grievances.html", takes_context=True)
def family_grievances(context: dict[str, Any], household: Household) -> dict[str, Any]:
    """The family's latest cases the reader may see (open ones first), and the link to lodge one."""
    user = context["request"].user
    cases = household_grievances(user=user, household=household)
    limit = setting("grievances", "FAMILY_BLOCK_LIMIT")
    shown = list(cases[: limit + 1])
    return {
        "household": household,
        "cases": shown[:limit],
        "more": len(shown) > limit,
        "can_lodge": may_lodge_for(user, household),
    }
