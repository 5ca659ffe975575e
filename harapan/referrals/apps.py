from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Rujukan / komplementaritas: referring families and members to complementary programmes
    (KIS, KIP, BPNT, NIK at Dukcapil, Dinas Koperasi, ...) and recording which programmes each
    family already receives (RULES.md: People and ratios, pendamping duties "ensure complementary
    programmes (BPNT, KIS, KIP)"; Glossary: KIS / KIP / BPNT)."""

    name = "harapan.referrals"
    label = "referrals"
    verbose_name = _("Rujukan program komplementer")

    # Override through settings.HARAPAN["referrals"]. Roles are accounts.Role values; every role acts
    # only on the families of its scope (accounts.scope.household_q).
    defaults: dict[str, Any] = {
        # Who refers a family or member to a programme.
        "REFER_ROLES": ["pendamping", "korkab", "supervisor", "operator", "dinsos_kab"],
        # Who records the provider's answer: accepted (diterima), completed (selesai), refused (ditolak).
        "FOLLOW_UP_ROLES": ["pendamping", "korkab", "supervisor", "operator", "dinsos_kab"],
        # Who records or ends a programme the family already receives.
        "COVERAGE_ROLES": ["pendamping", "korkab", "supervisor", "operator", "dinsos_kab"],
        # Who adds and edits the programmes themselves (reference data).
        "PROGRAMME_ROLES": ["korkab", "dinsos_kab", "dinsos_prov", "ministry"],
        # Referrals are only created for families in the programme (calon, aktif, ditangguhkan).
        "REFER_ONLY_IN_PROGRAMME": True,
    }
