"""Pemutakhiran: a change in a family recorded in the field, approved up the chain, then applied.

A ``DataUpdate`` holds one change of one kind (a birth, a death, a school change...) with its
effective date, the kind's data in ``payload`` (validated by the kind's form, ``forms.py``), the
state it changes as it was when submitted (``before``) and the approval chain it must climb
(RULES.md "Disbursement and data": korkab -> province -> ministry). Family data changes only when
the last step approves (``services.update_decide``); the decisions and the evidence photos stay
with the update.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import evidence_storage


class UpdateKind(models.TextChoices):
    KELAHIRAN = "kelahiran", _("Kelahiran")
    KEMATIAN = "kematian", _("Kematian")
    MASUK_SEKOLAH = "masuk_sekolah", _("Masuk sekolah")
    PINDAH_JENJANG = "pindah_jenjang", _("Pindah jenjang sekolah")
    KELUAR_SEKOLAH = "keluar_sekolah", _("Keluar sekolah")
    KEHAMILAN = "kehamilan", _("Kehamilan")
    DISABILITAS_BERAT = "disabilitas_berat", _("Disabilitas berat")
    PINDAH_ALAMAT = "pindah_alamat", _("Pindah alamat")
    ANGGOTA_KELUAR = "anggota_keluar", _("Anggota keluar")
    PENGURUS_BARU = "pengurus_baru", _("Pengurus baru")
    REKENING = "rekening", _("Rekening dan KKS")


class UpdateStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    MENUNGGU_LANJUT = "menunggu_lanjut", _("Disetujui sebagian, menunggu tingkat berikut")
    DITERAPKAN = "diterapkan", _("Disetujui dan diterapkan")
    DITOLAK = "ditolak", _("Ditolak")
    DIBATALKAN = "dibatalkan", _("Dibatalkan pengaju")


# Statuses of an update still awaiting a decision.
OPEN = frozenset({UpdateStatus.DIAJUKAN, UpdateStatus.MENUNGGU_LANJUT})


class DataUpdate(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="data_updates"
    )
    # The member concerned; empty for a household-level kind. A birth names its newborn once applied.
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("anggota"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="data_updates",
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=UpdateKind.choices)
    effective_date = models.DateField(_("tanggal berlaku"))
    payload = models.JSONField(_("data perubahan"), default=dict, blank=True)
    # The state the update changes, as it was at submission (for the before -> after view).
    before = models.JSONField(_("data sebelum"), default=dict, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=UpdateStatus.choices, default=UpdateStatus.DIAJUKAN)
    # The roles that approve, in order, fixed at submission; ``step`` is the 1-based step awaiting a
    # decision and ``awaiting_role`` its role (empty once decided), so a queue is one indexed filter.
    chain = models.JSONField(_("rantai persetujuan"), default=list)
    step = models.PositiveSmallIntegerField(_("tahap"), default=1)
    awaiting_role = models.CharField(_("menunggu peran"), max_length=16, blank=True)
    # What makes two open updates the same change: the member, the household, or a newborn's name.
    open_key = models.CharField(max_length=120)
    submitted_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("diajukan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)
    closed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    applied_at = models.DateTimeField(_("diterapkan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pemutakhiran data")
        verbose_name_plural = _("pemutakhiran data")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["household", "-submitted_at"], name="dataupdate_household_at"),
            models.Index(fields=["awaiting_role", "status"], name="dataupdate_queue"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=UpdateStatus.values), name="dataupdate_status_known"),
            models.CheckConstraint(condition=Q(kind__in=UpdateKind.values), name="dataupdate_kind_known"),
            # Applied exactly when approved to the end.
            models.CheckConstraint(
                condition=(Q(status=UpdateStatus.DITERAPKAN) & Q(applied_at__isnull=False))
                | (~Q(status=UpdateStatus.DITERAPKAN) & Q(applied_at__isnull=True)),
                name="dataupdate_applied_iff_diterapkan",
            ),
            # One open update of a kind for the same member (or household, or newborn).
            models.UniqueConstraint(
                fields=["household", "kind", "open_key"],
                condition=Q(status__in=[UpdateStatus.DIAJUKAN, UpdateStatus.MENUNGGU_LANJUT]),
                name="dataupdate_one_open_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.household_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def evidence_path(instance: Any, filename: str) -> str:
    """A random name: the uploaded file's own name may carry personal data."""
    return f"pemutakhiran/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:6]}"


class DataUpdateEvidence(models.Model):
    """A photo of the document behind an update (akta, surat keterangan, rapor, buku tabungan)."""

    update = models.ForeignKey(DataUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("berkas"), storage=evidence_storage, upload_to=evidence_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    uploaded_at = models.DateTimeField(_("diunggah pada"), default=timezone.now)

    class Meta:
        verbose_name = _("bukti pemutakhiran")
        verbose_name_plural = _("bukti pemutakhiran")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name or ""


class DataUpdateDecision(models.Model):
    """One step's decision; a rejection carries its reason."""

    update = models.ForeignKey(DataUpdate, on_delete=models.CASCADE, related_name="decisions")
    step = models.PositiveSmallIntegerField(_("tahap"))
    role = models.CharField(_("peran"), max_length=16)
    decided_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("diputuskan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), default=timezone.now)
    approved = models.BooleanField(_("disetujui"))
    reason = models.CharField(_("alasan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("keputusan pemutakhiran")
        verbose_name_plural = _("keputusan pemutakhiran")
        ordering = ["update", "step"]
        constraints = [
            models.UniqueConstraint(fields=["update", "step"], name="dataupdatedecision_one_per_step"),
            models.CheckConstraint(condition=Q(approved=True) | ~Q(reason=""), name="dataupdatedecision_reject_reason"),
        ]

    def __str__(self) -> str:
        return f"#{self.update_id} {self.step} {'ok' if self.approved else 'tolak'}"
