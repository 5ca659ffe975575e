"""The bank's result file (FORMATS.md §6.3): each row checked against its payment line and, when
valid, written onto it; the account status it reports moves the family's dated account status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone

from harapan.accounts.scope import household_q
from harapan.imports.parsing import identity_text, parse_date

from ..bulk import update_grouped
from ..models import AccountState, PaymentLine, ResultImport, SalurStatus
from .accounts import account_statuses_record
from .rows import Outcome, Reject, amount_of, reject_row

RESULT_COLUMNS = (
    "ID_SALUR",
    "NIK_PENGURUS",
    "NO_REKENING",
    "NAMA_REKENING",
    "NOMINAL",
    "STATUS_SALUR",
    "TGL_PROSES",
    "KODE_ALASAN",
    "KETERANGAN",
    "STATUS_REKENING",
    "SALDO",
)
RESULT_REQUIRED = ("ID_SALUR", "NIK_PENGURUS", "NOMINAL", "STATUS_SALUR")
# Statuses whose result needs a reason code.
NEEDS_REASON = frozenset({SalurStatus.GAGAL, SalurStatus.RETUR})


@dataclass
class ResultRow:
    id_salur: str
    nik: str
    account: str
    amount: int
    status: str
    processed_on: dt.date | None
    reason: str | None
    note: str
    account_status: str


def _parse_result(values: dict[str, str], reasons: set[str]) -> ResultRow:
    sid = values.get("ID_SALUR", "")
    if not sid:
        raise Reject("ID_SALUR", "wajib_diisi", "ID_SALUR wajib diisi.")
    status = values.get("STATUS_SALUR", "").upper().replace(" ", "_")
    if status not in SalurStatus.values:
        raise Reject(
            "STATUS_SALUR",
            "status_salur_tidak_dikenal",
            f"STATUS_SALUR harus salah satu dari {', '.join(SalurStatus.values)}.",
            values.get("STATUS_SALUR", ""),
        )
    amount = amount_of(values.get("NOMINAL", ""), "NOMINAL")
    processed_on = None
    if values.get("TGL_PROSES"):
        try:
            processed_on = parse_date(values["TGL_PROSES"])
        except ValueError:
            raise Reject(
                "TGL_PROSES", "tanggal_tidak_sah", "TGL_PROSES harus tanggal YYYY-MM-DD.", values["TGL_PROSES"]
            ) from None
    reason = values.get("KODE_ALASAN", "").upper() or None
    if reason is not None and reason not in reasons:
        raise Reject(
            "KODE_ALASAN", "kode_alasan_tidak_dikenal", f"KODE_ALASAN {reason} tidak ada di tabel kode alasan.", reason
        )
    if reason is None and status in NEEDS_REASON:
        raise Reject("KODE_ALASAN", "kode_alasan_wajib", f"Status {status} harus disertai KODE_ALASAN.")
    account_status = values.get("STATUS_REKENING", "").upper().replace(" ", "_")
    if account_status and account_status not in AccountState.values:
        raise Reject(
            "STATUS_REKENING",
            "status_rekening_tidak_dikenal",
            f"STATUS_REKENING harus salah satu dari {', '.join(AccountState.values)}.",
            account_status,
        )
    return ResultRow(
        id_salur=sid,
        nik=identity_text(values.get("NIK_PENGURUS", "")),
        account=identity_text(values.get("NO_REKENING", "")),
        amount=amount,
        status=status,
        processed_on=processed_on,
        reason=reason,
        note=values.get("KETERANGAN", "")[:500],
        account_status=account_status,
    )


def _check_line(row: ResultRow, line: PaymentLine | None, *, result: ResultImport, visible: bool) -> PaymentLine:
    if line is None:
        raise Reject(
            "ID_SALUR", "id_salur_tidak_dikenal", f"ID_SALUR {row.id_salur} bukan baris bayar tahap ini.", row.id_salur
        )
    if not visible:
        raise Reject("ID_SALUR", "di_luar_wilayah", "Keluarga ini di luar wilayah kerja Anda.", row.id_salur)
    if result.bank and line.bank != result.bank:
        raise Reject("ID_SALUR", "bank_lain", f"Baris ini dibayar melalui {line.bank}, bukan {result.bank}.", line.bank)
    if row.nik != line.carer_nik:
        raise Reject(
            "NIK_PENGURUS",
            "nik_tidak_cocok",
            f"NIK_PENGURUS tidak sama dengan NIK pengurus di berkas penerima ({line.carer_nik}).",
            row.nik,
        )
    if row.amount != line.amount:
        raise Reject(
            "NOMINAL",
            "nominal_tidak_cocok",
            f"NOMINAL {row.amount} tidak sama dengan nominal di berkas penerima ({line.amount}).",
            str(row.amount),
        )
    if row.account and line.account_number and row.account != line.account_number:
        raise Reject(
            "NO_REKENING",
            "rekening_tidak_cocok",
            f"NO_REKENING tidak sama dengan rekening di berkas penerima ({line.account_number}).",
            row.account,
        )
    return line


def _apply_result(row: ResultRow, line: PaymentLine, result: ResultImport) -> dict[str, Hashable] | None:
    """The line's new result from the row, as the values to write; None when it already holds
    exactly these values."""
    paid = line.amount if row.status == SalurStatus.SALUR else (None if row.status == SalurStatus.BELUM_SALUR else 0)
    new: dict[str, Hashable] = {
        "status_salur": row.status,
        "processed_on": row.processed_on,
        "reason_code_id": row.reason,
        "note": row.note,
        "account_status": row.account_status,
        "paid_amount": paid,
    }
    if all(getattr(line, k) == v for k, v in new.items()):
        return None
    if line.carried_to_id is not None:
        raise Reject(
            "STATUS_SALUR",
            "sudah_dibawa",
            f"Jumlah baris ini sudah dibayarkan sebagai tunggakan di tahap #{line.carried_to_id}; hasilnya tidak dapat diubah.",
            row.status,
        )
    if row.status == SalurStatus.SALUR:
        # A paid line is paid its own NOMINAL (the row's, checked equal): written as the column, so
        # paid lines of any amount share one UPDATE.
        new["paid_amount"] = F("amount")
    new["result_import_id"] = result.pk
    return new


def result_chunk(
    rows: list[tuple[int, dict[str, str]]], *, result: ResultImport, user: Any, seen: set[str], reasons: set[str]
) -> Outcome:
    outcome = Outcome()
    parsed: list[tuple[int, ResultRow]] = []
    for number, values in rows:
        try:
            row = _parse_result(values, reasons)
            if row.id_salur in seen:
                raise Reject(
                    "ID_SALUR", "id_salur_ganda", f"ID_SALUR {row.id_salur} muncul dua kali di berkas.", row.id_salur
                )
            seen.add(row.id_salur)
            parsed.append((number, row))
        except Reject as r:
            outcome.rejects.append(reject_row(result, number, r, values.get("ID_SALUR", "")))
    ids = [r.id_salur for _n, r in parsed]
    lines = {line.id_salur: line for line in PaymentLine.objects.filter(tahap=result.tahap, id_salur__in=ids)}
    visible = set(
        PaymentLine.objects.filter(tahap=result.tahap, id_salur__in=ids)
        .filter(household_q(user, prefix="household__"))
        .values_list("id_salur", flat=True)
    )
    changed: list[tuple[int, dict[str, Hashable]]] = []
    accounts: list[tuple[int, str, dt.date, str]] = []
    today = timezone.localdate()
    for number, row in parsed:
        try:
            line = _check_line(row, lines.get(row.id_salur), result=result, visible=row.id_salur in visible)
            new = _apply_result(row, line, result)
            if new is not None:
                changed.append((line.pk, new))
                outcome.applied += 1
            else:
                outcome.unchanged += 1
            if row.account_status:
                accounts.append(
                    (
                        line.household_id,
                        row.account_status,
                        row.processed_on or today,
                        row.account or line.account_number,
                    )
                )
        except Reject as r:
            outcome.rejects.append(reject_row(result, number, r, row.id_salur))
    update_grouped(PaymentLine, changed)
    account_statuses_record(accounts, actor=user, source=result.source, obj=result)
    return outcome
