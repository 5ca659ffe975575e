"""KPM import runs and the rows they rejected (FORMATS.md §6.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


COUNT_FIELDS = (
    "families_seen",
    "families_created",
    "families_updated",
    "families_unchanged",
    "families_rejected",
    "members_created",
    "members_updated",
    "rows_rejected",
)


class ImportRun(models.Model):
    """One import of a KPM file: who started it, on which reference date, and what it did."""

    file = models.FileField(_("berkas"), upload_to="imports/%Y/%m/", blank=True)
    file_art = models.FileField(_("berkas ART"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    file_art_name = models.CharField(_("nama berkas ART"), max_length=255, blank=True)
    # Of the file's bytes (of both files, in order, for a pair): the same file imported twice shows.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The uploader's working area when the run was made; decides who else may see the run.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    as_of = models.DateField(_("tanggal acuan"), default=timezone.localdate)
    families_total = models.PositiveIntegerField(_("jumlah keluarga di berkas"), null=True, blank=True)
    families_seen = models.PositiveIntegerField(_("keluarga dibaca"), default=0)
    families_created = models.PositiveIntegerField(_("keluarga baru"), default=0)
    families_updated = models.PositiveIntegerField(_("keluarga diubah"), default=0)
    families_unchanged = models.PositiveIntegerField(_("keluarga tetap"), default=0)
    families_rejected = models.PositiveIntegerField(_("keluarga ditolak"), default=0)
    members_created = models.PositiveIntegerField(_("anggota baru"), default=0)
    members_updated = models.PositiveIntegerField(_("anggota diubah"), default=0)
    rows_rejected = models.PositiveIntegerField(_("baris ditolak"), default=0)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor KPM")
        verbose_name_plural = _("impor KPM")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=RunStatus.values), name="import_run_status_known"),
        ]

    def __str__(self) -> str:
        return f"Impor #{self.pk} {self.file_name}"

    @property
    def source(self) -> str:
        """The audit-event source of changes made by this run."""
        return f"import:{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.families_total:
            return None
        return min(100, round(100 * self.families_seen / self.families_total))


class ImportReject(models.Model):
    """One rejected source row: where it is, which column, which rule, and why (in Indonesian)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejects")
    sheet = models.CharField(_("lembar"), max_length=100)
    row = models.PositiveIntegerField(_("baris"))
    field = models.CharField(_("kolom"), max_length=60, blank=True)
    rule = models.CharField(_("aturan"), max_length=60)
    message = models.CharField(_("pesan"), max_length=500)
    value = models.CharField(_("nilai"), max_length=300, blank=True)
    family_key = models.CharField(_("ID keluarga PKH"), max_length=60, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("baris ditolak")
        verbose_name_plural = _("baris ditolak")
        indexes = [models.Index(fields=["run", "sheet", "row"], name="import_reject_run_row")]

    def __str__(self) -> str:
        return f"{self.sheet} baris {self.row} {self.field} [{self.rule}]"
