"""Precomputed dashboard figures (issue 5: "precomputed aggregates where needed, always consistent
with the underlying records").

``Figure``: one number of one area, metric and period. Figures are computed set-based for every
desa with data, split by the families' pendamping into *cells* (desa × pendamping), and rolled up:
a pendamping's figures are the sum of their cells, a kecamatan's the sum of its desa (plus the
pendamping count of its staff), and so on to the province and the nation (area ``""``). A
dashboard read is the rows of one area and of its children, found by exact ``area`` / ``parent``
look-ups. Ratios are stored as numerator and denominator and divided on display.

``FigureArea``: when an area's figures were last written, and the date the components were
computed on (they depend on age, so they age by the day).

``StaleArea``: a change to the records behind the figures (read from the audit trail, see
``stale.py``) marks the desa or region it touched; a dashboard read refreshes the marks inside
what it shows before it reads (``services.stale_refresh_for``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.IntegerChoices):
    NASIONAL = 0, _("Nasional")
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")
    PENDAMPING = 5, _("Pendamping")
    # The families of one pendamping in one desa: what a pendamping's figures are summed from.
    SEL = 6, _("Desa × pendamping")


class Figure(models.Model):
    # "" (national), a region code ("35.11.01.2001"), "p:<staff id>" or "c:<desa>:<staff id>".
    area = models.CharField(_("wilayah"), max_length=32)
    kind = models.PositiveSmallIntegerField(_("jenis"), choices=AreaKind.choices)
    # The region above (a pendamping's: the kecamatan of their working area; a cell's: its desa).
    parent = models.CharField(_("induk"), max_length=32, blank=True)
    pendamping_id = models.IntegerField(_("pendamping"), null=True, blank=True)
    # A metric key (``metrics.METRICS``), or a dynamic one carrying codes after its prefix
    # ("aduan_kategori_<category>.<status>", "rujukan_program_<programme>.<status>").
    metric = models.CharField(_("ukuran"), max_length=100)
    # The section of records the metric comes from (metrics.SECTIONS): what a refresh replaces.
    section = models.CharField(_("bagian"), max_length=12)
    # "" (as of the computation), "2026" (a year), "2026-03" (a month) or "2026-1" (a tahap).
    period = models.CharField(_("periode"), max_length=7, blank=True)
    value = models.BigIntegerField(_("nilai"))

    class Meta:
        verbose_name = _("angka dasbor")
        verbose_name_plural = _("angka dasbor")
        constraints = [
            models.UniqueConstraint(fields=["area", "metric", "period"], name="figure_one_per_area_metric_period")
        ]
        indexes = [
            models.Index(fields=["parent", "kind"], name="figure_parent_kind"),
            models.Index(fields=["pendamping_id", "kind"], name="figure_pendamping_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.area or 'nasional'} {self.metric} {self.period}: {self.value}"


class FigureArea(models.Model):
    area = models.CharField(_("wilayah"), max_length=32, primary_key=True)
    kind = models.PositiveSmallIntegerField(_("jenis"), choices=AreaKind.choices)
    parent = models.CharField(_("induk"), max_length=32, blank=True)
    computed_at = models.DateTimeField(_("diperbarui"))
    # The date the components (age-dependent) were computed on; an area above a desa takes the
    # oldest of its children.
    components_on = models.DateField(_("komponen per tanggal"))
    # When a background refresh was last queued for this area (one a day at most).
    refresh_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wilayah dasbor")
        verbose_name_plural = _("wilayah dasbor")
        indexes = [models.Index(fields=["parent", "kind"], name="figurearea_parent_kind")]

    def __str__(self) -> str:
        return f"{self.area or 'nasional'} @ {self.computed_at:%Y-%m-%d %H:%M}"


class StaleArea(models.Model):
    """Figures under ``prefix`` (a region code, "" for the nation) of ``section`` ("" = every
    section) no longer match the records: the latest change marked them at ``marked_at``. A refresh
    reads the marks before it computes and deletes each only if ``marked_at`` is still what it read;
    a change marked meanwhile moves ``marked_at`` on (its row lock makes the delete wait for it on
    PostgreSQL), so no change is lost between a refresh's reads and its clean-up."""

    class Cause(models.TextChoices):
        PERUBAHAN = "perubahan", _("Perubahan data")
        HARI_BARU = "hari_baru", _("Hari baru (umur, bulan, tahun)")

    prefix = models.CharField(_("wilayah"), max_length=32)
    section = models.CharField(_("bagian"), max_length=12, blank=True)
    marked_at = models.DateTimeField(_("ditandai"))
    cause = models.CharField(_("sebab"), max_length=10, choices=Cause.choices, default=Cause.PERUBAHAN)
    queued_at = models.DateTimeField(_("diantrekan"), null=True, blank=True)

    class Meta:
        verbose_name = _("wilayah perlu diperbarui")
        verbose_name_plural = _("wilayah perlu diperbarui")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "section", "cause"], name="stalearea_one_per_prefix_section")
        ]

    def __str__(self) -> str:
        return f"{self.prefix or 'nasional'} [{self.section or '*'}] {self.marked_at:%Y-%m-%d %H:%M}"
