"""The family page's graduation block (``{% family_graduation household %}``) and the proposal
status badge, so the registry's page shows graduation without the registry reading this app."""

from __future__ import annotations

from typing import Any

from django import template

from harapan.registry.models import Household

from ..selectors import household_proposals, latest_assessment
from ..services import may_propose

register = template.Library()

# Badge colours borrowed from the family statuses: pending amber, approved green, rejected red.
STATUS_BADGE = {"diajukan": "s-ditangguhkan", "disetujui": "s-aktif", "ditolak": "s-non_eligible", "dibatalkan": ""}


@register.filter
def proposal_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "")


@register.inclusion_tag("graduation/_family_graduation.html", takes_context=True)
def family_graduation(context: dict[str, Any], household: Household) -> dict[str, Any]:
    """The family's latest readiness assessment, its latest proposal and the links to assess,
    propose and follow graduation."""
    request = context["request"]
    return {
        "household": household,
        "assessment": latest_assessment(household),
        "proposal": household_proposals(household).first(),
        "can_propose": may_propose(request.user, household),
    }
