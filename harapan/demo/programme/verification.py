"""Commitment verification of the demo year (RULES.md "Obligations (conditionalities)", "Sanctions
(configurable ladder)"): the files schools and health facilities send back, brought in through the
compliance import (``compliance.importing``: the same stored run, row checks and record writer as an
upload), and the monthly evaluation of the ladder (``compliance.evaluation``), which derives the
month's P2K2 records from the meetings held and raises and lifts sanctions.

- **School forms** (FORMATS.md §4.2), for the latest finished quarter(s): the schools' forms of a
  kecamatan gathered by its education office into one file (the form's layout, school after school;
  at most ``MAX_PUPILS_PER_FILE`` pupils a file), prefilled with the pupils of the district's
  families as the verification page exports them and filled in as a school does: the effective
  school days of each month, each pupil's days absent (sick, with leave, without), a few pupils
  often truant, a very few who left school ("putus sekolah"). One file per school would be some
  1,200 imports a quarter for the 60,000-family demo: minutes of per-file work for the same rows.
- **Health facility files** (compliance.health), for the latest finished months: one per puskesmas
  (kecamatan) and month, a row per health obligation due that month
  (``compliance.selectors.households_due``) of the members with a NIK: weighing and immunisation of
  young children, vitamin A in its months, antenatal and postnatal checks; most met.
- **Evaluation**: each finished month, in order, as the operator presses "evaluate" on the sanctions
  page (an ``EvaluationRun`` per month).

Only the latest quarter's school forms and the latest month's health files are brought in by default
(``VerificationRates``): every record is a row and an audit event written by the compliance app, one
quarter of school forms is some 400,000 of them for the 60,000-family demo (about two minutes), a
month of health files 45,000; the earlier months are verified from the P2K2 meetings alone (a
district that began bringing the files in this year).

Deterministic: every draw comes from ``random.Random`` seeded with the seed and the pupil, member or
file; the same database and seed give the same files.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from harapan.compliance.evaluation import evaluation_run_create, evaluation_run_execute
from harapan.compliance.health import COLUMNS as HEALTH_COLUMNS
from harapan.compliance.health import HEALTH_KINDS
from harapan.compliance.importing import verification_run_create, verification_run_execute
from harapan.compliance.models import EvaluationRun, Obligation, RunKind, VerificationImportRun
from harapan.compliance.rules import add_months, month_end
from harapan.compliance.selectors import households_due
from harapan.compliance.services.records import VERIFIED_STATUSES
from harapan.compliance.verkom import BLOCK, IDENTITY_COLUMNS, TITLE, month_heading
from harapan.imports.models import RunStatus
from harapan.regions.models import Region
from harapan.registry.models import Household, Member, Pregnancy, SchoolEnrolment

# Effective school days of a typical month in East Java (semester breaks in late June and in
# December, the Lebaran holiday, national holidays).
EFFECTIVE_DAYS = {1: 20, 2: 19, 3: 15, 4: 21, 5: 18, 6: 14, 7: 12, 8: 20, 9: 21, 10: 22, 11: 20, 12: 13}
# An ordinary pupil's chance of being absent on a school day, and why (sick, with leave, without).
ABSENT_PER_DAY = 0.022
ABSENCE_KINDS = (("sakit", 55), ("izin", 28), ("alpa", 17))
NOT_ENROLLED_NOTE = "putus sekolah"
TRUANT_NOTES = ("sering membolos, orang tua sudah dipanggil", "membantu orang tua bekerja", "")
# A health obligation not met in a month, by obligation code (others: DEFAULT_MISS).
HEALTH_MISS = {
    "bayi_penimbangan": 0.05,
    "balita_penimbangan": 0.07,
    "bayi_imunisasi": 0.04,
    "balita_imunisasi": 0.04,
    "bayi_vitamin_a": 0.05,
    "balita_vitamin_a": 0.06,
    "anc": 0.05,
    "persalinan_nakes": 0.06,
    "nifas": 0.07,
}
DEFAULT_MISS = 0.05
HEALTH_NOTES = {
    False: ("tidak datang ke posyandu", "sedang ke luar desa", "anak sakit", "lupa jadwal"),
    True: ("", "", "", "kunjungan rumah bidan desa"),
}


MAX_PUPILS_PER_FILE = 2000
MAX_ROWS_PER_HEALTH_FILE = 6000
CHUNK = 5000  # families per households_due call


@dataclass(frozen=True)
class VerificationRates:
    school_quarters: int = 1  # the latest finished quarters with school forms
    health_months: int = 1  # the latest finished months with health facility files
    truant: float = 0.012  # of pupils: often absent without leave
    dropout: float = 0.003  # of pupils: leave school during the year


@dataclass
class VerificationResult:
    school_files: int = 0
    health_files: int = 0
    records_created: int = 0
    rows_rejected: int = 0
    months: list[dt.date] = field(default_factory=list)
    evaluations: list[EvaluationRun] = field(default_factory=list)


def finished_months(year: int, as_of: dt.date) -> list[dt.date]:
    """The months of ``year`` that are over before ``as_of``: the ones a verification can cover."""
    out = []
    for m in range(1, 13):
        first = dt.date(year, m, 1)
        if month_end(first) < as_of:
            out.append(first)
    return out


def _absence_cdf(days: int, p: float = ABSENT_PER_DAY) -> list[float]:
    """P(at most k days absent) of ``days`` school days, each missed with chance ``p`` (binomial)."""
    out, total = [], 0.0
    for k in range(days + 1):
        total += math.comb(days, k) * p**k * (1 - p) ** (days - k)
        out.append(total)
    return out


ABSENCE_CDF = {days: _absence_cdf(days) for days in set(EFFECTIVE_DAYS.values())}


def _absences(rng: random.Random, days: int) -> dict[str, int]:
    """An ordinary pupil's days absent in a month of ``days`` school days, by kind."""
    total = bisect.bisect_left(ABSENCE_CDF[days], rng.random())
    out = {"sakit": 0, "izin": 0, "alpa": 0}
    for kind in rng.choices([k for k, _w in ABSENCE_KINDS], weights=[w for _k, w in ABSENCE_KINDS], k=total):
        out[kind] += 1
    return out


def _area(kabupaten: str, path: str) -> Q:
    return Q(**{f"{path}desa__code__startswith": kabupaten + "."})


# --- School forms --------------------------------------------------------------------------------


@dataclass
class _Pupil:
    member_id: int
    household_id: int
    npsn: str
    nik: str
    nisn: str
    name: str
    level: str
    grade: str
    since: dt.date
    until: dt.date | None
    pendamping: str


def _quarter_pupils(kabupaten: str, months: list[dt.date]) -> dict[str, list[_Pupil]]:
    """The pupils of the district's verified families enrolled in the quarter, per kecamatan, school
    after school (NPSN) and in the order the verification page prefills a school's form."""
    start, end = months[0], month_end(months[-1])
    rows = (
        SchoolEnrolment.objects.filter(
            _area(kabupaten, "member__household__"),
            member__is_active=True,
            member__household__status__in=VERIFIED_STATUSES,
            valid_from__lte=end,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .exclude(npsn="")
        .order_by("npsn", "level", "grade", "member__name", "pk")
        .values_list(
            "npsn",
            "member_id",
            "member__household_id",
            "member__household__desa_id",
            "member__nik",
            "nisn",
            "member__name",
            "level",
            "grade",
            "valid_from",
            "valid_to",
            "member__household__pendamping__full_name",
        )
    )
    out: dict[str, list[_Pupil]] = defaultdict(list)
    kecamatan_of: dict[str, str] = {}
    seen: set[int] = set()
    for npsn, mid, hid, desa, nik, nisn, name, level, grade, since, until, pendamping in rows:
        if mid in seen:
            continue
        seen.add(mid)
        # A school's pupils go to the file of the kecamatan its first pupil lives in.
        kecamatan = kecamatan_of.setdefault(npsn, desa.rsplit(".", 1)[0])
        out[kecamatan].append(
            _Pupil(
                mid,
                hid,
                npsn,
                nik or "",
                nisn,
                name,
                level,
                "" if grade is None else str(grade),
                since,
                until,
                pendamping or "",
            )
        )
    return out


def _school_row_months(
    pupil: _Pupil, months: list[dt.date], *, seed: int, rates: VerificationRates, year_months: list[dt.date]
) -> tuple[list[list[str]], str]:
    """The five cells of each month of the quarter (blank when the pupil was not enrolled yet) and
    the KET remark, as a school writes them."""
    kind = random.Random(f"school-pupil:{seed}:{pupil.member_id}")
    roll = kind.random()
    dropout_month = kind.choice(year_months) if roll < rates.dropout and year_months else None
    truant = rates.dropout <= roll < rates.dropout + rates.truant
    rng = random.Random(f"school-quarter:{seed}:{pupil.member_id}:{months[0]:%Y-%m}")
    if dropout_month is not None and dropout_month <= months[-1]:
        return [[""] * 5 for _m in months], NOT_ENROLLED_NOTE
    cells: list[list[str]] = []
    for month in months:
        if pupil.since > month_end(month) or (pupil.until is not None and pupil.until < month):
            cells.append([""] * 5)
            continue
        days = EFFECTIVE_DAYS[month.month]
        absent = _absences(rng, days)
        sakit, izin, alpa = absent["sakit"], absent["izin"], absent["alpa"]
        if truant and rng.random() < 0.7:
            alpa += rng.randint(3, 7)
        alpa = min(alpa, days)
        izin = min(izin, days - alpa)
        sakit = min(sakit, days - alpa - izin)
        total = alpa + izin + sakit
        percent = f"{100 * (days - total) / days:.1f}".replace(".", ",")
        cells.append([str(alpa), str(izin), str(sakit), str(total), percent])
    note = rng.choice(TRUANT_NOTES) if truant and any(any(c) for c in cells) else ""
    return cells, note


def school_form_lines(
    *,
    npsn: str,
    school_name: str,
    months: list[dt.date],
    pupils: Iterable[tuple[str, str, _Pupil, list[list[str]], str]],
) -> Iterator[str]:
    """A filled-in school form as CSV text in the §4.2 layout (the verification page's export with
    the effective days and every pupil's absences written in): rows of (carer NIK, carer name,
    pupil, month cells, KET)."""

    class _Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    blank = [""] * 4
    yield "\ufeff"
    yield writer.writerow([TITLE])
    yield writer.writerow([f"NPSN : {npsn}"])
    yield writer.writerow([f"Nama Sekolah : {school_name}"])
    yield writer.writerow(
        [*IDENTITY_COLUMNS, *(v for m in months for v in [month_heading(m), *blank]), "KET", "NAMA PENDAMPING"]
    )
    yield writer.writerow(
        [*[""] * 8, *(v for m in months for v in [f"HARI EFEKTIF : {EFFECTIVE_DAYS[m.month]}", *blank]), "", ""]
    )
    yield writer.writerow([*[""] * 8, *(BLOCK * len(months)), "", ""])
    for i, (carer_nik, carer_name, p, cells, note) in enumerate(pupils, start=1):
        yield writer.writerow(
            [
                i,
                carer_nik,
                carer_name,
                p.nik,
                p.nisn,
                p.name,
                p.level,
                p.grade,
                *(c for month in cells for c in month),
                note,
                p.pendamping,
            ]
        )


def _files(pupils: list[_Pupil]) -> Iterator[list[_Pupil]]:
    """A kecamatan's pupils cut into files of at most MAX_PUPILS_PER_FILE, never splitting a school."""
    batch: list[_Pupil] = []
    for _npsn, group in itertools.groupby(pupils, key=lambda p: p.npsn):
        school = list(group)
        if batch and len(batch) + len(school) > MAX_PUPILS_PER_FILE:
            yield batch
            batch = []
        batch.extend(school)
    if batch:
        yield batch


def school_quarter_import(
    *,
    kabupaten: str,
    months: list[dt.date],
    year_months: list[dt.date],
    seed: int,
    acting_user: Any,
    rates: VerificationRates,
    result: VerificationResult,
) -> None:
    """The schools' forms of the quarter ``months``, filled in and imported, one file per kecamatan
    (or part of one)."""
    carers = {
        hid: (nik or "", name)
        for hid, nik, name in Member.objects.filter(
            _area(kabupaten, "household__"), is_carer=True, household__status__in=VERIFIED_STATUSES
        ).values_list("household_id", "nik", "name")
    }
    kecamatan_names = dict(Region.objects.filter(parent_id=kabupaten).values_list("code", "name"))
    quarter = (months[0].month - 1) // 3 + 1
    for kecamatan, pupils in sorted(_quarter_pupils(kabupaten, months).items()):
        name = kecamatan_names.get(kecamatan, kecamatan)
        for part, batch in enumerate(_files(pupils), start=1):
            rows = []
            for p in batch:
                cells, note = _school_row_months(p, months, seed=seed, rates=rates, year_months=year_months)
                if not note and not any(any(c) for c in cells):
                    continue  # not at this school during the quarter
                carer_nik, carer_name = carers.get(p.household_id, ("", ""))
                rows.append((carer_nik, carer_name, p, cells, note))
            if not rows:
                continue
            schools = len({p.npsn for _n, _c, p, _cells, _note in rows})
            text = "".join(
                school_form_lines(
                    npsn="-",
                    school_name=f"Rekap {schools} sekolah, UPTD Pendidikan Kecamatan {name}",
                    months=months,
                    pupils=rows,
                )
            )
            slug = name.lower().replace(" ", "-")
            run = verification_run_create(
                user=acting_user,
                kind=RunKind.SEKOLAH,
                file=io.BytesIO(text.encode("utf-8")),
                file_name=f"verkom-pendidikan-{slug}-{part}-{months[0].year}-triwulan-{quarter}.csv",
                year=months[0].year,
            )
            _count(verification_run_execute(run_id=run.pk), result)
            result.school_files += 1


# --- Health facility files ---------------------------------------------------------------------


def _health_candidates(kabupaten: str, month: dt.date) -> dict[str, list[int]]:
    """Per kecamatan, the verified families that may owe a health check in ``month``: a member under
    five, or a pregnancy that began before the month ended and had not ended long before it (the
    exact obligations come from ``households_due``)."""
    end = month_end(month)
    young = Member.objects.filter(birth_date__gt=add_months(month, -61), birth_date__lte=end).values("household_id")
    pregnant = Pregnancy.objects.filter(valid_from__lte=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=month - dt.timedelta(days=62))
    )
    families = Household.objects.filter(_area(kabupaten, ""), status__in=VERIFIED_STATUSES).filter(
        Q(pk__in=young) | Q(pk__in=pregnant.values("member__household_id"))
    )
    out: dict[str, list[int]] = defaultdict(list)
    for hid, desa in families.order_by("pk").values_list("pk", "desa_id"):
        out[desa.rsplit(".", 1)[0]].append(hid)
    return out


def health_file_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """A health facility file (compliance.health layout) as ``;`` CSV, UTF-8 with a BOM."""

    class _Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    yield writer.writerow(list(HEALTH_COLUMNS))
    for row in rows:
        yield writer.writerow(row)


def health_month_import(
    *, kabupaten: str, month: dt.date, seed: int, acting_user: Any, result: VerificationResult
) -> None:
    """Each puskesmas's file of ``month``: one row per health obligation due of its members."""
    health_codes = set(Obligation.objects.filter(kind__in=HEALTH_KINDS, is_active=True).values_list("code", flat=True))
    kecamatan_names = dict(Region.objects.filter(parent_id=kabupaten).values_list("code", "name"))
    for kecamatan, ids in sorted(_health_candidates(kabupaten, month).items()):
        due: dict[int, dict[int, list[str]]] = {}
        members: dict[int, tuple[str, str, str, str]] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            due.update(households_due(chunk, month))
            for mid, nik, pkh, member_name, desa in Member.objects.filter(
                household_id__in=chunk, is_active=True
            ).values_list("pk", "nik", "household__pkh_id", "name", "household__desa__name"):
                members[mid] = (nik or "", pkh, member_name, desa)
        rows: list[list[str]] = []
        for hid in sorted(due):
            for mid, codes in sorted(due[hid].items()):
                nik, pkh, member_name, desa = members.get(mid, ("", "", "", ""))
                if not nik:
                    continue  # the posyandu's register has no NIK for this member: not reported
                for code in codes:
                    if code not in health_codes:
                        continue
                    rng = random.Random(f"health:{seed}:{mid}:{code}:{month:%Y-%m}")
                    met = rng.random() >= HEALTH_MISS.get(code, DEFAULT_MISS)
                    place = f"Posyandu {desa}" if "balita" in code or "bayi" in code else ""
                    place = place or f"Puskesmas {kecamatan_names.get(kecamatan, '')}"
                    rows.append(
                        [
                            nik,
                            pkh,
                            member_name,
                            f"{month:%Y-%m}",
                            code,
                            "Y" if met else "T",
                            "",
                            place,
                            rng.choice(HEALTH_NOTES[met]),
                        ]
                    )
        slug = kecamatan_names.get(kecamatan, kecamatan).lower().replace(" ", "-")
        for part, start in enumerate(range(0, len(rows), MAX_ROWS_PER_HEALTH_FILE), start=1):
            text = "".join(health_file_lines(rows[start : start + MAX_ROWS_PER_HEALTH_FILE]))
            run = verification_run_create(
                user=acting_user,
                kind=RunKind.FASKES,
                file=io.BytesIO(text.encode("utf-8")),
                file_name=f"faskes-puskesmas-{slug}-{part}-{month:%Y-%m}.csv",
            )
            _count(verification_run_execute(run_id=run.pk), result)
            result.health_files += 1


def _count(run: VerificationImportRun, result: VerificationResult) -> None:
    if run.status != RunStatus.DONE:
        raise RuntimeError(f"Impor verifikasi #{run.pk} {run.file_name} gagal: {run.error}")
    result.records_created += run.records_created
    result.rows_rejected += run.rows_rejected


# --- The month ---------------------------------------------------------------------------------


def verification_month(
    *,
    kabupaten: str,
    month: dt.date,
    year_months: list[dt.date],
    seed: int,
    acting_user: Any,
    rates: VerificationRates,
    result: VerificationResult,
) -> EvaluationRun:
    """What arrives in the days after ``month`` ends: the health facilities' files and, when a
    quarter ended, the schools' forms (in the latest months, ``rates``), then the evaluation of the
    month's ladder. ``year_months``: the finished months of the year, in order."""
    latest = year_months[-rates.health_months :] if rates.health_months > 0 else []
    if month in latest:
        health_month_import(kabupaten=kabupaten, month=month, seed=seed, acting_user=acting_user, result=result)
    quarter_ends = [m for m in year_months if m.month % 3 == 0]
    if month.month % 3 == 0 and rates.school_quarters > 0 and month in quarter_ends[-rates.school_quarters :]:
        school_quarter_import(
            kabupaten=kabupaten,
            months=[add_months(month, -2), add_months(month, -1), month],
            year_months=year_months,
            seed=seed,
            acting_user=acting_user,
            rates=rates,
            result=result,
        )
    run = evaluation_run_create(user=acting_user, region=kabupaten, month=month)
    run = evaluation_run_execute(evaluation_id=run.pk)
    if run.status != RunStatus.DONE:
        raise RuntimeError(f"Evaluasi {kabupaten} {month:%Y-%m} gagal: {run.error}")
    result.months.append(month)
    result.evaluations.append(run)
    return run
