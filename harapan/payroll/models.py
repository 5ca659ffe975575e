"""The tahap payroll: a tahap run for a region, its payment lines and exclusions, the bank's
results, account statuses, field reason codes and the district's dana sharing (RULES.md:
Disbursement and data; FORMATS.md §3, §6.2, §6.3).

Invariants the database holds itself (STYLE.md: Invariants):
- one household has at most one non-cancelled payment line per (year, tahap number), whatever
  tahap row (a province's and a kabupaten's overlap) made it: a re-run or a race cannot pay twice;
- a line's NOMINAL is its entitlement plus the arrears carried into it; amounts are whole rupiah.

Lines and exclusions refer to their tahap, family and desa without a database foreign-key
constraint (``db_constraint=False``): a run writes a million of them at once, and PostgreSQL
checks a foreign key row by row at commit, locking (and so rewriting) every family's row — a
third of the run's time on the bench. They are written from a join on those very rows in the same
transaction, and Django's collector still applies PROTECT / CASCADE when a family or tahap is
deleted through the ORM.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class TahapStatus(models.TextChoices):
    """dibuka → dihitung → disetujui → diterbitkan → direkonsiliasi (or dibatalkan)."""

    DIBUKA = "dibuka", _("Dibuka")
    DIHITUNG = "dihitung", _("Dihitung")
    DISETUJUI = "disetujui", _("Disetujui")
    DITERBITKAN = "diterbitkan", _("Berkas diterbitkan")
    DIREKONSILIASI = "direkonsiliasi", _("Direkonsiliasi")
    DIBATALKAN = "dibatalkan", _("Dibatalkan")


# Lines of a tahap in these statuses are frozen: never recomputed, only marked by the bank's results.
FROZEN = frozenset({TahapStatus.DISETUJUI, TahapStatus.DITERBITKAN, TahapStatus.DIREKONSILIASI})
ISSUED = frozenset({TahapStatus.DITERBITKAN, TahapStatus.DIREKONSILIASI})


class RunState(models.TextChoices):
    IDLE = "idle", _("Belum dihitung")
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class Tahap(models.Model):
    """One disbursement of one year for one region: a kabupaten/kota, a province, or the whole
    country (``region`` empty)."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("tahap ke"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosong: seluruh Indonesia."),
    )
    cut_off = models.DateField(_("tanggal cut-off"))
    status = models.CharField(_("status"), max_length=16, choices=TahapStatus.choices, default=TahapStatus.DIBUKA)
    benefit_index = models.ForeignKey(
        "benefits.BenefitIndex", verbose_name=_("indeks bantuan"), on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Whoever last computed the list: with the opener, the people who may not approve it.
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("dibuka"), auto_now_add=True)
    computed_at = models.DateTimeField(_("dihitung"), null=True, blank=True)
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    issued_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("direkonsiliasi"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)
    # The computation job.
    run_state = models.CharField(_("perhitungan"), max_length=10, choices=RunState.choices, default=RunState.IDLE)
    run_total = models.PositiveIntegerField(_("keluarga di wilayah"), null=True, blank=True)
    run_done = models.PositiveIntegerField(_("keluarga diproses"), default=0)
    run_started_at = models.DateTimeField(null=True, blank=True)
    run_finished_at = models.DateTimeField(null=True, blank=True)
    run_error = models.TextField(_("galat"), blank=True)
    # Counters of the last complete computation.
    families_count = models.PositiveIntegerField(_("keluarga dalam snapshot"), default=0)
    lines_count = models.PositiveIntegerField(_("baris bayar"), default=0)
    lines_amount = models.PositiveBigIntegerField(_("jumlah nominal"), default=0)
    arrears_amount = models.PositiveBigIntegerField(_("tunggakan dibawa"), default=0)
    burekol_count = models.PositiveIntegerField(_("perlu burekol"), default=0)
    excluded_count = models.PositiveIntegerField(_("keluarga dikecualikan"), default=0)
    alamiah_count = models.PositiveIntegerField(_("graduasi alamiah"), default=0)
    alamiah_applied = models.PositiveIntegerField(_("status graduasi alamiah diterapkan"), default=0)

    class Meta:
        ordering = ["-year", "-number", "-id"]
        verbose_name = _("tahap")
        verbose_name_plural = _("tahap")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="tahap_number_positive"),
            models.CheckConstraint(condition=Q(status__in=TahapStatus.values), name="tahap_status_known"),
            # One live tahap per region, year and number (overlapping regions are allowed: the
            # payment lines' own constraint stops a family being paid twice).
            models.UniqueConstraint(
                F("year"),
                F("number"),
                Coalesce(F("region"), Value("")),
                condition=~Q(status=TahapStatus.DIBATALKAN),
                name="one_live_tahap_per_region",
            ),
        ]

    def __str__(self) -> str:
        return f"Tahap {self.number}/{self.year} {self.region_id or 'nasional'}"

    @property
    def source(self) -> str:
        """The audit-event source of changes this tahap makes to family data."""
        return f"tahap:{self.pk}"

    @property
    def level(self) -> str:
        """nasional, provinsi or kabupaten: the key of the approver roles."""
        if self.region_id is None:
            return "nasional"
        return "provinsi" if "." not in str(self.region_id) else "kabupaten"

    @property
    def region_prefix(self) -> str | None:
        """The desa code prefix of the tahap's families (None: the whole country)."""
        return None if self.region_id is None else f"{self.region_id}."

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN

    @property
    def is_running(self) -> bool:
        return self.run_state in (RunState.QUEUED, RunState.RUNNING)

    @property
    def percent(self) -> int | None:
        if not self.run_total:
            return None
        return min(100, round(100 * self.run_done / self.run_total))


class ReasonCode(models.Model):
    """A field or bank reason for a payment that failed (KODE_ALASAN, FORMATS.md §6.3), seeded with
    the problems of seed 001 (saldo nol, kartu hilang, lupa PIN, kartu tertelan) and seed 004 (NIK
    / No KK tidak padan, rekening tidak aktif). ``carry_over``: an unpaid amount with this reason is
    added to the family's next tahap (configurable data, not code)."""

    code = models.CharField(_("kode"), max_length=30, primary_key=True)
    label = models.CharField(_("uraian"), max_length=120)
    carry_over = models.BooleanField(_("dibawa ke tahap berikut"), default=False)
    source = models.CharField(_("sumber"), max_length=60, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kode alasan")
        verbose_name_plural = _("kode alasan")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class SalurStatus(models.TextChoices):
    """STATUS_SALUR of a bank result (FORMATS.md §6.3)."""

    SALUR = "SALUR", _("Tersalur")
    BELUM_SALUR = "BELUM_SALUR", _("Belum salur")
    GAGAL = "GAGAL", _("Gagal")
    RETUR = "RETUR", _("Retur ke kas negara")


class AccountState(models.TextChoices):
    """STATUS_REKENING of a bank result (FORMATS.md §6.3)."""

    AKTIF = "AKTIF", _("Aktif")
    BLOKIR = "BLOKIR", _("Diblokir")
    DORMANT = "DORMANT", _("Dormant")
    TUTUP = "TUTUP", _("Ditutup")
    BELUM_ADA = "BELUM_ADA", _("Belum ada")


class ResultImport(models.Model):
    """One bank file brought back for a tahap: a result file (§6.3) or a burekol result."""

    class Kind(models.TextChoices):
        HASIL = "hasil", _("Hasil penyaluran")
        BUREKOL = "burekol", _("Hasil burekol")

    class State(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    tahap = models.ForeignKey(Tahap, on_delete=models.PROTECT, related_name="result_imports")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.HASIL)
    bank = models.CharField(_("bank"), max_length=10)
    file = models.FileField(_("berkas"), upload_to="payroll/%Y/%m/")
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(_("baris di berkas"), null=True, blank=True)
    rows_seen = models.PositiveIntegerField(_("baris dibaca"), default=0)
    rows_applied = models.PositiveIntegerField(_("baris diterapkan"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("baris tanpa perubahan"), default=0)
    rows_rejected = models.PositiveIntegerField(_("baris ditolak"), default=0)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor hasil bank")
        verbose_name_plural = _("impor hasil bank")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} {self.file_name}"

    @property
    def source(self) -> str:
        """The audit-event source: ``bank:<id>`` for a result file, ``burekol:<id>`` for burekol."""
        return f"{'burekol' if self.kind == self.Kind.BUREKOL else 'bank'}:{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_seen / self.rows_total))


class ResultReject(models.Model):
    """One rejected row of a bank file: row, column, rule and why (as the KPM import reports)."""

    result_import = models.ForeignKey(ResultImport, on_delete=models.CASCADE, related_name="rejects")
    row = models.PositiveIntegerField(_("baris"))
    field = models.CharField(_("kolom"), max_length=40, blank=True)
    rule = models.CharField(_("aturan"), max_length=40)
    message = models.CharField(_("pesan"), max_length=500)
    value = models.CharField(_("nilai"), max_length=200, blank=True)
    key = models.CharField(_("ID_SALUR / NIK"), max_length=60, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("baris hasil ditolak")
        verbose_name_plural = _("baris hasil ditolak")


class PaymentLine(models.Model):
    """One family in one tahap's payment order: a snapshot of the carer and account the bank pays
    (FORMATS.md §6.2), the amount, then the bank's result (§6.3)."""

    tahap = models.ForeignKey(
        Tahap, on_delete=models.CASCADE, related_name="lines", db_index=False, db_constraint=False
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="payment_lines", db_constraint=False
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("tahap ke"))
    cancelled = models.BooleanField(_("dibatalkan"), default=False)
    # Unique through a constraint, not ``unique=True``: on PostgreSQL that would add a second
    # (LIKE) index, maintained on every line a run writes, which nothing here needs.
    id_salur = models.CharField(_("ID salur"), max_length=40)
    pkh_id = models.CharField(_("ID keluarga PKH"), max_length=50)
    carer_nik = models.CharField(_("NIK pengurus"), max_length=16)
    carer_name = models.CharField(_("nama pengurus"), max_length=250)
    carer_birth_date = models.DateField(_("tanggal lahir pengurus"))
    carer_mother_name = models.CharField(_("nama ibu kandung pengurus"), max_length=250, blank=True)
    address = models.CharField(_("alamat"), max_length=512)
    desa = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    bank = models.CharField(_("bank"), max_length=10)
    account_number = models.CharField(_("nomor rekening"), max_length=20, blank=True)
    account_name = models.CharField(_("nama rekening"), max_length=150, blank=True)
    kks_number = models.CharField(_("nomor KKS"), max_length=20, blank=True)
    komponen_count = models.PositiveSmallIntegerField(_("jumlah komponen"))
    entitlement = models.PositiveIntegerField(_("hak tahap ini (Rp)"))
    arrears = models.PositiveIntegerField(_("tunggakan dibawa (Rp)"), default=0)
    amount = models.PositiveIntegerField(_("nominal (Rp)"))
    needs_burekol = models.BooleanField(_("perlu burekol"), default=False)
    # The bank's result (FORMATS.md §6.3).
    status_salur = models.CharField(_("status salur"), max_length=12, choices=SalurStatus.choices, blank=True)
    processed_on = models.DateField(_("tanggal proses"), null=True, blank=True)
    reason_code = models.ForeignKey(
        ReasonCode, verbose_name=_("kode alasan"), null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    note = models.CharField(_("keterangan"), max_length=500, blank=True)
    account_status = models.CharField(_("status rekening"), max_length=10, choices=AccountState.choices, blank=True)
    paid_amount = models.PositiveIntegerField(_("dibayar (Rp)"), null=True, blank=True)
    result_import = models.ForeignKey(
        ResultImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # The later tahap whose line paid this line's unpaid amount as arrears.
    carried_to = models.ForeignKey(
        Tahap, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["tahap", "desa", "pkh_id"]
        verbose_name = _("baris bayar")
        verbose_name_plural = _("baris bayar")
        constraints = [
            models.UniqueConstraint(fields=["id_salur"], name="one_line_per_id_salur"),
            models.UniqueConstraint(fields=["tahap", "household"], name="one_line_per_tahap_household"),
            models.UniqueConstraint(
                fields=["household", "year", "number"],
                condition=Q(cancelled=False),
                name="one_payment_per_household_per_tahap",
            ),
            models.CheckConstraint(
                condition=Q(amount=F("entitlement") + F("arrears")), name="line_amount_is_entitlement_plus_arrears"
            ),
        ]

    def __str__(self) -> str:
        return self.id_salur


class ExclusionReason(models.TextChoices):
    """Why a family of the tahap's region is left out of its payment order (RULES.md: Disbursement
    and data, "validation by system"; Sanctions; Graduation)."""

    DITANGGUHKAN = "ditangguhkan", _("Ditangguhkan (sanksi)")
    NON_ELIGIBLE = "non_eligible", _("Non-eligible")
    CALON = "calon", _("Calon KPM, belum aktif")
    PENGURUS_TIDAK_ADA = "pengurus_tidak_ada", _("Pengurus tidak ada")
    NIK_TIDAK_VALID = "nik_tidak_valid", _("NIK pengurus tidak valid")
    KK_TIDAK_VALID = "kk_tidak_valid", _("No KK tidak valid")
    NIK_GANDA = "nik_ganda", _("NIK ganda di dua KPM")
    REKENING_DIBLOKIR = "rekening_diblokir", _("Rekening diblokir")
    REKENING_TIDAK_AKTIF = "rekening_tidak_aktif", _("Rekening tidak aktif (dormant/tutup)")
    TAHAP_LAIN = "tahap_lain", _("Sudah masuk daftar bayar tahap lain")
    GRADUASI_ALAMIAH = "graduasi_alamiah", _("Tidak ada komponen (graduasi alamiah)")


class Exclusion(models.Model):
    """A family of the region left out of a tahap, with one row per reason that applies."""

    tahap = models.ForeignKey(
        Tahap, on_delete=models.CASCADE, related_name="exclusions", db_index=False, db_constraint=False
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="payment_exclusions", db_constraint=False
    )
    reason = models.CharField(_("alasan"), max_length=24, choices=ExclusionReason.choices)
    detail = models.CharField(_("rincian"), max_length=300, blank=True)

    class Meta:
        ordering = ["tahap", "household", "reason"]
        verbose_name = _("KPM dikecualikan")
        verbose_name_plural = _("KPM dikecualikan")
        constraints = [
            models.UniqueConstraint(fields=["tahap", "household", "reason"], name="one_exclusion_per_reason"),
        ]
        indexes = [models.Index(fields=["tahap", "reason"], name="exclusion_tahap_reason")]


class AccountStatus(models.Model):
    """The state of a family's account from the bank's results, dated (valid_from/valid_to): a
    blocked account keeps the family out of the next tahap until a result says it is active again."""

    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE, related_name="account_statuses")
    status = models.CharField(_("status rekening"), max_length=10, choices=AccountState.choices)
    valid_from = models.DateField(_("sejak"))
    valid_to = models.DateField(_("sampai"), null=True, blank=True)
    account_number = models.CharField(_("nomor rekening"), max_length=20, blank=True)
    source = models.CharField(_("sumber"), max_length=40)
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        ordering = ["household", "valid_from", "id"]
        verbose_name = _("status rekening")
        verbose_name_plural = _("status rekening")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="account_status_dates"
            ),
            models.UniqueConstraint(
                fields=["household"], condition=Q(valid_to__isnull=True), name="one_open_account_status"
            ),
            models.CheckConstraint(condition=Q(status__in=AccountState.values), name="account_status_known"),
        ]


class DanaSharing(models.Model):
    """A kabupaten/kota's own APBD co-funding of PKH in a year (RULES.md: Disbursement and data,
    target ≥ 5%)."""

    kabupaten = models.ForeignKey("regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("tahun"))
    apbd_amount = models.PositiveBigIntegerField(_("dana APBD (Rp)"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("dicatat"), auto_now=True)

    class Meta:
        ordering = ["-year", "kabupaten"]
        verbose_name = _("dana sharing")
        verbose_name_plural = _("dana sharing")
        constraints = [models.UniqueConstraint(fields=["kabupaten", "year"], name="one_dana_sharing_per_year")]
