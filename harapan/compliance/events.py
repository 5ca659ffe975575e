"""Audit events of commitment verification and sanctions, with the labels history pages show
(``harapan.audit.labels``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

RECORD_CREATED = "obligation_recorded"
RECORD_CORRECTED = "obligation_corrected"
RECORD_REMOVED = "obligation_record_removed"
SANCTION_RAISED = "sanction_raised"
SANCTION_LIFTED = "sanction_lifted"
SANCTION_CONFIRMED = "sanction_confirmed"
SANCTION_REJECTED = "sanction_rejected"
SOURCE = "compliance"

ACTION_LABELS = {
    RECORD_CREATED: gettext_noop("Komitmen dicatat"),
    RECORD_CORRECTED: gettext_noop("Catatan komitmen dikoreksi"),
    RECORD_REMOVED: gettext_noop("Catatan komitmen dihapus"),
    SANCTION_RAISED: gettext_noop("Sanksi dikenakan"),
    SANCTION_LIFTED: gettext_noop("Sanksi dicabut"),
    SANCTION_CONFIRMED: gettext_noop("Pembatalan dikonfirmasi"),
    SANCTION_REJECTED: gettext_noop("Usul pembatalan ditolak"),
}

FIELD_LABELS = {
    "obligation": gettext_noop("komitmen"),
    "period": gettext_noop("periode"),
    "met": gettext_noop("memenuhi"),
    "value": gettext_noop("nilai"),
    "source": gettext_noop("sumber"),
    "level": gettext_noop("tingkat sanksi"),
    "streak": gettext_noop("bulan berturut-turut"),
    "records": gettext_noop("catatan yang mendasari"),
    "flags": gettext_noop("tanda P2K2 yang mendasari"),
    "lift_reason": gettext_noop("alasan pencabutan"),
    "payment_released": gettext_noop("pembayaran dilepas"),
    "confirmation": gettext_noop("konfirmasi"),
}

VALUE_LABELS = {
    "level": {
        "peringatan": gettext_noop("Peringatan"),
        "penangguhan": gettext_noop("Penangguhan"),
        "pembatalan": gettext_noop("Pembatalan (non-eligible)"),
    },
    "lift_reason": {
        "patuh_kembali": gettext_noop("Memenuhi komitmen lagi"),
        "koreksi": gettext_noop("Catatan dikoreksi"),
        "tanda_p2k2_dicabut": gettext_noop("Tanda tidak hadir P2K2 dicabut"),
    },
    "met": {"True": gettext_noop("Ya"), "False": gettext_noop("Tidak")},
}


def event(
    action: str,
    obj: models.Model,
    *,
    household_id: int,
    actor: Any,
    source: str = SOURCE,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """An unsaved audit event of this context (saved in bulk by the caller)."""
    return audit_event(
        action=action,
        obj=obj,
        actor=actor,
        source=source,
        household_id=household_id,
        before=before,
        after=after,
        note=note,
    )
