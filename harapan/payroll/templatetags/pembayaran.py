"""The family page's list of payments (``{% load pembayaran %}{% family_payments household %}``):
every tahap that listed the family, with the amount and the bank's result, or the reasons it was
left out, so the registry's page shows payments without reading this app's models."""

from __future__ import annotations

from typing import Any

from django import template

from harapan.accounts.scope import staff_of
from harapan.registry.models import Household

from ..selectors import PAGE_ROLES, household_payments

register = template.Library()


@register.inclusion_tag("payroll/_family_payments.html", takes_context=True)
def family_payments(context: dict[str, Any], household: Household) -> dict[str, Any]:
    """The family's payment lines and exclusions, newest tahap first. The page that includes it
    has already checked that the reader may see the family."""
    request = context.get("request")
    staff = staff_of(request.user) if request is not None else None
    return {
        "household": household,
        "payments": household_payments(household),
        "can_open": staff is not None and staff.role in PAGE_ROLES,
    }
