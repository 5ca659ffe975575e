"""The bank recipient file (FORMATS.md §6.2, format harapan-bank-penerima v1): layout, control
totals, the burekol request, totals per region; downloads only after issue, audited and scoped."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from django.test import Client
from python_calamine import CalamineWorkbook

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.payroll.bankfiles import RECIPIENT_COLUMNS
from harapan.payroll.models import PaymentLine
from harapan.registry.models import Household
from harapan.testing import JEMBER, PASSWORD, make_household, make_staff

from .conftest import PER_TAHAP, give_accounts

HEADER = (
    "NO;ID_SALUR;TAHUN;TAHAP;ID_KELUARGA_PKH;NIK_PENGURUS;NAMA_PENGURUS;TGL_LAHIR_PENGURUS;"
    "NAMA_IBU_KANDUNG_PENGURUS;ALAMAT;KDPROP;KDKAB;KDKEC;KDDESA;BANK;NO_REKENING;NAMA_REKENING;NO_KKS;"
    "JUMLAH_KOMPONEN;NOMINAL;PERLU_BUREKOL"
)


def client_for(staff: object) -> Client:
    c = Client()
    assert c.login(username=staff.user.get_username(), password=PASSWORD)  # type: ignore[attr-defined]
    return c


def rows_of(response: object) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def setup_tahap(run_tahap, approve_and_issue):  # type: ignore[no-untyped-def]
    paid = [make_household(children=[(dt.date(2022, 1, 1 + i), None)]) for i in range(3)]
    give_accounts(*paid)
    burekol = make_household(children=[(dt.date(2021, 5, 5), None)], pregnant_since=dt.date(2026, 1, 1))
    Household.objects.filter(pk=burekol.pk).update(bank="BRI", account_number="")
    bni = make_household(children=[(dt.date(2023, 5, 5), None)])
    give_accounts(bni, bank="BNI")
    tahap = approve_and_issue(run_tahap())
    return tahap, paid, burekol, bni


def test_recipient_csv_has_the_documented_columns_and_matches_its_control_file(
    run_tahap, approve_and_issue, operator
) -> None:
    """FORMATS.md §6.2: one row per line of the bank, the columns in order, identity numbers as
    text, PERLU_BUREKOL Y/N; the control file gives the row count and the sum of NOMINAL."""
    tahap, paid, burekol, _bni = setup_tahap(run_tahap, approve_and_issue)
    c = client_for(operator)
    response = c.get(f"/bayar/{tahap.pk}/berkas/BRI/penerima.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('tahap-2026-1-35.11-BRI-penerima.csv"')
    rows = rows_of(response)
    assert ";".join(rows[0]) == HEADER and tuple(rows[0]) == RECIPIENT_COLUMNS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [r["NO"] for r in body] == ["1", "2", "3", "4"]
    lines = {line.id_salur: line for line in PaymentLine.objects.filter(tahap=tahap, bank="BRI")}
    assert {r["ID_SALUR"] for r in body} == set(lines)
    for r in body:
        line = lines[r["ID_SALUR"]]
        assert r["NIK_PENGURUS"] == line.carer_nik and len(r["NIK_PENGURUS"]) == 16
        assert (r["TAHUN"], r["TAHAP"], r["NOMINAL"]) == ("2026", "1", str(line.amount))
        assert r["KDPROP"] + "." + r["KDKAB"] + "." + r["KDKEC"] + "." + r["KDDESA"] == line.desa_id
        assert r["TGL_LAHIR_PENGURUS"] == line.carer_birth_date.isoformat()
    flagged = [r for r in body if r["PERLU_BUREKOL"] == "Y"]
    assert [r["ID_KELUARGA_PKH"] for r in flagged] == [burekol.pkh_id] and flagged[0]["NO_REKENING"] == ""
    assert flagged[0]["NOMINAL"] == str(PER_TAHAP["ibu_hamil"] + PER_TAHAP["anak_usia_dini"])

    control = dict(rows_of_text(c.get(f"/bayar/{tahap.pk}/berkas/BRI/penerima-kontrol.csv").content))
    assert control["FORMAT"] == "harapan-bank-penerima" and control["VERSI"] == "1"
    assert int(control["JUMLAH_BARIS"]) == len(body)
    assert int(control["TOTAL_NOMINAL"]) == sum(int(r["NOMINAL"]) for r in body)
    assert control["BANK"] == "BRI" and control["JUMLAH_PERLU_BUREKOL"] == "1"
    logged = AuditEvent.objects.filter(action="bank_file_downloaded", actor=operator.user)
    assert {e.after["berkas"] for e in logged} == {
        "tahap-2026-1-35.11-BRI-penerima.csv",
        "tahap-2026-1-35.11-BRI-penerima-kontrol.csv",
    }


def rows_of_text(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))[1:]


def test_burekol_and_xlsx_files(run_tahap, approve_and_issue, operator, tmp_path: Path) -> None:
    """FORMATS.md §6.2: the burekol request is the same layout with only PERLU_BUREKOL = Y; the
    XLSX holds the same rows on sheet PENERIMA (identity numbers as text) and the control values."""
    tahap, _paid, burekol, _bni = setup_tahap(run_tahap, approve_and_issue)
    c = client_for(operator)
    rows = rows_of(c.get(f"/bayar/{tahap.pk}/berkas/BRI/burekol.csv"))
    assert len(rows) == 2 and rows[1][4] == burekol.pkh_id and rows[1][-1] == "Y" and rows[1][15] == ""
    response = c.get(f"/bayar/{tahap.pk}/berkas/BNI/penerima.xlsx")
    path = tmp_path / "bni.xlsx"
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    wb = CalamineWorkbook.from_path(str(path))
    sheet = wb.get_sheet_by_name("PENERIMA").to_python()
    assert tuple(sheet[0]) == RECIPIENT_COLUMNS and len(sheet) == 2
    line = PaymentLine.objects.get(tahap=tahap, bank="BNI")
    assert sheet[1][5] == line.carer_nik and sheet[1][15] == line.account_number
    assert sheet[1][19] == line.amount
    control = {k: v for k, v in wb.get_sheet_by_name("KONTROL").to_python()}
    assert control["JUMLAH_BARIS"] == 1 and control["TOTAL_NOMINAL"] == line.amount


def test_totals_per_region_add_up_to_the_tahap(run_tahap, approve_and_issue, operator) -> None:
    tahap, *_ = setup_tahap(run_tahap, approve_and_issue)
    rows = rows_of_text(client_for(operator).get(f"/bayar/{tahap.pk}/rekap-desa.csv").content)
    assert sum(int(r[2]) for r in rows) == tahap.lines_count
    assert sum(int(r[3]) for r in rows) == tahap.lines_amount


def test_files_only_after_issue_and_only_in_scope(run_tahap, dinsos, operator) -> None:
    make_household(children=[(dt.date(2022, 1, 1), None)])
    tahap = run_tahap()
    c = client_for(operator)
    assert c.get(f"/bayar/{tahap.pk}/berkas/BRI/penerima.csv").status_code == 403
    from harapan.payroll.services import tahap_approve, tahap_issue

    tahap_issue(tahap=tahap_approve(tahap=tahap, acting_user=dinsos.user), acting_user=dinsos.user)
    assert c.get(f"/bayar/{tahap.pk}/berkas/BRI/penerima.csv").status_code == 200
    assert c.get(f"/bayar/{tahap.pk}/berkas/XYZ/penerima.csv").status_code == 404
    jember = client_for(make_staff(Role.OPERATOR, JEMBER))
    assert jember.get(f"/bayar/{tahap.pk}/berkas/BRI/penerima.csv").status_code == 404
    pendamping = client_for(make_staff(Role.PENDAMPING, "35.11.01"))
    assert pendamping.get(f"/bayar/{tahap.pk}/berkas/BRI/penerima.csv").status_code == 403
