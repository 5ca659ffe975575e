#!/usr/bin/env python
"""Benchmark of the tahap run (``harapan.payroll``): one tahap of Kabupaten Bondowoso (35.11) for
the demo district seeded with N families (default 1,000,000), on the database DATABASE_URL names
(or SQLite in HARAPAN_VAR_DIR). Reports the wall time of each phase and the peak memory.

    DATABASE_URL=postgres://… python bench/tahap_bench.py --families 1000000

The district is seeded once with the demo generator (``seed_demo``, through the KPM import; about
20-40 minutes for a million families) when it is empty, and kept: later runs reuse it. A district
already seeded is used as it is, whatever its size. Each run deletes the bench's earlier tahap
(same region, year and number), then measures:

1. the first computation (every family: snapshot, components in SQL, index and cap, validation,
   lines written with COPY on PostgreSQL);
2. a recomputation (the same list written again over the old one: the re-run path);
3. the approval, rolled back (graduasi alamiah applied to every family without a component);
4. writing the largest bank's recipient CSV.

With ``--tracemalloc`` the first computation is repeated under tracemalloc for the peak of Python
allocations (tracemalloc slows Python down about twofold; its time is not reported).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DISTRICT = "35.11"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", type=int, default=1_000_000, help="families to seed when the district is empty")
    parser.add_argument("--as-of", default="2026-10-01", help="reference date of the seed (ages, enrolments)")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--tahap", type=int, default=4)
    parser.add_argument("--cutoff", default="2026-11-01", help="the tahap's cut-off date (on or after --as-of)")
    parser.add_argument("--chunk-size", type=int, default=None, help="families per transaction (default: setting)")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the peak of Python allocations")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harapan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    _bench(args)


def _bench(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from harapan.accounts.models import Role, Staff
    from harapan.payroll import bankfiles
    from harapan.payroll.models import Exclusion, PaymentLine, Tahap
    from harapan.payroll.run import Phases
    from harapan.payroll.services import tahap_approve, tahap_compute, tahap_open
    from harapan.registry.models import Household, Member
    from harapan.testing import make_staff

    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    call_command("migrate", verbosity=0)
    families = Household.objects.filter(desa__code__startswith=DISTRICT + ".").count()
    if families == 0:
        print(f"Mengisi kabupaten demo {DISTRICT} dengan {_n(args.families)} KPM (seed_demo) …", flush=True)
        started = time.perf_counter()
        call_command("seed_demo", families=args.families, as_of=dt.date.fromisoformat(args.as_of), verbosity=0)
        print(f"  seed selesai dalam {time.perf_counter() - started:.0f} s", flush=True)
        families = Household.objects.filter(desa__code__startswith=DISTRICT + ".").count()
    members = Member.objects.filter(household__desa__code__startswith=DISTRICT + ".").count()
    load = os.getloadavg()
    print(
        f"{engine}: {_n(families)} KPM, {_n(members)} anggota di {DISTRICT}; {os.cpu_count()} CPU, "
        f"beban rata-rata {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 menit)"
    )

    operator = _staff(Role.OPERATOR, "bench_operator", make_staff, Staff)
    dinsos = _staff(Role.DINSOS_KAB, "bench_dinsos", make_staff, Staff)
    old = Tahap.objects.filter(region_id=DISTRICT, year=args.year, number=args.tahap)
    for t in old:
        PaymentLine.objects.filter(tahap=t).delete()
        Exclusion.objects.filter(tahap=t).delete()
        t.delete()
    cut_off = dt.date.fromisoformat(args.cutoff)
    tahap = tahap_open(region_code=DISTRICT, year=args.year, number=args.tahap, cut_off=cut_off, acting_user=operator)

    def run(label: str) -> Tahap:
        phases = Phases()
        rss = _rss_mb()
        started = time.perf_counter()
        done = tahap_compute(tahap=tahap, acting_user=operator, chunk_size=args.chunk_size, phases=phases)
        wall = time.perf_counter() - started
        print(f"\n{label}: {wall:.1f} s  (RSS puncak proses {rss:.0f} → {_rss_mb():.0f} MB)")
        for name, seconds in phases.seconds.items():
            print(f"  {name:<70} {seconds:7.1f} s")
        return done

    done = run("Perhitungan pertama")
    print(
        f"  → {_n(done.families_count)} KPM dalam snapshot, {_n(done.lines_count)} baris bayar "
        f"(Rp{_n(done.lines_amount)}), {_n(done.burekol_count)} perlu burekol, {_n(done.excluded_count)} dikecualikan "
        f"({_n(done.alamiah_count)} graduasi alamiah)"
    )
    for reason, n in (
        Exclusion.objects.filter(tahap=tahap).values_list("reason").order_by("reason").annotate(n=_count())
    ):
        print(f"     {reason:<24} {_n(n):>10}")
    again = run("Perhitungan ulang (daftar lama diganti)")
    assert (again.lines_count, again.lines_amount) == (done.lines_count, done.lines_amount), "re-run differs"

    class Rollback(Exception):
        pass

    started = time.perf_counter()
    try:
        with transaction.atomic():
            approved = tahap_approve(tahap=again, acting_user=dinsos)
            applied = approved.alamiah_applied
            raise Rollback
    except Rollback:
        pass
    print(f"\nPersetujuan (dibatalkan kembali): {time.perf_counter() - started:.1f} s, {_n(applied)} graduasi alamiah")

    bank = PaymentLine.objects.filter(tahap=tahap).values_list("bank").annotate(n=_count()).order_by("-n").first()
    if bank:
        started = time.perf_counter()
        lines = PaymentLine.objects.filter(tahap=tahap, bank=bank[0])
        with open(os.devnull, "w") as sink:
            bankfiles.write_csv(lines, sink)
        print(f"Berkas penerima {bank[0]} (CSV, {_n(bank[1])} baris): {time.perf_counter() - started:.1f} s")

    if args.tracemalloc:
        tracemalloc.start()
        tahap_compute(tahap=tahap, acting_user=operator, chunk_size=args.chunk_size)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"Memori puncak alokasi Python satu perhitungan (tracemalloc): {peak / 1e6:.0f} MB")
    print(f"RSS puncak proses seluruh bench: {_rss_mb():.0f} MB")


def _count() -> Any:
    from django.db.models import Count

    return Count("id")


def _staff(role: str, username: str, make_staff: Any, staff_model: Any) -> Any:
    existing = staff_model.objects.filter(user__username=username).select_related("user").first()
    return (existing or make_staff(role, DISTRICT, username=username)).user


if __name__ == "__main__":
    main()
