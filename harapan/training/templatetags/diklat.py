"""Template tags other apps' pages load to show a pendamping's training (``{% load diklat %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from harapan.accounts.models import Role, Staff

from ..selectors import trained_for_p2k2

register = template.Library()


@register.inclusion_tag("training/_staff_training.html")
def staff_training(pendamping: Staff) -> dict[str, Any]:
    """A line on a pendamping's page: trained to facilitate P2K2 or not, with a link to the
    training profile (``/diklat/peserta/<id>/``, which enforces its own scope)."""
    is_pendamping = pendamping.role == Role.PENDAMPING
    return {
        "pendamping": pendamping,
        "show": is_pendamping,
        "trained": is_pendamping and trained_for_p2k2(pendamping),
    }
