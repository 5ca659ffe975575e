"""The e-PKH school verification form (FORMATS.md §4.2): real CSV files in its layout — header rows
with NPSN, school name, the quarter's month names and HARI EFEKTIF, 25-column pupil rows, ``;`` or
``,``, a BOM and an Excel ``sep=`` line — matched to members by NIK SISWA or NISN, attendance
against RULES.md "Obligations" (>= 85% of effective school days), rows rejected with their row,
column and rule; and the same form exported per school and quarter for the school to fill in."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from harapan.compliance.importing import report_csv_lines, verification_run_create, verification_run_execute
from harapan.compliance.models import ObligationRecord, Sanction, VerificationImportRun
from harapan.compliance.services import evaluate_households
from harapan.imports.models import RunStatus
from harapan.registry.models import SchoolEnrolment
from harapan.testing import PASSWORD

from .conftest import World, m

pytestmark = pytest.mark.django_db

BLANK_MONTH = ["", "", "", "", ""]


def pupil_row(
    no: int, world: World, *, months: Sequence[Sequence[str]], nik: str | None = None, **over: str
) -> list[str]:
    carer = world.family.members.get(is_carer=True)
    cells: list[str] = [
        str(no),
        over.get("carer_nik", carer.nik or ""),
        carer.name,
        (world.pupil.nik or "") if nik is None else nik,
        over.get("nisn", "0012345678"),
        world.pupil.name,
        "SD",
        "4",
    ]
    for block in months:
        cells += list(block)
    return [*cells, over.get("ket", ""), "Pendamping Maesan"]


def verkom_file(
    path: Path,
    rows: list[list[str]],
    *,
    delimiter: str = ";",
    bom: bool = True,
    sep_line: bool = True,
    months: Sequence[str] = ("JULI 2026", "AGUSTUS 2026", "SEPTEMBER 2026"),
    days: Sequence[str] = ("20", "22", "21"),
    days_in_label: bool = True,
) -> Path:
    """A school form written the way e-PKH's download and Excel write it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    width = 25
    writer.writerow(["FORM VERIFIKASI KOMITMEN PENDIDIKAN"] + [""] * (width - 1))
    writer.writerow(["NPSN : 20523456"] + [""] * (width - 1))
    writer.writerow(["Nama Sekolah : SDN SUCOLOR 1"] + [""] * (width - 1))
    header = [
        "NO",
        "NIK PENGURUS",
        "NAMA PENGURUS",
        "NIK SISWA",
        "NISN",
        "NAMA SISWA",
        "BENTUK PENDIDIKAN",
        "TINGKAT PENDIDIKAN",
    ]
    for name in months:
        header += [name, "", "", "", ""]
    writer.writerow([*header, "KET", "NAMA PENDAMPING"])
    effective = [""] * 8
    for n in days:
        effective += [f"HARI EFEKTIF : {n}", "", "", "", ""] if days_in_label else ["HARI EFEKTIF", n, "", "", ""]
    writer.writerow([*effective, "", ""])
    writer.writerow([*[""] * 8, *(["ALPA", "IZIN", "SAKIT", "JML", "%"] * 3), "", ""])
    for row in rows:
        writer.writerow(row)
    text = buffer.getvalue()
    if sep_line:
        text = f"sep={delimiter}\r\n" + text
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def run_file(path: Path, user, *, year: int | None = 2026) -> VerificationImportRun:
    with path.open("rb") as fh:
        run = verification_run_create(user=user, kind="sekolah", file=fh, file_name=path.name, year=year)
    return verification_run_execute(run_id=run.pk)


def records(world: World) -> dict[tuple[str, dt.date], ObligationRecord]:
    return {
        (r.obligation.code, r.period.month): r
        for r in ObligationRecord.objects.filter(household=world.family).select_related("obligation", "period")
    }


def test_school_form_records_attendance_and_rejects_broken_rows(world: World, tmp_path: Path) -> None:
    """RULES.md "Obligations": attending >= 85% of effective school days each month; < 85% is not met."""
    rows = [
        pupil_row(1, world, months=[["1", "0", "0", "1", "95"], ["3", "1", "1", "5", ""], BLANK_MONTH]),
        pupil_row(2, world, nik="35110145X5160001", months=[["0", "0", "0", "0", ""], BLANK_MONTH, BLANK_MONTH]),
        pupil_row(
            3, world, nik="3511015505170002", nisn="0077777777", months=[["0", "0", "0", "0", ""]] + [BLANK_MONTH] * 2
        ),
        pupil_row(4, world, nik="", nisn="", months=[["2", "0", "0", "3", ""]] + [BLANK_MONTH] * 2),
        pupil_row(5, world, months=[["x", "0", "0", "0", ""]] + [BLANK_MONTH] * 2),
    ]
    run = run_file(verkom_file(tmp_path / "verkom-sdn-sucolor.csv", rows), world.pendamping.user)
    assert run.status == RunStatus.DONE, run.error
    assert (run.npsn, run.school_name) == ("20523456", "SDN SUCOLOR 1")
    assert run.months == "JULI 2026, AGUSTUS 2026, SEPTEMBER 2026"
    got = records(world)
    july, august = got[("sekolah_kehadiran", m(7))], got[("sekolah_kehadiran", m(8))]
    assert (july.met, july.value) == (True, Decimal("95.00"))  # 19 of 20 days
    assert (august.met, august.value) == (False, Decimal("77.27"))  # 17 of 22 days
    assert got[("sekolah_terdaftar", m(7))].met is True
    assert ("sekolah_kehadiran", m(9)) not in got  # the school left September blank
    assert july.source == f"file:{run.pk}" and july.run == run
    rejects = {(r.row, r.field, r.rule) for r in run.rejects.all()}
    # Row numbers as a spreadsheet shows them: sep= line, 6 header rows, then the pupils from row 8.
    assert rejects == {
        (9, "NIK SISWA", "nik_16_digit"),
        (10, "NIK SISWA", "siswa_tidak_dikenal"),
        (11, "NIK SISWA", "siswa_tanpa_identitas"),
        (12, "JULI 2026 ALPA", "angka_tidak_sah"),
    }
    assert (run.records_created, run.rows_rejected, run.rows_seen) == (4, 4, 5)
    report = "".join(report_csv_lines(run))
    assert "siswa_tidak_dikenal" in report and "Baris ditolak;4" in report


def test_jml_must_add_up_and_absences_cannot_exceed_effective_days(world: World, tmp_path: Path) -> None:
    rows = [pupil_row(1, world, months=[["1", "1", "0", "5", ""], ["30", "0", "0", "30", ""], BLANK_MONTH])]
    run = run_file(verkom_file(tmp_path / "salah.csv", rows), world.pendamping.user)
    assert [(r.field, r.rule) for r in run.rejects.all()] == [("JULI 2026 JML", "jml_tidak_sesuai")]
    assert not ObligationRecord.objects.exists()  # a bad month rejects the pupil's row whole


def test_comma_file_without_bom_matches_a_mangled_nik_by_nisn(world: World, tmp_path: Path) -> None:
    """FORMATS.md §4.2: ``,`` as well as ``;``; NIK SISWA or NISN. A spreadsheet turned the NIK into
    3.51101E+15 and dropped the NISN's leading zeros: the NISN still finds the pupil."""
    rows = [
        pupil_row(1, world, nik="3.51101E+15", nisn="12345678", months=[["4", "0", "0", "4", ""]] + [BLANK_MONTH] * 2)
    ]
    path = verkom_file(tmp_path / "koma.csv", rows, delimiter=",", bom=False, sep_line=False, days_in_label=False)
    run = run_file(path, world.pendamping.user)
    assert run.status == RunStatus.DONE, run.error
    assert run.rejects.count() == 0
    july = records(world)[("sekolah_kehadiran", m(7))]
    assert (july.met, july.value) == (False, Decimal("80.00"))


def test_percent_column_is_used_when_effective_days_are_blank(world: World, tmp_path: Path) -> None:
    rows = [pupil_row(1, world, months=[["", "", "", "", "90,5"], ["", "", "", "", "84"], ["", "", "", "", "120"]])]
    run = run_file(
        verkom_file(tmp_path / "persen.csv", rows, days=("", "", ""), days_in_label=False), world.pendamping.user
    )
    assert [(r.field, r.rule) for r in run.rejects.all()] == [("SEPTEMBER 2026 %", "persen_di_luar_rentang")]
    assert not ObligationRecord.objects.exists()
    rows = [pupil_row(1, world, months=[["", "", "", "", "90,5"], ["", "", "", "", "84"], BLANK_MONTH])]
    run = run_file(
        verkom_file(tmp_path / "persen2.csv", rows, days=("", "", ""), days_in_label=False), world.pendamping.user
    )
    got = records(world)
    assert got[("sekolah_kehadiran", m(7))].met is True
    assert got[("sekolah_kehadiran", m(8))].met is False


def test_a_pupil_of_another_pendamping_is_not_found(world: World, tmp_path: Path) -> None:
    """accounts.scope: the file touches only the uploader's families."""
    other_pupil = world.other.members.get(relationship=3)
    rows = [
        pupil_row(
            1,
            world,
            nik=other_pupil.nik,
            nisn="0099999999",
            carer_nik="",
            months=[["0", "0", "0", "0", ""]] + [BLANK_MONTH] * 2,
        )
    ]
    run = run_file(verkom_file(tmp_path / "lain.csv", rows), world.pendamping.user)
    assert [r.rule for r in run.rejects.all()] == ["siswa_tidak_dikenal"]
    assert not ObligationRecord.objects.filter(household=world.other).exists()


def test_a_month_the_pupil_was_not_enrolled_is_rejected_and_a_left_school_remark_is_not_enrolled(
    world: World, tmp_path: Path
) -> None:
    SchoolEnrolment.objects.filter(member=world.pupil).update(valid_from=dt.date(2026, 8, 1))
    rows = [pupil_row(1, world, months=[["0", "0", "0", "0", ""], ["0", "0", "0", "0", ""], BLANK_MONTH])]
    run = run_file(verkom_file(tmp_path / "baru.csv", rows), world.pendamping.user)
    assert [(r.field, r.rule) for r in run.rejects.all()] == [("JULI 2026", "bukan_komponen_sekolah")]
    assert set(records(world)) == {("sekolah_terdaftar", m(8)), ("sekolah_kehadiran", m(8))}
    rows = [pupil_row(1, world, months=[BLANK_MONTH, BLANK_MONTH, BLANK_MONTH], ket="Putus sekolah sejak September")]
    run_file(verkom_file(tmp_path / "keluar.csv", rows), world.pendamping.user)
    got = records(world)
    assert got[("sekolah_terdaftar", m(9))].met is False
    assert got[("sekolah_terdaftar", m(8))].met is False  # corrected from the first file


def test_a_file_that_is_not_the_form_fails_the_run(world: World, tmp_path: Path) -> None:
    path = tmp_path / "bukan.csv"
    path.write_text("NIK;NAMA\n3511014505160001;Dewi\n", encoding="utf-8")
    run = run_file(path, world.pendamping.user)
    assert run.status == RunStatus.FAILED and "NIK SISWA" in run.error
    two_months = verkom_file(tmp_path / "dua.csv", [], months=("JULI", "AGUSTUS"))
    run = run_file(two_months, world.pendamping.user)
    assert run.status == RunStatus.FAILED and "tiga bulan" in run.error
    no_year = verkom_file(tmp_path / "tanpa-tahun.csv", [], months=("JULI", "AGUSTUS", "SEPTEMBER"))
    assert run_file(no_year, world.pendamping.user, year=None).status == RunStatus.FAILED
    assert run_file(no_year, world.pendamping.user, year=2026).status == RunStatus.DONE


def test_a_corrected_school_file_lifts_the_sanction_that_rested_on_it(world: World, tmp_path: Path) -> None:
    """RULES.md "Sanctions": a corrected record lifts a sanction that depended on it."""
    rows = [pupil_row(1, world, months=[["0", "0", "0", "0", ""], ["6", "0", "0", "6", ""], BLANK_MONTH])]
    run_file(verkom_file(tmp_path / "awal.csv", rows), world.pendamping.user)
    evaluate_households([world.family.pk], month=m(8), acting_user=world.operator.user)
    warning = Sanction.objects.get(household=world.family)
    again = run_file(verkom_file(tmp_path / "awal-lagi.csv", rows), world.pendamping.user)
    assert (again.records_created, again.records_updated, again.records_unchanged) == (0, 0, 4)
    fixed = [pupil_row(1, world, months=[["0", "0", "0", "0", ""], ["1", "0", "0", "1", ""], BLANK_MONTH])]
    corrected = run_file(verkom_file(tmp_path / "koreksi.csv", fixed), world.pendamping.user)
    assert corrected.records_updated == 1
    warning.refresh_from_db()
    assert warning.lift_reason == "koreksi"


def test_export_prefills_the_form_per_school_and_quarter_and_comes_back_filled(
    world: World, client, tmp_path: Path, immediate_tasks, django_capture_on_commit_callbacks
) -> None:
    """FORMATS.md §6.4: export the verkom CSV per school and quarter in the §4.2 layout, and import
    it back filled in by the school."""
    assert client.login(username=world.pendamping.user.username, password=PASSWORD)
    page = client.get(reverse("compliance:schools"), {"tahun": 2026, "triwulan": 3}).content.decode()
    assert 'data-testid="school-20523456"' in page
    assert 'data-testid="school-20523999"' not in page  # another pendamping's pupil's school
    response = client.get(reverse("compliance:verkom_export", args=["20523456", 2026, 3]))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffFORM VERIFIKASI KOMITMEN PENDIDIKAN")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1] == ["NPSN : 20523456"] and rows[2] == ["Nama Sekolah : SDN SUCOLOR 1"]
    assert rows[3][8] == "JULI 2026" and rows[3][13] == "AGUSTUS 2026" and rows[3][18] == "SEPTEMBER 2026"
    assert len(rows[3]) == 25 and len(rows[6]) == 25
    assert rows[6][3] == world.pupil.nik and rows[6][4] == "0012345678" and rows[6][24] == "Pendamping Maesan"
    # The school fills it in: effective days in the label's cell, absences for two months.
    rows[4][8], rows[4][13], rows[4][18] = "HARI EFEKTIF : 20", "HARI EFEKTIF : 22", "HARI EFEKTIF : 21"
    rows[6][8:13] = ["0", "1", "0", "1", ""]
    rows[6][13:18] = ["5", "0", "0", "5", ""]
    filled = io.StringIO()
    csv.writer(filled, delimiter=";").writerows(rows)
    path = tmp_path / "verkom-20523456-2026-T3.csv"
    path.write_text("\ufeff" + filled.getvalue(), encoding="utf-8")
    with path.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("compliance:upload"), {"kind": "sekolah", "year": "2026", "file": fh})
    run = VerificationImportRun.objects.get()
    assert response.url == reverse("compliance:run_detail", args=[run.pk])
    run.refresh_from_db()
    assert (run.status, run.records_created) == (RunStatus.DONE, 4), run.error
    got = records(world)
    assert got[("sekolah_kehadiran", m(7))].met is True and got[("sekolah_kehadiran", m(8))].met is False
    detail = client.get(reverse("compliance:run_detail", args=[run.pk])).content.decode()
    assert 'data-testid="no-rejects"' in detail
    assert client.get(reverse("compliance:report_xlsx", args=[run.pk])).status_code == 200
    client.logout()
    assert client.login(username=world.other_pendamping.user.username, password=PASSWORD)
    assert client.get(reverse("compliance:run_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("compliance:verkom_export", args=["20523456", 2026, 3])).status_code == 404
