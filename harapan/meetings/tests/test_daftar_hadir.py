"""The printed attendance list (FORMATS.md §6.4): header block, a row per family with the carer's
NIK and name, H/I/A as recorded, totals, signature lines; scoped like the meeting."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from harapan.accounts.models import Role, Staff
from harapan.meetings.daftar_hadir import COLUMNS
from harapan.meetings.models import Meeting
from harapan.registry.models import Member
from harapan.testing import JEMBER, make_staff

from .conftest import Setup, hold, month


def login(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def rows_of(content: bytes) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_a_held_meetings_list_carries_the_marks_and_totals(setup: Setup) -> None:
    a, b, c = setup.families
    meeting = hold(
        setup.group,
        month(1),
        {a.pk: ("hadir", ""), b.pk: ("izin", "sakit"), c.pk: ("alpa", "")},
        setup.pendamping.user,
    )
    response = login(setup.pendamping).get(reverse("meetings:sheet_xlsx", args=[meeting.pk]))
    assert response.status_code == 200
    assert "daftar-hadir" in response["Content-Disposition"]
    rows = rows_of(response.content)
    header = {r[0]: r[1] for r in rows[:11]}
    assert list(header) == [
        "TAHUN", "BULAN", "KABUPATEN", "KECAMATAN", "DESA", "KELOMPOK", "PENDAMPING", "TANGGAL", "TEMPAT", "MODUL", "SESI",
    ]  # fmt: skip
    assert header["KECAMATAN"] == "Maesan"
    assert header["PENDAMPING"] == setup.pendamping.full_name
    start = rows.index(list[object](COLUMNS)) + 1
    table = rows[start : start + 3]
    carer_a = Member.objects.get(household=a, is_carer=True)
    by_pkh = {r[1]: r for r in table}
    assert by_pkh[a.pkh_id][2:5] == [carer_a.nik, carer_a.name, "H"]
    assert by_pkh[b.pkh_id][4] == "I" and by_pkh[b.pkh_id][7] == "sakit"
    assert by_pkh[c.pkh_id][4] == "A"
    totals = {r[0]: r[1] for r in rows[start + 3 :] if r and r[0]}
    assert totals["HADIR"] == 1 and totals["TIDAK_HADIR"] == 2 and totals["PERSEN_HADIR"] == "33.3"


def test_a_planned_meetings_list_has_every_family_and_blank_marks(setup: Setup) -> None:
    meeting = Meeting.objects.create(kelompok=setup.group, scheduled_on=month(2))
    html = login(setup.pendamping).get(reverse("meetings:sheet", args=[meeting.pk])).content.decode()
    for h in setup.families:
        assert h.pkh_id in html
    assert "% hadir" not in html


def test_another_pendamping_or_region_cannot_print_it(setup: Setup) -> None:
    meeting = Meeting.objects.create(kelompok=setup.group, scheduled_on=month(2))
    outsider = make_staff(Role.KORKAB, JEMBER)
    for who in (setup.other_pendamping, outsider):
        assert login(who).get(reverse("meetings:sheet_xlsx", args=[meeting.pk])).status_code == 404
