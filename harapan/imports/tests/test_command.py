"""``harapan import-kpm FILE [FILE2] --user USERNAME [--as-of]``: the same import, synchronous,
with the user's role and area enforced; counts, first rejects and the report path printed."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harapan.accounts.models import Role
from harapan.cli import main as harapan_cli
from harapan.imports.models import ImportRun, RunStatus
from harapan.registry.models import Household
from harapan.testing import BONDOWOSO, make_staff

from .kpm import family, write_csv_pair, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_command_imports_a_csv_pair_and_prints_counts_rejects_and_report(tmp_path: Path) -> None:
    make_staff(Role.OPERATOR, BONDOWOSO, username="op_bdw")
    good, bad = family(), family()
    bad.art[0]["TGLLAHIR"] = "1985-03-15"
    kel, art = write_csv_pair(tmp_path, [good, bad])
    report = tmp_path / "laporan.csv"
    out = io.StringIO()
    args = [str(kel), str(art), "--user", "op_bdw", "--as-of", "2025-11-03", "--report", str(report)]
    call_command("import_kpm", *args, stdout=out)
    text = out.getvalue()
    run = ImportRun.objects.get()
    assert (run.status, run.families_created, run.families_rejected) == (RunStatus.DONE, 1, 1)
    assert str(run.as_of) == "2025-11-03"
    assert "Keluarga baru" in text and "nik_tanggal_lahir" in text and f"Laporan: {report}" in text
    rows = list(csv.reader(report.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert ["Keluarga ditolak", "1"] in rows
    assert Household.objects.filter(pkh_id=good.pkh_id).exists()


def test_command_refuses_a_user_without_an_importing_role(tmp_path: Path) -> None:
    make_staff(Role.SUPERVISOR, BONDOWOSO, username="spv")
    path = write_xlsx(tmp_path / "kpm.xlsx", [family()])
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command("import_kpm", str(path), "--user", "spv", stdout=io.StringIO())
    assert not ImportRun.objects.exists() and not Household.objects.exists()


def test_command_rejects_families_outside_the_users_area(tmp_path: Path) -> None:
    make_staff(Role.KORKAB, "35.09", username="korkab_jember")
    path = write_xlsx(tmp_path / "kpm.xlsx", [family()])
    call_command("import_kpm", str(path), "--user", "korkab_jember", stdout=io.StringIO())
    run = ImportRun.objects.get()
    assert (run.families_created, run.families_rejected) == (0, 1)
    assert run.rejects.filter(rule="di_luar_wilayah").exists()


@pytest.mark.django_db(transaction=True)
def test_harapan_console_command_maps_import_kpm(tmp_path: Path, capsys: Any) -> None:
    """``harapan import-kpm`` is the management command ``import_kpm`` (a real command run closes
    the database connections at its end, hence a transactional test)."""
    make_staff(Role.DINSOS_KAB, BONDOWOSO, username="dinsos")
    path = write_xlsx(tmp_path / "kpm.xlsx", [family()])
    harapan_cli(["harapan", "import-kpm", str(path), "--user", "dinsos", "--as-of", "2025-11-03"])
    assert "Keluarga baru" in capsys.readouterr().out
    assert ImportRun.objects.get().families_created == 1
