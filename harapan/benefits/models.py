"""The benefit index: what PKH pays per component per year, and how (RULES.md: Components and
amounts, configurable per year).

A ``BenefitIndex`` is one version of the schedule, in force from ``valid_from`` to ``valid_to``
(open while current). Versions are never edited once in force: a change is a new version from a
date, which closes the one before it (``services.benefit_index_create_version``). Amounts are
whole rupiah in integer columns, never floats.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harapan.registry.rules import Komponen

KOMPONEN_CHOICES = [(k.value, k.value) for k in Komponen]


class BenefitIndex(models.Model):
    """One version of the benefit schedule and the rules that go with its amounts."""

    name = models.CharField(_("nama"), max_length=120, unique=True)
    valid_from = models.DateField(_("berlaku dari"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    citation = models.TextField(_("sumber/dasar hukum"))
    # None: no cap on the number of people counted (the 2007 schedule bounded the total instead).
    person_cap = models.PositiveSmallIntegerField(_("batas orang yang dihitung"), null=True, blank=True)
    fixed_per_year = models.PositiveIntegerField(_("bantuan tetap per keluarga per tahun"))
    fixed_hard_to_reach_per_year = models.PositiveIntegerField(
        _("bantuan tetap daerah sulit dijangkau per keluarga per tahun")
    )
    minimum_per_year = models.PositiveIntegerField(_("minimum per keluarga per tahun"), null=True, blank=True)
    maximum_per_year = models.PositiveIntegerField(_("maksimum per keluarga per tahun"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("menggantikan")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("indeks bantuan")
        verbose_name_plural = _("indeks bantuan")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="benefit_index_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(minimum_per_year__isnull=True)
                | Q(maximum_per_year__isnull=True)
                | Q(minimum_per_year__lte=F("maximum_per_year")),
                name="benefit_index_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(person_cap__isnull=True) | Q(person_cap__gte=1), name="benefit_index_person_cap_positive"
            ),
            # Only the latest version is open; the others were closed by their successor.
            # (a unique index on a constant over the open rows: NULLs are distinct in a plain one)
            models.UniqueConstraint(Value(1), condition=Q(valid_to__isnull=True), name="one_open_index"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_locked(self, today: dt.date | None = None) -> bool:
        """In force today or before: its terms may have been used and are never changed again.
        A version that starts later can still be edited in place (it plays the part of a draft)."""
        return self.valid_from <= (today or timezone.localdate())

    def covers(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def tahap_count(self) -> int:
        """The number of tahap a year: one ``TahapShare`` row each (4 in every seed index)."""
        return len(self.tahap_shares.all())


class BenefitAmount(models.Model):
    """What one component pays per person per year under an index, and how many people of that
    category count at most (per-category cap; empty: no cap). A component with no row is not part
    of the index (e.g. lanjut usia in the 2007 schedule)."""

    index = models.ForeignKey(BenefitIndex, on_delete=models.CASCADE, related_name="amounts")
    komponen = models.CharField(_("komponen"), max_length=20, choices=KOMPONEN_CHOICES)
    amount_per_year = models.PositiveIntegerField(_("per orang per tahun (Rp)"))
    category_cap = models.PositiveSmallIntegerField(_("batas orang dalam kategori"), null=True, blank=True)

    class Meta:
        ordering = ["index", "id"]
        verbose_name = _("besaran komponen")
        verbose_name_plural = _("besaran komponen")
        constraints = [
            models.UniqueConstraint(fields=["index", "komponen"], name="one_amount_per_komponen"),
            models.CheckConstraint(condition=Q(komponen__in=[k.value for k in Komponen]), name="amount_komponen_known"),
            models.CheckConstraint(
                condition=Q(category_cap__isnull=True) | Q(category_cap__gte=1), name="amount_category_cap_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.index} {self.komponen} {self.amount_per_year}"


class TahapShare(models.Model):
    """Tahap ``tahap`` of the year pays ``weight`` parts of the year's amount out of the sum of
    the index's weights (four tahap of weight 1: equal quarters)."""

    index = models.ForeignKey(BenefitIndex, on_delete=models.CASCADE, related_name="tahap_shares")
    tahap = models.PositiveSmallIntegerField(_("tahap"))
    weight = models.PositiveSmallIntegerField(_("bobot"))

    class Meta:
        ordering = ["index", "tahap"]
        verbose_name = _("bagian tahap")
        verbose_name_plural = _("bagian tahap")
        constraints = [
            models.UniqueConstraint(fields=["index", "tahap"], name="one_share_per_tahap"),
            models.CheckConstraint(condition=Q(tahap__gte=1) & Q(weight__gte=1), name="tahap_share_positive"),
        ]


class HardToReachRegion(models.Model):
    """A region (any level) whose families get the hard-to-reach fixed benefit while the period
    lasts (RULES.md: Components and amounts, the 2019 index). A desa is hard to reach when it or
    one of its ancestors is listed."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    valid_from = models.DateField(_("berlaku dari"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    citation = models.CharField(_("dasar penetapan"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["region", "-valid_from"]
        verbose_name = _("daerah sulit dijangkau")
        verbose_name_plural = _("daerah sulit dijangkau")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="hard_to_reach_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["region"], condition=Q(valid_to__isnull=True), name="one_open_hard_to_reach_per_region"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.valid_from}"
