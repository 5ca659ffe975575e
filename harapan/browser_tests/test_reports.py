"""A pendamping on a phone opens her monthly report (the last finished month), downloads the PDF and
the XLSX and their figures are the database's; a korkab opens the district profile (RULES.md
"People and ratios": monthly reports to the korkab; issue 5)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from harapan.accounts.models import Role
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import AbsenceFlag, Attendance, FlagKind, Mark, Meeting, MeetingStatus
from harapan.p2k2.models import Session
from harapan.registry.models import IN_PROGRAMME, Household
from harapan.reports.rules import last_finished_month, month_first_last
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff

pytestmark = pytest.mark.browser

DESA = "35.11.01.2001"


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def month_of_records() -> tuple[int, int, dt.date, dt.date]:
    year, month = last_finished_month(timezone.localdate())
    first, last = month_first_last(year, month)
    return year, month, first, last


def test_pendamping_downloads_her_monthly_report_on_a_phone_and_korkab_opens_the_profile(
    phone_page: Any, page: Any, login: Any, transactional_db: None
) -> None:
    year, month, first, last = month_of_records()
    pendamping = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Sari Wulandari", nip="19910202 201601 2 004")
    korkab = make_staff(Role.KORKAB, BONDOWOSO, full_name="Pak Korkab")
    groups = [
        Kelompok.objects.create(code=f"{DESA}-K0{i}", name=f"Mawar {i}", desa_id=DESA, pendamping=pendamping)
        for i in (1, 2)
    ]
    families: list[Household] = []
    for i in range(8):
        h = make_household(desa=DESA, pendamping=pendamping)
        GroupMembership.objects.create(household=h, kelompok=groups[i % 2], valid_from=first - dt.timedelta(days=60))
        families.append(h)
    session = Session.objects.get(number=5)
    held = Meeting.objects.create(
        kelompok=groups[0], scheduled_on=first + dt.timedelta(days=9), status=MeetingStatus.TERLAKSANA, session=session
    )
    last_day = Meeting.objects.create(
        kelompok=groups[1], scheduled_on=last, status=MeetingStatus.TERLAKSANA, session=session
    )
    Meeting.objects.create(
        kelompok=groups[1],
        scheduled_on=first + dt.timedelta(days=2),
        status=MeetingStatus.DIBATALKAN,
        cancel_reason="Banjir",
    )
    for h, meeting, mark in zip(
        families,
        [held, last_day] * 4,
        [Mark.HADIR, Mark.HADIR, Mark.HADIR, Mark.IZIN, Mark.ALPA, Mark.HADIR, Mark.HADIR, Mark.ALPA],
        strict=True,
    ):
        Attendance.objects.create(meeting=meeting, household=h, mark=mark, reason="sakit" if mark == Mark.IZIN else "")
    AbsenceFlag.objects.create(household=families[4], kind=FlagKind.PENANGGUHAN, raised_on=first + dt.timedelta(days=9))

    # What the database says, counted here on its own.
    in_month = Meeting.objects.filter(kelompok__pendamping=pendamping, scheduled_on__gte=first, scheduled_on__lte=last)
    marks = Attendance.objects.filter(meeting__in=in_month.filter(status=MeetingStatus.TERLAKSANA))
    expected = {
        "families_end": Household.objects.filter(pendamping=pendamping).count(),
        "meetings_planned": in_month.count(),
        "meetings_held": in_month.filter(status=MeetingStatus.TERLAKSANA).count(),
        "meetings_cancelled": in_month.filter(status=MeetingStatus.DIBATALKAN).count(),
        "marks_hadir": marks.filter(mark=Mark.HADIR).count(),
        "marks_izin": marks.filter(mark=Mark.IZIN).count(),
        "marks_alpa": marks.filter(mark=Mark.ALPA).count(),
        "flags_raised": AbsenceFlag.objects.filter(household__pendamping=pendamping, raised_on__gte=first).count(),
    }
    rate = round(100 * expected["marks_hadir"] / marks.count(), 1)
    assert expected == {
        "families_end": 8,
        "meetings_planned": 3,
        "meetings_held": 2,
        "meetings_cancelled": 1,
        "marks_hadir": 5,
        "marks_izin": 1,
        "marks_alpa": 2,
        "flags_raised": 1,
    }

    # The pendamping, on her phone: the menu's "Laporan" opens last month's report.
    login(phone_page, pendamping)
    phone_page.get_by_test_id("nav-reports").click()
    expect(phone_page.get_by_test_id("report-title")).to_contain_text("Bu Sari Wulandari")
    assert phone_page.url.endswith(f"/laporan/bulanan/{pendamping.pk}/{year}/{month}/")
    assert fits(phone_page)
    for key, value in expected.items():
        expect(phone_page.get_by_test_id(f"sum-{key}")).to_have_attribute("data-value", str(value))
    expect(phone_page.get_by_test_id("sum-attendance_rate")).to_have_attribute("data-value", f"{rate:.1f}")

    with phone_page.expect_download() as info:
        phone_page.get_by_test_id("download-pdf").click()
    pdf_path = Path(info.value.path())
    doc = pdfium.PdfDocument(pdf_path.read_bytes())
    texts = []
    for i in range(len(doc)):
        image = doc[i].render(scale=1).to_pil().convert("L")
        assert sum(image.histogram()[:200]) / (image.width * image.height) > 0.005, f"page {i + 1} is blank"
        texts.append(doc[i].get_textpage().get_text_range())
    text = re.sub(r"\s+", " ", " ".join(texts))
    assert "Bu Sari Wulandari" in text and "19910202 201601 2 004" in text
    assert f"Pertemuan terlaksana {expected['meetings_held']}" in text
    assert f"Tanda hadir {expected['marks_hadir']}" in text and f"Tanda alpa {expected['marks_alpa']}" in text
    assert f"Tingkat kehadiran (%) {rate:.1f}%".replace(".", ",") in text
    assert "Mengetahui," in text and "Koordinator Kabupaten" in text and "( Bu Sari Wulandari )" in text

    with phone_page.expect_download() as info:
        phone_page.get_by_test_id("download-xlsx").click()
    wb = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    sheet = {row[0]: row[2] for row in wb["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    for key, value in expected.items():
        assert sheet[key] == value, key
    assert sheet["attendance_rate"] == pytest.approx(rate)
    pertemuan = list(wb["Pertemuan"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0].date() for r in pertemuan) == sorted(m.scheduled_on for m in in_month)

    # The korkab, at a desk: from the list of pendamping to the district profile.
    login(page, korkab)
    page.get_by_test_id("nav-reports").click()
    expect(page.get_by_test_id(f"pendamping-{pendamping.pk}")).to_be_visible()
    if year == timezone.localdate().year:  # the list opens on this year
        cell = page.get_by_test_id(f"month-{pendamping.pk}-{month}")
        expect(cell).to_have_attribute("data-held", str(expected["meetings_held"]))
        expect(cell).to_have_attribute("data-status", "lengkap")
    page.get_by_test_id("profile-link").click()
    expect(page.get_by_test_id("profile-title")).to_contain_text("Bondowoso")
    kpm = Household.objects.filter(desa__code__startswith="35.11.", status__in=IN_PROGRAMME).count()
    expect(page.get_by_test_id("fig-kpm_total")).to_have_attribute("data-value", str(kpm))
    expect(page.get_by_test_id("fig-pendamping_total")).to_have_attribute("data-value", "1")
    expect(page.get_by_test_id("fig-kelompok_total")).to_have_attribute("data-value", "2")
    expect(page.get_by_test_id("fig-kelompok_size")).to_have_attribute("data-value", "4.0")
    expect(page.get_by_test_id("src-kpm_per_pendamping-003")).to_contain_text("195")
    expect(page.get_by_test_id("applying-definition")).to_contain_text("cek pengetahuan")
    # The same pages fit a phone too.
    login(phone_page, korkab)
    for url in (
        "/laporan/wilayah/35.11/",
        "/laporan/profil/35.11/",
        f"/laporan/bulanan/{pendamping.pk}/{year}/{month}/",
    ):
        phone_page.goto(url)
        assert fits(phone_page), url
    with page.expect_download() as info:
        page.get_by_test_id("profile-pdf").click()
    doc = pdfium.PdfDocument(Path(info.value.path()).read_bytes())
    assert len(doc) >= 1 and "PROFIL KABUPATEN/KOTA PKH" in doc[0].get_textpage().get_text_range()
