#!/usr/bin/env python
"""Benchmark of the KPM import: N synthetic families of Kabupaten Bondowoso (35.11) written to a
KELUARGA/ART CSV pair, then imported end to end from the files into a fresh database, then
imported again (the idempotent re-import, which must write nothing).

    python bench/import_bench.py --families 100000

SQLite in a temporary HARAPAN_VAR_DIR, unless DATABASE_URL is set: then a fresh database is
created on that PostgreSQL server (and dropped afterwards, unless --keep). The families come from
the demo generator (``harapan.demo.generator``): valid NIK / No KK over the real desa of the
district, 4 members per family on average, pendamping and groups included.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DISTRICT = "35.11"


def _fresh_postgres(url: str) -> tuple[str, str]:
    """Create an empty database next to the one DATABASE_URL names; returns (its URL, its name)."""
    import psycopg

    parts = urlsplit(url)
    name = f"harapan_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _drop_postgres(url: str, name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=1000)
    parser.add_argument("--as-of", default="2025-11-03")
    parser.add_argument("--keep", action="store_true", help="keep the temporary files and database")
    parser.add_argument("--profile", action="store_true", help="profile the first import (top 25 by cumulative time)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="harapan-bench-"))
    server_url = os.environ.get("DATABASE_URL", "")
    pg_name = ""
    if server_url:
        os.environ["DATABASE_URL"], pg_name = _fresh_postgres(server_url)
    os.environ["HARAPAN_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harapan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        _bench(args, tmp, engine="PostgreSQL" if pg_name else "SQLite")
    finally:
        if pg_name and not args.keep:
            _drop_postgres(server_url, pg_name)
        if args.keep:
            print(f"Berkas dan basis data disimpan di {tmp}" + (f" dan {pg_name}" if pg_name else ""))
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _bench(args: argparse.Namespace, tmp: Path, *, engine: str) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from harapan.audit.models import AuditEvent
    from harapan.demo.generator import generate_families
    from harapan.demo.kpm_file import write_csv_pair
    from harapan.demo.plan import plan_district
    from harapan.demo.selectors import district_load
    from harapan.demo.services import demo_logins, demo_staff_ensure
    from harapan.imports.models import ImportRun
    from harapan.imports.pipeline import import_families
    from harapan.imports.readers import read_source
    from harapan.registry.models import Household, Member

    as_of = dt.date.fromisoformat(args.as_of)
    print(f"Basis data: {engine}; {args.families:,} keluarga; potongan {args.chunk_size} keluarga per transaksi")
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrasi (termasuk 91.599 wilayah): {time.perf_counter() - t:.1f} s")

    plan = plan_district(district_load(DISTRICT), families=args.families, seed=1)
    demo_staff_ensure(demo_logins(plan))
    operator = get_user_model().objects.get(username="operator")
    keluarga, art = tmp / "keluarga.csv", tmp / "art.csv"
    t = time.perf_counter()
    stats = write_csv_pair(generate_families(plan, as_of=as_of), keluarga, art)
    print(
        f"  berkas dibuat: {stats.families:,} keluarga, {stats.members:,} anggota, "
        f"{(keluarga.stat().st_size + art.stat().st_size) / 1e6:.0f} MB, {time.perf_counter() - t:.1f} s"
    )

    def run_import(label: str, profile: bool = False) -> ImportRun:
        events_before = AuditEvent.objects.count()
        t, cpu = time.perf_counter(), time.process_time()
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        source = read_source([keluarga, art])
        run = ImportRun.objects.create(
            started_by=operator,
            region_id=DISTRICT,
            as_of=as_of,
            file_name=keluarga.name,
            file_art_name=art.name,
            families_total=source.families_total,
        )
        import_families(source.families, run=run, acting_user=operator, as_of=as_of, chunk_size=args.chunk_size)
        seconds, cpu_seconds = time.perf_counter() - t, time.process_time() - cpu
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        events = AuditEvent.objects.count() - events_before
        print(
            f"  {label}: {seconds:.1f} s (CPU Python {cpu_seconds:.1f} s), {run.families_seen / seconds:,.0f} keluarga/detik — "
            f"baru {run.families_created:,}, diubah {run.families_updated:,}, tetap {run.families_unchanged:,}, "
            f"ditolak {run.families_rejected:,}; anggota baru {run.members_created:,}; peristiwa audit {events:,}"
        )
        return run

    print(f"  beban mesin (load average 1/5/15 menit): {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    first = run_import("impor pertama", profile=args.profile)
    print(f"  tersimpan: {Household.objects.count():,} KPM, {Member.objects.count():,} anggota")
    again = run_import("impor ulang (idempoten)")
    _check(first, again, families=stats.families)


def _check(first: Any, again: Any, *, families: int) -> None:
    problems = []
    if first.families_created + first.families_rejected != families:
        problems.append("impor pertama tidak membaca semua keluarga")
    if again.families_created or again.families_updated or again.members_created or again.members_updated:
        problems.append("impor ulang mengubah data")
    if problems:
        raise SystemExit("GAGAL: " + "; ".join(problems))


if __name__ == "__main__":
    main()
