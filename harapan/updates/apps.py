from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpdatesConfig(AppConfig):
    name = "harapan.updates"
    label = "updates"
    verbose_name = _("Pemutakhiran data KPM")

    # Override through settings.HARAPAN["updates"]. Roles are accounts.Role values.
    defaults: dict[str, Any] = {
        # RULES.md "Disbursement and data": changes to family data are approved up the chain
        # (korkab -> province -> ministry). Who approves each kind, in order. A new carer changes
        # who is paid ("Payment goes to the carer"), so the province confirms it too.
        "APPROVAL_CHAINS": {
            "kelahiran": ["korkab"],
            "kematian": ["korkab"],
            "masuk_sekolah": ["korkab"],
            "pindah_jenjang": ["korkab"],
            "keluar_sekolah": ["korkab"],
            "kehamilan": ["korkab"],
            "disabilitas_berat": ["korkab"],
            "pindah_alamat": ["korkab"],
            "anggota_keluar": ["korkab"],
            "pengurus_baru": ["korkab", "dinsos_prov"],
            "rekening": ["korkab"],
        },
        # A move out of the kabupaten/kota, and out of the province, goes further up the chain.
        "MOVE_OTHER_KABUPATEN_CHAIN": ["korkab", "dinsos_prov"],
        "MOVE_OTHER_PROVINCE_CHAIN": ["korkab", "dinsos_prov", "ministry"],
        # Who may record an update: a pendamping for their own families, operator and korkab for
        # their kabupaten/kota (issue 3).
        "SUBMIT_ROLES": ["pendamping", "operator", "korkab"],
        # Updates are monthly (RULES.md "Disbursement and data"); an event further back would rewrite
        # components of tahap already paid. Harapan's choice, not a programme rule.
        "MAX_PAST_DAYS": 365,
        # Evidence (a photo of the document): at least one, a few at most, each within a size a
        # phone photo fits.
        "EVIDENCE_MIN": 1,
        "EVIDENCE_MAX": 5,
        "EVIDENCE_MAX_BYTES": 8 * 1024 * 1024,
        # Where evidence files are kept: never under MEDIA_ROOT (which may be served publicly);
        # None means the directory "private" beside MEDIA_ROOT.
        "EVIDENCE_ROOT": None,
    }
