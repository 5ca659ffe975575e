"""Reading the values of KPM rows: dates, codes, identity numbers, region codes, and the code
lists the columns use (FORMATS.md §1.2, §6 "General rules", §6.1)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from harapan.registry.models import Bank, HouseholdStatus
from harapan.registry.rules import Violation

from .columns import REGION_PARTS

STATUS_NAMES: dict[str, str] = {
    "CALON": HouseholdStatus.CALON,
    "AKTIF": HouseholdStatus.AKTIF,
    "DITANGGUHKAN": HouseholdStatus.DITANGGUHKAN,
    "DITUNDA": HouseholdStatus.DITANGGUHKAN,
    "NON_ELIGIBLE": HouseholdStatus.NON_ELIGIBLE,
    "NON_AKTIF": HouseholdStatus.NON_ELIGIBLE,
    "NONAKTIF": HouseholdStatus.NON_ELIGIBLE,
    "GRADUASI_ALAMIAH": HouseholdStatus.GRADUASI_ALAMIAH,
    "GRADUASI_MANDIRI": HouseholdStatus.GRADUASI_MANDIRI,
}
BANKS = tuple(Bank.values)
SEX_CODES = {"1": "L", "L": "L", "LAKI-LAKI": "L", "2": "P", "P": "P", "PEREMPUAN": "P"}
YES = frozenset({"Y", "YA", "1", "TRUE"})
NO = frozenset({"", "N", "T", "TIDAK", "0", "2", "FALSE"})
# School level from JENJANG: the level itself, its equivalents, or the BDT Pendidikan_tertinggi
# code (FORMATS.md §1.2); "" means enrolled beyond SMA (no PKH component).
SCHOOL_LEVELS = {
    "SD": "SD",
    "SDLB": "SD",
    "MI": "SD",
    "PAKET_A": "SD",
    "1": "SD",
    "2": "SD",
    "3": "SD",
    "SMP": "SMP",
    "SMPLB": "SMP",
    "MTS": "SMP",
    "PAKET_B": "SMP",
    "4": "SMP",
    "5": "SMP",
    "6": "SMP",
    "SMA": "SMA",
    "SMK": "SMA",
    "SMALB": "SMA",
    "MA": "SMA",
    "PAKET_C": "SMA",
    "7": "SMA",
    "8": "SMA",
    "9": "SMA",
    "PT": "",
    "10": "",
}
# Indonesia's bounding box, to catch swapped or mistyped coordinates.
LAT_RANGE = (Decimal("-11.5"), Decimal("6.5"))
LNG_RANGE = (Decimal("94.5"), Decimal("141.5"))

# Column -> (model field, max length) of the plain text columns.
HOUSEHOLD_TEXT = {
    "IDDTKS": ("dtks_id", 25),
    "ALAMAT": ("address", 512),
    "DUSUN": ("dusun", 100),
    "RT": ("rt", 5),
    "RW": ("rw", 5),
    "NO_REKENING": ("account_number", 20),
    "NAMA_REKENING": ("account_name", 150),
    "NO_KKS": ("kks_number", 20),
    "KELOMPOK": ("kelompok_label", 100),
}
MEMBER_TEXT = {
    "ID_ART_PKH": ("art_pkh_id", 50),
    "IDARTDTKS": ("dtks_art_id", 25),
    "NAMA": ("name", 250),
    "TMPLAHIR": ("birth_place", 100),
    "NAMA_IBU_KANDUNG": ("mother_name", 250),
    "PEKERJAAN": ("occupation", 100),
}
MEMBER_CODES = {  # column -> (model field, lowest, highest)
    "STA_KAWIN": ("marital_status", 1, 4),
    "JENIS_CACAT": ("jenis_cacat", 0, 11),
}
SCHOOL_TEXT = {"NPSN": ("npsn", 20), "NISN": ("nisn", 20), "NAMA_SEKOLAH": ("school_name", 200)}

_EXCEL_NUMBER = re.compile(r"^\d+(?:[.,]\d*)?[eE][+-]?\d+$|^\d+[.,]0+$")
_DMY = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")


def text_of(raw: object) -> str:
    if raw is None:
        return ""
    return raw.strip() if isinstance(raw, str) else str(raw).strip()


def cleaned(values: dict[str, Any]) -> dict[str, str]:
    """A row's values as trimmed text (the seeder may hand over numbers or None)."""
    return {k: v.strip() if type(v) is str else text_of(v) for k, v in values.items()}


def parse_date(text: str) -> dt.date:
    """ISO YYYY-MM-DD (a time part is ignored), DD/MM/YYYY or DD-MM-YYYY (FORMATS.md §6)."""
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and (len(text) == 10 or text[10] in " T"):
        return dt.date.fromisoformat(text[:10])
    m = _DMY.match(text)
    if m is None:
        raise ValueError(text)
    return dt.date(int(m[3]), int(m[2]), int(m[1]))


def parse_code(text: str) -> int:
    """A numeric code such as HUBKEL: "1", "01" or a spreadsheet's "1.0"."""
    if text.isdigit():
        return int(text)
    if _EXCEL_NUMBER.match(text) and "e" not in text.lower():
        return int(text.split(".")[0].split(",")[0])
    raise ValueError(text)


def identity_text(text: str) -> str:
    """An identity number as typed: without spaces and without Excel's leading apostrophe."""
    if text.startswith("'"):
        text = text[1:]
    return text.replace(" ", "")


def excel_number_violation(text: str, column: str) -> Violation | None:
    """An identity number that a spreadsheet stored as a number: 3.51101E+15 or 3511010101900001.0.
    Excel keeps only 15 significant digits, so the 16th digit of a NIK or No KK is lost."""
    if _EXCEL_NUMBER.match(text):
        return Violation(
            column,
            "angka_excel",
            f"{column} terbaca sebagai angka ({text}); Excel hanya menyimpan 15 digit sehingga digit terakhir "
            f"hilang. Format kolom {column} sebagai Teks lalu isi ulang nomornya.",
        )
    return None


def region_code_of(values: dict[str, str]) -> tuple[str, str, Violation | None]:
    """The desa code from KODE_WILAYAH or KDPROP/KDKAB/KDKEC/KDDESA (Kemendagri 2+2+2+4 parts,
    FORMATS.md §1.7). Returns (dotted code, column to blame, violation)."""
    full = values.get("KODE_WILAYAH", "")
    parts = [re.sub(r"\D", "", values.get(p, "")) for p in REGION_PARTS]
    from_parts = ""
    if any(parts):
        prop, kab, kec, desa = parts
        if len(kab) == 4 and kab.startswith(prop):
            kab = kab[2:]
        if len(kec) == 6 and kec.startswith(prop + kab):
            kec = kec[4:]
        if len(desa) == 10 and desa.startswith(prop + kab + kec):
            desa = desa[6:]
        if len(kec) == 3 or len(desa) == 3:
            return (
                "",
                "KDKEC" if len(kec) == 3 else "KDDESA",
                Violation(
                    "KDKEC" if len(kec) == 3 else "KDDESA",
                    "kode_wilayah_bps",
                    "Kode kecamatan/desa 3 digit adalah penomoran BPS; gunakan kode Kemendagri "
                    "(kecamatan 2 digit, desa 4 digit), misalnya 35.11.01.2001.",
                ),
            )
        if not (prop and kab and kec and desa) or len(desa) != 4 or max(len(prop), len(kab), len(kec)) > 2:
            return (
                "",
                "KDDESA",
                Violation(
                    "KDDESA",
                    "kode_wilayah_tidak_lengkap",
                    "KDPROP, KDKAB, KDKEC dan KDDESA harus diisi lengkap (2+2+2+4 digit Kemendagri).",
                ),
            )
        from_parts = f"{prop.zfill(2)}.{kab.zfill(2)}.{kec.zfill(2)}.{desa}"
    if full:
        digits = re.sub(r"\D", "", full)
        code = f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}" if len(digits) == 10 else full
        if from_parts and code != from_parts:
            return (
                "",
                "KODE_WILAYAH",
                Violation(
                    "KODE_WILAYAH",
                    "wilayah_tidak_konsisten",
                    f"KODE_WILAYAH {full} tidak sama dengan KDPROP/KDKAB/KDKEC/KDDESA ({from_parts}).",
                ),
            )
        return code, "KODE_WILAYAH", None
    if not from_parts:
        return (
            "",
            "KDDESA",
            Violation("KDDESA", "wajib_diisi", "Wilayah wajib diisi: KDPROP, KDKAB, KDKEC, KDDESA atau KODE_WILAYAH."),
        )
    return from_parts, "KDDESA", None
