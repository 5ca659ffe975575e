"""Audit events of the payroll: one function per kind of change (STYLE.md: Saleor events). Events
of a tahap concern no one family (``household_id`` empty); an account status concerns one. A
family's status change on approval (graduasi alamiah) is the registry's own event, with the
tahap as its source (``graduation``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

from .models import DanaSharing, ResultImport, Tahap

TAHAP_OPENED = "tahap_opened"
TAHAP_COMPUTED = "tahap_computed"
TAHAP_APPROVED = "tahap_approved"
TAHAP_ISSUED = "tahap_issued"
TAHAP_CANCELLED = "tahap_cancelled"
BANK_FILE_DOWNLOADED = "bank_file_downloaded"
BANK_RESULT_IMPORTED = "bank_result_imported"
ACCOUNT_STATUS_CHANGED = "account_status_changed"
DANA_SHARING_RECORDED = "dana_sharing_recorded"

ACTION_LABELS = {
    TAHAP_OPENED: gettext_noop("Tahap dibuka"),
    TAHAP_COMPUTED: gettext_noop("Daftar bayar tahap dihitung"),
    TAHAP_APPROVED: gettext_noop("Daftar bayar tahap disetujui"),
    TAHAP_ISSUED: gettext_noop("Berkas bank tahap diterbitkan"),
    TAHAP_CANCELLED: gettext_noop("Tahap dibatalkan"),
    BANK_FILE_DOWNLOADED: gettext_noop("Berkas bank diunduh"),
    BANK_RESULT_IMPORTED: gettext_noop("Hasil bank diimpor"),
    ACCOUNT_STATUS_CHANGED: gettext_noop("Status rekening berubah"),
    DANA_SHARING_RECORDED: gettext_noop("Dana sharing dicatat"),
}
FIELD_LABELS = {"status_rekening": gettext_noop("Status rekening")}


def _counts(tahap: Tahap) -> dict[str, Any]:
    return {
        "keluarga": tahap.families_count,
        "baris": tahap.lines_count,
        "nominal": tahap.lines_amount,
        "tunggakan": tahap.arrears_amount,
        "burekol": tahap.burekol_count,
        "dikecualikan": tahap.excluded_count,
        "graduasi_alamiah": tahap.alamiah_count,
    }


def tahap_opened(tahap: Tahap, *, actor: Any, source: str = "web") -> AuditEvent:
    return audit_event(
        action=TAHAP_OPENED,
        obj=tahap,
        actor=actor,
        source=source,
        household_id=None,
        after={
            "tahun": tahap.year,
            "tahap": tahap.number,
            "wilayah": tahap.region_id or "",
            "cut_off": tahap.cut_off.isoformat(),
            "indeks": tahap.benefit_index_id,
        },
    )


def tahap_computed(tahap: Tahap, *, actor: Any, source: str = "web") -> AuditEvent:
    return audit_event(
        action=TAHAP_COMPUTED, obj=tahap, actor=actor, source=source, household_id=None, after=_counts(tahap)
    )


def tahap_approved(tahap: Tahap, *, actor: Any, source: str = "web") -> AuditEvent:
    return audit_event(
        action=TAHAP_APPROVED,
        obj=tahap,
        actor=actor,
        source=source,
        household_id=None,
        after={**_counts(tahap), "graduasi_alamiah_diterapkan": tahap.alamiah_applied},
    )


def tahap_issued(tahap: Tahap, *, actor: Any, source: str = "web") -> AuditEvent:
    return audit_event(
        action=TAHAP_ISSUED, obj=tahap, actor=actor, source=source, household_id=None, after=_counts(tahap)
    )


def tahap_cancelled(tahap: Tahap, *, actor: Any, reason: str, source: str = "web") -> AuditEvent:
    return audit_event(action=TAHAP_CANCELLED, obj=tahap, actor=actor, source=source, household_id=None, note=reason)


def bank_file_downloaded(tahap: Tahap, *, actor: Any, file: Mapping[str, Any], source: str = "web") -> AuditEvent:
    """A recipient, burekol, control or totals file left the system: who, which, how many rows."""
    return audit_event(
        action=BANK_FILE_DOWNLOADED, obj=tahap, actor=actor, source=source, household_id=None, after=dict(file)
    )


def bank_result_imported(result: ResultImport, *, actor: Any) -> AuditEvent:
    return audit_event(
        action=BANK_RESULT_IMPORTED,
        obj=result,
        actor=actor,
        source=result.source,
        household_id=None,
        after={
            "tahap": result.tahap_id,
            "jenis": result.kind,
            "bank": result.bank,
            "berkas": result.file_name,
            "sha256": result.sha256,
            "diterapkan": result.rows_applied,
            "tetap": result.rows_unchanged,
            "ditolak": result.rows_rejected,
        },
    )


def account_status_changed(
    *, household_id: int, obj: Any, actor: Any, source: str, before: str | None, after: str, on: str
) -> AuditEvent:
    """A family's account status as the bank reported it (family data: audited per family)."""
    return audit_event(
        action=ACCOUNT_STATUS_CHANGED,
        obj=obj,
        actor=actor,
        source=source,
        household_id=household_id,
        before={"status_rekening": before} if before else {},
        after={"status_rekening": after, "sejak": on},
    )


def dana_sharing_recorded(
    record: DanaSharing, *, actor: Any, before: Mapping[str, Any], after: Mapping[str, Any]
) -> AuditEvent:
    return audit_event(
        action=DANA_SHARING_RECORDED,
        obj=record,
        actor=actor,
        source="web",
        household_id=None,
        before=before,
        after=after,
    )
