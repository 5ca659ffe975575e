"""Rujukan / komplementaritas: the complementary programmes, the referrals of families and members to
them, and the programmes each family already receives (RULES.md: People and ratios, pendamping duty
"ensure complementary programmes (BPNT, KIS, KIP)"; Glossary: KIS / KIP / BPNT).

A referral moves dirujuk → diterima → selesai, or to ditolak from either open state; completing it
opens the family's ``Coverage`` of the programme in the same transaction. Programmes are data
(seeded by ``0002_seed_programmes``, edited by korkab, Dinas Sosial or the ministry).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProgrammeTarget(models.TextChoices):
    """Whom a programme serves: the whole family (KIS PBI for the KK, BPNT) or one member (KIP)."""

    KELUARGA = "keluarga", _("Keluarga")
    ANGGOTA = "anggota", _("Anggota keluarga")


class Eligibility(models.TextChoices):
    """The rule that suggests a referral (``rules.member_eligible`` / ``rules.family_eligible``)."""

    TIDAK_OTOMATIS = "", _("Tidak disarankan otomatis")
    KELUARGA_PKH = "keluarga_pkh", _("Setiap KPM dalam program")
    USIA_SEKOLAH = "usia_sekolah", _("Anggota usia sekolah")
    NIK_TIDAK_SAH = "nik_tidak_sah", _("Anggota tanpa NIK yang sah")
    LANSIA_DISABILITAS = "lansia_disabilitas", _("Lanjut usia atau disabilitas berat")


class Programme(models.Model):
    """A complementary programme or service a family or member can be referred to."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama program"), max_length=150)
    provider = models.CharField(_("penyelenggara"), max_length=150)
    target = models.CharField(_("sasaran"), max_length=10, choices=ProgrammeTarget.choices)
    eligibility = models.CharField(
        _("aturan saran rujukan"), max_length=30, choices=Eligibility.choices, blank=True, default=""
    )
    hint = models.CharField(_("keterangan kelayakan"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("program komplementer")
        verbose_name_plural = _("program komplementer")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(target__in=ProgrammeTarget.values), name="programme_target_known"),
            models.CheckConstraint(condition=Q(eligibility__in=Eligibility.values), name="programme_eligibility_known"),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def for_members(self) -> bool:
        return self.target == ProgrammeTarget.ANGGOTA


class ReferralStatus(models.TextChoices):
    DIRUJUK = "dirujuk", _("Dirujuk")
    DITERIMA = "diterima", _("Diterima")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak")


OPEN_STATUSES = frozenset({ReferralStatus.DIRUJUK, ReferralStatus.DITERIMA})
CLOSED_STATUSES = frozenset({ReferralStatus.SELESAI, ReferralStatus.DITOLAK})


class Referral(models.Model):
    """A referral of a family (or one of its members) to a programme, and what came of it."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="referrals"
    )
    # Required when the programme serves members; then one of the family's members.
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("anggota"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.DIRUJUK
    )
    referred_on = models.DateField(_("tanggal dirujuk"))
    accepted_on = models.DateField(_("tanggal diterima"), null=True, blank=True)
    closed_on = models.DateField(_("tanggal selesai/ditolak"), null=True, blank=True)
    # What came of it: the card or number issued (selesai) or the reason refused (ditolak).
    outcome = models.CharField(_("hasil"), max_length=500, blank=True)
    referred_by = models.ForeignKey(
        "accounts.Staff", verbose_name=_("dirujuk oleh"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        ordering = ["-referred_on", "-id"]
        indexes = [
            models.Index(fields=["programme", "status"], name="referral_programme_status"),
            models.Index(fields=["household"], name="referral_household"),
            models.Index(fields=["referred_on"], name="referral_referred_on"),
            models.Index(fields=["closed_on"], name="referral_closed_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_known"),
            # One open referral per family, programme and member (two partial indexes: NULL members
            # are never equal in a unique index).
            models.UniqueConstraint(
                fields=["household", "programme"],
                condition=Q(member__isnull=True, status__in=["dirujuk", "diterima"]),
                name="referral_one_open_per_family",
            ),
            models.UniqueConstraint(
                fields=["household", "programme", "member"],
                condition=Q(member__isnull=False, status__in=["dirujuk", "diterima"]),
                name="referral_one_open_per_member",
            ),
            # Each status carries its dates and, once closed, its outcome.
            models.CheckConstraint(
                condition=~Q(status="dirujuk") | Q(accepted_on__isnull=True, closed_on__isnull=True),
                name="referral_dirujuk_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="diterima") | Q(accepted_on__isnull=False, closed_on__isnull=True),
                name="referral_diterima_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="selesai") | Q(accepted_on__isnull=False, closed_on__isnull=False),
                name="referral_selesai_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="ditolak") | Q(closed_on__isnull=False), name="referral_ditolak_dates"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["selesai", "ditolak"]) | ~Q(outcome=""), name="referral_closed_outcome"
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("referred_on")),
                name="referral_accepted_after_referred",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("referred_on")),
                name="referral_closed_after_referred",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(accepted_on__isnull=True) | Q(closed_on__gte=F("accepted_on")),
                name="referral_closed_after_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.programme_id} {self.household_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CoverageSource(models.TextChoices):
    RUJUKAN = "rujukan", _("Hasil rujukan")
    IMPOR = "impor", _("Impor data")
    PENDAMPING = "pendamping", _("Dicatat pendamping")


class Coverage(models.Model):
    """A programme the family (or a member) receives, from ``since`` until ``until`` (inclusive; open
    while null)."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="coverages"
    )
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("anggota"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coverages",
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="coverages"
    )
    since = models.DateField(_("menerima sejak"))
    until = models.DateField(_("sampai"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=12, choices=CoverageSource.choices)
    referral = models.OneToOneField(
        Referral,
        verbose_name=_("rujukan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coverage",
    )
    card_number = models.CharField(_("nomor kartu/kepesertaan"), max_length=60, blank=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    end_reason = models.CharField(_("alasan berakhir"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        verbose_name = _("kepesertaan program komplementer")
        verbose_name_plural = _("kepesertaan program komplementer")
        ordering = ["programme__order", "since", "id"]
        indexes = [
            models.Index(fields=["programme", "until"], name="coverage_programme_until"),
            models.Index(fields=["household"], name="coverage_household"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=CoverageSource.values), name="coverage_source_known"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="coverage_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(referral__isnull=True) | Q(source="rujukan"), name="coverage_referral_source"
            ),
            # One running coverage per family (or member) and programme.
            models.UniqueConstraint(
                fields=["household", "programme"],
                condition=Q(member__isnull=True, until__isnull=True),
                name="coverage_one_open_per_family",
            ),
            models.UniqueConstraint(
                fields=["household", "programme", "member"],
                condition=Q(member__isnull=False, until__isnull=True),
                name="coverage_one_open_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.programme_id} {self.household_id}"

    def covers(self, on: dt.date) -> bool:
        return self.since <= on and (self.until is None or on <= self.until)
