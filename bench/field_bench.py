#!/usr/bin/env python
"""Benchmark of groups and attendance at district scale: N synthetic families of Kabupaten
Bondowoso (35.11) seeded through the KPM import (``seed_demo``), then timed one after another:

1. forming the kelompok of every kecamatan (``groups.services.kelompok_form_for_kecamatan``);
2. planning the year's monthly meetings of every group (``meetings.services.meetings_plan_year_bulk``);
3. the year in the field (``demo.field.field_year_seed``, as ``seed-field-year``): every meeting
   before the reference date held with its attendance through ``meetings.bulk``, flags evaluated
   date by date, a few meetings cancelled, products registered;
4. ``meetings.services.flags_evaluate`` over every family (on settled data: it must change nothing);
5. one pendamping recording one meeting through ``meetings.services.attendance_record`` (the
   phone's save), several times, median;
6. the phone attendance page (``meetings:attendance``) rendered by Django's test client, median.

    python bench/field_bench.py --families 1000000

SQLite in a temporary HARAPAN_VAR_DIR, unless DATABASE_URL is set: then a fresh database is
created on that PostgreSQL server (and dropped afterwards, unless --keep).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import DISTRICT, ROOT, _drop_postgres, _fresh_postgres  # noqa: E402

T = TypeVar("T")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", type=int, default=1_000_000)
    parser.add_argument("--as-of", default="2026-11-20", help="reference date: meetings before it are held")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--samples", type=int, default=7, help="meetings recorded / pages rendered for the medians")
    parser.add_argument("--keep", action="store_true", help="keep the temporary files and database")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="use the database at DATABASE_URL as it is (migrated and seeded, e.g. by tahap_bench): "
        "no fresh database, no migrate, no seed",
    )
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="harapan-field-bench-"))
    server_url = os.environ.get("DATABASE_URL", "")
    pg_name = ""
    if args.existing and not server_url:
        raise SystemExit("--existing needs DATABASE_URL")
    if server_url and not args.existing:
        os.environ["DATABASE_URL"], pg_name = _fresh_postgres(server_url)
    os.environ["HARAPAN_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harapan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        _bench(args, tmp, engine="PostgreSQL" if server_url else "SQLite")
    finally:
        if pg_name and not args.keep:
            _drop_postgres(server_url, pg_name)
        if args.keep:
            print(f"Berkas dan basis data disimpan di {tmp}" + (f" dan {pg_name}" if pg_name else ""))
        else:
            shutil.rmtree(tmp, ignore_errors=True)


class Table:
    """Rows of (step, size, wall seconds, CPU seconds of this process), printed as they come."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float, float]] = []

    def time(self, step: str, size: Callable[[Any], str], work: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        out = work()
        row = (step, size(out), time.perf_counter() - wall, time.process_time() - cpu)
        self.rows.append(row)
        print(f"  {row[0]}: {row[1]} — {row[2]:.1f} s (CPU Python {row[3]:.1f} s)", flush=True)
        return out

    def add(self, step: str, size: str, wall: float, cpu: float) -> None:
        self.rows.append((step, size, wall, cpu))
        print(f"  {step}: {size} — {wall:.3f} s", flush=True)

    def print(self) -> None:
        width = max(len(r[0]) for r in self.rows)
        size_width = max(len(r[1]) for r in self.rows)
        print()
        print(f"| {'langkah'.ljust(width)} | {'ukuran'.ljust(size_width)} | detik | CPU Python |")
        print(f"|{'-' * (width + 2)}|{'-' * (size_width + 2)}|------:|-----------:|")
        for step, size, wall, cpu in self.rows:
            shown = f"{wall:.1f}" if wall >= 10 else f"{wall:.3f}"
            print(f"| {step.ljust(width)} | {size.ljust(size_width)} | {shown} | {cpu:.1f} |")


def _bench(args: argparse.Namespace, tmp: Path, *, engine: str) -> None:
    import io
    import random

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from harapan.accounts.models import Staff
    from harapan.audit.models import AuditEvent
    from harapan.demo.field import field_year_seed, field_year_summary
    from harapan.groups.models import GroupMembership, Kelompok
    from harapan.groups.services import kelompok_form_for_kecamatan
    from harapan.meetings.bulk import chunked, planner_statistics_refresh
    from harapan.meetings.models import Attendance, Meeting, MeetingStatus
    from harapan.meetings.services import attendance_record, flags_evaluate, meetings_plan_year_bulk
    from harapan.regions.models import Region
    from harapan.registry.models import Household

    as_of = dt.date.fromisoformat(args.as_of)
    year = as_of.year
    # Load the URLconf (and every view module) now: a run takes an hour at a million families, and
    # the page rendered at its end must be the code that was there when it started.
    reverse("meetings:attendance", args=[1])
    print(
        f"Basis data: {engine}; {args.families:,} keluarga; tanggal acuan {as_of}; "
        f"mesin {os.cpu_count()} CPU, {_ram_gb():.0f} GB RAM; {dt.datetime.now():%Y-%m-%d %H:%M}"
    )
    table = Table()
    if args.existing:
        print(f"  basis data yang ada: {Household.objects.count():,} KPM (tanpa migrasi dan seed)")
    else:
        table.time("migrasi (termasuk 91.599 wilayah)", lambda _o: "", lambda: call_command("migrate", verbosity=0))
        table.time(
            "seed-demo (impor KPM)",
            lambda _o: f"{Household.objects.count():,} KPM",
            lambda: call_command(
                "seed_demo", families=args.families, as_of=as_of, seed=args.seed, verbosity=0, stdout=io.StringIO()
            ),
        )
    operator = get_user_model().objects.get(username="operator")
    print(f"  beban mesin (load average 1/5/15 menit): {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")

    def form() -> int:
        # Every kecamatan with pendamping (a small run leaves the last kecamatan without any).
        codes = Region.objects.filter(parent_id=DISTRICT, code__in=Staff.objects.values("region_id")).order_by("code")
        for code in codes.values_list("code", flat=True):
            kelompok_form_for_kecamatan(
                kecamatan_code=code, acting_user=operator, valid_from=dt.date(year, 1, 1), source="command"
            )
        return Kelompok.objects.count()

    table.time(
        "form-groups (semua kecamatan)",
        lambda n: f"{n:,} kelompok, {GroupMembership.objects.count():,} KPM",
        form,
    )
    group_ids = list(Kelompok.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    table.time(
        f"plan-meetings {year}",
        lambda created: f"{len(created):,} pertemuan",
        lambda: meetings_plan_year_bulk(kelompok_ids=group_ids, year=year, acting_user=operator),
    )

    def pages(meetings: list[Meeting]) -> tuple[list[float], list[int]]:
        """Seconds and bytes of each meeting's attendance page, as its pendamping on the phone."""
        client = Client(HTTP_HOST="localhost")
        renders: list[float] = []
        sizes: list[int] = []
        for meeting in meetings:
            client.force_login(meeting.kelompok.pendamping.user)  # type: ignore[union-attr]
            url = reverse("meetings:attendance", args=[meeting.pk])
            client.get(url)  # the login's first request (session, locale) is not the page's cost
            t = time.perf_counter()
            response = client.get(url)
            renders.append(time.perf_counter() - t)
            if response.status_code != 200:
                raise SystemExit(f"GAGAL: {url} menjawab {response.status_code}")
            sizes.append(len(response.content))
        return renders, sizes

    # Render the page once now: its templates are compiled and cached as they are at the start, so
    # the page measured at the end is not broken by someone editing a template during the run.
    pages(list(Meeting.objects.select_related("kelompok__pendamping__user").order_by("pk")[:1]))

    events_before = AuditEvent.objects.count()
    result = table.time(
        "seed-field-year (kehadiran setahun)",
        lambda r: f"{r.meetings_held:,} pertemuan, {sum(r.marks.values()):,} tanda hadir",
        lambda: field_year_seed(area_code=DISTRICT, as_of=as_of, seed=args.seed, acting_user=operator),
    )
    for phase, seconds in result.seconds.items():
        print(f"      {phase}: {seconds:.1f} s")
    summary = field_year_summary(DISTRICT)
    print(
        f"    {summary.meetings_cancelled:,} dibatalkan; tanda {summary.marks}; peristiwa audit baru "
        f"{AuditEvent.objects.count() - events_before:,}; tanda ketidakhadiran {summary.flags_total} "
        f"(terbuka {summary.flags_open}, dicabut {summary.flags_lifted}); {result.families_evaluated:,} "
        f"penilaian KPM; {summary.products} produk, {summary.sales} penjualan"
    )

    family_ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))

    def evaluate_all() -> tuple[int, int]:
        raised = lifted = 0
        for ids in chunked(family_ids, 2000):
            r, lf = flags_evaluate(household_ids=list(ids), acting_user=operator)
            raised, lifted = raised + r, lifted + lf
        return raised, lifted

    settled = table.time(
        "flags_evaluate semua KPM",
        lambda rl: f"{len(family_ids):,} KPM, {Attendance.objects.count():,} tanda; naik/cabut {rl[0]}/{rl[1]}",
        evaluate_all,
    )
    if settled != (0, 0):
        raise SystemExit(f"GAGAL: flags_evaluate mengubah tanda pada data yang sudah dinilai: {settled}")

    # The next planned meeting of a few groups spread over the district, as their pendamping.
    rng = random.Random(args.seed)
    upcoming = list(
        Meeting.objects.filter(status=MeetingStatus.DIRENCANAKAN, scheduled_on__gte=as_of)
        .select_related("kelompok__pendamping__user")
        .order_by("kelompok_id", "scheduled_on")
    )
    firsts: dict[int, Meeting] = {}
    for m in upcoming:
        firsts.setdefault(m.kelompok_id, m)
    n = args.samples
    sample = rng.sample(sorted(firsts.values(), key=lambda m: m.pk), min(n * 2 + 3, len(firsts)))
    to_record, to_render, to_record_slowly = sample[:n], sample[n : 2 * n], sample[2 * n :]

    latencies: list[float] = []
    marked = 0
    for meeting in to_record:
        families = list(
            GroupMembership.objects.filter(kelompok_id=meeting.kelompok_id, valid_to__isnull=True).values_list(
                "household_id", flat=True
            )
        )
        marks = {hid: ("hadir", "") if rng.random() < 0.9 else ("alpa", "") for hid in families}
        user = meeting.kelompok.pendamping.user  # type: ignore[union-attr]
        t = time.perf_counter()
        attendance_record(meeting=meeting, marks=marks, acting_user=user)
        latencies.append(time.perf_counter() - t)
        marked += len(marks)
    table.add(
        "attendance_record: 1 pertemuan (median)",
        f"{len(latencies)} pertemuan, ±{marked // max(1, len(latencies))} KPM; maks {max(latencies) * 1000:.0f} ms",
        statistics.median(latencies),
        0.0,
    )

    if connection.vendor == "sqlite" and to_record_slowly:
        # The same save without planner statistics (a database never analysed): SQLite then reads a
        # family's history through the meeting-status index, across every held meeting.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")
        connection.close()
        slow: list[float] = []
        for meeting in to_record_slowly:
            hids = GroupMembership.objects.filter(kelompok_id=meeting.kelompok_id, valid_to__isnull=True)
            marks = {hid: ("hadir", "") for hid in hids.values_list("household_id", flat=True)}
            t = time.perf_counter()
            attendance_record(meeting=meeting, marks=marks, acting_user=meeting.kelompok.pendamping.user)  # type: ignore[union-attr]
            slow.append(time.perf_counter() - t)
        table.add(
            "attendance_record tanpa statistik planner (SQLite)",
            f"{len(slow)} pertemuan; maks {max(slow) * 1000:.0f} ms",
            statistics.median(slow),
            0.0,
        )
        planner_statistics_refresh()
        connection.close()

    renders, sizes = pages(to_render or to_record)
    table.add(
        "halaman absen ponsel (GET, median)",
        f"{len(renders)} halaman, {statistics.median(sizes) / 1024:.0f} KiB",
        statistics.median(renders),
        0.0,
    )
    table.print()
    if connection.vendor == "sqlite":
        size = sum(p.stat().st_size for p in tmp.glob("harapan.sqlite3*"))
        print(f"Ukuran berkas SQLite: {size / 1e6:,.0f} MB")


def _ram_gb() -> float:
    try:
        with open("/proc/meminfo") as fh:
            return int(fh.readline().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        return 0.0


if __name__ == "__main__":
    main()
