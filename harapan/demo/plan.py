"""The shape of a synthetic demo district: who works where, and which groups meet in which desa.

Pure and deterministic (``random.Random(seed)``): the same district, size and seed give the same
plan. The plan is small even for a million families (one entry per pendamping and per group), so
the families themselves can be generated lazily from it (``generator.generate_families``).

Ratios follow the seeds: about 200 families per pendamping (Banjarmasin ≈195, most 150-200,
RULES.md: People and ratios), groups of 15-35 families averaging about 32 (Bondowoso 60,093 KPM in
1,859 kelompok, seed 000; RULES.md: P2K2 / FDS curriculum), each group inside one desa and each
pendamping inside one kecamatan (a pendamping's working area is a kecamatan, accounts.ROLE_REGION_LEVEL).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from . import names

DEFAULT_KABUPATEN = "35.11"  # Kabupaten Bondowoso, Jawa Timur (seed 000)
DEFAULT_FAMILIES = 60_000
DEFAULT_SEED = 2020
FAMILIES_PER_PENDAMPING = 200
PENDAMPING_MIN_FAMILIES = 150
PENDAMPING_MAX_FAMILIES = 350
GROUP_MIN = 15
GROUP_MAX = 35


@dataclass(frozen=True)
class Desa:
    code: str
    name: str
    is_kelurahan: bool = False


@dataclass(frozen=True)
class Kecamatan:
    code: str
    name: str
    desa: tuple[Desa, ...]


@dataclass(frozen=True)
class District:
    """A real kabupaten/kota with its kecamatan and desa (from the region table)."""

    code: str
    name: str
    province_code: str
    province_name: str
    kecamatan: tuple[Kecamatan, ...]

    @property
    def short_name(self) -> str:
        """``Kabupaten Bondowoso`` → ``Bondowoso`` (birthplaces, school names)."""
        for prefix in ("Kabupaten ", "Kota "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


@dataclass(frozen=True)
class GroupPlan:
    """One kelompok: its label, its desa, the dusun/RW it meets in, and how many families it has."""

    label: str
    desa: Desa
    dusun: str
    rw: int
    size: int


@dataclass(frozen=True)
class PendampingPlan:
    username: str
    full_name: str
    kecamatan: Kecamatan
    groups: tuple[GroupPlan, ...]

    @property
    def families(self) -> int:
        return sum(g.size for g in self.groups)


@dataclass(frozen=True)
class DistrictPlan:
    district: District
    families: int
    seed: int
    pendamping: tuple[PendampingPlan, ...]

    @property
    def groups(self) -> list[GroupPlan]:
        return [g for p in self.pendamping for g in p.groups]


def username_suffix(district_code: str) -> str:
    """Demo usernames are plain for the default district (``korkab``) and carry the district's
    digits elsewhere (``korkab-3509``), so several districts can be seeded into one database."""
    return "" if district_code == DEFAULT_KABUPATEN else "-" + district_code.replace(".", "")


def pendamping_username(district_code: str, index: int) -> str:
    """``pendamping`` for the first pendamping of the district (the demo login), then
    ``pendamping-002`` …"""
    base = "pendamping" + username_suffix(district_code)
    return base if index == 1 else f"{base}-{index:03d}"


def split(total: int, weights: list[float], *, low: int = 0, high: int | None = None) -> list[int]:
    """Integers proportional to ``weights`` summing to ``total`` (largest remainder), then moved
    within [low, high] where the total allows it."""
    if not weights:
        return []
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    if total < low * len(out) or (high is not None and total > high * len(out)):
        return out
    for i in range(len(out)):
        while out[i] < low:
            j = max(range(len(out)), key=lambda k: out[k])
            out[j] -= 1
            out[i] += 1
        while high is not None and out[i] > high:
            j = min(range(len(out)), key=lambda k: out[k])
            out[j] += 1
            out[i] -= 1
    return out


def plan_district(
    district: District,
    *,
    families: int,
    seed: int,
    families_per_pendamping: int = FAMILIES_PER_PENDAMPING,
) -> DistrictPlan:
    """Pendamping, their kecamatan and their groups for ``families`` families in ``district``.

    One pendamping per ``families_per_pendamping`` families (at least one); every kecamatan is used
    once there are enough pendamping (with fewer, the first kecamatan by code). Kecamatan weigh by
    their number of desa; a pendamping gets whole groups of one kecamatan, covering neighbouring desa.
    """
    if families < 1:
        raise ValueError("families must be at least 1")
    rng = random.Random(f"plan:{district.code}:{families}:{seed}")
    all_kec = [k for k in district.kecamatan if k.desa]
    n_pdp = max(1, round(families / families_per_pendamping))
    kecs = all_kec[: min(len(all_kec), n_pdp)]
    kec_weight = [len(k.desa) * rng.uniform(0.8, 1.2) for k in kecs]
    pdp_per_kec = split(n_pdp, kec_weight, low=1)

    # Caseloads around the mean, kept within 150-350 families where the total allows it.
    base = families / n_pdp
    spread = 0.2 if base >= PENDAMPING_MIN_FAMILIES / 0.8 else max(0.0, 1 - PENDAMPING_MIN_FAMILIES / base)
    caseload = split(
        families,
        [rng.uniform(1 - spread, 1 + spread) for _ in range(n_pdp)],
        low=PENDAMPING_MIN_FAMILIES if base >= PENDAMPING_MIN_FAMILIES else 0,
        high=PENDAMPING_MAX_FAMILIES,
    )

    plans: list[PendampingPlan] = []
    index = 0
    for kec, n in zip(kecs, pdp_per_kec, strict=True):
        loads = caseload[index : index + n]
        group_sizes = [_group_sizes(rng, load) for load in loads]
        n_groups = sum(len(g) for g in group_sizes)
        # Groups go to desa in code order, so each pendamping covers neighbouring desa.
        desa_weight = [rng.uniform(0.6, 1.4) * (0.7 if d.is_kelurahan else 1.0) for d in kec.desa]
        per_desa = split(n_groups, desa_weight, low=1 if n_groups >= len(kec.desa) else 0)
        desa_of_group = [d for d, c in zip(kec.desa, per_desa, strict=True) for _ in range(c)]
        dusun_of = {d.code: _dusun_names(rng, d, c) for d, c in zip(kec.desa, per_desa, strict=True) if c}
        seen: dict[str, int] = {}
        g_iter = iter(desa_of_group)
        for sizes in group_sizes:
            index += 1
            groups = []
            for size in sizes:
                desa = next(g_iter)
                k = seen[desa.code] = seen.get(desa.code, 0) + 1
                dusun = dusun_of[desa.code][(k - 1) // 2 % len(dusun_of[desa.code])]
                rw = (k - 1) // 2 % len(dusun_of[desa.code]) + 1
                groups.append(GroupPlan(f"{kec.name}-{desa.name}-{k:02d}", desa, dusun, rw, size))
            plans.append(
                PendampingPlan(
                    username=pendamping_username(district.code, index),
                    full_name=_pendamping_name(rng),
                    kecamatan=kec,
                    groups=tuple(groups),
                )
            )
    return DistrictPlan(district=district, families=families, seed=seed, pendamping=tuple(plans))


def _group_sizes(rng: random.Random, families: int) -> list[int]:
    """A caseload cut into groups of 15-35 families (Bondowoso averages 32, seed 000)."""
    n = max(1, math.ceil(families / GROUP_MAX))
    return split(families, [rng.uniform(0.85, 1.15) for _ in range(n)], low=min(GROUP_MIN, families), high=GROUP_MAX)


def _dusun_names(rng: random.Random, desa: Desa, n_groups: int) -> list[str]:
    """Dusun (or lingkungan, in a kelurahan) of a desa: about two groups meet in each."""
    count = max(2, math.ceil(n_groups / 2))
    pool = list(names.DUSUN)
    rng.shuffle(pool)
    picked = pool[: min(count, len(pool))]
    if desa.is_kelurahan:
        return [f"Lingkungan {p}" for p in picked]
    return picked


def _pendamping_name(rng: random.Random) -> str:
    sex = "P" if rng.random() < 0.6 else "L"
    name = names.person_name(rng, sex, rng.randint(1985, 1998))
    title = rng.choice(names.PENDAMPING_TITLES)
    return f"{name}, {title}" if title else name
