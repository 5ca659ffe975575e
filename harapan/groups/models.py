"""Groups (*kelompok*) of families who meet monthly with their pendamping (RULES.md "Glossary",
"P2K2 / FDS curriculum"); a family's membership is dated so every move keeps its history."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Kelompok(models.Model):
    code = models.CharField(_("kode kelompok"), max_length=40, unique=True)
    name = models.CharField(_("nama kelompok"), max_length=150)
    desa = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 4},
    )
    pendamping = models.ForeignKey(
        "accounts.Staff",
        verbose_name=_("pendamping"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kelompok",
    )
    ketua = models.ForeignKey(
        "registry.Member",
        verbose_name=_("ketua kelompok"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kelompok")
        verbose_name_plural = _("kelompok")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def kecamatan_code(self) -> str:
        return str(self.desa_id).rsplit(".", 1)[0]


class GroupMembership(models.Model):
    """A family belongs to a group from ``valid_from`` to ``valid_to`` (inclusive; open when null)."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("KPM"), on_delete=models.CASCADE, related_name="group_memberships"
    )
    kelompok = models.ForeignKey(
        Kelompok, verbose_name=_("kelompok"), on_delete=models.PROTECT, related_name="memberships"
    )
    valid_from = models.DateField(_("berlaku dari"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("keanggotaan kelompok")
        verbose_name_plural = _("keanggotaan kelompok")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="groupmembership_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["household"], condition=Q(valid_to__isnull=True), name="one_open_group_per_household"
            ),
        ]
        indexes = [models.Index(fields=["kelompok", "valid_to"], name="membership_kelompok_open")]

    def __str__(self) -> str:
        return f"{self.household_id} → {self.kelompok_id} ({self.valid_from}–{self.valid_to or ''})"
