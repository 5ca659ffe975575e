"""The report pages and downloads: scope (RULES.md "People and ratios": a pendamping reports to the
korkab and Dinas Sosial; accounts.scope), the month picker, the PDF (rendered page by page) with its
signature lines, and the XLSX holding the same figures as the page."""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal
from typing import Any

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from harapan.accounts.models import Role
from harapan.reports.monthly import monthly_report
from harapan.testing import make_staff

from .conftest import MONTH, YEAR, MonthWorld, client_of

URL = "/laporan/bulanan/{pk}/2026/10/"


def pdf_pages(body: bytes) -> list[tuple[str, float]]:
    """Each page's text and the share of its pixels that are not white (rendered at 72 dpi)."""
    doc = pdfium.PdfDocument(body)
    out = []
    for i in range(len(doc)):
        page = doc[i]
        image = page.render(scale=1).to_pil().convert("L")
        inked = sum(image.histogram()[:200]) / (image.width * image.height)
        out.append((page.get_textpage().get_text_range(), inked))
    return out


def page_values(body: str, prefix: str) -> dict[str, str]:
    return {
        key: html.unescape(value)
        for key, value in re.findall(rf'data-testid="{prefix}([\w-]+)" data-value="([^"]*)"', body)
    }


def test_a_pendamping_opens_her_own_report_and_never_anothers(month_world: MonthWorld) -> None:
    w = month_world
    mine = client_of(w.a)
    response = mine.get("/laporan/")
    assert response.status_code == 302 and re.search(
        rf"/laporan/bulanan/{w.a.pk}/\d{{4}}/\d{{1,2}}/$", response["Location"]
    )
    assert mine.get(URL.format(pk=w.a.pk)).status_code == 200
    for url in (URL, URL + "laporan.pdf", URL + "laporan.xlsx"):
        assert mine.get(url.format(pk=w.b.pk)).status_code == 404
    assert mine.get("/laporan/wilayah/35.11/").status_code == 404
    assert mine.get("/laporan/profil/35.11/").status_code == 404


@pytest.mark.parametrize(
    ("role", "region", "status"),
    [
        (Role.KORKAB, "35.11", 200),
        (Role.SUPERVISOR, "35.11", 200),
        (Role.DINSOS_KAB, "35.11", 200),
        (Role.DINSOS_PROV, "35", 200),
        (Role.MINISTRY, None, 200),
        (Role.KORKAB, "35.09", 404),
        (Role.DINSOS_PROV, "33", 404),
        (Role.OPERATOR, "35.11", 403),
    ],
)
def test_area_readers_open_the_reports_of_their_area_only(
    month_world: MonthWorld, role: str, region: str | None, status: int
) -> None:
    reader = make_staff(role, region)
    assert client_of(reader).get(URL.format(pk=month_world.a.pk)).status_code == status


def test_the_korkab_lists_the_pendamping_with_each_months_state(month_world: MonthWorld) -> None:
    w = month_world
    body = client_of(w.korkab).get("/laporan/wilayah/35.11/?tahun=2026").content.decode()
    assert f'data-testid="pendamping-{w.a.pk}"' in body and f'data-testid="pendamping-{w.b.pk}"' in body
    cell = re.search(
        rf'data-testid="month-{w.a.pk}-10" data-status="(\w+)" data-held="(\d+)" data-planned="(\d+)"', body
    )
    assert cell is not None and cell.groups() == ("belum_lengkap", "2", "4")
    assert f'href="/laporan/bulanan/{w.a.pk}/2026/10/"' in body
    assert client_of(w.korkab_jember).get("/laporan/wilayah/35.11/").status_code == 404
    assert client_of(w.korkab).get("/laporan/").headers["Location"] == "/laporan/wilayah/35.11/"


def test_the_month_picker_goes_to_the_month_chosen(month_world: MonthWorld) -> None:
    w = month_world
    c = client_of(w.a)
    assert c.get(URL.format(pk=w.a.pk) + "?bulan=2026-09").headers["Location"] == f"/laporan/bulanan/{w.a.pk}/2026/9/"
    assert c.get(f"/laporan/bulanan/{w.a.pk}/2026/13/").status_code == 404
    assert c.get(f"/laporan/bulanan/{w.a.pk}/2099/1/").status_code == 404


def test_the_page_shows_the_reports_figures(month_world: MonthWorld) -> None:
    w = month_world
    body = client_of(w.a).get(URL.format(pk=w.a.pk)).content.decode()
    values = page_values(body, "sum-")
    report = monthly_report(w.a, YEAR, MONTH)
    assert values == {
        key: "" if value is None else str(value) for key, value in ((k, v) for k, _l, v in report.summary())
    }
    assert "Bu Rina Ñoviyanti" in body and "19900101 201501 2 003" in body
    assert "perilaku_pendamping_uji" not in body


def test_pdf_renders_every_page_with_the_figures_and_the_signature_lines(month_world: MonthWorld) -> None:
    w = month_world
    response = client_of(w.a).get(URL.format(pk=w.a.pk) + "laporan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="laporan-bulanan-bu_rina-2026-10.pdf"')
    pages = pdf_pages(response.content)
    assert len(pages) >= 2
    for _text, inked in pages:
        assert inked > 0.005, "a blank page"
    text = "\n".join(t for t, _ink in pages)
    flat = re.sub(r"\s+", " ", text)
    assert "LAPORAN BULANAN PENDAMPING PKH" in flat and "Bulan Oktober 2026" in flat
    assert "Bu Rina Ñoviyanti" in flat and "19900101 201501 2 003" in flat and "Maesan" in flat
    assert "Tingkat kehadiran (%) 50,0%" in flat and "Tidak hadir tanpa izin (%) 33,3%" in flat
    assert w.f("grad").pkh_id in flat and "Hujan deras" in flat
    assert "Pendamping PKH," in flat and "Mengetahui," in flat and "Koordinator Kabupaten" in flat
    assert "( Bu Rina Ñoviyanti )" in flat and "NIP. ......" in flat and "Tanggal: ...." in flat
    assert f"Halaman 1 dari {len(pages)}" in flat


def test_xlsx_holds_the_same_figures_as_the_page(month_world: MonthWorld) -> None:
    w = month_world
    c = client_of(w.korkab)
    body = c.get(URL.format(pk=w.a.pk)).content.decode()
    page = page_values(body, "sum-")
    response = c.get(URL.format(pk=w.a.pk) + "laporan.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert {"Identitas", "Ringkasan", "Kelompok", "Pertemuan", "Verifikasi komitmen", "Pengaduan", "Rujukan"} <= set(
        wb.sheetnames
    )
    sheet = {row[0]: row[2] for row in wb["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert set(sheet) == set(page)
    for key, value in sheet.items():
        expected: Any = page[key]
        if expected == "":
            assert value is None, key
        else:
            assert isinstance(value, int | float), key
            assert Decimal(str(value)) == Decimal(expected), key
    groups = {r[0]: r for r in wb["Kelompok"].iter_rows(min_row=2, values_only=True)}
    for code, held, planned, hadir, izin, alpa in re.findall(
        r'data-testid="group-([\w.-]+)" data-held="(\d+)" data-planned="(\d+)" data-cancelled="\d+" '
        r'data-hadir="(\d+)" data-izin="(\d+)" data-alpa="(\d+)"',
        body,
    ):
        row = groups[code]
        assert (row[5], row[4], row[9], row[10], row[11]) == (int(held), int(planned), int(hadir), int(izin), int(alpa))
    identity = dict(wb["Identitas"].iter_rows(values_only=True))
    assert identity["Nama pendamping"] == "Bu Rina Ñoviyanti" and identity["NIP"] == "19900101 201501 2 003"


def test_downloads_are_indonesian_whatever_the_page_language(month_world: MonthWorld) -> None:
    w = month_world
    c = client_of(w.a)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = "\n".join(t for t, _ in pdf_pages(c.get(URL.format(pk=w.a.pk) + "laporan.pdf").content))
    assert "Tingkat kehadiran" in text and "Pertemuan terlaksana" in text
