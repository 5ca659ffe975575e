"""Commitment verification: the obligations of each component (data), the monthly record of each
obligation met or not, the sanctions of the ladder with the records behind them, and the runs that
brought records in from school and health facility files (RULES.md "Obligations
(conditionalities)", "Sanctions (configurable ladder)"; FORMATS.md §4.2; issue 4)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harapan.imports.models import RunStatus


class ObligationKind(models.TextChoices):
    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    KESOS = "kesos", _("Kesejahteraan sosial")
    P2K2 = "p2k2", _("P2K2")


class Stage(models.TextChoices):
    """The part of a pregnancy an ibu hamil obligation belongs to."""

    NONE = "", _("—")
    HAMIL = "hamil", _("Hamil")
    PERSALINAN = "persalinan", _("Persalinan")
    NIFAS = "nifas", _("Nifas")


class Frequency(models.TextChoices):
    BULANAN = "bulanan", _("Setiap bulan")
    VITAMIN_A = "vitamin_a", _("Bulan vitamin A")
    TAHUNAN = "tahunan", _("Setahun sekali")


class Measure(models.TextChoices):
    NONE = "", _("Ya/tidak")
    JUMLAH = "jumlah", _("Jumlah kunjungan")
    PERSEN = "persen", _("Persen kehadiran")


class Obligation(models.Model):
    """One commitment of a component (RULES.md "Obligations"), as data: the components and age band
    it applies to, when it is verified, and how it is measured. The thresholds are configuration."""

    code = models.CharField(_("kode"), max_length=40, unique=True)
    label = models.CharField(_("komitmen"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=12, choices=ObligationKind.choices)
    # registry.rules.Komponen values; empty for a family obligation (P2K2).
    components = models.JSONField(_("komponen"), default=list, blank=True)
    household_level = models.BooleanField(_("komitmen keluarga"), default=False)
    stage = models.CharField(_("tahap kehamilan"), max_length=12, choices=Stage.choices, blank=True)
    min_age_months = models.PositiveSmallIntegerField(_("umur minimal (bulan)"), null=True, blank=True)
    max_age_months = models.PositiveSmallIntegerField(_("umur maksimal (bulan)"), null=True, blank=True)
    frequency = models.CharField(_("frekuensi"), max_length=12, choices=Frequency.choices, default=Frequency.BULANAN)
    measure = models.CharField(_("ukuran"), max_length=8, choices=Measure.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)
    citation = models.CharField(_("sumber aturan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("komitmen")
        verbose_name_plural = _("komitmen")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class VerificationPeriod(models.Model):
    """A verification month (its first day). A school file covers three of them (a quarter)."""

    month = models.DateField(_("bulan"), unique=True)

    class Meta:
        verbose_name = _("periode verifikasi")
        verbose_name_plural = _("periode verifikasi")
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def key(self) -> str:
        return f"{self.month:%Y-%m}"


class ObligationRecord(models.Model):
    """One obligation of one member (or, for P2K2, of the family) in one month: met or not, from a
    pendamping's form, a school or health facility file, or the group meetings. A correction
    replaces the values in place; the audit trail keeps the before and after."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="obligation_records"
    )
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("anggota"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligation_records",
    )
    period = models.ForeignKey(
        VerificationPeriod, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="records"
    )
    obligation = models.ForeignKey(
        Obligation, verbose_name=_("komitmen"), on_delete=models.PROTECT, related_name="records"
    )
    met = models.BooleanField(_("memenuhi"))
    value = models.DecimalField(_("nilai"), max_digits=7, decimal_places=2, null=True, blank=True)
    # "form", "file:<run id>" or "meetings".
    source = models.CharField(_("sumber"), max_length=40)
    run = models.ForeignKey(
        "VerificationImportRun",
        verbose_name=_("impor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("catatan komitmen")
        verbose_name_plural = _("catatan komitmen")
        ordering = ["period", "household", "member", "obligation__order"]
        indexes = [models.Index(fields=["household", "period"], name="obligation_record_hh_period")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "obligation", "period"],
                condition=Q(member__isnull=False),
                name="obligation_record_one_per_member_month",
            ),
            models.UniqueConstraint(
                fields=["household", "obligation", "period"],
                condition=Q(member__isnull=True),
                name="obligation_record_one_per_family_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.member_id or '-'} {self.obligation_id} {self.period_id}: {self.met}"


class SanctionLevel(models.TextChoices):
    PERINGATAN = "peringatan", _("Peringatan")
    PENANGGUHAN = "penangguhan", _("Penangguhan")
    PEMBATALAN = "pembatalan", _("Pembatalan (non-eligible)")


# The ladder, lowest first.
LEVEL_ORDER = [SanctionLevel.PERINGATAN, SanctionLevel.PENANGGUHAN, SanctionLevel.PEMBATALAN]


class Confirmation(models.TextChoices):
    TIDAK_PERLU = "tidak_perlu", _("Tidak perlu")
    MENUNGGU = "menunggu", _("Menunggu konfirmasi")
    DIKONFIRMASI = "dikonfirmasi", _("Dikonfirmasi")
    DITOLAK = "ditolak", _("Ditolak")


class LiftReason(models.TextChoices):
    PATUH_KEMBALI = "patuh_kembali", _("Memenuhi komitmen lagi")
    KOREKSI = "koreksi", _("Catatan dikoreksi")
    TANDA_P2K2_DICABUT = "tanda_p2k2_dicabut", _("Tanda tidak hadir P2K2 dicabut")


class Sanction(models.Model):
    """A step of the ladder raised against a family in a verification month, with the records (and
    P2K2 absence flags) behind it; lifted when the family is compliant again or a record behind it
    is corrected. A suspension holds payment (the family's status is ditangguhkan); a cancellation
    makes it non-eligible once confirmed (RULES.md "Sanctions (configurable ladder)")."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="sanctions"
    )
    level = models.CharField(_("tingkat"), max_length=12, choices=SanctionLevel.choices)
    period = models.ForeignKey(
        VerificationPeriod, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="sanctions"
    )
    raised_on = models.DateField(_("dikenakan pada"))
    # Consecutive months not met when raised (0 when raised from a P2K2 flag alone).
    streak = models.PositiveSmallIntegerField(_("bulan berturut-turut"), default=0)
    lifted_on = models.DateField(_("dicabut pada"), null=True, blank=True)
    lifted_period = models.ForeignKey(
        VerificationPeriod,
        verbose_name=_("dicabut pada periode"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lift_reason = models.CharField(_("alasan pencabutan"), max_length=20, choices=LiftReason.choices, blank=True)
    confirmation = models.CharField(
        _("konfirmasi"), max_length=12, choices=Confirmation.choices, default=Confirmation.TIDAK_PERLU
    )
    decided_by = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decision_note = models.CharField(_("catatan keputusan"), max_length=300, blank=True)
    # A suspension holds payment until ``release_by``; lifted by then (or by a correction), the
    # held payment is released.
    release_by = models.DateField(_("dilepas bila patuh sebelum"), null=True, blank=True)
    payment_released = models.BooleanField(_("pembayaran dilepas"), null=True, blank=True)
    records = models.ManyToManyField(ObligationRecord, through="SanctionRecord", related_name="sanctions")
    flags = models.ManyToManyField("meetings.AbsenceFlag", through="SanctionFlag", related_name="+")

    class Meta:
        verbose_name = _("sanksi")
        verbose_name_plural = _("sanksi")
        ordering = ["-period__month", "household", "level"]
        indexes = [models.Index(fields=["household", "lifted_on"], name="sanction_household_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "level"], condition=Q(lifted_on__isnull=True), name="sanction_one_open_per_level"
            ),
            models.CheckConstraint(condition=Q(level__in=SanctionLevel.values), name="sanction_level_known"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.household_id} {self.level} {self.period_id}"

    @property
    def is_open(self) -> bool:
        return self.lifted_on is None

    @property
    def holds_status(self) -> bool:
        """Whether this sanction keeps the family out of aktif: an open suspension, or an open
        cancellation that is confirmed or needs no confirmation."""
        if not self.is_open:
            return False
        if self.level == SanctionLevel.PENANGGUHAN:
            return True
        return self.level == SanctionLevel.PEMBATALAN and self.confirmation in (
            Confirmation.DIKONFIRMASI,
            Confirmation.TIDAK_PERLU,
        )


class SanctionRecord(models.Model):
    sanction = models.ForeignKey(Sanction, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(ObligationRecord, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sanction", "record"], name="sanctionrecord_unique")]


class SanctionFlag(models.Model):
    sanction = models.ForeignKey(Sanction, on_delete=models.CASCADE, related_name="+")
    flag = models.ForeignKey("meetings.AbsenceFlag", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sanction", "flag"], name="sanctionflag_unique")]


class FamilyLadder(models.Model):
    """Where a family stands on the ladder: the last month evaluated and its run of months not met.
    An evaluation of an earlier month than this leaves the family alone."""

    household = models.OneToOneField(
        "registry.Household", primary_key=True, on_delete=models.CASCADE, related_name="ladder"
    )
    period = models.ForeignKey(VerificationPeriod, on_delete=models.PROTECT, related_name="+")
    streak = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("posisi tangga sanksi")
        verbose_name_plural = _("posisi tangga sanksi")


class RunKind(models.TextChoices):
    SEKOLAH = "sekolah", _("Verifikasi pendidikan (sekolah)")
    FASKES = "faskes", _("Verifikasi kesehatan (faskes)")


class VerificationImportRun(models.Model):
    """One school (FORMATS.md §4.2) or health facility file brought in: who, when, what it did."""

    kind = models.CharField(_("jenis berkas"), max_length=10, choices=RunKind.choices)
    file = models.FileField(_("berkas"), upload_to="verifikasi/%Y/%m/", blank=True)
    file_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    npsn = models.CharField(_("NPSN"), max_length=20, blank=True)
    school_name = models.CharField(_("nama sekolah"), max_length=200, blank=True)
    months = models.CharField(_("bulan"), max_length=40, blank=True)
    rows_seen = models.PositiveIntegerField(_("baris dibaca"), default=0)
    records_created = models.PositiveIntegerField(_("catatan baru"), default=0)
    records_updated = models.PositiveIntegerField(_("catatan dikoreksi"), default=0)
    records_unchanged = models.PositiveIntegerField(_("catatan tetap"), default=0)
    rows_rejected = models.PositiveIntegerField(_("baris ditolak"), default=0)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor verifikasi")
        verbose_name_plural = _("impor verifikasi")

    def __str__(self) -> str:
        return f"Verifikasi #{self.pk} {self.file_name}"

    @property
    def source(self) -> str:
        return f"file:{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class VerificationReject(models.Model):
    """A rejected row of a verification file: row, column, rule and why (in Indonesian)."""

    run = models.ForeignKey(VerificationImportRun, on_delete=models.CASCADE, related_name="rejects")
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


class EvaluationRun(models.Model):
    """One evaluation of the ladder for an area and a month, and what it changed."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(VerificationPeriod, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    families = models.PositiveIntegerField(default=0)
    p2k2_records = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)
    lifted = models.PositiveIntegerField(default=0)
    status_changes = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)
