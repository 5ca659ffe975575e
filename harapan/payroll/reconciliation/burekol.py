"""The burekol result (FORMATS.md §6.3): the BSI shape as it is, other banks' columns mapped by
configuration; an opened account goes to the family's record, audited with ``burekol:<id>``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from harapan.accounts.scope import household_q
from harapan.conf import setting
from harapan.imports.parsing import identity_text
from harapan.registry.models import Household

from ..models import AccountState, PaymentLine, ResultImport
from .accounts import account_statuses_record, household_accounts_update
from .rows import Outcome, Reject, reject_row

BUREKOL_COLUMNS = (
    "NIK",
    "NO_REKENING_COREBSI",
    "NAMA_REKENING_COREBSI",
    "NAMA_CABANG",
    "STATUS_BUREKOL",
    "KETERANGAN_BUREKOL",
)
BUREKOL_REQUIRED = ("NIK", "NO_REKENING_COREBSI", "STATUS_BUREKOL")


def burekol_chunk(
    rows: list[tuple[int, dict[str, str]]], *, result: ResultImport, user: Any, seen: set[str]
) -> Outcome:
    outcome = Outcome()
    success = {s.upper() for s in setting("payroll", "BUREKOL_SUCCESS")}
    niks = [identity_text(v.get("NIK", "")) for _n, v in rows]
    burekol = PaymentLine.objects.filter(tahap=result.tahap, needs_burekol=True, carer_nik__in=niks)
    lines = {line.carer_nik: line for line in burekol}
    visible = set(burekol.filter(household_q(user, prefix="household__")).values_list("carer_nik", flat=True))
    households = Household.objects.in_bulk([line.household_id for line in lines.values()])
    changed_lines: list[PaymentLine] = []
    changed_households: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    accounts: list[tuple[int, str, dt.date, str]] = []
    today = timezone.localdate()
    for number, values in rows:
        nik = identity_text(values.get("NIK", ""))
        try:
            if len(nik) != 16 or not nik.isdigit():
                raise Reject("NIK", "nik_16_digit", "NIK harus 16 digit angka.", nik)
            if nik in seen:
                raise Reject("NIK", "nik_ganda", f"NIK {nik} muncul dua kali di berkas.", nik)
            seen.add(nik)
            line = lines.get(nik)
            if line is None:
                raise Reject(
                    "NIK", "nik_bukan_burekol", "NIK ini bukan pengurus yang diajukan burekol di tahap ini.", nik
                )
            if nik not in visible:
                raise Reject("NIK", "di_luar_wilayah", "Keluarga ini di luar wilayah kerja Anda.", nik)
            if result.bank and line.bank != result.bank:
                raise Reject("NIK", "bank_lain", f"Burekol keluarga ini diajukan ke {line.bank}.", line.bank)
            state = values.get("STATUS_BUREKOL", "").strip().upper()
            note = values.get("KETERANGAN_BUREKOL", "")
            if state in success:
                account = identity_text(values.get("NO_REKENING_COREBSI", ""))
                if not account.isdigit() or len(account) > 20:
                    raise Reject(
                        "NO_REKENING_COREBSI",
                        "rekening_tidak_sah",
                        "Nomor rekening harus angka, paling panjang 20.",
                        account,
                    )
                holder = values.get("NAMA_REKENING_COREBSI", "")[:150] or line.carer_name
                branch = values.get("NAMA_CABANG", "")
                new_note = f"Burekol berhasil: rekening {account}{' cabang ' + branch if branch else ''}."
                new_state = AccountState.AKTIF
                household = households[line.household_id]
                before = {"account_number": household.account_number, "account_name": household.account_name}
                after = {"account_number": account, "account_name": holder}
                if household.bank != line.bank:
                    before["bank"], after["bank"] = household.bank, line.bank
                if before != after:
                    changed_households[household.pk] = (before, after)
                accounts.append((line.household_id, new_state, today, account))
            else:
                new_note = f"Burekol gagal: {note or state}."
                new_state = AccountState.BELUM_ADA
            if line.note == new_note[:500] and line.account_status == new_state:
                outcome.unchanged += 1
                continue
            if line.carried_to_id is not None:
                raise Reject("STATUS_BUREKOL", "sudah_dibawa", "Baris ini sudah dibawa ke tahap berikutnya.", state)
            line.note, line.account_status, line.result_import = new_note[:500], new_state, result
            changed_lines.append(line)
            outcome.applied += 1
        except Reject as r:
            outcome.rejects.append(reject_row(result, number, r, nik))
    PaymentLine.objects.bulk_update(changed_lines, ["note", "account_status", "result_import"], batch_size=1000)
    household_accounts_update(changed_households, households=households, actor=user, source=result.source)
    account_statuses_record(accounts, actor=user, source=result.source, obj=result)
    return outcome
