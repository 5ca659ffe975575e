"""The reason codes a bank result or a field report may give for a payment (KODE_ALASAN,
FORMATS.md §6.3), seeded from the field problems of seed 001 and the SP2D validation of seed 004
(RULES.md: Disbursement and data). Loaded by migration ``payroll.0002``; editable data after that.

``carry_over``: the unpaid amount is added to the family's next tahap. Money that never reached
the account (saldo nol) or that the machine kept (kartu tertelan) is owed to the family; a
blocked or inactive account is not carried: the family waits, excluded, until the account is
active again, and the amount returns to the treasury (RETUR).
"""

from __future__ import annotations

from typing import Any

# (code, label, carry over, source)
REASON_CODES: tuple[tuple[str, str, bool, str], ...] = (
    ("SALDO_NOL", "Saldo nol", True, "seed 001"),
    ("KARTU_HILANG", "Kartu hilang", False, "seed 001"),
    ("LUPA_PIN", "Lupa PIN", False, "seed 001"),
    ("KARTU_TERTELAN", "Kartu tertelan", True, "seed 001"),
    ("REKENING_TIDAK_AKTIF", "Rekening tidak aktif", False, "seed 004"),
    ("REKENING_DIBLOKIR", "Rekening diblokir", False, "seed 004"),
    ("NIK_TIDAK_PADAN", "NIK tidak padan", False, "seed 004"),
    ("NOKK_TIDAK_PADAN", "No KK tidak padan", False, "seed 004"),
    ("KPM_MENINGGAL", "Pengurus/KPM meninggal", False, "FORMATS.md §3"),
    ("KPM_TIDAK_DITEMUKAN", "KPM tidak ditemukan", False, "FORMATS.md §3"),
    ("LAINNYA", "Lainnya", False, "Harapan"),
)


def load_reason_codes(model: Any) -> int:
    """Create the seed codes that are missing (an edited code keeps its edits); returns how many."""
    have = set(model.objects.values_list("code", flat=True))
    missing = [
        model(code=code, label=label, carry_over=carry, source=source)
        for code, label, carry, source in REASON_CODES
        if code not in have
    ]
    model.objects.bulk_create(missing)
    return len(missing)
