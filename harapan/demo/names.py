"""Word lists for the synthetic demo district: Madurese-Javanese names as they appear in East Java
KK records (Bondowoso is Madurese-Javanese, seed 000), dusun names, schools, occupations.

Synthetic only: any likeness to a real person is chance.
"""

from __future__ import annotations

import random

# People born before ~1990: the names of today's parents and grandparents.
MALE_OLD = (
    "Sutrisno", "Slamet", "Suparman", "Supriadi", "Sugianto", "Sahwi", "Holil", "Marsuki", "Matrawi",
    "Busiri", "Subairi", "Jumadi", "Misnadin", "Asmuni", "Hasan", "Hosen", "Samsul", "Rofiq", "Imam",
    "Arifin", "Sunarto", "Suwito", "Mistar", "Sukarto", "Munawi", "Saiful", "Fathor", "Mursidi", "Nurhadi",
    "Zainal", "Rasyid", "Mahfud", "Jufri", "Salim", "Sujak", "Ruslan", "Hariyanto", "Ponidi", "Sanawi",
    "Buhari", "Satrawi", "Juhari", "Musleh", "Marzuki", "Hosnan", "Sudarsono", "Bambang", "Wagiman",
    "Tukiran", "Paiman", "Kasmuri", "Sutikno", "Ribut", "Misrawi", "Hamid", "Syamsul", "Badrus", "Kholik",
)  # fmt: skip
FEMALE_OLD = (
    "Sumiati", "Hosnah", "Maryam", "Rahmah", "Sulastri", "Suwarni", "Juwairiyah", "Hatijah", "Munawaroh",
    "Saniyah", "Mistiyah", "Suhartini", "Rukmini", "Sunarsih", "Patimah", "Misnati", "Muzayyanah",
    "Holilah", "Sumarni", "Aminah", "Hasanah", "Jumaati", "Sitti", "Halimah", "Salamah", "Marhamah",
    "Jamilah", "Rohimah", "Sriyati", "Tumini", "Painem", "Kartini", "Suryani", "Mujiati", "Nurhayati",
    "Sumarsih", "Misnawi", "Buhairah", "Satunah", "Asiyah", "Hafsah", "Zaenab", "Ruqayyah", "Maimunah",
    "Sulami", "Umi Kulsum", "Rusmiati", "Masruroh", "Lailatul", "Musyarrofah", "Khotijah", "Suliha",
)  # fmt: skip
# People born from the 1990s: the names of today's children.
MALE_YOUNG = (
    "Rizky", "Dimas", "Rafi", "Alif", "Fajar", "Bayu", "Ilham", "Reza", "Hafiz", "Naufal", "Fikri",
    "Aditya", "Dani", "Rendi", "Yusuf", "Hamzah", "Farhan", "Arya", "Zidan", "Kevin", "Rian", "Aldi",
    "Bagus", "Wahyu", "Akbar", "Firman", "Syahrul", "Dafa", "Rehan", "Haikal", "Alfin", "Fauzan",
    "Ridwan", "Ikhsan", "Nabil", "Rasya", "Gilang", "Angga", "Bima", "Raka",
)  # fmt: skip
FEMALE_YOUNG = (
    "Aisyah", "Nabila", "Zahra", "Putri", "Dewi", "Nurul", "Salsabila", "Intan", "Fitri", "Ayu", "Anisa",
    "Rina", "Safira", "Nadia", "Dinda", "Laila", "Amelia", "Wulan", "Indah", "Novita", "Silvia", "Citra",
    "Riska", "Alya", "Syifa", "Kayla", "Nayla", "Azizah", "Lutfiah", "Khoirunnisa", "Mawar", "Rahma",
    "Dian", "Yuliana", "Erna", "Vina", "Puspita", "Selvi", "Hanifah", "Zulaikha",
)  # fmt: skip
MALE_PREFIX = ("Moh.", "Muhammad", "Abdul", "Ahmad", "Mohammad", "Achmad")
FEMALE_PREFIX = ("Siti", "Nur", "Sri", "Umi")
YOUNG_MALE_SECOND = ("Ramadhan", "Pratama", "Saputra", "Hidayat", "Maulana", "Firmansyah", "Kurniawan", "Setiawan")
YOUNG_FEMALE_SECOND = ("Aprilia", "Lestari", "Rahmawati", "Wulandari", "Safitri", "Nur Aini", "Agustina", "Anggraini")

DUSUN = (
    "Krajan", "Krajan Barat", "Krajan Timur", "Karang Anyar", "Sumber", "Tegal", "Gunung", "Pakis",
    "Leces", "Bedengan", "Bringin", "Tanjung", "Kedung", "Sawahan", "Kebun", "Gardu", "Polay", "Tengah",
    "Duko", "Delima", "Pancoran", "Sukorejo", "Taman", "Jeruk", "Manggis", "Bunder", "Panggung",
    "Tanah Merah", "Curah", "Lojajar", "Sumberanyar", "Paseban", "Karanganom", "Lombok", "Sumbersari",
)  # fmt: skip
STREETS = (
    "Jl. Kartini", "Jl. Diponegoro", "Jl. Imam Bonjol", "Jl. KH. Wahid Hasyim", "Jl. Pattimura",
    "Jl. Letjen Sutoyo", "Jl. Ahmad Yani", "Jl. Mastrip", "Jl. PB. Sudirman", "Jl. Teuku Umar",
)  # fmt: skip
PESANTREN_NAMES = ("Nurul Huda", "Al-Ikhlas", "Nurul Jadid", "Darul Ulum", "Miftahul Ulum", "Al-Falah", "Bustanul Ulum")
POSYANDU_NAMES = ("Melati", "Mawar", "Kenanga", "Anggrek", "Dahlia", "Flamboyan", "Teratai", "Cempaka")

OCCUPATION_MAN = (
    ("Petani", 30), ("Buruh tani", 28), ("Buruh harian lepas", 14), ("Pedagang", 6), ("Peternak", 5),
    ("Sopir", 3), ("Tukang bangunan", 6), ("Wiraswasta", 4), ("Tidak bekerja", 4),
)  # fmt: skip
OCCUPATION_WOMAN = (
    ("Mengurus rumah tangga", 55), ("Buruh tani", 20), ("Petani", 8), ("Pedagang", 8), ("Buruh harian lepas", 5),
    ("Wiraswasta", 4),
)  # fmt: skip
PENDAMPING_TITLES = ("S.Sos.", "S.Pd.", "S.E.", "S.Kom.", "S.P.", "S.H.", "S.Psi.", "")


def person_name(rng: random.Random, sex: str, birth_year: int) -> str:
    """A given name in the style of the person's generation (no family names, as in most KK)."""
    young = birth_year >= 1995 or (birth_year >= 1988 and rng.random() < 0.5)
    if sex == "L":
        if young:
            name = rng.choice(MALE_YOUNG)
            if rng.random() < 0.45:
                name = f"{name} {rng.choice(YOUNG_MALE_SECOND)}"
            if rng.random() < 0.25:
                name = f"{rng.choice(MALE_PREFIX[:2])} {name}"
            return name
        name = rng.choice(MALE_OLD)
        return f"{rng.choice(MALE_PREFIX)} {name}" if rng.random() < 0.3 else name
    if young:
        name = rng.choice(FEMALE_YOUNG)
        if rng.random() < 0.45:
            name = f"{name} {rng.choice(YOUNG_FEMALE_SECOND)}"
        if rng.random() < 0.15:
            name = f"{rng.choice(FEMALE_PREFIX[:2])} {name}"
        return name
    name = rng.choice(FEMALE_OLD)
    return f"{rng.choice(FEMALE_PREFIX)} {name}" if rng.random() < 0.35 else name


def given(name: str) -> str:
    """The name a child's bin/binti refers to: the father's name without a Moh./Abdul prefix."""
    parts = name.split()
    return parts[-1] if len(parts) > 1 and parts[0] in MALE_PREFIX else parts[0]


_CUMULATIVE: dict[int, tuple[list[str], list[int]]] = {}


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    """One value of ``pairs`` (value, weight), drawn by weight (``pairs`` is a module constant)."""
    cached = _CUMULATIVE.get(id(pairs))
    if cached is None:
        values, cum, total = [], [], 0
        for value, w in pairs:
            total += w
            values.append(value)
            cum.append(total)
        cached = _CUMULATIVE[id(pairs)] = (values, cum)
    return rng.choices(cached[0], cum_weights=cached[1])[0]
