"""Audit events of referrals and coverage, with the labels the family history shows
(``harapan.audit.labels``). One function builds each unsaved event; the caller saves it, or many at
once with ``audit_events_save`` (the demo seeder)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

REFERRAL_CREATED = "referral_created"
REFERRAL_ACCEPTED = "referral_accepted"
REFERRAL_COMPLETED = "referral_completed"
REFERRAL_REJECTED = "referral_rejected"
COVERAGE_ADDED = "coverage_added"
COVERAGE_ENDED = "coverage_ended"
PROGRAMME_CREATED = "programme_created"
PROGRAMME_UPDATED = "programme_updated"

ACTION_LABELS = {
    REFERRAL_CREATED: gettext_noop("Dirujuk ke program komplementer"),
    REFERRAL_ACCEPTED: gettext_noop("Rujukan diterima penyelenggara"),
    REFERRAL_COMPLETED: gettext_noop("Rujukan selesai: menerima program"),
    REFERRAL_REJECTED: gettext_noop("Rujukan ditolak"),
    COVERAGE_ADDED: gettext_noop("Kepesertaan program komplementer dicatat"),
    COVERAGE_ENDED: gettext_noop("Kepesertaan program komplementer berakhir"),
    PROGRAMME_CREATED: gettext_noop("Program komplementer ditambahkan"),
    PROGRAMME_UPDATED: gettext_noop("Program komplementer diubah"),
}

# Keys of before/after; none is a field of Household, so the history labels them from here.
FIELD_LABELS = {
    "program": gettext_noop("program"),
    "anggota": gettext_noop("anggota"),
    "rujukan": gettext_noop("rujukan"),
    "status_rujukan": gettext_noop("status rujukan"),
    "tanggal_rujuk": gettext_noop("tanggal dirujuk"),
    "tanggal_diterima": gettext_noop("tanggal diterima"),
    "tanggal_ditutup": gettext_noop("tanggal selesai/ditolak"),
    "hasil": gettext_noop("hasil"),
    "nomor_kartu": gettext_noop("nomor kartu"),
    "menerima_sejak": gettext_noop("menerima sejak"),
    "menerima_sampai": gettext_noop("menerima sampai"),
    "sumber_kepesertaan": gettext_noop("sumber kepesertaan"),
}

VALUE_LABELS = {
    "status_rujukan": {
        "dirujuk": gettext_noop("Dirujuk"),
        "diterima": gettext_noop("Diterima"),
        "selesai": gettext_noop("Selesai"),
        "ditolak": gettext_noop("Ditolak"),
    },
    "sumber_kepesertaan": {
        "rujukan": gettext_noop("Hasil rujukan"),
        "impor": gettext_noop("Impor data"),
        "pendamping": gettext_noop("Dicatat pendamping"),
    },
}


def event(
    action: str,
    obj: models.Model,
    *,
    household_id: int | None,
    actor: Any,
    source: str = "web",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> AuditEvent:
    """An unsaved audit event of this context."""
    return audit_event(
        action=action,
        obj=obj,
        actor=actor,
        source=source,
        household_id=household_id,
        before=before,
        after=after,
        note=note,
        at=at,
    )


def seeded(
    action: str,
    obj: models.Model,
    *,
    household_id: int,
    actor_id: int | None,
    at: dt.datetime,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    source: str = "seed",
) -> AuditEvent:
    """The same event written by a bulk path that knows only the actor's user id (the demo seeder
    records each referral as made by the family's pendamping)."""
    e = audit_event(
        action=action,
        obj=obj,
        actor=None,
        source=source,
        household_id=household_id,
        before=before,
        after=after,
        note=note,
        at=at,
    )
    e.actor_id = actor_id
    return e
