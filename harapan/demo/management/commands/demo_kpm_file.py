"""``harapan demo-kpm-file``: write a synthetic KPM import file (FORMATS.md §6.1) for trying the
upload page and for benchmarks, optionally with deliberate mistakes that the import must reject.

    harapan demo-kpm-file --families 200 --with-errors --out var/contoh

The families get NIK/No KK serials from 5001 and family ids ``U…`` by default, so the file can be
uploaded into a database already seeded by ``seed_demo`` (whose serials start at 1) without
clashing with it; the pendamping usernames are those of ``seed_demo`` for the same district.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harapan.demo.generator import generate_families
from harapan.demo.kpm_file import InjectedError, inject_errors, write_csv_pair, write_errors_list, write_xlsx
from harapan.demo.plan import DEFAULT_KABUPATEN, DEFAULT_SEED, plan_district
from harapan.demo.selectors import district_load


class Command(BaseCommand):
    help = "Tulis berkas impor KPM sintetis (XLSX KELUARGA+ART dan/atau pasangan CSV), opsional dengan baris salah."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--families", type=int, default=200, help="Jumlah keluarga (KPM).")
        parser.add_argument("--out", type=Path, default=Path("var/contoh"), help="Folder tujuan.")
        parser.add_argument("--kabupaten", default=DEFAULT_KABUPATEN, help="Kode kabupaten/kota, mis. 35.11.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED + 1)
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="Tanggal acuan umur (ISO).")
        parser.add_argument("--format", choices=["xlsx", "csv", "both"], default="both")
        parser.add_argument("--with-errors", action="store_true", help="Sisipkan beberapa baris yang salah.")
        parser.add_argument("--error-every", type=int, default=20, help="Satu keluarga salah tiap N keluarga.")
        parser.add_argument("--serial-base", type=int, default=5000, help="Nomor urut NIK/No KK mulai dari sini + 1.")
        parser.add_argument("--id-prefix", default="U", help="Awalan ID_KELUARGA_PKH.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["families"] < 1:
            raise CommandError("--families harus paling sedikit 1.")
        if opts["error_every"] < 2:
            raise CommandError("--error-every harus paling sedikit 2.")
        try:
            district = district_load(opts["kabupaten"])
        except ValueError as e:
            raise CommandError(str(e)) from e
        as_of = opts["as_of"] or dt.date.today()
        plan = plan_district(district, families=opts["families"], seed=opts["seed"])
        out: Path = opts["out"]
        stem = f"kpm_{district.code.replace('.', '')}_{opts['families']}" + (
            "_dengan_kesalahan" if opts["with_errors"] else ""
        )
        written: list[Path] = []
        found: list[InjectedError] = []
        for fmt in ("xlsx", "csv") if opts["format"] == "both" else (opts["format"],):
            found.clear()
            families = generate_families(
                plan, as_of=as_of, serial_base=opts["serial_base"], id_prefix=opts["id_prefix"]
            )
            if opts["with_errors"]:
                families = inject_errors(families, every=opts["error_every"], found=found)
            if fmt == "xlsx":
                path = out / f"{stem}.xlsx"
                stats = write_xlsx(families, path)
                written.append(path)
            else:
                k_path, a_path = out / f"{stem}_keluarga.csv", out / f"{stem}_art.csv"
                stats = write_csv_pair(families, k_path, a_path)
                written += [k_path, a_path]
        if found:
            err_path = out / f"{stem}_daftar_kesalahan.csv"
            write_errors_list(found, err_path)
            written.append(err_path)
        self.stdout.write(f"{stats.families} KPM, {stats.members} anggota ({district.name}, acuan {as_of:%Y-%m-%d}).")
        for path in written:
            self.stdout.write(f"  {path}")
        if found:
            self.stdout.write(f"{len(found)} kesalahan sengaja disisipkan:")
            for mistake in found:
                self.stdout.write(
                    f"  {mistake.sheet} baris {mistake.row} kolom {mistake.column}: {mistake.description} "
                    f"({mistake.family_id})"
                )
