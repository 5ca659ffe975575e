"""Demo KPM files in the FORMATS.md §6.1 layout: XLSX (KELUARGA + ART) and a CSV pair."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from harapan.demo.generator import ART_COLUMNS, KELUARGA_COLUMNS, generate_families
from harapan.demo.kpm_file import ERROR_KINDS, InjectedError, inject_errors, write_csv_pair, write_xlsx
from harapan.demo.plan import District, plan_district
from harapan.demo.selectors import district_load
from harapan.regions.selectors import desa_codes, kecamatan_codes
from harapan.registry.rules import nik_violations

AS_OF = dt.date(2025, 11, 3)


@pytest.fixture
def bondowoso(db: None) -> District:
    return district_load("35.11")


def test_xlsx_has_the_two_sheets_with_identity_numbers_as_text(bondowoso: District, tmp_path: Path) -> None:
    """FORMATS.md §6: identity numbers are text, never numbers (16 digits lose precision)."""
    families = list(generate_families(plan_district(bondowoso, families=60, seed=3), as_of=AS_OF))
    stats = write_xlsx(families, tmp_path / "kpm.xlsx")
    assert stats.families == 60 and stats.members == sum(len(f.art) for f in families)
    wb = load_workbook(tmp_path / "kpm.xlsx", read_only=True)
    assert wb.sheetnames == ["KELUARGA", "ART"]
    k_rows = list(wb["KELUARGA"].values)
    a_rows = list(wb["ART"].values)
    assert k_rows[0] == KELUARGA_COLUMNS and a_rows[0] == ART_COLUMNS
    assert len(k_rows) == 61 and len(a_rows) == 1 + stats.members
    nik = a_rows[1][ART_COLUMNS.index("NIK")]
    assert isinstance(nik, str) and len(nik) == 16 and nik == families[0].art[0][1]["NIK"]
    # The row numbers FamilyRows carries are the sheet rows of the file.
    row, first_art = families[1].art[0]
    assert a_rows[row - 1][ART_COLUMNS.index("ID_ART_PKH")] == first_art["ID_ART_PKH"]


def test_csv_pair_is_semicolon_delimited_utf8_with_bom(bondowoso: District, tmp_path: Path) -> None:
    """FORMATS.md §6 general rules: write `;` by default for Indonesian Excel; UTF-8 with BOM."""
    families = generate_families(plan_district(bondowoso, families=40, seed=3), as_of=AS_OF)
    stats = write_csv_pair(families, tmp_path / "k.csv", tmp_path / "a.csv")
    raw = (tmp_path / "k.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + b"ID_KELUARGA_PKH;")
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert len(rows) == stats.members
    assert all(len(r["NOKK"]) == 16 for r in rows)


def test_injected_errors_break_the_rules_they_name(bondowoso: District) -> None:
    """RULES.md: Identity numbers — each deliberate mistake is one the import must reject."""
    found: list[InjectedError] = []
    families = list(
        inject_errors(
            generate_families(plan_district(bondowoso, families=200, seed=3), as_of=AS_OF), every=20, found=found
        )
    )
    assert [e.kind for e in found] == list(ERROR_KINDS) * 2
    kec = kecamatan_codes()
    by_id = {f.keluarga["ID_KELUARGA_PKH"]: f for f in families}
    all_niks = Counter(a["NIK"] for f in families for _, a in f.art if a["NIK"])
    for e in found:
        f = by_id[e.family_id]
        if e.sheet == "KELUARGA":
            assert e.row == f.keluarga_row
            assert f.keluarga["KODE_WILAYAH"] not in desa_codes()
            continue
        a = next(a for row, a in f.art if row == e.row)
        if e.kind == "nik_ganda":
            assert all_niks[a["NIK"]] == 2
            continue
        sex = "L" if a["JNSKEL"] == "1" else "P"
        rules = {
            v.rule
            for v in nik_violations(
                a["NIK"],
                birth_date=dt.date.fromisoformat(a["TGLLAHIR"]),
                sex=sex,
                kecamatan_exists=kec.__contains__,
            )
        }
        expected = {
            "nik_15_digit": "nik_16_digit",
            "nik_tanggal_lahir": "nik_tanggal_lahir",
            "nik_jenis_kelamin": "nik_jenis_kelamin",
        }[e.kind]
        assert rules == {expected}
    art_rows = [row for f in families for row, _ in f.art]
    assert art_rows == list(range(2, 2 + len(art_rows)))


def test_demo_kpm_file_command_writes_xlsx_csv_and_the_list_of_mistakes(db: None, tmp_path: Path) -> None:
    call_command("demo_kpm_file", "--families", "100", "--with-errors", "--out", str(tmp_path), "--as-of", "2025-11-03")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "kpm_3511_100_dengan_kesalahan.xlsx",
        "kpm_3511_100_dengan_kesalahan_art.csv",
        "kpm_3511_100_dengan_kesalahan_daftar_kesalahan.csv",
        "kpm_3511_100_dengan_kesalahan_keluarga.csv",
    ]
    with (tmp_path / "kpm_3511_100_dengan_kesalahan_daftar_kesalahan.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh, delimiter=";"))) == 1 + 5
