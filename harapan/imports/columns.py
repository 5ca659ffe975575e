"""The columns of the KPM import layout (FORMATS.md §6.1), and the names they are also known by."""

from __future__ import annotations

KELUARGA = "KELUARGA"
ART = "ART"

KELUARGA_COLUMNS = (
    "ID_KELUARGA_PKH",
    "IDDTKS",
    "NOKK",
    "KDPROP",
    "KDKAB",
    "KDKEC",
    "KDDESA",
    "KODE_WILAYAH",
    "NMPROP",
    "NMKAB",
    "NMKEC",
    "NMDESA",
    "ALAMAT",
    "DUSUN",
    "RT",
    "RW",
    "ID_PENGURUS",
    "NIK_PENGURUS",
    "NAMA_PENGURUS",
    "NAMA_IBU_KANDUNG_PENGURUS",
    "KELOMPOK",
    "PENDAMPING",
    "BANK",
    "NO_REKENING",
    "NAMA_REKENING",
    "NO_KKS",
    "STATUS_KEPESERTAAN",
    "TGL_STATUS",
    "LAT",
    "LNG",
)

ART_COLUMNS = (
    "ID_KELUARGA_PKH",
    "ID_ART_PKH",
    "IDARTDTKS",
    "NIK",
    "NOKK",
    "NAMA",
    "JNSKEL",
    "TMPLAHIR",
    "TGLLAHIR",
    "HUB_KRT",
    "HUBKEL",
    "NUK",
    "STA_KAWIN",
    "STA_HAMIL",
    "TGL_MULAI_HAMIL",
    "JENIS_CACAT",
    "DISABILITAS_BERAT",
    "PARTISIPASI_SEKOLAH",
    "JENJANG",
    "KELAS",
    "NPSN",
    "NISN",
    "NAMA_SEKOLAH",
    "FASKES",
    "NAMA_IBU_KANDUNG",
    "PEKERJAAN",
    "STA_KEBERADAAN_ART",
    "KOMPONEN",
)

# Required (FORMATS.md §6.1 "required": yes). The region is required too, as KDPROP..KDDESA or
# KODE_WILAYAH; ART.NIK may be empty for a newborn only.
KELUARGA_REQUIRED = (
    "ID_KELUARGA_PKH",
    "NOKK",
    "ALAMAT",
    "ID_PENGURUS",
    "NIK_PENGURUS",
    "NAMA_PENGURUS",
    "STATUS_KEPESERTAAN",
)
REGION_PARTS = ("KDPROP", "KDKAB", "KDKEC", "KDDESA")
ART_REQUIRED = ("NOKK", "NAMA", "JNSKEL", "TGLLAHIR", "HUBKEL")

# Columns a file needs in its header for the layout to be recognised at all.
KELUARGA_HEADER_REQUIRED = ("ID_KELUARGA_PKH", "NOKK", "ALAMAT", "NIK_PENGURUS", "STATUS_KEPESERTAAN")
ART_HEADER_REQUIRED = ("ID_KELUARGA_PKH", "NIK", "NAMA", "TGLLAHIR", "HUBKEL")

# Identity numbers: text, never numbers (FORMATS.md §6 "General rules").
IDENTITY_COLUMNS = frozenset({"NIK", "NOKK", "NIK_PENGURUS", "NO_REKENING", "NO_KKS"})

# The names real DTKS / SIKS-NG / e-PKH files use for the same columns (FORMATS.md §1-2).
ALIASES = {
    "NOPESERTAPKH": "ID_KELUARGA_PKH",
    "ID_KELUARGA": "ID_KELUARGA_PKH",
    "NOARTPKH": "ID_ART_PKH",
    "IDBDT": "IDDTKS",
    "IDARTBDT": "IDARTDTKS",
    "NO_KK": "NOKK",
    "NOMOR_KK": "NOKK",
    "NOMOR_NIK": "NIK",
    "TGL_LAHIR": "TGLLAHIR",
    "TANGGAL_LAHIR": "TGLLAHIR",
    "TMP_LAHIR": "TMPLAHIR",
    "TEMPAT_LAHIR": "TMPLAHIR",
    "JENIS_KELAMIN": "JNSKEL",
    "HUB_KEL": "HUBKEL",
    "HUBUNGAN_KELUARGA": "HUBKEL",
    "NAMA_GADIS_IBU_KANDUNG_PENGURUS": "NAMA_IBU_KANDUNG_PENGURUS",
    "NAMAGADIS_IBUKANDUNG": "NAMA_IBU_KANDUNG",
    "NOREKENING": "NO_REKENING",
    "NOKARTUDEBIT": "NO_KKS",
    "LONG": "LNG",
}


def normalize_header(name: object) -> str:
    """A column name as Harapan reads it: trimmed, upper case, inner spaces as underscores, known
    aliases mapped to the FORMATS.md §6.1 name."""
    text = "" if name is None else str(name)
    text = "_".join(text.replace("\ufeff", "").strip().upper().split())
    return ALIASES.get(text, text)
