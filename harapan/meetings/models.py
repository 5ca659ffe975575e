"""Monthly group meetings (P2K2), the places they are held, attendance marks per family, and the
absence flags raised from them (RULES.md "P2K2 / FDS curriculum", "Sanctions (configurable
ladder)"; issue 3)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from harapan.conf import setting

from . import rules


def default_start_time() -> dt.time:
    """The configured start time of a new meeting (``HARAPAN["meetings"]["DEFAULT_START_TIME"]``)."""
    return dt.time.fromisoformat(str(setting("meetings", "DEFAULT_START_TIME")))


class VenueKind(models.TextChoices):
    BALAI_DESA = "balai_desa", _("Balai desa/kelurahan")
    RUMAH_ANGGOTA = "rumah_anggota", _("Rumah anggota")
    SEKOLAH = "sekolah", _("Sekolah")
    MASJID_MUSALA = "masjid_musala", _("Masjid/musala")
    LAINNYA = "lainnya", _("Lainnya")


# RULES.md "P2K2 / FDS curriculum", Venue: the four criteria, as (field, label). A venue is layak
# when all hold (rules.venue_failed_criteria).
VENUE_CRITERIA: list[tuple[str, str | Promise]] = [
    ("easy_to_reach", _("mudah dijangkau")),
    ("large_enough", _("cukup luas")),
    ("fit_for_material", _("layak untuk penyampaian materi")),
    ("away_from_busy_places", _("jauh dari jalan ramai, pasar dan sekolah")),
]
LAYAK_Q = Q(**{name: True for name, _label in VENUE_CRITERIA})


class Venue(models.Model):
    """A place where groups meet (tempat pertemuan): a village hall, a member's house, a school..."""

    desa = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 4},
    )
    name = models.CharField(_("nama tempat"), max_length=150)
    kind = models.CharField(_("jenis tempat"), max_length=16, choices=VenueKind.choices)
    address = models.CharField(_("alamat/RT/RW"), max_length=250, blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas (orang)"), null=True, blank=True)
    easy_to_reach = models.BooleanField(_("mudah dijangkau"), default=False)
    large_enough = models.BooleanField(_("cukup luas"), default=False)
    fit_for_material = models.BooleanField(_("layak untuk penyampaian materi"), default=False)
    away_from_busy_places = models.BooleanField(_("jauh dari jalan ramai, pasar dan sekolah"), default=False)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tempat pertemuan")
        verbose_name_plural = _("tempat pertemuan")
        ordering = ["desa_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["desa", "name"], name="venue_name_unique_in_desa"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="venue_coordinates_both_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def failed_criteria(self) -> list[str]:
        """Labels of the RULES.md venue criteria this place does not meet."""
        failed = rules.venue_failed_criteria({name: getattr(self, name) for name, _label in VENUE_CRITERIA})
        labels = dict(VENUE_CRITERIA)
        return [str(labels[name]) for name in failed]

    @property
    def is_layak(self) -> bool:
        return not self.failed_criteria


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
    start_time = models.TimeField(_("jam mulai"), default=default_start_time)
    venue_place = models.ForeignKey(
        Venue, verbose_name=_("tempat"), null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    # Free text: a place not (yet) in the venue list, or one that came with imported meetings.
    venue = models.CharField(_("tempat (teks)"), max_length=200, blank=True)
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
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pertemuan")
        verbose_name_plural = _("pertemuan")
        ordering = ["scheduled_on", "start_time", "pk"]
        indexes = [models.Index(fields=["kelompok", "scheduled_on"], name="meeting_kelompok_date")]
        constraints = [
            # One meeting of a group a day; a cancelled one does not hold the day.
            models.UniqueConstraint(
                fields=["kelompok", "scheduled_on"],
                condition=~Q(status="dibatalkan"),
                name="meeting_one_per_group_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kelompok_id} {self.scheduled_on}"

    @property
    def venue_label(self) -> str:
        return self.venue_place.name if self.venue_place_id and self.venue_place else self.venue


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
