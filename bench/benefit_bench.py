#!/usr/bin/env python
"""Benchmark of the set-based entitlement calculation (``harapan.benefits.rules.household_totals``)
on synthetic columnar input: N families (default 1,000,000) of about 4 members each, one row per
(household, member, category the member fits), ordered by household then member, as a tahap run
will read them. Prints the seconds for the year totals and for one tahap's amounts, and the peak
memory of the calculation (tracemalloc, in a second timed-apart pass) and of the process.

    python bench/benefit_bench.py --families 1000000 [--index "Indeks PKH 2019"]

No database: the index terms are the seed index as ``harapan/benefits/seeds.py`` defines it, and
the compositions are random (fixed seed) with a share of families above the caps and members in
two categories, so the per-composition memo sees realistic variety.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def synthetic_rows(families: int, seed: int) -> tuple[array[int], array[int], list[str], int, set[int]]:
    """(household ids, member ids, komponen) rows, the number of members, hard-to-reach families."""
    from harapan.registry.rules import Komponen as K

    rng = random.Random(seed)
    rand = rng.random
    hs: array[int] = array("q")
    ms: array[int] = array("q")
    ks: list[str] = []
    far: set[int] = set()
    member = 0
    school = (K.ANAK_SD, K.ANAK_SD, K.ANAK_SD, K.ANAK_SMP, K.ANAK_SMP, K.ANAK_SMA)

    def row(h: int, m: int, k: str) -> None:
        hs.append(h)
        ms.append(m)
        ks.append(k)

    for h in range(1, families + 1):
        if rand() < 0.05:
            far.add(h)
        # head
        member += 1
        if rand() < 0.06:
            row(h, member, K.LANJUT_USIA)
        if rand() < 0.02:
            row(h, member, K.DISABILITAS_BERAT)
        # wife / carer
        member += 1
        if rand() < 0.10:
            row(h, member, K.IBU_HAMIL)
        # children: 0-4, mean about 1.9
        for _ in range(rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4))):
            member += 1
            if rand() < 0.35:
                row(h, member, K.ANAK_USIA_DINI)
            elif rand() < 0.8:
                row(h, member, school[int(rand() * 6)])
            if rand() < 0.02:
                row(h, member, K.DISABILITAS_BERAT)
        # a grandparent in one family of six
        if rand() < 0.17:
            member += 1
            if rand() < 0.7:
                row(h, member, K.LANJUT_USIA)
            if rand() < 0.1:
                row(h, member, K.DISABILITAS_BERAT)
    return hs, ms, ks, member, far


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", type=int, default=1_000_000)
    parser.add_argument("--index", default="Indeks PKH 2021", help="a seed index by name")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from django.conf import settings

    settings.configure(USE_I18N=False)  # pure rules only: no database, no apps

    from harapan.benefits.rules import IndexTerms, household_totals, tahap_amounts
    from harapan.benefits.seeds import SEED_INDEXES

    seed = next(s for s in SEED_INDEXES if s.name == args.index)
    terms = IndexTerms(
        amounts=dict(seed.amounts),
        category_caps=dict(seed.category_caps),
        person_cap=seed.person_cap,
        fixed=seed.fixed,
        fixed_hard_to_reach=seed.fixed_hard_to_reach,
        minimum=seed.minimum,
        maximum=seed.maximum,
        tahap_weights=seed.tahap_weights,
    )
    t = time.perf_counter()
    hs, ms, ks, members, far = synthetic_rows(args.families, args.seed)
    print(
        f"Indeks: {seed.name}; {args.families:,} keluarga, {members:,} anggota, {len(ks):,} baris komponen, "
        f"{len(far):,} keluarga daerah sulit; masukan dibuat dalam {time.perf_counter() - t:.1f} s"
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    t = time.perf_counter()
    totals = household_totals(hs, ms, ks, terms=terms, hard_to_reach=far)
    year_seconds = time.perf_counter() - t
    t = time.perf_counter()
    tahap_1 = tahap_amounts(totals, terms, 1)
    tahap_seconds = time.perf_counter() - t
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    year_sum = sum(v.year for v in totals.values())
    print(
        f"  hak setahun per keluarga: {year_seconds:.2f} s ({len(totals):,} keluarga dengan komponen, Rp{year_sum:,})"
    )
    print(f"  jumlah tahap 1 per keluarga: {tahap_seconds:.2f} s (Rp{sum(tahap_1.values()):,})")
    print(f"  RSS puncak proses: {rss_before / 1024:.0f} MB sebelum, {rss_after / 1024:.0f} MB sesudah perhitungan")
    del totals, tahap_1

    tracemalloc.start()
    totals = household_totals(hs, ms, ks, terms=terms, hard_to_reach=far)
    _kept = tahap_amounts(totals, terms, 1)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  memori puncak perhitungan (tracemalloc, hasil termasuk): {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
