"""An operator uploads a real CSV with some bad rows on /impor/, waits for the background worker,
reads the rejected rows (row, column, rule) and downloads the report; every figure is checked
against the database (FORMATS.md §6.1 layout)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from harapan.imports.models import ImportReject, ImportRun, RunStatus
from harapan.registry.models import Household

pytestmark = pytest.mark.browser


def test_operator_uploads_a_csv_reads_the_rejects_and_downloads_the_report(
    page: Any, login: Any, scope_world: Any, kpm_file: Any, tmp_path: Path
) -> None:
    maesan = scope_world.household("maesan_a1").desa_id
    good = kpm_file.family("UJI-BAIK-1", maesan)
    good2 = kpm_file.family("UJI-BAIK-2", "35.11.02.2001")
    short_nik = kpm_file.family("UJI-NIK-PENDEK", maesan)
    kpm_file.rows[short_nik["rows"][0] - 2]["NIK"] = short_nik["niks"][0][:15]
    outside = kpm_file.family("UJI-JEMBER", scope_world.household("jember_1").desa_id)
    bad_status = kpm_file.family("UJI-STATUS", maesan, status="ENTAH")
    path = kpm_file.write(tmp_path / "kpm-bondowoso.csv")

    login(page, scope_world.staff["operator"])
    page.get_by_test_id("nav-import").click()
    page.locator("input[name=file]").set_input_files(str(path))
    page.locator("input[name=as_of]").fill(timezone.localdate().isoformat())
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("import-status")).to_be_visible()
    run = ImportRun.objects.get()
    assert page.url.endswith(f"/impor/{run.pk}/")
    assert run.started_by == scope_world.users["operator"]

    # The background worker, as `manage.py db_worker` runs it; the page polls and refreshes itself.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "done", timeout=10_000)

    assert set(Household.objects.filter(pkh_id__startswith="UJI-").values_list("pkh_id", flat=True)) == {
        good["pkh_id"],
        good2["pkh_id"],
    }
    for field in ("families_seen", "families_created", "families_rejected", "members_created", "rows_rejected"):
        expect(page.get_by_test_id(f"count-{field}")).to_have_text(str(getattr(run, field)))
    assert (run.families_seen, run.families_created, run.families_rejected) == (5, 2, 3)

    expected = {
        (short_nik["pkh_id"], short_nik["rows"][0], "NIK", "nik_16_digit"),
        (outside["pkh_id"], outside["rows"][0], "KDDESA", "di_luar_wilayah"),
        (bad_status["pkh_id"], bad_status["rows"][0], "STATUS_KEPESERTAAN", "status_tidak_dikenal"),
    }
    rejects = list(ImportReject.objects.filter(run=run))
    assert expected <= {(r.family_key, r.row, r.field, r.rule) for r in rejects}
    expect(page.locator("#import-rejects tbody tr")).to_have_count(len(rejects))
    for r in rejects:
        cells = page.get_by_test_id(f"reject-{r.pk}").locator("td")
        expect(cells.nth(1)).to_have_text(str(r.row))
        expect(cells.nth(2)).to_have_text(r.field or "—")
        expect(cells.nth(3)).to_have_text(r.rule)
        expect(cells.nth(6)).to_have_text(r.family_key)

    with page.expect_download() as info:
        page.get_by_test_id("report-csv").click()
    download = info.value
    assert download.suggested_filename == f"impor-{run.pk}-laporan.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(text.splitlines(), delimiter=";"))
    header_at = lines.index(["LEMBAR", "BARIS", "KOLOM", "ATURAN", "PESAN", "NILAI", "ID_KELUARGA_PKH"])
    in_report = {(row[6], int(row[1]), row[2], row[3]) for row in lines[header_at + 1 :] if row}
    assert in_report == {(r.family_key, r.row, r.field, r.rule) for r in rejects}
    assert ["Keluarga baru", "2"] in lines


def test_import_form_offers_today_as_the_reference_date(page: Any, login: Any, scope_world: Any) -> None:
    """The reference date defaults to today (imports.forms.UploadForm), so an operator can upload
    a file without touching the date."""
    login(page, scope_world.staff["operator"])
    page.goto("/impor/")
    expect(page.locator("input[name=as_of]")).to_have_value(timezone.localdate().isoformat())
