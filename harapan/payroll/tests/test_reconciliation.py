"""Reconciliation (FORMATS.md §6.3; RULES.md: Disbursement and data): the bank's result file marks
each line, with per-row rejects; re-importing changes nothing; failures with a carrying reason are
added to the family's next tahap; a blocked account keeps the family out until it is active again;
the burekol result gives families their accounts through an audited change."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from harapan.audit.models import AuditEvent
from harapan.payroll.models import AccountStatus, Exclusion, PaymentLine, ResultImport, Tahap, TahapStatus
from harapan.payroll.reconciliation import RESULT_COLUMNS, result_import_create, result_import_execute
from harapan.payroll.services import tahap_approve
from harapan.registry.models import Household
from harapan.testing import make_household

from .conftest import CUT_OFF, PER_TAHAP, give_accounts


def result_file(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] = RESULT_COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter=";", extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow(r)
    return path


def row_for(line: PaymentLine, status: str = "SALUR", **kw: Any) -> dict[str, Any]:
    return {
        "ID_SALUR": line.id_salur,
        "NIK_PENGURUS": line.carer_nik,
        "NO_REKENING": line.account_number,
        "NAMA_REKENING": line.account_name,
        "NOMINAL": line.amount,
        "STATUS_SALUR": status,
        "TGL_PROSES": "2026-03-20",
        "KODE_ALASAN": "",
        "KETERANGAN": "",
        "STATUS_REKENING": "AKTIF",
        "SALDO": "0",
        **kw,
    }


def import_file(tahap: Tahap, path: Path, user: Any, *, kind: str = "hasil", bank: str = "BRI") -> ResultImport:
    with path.open("rb") as fh:
        result = result_import_create(tahap=tahap, kind=kind, bank=bank, file=fh, file_name=path.name, acting_user=user)
    result = result_import_execute(result_id=result.pk, chunk_size=3)
    result.refresh_from_db()
    return result


def families(n: int) -> list[Household]:
    out = [make_household(children=[(dt.date(2021 + i % 4, 2, 2), None)]) for i in range(n)]
    give_accounts(*out)
    return out


def test_result_file_marks_lines_and_rejects_bad_rows_with_row_column_and_rule(
    run_tahap, approve_and_issue, operator, tmp_path: Path
) -> None:
    fams = families(5)
    tahap = approve_and_issue(run_tahap())
    lines = [PaymentLine.objects.get(household=h) for h in fams]
    rows = [
        row_for(lines[0]),
        row_for(lines[1], "GAGAL", KODE_ALASAN="SALDO_NOL", KETERANGAN="Saldo nol saat tarik", STATUS_REKENING="AKTIF"),
        row_for(lines[2], "GAGAL", KODE_ALASAN="", STATUS_REKENING="BLOKIR"),  # no reason
        row_for(lines[3], NOMINAL=lines[3].amount + 1),
        row_for(lines[4], NIK_PENGURUS="3511014101900001"),
        {**row_for(lines[0]), "ID_SALUR": "2026-1-999-999"},
        row_for(lines[0], STATUS_SALUR="DIBAYAR"),
        row_for(lines[1], KODE_ALASAN="ALASAN_ANEH", STATUS_SALUR="GAGAL"),
    ]
    result = import_file(tahap, result_file(tmp_path / "hasil.csv", rows), operator.user)
    assert result.state == ResultImport.State.DONE, result.error
    got = {(r.row, r.field, r.rule) for r in result.rejects.all()}
    assert got == {
        (4, "KODE_ALASAN", "kode_alasan_wajib"),
        (5, "NOMINAL", "nominal_tidak_cocok"),
        (6, "NIK_PENGURUS", "nik_tidak_cocok"),
        (7, "ID_SALUR", "id_salur_tidak_dikenal"),
        (8, "STATUS_SALUR", "status_salur_tidak_dikenal"),
        (9, "KODE_ALASAN", "kode_alasan_tidak_dikenal"),
    }
    assert (result.rows_seen, result.rows_applied, result.rows_rejected) == (8, 2, 6)
    paid, failed = (PaymentLine.objects.get(pk=line.pk) for line in lines[:2])
    assert (paid.status_salur, paid.paid_amount, paid.processed_on) == ("SALUR", paid.amount, dt.date(2026, 3, 20))
    assert (failed.status_salur, failed.reason_code_id, failed.paid_amount) == ("GAGAL", "SALDO_NOL", 0)
    tahap.refresh_from_db()
    assert tahap.status == TahapStatus.DIREKONSILIASI


def test_each_line_gets_its_own_result_whether_rows_share_values_or_not(
    run_tahap, approve_and_issue, operator, tmp_path
) -> None:
    """FORMATS.md §6.3 (RULES.md: Disbursement and data): lines whose results are identical are
    written together, yet each line ends with its own row's values: a paid line is paid its own
    NOMINAL whatever the other paid lines' amounts; rows differing in one value only (the day, the
    reason, the note, the account status) each keep theirs; a line absent from the file is untouched."""
    one_child = families(4)
    two_children = [make_household(children=[(dt.date(2022, 1, 5), None), (dt.date(2024, 6, 7), None)])]
    give_accounts(*two_children)
    untouched = families(1)[0]
    tahap = approve_and_issue(run_tahap())
    large = PaymentLine.objects.get(household=two_children[0])
    same_day, other_day, lupa_pin, blokir = (PaymentLine.objects.get(household=h) for h in one_child)
    assert same_day.amount != large.amount
    rows = [
        row_for(large),
        row_for(same_day),
        row_for(other_day, TGL_PROSES="2026-03-21"),
        row_for(lupa_pin, "GAGAL", KODE_ALASAN="LUPA_PIN", KETERANGAN="Lupa PIN", STATUS_REKENING=""),
        row_for(blokir, "RETUR", KODE_ALASAN="REKENING_DIBLOKIR", KETERANGAN="Diblokir", STATUS_REKENING="BLOKIR"),
    ]
    path = result_file(tmp_path / "hasil.csv", rows)
    with path.open("rb") as fh:
        result = result_import_create(
            tahap=tahap, kind="hasil", bank="BRI", file=fh, file_name=path.name, acting_user=operator.user
        )
    result = result_import_execute(result_id=result.pk)  # one chunk: all rows written together
    assert (result.state, result.rows_applied, result.rows_rejected) == (ResultImport.State.DONE, 5, 0)
    fields = ("status_salur", "processed_on", "reason_code_id", "note", "account_status", "paid_amount")
    got = {
        line.pk: PaymentLine.objects.filter(pk=line.pk).values_list(*fields, "result_import_id").get()
        for line in (large, same_day, other_day, lupa_pin, blokir)
    }
    march_20, march_21 = dt.date(2026, 3, 20), dt.date(2026, 3, 21)
    assert got == {
        large.pk: ("SALUR", march_20, None, "", "AKTIF", large.amount, result.pk),
        same_day.pk: ("SALUR", march_20, None, "", "AKTIF", same_day.amount, result.pk),
        other_day.pk: ("SALUR", march_21, None, "", "AKTIF", other_day.amount, result.pk),
        lupa_pin.pk: ("GAGAL", march_20, "LUPA_PIN", "Lupa PIN", "", 0, result.pk),
        blokir.pk: ("RETUR", march_20, "REKENING_DIBLOKIR", "Diblokir", "BLOKIR", 0, result.pk),
    }
    line = PaymentLine.objects.get(household=untouched)
    assert (line.status_salur, line.paid_amount, line.result_import_id) == ("", None, None)


def test_reimporting_the_same_result_file_changes_nothing(run_tahap, approve_and_issue, operator, tmp_path) -> None:
    fams = families(4)
    tahap = approve_and_issue(run_tahap())
    lines = [PaymentLine.objects.get(household=h) for h in fams]
    rows = [row_for(lines[0]), row_for(lines[1], "GAGAL", KODE_ALASAN="REKENING_DIBLOKIR", STATUS_REKENING="BLOKIR")]
    path = result_file(tmp_path / "hasil.csv", rows)
    first = import_file(tahap, path, operator.user)
    assert (first.rows_applied, first.rows_unchanged) == (2, 0)
    state = (
        list(PaymentLine.objects.order_by("pk").values()),
        list(AccountStatus.objects.order_by("pk").values()),
        AuditEvent.objects.filter(household__isnull=False).count(),
    )
    second = import_file(tahap, path, operator.user)
    assert (second.rows_applied, second.rows_unchanged, second.rows_rejected) == (0, 2, 0)
    assert state == (
        list(PaymentLine.objects.order_by("pk").values()),
        list(AccountStatus.objects.order_by("pk").values()),
        AuditEvent.objects.filter(household__isnull=False).count(),
    )


def test_xlsx_result_file_is_read_like_csv(run_tahap, approve_and_issue, operator, tmp_path) -> None:
    from openpyxl import Workbook

    (h,) = families(1)
    tahap = approve_and_issue(run_tahap())
    line = PaymentLine.objects.get(household=h)
    wb = Workbook()
    ws = wb.active
    ws.append(list(RESULT_COLUMNS))
    r = row_for(line)
    ws.append([str(r[c]) if c != "NOMINAL" else r[c] for c in RESULT_COLUMNS])
    wb.save(tmp_path / "hasil.xlsx")
    result = import_file(tahap, tmp_path / "hasil.xlsx", operator.user)
    assert (result.rows_applied, result.rows_rejected) == (1, 0), list(result.rejects.values())


def test_failures_carry_to_the_next_tahap_and_a_blocked_account_waits_until_active(
    run_tahap, approve_and_issue, operator, dinsos, tmp_path
) -> None:
    """Disbursement and data: saldo nol (a carrying reason) adds the unpaid amount to the family's
    next tahap, once; kartu hilang does not carry; a blocked account excludes the family from the
    next tahap until a result says the account is active again."""
    zero, lost, blocked, fine = families(4)
    first = approve_and_issue(run_tahap())
    line = {h.pk: PaymentLine.objects.get(household=h) for h in (zero, lost, blocked, fine)}
    rows = [
        row_for(line[zero.pk], "GAGAL", KODE_ALASAN="SALDO_NOL"),
        row_for(line[lost.pk], "GAGAL", KODE_ALASAN="KARTU_HILANG"),
        row_for(line[blocked.pk], "RETUR", KODE_ALASAN="REKENING_DIBLOKIR", STATUS_REKENING="BLOKIR"),
        row_for(line[fine.pk]),
    ]
    import_file(first, result_file(tmp_path / "t1.csv", rows), operator.user)

    second = run_tahap(number=2, cut_off=CUT_OFF + dt.timedelta(days=91))
    owed = line[zero.pk].amount
    carried = PaymentLine.objects.get(tahap=second, household=zero)
    assert (carried.arrears, carried.amount) == (owed, carried.entitlement + owed)
    assert PaymentLine.objects.get(tahap=second, household=lost).arrears == 0
    assert Exclusion.objects.get(tahap=second, household=blocked).reason == "rekening_diblokir"
    assert second.arrears_amount == owed
    tahap_approve(tahap=second, acting_user=dinsos.user)
    assert PaymentLine.objects.get(pk=line[zero.pk].pk).carried_to == second

    # The account is active again (a later result); the third tahap pays the family, and the
    # arrears already carried are not carried again.
    second = approve_and_issue(second)
    reopened = PaymentLine.objects.get(tahap=second, household=lost)
    import_file(second, result_file(tmp_path / "t2.csv", [row_for(reopened)]), operator.user)
    AccountStatus.objects.filter(household=blocked, valid_to=None).update(valid_to=dt.date(2026, 4, 30))
    AccountStatus.objects.create(household=blocked, status="AKTIF", valid_from=dt.date(2026, 5, 1), source="uji")
    third = run_tahap(number=3, cut_off=CUT_OFF + dt.timedelta(days=182))
    assert PaymentLine.objects.get(tahap=third, household=blocked).amount == PER_TAHAP["anak_usia_dini"]
    assert PaymentLine.objects.get(tahap=third, household=zero).arrears == 0


def test_results_move_the_dated_account_status_and_are_audited(
    run_tahap, approve_and_issue, operator, tmp_path
) -> None:
    (h,) = families(1)
    tahap = approve_and_issue(run_tahap())
    line = PaymentLine.objects.get(household=h)
    import_file(
        tahap,
        result_file(
            tmp_path / "a.csv", [row_for(line, "GAGAL", KODE_ALASAN="REKENING_DIBLOKIR", STATUS_REKENING="BLOKIR")]
        ),
        operator.user,
    )
    status = AccountStatus.objects.get(household=h)
    assert (status.status, status.valid_from, status.valid_to) == ("BLOKIR", dt.date(2026, 3, 20), None)
    event = AuditEvent.objects.get(household=h, action="account_status_changed")
    assert event.after == {"status_rekening": "BLOKIR", "sejak": "2026-03-20"} and event.actor == operator.user


def test_burekol_result_gives_the_family_its_account_through_an_audited_change(
    run_tahap, approve_and_issue, operator, tmp_path
) -> None:
    """FORMATS.md §6.3: the BSI burekol result as it is; an opened account is written to the
    family's record with the registry's event and the source burekol:<id>; re-importing changes
    nothing; a NIK that was not asked for is rejected."""
    h = make_household(children=[(dt.date(2022, 2, 2), None)])
    Household.objects.filter(pk=h.pk).update(bank="BSI", account_number="")
    failed = make_household(children=[(dt.date(2022, 3, 3), None)])
    Household.objects.filter(pk=failed.pk).update(bank="BSI", account_number="")
    tahap = approve_and_issue(run_tahap())
    line = PaymentLine.objects.get(household=h)
    line_failed = PaymentLine.objects.get(household=failed)
    columns = (
        "NIK",
        "NO_REKENING_COREBSI",
        "NAMA_REKENING_COREBSI",
        "NAMA_CABANG",
        "STATUS_BUREKOL",
        "KETERANGAN_BUREKOL",
    )
    rows = [
        {
            "NIK": line.carer_nik,
            "NO_REKENING_COREBSI": "7123456789",
            "NAMA_REKENING_COREBSI": "SITI AMINAH",
            "NAMA_CABANG": "KCP Bondowoso",
            "STATUS_BUREKOL": "BERHASIL",
            "KETERANGAN_BUREKOL": "",
        },
        {
            "NIK": line_failed.carer_nik,
            "NO_REKENING_COREBSI": "",
            "NAMA_REKENING_COREBSI": "",
            "NAMA_CABANG": "",
            "STATUS_BUREKOL": "GAGAL",
            "KETERANGAN_BUREKOL": "Data KTP tidak terbaca",
        },
        {
            "NIK": "3511010101900001",
            "NO_REKENING_COREBSI": "1",
            "NAMA_REKENING_COREBSI": "X",
            "NAMA_CABANG": "",
            "STATUS_BUREKOL": "BERHASIL",
            "KETERANGAN_BUREKOL": "",
        },
    ]
    path = result_file(tmp_path / "burekol.csv", rows, columns)
    result = import_file(tahap, path, operator.user, kind="burekol", bank="BSI")
    assert (result.rows_applied, result.rows_rejected) == (2, 1)
    assert result.rejects.get().rule == "nik_bukan_burekol"
    h.refresh_from_db()
    assert (h.account_number, h.account_name) == ("7123456789", "SITI AMINAH")
    event = AuditEvent.objects.get(household=h, action="household_updated")
    assert event.source == f"burekol:{result.pk}" and event.after == {
        "account_number": "7123456789",
        "account_name": "SITI AMINAH",
    }
    assert AccountStatus.objects.get(household=h).status == "AKTIF"
    assert "Data KTP tidak terbaca" in PaymentLine.objects.get(pk=line_failed.pk).note
    again = import_file(tahap, path, operator.user, kind="burekol", bank="BSI")
    assert (again.rows_applied, again.rows_unchanged) == (0, 2)
    assert AuditEvent.objects.filter(household=h, action="household_updated").count() == 1


def test_reconciliation_page_shows_planned_against_paid_per_kecamatan(
    run_tahap, approve_and_issue, operator, tmp_path, client
) -> None:
    from harapan.testing import PASSWORD

    fams = families(3)
    tahap = approve_and_issue(run_tahap())
    lines = [PaymentLine.objects.get(household=h) for h in fams]
    import_file(
        tahap,
        result_file(tmp_path / "r.csv", [row_for(lines[0]), row_for(lines[1], "GAGAL", KODE_ALASAN="LUPA_PIN")]),
        operator.user,
    )
    client.login(username=operator.user.get_username(), password=PASSWORD)
    page = client.get(f"/bayar/{tahap.pk}/rekonsiliasi/").content.decode()
    kec = lines[0].desa_id[:8]
    planned = sum(line.amount for line in lines)
    assert f'data-testid="region-{kec}"' in page
    assert f'data-testid="total-paid">{lines[0].amount:,}<'.replace(",", ".") in page
    assert f'data-testid="total-planned">{planned:,}<'.replace(",", ".") in page
    assert 'data-testid="reason-LUPA_PIN"' in page
    assert 'data-testid="status-count-GAGAL">1<' in page
