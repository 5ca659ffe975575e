"""The family page's referral block (``{% family_referrals household %}``: the programmes the family
receives, its referrals and the suggested ones), so the registry's page shows referrals without the
registry reading this app; and the status badge."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from harapan.registry.models import Household

from ..selectors import coverage_gaps, household_coverages, household_referrals
from ..services import may_refer

register = template.Library()

# Badge colours borrowed from the family statuses: waiting blue, accepted amber, done green, refused red.
STATUS_BADGE = {"dirujuk": "s-calon", "diterima": "s-ditangguhkan", "selesai": "s-aktif", "ditolak": "s-non_eligible"}


@register.filter
def referral_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "")


@register.inclusion_tag("referrals/_family_referrals.html", takes_context=True)
def family_referrals(context: dict[str, Any], household: Household) -> dict[str, Any]:
    """Coverage badges (what the family receives today), its latest referrals and the gaps."""
    request = context["request"]
    today = timezone.localdate()
    referrals = list(household_referrals(household)[:6])
    return {
        "household": household,
        "coverages": list(household_coverages(household, on=today)),
        "referrals": referrals,
        "gaps": coverage_gaps(household, on=today),
        "can_refer": may_refer(request.user, household),
    }
