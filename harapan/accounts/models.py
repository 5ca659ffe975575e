"""PKH staff: who a user is in the programme, and the region they work in.

Roles follow RULES.md "Glossary" and "People and ratios": pendamping, korkab/korkot,
supervisor, operator/APD, Dinas Sosial (kabupaten/kota and provinsi), ministry (Kemensos).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PENDAMPING = "pendamping", _("Pendamping")
    KORKAB = "korkab", _("Koordinator kabupaten/kota")
    SUPERVISOR = "supervisor", _("Supervisor")
    OPERATOR = "operator", _("Operator/APD")
    DINSOS_KAB = "dinsos_kab", _("Dinas Sosial kabupaten/kota")
    DINSOS_PROV = "dinsos_prov", _("Dinas Sosial provinsi")
    MINISTRY = "ministry", _("Kementerian Sosial")
    # Facilitator training (RULES.md "People and ratios": Facilitator training): staff of a
    # training centre and its facilitators (widyaiswara). They see no families.
    BALAI_DIKLAT = "balai_diklat", _("Balai diklat")
    FASILITATOR = "fasilitator", _("Fasilitator/widyaiswara")


# The region level a role's working area must be (1 provinsi, 2 kabupaten/kota, 3 kecamatan);
# None: the whole country.
ROLE_REGION_LEVEL: dict[str, int | None] = {
    Role.PENDAMPING: 3,
    Role.KORKAB: 2,
    Role.SUPERVISOR: 2,
    Role.OPERATOR: 2,
    Role.DINSOS_KAB: 2,
    Role.DINSOS_PROV: 1,
    Role.MINISTRY: None,
    # The province where the training centre stands (the centre itself: training.CentreStaff).
    Role.BALAI_DIKLAT: 1,
    Role.FASILITATOR: 1,
}


# Roles that work on training, not on families: no household, no region's family data.
NO_FAMILY_ROLES: frozenset[str] = frozenset({Role.BALAI_DIKLAT, Role.FASILITATOR})


# Who may import KPM files (issue 2: operator/APD, korkab, Dinas Sosial kabupaten/provinsi, ministry).
IMPORT_ROLES: frozenset[str] = frozenset({Role.OPERATOR, Role.KORKAB, Role.DINSOS_KAB, Role.DINSOS_PROV, Role.MINISTRY})


class Staff(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah kerja"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("petugas")
        verbose_name_plural = _("petugas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="ministry") | models.Q(region__isnull=False),
                name="staff_region_required_below_ministry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    @property
    def can_import(self) -> bool:
        return self.role in IMPORT_ROLES
