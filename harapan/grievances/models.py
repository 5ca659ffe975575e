"""Pengaduan: a case per complaint, its category (with the SLA), and its timeline.

RULES.md "Disbursement and data" names the field problems to record (zero balance, lost card,
forgotten PIN, card swallowed); "People and ratios" gives the pendamping mediation and advocacy.
A case belongs to a family where there is one and always to a desa (the family's, or the place
given for an eligible family not yet registered), so the area roles find it by region code.

The status moves baru -> ditangani -> selesai, or to ditutup (not a PKH matter, a duplicate) from
baru or ditangani; a finished case can be reopened (rules.TRANSITIONS). Every step is a
``GrievanceAction`` row and an audit event. A case about a pendamping (``about_pendamping``) is
never shown to that pendamping (selectors.grievances_visible).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules


class GrievanceStatus(models.TextChoices):
    BARU = "baru", _("Baru")
    DITANGANI = "ditangani", _("Ditangani")
    SELESAI = "selesai", _("Selesai")
    DITUTUP = "ditutup", _("Ditutup")


class LodgedByKind(models.TextChoices):
    KPM = "kpm", _("KPM")
    PENDAMPING = "pendamping", _("Pendamping")
    MASYARAKAT = "masyarakat", _("Masyarakat")
    APARAT_DESA = "aparat_desa", _("Aparat desa")
    LAINNYA = "lainnya", _("Lainnya")


class Channel(models.TextChoices):
    LANGSUNG = "langsung", _("Langsung (tatap muka)")
    TELEPON = "telepon", _("Telepon")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SURAT = "surat", _("Surat")
    P2K2 = "p2k2", _("Pertemuan P2K2")
    LAINNYA = "lainnya", _("Lainnya")


class ActionKind(models.TextChoices):
    DIBUAT = "dibuat", _("Pengaduan dicatat")
    DITANGANI = "ditangani", _("Mulai ditangani")
    CATATAN = "catatan", _("Catatan")
    DIESKALASI = "dieskalasi", _("Dieskalasi ke korkab")
    DISELESAIKAN = "diselesaikan", _("Diselesaikan")
    DITUTUP = "ditutup", _("Ditutup")
    DIBUKA_KEMBALI = "dibuka_kembali", _("Dibuka kembali")


class GrievanceCategory(models.Model):
    """A kind of complaint the field meets, with the days allowed to resolve it (reference data
    seeded by migration 0002; the SLA is edited on the categories page, audited)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    sla_days = models.PositiveSmallIntegerField(_("batas waktu penyelesaian (hari)"))
    # A complaint about the conduct of a pendamping: the case names the pendamping, who never sees it.
    about_pendamping = models.BooleanField(_("tentang pendamping"), default=False)
    # A case of this category must name a registered family (not so for "belum terdaftar", "lainnya").
    needs_household = models.BooleanField(_("wajib KPM"), default=True)
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = _("kategori pengaduan")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(sla_days__gte=1), name="grievancecategory_sla_positive"),
        ]

    def __str__(self) -> str:
        return str(self.name)


OPEN_STATUSES = (GrievanceStatus.BARU, GrievanceStatus.DITANGANI)


class Grievance(models.Model):
    number = models.CharField(_("nomor"), max_length=24, unique=True)
    category = models.ForeignKey(
        GrievanceCategory, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="grievances"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("KPM"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grievances",
        db_index=False,  # served by the (household, opened_at) index below
    )
    desa = models.ForeignKey(
        "regions.Region", verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    lodged_by_name = models.CharField(_("nama pelapor"), max_length=150)
    lodged_by_kind = models.CharField(_("pelapor"), max_length=12, choices=LodgedByKind.choices)
    channel = models.CharField(_("saluran"), max_length=12, choices=Channel.choices)
    description = models.TextField(_("uraian pengaduan"))
    status = models.CharField(_("status"), max_length=10, choices=GrievanceStatus.choices, default=GrievanceStatus.BARU)
    opened_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)
    due_at = models.DateTimeField(_("batas waktu"))
    resolved_at = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    # How it was resolved (selesai), or why it was closed (ditutup).
    resolution = models.TextField(_("penyelesaian"), blank=True)
    escalated_at = models.DateTimeField(_("dieskalasi pada"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("dieskalasi ke"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grievances_escalated",
    )
    handler = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("ditangani oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grievances_handled",
    )
    about_pendamping = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("pendamping yang diadukan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grievances_about",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["desa", "status"], name="grievance_desa_status"),
            models.Index(fields=["status", "due_at"], name="grievance_status_due"),
            models.Index(fields=["household", "-opened_at"], name="grievance_household"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=GrievanceStatus.values), name="grievance_status_known"),
            models.CheckConstraint(condition=Q(due_at__gte=F("opened_at")), name="grievance_due_after_opened"),
            # A finished case carries its date and its resolution or reason; an open one neither date.
            models.CheckConstraint(
                condition=~Q(status="selesai") | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="grievance_selesai_resolved",
            ),
            models.CheckConstraint(
                condition=~Q(status="ditutup") | (Q(closed_at__isnull=False) & ~Q(resolution="")),
                name="grievance_ditutup_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["baru", "ditangani"]) | Q(resolved_at__isnull=True, closed_at__isnull=True),
                name="grievance_open_not_finished",
            ),
            models.CheckConstraint(
                condition=Q(escalated_at__isnull=True) | Q(escalated_to__isnull=False),
                name="grievance_escalation_has_target",
            ),
            # The pendamping a case is about never handles it (nor sees it).
            models.CheckConstraint(
                condition=Q(about_pendamping__isnull=True)
                | Q(handler__isnull=True)
                | ~Q(handler=F("about_pendamping")),
                name="grievance_subject_not_handler",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_at(self, now: dt.datetime) -> bool:
        return rules.is_overdue(status=self.status, due_at=self.due_at, now=now)

    @property
    def is_overdue(self) -> bool:
        """Open and past its due time now (RULES.md: Disbursement and data; ``rules.is_overdue``)."""
        return self.overdue_at(timezone.now())

    @property
    def finished_at(self) -> dt.datetime | None:
        return self.resolved_at or self.closed_at


class GrievanceAction(models.Model):
    """One step of a case's timeline: who did what, when, and the status before and after."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="actions", db_index=False)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("tindakan"), max_length=16, choices=ActionKind.choices)
    note = models.TextField(_("catatan"), blank=True)
    status_before = models.CharField(_("status sebelum"), max_length=10, choices=GrievanceStatus.choices, blank=True)
    status_after = models.CharField(_("status sesudah"), max_length=10, choices=GrievanceStatus.choices, blank=True)

    class Meta:
        verbose_name = _("tindakan pengaduan")
        verbose_name_plural = _("tindakan pengaduan")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["grievance", "at"], name="grievanceaction_case_at")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActionKind.values), name="grievanceaction_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.grievance_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
