"""The health facility file (Harapan's layout, documented in harapan/compliance/health.py; FORMATS.md
§4.2 found none): one row per member, month and obligation, rejected row by row (RULES.md
"Obligations (conditionalities)": ANC checks, immunisation, weighing, vitamin A)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from harapan.compliance.importing import verification_run_create, verification_run_execute
from harapan.compliance.models import ObligationRecord, VerificationImportRun
from harapan.imports.models import RunStatus
from harapan.registry.models import Household
from harapan.testing import make_household

from .conftest import World

pytestmark = pytest.mark.django_db

HEADER = "NIK;ID_KELUARGA_PKH;NAMA;BULAN;KODE_KOMITMEN;MEMENUHI;NILAI;FASKES;KETERANGAN"


@pytest.fixture
def mothers(world: World) -> Household:
    """A family with a baby born December 2025 and a mother pregnant since 1 April 2026."""
    return make_household(
        desa=world.desa,
        pendamping=world.pendamping,
        children=[(dt.date(2025, 12, 1), None)],
        pregnant_since=dt.date(2026, 4, 1),
    )


def run(path: Path, user) -> VerificationImportRun:
    with path.open("rb") as fh:
        created = verification_run_create(user=user, kind="faskes", file=fh, file_name=path.name)
    return verification_run_execute(run_id=created.pk)


def test_health_file_records_checks_and_rejects_each_bad_row(world: World, mothers: Household, tmp_path: Path) -> None:
    baby = mothers.members.get(relationship=3)
    mother = mothers.members.get(is_carer=True)
    lines = [
        HEADER,
        f"{baby.nik};{mothers.pkh_id};{baby.name};2026-10;bayi_penimbangan;Y;;Posyandu Melati 1;",
        f"{baby.nik};;;10/2026;bayi_imunisasi;T;;Posyandu Melati 1;campak tertunda",
        f"{mother.nik};;;2026-10;anc;;3;Puskesmas Maesan;",  # 3 visits by month 6: at least 2 due -> met
        f"{mother.nik};;;2026-07;anc;Y;1;Puskesmas Maesan;",  # 1 visit by month 3 -> met
        "35110101018;;;2026-10;anc;Y;;;",  # short NIK
        f"{baby.nik};;;2026-10;sekolah_kehadiran;Y;;;",  # not a health code
        f"{baby.nik};;;2026-10;balita_penimbangan;Y;;;",  # the baby is 10 months old
        f"{baby.nik};;;2026-10;bayi_penimbangan;Y;;;",  # the same as row 2
        f"{baby.nik};;;2027-01;bayi_penimbangan;Y;;;",  # a future month
        f"{mother.nik};;;2026-10;anc;T;3;;",  # says no, but 3 visits are enough
        f"{world.other.members.get(is_carer=True).nik};;;2026-10;lansia_cek_kesehatan;Y;;;",  # not in scope
        f"{baby.nik};PKH99999999;;2026-10;bayi_vitamin_a;Y;;;",  # wrong family
    ]
    path = tmp_path / "posyandu-melati.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    result = run(path, world.pendamping.user)
    assert result.status == RunStatus.DONE, result.error
    got = {
        (r.member_id, r.obligation.code, r.period.month): r
        for r in ObligationRecord.objects.filter(household=mothers).select_related("obligation", "period")
    }
    assert got[(baby.pk, "bayi_penimbangan", dt.date(2026, 10, 1))].met is True
    assert got[(baby.pk, "bayi_penimbangan", dt.date(2026, 10, 1))].note == "Posyandu Melati 1"
    assert got[(baby.pk, "bayi_imunisasi", dt.date(2026, 10, 1))].met is False
    anc = got[(mother.pk, "anc", dt.date(2026, 10, 1))]
    assert (anc.met, anc.value) == (True, Decimal("3.00"))
    assert got[(mother.pk, "anc", dt.date(2026, 7, 1))].met is True
    rejects = {(r.row, r.field, r.rule) for r in result.rejects.all()}
    assert rejects == {
        (6, "NIK", "nik_16_digit"),
        (7, "KODE_KOMITMEN", "kode_tidak_dikenal"),
        (8, "KODE_KOMITMEN", "komitmen_tidak_berlaku"),
        (9, "KODE_KOMITMEN", "baris_ganda"),
        (10, "BULAN", "bulan_masa_depan"),
        (11, "MEMENUHI", "nilai_tidak_sesuai"),
        (12, "NIK", "anggota_tidak_dikenal"),
        (13, "ID_KELUARGA_PKH", "keluarga_tidak_cocok"),
    }
    assert result.rows_rejected == 8


def test_antenatal_visits_below_the_schedule_are_not_met(world: World, mothers: Household, tmp_path: Path) -> None:
    """RULES.md "Obligations": >= 4 antenatal checks over the pregnancy (2 due by the sixth month)."""
    mother = mothers.members.get(is_carer=True)
    path = tmp_path / "anc.csv"
    path.write_text(f"{HEADER}\n{mother.nik};;;2026-10;anc;;1;;\n", encoding="utf-8")
    run(path, world.pendamping.user)
    assert ObligationRecord.objects.get(member=mother, obligation__code="anc").met is False


def test_health_file_as_xlsx_and_missing_columns(world: World, mothers: Household, tmp_path: Path) -> None:
    baby = mothers.members.get(relationship=3)
    wb = Workbook()
    ws = wb.active
    ws.append(["NIK", "BULAN", "KODE_KOMITMEN", "MEMENUHI"])
    ws.append([baby.nik, "2026-09", "bayi_penimbangan", "YA"])
    wb.save(tmp_path / "faskes.xlsx")
    result = run(tmp_path / "faskes.xlsx", world.pendamping.user)
    assert result.status == RunStatus.DONE and result.records_created == 1
    bad = tmp_path / "kurang.csv"
    bad.write_text("NIK;BULAN\n1;2026-09\n", encoding="utf-8")
    failed = run(bad, world.pendamping.user)
    assert failed.status == RunStatus.FAILED and "KODE_KOMITMEN" in failed.error
