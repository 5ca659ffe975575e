"""The benefit indexes of the sources (RULES.md: Components and amounts), and their loader.

Three versions, each with its citation: the 2007 schedule [seed 002], the 2019 index and the
2021-onward index [public]. Data migration ``benefits.0002`` loads them; the command
``load_benefit_index`` loads any that are missing (e.g. after a test flush). The amounts are data
here, in one place, and in the database after loading: code reads them from ``BenefitIndex``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from harapan.registry.rules import Komponen

K = Komponen
# The per-category caps RULES.md names as the default where sources disagree: at most 2
# pregnancies, 2 young children, 1 elderly, 1 severe disability.
DEFAULT_CATEGORY_CAPS: dict[str, int] = {K.IBU_HAMIL: 2, K.ANAK_USIA_DINI: 2, K.LANJUT_USIA: 1, K.DISABILITAS_BERAT: 1}
FOUR_EQUAL_TAHAP = (1, 1, 1, 1)


@dataclass(frozen=True)
class SeedIndex:
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    citation: str
    person_cap: int | None
    fixed: int
    fixed_hard_to_reach: int
    minimum: int | None
    maximum: int | None
    amounts: dict[str, int]
    category_caps: dict[str, int] = field(default_factory=dict)
    tahap_weights: tuple[int, ...] = FOUR_EQUAL_TAHAP


SEED_INDEXES: tuple[SeedIndex, ...] = (
    SeedIndex(
        name="Jadwal PKH 2007",
        valid_from=dt.date(2007, 7, 1),
        valid_to=dt.date(2018, 12, 31),
        citation=(
            'Peluncuran PKH Juli 2007 (Depsos; seed 002, keluargaharapan.com "Sejarah Lahirnya Program '
            'Keluarga Harapan"): bantuan tetap Rp200.000 per keluarga per tahun; pendidikan SD/MI '
            "Rp400.000, SMP/MTs Rp800.000; kesehatan balita Rp800.000, ibu hamil/menyusui Rp800.000; "
            "antara Rp600.000 dan Rp2.200.000 per tahun; disalurkan dalam 4 tahap (per 3 bulan). "
            "Sumber tidak menyebut batas jumlah orang atau batas per kategori: batas maksimum per keluarga "
            "yang membatasi. Balita dihitung sebagai komponen anak usia dini dan ibu menyusui sebagai masa "
            "nifas, sesuai kategori registri. Besaran tahun 2008-2018 tidak ada dalam sumber; jadwal ini "
            "berlaku sampai indeks 2019."
        ),
        person_cap=None,
        fixed=200_000,
        fixed_hard_to_reach=200_000,
        minimum=600_000,
        maximum=2_200_000,
        amounts={K.IBU_HAMIL: 800_000, K.ANAK_USIA_DINI: 800_000, K.ANAK_SD: 400_000, K.ANAK_SMP: 800_000},
    ),
    SeedIndex(
        name="Indeks PKH 2019",
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2020, 12, 31),
        citation=(
            "Indeks bantuan PKH 2019 (pemberitaan publik atas pedoman pelaksanaan PKH 2019): bantuan tetap "
            "Rp550.000 per keluarga per tahun (Rp1.000.000 di daerah sulit dijangkau); ibu hamil dan anak "
            "usia dini Rp2.400.000; anak SD Rp900.000, SMP Rp1.500.000, SMA Rp2.000.000; disabilitas berat "
            "dan lanjut usia Rp2.400.000 per orang per tahun; komponen dihitung untuk paling banyak 4 orang "
            "per keluarga. Batas per kategori (2 ibu hamil, 2 anak usia dini, 1 lanjut usia, 1 disabilitas "
            "berat) adalah bawaan Harapan karena sumber berbeda. Tahun 2020 tidak disebut dalam sumber; "
            "indeks ini berlaku sampai indeks 2021."
        ),
        person_cap=4,
        fixed=550_000,
        fixed_hard_to_reach=1_000_000,
        minimum=None,
        maximum=None,
        amounts={
            K.IBU_HAMIL: 2_400_000,
            K.ANAK_USIA_DINI: 2_400_000,
            K.ANAK_SD: 900_000,
            K.ANAK_SMP: 1_500_000,
            K.ANAK_SMA: 2_000_000,
            K.DISABILITAS_BERAT: 2_400_000,
            K.LANJUT_USIA: 2_400_000,
        },
        category_caps=DEFAULT_CATEGORY_CAPS,
    ),
    SeedIndex(
        name="Indeks PKH 2021",
        valid_from=dt.date(2021, 1, 1),
        valid_to=None,
        citation=(
            "Indeks bantuan PKH 2021 dan seterusnya (pemberitaan publik atas Permensos 1/2018 dan pedoman "
            "pelaksanaan PKH 2021): per orang per tahun ibu hamil/nifas Rp3.000.000, anak usia dini (0-6) "
            "Rp3.000.000, anak SD Rp900.000, SMP Rp1.500.000, SMA Rp2.000.000, disabilitas berat "
            "Rp2.400.000, lanjut usia Rp2.400.000; satu tahap = seperempat besaran setahun; tanpa bantuan "
            "tetap; komponen dihitung untuk paling banyak 4 orang per keluarga. Batas per kategori (2 ibu "
            "hamil, 2 anak usia dini, 1 lanjut usia, 1 disabilitas berat) adalah bawaan Harapan karena "
            "sumber berbeda."
        ),
        person_cap=4,
        fixed=0,
        fixed_hard_to_reach=0,
        minimum=None,
        maximum=None,
        amounts={
            K.IBU_HAMIL: 3_000_000,
            K.ANAK_USIA_DINI: 3_000_000,
            K.ANAK_SD: 900_000,
            K.ANAK_SMP: 1_500_000,
            K.ANAK_SMA: 2_000_000,
            K.DISABILITAS_BERAT: 2_400_000,
            K.LANJUT_USIA: 2_400_000,
        },
        category_caps=DEFAULT_CATEGORY_CAPS,
    ),
)


def load_benefit_indexes(benefit_index: Any, benefit_amount: Any, tahap_share: Any) -> list[str]:
    """Create the seed indexes that are missing (by name), oldest first; returns their names.

    Takes the model classes so the data migration can pass its historical models."""
    existing = {i.name: i for i in benefit_index.objects.all()}
    loaded: list[str] = []
    previous = None
    for seed in SEED_INDEXES:
        if seed.name in existing:
            previous = existing[seed.name]
            continue
        # A version the ministry made later ends the seed's period, as it would have when created.
        later = benefit_index.objects.filter(valid_from__gt=seed.valid_from).order_by("valid_from").first()
        valid_to = seed.valid_to
        if later is not None and (valid_to is None or valid_to >= later.valid_from):
            valid_to = later.valid_from - dt.timedelta(days=1)
        previous = index = benefit_index.objects.create(
            name=seed.name,
            valid_from=seed.valid_from,
            valid_to=valid_to,
            citation=seed.citation,
            person_cap=seed.person_cap,
            fixed_per_year=seed.fixed,
            fixed_hard_to_reach_per_year=seed.fixed_hard_to_reach,
            minimum_per_year=seed.minimum,
            maximum_per_year=seed.maximum,
            supersedes=previous,
        )
        benefit_amount.objects.bulk_create(
            benefit_amount(
                index=index,
                komponen=str(k),
                amount_per_year=amount,
                category_cap=seed.category_caps.get(k),
            )
            for k, amount in seed.amounts.items()
        )
        tahap_share.objects.bulk_create(
            tahap_share(index=index, tahap=n, weight=w) for n, w in enumerate(seed.tahap_weights, start=1)
        )
        loaded.append(seed.name)
    return loaded


def unload_benefit_indexes(benefit_index: Any) -> None:
    seeds = benefit_index.objects.filter(name__in=[s.name for s in SEED_INDEXES])
    seeds.update(supersedes=None)
    seeds.delete()
