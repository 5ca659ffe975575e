"""The obligations of each component (RULES.md "Obligations (conditionalities)"), loaded as data by
the migration ``0002_load_obligations``. Codes are Harapan's own; labels are what the pendamping
reads on the form. Age bands are in completed months on the last day of the verified month.

Frequencies: ``bulanan`` every month the component holds; ``vitamin_a`` in the vitamin A months
(setting VITAMIN_A_MONTHS); ``tahunan`` once a year (setting YEARLY_CHECK_MONTH). Stages of a
pregnancy: ``hamil`` while pregnant, ``persalinan`` in the month a recorded pregnancy ended,
``nifas`` in the months of the postnatal period (registry NIFAS_DAYS) after it.
"""

from __future__ import annotations

from typing import Any

SCHOOL = ["anak_sd", "anak_smp", "anak_sma"]
RULE = 'RULES.md "Obligations (conditionalities)"'

OBLIGATIONS: list[dict[str, Any]] = [
    {
        "code": "anc",
        "label": "Pemeriksaan kehamilan (ANC) sesuai jadwal, minimal 4 kali selama kehamilan",
        "kind": "kesehatan",
        "components": ["ibu_hamil"],
        "stage": "hamil",
        "measure": "jumlah",
    },
    {
        "code": "persalinan_nakes",
        "label": "Persalinan ditolong tenaga kesehatan / di fasilitas kesehatan",
        "kind": "kesehatan",
        "components": ["ibu_hamil"],
        "stage": "persalinan",
    },
    {
        "code": "nifas",
        "label": "Pemeriksaan nifas sesuai jadwal (4 kali dalam 42 hari)",
        "kind": "kesehatan",
        "components": ["ibu_hamil"],
        "stage": "nifas",
        "measure": "jumlah",
    },
    {
        "code": "bayi_imunisasi",
        "label": "Imunisasi dasar lengkap sesuai jadwal (0-11 bulan)",
        "kind": "kesehatan",
        "components": ["anak_usia_dini"],
        "min_age_months": 0,
        "max_age_months": 11,
    },
    {
        "code": "bayi_penimbangan",
        "label": "Penimbangan / pemantauan tumbuh kembang bulanan (0-11 bulan)",
        "kind": "kesehatan",
        "components": ["anak_usia_dini"],
        "min_age_months": 0,
        "max_age_months": 11,
    },
    {
        "code": "bayi_vitamin_a",
        "label": "Vitamin A (6-11 bulan)",
        "kind": "kesehatan",
        "components": ["anak_usia_dini"],
        "min_age_months": 6,
        "max_age_months": 11,
        "frequency": "vitamin_a",
    },
    {
        "code": "balita_penimbangan",
        "label": "Penimbangan bulanan di posyandu (12-59 bulan)",
        "kind": "kesehatan",
        "components": ["anak_usia_dini"],
        "min_age_months": 12,
        "max_age_months": 59,
    },
    {
        "code": "balita_vitamin_a",
        "label": "Vitamin A dua kali setahun (12-59 bulan)",
        "kind": "kesehatan",
        "components": ["anak_usia_dini"],
        "min_age_months": 12,
        "max_age_months": 59,
        "frequency": "vitamin_a",
    },
    {
        "code": "balita_imunisasi",
        "label": "Imunisasi lanjutan sesuai jadwal (12-59 bulan)",
        "kind": "kesehatan",
        "components": ["anak_usia_dini"],
        "min_age_months": 12,
        "max_age_months": 59,
    },
    {
        "code": "sekolah_terdaftar",
        "label": "Terdaftar di sekolah (SD/SMP/SMA) atau program kesetaraan",
        "kind": "pendidikan",
        "components": SCHOOL,
    },
    {
        "code": "sekolah_kehadiran",
        "label": "Hadir minimal 85% hari efektif sekolah dalam sebulan",
        "kind": "pendidikan",
        "components": SCHOOL,
        "measure": "persen",
    },
    {
        "code": "lansia_cek_kesehatan",
        "label": "Pemeriksaan kesehatan lanjut usia setahun sekali",
        "kind": "kesos",
        "components": ["lanjut_usia"],
        "frequency": "tahunan",
    },
    {
        "code": "lansia_kegiatan_sosial",
        "label": "Perawatan di rumah / kegiatan sosial lanjut usia",
        "kind": "kesos",
        "components": ["lanjut_usia"],
        "frequency": "tahunan",
    },
    {
        "code": "disabilitas_cek_kesehatan",
        "label": "Pemeriksaan kesehatan penyandang disabilitas berat setahun sekali",
        "kind": "kesos",
        "components": ["disabilitas_berat"],
        "frequency": "tahunan",
    },
    {
        "code": "disabilitas_kegiatan_sosial",
        "label": "Perawatan di rumah / kegiatan sosial penyandang disabilitas berat",
        "kind": "kesos",
        "components": ["disabilitas_berat"],
        "frequency": "tahunan",
    },
    {
        "code": "p2k2_hadir",
        "label": "Hadir pada pertemuan P2K2 bulanan kelompok",
        "kind": "p2k2",
        "household_level": True,
    },
]


def load_obligations(model: Any) -> None:
    """Create the catalogue's obligations that do not exist yet (by code); existing rows, which a
    deployment may have edited, are left as they are."""
    have = set(model.objects.values_list("code", flat=True))
    model.objects.bulk_create(
        [
            model(
                code=o["code"],
                label=o["label"],
                kind=o["kind"],
                components=o.get("components", []),
                household_level=o.get("household_level", False),
                stage=o.get("stage", ""),
                min_age_months=o.get("min_age_months"),
                max_age_months=o.get("max_age_months"),
                frequency=o.get("frequency", "bulanan"),
                measure=o.get("measure", ""),
                order=i * 10,
                citation=RULE,
            )
            for i, o in enumerate(OBLIGATIONS, start=1)
            if o["code"] not in have
        ]
    )


def unload_obligations(model: Any) -> None:
    model.objects.filter(code__in=[o["code"] for o in OBLIGATIONS]).delete()
