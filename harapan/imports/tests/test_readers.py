"""Reading real KPM files (FORMATS.md §6 "General rules" and §6.1): an XLSX with KELUARGA and ART,
a CSV pair, one flat file; delimiters, BOM, ``sep=`` lines, dates and identity numbers as text."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from harapan.accounts.models import Role
from harapan.imports.models import ImportRun
from harapan.imports.pipeline import import_families
from harapan.imports.readers import ImportFileError, read_source
from harapan.registry.models import Household, Member
from harapan.testing import BONDOWOSO, make_staff

from .kpm import AS_OF, family, write_csv_pair, write_flat_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> Any:
    return make_staff(Role.OPERATOR, BONDOWOSO, username="op_bdw").user


def import_paths(paths: list[Path], user: Any) -> ImportRun:
    source = read_source(paths)
    run = ImportRun.objects.create(started_by=user, region_id=BONDOWOSO, families_total=source.families_total)
    return import_families(source.families, run=run, acting_user=user, as_of=AS_OF)


def test_xlsx_with_keluarga_and_art_sheets(tmp_path: Path, operator: Any) -> None:
    families = [family(), family(children=[])]
    source = read_source([write_xlsx(tmp_path / "kpm.xlsx", families)])
    assert (source.layout, source.families_total) == ("xlsx", 2)
    rows = list(source.families)
    assert [r.keluarga_row for r in rows] == [2, 3]
    assert [n for n, _ in rows[0].art] == [2, 3, 4]
    run = import_paths([tmp_path / "kpm.xlsx"], operator)
    assert run.families_created == 2
    assert Member.objects.get(nik=families[0].art[0]["NIK"]).birth_date == dt.date(1985, 3, 14)


def test_xlsx_nik_stored_as_a_number_is_rejected_with_a_clear_message(tmp_path: Path, operator: Any) -> None:
    """FORMATS.md §6: identity numbers are text; Excel keeps 15 digits of a number, so a NIK cell
    holding a number has lost its last digit and is rejected, never guessed."""
    f = family()
    run = import_paths([write_xlsx(tmp_path / "kpm.xlsx", [f], numeric_nik=True)], operator)
    assert run.families_rejected == 1
    reject = run.rejects.filter(rule="angka_excel").first()
    assert reject is not None and (reject.sheet, reject.row, reject.field) == ("ART", 2, "NIK")
    assert "Teks" in reject.message and "15 digit" in reject.message
    assert not Household.objects.exists()


def test_csv_pair_in_either_order_with_semicolons_and_bom(tmp_path: Path, operator: Any) -> None:
    kel, art = write_csv_pair(tmp_path, [family(), family()])
    assert read_source([art, kel]).layout == "pair"
    run = import_paths([art, kel], operator)
    assert run.families_created == 2


@pytest.mark.parametrize("delimiter", [",", ";", "|"])
def test_csv_delimiter_is_sniffed_and_an_excel_sep_line_is_skipped(
    tmp_path: Path, operator: Any, delimiter: str
) -> None:
    kel, art = write_csv_pair(tmp_path, [family()], delimiter=delimiter, bom=False, sep_line=delimiter == ",")
    run = import_paths([kel, art], operator)
    assert (run.families_created, run.families_rejected) == (1, 0)


def test_flat_csv_with_pipes_and_bom_one_row_per_member(tmp_path: Path, operator: Any) -> None:
    """The SIKS-NG flat export shape: one row per member carrying the family's columns."""
    families = [family(), family(children=[(dt.date(2012, 1, 9), "SD"), (dt.date(2016, 4, 2), "")])]
    path = write_flat_csv(tmp_path / "dtks.csv", families)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    source = read_source([path])
    assert (source.layout, source.families_total) == ("flat", 2)
    run = import_paths([path], operator)
    assert (run.families_created, run.members_created) == (2, 7)
    h = Household.objects.get(pkh_id=families[1].pkh_id)
    assert h.members.get(is_carer=True).nik == families[1].art[1]["NIK"]


def test_flat_file_with_conflicting_household_values_rejects_the_family_naming_the_rows(
    tmp_path: Path, operator: Any
) -> None:
    f, other = family(), family()
    path = tmp_path / "dtks.csv"
    write_flat_csv(path, [f, other])
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split("|")
    third = lines[3].split("|")  # the family's third member (file row 4)
    third[header.index("ALAMAT")] = "ALAMAT LAIN"
    lines[3] = "|".join(third)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = import_paths([path], operator)
    assert (run.families_created, run.families_rejected) == (1, 1)
    reject = run.rejects.get(rule="nilai_keluarga_berbeda")
    assert (reject.row, reject.field) == (4, "ALAMAT")
    assert "baris 2" in reject.message and "baris 4" in reject.message
    assert set(run.rejects.values_list("row", flat=True)) == {2, 3, 4}


def test_day_month_year_dates_and_lower_case_headers_are_read(tmp_path: Path, operator: Any) -> None:
    f = family()
    for a in f.art:
        y, m, d = a["TGLLAHIR"].split("-")
        a["TGLLAHIR"] = f"{d}/{m}/{y}"
    f.art[0]["TGLLAHIR"] = f.art[0]["TGLLAHIR"].replace("/", "-")
    kel, art = write_csv_pair(tmp_path, [f])
    text = art.read_text(encoding="utf-8-sig").splitlines()
    text[0] = " " + text[0].lower().replace("tgllahir", "tgllahir ")
    art.write_text("\n".join(text) + "\n", encoding="utf-8-sig")
    run = import_paths([kel, art], operator)
    assert run.families_created == 1
    assert Member.objects.get(nik=f.art[0]["NIK"]).birth_date == dt.date(1985, 3, 14)


def test_rows_of_a_family_missing_from_keluarga_and_a_family_without_members(tmp_path: Path, operator: Any) -> None:
    orphan, lonely = family(), family()
    kel, art = write_csv_pair(tmp_path, [orphan, lonely])
    # Remove the orphan's KELUARGA row and the lonely family's ART rows.
    kel_lines = kel.read_text(encoding="utf-8-sig").splitlines()
    kel.write_text("\n".join(line for line in kel_lines if orphan.pkh_id not in line) + "\n", encoding="utf-8")
    art_lines = art.read_text(encoding="utf-8-sig").splitlines()
    art.write_text("\n".join(line for line in art_lines if lonely.pkh_id not in line) + "\n", encoding="utf-8")
    run = import_paths([kel, art], operator)
    assert run.families_rejected == 2
    assert set(run.rejects.values_list("rule", flat=True)) == {"keluarga_tidak_ada", "keluarga_tanpa_anggota"}


def test_duplicate_family_id_in_keluarga_rejects_the_family(tmp_path: Path, operator: Any) -> None:
    f = family()
    kel, art = write_csv_pair(tmp_path, [f])
    lines = kel.read_text(encoding="utf-8-sig").splitlines()
    kel.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    run = import_paths([kel, art], operator)
    assert run.families_rejected == 1
    dup = run.rejects.get(rule="id_keluarga_ganda")
    assert (dup.sheet, dup.row) == ("keluarga.csv", 3)
    assert "baris 2" in dup.message


def test_file_without_the_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lain.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerow(["NAMA", "ALAMAT"])
    with pytest.raises(ImportFileError, match="Kolom wajib tidak ada"):
        read_source([path])


def test_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    kel, art = write_csv_pair(tmp_path, [family()], bom=False)
    art.write_bytes(art.read_bytes().replace(b"SUMIATI", "SUMIATI JOS\xe9".encode("latin-1")))
    with pytest.raises(ImportFileError, match="UTF-8"):
        list(read_source([kel, art]).families)
