"""Records from a filled-in school form (FORMATS.md §4.2; RULES.md "Obligations": enrolled, and
attending >= 85% of effective school days each month), row by row with rejects, and the pupils to
prefill a school's form with."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from harapan.accounts.scope import household_q
from harapan.conf import setting
from harapan.imports.parsing import excel_number_violation, identity_text
from harapan.imports.rows import RowReject
from harapan.registry.models import Household, Member, SchoolEnrolment

from .models import Obligation
from .rules import ComplianceRules, month_end, school_attendance_percent
from .selectors import households_due
from .services.records import VERIFIED_STATUSES, RecordInput, periods_for
from .verkom import (
    BLOCK,
    FIRST_MONTH_COLUMN,
    IDENTITY_COLUMNS,
    KET,
    WIDTH,
    MonthCells,
    Pupil,
    VerkomFile,
    month_cells,
    month_heading,
)

ENROLLED, ATTENDANCE = "sekolah_terdaftar", "sekolah_kehadiran"


@dataclass
class _Row:
    number: int
    cells: list[str]
    nik: str
    nisn: str
    months: list[MonthCells | None]


def _nisn_keys(nisn: str) -> set[str]:
    """A NISN as typed and with its leading zeros back (a spreadsheet drops them)."""
    digits = re.sub(r"\D", "", nisn)
    return {digits, digits.zfill(10)} if digits else set()


def school_records(vf: VerkomFile, *, user: Any) -> tuple[list[RecordInput], list[RowReject]]:
    """The records a school form gives, for pupils who are members of families the user may see,
    and the rejected rows (row, column, rule, message)."""
    rejects: list[RowReject] = []
    sheet = vf.sheet
    months = vf.header.months
    days = vf.header.effective_days
    conf = ComplianceRules.from_settings()

    def reject(number: int, column: str, rule: str, message: str, value: str = "", key: str = "") -> None:
        rejects.append(RowReject(sheet, number, column, rule, message, value[:300], key))

    parsed: list[_Row] = []
    for number, raw in vf.rows:
        cells = [c.strip() for c in raw]
        extra = [c for c in cells[WIDTH:] if c]
        if extra:
            reject(number, "", "kolom_berlebih", f"Baris berisi lebih dari {WIDTH} kolom.", extra[0])
            continue
        if len(cells) < FIRST_MONTH_COLUMN:
            reject(number, "", "kolom_kurang", f"Baris hanya berisi {len(cells)} kolom; format memerlukan {WIDTH}.")
            continue
        cells += [""] * (WIDTH - len(cells))
        nik, nisn = identity_text(cells[3]), re.sub(r"\s", "", cells[4])
        if excel_number_violation(nik, "NIK SISWA") and not nisn:
            violation = excel_number_violation(nik, "NIK SISWA")
            assert violation is not None
            reject(number, "NIK SISWA", violation.rule, violation.message, nik)
            continue
        if excel_number_violation(nik, "NIK SISWA"):
            nik = ""  # mangled by a spreadsheet: the NISN identifies the pupil
        if nik and (len(nik) != 16 or not nik.isdigit()):
            reject(number, "NIK SISWA", "nik_16_digit", f"NIK SISWA harus 16 digit angka (diterima {len(nik)}).", nik)
            continue
        if not nik and not nisn:
            reject(number, "NIK SISWA", "siswa_tanpa_identitas", "NIK SISWA atau NISN wajib diisi.")
            continue
        blocks: list[MonthCells | None] = []
        bad = False
        for i, month in enumerate(months):
            block, column = month_cells(cells, i)
            if block is None:
                start = FIRST_MONTH_COLUMN + 5 * i + BLOCK.index(column)
                reject(
                    number,
                    f"{month_heading(month)} {column}",
                    "angka_tidak_sah",
                    f"Kolom {column} bulan {month_heading(month)} harus angka.",
                    cells[start],
                )
                bad = True
                break
            blocks.append(None if block.empty else block)
        if not bad:
            parsed.append(_Row(number, cells, nik, nisn, blocks))

    # Match pupils to members of families in scope (NIK first, NISN when the NIK is not known).
    scope = Household.objects.filter(household_q(user), status__in=VERIFIED_STATUSES)
    by_nik = {
        nik: (mid, hid, pkh)
        for mid, nik, hid, pkh in Member.objects.filter(
            is_active=True, household__in=scope, nik__in={r.nik for r in parsed if r.nik}
        ).values_list("pk", "nik", "household_id", "household__pkh_id")
    }
    nisn_keys = {k for r in parsed for k in _nisn_keys(r.nisn)}
    by_nisn = {
        nisn: (mid, hid, pkh)
        for mid, nisn, hid, pkh in SchoolEnrolment.objects.filter(
            nisn__in=nisn_keys, member__is_active=True, member__household__in=scope
        ).values_list("member_id", "nisn", "member__household_id", "member__household__pkh_id")
    }
    matched: list[tuple[_Row, int, int, str]] = []
    seen: dict[int, int] = {}
    for row in parsed:
        found = by_nik.get(row.nik) if row.nik else None
        if found is None:
            found = next((by_nisn[k] for k in _nisn_keys(row.nisn) if k in by_nisn), None)
        if found is None:
            reject(
                row.number,
                "NIK SISWA" if row.nik else "NISN",
                "siswa_tidak_dikenal",
                "Siswa tidak ditemukan sebagai anggota KPM aktif di wilayah Anda (dicocokkan dengan NIK SISWA, lalu NISN).",
                row.nik or row.nisn,
            )
            continue
        mid, hid, pkh = found
        if mid in seen:
            reject(row.number, "NIK SISWA", "siswa_ganda", f"Siswa ini sudah ada di baris {seen[mid]}.", row.nik, pkh)
            continue
        seen[mid] = row.number
        matched.append((row, mid, hid, pkh))

    niks_of: dict[int, set[str]] = defaultdict(set)
    for owner, member_nik in Member.objects.filter(household_id__in={m[2] for m in matched}).values_list(
        "household_id", "nik"
    ):
        if member_nik:
            niks_of[owner].add(member_nik)
    due = {m: households_due({x[2] for x in matched}, m) for m in months}
    codes = dict(Obligation.objects.filter(code__in=(ENROLLED, ATTENDANCE), is_active=True).values_list("code", "pk"))
    periods = periods_for(months)
    counted = conf.school_absences_counted
    not_enrolled_words = [w.lower() for w in setting("compliance", "SCHOOL_NOT_ENROLLED_WORDS")]
    out: list[RecordInput] = []
    for row, mid, hid, pkh in matched:
        carer = identity_text(row.cells[1])
        if carer and carer not in niks_of[hid]:
            reject(
                row.number,
                "NIK PENGURUS",
                "pengurus_tidak_cocok",
                "NIK PENGURUS bukan NIK anggota keluarga siswa ini.",
                carer,
                pkh,
            )
            continue
        left_school = any(w in row.cells[KET].lower() for w in not_enrolled_words)
        records: list[RecordInput] = []
        problem = False
        for i, month in enumerate(months):
            block = row.months[i]
            if block is None and not left_school:
                continue
            heading = month_heading(month)
            if ATTENDANCE not in due[month].get(hid, {}).get(mid, []):
                reject(
                    row.number,
                    heading,
                    "bukan_komponen_sekolah",
                    f"Menurut data KPM, siswa tidak tercatat bersekolah pada {heading}; ajukan pemutakhiran bila ia bersekolah.",
                    key=pkh,
                )
                continue
            period = periods[month].pk
            if left_school:
                records.append(RecordInput(hid, mid, codes[ENROLLED], period, False, note=row.cells[KET][:300]))
                continue
            assert block is not None
            percent, message, rule, column = _attendance(block, days[i], counted)
            if percent is None:
                reject(row.number, f"{heading} {column}", rule, message, key=pkh)
                problem = True
                break
            records.append(RecordInput(hid, mid, codes[ENROLLED], period, True))
            records.append(
                RecordInput(
                    hid,
                    mid,
                    codes[ATTENDANCE],
                    period,
                    percent >= conf.school_attendance_min_percent,
                    value=percent,
                    note=row.cells[KET][:300],
                )
            )
        if not problem:
            out += records
    return out, rejects


def _attendance(
    block: MonthCells, effective: int | None, counted: tuple[str, ...]
) -> tuple[Decimal | None, str, str, str]:
    """A month's attendance %, or None with the message, rule and column of the problem. With the
    effective days: computed from the counted absences (only JML given: JML counts whole);
    without them: the % column."""
    parts = {"alpa": block.alpa, "izin": block.izin, "sakit": block.sakit}
    given = {k: v for k, v in parts.items() if v is not None}
    if given and block.jml is not None and sum(given.values()) != block.jml:
        message = f"JML ({block.jml}) tidak sama dengan ALPA + IZIN + SAKIT ({sum(given.values())})."
        return None, message, "jml_tidak_sesuai", "JML"
    if effective and (given or block.jml is not None):
        absences = {k: v or 0 for k, v in parts.items()} if given else {"jml": block.jml or 0}
        kinds = counted if given else ("jml",)
        if sum(absences.values()) > effective:
            message = f"Jumlah hari tidak hadir melebihi HARI EFEKTIF ({effective})."
            return None, message, "absen_melebihi_hari_efektif", "JML"
        return school_attendance_percent(effective, absences, counted=kinds), "", "", ""
    if block.percent is not None:
        if not Decimal(0) <= block.percent <= Decimal(100):
            return None, "Persen kehadiran harus 0-100.", "persen_di_luar_rentang", "%"
        return block.percent.quantize(Decimal("0.01")), "", "", ""
    message = "HARI EFEKTIF bulan ini kosong dan kolom % tidak diisi: persentase kehadiran tidak dapat dihitung."
    return None, message, "hari_efektif_kosong", "%"


# --- Prefilling a school's form ----------------------------------------------------------------


def quarter_months(year: int, quarter: int) -> list[dt.date]:
    return [dt.date(year, 3 * (quarter - 1) + i + 1, 1) for i in range(3)]


def _enrolled(user: Any, months: list[dt.date]) -> Any:
    start, end = months[0], month_end(months[-1])
    return SchoolEnrolment.objects.filter(
        member__is_active=True,
        member__household__in=Household.objects.filter(household_q(user), status__in=VERIFIED_STATUSES),
        valid_from__lte=end,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))


def schools_in_scope(user: Any, months: list[dt.date]) -> list[dict[str, Any]]:
    """Schools (by NPSN) with pupils from the user's families enrolled in the quarter."""
    from django.db.models import Count, Max

    return list(
        _enrolled(user, months)
        .exclude(npsn="")
        .values("npsn")
        .annotate(name=Max("school_name"), pupils=Count("member_id", distinct=True))
        .order_by("npsn")
    )


def school_pupils(user: Any, npsn: str, months: list[dt.date]) -> list[Pupil]:
    """The pupils of the user's families enrolled at the school in the quarter, to prefill its form."""
    rows = list(
        _enrolled(user, months)
        .filter(npsn=npsn)
        .select_related("member", "member__household", "member__household__pendamping")
        .order_by("level", "grade", "member__name", "pk")
    )
    carers = {
        hid: (nik or "", name)
        for hid, nik, name in Member.objects.filter(
            household_id__in={e.member.household_id for e in rows}, is_carer=True
        ).values_list("household_id", "nik", "name")
    }
    out: list[Pupil] = []
    seen: set[int] = set()
    for e in rows:
        if e.member_id in seen:
            continue
        seen.add(e.member_id)
        household = e.member.household
        carer_nik, carer_name = carers.get(household.pk, ("", ""))
        out.append(
            Pupil(
                carer_nik=carer_nik,
                carer_name=carer_name,
                nik=e.member.nik or "",
                nisn=e.nisn,
                name=e.member.name,
                level=e.level,
                grade="" if e.grade is None else str(e.grade),
                pendamping=household.pendamping.full_name if household.pendamping else "",
            )
        )
    return out


__all__ = ["IDENTITY_COLUMNS", "quarter_months", "school_pupils", "school_records", "schools_in_scope"]
