"""Audit events of complaint cases: one action per kind of step (STYLE.md: Saleor events), and the
labels the family history shows them with (harapan.audit.labels).

An event carries the case's family (``household_id``) so the family's history shows it, except
for a case about a pendamping: the family page shows its history to the family's pendamping, who
may be the very pendamping the case is about, so such events carry no family (the case itself is
``object_type``/``object_id``; RULES.md: People and ratios, mediation and advocacy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

from .models import ActionKind, Grievance

LODGED = "grievance_lodged"
TAKEN = "grievance_taken"
NOTED = "grievance_noted"
ESCALATED = "grievance_escalated"
RESOLVED = "grievance_resolved"
CLOSED = "grievance_closed"
REOPENED = "grievance_reopened"
CATEGORY_UPDATED = "grievance_category_updated"

# The audit action of each timeline step.
ACTION_OF_KIND = {
    ActionKind.DIBUAT: LODGED,
    ActionKind.DITANGANI: TAKEN,
    ActionKind.CATATAN: NOTED,
    ActionKind.DIESKALASI: ESCALATED,
    ActionKind.DISELESAIKAN: RESOLVED,
    ActionKind.DITUTUP: CLOSED,
    ActionKind.DIBUKA_KEMBALI: REOPENED,
}

ACTION_LABELS = {
    LODGED: gettext_noop("Pengaduan dicatat"),
    TAKEN: gettext_noop("Pengaduan mulai ditangani"),
    NOTED: gettext_noop("Catatan pada pengaduan"),
    ESCALATED: gettext_noop("Pengaduan dieskalasi ke korkab"),
    RESOLVED: gettext_noop("Pengaduan diselesaikan"),
    CLOSED: gettext_noop("Pengaduan ditutup"),
    REOPENED: gettext_noop("Pengaduan dibuka kembali"),
    CATEGORY_UPDATED: gettext_noop("Batas waktu kategori pengaduan diubah"),
}

FIELD_LABELS = {
    "nomor_pengaduan": gettext_noop("Nomor pengaduan"),
    "kategori_pengaduan": gettext_noop("Kategori pengaduan"),
    "status_pengaduan": gettext_noop("Status pengaduan"),
    "batas_waktu": gettext_noop("Batas waktu"),
    "dieskalasi_ke": gettext_noop("Dieskalasi ke"),
    "penanganan": gettext_noop("Ditangani oleh"),
}

VALUE_LABELS = {
    "status_pengaduan": {
        "baru": gettext_noop("Baru"),
        "ditangani": gettext_noop("Ditangani"),
        "selesai": gettext_noop("Selesai"),
        "ditutup": gettext_noop("Ditutup"),
    },
    "kategori_pengaduan": {
        "kks_hilang": gettext_noop("Kartu KKS hilang"),
        "pin_lupa": gettext_noop("Lupa PIN kartu KKS"),
        "kartu_tertelan": gettext_noop("Kartu KKS tertelan mesin ATM"),
        "saldo_nol": gettext_noop("Saldo nol / bantuan belum masuk"),
        "data_salah": gettext_noop("Data KPM tidak sesuai"),
        "belum_terdaftar": gettext_noop("Keluarga layak belum terdaftar"),
        "perilaku_pendamping": gettext_noop("Perilaku pendamping"),
        "lainnya": gettext_noop("Lainnya"),
    },
}


def family_of(grievance: Grievance) -> int | None:
    """The family an event of this case is filed under (none for a case about a pendamping)."""
    return None if grievance.about_pendamping_id else grievance.household_id


def grievance_event(
    kind: str,
    grievance: Grievance,
    *,
    actor: Any,
    source: str = "web",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> AuditEvent:
    """The (unsaved) audit event of one timeline step of ``grievance``."""
    return audit_event(
        action=ACTION_OF_KIND[ActionKind(kind)],
        obj=grievance,
        actor=actor,
        source=source,
        household_id=family_of(grievance),
        before=before,
        after={"nomor_pengaduan": grievance.number, **(after or {})},
        note=note,
        at=at,
    )


def category_updated(category: Model, *, actor: Any, before: Mapping[str, Any], after: Mapping[str, Any]) -> AuditEvent:
    return audit_event(
        action=CATEGORY_UPDATED,
        obj=category,
        actor=actor,
        source="web",
        household_id=None,
        before=before,
        after=after,
    )
