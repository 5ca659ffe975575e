"""Audit events of flagship products: one function per kind of change (STYLE.md: Saleor events)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

PRODUCT_CREATED = "product_created"
PRODUCT_UPDATED = "product_updated"
PRODUCT_MAKER_ADDED = "product_maker_added"
PRODUCT_PHOTO_ADDED = "product_photo_added"
PRODUCT_SALE_RECORDED = "product_sale_recorded"

ACTION_LABELS = {
    PRODUCT_CREATED: gettext_noop("Produk unggulan dibuat"),
    PRODUCT_UPDATED: gettext_noop("Produk unggulan diubah"),
    PRODUCT_MAKER_ADDED: gettext_noop("Pembuat produk ditambahkan"),
    PRODUCT_PHOTO_ADDED: gettext_noop("Foto produk ditambahkan"),
    PRODUCT_SALE_RECORDED: gettext_noop("Penjualan produk dicatat"),
}


def product_event(
    action: str,
    obj: models.Model,
    *,
    actor: Any,
    source: str,
    household_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    event = audit_event(
        action=action, obj=obj, actor=actor, source=source, household_id=household_id, before=before, after=after
    )
    event.save()
    return event
