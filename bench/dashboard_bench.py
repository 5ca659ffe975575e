#!/usr/bin/env python
"""Benchmark of the dashboards (issue 5: "dashboards answer in under 300 ms at the 95th percentile
on the 1,000,000-family seed on PostgreSQL") against an existing, seeded database:

1. a full refresh of every figure (``harapan refresh-figures``, the nightly job);
2. N dashboard GETs per level through Django's test client, as the ministry (nation, the province,
   kabupaten, kecamatan and desa with the most families) and as the pendamping with the most
   families (their own dashboard); p50, p95 and the queries of one read;
3. the read after one change: a family's address changed through ``registry.services``
   (audited, so its desa is marked stale), then the desa's and the kabupaten's dashboard read
   (each refreshes the desa first); the kabupaten's read after a payments-only mark of the
   whole kabupaten (as a tahap computed leaves), and after a referrals-only and a grievances-only
   mark of the desa (as a referral or a grievance of one of its families leaves). The address is
   put back afterwards;
4. the kecamatan's XLSX export, which holds every pendamping (the page shows 50 at a time).

    DATABASE_URL=postgres://… python bench/dashboard_bench.py --existing
    HARAPAN_VAR_DIR=/tmp/dash-demo python bench/dashboard_bench.py --existing

``--existing`` is required: the database is used as it is (migrated and seeded, e.g. by
``make run`` or ``bench/tahap_bench.py --keep``). When the database has no ministry user, one is
created (``dashboard_bench_kemensos``, kept: its change is in the audit trail).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--existing", action="store_true", help="use the database as it is (required)")
    parser.add_argument("--reads", type=int, default=50, help="GETs per level for p50/p95")
    parser.add_argument("--skip-refresh", action="store_true", help="do not time a full refresh first")
    args = parser.parse_args(argv)
    if not args.existing:
        raise SystemExit("dashboard_bench.py runs against an existing database: pass --existing")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harapan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    _bench(args)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _bench(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import Substr
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from harapan.accounts.models import Role, Staff
    from harapan.dashboards.services import figures_refresh_all, mark_stale
    from harapan.registry.models import Household
    from harapan.registry.services import household_update

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    engine = connection.vendor
    families = Household.objects.count()
    print(
        f"Basis data: {engine}; {families:,} keluarga; {os.cpu_count()} CPU; {dt.datetime.now():%Y-%m-%d %H:%M}",
        flush=True,
    )
    rows: list[tuple[str, str, str]] = []

    if not args.skip_refresh:
        started = time.perf_counter()
        stats = figures_refresh_all()
        wall = time.perf_counter() - started
        size = f"{stats.desas:,} desa, {stats.pendamping:,} pendamping, {stats.rows:,} baris"
        rows.append(("refresh seluruh angka", size, f"{wall:.1f} s"))
        print(f"  refresh seluruh angka: {size} — {wall:.1f} s", flush=True)

    def top(length: int, within: str = "") -> str:
        qs = Household.objects.all()
        if within:
            qs = qs.filter(desa__code__startswith=within + ".")
        row = qs.annotate(k=Substr("desa_id", 1, length)).values("k").annotate(n=Count("id")).order_by("-n").first()
        return str(row["k"]) if row else ""

    province = top(2)
    kabupaten = top(5, province)
    kecamatan = top(8, kabupaten)
    desa = top(13, kecamatan)
    busiest = (
        Household.objects.filter(pendamping__isnull=False)
        .values("pendamping_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    pendamping = Staff.objects.get(pk=busiest["pendamping_id"]) if busiest else None

    ministry = Staff.objects.filter(role=Role.MINISTRY, is_active=True).select_related("user").first()
    if ministry is None:
        user = get_user_model().objects.create_user(username="dashboard_bench_kemensos")
        ministry = Staff.objects.create(user=user, role=Role.MINISTRY, full_name="Bench Kemensos")
    boss = Client()
    boss.force_login(ministry.user)
    pages: list[tuple[str, Client, str]] = [
        ("nasional", boss, reverse("dashboards:national")),
        (f"provinsi {province}", boss, reverse("dashboards:region", args=[province])),
        (f"kabupaten {kabupaten}", boss, reverse("dashboards:region", args=[kabupaten])),
        (f"kecamatan {kecamatan}", boss, reverse("dashboards:region", args=[kecamatan])),
        (f"desa {desa}", boss, reverse("dashboards:region", args=[desa])),
    ]
    if pendamping is not None:
        own = Client()
        own.force_login(pendamping.user)
        pages.append((f"pendamping #{pendamping.pk} (sendiri)", own, reverse("dashboards:own")))
    for name, client, url in pages:
        client.get(url)
        times = []
        for _ in range(args.reads):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        size = f"{len(response.content) // 1024} KiB, {len(ctx.captured_queries)} kueri"
        timing = f"p50 {statistics.median(times):.0f} ms, p95 {_pct(times, 0.95):.0f} ms"
        rows.append((f"GET dasbor {name}", size, timing))
        print(f"  GET dasbor {name}: {size} — {timing}", flush=True)

    # The read after one change.
    family = Household.objects.filter(desa_id=desa).order_by("pk").first()
    if family is not None:
        address = family.address
        for label, url in (
            ("desa", reverse("dashboards:region", args=[desa])),
            ("kabupaten", reverse("dashboards:region", args=[kabupaten])),
        ):
            household_update(
                household=family, data={"address": f"{address} (bench {label})"}, acting_user=ministry.user
            )
            started = time.perf_counter()
            response = boss.get(url)
            wall = (time.perf_counter() - started) * 1000
            assert response.status_code == 200
            rows.append((f"GET dasbor {label} sesudah satu perubahan", f"desa {desa} dihitung ulang", f"{wall:.0f} ms"))
            print(f"  GET dasbor {label} sesudah satu perubahan: {wall:.0f} ms", flush=True)
        household_update(household=family, data={"address": address}, acting_user=ministry.user)
        boss.get(reverse("dashboards:region", args=[desa]))
    mark_stale([(kabupaten, "bayar")])
    started = time.perf_counter()
    boss.get(reverse("dashboards:region", args=[kabupaten]))
    wall = (time.perf_counter() - started) * 1000
    rows.append(
        ("GET dasbor kabupaten sesudah tahap dihitung", "penyaluran sekabupaten dihitung ulang", f"{wall:.0f} ms")
    )
    print(f"  GET dasbor kabupaten sesudah tahap dihitung: {wall:.0f} ms", flush=True)
    # A referral or a grievance of a family of the desa changed (its audit event marks the desa's
    # section of cases only): the read refreshes that section of the desa.
    for section, what in (("rujukan", "rujukan"), ("aduan", "pengaduan")):
        mark_stale([(desa, section)])
        started = time.perf_counter()
        boss.get(reverse("dashboards:region", args=[kabupaten]))
        wall = (time.perf_counter() - started) * 1000
        rows.append(
            (f"GET dasbor kabupaten sesudah {what} berubah", f"{section} desa {desa} dihitung ulang", f"{wall:.0f} ms")
        )
        print(f"  GET dasbor kabupaten sesudah {what} berubah: {wall:.0f} ms", flush=True)
    # The kecamatan's export: every pendamping (the page shows them a page at a time).
    url = reverse("dashboards:region", args=[kecamatan]) + "?unduh=xlsx"
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = boss.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    size = f"{len(response.content) // 1024} KiB"
    timing = f"p50 {statistics.median(times):.0f} ms (5 kali)"
    rows.append((f"unduh XLSX dasbor kecamatan {kecamatan}", size, timing))
    print(f"  unduh XLSX dasbor kecamatan {kecamatan}: {size} — {timing}", flush=True)

    width = max(len(r[0]) for r in rows)
    size_width = max(len(r[1]) for r in rows)
    print()
    print(f"| {'langkah'.ljust(width)} | {'ukuran'.ljust(size_width)} | waktu |")
    print(f"|{'-' * (width + 2)}|{'-' * (size_width + 2)}|------:|")
    for step, size, timing in rows:
        print(f"| {step.ljust(width)} | {size.ljust(size_width)} | {timing} |")


if __name__ == "__main__":
    main()
