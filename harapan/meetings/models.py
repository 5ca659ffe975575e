"""Monthly group meetings (P2K2), attendance marks per family, and the absence flags raised from
them (RULES.md "P2K2 / FDS curriculum", "Sanctions (configurable ladder)"; issue 3)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    DIRENCANAKAN = "direncanakan", _("Direncanakan")
    TERLAKSANA = "terlaksana", _("Terlaksana")
    DIBATALKAN = "dibatalkan", _("Dibatalkan")


class Mark(models.TextChoices):
    HADIR = "hadir", _("Hadir")
    IZIN = "izin", _("Izin")
    ALPA = "alpa", _("Alpa")


class FlagKind(models.TextChoices):
    PENANGGUHAN = "penangguhan", _("Penangguhan")
    USUL_NON_ELIGIBLE = "usul_non_eligible", _("Usul non-eligible")


class Meeting(models.Model):
    kelompok = models.ForeignKey(
        "groups.Kelompok", verbose_name=_("kelompok"), on_delete=models.PROTECT, related_name="meetings"
    )
    session = models.ForeignKey(
        "p2k2.Session", verbose_name=_("sesi"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_on = models.DateField(_("tanggal"))
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DIRENCANAKAN, db_index=True
    )
    held_by = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("dipandu oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pertemuan")
        verbose_name_plural = _("pertemuan")
        ordering = ["scheduled_on", "pk"]
        indexes = [models.Index(fields=["kelompok", "scheduled_on"], name="meeting_kelompok_date")]

    def __str__(self) -> str:
        return f"{self.kelompok_id} {self.scheduled_on}"


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("pertemuan"), on_delete=models.CASCADE, related_name="attendance"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="attendance"
    )
    mark = models.CharField(_("kehadiran"), max_length=8, choices=Mark.choices)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "household"], name="attendance_one_per_meeting"),
            models.CheckConstraint(condition=~Q(mark="izin") | ~Q(reason=""), name="attendance_izin_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}@{self.meeting_id}: {self.mark}"


class AbsenceFlag(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="absence_flags"
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=FlagKind.choices)
    raised_on = models.DateField(_("dinaikkan pada"))
    lifted_on = models.DateField(_("dicabut pada"), null=True, blank=True)
    meetings = models.ManyToManyField(Meeting, through="AbsenceFlagMeeting", related_name="+")

    class Meta:
        verbose_name = _("tanda ketidakhadiran")
        verbose_name_plural = _("tanda ketidakhadiran")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"], condition=Q(lifted_on__isnull=True), name="absenceflag_one_open_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind} {self.raised_on}"


class AbsenceFlagMeeting(models.Model):
    flag = models.ForeignKey(AbsenceFlag, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["flag", "meeting"], name="absenceflagmeeting_unique")]


class MeetingPhoto(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("pertemuan"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("foto"), upload_to="pertemuan/foto/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("foto pertemuan")
        verbose_name_plural = _("foto pertemuan")
