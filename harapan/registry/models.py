"""The family registry: KPM households, their members, and the dated facts that make components.

Facts that change over time (pregnancy, school enrolment, severe disability, status) carry
``valid_from``/``valid_to`` so the components of a family on any past date can be recomputed
(STYLE.md: Invariants). Components themselves are never stored: ``rules.member_components``
derives them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class HouseholdStatus(models.TextChoices):
    """Family status (issue 2; FORMATS.md §2 "Family status values")."""

    CALON = "calon", _("Calon")
    AKTIF = "aktif", _("Aktif")
    DITANGGUHKAN = "ditangguhkan", _("Ditangguhkan")
    NON_ELIGIBLE = "non_eligible", _("Non-eligible")
    GRADUASI_ALAMIAH = "graduasi_alamiah", _("Graduasi alamiah")
    GRADUASI_MANDIRI = "graduasi_mandiri", _("Graduasi mandiri")


# Statuses in which a family is still in the programme and holds its members' NIKs.
IN_PROGRAMME = frozenset({HouseholdStatus.CALON, HouseholdStatus.AKTIF, HouseholdStatus.DITANGGUHKAN})


class Bank(models.TextChoices):
    """Himbara banks that pay PKH (RULES.md: Glossary)."""

    BRI = "BRI", "BRI"
    BNI = "BNI", "BNI"
    MANDIRI = "MANDIRI", "Mandiri"
    BTN = "BTN", "BTN"
    BSI = "BSI", "BSI"


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Relationship(models.IntegerChoices):
    """Relationship to the head of family (Hubkel / Hub_KRT codes, FORMATS.md §1.2)."""

    KEPALA = 1, _("Kepala keluarga")
    PASANGAN = 2, _("Istri/suami")
    ANAK = 3, _("Anak")
    MENANTU = 4, _("Menantu")
    CUCU = 5, _("Cucu")
    ORANG_TUA = 6, _("Orang tua/mertua")
    PEMBANTU = 7, _("Pembantu rumah tangga")
    LAINNYA = 8, _("Lainnya")


class Presence(models.IntegerChoices):
    """Member presence (Sta_keberadaan_art, FORMATS.md §1.2)."""

    TINGGAL = 1, _("Tinggal di rumah tangga")
    MENINGGAL = 2, _("Meninggal")
    PINDAH = 3, _("Pindah")
    BARU = 4, _("Anggota baru")
    KESALAHAN = 5, _("Kesalahan prelist")
    TIDAK_DITEMUKAN = 6, _("Tidak ditemukan")


PRESENT = frozenset({Presence.TINGGAL, Presence.BARU})


class SchoolLevel(models.TextChoices):
    SD = "SD", "SD"
    SMP = "SMP", "SMP"
    SMA = "SMA", "SMA"


class Household(models.Model):
    """A KPM: one PKH family (one Kartu Keluarga)."""

    pkh_id = models.CharField(_("ID keluarga PKH"), max_length=50, unique=True)
    dtks_id = models.CharField(_("ID DTKS"), max_length=25, blank=True, db_index=True)
    no_kk = models.CharField(_("No KK"), max_length=16, db_index=True)
    desa = models.ForeignKey(
        "regions.Region", verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("alamat"), max_length=512)
    dusun = models.CharField(_("dusun"), max_length=100, blank=True)
    rt = models.CharField(_("RT"), max_length=5, blank=True)
    rw = models.CharField(_("RW"), max_length=5, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=HouseholdStatus.choices, default=HouseholdStatus.CALON
    )
    status_since = models.DateField(_("status sejak"))
    pendamping = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("pendamping"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    kelompok_label = models.CharField(_("kelompok (impor)"), max_length=100, blank=True)
    bank = models.CharField(_("bank"), max_length=10, choices=Bank.choices, blank=True)
    account_number = models.CharField(_("nomor rekening"), max_length=20, blank=True)
    account_name = models.CharField(_("nama rekening"), max_length=150, blank=True)
    kks_number = models.CharField(_("nomor KKS"), max_length=20, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("KPM")
        verbose_name_plural = _("KPM")
        indexes = [
            models.Index(fields=["desa", "status"], name="household_desa_status"),
            models.Index(fields=["pendamping", "status"], name="household_pendamping_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=HouseholdStatus.values), name="household_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.pkh_id}"

    @property
    def in_programme(self) -> bool:
        return self.status in IN_PROGRAMME


class Member(models.Model):
    """An anggota keluarga: a person in a KPM household."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    art_pkh_id = models.CharField(_("ID ART PKH"), max_length=50, blank=True)
    dtks_art_id = models.CharField(_("ID ART DTKS"), max_length=25, blank=True)
    # Empty only for a newborn not yet registered at Dukcapil (FORMATS.md §6.1).
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, db_index=True)
    no_kk = models.CharField(_("No KK"), max_length=16)
    name = models.CharField(_("nama"), max_length=250, db_index=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    relationship = models.PositiveSmallIntegerField(_("hubungan keluarga"), choices=Relationship.choices)
    marital_status = models.PositiveSmallIntegerField(_("status kawin"), null=True, blank=True)
    mother_name = models.CharField(_("nama ibu kandung"), max_length=250, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    jenis_cacat = models.PositiveSmallIntegerField(_("jenis cacat (DTKS)"), null=True, blank=True)
    is_carer = models.BooleanField(_("pengurus"), default=False)
    presence = models.PositiveSmallIntegerField(_("keberadaan"), choices=Presence.choices, default=Presence.TINGGAL)
    left_on = models.DateField(_("keluar pada"), null=True, blank=True)
    # Present in a household that is in the programme: the NIK is held (one NIK, one household).
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("anggota keluarga")
        verbose_name_plural = _("anggota keluarga")
        ordering = ["relationship", "birth_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["nik"], condition=Q(is_active=True), name="one_active_household_per_nik"),
            models.UniqueConstraint(fields=["household"], condition=Q(is_carer=True), name="one_carer_per_household"),
            models.CheckConstraint(condition=Q(sex__in=["L", "P"]), name="member_sex_l_p"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nik or '-'})"


class DatedFact(models.Model):
    """A fact true from ``valid_from`` to ``valid_to`` (inclusive; open when null), so the family's
    components on any past date can be recomputed (STYLE.md: Invariants)."""

    valid_from = models.DateField(_("berlaku dari"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_dates_ordered",
            )
        ]


class Pregnancy(DatedFact):
    """A pregnancy (ibu hamil) and the nifas period after it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="pregnancies")
    valid_from = models.DateField(_("mulai hamil"))
    valid_to = models.DateField(_("berakhir (persalinan/keguguran)"), null=True, blank=True)


class SchoolEnrolment(DatedFact):
    """Enrolment at a school level; the level comes from enrolment, not age (RULES.md: Components)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="enrolments")
    level = models.CharField(_("jenjang"), max_length=3, choices=SchoolLevel.choices)
    grade = models.PositiveSmallIntegerField(_("kelas"), null=True, blank=True)
    npsn = models.CharField(_("NPSN"), max_length=20, blank=True)
    nisn = models.CharField(_("NISN"), max_length=20, blank=True)
    school_name = models.CharField(_("nama sekolah"), max_length=200, blank=True)


class DisabilityAssessment(DatedFact):
    """The pendamping's assessment of severe disability (FORMATS.md §1.6: not one DTKS column)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="disabilities")
    severe = models.BooleanField(_("disabilitas berat"), default=True)


class HouseholdStatusPeriod(DatedFact):
    """A period in one status: the dated history of a family's status."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=20, choices=HouseholdStatus.choices)
    valid_from = models.DateField(_("sejak"))
    valid_to = models.DateField(_("sampai"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)

    class Meta:
        ordering = ["household", "valid_from", "id"]
        constraints = [
            *DatedFact.Meta.constraints,
            models.UniqueConstraint(
                fields=["household"], condition=Q(valid_to__isnull=True), name="one_open_status_period"
            ),
        ]
