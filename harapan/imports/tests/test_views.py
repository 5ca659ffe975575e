"""The upload page, the run page and the report and template downloads, through Django's test
client with the task run immediately; who may import and who may see a run (accounts.scope)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from harapan.accounts.models import Role
from harapan.imports.models import ImportRun, RunStatus
from harapan.registry.models import Household
from harapan.testing import BONDOWOSO, JEMBER, PASSWORD, make_staff

from .kpm import AS_OF, family, write_csv_pair, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def login(role: str, region: str | None, username: str) -> Client:
    make_staff(role, region, username=username)
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def upload(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Post files to the upload page; the queued import task runs when the upload commits."""

    def post(client: Client, *paths: Path) -> Any:
        handles = [p.open("rb") for p in paths]
        try:
            data: dict[str, Any] = {"file": handles[0], "as_of": AS_OF.isoformat()}
            if len(handles) > 1:
                data["art_file"] = handles[1]
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(reverse("imports:upload"), data)
        finally:
            for h in handles:
                h.close()

    return post


def parse_report_csv(content: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    text = content.decode("utf-8-sig")
    summary_part, rejects_part = text.split("\r\n\r\n", 1)
    summary = dict(row for row in csv.reader(io.StringIO(summary_part), delimiter=";") if len(row) == 2)
    rejects = list(csv.DictReader(io.StringIO(rejects_part), delimiter=";"))
    return summary, rejects


def test_pendamping_may_not_import() -> None:
    client = login(Role.PENDAMPING, "35.11.01", "pdp")
    assert client.get(reverse("imports:upload")).status_code == 403
    assert client.get(reverse("imports:template")).status_code == 403


def test_csv_pair_upload_imports_and_the_reports_parse(tmp_path: Path, upload: Callable[..., Any]) -> None:
    client = login(Role.OPERATOR, BONDOWOSO, "op")
    good, bad = family(), family()
    bad.art[0]["NIK"] = bad.art[0]["NIK"][:15]
    response = upload(client, *write_csv_pair(tmp_path, [good, bad]))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[run.pk])
    assert (run.status, run.families_total, run.families_created, run.families_rejected) == (RunStatus.DONE, 2, 1, 1)
    assert (run.file_name, run.file_art_name) == ("keluarga.csv", "art.csv")
    assert str(run.file.name).startswith("imports/") and len(run.sha256) == 64
    assert Household.objects.filter(pkh_id=good.pkh_id).exists()

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "nik_16_digit" in html and 'data-status="done"' in html and "hx-trigger" not in html
    assert "keluarga_ditolak" in html
    errors = client.get(response["Location"], {"tampil": "kesalahan"}).content.decode()
    assert "nik_16_digit" in errors and "keluarga_ditolak" not in errors

    summary, rejects = parse_report_csv(client.get(reverse("imports:report_csv", args=[run.pk])).getvalue())
    assert summary["Keluarga baru"] == "1" and summary["Keluarga ditolak"] == "1"
    nik = next(r for r in rejects if r["ATURAN"] == "nik_16_digit")
    assert (nik["LEMBAR"], nik["BARIS"], nik["KOLOM"], nik["ID_KELUARGA_PKH"]) == ("art.csv", "5", "NIK", bad.pkh_id)
    assert len(rejects) == run.rows_rejected == 4

    xlsx = client.get(reverse("imports:report_xlsx", args=[run.pk]))
    wb = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert wb.sheetnames == ["RINGKASAN", "DITOLAK"]
    summary_rows = {r[0]: r[1] for r in wb["RINGKASAN"].iter_rows(values_only=True)}
    assert summary_rows["Keluarga baru"] == 1
    reject_rows = list(wb["DITOLAK"].iter_rows(values_only=True))
    assert reject_rows[0][:4] == ("LEMBAR", "BARIS", "KOLOM", "ATURAN") and len(reject_rows) == 5


def test_xlsx_upload_imports(tmp_path: Path, upload: Callable[..., Any]) -> None:
    client = login(Role.KORKAB, BONDOWOSO, "korkab")
    response = upload(client, write_xlsx(tmp_path / "kpm.xlsx", [family(), family()]))
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert (run.status, run.families_created) == (RunStatus.DONE, 2)


def test_template_download_is_a_valid_family_that_imports_cleanly(tmp_path: Path, upload: Callable[..., Any]) -> None:
    """The example family of the template passes every check (FORMATS.md §6.1)."""
    client = login(Role.DINSOS_KAB, BONDOWOSO, "dinsos")
    response = client.get(reverse("imports:template"))
    assert response.status_code == 200
    path = tmp_path / "templat.xlsx"
    path.write_bytes(response.content)
    wb = load_workbook(path)
    assert wb.sheetnames == ["KELUARGA", "ART"]
    assert wb["ART"]["D2"].value.isdigit() and len(wb["ART"]["D2"].value) == 16  # NIK kept as text
    upload(client, path)
    run = ImportRun.objects.get()
    assert (run.families_created, run.members_created, run.families_rejected) == (1, 4, 0)


def test_bad_upload_is_refused_by_the_form(tmp_path: Path, upload: Callable[..., Any]) -> None:
    client = login(Role.OPERATOR, BONDOWOSO, "op")
    path = tmp_path / "kpm.pdf"
    path.write_bytes(b"%PDF")
    response = upload(client, path)
    assert response.status_code == 200 and not ImportRun.objects.exists()
    assert "CSV atau XLSX" in response.content.decode()


def test_unreadable_file_fails_the_run_with_a_message(tmp_path: Path, upload: Callable[..., Any]) -> None:
    client = login(Role.OPERATOR, BONDOWOSO, "op")
    path = tmp_path / "kpm.csv"
    path.write_text("NAMA;ALAMAT\nA;B\n", encoding="utf-8")
    upload(client, path)
    run = ImportRun.objects.get()
    assert run.status == RunStatus.FAILED and "Kolom wajib" in run.error
    assert "Kolom wajib" in client.get(reverse("imports:detail", args=[run.pk])).content.decode()


def test_a_run_is_seen_by_its_uploader_and_by_staff_whose_area_contains_it(
    tmp_path: Path, upload: Callable[..., Any]
) -> None:
    operator = login(Role.OPERATOR, BONDOWOSO, "op")
    upload(operator, *write_csv_pair(tmp_path, [family()]))
    run = ImportRun.objects.get()
    url = reverse("imports:detail", args=[run.pk])
    assert operator.get(url).status_code == 200
    assert login(Role.DINSOS_PROV, "35", "prov").get(url).status_code == 200
    assert login(Role.MINISTRY, None, "kemensos").get(url).status_code == 200
    korkab_jember = login(Role.KORKAB, JEMBER, "korkab_jember")
    assert korkab_jember.get(url).status_code == 404
    assert korkab_jember.get(reverse("imports:report_csv", args=[run.pk])).status_code == 404
    assert f'data-testid="import-run-{run.pk}"' not in korkab_jember.get(reverse("imports:upload")).content.decode()
    assert f'data-testid="import-run-{run.pk}"' in operator.get(reverse("imports:upload")).content.decode()


def test_run_page_polls_while_running_and_refreshes_when_done() -> None:
    operator = login(Role.OPERATOR, BONDOWOSO, "op")
    user = get_user_model().objects.get(username="op")
    run = ImportRun.objects.create(
        started_by=user, region_id=BONDOWOSO, status=RunStatus.RUNNING, families_total=10, families_seen=4
    )
    url = reverse("imports:detail", args=[run.pk])
    page = operator.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "40%" in page
    partial = operator.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    run.status = RunStatus.DONE
    run.save()
    done = operator.get(url, headers={"HX-Request": "true"})
    assert done.headers.get("HX-Refresh") == "true"
