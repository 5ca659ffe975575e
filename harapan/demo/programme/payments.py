"""The tahap of the demo year and the district's dana sharing (RULES.md "Disbursement and data";
FORMATS.md §6.2, §6.3; docs/formats/bank-recipient-v1.md), through the payroll's own services.

Each tahap whose cut-off is before the reference date goes the way an operator and Dinas Sosial take
it: opened for the kabupaten with its cut-off, computed now (``tahap_compute``, the task's body run
synchronously), approved by a second person of Dinas Sosial kabupaten (graduasi alamiah applied),
issued; then each Himbara bank sends back what it did, read through the bank result import
(``reconciliation.result_import_create`` / ``result_import_execute``):

- the burekol result first, for the lines of families without an account: most accounts opened
  (written to the family's record), a few not (the carer could not be found, a NIK the bank could
  not match);
- the payment result of every line, as the bank writes it: about 97% SALUR on the bank's processing
  days, the rest GAGAL or RETUR with a reason code of the table (saldo nol and a swallowed card carry
  the amount to the family's next tahap; a dormant or blocked account moves the family's account
  status and keeps it out of the next tahap; a carer who died or could not be found).

Cut-offs: the first day of the second month of each quarter (1 February, 1 May, 1 August,
1 November), as the README's example tahap 4 (``--cutoff 2026-11-01``); the payroll has no
configured calendar. Dana sharing: Dinas Sosial records the district's APBD co-funding for the year
at 5-6% of the PKH funds paid in it (RULES.md: target ≥ 5%; seed 004 quotes a province still short
of it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Coalesce

from harapan.demo.generator import ACCOUNT_DIGITS
from harapan.payroll.models import DanaSharing, PaymentLine, ResultImport, SalurStatus, Tahap, TahapStatus
from harapan.payroll.reconciliation import BUREKOL_COLUMNS, RESULT_COLUMNS, result_import_create, result_import_execute
from harapan.payroll.rules import dana_sharing_percent
from harapan.payroll.services import dana_sharing_record, tahap_approve, tahap_compute, tahap_issue, tahap_open
from harapan.regions.models import Region

# The month (of the tahap's quarter) whose first day is the cut-off: the second.
CUT_OFF_MONTH_OF_QUARTER = 2
SOURCE = "seed"

# What the bank reports for a line it did not pay: (status, reason code, account status, weight).
UNPAID = (
    (SalurStatus.GAGAL, "SALDO_NOL", "", 26),
    (SalurStatus.GAGAL, "KARTU_TERTELAN", "", 9),
    (SalurStatus.GAGAL, "LUPA_PIN", "", 12),
    (SalurStatus.GAGAL, "KARTU_HILANG", "", 11),
    (SalurStatus.RETUR, "REKENING_TIDAK_AKTIF", "DORMANT", 13),
    (SalurStatus.RETUR, "REKENING_DIBLOKIR", "BLOKIR", 9),
    (SalurStatus.GAGAL, "NIK_TIDAK_PADAN", "", 8),
    (SalurStatus.RETUR, "KPM_TIDAK_DITEMUKAN", "", 7),
    (SalurStatus.RETUR, "KPM_MENINGGAL", "", 3),
    (SalurStatus.GAGAL, "LAINNYA", "", 2),
)
UNPAID_NOTES = {
    "SALDO_NOL": "Dana belum masuk rekening saat penarikan",
    "KARTU_TERTELAN": "Kartu tertelan mesin ATM",
    "LUPA_PIN": "KPM lupa PIN, kartu terblokir sementara",
    "KARTU_HILANG": "KKS hilang, belum ada kartu pengganti",
    "REKENING_TIDAK_AKTIF": "Rekening dormant, dana dikembalikan ke kas negara",
    "REKENING_DIBLOKIR": "Rekening diblokir bank",
    "NIK_TIDAK_PADAN": "NIK pengurus tidak padan dengan data bank",
    "KPM_TIDAK_DITEMUKAN": "KPM tidak ditemukan di alamat",
    "KPM_MENINGGAL": "Pengurus meninggal dunia",
    "LAINNYA": "Kendala jaringan agen",
}
BUREKOL_FAILED = ("Pengurus tidak hadir saat pembukaan rekening", "NIK tidak padan dengan data Dukcapil")


@dataclass(frozen=True)
class BankRates:
    salur: float = 0.97  # of lines: paid
    burekol_opened: float = 0.9  # of burekol lines: account opened (and paid)
    dana_sharing_percent: tuple[float, float] = (5.1, 5.9)  # APBD as a share of PKH paid, low-high


@dataclass
class TahapResult:
    tahap: Tahap
    result_imports: list[ResultImport] = field(default_factory=list)


def cut_offs(year: int, as_of: dt.date, *, tahap_count: int = 4) -> list[tuple[int, dt.date]]:
    """(number, cut-off) of the year's tahap whose cut-off is before ``as_of``: the first day of
    the second month of each tahap's quarter of the year (a tahap is a quarter, RULES.md)."""
    months = 12 // tahap_count
    out = []
    for number in range(1, tahap_count + 1):
        cut_off = dt.date(year, months * (number - 1) + min(CUT_OFF_MONTH_OF_QUARTER, months), 1)
        if cut_off < as_of:
            out.append((number, cut_off))
    return out


def year_tahap(kabupaten: str, year: int) -> Tahap | None:
    """The district's first live tahap of ``year`` (the command's sign that the year was seeded)."""
    return (
        Tahap.objects.filter(region_id=kabupaten, year=year)
        .exclude(status=TahapStatus.DIBATALKAN)
        .order_by("number")
        .first()
    )


def _lines_csv(header: Iterable[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(list(header))
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _processed_on(rng: random.Random, tahap: Tahap, as_of: dt.date) -> dt.date:
    """The bank's processing day: three to six weeks after the cut-off, never on or after ``as_of``."""
    day = tahap.cut_off + dt.timedelta(days=rng.randint(21, 42))
    return min(day, as_of - dt.timedelta(days=1))


def _bank_lines(tahap: Tahap, bank: str) -> list[tuple[Any, ...]]:
    return list(
        PaymentLine.objects.filter(tahap=tahap, bank=bank, cancelled=False)
        .order_by("desa_id", "pkh_id", "id")
        .values_list("id_salur", "household_id", "carer_nik", "carer_name", "account_number", "amount", "needs_burekol")
    )


def burekol_rows(
    lines: list[tuple[Any, ...]], *, bank: str, branch: str, seed: int, tahap: Tahap, rates: BankRates
) -> tuple[list[list[str]], set[str]]:
    """The bank's burekol result rows (BSI column names, FORMATS.md §6.3) for the lines that needed
    an account, and the ID_SALUR of the lines whose account was opened."""
    rows: list[list[str]] = []
    opened: set[str] = set()
    for sid, hid, nik, name, _account, _amount, burekol in lines:
        if not burekol:
            continue
        rng = random.Random(f"burekol:{seed}:{tahap.number}:{hid}")
        if rng.random() < rates.burekol_opened:
            account = f"{rng.randrange(10 ** ACCOUNT_DIGITS.get(bank, 10)):0{ACCOUNT_DIGITS.get(bank, 10)}d}"
            rows.append([nik, account, name.upper(), branch, "BERHASIL", "Rekening kolektif dibuka"])
            opened.add(sid)
        else:
            rows.append([nik, "", name.upper(), branch, "GAGAL", rng.choice(BUREKOL_FAILED)])
    return rows, opened


def result_rows(
    lines: list[tuple[Any, ...]], *, tahap: Tahap, opened: set[str], seed: int, as_of: dt.date, rates: BankRates
) -> Iterator[list[str]]:
    """The bank's result rows (FORMATS.md §6.3) for every line of its recipient file."""
    weights = [w for *_rest, w in UNPAID]
    for sid, hid, nik, _name, account, amount, burekol in lines:
        rng = random.Random(f"salur:{seed}:{tahap.number}:{hid}")
        day = _processed_on(rng, tahap, as_of).isoformat()
        if burekol and sid not in opened:
            status, reason, account_status = SalurStatus.GAGAL, "NIK_TIDAK_PADAN", "BELUM_ADA"
        elif rng.random() < rates.salur or burekol:
            yield [sid, nik, account, "", str(amount), SalurStatus.SALUR, day, "", "", "AKTIF" if burekol else "", ""]
            continue
        else:
            status, reason, account_status, _w = rng.choices(UNPAID, weights=weights)[0]
        yield [sid, nik, account, "", str(amount), status, day, reason, UNPAID_NOTES[reason], account_status, "0"]


def _import(tahap: Tahap, *, kind: str, bank: str, content: bytes, file_name: str, acting_user: Any) -> ResultImport:
    result = result_import_create(
        tahap=tahap, kind=kind, bank=bank, file=io.BytesIO(content), file_name=file_name, acting_user=acting_user
    )
    result = result_import_execute(result_id=result.pk)
    if result.state != ResultImport.State.DONE:
        raise RuntimeError(f"Impor hasil bank #{result.pk} {file_name} gagal: {result.error}")
    return result


def bank_results_import(
    tahap: Tahap, *, seed: int, as_of: dt.date, acting_user: Any, rates: BankRates
) -> list[ResultImport]:
    """Each bank's burekol result (when it had burekol lines) and payment result for ``tahap``."""
    kabupaten_name = Region.objects.filter(code=tahap.region_id).values_list("name", flat=True).first() or ""
    town = kabupaten_name.replace("Kabupaten ", "").replace("Kota ", "")
    banks = sorted(set(PaymentLine.objects.filter(tahap=tahap).values_list("bank", flat=True)))
    done: list[ResultImport] = []
    stem = f"tahap-{tahap.year}-{tahap.number}-{tahap.region_id}"
    for bank in banks:
        lines = _bank_lines(tahap, bank)
        rows, opened = burekol_rows(lines, bank=bank, branch=f"{bank} KC {town}", seed=seed, tahap=tahap, rates=rates)
        if rows:
            done.append(
                _import(
                    tahap,
                    kind=ResultImport.Kind.BUREKOL,
                    bank=bank,
                    content=_lines_csv(BUREKOL_COLUMNS, rows),
                    file_name=f"{stem}-{bank}-hasil-burekol.csv",
                    acting_user=acting_user,
                )
            )
        content = _lines_csv(
            RESULT_COLUMNS, result_rows(lines, tahap=tahap, opened=opened, seed=seed, as_of=as_of, rates=rates)
        )
        done.append(
            _import(
                tahap,
                kind=ResultImport.Kind.HASIL,
                bank=bank,
                content=content,
                file_name=f"{stem}-{bank}-hasil-salur.csv",
                acting_user=acting_user,
            )
        )
    return done


def tahap_run(
    *,
    kabupaten: str,
    year: int,
    number: int,
    cut_off: dt.date,
    as_of: dt.date,
    seed: int,
    operator: Any,
    approver: Any,
    rates: BankRates,
) -> TahapResult:
    """One tahap from opening to the bank's results (see the module docstring)."""
    tahap = tahap_open(
        region_code=kabupaten, year=year, number=number, cut_off=cut_off, acting_user=operator, source=SOURCE
    )
    tahap = tahap_compute(tahap=tahap, acting_user=operator, source=SOURCE)
    tahap = tahap_approve(tahap=tahap, acting_user=approver, source=SOURCE)
    tahap = tahap_issue(tahap=tahap, acting_user=operator, source=SOURCE)
    imports = bank_results_import(tahap, seed=seed, as_of=as_of, acting_user=operator, rates=rates)
    tahap.refresh_from_db()
    return TahapResult(tahap=tahap, result_imports=imports)


def year_paid(kabupaten: str, year: int) -> tuple[int, int]:
    """(planned, paid) rupiah of the district's lines of ``year`` in approved tahap."""
    totals = PaymentLine.objects.filter(
        year=year,
        cancelled=False,
        desa__code__startswith=kabupaten + ".",
        tahap__status__in=(TahapStatus.DISETUJUI, TahapStatus.DITERBITKAN, TahapStatus.DIREKONSILIASI),
    ).aggregate(planned=Coalesce(Sum("amount"), 0), paid=Coalesce(Sum("paid_amount"), 0))
    return int(totals["planned"]), int(totals["paid"])


def dana_sharing_seed(
    *, kabupaten: str, year: int, seed: int, acting_user: Any, rates: BankRates
) -> DanaSharing | None:
    """Dinas Sosial records the year's APBD co-funding at 5-6% of the PKH funds paid (none when
    nothing was paid); an amount already recorded is left as it is."""
    existing = DanaSharing.objects.filter(kabupaten_id=kabupaten, year=year).first()
    if existing is not None:
        return existing
    _planned, paid = year_paid(kabupaten, year)
    if paid <= 0:
        return None
    rng = random.Random(f"dana-sharing:{seed}:{kabupaten}:{year}")
    percent = rng.uniform(*rates.dana_sharing_percent)
    apbd = int(paid * percent / 100)
    share = dana_sharing_percent(apbd, paid)
    return dana_sharing_record(
        kabupaten_code=kabupaten,
        year=year,
        apbd_amount=apbd,
        note=f"Realisasi APBD {year} untuk pendampingan dan operasional PKH ({share}% dari bantuan tersalur).",
        acting_user=acting_user,
    )
