"""A whole tahap in the browser (issue 4, "Done when"): an operator opens a tahap for a small
district and computes it in the background, reviews the exclusions, a Dinas Sosial user approves
it (a second person) and issues the files, the operator downloads the BRI file, imports the bank's
result made from it, and sees the reconciliation (RULES.md: Disbursement and data; FORMATS.md
§6.2, §6.3)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.benefits.models import BenefitAmount, BenefitIndex, TahapShare
from harapan.benefits.seeds import load_benefit_indexes
from harapan.payroll.models import PaymentLine, ReasonCode, ResultImport, Tahap, TahapStatus
from harapan.payroll.seeds import load_reason_codes
from harapan.registry.models import Household, HouseholdStatus, Member
from harapan.testing import BONDOWOSO, make_household, make_staff

pytestmark = pytest.mark.browser

CUT_OFF = dt.date(2026, 3, 1)


def worker() -> None:
    """The background worker, as ``manage.py db_worker`` runs it."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_operator_runs_a_tahap_end_to_end(page: Any, login: Any, transactional_db: None, tmp_path: Path) -> None:
    load_benefit_indexes(BenefitIndex, BenefitAmount, TahapShare)
    load_reason_codes(ReasonCode)
    operator = make_staff(Role.OPERATOR, BONDOWOSO, full_name="Operator Bondowoso")
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO, full_name="Dinsos Bondowoso")
    paid = [make_household(children=[(dt.date(2021 + i, 4, 4), None)]) for i in range(3)]
    for i, h in enumerate(paid):
        Household.objects.filter(pk=h.pk).update(bank="BRI", account_number=f"0012345678{i:05d}")
    alamiah = make_household()
    suspended = make_household(children=[(dt.date(2022, 1, 1), None)], status=HouseholdStatus.DITANGGUHKAN)
    gone = make_household(children=[(dt.date(2022, 2, 2), None)])
    Member.objects.filter(household=gone, is_carer=True).update(left_on=dt.date(2026, 1, 15))

    # The operator opens the tahap and computes it in the background.
    login(page, operator)
    page.goto("/bayar/")
    page.get_by_test_id("open-toggle").click()
    page.locator("#id_region").fill("35.11")
    page.locator("#id_year").fill("2026")
    page.locator("#id_number").fill("1")
    page.locator("#id_cut_off").fill(CUT_OFF.isoformat())
    page.get_by_test_id("open-submit").click()
    tahap = Tahap.objects.get()
    expect(page.get_by_test_id("tahap-status")).to_have_attribute("data-status", TahapStatus.DIBUKA)
    page.get_by_test_id("compute-submit").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "queued")
    worker()
    expect(page.get_by_test_id("tahap-status")).to_have_attribute("data-status", TahapStatus.DIHITUNG, timeout=10_000)
    expect(page.get_by_test_id("count-lines")).to_have_text("3")
    expect(page.get_by_test_id("count-excluded")).to_have_text("3")
    expect(page.get_by_test_id("approval-refusal")).to_be_visible()  # the operator does not approve

    # Reviewing the exclusions, by reason.
    page.get_by_test_id("reason-graduasi_alamiah").click()
    expect(page.locator("#exclusions tbody tr")).to_have_count(1)
    expect(page.get_by_test_id(f"exclusion-{alamiah.pkh_id}-graduasi_alamiah")).to_be_visible()
    page.get_by_test_id("reason-all").click()
    expect(page.get_by_test_id(f"exclusion-{suspended.pkh_id}-ditangguhkan")).to_be_visible()
    expect(page.get_by_test_id(f"exclusion-{gone.pkh_id}-pengurus_tidak_ada")).to_be_visible()
    page.get_by_test_id("logout").click()

    # A second person, of Dinas Sosial, approves and issues the files.
    login(page, dinsos)
    page.goto(f"/bayar/{tahap.pk}/")
    page.get_by_test_id("approve-submit").click()
    expect(page.get_by_test_id("tahap-status")).to_have_attribute("data-status", TahapStatus.DISETUJUI)
    expect(page.get_by_test_id("messages")).to_contain_text("graduasi alamiah")
    page.get_by_test_id("issue-submit").click()
    expect(page.get_by_test_id("tahap-status")).to_have_attribute("data-status", TahapStatus.DITERBITKAN)
    alamiah.refresh_from_db()
    assert alamiah.status == HouseholdStatus.GRADUASI_ALAMIAH
    page.get_by_test_id("logout").click()

    # The operator downloads the BRI file and imports the bank's result made from it.
    login(page, operator)
    page.goto(f"/bayar/{tahap.pk}/")
    with page.expect_download() as info:
        page.get_by_test_id("file-BRI-csv").click()
    download = info.value
    assert download.suggested_filename == "tahap-2026-1-35.11-BRI-penerima.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == 3 and {r["ID_KELUARGA_PKH"] for r in rows} == {h.pkh_id for h in paid}
    result = tmp_path / "hasil-bri.csv"
    with result.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["ID_SALUR", "NIK_PENGURUS", "NOMINAL", "STATUS_SALUR", "TGL_PROSES", "KODE_ALASAN"])
        for i, r in enumerate(rows):
            failed = i == 0
            writer.writerow(
                [
                    r["ID_SALUR"],
                    r["NIK_PENGURUS"],
                    r["NOMINAL"],
                    "GAGAL" if failed else "SALUR",
                    "2026-03-25",
                    "SALDO_NOL" if failed else "",
                ]
            )
        writer.writerow(["2026-1-999-999", "3511014101900001", "1", "SALUR", "2026-03-25", ""])
    page.get_by_test_id("result-upload-link").click()
    page.locator("#id_kind").select_option("hasil")
    page.locator("#id_bank").select_option("BRI")
    page.locator("#id_file").set_input_files(str(result))
    page.get_by_test_id("result-submit").click()
    expect(page.get_by_test_id("result-status")).to_be_visible()
    worker()
    expect(page.get_by_test_id("result-status")).to_have_attribute("data-state", "done", timeout=10_000)
    expect(page.get_by_test_id("count-rows_applied")).to_have_text("3")
    expect(page.get_by_test_id("count-rows_rejected")).to_have_text("1")
    expect(page.get_by_test_id("reject-5")).to_contain_text("id_salur_tidak_dikenal")
    assert ResultImport.objects.get().rows_applied == 3

    # The reconciliation: planned against paid per kecamatan, counts per status and reason.
    page.get_by_test_id("reconciliation-link").click()
    expect(page.get_by_test_id("tahap-status")).to_have_attribute("data-status", TahapStatus.DIREKONSILIASI)
    lines = list(PaymentLine.objects.filter(tahap=tahap))
    planned = sum(line.amount for line in lines)
    paid_amount = sum(line.paid_amount or 0 for line in lines)
    assert 0 < paid_amount < planned
    expect(page.get_by_test_id("total-planned")).to_have_text(f"{planned:,}".replace(",", "."))
    expect(page.get_by_test_id("total-paid")).to_have_text(f"{paid_amount:,}".replace(",", "."))
    expect(page.get_by_test_id("status-count-GAGAL")).to_have_text("1")
    expect(page.get_by_test_id("reason-SALDO_NOL")).to_be_visible()
