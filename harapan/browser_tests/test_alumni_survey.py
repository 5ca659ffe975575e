"""An alumnus answers the evaluation questionnaire from its link on a 360 px phone, without logging
in: the answers save as they are given, a reload mid-way keeps them, and the answers are sent once.
The centre then opens the evaluation report and downloads its PDF and workbook (issue 7, "Alumni
evaluation"; RULES.md "People and ratios": evaluation by questionnaire; seed 003)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from harapan.alumni.models import Answer, Invitation
from harapan.alumni.tests.factories import build_world, open_survey

pytestmark = pytest.mark.browser


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def fieldset(page: Any, key: str) -> Any:
    return page.get_by_test_id(f"question-{key}")


def saved(page: Any, answered: int) -> None:
    """Wait until the page says that ``answered`` answers are saved."""
    expect(page.get_by_test_id("save-ok")).to_have_attribute("data-answered", str(answered))


def test_an_alumnus_answers_on_a_phone_and_the_centre_downloads_the_report(
    phone_page: Any, page: Any, login: Any, transactional_db: None
) -> None:
    world = build_world()
    survey = open_survey(world)
    inv = Invitation.objects.get(survey=survey, staff=world.pendamping[0])

    # A page that warned "unsaved answers" on reload would show a dialog: there must be none.
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    phone_page.on("dialog", on_dialog)

    # The alumnus, on a phone, from the link in the WhatsApp message: no login.
    phone_page.goto(f"/evaluasi/isi/{inv.token}/")
    expect(phone_page.get_by_test_id("answer-page")).to_have_attribute("data-state", "open")
    assert fits(phone_page)
    fieldset(phone_page, "usia").locator("input").fill("29")
    saved(phone_page, 1)
    fieldset(phone_page, "jenis_kelamin").get_by_text("Perempuan").click()
    saved(phone_page, 2)
    fieldset(phone_page, "jumlah_kpm").locator("input").fill("195")
    saved(phone_page, 3)
    fieldset(phone_page, "modul_disampaikan").get_by_text("1. Pengasuhan dan Pendidikan Anak").click()
    fieldset(phone_page, "modul_disampaikan").get_by_text("3. Kesehatan dan Gizi").click()
    saved(phone_page, 4)
    fieldset(phone_page, "diskusi_alumni").locator("label.q-point", has_text="4").click()
    saved(phone_page, 5)
    assert Answer.objects.filter(invitation=inv).count() == 5

    # The connection drops; the alumnus opens the link again: everything is still there.
    phone_page.wait_for_load_state("networkidle")
    phone_page.reload()
    expect(fieldset(phone_page, "usia").locator("input")).to_have_value("29")
    expect(fieldset(phone_page, "jumlah_kpm").locator("input")).to_have_value("195")
    expect(fieldset(phone_page, "jenis_kelamin").locator("input[value=p]")).to_be_checked()
    expect(fieldset(phone_page, "modul_disampaikan").locator("input[value=m1]")).to_be_checked()
    expect(fieldset(phone_page, "modul_disampaikan").locator("input[value=m3]")).to_be_checked()
    expect(fieldset(phone_page, "modul_disampaikan").locator("input[value=m2]")).not_to_be_checked()
    expect(fieldset(phone_page, "diskusi_alumni").locator("input[value='4']")).to_be_checked()

    # A value out of range is refused where it was typed; the rest is finished and sent.
    fieldset(phone_page, "kehadiran").locator("input").fill("120")
    expect(fieldset(phone_page, "kehadiran").locator(".q-msg .error")).to_contain_text("100")
    fieldset(phone_page, "kehadiran").locator("input").fill("85")
    expect(fieldset(phone_page, "kehadiran").locator(".q-msg .error")).to_have_count(0)
    fieldset(phone_page, "pendidikan").get_by_text("Sarjana (S1/D4)").click()
    fieldset(phone_page, "jurusan").get_by_text("Pendidikan", exact=True).click()
    fieldset(phone_page, "graduasi_mandiri").locator("input").fill("10")
    fieldset(phone_page, "jumlah_kelompok").locator("input").fill("5")
    fieldset(phone_page, "p2k2_per_bulan").locator("input").fill("5")
    fieldset(phone_page, "modul_berurutan").get_by_text("Ya", exact=True).click()
    fieldset(phone_page, "sesuai_modul").get_by_text("Ya, seluruhnya").click()
    fieldset(phone_page, "kpm_menerapkan").locator("input").fill("50,09")
    fieldset(phone_page, "materi_pribadi").locator("label.q-point", has_text="5").click()
    fieldset(phone_page, "teknik_fasilitasi").locator("label.q-point", has_text="4").click()
    fieldset(phone_page, "saran").locator("textarea").fill("Pelatihan kewirausahaan")
    saved(phone_page, 17)
    assert fits(phone_page)
    phone_page.get_by_test_id("answer-submit").click()
    expect(phone_page.get_by_test_id("answer-submitted")).to_be_visible()
    inv.refresh_from_db()
    assert inv.submitted_at is not None
    assert Answer.objects.get(invitation=inv, question__key="kpm_menerapkan").number == Decimal("50.09")
    # The link now only thanks; there is no form to send again.
    phone_page.reload()
    expect(phone_page.get_by_test_id("answer-page")).to_have_attribute("data-state", "submitted")
    expect(phone_page.locator("#answer-form")).to_have_count(0)
    assert dialogs == []

    # The centre reads the report, with its charts, and downloads the PDF and the workbook.
    login(page, world.centre_staff)
    page.goto(f"/evaluasi/{survey.pk}/laporan/")
    expect(page.get_by_test_id("report-answered")).to_have_text("1")
    expect(page.get_by_test_id(f"cell-{world.pendamping[0].pk}-caseload")).to_have_attribute("data-reported", "195.00")
    assert page.evaluate("!!window.Chart && !!Chart.getChart('chart-caseload')")
    with page.expect_download() as info:
        page.get_by_test_id("report-pdf").click()
    pdf = Path(info.value.path()).read_bytes()
    doc = pdfium.PdfDocument(pdf)
    text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "LAPORAN EVALUASI ALUMNI DIKLAT" in text
    assert "Dari 4 alumni yang diundang, 1 mengisi kuesioner (25%)" in text
    assert "Pendamping A" in text and "195 / 0" in text
    with page.expect_download() as info:
        page.get_by_test_id("report-xlsx").click()
    assert info.value.suggested_filename == f"evaluasi-alumni-{survey.pk}.xlsx"
    wb = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    rows = list(wb["PER_RESPONDEN"].iter_rows(values_only=True))
    assert rows[1][0] == "Pendamping A" and rows[1][rows[0].index("caseload dilaporkan")] == 195.0
