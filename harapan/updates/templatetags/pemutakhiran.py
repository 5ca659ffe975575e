"""The family page's list of pemutakhiran (``{% family_updates household %}``) and the status
badge, so the registry's page shows updates without the registry reading this app's models."""

from __future__ import annotations

from typing import Any

from django import template

from harapan.registry.models import Household

from ..selectors import household_updates, update_subject
from ..services import may_submit

register = template.Library()

# Badge colours borrowed from the family statuses: pending amber, half-way blue, applied green,
# rejected red, cancelled grey.
STATUS_BADGE = {
    "diajukan": "s-ditangguhkan",
    "menunggu_lanjut": "s-calon",
    "diterapkan": "s-aktif",
    "ditolak": "s-non_eligible",
    "dibatalkan": "",
}


@register.filter
def update_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "")


@register.inclusion_tag("updates/_family_updates.html", takes_context=True)
def family_updates(context: dict[str, Any], household: Household) -> dict[str, Any]:
    """The family's updates (pending, applied, rejected with the reason) and, for a user who may
    record one, the link to start."""
    request = context["request"]
    rows = []
    for u in household_updates(household):
        rejection = next((d.reason for d in u.decisions.all() if not d.approved), "")
        rows.append((u, update_subject(u), rejection))
    return {"household": household, "rows": rows, "can_submit": may_submit(request.user, household)}
