"""Graduasi mandiri: the pendamping's readiness assessment, the proposal with the carer's signed
statement, and the korkab's decision (RULES.md: Graduation; FORMATS.md §4.4).

The readiness indicators are data (``ReadinessIndicator``), seeded from RULES.md and edited by the
ministry or Dinas Sosial. An assessment keeps its answers per indicator code and the score and
readiness the rule gave at the time (``rules.readiness``), so a later change of the indicators does
not rewrite a past assessment. Approval changes the family's status through the registry's service
(``household_set_status``), which closes the status period and audits it.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import scan_storage


class IndicatorKind(models.TextChoices):
    YA_TIDAK = "ya_tidak", _("Ya/tidak")
    ANGKA = "angka", _("Angka (terpenuhi bila ≥ ambang)")
    # Met when the monthly income exceeds the monthly need by the threshold (percent of need).
    PENGHASILAN = "penghasilan", _("Penghasilan dibanding kebutuhan (ambang = % kebutuhan)")


class ReadinessIndicator(models.Model):
    """One readiness indicator (RULES.md: Graduation: "income above need, a running business,
    assets, housing, children in school"; FORMATS.md §4.4: "no remaining component")."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    label = models.CharField(_("indikator"), max_length=200)
    help_text = models.CharField(_("penjelasan"), max_length=300, blank=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.YA_TIDAK)
    threshold = models.DecimalField(_("ambang"), max_digits=12, decimal_places=2, null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("bobot"), default=1)
    required = models.BooleanField(_("wajib terpenuhi"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indikator kesiapan graduasi")
        verbose_name_plural = _("indikator kesiapan graduasi")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=IndicatorKind.values), name="readinessindicator_kind_known"),
            models.CheckConstraint(
                condition=Q(kind=IndicatorKind.YA_TIDAK) | Q(threshold__isnull=False),
                name="readinessindicator_threshold_for_numbers",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)


class GraduationAssessment(models.Model):
    """A pendamping's assessment of a family's readiness to leave the programme."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="graduation_assessments"
    )
    assessed_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("dinilai oleh"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("tanggal penilaian"))
    # {indicator code: true/false or a number}; only the indicators active at the time.
    answers = models.JSONField(_("jawaban"), default=dict)
    income_per_month = models.PositiveBigIntegerField(_("penghasilan per bulan (Rp)"))
    need_per_month = models.PositiveBigIntegerField(_("kebutuhan per bulan (Rp)"))
    business_type = models.CharField(_("jenis usaha"), max_length=150, blank=True)
    # The KPM's own word: graduasi mandiri is voluntary (RULES.md: Graduation, "some KPM are reluctant").
    kpm_willing = models.BooleanField(_("KPM bersedia graduasi mandiri"), default=False)
    notes = models.TextField(_("catatan"), blank=True)
    # The rule's result at the time of the assessment (``rules.readiness``).
    score = models.PositiveSmallIntegerField(_("skor"))
    min_score = models.PositiveSmallIntegerField(_("skor minimal"))
    met = models.JSONField(_("indikator terpenuhi"), default=list)
    ready = models.BooleanField(_("siap graduasi"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("penilaian kesiapan graduasi")
        verbose_name_plural = _("penilaian kesiapan graduasi")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["household", "-assessed_on"], name="gradassess_household_on")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.household_id} {self.assessed_on}"


class ReasonCategory(models.TextChoices):
    """Why the family leaves (FORMATS.md §4.4: optional reason category)."""

    PENGHASILAN_MENINGKAT = "penghasilan_meningkat", _("Penghasilan keluarga meningkat")
    USAHA_BERKEMBANG = "usaha_berkembang", _("Usaha keluarga berkembang")
    PEKERJAAN_TETAP = "pekerjaan_tetap", _("Anggota keluarga bekerja tetap")
    MERASA_MAMPU = "merasa_mampu", _("Merasa sudah mampu")
    LAINNYA = "lainnya", _("Lainnya")


class ProposalStatus(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    DISETUJUI = "disetujui", _("Disetujui")
    DITOLAK = "ditolak", _("Ditolak")
    DIBATALKAN = "dibatalkan", _("Dibatalkan pengusul")


class GraduationKind(models.TextChoices):
    MANDIRI = "mandiri", _("Graduasi mandiri")


def scan_path(instance: Any, filename: str) -> str:
    """A random name: the uploaded file's own name may carry personal data."""
    return f"graduasi/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:6]}"


class GraduationProposal(models.Model):
    """A proposal of graduasi mandiri for one family, decided by the korkab of its area."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="graduation_proposals"
    )
    assessment = models.ForeignKey(
        GraduationAssessment, verbose_name=_("penilaian"), on_delete=models.PROTECT, related_name="proposals"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=GraduationKind.choices, default=GraduationKind.MANDIRI)
    reason_category = models.CharField(_("kategori alasan"), max_length=30, choices=ReasonCategory.choices, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.DIAJUKAN
    )
    proposed_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("diusulkan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("diusulkan pada"), default=timezone.now)
    # The carer's signed statement (surat pernyataan), its date and its scan.
    statement_signed = models.BooleanField(_("surat pernyataan sudah ditandatangani"), default=False)
    statement_signed_on = models.DateField(_("tanggal tanda tangan"), null=True, blank=True)
    statement_scan = models.FileField(
        _("pindaian surat pernyataan"), storage=scan_storage, upload_to=scan_path, max_length=200, blank=True
    )
    scan_content_type = models.CharField(max_length=40, blank=True)
    decided_by = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_reason = models.CharField(_("alasan penolakan"), max_length=500, blank=True)
    effective_date = models.DateField(_("berlaku sejak"), null=True, blank=True)

    class Meta:
        verbose_name = _("usulan graduasi")
        verbose_name_plural = _("usulan graduasi")
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["status", "-proposed_at"], name="gradproposal_status_at")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values), name="gradproposal_status_known"),
            models.UniqueConstraint(
                fields=["household"], condition=Q(status="diajukan"), name="gradproposal_one_open_per_household"
            ),
            models.CheckConstraint(
                condition=~Q(status="ditolak") | ~Q(decision_reason=""), name="gradproposal_reject_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="disetujui") | Q(decided_by__isnull=False, effective_date__isnull=False),
                name="gradproposal_approved_complete",
            ),
            # Four eyes: the proposer never decides (issue 4).
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="gradproposal_decider_not_proposer",
            ),
            models.CheckConstraint(
                condition=Q(statement_signed=False) | Q(statement_signed_on__isnull=False),
                name="gradproposal_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.household_id}"

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.DIAJUKAN
