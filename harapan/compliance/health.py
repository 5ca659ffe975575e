"""Records from a health facility (posyandu / puskesmas) file — Harapan's own layout (FORMATS.md §4.2
found no real faskes form; this one is **I**, inferred), CSV or XLSX, one row per member, month and
obligation:

| column | required | meaning |
|---|---|---|
| ``NIK`` | yes | the member's NIK (16 digits, as text) |
| ``ID_KELUARGA_PKH`` | no | checked against the member's family when given |
| ``NAMA`` | no | for the reader; not checked |
| ``BULAN`` | yes | the month: ``YYYY-MM``, ``MM/YYYY``, ``MM-YYYY`` or a date in it |
| ``KODE_KOMITMEN`` | yes | a health or social-welfare obligation code (``anc``, ``persalinan_nakes``, ``nifas``, ``bayi_imunisasi``, ``bayi_penimbangan``, ``bayi_vitamin_a``, ``balita_penimbangan``, ``balita_vitamin_a``, ``balita_imunisasi``, ``lansia_cek_kesehatan``, ``lansia_kegiatan_sosial``, ``disabilitas_cek_kesehatan``, ``disabilitas_kegiatan_sosial``) |
| ``MEMENUHI`` | yes, unless ``NILAI`` | ``Y``/``YA``/``1`` or ``T``/``TIDAK``/``N``/``0`` |
| ``NILAI`` | no | for ``anc`` and ``nifas``: visits so far; decides ``MEMENUHI`` |
| ``FASKES`` | no | the posyandu / puskesmas; kept in the record's note |
| ``KETERANGAN`` | no | kept in the record's note |

Same CSV rules as the KPM import (UTF-8 with or without a BOM; ``;``, ``,`` or ``|``; an Excel
``sep=`` line). Every bad row is rejected with its row, column and rule; the good rows are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils import timezone

from harapan.accounts.scope import household_q
from harapan.imports.parsing import NO, YES, excel_number_violation, identity_text
from harapan.imports.readers import XLSX_SUFFIXES, ImportFileError, Table, csv_table, xlsx_tables
from harapan.imports.rows import RowReject
from harapan.registry.models import Household, Member
from harapan.registry.rules import RegistryRules
from harapan.registry.selectors import member_facts

from .models import ObligationKind, month_start
from .rules import ComplianceRules, met_from_value
from .selectors import households_due, obligation_specs
from .services.records import VERIFIED_STATUSES, RecordInput, periods_for

COLUMNS = ("NIK", "ID_KELUARGA_PKH", "NAMA", "BULAN", "KODE_KOMITMEN", "MEMENUHI", "NILAI", "FASKES", "KETERANGAN")
REQUIRED = ("NIK", "BULAN", "KODE_KOMITMEN")
HEALTH_KINDS = (ObligationKind.KESEHATAN, ObligationKind.KESOS)
_MONTH_FIRST = re.compile(r"^(\d{1,2})[/-](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")


def health_table(path: Path, *, name: str = "") -> Table:
    """The file's one table (an XLSX's first sheet), with the required columns present."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        table = next(iter(xlsx_tables(path).values()))
    else:
        with path.open("rb") as fh:
            magic = fh.read(4)
        table = next(iter(xlsx_tables(path).values())) if magic == b"PK\x03\x04" else csv_table(path, name or None)
    missing = [c for c in REQUIRED if c not in table.header]
    if missing or not ("MEMENUHI" in table.header or "NILAI" in table.header):
        need = missing + ([] if ("MEMENUHI" in table.header or "NILAI" in table.header) else ["MEMENUHI/NILAI"])
        raise ImportFileError(f"Kolom wajib tidak ada: {', '.join(need)}. Kolom berkas faskes: {', '.join(COLUMNS)}.")
    return table


def parse_month(text: str) -> dt.date:
    text = text.strip()
    if m := _YEAR_FIRST.match(text):
        return dt.date(int(m[1]), int(m[2]), 1)
    if m := _MONTH_FIRST.match(text):
        return dt.date(int(m[2]), int(m[1]), 1)
    if m := _DMY.match(text):
        return dt.date(int(m[3]), int(m[2]), 1)
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return month_start(dt.date.fromisoformat(text[:10]))
    raise ValueError(text)


def health_records(table: Table, *, user: Any) -> tuple[list[RecordInput], list[RowReject], int]:
    """The records a faskes file gives for members of families the user may see, the rejected rows,
    and the number of rows read."""
    specs = {o.code: (o, spec) for o, spec in obligation_specs() if o.kind in HEALTH_KINDS}
    rules, registry_rules = ComplianceRules.from_settings(), RegistryRules.from_settings()
    this_month = month_start(timezone.localdate())
    index = {name: i for i, name in enumerate(table.header)}
    rejects: list[RowReject] = []

    def reject(number: int, column: str, rule: str, message: str, value: str = "", key: str = "") -> None:
        rejects.append(RowReject(table.name, number, column, rule, message, value[:300], key))

    parsed: list[tuple[int, dict[str, str], str, dt.date, str, bool | None, Decimal | None]] = []
    rows_seen = 0
    for number, values in table.read():
        rows_seen += 1
        row = {c: (values[i].strip() if i < len(values) else "") for c, i in index.items() if c in COLUMNS}
        nik = identity_text(row.get("NIK", ""))
        if violation := excel_number_violation(nik, "NIK"):
            reject(number, "NIK", violation.rule, violation.message, nik)
            continue
        if len(nik) != 16 or not nik.isdigit():
            reject(number, "NIK", "nik_16_digit", f"NIK harus 16 digit angka (diterima {len(nik)} karakter).", nik)
            continue
        try:
            month = parse_month(row.get("BULAN", ""))
        except ValueError:
            reject(
                number, "BULAN", "bulan_tidak_sah", "BULAN harus YYYY-MM, MM/YYYY atau tanggal.", row.get("BULAN", "")
            )
            continue
        if month > this_month:
            reject(number, "BULAN", "bulan_masa_depan", "BULAN tidak boleh di masa depan.", row["BULAN"])
            continue
        code = row.get("KODE_KOMITMEN", "").strip().lower()
        if code not in specs:
            reject(
                number,
                "KODE_KOMITMEN",
                "kode_tidak_dikenal",
                "Kode komitmen kesehatan/kesos tidak dikenal; lihat daftar kode di halaman unggah.",
                code,
            )
            continue
        answer = row.get("MEMENUHI", "").strip().upper()
        met: bool | None = True if answer in YES else False if answer in NO - {""} else None
        if answer and met is None:
            reject(number, "MEMENUHI", "ya_tidak", "MEMENUHI harus Y/YA/1 atau T/TIDAK/0.", answer)
            continue
        value: Decimal | None = None
        if row.get("NILAI", "").strip():
            try:
                value = Decimal(row["NILAI"].strip().replace(",", "."))
            except InvalidOperation:
                value = Decimal(-1)
            if not value.is_finite() or value < 0:
                reject(number, "NILAI", "nilai_tidak_sah", "NILAI harus angka 0 atau lebih.", row["NILAI"])
                continue
        if met is None and value is None:
            reject(number, "MEMENUHI", "wajib_diisi", "MEMENUHI (atau NILAI) wajib diisi.")
            continue
        parsed.append((number, row, nik, month, code, met, value))

    scope = Household.objects.filter(household_q(user), status__in=VERIFIED_STATUSES)
    members = {
        nik: (mid, hid, pkh)
        for mid, nik, hid, pkh in Member.objects.filter(
            is_active=True, household__in=scope, nik__in={p[2] for p in parsed}
        ).values_list("pk", "nik", "household_id", "household__pkh_id")
    }
    hids = {m[1] for m in members.values()}
    months = {p[3] for p in parsed}
    due = {m: households_due(hids, m) for m in months}
    facts = {f.member_id: f for f in member_facts(household_ids=hids)}
    periods = periods_for(months)
    seen: dict[tuple[int, str, dt.date], int] = {}
    out: list[RecordInput] = []
    for number, row, nik, month, code, met, value in parsed:
        if nik not in members:
            reject(number, "NIK", "anggota_tidak_dikenal", "NIK bukan anggota KPM aktif di wilayah Anda.", nik)
            continue
        mid, hid, pkh = members[nik]
        family = row.get("ID_KELUARGA_PKH", "").strip()
        if family and family != pkh:
            reject(
                number,
                "ID_KELUARGA_PKH",
                "keluarga_tidak_cocok",
                "NIK ini bukan anggota keluarga tersebut.",
                family,
                pkh,
            )
            continue
        if code not in due[month].get(hid, {}).get(mid, []):
            reject(
                number,
                "KODE_KOMITMEN",
                "komitmen_tidak_berlaku",
                f"Komitmen {code} tidak berlaku untuk anggota ini pada {month:%Y-%m} (menurut komponen dan umurnya).",
                code,
                pkh,
            )
            continue
        obligation, spec = specs[code]
        if value is not None:
            computed = met_from_value(
                spec, value, facts=facts.get(mid), month=month, rules=rules, registry_rules=registry_rules
            )
            if computed is None:
                reject(number, "NILAI", "tanpa_nilai", f"Komitmen {code} tidak diukur dengan angka.", str(value), pkh)
                continue
            if met is not None and met != computed:
                reject(
                    number,
                    "MEMENUHI",
                    "nilai_tidak_sesuai",
                    "MEMENUHI tidak sesuai dengan NILAI.",
                    row["MEMENUHI"],
                    pkh,
                )
                continue
            met = computed
        key = (mid, code, month)
        if key in seen:
            reject(number, "KODE_KOMITMEN", "baris_ganda", f"Sama dengan baris {seen[key]}.", code, pkh)
            continue
        seen[key] = number
        note = " · ".join(x for x in (row.get("FASKES", ""), row.get("KETERANGAN", "")) if x)
        assert met is not None
        out.append(RecordInput(hid, mid, obligation.pk, periods[month].pk, met, value=value, note=note[:300]))
    return out, rejects, rows_seen
