from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    """The tahap run: who is paid how much each tahap, the bank files, reconciliation of the bank's
    results, dana sharing, and graduasi alamiah detected at a tahap cut-off (RULES.md: Disbursement
    and data; Components and amounts; Graduation)."""

    name = "harapan.payroll"
    label = "payroll"
    verbose_name = _("Penyaluran (tahap)")

    # Override through settings.HARAPAN["payroll"].
    defaults = {
        # Families computed and written per transaction: a run killed half-way leaves whole chunks,
        # and running it again replaces every chunk, so the final list is the same.
        "CHUNK_SIZE": 50_000,
        # Who opens and computes a tahap (the operator of a kabupaten; Dinas Sosial provinsi and the
        # ministry for a province-wide or national tahap). The tahap's region must be in their area.
        "OPEN_ROLES": ["operator", "dinsos_prov", "ministry"],
        # Who approves, by the tahap's region level: a second person of Dinas Sosial (issue 4),
        # never the one who opened or computed it.
        "APPROVER_ROLES": {"kabupaten": ["dinsos_kab"], "provinsi": ["dinsos_prov"], "nasional": ["ministry"]},
        # Who issues the files, downloads them and imports the bank's results.
        "ISSUE_ROLES": ["operator", "dinsos_kab", "dinsos_prov", "ministry"],
        "FILE_ROLES": ["operator", "korkab", "dinsos_kab", "dinsos_prov", "ministry"],
        "RESULT_ROLES": ["operator", "dinsos_kab", "dinsos_prov", "ministry"],
        # Family statuses paid on the cut-off date; other statuses in the programme are excluded
        # with their reason (a calon is not paid before validation makes it aktif).
        "PAYABLE_STATUSES": ["aktif"],
        # A non-eligible family is listed as excluded (so the operator sees why it is no longer paid)
        # while its non-eligible status is at most this many days old at the cut-off.
        "NON_ELIGIBLE_LISTED_DAYS": 365,
        # Account statuses that keep a family out of the payment order (RULES.md: Disbursement and
        # data, "active account"), with the exclusion reason. BELUM_ADA is not here: a family without
        # an account gets a line with PERLU_BUREKOL=Y (FORMATS.md §6.2).
        "EXCLUDED_ACCOUNT_STATUSES": {
            "BLOKIR": "rekening_diblokir",
            "DORMANT": "rekening_tidak_aktif",
            "TUTUP": "rekening_tidak_aktif",
        },
        # The bank of a family that has none recorded (its burekol goes there).
        "DEFAULT_BANK": "BRI",
        # Bank results whose unpaid amount is carried to the family's next tahap when their reason
        # code says so (ReasonCode.carry_over).
        "CARRY_STATUSES": ["GAGAL", "RETUR"],
        # STATUS_BUREKOL values of a burekol result that mean the account was opened.
        "BUREKOL_SUCCESS": ["BERHASIL", "SUKSES", "AKTIF", "Y", "OK"],
        # Other banks' burekol result columns mapped to the BSI names (FORMATS.md §6.3).
        "BUREKOL_COLUMN_ALIASES": {
            "NIK_PENGURUS": "NIK",
            "NO_REKENING": "NO_REKENING_COREBSI",
            "NO_REKENING_BARU": "NO_REKENING_COREBSI",
            "NAMA_REKENING": "NAMA_REKENING_COREBSI",
            "CABANG": "NAMA_CABANG",
            "STATUS": "STATUS_BUREKOL",
            "KETERANGAN": "KETERANGAN_BUREKOL",
        },
        # Dana sharing: the district's own APBD co-funding should reach this share of PKH funds
        # (RULES.md: Disbursement and data, "≥ 5%").
        "DANA_SHARING_ROLES": ["dinsos_kab"],
        "DANA_SHARING_TARGET_PERCENT": 5,
        # Rows per page of a tahap's exclusions and of an import's rejects.
        "ROWS_PER_PAGE": 50,
        # Result rows read and written per transaction.
        "RESULT_CHUNK_SIZE": 5000,
    }
