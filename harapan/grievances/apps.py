from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    """Pengaduan: complaints from the field (a lost or swallowed KKS card, a forgotten PIN, a zero
    balance, wrong data, an eligible family left out, a pendamping's conduct), each with its SLA,
    escalation to the korkab and a timeline (RULES.md: Disbursement and data, "Field problems to
    record"; People and ratios, the pendamping's "mediation and advocacy")."""

    name = "harapan.grievances"
    label = "grievances"
    verbose_name = _("Pengaduan")

    # Override through settings.HARAPAN["grievances"]. Roles are accounts.Role values.
    defaults: dict[str, Any] = {
        # Days to resolve a case of each category, counted in calendar days from the day it was
        # lodged. The seed migration writes these into GrievanceCategory.sla_days; afterwards the
        # SLA is data, changed on the categories page (SLA_EDIT_ROLES) and audited.
        "SLA_DAYS": {
            "kks_hilang": 14,
            "pin_lupa": 7,
            "kartu_tertelan": 7,
            "saldo_nol": 14,
            "data_salah": 30,
            "belum_terdaftar": 30,
            "perilaku_pendamping": 14,
            "lainnya": 14,
        },
        # Case numbers: "<prefix>-<year lodged>-<serial of the year, 6 digits>".
        "NUMBER_PREFIX": "ADU",
        # Who may lodge a case (within their scope: a pendamping for their own families, or for a
        # family not yet registered in a desa of their kecamatan).
        "LODGE_ROLES": ["pendamping", "korkab", "supervisor", "operator", "dinsos_kab", "dinsos_prov", "ministry"],
        # Who may add a note to a case they can see.
        "NOTE_ROLES": ["pendamping", "korkab", "supervisor", "operator", "dinsos_kab", "dinsos_prov", "ministry"],
        # Who may take, resolve, close and reopen a case: a pendamping only for their own families,
        # the others within their area.
        "HANDLE_ROLES": ["pendamping", "korkab", "dinsos_kab", "dinsos_prov"],
        # A case about a pendamping's conduct is handled above the pendamping level.
        "CONDUCT_HANDLE_ROLES": ["korkab", "dinsos_kab", "dinsos_prov"],
        # Who may escalate an open case to the korkab of its kabupaten/kota.
        "ESCALATE_ROLES": ["pendamping", "korkab", "supervisor", "dinsos_kab", "dinsos_prov"],
        # The role a case is escalated to (one of the kabupaten/kota of the case's desa).
        "ESCALATION_ROLE": "korkab",
        # Who may change a category's SLA.
        "SLA_EDIT_ROLES": ["operator", "korkab", "dinsos_kab", "dinsos_prov", "ministry"],
        # A reopened case gets a new due date (reopened + the category's SLA); otherwise it keeps
        # the first one and is most likely overdue at once.
        "REOPEN_RESTARTS_SLA": True,
        # Cases per page of the list, and on the family page.
        "PAGE_SIZE": 25,
        "FAMILY_BLOCK_LIMIT": 5,
    }
